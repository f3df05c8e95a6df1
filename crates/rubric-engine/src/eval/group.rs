//! Group tables while records stream in: each scored or excluded record of a
//! member kind is credited to its row(s) — every combination of its key values
//! (list keys credit each item in full), in each period table. A row keeps
//! counts and one accumulator per aggregate; never the records.

use super::agg::{AggAcc, InputPlan};
use super::expr::{index, Ctx, Frame};
use super::period::PeriodKey;
use super::textmap::TextMap;
use super::value::{key_str, key_text, KeyText};
use crate::model::{
    Aggregate, FieldType, Group, Kind, KindId, Member, Period, Rubric, SlotId, Value,
};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;
use std::collections::hash_map::Entry;

/// The most rows one record may be credited to in one group (the product of
/// its list keys' item counts); a record beyond it is counted as unassigned,
/// so that one cell cannot create millions of rows.
pub(crate) const MAX_COMBINATIONS: usize = 1024;

/// One group table for one period unit, being filled.
pub(crate) struct Table {
    /// The period unit.
    pub period: Option<Period>,
    /// The rows' counters by [`row_key`] of (key combination id, period): a record
    /// finds its row in one probe, and a row is no more than its counters (its keys
    /// and period are read back from the row key at the end).
    rows: HashMap<u64, Tally>,
}

/// What a row counts while records stream in.
struct Tally {
    scored: u64,
    excluded: u64,
    aggs: SmallVec<[AggAcc; 2]>,
}

/// One row of a finished table: its keys, its period and what it counted.
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
    pub aggs: SmallVec<[AggAcc; 2]>,
}

/// A group being filled: its tables and the records it could not place.
pub(crate) struct GroupAcc<'r> {
    /// The group.
    pub group: &'r Group,
    /// One table per period (one without periods).
    pub tables: Vec<Table>,
    /// Records that had a blank key or date (or too many list-key items).
    pub unassigned: u64,
    /// Key values and combinations seen, as dense ids.
    ids: KeyIds,
    /// Per member kind (as `group.members`), how each aggregate takes its input.
    inputs: Vec<Vec<InputPlan>>,
}

impl GroupAcc<'_> {
    /// The tables' period units and rows (in no particular order).
    pub(crate) fn into_tables(self) -> Vec<(Option<Period>, Vec<RowAcc>)> {
        let ids = self.ids;
        self.tables
            .into_iter()
            .map(|table| {
                let unit = table.period;
                let rows = table
                    .rows
                    .into_iter()
                    .map(|(key, t)| {
                        let (combo, period) = split_row_key(key, unit);
                        RowAcc {
                            keys: ids.texts_of_combo(combo),
                            period,
                            scored: t.scored,
                            excluded: t.excluded,
                            aggs: t.aggs,
                        }
                    })
                    .collect();
                (unit, rows)
            })
            .collect()
    }
}

/// Gives every key value (per key position) and every combination of them a dense
/// id, so that a record finds its row by hashing integers, with one text lookup
/// per key value.
#[derive(Default)]
struct KeyIds {
    /// Per key position, value → id.
    ids: Vec<TextMap<u32>>,
    /// Per key position, id → value.
    texts: Vec<Vec<Box<str>>>,
    /// With several keys, combination of value ids → id, and id → combination.
    combos: HashMap<Box<[u32]>, u32>,
    combo_ids: Vec<Box<[u32]>>,
}

impl KeyIds {
    fn new(keys: usize) -> Self {
        KeyIds {
            ids: (0..keys).map(|_| TextMap::default()).collect(),
            texts: (0..keys).map(|_| Vec::new()).collect(),
            combos: HashMap::default(),
            combo_ids: Vec::new(),
        }
    }

    /// The id of `text` at key position `pos`.
    fn value(&mut self, pos: usize, text: &str) -> u32 {
        let (Some(ids), Some(texts)) = (self.ids.get_mut(pos), self.texts.get_mut(pos)) else {
            return u32::MAX;
        };
        if let Some(id) = ids.get(text) {
            return id;
        }
        let id = u32::try_from(texts.len()).unwrap_or(u32::MAX);
        texts.push(text.into());
        ids.insert(text, id)
    }

