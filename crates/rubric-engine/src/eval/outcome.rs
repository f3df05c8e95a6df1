//! What evaluation reports: one [`RecordOutcome`] per input row, and at the end the
//! [`Results`]: the summary and one [`GroupTable`] per group and period. Plain serde
//! data; names shared by every outcome are reference-counted, not copied.

use crate::model::{Period, Value};
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// A named result value: a slot marked `output` and what it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedValue {
    /// The slot's name (`total`, `score.服务态度`).
    #[serde(serialize_with = "ser_arc")]
    pub name: Arc<str>,
    /// Its value; [`Value::Blank`] when there is none.
    pub value: Value,
}

/// How one input row ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RecordOutcome {
    /// The 1-based data row number, as given to [`super::Evaluator::push`].
    pub row: u64,
    /// The record kind, when the row's kind was recognised.
    #[serde(serialize_with = "ser_opt_arc")]
    pub kind: Option<Arc<str>>,
    /// The record's id field, when it has one and it could be read.
    pub id: Option<String>,
    /// Scored, excluded or rejected.
    pub status: RecordStatus,
}

/// Every record is exactly one of these.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
#[non_exhaustive]
pub enum RecordStatus {
    /// Scored: every output slot, in slot order.
    Scored {
        /// The output values.
        values: Vec<NamedValue>,
        /// The kind's `if empty` reason when some value is blank because of a
        /// division by zero.
        empty: Option<String>,
    },
    /// Not counted anywhere, but reported.
    Excluded {
        /// The exclusion rule's or the scale row's reason.
        reason: String,
    },
    /// Refused: the input is wrong, or a rule failed.
    Rejected {
        /// The field at fault, when there is one.
        field: Option<String>,
        /// Stable code, such as `E-UNKNOWN-LABEL`.
        code: &'static str,
        /// What is wrong, in plain words.
        reason: String,
    },
}

impl RecordStatus {
    /// `"scored"`, `"excluded"` or `"rejected"`.
    pub fn name(&self) -> &'static str {
        match self {
            RecordStatus::Scored { .. } => "scored",
            RecordStatus::Excluded { .. } => "excluded",
            RecordStatus::Rejected { .. } => "rejected",
        }
    }
}

/// Everything known at the end of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Results {
    /// Which rubric produced these results.
    pub rubric: RubricRef,
    /// Record counts; `read = scored + excluded + rejected`.
    pub summary: Summary,
    /// Group tables, in group order, then period order, as declared.
    pub tables: Vec<GroupTable>,
}

/// The rubric a result came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RubricRef {
    /// The rubric id.
    pub id: String,
    /// Its version, when declared.
    pub version: Option<String>,
    /// SHA-256 of its canonical source.
    pub hash: String,
}

/// Record counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Rows pushed.
    pub read: u64,
    /// Rows scored.
    pub scored: u64,
    /// Rows excluded.
    pub excluded: u64,
    /// Rows rejected.
    pub rejected: u64,
}

impl Summary {
    /// Whether `read = scored + excluded + rejected`.
    pub fn reconciles(&self) -> bool {
        self.scored
            .checked_add(self.excluded)
            .and_then(|n| n.checked_add(self.rejected))
            == Some(self.read)
    }
}

/// One group table for one period unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupTable {
    /// The group's name.
    pub group: String,
    /// The period unit; `None` when the group has no periods.
    pub period: Option<Period>,
    /// Rows, sorted by key values, then period.
    pub rows: Vec<GroupRow>,
    /// Scored or excluded records of member kinds that fell in no row, because a
    /// key or the date was blank (or list keys gave more than 1024 combinations).
    pub unassigned: u64,
}

/// One group (key values and period) of a table.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupRow {
    /// The key values, in the group's key order.
    pub keys: Vec<String>,
    /// `2026-01`, `2026-Q1`, `2026-H1` or `2026`; `None` without periods.
    pub period: Option<String>,
    /// Scored records credited to this row.
    pub scored: u64,
    /// Excluded records credited to this row.
    pub excluded: u64,
    /// The values, or why there are none.
    pub status: GroupStatus,
    /// The group's `if empty` reason when some value is blank because of a
    /// division by zero or an aggregate over no records.
    pub empty: Option<String>,
    /// Problems met while aggregating (an overflowing sum, a record whose
    /// aggregated value could not be computed).
    pub errors: Vec<String>,
}

/// Whether a group row has values.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
#[non_exhaustive]
pub enum GroupStatus {
    /// Every output slot, in slot order.
    Scored {
        /// The output values.
        values: Vec<NamedValue>,
    },
    /// An `unscored` rule held.
    Unscored {
        /// Its reason.
        reason: String,
    },
    /// A value could not be computed (an overflow).
    Failed {
        /// Stable code, such as `E-OVERFLOW`.
        code: &'static str,
        /// What went wrong.
        reason: String,
    },
}

fn ser_arc<S: Serializer>(name: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(name)
}

fn ser_opt_arc<S: Serializer>(name: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match name {
        Some(n) => s.serialize_some(&**n),
        None => s.serialize_none(),
    }
}
