#![allow(dead_code, clippy::all)]
//! Expressions, values and intervals as plain text, for explanations: an
//! expression as written (`max(0, 30 - 6 × count(投诉 where complaint_type is 有效))`)
//! or with every slot and aggregate replaced by its value
//! (`max(0, 30 - 6 × 1)`). Numbers are exact (normalised), never rounded.

pub(crate) fn index<T>(items: &[T], id: u32) -> Option<&T> {
    items.get(usize::try_from(id).ok()?)
}
pub(crate) struct Frame<'s> { pub slots: &'s [Value], pub aggs: &'s [Value] }
use crate::model::{
    AggFunc, Aggregate, ArithOp, CmpOp, Expr, Func, Group, Interval, LogicOp, Rubric, SlotInfo,
    Value,
};
use rubric_syntax::limits::with_stack;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// What an expression's names refer to: a kind's or a group's slots, and for a
/// group its aggregates.
#[derive(Clone, Copy)]
pub(crate) struct Names<'a> {
    /// The rubric (levels, scales, kinds).
    pub rubric: &'a Rubric,
    /// The slots the expression reads.
    pub slots: &'a [SlotInfo],
    /// The group, for aggregates.
    pub group: Option<&'a Group>,
}

/// How an answer is shown when its value is substituted.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Want {
    /// Its score.
    Num,
    /// Its label.
    Label,
    /// Label and score.
    Any,
}

