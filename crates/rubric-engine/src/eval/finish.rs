//! The end of a run: each group table's rows get their aggregates, their
//! computed values in order (ranks and quotas across the rows of the table), and
//! `unscored` rules, checked once every value before the first rank is known.

use super::agg::AggValue;
use super::errors;
use super::expr::{index, truth, Ctx, EvalError, Frame};
use super::group::{GroupAcc, RowAcc};
use super::outcome::{GroupRow, GroupStatus, GroupTable, NamedValue};
use super::rank;
use super::record::computed_in;
use super::score::Write;
use super::value::as_num;
use crate::model::{Computed, ComputedDef, Group, Period, Rubric, Value};
use std::sync::Arc;

/// A row's state while its values are computed.
pub(crate) struct RowState {
    /// What the records gave: keys, period, counts, accumulators.
    pub acc: RowAcc,
    /// The group's slots.
    pub slots: Vec<Value>,
    /// The aggregates' final values.
    pub aggs: Vec<Value>,
    /// Which aggregates are blank because they saw no records.
    pub agg_empty: Vec<bool>,
    /// Problems met while aggregating.
    pub notes: Vec<String>,
    /// Scored, unscored or failed.
    pub state: State,
    /// A value is blank because of a division by zero or an empty aggregate.
    pub empty: bool,
}

/// Whether a row has values.
pub(crate) enum State {
    /// Scored (so far).
    Open,
    /// An `unscored` rule held.
    Unscored(String),
    /// A value could not be computed.
    Failed(&'static str, String),
}

/// The finished tables of one group, in period order.
pub(crate) fn finish_group(rubric: &Rubric, g: GroupAcc<'_>) -> Vec<GroupTable> {
    finish_group_with(rubric, g, &mut |_, _| {})
}

/// [`finish_group`]; `look` sees each table's period unit and finished rows
/// before they are output.
pub(crate) fn finish_group_with(
    rubric: &Rubric,
    g: GroupAcc<'_>,
    look: &mut dyn FnMut(Option<Period>, &[RowState]),
) -> Vec<GroupTable> {
    let group = g.group;
    let outputs: Vec<(usize, Arc<str>)> = group
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.output)
        .map(|(i, s)| (i, Arc::from(s.name.as_str())))
        .collect();
    let unassigned = g.unassigned;
    g.into_tables()
        .into_iter()
        .map(|(unit, mut rows)| {
            // Rows in key and period order (each row's keys and period are its own, so
            // the order is total), sorted before they grow into row states.
            rows.sort_unstable_by(|a, b| (&a.keys, a.period).cmp(&(&b.keys, b.period)));
            let mut rows: Vec<RowState> = rows.into_iter().map(|acc| open(group, acc)).collect();
            compute_table(rubric, group, &mut rows);
            look(unit, &rows);
            GroupTable {
                group: group.name.clone(),
                period: unit,
                rows: rows
                    .into_iter()
                    .map(|r| output(group, unit, &outputs, r))
                    .collect(),
                unassigned,
            }
        })
        .collect()
}

/// A row with its aggregates final and its slots blank.
fn open(group: &Group, acc: RowAcc) -> RowState {
    let finals: Vec<AggValue> = acc
        .aggs
        .iter()
        .enumerate()
        .map(|(i, a)| a.finish(i))
        .collect();
    let mut aggs = Vec::with_capacity(finals.len());
    let mut agg_empty = Vec::with_capacity(finals.len());
    let mut notes = Vec::new();
    for f in finals {
        aggs.push(f.value);
        agg_empty.push(f.empty);
        notes.extend(f.note);
    }
    RowState {
        acc,
        slots: vec![Value::Blank; group.slots.len()],
        aggs,
        agg_empty,
        notes,
        state: State::Open,
        empty: false,
    }
}

/// Computed values in order; `unscored` rules before the first rank or quota.
fn compute_table(rubric: &Rubric, group: &Group, rows: &mut [RowState]) {
    let first_rank = group
        .computed
        .iter()
        .position(|c| matches!(c.def, ComputedDef::Rank { .. } | ComputedDef::Quota { .. }))
        .unwrap_or(group.computed.len());
    let mut writes = Vec::new();
    for (i, c) in group.computed.iter().enumerate() {
        if i == first_rank {
            unscored(rubric, group, rows);
        }
        match &c.def {
            ComputedDef::Rank { of, descending } => {
                for members in by_period(rows) {
                    let ranks = rank::competition(&ranked(rows, &members, *of), *descending);
                    fill(rows, &members, c, ranks, |r| Value::Num(r.into()));
                }
            }
            ComputedDef::Quota { of, tiers } => {
                for members in by_period(rows) {
                    let levels = rank::quota(&ranked(rows, &members, *of), tiers);
                    fill(rows, &members, c, levels, Value::Level);
                }
            }
            _ => {
                for row in rows.iter_mut() {
                    compute_row(rubric, group, row, c, &mut writes);
                }
            }
        }
    }
    if first_rank == group.computed.len() {
        unscored(rubric, group, rows);
    }
}

