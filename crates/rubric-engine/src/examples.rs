//! Running a rubric's `example` blocks: each example's tables are evaluated as one
//! input, then every expectation is compared with what came out.

use crate::decimal;
use crate::eval::{
    Evaluator, GroupRow, GroupStatus, NamedValue, RecordOutcome, RecordStatus, Results,
};
use crate::model::{Example, ExpectCheck, Expectation, Expected, Rubric, Target, Value};
use rubric_syntax::ast::Span;
use rubric_syntax::Diagnostic;
use serde::Serialize;

/// What one example did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleReport {
    /// The example's name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
    /// Expectations checked.
    pub checked: usize,
    /// Expectations that did not hold.
    pub failures: Vec<ExampleFailure>,
}

impl ExampleReport {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleFailure {
    /// Where the expectation was written.
    pub span: Span,
    /// What was checked (`record r1: CS`).
    pub what: String,
    /// What the example expects.
    pub expected: String,
    /// What the rubric gives.
    pub actual: String,
}

impl ExampleFailure {
    /// The failure as a diagnostic at the expectation.
    pub fn diagnostic(&self, example: &str) -> Diagnostic {
        Diagnostic::error(
            "E-EXAMPLE-FAILED",
            format!(
                "example \"{example}\": {} is {}, expected {}",
                self.what, self.actual, self.expected
            ),
        )
        .at(self.span, format!("the rubric gives {}", self.actual))
        .help(
            "fix the rubric if the example follows the source document; otherwise fix the example",
        )
    }
}

/// Runs every example of a rubric.
pub fn run_examples(rubric: &Rubric) -> Vec<ExampleReport> {
    rubric
        .examples
        .iter()
        .map(|e| run_example(rubric, e))
        .collect()
}

fn run_example(rubric: &Rubric, example: &Example) -> ExampleReport {
    let mut report = ExampleReport {
        name: example.name.clone(),
        span: example.span,
        checked: example.expects.len(),
        failures: Vec::new(),
    };
    let (header, rows) = input(rubric, example);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut evaluator = match Evaluator::new(rubric, &header_refs) {
        Ok(e) => e,
        Err(problems) => {
            report.failures = problems
                .iter()
                .map(|d| ExampleFailure {
                    span: example.span,
                    what: "the example's table".into(),
                    expected: "a usable header".into(),
                    actual: d.message.clone(),
                })
                .collect();
            return report;
        }
    };
    let outcomes: Vec<RecordOutcome> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            evaluator.push(u64::try_from(i + 1).unwrap_or(u64::MAX), &cells)
        })
        .collect();
    let results = evaluator.finish();
    for x in &example.expects {
        if let Some(f) = check(rubric, x, &outcomes, &results) {
            report.failures.push(f);
        }
    }
    report
}

/// The example's tables as one input: the union of their columns, in order of
/// first appearance, with the kind column filled for tables that name their kind.
pub(crate) fn input(rubric: &Rubric, example: &Example) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = Vec::new();
    let kind_column = rubric.kind_column.clone();
    for t in &example.tables {
        for c in t
            .header
            .iter()
            .chain(kind_column.iter().filter(|_| t.kind.is_some()))
        {
            if !header.contains(c) {
                header.push(c.clone());
            }
        }
    }
    let mut rows = Vec::new();
    for t in &example.tables {
        let kind_value = t
            .kind
            .and_then(|k| rubric.kinds.get(k as usize))
            .and_then(|k| k.select.first().cloned());
        for r in &t.rows {
            let row = header
                .iter()
                .map(|col| match t.header.iter().position(|h| h == col) {
                    Some(i) => r.get(i).cloned().unwrap_or_default(),
                    None if Some(col) == kind_column.as_ref() => {
                        kind_value.clone().unwrap_or_default()
                    }
                    None => String::new(),
                })
                .collect();
            rows.push(row);
        }
    }
    (header, rows)
}

