//! Scales: added, removed and renamed; type, range, integer and `ordered` flags and
//! highest score; label rows (labels added, removed or moved between rows, row
//! scores, rated ranges, exclusions); numeric bands (edges and their inclusivity,
//! levels, order); linear points.

use super::matching::{pair_up, Item, Pair};
use super::print::{arrow, View};
use super::{Action, Change, ChangeKind, Differ};
use crate::model::*;
use crate::print::{number, quote, row_interval};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Differ<'_> {
    /// Compares every scale.
    pub(crate) fn scales(&mut self) {
        let old: Vec<Item> = self
            .old
            .scales
            .iter()
            .map(|s| Item {
                name: s.name.clone(),
                body: scale_body(&self.ov(), s, self.of.ordered(&s.name)),
            })
            .collect();
        let new: Vec<Item> = self
            .new
            .scales
            .iter()
            .map(|s| Item {
                name: s.name.clone(),
                body: scale_body(&self.nk(), s, self.nf.ordered(&s.name)),
            })
            .collect();
        let pairs = pair_up(&old, &new);
        for p in &pairs {
            if let Pair::Renamed(i, j) = *p {
                if let (Some(o), Some(n)) = (self.old.scales.get(i), self.new.scales.get(j)) {
                    self.aliases.scales.insert(n.name.clone(), o.name.clone());
                }
            }
        }
        let (olds, news) = (self.old, self.new);
        for p in pairs {
            match p {
                Pair::Both(i, j) => {
                    if let (Some(o), Some(n)) = (olds.scales.get(i), news.scales.get(j)) {
                        self.scale(o, n);
                    }
                }
                Pair::Renamed(i, j) => {
                    if let (Some(o), Some(n)) = (olds.scales.get(i), news.scales.get(j)) {
                        let c = Change::new(
                            ChangeKind::Scale,
                            Action::Renamed,
                            format!("scale {}", n.name),
                            format!("renamed {}", arrow(&o.name, &n.name)),
                        )
                        .was(Some(o.name.clone()), Some(o.span))
                        .now(Some(n.name.clone()), Some(n.span));
                        self.push(c);
                    }
                }
                Pair::Removed(i) => {
                    if let Some(o) = olds.scales.get(i) {
                        let body = scale_body(&self.ov(), o, self.of.ordered(&o.name));
                        let c = Change::new(
                            ChangeKind::Scale,
                            Action::Removed,
                            format!("scale {}", o.name),
                            "scale removed",
                        )
                        .was(Some(body), Some(o.span));
                        self.push(c);
                    }
                }
                Pair::Added(j) => {
                    if let Some(n) = news.scales.get(j) {
                        let body = scale_body(&self.nv(), n, self.nf.ordered(&n.name));
                        let c = Change::new(
                            ChangeKind::Scale,
                            Action::Added,
                            format!("scale {}", n.name),
                            "scale added",
                        )
                        .now(Some(body), Some(n.span));
                        self.push(c);
                    }
                }
            }
        }
    }

    fn scale(&mut self, o: &Scale, n: &Scale) {
        let path = format!("scale {}", n.name);
        let whole = |kind, what: String, a: Option<String>, b: Option<String>| {
            Change::new(kind, Action::Changed, path.clone(), what)
                .was(a, Some(o.span))
                .now(b, Some(n.span))
        };
        let mut found = Vec::new();
        if std::mem::discriminant(&o.kind) != std::mem::discriminant(&n.kind) {
            let (a, b) = (kind_word(&o.kind), kind_word(&n.kind));
            found.push(whole(
                ChangeKind::Scale,
                format!("type {}", arrow(a, b)),
                Some(scale_body(&self.ov(), o, self.of.ordered(&o.name))),
                Some(scale_body(&self.nv(), n, self.nf.ordered(&n.name))),
            ));
            self.out.extend(found);
            return;
        }
        if o.domain != n.domain {
            let (a, b) = (domain(o.domain), domain(n.domain));
            found.push(whole(
                ChangeKind::Scale,
                format!("range {}", arrow(&a, &b)),
                Some(a),
                Some(b),
            ));
        }
        if o.integer != n.integer {
            let what = if n.integer {
                "now `integer`: answers must be whole numbers"
            } else {
                "no longer `integer`: answers may have decimals"
            };
            found.push(whole(
                ChangeKind::Scale,
                what.into(),
                Some(flag(o.integer, "integer")),
                Some(flag(n.integer, "integer")),
            ));
        }
        let (oo, no) = (self.of.ordered(&o.name), self.nf.ordered(&n.name));
        // Bands that give the same outcome for every value mean the same, however
        // they are written and whether or not the scale is `ordered`.
        let same = match (&o.kind, &n.kind) {
            (ScaleKind::Numeric(a), ScaleKind::Numeric(b)) => {
                same_bands(&self.ov(), &self.nk(), a, b)
            }
            _ => false,
        };
        if let (Some(a), Some(b), false) = (oo, no, same) {
            if a != b {
                let what = if b {
                    "now `ordered`: the first matching row wins where rows overlap"
                } else {
                    "no longer `ordered`: rows may not overlap"
                };
                found.push(whole(
                    ChangeKind::Order,
                    what.into(),
                    Some(flag(a, "ordered")),
                    Some(flag(b, "ordered")),
                ));
            }
        }
        if o.max != n.max {
            found.push(whole(
                ChangeKind::Scale,
                format!(
                    "highest score {}: indicators on this scale are scored out of it",
                    arrow(&number(o.max), &number(n.max))
                ),
                Some(number(o.max)),
                Some(number(n.max)),
            ));
        }
        self.out.extend(found);
        match (&o.kind, &n.kind) {
            (ScaleKind::Labels(a), ScaleKind::Labels(b)) => self.label_rows(&path, a, b),
            (ScaleKind::Numeric(a), ScaleKind::Numeric(b)) if !same => {
                let ordered = oo.unwrap_or(false) || no.unwrap_or(false);
                self.bands(&path, a, b, ordered);
            }
            (ScaleKind::Linear(a), ScaleKind::Linear(b)) if a != b => {
                let (x, y) = (points(a), points(b));
                let c = whole(
                    ChangeKind::RowScore,
                    format!("points {}", arrow(&x, &y)),
                    Some(x),
                    Some(y),
                );
                self.push(c);
            }
            _ => {}
        }
    }

    /// Label rows: rows are matched by the labels they share, then by what they give.
    fn label_rows(&mut self, path: &str, o: &[LabelRow], n: &[LabelRow]) {
        let (ov, nk, nv) = (self.ov(), self.nk(), self.nv());
        let forward = match_label_rows(o, n, |a, b| ov.outcome(a) == nk.outcome(b));
        let mut back: HashMap<usize, usize> = HashMap::new();
        for (i, j) in forward.iter().enumerate() {
            if let Some(j) = j {
                back.insert(*j, i);
            }
        }
        let old_at: HashMap<&str, usize> = rows_of(o);
        let new_at: HashMap<&str, usize> = rows_of(n);
        let mut found = Vec::new();
        // Rows in both: what they give.
        for (i, j) in forward.iter().enumerate() {
            let (Some(j), Some(a)) = (j, o.get(i)) else {
                continue;
            };
            let Some(b) = n.get(*j) else { continue };
            let (x, y) = (ov.outcome(&a.outcome), nk.outcome(&b.outcome));
            if x == y {
                continue;
            }
            let kind = outcome_kind(&a.outcome, &b.outcome);
            let shown = nv.outcome(&b.outcome);
            found.push(
                Change::new(
                    kind,
                    Action::Changed,
                    format!("{path} › {}", row_name(a)),
                    arrow(&x, &shown),
                )
                .was(Some(x), Some(a.span))
                .now(Some(shown), Some(b.span)),
            );
        }
        // Labels: moved, removed, or gone with their row.
        let mut gone_rows: Vec<(usize, Vec<String>)> = Vec::new();
        for (i, a) in o.iter().enumerate() {
            let mut gone = Vec::new();
            for l in &a.labels {
                match new_at.get(l.as_str()) {
                    Some(&j) if forward.get(i).copied().flatten() == Some(j) => {}
                    Some(&j) => {
                        let Some(b) = n.get(j) else { continue };
                        let from = format!("{} ({})", ov.outcome(&a.outcome), row_word(a, l));
                        let to = format!("{} ({})", nv.outcome(&b.outcome), row_word(b, l));
                        found.push(
                            Change::new(
                                ChangeKind::LabelMove,
                                Action::Moved,
                                format!("{path} › {}", quote(l)),
                                format!("moved from {from} to {to}"),
                            )
                            .was(Some(ov.outcome(&a.outcome)), Some(a.span))
                            .now(Some(nv.outcome(&b.outcome)), Some(b.span)),
                        );
                    }
                    None if forward.get(i).copied().flatten().is_some() => {
                        let j = forward.get(i).copied().flatten();
                        let b_span = j.and_then(|j| n.get(j)).map(|b| b.span);
                        found.push(
                            Change::new(
                                ChangeKind::Label,
                                Action::Removed,
                                format!("{path} › {}", quote(l)),
                                format!(
                                    "label removed from the row giving {} ({})",
                                    ov.outcome(&a.outcome),
                                    row_word(a, l)
                                ),
                            )
                            .was(Some(quote(l)), Some(a.span))
                            .now(None, b_span),
                        );
                    }
                    None => gone.push(l.clone()),
                }
            }
            if !gone.is_empty() {
                gone_rows.push((i, gone));
            }
        }
        for (i, gone) in gone_rows {
            let Some(a) = o.get(i) else { continue };
            let text = label_row_text(&ov, &gone, &a.outcome);
            found.push(
                Change::new(
                    ChangeKind::ScaleRow,
                    Action::Removed,
                    format!("{path} › {}", row_name(a)),
                    format!("row removed: {text}"),
                )
                .was(Some(text), Some(a.span)),
            );
        }
        for (j, b) in n.iter().enumerate() {
            let fresh: Vec<String> = b
                .labels
                .iter()
                .filter(|l| !old_at.contains_key(l.as_str()))
                .cloned()
                .collect();
            if fresh.is_empty() {
                continue;
            }
            match back.get(&j).and_then(|i| o.get(*i)) {
                Some(a) => {
                    for l in fresh {
                        found.push(
                            Change::new(
                                ChangeKind::Label,
                                Action::Added,
                                format!("{path} › {}", quote(&l)),
                                format!(
                                    "label added to the row giving {} ({})",
                                    nv.outcome(&b.outcome),
                                    row_word(b, &l)
                                ),
                            )
                            .was(None, Some(a.span))
                            .now(Some(quote(&l)), Some(b.span)),
                        );
                    }
                }
                None => {
                    let text = label_row_text(&nv, &fresh, &b.outcome);
                    found.push(
                        Change::new(
                            ChangeKind::ScaleRow,
                            Action::Added,
                            format!("{path} › {}", row_name(b)),
                            format!("row added: {text}"),
                        )
                        .now(Some(text), Some(b.span)),
                    );
                }
            }
        }
        self.out.extend(found);
    }

    /// Numeric bands: matched by level, then by what they give, then by interval, then
    /// in order.
    fn bands(&mut self, path: &str, o: &[ThresholdRow], n: &[ThresholdRow], ordered: bool) {
        let (ov, nk, nv) = (self.ov(), self.nk(), self.nv());
        let pairs = match_bands(&ov, &nk, o, n);
        let points = test_points(o, n);
        let mut found = Vec::new();
        let mut moved = false;
        let mut matched_new: Vec<bool> = vec![false; n.len()];
        let mut order: Vec<(usize, usize)> = Vec::new();
        for (i, a) in o.iter().enumerate() {
            let Some(j) = pairs.get(i).copied().flatten() else {
                let text = band_text(&ov, a);
                found.push(
                    Change::new(
                        ChangeKind::ScaleRow,
                        Action::Removed,
                        format!("{path} › {}", band_name(&ov, a)),
                        format!("band removed: {text}"),
                    )
                    .was(Some(text), Some(a.span)),
                );
                continue;
            };
            let Some(b) = n.get(j) else { continue };
            if let Some(m) = matched_new.get_mut(j) {
                *m = true;
            }
            order.push((i, j));
            let name = format!("{path} › {}", band_name(&ov, a));
            // Written differently but covering the same values (`>= 80` after `>= 95`
            // in an ordered scale is `[80, 95)`): no change.
            let same_region = region(o, i, &points) == region(n, j, &points);
            moved |= !same_region;
            if a.interval != b.interval && !same_region {
                let (x, y) = (row_interval(&a.interval), row_interval(&b.interval));
                found.push(
                    Change::new(
                        ChangeKind::BandEdge,
                        Action::Changed,
                        name.clone(),
                        edge_words(&a.interval, &b.interval),
                    )
                    .was(Some(x), Some(a.span))
                    .now(Some(y), Some(b.span)),
                );
            }
            let (x, y) = (ov.outcome(&a.outcome), nk.outcome(&b.outcome));
            if x != y {
                let shown = nv.outcome(&b.outcome);
                found.push(
                    Change::new(
                        outcome_kind(&a.outcome, &b.outcome),
                        Action::Changed,
                        name,
                        arrow(&x, &shown),
                    )
                    .was(Some(x), Some(a.span))
                    .now(Some(shown), Some(b.span)),
                );
            }
        }
        for (j, b) in n.iter().enumerate() {
            if matched_new.get(j).copied().unwrap_or(false) {
                continue;
            }
            let text = band_text(&nv, b);
            found.push(
                Change::new(
                    ChangeKind::ScaleRow,
                    Action::Added,
                    format!("{path} › {}", band_name(&nv, b)),
                    format!("band added: {text}"),
                )
                .now(Some(text), Some(b.span)),
            );
        }
        if ordered
            && moved
            && order
                .windows(2)
                .any(|w| matches!(w, [(_, x), (_, y)] if x > y))
        {
            let before: Vec<String> = order
                .iter()
                .filter_map(|(i, _)| o.get(*i))
                .map(|r| band_name(&ov, r))
                .collect();
            let mut sorted = order.clone();
            sorted.sort_by_key(|(_, j)| *j);
            let after: Vec<String> = sorted
                .iter()
                .filter_map(|(i, _)| o.get(*i))
                .map(|r| band_name(&ov, r))
                .collect();
            let (x, y) = (before.join(", "), after.join(", "));
            found.push(
                Change::new(
                    ChangeKind::Order,
                    Action::Changed,
                    path.to_string(),
                    format!("row order (the first matching row wins) {}", arrow(&x, &y)),
                )
                .was(Some(x), None)
                .now(Some(y), None),
            );
        }
        self.out.extend(found);
    }
}