fn compute_row(
    rubric: &Rubric,
    group: &Group,
    row: &mut RowState,
    c: &Computed,
    writes: &mut Vec<Write>,
) {
    if !matches!(row.state, State::Open) {
        return;
    }
    let mut cx = Ctx {
        rubric,
        empty: false,
    };
    let result = computed_in(
        &mut cx,
        &row.aggs,
        &row.agg_empty,
        &mut row.slots,
        writes,
        c.slot,
        &c.def,
    );
    row.empty |= cx.empty;
    if let Err(e) = result {
        let what = index(&group.slots, c.slot).map_or("?", |s| s.name.as_str());
        let (code, reason) = errors::eval_failure(e, what);
        row.state = State::Failed(code, reason);
    }
}

/// Row indices of each period: ranks and quotas compare rows of one period only.
fn by_period(rows: &[RowState]) -> Vec<Vec<usize>> {
    let mut periods: Vec<_> = rows.iter().map(|r| r.acc.period).collect();
    periods.sort_unstable();
    periods.dedup();
    periods
        .into_iter()
        .map(|p| {
            (0..rows.len())
                .filter(|&i| rows.get(i).is_some_and(|r| r.acc.period == p))
                .collect()
        })
        .collect()
}

/// The ranked slot of each member row; `None` for blank values and closed rows.
pub(crate) fn ranked(
    rows: &[RowState],
    members: &[usize],
    of: u32,
) -> Vec<Option<rust_decimal::Decimal>> {
    members
        .iter()
        .map(|&i| match rows.get(i) {
            Some(
                r @ RowState {
                    state: State::Open, ..
                },
            ) => index(&r.slots, of).and_then(|v| as_num(v).ok().flatten()),
            _ => None,
        })
        .collect()
}

fn fill<T>(
    rows: &mut [RowState],
    members: &[usize],
    c: &Computed,
    values: Vec<Option<T>>,
    wrap: impl Fn(T) -> Value,
) {
    for (&i, v) in members.iter().zip(values) {
        let slot = usize::try_from(c.slot).ok();
        if let Some(slot) = rows
            .get_mut(i)
            .and_then(|row| slot.and_then(|s| row.slots.get_mut(s)))
        {
            *slot = v.map_or(Value::Blank, &wrap);
        }
    }
}

/// Marks rows for which an `unscored` rule holds (a failed row too: the rule
/// explains it better than the failure).
fn unscored(rubric: &Rubric, group: &Group, rows: &mut [RowState]) {
    for row in rows.iter_mut() {
        if matches!(row.state, State::Unscored(_)) {
            continue;
        }
        let mut cx = Ctx {
            rubric,
            empty: false,
        };
        let f = Frame {
            slots: &row.slots,
            aggs: &row.aggs,
            agg_empty: &row.agg_empty,
        };
        for (reason, cond) in &group.unscored {
            match truth(&mut cx, &f, cond) {
                Ok(true) => {
                    row.state = State::Unscored(reason.clone());
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    if matches!(row.state, State::Open) {
                        row.state = failed(e, reason);
                    }
                    break;
                }
            }
        }
    }
}

#[cold]
fn failed(e: EvalError, what: &str) -> State {
    let (code, reason) = errors::eval_failure(e, what);
    State::Failed(code, reason)
}

fn output(
    group: &Group,
    unit: Option<Period>,
    outputs: &[(usize, Arc<str>)],
    r: RowState,
) -> GroupRow {
    let mut empty = None;
    let status = match r.state {
        State::Open => {
            if r.empty {
                empty = Some(
                    group
                        .empty_reason
                        .clone()
                        .unwrap_or_else(|| errors::DEFAULT_EMPTY.to_owned()),
                );
            }
            let values = outputs
                .iter()
                .map(|(i, name)| NamedValue {
                    name: name.clone(),
                    value: r.slots.get(*i).cloned().unwrap_or(Value::Blank),
                })
                .collect();
            GroupStatus::Scored { values }
        }
        State::Unscored(reason) => GroupStatus::Unscored { reason },
        State::Failed(code, reason) => GroupStatus::Failed { code, reason },
    };
    GroupRow {
        keys: r.acc.keys,
        period: r.acc.period.zip(unit).map(|(p, u)| p.label(u)),
        scored: r.acc.scored,
        excluded: r.acc.excluded,
        status,
        empty,
        errors: r.notes,
    }
}
