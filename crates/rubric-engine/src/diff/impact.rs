//! Both rubrics on the same data, in one streaming pass: two evaluators are fed the
//! same rows. Memory stays bounded as in `eval`: records are compared as they come
//! and only counted, with the largest change and the first [`MAX_LISTED`] changed
//! records kept; group tables are compared at the end. Only outputs present in both
//! rubrics (same name) are compared.

use crate::decimal;
use crate::eval::{
    Evaluator, GroupRow, GroupStatus, GroupTable, NamedValue, RecordOutcome, RecordStatus, Summary,
};
use crate::model::{ComputedDef, Rubric, SlotInfo, Value, ValueType};
use rubric_syntax::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// Most records (and most group rows per table) listed by name; the rest are counted.
pub const MAX_LISTED: usize = 50;

/// Which rubric a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// The old rubric.
    Old,
    /// The new rubric.
    New,
}

/// A value that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueChange {
    /// The value's name.
    pub name: String,
    /// Shown with the old rubric's rounding.
    pub old: String,
    /// Shown with the new rubric's rounding.
    pub new: String,
    /// `new − old`, exactly, when both are numbers.
    pub delta: Option<Decimal>,
    /// Whether the value is a whole number (a count, a rank), shown without decimals.
    pub whole: bool,
    /// Whether the value is a level (a grade).
    pub level: bool,
}

/// The largest change of a value, and where it happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Largest {
    /// The record (`S0003`, or `row 7 of x.csv`) or group row (`张伟 · 2026-01`).
    pub at: String,
    /// The value's name.
    pub name: String,
    /// Old value, shown.
    pub old: String,
    /// New value, shown.
    pub new: String,
    /// `new − old`.
    pub delta: Decimal,
    /// Whether the value is a whole number (a count, a rank).
    pub whole: bool,
}

/// How often one value changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueImpact {
    /// The value's name.
    pub name: String,
    /// Records (or group rows) where it differs.
    pub changed: u64,
    /// The largest numeric change.
    pub largest: Option<Largest>,
}

/// One record that comes out differently.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordChange {
    /// The data file.
    pub source: String,
    /// The 1-based data row in that file.
    pub row: u64,
    /// The record's id, when it has one.
    pub id: Option<String>,
    /// The record kind.
    pub kind: Option<String>,
    /// `scored`, `excluded "…"` or `rejected (E-…)` under the old rubric.
    pub old_status: String,
    /// The same under the new rubric.
    pub new_status: String,
    /// Values present in both that differ (when scored by both).
    pub values: Vec<ValueChange>,
}

impl RecordChange {
    /// `S0003`, or `row 7 of x.csv` for a record without an id.
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("row {} of {}", self.row, self.source),
        }
    }
}

/// What the records say.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RecordImpact {
    /// Rows read.
    pub compared: u64,
    /// Records whose status or some value differs.
    pub changed: u64,
    /// Records scored, excluded or rejected differently.
    pub status_changed: u64,
    /// Records with a level (grade) value that differs.
    pub grade_changed: u64,
    /// The largest numeric change of any value (sub-indicators only when nothing
    /// else changed).
    pub largest: Option<Largest>,
    /// Per value: how many records it changed in.
    pub values: Vec<ValueImpact>,
    /// The first [`MAX_LISTED`] changed records.
    pub listed: Vec<RecordChange>,
    /// The first [`MAX_LISTED`] records whose grade changed.
    pub grade_listed: Vec<RecordChange>,
}

/// A group row whose grade, rank or status changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupFlip {
    /// Key values.
    pub keys: Vec<String>,
    /// The period label, when the table has periods.
    pub period: Option<String>,
    /// `grade`, `rank` or `status`.
    pub what: &'static str,
    /// The value's name (`status` for a status change).
    pub name: String,
    /// Old, shown.
    pub old: String,
    /// New, shown.
    pub new: String,
}

impl GroupFlip {
    /// `张伟 · 2026-01`.
    pub fn label(&self) -> String {
        row_label(&self.keys, self.period.as_deref())
    }
}

/// One group table (group and period) compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableImpact {
    /// The group.
    pub group: String,
    /// `month`, `quarter`, `half-year`, `year`; `None` without periods.
    pub period: Option<String>,
    /// Rows under the old rubric.
    pub rows_old: u64,
    /// Rows under the new rubric.
    pub rows_new: u64,
    /// Rows present in both.
    pub compared: u64,
    /// Rows whose status or some value differs.
    pub changed: u64,
    /// Rows with a level (grade) value that differs.
    pub grade_changed: u64,
    /// Rows with a rank that differs.
    pub rank_changed: u64,
    /// Rows that became unscored or scored, or failed.
    pub status_changed: u64,
    /// The largest numeric change of any value (sub-indicators only when nothing
    /// else changed).
    pub largest: Option<Largest>,
    /// Grade, rank and status changes, at most [`MAX_LISTED`].
    pub flips: Vec<GroupFlip>,
    /// All of them, listed or not.
    pub flips_total: u64,
    /// Per value: how many rows it changed in.
    pub values: Vec<ValueImpact>,
}

