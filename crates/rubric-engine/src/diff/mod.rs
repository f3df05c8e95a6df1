//! Semantic diff of two checked rubrics: what changed in meaning, in plain words,
//! with the source spans of both sides. Formatting and comments never show up here:
//! two rubrics that score every record and group the same way compare equal.
//!
//! Items are matched by name, never by position. An item that disappears while one
//! with an identical body (everything but the name) appears is reported as a rename,
//! and expressions on the new side are compared in the old side's names, so a rename
//! does not also show up in every formula that mentions it.
//!
//! The checked model has no positions for a few things (header lines, `rounding`,
//! `unscored` rules, `if empty`) and does not keep some facts written in the source
//! (an indicator's weight as written, a scale's `ordered` flag). [`compare_sources`]
//! reads those from the source text when it is given; [`compare`] works from the
//! models alone.
//!
//! [`Impact`] evaluates both rubrics on the same data in one streaming pass and
//! reports which records and group rows come out differently.
//!
//! No I/O happens here.

mod examples;
mod groups;
mod impact;
mod kinds;
mod matching;
mod print;
mod scales;
mod scores;
mod source;

pub use impact::{
    GroupFlip, Impact, ImpactRun, Largest, RecordChange, RecordImpact, TableImpact, ValueChange,
    ValueImpact, Which, MAX_LISTED,
};

use crate::model::Rubric;
use matching::Aliases;
use print::View;
use rubric_syntax::ast::Span;
use serde::Serialize;
use source::Facts;

/// What a change is about; the summary counts changes by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A header line: id, title, version, source, effective date, note.
    Header,
    /// Display precision or rounding mode.
    Rounding,
    /// A whole scale (added, removed, renamed), its type, range or highest score.
    Scale,
    /// A row of a scale added or removed.
    ScaleRow,
    /// A label (synonym) added to or removed from a row.
    Label,
    /// A label moved from one row (tier) to another.
    LabelMove,
    /// The score or level a scale row gives.
    RowScore,
    /// The range of a `rated` row.
    RatedRange,
    /// A band edge of a numeric scale: its value or whether it is included.
    BandEdge,
    /// The `ordered` flag of a scale, or the order of its rows.
    Order,
    /// A whole record kind, how its rows are recognised, or its description.
    Record,
    /// A field: type, column, optional, range, integer, rated by.
    Field,
    /// An exclusion: an `exclude` rule, or a scale row that excludes.
    Exclusion,
    /// A `require` rule.
    Requirement,
    /// A computed value's formula.
    Formula,
    /// An indicator of a score tree added, removed, renamed, or its source.
    Indicator,
    /// An indicator's weight (as written and in effective points).
    Weight,
    /// A `deduct` adjustment.
    Deduction,
    /// A `bonus` adjustment.
    Bonus,
    /// An `adjust` adjustment.
    Adjustment,
    /// A `forfeit` rule.
    Forfeit,
    /// A `floor`.
    Floor,
    /// A `cap`.
    Cap,
    /// A whole group table, or its description.
    Group,
    /// A group's keys.
    Key,
    /// A group's periods, or the date field that drives them.
    Period,
    /// A rank.
    Rank,
    /// A forced distribution (`quota`).
    Quota,
    /// An `unscored` rule.
    Unscored,
    /// An `if empty` reason.
    IfEmpty,
    /// A worked example.
    Example,
}

