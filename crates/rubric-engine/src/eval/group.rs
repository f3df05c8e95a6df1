//! Group tables while records stream in: each scored or excluded record of a
//! member kind is credited to its row(s) — every combination of its key values
//! (list keys credit each item in full), in each period table. A row keeps
//! counts and one accumulator per aggregate; never the records.

use super::agg::{self, AggAcc, AggInput};
use super::expr::{index, Ctx, Frame};
use super::period::{push_number, PeriodKey};
use super::value::{key_text, KeyText};
use crate::model::{FieldType, Group, Kind, KindId, Member, Period, Rubric, Value};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

/// The most rows one record may be credited to in one group (the product of
/// its list keys' item counts); a record beyond it is counted as unassigned,
/// so that one cell cannot create millions of rows.
pub(crate) const MAX_COMBINATIONS: usize = 1024;

/// One group table for one period unit, being filled.
pub(crate) struct Table {
    /// The period unit.
    pub period: Option<Period>,
    index: HashMap<Box<str>, usize>,
    /// The rows, in order of first appearance.
    pub rows: Vec<RowAcc>,
}

impl Table {
    fn merge(&mut self, other: Table) {
        let mut by_index: Vec<(Box<str>, usize)> = other.index.into_iter().collect();
        by_index.sort_unstable_by_key(|(_, at)| *at);
        let mut rows: Vec<Option<RowAcc>> = other.rows.into_iter().map(Some).collect();
        for (code, at) in by_index {
            let Some(row) = rows.get_mut(at).and_then(Option::take) else {
                continue;
            };
            match self.index.get(&code) {
                Some(&mine) => {
                    if let Some(target) = self.rows.get_mut(mine) {
                        target.merge(&row);
                    }
                }
                None => {
                    self.rows.push(row);
                    self.index.insert(code, self.rows.len().saturating_sub(1));
                }
            }
        }
    }
}

/// One row of a table, being filled.
pub(crate) struct RowAcc {
    /// Key values.
    pub keys: Vec<String>,
    /// The period.
    pub period: Option<PeriodKey>,
    /// Scored records credited.
    pub scored: u64,
    /// Excluded records credited.
    pub excluded: u64,
    /// One accumulator per aggregate.
    pub aggs: Vec<AggAcc>,
}

/// A group being filled: its tables and the records it could not place.
pub(crate) struct GroupAcc<'r> {
    /// The group.
    pub group: &'r Group,
    /// One table per period (one without periods).
    pub tables: Vec<Table>,
    /// Records that had a blank key or date (or too many list-key items).
    pub unassigned: u64,
}

/// Every group, and scratch buffers reused between records.
pub(crate) struct Groups<'r> {
    /// The groups, in declaration order.
    pub groups: Vec<GroupAcc<'r>>,
    inputs: Vec<AggInput>,
    buf: String,
}

/// A record as groups see it.
pub(crate) struct Credit<'a> {
    /// Its kind.
    pub kind: &'a Kind,
    /// Its kind id.
    pub kind_id: KindId,
    /// Its slot values.
    pub slots: &'a [Value],
    /// Scored (feeds aggregates) or excluded (only counted).
    pub scored: bool,
    /// Its input row number.
    pub row: u64,
}

impl<'r> Groups<'r> {
    /// Empty tables for every group of `rubric`.
    pub(crate) fn new(rubric: &'r Rubric) -> Self {
        let groups = rubric
            .groups
            .iter()
            .map(|group| {
                let periods: Vec<Option<Period>> = if group.periods.is_empty() {
                    vec![None]
                } else {
                    group.periods.iter().copied().map(Some).collect()
                };
                let tables = periods
                    .into_iter()
                    .map(|period| Table {
                        period,
                        index: HashMap::default(),
                        rows: Vec::new(),
                    })
                    .collect();
                GroupAcc {
                    group,
                    tables,
                    unassigned: 0,
                }
            })
            .collect();
        Groups {
            groups,
            inputs: Vec::new(),
            buf: String::new(),
        }
    }

    /// Adds the groups another evaluator of the same rubric filled (its share of
    /// the records): rows with the same keys and period are merged.
    pub(crate) fn merge(&mut self, other: Groups<'r>) {
        for (mine, theirs) in self.groups.iter_mut().zip(other.groups) {
            mine.unassigned = mine.unassigned.saturating_add(theirs.unassigned);
            for (table, other_table) in mine.tables.iter_mut().zip(theirs.tables) {
                table.merge(other_table);
            }
        }
    }

    /// Credits a scored or excluded record to its rows in every group it is a
    /// member of.
    pub(crate) fn credit(&mut self, rubric: &Rubric, rec: &Credit<'_>) {
        let Groups {
            groups,
            inputs,
            buf,
        } = self;
        for g in groups.iter_mut() {
            let group = g.group;
            for member in group.members.iter().filter(|m| m.kind == rec.kind_id) {
                fill_inputs(rubric, group, rec, inputs);
                let place = place(rubric, group, member, rec);
                let Some(place) = place.filter(|p| p.combinations() <= MAX_COMBINATIONS) else {
                    g.unassigned = g.unassigned.saturating_add(1);
                    continue;
                };
                let mut combo = Vec::with_capacity(place.keys.len());
                for c in 0..place.combinations() {
                    place.combination(c, &mut combo);
                    credit_row(g, buf, &combo, place.date, rec.scored, inputs);
                }
            }
        }
    }
}