    /// The key texts of a combination id.
    fn texts_of_combo(&self, combo: u32) -> Vec<String> {
        if self.texts.len() == 1 {
            return self.texts_of(&[combo]);
        }
        let at = usize::try_from(combo).unwrap_or(usize::MAX);
        self.combo_ids
            .get(at)
            .map_or_else(Vec::new, |ids| self.texts_of(ids))
    }

    /// The key texts of a combination of value ids.
    fn texts_of(&self, ids: &[u32]) -> Vec<String> {
        ids.iter()
            .zip(&self.texts)
            .map(|(id, texts)| {
                let at = usize::try_from(*id).unwrap_or(usize::MAX);
                texts.get(at).map_or_else(String::new, |t| t.to_string())
            })
            .collect()
    }

    /// The id of a combination of value ids (one per key position): with one key,
    /// the value's id itself.
    #[inline]
    fn combo(&mut self, ids: &[u32]) -> u32 {
        match ids {
            [one] => *one,
            _ => self.combo_of_several(ids),
        }
    }

    /// The id of a combination of several value ids, given when it is first seen.
    fn combo_of_several(&mut self, ids: &[u32]) -> u32 {
        if let Some(&id) = self.combos.get(ids) {
            return id;
        }
        let id = u32::try_from(self.combos.len()).unwrap_or(u32::MAX);
        self.combos.insert(ids.into(), id);
        self.combo_ids.push(ids.into());
        id
    }

    /// The ids of a record's key values for `member`, key by key (several for a
    /// list key), into `ids`, with how many each key has into `counts`; false when
    /// a key is blank.
    fn of_record(
        &mut self,
        rubric: &Rubric,
        member: &Member,
        rec: &Credit<'_>,
        ids: &mut Vec<u32>,
        counts: &mut Vec<usize>,
    ) -> bool {
        ids.clear();
        counts.clear();
        for (pos, slot) in member.keys.iter().enumerate() {
            // A plain key that is text already is looked up in place.
            let plain = list_separator(rec.kind, *slot).is_none();
            let text = index(rec.slots, *slot).and_then(|v| key_str(v, &rubric.levels));
            if let Some(text) = text.filter(|_| plain) {
                counts.push(1);
                ids.push(self.value(pos, text));
                continue;
            }
            let Some(values) = key_values(rubric, rec, *slot) else {
                return false;
            };
            counts.push(values.len());
            ids.extend(values.iter().map(|k| self.value(pos, k.as_str())));
        }
        true
    }

    /// The id of a combination of key texts.
    fn combo_of_texts(&mut self, keys: &[String]) -> u32 {
        let ids: Vec<u32> = keys
            .iter()
            .enumerate()
            .map(|(pos, k)| self.value(pos, k))
            .collect();
        self.combo(&ids)
    }
}

