//! Every code and every message the evaluator produces, on one screen.

use rubric_syntax::ast::Span;
use rubric_syntax::Diagnostic;
use rust_decimal::Decimal;

/// A required column is not in the header.
pub const MISSING_COLUMN: &str = "E-MISSING-COLUMN";
/// A column used by a field appears twice in the header.
pub const HEADER_DUP: &str = "E-HEADER-DUP";
/// A row has a different number of cells than the header.
pub const ROW_ARITY: &str = "E-ROW-ARITY";
/// The kind column selects no record kind.
pub const UNKNOWN_KIND: &str = "E-UNKNOWN-KIND";
/// A required field is blank.
pub const MISSING: &str = "E-MISSING";
/// Not a `YYYY-MM-DD` date.
pub const DATE: &str = "E-DATE";
/// Not a non-negative whole number.
pub const COUNT: &str = "E-COUNT";
/// Not a flag word.
pub const FLAG: &str = "E-FLAG";
/// Not a decimal number.
pub const NOT_NUMBER: &str = "E-NOT-NUMBER";
/// A number beyond the decimal range.
pub const NUMBER_RANGE: &str = "E-NUMBER-RANGE";
/// A number with more than 28 decimals.
pub const NUMBER_PRECISION: &str = "E-NUMBER-PRECISION";
/// A whole number was required.
pub const NOT_INTEGER: &str = "E-NOT-INTEGER";
/// A number outside its declared range.
pub const OUT_OF_RANGE: &str = "E-OUT-OF-RANGE";
/// A label that the scale does not list.
pub const UNKNOWN_LABEL: &str = "E-UNKNOWN-LABEL";
/// A rated answer without its rater value.
pub const RATED_MISSING: &str = "E-RATED-MISSING";
/// A rater value without a rated answer.
pub const RATED_UNEXPECTED: &str = "E-RATED-UNEXPECTED";
/// A `require` rule failed.
pub const REQUIRE: &str = "E-REQUIRE";
/// Exact arithmetic overflowed.
pub const OVERFLOW: &str = "E-OVERFLOW";
/// A function argument outside what the function accepts.
pub const INVALID_ARG: &str = "E-INVALID-ARG";
/// The rubric is inconsistent (a bad index or type); a checker bug.
pub const INTERNAL: &str = "E-INTERNAL";
/// A watched group is not in the rubric.
pub const UNKNOWN_GROUP: &str = "E-UNKNOWN-GROUP";
/// A watched group row names the wrong number of keys or a period the group does
/// not have.
pub const GROUP_ROW: &str = "E-GROUP-ROW";

/// Shown when a division by zero has no `if empty` reason.
pub const DEFAULT_EMPTY: &str = "no value: division by zero or no records";

#[cold]
pub(crate) fn missing_column(column: &str, field: &str, kind: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        MISSING_COLUMN,
        format!("the input has no column `{column}` (field `{field}` of record kind `{kind}`)"),
    )
    .at(span, "declared here")
    .help(format!(
        "add a `{column}` column, or mark the field `optional`"
    ))
}

#[cold]
pub(crate) fn missing_kind_column(column: &str) -> Diagnostic {
    Diagnostic::error(
        MISSING_COLUMN,
        format!("the input has no column `{column}`, which tells the record kinds apart"),
    )
    .help(format!("add a `{column}` column naming each row's kind"))
}

#[cold]
pub(crate) fn unknown_kind_name(name: &str, rubric: &crate::model::Rubric) -> Diagnostic {
    let kinds: Vec<&str> = rubric.kinds.iter().map(|k| k.name.as_str()).collect();
    Diagnostic::error(
        UNKNOWN_KIND,
        format!("the rubric has no record kind `{name}`"),
    )
    .help(format!("name one of: {}", kinds.join(", ")))
}

#[cold]
pub(crate) fn unknown_group(name: &str, rubric: &crate::model::Rubric) -> Diagnostic {
    let groups: Vec<&str> = rubric.groups.iter().map(|g| g.name.as_str()).collect();
    Diagnostic::error(UNKNOWN_GROUP, format!("the rubric has no group `{name}`"))
        .help(format!("name one of: {}", groups.join(", ")))
}

