//! Streaming aggregates: each group row keeps one small accumulator per
//! aggregate, never the records. Checked arithmetic; an overflow or an
//! unreadable input makes the aggregate blank with a note, never a panic.

use super::errors;
use super::expr::{num, truth, Ctx, EvalError, Frame};
use super::value::num_ref;
use crate::model::{AggFunc, Aggregate, Expr, KindId, SlotId, Value};
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

/// How an aggregate takes its input from a scored record of one kind, worked out
/// once: the common shapes skip the general expression evaluation.
#[derive(Clone, Copy, Debug)]
pub(crate) enum InputPlan {
    /// Records of another kind give nothing.
    Skip,
    /// `count()` without a filter: one.
    One,
    /// An aggregate of one slot's number without a filter.
    Slot(SlotId),
    /// Anything else: the filter, then the argument, evaluated.
    General,
}

impl InputPlan {
    /// The plan of `agg` for records of `kind`.
    pub(crate) fn new(agg: &Aggregate, kind: KindId) -> Self {
        if agg.kind != kind {
            return InputPlan::Skip;
        }
        match (agg.func, &agg.arg, &agg.filter) {
            (AggFunc::Count, None, None) => InputPlan::One,
            (
                AggFunc::Sum | AggFunc::Mean | AggFunc::Min | AggFunc::Max,
                Some(Expr::Slot(s)),
                None,
            ) => InputPlan::Slot(*s),
            _ => InputPlan::General,
        }
    }

