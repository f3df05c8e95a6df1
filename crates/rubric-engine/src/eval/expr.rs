//! Expressions, exactly as `model::Expr` documents them. Only checked decimal
//! arithmetic; a division by zero gives a blank value and marks the frame empty;
//! a bad index or type is an [`EvalError`], never a panic.

use super::func;
use super::value::{as_num, as_truth, compare};
use crate::model::{
    AggId, ArithOp, Expr, Interval, LevelId, LogicOp, RowOutcome, Rubric, ScaleId, ScaleKind,
    SlotId, Value,
};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Why an expression has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EvalError {
    /// Exact arithmetic overflowed.
    Overflow,
    /// An argument outside what a function accepts.
    Invalid(&'static str),
    /// A value of the wrong type (a checker bug).
    Type(&'static str),
    /// An index out of range (a checker bug).
    Index(&'static str),
}

/// The values an expression reads: a record's or a group's slots, and for a
/// group its aggregates.
#[derive(Clone, Copy)]
pub(crate) struct Frame<'s> {
    /// Slot values, by slot id.
    pub slots: &'s [Value],
    /// Aggregate values, by aggregate id (empty for records).
    pub aggs: &'s [Value],
    /// Which aggregates are blank because they saw no records.
    pub agg_empty: &'s [bool],
}

impl<'s> Frame<'s> {
    /// A record's frame: slots only.
    pub(crate) fn record(slots: &'s [Value]) -> Self {
        Frame {
            slots,
            aggs: &[],
            agg_empty: &[],
        }
    }

    /// The value in slot `id`.
    pub(crate) fn slot(&self, id: SlotId) -> Result<&Value, EvalError> {
        index(self.slots, id).ok_or(EvalError::Index("a slot index is out of range"))
    }
}

/// The rubric and what evaluation noticed on the way.
pub(crate) struct Ctx<'r> {
    /// The rubric.
    pub rubric: &'r Rubric,
    /// Set when a division by zero (or an empty aggregate) made a value blank.
    pub empty: bool,
}

/// `items[id]`, without panicking.
pub(crate) fn index<T>(items: &[T], id: u32) -> Option<&T> {
    items.get(usize::try_from(id).ok()?)
}

/// The value of `e`.
pub(crate) fn eval<'a>(
    cx: &mut Ctx<'_>,
    f: &'a Frame<'_>,
    e: &'a Expr,
) -> Result<Cow<'a, Value>, EvalError> {
    rubric_syntax::limits::with_stack(|| eval_at(cx, f, e))
}

fn eval_at<'a>(
    cx: &mut Ctx<'_>,
    f: &'a Frame<'_>,
    e: &'a Expr,
) -> Result<Cow<'a, Value>, EvalError> {
    let num_value = |n: Option<Decimal>| Cow::Owned(n.map_or(Value::Blank, Value::Num));
    Ok(match e {
        Expr::Const(v) => Cow::Borrowed(v),
        Expr::Slot(id) => Cow::Borrowed(f.slot(*id)?),
        Expr::Agg(id) => Cow::Borrowed(agg(cx, f, *id)?),
        Expr::Neg(_) | Expr::Arith(..) => num_value(num(cx, f, e)?),
        Expr::If(c, a, b) => {
            if truth(cx, f, c)? {
                eval(cx, f, a)?
            } else {
                eval(cx, f, b)?
            }
        }
        Expr::Grade(x, scale) => Cow::Owned(grade(cx, f, x, *scale)?),
        Expr::Call(func, args) => func::call(cx, f, *func, args)?,
        _ => Cow::Owned(Value::Bool(truth(cx, f, e)?)),
    })
}

/// The number `e` stands for; `None` when blank.
#[inline]
pub(crate) fn num(cx: &mut Ctx<'_>, f: &Frame<'_>, e: &Expr) -> Result<Option<Decimal>, EvalError> {
    match e {
        Expr::Const(v) => as_num(v),
        Expr::Slot(id) => as_num(f.slot(*id)?),
        Expr::Neg(x) => match num(cx, f, x)? {
            Some(v) => Decimal::ZERO
                .checked_sub(v)
                .map(Some)
                .ok_or(EvalError::Overflow),
            None => Ok(None),
        },
        Expr::Arith(first, rest) => arith(cx, f, first, rest),
        _ => as_num(&*eval(cx, f, e)?),
    }
}