#[cold]
pub(crate) fn group_row(group: &crate::model::Group, message: String) -> Diagnostic {
    let periods: Vec<&str> = group
        .periods
        .iter()
        .map(|p| match p {
            crate::model::Period::Month => "2026-01",
            crate::model::Period::Quarter => "2026-Q1",
            crate::model::Period::HalfYear => "2026-H1",
            crate::model::Period::Year => "2026",
        })
        .collect();
    let help = if periods.is_empty() {
        format!("give {} key value(s) and no period", group.keys.len())
    } else {
        format!(
            "give {} key value(s) and a period such as {}",
            group.keys.len(),
            periods.join(" or ")
        )
    };
    Diagnostic::error(GROUP_ROW, message)
        .at(group.span, "the group is declared here")
        .help(help)
}

#[cold]
pub(crate) fn no_kind_column() -> Diagnostic {
    Diagnostic::error(
        MISSING_COLUMN,
        "the rubric has several record kinds but names no column to tell them apart",
    )
    .help("give each record kind a `when COLUMN = \"…\"` selector")
}

#[cold]
pub(crate) fn header_dup(column: &str, first: usize, second: usize) -> Diagnostic {
    Diagnostic::error(
        HEADER_DUP,
        format!(
            "column `{column}` appears twice in the header (columns {} and {})",
            first.saturating_add(1),
            second.saturating_add(1)
        ),
    )
    .help("rename or remove one of the two columns")
}

#[cold]
pub(crate) fn row_arity(expected: usize, got: usize) -> String {
    format!("the row has {got} cells but the header has {expected} columns")
}

#[cold]
pub(crate) fn unknown_kind(value: &str, choices: &[&str]) -> String {
    format!(
        "`{value}` names no record kind (expected one of: {})",
        choices.join(", ")
    )
}

#[cold]
pub(crate) fn missing(field: &str) -> String {
    format!("`{field}` is blank but required")
}

#[cold]
pub(crate) fn bad_date(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` is not a date written YYYY-MM-DD")
}

#[cold]
pub(crate) fn bad_count(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` is not a whole number ≥ 0")
}

#[cold]
pub(crate) fn bad_flag(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` is not yes/no (是/否, yes/no, true/false, y/n, 1/0)")
}

#[cold]
pub(crate) fn not_number(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` is not a number such as 12.5")
}

#[cold]
pub(crate) fn number_range(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` is too large to compute with")
}

#[cold]
pub(crate) fn number_precision(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` has more than 28 decimals")
}

#[cold]
pub(crate) fn not_integer(field: &str, text: &str) -> String {
    format!("`{field}`: `{text}` must be a whole number")
}

#[cold]
pub(crate) fn out_of_range(field: &str, value: Decimal, lo: Decimal, hi: Decimal) -> String {
    format!("`{field}`: {value} is outside {lo}..{hi}")
}

#[cold]
pub(crate) fn unknown_label(field: &str, text: &str, scale: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) => {
            format!("`{field}`: `{text}` is not a label of scale `{scale}`; did you mean `{h}`?")
        }
        None => format!("`{field}`: `{text}` is not a label of scale `{scale}`"),
    }
}

#[cold]
pub(crate) fn rated_missing(field: &str, rater: &str, lo: Decimal, hi: Decimal) -> String {
    format!("`{field}` is a rated answer, so `{rater}` needs a value in {lo}..{hi}")
}

#[cold]
pub(crate) fn rated_unexpected(rater: &str) -> String {
    format!("`{rater}` is only allowed with a rated answer")
}

#[cold]
pub(crate) fn overflow(slot: &str) -> String {
    format!("`{slot}`: the result is too large to compute exactly")
}

#[cold]
pub(crate) fn internal(slot: &str, what: &str) -> String {
    format!("`{slot}`: {what} (the rubric is inconsistent; please report this)")
}

#[cold]
pub(crate) fn invalid_arg(slot: &str, what: &str) -> String {
    format!("`{slot}`: {what}")
}

#[cold]
pub(crate) fn agg_overflow(index: usize) -> String {
    format!(
        "aggregate #{}: the total is too large to compute exactly",
        index.saturating_add(1)
    )
}

#[cold]
pub(crate) fn agg_input(index: usize, row: u64, what: &str) -> String {
    format!("aggregate #{}: row {row}: {what}", index.saturating_add(1))
}

/// The code and message for an expression that failed while computing `what`.
#[cold]
pub(crate) fn eval_failure(e: super::expr::EvalError, what: &str) -> (&'static str, String) {
    use super::expr::EvalError;
    match e {
        EvalError::Overflow => (OVERFLOW, overflow(what)),
        EvalError::Invalid(m) => (INVALID_ARG, invalid_arg(what, m)),
        EvalError::Type(m) | EvalError::Index(m) => (INTERNAL, internal(what, m)),
    }
}
