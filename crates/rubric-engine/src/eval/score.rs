//! Weighted score trees: a leaf is `points × value / max`, a parent the sum of its
//! children; then adjustments (a holding `forfeit` makes the node 0 and skips the
//! others), then floor and cap. Every node's value is written to its slot.
//!
//! The same code serves plain evaluation and `explain`: every step is reported to a
//! [`ScoreTrace`], whose methods do nothing for [`NoTrace`] (the scoring path), so
//! that one compiles to exactly the untraced evaluation.

use super::expr::{index, num, truth, Ctx, EvalError, Frame};
use super::record::slot_mut;
use super::value::{as_num, num_ref, put_num};
use crate::decimal::Fixed;
use crate::model::{Adjust, Expr, NodeSource, ScoreNode, SlotId, Value};
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

/// A score tree that is one sum of plain leaves — each `value × factor` of one field,
/// no adjustments, floor or cap anywhere — worked out once per kind and evaluated in
/// one loop: the same operations in the same order as [`score_tree_traced`], without
/// the recursion and the per-node bookkeeping that cost more than the arithmetic on
/// such trees (the common shape: weighted questions), and in integers when the
/// values allow ([`Fixed`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FlatSum {
    root: SlotId,
    leaves: Vec<FlatLeaf>,
}

/// A leaf of a [`FlatSum`]: its slot, the field slot it reads, and its factor (also
/// as a [`Fixed`], when it is one).
#[derive(Clone, Copy, Debug, PartialEq)]
struct FlatLeaf {
    slot: SlotId,
    read: SlotId,
    factor: Decimal,
    fixed: Option<Fixed>,
}

