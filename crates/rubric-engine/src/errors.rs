//! Every diagnostic the checker produces, one function each: all the wording on one
//! screen. Codes are stable; `docs/diagnostics.md` lists them with examples.

use rubric_syntax::ast::Span;
use rubric_syntax::Diagnostic;
use rust_decimal::Decimal;

/// "did you mean …" for a misspelt name.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let best = candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 2).max(2))
        .min();
    match best {
        Some((_, c)) => format!("did you mean `{c}`?"),
        None => "check the spelling, or declare it first".to_string(),
    }
}

#[cold]
pub(crate) fn missing_header() -> Diagnostic {
    Diagnostic::error("E-HEADER-MISSING", "the rubric has no header")
        .help("start the file with: rubric my-scheme { title \"…\" version \"1\" source \"…\" }")
}

#[cold]
pub(crate) fn duplicate(what: &str, name: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::error("E-DUP-NAME", format!("{what} `{name}` is declared twice"))
        .at(again, "declared again here")
        .at(first, "first declared here")
        .help("rename one of them, or delete the duplicate")
}

#[cold]
pub(crate) fn duplicate_item(what: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::error("E-DUP-ITEM", format!("{what} is given twice"))
        .at(again, "given again here")
        .at(first, "first given here")
        .help("keep only one")
}

#[cold]
pub(crate) fn unknown_name(what: &str, name: &str, span: Span, hint: String) -> Diagnostic {
    Diagnostic::error("E-UNKNOWN-NAME", format!("unknown {what} `{name}`"))
        .at(span, "not declared")
        .help(hint)
}

#[cold]
pub(crate) fn number_range(span: Span) -> Diagnostic {
    Diagnostic::error("E-NUMBER-RANGE", "this number is too large")
        .at(span, "larger than 79228162514264337593543950335")
        .help("use a smaller number")
}

#[cold]
pub(crate) fn number_precision(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E-NUMBER-PRECISION",
        "this number has more than 28 decimals",
    )
    .at(span, "too many decimals")
    .help("round it to at most 28 decimals")
}

#[cold]
pub(crate) fn rounding_places(span: Span) -> Diagnostic {
    Diagnostic::error("E-ROUNDING", "rounding can keep at most 28 decimal places")
        .at(span, "too many places")
        .help("write a number of places from 0 to 28, e.g. `rounding 2 half-up`")
}

#[cold]
pub(crate) fn dup_label(label: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::error(
        "E-DUP-LABEL",
        format!("the label \"{label}\" is listed twice"),
    )
    .at(again, "listed again here")
    .at(first, "first listed here")
    .help("a label can give only one score: delete one of them")
}

#[cold]
pub(crate) fn scale_mixed(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E-SCALE-MIXED",
        "this scale mixes label rows and numeric rows",
    )
    .at(span, "a different kind of row")
    .help("use one scale for verbal answers (\"很好\" => 100) and another for numbers (>= 90 => 优秀)")
}

#[cold]
pub(crate) fn scale_shape(span: Span, message: &str, help: &str) -> Diagnostic {
    Diagnostic::error("E-SCALE", message.to_string())
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn empty_range(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E-RANGE",
        "the lower end of this range is above the upper end",
    )
    .at(span, "empty range")
    .help("write the smaller number first, e.g. `0..25`")
}

#[cold]
pub(crate) fn overlap(a: Span, b: Span, example: Decimal) -> Diagnostic {
    Diagnostic::error(
        "E-OVERLAP",
        format!("these rows overlap: {example} matches both"),
    )
    .at(b, "overlaps")
    .at(a, "this row")
    .help("make the bounds exclusive on one side (e.g. `[70, 90)` and `[90, 100]`), or mark the scale `ordered` so the first matching row wins")
}

#[cold]
pub(crate) fn unreachable_row(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E-UNREACHABLE",
        "this row can never match: the rows above it cover all its values",
    )
    .at(span, "never used")
    .help("delete the row, or move it above the rows that cover it")
}

#[cold]
pub(crate) fn gap(scale: Span, before: Option<Span>, example: Decimal) -> Diagnostic {
    let d = Diagnostic::error(
        "E-GAP",
        format!("the rows leave a gap: a value of {example} matches no row"),
    );
    let d = match before {
        Some(row) => d
            .at(row, format!("after this row, {example} is not covered"))
            .at(scale, "in this scale"),
        None => d.at(scale, format!("no row covers {example}")),
    };
    d
    .help("bounds are exact decimals: write the next row's bound to meet this one, e.g. `[70, 90)` then `[90, 100]`")
}

#[cold]
pub(crate) fn row_outside(span: Span) -> Diagnostic {
    Diagnostic::error("E-ROW-OUTSIDE", "this row lies outside the scale's range")
        .at(span, "outside the range")
        .help("fix the bounds, or widen the scale's range")
}

#[cold]
pub(crate) fn scale_type(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-SCALE-TYPE", message)
        .at(span, "wrong kind of scale")
        .help(help.to_string())
}

