//! The streaming evaluator: bind a header once, push rows one at a time (one
//! [`RecordOutcome`] each), then [`Evaluator::finish`] for the group tables and
//! the summary. Memory grows with the number of groups, never with the number of
//! records; nothing here panics on any input.
//!
//! ```text
//! let mut ev = Evaluator::new(&rubric, &header)?;
//! for (i, cells) in rows.enumerate() { report(ev.push(i as u64 + 1, &cells)); }
//! let results = ev.finish();
//! ```

mod agg;
mod bind;
mod errors;
mod expr;
mod fields;
mod finish;
mod func;
mod group;
mod outcome;
pub(crate) mod period;
mod rank;
mod record;
mod scale;
mod score;
mod show;
mod textmap;
mod trace;
mod value;
mod watch;

#[cfg(test)]
mod tests;

/// The stable codes of record rejections, header errors and group failures.
pub mod codes {
    pub use super::errors::{
        COUNT, DATE, DEFAULT_EMPTY, FLAG, GROUP_ROW, HEADER_DUP, INTERNAL, INVALID_ARG, MISSING,
        MISSING_COLUMN, NOT_INTEGER, NOT_NUMBER, NUMBER_PRECISION, NUMBER_RANGE, OUT_OF_RANGE,
        OVERFLOW, RATED_MISSING, RATED_UNEXPECTED, REQUIRE, ROW_ARITY, UNKNOWN_GROUP, UNKNOWN_KIND,
        UNKNOWN_LABEL,
    };
}
pub use outcome::{
    GroupRow, GroupStatus, GroupTable, NamedValue, RecordOutcome, RecordStatus, Results, RubricRef,
    Summary,
};

use crate::explain::Explanation;
use crate::model::{KindId, Period, Rubric};
use bind::Binding;
use fields::Reader;
use finish::RowState;
use group::{Credit, Groups};
use record::KindState;
use rubric_syntax::Diagnostic;
use scale::nfc;
use watch::Watch;

/// The kind every row of an input has, when the input holds one kind.
fn fixed_kind(rubric: &Rubric, kind: Option<&str>) -> Result<Option<KindId>, Vec<Diagnostic>> {
    let Some(name) = kind else { return Ok(None) };
    let found = rubric.kinds.iter().position(|k| k.name == name);
    match found.and_then(|i| KindId::try_from(i).ok()) {
        Some(id) => Ok(Some(id)),
        None => Err(vec![errors::unknown_kind_name(name, rubric)]),
    }
}

/// Scores records of one input against one rubric.
pub struct Evaluator<'r> {
    rubric: &'r Rubric,
    reader: Reader<'r>,
    binding: Binding,
    kinds: Vec<KindState<'r>>,
    groups: Groups<'r>,
    summary: Summary,
    watches: Vec<Watch>,
    values: bool,
}

impl<'r> Evaluator<'r> {
    /// Binds the input header (column names, in order) to the rubric's fields.
    ///
    /// Errors, all reported at once: a required field's column is missing
    /// (`E-MISSING-COLUMN`, naming the column and the kind); a column used by a
    /// field appears twice (`E-HEADER-DUP`); the kind column is missing while the
    /// rubric has several kinds (`E-MISSING-COLUMN`). Unknown extra columns are
    /// fine; header names are compared trimmed and NFC-normalised.
    pub fn new(rubric: &'r Rubric, header: &[&str]) -> Result<Self, Vec<Diagnostic>> {
        Evaluator::for_kind(rubric, header, None)
    }

    /// Like [`Evaluator::new`], for an input whose rows are all of the record kind
    /// named `kind` (one file per kind): no kind column is needed.
    pub fn for_kind(
        rubric: &'r Rubric,
        header: &[&str],
        kind: Option<&str>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let binding = bind::bind(rubric, header, fixed_kind(rubric, kind)?)?;
        Ok(Evaluator {
            rubric,
            reader: Reader::new(rubric),
            binding,
            kinds: rubric.kinds.iter().map(KindState::new).collect(),
            groups: Groups::new(rubric),
            summary: Summary::default(),
            watches: Vec::new(),
            values: true,
        })
    }

    /// Whether scored outcomes carry their values, the record id and the kind (the
    /// default). A caller that only needs the group tables and the counts turns this
    /// off: scored outcomes then carry none of them, and scoring allocates nothing
    /// per record. Excluded and rejected outcomes always carry the id and the kind.
    pub fn keep_values(&mut self, keep: bool) {
        self.values = keep;
    }

    /// Scores one input row: `cells` in header order, `row` the 1-based data row
    /// number used in reports. Never panics, whatever the cells hold.
    pub fn push(&mut self, row: u64, cells: &[&str]) -> RecordOutcome {
        self.summary.read = self.summary.read.saturating_add(1);
        let outcome = self.score(row, cells);
        let count = match outcome.status {
            RecordStatus::Scored { .. } => &mut self.summary.scored,
            RecordStatus::Excluded { .. } => &mut self.summary.excluded,
            RecordStatus::Rejected { .. } => &mut self.summary.rejected,
        };
        *count = count.saturating_add(1);
        outcome
    }

