//! The text of one line: a leaf statement, or the head of a block before its `{`.
//! Alignment padding is applied by the caller; these functions only spell things.

use super::expr::{expr, interval, label, labels, out_of, quote, range};
use crate::ast::*;
use unicode_width::UnicodeWidthStr;

/// `s` followed by spaces up to `width` display columns.
pub(super) fn pad(s: &str, width: usize) -> String {
    let fill = width.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(fill))
}

/// The widest display width among `texts`.
pub(super) fn max_width<'t>(texts: impl IntoIterator<Item = &'t String>) -> usize {
    texts.into_iter().map(|t| t.width()).max().unwrap_or(0)
}

/// `title "…"`, `effective 2026-01-01`
pub(super) fn header_entry(e: &HeaderEntry) -> String {
    let value = match &e.value {
        HeaderValue::Text(s) => quote(&s.value),
        HeaderValue::Date(d) => d.text.clone(),
    };
    format!("{} {value}", e.key.text)
}

/// `rounding 2 half-up`
pub(super) fn rounding(r: &Rounding) -> String {
    match &r.mode {
        Some(m) => format!("rounding {} {}", r.places.text, m.text),
        None => format!("rounding {}", r.places.text),
    }
}

/// `scale 评级 0..100 integer`
pub(super) fn scale_head(s: &Scale) -> String {
    let mut words = vec!["scale".to_string(), s.name.text.clone()];
    words.extend(s.range.iter().map(range));
    words.extend(s.flags.iter().map(|f| f.text.clone()));
    words.join(" ")
}

/// The left side of a scale row.
pub(super) fn matcher(m: &Matcher) -> String {
    match m {
        Matcher::Labels(values) => labels(values),
        Matcher::Interval(i) => interval(i),
    }
}

/// The right side of a scale row.
pub(super) fn row_result(r: &RowResult) -> String {
    match r {
        RowResult::Exclude(s) => format!("exclude {}", quote(&s.value)),
        RowResult::Rated(r) => format!("rated {}", range(r)),
        RowResult::Level { level, score } => {
            let words: Vec<&str> = score
                .iter()
                .map(|n| n.text.as_str())
                .chain(level.iter().map(|l| l.text.as_str()))
                .collect();
            words.join(" ")
        }
    }
}

/// `record 回访 "销售回访" when record_type = "回访" | "销售回访"`
pub(super) fn record_head(r: &Record) -> String {
    let mut head = format!("record {}{}", r.name.text, label(r.label.as_ref()));
    if let Some(sel) = &r.select {
        head.push_str(&format!(
            " when {} = {}",
            sel.column.text,
            labels(&sel.values)
        ));
    }
    head
}

/// `name:` as it is padded in a field column.
pub(super) fn field_name(f: &Field) -> String {
    format!("{}:", f.name.text)
}

/// `name: type options`, the name padded to `width`.
pub(super) fn field(f: &Field, width: usize) -> String {
    let mut line = format!("{} {}", pad(&field_name(f), width), field_type(&f.ty));
    for option in &f.options {
        line.push(' ');
        line.push_str(&field_option(option));
    }
    line
}

fn field_type(t: &FieldType) -> String {
    match t {
        FieldType::Id => "id".to_string(),
        FieldType::Key { list: None } => "key".to_string(),
        FieldType::Key { list: Some(sep) } => format!("key list {}", quote(&sep.value)),
        FieldType::Date => "date".to_string(),
        FieldType::Text => "text".to_string(),
        FieldType::Count => "count".to_string(),
        FieldType::Flag => "flag".to_string(),
        FieldType::Number(None) => "number".to_string(),
        FieldType::Number(Some(r)) => format!("number {}", range(r)),
        FieldType::Scale(name) => name.text.clone(),
    }
}

fn field_option(o: &FieldOption) -> String {
    match o {
        FieldOption::Optional(_) => "optional".to_string(),
        FieldOption::Integer(_) => "integer".to_string(),
        FieldOption::Column(s) => format!("column {}", quote(&s.value)),
        FieldOption::RatedBy(n) => format!("rated by {}", n.text),
    }
}

/// `exclude "reason" when condition`
pub(super) fn exclude(x: &Exclude) -> String {
    match &x.when {
        Some(e) => format!("exclude {} when {}", quote(&x.reason.value), expr(e)),
        None => format!("exclude {}", quote(&x.reason.value)),
    }
}

/// `require condition else "message"`
pub(super) fn require(r: &Require) -> String {
    format!(
        "require {} else {}",
        expr(&r.condition),
        quote(&r.message.value)
    )
}

/// `if empty "reason"`
pub(super) fn if_empty(x: &IfEmpty) -> String {
    format!("if empty {}", quote(&x.reason.value))
}

/// `unscored "reason" when condition`
pub(super) fn unscored(u: &Unscored) -> String {
    format!("unscored {} when {}", quote(&u.reason.value), expr(&u.when))
}

