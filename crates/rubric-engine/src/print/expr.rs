//! Expressions: names resolved, parentheses where the structure (and the style)
//! needs them, and optionally every slot and aggregate replaced by its value.

use super::words::{agg_name, arith_op, cmp_op, func_name, interval, quote, row_interval};
use super::{Aggregates, Parens, Printer, Quotes, Scope};
use crate::model::{AggId, ArithOp, CmpOp, Expr, Func, LogicOp, Value};
use rubric_syntax::limits::with_stack;
use std::cell::Cell;

/// Deepest expression printed in a bounded style; deeper parts show as `…`.
pub(super) const MAX_PRINT_DEPTH: u16 = 256;

/// Most parts printed of one expression in a bounded style; the rest shows as `…`
/// (inlining values that use values could otherwise grow without bound).
pub(super) const MAX_PRINT_PARTS: u32 = 100_000;

/// Binding strengths: an operand that binds less tightly than its place needs is
/// wrapped in parentheses.
const IF: u8 = 0;
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
/// Comparisons and `is`/`in` tests.
const TEST: u8 = 4;
const SUM: u8 = 5;
const PRODUCT: u8 = 6;
const NEG: u8 = 7;
/// Numbers, names, aggregates and calls.
const ATOM: u8 = 8;

/// What is wanted of a substituted value: it matters for answers only.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Want {
    /// Its score.
    Num,
    /// Its label.
    Label,
    /// Label and score.
    Any,
}

/// The values that replace names: a record's or a group row's slots, by slot id, and a
/// group row's aggregates, by aggregate id.
#[derive(Clone, Copy)]
pub(crate) struct Values<'v> {
    /// Slot values.
    pub(crate) slots: &'v [Value],
    /// Aggregate values (empty for a record).
    pub(crate) aggs: &'v [Value],
}

impl<'a> Printer<'a> {
    /// An expression evaluated in `scope`, as written.
    pub(crate) fn expr(&self, e: &Expr, scope: Scope) -> String {
        self.print(e, scope, None)
    }

    /// An expression with every slot and aggregate replaced by its value.
    pub(crate) fn expr_with(&self, e: &Expr, scope: Scope, values: Values<'_>) -> String {
        self.print(e, scope, Some(values))
    }

    /// An aggregate of a group as written: `count(投诉 where complaint_type is 有效)`
    /// (`?` outside a group).
    pub(crate) fn aggregate(&self, scope: Scope, id: AggId) -> String {
        let budget = Cell::new(MAX_PRINT_PARTS);
        let mut out = String::new();
        Writer::new(self, scope, None, &budget).aggregate(&mut out, id, 0);
        out
    }

    fn print(&self, e: &Expr, scope: Scope, values: Option<Values<'_>>) -> String {
        let budget = Cell::new(MAX_PRINT_PARTS);
        let mut out = String::new();
        Writer::new(self, scope, values, &budget).write(&mut out, e, 0, Want::Any, 0);
        out
    }
}

/// One expression being printed, in one scope.
struct Writer<'w, 'a> {
    p: &'w Printer<'a>,
    sc: Scope,
    /// Whether a kind's slots are written `kind.slot` (inside an aggregate).
    qualify: bool,
    values: Option<Values<'w>>,
    /// Parts left to print, in a bounded style.
    budget: &'w Cell<u32>,
}

impl<'w, 'a> Writer<'w, 'a> {
    fn new(
        p: &'w Printer<'a>,
        sc: Scope,
        values: Option<Values<'w>>,
        budget: &'w Cell<u32>,
    ) -> Self {
        Writer {
            p,
            sc,
            qualify: false,
            values,
            budget,
        }
    }

    fn write(&self, out: &mut String, e: &Expr, min: u8, want: Want, depth: u16) {
        with_stack(|| self.write_at(out, e, min, want, depth));
    }

