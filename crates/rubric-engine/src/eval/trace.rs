//! Building explanations. A record is first evaluated exactly as
//! [`super::Evaluator::push`] evaluates it (its outcome is that evaluation's);
//! then its steps are described with the same readers, conditions and score-tree
//! code, the score trees reporting every node to a [`NodeTrace`]. A group row is
//! explained once its table is finished: its aggregates (with the records the
//! watch saw), then its values recomputed in the table's order through the same
//! code, with ranks and quotas placed among the rows of its period.

use super::errors;
use super::expr::{index, num, truth, Ctx, EvalError, Frame};
use super::fields::Reader;
use super::finish::{ranked, RowState, State};
use super::outcome::RecordStatus;
use super::rank;
use super::record::{computed_traced, rater_value, KindState};
use super::scale::{nfc, Hit};
use super::score::{Applied, ScoreTrace, Write};
use super::show::{self, membership, Names};
use super::value::as_num;
use super::watch::Watch;
use crate::decimal;
use crate::explain::{AggregateInputs, Explanation, Outcome, Step, StepKind, Subject};
use crate::model::{
    AggFunc, ComputedDef, Expr, Field, FieldType, Group, Kind, LevelId, NodeSource, RowOutcome,
    Rubric, ScaleKind, ScoreNode, SlotId, Value,
};
use crate::print::{interval, number, opt_number};
use rubric_syntax::ast::Span;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Steps being collected.
#[derive(Default)]
struct Steps(Vec<Step>);

impl Steps {
    fn push(
        &mut self,
        kind: StepKind,
        depth: u32,
        span: Option<Span>,
        text: String,
        value: Option<String>,
    ) {
        self.0.push(Step {
            kind,
            depth,
            span,
            text,
            value,
        });
    }
}

/// `written = with values = result`, leaving out the parts that say nothing new.
fn formula(names: &Names<'_>, f: &Frame<'_>, e: &Expr, result: &str) -> String {
    let written = names.expr(e);
    if matches!(e, Expr::Slot(_) | Expr::Agg(_) | Expr::Const(_)) || !show::reads_anything(e) {
        return if written == result {
            written
        } else {
            format!("{written} = {result}")
        };
    }
    let values = names.with_values(f, e);
    if values == result || matches!(e, Expr::Grade(..)) {
        format!("{written} = {result}")
    } else {
        format!("{written} = {values} = {result}")
    }
}

/// A `grade(…)` step for every grade in `e`: the band its value falls in.
fn grades(names: &Names<'_>, f: &Frame<'_>, e: &Expr, depth: u32, steps: &mut Steps) {
    rubric_syntax::limits::with_stack(|| grades_in(names, f, e, depth, steps));
}

fn grades_in(names: &Names<'_>, f: &Frame<'_>, e: &Expr, depth: u32, steps: &mut Steps) {
    match e {
        Expr::Grade(x, scale_id) => {
            grades(names, f, x, depth, steps);
            let mut cx = Ctx {
                rubric: names.rubric,
                empty: false,
            };
            let Some(scale) = index(&names.rubric.scales, *scale_id) else {
                return;
            };
            let value = match num(&mut cx, f, x) {
                Ok(v) => v,
                Err(_) => return,
            };
            let Some(v) = value else {
                let text = format!("grade(blank, {}) → blank", scale.name);
                steps.push(StepKind::Grade, depth, Some(scale.span), text, None);
                return;
            };
            let rows = match &scale.kind {
                ScaleKind::Numeric(rows) => rows.as_slice(),
                _ => &[],
            };
            let head = format!("grade({}, {})", number(v), scale.name);
            match rows.iter().find(|r| r.interval.contains(v)) {
                Some(row) => {
                    let level = match &row.outcome {
                        RowOutcome::Score { level: Some(l), .. } => index(&names.rubric.levels, *l),
                        _ => None,
                    };
                    let why = membership(v, &row.interval);
                    let (text, value) = match level {
                        Some(l) => (format!("{head} → {l} because {why}"), Some(l.clone())),
                        None => (
                            format!("{head} → blank: the row for {why} has no level"),
                            None,
                        ),
                    };
                    steps.push(StepKind::Grade, depth, Some(row.span), text, value);
                }
                None => {
                    let text = format!("{head} → blank: no row of {} contains it", scale.name);
                    steps.push(StepKind::Grade, depth, Some(scale.span), text, None);
                }
            }
        }
        Expr::Const(_) | Expr::Slot(_) | Expr::Agg(_) => {}
        Expr::Neg(x)
        | Expr::Not(x)
        | Expr::IsBlank(x)
        | Expr::IsLevel(x, _)
        | Expr::InTexts(x, _)
        | Expr::InInterval(x, _) => grades(names, f, x, depth, steps),
        Expr::Arith(first, rest) => {
            grades(names, f, first, depth, steps);
            for (_, x) in rest {
                grades(names, f, x, depth, steps);
            }
        }
        Expr::Logic(_, xs) | Expr::Call(_, xs) => {
            for x in xs {
                grades(names, f, x, depth, steps);
            }
        }
        Expr::Cmp(a, _, b) => {
            grades(names, f, a, depth, steps);
            grades(names, f, b, depth, steps);
        }
        Expr::If(c, a, b) => {
            grades(names, f, c, depth, steps);
            grades(names, f, a, depth, steps);
            grades(names, f, b, depth, steps);
        }
    }
}