/// Every group, and scratch buffers reused between records.
pub(crate) struct Groups<'r> {
    /// The groups, in declaration order.
    pub groups: Vec<GroupAcc<'r>>,
    /// Scratch: the current record's key value ids, how many each key has, and one
    /// combination of them.
    ids: Vec<u32>,
    counts: Vec<usize>,
    combo: Vec<u32>,
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
                        rows: HashMap::default(),
                    })
                    .collect();
                let plans = |m: &Member| {
                    let aggs = group.aggregates.iter();
                    aggs.map(|a| InputPlan::new(a, m.kind)).collect()
                };
                GroupAcc {
                    group,
                    tables,
                    unassigned: 0,
                    ids: KeyIds::new(group.keys.len()),
                    inputs: group.members.iter().map(plans).collect(),
                }
            })
            .collect();
        Groups {
            groups,
            ids: Vec::new(),
            counts: Vec::new(),
            combo: Vec::new(),
        }
    }

    /// Adds the groups another evaluator of the same rubric filled (its share of
    /// the records): rows with the same keys and period are merged.
    pub(crate) fn merge(&mut self, other: Groups<'r>) {
        for (mine, theirs) in self.groups.iter_mut().zip(other.groups) {
            mine.unassigned = mine.unassigned.saturating_add(theirs.unassigned);
            for (table, other_table) in mine.tables.iter_mut().zip(theirs.tables) {
                for (key, tally) in other_table.rows {
                    let (theirs_combo, period) = split_row_key(key, table.period);
                    let keys = theirs.ids.texts_of_combo(theirs_combo);
                    let combo = mine.ids.combo_of_texts(&keys);
                    match table.rows.entry(row_key(combo, period)) {
                        Entry::Occupied(mut at) => at.get_mut().merge(&tally),
                        Entry::Vacant(at) => {
                            at.insert(tally);
                        }
                    }
                }
            }
        }
    }

    /// Adds `by` to every row number kept (a share of the input numbered from its
    /// own start).
    pub(crate) fn shift_rows(&mut self, by: u64) {
        let rows = self.groups.iter_mut().flat_map(|g| &mut g.tables);
        for acc in rows
            .flat_map(|t| t.rows.values_mut())
            .flat_map(|r| &mut r.aggs)
        {
            acc.shift_rows(by);
        }
    }

    /// Credits a scored or excluded record to its rows in every group it is a
    /// member of.
    pub(crate) fn credit(&mut self, rubric: &Rubric, rec: &Credit<'_>) {
        let Groups {
            groups,
            ids,
            counts,
            combo,
        } = self;
        let mut cx = Ctx {
            rubric,
            empty: false,
        };
        let f = Frame::record(rec.slots);
        for g in groups.iter_mut() {
            let GroupAcc {
                group,
                tables,
                unassigned,
                ids: key_ids,
                inputs,
            } = g;
            let members = group.members.iter().zip(inputs.iter());
            for (member, plans) in members.filter(|(m, _)| m.kind == rec.kind_id) {
                let all_keys = key_ids.of_record(rubric, member, rec, ids, counts);
                let combinations = counts.iter().fold(1usize, |n, k| n.saturating_mul(*k));
                let date = record_date(group, member, rec);
                let placed = all_keys && combinations <= MAX_COMBINATIONS && date.is_some();
                let Some(date) = date.filter(|_| placed) else {
                    *unassigned = unassigned.saturating_add(1);
                    continue;
                };
                // Each combination of the key values (one, unless a list key has several).
                for c in 0..combinations {
                    let values = if combinations == 1 {
                        ids.as_slice()
                    } else {
                        pick(c, counts, ids, combo);
                        combo.as_slice()
                    };
                    let combo_id = key_ids.combo(values);
                    for table in tables.iter_mut() {
                        let Some(row) = table.row(&group.aggregates, combo_id, date) else {
                            continue;
                        };
                        if !rec.scored {
                            row.excluded = row.excluded.saturating_add(1);
                            continue;
                        }
                        row.scored = row.scored.saturating_add(1);
                        let aggs = group.aggregates.iter().zip(plans);
                        for (acc, (a, plan)) in row.aggs.iter_mut().zip(aggs) {
                            acc.add_record(*plan, &mut cx, &f, a, rec.row);
                        }
                    }
                }
            }
        }
    }
}

/// Where a record goes: its key values (several per list key) and its date.
pub(crate) struct Place<'a> {
    /// Per key, its values (several for a list key).
    pub keys: Vec<KeyValues<'a>>,
    /// The date driving the periods, when the group has periods.
    pub date: Option<NaiveDate>,
}

impl Place<'_> {
    /// How many rows the record is credited to in one period table.
    pub(crate) fn combinations(&self) -> usize {
        self.keys
            .iter()
            .fold(1usize, |n, k| n.saturating_mul(k.len()))
    }
}

/// The values of one key in one record: one, or the items of a list key.
pub(crate) enum KeyValues<'a> {
    /// A plain key's value.
    One(KeyText<'a>),
    /// A list key's distinct items, sorted.
    List(Vec<KeyText<'a>>),
}

impl<'a> KeyValues<'a> {
    /// The values.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, KeyText<'a>> {
        match self {
            KeyValues::One(k) => std::slice::from_ref(k).iter(),
            KeyValues::List(items) => items.iter(),
        }
    }

    fn len(&self) -> usize {
        match self {
            KeyValues::One(_) => 1,
            KeyValues::List(items) => items.len(),
        }
    }
}

/// The record's keys and date for `member`; `None` when one is blank.
pub(crate) fn place<'a>(
    rubric: &'a Rubric,
    group: &Group,
    member: &Member,
    rec: &Credit<'a>,
) -> Option<Place<'a>> {
    let keys = member
        .keys
        .iter()
        .map(|slot| key_values(rubric, rec, *slot))
        .collect::<Option<Vec<_>>>()?;
    let date = record_date(group, member, rec)?;
    Some(Place { keys, date })
}

