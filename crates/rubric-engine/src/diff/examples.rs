//! Worked examples: added, removed and renamed; input tables (rows compared by
//! their non-blank cells, whatever the column order) and expectations (matched by
//! what they are about).

use super::matching::{pair_up, Item, Pair};
use super::print::{arrow, View};
use super::{Action, Change, ChangeKind, Differ};
use crate::model::*;
use crate::print::quote;

/// Rows shown in full when a table changes.
const SHOWN_ROWS: usize = 5;

impl Differ<'_> {
    /// Compares the examples.
    pub(crate) fn examples(&mut self) {
        let (olds, news) = (self.old, self.new);
        let old: Vec<Item> = olds
            .examples
            .iter()
            .map(|e| Item {
                name: e.name.clone(),
                body: example_body(&self.ov(), e),
            })
            .collect();
        let new: Vec<Item> = news
            .examples
            .iter()
            .map(|e| Item {
                name: e.name.clone(),
                body: example_body(&self.nk(), e),
            })
            .collect();
        for p in pair_up(&old, &new) {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(o), Some(n)) = (olds.examples.get(i), news.examples.get(j)) else {
                        continue;
                    };
                    if matches!(p, Pair::Renamed(..)) {
                        let (x, y) = (quote(&o.name), quote(&n.name));
                        self.push(
                            Change::new(
                                ChangeKind::Example,
                                Action::Renamed,
                                format!("example {y}"),
                                format!("renamed {}", arrow(&x, &y)),
                            )
                            .was(Some(x), Some(o.span))
                            .now(Some(y), Some(n.span)),
                        );
                    }
                    self.example(o, n);
                }
                Pair::Removed(i) => {
                    let Some(o) = olds.examples.get(i) else {
                        continue;
                    };
                    let text = example_summary(o);
                    self.push(
                        Change::new(
                            ChangeKind::Example,
                            Action::Removed,
                            format!("example {}", quote(&o.name)),
                            format!("example removed ({text})"),
                        )
                        .was(Some(text), Some(o.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(n) = news.examples.get(j) else {
                        continue;
                    };
                    let text = example_summary(n);
                    self.push(
                        Change::new(
                            ChangeKind::Example,
                            Action::Added,
                            format!("example {}", quote(&n.name)),
                            format!("example added ({text})"),
                        )
                        .now(Some(text), Some(n.span)),
                    );
                }
            }
        }
    }

    fn example(&mut self, o: &Example, n: &Example) {
        let path = format!("example {}", quote(&n.name));
        let (ov, nk, nv) = (self.ov(), self.nk(), self.nv());
        let mut found = Vec::new();
        let count = o.tables.len().max(n.tables.len());
        for t in 0..count {
            let at = if count > 1 {
                format!("{path} › given #{}", t + 1)
            } else {
                format!("{path} › given")
            };
            match (o.tables.get(t), n.tables.get(t)) {
                (Some(a), Some(b)) => {
                    if let Some(c) = table_change(&ov, &nk, &nv, a, b, &at) {
                        found.push(c);
                    }
                }
                (Some(a), None) => found.push(
                    Change::new(
                        ChangeKind::Example,
                        Action::Removed,
                        at,
                        format!("input table removed ({})", rows(a.rows.len())),
                    )
                    .was(Some(table_head(&ov, a)), Some(a.span)),
                ),
                (None, Some(b)) => found.push(
                    Change::new(
                        ChangeKind::Example,
                        Action::Added,
                        at,
                        format!("input table added ({})", rows(b.rows.len())),
                    )
                    .now(Some(table_head(&nv, b)), Some(b.span)),
                ),
                (None, None) => {}
            }
        }
        let old: Vec<Item> = o
            .expects
            .iter()
            .map(|x| Item {
                name: target(&ov, &x.target),
                body: check_key(&x.check),
            })
            .collect();
        let new: Vec<Item> = n
            .expects
            .iter()
            .map(|x| Item {
                name: target(&nk, &x.target),
                body: check_key(&x.check),
            })
            .collect();
        let by_name = |xs: &[Item], ys: &[Item]| {
            // Expectations are matched by target only: a rewritten target is a
            // removal and an addition, not a rename.
            pair_up(xs, ys).into_iter().flat_map(move |p| match p {
                Pair::Renamed(i, j) => vec![Pair::Removed(i), Pair::Added(j)],
                other => vec![other],
            })
        };
        let mut pairs: Vec<Pair> = by_name(&old, &new).collect();
        pairs.sort_by_key(|p| matches!(p, Pair::Added(_)));
        for p in pairs {
            match p {
                Pair::Both(i, j) | Pair::Renamed(i, j) => {
                    let (Some(x), Some(y), Some(ix), Some(iy)) =
                        (o.expects.get(i), n.expects.get(j), old.get(i), new.get(j))
                    else {
                        continue;
                    };
                    if ix.body == iy.body {
                        continue;
                    }
                    let (a, b) = (check_text(&x.check), check_text(&y.check));
                    found.push(
                        Change::new(
                            ChangeKind::Example,
                            Action::Changed,
                            format!("{path} › expect {}", target(&nv, &y.target)),
                            arrow(&a, &b),
                        )
                        .was(Some(a), Some(x.span))
                        .now(Some(b), Some(y.span)),
                    );
                }
                Pair::Removed(i) => {
                    let Some(x) = o.expects.get(i) else { continue };
                    let text =
                        format!("expect {} {}", target(&ov, &x.target), check_text(&x.check));
                    found.push(
                        Change::new(
                            ChangeKind::Example,
                            Action::Removed,
                            format!("{path} › expect {}", target(&ov, &x.target)),
                            "expectation removed",
                        )
                        .was(Some(text), Some(x.span)),
                    );
                }
                Pair::Added(j) => {
                    let Some(y) = n.expects.get(j) else { continue };
                    let text =
                        format!("expect {} {}", target(&nv, &y.target), check_text(&y.check));
                    found.push(
                        Change::new(
                            ChangeKind::Example,
                            Action::Added,
                            format!("{path} › expect {}", target(&nv, &y.target)),
                            "expectation added",
                        )
                        .now(Some(text), Some(y.span)),
                    );
                }
            }
        }
        self.out.extend(found);
    }
}