    /// Writes `e`, in parentheses when it binds less tightly than `min`.
    fn write_at(&self, out: &mut String, e: &Expr, min: u8, want: Want, depth: u16) {
        if self.p.style.bounded {
            let left = self.budget.get();
            if depth > MAX_PRINT_DEPTH || left == 0 {
                out.push('…');
                return;
            }
            self.budget.set(left - 1);
        }
        let depth = depth.saturating_add(1);
        let p = self.prec(e);
        if p < min {
            out.push('(');
            self.write(out, e, 0, want, depth);
            out.push(')');
            return;
        }
        let readable = self.p.style.parens == Parens::Readable;
        match e {
            Expr::Const(v) => out.push_str(&self.p.value_as(v, want)),
            Expr::Slot(id) => {
                if let Some(vs) = self.values {
                    out.push_str(&self.value(vs.slots, *id, want));
                    return;
                }
                if let Some(f) = self.p.formula(self.sc, *id).filter(|_| self.p.inline) {
                    self.write(out, f, min, want, depth);
                    return;
                }
                if let (true, Scope::Kind(k)) = (self.qualify, self.sc) {
                    out.push_str(self.p.kind(k));
                    out.push('.');
                }
                out.push_str(self.p.slot(self.sc, *id));
            }
            Expr::Agg(id) => match self.values {
                Some(vs) => out.push_str(&self.value(vs.aggs, *id, want)),
                None => self.aggregate(out, *id, depth),
            },
            Expr::Neg(x) => {
                out.push('-');
                self.write(out, x, NEG, Want::Num, depth);
            }
            Expr::Not(x) => match x.as_ref() {
                Expr::IsBlank(y) => {
                    self.write(out, y, SUM, Want::Any, depth);
                    out.push_str(" is not blank");
                }
                Expr::IsLevel(y, l) => {
                    self.write(out, y, SUM, Want::Label, depth);
                    out.push_str(" is not ");
                    out.push_str(self.p.level(*l));
                }
                Expr::InTexts(y, texts) if readable => {
                    self.write(out, y, SUM, Want::Label, depth);
                    out.push_str(" not in ");
                    self.texts(out, texts);
                }
                other => {
                    out.push_str("not ");
                    let min = if readable { ATOM } else { NOT };
                    self.write(out, other, min, Want::Any, depth);
                }
            },
            Expr::Arith(head, rest) => {
                self.write(out, head, p, Want::Num, depth);
                for (op, x) in rest {
                    out.push_str(arith_op(*op, self.p.style.times));
                    let strict = matches!(op, ArithOp::Sub | ArithOp::Div);
                    // `a + (b + c)` reads as `a + b + c`, but `a - (b - c)` does not.
                    let min = if readable && !strict { p } else { p + 1 };
                    if self.negative(x) {
                        // `30 - (-6)`, not `30 - -6`.
                        out.push('(');
                        self.write(out, x, 0, Want::Num, depth);
                        out.push(')');
                    } else {
                        self.write(out, x, min, Want::Num, depth);
                    }
                }
            }
            Expr::Logic(op, parts) => {
                let word = match op {
                    LogicOp::And => " and ",
                    LogicOp::Or => " or ",
                };
                let min = if readable { NOT } else { p + 1 };
                let mut texts: Vec<String> = parts
                    .iter()
                    .map(|x| self.sub(x, min, Want::Any, depth))
                    .collect();
                if self.p.inline {
                    // `a and b` is `b and a`: blank operands are false, nothing else
                    // depends on the order.
                    texts.sort();
                }
                out.push_str(&texts.join(word));
            }
            Expr::Cmp(l, op, r) => {
                // An answer compared with a text is shown by its label.
                let texts = [l, r]
                    .iter()
                    .any(|x| matches!(***x, Expr::Const(Value::Text(_))));
                let want = if texts { Want::Label } else { Want::Num };
                let (mut a, mut b) = (self.sub(l, SUM, want, depth), self.sub(r, SUM, want, depth));
                let mut op = *op;
                if self.p.inline {
                    // `"成功" != status` is `status != "成功"`; `a > b` is `b < a`.
                    let swap = match op {
                        CmpOp::Eq | CmpOp::Ne => a > b,
                        CmpOp::Gt | CmpOp::Ge => true,
                        CmpOp::Lt | CmpOp::Le => false,
                    };
                    if swap {
                        std::mem::swap(&mut a, &mut b);
                        op = match op {
                            CmpOp::Gt => CmpOp::Lt,
                            CmpOp::Ge => CmpOp::Le,
                            other => other,
                        };
                    }
                }
                out.push_str(&format!("{a} {} {b}", cmp_op(op)));
            }
            Expr::IsBlank(x) => {
                self.write(out, x, SUM, Want::Any, depth);
                out.push_str(" is blank");
            }
            Expr::IsLevel(x, l) => {
                self.write(out, x, SUM, Want::Label, depth);
                out.push_str(" is ");
                out.push_str(self.p.level(*l));
            }
            Expr::InTexts(x, texts) => {
                self.write(out, x, SUM, Want::Label, depth);
                out.push_str(" in ");
                self.texts(out, texts);
            }
            Expr::InInterval(x, iv) => {
                self.write(out, x, SUM, Want::Num, depth);
                out.push_str(" in ");
                let iv = if self.p.style.points {
                    row_interval(iv)
                } else {
                    interval(iv)
                };
                out.push_str(&iv);
            }
            Expr::If(c, a, b) => {
                let min = if readable { IF } else { OR };
                out.push_str("if ");
                self.write(out, c, min, Want::Any, depth);
                out.push_str(" then ");
                self.write(out, a, min, want, depth);
                out.push_str(" else ");
                self.write(out, b, min, want, depth);
            }
            Expr::Grade(x, s) => {
                out.push_str("grade(");
                self.write(out, x, 0, Want::Num, depth);
                out.push_str(", ");
                out.push_str(self.p.scale(*s));
                out.push(')');
            }
            Expr::Call(f, args) => {
                out.push_str(func_name(*f));
                out.push('(');
                let want = match f {
                    Func::First | Func::Days | Func::AddMonths => Want::Any,
                    _ => Want::Num,
                };
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(out, a, 0, want, depth);
                }
                out.push(')');
            }
        }
    }

    fn sub(&self, e: &Expr, min: u8, want: Want, depth: u16) -> String {
        let mut out = String::new();
        self.write(&mut out, e, min, want, depth);
        out
    }

    /// How tightly `e` binds.
    fn prec(&self, e: &Expr) -> u8 {
        let readable = self.p.style.parens == Parens::Readable;
        match e {
            Expr::If(..) => IF,
            Expr::Logic(LogicOp::Or, _) => OR,
            Expr::Logic(LogicOp::And, _) => AND,
            Expr::Not(x) if matches!(x.as_ref(), Expr::IsBlank(_) | Expr::IsLevel(..)) => TEST,
            Expr::Not(_) => NOT,
            Expr::Cmp(..)
            | Expr::IsBlank(_)
            | Expr::IsLevel(..)
            | Expr::InTexts(..)
            | Expr::InInterval(..) => TEST,
            // The checker never mixes sums and products in one chain, nor leaves
            // one empty; the two styles read a hand-made one differently.
            Expr::Arith(_, rest) => match self.p.style.parens {
                Parens::Readable => {
                    let sum = rest
                        .iter()
                        .any(|(op, _)| matches!(op, ArithOp::Add | ArithOp::Sub));
                    if sum {
                        SUM
                    } else {
                        PRODUCT
                    }
                }
                Parens::Exact => match rest.first() {
                    Some((ArithOp::Add | ArithOp::Sub, _)) => SUM,
                    Some(_) => PRODUCT,
                    None => ATOM,
                },
            },
            Expr::Neg(_) => NEG,
            // Tells only for the head of an empty chain (above).
            Expr::Const(Value::Num(n)) if n.is_sign_negative() && !readable => NEG,
            _ => ATOM,
        }
    }

    /// A substituted value, or `blank` when out of range.
    fn value(&self, values: &[Value], id: u32, want: Want) -> String {
        match values.get(id as usize) {
            Some(v) => self.p.value_as(v, want),
            None => "blank".to_owned(),
        }
    }

    /// Whether `x` is a slot, aggregate or number whose substituted value is negative.
    fn negative(&self, x: &Expr) -> bool {
        let Some(vs) = self.values else {
            return false;
        };
        let v = match x {
            Expr::Slot(id) => vs.slots.get(*id as usize),
            Expr::Agg(id) => vs.aggs.get(*id as usize),
            Expr::Const(v) => Some(v),
            _ => None,
        };
        match v {
            Some(Value::Num(d) | Value::Answer { score: Some(d), .. }) => {
                d.is_sign_negative() && !d.is_zero()
            }
            _ => false,
        }
    }

    /// `("a", "b")`.
    fn texts(&self, out: &mut String, texts: &[String]) {
        let list: Vec<String> = texts
            .iter()
            .map(|t| match self.p.style.quotes {
                Quotes::Debug => format!("{t:?}"),
                Quotes::Source => quote(t),
            })
            .collect();
        out.push('(');
        out.push_str(&list.join(", "));
        out.push(')');
    }

    /// An aggregate of the group: `count(投诉 where complaint_type is 有效)`,
    /// `mean(调查.answer)` (see [`Aggregates`]).
    fn aggregate(&self, out: &mut String, id: AggId, depth: u16) {
        let Scope::Group(g) = self.sc else {
            out.push('?');
            return;
        };
        let group = self.p.r.groups.get(g as usize);
        let Some(agg) = group.and_then(|g| g.aggregates.get(id as usize)) else {
            out.push('?');
            return;
        };
        let full = self.p.style.aggregates == Aggregates::Full;
        let one_slot = matches!(agg.arg, Some(Expr::Slot(_)));
        // Whether the kind is named when there is no argument, and whether the
        // argument's and the filter's slots are qualified.
        let (named, qualify_arg, qualify_filter) = if full {
            (true, true, !(agg.arg.is_none() || one_slot))
        } else {
            let several = group.is_some_and(|g| {
                g.members
                    .iter()
                    .any(|m| g.members.first().is_some_and(|f| f.kind != m.kind))
            });
            (several, several && one_slot, false)
        };
        let inner = |qualify| Writer {
            p: self.p,
            sc: Scope::Kind(agg.kind),
            qualify,
            values: None,
            budget: self.budget,
        };
        out.push_str(agg_name(agg.func));
        out.push('(');
        let start = out.len();
        match &agg.arg {
            None if named => out.push_str(self.p.kind(agg.kind)),
            None => {}
            Some(e) => inner(qualify_arg).write(out, e, 0, Want::Any, depth),
        }
        if let Some(f) = &agg.filter {
            if full || out.len() > start {
                out.push(' ');
            }
            out.push_str("where ");
            inner(qualify_filter).write(out, f, 0, Want::Any, depth);
        }
        out.push(')');
    }
}
