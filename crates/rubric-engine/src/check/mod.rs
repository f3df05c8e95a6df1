//! The checker: syntax tree → checked [`Rubric`]. It collects every error it can
//! find rather than stopping at the first, and never panics.

mod bounds;
mod examples;
mod exprs;
mod groups;
mod kinds;
mod order;
mod scales;
mod scores;

use crate::decimal::{self, NumberError};
use crate::errors;
use crate::model::*;
use bounds::Ty;
use rubric_syntax::ast::{self, Span};
use rubric_syntax::Diagnostic;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A rubric that passed every check, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The checked rubric.
    pub rubric: Rubric,
    /// Findings that do not stop compilation.
    pub warnings: Vec<Diagnostic>,
}

/// Checks a parsed rubric. `hash` identifies its canonical text.
pub fn check(file: &ast::File, hash: String) -> Result<Checked, Vec<Diagnostic>> {
    let mut c = Checker::default();
    let rubric = c.rubric(file, hash);
    let (errors, warnings): (Vec<_>, Vec<_>) = c.diags.into_iter().partition(Diagnostic::is_error);
    match rubric {
        Some(rubric) if errors.is_empty() => Ok(Checked { rubric, warnings }),
        _ => Err(errors.into_iter().chain(warnings).collect()),
    }
}

/// Names declared in a block (a record kind or a group), with their slots and types.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    pub(crate) map: HashMap<String, (SlotId, Ty, Span)>,
}

impl Names {
    fn candidates(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// State shared by the passes.
#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) levels: Vec<String>,
    pub(crate) scales: Vec<Scale>,
    pub(crate) scale_ids: HashMap<String, ScaleId>,
    pub(crate) scale_used: Vec<bool>,
    pub(crate) kinds: Vec<Kind>,
    pub(crate) kind_names: Vec<Names>,
    pub(crate) kind_ids: HashMap<String, KindId>,
    pub(crate) rounding: Rounding,
    pub(crate) kind_column: Option<String>,
}

impl Checker {
    fn rubric(&mut self, file: &ast::File, hash: String) -> Option<Rubric> {
        let meta = self.header(file);
        self.rounding(file);
        let scales: Vec<&ast::Scale> = items(file, |i| match i {
            ast::Item::Scale(s) => Some(s),
            _ => None,
        });
        self.scales(&scales);
        let records: Vec<&ast::Record> = items(file, |i| match i {
            ast::Item::Record(r) => Some(r),
            _ => None,
        });
        self.kinds(&records);
        let group_asts: Vec<&ast::Group> = items(file, |i| match i {
            ast::Item::Group(g) => Some(g),
            _ => None,
        });
        let groups = self.groups(&group_asts);
        let example_asts: Vec<&ast::Example> = items(file, |i| match i {
            ast::Item::Example(e) => Some(e),
            _ => None,
        });
        let examples = self.examples(&example_asts, &groups);
        self.unused_scales(&scales);
        if example_asts.is_empty() {
            self.diags.push(errors::no_examples());
        }
        Some(Rubric {
            format: FORMAT_VERSION,
            meta: meta?,
            hash,
            rounding: self.rounding,
            levels: std::mem::take(&mut self.levels),
            scales: std::mem::take(&mut self.scales),
            kind_column: self.kind_column.take(),
            kinds: std::mem::take(&mut self.kinds),
            groups,
            examples,
        })
    }

