//! Weighted score trees: a leaf is `points × value / max`, a parent the sum of its
//! children; then adjustments (a holding `forfeit` makes the node 0 and skips the
//! others), then floor and cap. Every node's value is written to its slot.
//!
//! The same code serves plain evaluation and `explain`: every step is reported to a
//! [`ScoreTrace`], whose methods do nothing for [`NoTrace`] (the scoring path), so
//! that one compiles to exactly the untraced evaluation.

use super::expr::{num, truth, Ctx, EvalError, Frame};
use super::value::as_num;
use crate::model::{Adjust, Expr, NodeSource, ScoreNode, SlotId};
use rust_decimal::Decimal;

/// A node's value, for writing to its slot once the tree is done.
pub(crate) type Write = (SlotId, Option<Decimal>);

/// What an adjustment saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Applied {
    /// `per`: the count (`None`: blank).
    Count(Option<Decimal>),
    /// `when`: whether the condition held.
    Holds(bool),
    /// `adjust`: the amount (`None`: blank).
    Amount(Option<Decimal>),
}

/// Receives every step of a score tree's evaluation. Every method does nothing
/// unless overridden.
pub(crate) trait ScoreTrace {
    /// A leaf: `points × value / max = result`.
    fn leaf(
        &mut self,
        _f: &Frame<'_>,
        _node: &ScoreNode,
        _value: Option<Decimal>,
        _result: Option<Decimal>,
    ) {
    }
    /// A parent: the sum of its children (already reported with [`Self::done`]).
    fn sum(&mut self, _node: &ScoreNode, _result: Option<Decimal>) {}
    /// A `forfeit` tested.
    fn forfeit(&mut self, _f: &Frame<'_>, _node: &ScoreNode, _adjust: &Adjust, _holds: bool) {}
    /// Another adjustment: what it saw, what it added, and the value after it.
    fn adjust(
        &mut self,
        _f: &Frame<'_>,
        _adjust: &Adjust,
        _applied: Applied,
        _delta: Option<Decimal>,
        _value: Decimal,
    ) {
    }
    /// The floor or the cap changed the value.
    fn limit(&mut self, _node: &ScoreNode, _before: Decimal, _after: Decimal) {}
    /// The node's final value.
    fn done(&mut self, _node: &ScoreNode, _value: Option<Decimal>) {}
}

/// Traces nothing: plain evaluation.
pub(crate) struct NoTrace;

impl ScoreTrace for NoTrace {}

/// Evaluates `node` and its subtree; pushes every node's value to `out`
/// (children before parents), reports every step to `t` (pass [`NoTrace`] to
/// trace nothing) and returns the node's value.
pub(crate) fn score_tree_traced<T: ScoreTrace>(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    node: &ScoreNode,
    out: &mut Vec<Write>,
    t: &mut T,
) -> Result<Option<Decimal>, EvalError> {
    let base = match &node.source {
        NodeSource::Leaf { expr, max, factor } => leaf(cx, f, node, expr, *max, *factor, t)?,
        NodeSource::Children(children) => {
            let mut sum = Some(Decimal::ZERO);
            for child in children {
                let v = score_tree_traced(cx, f, child, out, t)?;
                sum = match (sum, v) {
                    (Some(s), Some(v)) => Some(s.checked_add(v).ok_or(EvalError::Overflow)?),
                    _ => None,
                };
            }
            t.sum(node, sum);
            sum
        }
    };
    let adjusted = if node.adjustments.is_empty() {
        base
    } else {
        adjust(cx, f, node, base, t)?
    };
    let value = match (adjusted, node.floor.is_some() || node.cap.is_some()) {
        (Some(v), true) => {
            let limited = limit(v, node.floor, node.cap);
            if limited != v {
                t.limit(node, v, limited);
            }
            Some(limited)
        }
        (v, _) => v,
    };
    t.done(node, value);
    out.push((node.slot, value));
    Ok(value)
}

/// `points × value / max`; a zero max is a division by zero.
fn leaf<T: ScoreTrace>(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    node: &ScoreNode,
    expr: &Expr,
    max: Decimal,
    factor: Option<Decimal>,
    t: &mut T,
) -> Result<Option<Decimal>, EvalError> {
    // The common leaf reads one slot: read it here, not through `num`'s returned
    // `Option<Decimal>`, which goes through the stack and stalls the load after it.
    let value = match expr {
        Expr::Slot(id) => as_num(f.slot(*id)?)?,
        _ => num(cx, f, expr)?,
    };
    let result = match value {
        None => None,
        Some(_) if max.is_zero() => {
            cx.empty = true;
            None
        }
        Some(v) => {
            let scaled = match factor {
                Some(k) => v.checked_mul(k),
                None => node.points.checked_mul(v).and_then(|x| x.checked_div(max)),
            };
            Some(scaled.ok_or(EvalError::Overflow)?)
        }
    };
    t.leaf(f, node, value, result);
    Ok(result)
}

/// Applies the adjustments in order. A blank count or amount adjusts nothing; a
/// blank base stays blank unless a forfeit holds.
fn adjust<T: ScoreTrace>(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    node: &ScoreNode,
    base: Option<Decimal>,
    t: &mut T,
) -> Result<Option<Decimal>, EvalError> {
    for a in &node.adjustments {
        if let Adjust::Forfeit { cond, .. } = a {
            let holds = truth(cx, f, cond)?;
            t.forfeit(f, node, a, holds);
            if holds {
                return Ok(Some(Decimal::ZERO));
            }
        }
    }
    let Some(mut value) = base else {
        return Ok(None);
    };
    for a in &node.adjustments {
        let (applied, delta) = match a {
            Adjust::Per { amount, count, .. } => {
                let n = num(cx, f, count)?;
                let delta = match n {
                    Some(n) => Some(amount.checked_mul(n).ok_or(EvalError::Overflow)?),
                    None => None,
                };
                (Applied::Count(n), delta)
            }
            Adjust::When { amount, cond, .. } => {
                let holds = truth(cx, f, cond)?;
                (Applied::Holds(holds), holds.then_some(*amount))
            }
            Adjust::By { amount, .. } => {
                let n = num(cx, f, amount)?;
                (Applied::Amount(n), n)
            }
            Adjust::Forfeit { .. } => continue,
        };
        if let Some(d) = delta {
            value = value.checked_add(d).ok_or(EvalError::Overflow)?;
        }
        t.adjust(f, a, applied, delta, value);
    }
    Ok(Some(value))
}

fn limit(v: Decimal, floor: Option<Decimal>, cap: Option<Decimal>) -> Decimal {
    let v = floor.map_or(v, |lo| v.max(lo));
    cap.map_or(v, |hi| v.min(hi))
}
