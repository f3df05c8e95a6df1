//! Example blocks: input tables and expectations, checked against the declared
//! kinds, groups and values. Running them is the evaluator's job.

use super::Checker;
use crate::decimal;
use crate::errors;
use crate::eval::period::PeriodKey;
use crate::model::*;
use rubric_syntax::ast::{self, Span};
use std::collections::HashMap;

impl Checker {
    /// Checks every example.
    pub(crate) fn examples(&mut self, asts: &[&ast::Example], groups: &[Group]) -> Vec<Example> {
        let mut first: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for e in asts {
            if let Some(prev) = first.insert(&e.name.value, e.name.span) {
                self.diags.push(errors::duplicate(
                    "example",
                    &e.name.value,
                    prev,
                    e.name.span,
                ));
                continue;
            }
            out.push(self.example(e, groups));
        }
        out
    }

    fn example(&mut self, e: &ast::Example, groups: &[Group]) -> Example {
        let mut example = Example {
            name: e.name.value.clone(),
            tables: Vec::new(),
            expects: Vec::new(),
            span: e.span,
        };
        for item in &e.items {
            match item {
                ast::ExampleItem::Given { kind, rows, span } => {
                    if let Some(t) = self.table(kind.as_ref(), rows, *span) {
                        example.tables.push(t);
                    }
                }
                ast::ExampleItem::ExpectRecord { id, check, span } => {
                    let names = self.record_outputs();
                    if let Some(check) = self.expect_check(check, &names, false) {
                        example.expects.push(Expectation {
                            target: Target::Record(id.text.clone()),
                            check,
                            span: *span,
                        });
                    }
                }
                ast::ExampleItem::ExpectGroup {
                    group,
                    keys,
                    check,
                    span,
                } => {
                    if let Some(x) = self.expect_group(group, keys, check, *span, groups) {
                        example.expects.push(x);
                    }
                }
            }
        }
        if example.tables.is_empty() {
            self.diags.push(errors::example(
                e.name.span,
                "this example gives no input".into(),
                "add `given { | column | … | }` with a header row and data rows",
            ));
        }
        example
    }

    fn table(
        &mut self,
        kind: Option<&ast::Name>,
        rows: &[Vec<ast::Cell>],
        span: Span,
    ) -> Option<ExampleTable> {
        let kind_id = match kind {
            Some(k) => match self.kind_ids.get(&k.text) {
                Some(id) => Some(*id),
                None => {
                    let hint =
                        errors::did_you_mean(&k.text, self.kind_ids.keys().map(String::as_str));
                    self.diags
                        .push(errors::unknown_name("record kind", &k.text, k.span, hint));
                    return None;
                }
            },
            None => None,
        };
        let Some((header, data)) = rows.split_first() else {
            self.diags.push(errors::example(
                span,
                "this table is empty".into(),
                "write a header row of column names, then one row per record",
            ));
            return None;
        };
        let known: Vec<&str> = self
            .kinds
            .iter()
            .flat_map(|k| k.fields.iter().map(|f| f.column.as_str()))
            .collect();
        for cell in header {
            if !known.contains(&cell.text.as_str()) && !self.is_kind_column(&cell.text) {
                let hint = errors::did_you_mean(&cell.text, known.iter().copied());
                self.diags.push(errors::example(
                    cell.span,
                    format!("no field reads the column `{}`", cell.text),
                    &hint,
                ));
            }
        }
        for row in data {
            if row.len() != header.len() {
                let at = row.first().map_or(span, |c| c.span);
                self.diags.push(errors::example(
                    at,
                    format!(
                        "this row has {} cells; the header has {}",
                        row.len(),
                        header.len()
                    ),
                    "give every row one cell per column; leave a cell empty for a blank value",
                ));
            }
        }
        Some(ExampleTable {
            kind: kind_id,
            header: header.iter().map(|c| c.text.clone()).collect(),
            rows: data
                .iter()
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect(),
            span,
        })
    }

    fn is_kind_column(&self, column: &str) -> bool {
        self.kind_column.as_deref() == Some(column)
    }

    fn record_outputs(&self) -> Vec<String> {
        self.kinds
            .iter()
            .flat_map(|k| k.slots.iter().filter(|s| s.output).map(|s| s.name.clone()))
            .collect()
    }

