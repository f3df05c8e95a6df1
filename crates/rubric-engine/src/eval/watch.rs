//! Watching one group row while records stream in: which records fell in it and
//! what each gave each aggregate. Only the first [`LISTED`] records (and the first
//! [`LISTED`] inputs of each aggregate) are kept, with a count of the rest, so that
//! memory stays bounded whatever the input.

use super::agg::{self, AggInput};
use super::errors;
use super::expr::{Ctx, Frame};
use super::group::{place, Credit, MAX_COMBINATIONS};
use super::outcome::RecordStatus;
use super::period::PeriodKey;
use super::scale::nfc;
use crate::explain::InputRecord;
use crate::model::{AggFunc, Period, Rubric};
use crate::print::number;
use rubric_syntax::Diagnostic;
use std::sync::Arc;

/// The most records (and aggregate inputs) listed per watched row.
pub(crate) const LISTED: usize = 1000;

/// A watched group row and what has been seen of it.
pub(crate) struct Watch {
    /// The group, by index.
    pub group: usize,
    /// The period unit of its table; `None` for a group without periods.
    pub unit: Option<Period>,
    /// The key values, trimmed and NFC.
    pub keys: Vec<String>,
    /// The period.
    pub period: Option<PeriodKey>,
    /// Rows read before the watch began (their records are not listed).
    pub started_after: u64,
    /// The records credited to the row, first ones.
    pub records: Vec<Seen>,
    /// Records credited but not listed.
    pub more_records: u64,
    /// Per aggregate: the inputs of the records that passed its filter.
    pub inputs: Vec<Listed>,
}

/// A record credited to the watched row.
pub(crate) struct Seen {
    /// Its row number.
    pub row: u64,
    /// Its id.
    pub id: Option<String>,
    /// Its kind.
    pub kind: Arc<str>,
    /// The exclusion reason, for an excluded record.
    pub excluded: Option<String>,
}

/// The listed inputs of one aggregate.
#[derive(Default)]
pub(crate) struct Listed {
    /// The first inputs.
    pub records: Vec<InputRecord>,
    /// Inputs not listed.
    pub more: u64,
}

impl Watch {
    /// Resolves a group row: the group's name, its key values and the period label
    /// (`2026-01`, `2026-Q1`, `2026-H1`, `2026`) when the group has periods.
    pub(crate) fn new(
        rubric: &Rubric,
        group: &str,
        keys: &[String],
        period: Option<&str>,
        started_after: u64,
    ) -> Result<Self, Diagnostic> {
        let Some((gi, g)) = rubric
            .groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.name == group)
        else {
            return Err(errors::unknown_group(group, rubric));
        };
        if keys.len() != g.keys.len() {
            return Err(errors::group_row(
                g,
                format!(
                    "group `{}` has {} key(s) ({}), {} given",
                    g.name,
                    g.keys.len(),
                    g.keys.join(", "),
                    keys.len()
                ),
            ));
        }
        let (unit, key) = match (period.map(str::trim), g.periods.is_empty()) {
            (None, true) => (None, None),
            (Some(label), false) => match PeriodKey::parse(label) {
                Some((unit, key)) if g.periods.contains(&unit) => (Some(unit), Some(key)),
                _ => {
                    return Err(errors::group_row(
                        g,
                        format!("`{label}` is not a period of group `{}`", g.name),
                    ))
                }
            },
            (None, false) => {
                return Err(errors::group_row(
                    g,
                    format!("group `{}` has periods: name one", g.name),
                ))
            }
            (Some(label), true) => {
                return Err(errors::group_row(
                    g,
                    format!("group `{}` has no periods, but `{label}` was given", g.name),
                ))
            }
        };
        Ok(Watch {
            group: gi,
            unit,
            keys: keys.iter().map(|k| nfc(k.trim()).into_owned()).collect(),
            period: key,
            started_after,
            records: Vec::new(),
            more_records: 0,
            inputs: g.aggregates.iter().map(|_| Listed::default()).collect(),
        })
    }

    /// Notes a scored or excluded record, when it falls in the watched row.
    pub(crate) fn observe(
        &mut self,
        rubric: &Rubric,
        rec: &Credit<'_>,
        kind: &Arc<str>,
        status: &RecordStatus,
        id: &mut dyn FnMut() -> Option<String>,
    ) {
        let Some(group) = rubric.groups.get(self.group) else {
            return;
        };
        for member in group.members.iter().filter(|m| m.kind == rec.kind_id) {
            let Some(place) = place(rubric, group, member, rec) else {
                continue;
            };
            let keys_match = place.combinations() <= MAX_COMBINATIONS
                && place.keys.len() == self.keys.len()
                && place
                    .keys
                    .iter()
                    .zip(&self.keys)
                    .all(|(items, want)| items.iter().any(|k| k.as_str() == want));
            let period_match = match (self.unit, self.period, place.date) {
                (None, ..) => true,
                (Some(unit), Some(want), Some(date)) => PeriodKey::of(date, unit) == want,
                _ => false,
            };
            if keys_match && period_match {
                self.add(rubric, rec, kind, status, id());
            }
        }
    }

    fn add(
        &mut self,
        rubric: &Rubric,
        rec: &Credit<'_>,
        kind: &Arc<str>,
        status: &RecordStatus,
        id: Option<String>,
    ) {
        if rec.scored {
            self.add_inputs(rubric, rec, &id);
        }
        if self.records.len() >= LISTED {
            self.more_records = self.more_records.saturating_add(1);
            return;
        }
        let excluded = match status {
            RecordStatus::Excluded { reason } => Some(reason.clone()),
            _ => None,
        };
        self.records.push(Seen {
            row: rec.row,
            id,
            kind: kind.clone(),
            excluded,
        });
    }

    /// What the record gave each aggregate, computed as the group computes it.
    fn add_inputs(&mut self, rubric: &Rubric, rec: &Credit<'_>, id: &Option<String>) {
        let Some(group) = rubric.groups.get(self.group) else {
            return;
        };
        let mut cx = Ctx {
            rubric,
            empty: false,
        };
        let f = Frame::record(rec.slots);
        for (i, (a, listed)) in group.aggregates.iter().zip(&mut self.inputs).enumerate() {
            let plan = agg::InputPlan::new(a, rec.kind_id);
            let value = match plan.input(&mut cx, &f, a, rec.row) {
                AggInput::Skip => continue,
                AggInput::Record(v) => match (a.func, v) {
                    (AggFunc::Count, _) => "counted".to_owned(),
                    (AggFunc::Rate, Some(v)) if !v.is_zero() => "yes".to_owned(),
                    (AggFunc::Rate, _) => "no".to_owned(),
                    (_, Some(v)) => number(v),
                    (_, None) => "blank (not counted)".to_owned(),
                },
                AggInput::Failed(row, why) => errors::agg_input(i, row, why),
            };
            if listed.records.len() >= LISTED {
                listed.more = listed.more.saturating_add(1);
                continue;
            }
            listed.records.push(InputRecord {
                row: rec.row,
                id: id.clone(),
                value,
            });
        }
    }
}