/// A computed expression's step, with its grades.
fn value_step(
    names: &Names<'_>,
    f: &Frame<'_>,
    slot: SlotId,
    e: &Expr,
    depth: u32,
    steps: &mut Steps,
) {
    let result = show::value(names.rubric, index(f.slots, slot).unwrap_or(&Value::Blank));
    let text = format!("{} = {}", names.slot(slot), formula(names, f, e, &result));
    let span = index(names.slots, slot).map(|s| s.span);
    steps.push(StepKind::Value, depth, span, text, Some(result));
    grades(names, f, e, depth.saturating_add(1), steps);
}

/// A condition's reads, as a detail step.
fn reads_step(names: &Names<'_>, f: &Frame<'_>, e: &Expr, depth: u32, steps: &mut Steps) {
    let reads = names.reads(f, e);
    if !reads.is_empty() {
        steps.push(StepKind::Detail, depth, None, reads, None);
    }
}

/// Reports a score tree's steps.
struct NodeTrace<'a, 's> {
    names: Names<'a>,
    steps: &'s mut Steps,
    depth: u32,
    /// Node values so far, for parents' sums.
    values: HashMap<SlotId, Option<Decimal>>,
    /// The floor or cap changed the current node.
    limited: bool,
}

impl<'a, 's> NodeTrace<'a, 's> {
    fn new(names: Names<'a>, steps: &'s mut Steps, depth: u32) -> Self {
        NodeTrace {
            names,
            steps,
            depth,
            values: HashMap::new(),
            limited: false,
        }
    }

    fn detail(&self) -> u32 {
        self.depth.saturating_add(1)
    }
}

/// The label of an adjustment, unless it is the default (`deduct 6`).
fn adjust_label(label: &str, amount: Decimal) -> Option<&str> {
    let written = label
        .strip_prefix("deduct ")
        .or_else(|| label.strip_prefix("bonus "));
    match written.and_then(|w| decimal::parse(w).ok()) {
        Some(a) if a == amount.abs() => None,
        _ => Some(label),
    }
}

fn with_label(text: String, label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{text} {l}"),
        None => text,
    }
}

/// `deduct 6` or `bonus +10`.
fn signed_word(amount: Decimal) -> String {
    if amount.is_sign_negative() && !amount.is_zero() {
        format!("deduct {}", number(amount.abs()))
    } else {
        format!("bonus +{}", number(amount))
    }
}

impl ScoreTrace for NodeTrace<'_, '_> {
    fn leaf(
        &mut self,
        f: &Frame<'_>,
        node: &ScoreNode,
        value: Option<Decimal>,
        result: Option<Decimal>,
    ) {
        let NodeSource::Leaf { expr, max, .. } = &node.source else {
            return;
        };
        let name = self.names.slot(node.slot);
        let text = match (value, result) {
            (Some(v), Some(r)) => format!(
                "{name} = {} / {} × {} = {}",
                number(v),
                number(*max),
                number(node.points),
                number(r)
            ),
            (Some(_), None) => format!("{name} = blank (its maximum is 0)"),
            (None, _) => format!("{name} = blank ({} is blank)", self.names.expr(expr)),
        };
        let depth = self.depth;
        self.steps.push(
            StepKind::Node,
            depth,
            Some(node.span),
            text,
            result.map(number),
        );
        if !matches!(expr, Expr::Slot(_) | Expr::Const(_)) && value.is_some() {
            let text = formula(&self.names, f, expr, &opt_number(value));
            self.steps.push(
                StepKind::Value,
                self.detail(),
                None,
                text,
                value.map(number),
            );
            grades(&self.names, f, expr, self.detail(), self.steps);
        }
    }

    fn sum(&mut self, node: &ScoreNode, result: Option<Decimal>) {
        let NodeSource::Children(children) = &node.source else {
            return;
        };
        let parts: Vec<String> = children
            .iter()
            .map(|c| opt_number(self.values.get(&c.slot).copied().flatten()))
            .collect();
        let name = self.names.slot(node.slot);
        let total = opt_number(result);
        let text = if parts.len() == 1 {
            format!("{name} = {total}")
        } else if parts.is_empty() {
            format!("{name} = {total} (no indicators)")
        } else {
            format!("{name} = {} = {total}", parts.join(" + "))
        };
        let depth = self.depth;
        self.steps
            .push(StepKind::Node, depth, Some(node.span), text, Some(total));
    }

    fn forfeit(
        &mut self,
        f: &Frame<'_>,
        _node: &ScoreNode,
        adjust: &crate::model::Adjust,
        holds: bool,
    ) {
        let crate::model::Adjust::Forfeit { cond, label, span } = adjust else {
            return;
        };
        let cond_text = self.names.expr(cond);
        let what = if label == "forfeit" {
            format!("({cond_text})")
        } else {
            format!("{label} ({cond_text})")
        };
        let (text, value) = if holds {
            (format!("forfeit: {what} → 0"), Some("0".to_owned()))
        } else {
            (format!("no forfeit: {what}"), None)
        };
        self.steps
            .push(StepKind::Adjust, self.detail(), Some(*span), text, value);
        reads_step(
            &self.names,
            f,
            cond,
            self.detail().saturating_add(1),
            self.steps,
        );
    }