/// Everything the data says about the change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Impact {
    /// Record counts under the old rubric.
    pub old_summary: Summary,
    /// Record counts under the new rubric.
    pub new_summary: Summary,
    /// The records.
    pub records: RecordImpact,
    /// Group tables present in both rubrics.
    pub tables: Vec<TableImpact>,
}

/// Both rubrics fed the same rows.
pub struct ImpactRun<'r> {
    old_rubric: &'r Rubric,
    new_rubric: &'r Rubric,
    old: Evaluator<'r>,
    new: Evaluator<'r>,
    source: String,
    records: RecordImpact,
}

impl<'r> ImpactRun<'r> {
    /// Binds the first input's header to both rubrics.
    pub fn new(
        old: &'r Rubric,
        new: &'r Rubric,
        header: &[&str],
    ) -> Result<Self, (Which, Vec<Diagnostic>)> {
        let o = Evaluator::new(old, header).map_err(|d| (Which::Old, d))?;
        let n = Evaluator::new(new, header).map_err(|d| (Which::New, d))?;
        Ok(ImpactRun {
            old_rubric: old,
            new_rubric: new,
            old: o,
            new: n,
            source: String::new(),
            records: RecordImpact::default(),
        })
    }

    /// Switches both evaluators to the next input, as [`Evaluator::rebind`].
    pub fn rebind(
        &mut self,
        header: &[&str],
        kind: Option<&str>,
    ) -> Result<(), (Which, Vec<Diagnostic>)> {
        self.old.rebind(header, kind).map_err(|d| (Which::Old, d))?;
        self.new.rebind(header, kind).map_err(|d| (Which::New, d))
    }

    /// Names the input the next rows come from (shown with listed records).
    pub fn set_source(&mut self, name: &str) {
        self.source = name.to_string();
    }

    /// Counts a row that could not be read, on both sides.
    pub fn reject_unread(&mut self, row: u64, code: &'static str, reason: &str) {
        self.old.reject_unread(row, code, reason.to_string());
        self.new.reject_unread(row, code, reason.to_string());
        self.records.compared = self.records.compared.saturating_add(1);
    }

    /// Scores one row with both rubrics and compares the outcomes.
    pub fn push(&mut self, row: u64, cells: &[&str]) {
        let a = self.old.push(row, cells);
        let b = self.new.push(row, cells);
        self.records.compared = self.records.compared.saturating_add(1);
        self.compare_record(&a, &b);
    }

    /// The record counts so far, old and new.
    pub fn summaries(&self) -> (Summary, Summary) {
        (self.old.summary(), self.new.summary())
    }

    fn compare_record(&mut self, a: &RecordOutcome, b: &RecordOutcome) {
        let (sa, sb) = (status_text(&a.status), status_text(&b.status));
        let values = match (&a.status, &b.status) {
            (RecordStatus::Scored { values: va, .. }, RecordStatus::Scored { values: vb, .. }) => {
                let slots_a = kind_slots(self.old_rubric, a.kind.as_deref());
                let slots_b = kind_slots(self.new_rubric, b.kind.as_deref());
                compare_values(
                    (self.old_rubric, slots_a, va),
                    (self.new_rubric, slots_b, vb),
                )
            }
            _ => Vec::new(),
        };
        let status_changed = sa != sb;
        if !status_changed && values.is_empty() {
            return;
        }
        let r = &mut self.records;
        r.changed = r.changed.saturating_add(1);
        if status_changed {
            r.status_changed = r.status_changed.saturating_add(1);
        }
        let change = RecordChange {
            source: self.source.clone(),
            row: b.row,
            id: b.id.clone().or_else(|| a.id.clone()),
            kind: b.kind.as_deref().or(a.kind.as_deref()).map(str::to_string),
            old_status: sa,
            new_status: sb,
            values,
        };
        let label = change.label();
        for v in &change.values {
            tally(&mut r.values, v, &label);
        }
        let graded = change.values.iter().any(|v| v.level);
        if graded {
            r.grade_changed = r.grade_changed.saturating_add(1);
            if r.grade_listed.len() < MAX_LISTED {
                r.grade_listed.push(change.clone());
            }
        }
        if r.listed.len() < MAX_LISTED {
            r.listed.push(change);
        }
    }