    /// Switches to another input (the next file) with its own header, keeping every
    /// group accumulated so far. With `kind`, every row of that input is a record of
    /// that kind (one file per kind); otherwise rows name their kind as usual.
    pub fn rebind(&mut self, header: &[&str], kind: Option<&str>) -> Result<(), Vec<Diagnostic>> {
        self.binding = bind::bind(self.rubric, header, fixed_kind(self.rubric, kind)?)?;
        Ok(())
    }

    /// Adds the work of another evaluator of the same rubric that scored a
    /// different share of the same input (another thread's records): its counts
    /// and group tables. The results are the same as if one evaluator had seen
    /// every record. Watched group rows are not merged: explain on one thread.
    pub fn merge(&mut self, other: Evaluator<'r>) {
        let s = other.summary;
        self.summary.read = self.summary.read.saturating_add(s.read);
        self.summary.scored = self.summary.scored.saturating_add(s.scored);
        self.summary.excluded = self.summary.excluded.saturating_add(s.excluded);
        self.summary.rejected = self.summary.rejected.saturating_add(s.rejected);
        self.groups.merge(other.groups);
    }

    /// Renumbers the work of an evaluator that was given its share of an input with
    /// rows numbered from 1 (another thread's byte range of a file): adds `by`, the
    /// rows before that share, to every row number it keeps. Call before
    /// [`Self::merge`], so that notes name rows as one evaluator would.
    pub fn shift_rows(&mut self, by: u64) {
        self.groups.shift_rows(by);
    }

    /// Counts a row that could not be read at all (invalid UTF-8, an oversized
    /// field…) as rejected, so that the summary still reconciles.
    pub fn reject_unread(&mut self, row: u64, code: &'static str, reason: String) -> RecordOutcome {
        self.summary.read = self.summary.read.saturating_add(1);
        self.summary.rejected = self.summary.rejected.saturating_add(1);
        RecordOutcome {
            row,
            kind: None,
            id: None,
            status: RecordStatus::Rejected {
                field: None,
                code,
                reason,
            },
        }
    }

    /// The counts so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Ends the run: the group tables (with ranks and quotas) and the summary.
    pub fn finish(self) -> Results {
        let rubric = self.rubric;
        let tables = self
            .groups
            .groups
            .into_iter()
            .flat_map(|g| finish::finish_group(rubric, g))
            .collect();
        results(rubric, self.summary, tables)
    }

    /// Explains one input row (`cells` in the current header's order, `row` its
    /// 1-based number): every field read, the exclusion or rejection, every computed
    /// value and score-tree step. The row is evaluated exactly as [`Self::push`]
    /// would evaluate it, but it is not counted and credits no group.
    pub fn explain(&self, row: u64, cells: &[&str]) -> Explanation {
        if cells.len() != self.binding.width {
            let reason = errors::row_arity(self.binding.width, cells.len());
            return trace::rejected_row(row, None, codes::ROW_ARITY, reason);
        }
        let kind = match self.select_kind(cells) {
            Ok(k) => k,
            Err(reason) => {
                let field = self.rubric.kind_column.clone();
                return trace::rejected_row(row, field, codes::UNKNOWN_KIND, reason);
            }
        };
        let kind_cell = match (&self.rubric.kind_column, self.binding.kind_col) {
            (Some(column), Some(col)) if self.binding.fixed_kind.is_none() => {
                cells.get(col).map(|cell| (column.as_str(), cell.trim()))
            }
            _ => None,
        };
        let cols = self
            .binding
            .columns
            .get(kind)
            .map_or(&[][..], Vec::as_slice);
        trace::record(&trace::RecordInput {
            rubric: self.rubric,
            reader: &self.reader,
            cols,
            cells,
            row,
            kind,
            kind_cell,
        })
    }

    /// Watches one group row — the group's name, its key values in key order, and
    /// the period label (`2026-01`, `2026-Q1`, `2026-H1`, `2026`) when the group
    /// has periods — so that [`Self::finish_explained`] explains it: the records
    /// that fell in it (the first 1000 listed), what each aggregate used, and how
    /// every value, `unscored` rule, rank and quota came about. Watch before
    /// pushing rows: records pushed earlier are counted but not listed. Costs
    /// nothing per record while nothing is watched.
    ///
    /// Errors: `E-UNKNOWN-GROUP` for a group the rubric does not have;
    /// `E-GROUP-ROW` for the wrong number of keys or a period the group lacks.
    pub fn watch(
        &mut self,
        group: &str,
        keys: &[String],
        period: Option<&str>,
    ) -> Result<(), Diagnostic> {
        let w = Watch::new(self.rubric, group, keys, period, self.summary.read)?;
        self.watches.push(w);
        Ok(())
    }

