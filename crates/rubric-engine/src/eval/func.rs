//! Built-in functions. Blank arguments give a blank result (except `first`, which
//! skips them); only checked arithmetic.

use super::expr::{eval, num, Ctx, EvalError, Frame};
use crate::decimal;
use crate::model::{Expr, Func, RoundMode, Value};
use chrono::{Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// `func(args…)`.
pub(crate) fn call<'a>(
    cx: &mut Ctx<'_>,
    f: &'a Frame<'_>,
    func: Func,
    args: &'a [Expr],
) -> Result<Cow<'a, Value>, EvalError> {
    let number = |n: Option<Decimal>| Cow::Owned(n.map_or(Value::Blank, Value::Num));
    Ok(match func {
        Func::Min | Func::Max => Cow::Owned(extreme(cx, f, func == Func::Max, args)?),
        Func::Clamp => number(clamp(cx, f, args)?),
        Func::Round => number(round(cx, f, args)?),
        Func::Floor => number(unary(cx, f, args)?.map(|x| decimal::round(x, 0, RoundMode::Floor))),
        Func::Ceil => number(unary(cx, f, args)?.map(|x| decimal::round(x, 0, RoundMode::Ceiling))),
        Func::Abs => number(unary(cx, f, args)?.map(|x| x.abs())),
        Func::Score => number(unary(cx, f, args)?),
        Func::Days => number(days(cx, f, args)?),
        Func::AddMonths => Cow::Owned(add_months(cx, f, args)?.map_or(Value::Blank, Value::Date)),
        Func::First => first(cx, f, args)?,
    })
}

fn arg(args: &[Expr], i: usize) -> Result<&Expr, EvalError> {
    args.get(i)
        .ok_or(EvalError::Index("a function is missing an argument"))
}

fn unary(cx: &mut Ctx<'_>, f: &Frame<'_>, args: &[Expr]) -> Result<Option<Decimal>, EvalError> {
    num(cx, f, arg(args, 0)?)
}

/// `min(…)` / `max(…)` over numbers or over dates; blank if any is blank.
fn extreme(cx: &mut Ctx<'_>, f: &Frame<'_>, max: bool, args: &[Expr]) -> Result<Value, EvalError> {
    let mut best: Option<Value> = None;
    for e in args {
        let v = eval(cx, f, e)?;
        let next = match (&*v, best.take()) {
            (Value::Blank, _) => return Ok(Value::Blank),
            (Value::Date(d), None) => Value::Date(*d),
            (Value::Date(d), Some(Value::Date(b))) => Value::Date(pick(max, *d, b)),
            (_, None) => num_or_blank(super::value::as_num(&v)?),
            (_, Some(Value::Num(b))) => match super::value::as_num(&v)? {
                Some(x) => Value::Num(pick(max, x, b)),
                None => return Ok(Value::Blank),
            },
            _ => return Err(EvalError::Type("min and max need all numbers or all dates")),
        };
        if matches!(next, Value::Blank) {
            return Ok(Value::Blank);
        }
        best = Some(next);
    }
    Ok(best.unwrap_or(Value::Blank))
}

fn num_or_blank(n: Option<Decimal>) -> Value {
    n.map_or(Value::Blank, Value::Num)
}

fn pick<T: Ord>(max: bool, a: T, b: T) -> T {
    if max {
        a.max(b)
    } else {
        a.min(b)
    }
}

/// `clamp(x, lo, hi)`.
fn clamp(cx: &mut Ctx<'_>, f: &Frame<'_>, args: &[Expr]) -> Result<Option<Decimal>, EvalError> {
    let x = num(cx, f, arg(args, 0)?)?;
    let lo = num(cx, f, arg(args, 1)?)?;
    let hi = num(cx, f, arg(args, 2)?)?;
    Ok(match (x, lo, hi) {
        (Some(x), Some(lo), Some(hi)) => Some(x.min(hi).max(lo)),
        _ => None,
    })
}

/// `round(x)` / `round(x, places)` with the rubric's mode.
fn round(cx: &mut Ctx<'_>, f: &Frame<'_>, args: &[Expr]) -> Result<Option<Decimal>, EvalError> {
    let Some(x) = num(cx, f, arg(args, 0)?)? else {
        return Ok(None);
    };
    let places = match args.get(1) {
        None => 0,
        Some(e) => match num(cx, f, e)? {
            None => return Ok(None),
            Some(p) => whole(p)
                .and_then(|p| u32::try_from(p).ok())
                .filter(|p| *p <= 28)
                .ok_or(EvalError::Invalid(
                    "round: places must be a whole number from 0 to 28",
                ))?,
        },
    };
    Ok(Some(decimal::round(x, places, cx.rubric.rounding.mode)))
}

/// `d` as an integer, when it is whole.
pub(crate) fn whole(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        d.to_i64()
    } else {
        None
    }
}

fn date(cx: &mut Ctx<'_>, f: &Frame<'_>, e: &Expr) -> Result<Option<NaiveDate>, EvalError> {
    match &*eval(cx, f, e)? {
        Value::Date(d) => Ok(Some(*d)),
        Value::Blank => Ok(None),
        _ => Err(EvalError::Type("a date was expected")),
    }
}

/// `days(from, to)`: `to − from` in days.
fn days(cx: &mut Ctx<'_>, f: &Frame<'_>, args: &[Expr]) -> Result<Option<Decimal>, EvalError> {
    let from = date(cx, f, arg(args, 0)?)?;
    let to = date(cx, f, arg(args, 1)?)?;
    Ok(match (from, to) {
        (Some(a), Some(b)) => Some(Decimal::from(b.signed_duration_since(a).num_days())),
        _ => None,
    })
}

/// `add_months(date, n)`, clamped to the month's end.
fn add_months(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    args: &[Expr],
) -> Result<Option<NaiveDate>, EvalError> {
    let d = date(cx, f, arg(args, 0)?)?;
    let n = num(cx, f, arg(args, 1)?)?;
    let (Some(d), Some(n)) = (d, n) else {
        return Ok(None);
    };
    let n = whole(n).ok_or(EvalError::Invalid(
        "add_months: the month count must be whole",
    ))?;
    let months = u32::try_from(n.unsigned_abs()).map_err(|_| EvalError::Overflow)?;
    let moved = if n >= 0 {
        d.checked_add_months(Months::new(months))
    } else {
        d.checked_sub_months(Months::new(months))
    };
    moved.map(Some).ok_or(EvalError::Overflow)
}

/// `first(a, b, …)`: the first non-blank argument.
fn first<'a>(
    cx: &mut Ctx<'_>,
    f: &'a Frame<'_>,
    args: &'a [Expr],
) -> Result<Cow<'a, Value>, EvalError> {
    for e in args {
        let v = eval(cx, f, e)?;
        if !matches!(*v, Value::Blank) {
            return Ok(v);
        }
    }
    Ok(Cow::Owned(Value::Blank))
}
