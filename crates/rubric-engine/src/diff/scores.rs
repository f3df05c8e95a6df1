//! Computed values of a record kind or a group (formulas, score trees, ranks and
//! quotas) and score trees node by node: indicators added, removed or renamed,
//! weights (as written and in effective points), formulas, adjustments, floors and
//! caps.

use super::matching::{pair_up, Item, Pair};
use super::print::{arrow, View};
use super::{Action, Change, ChangeKind, Differ};
use crate::model::*;
use crate::print::{number, quote, Scope};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One block's computed values, for comparing.
pub(crate) struct Block<'a> {
    /// `record 回访` or `group 单位`, in the new side's names.
    pub(crate) path: String,
    /// The same in the old side's names (for removed items).
    pub(crate) old_path: String,
    pub(crate) so: Scope,
    pub(crate) sn: Scope,
    pub(crate) o_slots: &'a [SlotInfo],
    pub(crate) n_slots: &'a [SlotInfo],
    pub(crate) o: &'a [Computed],
    pub(crate) n: &'a [Computed],
}

impl Differ<'_> {
    /// Compares the computed values of a block, matched by name.
    pub(crate) fn computed(&mut self, b: &Block<'_>) {
        let name = |slots: &[SlotInfo], c: &Computed| {
            slots
                .get(c.slot as usize)
                .map_or_else(|| "?".to_string(), |s| s.name.clone())
        };
        let old: Vec<Item> =
            b.o.iter()
                .map(|c| Item {
                    name: name(b.o_slots, c),
                    body: computed_body(&self.ov(), c, b.so),
                })
                .collect();
        let new: Vec<Item> =
            b.n.iter()
                .map(|c| Item {
                    name: name(b.n_slots, c),
                    body: computed_body(&self.nk(), c, b.sn),
                })
                .collect();
        let pairs = pair_up(&old, &new);
        for p in &pairs {
            if let Pair::Renamed(i, j) = *p {
                if let (Some(o), Some(n)) = (old.get(i), new.get(j)) {
                    self.slot_aliases(b.sn)
                        .insert(n.name.clone(), o.name.clone());
                }
            }
        }
        for p in pairs {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(o), Some(n)) = (b.o.get(i), b.n.get(j)) else {
                        continue;
                    };
                    let (oname, nname) = (name(b.o_slots, o), name(b.n_slots, n));
                    let os = b.o_slots.get(o.slot as usize);
                    let ns = b.n_slots.get(n.slot as usize);
                    let (ospan, nspan) = (os.map(|s| s.span), ns.map(|s| s.span));
                    let kind = def_kind(&n.def);
                    if matches!(p, Pair::Renamed(..)) {
                        self.push(
                            Change::new(
                                kind,
                                Action::Renamed,
                                format!("{} › {nname}", b.path),
                                format!("renamed {}", arrow(&oname, &nname)),
                            )
                            .was(Some(oname.clone()), ospan)
                            .now(Some(nname.clone()), nspan),
                        );
                    }
                    let (ol, nl) = (
                        os.and_then(|s| s.label.clone()),
                        ns.and_then(|s| s.label.clone()),
                    );
                    if ol != nl {
                        let (x, y) = (described(ol.as_deref()), described(nl.as_deref()));
                        self.push(
                            Change::new(
                                kind,
                                Action::Changed,
                                format!("{} › {nname}", b.path),
                                format!("description {}", arrow(&x, &y)),
                            )
                            .was(Some(x), ospan)
                            .now(Some(y), nspan),
                        );
                    }
                    self.computed_pair(b, &nname, o, n, (ospan, nspan));
                }
                Pair::Removed(i) => {
                    let (Some(c), Some(it)) = (b.o.get(i), old.get(i)) else {
                        continue;
                    };
                    let span = b.o_slots.get(c.slot as usize).map(|s| s.span);
                    let text = format!("{} = {}", it.name, it.body);
                    self.push(
                        Change::new(
                            def_kind(&c.def),
                            Action::Removed,
                            format!("{} › {}", b.old_path, it.name),
                            format!("{} removed", def_word(&c.def)),
                        )
                        .was(Some(text), span),
                    );
                }
                Pair::Added(j) => {
                    let Some(c) = b.n.get(j) else { continue };
                    let span = b.n_slots.get(c.slot as usize).map(|s| s.span);
                    let text = format!(
                        "{} = {}",
                        name(b.n_slots, c),
                        computed_body(&self.nv(), c, b.sn)
                    );
                    self.push(
                        Change::new(
                            def_kind(&c.def),
                            Action::Added,
                            format!("{} › {}", b.path, name(b.n_slots, c)),
                            format!("{} added", def_word(&c.def)),
                        )
                        .now(Some(text), span),
                    );
                }
            }
        }
    }

    fn slot_aliases(&mut self, sn: Scope) -> &mut HashMap<String, String> {
        let (map, name) = match sn {
            Scope::Kind(k) => (
                &mut self.aliases.kind_slots,
                self.new.kinds.get(k as usize).map(|x| x.name.clone()),
            ),
            Scope::Group(g) => (
                &mut self.aliases.group_slots,
                self.new.groups.get(g as usize).map(|x| x.name.clone()),
            ),
        };
        map.entry(name.unwrap_or_default()).or_default()
    }

    fn computed_pair(
        &mut self,
        b: &Block<'_>,
        name: &str,
        o: &Computed,
        n: &Computed,
        (ospan, nspan): (
            Option<rubric_syntax::ast::Span>,
            Option<rubric_syntax::ast::Span>,
        ),
    ) {
        let path = format!("{} › {name}", b.path);
        match (&o.def, &n.def) {
            (ComputedDef::Score(x), ComputedDef::Score(y)) => {
                self.node(
                    &format!("{} › score {name}", b.path),
                    x,
                    y,
                    (b.so, b.sn),
                    true,
                    false,
                );
            }
            (ComputedDef::Expr(x), ComputedDef::Expr(y)) if self.same_expr(x, b.so, y, b.sn) => {}
            _ => {
                let x = computed_body(&self.ov(), o, b.so);
                let y = computed_body(&self.nk(), n, b.sn);
                if x == y {
                    return;
                }
                let shown = computed_body(&self.nv(), n, b.sn);
                let kind = match (&o.def, &n.def) {
                    (ComputedDef::Rank { .. }, ComputedDef::Rank { .. }) => ChangeKind::Rank,
                    (ComputedDef::Quota { .. }, ComputedDef::Quota { .. }) => ChangeKind::Quota,
                    _ => ChangeKind::Formula,
                };
                self.push(
                    Change::new(kind, Action::Changed, path, arrow(&x, &shown))
                        .was(Some(x), ospan)
                        .now(Some(shown), nspan),
                );
            }
        }
    }

    /// Compares two nodes of a score tree (and their subtrees). `parent_moved` says
    /// whether the parent's points changed, which moves the points of children whose
    /// weights are shares.
    fn node(
        &mut self,
        path: &str,
        o: &ScoreNode,
        n: &ScoreNode,
        (so, sn): (Scope, Scope),
        root: bool,
        parent_moved: bool,
    ) {
        self.weight(path, o, n, root, parent_moved);
        match (&o.source, &n.source) {
            (
                NodeSource::Leaf {
                    expr: a, max: ma, ..
                },
                NodeSource::Leaf {
                    expr: b, max: mb, ..
                },
            ) => {
                if !self.same_expr(a, so, b, sn) {
                    let x = self.ov().expr(a, so);
                    let shown = self.nv().expr(b, sn);
                    self.push(
                        Change::new(
                            ChangeKind::Formula,
                            Action::Changed,
                            path,
                            arrow(&x, &shown),
                        )
                        .was(Some(x), Some(o.span))
                        .now(Some(shown), Some(n.span)),
                    );
                }
                if ma != mb {
                    let (x, y) = (number(*ma), number(*mb));
                    self.push(
                        Change::new(
                            ChangeKind::Indicator,
                            Action::Changed,
                            path,
                            format!("value scored out of {}", arrow(&x, &y)),
                        )
                        .was(Some(x), Some(o.span))
                        .now(Some(y), Some(n.span)),
                    );
                }
            }
            (NodeSource::Children(a), NodeSource::Children(b)) => {
                self.children(path, a, b, (so, sn), o.points != n.points);
            }
            _ => {
                let x = node_body(&self.ov(), o, so);
                let y = node_body(&self.nv(), n, sn);
                let what = match &n.source {
                    NodeSource::Leaf { .. } => "sub-indicators → a formula",
                    NodeSource::Children(_) => "a formula → sub-indicators",
                };
                self.push(
                    Change::new(ChangeKind::Indicator, Action::Changed, path, what)
                        .was(Some(x), Some(o.span))
                        .now(Some(y), Some(n.span)),
                );
            }
        }
        self.adjustments(path, o, n, (so, sn));
        for (kind, word, a, b) in [
            (ChangeKind::Floor, "floor", o.floor, n.floor),
            (ChangeKind::Cap, "cap", o.cap, n.cap),
        ] {
            let (action, what) = match (a, b) {
                (Some(x), Some(y)) if x != y => (
                    Action::Changed,
                    format!("{word} {}", arrow(&number(x), &number(y))),
                ),
                (None, Some(y)) => (Action::Added, format!("{word} {} added", number(y))),
                (Some(x), None) => (Action::Removed, format!("{word} {} removed", number(x))),
                _ => continue,
            };
            let text = |v: Option<Decimal>| v.map(|v| format!("{word} {}", number(v)));
            let os = self.of.limit(o.span, word).unwrap_or(o.span);
            let ns = self.nf.limit(n.span, word).unwrap_or(n.span);
            self.push(
                Change::new(kind, action, format!("{path} › {word}"), what)
                    .was(text(a), Some(os))
                    .now(text(b), Some(ns)),
            );
        }
    }

    fn weight(&mut self, path: &str, o: &ScoreNode, n: &ScoreNode, root: bool, parent_moved: bool) {
        let (po, pn) = (number(o.points), number(n.points));
        if root {
            if o.points != n.points {
                self.push(
                    Change::new(
                        ChangeKind::Weight,
                        Action::Changed,
                        path,
                        format!("total {} points", arrow(&po, &pn)),
                    )
                    .was(Some(po), Some(o.span))
                    .now(Some(pn), Some(n.span)),
                );
            }
            return;
        }
        let (wo, wn) = (self.of.weight(o.span), self.nf.weight(n.span));
        let written_changed = match (wo, wn) {
            (Some(a), Some(b)) => !same_weight(a, b),
            _ => false,
        };
        let points_changed = o.points != n.points;
        let what = match (written_changed, points_changed, wo, wn) {
            (true, true, Some(a), Some(b)) => {
                format!("weight {} ({} points)", arrow(a, b), arrow(&po, &pn))
            }
            (true, false, Some(a), Some(b)) => {
                format!("weight {} (still {po} points)", arrow(a, b))
            }
            (false, true, Some(a), _) if !parent_moved => {
                format!(
                    "{} points (weight {a} unchanged: the weights beside it changed)",
                    arrow(&po, &pn)
                )
            }
            (false, true, None, _) | (false, true, _, None) if !parent_moved => {
                format!("{} points", arrow(&po, &pn))
            }
            _ => return,
        };
        let text = |w: Option<&str>, p: &str| match w {
            Some(w) if w != p => format!("{w} ({p} points)"),
            _ => format!("{p} points"),
        };
        self.push(
            Change::new(ChangeKind::Weight, Action::Changed, path, what)
                .was(Some(text(wo, &po)), Some(o.span))
                .now(Some(text(wn, &pn)), Some(n.span)),
        );
    }

    fn children(
        &mut self,
        path: &str,
        a: &[ScoreNode],
        b: &[ScoreNode],
        (so, sn): (Scope, Scope),
        moved: bool,
    ) {
        let old: Vec<Item> = a
            .iter()
            .map(|c| Item {
                name: local(c).to_string(),
                body: node_body(&self.ov(), c, so),
            })
            .collect();
        let new: Vec<Item> = b
            .iter()
            .map(|c| Item {
                name: local(c).to_string(),
                body: node_body(&self.nk(), c, sn),
            })
            .collect();
        for p in pair_up(&old, &new) {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(x), Some(y)) = (a.get(i), b.get(j)) else {
                        continue;
                    };
                    let sub = format!("{path} › {}", local(y));
                    if matches!(p, Pair::Renamed(..)) {
                        self.push(
                            Change::new(
                                ChangeKind::Indicator,
                                Action::Renamed,
                                sub.clone(),
                                format!("renamed {}", arrow(local(x), local(y))),
                            )
                            .was(Some(local(x).to_string()), Some(x.span))
                            .now(Some(local(y).to_string()), Some(y.span)),
                        );
                    }
                    self.node(&sub, x, y, (so, sn), false, moved);
                }
                Pair::Removed(i) => {
                    let Some(x) = a.get(i) else { continue };
                    let text = format!("{} {}", local(x), node_body(&self.ov(), x, so));
                    self.push(
                        Change::new(
                            ChangeKind::Indicator,
                            Action::Removed,
                            format!("{path} › {}", local(x)),
                            "indicator removed",
                        )
                        .was(Some(text), Some(x.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(y) = b.get(j) else { continue };
                    let text = format!("{} {}", local(y), node_body(&self.nv(), y, sn));
                    self.push(
                        Change::new(
                            ChangeKind::Indicator,
                            Action::Added,
                            format!("{path} › {}", local(y)),
                            "indicator added",
                        )
                        .now(Some(text), Some(y.span)),
                    );
                }
            }
        }
    }

    fn adjustments(&mut self, path: &str, o: &ScoreNode, n: &ScoreNode, (so, sn): (Scope, Scope)) {
        let (ov, nk, nv) = (self.ov(), self.nk(), self.nv());
        let old: Vec<Adj<'_>> = o
            .adjustments
            .iter()
            .map(|a| Adj::of(&ov, &ov, a, so))
            .collect();
        let new: Vec<Adj<'_>> = n
            .adjustments
            .iter()
            .map(|a| Adj::of(&nk, &nv, a, sn))
            .collect();
        let pairs = match_adjustments(&old, &new);
        let mut found = Vec::new();
        // `… › deduct`, or with several deductions `… › deduct "label"` (or
        // `… › deduct per 有效投诉` for one without a description).
        let name = |side: &[Adj<'_>], x: &Adj<'_>| {
            if side.iter().filter(|y| y.verb == x.verb).count() < 2 {
                format!("{path} › {}", x.verb)
            } else if x.explicit {
                format!("{path} › {} {}", x.verb, quote(x.label))
            } else {
                format!("{path} › {} {}", x.verb, x.trigger_shown)
            }
        };
        let mut used = vec![false; new.len()];
        for (i, x) in old.iter().enumerate() {
            let Some(y) = pairs.get(i).copied().flatten().and_then(|j| {
                if let Some(u) = used.get_mut(j) {
                    *u = true;
                }
                new.get(j)
            }) else {
                found.push(
                    Change::new(
                        x.kind(),
                        Action::Removed,
                        name(&old, x),
                        format!("{} removed", x.text()),
                    )
                    .was(Some(x.text()), Some(x.span)),
                );
                continue;
            };
            let at = name(&new, y);
            if !x.same(y) {
                let what = match (
                    x.amount,
                    y.amount,
                    x.trigger_key == y.trigger_key || x.trigger_inline == y.trigger_inline,
                ) {
                    (Some(a), Some(b), true) if a != b && x.verb == y.verb => {
                        format!(
                            "{} {} {}",
                            y.verb,
                            arrow(&number(a.abs()), &number(b.abs())),
                            y.trigger_shown
                        )
                    }
                    _ => arrow(&x.text(), &y.text()),
                };
                found.push(
                    Change::new(y.kind(), Action::Changed, at.clone(), what)
                        .was(Some(x.text()), Some(x.span))
                        .now(Some(y.text()), Some(y.span)),
                );
            }
            if (x.explicit || y.explicit) && x.label != y.label {
                let (a, b) = (quote(x.label), quote(y.label));
                found.push(
                    Change::new(
                        y.kind(),
                        Action::Changed,
                        at,
                        format!("description {}", arrow(&a, &b)),
                    )
                    .was(Some(a), Some(x.span))
                    .now(Some(b), Some(y.span)),
                );
            }
        }
        for (j, y) in new.iter().enumerate() {
            if used.get(j).copied().unwrap_or(true) {
                continue;
            }
            found.push(
                Change::new(
                    y.kind(),
                    Action::Added,
                    name(&new, y),
                    format!("{} added", y.text()),
                )
                .now(Some(y.text()), Some(y.span)),
            );
        }
        self.out.extend(found);
    }
}

