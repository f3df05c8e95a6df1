//! Explanations: for one record or one group row, the trace of how its score came
//! about — each field read, the exclusion or rejection, every computed value, every
//! score-tree node (`value / max × points`), adjustment, floor and cap, grades,
//! the records each aggregate used, and rank and quota placements.
//!
//! A record is explained by [`explain_record`] (or [`Evaluator::explain`], which
//! uses the evaluator's current header); a group row by asking the evaluator to
//! [`Evaluator::watch`] it while records stream in, then
//! [`Evaluator::finish_explained`]. Both evaluate through the evaluator's own code;
//! the scoring path ([`Evaluator::push`]) does no tracing.
//!
//! Values in explanations are exact (decimals normalised: `71.25`, `2.5`), never
//! rounded for display. Every step carries the span of the rubric text it comes
//! from, so that a renderer can show the source line.
//!
//! ```text
//! record 1 (回访 r1): scored
//!   q1 "很好" → 100 (回访评价)
//!   CS.q1 = 100 / 100 × 25 = 25
//!   CS = 25 + 18.75 + 2.5 + 25 = 71.25
//! ```

use crate::eval::Evaluator;
use crate::model::Rubric;
use rubric_syntax::ast::Span;
use rubric_syntax::Diagnostic;
use serde::Serialize;
use std::fmt;

/// How a record or a group row came by its outcome, step by step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// What is explained.
    pub subject: Subject,
    /// How it ended.
    pub outcome: Outcome,
    /// The steps, in evaluation order.
    pub steps: Vec<Step>,
    /// For a group row: each aggregate with the records it used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aggregates: Vec<AggregateInputs>,
}

/// What an explanation is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Subject {
    /// One input row.
    Record {
        /// The 1-based data row number.
        row: u64,
        /// The record kind, when it was recognised.
        kind: Option<String>,
        /// The record's id, when it has one.
        id: Option<String>,
    },
    /// One row of a group table.
    Group {
        /// The group's name.
        group: String,
        /// The key values, in the group's key order.
        keys: Vec<String>,
        /// The period label (`2026-01`), when the group has periods.
        period: Option<String>,
    },
}

/// How the explained record or group row ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Scored.
    Scored {
        /// The `if empty` reason, when a value is blank because of a division by
        /// zero or an aggregate over no records.
        empty: Option<String>,
    },
    /// A record not counted anywhere.
    Excluded {
        /// The exclusion's reason.
        reason: String,
    },
    /// A record refused.
    Rejected {
        /// The field at fault, when there is one.
        field: Option<String>,
        /// Stable code, such as `E-UNKNOWN-LABEL`.
        code: String,
        /// What is wrong.
        reason: String,
    },
    /// A group row for which an `unscored` rule held.
    Unscored {
        /// The rule's reason.
        reason: String,
    },
    /// A group row whose values could not be computed.
    Failed {
        /// Stable code, such as `E-OVERFLOW`.
        code: String,
        /// What went wrong.
        reason: String,
    },
    /// A watched group row that no record fell in.
    NoRow,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Scored { empty: None } => f.write_str("scored"),
            Outcome::Scored { empty: Some(e) } => write!(f, "scored, some values blank: {e}"),
            Outcome::Excluded { reason } => write!(f, "excluded: {reason}"),
            Outcome::Rejected {
                field: Some(field),
                code,
                reason,
            } => write!(f, "rejected ({code}, {field}): {reason}"),
            Outcome::Rejected {
                field: None,
                code,
                reason,
            } => write!(f, "rejected ({code}): {reason}"),
            Outcome::Unscored { reason } => write!(f, "unscored: {reason}"),
            Outcome::Failed { code, reason } => write!(f, "failed ({code}): {reason}"),
            Outcome::NoRow => f.write_str("no record fell in this row"),
        }
    }
}