#[cold]
pub(crate) fn field_option(span: Span, message: &str, help: &str) -> Diagnostic {
    Diagnostic::error("E-FIELD-OPTION", message.to_string())
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn rated_by(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-RATED-BY", message)
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn kind_select(span: Span, message: &str) -> Diagnostic {
    Diagnostic::error("E-KIND-SELECT", message.to_string())
        .at(span, "here")
        .help("with several record kinds, give each one `when <column> = \"value\"` on the same column, with distinct values")
}

#[cold]
pub(crate) fn type_mismatch(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-TYPE", message)
        .at(span, "wrong type")
        .help(help.to_string())
}

#[cold]
pub(crate) fn unknown_label(label: &str, scale: &str, span: Span, hint: String) -> Diagnostic {
    Diagnostic::error(
        "E-UNKNOWN-LABEL",
        format!("\"{label}\" is not a label of the scale `{scale}`"),
    )
    .at(span, "not in the scale")
    .help(hint)
}

#[cold]
pub(crate) fn unknown_level(level: &str, span: Span, hint: String) -> Diagnostic {
    Diagnostic::error(
        "E-UNKNOWN-LEVEL",
        format!("no scale gives the level `{level}` here"),
    )
    .at(span, "unknown level")
    .help(hint)
}

#[cold]
pub(crate) fn unknown_function(name: &str, span: Span, hint: String) -> Diagnostic {
    Diagnostic::error("E-UNKNOWN-FUNCTION", format!("unknown function `{name}`"))
        .at(span, "no such function")
        .help(hint)
}

#[cold]
pub(crate) fn arity(name: &str, expected: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E-ARITY", format!("`{name}` takes {expected}"))
        .at(span, "wrong number of arguments")
        .help(format!("give `{name}` {expected}"))
}

#[cold]
pub(crate) fn bad_argument(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-ARGUMENT", message)
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn context(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-CONTEXT", message)
        .at(span, "not allowed here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn ambiguous_kind(span: Span, kinds: &[String]) -> Diagnostic {
    Diagnostic::error(
        "E-AMBIGUOUS-KIND",
        format!(
            "this aggregate could be over records of {}",
            kinds.join(" or ")
        ),
    )
    .at(span, "which records?")
    .help("name the kind: count(投诉) or mean(售车后.score)")
}

#[cold]
pub(crate) fn div_zero_literal(span: Span) -> Diagnostic {
    Diagnostic::error("E-DIV-ZERO", "division by zero")
        .at(span, "divides by 0")
        .help("divide by a value that is never zero")
}

#[cold]
pub(crate) fn div_may_be_zero(span: Span, block: &str) -> Diagnostic {
    Diagnostic::error(
        "E-EMPTY-RULE",
        format!("this can be empty (a mean of no records, or a division by zero), and {block} does not say what is shown then"),
    )
    .at(span, "can be empty")
    .help("add `if empty \"reason\"` to the block: such values are then shown with no score and that reason (never as 0)")
}

#[cold]
pub(crate) fn cycle(name: &str, span: Span, other: Span) -> Diagnostic {
    Diagnostic::error("E-CYCLE", format!("`{name}` depends on itself"))
        .at(span, "this value")
        .at(other, "refers back to it here")
        .help("break the cycle: one of these values must be computed without the other")
}

#[cold]
pub(crate) fn weight_sum(span: Span, sum: Decimal, expected: Decimal, unit: &str) -> Diagnostic {
    Diagnostic::error(
        "E-WEIGHT-SUM",
        format!("the weights add up to {sum}{unit}, not {expected}{unit}"),
    )
    .at(span, format!("children sum to {sum}{unit}"))
    .help(format!(
        "change the weights so they add up to {expected}{unit}, or use `by ratio` to have them normalised"
    ))
}

#[cold]
pub(crate) fn weight_kind(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-WEIGHT", message)
        .at(span, "this weight")
        .help(help.to_string())
}

#[cold]
pub(crate) fn no_max(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        "E-NO-MAX",
        format!("cannot tell the highest value of `{name}`, so its weight cannot be applied"),
    )
    .at(span, "highest value unknown")
    .help("add `out of N` after the formula, or give the field a range such as `number 0..10`")
}

#[cold]
pub(crate) fn leaf_scale(span: Span, max: Decimal, weight: Decimal) -> Diagnostic {
    Diagnostic::warning(
        "W-LEAF-SCALE",
        format!("this formula can reach {max}, but the indicator is worth {weight}: its value is scaled by {weight}/{max}"),
    )
    .at(span, format!("highest value {max}"))
    .help(format!("if the formula is already in points, make its maximum {weight}; to scale on purpose, write `out of {max}`"))
}

#[cold]
pub(crate) fn limits(span: Span) -> Diagnostic {
    Diagnostic::error("E-LIMIT", "the floor is above the cap")
        .at(span, "here")
        .help("the floor must be at most the cap")
}

#[cold]
pub(crate) fn group_field(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-GROUP-FIELD", message)
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn example(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error("E-EXAMPLE", message)
        .at(span, "here")
        .help(help.to_string())
}

#[cold]
pub(crate) fn percent_units(span: Span, number: &str) -> Diagnostic {
    Diagnostic::warning(
        "W-PERCENT",
        format!("`{number}%` means {number} ÷ 100, but it is compared with a value counted in percent points (0–100)"),
    )
    .at(span, format!("this is {number} ÷ 100"))
    .help(format!("rates and shares run from 0 to 100: write `{number}` instead of `{number}%`"))
}

#[cold]
pub(crate) fn unused_scale(name: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        "W-UNUSED-SCALE",
        format!("the scale `{name}` is never used"),
    )
    .at(span, "unused")
    .help("use it as a field type or in grade(), or delete it")
}

#[cold]
pub(crate) fn no_examples() -> Diagnostic {
    Diagnostic::warning("W-NO-EXAMPLES", "the rubric has no examples")
        .help("add an `example` block with the worked examples of the source document; `rubric test` runs them")
}