/// An adjustment in comparable form.
struct Adj<'a> {
    /// `deduct`, `bonus`, `adjust`, `forfeit`.
    verb: &'static str,
    /// 0 per, 1 when, 2 adjust, 3 forfeit.
    variant: u8,
    amount: Option<Decimal>,
    /// `per …` / `when …` / the amount, in the old side's names.
    trigger_key: String,
    /// The same with computed values replaced by their formulas.
    trigger_inline: String,
    /// The same in the side's own names.
    trigger_shown: String,
    label: &'a str,
    explicit: bool,
    span: rubric_syntax::ast::Span,
}

impl<'a> Adj<'a> {
    fn of(key: &View<'_>, shown: &View<'_>, a: &'a Adjust, sc: Scope) -> Adj<'a> {
        let verb_of = |amount: Decimal| {
            if amount.is_sign_negative() {
                "deduct"
            } else {
                "bonus"
            }
        };
        let inl = key.inlined();
        let (verb, variant, amount, prefix, e, label, span) = match a {
            Adjust::Per {
                amount,
                count,
                label,
                span,
            } => (
                verb_of(*amount),
                0,
                Some(*amount),
                "per ",
                count,
                label,
                *span,
            ),
            Adjust::When {
                amount,
                cond,
                label,
                span,
            } => (
                verb_of(*amount),
                1,
                Some(*amount),
                "when ",
                cond,
                label,
                *span,
            ),
            Adjust::By {
                amount,
                label,
                span,
            } => ("adjust", 2, None, "", amount, label, *span),
            Adjust::Forfeit { cond, label, span } => {
                ("forfeit", 3, None, "when ", cond, label, *span)
            }
        };
        let (k, i, s) = (
            format!("{prefix}{}", key.expr(e, sc)),
            format!("{prefix}{}", inl.expr(e, sc)),
            format!("{prefix}{}", shown.expr(e, sc)),
        );
        let explicit = match amount {
            Some(x) => !default_step_label(label, verb, x),
            None => label != verb,
        };
        Adj {
            verb,
            variant,
            amount,
            trigger_key: k,
            trigger_inline: i,
            trigger_shown: s,
            label,
            explicit,
            span,
        }
    }

    fn kind(&self) -> ChangeKind {
        match self.verb {
            "deduct" => ChangeKind::Deduction,
            "bonus" => ChangeKind::Bonus,
            "adjust" => ChangeKind::Adjustment,
            _ => ChangeKind::Forfeit,
        }
    }

    /// In the side's own names: `deduct 6 per 有效投诉`.
    fn text(&self) -> String {
        match self.amount {
            Some(a) => format!("{} {} {}", self.verb, number(a.abs()), self.trigger_shown),
            None => format!("{} {}", self.verb, self.trigger_shown),
        }
    }

    /// Whether two adjustments mean the same.
    fn same(&self, other: &Adj<'_>) -> bool {
        self.verb == other.verb
            && self.amount == other.amount
            && (self.trigger_key == other.trigger_key
                || self.trigger_inline == other.trigger_inline)
    }
}

/// Whether `label` is the one the checker writes when none is given: `deduct 6`.
fn default_step_label(label: &str, verb: &str, amount: Decimal) -> bool {
    label
        .strip_prefix(verb)
        .and_then(|rest| rest.strip_prefix(' '))
        .and_then(|n| crate::decimal::parse(n).ok())
        .is_some_and(|n| n == amount.abs())
}

/// For each old adjustment, the new one it continues: the same kind with the same
/// trigger, else the same description, else the remaining ones of that kind in order.
fn match_adjustments(o: &[Adj<'_>], n: &[Adj<'_>]) -> Vec<Option<usize>> {
    let mut taken = vec![false; n.len()];
    let mut out: Vec<Option<usize>> = vec![None; o.len()];
    for pass in 0..3 {
        for (i, x) in o.iter().enumerate() {
            if out.get(i).copied().flatten().is_some() {
                continue;
            }
            let fits = |j: usize, y: &Adj<'_>| {
                !taken.get(j).copied().unwrap_or(true)
                    && x.variant == y.variant
                    && match pass {
                        0 => x.trigger_key == y.trigger_key || x.trigger_inline == y.trigger_inline,
                        1 => x.explicit && y.explicit && x.label == y.label,
                        _ => true,
                    }
            };
            if let Some(j) = n.iter().enumerate().position(|(j, y)| fits(j, y)) {
                if let (Some(t), Some(slot)) = (taken.get_mut(j), out.get_mut(i)) {
                    *t = true;
                    *slot = Some(j);
                }
            }
        }
    }
    out
}