fn rows(n: usize) -> String {
    format!("{n} {}", if n == 1 { "row" } else { "rows" })
}

/// One row by its non-blank cells, sorted by column: `date=2026-01-05 | id=r1`.
fn row_key(header: &[String], row: &[String]) -> String {
    let mut cells: Vec<String> = header
        .iter()
        .zip(row)
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(h, v)| format!("{h}={}", v.trim()))
        .collect();
    cells.sort();
    cells.join(" | ")
}

/// A row as written: `r1 | 张三 | A | …`.
fn row_text(row: &[String]) -> String {
    format!("| {} |", row.join(" | "))
}

fn table_head(v: &View<'_>, t: &ExampleTable) -> String {
    let kind = t
        .kind
        .map(|k| format!("{} ", v.kind(k)))
        .unwrap_or_default();
    format!("{kind}{} ({})", row_text(&t.header), rows(t.rows.len()))
}

fn table_change(
    ov: &View<'_>,
    nk: &View<'_>,
    nv: &View<'_>,
    a: &ExampleTable,
    b: &ExampleTable,
    at: &str,
) -> Option<Change> {
    let (ka, kb) = (a.kind.map(|k| ov.kind(k)), b.kind.map(|k| nk.kind(k)));
    let old_rows: Vec<String> = a.rows.iter().map(|r| row_key(&a.header, r)).collect();
    let new_rows: Vec<String> = b.rows.iter().map(|r| row_key(&b.header, r)).collect();
    let mut remaining = new_rows.clone();
    let mut removed = Vec::new();
    for (i, r) in old_rows.iter().enumerate() {
        match remaining.iter().position(|x| x == r) {
            Some(p) => {
                remaining.remove(p);
            }
            None => removed.push(i),
        }
    }
    let mut remaining_old = old_rows.clone();
    let mut added = Vec::new();
    for (j, r) in new_rows.iter().enumerate() {
        match remaining_old.iter().position(|x| x == r) {
            Some(p) => {
                remaining_old.remove(p);
            }
            None => added.push(j),
        }
    }
    if ka == kb && removed.is_empty() && added.is_empty() {
        return None;
    }
    let mut words = Vec::new();
    if ka != kb {
        let show = |k: Option<&str>| k.unwrap_or("any kind").to_owned();
        words.push(format!(
            "kind {}",
            arrow(&show(ka), &show(b.kind.map(|k| nv.kind(k))))
        ));
    }
    if !added.is_empty() {
        words.push(format!("{} added", rows(added.len())));
    }
    if !removed.is_empty() {
        words.push(format!("{} removed", rows(removed.len())));
    }
    let list = |t: &ExampleTable, idx: &[usize]| -> Option<String> {
        if idx.is_empty() {
            return None;
        }
        let mut lines: Vec<String> = idx
            .iter()
            .take(SHOWN_ROWS)
            .filter_map(|i| t.rows.get(*i))
            .map(|r| row_text(r))
            .collect();
        if idx.len() > SHOWN_ROWS {
            lines.push(format!("… and {} more", idx.len() - SHOWN_ROWS));
        }
        Some(format!("{}\n{}", row_text(&t.header), lines.join("\n")))
    };
    Some(
        Change::new(
            ChangeKind::Example,
            Action::Changed,
            at,
            format!("input {}", words.join(", ")),
        )
        .was(list(a, &removed), Some(a.span))
        .now(list(b, &added), Some(b.span)),
    )
}

