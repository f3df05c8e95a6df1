//! Hand-built models for the evaluator tests: small constructors, no parser.

use crate::eval::{Evaluator, RecordOutcome, RecordStatus, Results};
use crate::model::*;
use rubric_syntax::ast::Span;
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    crate::decimal::parse(s).unwrap()
}

pub fn sp() -> Span {
    Span::default()
}

pub fn num(s: &str) -> Expr {
    Expr::Const(Value::Num(d(s)))
}

pub fn text(s: &str) -> Expr {
    Expr::Const(Value::Text(s.into()))
}

pub fn slot(i: u32) -> Expr {
    Expr::Slot(i)
}

pub fn arith(first: Expr, rest: Vec<(ArithOp, Expr)>) -> Expr {
    Expr::Arith(Box::new(first), rest)
}

pub fn cmp(a: Expr, op: CmpOp, b: Expr) -> Expr {
    Expr::Cmp(Box::new(a), op, Box::new(b))
}

pub fn field(name: &str, ty: FieldType) -> Field {
    Field {
        name: name.into(),
        column: name.into(),
        ty,
        optional: false,
        integer: false,
        rated_by: None,
        span: sp(),
    }
}

pub fn optional(mut f: Field) -> Field {
    f.optional = true;
    f
}

pub fn key() -> FieldType {
    FieldType::Key { list: None }
}

pub fn number() -> FieldType {
    FieldType::Number { range: None }
}

pub fn slot_info(name: &str, output: bool) -> SlotInfo {
    SlotInfo {
        name: name.into(),
        label: None,
        output,
        ty: ValueType::Number,
        span: sp(),
    }
}

/// A kind whose first slots are its fields; no selector.
pub fn kind(name: &str, fields: Vec<Field>) -> Kind {
    Kind {
        name: name.into(),
        label: None,
        select: vec![],
        slots: fields.iter().map(|f| slot_info(&f.name, false)).collect(),
        fields,
        id_field: None,
        excludes: vec![],
        requires: vec![],
        computed: vec![],
        empty_reason: Some("no data".into()),
        span: sp(),
    }
}

/// Adds an output slot filled by `def`; returns its id.
pub fn computed(
    slots: &mut Vec<SlotInfo>,
    list: &mut Vec<Computed>,
    name: &str,
    def: ComputedDef,
) -> u32 {
    let id = slots.len() as u32;
    slots.push(slot_info(name, true));
    list.push(Computed { slot: id, def });
    id
}

/// Adds an output value to a kind.
pub fn value(k: &mut Kind, name: &str, e: Expr) -> u32 {
    computed(&mut k.slots, &mut k.computed, name, ComputedDef::Expr(e))
}

/// Adds an output value to a group.
pub fn gvalue(g: &mut Group, name: &str, def: ComputedDef) -> u32 {
    computed(&mut g.slots, &mut g.computed, name, def)
}

pub fn agg(g: &mut Group, func: AggFunc, kind: KindId, arg: Option<Expr>) -> Expr {
    g.aggregates.push(Aggregate {
        func,
        kind,
        arg,
        filter: None,
    });
    Expr::Agg(g.aggregates.len() as u32 - 1)
}

pub fn group(name: &str, keys: &[u32], date: Option<u32>, periods: Vec<Period>) -> Group {
    Group {
        name: name.into(),
        label: None,
        keys: keys.iter().map(|k| format!("k{k}")).collect(),
        periods,
        members: vec![Member {
            kind: 0,
            keys: keys.to_vec(),
            date,
        }],
        aggregates: vec![],
        slots: vec![],
        computed: vec![],
        unscored: vec![],
        empty_reason: Some("no successful callback".into()),
        span: sp(),
    }
}

pub fn rubric(levels: &[&str], scales: Vec<Scale>, kinds: Vec<Kind>, groups: Vec<Group>) -> Rubric {
    Rubric {
        format: FORMAT_VERSION,
        meta: Meta {
            id: "test".into(),
            ..Meta::default()
        },
        hash: "0".into(),
        rounding: Rounding::default(),
        levels: levels.iter().map(|s| s.to_string()).collect(),
        scales,
        kind_column: None,
        kinds,
        groups,
        examples: vec![],
    }
}

pub fn scored(score: &str, level: Option<u32>) -> RowOutcome {
    RowOutcome::Score {
        score: Some(d(score)),
        level,
    }
}

pub fn label_scale(name: &str, rows: Vec<(&[&str], RowOutcome)>) -> Scale {
    Scale {
        name: name.into(),
        kind: ScaleKind::Labels(
            rows.into_iter()
                .map(|(labels, outcome)| LabelRow {
                    labels: labels.iter().map(|s| s.to_string()).collect(),
                    outcome,
                    span: sp(),
                })
                .collect(),
        ),
        domain: None,
        integer: false,
        max: d("100"),
        span: sp(),
    }
}

pub fn bound(v: Option<&str>, closed: bool) -> Bound {
    Bound {
        value: v.map(d),
        closed,
    }
}

/// `[lo, hi)` with `None` for an infinite end.
pub fn half_open(lo: Option<&str>, hi: Option<&str>) -> Interval {
    Interval {
        lo: bound(lo, true),
        hi: bound(hi, false),
    }
}

pub fn numeric_scale(
    name: &str,
    rows: Vec<(Interval, RowOutcome)>,
    domain: Option<(&str, &str)>,
) -> Scale {
    Scale {
        name: name.into(),
        kind: ScaleKind::Numeric(
            rows.into_iter()
                .map(|(interval, outcome)| ThresholdRow {
                    interval,
                    outcome,
                    span: sp(),
                })
                .collect(),
        ),
        domain: domain.map(|(a, b)| (d(a), d(b))),
        integer: true,
        max: d("10"),
        span: sp(),
    }
}

pub fn level(l: u32) -> RowOutcome {
    RowOutcome::Score {
        score: None,
        level: Some(l),
    }
}

/// Runs `rows` through a fresh evaluator.
pub fn run(r: &Rubric, header: &[&str], rows: &[&[&str]]) -> (Vec<RecordOutcome>, Results) {
    let mut ev = Evaluator::new(r, header).unwrap();
    let outs = rows
        .iter()
        .enumerate()
        .map(|(i, row)| ev.push(i as u64 + 1, row))
        .collect();
    (outs, ev.finish())
}

/// The value named `name` of a scored outcome.
pub fn val(o: &RecordOutcome, name: &str) -> Value {
    match &o.status {
        RecordStatus::Scored { values, .. } => values
            .iter()
            .find(|v| &*v.name == name)
            .map(|v| v.value.clone())
            .unwrap_or_else(|| panic!("no value {name}")),
        other => panic!("row {} not scored: {other:?}", o.row),
    }
}

pub fn nv(s: &str) -> Value {
    Value::Num(d(s))
}

/// The rejection code and field of an outcome.
pub fn rejected(o: &RecordOutcome) -> (&'static str, Option<String>, String) {
    match &o.status {
        RecordStatus::Rejected {
            code,
            field,
            reason,
        } => (code, field.clone(), reason.clone()),
        other => panic!("row {} not rejected: {other:?}", o.row),
    }
}

pub fn excluded(o: &RecordOutcome) -> String {
    match &o.status {
        RecordStatus::Excluded { reason } => reason.clone(),
        other => panic!("row {} not excluded: {other:?}", o.row),
    }
}
