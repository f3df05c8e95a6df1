//! Weighted score trees: weights as points, percents, fractions or ratios, leaf
//! maxima, adjustments, floors and caps.

use super::bounds::{Bounds, Ty};
use super::exprs::Scope;
use super::{slot_id, Checker};
use crate::errors;
use crate::model::*;
use rubric_syntax::ast::{self, Span};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// How a block's weights are read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Points,
    Percent,
    Fraction,
    Ratio,
}

impl Mode {
    fn of(name: Option<&ast::Name>) -> Mode {
        match name.map(|n| n.text.as_str()) {
            Some("percent") => Mode::Percent,
            Some("fraction") => Mode::Fraction,
            Some("ratio") => Mode::Ratio,
            _ => Mode::Points,
        }
    }
}

/// What a block of score items produces besides its children.
struct Extras {
    adjustments: Vec<Adjust>,
    floor: Option<Decimal>,
    cap: Option<Decimal>,
}

impl Checker {
    /// Checks a score tree and lowers it; `slot` holds the total.
    pub(crate) fn score(
        &mut self,
        s: &ast::Score,
        slot: SlotId,
        slots: &mut Vec<SlotInfo>,
        scope: &mut Scope,
    ) -> Option<ScoreNode> {
        let mode = Mode::of(s.mode.as_ref());
        let declared = match &s.out_of {
            Some(n) => Some(self.number(n)?),
            None => None,
        };
        let total = match (declared, mode) {
            (Some(t), _) => t,
            (None, Mode::Points) => self.weight_total(&s.items),
            (None, _) => Decimal::ONE_HUNDRED,
        };
        let (children, extras) = self.children(
            &s.items,
            mode,
            total,
            declared.is_some() || mode != Mode::Points,
            &s.name.text,
            s.span,
            slots,
            scope,
        );
        Some(ScoreNode {
            slot,
            name: s.name.text.clone(),
            points: total,
            source: NodeSource::Children(children),
            adjustments: extras.adjustments,
            floor: extras.floor,
            cap: extras.cap,
            span: s.span,
        })
    }

    fn weight_total(&mut self, items: &[ast::ScoreItem]) -> Decimal {
        indicators(items)
            .filter_map(|i| crate::decimal::parse(i.weight.text.trim_end_matches('%')).ok())
            .fold(Decimal::ZERO, |a, w| a.checked_add(w).unwrap_or(a))
    }