/// `record r1`, `group 顾问 (张三, 2026-01)`.
fn target(v: &View<'_>, t: &Target) -> String {
    match t {
        Target::Record(id) => format!("record {id}"),
        Target::Group {
            group,
            keys,
            period,
        } => {
            let mut parts = keys.clone();
            parts.extend(period.iter().cloned());
            format!("group {} ({})", v.group(*group), parts.join(", "))
        }
    }
}

fn expected(e: &Expected) -> String {
    match e {
        Expected::Blank => "blank".into(),
        Expected::Number { value, .. } => value.to_string(),
        Expected::Date(d) => d.to_string(),
        Expected::Word(w) => w.clone(),
    }
}

/// `{ CS = 71.25, 评级 = 达标 }`, `excluded "回访失败"`.
fn check_text(c: &ExpectCheck) -> String {
    let detail = |word: &str, d: &Option<String>| match d {
        Some(d) => format!("{word} {}", quote(d)),
        None => word.to_string(),
    };
    match c {
        ExpectCheck::Excluded(d) => detail("excluded", d),
        ExpectCheck::Rejected(d) => detail("rejected", d),
        ExpectCheck::Unscored(d) => detail("unscored", d),
        ExpectCheck::Values(vs) => {
            let parts: Vec<String> = vs
                .iter()
                .map(|v| format!("{} = {}", v.name, expected(&v.expected)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// The same, with values in name order: the order they are written in does not matter.
fn check_key(c: &ExpectCheck) -> String {
    match c {
        ExpectCheck::Values(vs) => {
            let mut parts: Vec<String> = vs
                .iter()
                .map(|v| format!("{} = {}", v.name, expected(&v.expected)))
                .collect();
            parts.sort();
            parts.join(", ")
        }
        other => check_text(other),
    }
}

fn example_body(v: &View<'_>, e: &Example) -> String {
    let mut parts: Vec<String> = e
        .tables
        .iter()
        .map(|t| {
            let mut rs: Vec<String> = t.rows.iter().map(|r| row_key(&t.header, r)).collect();
            rs.sort();
            format!("{:?} {}", t.kind.map(|k| v.kind(k)), rs.join("\n"))
        })
        .collect();
    let mut expects: Vec<String> = e
        .expects
        .iter()
        .map(|x| format!("{} {}", target(v, &x.target), check_key(&x.check)))
        .collect();
    expects.sort();
    parts.extend(expects);
    parts.join("\n")
}

fn example_summary(e: &Example) -> String {
    let n: usize = e.tables.iter().map(|t| t.rows.len()).sum();
    let x = e.expects.len();
    format!(
        "{} of input, {x} {}",
        rows(n),
        if x == 1 {
            "expectation"
        } else {
            "expectations"
        }
    )
}