impl<'a> Names<'a> {
    /// The name of a slot (`?` when out of range).
    pub(crate) fn slot(&self, id: u32) -> &'a str {
        index(self.slots, id).map_or("?", |s| s.name.as_str())
    }

    /// `e` as written.
    pub(crate) fn expr(&self, e: &Expr) -> String {
        let mut out = String::new();
        self.write(None, e, Want::Any, &mut out);
        out
    }

    /// `e` with every slot and aggregate replaced by its value in `f`.
    pub(crate) fn with_values(&self, f: &Frame<'_>, e: &Expr) -> String {
        let mut out = String::new();
        self.write(Some(f), e, Want::Any, &mut out);
        out
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
                    value_or_blank(self.rubric, index(f.slots, id), Want::Any)
                ),
                Leaf::Agg(id) => format!(
                    "{} = {}",
                    self.agg(id),
                    value_or_blank(self.rubric, index(f.aggs, id), Want::Any)
                ),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        parts.join(", ")
    }

    /// An aggregate of the group as written: `mean(调查.answer)`,
    /// `count(投诉 where complaint_type is 有效)`.
    pub(crate) fn agg(&self, id: u32) -> String {
        match self.group.and_then(|g| index(&g.aggregates, id)) {
            Some(a) => self.aggregate(a),
            None => "?".to_owned(),
        }
    }

    fn aggregate(&self, a: &Aggregate) -> String {
        let kind = index(&self.rubric.kinds, a.kind);
        let kind_name = kind.map_or("?", |k| k.name.as_str());
        let inner = Names {
            rubric: self.rubric,
            slots: kind.map_or(&[][..], |k| k.slots.as_slice()),
            group: None,
        };
        let several = self.group.is_some_and(|g| {
            g.members
                .iter()
                .any(|m| g.members.first().is_some_and(|f| f.kind != m.kind))
        });
        let func = match a.func {
            AggFunc::Count => "count",
            AggFunc::Sum => "sum",
            AggFunc::Mean => "mean",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
            AggFunc::Rate => "rate",
        };
        let mut body = match (&a.arg, several) {
            (None, true) => kind_name.to_owned(),
            (None, false) => String::new(),
            (Some(Expr::Slot(s)), true) => format!("{kind_name}.{}", inner.slot(*s)),
            (Some(e), _) => inner.expr(e),
        };
        if let Some(filter) = &a.filter {
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str("where ");
            body.push_str(&inner.expr(filter));
        }
        format!("{func}({body})")
    }

    fn write(&self, f: Option<&Frame<'_>>, e: &Expr, want: Want, out: &mut String) {
        with_stack(|| self.write_at(f, e, want, out));
    }

    fn write_at(&self, f: Option<&Frame<'_>>, e: &Expr, want: Want, out: &mut String) {
        match e {
            Expr::Const(v) => out.push_str(&value_text(self.rubric, v, want)),
            Expr::Slot(id) => match f {
                Some(f) => out.push_str(&value_or_blank(self.rubric, index(f.slots, *id), want)),
                None => out.push_str(self.slot(*id)),
            },
            Expr::Agg(id) => match f {
                Some(f) => out.push_str(&value_or_blank(self.rubric, index(f.aggs, *id), want)),
                None => out.push_str(&self.agg(*id)),
            },
            Expr::Neg(x) => {
                out.push('-');
                self.operand(f, x, precedence(x) < 3, Want::Num, out);
            }
            Expr::Not(x) => self.not(f, x, out),
            Expr::Arith(first, rest) => {
                let p = precedence(e);
                self.operand(f, first, precedence(first) < p, Want::Num, out);
                for (op, x) in rest {
                    let sym = match op {
                        ArithOp::Add => " + ",
                        ArithOp::Sub => " - ",
                        ArithOp::Mul => " × ",
                        ArithOp::Div => " / ",
                    };
                    out.push_str(sym);
                    let strict = matches!(op, ArithOp::Sub | ArithOp::Div);
                    let q = precedence(x);
                    let paren = q < p || (q == p && strict) || self.negative(f, x);
                    self.operand(f, x, paren, Want::Num, out);
                }
            }
            Expr::Logic(op, xs) => {
                let sep = match op {
                    LogicOp::And => " and ",
                    LogicOp::Or => " or ",
                };
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    let paren = matches!(x, Expr::Logic(..) | Expr::If(..));
                    self.operand(f, x, paren, Want::Any, out);
                }
            }
            Expr::Cmp(a, op, b) => {
                let texts = [a, b]
                    .iter()
                    .any(|x| matches!(***x, Expr::Const(Value::Text(_))));
                let want = if texts { Want::Label } else { Want::Num };
                self.operand(f, a, precedence(a) == 0, want, out);
                out.push_str(match op {
                    CmpOp::Eq => " = ",
                    CmpOp::Ne => " != ",
                    CmpOp::Lt => " < ",
                    CmpOp::Le => " <= ",
                    CmpOp::Gt => " > ",
                    CmpOp::Ge => " >= ",
                });
                self.operand(f, b, precedence(b) == 0, want, out);
            }
            Expr::IsBlank(x) => {
                self.operand(f, x, precedence(x) == 0, Want::Any, out);
                out.push_str(" is blank");
            }
            Expr::IsLevel(x, level) => {
                self.operand(f, x, precedence(x) == 0, Want::Label, out);
                out.push_str(" is ");
                out.push_str(self.level(*level));
            }
            Expr::InTexts(x, texts) => {
                self.operand(f, x, precedence(x) == 0, Want::Label, out);
                out.push_str(" in ");
                texts_list(texts, out);
            }
            Expr::InInterval(x, iv) => {
                self.operand(f, x, precedence(x) == 0, Want::Num, out);
                out.push_str(" in ");
                out.push_str(&interval(iv));
            }
            Expr::If(c, a, b) => {
                out.push_str("if ");
                self.write(f, c, Want::Any, out);
                out.push_str(" then ");
                self.write(f, a, want, out);
                out.push_str(" else ");
                self.write(f, b, want, out);
            }
            Expr::Grade(x, scale) => {
                out.push_str("grade(");
                self.write(f, x, Want::Num, out);
                out.push_str(", ");
                let name = index(&self.rubric.scales, *scale).map_or("?", |s| s.name.as_str());
                out.push_str(name);
                out.push(')');
            }
            Expr::Call(func, args) => {
                out.push_str(func_name(*func));
                out.push('(');
                let want = match func {
                    Func::First | Func::Days | Func::AddMonths => Want::Any,
                    _ => Want::Num,
                };
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(f, a, want, out);
                }
                out.push(')');
            }
        }
    }

    /// `not x`, or `x is not blank`, `x is not L`, `x not in (…)`.
    fn not(&self, f: Option<&Frame<'_>>, x: &Expr, out: &mut String) {
        match x {
            Expr::IsBlank(y) => {
                self.operand(f, y, precedence(y) == 0, Want::Any, out);
                out.push_str(" is not blank");
            }
            Expr::IsLevel(y, level) => {
                self.operand(f, y, precedence(y) == 0, Want::Label, out);
                out.push_str(" is not ");
                out.push_str(self.level(*level));
            }
            Expr::InTexts(y, texts) => {
                self.operand(f, y, precedence(y) == 0, Want::Label, out);
                out.push_str(" not in ");
                texts_list(texts, out);
            }
            _ => {
                out.push_str("not ");
                self.operand(f, x, precedence(x) < 4, Want::Any, out);
            }
        }
    }

    fn operand(&self, f: Option<&Frame<'_>>, x: &Expr, paren: bool, want: Want, out: &mut String) {
        if paren {
            out.push('(');
        }
        self.write(f, x, want, out);
        if paren {
            out.push(')');
        }
    }

    /// Whether `x` is a slot or aggregate whose substituted value is negative.
    fn negative(&self, f: Option<&Frame<'_>>, x: &Expr) -> bool {
        let Some(f) = f else {
            return false;
        };
        let v = match x {
            Expr::Slot(id) => index(f.slots, *id),
            Expr::Agg(id) => index(f.aggs, *id),
            Expr::Const(v) => Some(v),
            _ => None,
        };
        match v {
            Some(Value::Num(d)) => d.is_sign_negative() && !d.is_zero(),
            Some(Value::Answer { score: Some(d), .. }) => d.is_sign_negative() && !d.is_zero(),
            _ => false,
        }
    }

    fn level(&self, id: u32) -> &'a str {
        index(&self.rubric.levels, id).map_or("?", String::as_str)
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
    let mut push = |l: Leaf| {
        if !out.contains(&l) {
            out.push(l);
        }
    };
    match e {
        Expr::Const(_) => {}
        Expr::Slot(id) => push(Leaf::Slot(*id)),
        Expr::Agg(id) => push(Leaf::Agg(*id)),
        Expr::Neg(x)
        | Expr::Not(x)
        | Expr::IsBlank(x)
        | Expr::IsLevel(x, _)
        | Expr::InTexts(x, _)
        | Expr::InInterval(x, _)
        | Expr::Grade(x, _) => leaves_of(x, out),
        Expr::Arith(first, rest) => {
            leaves_of(first, out);
            for (_, x) in rest {
                leaves_of(x, out);
            }
        }
        Expr::Logic(_, xs) | Expr::Call(_, xs) => {
            for x in xs {
                leaves_of(x, out);
            }
        }
        Expr::Cmp(a, _, b) => {
            leaves_of(a, out);
            leaves_of(b, out);
        }
        Expr::If(c, a, b) => {
            leaves_of(c, out);
            leaves_of(a, out);
            leaves_of(b, out);
        }
    }
}