    /// Ends the run: compares the group tables.
    pub fn finish(self) -> Impact {
        let (ro, rn) = (self.old_rubric, self.new_rubric);
        let a = self.old.finish();
        let b = self.new.finish();
        let tables = a
            .tables
            .iter()
            .filter_map(|ta| {
                let tb = b
                    .tables
                    .iter()
                    .find(|t| t.group == ta.group && t.period == ta.period)?;
                Some(compare_tables(ro, rn, ta, tb))
            })
            .collect();
        let mut records = self.records;
        records.largest = settle(&mut records.values);
        Impact {
            old_summary: a.summary,
            new_summary: b.summary,
            records,
            tables,
        }
    }
}

/// Adds one value change to the per-value counts and their largest changes.
fn tally(values: &mut Vec<ValueImpact>, v: &ValueChange, at: &str) {
    let idx = match values.iter().position(|x| x.name == v.name) {
        Some(i) => i,
        None => {
            values.push(ValueImpact {
                name: v.name.clone(),
                changed: 0,
                largest: None,
            });
            values.len() - 1
        }
    };
    let Some(entry) = values.get_mut(idx) else {
        return;
    };
    entry.changed = entry.changed.saturating_add(1);
    let Some(delta) = v.delta else { return };
    if entry
        .largest
        .as_ref()
        .is_none_or(|l| delta.abs() > l.delta.abs())
    {
        entry.largest = Some(Largest {
            at: at.to_string(),
            name: v.name.clone(),
            old: v.old.clone(),
            new: v.new.clone(),
            delta,
            whole: v.whole,
        });
    }
}

/// Puts whole values before sub-indicators (`CS` before `CS.q1`) and returns the
/// largest change, preferring whole values.
fn settle(values: &mut [ValueImpact]) -> Option<Largest> {
    values.sort_by_key(|v| v.name.contains('.'));
    let pick = |top: bool| {
        values
            .iter()
            .filter(|v| !top || !v.name.contains('.'))
            .filter_map(|v| v.largest.as_ref())
            .fold(None::<&Largest>, |best, l| match best {
                Some(b) if b.delta.abs() >= l.delta.abs() => Some(b),
                _ => Some(l),
            })
            .cloned()
    };
    pick(true).or_else(|| pick(false))
}