/// The values of the key in `slot`; `None` when it is blank.
fn key_values<'a>(rubric: &'a Rubric, rec: &Credit<'a>, slot: SlotId) -> Option<KeyValues<'a>> {
    let text = key_text(index(rec.slots, slot)?, &rubric.levels)?;
    let values = match (list_separator(rec.kind, slot), text) {
        (Some(sep), KeyText::Borrowed(s)) => KeyValues::List(split_list(s, sep)),
        (_, text) => KeyValues::One(text),
    };
    (values.len() > 0).then_some(values)
}

/// The separator of a list key in `slot`; `None` for any other field.
fn list_separator(kind: &Kind, slot: SlotId) -> Option<&str> {
    index(&kind.fields, slot).and_then(|f| match &f.ty {
        FieldType::Key { list: Some(sep) } if !sep.is_empty() => Some(sep.as_str()),
        _ => None,
    })
}

/// The date driving the group's periods: `Some(None)` for a group without
/// periods, `None` when the record's date is blank.
fn record_date(group: &Group, member: &Member, rec: &Credit<'_>) -> Option<Option<NaiveDate>> {
    if group.periods.is_empty() {
        return Some(None);
    }
    match index(rec.slots, member.date?)? {
        Value::Date(d) => Some(Some(*d)),
        _ => None,
    }
}

/// Picks the `c`-th combination of key values into `out`: `all` holds every key's
/// values, key by key, `counts` how many each key has.
fn pick(c: usize, counts: &[usize], all: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let mut rest = c;
    let mut end = all.len();
    for &n in counts.iter().rev() {
        let start = end.saturating_sub(n);
        out.extend(all.get(start.saturating_add(rest % n.max(1))).copied());
        rest /= n.max(1);
        end = start;
    }
    out.reverse();
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

/// A table row's key for hashing: the key combination's id and the period's code.
fn row_key(combo: u32, period: Option<PeriodKey>) -> u64 {
    (u64::from(combo) << 32) | u64::from(period.map_or(0, PeriodKey::code))
}

/// The combination id and the period of a row key, in a table of period `unit`.
fn split_row_key(key: u64, unit: Option<Period>) -> (u32, Option<PeriodKey>) {
    let combo = u32::try_from(key >> 32).unwrap_or(u32::MAX);
    let code = u32::try_from(key & u64::from(u32::MAX)).unwrap_or(0);
    (combo, unit.map(|_| PeriodKey::from_code(code)))
}

impl Table {
    /// The row of a key combination for a record of `date` (created empty when
    /// new); `None` when the table has periods and there is no date.
    fn row(
        &mut self,
        aggs: &[Aggregate],
        combo: u32,
        date: Option<NaiveDate>,
    ) -> Option<&mut Tally> {
        let period = match (self.period, date) {
            (Some(unit), Some(d)) => Some(PeriodKey::of(d, unit)),
            (Some(_), None) => return None,
            (None, _) => None,
        };
        let row = self
            .rows
            .entry(row_key(combo, period))
            .or_insert_with(|| Tally {
                scored: 0,
                excluded: 0,
                aggs: aggs.iter().map(|a| AggAcc::new(a.func)).collect(),
            });
        Some(row)
    }
}

impl Tally {
    fn merge(&mut self, other: &Tally) {
        self.scored = self.scored.saturating_add(other.scored);
        self.excluded = self.excluded.saturating_add(other.excluded);
        for (acc, theirs) in self.aggs.iter_mut().zip(&other.aggs) {
            acc.merge(theirs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_get_one_id_each_whatever_their_length() {
        let texts = [
            "",
            "a",
            "a\0",
            "c0001",
            "1234567",
            "12345678",
            "非常满意",
            "c0001 ",
            "a somewhat longer key value",
        ];
        let mut ids = KeyIds::new(1);
        let first: Vec<u32> = texts.iter().map(|t| ids.value(0, t)).collect();
        let again: Vec<u32> = texts.iter().map(|t| ids.value(0, t)).collect();
        assert_eq!(first, (0..9).collect::<Vec<u32>>());
        assert_eq!(first, again);
        let back = ids.texts_of(&[6]);
        assert_eq!(back, ["非常满意"]);
    }
}
