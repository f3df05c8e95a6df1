//! Group tables: added, removed and renamed; description, keys, periods and the date
//! field that drives them; values, scores, ranks and quotas; `unscored` rules and
//! `if empty`.

use super::kinds::Rule;
use super::matching::{pair_up, Item, Pair};
use super::print::{arrow, View};
use super::scores::{computed_body, described, Block};
use super::source::Facts;
use super::{Action, Change, ChangeKind, Differ};
use crate::model::*;
use crate::print::Scope;

impl Differ<'_> {
    /// Compares the group tables.
    pub(crate) fn groups(&mut self) {
        let (olds, news) = (self.old, self.new);
        let old: Vec<Item> = (0..olds.groups.len())
            .map(|i| group_item(&self.ov(), olds, i))
            .collect();
        let new: Vec<Item> = (0..news.groups.len())
            .map(|j| group_item(&self.nk(), news, j))
            .collect();
        let pairs = pair_up(&old, &new);
        for p in &pairs {
            if let Pair::Renamed(i, j) = *p {
                if let (Some(o), Some(n)) = (olds.groups.get(i), news.groups.get(j)) {
                    self.aliases.groups.insert(n.name.clone(), o.name.clone());
                }
            }
        }
        for p in pairs {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(o), Some(n)) = (olds.groups.get(i), news.groups.get(j)) else {
                        continue;
                    };
                    if matches!(p, Pair::Renamed(..)) {
                        self.push(
                            Change::new(
                                ChangeKind::Group,
                                Action::Renamed,
                                format!("group {}", n.name),
                                format!("renamed {}", arrow(&o.name, &n.name)),
                            )
                            .was(Some(o.name.clone()), Some(o.span))
                            .now(Some(n.name.clone()), Some(n.span)),
                        );
                    }
                    self.group(o, n, id(i), id(j));
                }
                Pair::Removed(i) => {
                    let Some(o) = olds.groups.get(i) else {
                        continue;
                    };
                    let text = group_head(o);
                    self.push(
                        Change::new(
                            ChangeKind::Group,
                            Action::Removed,
                            format!("group {}", o.name),
                            "group removed",
                        )
                        .was(Some(text), Some(o.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(n) = news.groups.get(j) else {
                        continue;
                    };
                    let text = group_head(n);
                    self.push(
                        Change::new(
                            ChangeKind::Group,
                            Action::Added,
                            format!("group {}", n.name),
                            "group added",
                        )
                        .now(Some(text), Some(n.span)),
                    );
                }
            }
        }
    }

    fn group(&mut self, o: &Group, n: &Group, oi: u32, ni: u32) {
        let path = format!("group {}", n.name);
        let whole = |kind, what: String, x: String, y: String| {
            Change::new(kind, Action::Changed, path.clone(), what)
                .was(Some(x), Some(o.span))
                .now(Some(y), Some(n.span))
        };
        let mut found = Vec::new();
        if o.label != n.label {
            let (x, y) = (described(o.label.as_deref()), described(n.label.as_deref()));
            found.push(whole(
                ChangeKind::Group,
                format!("description {}", arrow(&x, &y)),
                x,
                y,
            ));
        }
        if o.keys != n.keys {
            let (x, y) = (keys(&o.keys), keys(&n.keys));
            found.push(whole(
                ChangeKind::Key,
                format!("keys {}", arrow(&x, &y)),
                x,
                y,
            ));
        }
        let mut a: Vec<Period> = o.periods.clone();
        let mut b: Vec<Period> = n.periods.clone();
        a.sort_by_key(|p| period_rank(*p));
        b.sort_by_key(|p| period_rank(*p));
        if a != b {
            let (x, y) = (periods(&o.periods), periods(&n.periods));
            found.push(whole(
                ChangeKind::Period,
                format!("periods {}", arrow(&x, &y)),
                x,
                y,
            ));
        }
        self.out.extend(found);
        self.member_dates(&path, o, n);
        self.computed(&Block {
            path: path.clone(),
            old_path: format!("group {}", o.name),
            so: Scope::Group(oi),
            sn: Scope::Group(ni),
            o_slots: &o.slots,
            n_slots: &n.slots,
            o: &o.computed,
            n: &n.computed,
        });
        let old = unscored_rules(&self.ov(), &self.ov(), o, oi, self.of);
        let new = unscored_rules(&self.nv(), &self.nk(), n, ni, self.nf);
        self.rule_list(&path, "unscored", ChangeKind::Unscored, &old, &new, true);
        if o.empty_reason != n.empty_reason {
            let key = |g: &Group| format!("group {}", g.name);
            self.empty_reason(
                &path,
                (o.empty_reason.as_deref(), n.empty_reason.as_deref()),
                (
                    self.of.if_empty(&key(o)).or(Some(o.span)),
                    self.nf.if_empty(&key(n)).or(Some(n.span)),
                ),
            );
        }
    }

    /// The date field that places each member kind's records in periods.
    fn member_dates(&mut self, path: &str, o: &Group, n: &Group) {
        let mut found = Vec::new();
        for m in &o.members {
            let kind = self.ov().kind(m.kind);
            let Some(other) = n.members.iter().find(|x| self.nk().kind(x.kind) == kind) else {
                continue;
            };
            let date = |v: &View<'_>, m: &Member| {
                m.date.map(|d| v.slot(Scope::Kind(m.kind), d).to_owned())
            };
            let (x, y) = (date(&self.ov(), m), date(&self.nk(), other));
            if x == y || x.is_none() || y.is_none() {
                continue;
            }
            let show = |d: Option<String>| d.unwrap_or_default();
            let (x, y) = (show(x), show(date(&self.nv(), other)));
            found.push(
                Change::new(
                    ChangeKind::Period,
                    Action::Changed,
                    path.to_string(),
                    format!(
                        "records of {kind} are placed in periods by {}",
                        arrow(&x, &y)
                    ),
                )
                .was(Some(x), Some(o.span))
                .now(Some(y), Some(n.span)),
            );
        }
        self.out.extend(found);
    }
}