    fn adjust(
        &mut self,
        f: &Frame<'_>,
        adjust: &crate::model::Adjust,
        applied: Applied,
        delta: Option<Decimal>,
        value: Decimal,
    ) {
        use crate::model::Adjust;
        let now = number(value);
        let (text, span, detail) = match (adjust, applied) {
            (
                Adjust::Per {
                    amount,
                    count,
                    label,
                    span,
                },
                Applied::Count(n),
            ) => {
                let label = adjust_label(label, *amount);
                let text = match (n, delta) {
                    (Some(n), Some(d)) => format!(
                        "{} = {} → {now}",
                        with_label(format!("{} × {}", signed_word(*amount), number(n)), label),
                        number(d)
                    ),
                    _ => with_label(
                        format!(
                            "{} per {}: blank, nothing applied",
                            signed_word(*amount),
                            self.names.expr(count)
                        ),
                        label,
                    ),
                };
                let detail = match n {
                    Some(n) if show::reads_anything(count) => {
                        Some(formula(&self.names, f, count, &number(n)))
                    }
                    _ => None,
                };
                (text, *span, detail)
            }
            (
                Adjust::When {
                    amount,
                    cond,
                    label,
                    span,
                },
                Applied::Holds(holds),
            ) => {
                let label = adjust_label(label, *amount);
                let cond_text = self.names.expr(cond);
                let text = if holds {
                    format!(
                        "{} ({cond_text}) → {now}",
                        with_label(signed_word(*amount), label)
                    )
                } else {
                    let word = if amount.is_sign_negative() {
                        "no deduction"
                    } else {
                        "no bonus"
                    };
                    let what = label.map_or_else(|| signed_word(*amount), str::to_owned);
                    format!("{word}: {what} ({cond_text})")
                };
                (text, *span, Some(self.names.reads(f, cond)))
            }
            (
                Adjust::By {
                    amount,
                    label,
                    span,
                },
                Applied::Amount(x),
            ) => {
                let label = (label != "adjust").then_some(label.as_str());
                let written = self.names.expr(amount);
                let text = match x {
                    Some(x) => {
                        let signed = if x.is_sign_negative() && !x.is_zero() {
                            number(x)
                        } else {
                            format!("+{}", number(x))
                        };
                        format!(
                            "{} ({written}) → {now}",
                            with_label(format!("adjust {signed}"), label)
                        )
                    }
                    None => format!(
                        "{}: {written} is blank, nothing applied",
                        with_label("adjust".to_owned(), label)
                    ),
                };
                (text, *span, None)
            }
            _ => return,
        };
        let depth = self.detail();
        self.steps
            .push(StepKind::Adjust, depth, Some(span), text, delta.map(number));
        if let Some(d) = detail.filter(|d| !d.is_empty()) {
            self.steps
                .push(StepKind::Detail, depth.saturating_add(1), None, d, None);
        }
    }

    fn limit(&mut self, node: &ScoreNode, before: Decimal, after: Decimal) {
        let capped = node.cap == Some(after) && after < before;
        let text = if capped {
            format!("capped at {} (was {})", number(after), number(before))
        } else {
            format!("floored at {} (was {})", number(after), number(before))
        };
        self.limited = true;
        let depth = self.detail();
        self.steps.push(
            StepKind::Limit,
            depth,
            Some(node.span),
            text,
            Some(number(after)),
        );
    }

    fn done(&mut self, node: &ScoreNode, value: Option<Decimal>) {
        self.values.insert(node.slot, value);
        let limited = std::mem::take(&mut self.limited);
        if node.adjustments.is_empty() && !limited {
            return;
        }
        let name = self.names.slot(node.slot);
        let text = match value {
            Some(v) => format!("{name} = {}", number(v)),
            None => format!("{name} = blank (a blank value is not adjusted)"),
        };
        let depth = self.depth;
        self.steps.push(
            StepKind::Node,
            depth,
            Some(node.span),
            text,
            value.map(number),
        );
    }
}

/// What evaluation needs to explain one input row of a known kind.
pub(crate) struct RecordInput<'a, 'r> {
    /// The rubric.
    pub rubric: &'r Rubric,
    /// The evaluator's cell reader.
    pub reader: &'a Reader<'r>,
    /// Each field's column.
    pub cols: &'a [Option<usize>],
    /// The row's cells.
    pub cells: &'a [&'a str],
    /// The row number.
    pub row: u64,
    /// The kind.
    pub kind: usize,
    /// The kind column and its cell, when the row chose its kind.
    pub kind_cell: Option<(&'a str, &'a str)>,
}

/// A row rejected before its kind was known.
pub(crate) fn rejected_row(
    row: u64,
    field: Option<String>,
    code: &'static str,
    reason: String,
) -> Explanation {
    let text = format!("rejected ({code}): {reason}");
    Explanation {
        subject: Subject::Record {
            row,
            kind: None,
            id: None,
        },
        outcome: Outcome::Rejected {
            field,
            code: code.to_owned(),
            reason,
        },
        steps: vec![Step {
            kind: StepKind::Reject,
            depth: 0,
            span: None,
            text,
            value: None,
        }],
        aggregates: Vec::new(),
    }
}

