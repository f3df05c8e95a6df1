//! The small words: numbers, quoted texts, intervals, and the names of functions,
//! aggregates, operators, rounding modes and periods.

use crate::model::{AggFunc, ArithOp, CmpOp, Func, Interval};
use rust_decimal::Decimal;

/// A decimal, exact, without trailing zeros: `71.25`, `2.5`, `-12`, `0`.
pub(crate) fn number(d: Decimal) -> String {
    // `normalize` also turns `-0` into `0`.
    d.normalize().to_string()
}

/// A number, or `blank` for none.
pub(crate) fn opt_number(d: Option<Decimal>) -> String {
    d.map_or_else(|| "blank".to_owned(), number)
}

/// A quoted string, escaped as in the source.
pub(crate) use rubric_syntax::quote;

/// An interval: `[70, 90)`, `>= 95`, `< 70`, `any value`.
pub(crate) fn interval(iv: &Interval) -> String {
    match (iv.lo.value, iv.hi.value) {
        (Some(lo), Some(hi)) => format!(
            "{}{}, {}{}",
            if iv.lo.closed { '[' } else { '(' },
            number(lo),
            number(hi),
            if iv.hi.closed { ']' } else { ')' },
        ),
        (Some(lo), None) => format!("{} {}", if iv.lo.closed { ">=" } else { ">" }, number(lo)),
        (None, Some(hi)) => format!("{} {}", if iv.hi.closed { "<=" } else { "<" }, number(hi)),
        (None, None) => "any value".to_owned(),
    }
}

/// An interval as a scale row writes it: one point as `= 5`, else as [`interval`].
pub(crate) fn row_interval(iv: &Interval) -> String {
    match (iv.lo.value, iv.hi.value) {
        (Some(a), Some(b)) if a == b && iv.lo.closed && iv.hi.closed => format!("= {}", number(a)),
        _ => interval(iv),
    }
}

/// A built-in function's name.
pub(crate) fn func_name(f: Func) -> &'static str {
    match f {
        Func::Min => "min",
        Func::Max => "max",
        Func::Clamp => "clamp",
        Func::Round => "round",
        Func::Floor => "floor",
        Func::Ceil => "ceil",
        Func::Abs => "abs",
        Func::Days => "days",
        Func::AddMonths => "add_months",
        Func::Score => "score",
        Func::First => "first",
    }
}

/// `count`, `sum`, `mean`, `min`, `max`, `rate`.
pub(crate) fn agg_name(f: AggFunc) -> &'static str {
    match f {
        AggFunc::Count => "count",
        AggFunc::Sum => "sum",
        AggFunc::Mean => "mean",
        AggFunc::Min => "min",
        AggFunc::Max => "max",
        AggFunc::Rate => "rate",
    }
}

/// `=`, `!=`, `<`, `<=`, `>`, `>=`.
pub(crate) fn cmp_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// An arithmetic operator with its spaces; `times` is the multiplication sign's.
pub(crate) fn arith_op(op: ArithOp, times: &'static str) -> &'static str {
    match op {
        ArithOp::Add => " + ",
        ArithOp::Sub => " - ",
        ArithOp::Mul => times,
        ArithOp::Div => " / ",
    }
}
