//! Record kinds: added, removed and renamed; the kind column and how rows are
//! recognised; fields (type, column, optional, integer, range, rated by); exclusion
//! and require rules (conditions compared structurally); `if empty`; computed values
//! and scores.

use super::matching::{pair_up, Item, Pair};
use super::print::{arrow, View};
use super::scores::{computed_body, described, Block};
use super::{Action, Change, ChangeKind, Differ};
use crate::model::*;
use crate::print::{number, quote, Scope};
use rubric_syntax::ast::Span;

impl Differ<'_> {
    /// Compares the record kinds.
    pub(crate) fn kinds(&mut self) {
        let (olds, news) = (self.old, self.new);
        if olds.kind_column != news.kind_column {
            let show = |c: &Option<String>| c.as_deref().map_or_else(|| "none".to_string(), quote);
            let (x, y) = (show(&olds.kind_column), show(&news.kind_column));
            let first = |r: &Rubric| r.kinds.first().map(|k| k.span);
            self.push(
                Change::new(
                    ChangeKind::Record,
                    Action::Changed,
                    "records › kind column",
                    format!("kind column {}", arrow(&x, &y)),
                )
                .was(Some(x), first(olds))
                .now(Some(y), first(news)),
            );
        }
        let old: Vec<Item> = (0..olds.kinds.len())
            .map(|i| kind_item(&self.ov(), olds, i))
            .collect();
        let new: Vec<Item> = (0..news.kinds.len())
            .map(|j| kind_item(&self.nk(), news, j))
            .collect();
        let pairs = pair_up(&old, &new);
        for p in &pairs {
            if let Pair::Renamed(i, j) = *p {
                if let (Some(o), Some(n)) = (olds.kinds.get(i), news.kinds.get(j)) {
                    self.aliases.kinds.insert(n.name.clone(), o.name.clone());
                }
            }
        }
        for p in pairs {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(o), Some(n)) = (olds.kinds.get(i), news.kinds.get(j)) else {
                        continue;
                    };
                    if matches!(p, Pair::Renamed(..)) {
                        self.push(
                            Change::new(
                                ChangeKind::Record,
                                Action::Renamed,
                                format!("record {}", n.name),
                                format!("renamed {}", arrow(&o.name, &n.name)),
                            )
                            .was(Some(o.name.clone()), Some(o.span))
                            .now(Some(n.name.clone()), Some(n.span)),
                        );
                    }
                    self.kind(o, n, id(i), id(j));
                }
                Pair::Removed(i) => {
                    let Some(o) = olds.kinds.get(i) else { continue };
                    let text = kind_summary(o);
                    self.push(
                        Change::new(
                            ChangeKind::Record,
                            Action::Removed,
                            format!("record {}", o.name),
                            format!("record kind removed ({text})"),
                        )
                        .was(Some(text), Some(o.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(n) = news.kinds.get(j) else { continue };
                    let text = kind_summary(n);
                    self.push(
                        Change::new(
                            ChangeKind::Record,
                            Action::Added,
                            format!("record {}", n.name),
                            format!("record kind added ({text})"),
                        )
                        .now(Some(text), Some(n.span)),
                    );
                }
            }
        }
    }

    fn kind(&mut self, o: &Kind, n: &Kind, oi: KindId, ni: KindId) {
        let path = format!("record {}", n.name);
        if o.label != n.label {
            let (x, y) = (described(o.label.as_deref()), described(n.label.as_deref()));
            self.push(
                Change::new(
                    ChangeKind::Record,
                    Action::Changed,
                    path.clone(),
                    format!("description {}", arrow(&x, &y)),
                )
                .was(Some(x), Some(o.span))
                .now(Some(y), Some(n.span)),
            );
        }
        let (mut a, mut b) = (o.select.clone(), n.select.clone());
        a.sort();
        b.sort();
        if a != b {
            let (x, y) = (select_text(&o.select), select_text(&n.select));
            let (os, ns) = (
                self.of.select(&o.name).or(Some(o.span)),
                self.nf.select(&n.name).or(Some(n.span)),
            );
            self.push(
                Change::new(
                    ChangeKind::Record,
                    Action::Changed,
                    path.clone(),
                    format!("recognised by {}", arrow(&x, &y)),
                )
                .was(Some(x), os)
                .now(Some(y), ns),
            );
        }
        self.fields(&path, o, n, oi, ni);
        self.rules(&path, o, n, oi, ni);
        if o.empty_reason != n.empty_reason {
            let key = |k: &Kind| format!("record {}", k.name);
            self.empty_reason(
                &path,
                (o.empty_reason.as_deref(), n.empty_reason.as_deref()),
                (
                    self.of.if_empty(&key(o)).or(Some(o.span)),
                    self.nf.if_empty(&key(n)).or(Some(n.span)),
                ),
            );
        }
        self.computed(&Block {
            path: path.clone(),
            old_path: format!("record {}", o.name),
            so: Scope::Kind(oi),
            sn: Scope::Kind(ni),
            o_slots: &o.slots,
            n_slots: &n.slots,
            o: &o.computed,
            n: &n.computed,
        });
    }

    /// `if empty "…"` of a record kind or a group.
    pub(crate) fn empty_reason(
        &mut self,
        path: &str,
        (a, b): (Option<&str>, Option<&str>),
        (os, ns): (Option<Span>, Option<Span>),
    ) {
        let (action, what) = match (a, b) {
            (None, Some(y)) => (Action::Added, format!("if empty {} added", quote(y))),
            (Some(x), None) => (Action::Removed, format!("if empty {} removed", quote(x))),
            (Some(x), Some(y)) => (
                Action::Changed,
                format!("if empty {}", arrow(&quote(x), &quote(y))),
            ),
            (None, None) => return,
        };
        self.push(
            Change::new(
                ChangeKind::IfEmpty,
                action,
                format!("{path} › if empty"),
                what,
            )
            .was(a.map(quote), os)
            .now(b.map(quote), ns),
        );
    }

    fn fields(&mut self, path: &str, o: &Kind, n: &Kind, oi: KindId, ni: KindId) {
        let item = |v: &View<'_>, k: KindId, f: &Field| Item {
            name: f.name.clone(),
            body: v.field(k, f),
        };
        let old: Vec<Item> = o.fields.iter().map(|f| item(&self.ov(), oi, f)).collect();
        let new: Vec<Item> = n.fields.iter().map(|f| item(&self.nk(), ni, f)).collect();
        let pairs = pair_up(&old, &new);
        for p in &pairs {
            if let Pair::Renamed(i, j) = *p {
                if let (Some(x), Some(y)) = (o.fields.get(i), n.fields.get(j)) {
                    self.aliases
                        .kind_slots
                        .entry(n.name.clone())
                        .or_default()
                        .insert(y.name.clone(), x.name.clone());
                }
            }
        }
        for p in pairs {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(x), Some(y)) = (o.fields.get(i), n.fields.get(j)) else {
                        continue;
                    };
                    let at = format!("{path} › {}", y.name);
                    let (dx, dy) = (
                        format!("{}: {}", x.name, self.ov().field(oi, x)),
                        format!("{}: {}", y.name, self.nv().field(ni, y)),
                    );
                    let mut whats = Vec::new();
                    if matches!(p, Pair::Renamed(..)) {
                        whats.push(format!("renamed {}", arrow(&x.name, &y.name)));
                    }
                    whats.extend(self.field_changes(x, y, oi, ni));
                    let renamed = matches!(p, Pair::Renamed(..));
                    for (k, what) in whats.into_iter().enumerate() {
                        let action = if renamed && k == 0 {
                            Action::Renamed
                        } else {
                            Action::Changed
                        };
                        self.push(
                            Change::new(ChangeKind::Field, action, at.clone(), what)
                                .was(Some(dx.clone()), Some(x.span))
                                .now(Some(dy.clone()), Some(y.span)),
                        );
                    }
                }
                Pair::Removed(i) => {
                    let Some(x) = o.fields.get(i) else { continue };
                    let text = format!("{}: {}", x.name, self.ov().field(oi, x));
                    self.push(
                        Change::new(
                            ChangeKind::Field,
                            Action::Removed,
                            format!("record {} › {}", o.name, x.name),
                            "field removed",
                        )
                        .was(Some(text), Some(x.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(y) = n.fields.get(j) else { continue };
                    let text = format!("{}: {}", y.name, self.nv().field(ni, y));
                    self.push(
                        Change::new(
                            ChangeKind::Field,
                            Action::Added,
                            format!("{path} › {}", y.name),
                            "field added",
                        )
                        .now(Some(text), Some(y.span)),
                    );
                }
            }
        }
    }

    /// What differs between two matched fields, one phrase per attribute.
    fn field_changes(&self, x: &Field, y: &Field, ok: KindId, nk_id: KindId) -> Vec<String> {
        let (ov, nk, nv) = (self.ov(), self.nk(), self.nv());
        let mut out = Vec::new();
        let (tx, ty) = (ov.field_type(&x.ty), nk.field_type(&y.ty));
        if tx != ty {
            match (&x.ty, &y.ty) {
                (FieldType::Number { range: a }, FieldType::Number { range: b }) => {
                    let r = |r: &Option<(rust_decimal::Decimal, rust_decimal::Decimal)>| match r {
                        Some((lo, hi)) => {
                            format!("{}..{}", number(*lo), number(*hi))
                        }
                        None => "any number".into(),
                    };
                    out.push(format!("range {}", arrow(&r(a), &r(b))));
                }
                _ => out.push(format!("type {}", arrow(&tx, &nv.field_type(&y.ty)))),
            }
        }
        if x.column != y.column {
            out.push(format!(
                "column {}",
                arrow(&quote(&x.column), &quote(&y.column))
            ));
        }
        if x.optional != y.optional {
            out.push(
                if y.optional {
                    "now optional (may be blank)"
                } else {
                    "now required (no longer optional)"
                }
                .into(),
            );
        }
        if x.integer != y.integer {
            out.push(
                if y.integer {
                    "now `integer`"
                } else {
                    "no longer `integer`"
                }
                .into(),
            );
        }
        let rated = |v: &View<'_>, k: KindId, f: &Field| {
            f.rated_by.map(|s| v.slot(Scope::Kind(k), s).to_owned())
        };
        let (rx, ry) = (rated(&ov, ok, x), rated(&nk, nk_id, y));
        if rx != ry {
            let show = |r: Option<String>| r.unwrap_or_else(|| "nothing".into());
            out.push(format!(
                "rated by {}",
                arrow(&show(rx), &show(rated(&nv, nk_id, y)))
            ));
        }
        out
    }

    fn rules(&mut self, path: &str, o: &Kind, n: &Kind, oi: KindId, ni: KindId) {
        let cond = |v: &View<'_>, k: KindId, e: &Option<Expr>| match e {
            Some(e) => format!("when {}", v.expr(e, Scope::Kind(k))),
            None => "always".to_string(),
        };
        let old: Vec<Rule> = o
            .excludes
            .iter()
            .map(|r| Rule {
                name: r.reason.clone(),
                key: cond(&self.ov(), oi, &r.when),
                inline: cond(&self.ov().inlined(), oi, &r.when),
                shown: cond(&self.ov(), oi, &r.when),
                span: r.span,
            })
            .collect();
        let new: Vec<Rule> = n
            .excludes
            .iter()
            .map(|r| Rule {
                name: r.reason.clone(),
                key: cond(&self.nk(), ni, &r.when),
                inline: cond(&self.nk().inlined(), ni, &r.when),
                shown: cond(&self.nv(), ni, &r.when),
                span: r.span,
            })
            .collect();
        self.rule_list(path, "exclude", ChangeKind::Exclusion, &old, &new, true);
        let old: Vec<Rule> = o
            .requires
            .iter()
            .map(|r| {
                let t = self.ov().expr(&r.condition, Scope::Kind(oi));
                Rule {
                    name: r.message.clone(),
                    key: t.clone(),
                    inline: self.ov().inlined().expr(&r.condition, Scope::Kind(oi)),
                    shown: t,
                    span: r.span,
                }
            })
            .collect();
        let new: Vec<Rule> = n
            .requires
            .iter()
            .map(|r| Rule {
                name: r.message.clone(),
                key: self.nk().expr(&r.condition, Scope::Kind(ni)),
                inline: self.nk().inlined().expr(&r.condition, Scope::Kind(ni)),
                shown: self.nv().expr(&r.condition, Scope::Kind(ni)),
                span: r.span,
            })
            .collect();
        self.rule_list(path, "require", ChangeKind::Requirement, &old, &new, false);
    }

    /// Rules named by their reason or message; a changed reason with the same
    /// condition is the same rule reworded. `ordered`: the first rule that holds wins.
    pub(crate) fn rule_list(
        &mut self,
        path: &str,
        word: &str,
        kind: ChangeKind,
        old: &[Rule],
        new: &[Rule],
        ordered: bool,
    ) {
        let oi: Vec<Item> = old
            .iter()
            .map(|r| Item {
                name: r.name.clone(),
                body: r.key.clone(),
            })
            .collect();
        let ni: Vec<Item> = new
            .iter()
            .map(|r| Item {
                name: r.name.clone(),
                body: r.key.clone(),
            })
            .collect();
        let text = |r: &Rule, shown: &str| format!("{word} {} {shown}", quote(&r.name));
        let mut order = Vec::new();
        for p in pair_up(&oi, &ni) {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(x), Some(y)) = (old.get(i), new.get(j)) else {
                        continue;
                    };
                    order.push(j);
                    let at = format!("{path} › {word} {}", quote(&y.name));
                    if matches!(p, Pair::Renamed(..)) {
                        self.push(
                            Change::new(
                                kind,
                                Action::Changed,
                                at.clone(),
                                format!("reason {}", arrow(&quote(&x.name), &quote(&y.name))),
                            )
                            .was(Some(text(x, &x.shown)), Some(x.span))
                            .now(Some(text(y, &y.shown)), Some(y.span)),
                        );
                    }
                    if x.key != y.key && x.inline != y.inline {
                        self.push(
                            Change::new(
                                kind,
                                Action::Changed,
                                at,
                                format!("condition {}", arrow(&x.shown, &y.shown)),
                            )
                            .was(Some(text(x, &x.shown)), Some(x.span))
                            .now(Some(text(y, &y.shown)), Some(y.span)),
                        );
                    }
                }
                Pair::Removed(i) => {
                    let Some(x) = old.get(i) else { continue };
                    self.push(
                        Change::new(
                            kind,
                            Action::Removed,
                            format!("{path} › {word} {}", quote(&x.name)),
                            format!("{word} rule removed"),
                        )
                        .was(Some(text(x, &x.shown)), Some(x.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(y) = new.get(j) else { continue };
                    self.push(
                        Change::new(
                            kind,
                            Action::Added,
                            format!("{path} › {word} {}", quote(&y.name)),
                            format!("{word} rule added"),
                        )
                        .now(Some(text(y, &y.shown)), Some(y.span)),
                    );
                }
            }
        }
        if ordered && order.windows(2).any(|w| matches!(w, [a, b] if a > b)) {
            let names = |rs: &[Rule]| {
                rs.iter()
                    .map(|r| quote(&r.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (x, y) = (names(old), names(new));
            self.push(
                Change::new(
                    ChangeKind::Order,
                    Action::Changed,
                    format!("{path} › {word} rules"),
                    format!(
                        "order (the first rule that holds gives the reason) {}",
                        arrow(&x, &y)
                    ),
                )
                .was(Some(x), old.first().map(|r| r.span))
                .now(Some(y), new.first().map(|r| r.span)),
            );
        }
    }
}

/// A rule in comparable form.
pub(crate) struct Rule {
    /// Its reason or message.
    pub(crate) name: String,
    /// Its condition in the old side's names.
    pub(crate) key: String,
    /// Its condition with computed values replaced by their formulas.
    pub(crate) inline: String,
    /// Its condition in its own side's names.
    pub(crate) shown: String,
    pub(crate) span: Span,
}

fn id(i: usize) -> KindId {
    KindId::try_from(i).unwrap_or(KindId::MAX)
}

/// A record kind in plain words, without its name, for recognising renames.
fn kind_item(v: &View<'_>, r: &Rubric, i: usize) -> Item {
    let Some(k) = r.kinds.get(i) else {
        return Item {
            name: String::new(),
            body: String::new(),
        };
    };
    let ki = id(i);
    let mut parts = vec![select_text(&k.select), described(k.label.as_deref())];
    parts.extend(
        k.fields
            .iter()
            .map(|f| format!("{}: {}", f.name, v.field(ki, f))),
    );
    parts.extend(k.excludes.iter().map(|e| {
        let when = e
            .when
            .as_ref()
            .map(|w| v.expr(w, Scope::Kind(ki)))
            .unwrap_or_default();
        format!("exclude {} {when}", quote(&e.reason))
    }));
    parts.extend(k.requires.iter().map(|q| {
        format!(
            "require {} {}",
            v.expr(&q.condition, Scope::Kind(ki)),
            quote(&q.message)
        )
    }));
    parts.push(described(k.empty_reason.as_deref()));
    parts.extend(k.computed.iter().map(|c| {
        let name = k
            .slots
            .get(c.slot as usize)
            .map_or("?", |s| s.name.as_str());
        format!("{name} = {}", computed_body(v, c, Scope::Kind(ki)))
    }));
    Item {
        name: k.name.clone(),
        body: parts.join("\n"),
    }
}

/// "13 fields, 1 exclusion, score CS".
fn kind_summary(k: &Kind) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![plural(k.fields.len(), "field", "fields")];
    if !k.excludes.is_empty() {
        parts.push(plural(k.excludes.len(), "exclusion", "exclusions"));
    }
    if !k.requires.is_empty() {
        parts.push(plural(k.requires.len(), "requirement", "requirements"));
    }
    for c in &k.computed {
        let name = k
            .slots
            .get(c.slot as usize)
            .map_or("?", |s| s.name.as_str());
        match c.def {
            ComputedDef::Score(_) => parts.push(format!("score {name}")),
            _ => parts.push(format!("value {name}")),
        }
    }
    parts.join(", ")
}

/// `"检查" | "抽查"`, or "every row".
fn select_text(values: &[String]) -> String {
    if values.is_empty() {
        "every row".into()
    } else {
        values
            .iter()
            .map(|v| quote(v))
            .collect::<Vec<_>>()
            .join(" | ")
    }
}
