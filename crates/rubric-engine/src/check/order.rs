//! Ordering the values of a block so each is computed after the values it uses, and
//! finding cycles between them.

use rubric_syntax::ast::{self, Span};
use std::collections::HashMap;

/// Aggregates: inside them, names refer to record fields, not to the block's values.
pub(crate) const AGGREGATES: [&str; 6] = ["count", "sum", "mean", "min", "max", "rate"];

/// Whether a call is an aggregate (`min`/`max` only with one argument).
pub(crate) fn is_aggregate(name: &str, args: &[ast::Arg]) -> bool {
    match name {
        "min" | "max" => args.len() == 1,
        _ => AGGREGATES.contains(&name),
    }
}

/// A name an expression refers to, with its record-kind qualifier if written.
pub(crate) type Reference<'a> = (Option<&'a ast::Name>, &'a ast::Name);

/// Unqualified names an expression refers to, outside aggregates.
pub(crate) fn refs<'a>(e: &'a ast::Expr, out: &mut Vec<&'a ast::Name>) {
    let mut all = Vec::new();
    references(e, &mut all);
    out.extend(all.into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n));
}

/// Every name an expression refers to, outside aggregates.
pub(crate) fn references<'a>(e: &'a ast::Expr, out: &mut Vec<Reference<'a>>) {
    use ast::ExprKind as K;
    match &e.kind {
        K::Ref { kind, name } => out.push((kind.as_ref(), name)),
        K::Call { name, args, .. } if is_aggregate(&name.text, args) => {}
        K::Call { name, args, filter } => {
            // The second argument of grade() names a scale, not a value.
            let values = if name.text == "grade" { 1 } else { args.len() };
            for a in args.iter().take(values) {
                match a {
                    ast::Arg::Positional(x) | ast::Arg::Named(_, x) => references(x, out),
                }
            }
            if let Some(f) = filter {
                references(f, out);
            }
        }
        K::If {
            cond,
            then,
            otherwise,
        } => {
            references(cond, out);
            references(then, out);
            references(otherwise, out);
        }
        K::Chain { first, rest } => {
            references(first, out);
            for (_, x) in rest {
                references(x, out);
            }
        }
        K::Compare { lhs, rhs, .. } => {
            references(lhs, out);
            references(rhs, out);
        }
        K::Not(x) | K::Neg(x) | K::Paren(x) | K::Is { expr: x, .. } | K::In { expr: x, .. } => {
            references(x, out)
        }
        K::Number(_) | K::Percent(_) | K::Text(_) | K::Bool(_) | K::Blank => {}
    }
}

/// Names a score tree refers to: its named leaves, formulas and adjustments.
pub(crate) fn score_refs<'a>(items: &'a [ast::ScoreItem], out: &mut Vec<&'a ast::Name>) {
    for item in items {
        match item {
            ast::ScoreItem::Indicator(i) => match &i.body {
                ast::IndicatorBody::Named => out.push(&i.name),
                ast::IndicatorBody::Formula { expr, .. } => refs(expr, out),
                ast::IndicatorBody::Children { items, .. } => score_refs(items, out),
            },
            ast::ScoreItem::Adjustment(a) => match a {
                ast::Adjustment::Step { expr, .. } | ast::Adjustment::By { expr, .. } => {
                    refs(expr, out)
                }
                ast::Adjustment::Forfeit { when, .. } => refs(when, out),
            },
            ast::ScoreItem::Limit(_) => {}
        }
    }
}

/// A statement to order: its name and the names it uses.
pub(crate) struct Node<'a> {
    pub(crate) name: &'a ast::Name,
    pub(crate) uses: Vec<&'a ast::Name>,
}

/// Indices of `nodes` in an order where each comes after the nodes it uses, or the
/// first cycle found: (a node on the cycle, the reference that closes it).
/// Kahn's algorithm: linear in nodes and references, stable in source order.
pub(crate) fn order(nodes: &[Node<'_>]) -> Result<Vec<usize>, (usize, Span)> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.text.as_str(), i))
        .collect();
    let deps: Vec<Vec<(usize, Span)>> = nodes
        .iter()
        .map(|n| {
            n.uses
                .iter()
                .filter_map(|u| index.get(u.text.as_str()).map(|&i| (i, u.span)))
                .collect()
        })
        .collect();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, d) in deps.iter().enumerate() {
        for (j, _) in d {
            if let Some(u) = users.get_mut(*j) {
                u.push(i);
            }
        }
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..nodes.len())
        .filter(|&i| waiting.get(i) == Some(&0))
        .collect();
    let mut out = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        out.push(i);
        for &u in users.get(i).map_or(&[][..], Vec::as_slice) {
            if let Some(w) = waiting.get_mut(u) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.insert(u);
                }
            }
        }
    }
    if out.len() == nodes.len() {
        return Ok(out);
    }
    let stuck = (0..nodes.len()).find(|i| waiting.get(*i).is_some_and(|w| *w > 0));
    let i = stuck.unwrap_or_default();
    let back = deps
        .get(i)
        .and_then(|d| {
            d.iter()
                .find(|(j, _)| waiting.get(*j).is_some_and(|w| *w > 0))
        })
        .map_or(Span::default(), |(_, s)| *s);
    Err((i, back))
}
