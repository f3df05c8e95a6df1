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
struct RowState {
    acc: RowAcc,
    slots: Vec<Value>,
    aggs: Vec<Value>,
    agg_empty: Vec<bool>,
    notes: Vec<String>,
    state: State,
    empty: bool,
}

enum State {
    Open,
    Unscored(String),
    Failed(&'static str, String),
}

/// The finished tables of one group, in period order.
pub(crate) fn finish_group(rubric: &Rubric, g: GroupAcc<'_>) -> Vec<GroupTable> {
    let group = g.group;
    let outputs: Vec<(usize, Arc<str>)> = group
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.output)
        .map(|(i, s)| (i, Arc::from(s.name.as_str())))
        .collect();
    g.tables
        .into_iter()
        .map(|table| {
            let mut rows: Vec<RowState> =
                table.rows.into_iter().map(|acc| open(group, acc)).collect();
            rows.sort_by(|a, b| (&a.acc.keys, a.acc.period).cmp(&(&b.acc.keys, b.acc.period)));
            compute_table(rubric, group, &mut rows);
            GroupTable {
                group: group.name.clone(),
                period: table.period,
                rows: rows
                    .into_iter()
                    .map(|r| output(group, table.period, &outputs, r))
                    .collect(),
                unassigned: g.unassigned,
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
                let ranks = rank::competition(&ranked(rows, *of), *descending);
                fill(rows, c, ranks, |r| Value::Num(r.into()));
            }
            ComputedDef::Quota { of, tiers } => {
                let tiers = rank::quota(&ranked(rows, *of), tiers);
                fill(rows, c, tiers, Value::Level);
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

/// The ranked slot of each open row; `None` for blank values and closed rows.
fn ranked(rows: &[RowState], of: u32) -> Vec<Option<rust_decimal::Decimal>> {
    rows.iter()
        .map(|r| match r.state {
            State::Open => index(&r.slots, of).and_then(|v| as_num(v).ok().flatten()),
            _ => None,
        })
        .collect()
}

fn fill<T>(rows: &mut [RowState], c: &Computed, values: Vec<Option<T>>, wrap: impl Fn(T) -> Value) {
    for (row, v) in rows.iter_mut().zip(values) {
        if let Some(slot) = usize::try_from(c.slot)
            .ok()
            .and_then(|i| row.slots.get_mut(i))
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