/// Explains one record.
pub(crate) fn record(input: &RecordInput<'_, '_>) -> Explanation {
    let rubric = input.rubric;
    let Some(kind) = rubric.kinds.get(input.kind) else {
        let reason = errors::internal("the record kind", "its index is out of range");
        return rejected_row(input.row, None, errors::INTERNAL, reason);
    };
    let mut state = KindState::new(kind);
    let verdict = state.run(rubric, input.reader, input.cols, input.cells);
    let status = verdict.into_status(&state, true);
    let mut steps = Steps::default();
    let text = match input.kind_cell {
        Some((column, cell)) => format!("{column} {cell:?} → record kind {}", kind.name),
        None => format!("record kind {}", kind.name),
    };
    steps.push(
        StepKind::Kind,
        0,
        Some(kind.span),
        text,
        Some(kind.name.clone()),
    );
    let hits = fields(input, kind, &mut steps);
    rated(kind, &state.slots, &hits, &mut steps);
    let names = Names::kind(rubric, u32::try_from(input.kind).unwrap_or(u32::MAX));
    walk(&names, kind, &state.slots, &hits, &status, &mut steps);
    let outcome = match status {
        RecordStatus::Scored { empty, .. } => Outcome::Scored { empty },
        RecordStatus::Excluded { reason } => Outcome::Excluded { reason },
        RecordStatus::Rejected {
            field,
            code,
            reason,
        } => Outcome::Rejected {
            field,
            code: code.to_owned(),
            reason,
        },
    };
    Explanation {
        subject: Subject::Record {
            row: input.row,
            kind: Some(kind.name.clone()),
            id: state.record_id(&rubric.levels),
        },
        outcome,
        steps: steps.0,
        aggregates: Vec::new(),
    }
}

/// One step per field read; returns each field's scale hit.
fn fields<'r>(
    input: &RecordInput<'_, 'r>,
    kind: &'r Kind,
    steps: &mut Steps,
) -> Vec<Option<Hit<'r>>> {
    let rubric = input.rubric;
    let mut hits = Vec::with_capacity(kind.fields.len());
    for (i, field) in kind.fields.iter().enumerate() {
        let col = input.cols.get(i).copied().flatten();
        let raw = col
            .and_then(|c| input.cells.get(c))
            .copied()
            .unwrap_or("")
            .trim();
        let mut head = field.name.clone();
        if col.is_none() {
            head.push_str(" (no column)");
        } else if field.column != field.name {
            head = format!("{head} [{}]", field.column);
        }
        let mut value = Value::Blank;
        let result = input.reader.read(field, raw, &mut value);
        let mut span = field.span;
        let (text, shown) = match &result {
            Err(e) if raw.is_empty() => (format!("{head} blank: {} ({})", e.reason, e.code), None),
            Err(e) => (format!("{head} {raw:?}: {} ({})", e.reason, e.code), None),
            Ok(_) if raw.is_empty() => {
                let v = show::value(rubric, &value);
                match field.ty {
                    FieldType::Flag => (format!("{head} blank → no"), Some(v)),
                    _ => (format!("{head} blank"), Some(v)),
                }
            }
            Ok(None) => match field.ty {
                FieldType::Id | FieldType::Text | FieldType::Key { .. } => {
                    let v = show::value(rubric, &value);
                    (format!("{head} {raw:?}"), Some(v))
                }
                _ => {
                    let v = show::value(rubric, &value);
                    (format!("{head} {raw:?} → {v}"), Some(v))
                }
            },
            Ok(Some(hit)) => {
                let (what, row_span) = answer(rubric, field, raw, *hit, &value);
                if let Some(s) = row_span {
                    span = s;
                }
                let shown = match (hit, &value) {
                    (Hit::Score, Value::Answer { score, .. }) => Some(opt_number(*score)),
                    _ => None,
                };
                (format!("{head} {raw:?} → {what}"), shown)
            }
        };
        steps.push(StepKind::Field, 0, Some(span), text, shown);
        hits.push(result.ok().flatten());
    }
    hits
}

/// What an answer's scale row gives (`value`: the answer read), and the row's span.
fn answer(
    rubric: &Rubric,
    field: &Field,
    raw: &str,
    hit: Hit<'_>,
    value: &Value,
) -> (String, Option<Span>) {
    let FieldType::Scale(id) = field.ty else {
        return (String::new(), None);
    };
    let Some(scale) = index(&rubric.scales, id) else {
        return (String::new(), None);
    };
    let level = |l: Option<LevelId>| l.and_then(|l| index(&rubric.levels, l)).cloned();
    let mut row_text = None;
    let span = match &scale.kind {
        ScaleKind::Labels(rows) => {
            let label = nfc(raw);
            rows.iter()
                .find(|r| r.labels.iter().any(|l| nfc(l.trim()) == label))
                .map(|r| r.span)
        }
        ScaleKind::Numeric(rows) => {
            let x = decimal::parse(raw).ok();
            let row = x.and_then(|x| rows.iter().find(|r| r.interval.contains(x)));
            row_text = row.map(|r| interval(&r.interval));
            row.map(|r| r.span)
        }
        ScaleKind::Linear(_) => {
            row_text = Some("linear".to_owned());
            None
        }
    };
    let place = match row_text {
        Some(t) => format!("{} {t}", scale.name),
        None => scale.name.clone(),
    };
    let (score, l) = match value {
        Value::Answer { score, level, .. } => (*score, *level),
        _ => (None, None),
    };
    let what = match hit {
        Hit::Score => {
            let parts: Vec<String> = score.map(number).into_iter().chain(level(l)).collect();
            let gives = if parts.is_empty() {
                "no score".to_owned()
            } else {
                parts.join(", ")
            };
            format!("{gives} ({place})")
        }
        Hit::Rated(_) => match hit.bounds() {
            Some((lo, hi)) => format!("rated {}..{} ({place})", number(lo), number(hi)),
            None => format!("rated ({place})"),
        },
        Hit::Exclude(reason) => format!("exclude {reason:?} ({place})"),
    };
    (what, span.or(Some(scale.span)))
}