/// Each aggregate's input from a scored record (nothing for an excluded one).
fn fill_inputs(rubric: &Rubric, group: &Group, rec: &Credit<'_>, inputs: &mut Vec<AggInput>) {
    inputs.clear();
    if !rec.scored {
        return;
    }
    let mut cx = Ctx {
        rubric,
        empty: false,
    };
    let f = Frame::record(rec.slots);
    for (i, a) in group.aggregates.iter().enumerate() {
        inputs.push(agg::input(&mut cx, &f, a, rec.kind_id, rec.row, i));
    }
}

/// Where a record goes: its key values (several per list key) and its date.
pub(crate) struct Place<'a> {
    /// Per key, its values (several for a list key).
    pub keys: Vec<Vec<KeyText<'a>>>,
    /// The date driving the periods, when the group has periods.
    pub date: Option<NaiveDate>,
}

impl<'a> Place<'a> {
    /// How many rows the record is credited to in one period table.
    pub(crate) fn combinations(&self) -> usize {
        self.keys
            .iter()
            .fold(1usize, |n, k| n.saturating_mul(k.len()))
    }

    /// The `c`-th combination of key values.
    fn combination<'p>(&'p self, c: usize, out: &mut Vec<&'p str>) {
        out.clear();
        let mut rest = c;
        for items in self.keys.iter().rev() {
            let n = items.len().max(1);
            out.push(items.get(rest % n).map_or("", KeyText::as_str));
            rest /= n;
        }
        out.reverse();
    }
}

/// The record's keys and date for `member`; `None` when one is blank.
pub(crate) fn place<'a>(
    rubric: &'a Rubric,
    group: &Group,
    member: &Member,
    rec: &Credit<'a>,
) -> Option<Place<'a>> {
    let mut keys = Vec::with_capacity(member.keys.len());
    for slot in &member.keys {
        let text = key_text(index(rec.slots, *slot)?, &rubric.levels)?;
        let list = index(&rec.kind.fields, *slot).and_then(|f| match &f.ty {
            FieldType::Key { list: Some(sep) } if !sep.is_empty() => Some(sep.as_str()),
            _ => None,
        });
        let items = match (list, text) {
            (Some(sep), KeyText::Borrowed(s)) => split_list(s, sep),
            (_, text) => vec![text],
        };
        if items.is_empty() {
            return None;
        }
        keys.push(items);
    }
    let date = if group.periods.is_empty() {
        None
    } else {
        match index(rec.slots, member.date?)? {
            Value::Date(d) => Some(*d),
            _ => return None,
        }
    };
    Some(Place { keys, date })
}

/// The distinct non-empty trimmed items of a list key, in sorted order.
fn split_list<'a>(text: &'a str, sep: &str) -> Vec<KeyText<'a>> {
    let mut items: Vec<&str> = text
        .split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    items.sort_unstable();
    items.dedup();
    items.into_iter().map(KeyText::Borrowed).collect()
}

/// Credits one key combination in every period table of the group.
fn credit_row(
    g: &mut GroupAcc<'_>,
    buf: &mut String,
    keys: &[&str],
    date: Option<NaiveDate>,
    scored: bool,
    inputs: &[AggInput],
) {
    buf.clear();
    for k in keys {
        push_number(buf, u64::try_from(k.len()).unwrap_or(u64::MAX));
        buf.push(':');
        buf.push_str(k);
    }
    let base = buf.len();
    let aggs = &g.group.aggregates;
    for table in &mut g.tables {
        buf.truncate(base);
        let period = match (table.period, date) {
            (Some(unit), Some(d)) => Some(PeriodKey::of(d, unit)),
            (Some(_), None) => continue,
            (None, _) => None,
        };
        if let Some(p) = period {
            p.write_code(buf);
        }
        let at = match table.index.get(buf.as_str()) {
            Some(at) => *at,
            None => {
                table.rows.push(RowAcc {
                    keys: keys.iter().map(|k| (*k).to_owned()).collect(),
                    period,
                    scored: 0,
                    excluded: 0,
                    aggs: aggs.iter().map(|a| AggAcc::new(a.func)).collect(),
                });
                let at = table.rows.len().saturating_sub(1);
                table.index.insert(buf.as_str().into(), at);
                at
            }
        };
        if let Some(row) = table.rows.get_mut(at) {
            add(row, scored, inputs);
        }
    }
}

impl RowAcc {
    fn merge(&mut self, other: &RowAcc) {
        self.scored = self.scored.saturating_add(other.scored);
        self.excluded = self.excluded.saturating_add(other.excluded);
        for (acc, theirs) in self.aggs.iter_mut().zip(&other.aggs) {
            acc.merge(theirs);
        }
    }
}

fn add(row: &mut RowAcc, scored: bool, inputs: &[AggInput]) {
    if scored {
        row.scored = row.scored.saturating_add(1);
        for (acc, input) in row.aggs.iter_mut().zip(inputs) {
            acc.add(input);
        }
    } else {
        row.excluded = row.excluded.saturating_add(1);
    }
}
