//! Weighted score trees: a leaf is `points × value / max`, a parent the sum of its
//! children; then adjustments (a holding `forfeit` makes the node 0 and skips the
//! others), then floor and cap. Every node's value is written to its slot.

use super::expr::{num, truth, Ctx, EvalError, Frame};
use crate::model::{Adjust, NodeSource, ScoreNode, SlotId};
use rust_decimal::Decimal;

/// A node's value, for writing to its slot once the tree is done.
pub(crate) type Write = (SlotId, Option<Decimal>);

/// Evaluates `node` and its subtree; pushes every node's value to `out`
/// (children before parents) and returns the node's value.
pub(crate) fn score_tree(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    node: &ScoreNode,
    out: &mut Vec<Write>,
) -> Result<Option<Decimal>, EvalError> {
    let base = match &node.source {
        NodeSource::Leaf { expr, max } => leaf(cx, f, node.points, expr, *max)?,
        NodeSource::Children(children) => {
            let mut sum = Some(Decimal::ZERO);
            for child in children {
                let v = score_tree(cx, f, child, out)?;
                sum = match (sum, v) {
                    (Some(s), Some(v)) => Some(s.checked_add(v).ok_or(EvalError::Overflow)?),
                    _ => None,
                };
            }
            sum
        }
    };
    let value = adjust(cx, f, &node.adjustments, base)?.map(|v| limit(v, node.floor, node.cap));
    out.push((node.slot, value));
    Ok(value)
}

/// `points × value / max`; a zero max is a division by zero.
fn leaf(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    points: Decimal,
    expr: &crate::model::Expr,
    max: Decimal,
) -> Result<Option<Decimal>, EvalError> {
    let Some(v) = num(cx, f, expr)? else {
        return Ok(None);
    };
    if max.is_zero() {
        cx.empty = true;
        return Ok(None);
    }
    let scaled = points.checked_mul(v).and_then(|x| x.checked_div(max));
    scaled.map(Some).ok_or(EvalError::Overflow)
}

/// Applies the adjustments in order. A blank count or amount adjusts nothing; a
/// blank base stays blank unless a forfeit holds.
fn adjust(
    cx: &mut Ctx<'_>,
    f: &Frame<'_>,
    adjustments: &[Adjust],
    base: Option<Decimal>,
) -> Result<Option<Decimal>, EvalError> {
    for a in adjustments {
        if let Adjust::Forfeit { cond, .. } = a {
            if truth(cx, f, cond)? {
                return Ok(Some(Decimal::ZERO));
            }
        }
    }
    let Some(mut value) = base else {
        return Ok(None);
    };
    for a in adjustments {
        let delta = match a {
            Adjust::Per { amount, count, .. } => match num(cx, f, count)? {
                Some(n) => Some(amount.checked_mul(n).ok_or(EvalError::Overflow)?),
                None => None,
            },
            Adjust::When { amount, cond, .. } => truth(cx, f, cond)?.then_some(*amount),
            Adjust::By { amount, .. } => num(cx, f, amount)?,
            Adjust::Forfeit { .. } => None,
        };
        if let Some(d) = delta {
            value = value.checked_add(d).ok_or(EvalError::Overflow)?;
        }
    }
    Ok(Some(value))
}

fn limit(v: Decimal, floor: Option<Decimal>, cap: Option<Decimal>) -> Decimal {
    let v = floor.map_or(v, |lo| v.max(lo));
    cap.map_or(v, |hi| v.min(hi))
}