impl FlatSum {
    /// The flat form of `node` when it has that shape; `fields` is how many of the
    /// kind's slots are fields (a leaf must read one, and every node write another,
    /// so that no write of the tree is read by the tree).
    pub(crate) fn of(node: &ScoreNode, fields: usize) -> Option<Self> {
        let plain =
            |n: &ScoreNode| n.adjustments.is_empty() && n.floor.is_none() && n.cap.is_none();
        let field = |slot: SlotId| usize::try_from(slot).is_ok_and(|s| s < fields);
        let NodeSource::Children(children) = &node.source else {
            return None;
        };
        if !plain(node) || field(node.slot) {
            return None;
        }
        let leaves = children
            .iter()
            .map(|child| match &child.source {
                NodeSource::Leaf {
                    expr: Expr::Slot(read),
                    max,
                    factor: Some(factor),
                } if plain(child) && !max.is_zero() && field(*read) && !field(child.slot) => {
                    Some(FlatLeaf {
                        slot: child.slot,
                        read: *read,
                        factor: *factor,
                        fixed: Fixed::of(*factor),
                    })
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(FlatSum {
            root: node.slot,
            leaves,
        })
    }

    /// Writes every node's value to its slot in `slots` (the leaves read field
    /// slots only, so no write is read back). On an error, some slots may already
    /// hold their new value: the record is rejected and its slots are not read.
    pub(crate) fn eval(&self, slots: &mut [Value]) -> Result<(), EvalError> {
        match self.eval_fixed(slots) {
            Some(()) => Ok(()),
            None => self.eval_decimal(slots),
        }
    }

    /// [`Self::eval`] in integers, for the common case (non-negative numbers of up
    /// to 64 bits): the very values `Decimal` gives. `None` when a value is not such
    /// a number or a result may not be exact; the `Decimal` evaluation then
    /// rewrites every slot.
    fn eval_fixed(&self, slots: &mut [Value]) -> Option<()> {
        let mut sum = Some(Fixed::ZERO);
        for leaf in &self.leaves {
            let value = match num_ref(index(slots, leaf.read)?).ok()? {
                Some(v) => Some(Fixed::of(*v)?.mul(leaf.fixed?)?),
                None => None,
            };
            sum = match (sum, value) {
                (Some(s), Some(v)) => Some(s.add(v)?),
                _ => None,
            };
            put_num(
                slot_mut(slots, leaf.slot).ok()?,
                value.map(Fixed::to_decimal),
            );
        }
        put_num(slot_mut(slots, self.root).ok()?, sum.map(Fixed::to_decimal));
        Some(())
    }

    /// [`Self::eval`] in `Decimal`: the same operations in the same order as the tree.
    fn eval_decimal(&self, slots: &mut [Value]) -> Result<(), EvalError> {
        let mut sum = Some(Decimal::ZERO);
        for leaf in &self.leaves {
            let value = match as_num(Frame::record(slots).slot(leaf.read)?)? {
                Some(v) => Some(v.checked_mul(leaf.factor).ok_or(EvalError::Overflow)?),
                None => None,
            };
            sum = match (sum, value) {
                (Some(s), Some(v)) => Some(s.checked_add(v).ok_or(EvalError::Overflow)?),
                _ => None,
            };
            put_num(slot_mut(slots, leaf.slot)?, value);
        }
        put_num(slot_mut(slots, self.root)?, sum);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::expr::Ctx;
    use crate::eval::record::apply;
    use crate::eval::tests::build::rubric;
    use proptest::prelude::*;

    fn leaf(slot: SlotId, read: SlotId, points: Decimal, max: Decimal) -> ScoreNode {
        ScoreNode {
            slot,
            name: format!("q{read}"),
            points,
            source: NodeSource::Leaf {
                expr: Expr::Slot(read),
                max,
                factor: points.checked_div(max),
            },
            adjustments: Vec::new(),
            floor: None,
            cap: None,
            span: rubric_syntax::ast::Span::default(),
        }
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Blank),
            (any::<i64>(), 0u32..6).prop_map(|(m, s)| Value::Num(Decimal::new(m, s))),
            (0i64..=100, 0u32..3).prop_map(|(m, s)| Value::Num(Decimal::new(m, s))),
            Just(Value::Num(Decimal::MAX)),
        ]
    }

    proptest! {
        /// The loop gives what the tree gives: the same values, blanks, overflows,
        /// in the same order.
        #[test]
        fn a_flat_sum_evaluates_like_the_tree(
            answers in prop::collection::vec(value(), 1..6),
            points in prop::collection::vec((1i64..1000, 0u32..3), 1..6),
        ) {
            let n = answers.len().min(points.len());
            let fields = u32::try_from(n).unwrap_or(0);
            let children: Vec<ScoreNode> = (0..fields)
                .zip(&points)
                .map(|(i, &(p, s))| leaf(fields + 1 + i, i, Decimal::new(p, s), Decimal::ONE_HUNDRED))
                .collect();
            let root = ScoreNode {
                slot: fields,
                name: "total".into(),
                points: Decimal::ONE_HUNDRED,
                source: NodeSource::Children(children),
                adjustments: Vec::new(),
                floor: None,
                cap: None,
                span: rubric_syntax::ast::Span::default(),
            };
            let flat = FlatSum::of(&root, n);
            prop_assert!(flat.is_some());
            let mut slots: Vec<Value> = answers.into_iter().take(n).collect();
            slots.resize(2 * n + 1, Value::Blank);
            let r = rubric(&[], Vec::new(), Vec::new(), Vec::new());
            let mut cx = Ctx { rubric: &r, empty: false };
            let mut writes = Vec::new();
            let mut by_tree = slots.clone();
            let tree = score_tree_traced(&mut cx, &Frame::record(&slots), &root, &mut writes, &mut NoTrace)
                .map(|_| ());
            apply(&mut by_tree, &mut writes).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let mut by_loop = slots;
            let looped = flat.map(|flat| flat.eval(&mut by_loop));
            prop_assert_eq!(Some(tree), looped);
            if tree.is_ok() {
                prop_assert_eq!(by_tree, by_loop);
            }
        }
    }
}