    fn expect_group(
        &mut self,
        group: &ast::Name,
        keys: &[ast::Cell],
        check: &ast::Check,
        span: Span,
        groups: &[Group],
    ) -> Option<Expectation> {
        let Some((index, g)) = groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.name == group.text)
        else {
            let hint = errors::did_you_mean(&group.text, groups.iter().map(|g| g.name.as_str()));
            self.diags
                .push(errors::unknown_name("group", &group.text, group.span, hint));
            return None;
        };
        let with_period = !g.periods.is_empty();
        let expected = g.keys.len() + usize::from(with_period);
        if keys.len() != expected {
            let what = if with_period {
                format!("{} key value(s) and a period", g.keys.len())
            } else {
                format!("{} key value(s)", g.keys.len())
            };
            self.diags.push(errors::example(
                group.span,
                format!(
                    "`{}` rows are identified by {what}; {} given",
                    g.name,
                    keys.len()
                ),
                "write (key…, period) such as (张三, 2026-01) or (A组, 2026-Q1)",
            ));
            return None;
        }
        let mut values: Vec<String> = keys.iter().map(|k| k.text.clone()).collect();
        let period = if with_period {
            let label = values.pop().unwrap_or_default();
            let at = keys.last().map_or(span, |c| c.span);
            match PeriodKey::parse(&label).map(|(unit, _)| unit) {
                Some(p) if g.periods.contains(&p) => Some(label),
                _ => {
                    self.diags.push(errors::example(at, format!("`{label}` is not a period of `{}`", g.name), "write 2026-01 (month), 2026-Q1 (quarter), 2026-H1 (half-year) or 2026 (year), for a period the group uses"));
                    return None;
                }
            }
        } else {
            None
        };
        let names: Vec<String> = g
            .slots
            .iter()
            .filter(|s| s.output)
            .map(|s| s.name.clone())
            .collect();
        let check = self.expect_check(check, &names, true)?;
        Some(Expectation {
            target: Target::Group {
                group: u32::try_from(index).unwrap_or(u32::MAX),
                keys: values,
                period,
            },
            check,
            span,
        })
    }

    fn expect_check(
        &mut self,
        check: &ast::Check,
        names: &[String],
        group: bool,
    ) -> Option<ExpectCheck> {
        match check {
            ast::Check::Outcome { kind, detail } => {
                let detail = detail.as_ref().map(|d| d.text.clone());
                match (kind.text.as_str(), group) {
                    ("excluded", false) => Some(ExpectCheck::Excluded(detail)),
                    ("rejected", false) => Some(ExpectCheck::Rejected(detail)),
                    ("unscored", true) => Some(ExpectCheck::Unscored(detail)),
                    (word, _) => {
                        let help = if group {
                            "a group can be expected `unscored` or with values"
                        } else {
                            "a record can be expected `excluded`, `rejected` or with values"
                        };
                        self.diags.push(errors::example(
                            kind.span,
                            format!("`{word}` does not apply here"),
                            help,
                        ));
                        None
                    }
                }
            }
            ast::Check::Values(list) => {
                let mut out = Vec::new();
                for a in list {
                    if !names.contains(&a.name.text) {
                        let hint =
                            errors::did_you_mean(&a.name.text, names.iter().map(String::as_str));
                        self.diags.push(errors::unknown_name(
                            "result",
                            &a.name.text,
                            a.name.span,
                            hint,
                        ));
                        continue;
                    }
                    if let Some(expected) = self.expected(&a.expected) {
                        out.push(ExpectValue {
                            name: a.name.text.clone(),
                            expected,
                            span: a.span,
                        });
                    }
                }
                Some(ExpectCheck::Values(out))
            }
        }
    }

    fn expected(&mut self, e: &ast::Expected) -> Option<Expected> {
        Some(match e {
            ast::Expected::Blank => Expected::Blank,
            ast::Expected::Number(n) => Expected::Number {
                value: self.number(n)?,
                places: decimal::places_written(&n.text),
            },
            ast::Expected::Date(d) => {
                match chrono::NaiveDate::parse_from_str(&d.text, "%Y-%m-%d") {
                    Ok(date) => Expected::Date(date),
                    Err(_) => {
                        self.diags.push(errors::example(
                            d.span,
                            format!("`{}` is not a calendar date", d.text),
                            "write YYYY-MM-DD",
                        ));
                        return None;
                    }
                }
            }
            ast::Expected::Text(s) => Expected::Word(s.value.clone()),
            ast::Expected::Word(w) => Expected::Word(w.text.clone()),
        })
    }
}