impl ChangeKind {
    /// The singular and plural nouns used in the summary line.
    pub fn nouns(self) -> (&'static str, &'static str) {
        match self {
            ChangeKind::Header => ("header field", "header fields"),
            ChangeKind::Rounding => ("rounding", "roundings"),
            ChangeKind::Scale => ("scale", "scales"),
            ChangeKind::ScaleRow => ("scale row", "scale rows"),
            ChangeKind::Label => ("label", "labels"),
            ChangeKind::LabelMove => ("label move", "label moves"),
            ChangeKind::RowScore => ("row score", "row scores"),
            ChangeKind::RatedRange => ("rated range", "rated ranges"),
            ChangeKind::BandEdge => ("band edge", "band edges"),
            ChangeKind::Order => ("order", "orders"),
            ChangeKind::Record => ("record kind", "record kinds"),
            ChangeKind::Field => ("field", "fields"),
            ChangeKind::Exclusion => ("exclusion", "exclusions"),
            ChangeKind::Requirement => ("requirement", "requirements"),
            ChangeKind::Formula => ("formula", "formulas"),
            ChangeKind::Indicator => ("indicator", "indicators"),
            ChangeKind::Weight => ("weight", "weights"),
            ChangeKind::Deduction => ("deduction", "deductions"),
            ChangeKind::Bonus => ("bonus", "bonuses"),
            ChangeKind::Adjustment => ("adjustment", "adjustments"),
            ChangeKind::Forfeit => ("forfeit", "forfeits"),
            ChangeKind::Floor => ("floor", "floors"),
            ChangeKind::Cap => ("cap", "caps"),
            ChangeKind::Group => ("group", "groups"),
            ChangeKind::Key => ("key", "keys"),
            ChangeKind::Period => ("period", "periods"),
            ChangeKind::Rank => ("rank", "ranks"),
            ChangeKind::Quota => ("quota", "quotas"),
            ChangeKind::Unscored => ("unscored rule", "unscored rules"),
            ChangeKind::IfEmpty => ("if-empty reason", "if-empty reasons"),
            ChangeKind::Example => ("example", "examples"),
        }
    }
}

/// What happened to the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Only in the new rubric.
    Added,
    /// Only in the old rubric.
    Removed,
    /// The same body under another name.
    Renamed,
    /// In both, with a different meaning.
    Changed,
    /// A label that moved to another row.
    Moved,
}

impl Action {
    /// The one-character marker of the text output: `+`, `-` or `~`.
    pub fn marker(self) -> char {
        match self {
            Action::Added => '+',
            Action::Removed => '-',
            Action::Renamed | Action::Changed | Action::Moved => '~',
        }
    }
}

/// One difference in meaning between two rubrics. Plain serde data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What the change is about.
    pub kind: ChangeKind,
    /// Added, removed, renamed, changed or moved.
    pub action: Action,
    /// Where, in the new rubric's names (the old one's for removals):
    /// `group 单位 › score 总分 › 服务投诉 › deduct`.
    pub path: String,
    /// The change in plain words: `deduct 6 → 8 per 有效投诉`.
    pub what: String,
    /// The old value in plain words, when there is one.
    pub old: Option<String>,
    /// The new value in plain words, when there is one.
    pub new: Option<String>,
    /// Where the old side was written, in the old source.
    pub old_span: Option<Span>,
    /// Where the new side was written, in the new source.
    pub new_span: Option<Span>,
}

impl Change {
    pub(crate) fn new(
        kind: ChangeKind,
        action: Action,
        path: impl Into<String>,
        what: impl Into<String>,
    ) -> Self {
        Change {
            kind,
            action,
            path: path.into(),
            what: what.into(),
            old: None,
            new: None,
            old_span: None,
            new_span: None,
        }
    }

    /// Sets the old value and where it was written.
    pub(crate) fn was(mut self, text: Option<String>, span: Option<Span>) -> Self {
        self.old = text;
        self.old_span = span;
        self
    }

    /// Sets the new value and where it was written.
    pub(crate) fn now(mut self, text: Option<String>, span: Option<Span>) -> Self {
        self.new = text;
        self.new_span = span;
        self
    }
}

/// One side of a comparison: the checked rubric and, when available, the source
/// text it was compiled from (its spans point into it).
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// The checked rubric.
    pub rubric: &'a Rubric,
    /// Its source text, when known.
    pub source: Option<&'a str>,
}

