//! What the source text says that the checked model does not keep: where header
//! lines, `rounding`, `unscored` and `if empty` were written, each indicator's weight
//! as written, and which scales are `ordered`.

use rubric_syntax::ast::{self, Span};
use std::collections::{HashMap, HashSet};

/// Facts read from one source text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    /// Whether the source was read at all.
    pub(crate) known: bool,
    header: Option<Span>,
    header_lines: HashMap<String, Span>,
    pub(crate) rounding: Option<Span>,
    ordered: HashSet<String>,
    /// Indicator span start → the weight as written (`25`, `40%`).
    weights: HashMap<usize, String>,
    /// (score node span start, `floor` or `cap`) → where it was written.
    limits: HashMap<(usize, String), Span>,
    /// (group, index) → where its `unscored` rule was written.
    unscored: HashMap<(String, usize), Span>,
    /// `record X` / `group Y` → where its `if empty` was written.
    if_empty: HashMap<String, Span>,
    /// Record kind → where its `when column = …` was written.
    select: HashMap<String, Span>,
}

impl Facts {
    /// Reads a source; one that does not parse gives no facts.
    pub(crate) fn read(source: &str) -> Facts {
        let Ok(file) = rubric_syntax::parse(source) else {
            return Facts::default();
        };
        let mut f = Facts {
            known: true,
            ..Facts::default()
        };
        for item in &file.items {
            match item {
                ast::Item::Header(h) => {
                    if f.header.is_some() {
                        continue;
                    }
                    f.header = Some(h.span);
                    f.header_lines.insert("id".into(), h.id.span);
                    for e in &h.entries {
                        f.header_lines.entry(e.key.text.clone()).or_insert(e.span);
                    }
                }
                ast::Item::Rounding(r) => {
                    f.rounding.get_or_insert(r.span);
                }
                ast::Item::Scale(s) => {
                    if s.flags.iter().any(|x| x.text == "ordered") {
                        f.ordered.insert(s.name.text.clone());
                    }
                }
                ast::Item::Record(r) => {
                    if let Some(sel) = &r.select {
                        f.select.insert(r.name.text.clone(), sel.span);
                    }
                    for it in &r.items {
                        match it {
                            ast::RecordItem::IfEmpty(e) => {
                                f.if_empty
                                    .entry(format!("record {}", r.name.text))
                                    .or_insert(e.span);
                            }
                            ast::RecordItem::Score(s) => f.weights_of(s.span, &s.items),
                            _ => {}
                        }
                    }
                }
                ast::Item::Group(g) => {
                    let mut n = 0usize;
                    for it in &g.items {
                        match it {
                            ast::GroupItem::IfEmpty(e) => {
                                f.if_empty
                                    .entry(format!("group {}", g.name.text))
                                    .or_insert(e.span);
                            }
                            ast::GroupItem::Unscored(u) => {
                                f.unscored.insert((g.name.text.clone(), n), u.span);
                                n += 1;
                            }
                            ast::GroupItem::Score(s) => f.weights_of(s.span, &s.items),
                            ast::GroupItem::Value(_) => {}
                        }
                    }
                }
                ast::Item::Example(_) => {}
            }
        }
        f
    }

    /// Weights and limits of a score block written at `at`, and of its indicators.
    fn weights_of(&mut self, at: Span, items: &[ast::ScoreItem]) {
        for it in items {
            match it {
                ast::ScoreItem::Indicator(i) => {
                    self.weights.insert(i.span.start, i.weight.text.clone());
                    if let ast::IndicatorBody::Children { items, .. } = &i.body {
                        self.weights_of(i.span, items);
                    }
                }
                ast::ScoreItem::Limit(l) => {
                    self.limits
                        .entry((at.start, l.kind.text.clone()))
                        .or_insert(l.span);
                }
                ast::ScoreItem::Adjustment(_) => {}
            }
        }
    }

    /// Where the `floor` or `cap` of the score node written at `node` was written.
    pub(crate) fn limit(&self, node: Span, word: &str) -> Option<Span> {
        self.limits.get(&(node.start, word.to_string())).copied()
    }

    /// Where a header line (or the id) was written; the whole header for a line it
    /// does not have.
    pub(crate) fn header_span(&self, key: &str) -> Option<Span> {
        self.header_lines.get(key).copied().or(self.header)
    }

    /// Whether the scale is `ordered`; `None` without a source.
    pub(crate) fn ordered(&self, scale: &str) -> Option<bool> {
        self.known.then(|| self.ordered.contains(scale))
    }

    /// The weight of the indicator written at `span`, as written.
    pub(crate) fn weight(&self, span: Span) -> Option<&str> {
        self.weights.get(&span.start).map(String::as_str)
    }

    /// Where the `i`-th `unscored` rule of a group was written.
    pub(crate) fn unscored(&self, group: &str, i: usize) -> Option<Span> {
        self.unscored.get(&(group.to_string(), i)).copied()
    }

    /// Where a block's `if empty` was written (`record X` or `group Y`).
    pub(crate) fn if_empty(&self, block: &str) -> Option<Span> {
        self.if_empty.get(block).copied()
    }

    /// Where a record kind's `when column = …` was written.
    pub(crate) fn select(&self, kind: &str) -> Option<Span> {
        self.select.get(kind).copied()
    }
}