    /// [`Self::finish`], with an explanation of every watched group row, in the
    /// order they were watched.
    pub fn finish_explained(self) -> (Results, Vec<Explanation>) {
        let rubric = self.rubric;
        let watches = self.watches;
        let mut found: Vec<Option<Explanation>> = watches.iter().map(|_| None).collect();
        let mut tables = Vec::new();
        for (gi, g) in self.groups.groups.into_iter().enumerate() {
            let mut look = |unit: Option<Period>, rows: &[RowState]| {
                for (w, slot) in watches.iter().zip(found.iter_mut()) {
                    if w.group == gi && w.unit == unit {
                        *slot = Some(trace::group(rubric, w, rows));
                    }
                }
            };
            tables.extend(finish::finish_group_with(rubric, g, &mut look));
        }
        let explanations = watches
            .iter()
            .zip(found)
            .map(|(w, e)| e.unwrap_or_else(|| trace::group(rubric, w, &[])))
            .collect();
        (results(rubric, self.summary, tables), explanations)
    }

    fn score(&mut self, row: u64, cells: &[&str]) -> RecordOutcome {
        let reject = |field: Option<String>, code, reason| RecordOutcome {
            row,
            kind: None,
            id: None,
            status: RecordStatus::Rejected {
                field,
                code,
                reason,
            },
        };
        if cells.len() != self.binding.width {
            let reason = errors::row_arity(self.binding.width, cells.len());
            return reject(None, codes::ROW_ARITY, reason);
        }
        let kind_id = match self.select_kind(cells) {
            Ok(k) => k,
            Err(reason) => {
                return reject(self.rubric.kind_column.clone(), codes::UNKNOWN_KIND, reason)
            }
        };
        self.score_kind(row, cells, kind_id)
    }

    /// The kind of the row, or why there is none.
    fn select_kind(&self, cells: &[&str]) -> Result<usize, String> {
        let kinds = &self.rubric.kinds;
        if let Some(k) = self.binding.fixed_kind {
            return usize::try_from(k).map_err(|_| self.unknown_kind(""));
        }
        let Some(col) = self.binding.kind_col else {
            return if kinds.len() == 1 {
                Ok(0)
            } else {
                Err(self.unknown_kind(""))
            };
        };
        let value = cells.get(col).map_or("", |c| c.trim());
        match self.binding.select.get(nfc(value).as_ref()) {
            Some(id) => usize::try_from(*id).map_err(|_| self.unknown_kind(value)),
            None if kinds.len() == 1 && kinds.iter().all(|k| k.select.is_empty()) => Ok(0),
            None => Err(self.unknown_kind(value)),
        }
    }

    #[cold]
    fn unknown_kind(&self, value: &str) -> String {
        let choices: Vec<&str> = self
            .rubric
            .kinds
            .iter()
            .flat_map(|k| k.select.iter().map(String::as_str))
            .collect();
        errors::unknown_kind(value, &choices)
    }

    fn score_kind(&mut self, row: u64, cells: &[&str], kind_id: usize) -> RecordOutcome {
        let Evaluator {
            rubric,
            reader,
            binding,
            kinds,
            groups,
            watches,
            values,
            ..
        } = self;
        let cols = binding.columns.get(kind_id).map_or(&[][..], Vec::as_slice);
        let Some(state) = kinds.get_mut(kind_id) else {
            return RecordOutcome {
                row,
                kind: None,
                id: None,
                status: RecordStatus::Rejected {
                    field: None,
                    code: codes::UNKNOWN_KIND,
                    reason: errors::unknown_kind("", &[]),
                },
            };
        };
        let status = state
            .run(rubric, reader, cols, cells)
            .into_status(state, *values);
        let scored = matches!(status, RecordStatus::Scored { .. });
        if scored || matches!(status, RecordStatus::Excluded { .. }) {
            let credit = Credit {
                kind: state.kind,
                kind_id: KindId::try_from(kind_id).unwrap_or(KindId::MAX),
                slots: &state.slots,
                scored,
                row,
            };
            groups.credit(rubric, &credit);
            if !watches.is_empty() {
                let mut id = || state.record_id(&rubric.levels);
                for w in watches.iter_mut() {
                    w.observe(rubric, &credit, &state.name, &status, &mut id);
                }
            }
        }
        // A lean scored outcome names neither the record nor its kind.
        let (kind, id) = if scored && !*values {
            (None, None)
        } else {
            (Some(state.name.clone()), state.record_id(&rubric.levels))
        };
        RecordOutcome {
            row,
            kind,
            id,
            status,
        }
    }
}

/// The results of a run.
fn results(rubric: &Rubric, summary: Summary, tables: Vec<GroupTable>) -> Results {
    Results {
        rubric: RubricRef {
            id: rubric.meta.id.clone(),
            version: rubric.meta.version.clone(),
            hash: rubric.hash.clone(),
        },
        summary,
        tables,
    }
}