/// A scale in plain words, without its name: `0..100 ordered: >= 95 => 优秀; …`.
pub(crate) fn scale_body(v: &View<'_>, s: &Scale, ordered: Option<bool>) -> String {
    let mut head = Vec::new();
    if let Some(d) = s.domain {
        head.push(domain(Some(d)));
    }
    if s.integer {
        head.push("integer".into());
    }
    if ordered == Some(true) {
        head.push("ordered".into());
    }
    let rows: Vec<String> = match &s.kind {
        ScaleKind::Labels(rows) => rows
            .iter()
            .map(|r| label_row_text(v, &r.labels, &r.outcome))
            .collect(),
        ScaleKind::Numeric(rows) => rows.iter().map(|r| band_text(v, r)).collect(),
        ScaleKind::Linear(p) => {
            head.push("linear".into());
            vec![points(p)]
        }
    };
    let head = head.join(" ");
    match (head.is_empty(), rows.is_empty()) {
        (true, _) => rows.join("; "),
        (false, true) => head,
        (false, false) => format!("{head}: {}", rows.join("; ")),
    }
}

fn kind_word(k: &ScaleKind) -> &'static str {
    match k {
        ScaleKind::Labels(_) => "label scale",
        ScaleKind::Numeric(_) => "numeric scale",
        ScaleKind::Linear(_) => "linear scale",
    }
}