    #[allow(clippy::too_many_arguments)]
    fn children(
        &mut self,
        items: &[ast::ScoreItem],
        mode: Mode,
        points: Decimal,
        check_sum: bool,
        path: &str,
        span: Span,
        slots: &mut Vec<SlotInfo>,
        scope: &mut Scope,
    ) -> (Vec<ScoreNode>, Extras) {
        let weights: Vec<(Decimal, &ast::Indicator)> = indicators(items)
            .filter_map(|i| self.weight(&i.weight, mode).map(|w| (w, i)))
            .collect();
        let sum = weights
            .iter()
            .fold(Decimal::ZERO, |a, (w, _)| a.checked_add(*w).unwrap_or(a));
        if check_sum && !weights.is_empty() {
            let (expected, unit) = match mode {
                Mode::Points => (points, " points"),
                Mode::Percent => (Decimal::ONE_HUNDRED, "%"),
                Mode::Fraction => (Decimal::ONE, ""),
                Mode::Ratio => (sum, ""),
            };
            if sum != expected {
                self.diags
                    .push(errors::weight_sum(span, sum, expected, unit));
            }
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut nodes = Vec::new();
        for (w, ind) in weights {
            if let Some(prev) = seen.insert(&ind.name.text, ind.name.span) {
                self.diags.push(errors::duplicate(
                    "indicator",
                    &ind.name.text,
                    prev,
                    ind.name.span,
                ));
                continue;
            }
            let share = match mode {
                Mode::Points => Some(w),
                Mode::Percent => points
                    .checked_mul(w)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)),
                Mode::Fraction => points.checked_mul(w),
                Mode::Ratio => points.checked_mul(w).and_then(|x| x.checked_div(sum)),
            };
            let Some(share) = share else {
                self.diags.push(errors::number_range(ind.weight.span));
                continue;
            };
            if let Some(node) = self.indicator(ind, share, mode == Mode::Points, path, slots, scope)
            {
                nodes.push(node);
            }
        }
        let extras = self.extras(items, scope);
        (nodes, extras)
    }

    /// A weight as written, read in the block's mode.
    fn weight(&mut self, n: &ast::Num, mode: Mode) -> Option<Decimal> {
        let percent = n.text.ends_with('%');
        if percent && mode != Mode::Percent {
            self.diags.push(errors::weight_kind(
                n.span,
                "a percent weight in a block whose weights are not percents".into(),
                "add `by percent` after the parent's name (or weight), or drop the %",
            ));
            return None;
        }
        let w = self.number(&ast::Num {
            text: n.text.trim_end_matches('%').to_string(),
            span: n.span,
        })?;
        if w <= Decimal::ZERO {
            self.diags.push(errors::weight_kind(
                n.span,
                "weights must be above zero".into(),
                "give the indicator a positive weight, or delete it",
            ));
            return None;
        }
        Some(w)
    }

    fn indicator(
        &mut self,
        ind: &ast::Indicator,
        points: Decimal,
        in_points: bool,
        path: &str,
        slots: &mut Vec<SlotInfo>,
        scope: &mut Scope,
    ) -> Option<ScoreNode> {
        let name = format!("{path}.{}", ind.name.text);
        let slot = slot_id(slots.len());
        slots.push(SlotInfo {
            name: name.clone(),
            label: ind.label.as_ref().map(|l| l.value.clone()),
            output: true,
            ty: ValueType::Number,
            span: ind.span,
        });
        let (source, extras) = match &ind.body {
            ast::IndicatorBody::Children { mode, items } => {
                let (children, extras) = self.children(
                    items,
                    Mode::of(mode.as_ref()),
                    points,
                    true,
                    &name,
                    ind.span,
                    slots,
                    scope,
                );
                (NodeSource::Children(children), extras)
            }
            ast::IndicatorBody::Named => {
                let e = ast::Expr {
                    kind: ast::ExprKind::Ref {
                        kind: None,
                        name: ind.name.clone(),
                    },
                    span: ind.name.span,
                };
                (self.leaf(&e, None, &ind.name.text, scope)?, no_extras())
            }
            ast::IndicatorBody::Formula { expr, out_of } => (
                {
                    let leaf = self.leaf(expr, out_of.as_ref(), &ind.name.text, scope)?;
                    self.check_leaf_scale(&leaf, expr, out_of.is_some() || !in_points, points);
                    leaf
                },
                no_extras(),
            ),
        };
        let mut source = source;
        if let NodeSource::Leaf { max, factor, .. } = &mut source {
            *factor = exact_quotient(points, *max);
        }
        Some(ScoreNode {
            slot,
            name,
            points,
            source,
            adjustments: extras.adjustments,
            floor: extras.floor,
            cap: extras.cap,
            span: ind.span,
        })
    }

    fn leaf(
        &mut self,
        e: &ast::Expr,
        out_of: Option<&ast::Num>,
        name: &str,
        scope: &mut Scope,
    ) -> Option<NodeSource> {
        let (expr, ty) = self.expr(e, scope);
        let derived = match ty {
            Ty::Answer(s) => self.scale(s).map(|s| s.max),
            Ty::Num(b) => b.hi,
            Ty::Unknown => return None,
            other => {
                self.diags.push(errors::type_mismatch(
                    e.span,
                    format!("an indicator needs a number, found {}", other.describe()),
                    "score from a numeric field, an answer on a scale, or a formula",
                ));
                return None;
            }
        };
        let max = match out_of {
            Some(n) => self.number(n),
            None => derived,
        };
        match max {
            Some(m) if m > Decimal::ZERO => Some(NodeSource::Leaf {
                expr,
                max: m,
                factor: None,
            }),
            _ => {
                self.diags.push(errors::no_max(e.span, name));
                None
            }
        }
    }

    /// Warns when a points formula (not a plain field) can reach more or less than
    /// its indicator is worth: `a 20 = round(x)` with x up to 21 is scaled by 20/21.
    fn check_leaf_scale(
        &mut self,
        leaf: &NodeSource,
        expr: &ast::Expr,
        declared: bool,
        points: Decimal,
    ) {
        let plain = matches!(expr.kind, ast::ExprKind::Ref { .. });
        if let (NodeSource::Leaf { max, .. }, false, false) = (leaf, declared, plain) {
            if *max != points {
                self.diags.push(errors::leaf_scale(
                    expr.span,
                    max.normalize(),
                    points.normalize(),
                ));
            }
        }
    }

    fn extras(&mut self, items: &[ast::ScoreItem], scope: &mut Scope) -> Extras {
        let mut extras = no_extras();
        let mut floor_at: Option<Span> = None;
        let mut cap_at: Option<Span> = None;
        for item in items {
            match item {
                ast::ScoreItem::Adjustment(a) => {
                    if let Some(adj) = self.adjustment(a, scope) {
                        extras.adjustments.push(adj);
                    }
                }
                ast::ScoreItem::Limit(l) => {
                    let (slot, at) = if l.kind.text == "floor" {
                        (&mut extras.floor, &mut floor_at)
                    } else {
                        (&mut extras.cap, &mut cap_at)
                    };
                    if let Some(prev) = at.replace(l.span) {
                        self.diags.push(errors::duplicate_item(
                            &format!("`{}`", l.kind.text),
                            prev,
                            l.span,
                        ));
                    }
                    *slot = self.number(&l.value);
                }
                ast::ScoreItem::Indicator(_) => {}
            }
        }
        if let (Some(f), Some(c), Some(span)) = (extras.floor, extras.cap, cap_at) {
            if f > c {
                self.diags.push(errors::limits(span));
            }
        }
        extras
    }

    fn adjustment(&mut self, a: &ast::Adjustment, scope: &mut Scope) -> Option<Adjust> {
        let label = |l: &Option<ast::Str>, fallback: String| {
            l.as_ref().map_or(fallback, |s| s.value.clone())
        };
        Some(match a {
            ast::Adjustment::Step {
                kind,
                amount,
                trigger,
                expr,
                label: l,
                span,
            } => {
                let n = self.number(amount)?;
                let signed = if kind.text == "deduct" { -n } else { n };
                let (e, t) = self.expr(expr, scope);
                let text = format!("{} {}", kind.text, amount.text);
                if trigger.text == "per" {
                    self.want_num(t, expr.span);
                    Adjust::Per {
                        amount: signed,
                        count: e,
                        label: label(l, text),
                        span: *span,
                    }
                } else {
                    self.condition(t, expr.span);
                    Adjust::When {
                        amount: signed,
                        cond: e,
                        label: label(l, text),
                        span: *span,
                    }
                }
            }
            ast::Adjustment::By {
                expr,
                label: l,
                span,
            } => {
                let (e, t) = self.expr(expr, scope);
                self.want_num(t, expr.span);
                Adjust::By {
                    amount: e,
                    label: label(l, "adjust".into()),
                    span: *span,
                }
            }
            ast::Adjustment::Forfeit {
                when,
                label: l,
                span,
            } => {
                let (e, t) = self.expr(when, scope);
                self.condition(t, when.span);
                Adjust::Forfeit {
                    cond: e,
                    label: label(l, "forfeit".into()),
                    span: *span,
                }
            }
        })
    }
}

