//! Results out: group tables as aligned text (by display width: Chinese characters
//! are two columns), as CSV (one table per file), or as one JSON document with a
//! versioned schema (`docs/results.md`). Numbers are shown with the rubric's declared
//! rounding; JSON also carries the exact value.

use rubric_engine::decimal;
use rubric_engine::eval::{GroupRow, GroupStatus, GroupTable, NamedValue, Results};
use rubric_engine::model::{Period, Rubric, SlotInfo, Value, ValueType};
use serde_json::{json, Map, Value as Json};
use unicode_width::UnicodeWidthStr;

/// Version of the JSON results document.
pub(crate) const SCHEMA: &str = "rubric-results/1";

/// A table ready to print: a title, a header and rows of cells.
pub(crate) struct Sheet {
    /// `顾问 · month`
    pub(crate) title: String,
    /// A file name for the table: `顾问-month`.
    pub(crate) slug: String,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Every group table as a sheet. `blank` is what an absent value shows.
pub(crate) fn sheets(rubric: &Rubric, results: &Results, blank: &str) -> Vec<Sheet> {
    results
        .tables
        .iter()
        .map(|t| sheet(rubric, t, blank))
        .collect()
}

fn sheet(rubric: &Rubric, table: &GroupTable, blank: &str) -> Sheet {
    let group = rubric.groups.iter().find(|g| g.name == table.group);
    let mut header: Vec<String> = group.map(|g| g.keys.clone()).unwrap_or_default();
    if table.period.is_some() {
        header.push("period".into());
    }
    header.extend(["scored".to_string(), "excluded".to_string()]);
    let outputs: Vec<&SlotInfo> = group
        .map(|g| g.slots.iter().filter(|s| s.output).collect())
        .unwrap_or_default();
    header.extend(outputs.iter().map(|s| s.name.clone()));
    header.push("note".into());
    let rows = table
        .rows
        .iter()
        .map(|r| row_cells(rubric, r, &outputs, blank))
        .collect();
    let period = table.period.map(Period::keyword);
    Sheet {
        title: match period {
            Some(p) => format!("{} · {p}", table.group),
            None => table.group.clone(),
        },
        slug: match period {
            Some(p) => format!("{}-{p}", table.group),
            None => table.group.clone(),
        },
        header,
        rows,
    }
}

fn row_cells(rubric: &Rubric, row: &GroupRow, outputs: &[&SlotInfo], blank: &str) -> Vec<String> {
    let mut cells = row.keys.clone();
    if let Some(p) = &row.period {
        cells.push(p.clone());
    }
    cells.push(row.scored.to_string());
    cells.push(row.excluded.to_string());
    let (values, note): (&[NamedValue], String) = match &row.status {
        GroupStatus::Scored { values } => (values, row.empty.clone().unwrap_or_default()),
        GroupStatus::Unscored { reason } => (&[], reason.clone()),
        GroupStatus::Failed { code, reason } => (&[], format!("{code}: {reason}")),
        _ => (&[], String::new()),
    };
    for slot in outputs {
        let v = values
            .iter()
            .find(|v| *v.name == *slot.name)
            .map_or(&Value::Blank, |v| &v.value);
        cells.push(shown(rubric, v, slot.ty, blank));
    }
    let errors = row.errors.join("; ");
    cells.push(
        [note, errors]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
    );
    cells
}

/// A value as displayed: numbers rounded as the rubric declares, whole numbers
/// (counts, ranks) without decimals.
pub(crate) fn shown(rubric: &Rubric, v: &Value, ty: ValueType, blank: &str) -> String {
    match v {
        Value::Blank => blank.to_string(),
        Value::Num(n) if ty == ValueType::Integer => n.normalize().to_string(),
        Value::Num(n) => decimal::display(*n, rubric.rounding),
        Value::Answer { score: Some(n), .. } => decimal::display(*n, rubric.rounding),
        other => rubric_engine::describe_value(rubric, other)
            .trim_matches('"')
            .to_string(),
    }
}

/// Sheets as aligned text.
pub(crate) fn text(sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for s in sheets {
        out.push_str(&s.title);
        out.push('\n');
        let widths: Vec<usize> = (0..s.header.len())
            .map(|i| {
                std::iter::once(&s.header)
                    .chain(&s.rows)
                    .filter_map(|r| r.get(i))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(&s.header).chain(&s.rows) {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    let pad = " ".repeat(w.saturating_sub(c.width()));
                    if looks_numeric(c) {
                        format!("{pad}{c}")
                    } else {
                        format!("{c}{pad}")
                    }
                })
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn looks_numeric(c: &str) -> bool {
    !c.is_empty() && decimal::parse(c).is_ok()
}

/// One sheet as CSV text.
pub(crate) fn csv_text(sheet: &Sheet) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in std::iter::once(&sheet.header).chain(&sheet.rows) {
        w.write_record(row).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The whole run as one JSON document.
pub(crate) fn json_document(rubric: &Rubric, results: &Results) -> Json {
    let tables: Vec<Json> = results
        .tables
        .iter()
        .map(|t| {
            let slots = rubric
                .groups
                .iter()
                .find(|g| g.name == t.group)
                .map_or(&[][..], |g| g.slots.as_slice());
            let rows: Vec<Json> = t.rows.iter().map(|r| json_row(rubric, r, slots)).collect();
            json!({
                "group": t.group,
                "period": t.period.map(Period::keyword),
                "unassigned": t.unassigned,
                "rows": rows,
            })
        })
        .collect();
    json!({
        "schema": SCHEMA,
        "rubric": { "id": results.rubric.id, "version": results.rubric.version, "hash": results.rubric.hash },
        "rounding": { "places": rubric.rounding.places, "mode": rubric.rounding.mode.keyword() },
        "summary": results.summary,
        "tables": tables,
    })
}

fn json_row(rubric: &Rubric, r: &GroupRow, slots: &[SlotInfo]) -> Json {
    let mut values = Map::new();
    let (status, reason) = match &r.status {
        GroupStatus::Scored { values: vs } => {
            for v in vs {
                let ty = slots
                    .iter()
                    .find(|s| *s.name == *v.name)
                    .map_or(ValueType::Number, |s| s.ty);
                values.insert(v.name.to_string(), json_value(rubric, &v.value, ty));
            }
            ("scored", r.empty.clone())
        }
        GroupStatus::Unscored { reason } => ("unscored", Some(reason.clone())),
        GroupStatus::Failed { reason, .. } => ("failed", Some(reason.clone())),
        _ => ("unknown", None),
    };
    json!({
        "keys": r.keys,
        "period": r.period,
        "scored": r.scored,
        "excluded": r.excluded,
        "status": status,
        "reason": reason,
        "values": values,
        "errors": r.errors,
    })
}

/// A value in JSON: numbers as `{ "exact": "71.25", "shown": "71.25" }` so no
/// reader goes through a float (`shown` as the tables show it: whole numbers without
/// decimals); levels and labels as text; blank as null.
pub(crate) fn json_value(rubric: &Rubric, v: &Value, ty: ValueType) -> Json {
    let number = |n: &rust_decimal::Decimal| json!({ "exact": n.normalize().to_string(), "shown": shown(rubric, &Value::Num(*n), ty, "") });
    match v {
        Value::Blank => Json::Null,
        Value::Num(n) => number(n),
        Value::Answer {
            score: Some(n),
            label,
            ..
        } => {
            let mut o = number(n);
            if let Some(map) = o.as_object_mut() {
                map.insert("label".into(), Json::String(label.clone()));
            }
            o
        }
        Value::Bool(b) => Json::Bool(*b),
        other => Json::String(
            rubric_engine::describe_value(rubric, other)
                .trim_matches('"')
                .to_string(),
        ),
    }
}
