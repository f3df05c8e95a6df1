//! Streaming aggregates: each group row keeps one small accumulator per
//! aggregate, never the records. Checked arithmetic; an overflow or an
//! unreadable input makes the aggregate blank with a note, never a panic.

use super::errors;
use super::expr::{num, truth, Ctx, EvalError, Frame};
use crate::model::{AggFunc, Aggregate, KindId, Value};
use rust_decimal::Decimal;

/// What one scored record contributes to one aggregate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AggInput {
    /// Nothing: another kind, or the filter does not hold.
    Skip,
    /// A record passing the filter, with its value (`None`: blank) or, for
    /// `rate`, whether the condition holds (`Some(1)` / `Some(0)`).
    Record(Option<Decimal>),
    /// The value could not be computed: the input row, and why.
    Failed(u64, &'static str),
}

/// Computes the input of `agg` for a scored record of `kind` (row `row`).
#[inline]
pub(crate) fn input(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    agg: &Aggregate,
    kind: KindId,
    row: u64,
) -> AggInput {
    if agg.kind != kind {
        return AggInput::Skip;
    }
    match contribution(cx, f, agg) {
        Ok(Some(v)) => AggInput::Record(v),
        Ok(None) => AggInput::Skip,
        Err(e) => AggInput::Failed(row, describe(e)),
    }
}

#[inline]
fn contribution(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    agg: &Aggregate,
) -> Result<Option<Option<Decimal>>, EvalError> {
    if let Some(filter) = &agg.filter {
        if !truth(cx, f, filter)? {
            return Ok(None);
        }
    }
    let value = match (agg.func, &agg.arg) {
        (AggFunc::Count, None) => Some(Decimal::ONE),
        (AggFunc::Rate, Some(cond)) => Some(Decimal::from(u8::from(truth(cx, f, cond)?))),
        (_, Some(e)) => num(cx, f, e)?,
        (_, None) => return Err(EvalError::Index("the aggregate has no argument")),
    };
    Ok(Some(value))
}

#[cold]
fn describe(e: EvalError) -> &'static str {
    match e {
        EvalError::Overflow => "the value is too large to compute exactly",
        EvalError::Invalid(m) | EvalError::Type(m) | EvalError::Index(m) => m,
    }
}

/// A running aggregate.
#[derive(Clone, Debug)]
pub(crate) struct AggAcc {
    func: AggFunc,
    /// Records passing the filter (with a non-blank value, for sum/mean/min/max).
    n: u64,
    /// For rate: records where the condition held.
    hits: u64,
    /// Sum, minimum or maximum so far.
    total: Option<Decimal>,
    overflow: bool,
    /// Records whose input could not be computed (boxed: rare, and a small
    /// accumulator keeps a group row small).
    failures: Option<Box<Failures>>,
}

/// Records whose input to an aggregate could not be computed.
#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u64,
    /// The earliest: its row, and why.
    first_row: u64,
    first_why: &'static str,
}

/// An aggregate's final value.
pub(crate) struct AggValue {
    /// The value; blank when empty or failed.
    pub value: Value,
    /// Blank because there was nothing to aggregate.
    pub empty: bool,
    /// Why the value is blank, when it failed.
    pub note: Option<String>,
}

impl AggAcc {
    /// An empty accumulator.
    pub(crate) fn new(func: AggFunc) -> Self {
        AggAcc {
            func,
            n: 0,
            hits: 0,
            total: None,
            overflow: false,
            failures: None,
        }
    }

    /// Adds one record's input.
    pub(crate) fn add(&mut self, input: &AggInput) {
        match input {
            AggInput::Skip => {}
            AggInput::Failed(row, why) => self.fail(*row, why),
            AggInput::Record(v) => self.add_value(*v),
        }
    }

    fn fail(&mut self, row: u64, why: &'static str) {
        self.note_failures(Failures {
            count: 1,
            first_row: row,
            first_why: why,
        });
    }

    /// Counts failures, keeping the earliest row's.
    fn note_failures(&mut self, new: Failures) {
        match &mut self.failures {
            Some(f) => {
                f.count = f.count.saturating_add(new.count);
                if new.first_row < f.first_row {
                    (f.first_row, f.first_why) = (new.first_row, new.first_why);
                }
            }
            None => self.failures = Some(Box::new(new)),
        }
    }

    /// Adds another accumulator of the same aggregate (from another thread's share
    /// of the records): the result is what one accumulator fed every record gives.
    pub(crate) fn merge(&mut self, other: &AggAcc) {
        self.n = self.n.saturating_add(other.n);
        self.hits = self.hits.saturating_add(other.hits);
        self.overflow |= other.overflow;
        if let Some(v) = other.total {
            self.combine(v);
        }
        if let Some(f) = &other.failures {
            self.note_failures(**f);
        }
    }

    fn add_value(&mut self, v: Option<Decimal>) {
        match self.func {
            AggFunc::Count | AggFunc::Rate => {
                self.n = self.n.saturating_add(1);
                if v.is_some_and(|v| !v.is_zero()) {
                    self.hits = self.hits.saturating_add(1);
                }
            }
            AggFunc::Sum | AggFunc::Mean | AggFunc::Min | AggFunc::Max => {
                let Some(v) = v else { return };
                self.n = self.n.saturating_add(1);
                self.combine(v);
            }
        }
    }

    /// Folds a value into the sum, minimum or maximum.
    fn combine(&mut self, v: Decimal) {
        self.total = Some(match (self.func, self.total) {
            (_, None) => v,
            (AggFunc::Min, Some(t)) => t.min(v),
            (AggFunc::Max, Some(t)) => t.max(v),
            (_, Some(t)) => t.checked_add(v).unwrap_or_else(|| {
                self.overflow = true;
                t
            }),
        });
    }

    /// Adds `by` to the row numbers kept (another thread's records were numbered
    /// from the start of its share of the input).
    pub(crate) fn shift_rows(&mut self, by: u64) {
        if let Some(f) = &mut self.failures {
            f.first_row = f.first_row.saturating_add(by);
        }
    }

    /// Records counted (with a non-blank value, for sum/mean/min/max), records
    /// for which a `rate` condition held, and the sum, minimum or maximum.
    pub(crate) fn parts(&self) -> (u64, u64, Option<Decimal>) {
        (self.n, self.hits, self.total)
    }

    /// The final value; `index` numbers the aggregate in notes.
    pub(crate) fn finish(&self, index: usize) -> AggValue {
        let fail = |note: String| AggValue {
            value: Value::Blank,
            empty: false,
            note: Some(note),
        };
        if let Some(f) = &self.failures {
            let first = errors::agg_input(index, f.first_row, f.first_why);
            return fail(format!(
                "{} record(s) could not be aggregated; first: {first}",
                f.count
            ));
        }
        if self.overflow {
            return fail(errors::agg_overflow(index));
        }
        let n = Decimal::from(self.n);
        let value = match self.func {
            AggFunc::Count => Some(n),
            AggFunc::Sum => Some(self.total.unwrap_or_default()),
            AggFunc::Min | AggFunc::Max => self.total,
            AggFunc::Mean => self.total.and_then(|t| t.checked_div(n)),
            AggFunc::Rate if self.n == 0 => None,
            AggFunc::Rate => {
                let hits = Decimal::from(self.hits);
                match hits
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(n))
                {
                    Some(r) => Some(r),
                    None => return fail(errors::agg_overflow(index)),
                }
            }
        };
        AggValue {
            empty: value.is_none(),
            value: value.map_or(Value::Blank, Value::Num),
            note: None,
        }
    }
}