fn domain(d: Option<(rust_decimal::Decimal, rust_decimal::Decimal)>) -> String {
    match d {
        Some((lo, hi)) => format!("{}..{}", number(lo), number(hi)),
        None => "no range".into(),
    }
}

fn flag(on: bool, word: &str) -> String {
    if on {
        word.to_string()
    } else {
        format!("not {word}")
    }
}

fn points(p: &[(rust_decimal::Decimal, rust_decimal::Decimal)]) -> String {
    p.iter()
        .map(|(x, y)| format!("{} => {}", number(*x), number(*y)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `"很好" | "比较好" => 100`.
fn label_row_text(v: &View<'_>, labels: &[String], o: &RowOutcome) -> String {
    let ls: Vec<String> = labels.iter().map(|l| quote(l)).collect();
    format!("{} => {}", ls.join(" | "), v.outcome(o))
}

/// `[70, 90) => 达标`.
fn band_text(v: &View<'_>, r: &ThresholdRow) -> String {
    format!("{} => {}", row_interval(&r.interval), v.outcome(&r.outcome))
}

/// A band's name in paths: its level, or its interval.
fn band_name(v: &View<'_>, r: &ThresholdRow) -> String {
    match &r.outcome {
        RowOutcome::Score { level: Some(l), .. } => v.level(*l).to_owned(),
        _ => row_interval(&r.interval),
    }
}

/// A label row's name in paths: its first label.
fn row_name(r: &LabelRow) -> String {
    r.labels.first().map_or_else(|| "?".into(), |l| quote(l))
}

/// "row of "很好"", naming the row by a label other than `l`.
fn row_word(r: &LabelRow, l: &str) -> String {
    match r.labels.iter().find(|x| *x != l) {
        Some(other) => format!("with {}", quote(other)),
        None => "its own row".into(),
    }
}

fn rows_of(rows: &[LabelRow]) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        for l in &r.labels {
            m.entry(l.as_str()).or_insert(i);
        }
    }
    m
}

/// For each old row, the new row it continues: the unmatched one sharing the most
/// labels, else an unmatched one giving the same outcome.
fn match_label_rows(
    o: &[LabelRow],
    n: &[LabelRow],
    same_outcome: impl Fn(&RowOutcome, &RowOutcome) -> bool,
) -> Vec<Option<usize>> {
    let mut taken = vec![false; n.len()];
    let mut out = vec![None; o.len()];
    for (i, a) in o.iter().enumerate() {
        let best = n
            .iter()
            .enumerate()
            .filter(|(j, _)| !taken.get(*j).copied().unwrap_or(true))
            .map(|(j, b)| (j, a.labels.iter().filter(|l| b.labels.contains(l)).count()))
            .filter(|(_, shared)| *shared > 0)
            .fold(None::<(usize, usize)>, |best, (j, s)| match best {
                Some((_, bs)) if bs >= s => best,
                _ => Some((j, s)),
            });
        if let Some((j, _)) = best {
            if let (Some(t), Some(slot)) = (taken.get_mut(j), out.get_mut(i)) {
                *t = true;
                *slot = Some(j);
            }
        }
    }
    for (i, a) in o.iter().enumerate() {
        if out.get(i).copied().flatten().is_some() {
            continue;
        }
        let found = n.iter().enumerate().position(|(j, b)| {
            !taken.get(j).copied().unwrap_or(true) && same_outcome(&a.outcome, &b.outcome)
        });
        if let Some(j) = found {
            if let (Some(t), Some(slot)) = (taken.get_mut(j), out.get_mut(i)) {
                *t = true;
                *slot = Some(j);
            }
        }
    }
    out
}

/// For each old band, the new band it continues.
fn match_bands(
    ov: &View<'_>,
    nk: &View<'_>,
    o: &[ThresholdRow],
    n: &[ThresholdRow],
) -> Vec<Option<usize>> {
    let level = |v: &View<'_>, r: &ThresholdRow| match &r.outcome {
        RowOutcome::Score { level: Some(l), .. } => Some(v.level(*l).to_owned()),
        _ => None,
    };
    let unique = |v: &View<'_>, rows: &[ThresholdRow], name: &str| {
        rows.iter()
            .filter(|r| level(v, r).as_deref() == Some(name))
            .count()
            == 1
    };
    let mut taken = vec![false; n.len()];
    let mut out: Vec<Option<usize>> = vec![None; o.len()];
    let assign = |out: &mut Vec<Option<usize>>, taken: &mut Vec<bool>, i: usize, j: usize| {
        if let (Some(t), Some(slot)) = (taken.get_mut(j), out.get_mut(i)) {
            *t = true;
            *slot = Some(j);
        }
    };
    // 1. The same level, written once on each side.
    for (i, a) in o.iter().enumerate() {
        let Some(l) = level(ov, a) else { continue };
        if !unique(ov, o, &l) || !unique(nk, n, &l) {
            continue;
        }
        if let Some(j) = n
            .iter()
            .position(|b| level(nk, b).as_deref() == Some(l.as_str()))
        {
            assign(&mut out, &mut taken, i, j);
        }
    }
    // 2. The same outcome; 3. the same interval.
    for pass in 0..2 {
        for (i, a) in o.iter().enumerate() {
            if out.get(i).copied().flatten().is_some() {
                continue;
            }
            let found = n.iter().enumerate().position(|(j, b)| {
                !taken.get(j).copied().unwrap_or(true)
                    && if pass == 0 {
                        ov.outcome(&a.outcome) == nk.outcome(&b.outcome)
                    } else {
                        a.interval == b.interval
                    }
            });
            if let Some(j) = found {
                assign(&mut out, &mut taken, i, j);
            }
        }
    }
    // 4. What is left, in order, when as many are left on each side.
    let left_old: Vec<usize> = (0..o.len())
        .filter(|i| out.get(*i).copied().flatten().is_none())
        .collect();
    let left_new: Vec<usize> = (0..n.len())
        .filter(|j| !taken.get(*j).copied().unwrap_or(true))
        .collect();
    if left_old.len() == left_new.len() {
        for (i, j) in left_old.into_iter().zip(left_new) {
            assign(&mut out, &mut taken, i, j);
        }
    }
    out
}