/// Whether two weights as written are the same number (`25` and `25.0`).
fn same_weight(a: &str, b: &str) -> bool {
    let read = |w: &str| {
        (
            w.ends_with('%'),
            crate::decimal::parse(w.trim_end_matches('%')).ok(),
        )
    };
    read(a) == read(b)
}

/// A node's own name (`q1` of `CS.q1`).
fn local(n: &ScoreNode) -> &str {
    n.name.rsplit('.').next().unwrap_or(&n.name)
}

/// A computed value's definition in plain words, without its name.
pub(crate) fn computed_body(v: &View<'_>, c: &Computed, sc: Scope) -> String {
    let slot = |s: SlotId| v.slot(sc, s);
    match &c.def {
        ComputedDef::Expr(e) => v.expr(e, sc),
        ComputedDef::Score(node) => format!("score {}", node_body(v, node, sc)),
        ComputedDef::Rank { of, descending } => {
            if *descending {
                format!("rank({})", slot(*of))
            } else {
                format!("rank({}, asc)", slot(*of))
            }
        }
        ComputedDef::Quota { of, tiers } => {
            let parts: Vec<String> = tiers
                .iter()
                .map(|(l, share)| {
                    let pct = share
                        .checked_mul(Decimal::ONE_HUNDRED)
                        .map_or_else(|| number(*share), |p| number(p.round_dp(4)));
                    format!("{}: {pct}%", v.level(*l))
                })
                .collect();
            format!("quota({}, {})", slot(*of), parts.join(", "))
        }
    }
}