/// `a / b` when the quotient is exact (multiplying back gives `a`).
fn exact_quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    let q = a.checked_div(b)?;
    (q.checked_mul(b) == Some(a)).then_some(q)
}

fn no_extras() -> Extras {
    Extras {
        adjustments: Vec::new(),
        floor: None,
        cap: None,
    }
}

fn indicators(items: &[ast::ScoreItem]) -> impl Iterator<Item = &ast::Indicator> {
    items.iter().filter_map(|i| match i {
        ast::ScoreItem::Indicator(x) => Some(x),
        _ => None,
    })
}

/// The range of a score's total: `[0, points]` unless adjustments, floor or cap say otherwise.
pub(crate) fn score_bounds(node: &ScoreNode) -> Bounds {
    let adjusted = !node.adjustments.is_empty() || has_adjusted_children(node);
    let lo = node
        .floor
        .or(if adjusted { None } else { Some(Decimal::ZERO) });
    let hi = node.cap.or(if adjusted { None } else { Some(node.points) });
    Bounds {
        lo,
        hi,
        whole: false,
    }
}

fn has_adjusted_children(node: &ScoreNode) -> bool {
    match &node.source {
        NodeSource::Leaf { .. } => false,
        NodeSource::Children(c) => c
            .iter()
            .any(|n| !n.adjustments.is_empty() || has_adjusted_children(n)),
    }
}