/// Values that tell two sets of bands apart: every edge, a value between each two
/// neighbouring edges, and one beyond each end. Between two neighbouring edges every
/// row either holds for all values or for none.
fn test_points(o: &[ThresholdRow], n: &[ThresholdRow]) -> Vec<Decimal> {
    let mut edges: Vec<Decimal> = o
        .iter()
        .chain(n)
        .flat_map(|r| [r.interval.lo.value, r.interval.hi.value])
        .flatten()
        .collect();
    edges.sort();
    edges.dedup();
    let (Some(first), Some(last)) = (edges.first().copied(), edges.last().copied()) else {
        return vec![Decimal::ZERO];
    };
    let mut points: Vec<Decimal> = first.checked_sub(Decimal::ONE).into_iter().collect();
    for w in edges.windows(2) {
        if let [a, b] = w {
            points.push(*a);
            if let Some(mid) = a.checked_add(*b).and_then(|s| s.checked_div(Decimal::TWO)) {
                points.push(mid);
            }
        }
    }
    points.push(last);
    points.extend(last.checked_add(Decimal::ONE));
    points
}

/// Where row `i` is the one that applies (the first row holding wins).
fn region(rows: &[ThresholdRow], i: usize, points: &[Decimal]) -> Vec<bool> {
    points
        .iter()
        .map(|x| rows.iter().position(|r| r.interval.contains(*x)) == Some(i))
        .collect()
}