/// A group's `unscored` rules; `v` shows them, `key` compares them.
fn unscored_rules(v: &View<'_>, key: &View<'_>, g: &Group, gi: u32, facts: &Facts) -> Vec<Rule> {
    g.unscored
        .iter()
        .enumerate()
        .map(|(k, (reason, e))| Rule {
            name: reason.clone(),
            key: key.expr(e, Scope::Group(gi)),
            inline: key.inlined().expr(e, Scope::Group(gi)),
            shown: v.expr(e, Scope::Group(gi)),
            span: facts.unscored(&g.name, k).unwrap_or(g.span),
        })
        .collect()
}

fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn period_rank(p: Period) -> u8 {
    match p {
        Period::Month => 0,
        Period::Quarter => 1,
        Period::HalfYear => 2,
        Period::Year => 3,
    }
}

fn keys(k: &[String]) -> String {
    if k.is_empty() {
        "none".into()
    } else {
        k.join(", ")
    }
}

fn periods(p: &[Period]) -> String {
    if p.is_empty() {
        "none (one table for everything)".into()
    } else {
        p.iter().map(|x| x.keyword()).collect::<Vec<_>>().join(", ")
    }
}

/// `by consultant per month, quarter`.
fn group_head(g: &Group) -> String {
    let mut s = String::new();
    if !g.keys.is_empty() {
        s.push_str(&format!("by {}", g.keys.join(", ")));
    }
    if !g.periods.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("per {}", periods(&g.periods)));
    }
    let outputs: Vec<&str> = g
        .slots
        .iter()
        .filter(|s| s.output && !s.name.contains('.'))
        .map(|s| s.name.as_str())
        .collect();
    if !outputs.is_empty() {
        s.push_str(&format!(" → {}", outputs.join(", ")));
    }
    s
}

/// A group in plain words, without its name, for recognising renames.
fn group_item(v: &View<'_>, r: &Rubric, i: usize) -> Item {
    let Some(g) = r.groups.get(i) else {
        return Item {
            name: String::new(),
            body: String::new(),
        };
    };
    let gi = id(i);
    let mut parts = vec![
        described(g.label.as_deref()),
        keys(&g.keys),
        periods(&g.periods),
    ];
    parts.extend(g.computed.iter().map(|c| {
        let name = g
            .slots
            .get(c.slot as usize)
            .map_or("?", |s| s.name.as_str());
        format!("{name} = {}", computed_body(v, c, Scope::Group(gi)))
    }));
    parts.extend(
        g.unscored
            .iter()
            .map(|(reason, e)| format!("unscored {reason} {}", v.expr(e, Scope::Group(gi)))),
    );
    parts.push(described(g.empty_reason.as_deref()));
    Item {
        name: g.name.clone(),
        body: parts.join("\n"),
    }
}