/// One step of an explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// What kind of step.
    pub kind: StepKind,
    /// Nesting: 0 for a main step, 1 for its details, and so on.
    pub depth: u32,
    /// The rubric text it comes from (a field, scale row, rule, score node,
    /// adjustment, group…), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The step in plain words, with its result: `CS.q1 = 100 / 100 × 25 = 25`.
    pub text: String,
    /// The step's result alone, exact, when it has one: `25`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The kinds of step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum StepKind {
    /// The record kind chosen for a row.
    Kind,
    /// A field read from its column: raw text → value, or answer → scale row.
    Field,
    /// A rated answer given its rater value.
    Rated,
    /// An exclusion rule or excluding answer, tested or fired.
    Exclude,
    /// A `require` rule tested.
    Require,
    /// Why a record was rejected or a value failed.
    Reject,
    /// A computed value.
    Value,
    /// A score-tree node: a leaf's `value / max × points`, a parent's sum, or a
    /// node's final value after adjustments.
    Node,
    /// An adjustment: deduction, bonus, `adjust` or `forfeit`.
    Adjust,
    /// A floor or cap applied.
    Limit,
    /// A grade: the band a value falls in.
    Grade,
    /// The records credited to a group row.
    Records,
    /// One record of a group row, or one record's input to an aggregate.
    Record,
    /// An aggregate's value and summary.
    Aggregate,
    /// An `unscored` rule tested.
    Unscored,
    /// A rank placement.
    Rank,
    /// A quota placement.
    Quota,
    /// The values a condition read.
    Detail,
}

/// An aggregate of a group row and the records it used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AggregateInputs {
    /// The aggregate as written: `mean(调查.answer)`.
    pub aggregate: String,
    /// Its value, exact (`blank` when none).
    pub value: String,
    /// The records that passed its filter (the first ones, up to a limit).
    pub records: Vec<InputRecord>,
    /// How many more records passed its filter but are not listed.
    pub more: u64,
}

/// One record's input to an aggregate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct InputRecord {
    /// The 1-based data row number.
    pub row: u64,
    /// The record's id, when it has one.
    pub id: Option<String>,
    /// What it gave: a number, `blank` (not counted), `yes`/`no` for a rate,
    /// `1` for a count, or why it could not be computed.
    pub value: String,
}

impl Explanation {
    /// The heading line: `record 1 (回访 r1): scored`,
    /// `group 顾问 (张三, 2026-01): scored`.
    pub fn heading(&self) -> String {
        let what = match &self.subject {
            Subject::Record { row, kind, id } => {
                let about: Vec<&str> = kind.iter().chain(id).map(String::as_str).collect();
                if about.is_empty() {
                    format!("record {row}")
                } else {
                    format!("record {row} ({})", about.join(" "))
                }
            }
            Subject::Group {
                group,
                keys,
                period,
            } => {
                let parts: Vec<&str> = keys.iter().chain(period).map(String::as_str).collect();
                format!("group {group} ({})", parts.join(", "))
            }
        };
        format!("{what}: {}", self.outcome)
    }

    /// The rendered lines: the heading, then each step indented by two spaces per
    /// level of depth (steps start at one level).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.steps.len().saturating_add(1));
        lines.push(self.heading());
        for s in &self.steps {
            let indent = usize::try_from(s.depth.saturating_add(1)).unwrap_or(1);
            lines.push(format!("{}{}", "  ".repeat(indent), s.text));
        }
        lines
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.lines() {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Explains one input row: binds `header` (as [`Evaluator::new`] does), then
/// evaluates `cells` with tracing on. `row` is the 1-based data row number shown.
///
/// Errors: the header's problems, as [`Evaluator::new`] reports them.
pub fn explain_record(
    rubric: &Rubric,
    header: &[&str],
    cells: &[&str],
    row: u64,
) -> Result<Explanation, Vec<Diagnostic>> {
    Ok(Evaluator::new(rubric, header)?.explain(row, cells))
}