/// Whether two sets of bands give the same outcome for every value.
fn same_bands(ov: &View<'_>, nk: &View<'_>, o: &[ThresholdRow], n: &[ThresholdRow]) -> bool {
    let outcome = |v: &View<'_>, rows: &[ThresholdRow], x: Decimal| {
        rows.iter()
            .find(|r| r.interval.contains(x))
            .map(|r| v.outcome(&r.outcome))
    };
    test_points(o, n)
        .into_iter()
        .all(|x| outcome(ov, o, x) == outcome(nk, n, x))
}

/// The kind of change between two row outcomes.
fn outcome_kind(a: &RowOutcome, b: &RowOutcome) -> ChangeKind {
    match (a, b) {
        (RowOutcome::Exclude(_), _) | (_, RowOutcome::Exclude(_)) => ChangeKind::Exclusion,
        (RowOutcome::Rated { .. }, RowOutcome::Rated { .. }) => ChangeKind::RatedRange,
        _ => ChangeKind::RowScore,
    }
}

/// What happened to a band's edges: `upper edge 90 now included`, `lower edge 70 → 75`.
fn edge_words(a: &Interval, b: &Interval) -> String {
    let parts: Vec<String> = [("lower", a.lo, b.lo), ("upper", a.hi, b.hi)]
        .into_iter()
        .filter_map(|(side, x, y)| edge(side, x, y))
        .collect();
    let words = if parts.is_empty() {
        "band changed".to_string()
    } else {
        parts.join(", ")
    };
    format!("{words}: {}", arrow(&row_interval(a), &row_interval(b)))
}

fn edge(side: &str, x: Bound, y: Bound) -> Option<String> {
    let inclusion = |closed: bool| if closed { "included" } else { "excluded" };
    match (x.value, y.value) {
        (Some(p), Some(q)) if p == q => (x.closed != y.closed)
            .then(|| format!("{side} edge {} now {}", number(p), inclusion(y.closed))),
        (Some(p), Some(q)) => {
            let mut s = format!("{side} edge {}", arrow(&number(p), &number(q)));
            if x.closed != y.closed {
                s.push_str(&format!(" (now {})", inclusion(y.closed)));
            }
            Some(s)
        }
        (None, Some(q)) => Some(format!(
            "{side} edge added at {} ({})",
            number(q),
            inclusion(y.closed)
        )),
        (Some(p), None) => Some(format!("{side} edge {} removed", number(p))),
        (None, None) => None,
    }
}