fn check(
    rubric: &Rubric,
    x: &Expectation,
    outcomes: &[RecordOutcome],
    results: &Results,
) -> Option<ExampleFailure> {
    match &x.target {
        Target::Record(id) => {
            let what = format!("record {id}");
            let found = outcomes
                .iter()
                .find(|o| o.id.as_deref() == Some(id.as_str()) || format!("#{}", o.row) == *id);
            let Some(outcome) = found else {
                return Some(fail(
                    x,
                    what,
                    "a record with this id",
                    "no such record".into(),
                ));
            };
            check_record(rubric, x, what, outcome)
        }
        Target::Group {
            group,
            keys,
            period,
        } => {
            let name = rubric
                .groups
                .get(*group as usize)
                .map(|g| g.name.clone())
                .unwrap_or_default();
            let parts: Vec<&str> = keys
                .iter()
                .map(String::as_str)
                .chain(period.as_deref())
                .collect();
            let label = format!("{name} ({})", parts.join(", "));
            let row = results
                .tables
                .iter()
                .filter(|t| t.group == name)
                .flat_map(|t| t.rows.iter())
                .find(|r| r.keys == *keys && r.period == *period);
            let Some(row) = row else {
                return Some(fail(
                    x,
                    format!("group {label}"),
                    "a group row",
                    "no row: no record fell in it".into(),
                ));
            };
            check_group(rubric, x, label, row)
        }
    }
}

fn check_record(
    rubric: &Rubric,
    x: &Expectation,
    what: String,
    o: &RecordOutcome,
) -> Option<ExampleFailure> {
    let actual = describe_status(&o.status);
    match (&x.check, &o.status) {
        (ExpectCheck::Excluded(reason), RecordStatus::Excluded { reason: r }) => {
            let ok = reason.as_ref().is_none_or(|want| want == r);
            (!ok).then(|| {
                fail(
                    x,
                    what,
                    &format!("excluded ({})", reason.clone().unwrap_or_default()),
                    actual,
                )
            })
        }
        (
            ExpectCheck::Rejected(detail),
            RecordStatus::Rejected {
                field,
                code,
                reason,
            },
        ) => {
            let ok = detail.as_ref().is_none_or(|d| {
                field.as_deref() == Some(d.as_str())
                    || *code == d.as_str()
                    || reason.contains(d.as_str())
            });
            (!ok).then(|| {
                fail(
                    x,
                    what,
                    &format!("rejected ({})", detail.clone().unwrap_or_default()),
                    actual,
                )
            })
        }
        (ExpectCheck::Values(values), RecordStatus::Scored { values: got, .. }) => {
            compare_values(rubric, &what, values, got)
        }
        (expected, _) => Some(fail(x, what, &describe_check(expected), actual)),
    }
}

fn check_group(
    rubric: &Rubric,
    x: &Expectation,
    what: String,
    row: &GroupRow,
) -> Option<ExampleFailure> {
    match (&x.check, &row.status) {
        (ExpectCheck::Unscored(reason), GroupStatus::Unscored { reason: r }) => {
            let ok = reason.as_ref().is_none_or(|want| r.contains(want.as_str()));
            (!ok).then(|| {
                fail(
                    x,
                    format!("group {what}"),
                    &format!("unscored ({})", reason.clone().unwrap_or_default()),
                    format!("unscored ({r})"),
                )
            })
        }
        (ExpectCheck::Values(values), GroupStatus::Scored { values: got }) => {
            compare_values(rubric, &format!("group {what}"), values, got)
        }
        (expected, status) => {
            let actual = match status {
                GroupStatus::Scored { .. } => "scored".to_string(),
                GroupStatus::Unscored { reason } => format!("unscored ({reason})"),
                GroupStatus::Failed { reason, .. } => format!("failed ({reason})"),
            };
            Some(fail(
                x,
                format!("group {what}"),
                &describe_check(expected),
                actual,
            ))
        }
    }
}