/// `name "label" = expression`
pub(super) fn value(v: &Value) -> String {
    format!(
        "{}{} = {}",
        v.name.text,
        label(v.label.as_ref()),
        expr(&v.expr)
    )
}

/// `score CS "…" out of 100 by points`
pub(super) fn score_head(s: &Score) -> String {
    format!(
        "score {}{}{}{}",
        s.name.text,
        label(s.label.as_ref()),
        out_of(s.out_of.as_ref()),
        by_mode(s.mode.as_ref())
    )
}

/// ` by points` when a weight mode is given, else nothing.
pub(super) fn by_mode(mode: Option<&Name>) -> String {
    mode.map_or_else(String::new, |m| format!(" by {}", m.text))
}

/// `name "label"`: what stands before an indicator's weight.
pub(super) fn indicator_left(i: &Indicator) -> String {
    format!("{}{}", i.name.text, label(i.label.as_ref()))
}

/// ` = expression out of N` of a formula indicator.
pub(super) fn formula(e: &Expr, max: Option<&Num>) -> String {
    format!(" = {}{}", expr(e), out_of(max))
}

/// `deduct 3 per …`, `bonus 10 when …`, `adjust …`, `forfeit when …`
pub(super) fn adjustment(a: &Adjustment) -> String {
    match a {
        Adjustment::Step {
            kind,
            amount,
            trigger,
            expr: e,
            label: l,
            ..
        } => format!(
            "{} {} {} {}{}",
            kind.text,
            amount.text,
            trigger.text,
            expr(e),
            label(l.as_ref())
        ),
        Adjustment::By {
            expr: e, label: l, ..
        } => {
            format!("adjust {}{}", expr(e), label(l.as_ref()))
        }
        Adjustment::Forfeit { when, label: l, .. } => {
            format!("forfeit when {}{}", expr(when), label(l.as_ref()))
        }
    }
}

/// `floor 0`, `cap 100`
pub(super) fn limit(l: &Limit) -> String {
    format!("{} {}", l.kind.text, l.value.text)
}

/// `group 顾问 "…" by consultant, team per month, quarter of date`
pub(super) fn group_head(g: &Group) -> String {
    let mut head = format!("group {}{}", g.name.text, label(g.label.as_ref()));
    if !g.keys.is_empty() {
        head.push_str(&format!(" by {}", join_names(&g.keys)));
    }
    if !g.periods.is_empty() {
        head.push_str(&format!(" per {}", join_names(&g.periods)));
        if let Some(d) = &g.date_field {
            head.push_str(&format!(" of {}", d.text));
        }
    }
    head
}

fn join_names(names: &[Name]) -> String {
    let texts: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
    texts.join(", ")
}

/// `example "…"`
pub(super) fn example_head(e: &Example) -> String {
    format!("example {}", quote(&e.name.value))
}

/// `given 回访` or `given`
pub(super) fn given_head(kind: Option<&Name>) -> String {
    kind.map_or_else(|| "given".to_string(), |k| format!("given {}", k.text))
}

/// A table cell or expectation token: quoted again when it was quoted.
pub(super) fn cell(c: &Cell) -> String {
    if c.quoted {
        quote(&c.text)
    } else {
        c.text.clone()
    }
}

/// One table row, each cell padded to its column's width.
pub(super) fn table_row(cells: &[String], widths: &[usize]) -> String {
    let mut line = String::from("|");
    for (i, text) in cells.iter().enumerate() {
        let width = widths.get(i).copied().unwrap_or(0);
        line.push(' ');
        line.push_str(&pad(text, width));
        line.push_str(" |");
    }
    line
}

/// `expect record r1 { CS = 100 }`
pub(super) fn expect_record(id: &Cell, check: &Check) -> String {
    format!("expect record {} {}", cell(id), check_text(check))
}

/// `expect group 顾问 (张三, 2026-01) unscored`
pub(super) fn expect_group(group: &Name, keys: &[Cell], check: &Check) -> String {
    let keys: Vec<String> = keys.iter().map(cell).collect();
    format!(
        "expect group {} ({}) {}",
        group.text,
        keys.join(", "),
        check_text(check)
    )
}

fn check_text(check: &Check) -> String {
    match check {
        Check::Outcome { kind, detail } => match detail {
            Some(d) => format!("{} {}", kind.text, cell(d)),
            None => kind.text.clone(),
        },
        Check::Values(list) if list.is_empty() => "{}".to_string(),
        Check::Values(list) => {
            let parts: Vec<String> = list.iter().map(assertion).collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

fn assertion(a: &Assertion) -> String {
    let value = match &a.expected {
        Expected::Blank => "blank".to_string(),
        Expected::Number(n) => n.text.clone(),
        Expected::Date(d) | Expected::Word(d) => d.text.clone(),
        Expected::Text(s) => quote(&s.value),
    };
    format!("{} = {value}", a.name.text)
}