    /// The input of `agg` (this plan's aggregate) from a scored record (row `row`),
    /// evaluated in full (what [`AggAcc::add_record`] adds).
    pub(crate) fn input(
        self,
        cx: &mut Ctx<'_>,
        f: &Frame<'_>,
        agg: &Aggregate,
        row: u64,
    ) -> AggInput {
        if let InputPlan::Skip = self {
            return AggInput::Skip;
        }
        match contribution(cx, f, agg) {
            Ok(Some(v)) => AggInput::Record(v),
            Ok(None) => AggInput::Skip,
            Err(e) => AggInput::Failed(row, describe(e)),
        }
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
    /// What the function keeps besides the count.
    total: Total,
    overflow: bool,
    /// Records whose input could not be computed (boxed: rare, and a small
    /// accumulator keeps a group row small).
    failures: Option<Box<Failures>>,
}

/// What an aggregate keeps besides its count.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Total {
    /// `count`: nothing.
    None,
    /// `rate`: records where the condition held.
    Hits(u64),
    /// `sum` and `mean`: the exact sum, as an integer at the largest scale seen
    /// (`units / 10^scale`) — integer additions, which do not depend on the order
    /// the values come in — until it outgrows 64 bits; then a `Decimal`.
    Units { units: i64, scale: u32 },
    /// `sum` and `mean` past 64 bits.
    Wide(Decimal),
    /// `min` and `max`: blank until a value.
    Extreme(Option<Decimal>),
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
        let total = match func {
            AggFunc::Count => Total::None,
            AggFunc::Rate => Total::Hits(0),
            AggFunc::Sum | AggFunc::Mean => Total::Units { units: 0, scale: 0 },
            AggFunc::Min | AggFunc::Max => Total::Extreme(None),
        };
        AggAcc {
            func,
            n: 0,
            total,
            overflow: false,
            failures: None,
        }
    }

    /// Adds a scored record's input to `agg` (this accumulator's aggregate), taken
    /// as `plan` says: the common plans read the record's slot in place.
    #[inline]
    pub(crate) fn add_record(
        &mut self,
        plan: InputPlan,
        cx: &mut Ctx<'_>,
        f: &Frame<'_>,
        agg: &Aggregate,
        row: u64,
    ) {
        match plan {
            InputPlan::Skip => {}
            InputPlan::One => self.add_value(Some(&Decimal::ONE)),
            InputPlan::Slot(s) => match f.slot(s).and_then(num_ref) {
                Ok(v) => self.add_value(v),
                Err(e) => self.fail(row, describe(e)),
            },
            InputPlan::General => match plan.input(cx, f, agg, row) {
                AggInput::Skip => {}
                AggInput::Failed(row, why) => self.fail(row, why),
                AggInput::Record(v) => self.add_value(v.as_ref()),
            },
        }
    }

    #[cold]
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
        self.overflow |= other.overflow;
        match (&mut self.total, other.total) {
            (Total::Hits(mine), Total::Hits(theirs)) => *mine = mine.saturating_add(theirs),
            (_, Total::Units { units, scale }) => self.fold(&exact(units, scale)),
            (_, Total::Wide(v) | Total::Extreme(Some(v))) => self.fold(&v),
            _ => {}
        }
        if let Some(f) = &other.failures {
            self.note_failures(**f);
        }
    }

    #[inline]
    fn add_value(&mut self, v: Option<&Decimal>) {
        match (&mut self.total, v) {
            (Total::None, _) => {}
            (Total::Hits(hits), v) => {
                if v.is_some_and(|v| !v.is_zero()) {
                    *hits = hits.saturating_add(1);
                }
            }
            (_, None) => return,
            (_, Some(v)) => self.fold(v),
        }
        self.n = self.n.saturating_add(1);
    }

    /// Folds a value into the sum, minimum or maximum.
    #[inline]
    fn fold(&mut self, v: &Decimal) {
        match &mut self.total {
            Total::Units { units, scale } => match add_units(*units, *scale, v) {
                Some((sum, at)) => (*units, *scale) = (sum, at),
                None => self.widen(v),
            },
            Total::Wide(t) => match t.checked_add(*v) {
                Some(sum) => *t = sum,
                None => self.overflow = true,
            },
            Total::Extreme(t) => {
                *t = Some(match (self.func, *t) {
                    (_, None) => *v,
                    (AggFunc::Max, Some(t)) => t.max(*v),
                    (_, Some(t)) => t.min(*v),
                });
            }
            Total::None | Total::Hits(_) => {}
        }
    }

    /// Goes on in `Decimal` from a sum that outgrew 64 bits, adding `v`.
    #[cold]
    fn widen(&mut self, v: &Decimal) {
        if let Total::Units { units, scale } = self.total {
            match exact(units, scale).checked_add(*v) {
                Some(sum) => self.total = Total::Wide(sum),
                None => self.overflow = true,
            }
        }
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
        match self.total {
            Total::None => (self.n, 0, None),
            Total::Hits(hits) => (self.n, hits, None),
            Total::Units { units, scale } => (self.n, 0, Some(exact(units, scale))),
            Total::Wide(t) => (self.n, 0, Some(t)),
            Total::Extreme(t) => (self.n, 0, t),
        }
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
        let (n, hits, total) = self.parts();
        let count = Decimal::from(n);
        let value = match self.func {
            AggFunc::Count => Some(count),
            AggFunc::Sum => Some(total.unwrap_or_default()),
            AggFunc::Min | AggFunc::Max => total,
            AggFunc::Mean if n == 0 => None,
            AggFunc::Mean => total.and_then(|t| t.checked_div(count)),
            AggFunc::Rate if n == 0 => None,
            AggFunc::Rate => {
                let hits = Decimal::from(hits);
                match hits
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(count))
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

/// `units / 10^scale` (the scale is a `Decimal`'s, so at most 28).
fn exact(units: i64, scale: u32) -> Decimal {
    Decimal::try_new(units, scale).unwrap_or_default()
}

/// `units / 10^scale + v` as an integer at the larger scale; `None` beyond 64 bits.
#[inline]
fn add_units(units: i64, scale: u32, v: &Decimal) -> Option<(i64, u32)> {
    let m = i64::try_from(v.mantissa()).ok()?;
    let at = scale.max(v.scale());
    let up = |x: i64, from: u32| x.checked_mul(10i64.checked_pow(at - from)?);
    let sum = if v.scale() == scale {
        units.checked_add(m)?
    } else {
        up(units, scale)?.checked_add(up(m, v.scale())?)?
    };
    Some((sum, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn summed(func: AggFunc, values: &[Decimal]) -> AggAcc {
        let mut acc = AggAcc::new(func);
        for v in values {
            acc.add_value(Some(v));
        }
        acc
    }

    fn value(acc: &AggAcc) -> Value {
        acc.finish(0).value
    }

    proptest! {
        /// A sum is exact whatever the scales, past 64 bits too, and the same
        /// whichever share of the values an accumulator saw before a merge.
        #[test]
        fn sums_are_exact_and_merge_in_any_split(
            parts in prop::collection::vec(
                (prop_oneof![-1_000_000i64..1_000_000, (i64::MAX / 4)..i64::MAX], 0u32..5),
                0..40,
            ),
            cut in any::<prop::sample::Index>(),
        ) {
            let values: Vec<Decimal> = parts.iter().map(|&(m, s)| Decimal::new(m, s)).collect();
            let exact: i128 = parts
                .iter()
                .map(|&(m, s)| i128::from(m) * 10i128.pow(4 - s))
                .sum();
            let expected = Decimal::try_from_i128_with_scale(exact, 4).unwrap_or_default();
            let whole = summed(AggFunc::Sum, &values);
            prop_assert_eq!(value(&whole), Value::Num(expected));
            let at = cut.index(values.len() + 1);
            let (a, b) = values.split_at(at);
            let mut merged = summed(AggFunc::Sum, a);
            merged.merge(&summed(AggFunc::Sum, b));
            prop_assert_eq!(value(&merged), value(&whole));
            let mut mean = summed(AggFunc::Mean, b);
            mean.merge(&summed(AggFunc::Mean, a));
            let n = Decimal::from(values.len());
            prop_assert_eq!(value(&mean), expected.checked_div(n).map_or(Value::Blank, Value::Num));
        }
    }

    #[test]
    fn counts_rates_and_extremes() {
        let d = |m: i64| Decimal::new(m, 1);
        let values = [d(5), d(0), d(-20), d(15)];
        assert_eq!(
            value(&summed(AggFunc::Count, &values)),
            Value::Num(Decimal::from(4))
        );
        assert_eq!(
            value(&summed(AggFunc::Rate, &values)),
            Value::Num(Decimal::from(75))
        );
        assert_eq!(value(&summed(AggFunc::Min, &values)), Value::Num(d(-20)));
        assert_eq!(value(&summed(AggFunc::Max, &values)), Value::Num(d(15)));
        assert_eq!(value(&summed(AggFunc::Mean, &[])), Value::Blank);
        assert_eq!(value(&summed(AggFunc::Sum, &[])), Value::Num(Decimal::ZERO));
    }
}