/// How two rubrics relate, overall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Same canonical text: the files differ at most in layout and whitespace.
    Same,
    /// The canonical texts differ (comments, or the order of declarations), but
    /// nothing means anything else.
    FormattingOnly,
    /// At least one change in meaning.
    Changed,
}

/// The changes in meaning from `old` to `new`, from the checked models alone.
pub fn compare(old: &Rubric, new: &Rubric) -> Vec<Change> {
    compare_sources(
        Side {
            rubric: old,
            source: None,
        },
        Side {
            rubric: new,
            source: None,
        },
    )
}

/// The changes in meaning from `old` to `new`. With source texts, header lines,
/// `rounding`, `unscored` and `if empty` get their positions, weights are quoted as
/// written and `ordered` flags are compared. A source that does not parse is ignored.
pub fn compare_sources(old: Side<'_>, new: Side<'_>) -> Vec<Change> {
    let of = old.source.map(Facts::read).unwrap_or_default();
    let nf = new.source.map(Facts::read).unwrap_or_default();
    let mut d = Differ {
        old: old.rubric,
        new: new.rubric,
        of: &of,
        nf: &nf,
        aliases: Aliases::default(),
        out: Vec::new(),
    };
    d.header();
    d.rounding();
    d.scales();
    d.kinds();
    d.groups();
    d.examples();
    d.out
}

/// Whether the rubrics mean the same, given their changes.
pub fn verdict(old: &Rubric, new: &Rubric, changes: &[Change]) -> Verdict {
    if !changes.is_empty() {
        Verdict::Changed
    } else if old.hash == new.hash {
        Verdict::Same
    } else {
        Verdict::FormattingOnly
    }
}

/// "3 changes: 1 weight, 1 deduction, 1 band edge", or "no semantic change".
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no semantic change".to_string();
    }
    let mut counts: Vec<(ChangeKind, usize)> = Vec::new();
    for c in changes {
        match counts.iter_mut().find(|(k, _)| *k == c.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.kind, 1)),
        }
    }
    counts.sort_by_key(|(k, _)| *k);
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            let (one, many) = k.nouns();
            format!("{n} {}", if *n == 1 { one } else { many })
        })
        .collect();
    let total = changes.len();
    let word = if total == 1 { "change" } else { "changes" };
    format!("{total} {word}: {}", parts.join(", "))
}

/// The comparison in progress.
pub(crate) struct Differ<'a> {
    pub(crate) old: &'a Rubric,
    pub(crate) new: &'a Rubric,
    pub(crate) of: &'a Facts,
    pub(crate) nf: &'a Facts,
    /// New names → old names of renamed items, so the new side prints in old terms.
    pub(crate) aliases: Aliases,
    pub(crate) out: Vec<Change>,
}

