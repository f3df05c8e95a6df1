//! Walks the tree item by item, handing lines and blocks to the printer and lining
//! up the columns of scales, records, scores and example tables.

use super::line::{self, max_width, pad};
use super::printer::Printer;
use crate::ast::*;
use unicode_width::UnicodeWidthStr;

/// Prints one top-level item.
pub(super) fn item(p: &mut Printer<'_>, item: &Item) {
    match item {
        Item::Header(h) => header(p, h),
        Item::Rounding(r) => p.leaf(r.span, line::rounding(r)),
        Item::Scale(s) => scale(p, s),
        Item::Record(r) => record(p, r),
        Item::Group(g) => group(p, g),
        Item::Example(e) => example(p, e),
    }
}

fn header(p: &mut Printer<'_>, h: &Header) {
    let head = format!("rubric {}", h.id.text);
    p.block(h.span, head, !h.entries.is_empty(), |p| {
        for entry in &h.entries {
            p.leaf(entry.span, line::header_entry(entry));
        }
    });
}

fn scale(p: &mut Printer<'_>, s: &Scale) {
    let head = line::scale_head(s);
    match &s.rows {
        None => p.leaf(s.span, head),
        Some(rows) => p.block(s.span, head, !rows.is_empty(), |p| scale_rows(p, rows)),
    }
}

/// Rows with their `=>` in one column.
fn scale_rows(p: &mut Printer<'_>, rows: &[ScaleRow]) {
    let lefts: Vec<String> = rows.iter().map(|r| line::matcher(&r.matcher)).collect();
    let width = max_width(&lefts);
    for (row, left) in rows.iter().zip(&lefts) {
        let text = format!("{} => {}", pad(left, width), line::row_result(&row.result));
        p.leaf(row.span, text);
    }
}

fn record(p: &mut Printer<'_>, r: &Record) {
    p.block(r.span, line::record_head(r), !r.items.is_empty(), |p| {
        let width = max_width(&field_names(&r.items));
        for item in &r.items {
            record_item(p, item, width);
        }
    });
}

/// `name:` of every field of a record, for the type column.
fn field_names(items: &[RecordItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            RecordItem::Field(f) => Some(line::field_name(f)),
            _ => None,
        })
        .collect()
}

fn record_item(p: &mut Printer<'_>, item: &RecordItem, field_width: usize) {
    match item {
        RecordItem::Field(f) => p.leaf(f.span, line::field(f, field_width)),
        RecordItem::Exclude(x) => p.leaf(x.span, line::exclude(x)),
        RecordItem::Require(r) => p.leaf(r.span, line::require(r)),
        RecordItem::IfEmpty(x) => p.leaf(x.span, line::if_empty(x)),
        RecordItem::Score(s) => score(p, s),
        RecordItem::Value(v) => p.leaf(v.span, line::value(v)),
    }
}

fn score(p: &mut Printer<'_>, s: &Score) {
    p.block(s.span, line::score_head(s), !s.items.is_empty(), |p| {
        score_items(p, &s.items);
    });
}

/// Indicators, adjustments and limits; the indicators' weights in one column.
fn score_items(p: &mut Printer<'_>, items: &[ScoreItem]) {
    let lefts: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            ScoreItem::Indicator(i) => Some(line::indicator_left(i)),
            _ => None,
        })
        .collect();
    let width = max_width(&lefts);
    for item in items {
        match item {
            ScoreItem::Indicator(i) => indicator(p, i, width),
            ScoreItem::Adjustment(a) => p.leaf(a.span(), line::adjustment(a)),
            ScoreItem::Limit(l) => p.leaf(l.span, line::limit(l)),
        }
    }
}

fn indicator(p: &mut Printer<'_>, i: &Indicator, width: usize) {
    let head = format!("{} {}", pad(&line::indicator_left(i), width), i.weight.text);
    match &i.body {
        IndicatorBody::Named => p.leaf(i.span, head),
        IndicatorBody::Formula { expr, out_of } => {
            p.leaf(i.span, head + &line::formula(expr, out_of.as_ref()));
        }
        IndicatorBody::Children { mode, items } => {
            let head = head + &line::by_mode(mode.as_ref());
            p.block(i.span, head, !items.is_empty(), |p| score_items(p, items));
        }
    }
}

fn group(p: &mut Printer<'_>, g: &Group) {
    p.block(g.span, line::group_head(g), !g.items.is_empty(), |p| {
        for item in &g.items {
            match item {
                GroupItem::IfEmpty(x) => p.leaf(x.span, line::if_empty(x)),
                GroupItem::Unscored(u) => p.leaf(u.span, line::unscored(u)),
                GroupItem::Score(s) => score(p, s),
                GroupItem::Value(v) => p.leaf(v.span, line::value(v)),
            }
        }
    });
}

fn example(p: &mut Printer<'_>, e: &Example) {
    p.block(e.span, line::example_head(e), !e.items.is_empty(), |p| {
        for item in &e.items {
            example_item(p, item);
        }
    });
}

fn example_item(p: &mut Printer<'_>, item: &ExampleItem) {
    match item {
        ExampleItem::Given { kind, rows, span } => {
            let head = line::given_head(kind.as_ref());
            p.block(*span, head, !rows.is_empty(), |p| table(p, rows));
        }
        ExampleItem::ExpectRecord { id, check, span } => {
            p.leaf(*span, line::expect_record(id, check));
        }
        ExampleItem::ExpectGroup {
            group,
            keys,
            check,
            span,
        } => p.leaf(*span, line::expect_group(group, keys, check)),
    }
}

/// Table rows with every `|` lined up by display width.
fn table(p: &mut Printer<'_>, rows: &[Vec<Cell>]) {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(line::cell).collect())
        .collect();
    let widths = column_widths(&texts);
    for (row, cells) in rows.iter().zip(&texts) {
        let span = p.row_span(row);
        p.leaf(span, line::table_row(cells, &widths));
    }
}

/// The display width of each column: its widest cell. Rows may be ragged.
fn column_widths(rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, text) in row.iter().enumerate() {
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(text.width()),
                None => widths.push(text.width()),
            }
        }
    }
    widths
}
