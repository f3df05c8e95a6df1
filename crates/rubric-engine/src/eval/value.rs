//! How runtime values coerce and compare: an answer is its score in numeric
//! contexts, its label against text and its level against a level; a blank side
//! makes every comparison false; blank is false as a condition.

use super::expr::EvalError;
use crate::model::{CmpOp, Value};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// The number a value stands for: `None` when blank (or an answer without score).
#[inline]
pub(crate) fn as_num(v: &Value) -> Result<Option<Decimal>, EvalError> {
    num_ref(v).map(Option::<&Decimal>::copied)
}

/// [`as_num`] by reference: the number is read where it is, not copied through
/// the stack first (which can stall the read after it).
#[inline]
pub(crate) fn num_ref(v: &Value) -> Result<Option<&Decimal>, EvalError> {
    match v {
        Value::Num(d) => Ok(Some(d)),
        Value::Answer { score, .. } => Ok(score.as_ref()),
        Value::Blank => Ok(None),
        _ => Err(EvalError::Type("a number was expected")),
    }
}

/// A value used as a condition; blank is false.
pub(crate) fn as_truth(v: &Value) -> Result<bool, EvalError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Blank => Ok(false),
        _ => Err(EvalError::Type("a yes/no value was expected")),
    }
}

/// `a op b`; false when either side is blank.
pub(crate) fn compare(a: &Value, op: CmpOp, b: &Value) -> Result<bool, EvalError> {
    Ok(match ordering(a, b)? {
        None => false,
        Some(ord) => holds(op, ord),
    })
}

fn holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// The order of two values; `None` when a side is blank.
fn ordering(a: &Value, b: &Value) -> Result<Option<Ordering>, EvalError> {
    use Value::{Answer, Blank, Bool, Date, Level, Num, Text};
    Ok(match (a, b) {
        (Blank, _) | (_, Blank) => None,
        (Answer { label, .. }, Text(t)) => Some(label.as_str().cmp(t.as_str())),
        (Text(t), Answer { label, .. }) => Some(t.as_str().cmp(label.as_str())),
        (Answer { level, .. }, Level(l)) => level.map(|x| x.cmp(l)),
        (Level(l), Answer { level, .. }) => level.map(|x| l.cmp(&x)),
        (Num(_) | Answer { .. }, Num(_) | Answer { .. }) => match (as_num(a)?, as_num(b)?) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
        (Text(x), Text(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Level(x), Level(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        _ => return Err(EvalError::Type("these two values cannot be compared")),
    })
}

/// Writes `text` into `slot` as [`Value::Text`], reusing its buffer.
#[inline]
pub(crate) fn put_text(slot: &mut Value, text: &str) {
    if let Value::Text(s) = slot {
        s.clear();
        s.push_str(text);
    } else {
        *slot = Value::Text(text.to_owned());
    }
}

/// Writes a number (blank for `None`) into `slot`.
#[inline]
pub(crate) fn put_num(slot: &mut Value, new: Option<Decimal>) {
    *slot = new.map_or(Value::Blank, Value::Num);
}

/// Writes an answer into `slot`, reusing its label buffer.
#[inline]
pub(crate) fn put_answer(
    slot: &mut Value,
    text: &str,
    new_score: Option<Decimal>,
    new_level: Option<u32>,
) {
    if let Value::Answer {
        label,
        score,
        level,
    } = slot
    {
        label.clear();
        label.push_str(text);
        *score = new_score;
        *level = new_level;
    } else {
        *slot = Value::Answer {
            label: text.to_owned(),
            score: new_score,
            level: new_level,
        };
    }
}

/// A key value as text, for group keys and record ids; `None` when blank.
pub(crate) fn key_text<'v>(v: &'v Value, levels: &'v [String]) -> Option<KeyText<'v>> {
    if let Some(text) = key_str(v, levels) {
        return Some(KeyText::Borrowed(text));
    }
    match v {
        Value::Num(d) => Some(KeyText::Owned(d.normalize().to_string())),
        Value::Date(d) => Some(KeyText::Owned(d.format("%Y-%m-%d").to_string())),
        _ => None,
    }
}

/// A key value that is text already (text, an answer's label, a level, yes/no);
/// `None` for blank, numbers and dates.
pub(crate) fn key_str<'v>(v: &'v Value, levels: &'v [String]) -> Option<&'v str> {
    match v {
        Value::Text(s) | Value::Answer { label: s, .. } => Some(s),
        Value::Level(l) => levels.get(usize::try_from(*l).ok()?).map(String::as_str),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }),
        Value::Blank | Value::Num(_) | Value::Date(_) => None,
    }
}

/// Text of a key: usually borrowed from the record.
pub(crate) enum KeyText<'v> {
    /// Borrowed.
    Borrowed(&'v str),
    /// Formatted.
    Owned(String),
}

impl KeyText<'_> {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            KeyText::Borrowed(s) => s,
            KeyText::Owned(s) => s,
        }
    }
}