/// A score node in plain words, without its name.
pub(crate) fn node_body(v: &View<'_>, n: &ScoreNode, sc: Scope) -> String {
    let mut s = format!("{} points", number(n.points));
    match &n.source {
        NodeSource::Leaf { expr, max, .. } => {
            s.push_str(&format!(" = {} out of {}", v.expr(expr, sc), number(*max)));
        }
        NodeSource::Children(children) => {
            let parts: Vec<String> = children
                .iter()
                .map(|c| format!("{} {}", local(c), node_body(v, c, sc)))
                .collect();
            s.push_str(&format!(" {{ {} }}", parts.join("; ")));
        }
    }
    for a in &n.adjustments {
        let x = Adj::of(v, v, a, sc);
        s.push_str("; ");
        s.push_str(&x.text());
        if x.explicit {
            s.push(' ');
            s.push_str(&quote(x.label));
        }
    }
    if let Some(f) = n.floor {
        s.push_str(&format!("; floor {}", number(f)));
    }
    if let Some(c) = n.cap {
        s.push_str(&format!("; cap {}", number(c)));
    }
    s
}

fn def_kind(d: &ComputedDef) -> ChangeKind {
    match d {
        ComputedDef::Expr(_) => ChangeKind::Formula,
        ComputedDef::Score(_) => ChangeKind::Indicator,
        ComputedDef::Rank { .. } => ChangeKind::Rank,
        ComputedDef::Quota { .. } => ChangeKind::Quota,
    }
}

fn def_word(d: &ComputedDef) -> &'static str {
    match d {
        ComputedDef::Expr(_) => "value",
        ComputedDef::Score(_) => "score",
        ComputedDef::Rank { .. } => "rank",
        ComputedDef::Quota { .. } => "quota",
    }
}

/// A description in plain words.
pub(crate) fn described(label: Option<&str>) -> String {
    label.map_or_else(|| "none".to_string(), quote)
}