/// Whether `e` reads any slot or aggregate.
pub(crate) fn reads_anything(e: &Expr) -> bool {
    let mut leaves = Vec::new();
    leaves_of(e, &mut leaves);
    !leaves.is_empty()
}

/// Binding strength, for parentheses: 0 for conditions and `if`, 1 for sums, 2
/// for products, 3 for negation, 4 for atoms and calls.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Arith(_, rest) => {
            if rest
                .iter()
                .any(|(op, _)| matches!(op, ArithOp::Add | ArithOp::Sub))
            {
                1
            } else {
                2
            }
        }
        Expr::Neg(_) => 3,
        Expr::Const(_) | Expr::Slot(_) | Expr::Agg(_) | Expr::Grade(..) | Expr::Call(..) => 4,
        _ => 0,
    }
}

fn texts_list(texts: &[String], out: &mut String) {
    out.push('(');
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{t:?}");
    }
    out.push(')');
}

fn func_name(f: Func) -> &'static str {
    match f {
        Func::Min => "min",
        Func::Max => "max",
        Func::Clamp => "clamp",
        Func::Round => "round",
        Func::Floor => "floor",
        Func::Ceil => "ceil",
        Func::Abs => "abs",
        Func::Days => "days",
        Func::AddMonths => "add_months",
        Func::Score => "score",
        Func::First => "first",
    }
}

/// A decimal, exact: `71.25`, `2.5`, `-12`.
pub(crate) fn number(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A value, exact; an answer as its label and score.
pub(crate) fn value(rubric: &Rubric, v: &Value) -> String {
    value_text(rubric, v, Want::Any)
}

/// A number or blank.
pub(crate) fn opt_number(d: Option<Decimal>) -> String {
    d.map_or_else(|| "blank".to_owned(), number)
}

pub(crate) fn value_or_blank(rubric: &Rubric, v: Option<&Value>, want: Want) -> String {
    v.map_or_else(|| "blank".to_owned(), |v| value_text(rubric, v, want))
}

fn value_text(rubric: &Rubric, v: &Value, want: Want) -> String {
    match v {
        Value::Blank => "blank".to_owned(),
        Value::Num(d) => number(*d),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Value::Text(t) => format!("{t:?}"),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Level(l) => index(&rubric.levels, *l)
            .map_or("?", String::as_str)
            .to_owned(),
        Value::Answer { label, score, .. } => match (want, score) {
            (Want::Num, s) => opt_number(*s),
            (Want::Label, _) | (Want::Any, None) => format!("{label:?}"),
            (Want::Any, Some(s)) => format!("{label:?} ({})", number(*s)),
        },
    }
}

/// An interval: `[70, 90)`, `>= 95`, `< 70`.
pub(crate) fn interval(iv: &Interval) -> String {
    match (iv.lo.value, iv.hi.value) {
        (Some(lo), Some(hi)) => format!(
            "{}{}, {}{}",
            if iv.lo.closed { '[' } else { '(' },
            number(lo),
            number(hi),
            if iv.hi.closed { ']' } else { ')' },
        ),
        (Some(lo), None) => format!("{} {}", if iv.lo.closed { ">=" } else { ">" }, number(lo)),
        (None, Some(hi)) => format!("{} {}", if iv.hi.closed { "<=" } else { "<" }, number(hi)),
        (None, None) => "any value".to_owned(),
    }
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
