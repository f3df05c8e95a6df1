//! Static types of expressions, with the range a number can take. The range is what
//! lets the checker find a leaf's maximum and a division that can hit zero.

use crate::model::ScaleId;
use rust_decimal::Decimal;

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Ty {
    /// An error was already reported; stay quiet about this expression.
    Unknown,
    /// A number within bounds.
    Num(Bounds),
    /// Yes or no.
    Bool,
    /// Text.
    Text,
    /// A date.
    Date,
    /// A level, from this scale when known.
    Level(Option<ScaleId>),
    /// An answer on a scale.
    Answer(ScaleId),
}

impl Ty {
    /// Words for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Ty::Unknown => "a value",
            Ty::Num(_) => "a number",
            Ty::Bool => "a yes/no condition",
            Ty::Text => "text",
            Ty::Date => "a date",
            Ty::Level(_) => "a level",
            Ty::Answer(_) => "an answer",
        }
    }
}

/// The smallest and largest value a number can take; `None` is unbounded.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Bounds {
    pub(crate) lo: Option<Decimal>,
    pub(crate) hi: Option<Decimal>,
    /// Whether the value is always a whole number.
    pub(crate) whole: bool,
}

impl Bounds {
    pub(crate) const ANY: Bounds = Bounds {
        lo: None,
        hi: None,
        whole: false,
    };

    pub(crate) fn new(lo: Decimal, hi: Decimal) -> Self {
        Bounds {
            lo: Some(lo),
            hi: Some(hi),
            whole: false,
        }
    }

    pub(crate) fn point(x: Decimal) -> Self {
        Bounds {
            whole: x.fract().is_zero(),
            ..Bounds::new(x, x)
        }
    }

    /// A count: a whole number from 0 up.
    pub(crate) fn count() -> Self {
        Bounds {
            lo: Some(Decimal::ZERO),
            hi: None,
            whole: true,
        }
    }

    pub(crate) fn non_negative() -> Self {
        Bounds {
            lo: Some(Decimal::ZERO),
            hi: None,
            whole: false,
        }
    }

    /// Whether zero is a possible value.
    pub(crate) fn may_be_zero(self) -> bool {
        self.lo.is_none_or(|lo| lo <= Decimal::ZERO) && self.hi.is_none_or(|hi| hi >= Decimal::ZERO)
    }

    /// Whether the value is exactly zero.
    pub(crate) fn is_zero(self) -> bool {
        self.lo == Some(Decimal::ZERO) && self.hi == Some(Decimal::ZERO)
    }

    pub(crate) fn neg(self) -> Self {
        Bounds {
            lo: self.hi.map(|h| -h),
            hi: self.lo.map(|l| -l),
            whole: self.whole,
        }
    }

    pub(crate) fn add(self, o: Bounds) -> Self {
        Bounds {
            lo: both(self.lo, o.lo, Decimal::checked_add),
            hi: both(self.hi, o.hi, Decimal::checked_add),
            whole: self.whole && o.whole,
        }
    }

    pub(crate) fn sub(self, o: Bounds) -> Self {
        self.add(o.neg())
    }

    /// Products: exact for finite bounds, for a constant factor, and for two
    /// non-negative ranges; otherwise unbounded.
    pub(crate) fn mul(self, o: Bounds) -> Self {
        let whole = self.whole && o.whole;
        Bounds {
            whole,
            ..self.mul_range(o)
        }
    }

    fn mul_range(self, o: Bounds) -> Self {
        if let (Some(c), true) = (o.lo, o.lo == o.hi) {
            return self.scale(c);
        }
        if let (Some(c), true) = (self.lo, self.lo == self.hi) {
            return o.scale(c);
        }
        let non_negative = |b: Bounds| b.lo.is_some_and(|l| l >= Decimal::ZERO);
        if non_negative(self) && non_negative(o) {
            return Bounds {
                lo: both(self.lo, o.lo, Decimal::checked_mul),
                hi: both(self.hi, o.hi, Decimal::checked_mul),
                whole: false,
            };
        }
        Bounds::ANY
    }

    /// Multiplied by a constant.
    fn scale(self, c: Decimal) -> Self {
        let times = |x: Option<Decimal>| x.and_then(|x| x.checked_mul(c));
        if c >= Decimal::ZERO {
            Bounds {
                lo: times(self.lo),
                hi: times(self.hi),
                whole: self.whole && c.fract().is_zero(),
            }
        } else {
            Bounds {
                lo: times(self.hi),
                hi: times(self.lo),
                whole: self.whole && c.fract().is_zero(),
            }
        }
    }

    pub(crate) fn union(self, o: Bounds) -> Self {
        Bounds {
            lo: both(self.lo, o.lo, |a, b| Some(a.min(b))),
            hi: both(self.hi, o.hi, |a, b| Some(a.max(b))),
            whole: self.whole && o.whole,
        }
    }

    pub(crate) fn min(self, o: Bounds) -> Self {
        Bounds {
            lo: both(self.lo, o.lo, |a, b| Some(a.min(b))),
            hi: match (self.hi, o.hi) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            whole: self.whole && o.whole,
        }
    }

    pub(crate) fn max(self, o: Bounds) -> Self {
        Bounds {
            lo: match (self.lo, o.lo) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            hi: both(self.hi, o.hi, |a, b| Some(a.max(b))),
            whole: self.whole && o.whole,
        }
    }

    pub(crate) fn abs(self) -> Self {
        let lo_abs = self.lo.map(|l| l.abs());
        let hi_abs = self.hi.map(|h| h.abs());
        let hi = both(lo_abs, hi_abs, |a, b| Some(a.max(b)));
        let straddles = self.may_be_zero();
        let lo = if straddles {
            Some(Decimal::ZERO)
        } else {
            both(lo_abs, hi_abs, |a, b| Some(a.min(b)))
        };
        Bounds {
            lo,
            hi,
            whole: self.whole,
        }
    }
}

fn both(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: impl Fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) => f(a, b),
        _ => None,
    }
}