/// Whether `e` holds; blank is false.
pub(crate) fn truth(cx: &mut Ctx<'_>, f: &Frame<'_>, e: &Expr) -> Result<bool, EvalError> {
    match e {
        Expr::Not(x) => Ok(!truth(cx, f, x)?),
        Expr::Logic(op, xs) => logic(cx, f, *op, xs),
        Expr::Cmp(a, op, b) => {
            let a = eval(cx, f, a)?;
            let b = eval(cx, f, b)?;
            compare(&a, *op, &b)
        }
        Expr::IsBlank(x) => Ok(matches!(*eval(cx, f, x)?, Value::Blank)),
        Expr::IsLevel(x, level) => is_level(&*eval(cx, f, x)?, *level),
        Expr::InTexts(x, texts) => {
            let v = eval(cx, f, x)?;
            in_texts(cx, &v, texts)
        }
        Expr::InInterval(x, interval) => in_interval(cx, f, x, interval),
        _ => as_truth(&*eval(cx, f, e)?),
    }
}

fn agg<'a>(cx: &mut Ctx<'_>, f: &'a Frame<'_>, id: AggId) -> Result<&'a Value, EvalError> {
    let v = index(f.aggs, id).ok_or(EvalError::Index("an aggregate index is out of range"))?;
    if index(f.agg_empty, id).copied().unwrap_or(false) {
        cx.empty = true;
    }
    Ok(v)
}

fn arith(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    first: &Expr,
    rest: &[(ArithOp, Expr)],
) -> Result<Option<Decimal>, EvalError> {
    let Some(mut acc) = num(cx, f, first)? else {
        return Ok(None);
    };
    for (op, e) in rest {
        let Some(v) = num(cx, f, e)? else {
            return Ok(None);
        };
        let next = match op {
            ArithOp::Add => acc.checked_add(v),
            ArithOp::Sub => acc.checked_sub(v),
            ArithOp::Mul => acc.checked_mul(v),
            ArithOp::Div if v.is_zero() => {
                cx.empty = true;
                return Ok(None);
            }
            ArithOp::Div => acc.checked_div(v),
        };
        acc = next.ok_or(EvalError::Overflow)?;
    }
    Ok(Some(acc))
}

fn logic(cx: &mut Ctx<'_>, f: &Frame<'_>, op: LogicOp, xs: &[Expr]) -> Result<bool, EvalError> {
    let want = matches!(op, LogicOp::Or);
    for x in xs {
        if truth(cx, f, x)? == want {
            return Ok(want);
        }
    }
    Ok(!want)
}

fn is_level(v: &Value, level: LevelId) -> Result<bool, EvalError> {
    match v {
        Value::Answer { level: l, .. } => Ok(*l == Some(level)),
        Value::Level(l) => Ok(*l == level),
        Value::Blank => Ok(false),
        _ => Err(EvalError::Type("only answers and levels have a level")),
    }
}

fn in_texts(cx: &Ctx<'_>, v: &Value, texts: &[String]) -> Result<bool, EvalError> {
    let text = match v {
        Value::Text(t) | Value::Answer { label: t, .. } => t.as_str(),
        Value::Level(l) => match index(&cx.rubric.levels, *l) {
            Some(name) => name.as_str(),
            None => return Err(EvalError::Index("a level index is out of range")),
        },
        Value::Blank => return Ok(false),
        _ => {
            return Err(EvalError::Type(
                "only text, answers and levels can be in a list",
            ))
        }
    };
    Ok(texts.iter().any(|t| t == text))
}

fn in_interval(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    x: &Expr,
    interval: &Interval,
) -> Result<bool, EvalError> {
    Ok(num(cx, f, x)?.is_some_and(|v| interval.contains(v)))
}

/// `grade(x, scale)`: the level of the first row containing the exact value.
fn grade(cx: &mut Ctx<'_>, f: &Frame<'_>, x: &Expr, scale: ScaleId) -> Result<Value, EvalError> {
    let Some(v) = num(cx, f, x)? else {
        return Ok(Value::Blank);
    };
    let scale =
        index(&cx.rubric.scales, scale).ok_or(EvalError::Index("a scale index is out of range"))?;
    let ScaleKind::Numeric(rows) = &scale.kind else {
        return Err(EvalError::Type("grade needs a numeric scale"));
    };
    let row = rows.iter().find(|r| r.interval.contains(v));
    Ok(match row.map(|r| &r.outcome) {
        Some(RowOutcome::Score {
            level: Some(level), ..
        }) => Value::Level(*level),
        _ => Value::Blank,
    })
}