fn compare_tables(ro: &Rubric, rn: &Rubric, ta: &GroupTable, tb: &GroupTable) -> TableImpact {
    let ga = ro.groups.iter().find(|g| g.name == ta.group);
    let gb = rn.groups.iter().find(|g| g.name == tb.group);
    let slots_a = ga.map_or(&[][..], |g| g.slots.as_slice());
    let slots_b = gb.map_or(&[][..], |g| g.slots.as_slice());
    let ranks: Vec<&str> = gb
        .map(|g| {
            g.computed
                .iter()
                .filter(|c| matches!(c.def, ComputedDef::Rank { .. }))
                .filter_map(|c| g.slots.get(c.slot as usize).map(|s| s.name.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let index: HashMap<(&[String], Option<&str>), &GroupRow> = tb
        .rows
        .iter()
        .map(|r| ((r.keys.as_slice(), r.period.as_deref()), r))
        .collect();
    let mut t = TableImpact {
        group: tb.group.clone(),
        period: tb.period.map(|p| p.keyword().to_string()),
        rows_old: count(ta.rows.len()),
        rows_new: count(tb.rows.len()),
        compared: 0,
        changed: 0,
        grade_changed: 0,
        rank_changed: 0,
        status_changed: 0,
        largest: None,
        flips: Vec::new(),
        flips_total: 0,
        values: Vec::new(),
    };
    for ra in &ta.rows {
        let Some(rb) = index.get(&(ra.keys.as_slice(), ra.period.as_deref())) else {
            continue;
        };
        t.compared += 1;
        let label = row_label(&ra.keys, ra.period.as_deref());
        let (sa, sb) = (group_status(&ra.status), group_status(&rb.status));
        let mut flips = Vec::new();
        let mut changed = false;
        if sa != sb {
            changed = true;
            t.status_changed += 1;
            flips.push(("status", "status".to_string(), sa, sb));
        }
        if let (GroupStatus::Scored { values: va }, GroupStatus::Scored { values: vb }) =
            (&ra.status, &rb.status)
        {
            let diffs = compare_values((ro, slots_a, va), (rn, slots_b, vb));
            changed |= !diffs.is_empty();
            let (mut graded, mut ranked) = (false, false);
            for v in &diffs {
                let rank = ranks.contains(&v.name.as_str());
                if !rank {
                    tally(&mut t.values, v, &label);
                }
                if v.level {
                    graded = true;
                    flips.push(("grade", v.name.clone(), v.old.clone(), v.new.clone()));
                } else if rank {
                    ranked = true;
                    flips.push(("rank", v.name.clone(), v.old.clone(), v.new.clone()));
                }
            }
            t.grade_changed += u64::from(graded);
            t.rank_changed += u64::from(ranked);
        }
        t.changed += u64::from(changed);
        for (what, name, old, new) in flips {
            t.flips_total += 1;
            if t.flips.len() < MAX_LISTED {
                t.flips.push(GroupFlip {
                    keys: ra.keys.clone(),
                    period: ra.period.clone(),
                    what,
                    name,
                    old,
                    new,
                });
            }
        }
    }
    t.largest = settle(&mut t.values);
    t
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn row_label(keys: &[String], period: Option<&str>) -> String {
    let mut parts: Vec<&str> = keys.iter().map(String::as_str).collect();
    parts.extend(period);
    if parts.is_empty() {
        "(all)".into()
    } else {
        parts.join(" · ")
    }
}

fn status_text(s: &RecordStatus) -> String {
    match s {
        RecordStatus::Scored { .. } => "scored".into(),
        RecordStatus::Excluded { reason } => format!("excluded \"{reason}\""),
        RecordStatus::Rejected { code, field, .. } => match field {
            Some(f) => format!("rejected ({code} in {f})"),
            None => format!("rejected ({code})"),
        },
    }
}

fn group_status(s: &GroupStatus) -> String {
    match s {
        GroupStatus::Scored { .. } => "scored".into(),
        GroupStatus::Unscored { reason } => format!("unscored \"{reason}\""),
        GroupStatus::Failed { code, .. } => format!("failed ({code})"),
    }
}

fn kind_slots<'r>(r: &'r Rubric, kind: Option<&str>) -> &'r [SlotInfo] {
    kind.and_then(|k| r.kinds.iter().find(|x| x.name == k))
        .map_or(&[][..], |k| k.slots.as_slice())
}

/// Values present on both sides (by name) that differ.
fn compare_values(
    (ra, sa, va): (&Rubric, &[SlotInfo], &[NamedValue]),
    (rb, sb, vb): (&Rubric, &[SlotInfo], &[NamedValue]),
) -> Vec<ValueChange> {
    let mut out = Vec::new();
    for x in va {
        let Some(y) = vb.iter().find(|y| y.name == x.name) else {
            continue;
        };
        if same(ra, &x.value, rb, &y.value) {
            continue;
        }
        let delta = match (number(&x.value), number(&y.value)) {
            (Some(p), Some(q)) => q.checked_sub(p),
            _ => None,
        };
        out.push(ValueChange {
            name: x.name.to_string(),
            old: shown(ra, sa, &x.name, &x.value),
            new: shown(rb, sb, &y.name, &y.value),
            delta,
            whole: slot_type(sb, &y.name) == Some(ValueType::Integer),
            level: matches!(x.value, Value::Level(_)) || matches!(y.value, Value::Level(_)),
        });
    }
    out
}

fn level(r: &Rubric, l: Option<u32>) -> Option<&str> {
    l.and_then(|l| r.levels.get(l as usize)).map(String::as_str)
}

/// Whether two values mean the same; levels are compared by name.
fn same(ra: &Rubric, a: &Value, rb: &Rubric, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Level(x), Value::Level(y)) => level(ra, Some(*x)) == level(rb, Some(*y)),
        (
            Value::Answer {
                label: la,
                score: sa,
                level: va,
            },
            Value::Answer {
                label: lb,
                score: sb,
                level: vb,
            },
        ) => la == lb && sa == sb && level(ra, *va) == level(rb, *vb),
        _ => a == b,
    }
}

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Num(n) => Some(*n),
        Value::Answer { score, .. } => *score,
        _ => None,
    }
}

fn slot_type(slots: &[SlotInfo], name: &str) -> Option<ValueType> {
    slots.iter().find(|s| s.name == name).map(|s| s.ty)
}

/// A value as `eval` shows it: the rubric's rounding, whole numbers without decimals.
fn shown(r: &Rubric, slots: &[SlotInfo], name: &str, v: &Value) -> String {
    let ty = slots.iter().find(|s| s.name == name).map(|s| s.ty);
    match v {
        Value::Num(n) if ty == Some(ValueType::Integer) => n.normalize().to_string(),
        Value::Num(n) => decimal::display(*n, r.rounding),
        Value::Answer { score: Some(n), .. } => decimal::display(*n, r.rounding),
        other => crate::describe_value(r, other)
            .trim_matches('"')
            .to_string(),
    }
}