    fn header(&mut self, file: &ast::File) -> Option<Meta> {
        let headers: Vec<&ast::Header> = items(file, |i| match i {
            ast::Item::Header(h) => Some(h),
            _ => None,
        });
        let Some(first) = headers.first() else {
            self.diags.push(errors::missing_header());
            return None;
        };
        for again in headers.iter().skip(1) {
            self.diags
                .push(errors::duplicate_item("the header", first.span, again.span));
        }
        let mut meta = Meta {
            id: first.id.text.clone(),
            ..Meta::default()
        };
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for entry in &first.entries {
            if let Some(prev) = seen.insert(entry.key.text.as_str(), entry.span) {
                let what = format!("`{}`", entry.key.text);
                self.diags
                    .push(errors::duplicate_item(&what, prev, entry.span));
            }
            let text = match &entry.value {
                ast::HeaderValue::Text(s) => s.value.clone(),
                ast::HeaderValue::Date(d) => d.text.clone(),
            };
            let slot = match entry.key.text.as_str() {
                "title" => &mut meta.title,
                "version" => &mut meta.version,
                "source" => &mut meta.source,
                "effective" => &mut meta.effective,
                _ => &mut meta.note,
            };
            *slot = Some(text);
        }
        Some(meta)
    }

    fn rounding(&mut self, file: &ast::File) {
        let roundings: Vec<&ast::Rounding> = items(file, |i| match i {
            ast::Item::Rounding(r) => Some(r),
            _ => None,
        });
        for again in roundings.iter().skip(1) {
            if let Some(first) = roundings.first() {
                self.diags
                    .push(errors::duplicate_item("`rounding`", first.span, again.span));
            }
        }
        let Some(r) = roundings.first() else { return };
        let places = self
            .number(&r.places)
            .and_then(|p| u32::try_from(p.mantissa()).ok());
        match places {
            Some(p) if p <= 28 && r.places.text.bytes().all(|b| b.is_ascii_digit()) => {
                self.rounding.places = p;
            }
            _ => self.diags.push(errors::rounding_places(r.places.span)),
        }
        self.rounding.mode = match r.mode.as_ref().map(|m| m.text.as_str()) {
            Some("half-even") => RoundMode::HalfEven,
            Some("half-down") => RoundMode::HalfDown,
            Some("down") => RoundMode::Down,
            Some("up") => RoundMode::Up,
            Some("floor") => RoundMode::Floor,
            Some("ceiling") => RoundMode::Ceiling,
            _ => RoundMode::HalfUp,
        };
    }

    /// A number literal as a decimal, or a reported error.
    pub(crate) fn number(&mut self, n: &ast::Num) -> Option<Decimal> {
        match decimal::parse(&n.text) {
            Ok(d) => Some(d),
            Err(NumberError::Precision) => {
                self.diags.push(errors::number_precision(n.span));
                None
            }
            Err(_) => {
                self.diags.push(errors::number_range(n.span));
                None
            }
        }
    }

    /// The id of a level name, adding it on first use.
    pub(crate) fn level(&mut self, name: &str) -> LevelId {
        if let Some(i) = self.levels.iter().position(|l| l == name) {
            return u32::try_from(i).unwrap_or(u32::MAX);
        }
        self.levels.push(name.to_string());
        u32::try_from(self.levels.len() - 1).unwrap_or(u32::MAX)
    }

    /// The id of an existing level name.
    pub(crate) fn find_level(&self, name: &str) -> Option<LevelId> {
        self.levels
            .iter()
            .position(|l| l == name)
            .and_then(|i| u32::try_from(i).ok())
    }

    pub(crate) fn scale(&self, id: ScaleId) -> Option<&Scale> {
        self.scales.get(id as usize)
    }

    fn unused_scales(&mut self, asts: &[&ast::Scale]) {
        for (used, s) in self.scale_used.iter().zip(asts) {
            if !used {
                self.diags
                    .push(errors::unused_scale(&s.name.text, s.name.span));
            }
        }
    }
}

fn items<'f, T>(file: &'f ast::File, pick: impl Fn(&'f ast::Item) -> Option<&'f T>) -> Vec<&'f T> {
    file.items.iter().filter_map(pick).collect()
}

/// A slot index from a vector length.
pub(crate) fn slot_id(len: usize) -> SlotId {
    u32::try_from(len).unwrap_or(u32::MAX)
}