impl Differ<'_> {
    /// The old rubric, printed in its own names.
    pub(crate) fn ov(&self) -> View<'_> {
        View::new(self.old, None)
    }

    /// The new rubric, printed in the old rubric's names (for comparing).
    pub(crate) fn nk(&self) -> View<'_> {
        View::new(self.new, Some(&self.aliases))
    }

    /// The new rubric, printed in its own names (for showing).
    pub(crate) fn nv(&self) -> View<'_> {
        View::new(self.new, None)
    }

    /// Whether two expressions mean the same: printed alike (in the old side's
    /// names), or alike once every computed value they use is replaced by its formula.
    /// A value whose formula changed is reported once, where it is defined, not again
    /// in every formula that uses it.
    pub(crate) fn same_expr(
        &self,
        a: &crate::model::Expr,
        so: crate::print::Scope,
        b: &crate::model::Expr,
        sn: crate::print::Scope,
    ) -> bool {
        self.ov().expr(a, so) == self.nk().expr(b, sn)
            || self.ov().inlined().expr(a, so) == self.nk().inlined().expr(b, sn)
    }

    pub(crate) fn push(&mut self, c: Change) {
        self.out.push(c);
    }

    fn header(&mut self) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        let fields: [(&str, Option<&String>, Option<&String>); 6] = [
            ("id", Some(&o.id), Some(&n.id)),
            ("title", o.title.as_ref(), n.title.as_ref()),
            ("version", o.version.as_ref(), n.version.as_ref()),
            ("source", o.source.as_ref(), n.source.as_ref()),
            ("effective", o.effective.as_ref(), n.effective.as_ref()),
            ("note", o.note.as_ref(), n.note.as_ref()),
        ];
        for (key, a, b) in fields {
            if a == b {
                continue;
            }
            // The id and the effective date are written without quotes.
            let show = |v: &str| {
                if matches!(key, "id" | "effective") {
                    v.to_string()
                } else {
                    crate::print::quote(v)
                }
            };
            let (action, what) = match (a, b) {
                (None, Some(b)) => (Action::Added, format!("{key} {} added", show(b))),
                (Some(a), None) => (Action::Removed, format!("{key} {} removed", show(a))),
                (Some(a), Some(b)) => (
                    Action::Changed,
                    format!("{key} {}", print::arrow(&show(a), &show(b))),
                ),
                (None, None) => continue,
            };
            let c = Change::new(ChangeKind::Header, action, format!("header › {key}"), what)
                .was(a.cloned(), self.of.header_span(key))
                .now(b.cloned(), self.nf.header_span(key));
            self.push(c);
        }
    }

    fn rounding(&mut self) {
        let (o, n) = (self.old.rounding, self.new.rounding);
        if o == n {
            return;
        }
        let text = |r: crate::model::Rounding| format!("{} {}", r.places, r.mode.keyword());
        let c = Change::new(
            ChangeKind::Rounding,
            Action::Changed,
            "rounding",
            format!("rounding {} → {}", text(o), text(n)),
        )
        .was(Some(text(o)), self.of.rounding)
        .now(Some(text(n)), self.nf.rounding);
        self.push(c);
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{ArithOp, ComputedDef, Expr};

    fn rubric(src: &str) -> Rubric {
        match crate::compile(src) {
            Ok(c) => c.rubric,
            Err(d) => panic!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()),
        }
    }

    const BASE: &str = r#"rubric t { title "t" }
scale 评价 {
  "好" => 100
  "差" => 0
}
record 回访 {
  id: id
  q1: 评价
  a: number 0..10
  x = a + 1
  y = x * 2
  score CS {
    q1 100
  }
}
example "e" {
  given {
    | id | q1 | a |
    | r1 | 好 | 1 |
  }
  expect record r1 { CS = 100 }
}
"#;

    #[test]
    fn a_renamed_scale_is_one_change_not_one_per_use() {
        let old = rubric(BASE);
        let new = rubric(&BASE.replace("评价", "回访评价"));
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].action, Action::Renamed);
        assert_eq!(changes[0].path, "scale 回访评价");
        assert_eq!(summary(&changes), "1 change: 1 scale");
    }

    #[test]
    fn a_value_that_uses_itself_still_compares_in_bounded_time() {
        // The checker rejects cycles, but a hand-made `.ron` could hold one.
        let old = rubric(BASE);
        let mut new = old.clone();
        let kind = &mut new.kinds[0];
        let x = kind.slots.iter().position(|s| s.name == "x").unwrap_or(0) as u32;
        for c in &mut kind.computed {
            if c.slot == x {
                let wide = Expr::Arith(
                    Box::new(Expr::Slot(x)),
                    (0..8).map(|_| (ArithOp::Add, Expr::Slot(x))).collect(),
                );
                c.def = ComputedDef::Expr(wide);
            }
        }
        let changes = compare(&old, &new);
        assert!(
            changes.iter().any(|c| c.path == "record 回访 › x"),
            "{changes:#?}"
        );
    }
}