fn compare_values(
    rubric: &Rubric,
    what: &str,
    expected: &[crate::model::ExpectValue],
    got: &[NamedValue],
) -> Option<ExampleFailure> {
    for e in expected {
        let actual = got
            .iter()
            .find(|v| &*v.name == e.name.as_str())
            .map_or(&Value::Blank, |v| &v.value);
        if !matches(rubric, &e.expected, actual) {
            return Some(ExampleFailure {
                span: e.span,
                what: format!("{what}: {}", e.name),
                expected: describe_expected(&e.expected),
                actual: describe_value(rubric, actual),
            });
        }
    }
    None
}

/// Whether a value is what an example expects. Numbers match exactly, or, when
/// written with at least the rubric's display places, when the value rounds (with the
/// rubric's mode) to the number at the decimals written: `90.63` matches 90.625 (it is
/// what the tables show), but `88` does not match 87.5.
pub fn matches(rubric: &Rubric, expected: &Expected, actual: &Value) -> bool {
    let number = match actual {
        Value::Num(n) => Some(*n),
        Value::Answer { score, .. } => *score,
        _ => None,
    };
    match expected {
        Expected::Blank => matches!(actual, Value::Blank),
        Expected::Number { value, places } => number.is_some_and(|n| {
            n == *value
                || (*places >= rubric.rounding.places
                    && decimal::round(n, *places, rubric.rounding.mode) == *value)
        }),
        Expected::Date(d) => matches!(actual, Value::Date(a) if a == d),
        Expected::Word(w) => match actual {
            Value::Level(id) => rubric.levels.get(*id as usize) == Some(w),
            Value::Text(t) => t == w,
            Value::Bool(b) => flag_word(w) == Some(*b),
            Value::Answer { label, .. } => label == w,
            _ => false,
        },
    }
}

fn flag_word(w: &str) -> Option<bool> {
    match w.to_lowercase().as_str() {
        "yes" | "true" | "是" | "y" => Some(true),
        "no" | "false" | "否" | "n" => Some(false),
        _ => None,
    }
}

fn fail(x: &Expectation, what: String, expected: &str, actual: String) -> ExampleFailure {
    ExampleFailure {
        span: x.span,
        what,
        expected: expected.to_string(),
        actual,
    }
}

fn describe_status(s: &RecordStatus) -> String {
    match s {
        RecordStatus::Scored { .. } => "scored".into(),
        RecordStatus::Excluded { reason } => format!("excluded ({reason})"),
        RecordStatus::Rejected { field, reason, .. } => match field {
            Some(f) => format!("rejected ({f}: {reason})"),
            None => format!("rejected ({reason})"),
        },
    }
}

fn describe_check(c: &ExpectCheck) -> String {
    match c {
        ExpectCheck::Excluded(_) => "excluded".into(),
        ExpectCheck::Rejected(_) => "rejected".into(),
        ExpectCheck::Unscored(_) => "unscored".into(),
        ExpectCheck::Values(_) => "scored".into(),
    }
}

fn describe_expected(e: &Expected) -> String {
    match e {
        Expected::Blank => "blank".into(),
        Expected::Number { value, .. } => value.to_string(),
        Expected::Date(d) => d.to_string(),
        Expected::Word(w) => w.clone(),
    }
}

/// A value in words, exact (no display rounding).
pub fn describe_value(rubric: &Rubric, v: &Value) -> String {
    match v {
        Value::Blank => "blank".into(),
        Value::Num(n) => n.normalize().to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Text(t) => format!("\"{t}\""),
        Value::Date(d) => d.to_string(),
        Value::Level(id) => rubric.levels.get(*id as usize).cloned().unwrap_or_default(),
        Value::Answer { label, score, .. } => match score {
            Some(s) => format!("\"{label}\" ({})", s.normalize()),
            None => format!("\"{label}\""),
        },
    }
}
