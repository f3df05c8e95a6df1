//! What only explanations print: an expression's names in a record kind or a group
//! with values taken from an evaluation [`Frame`] (through [`crate::print`] in the
//! explanations' style), the `name = value` list of what an expression reads, and why
//! a number lies in a scale row's interval.

use super::expr::{index, Frame};
use crate::model::{Expr, Interval, KindId, Rubric, SlotInfo, Value};
use crate::print::{interval, number, Printer, Scope, Style, Values};
use rubric_syntax::limits::with_stack;
use rust_decimal::Decimal;

/// What an expression's names refer to: a kind's or a group's slots, and for a
/// group its aggregates.
#[derive(Clone, Copy)]
pub(crate) struct Names<'a> {
    /// The rubric (levels, scales, kinds).
    pub rubric: &'a Rubric,
    /// The slots the expression reads.
    pub slots: &'a [SlotInfo],
    printer: Printer<'a>,
    scope: Scope,
}

impl<'a> Names<'a> {
    /// The names of a record kind.
    pub(crate) fn kind(rubric: &'a Rubric, kind: KindId) -> Self {
        Names::new(rubric, Scope::Kind(kind))
    }

    /// The names of a group: its values and aggregates.
    pub(crate) fn group(rubric: &'a Rubric, group: u32) -> Self {
        Names::new(rubric, Scope::Group(group))
    }

    fn new(rubric: &'a Rubric, scope: Scope) -> Self {
        let printer = Printer::new(rubric, Style::EXPLAIN);
        Names {
            rubric,
            slots: printer.slots(scope),
            printer,
            scope,
        }
    }

    /// The name of a slot (`?` when out of range).
    pub(crate) fn slot(&self, id: u32) -> &'a str {
        self.printer.slot(self.scope, id)
    }

    /// `e` as written.
    pub(crate) fn expr(&self, e: &Expr) -> String {
        self.printer.expr(e, self.scope)
    }

    /// `e` with every slot and aggregate replaced by its value in `f`.
    pub(crate) fn with_values(&self, f: &Frame<'_>, e: &Expr) -> String {
        let values = Values {
            slots: f.slots,
            aggs: f.aggs,
        };
        self.printer.expr_with(e, self.scope, values)
    }

    /// An aggregate of the group as written: `mean(调查.answer)`,
    /// `count(投诉 where complaint_type is 有效)`.
    pub(crate) fn agg(&self, id: u32) -> String {
        self.printer.aggregate(self.scope, id)
    }

    /// `name = value` for every slot and aggregate `e` reads, in order.
    pub(crate) fn reads(&self, f: &Frame<'_>, e: &Expr) -> String {
        let mut leaves = Vec::new();
        leaves_of(e, &mut leaves);
        let mut parts: Vec<String> = Vec::new();
        for leaf in leaves {
            let part = match leaf {
                Leaf::Slot(id) => format!(
                    "{} = {}",
                    self.slot(id),
                    self.printer.value_or_blank(index(f.slots, id))
                ),
                Leaf::Agg(id) => format!(
                    "{} = {}",
                    self.agg(id),
                    self.printer.value_or_blank(index(f.aggs, id))
                ),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        parts.join(", ")
    }
}

/// A slot or an aggregate read by an expression.
#[derive(Clone, Copy, PartialEq)]
enum Leaf {
    Slot(u32),
    Agg(u32),
}

fn leaves_of(e: &Expr, out: &mut Vec<Leaf>) {
    with_stack(|| leaves_at(e, out));
}

fn leaves_at(e: &Expr, out: &mut Vec<Leaf>) {
    let leaf = match e {
        Expr::Slot(id) => Some(Leaf::Slot(*id)),
        Expr::Agg(id) => Some(Leaf::Agg(*id)),
        _ => None,
    };
    if let Some(l) = leaf.filter(|l| !out.contains(l)) {
        out.push(l);
    }
    for part in e.parts() {
        leaves_of(part, out);
    }
}

/// Whether `e` reads any slot or aggregate.
pub(crate) fn reads_anything(e: &Expr) -> bool {
    let mut leaves = Vec::new();
    leaves_of(e, &mut leaves);
    !leaves.is_empty()
}

/// A value, exact; an answer as its label and score.
pub(crate) fn value(rubric: &Rubric, v: &Value) -> String {
    Printer::new(rubric, Style::EXPLAIN).value(v)
}

/// Why `x` lies in `iv`: `71.25 ∈ [70, 90)`, `96 ≥ 95`, `65 < 70`.
pub(crate) fn membership(x: Decimal, iv: &Interval) -> String {
    let x = number(x);
    match (iv.lo.value, iv.hi.value) {
        (Some(_), Some(_)) => format!("{x} ∈ {}", interval(iv)),
        (Some(lo), None) => format!(
            "{x} {} {}",
            if iv.lo.closed { "≥" } else { ">" },
            number(lo)
        ),
        (None, Some(hi)) => format!(
            "{x} {} {}",
            if iv.hi.closed { "≤" } else { "<" },
            number(hi)
        ),
        (None, None) => format!("{x} is any value"),
    }
}