/// One step per rated answer: its rater value, or why there is none.
fn rated(kind: &Kind, slots: &[Value], hits: &[Option<Hit<'_>>], steps: &mut Steps) {
    for (field, hit) in kind.fields.iter().zip(hits) {
        let Some((lo, hi)) = hit.and_then(Hit::bounds) else {
            continue;
        };
        let range = format!("[{}, {}]", number(lo), number(hi));
        let rater = field
            .rated_by
            .and_then(|s| index(&kind.fields, s))
            .map_or("?", |f| f.name.as_str());
        let (text, value) = match rater_value(kind, slots, field.rated_by, &field.name, lo, hi) {
            Ok(v) => (
                format!(
                    "{} = {}: rated by {rater}, within {range}",
                    field.name,
                    number(v)
                ),
                Some(number(v)),
            ),
            Err((_, e)) => (format!("{}: {} ({})", field.name, e.reason, e.code), None),
        };
        steps.push(StepKind::Rated, 0, Some(field.span), text, value);
    }
}

/// Exclusions, a field rejection, `require` rules and computed values, in the
/// evaluator's order, up to where the record's evaluation ended.
fn walk(
    names: &Names<'_>,
    kind: &Kind,
    slots: &[Value],
    hits: &[Option<Hit<'_>>],
    status: &RecordStatus,
    steps: &mut Steps,
) {
    let rubric = names.rubric;
    let f = Frame::record(slots);
    let mut cx = Ctx {
        rubric,
        empty: false,
    };
    for rule in &kind.excludes {
        let Some(cond) = &rule.when else {
            let text = format!(
                "excluded: {} (every record of kind {})",
                rule.reason, kind.name
            );
            steps.push(StepKind::Exclude, 0, Some(rule.span), text, None);
            return;
        };
        let cond_text = names.expr(cond);
        match truth(&mut cx, &f, cond) {
            Ok(true) => {
                if let RecordStatus::Rejected {
                    field: Some(name),
                    code,
                    reason,
                } = status
                {
                    // The rule read a value that is present but wrong (blank to the
                    // rule): the evaluator rejects the record rather than hide it.
                    let text = format!(
                        "not excluded: {} ({cond_text}) holds only because it read a wrong value",
                        rule.reason
                    );
                    steps.push(StepKind::Exclude, 0, Some(rule.span), text, None);
                    reads_step(names, &f, cond, 1, steps);
                    let span = kind.fields.iter().find(|x| x.name == *name).map(|x| x.span);
                    let text = format!("rejected ({code}): {reason}");
                    steps.push(StepKind::Reject, 0, span, text, None);
                    return;
                }
                let text = format!("excluded: {} ({cond_text})", rule.reason);
                steps.push(StepKind::Exclude, 0, Some(rule.span), text, None);
                reads_step(names, &f, cond, 1, steps);
                return;
            }
            Ok(false) => {
                let text = format!("not excluded: {} ({cond_text})", rule.reason);
                steps.push(StepKind::Exclude, 0, Some(rule.span), text, None);
            }
            Err(e) => {
                failure(e, &rule.reason, Some(rule.span), steps);
                return;
            }
        }
    }
    let excluding =
        kind.fields
            .iter()
            .zip(hits)
            .enumerate()
            .find_map(|(i, (field, hit))| match hit {
                Some(Hit::Exclude(reason)) => Some((field, reason.as_str(), slots.get(i))),
                _ => None,
            });
    if let Some((field, reason, answer)) = excluding {
        let label = match answer {
            Some(Value::Answer { label, .. }) => format!(" {label:?}"),
            _ => String::new(),
        };
        let text = format!("excluded: {reason} ({}{label})", field.name);
        steps.push(StepKind::Exclude, 0, Some(field.span), text, None);
        return;
    }
    if let RecordStatus::Rejected {
        field: Some(name),
        code,
        reason,
    } = status
    {
        let span = kind.fields.iter().find(|x| x.name == *name).map(|x| x.span);
        steps.push(
            StepKind::Reject,
            0,
            span,
            format!("rejected ({code}): {reason}"),
            None,
        );
        return;
    }
    for rule in &kind.requires {
        let cond_text = names.expr(&rule.condition);
        match truth(&mut cx, &f, &rule.condition) {
            Ok(true) => {
                let text = format!("require {cond_text}: holds");
                steps.push(StepKind::Require, 0, Some(rule.span), text, None);
            }
            Ok(false) => {
                let text = format!("rejected: {} (require {cond_text})", rule.message);
                steps.push(StepKind::Reject, 0, Some(rule.span), text, None);
                reads_step(names, &f, &rule.condition, 1, steps);
                return;
            }
            Err(e) => {
                failure(e, &rule.message, Some(rule.span), steps);
                return;
            }
        }
    }
    compute(rubric, kind, names, slots, status, steps);
}

/// The computed values, recomputed with tracing in the kind's order.
fn compute(
    rubric: &Rubric,
    kind: &Kind,
    names: &Names<'_>,
    slots: &[Value],
    status: &RecordStatus,
    steps: &mut Steps,
) {
    let mut mine: Vec<Value> = slots.to_vec();
    for s in mine.iter_mut().skip(kind.fields.len()) {
        *s = Value::Blank;
    }
    let mut writes: Vec<Write> = Vec::new();
    let mut cx = Ctx {
        rubric,
        empty: false,
    };
    for c in &kind.computed {
        let mut t = NodeTrace::new(*names, steps, 0);
        let result = computed_traced(
            &mut cx,
            &[],
            &[],
            &mut mine,
            &mut writes,
            c.slot,
            &c.def,
            &mut t,
        );
        let span = index(&kind.slots, c.slot).map(|s| s.span);
        match (result, &c.def) {
            (Ok(()), ComputedDef::Expr(e)) => {
                value_step(names, &Frame::record(&mine), c.slot, e, 0, steps);
            }
            (Ok(()), _) => {}
            (Err(e), _) => {
                failure(e, names.slot(c.slot), span, steps);
                return;
            }
        }
    }
    if matches!(status, RecordStatus::Scored { .. }) {
        disagree(names, &mine, slots, kind.fields.len(), steps);
    }
}

/// Notes any value the trace computed differently from the evaluation (never
/// expected: both run the same code).
fn disagree(names: &Names<'_>, traced: &[Value], actual: &[Value], from: usize, steps: &mut Steps) {
    for (i, (a, b)) in traced.iter().zip(actual).enumerate().skip(from) {
        if a != b {
            let slot = u32::try_from(i).unwrap_or(u32::MAX);
            let text = format!(
                "note: the trace gives {} = {}, the evaluation {}",
                names.slot(slot),
                show::value(names.rubric, a),
                show::value(names.rubric, b)
            );
            steps.push(StepKind::Detail, 0, None, text, None);
        }
    }
}

fn failure(e: EvalError, what: &str, span: Option<Span>, steps: &mut Steps) {
    let (code, reason) = errors::eval_failure(e, what);
    steps.push(
        StepKind::Reject,
        0,
        span,
        format!("failed ({code}): {reason}"),
        None,
    );
}

/// Explains a watched group row once its table (`rows`) is finished; `rows` is
/// empty when the row's table never saw a record.
pub(crate) fn group(rubric: &Rubric, w: &Watch, rows: &[RowState]) -> Explanation {
    let group = rubric.groups.get(w.group);
    let mut steps = Steps::default();
    let subject = Subject::Group {
        group: group.map_or_else(String::new, |g| g.name.clone()),
        keys: w.keys.clone(),
        period: w.period.zip(w.unit).map(|(p, u)| p.label(u)),
    };
    let row = rows
        .iter()
        .find(|r| r.acc.keys == w.keys && r.acc.period == w.period);
    let span = group.map(|g| g.span);
    records_step(w, row, span, &mut steps);
    let (Some(group), Some(row)) = (group, row) else {
        return Explanation {
            subject,
            outcome: Outcome::NoRow,
            steps: steps.0,
            aggregates: Vec::new(),
        };
    };
    let names = Names::group(rubric, u32::try_from(w.group).unwrap_or(u32::MAX));
    let aggregates = aggregates(&names, group, w, row, &mut steps);
    values(&names, group, row, rows, &mut steps);
    let outcome = match &row.state {
        State::Open => Outcome::Scored {
            empty: row.empty.then(|| {
                group
                    .empty_reason
                    .clone()
                    .unwrap_or_else(|| errors::DEFAULT_EMPTY.to_owned())
            }),
        },
        State::Unscored(reason) => Outcome::Unscored {
            reason: reason.clone(),
        },
        State::Failed(code, reason) => Outcome::Failed {
            code: (*code).to_owned(),
            reason: reason.clone(),
        },
    };
    Explanation {
        subject,
        outcome,
        steps: steps.0,
        aggregates,
    }
}

/// `records: 2 scored, 1 excluded`, then the records.
fn records_step(w: &Watch, row: Option<&RowState>, span: Option<Span>, steps: &mut Steps) {
    let (scored, excluded) = row.map_or((0, 0), |r| (r.acc.scored, r.acc.excluded));
    let total = scored.saturating_add(excluded);
    steps.push(
        StepKind::Records,
        0,
        span,
        format!("records: {scored} scored, {excluded} excluded"),
        Some(total.to_string()),
    );
    if w.started_after > 0 {
        let text = format!(
            "(watching began after {} row(s); earlier records are counted but not listed)",
            w.started_after
        );
        steps.push(StepKind::Detail, 1, None, text, None);
    }
    for r in &w.records {
        let who = record_name(r.row, r.id.as_deref());
        let text = match &r.excluded {
            Some(reason) => format!("{who} {}: excluded: {reason}", r.kind),
            None => format!("{who} {}: scored", r.kind),
        };
        steps.push(StepKind::Record, 1, None, text, None);
    }
    if w.more_records > 0 {
        let text = format!("… and {} more", w.more_records);
        steps.push(StepKind::Record, 1, None, text, None);
    }
}

fn record_name(row: u64, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("row {row} {id}"),
        None => format!("row {row}"),
    }
}

/// One step per aggregate, with the records it used.
fn aggregates(
    names: &Names<'_>,
    group: &Group,
    w: &Watch,
    row: &RowState,
    steps: &mut Steps,
) -> Vec<AggregateInputs> {
    let rubric = names.rubric;
    let mut out: Vec<AggregateInputs> = Vec::with_capacity(group.aggregates.len());
    for (j, a) in group.aggregates.iter().enumerate() {
        let id = u32::try_from(j).unwrap_or(u32::MAX);
        let written = names.agg(id);
        // The checker makes one aggregate per use: the same one written twice is
        // shown once.
        if out.iter().any(|o| o.aggregate == written) {
            continue;
        }
        let (Some(acc), Some(value)) = (row.acc.aggs.get(j), row.aggs.get(j)) else {
            continue;
        };
        let (n, hits, total) = acc.parts();
        let shown = show::value(rubric, value);
        let note = acc.finish(j).note;
        let text = match (note, a.func) {
            (Some(note), _) => format!("{written} = blank: {note}"),
            (None, AggFunc::Count) => format!("{written} = {shown}"),
            (None, AggFunc::Mean) => match total {
                Some(t) if n > 0 => format!("{written} = {} / {n} = {shown}", number(t)),
                _ => format!("{written} = blank (no values)"),
            },
            (None, AggFunc::Rate) if n > 0 => {
                format!("{written} = 100 × {hits} / {n} = {shown}")
            }
            (None, AggFunc::Rate) => format!("{written} = blank (no records)"),
            (None, AggFunc::Min | AggFunc::Max) if n == 0 => {
                format!("{written} = blank (no values)")
            }
            (None, AggFunc::Sum | AggFunc::Min | AggFunc::Max) => {
                format!("{written} = {shown} (n = {n})")
            }
        };
        steps.push(
            StepKind::Aggregate,
            0,
            Some(group.span),
            text,
            Some(shown.clone()),
        );
        let listed = w.inputs.get(j);
        let records = listed.map(|l| l.records.clone()).unwrap_or_default();
        let more = listed.map_or(0, |l| l.more);
        for r in &records {
            let who = record_name(r.row, r.id.as_deref());
            let text = if r.value == "counted" {
                who
            } else {
                format!("{who}: {}", r.value)
            };
            steps.push(StepKind::Record, 1, None, text, Some(r.value.clone()));
        }
        if more > 0 {
            steps.push(
                StepKind::Record,
                1,
                None,
                format!("… and {more} more"),
                None,
            );
        }
        out.push(AggregateInputs {
            aggregate: written,
            value: shown,
            records,
            more,
        });
    }
    out
}

/// Whether the recomputed row is still scored.
#[derive(PartialEq)]
enum Mine {
    Open,
    Unscored,
    Failed,
}

/// The row's values recomputed with tracing, in the table's order: `unscored`
/// rules before the first rank or quota, ranks and quotas placed among the rows
/// of the same period.
fn values(names: &Names<'_>, group: &Group, row: &RowState, rows: &[RowState], steps: &mut Steps) {
    let rubric = names.rubric;
    let mut mine = vec![Value::Blank; group.slots.len()];
    let mut state = Mine::Open;
    let mut writes: Vec<Write> = Vec::new();
    let first_rank = group
        .computed
        .iter()
        .position(|c| matches!(c.def, ComputedDef::Rank { .. } | ComputedDef::Quota { .. }))
        .unwrap_or(group.computed.len());
    for (i, c) in group.computed.iter().enumerate() {
        if i == first_rank {
            unscored(names, group, row, &mine, &mut state, steps);
        }
        let span = index(&group.slots, c.slot).map(|s| s.span);
        match &c.def {
            ComputedDef::Rank { of, descending } => {
                let actual = index(&row.slots, c.slot).cloned().unwrap_or(Value::Blank);
                placed(
                    names,
                    row,
                    rows,
                    c.slot,
                    *of,
                    *descending,
                    &[],
                    &actual,
                    steps,
                );
                if let Some(s) = usize::try_from(c.slot).ok().and_then(|s| mine.get_mut(s)) {
                    *s = actual;
                }
            }
            ComputedDef::Quota { of, tiers } => {
                let actual = index(&row.slots, c.slot).cloned().unwrap_or(Value::Blank);
                placed(names, row, rows, c.slot, *of, true, tiers, &actual, steps);
                if let Some(s) = usize::try_from(c.slot).ok().and_then(|s| mine.get_mut(s)) {
                    *s = actual;
                }
            }
            _ if state != Mine::Open => {
                let text = format!(
                    "{} = blank (not computed: the row is not scored)",
                    names.slot(c.slot)
                );
                steps.push(StepKind::Value, 0, span, text, None);
            }
            def => {
                let mut cx = Ctx {
                    rubric,
                    empty: false,
                };
                let mut t = NodeTrace::new(*names, steps, 0);
                let result = computed_traced(
                    &mut cx,
                    &row.aggs,
                    &row.agg_empty,
                    &mut mine,
                    &mut writes,
                    c.slot,
                    def,
                    &mut t,
                );
                match (result, def) {
                    (Ok(()), ComputedDef::Expr(e)) => {
                        let f = Frame {
                            slots: &mine,
                            aggs: &row.aggs,
                            agg_empty: &row.agg_empty,
                        };
                        value_step(names, &f, c.slot, e, 0, steps);
                    }
                    (Ok(()), _) => {}
                    (Err(e), _) => {
                        failure(e, names.slot(c.slot), span, steps);
                        state = Mine::Failed;
                    }
                }
            }
        }
    }
    if first_rank == group.computed.len() {
        unscored(names, group, row, &mine, &mut state, steps);
    }
    if matches!(row.state, State::Open) {
        disagree(names, &mine, &row.slots, 0, steps);
    }
}

/// The `unscored` rules, in order, as the table tests them.
fn unscored(
    names: &Names<'_>,
    group: &Group,
    row: &RowState,
    slots: &[Value],
    state: &mut Mine,
    steps: &mut Steps,
) {
    let f = Frame {
        slots,
        aggs: &row.aggs,
        agg_empty: &row.agg_empty,
    };
    let mut cx = Ctx {
        rubric: names.rubric,
        empty: false,
    };
    for (reason, cond) in &group.unscored {
        let cond_text = names.expr(cond);
        match truth(&mut cx, &f, cond) {
            Ok(true) => {
                let text = format!("unscored: {reason} ({cond_text})");
                steps.push(StepKind::Unscored, 0, Some(group.span), text, None);
                reads_step(names, &f, cond, 1, steps);
                *state = Mine::Unscored;
                return;
            }
            Ok(false) => {
                let text = format!("not unscored: {reason} ({cond_text})");
                steps.push(StepKind::Unscored, 0, Some(group.span), text, None);
                reads_step(names, &f, cond, 1, steps);
            }
            Err(e) => {
                if *state == Mine::Open {
                    *state = Mine::Failed;
                }
                failure(e, reason, Some(group.span), steps);
                return;
            }
        }
    }
}

/// A rank's or a quota's step: where the row's value stands among the rows of
/// its period (`tiers` empty for a rank).
#[allow(clippy::too_many_arguments)]
fn placed(
    names: &Names<'_>,
    row: &RowState,
    rows: &[RowState],
    slot: SlotId,
    of: SlotId,
    descending: bool,
    tiers: &[(LevelId, Decimal)],
    actual: &Value,
    steps: &mut Steps,
) {
    let name = names.slot(slot);
    let of_name = names.slot(of);
    let span = index(names.slots, slot).map(|s| s.span);
    let kind = if tiers.is_empty() {
        StepKind::Rank
    } else {
        StepKind::Quota
    };
    let shown = show::value(names.rubric, actual);
    let mine = match row.state {
        State::Open => index(&row.slots, of).and_then(|v| as_num(v).ok().flatten()),
        _ => None,
    };
    let Some(v) = mine else {
        let text = format!("{name} = blank ({of_name} is blank, or the row is not scored)");
        steps.push(kind, 0, span, text, None);
        return;
    };
    let members: Vec<usize> = (0..rows.len())
        .filter(|&i| rows.get(i).is_some_and(|r| r.acc.period == row.acc.period))
        .collect();
    let values = ranked(rows, &members, of);
    let p = rank::placement(&values, v, descending, tiers);
    let order = if descending {
        "highest first"
    } else {
        "lowest first"
    };
    if tiers.is_empty() {
        let text = format!(
            "{name} = {shown}: {of_name} {} ranks {} of {} ({order})",
            number(v),
            p.better.saturating_add(1),
            p.n
        );
        steps.push(kind, 0, span, text, Some(shown));
        return;
    }
    let rank = p.better.saturating_add(1);
    let shares: Vec<String> = tiers
        .iter()
        .map(|(l, s)| format!("{}: {}", level_name(names, *l), number(*s)))
        .collect();
    let text = format!(
        "{name} = quota({of_name}, {}) = {shown}: {of_name} {} ranks {rank} of {}, {} at or below it",
        shares.join(", "),
        number(v),
        p.n,
        p.at_or_below
    );
    steps.push(kind, 0, span, text, Some(shown));
    let last = tiers.len().saturating_sub(1);
    let mut cumulative = Decimal::ZERO;
    for (i, (level, share)) in tiers.iter().enumerate() {
        cumulative = cumulative.checked_add(*share).unwrap_or(cumulative);
        let limit = p.limits.get(i).copied().unwrap_or(0);
        let yes = p.qualifies.get(i).copied().unwrap_or(false);
        let answer = if yes { "yes" } else { "no" };
        let level = level_name(names, *level);
        let text = if i == last && i > 0 {
            format!(
                "{level} (last tier): at most round({} × {}) = {limit} rows scoring at or below; {} do → {answer}",
                number(*share),
                p.n,
                p.at_or_below
            )
        } else {
            format!(
                "{level}: rank ≤ round({} × {}) = {limit}; rank {rank} → {answer}",
                number(cumulative),
                p.n
            )
        };
        steps.push(kind, 1, span, text, Some(limit.to_string()));
        if yes {
            return;
        }
        if i == last && tiers.len() > 1 {
            let text = format!("no tier qualifies: the last tier, {level}");
            steps.push(kind, 1, span, text, None);
        }
    }
}

fn level_name<'a>(names: &Names<'a>, id: LevelId) -> &'a str {
    index(&names.rubric.levels, id).map_or("?", String::as_str)
}
