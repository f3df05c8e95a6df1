#![allow(dead_code, clippy::all)]
//! Model parts in plain words: expressions (names resolved, parentheses only where
//! the structure needs them), intervals, scale rows and field types. Printing the new
//! side through [`Aliases`] gives renamed items their old names, so two printed
//! expressions are equal exactly when the expressions are.

use crate::print::Aliases;
use crate::model::*;
use rust_decimal::Decimal;
use std::cell::Cell;

/// Where an expression is evaluated: a record kind or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A record kind.
    Kind(KindId),
    /// A group table.
    Group(u32),
}

/// A rubric seen through an optional rename map.
#[derive(Clone)]
pub(crate) struct View<'a> {
    pub(crate) r: &'a Rubric,
    alias: Option<&'a Aliases>,
    /// Whether a computed value used in an expression is replaced by its formula.
    inline: bool,
    /// Parts left to print of the expression being printed.
    budget: Cell<u32>,
}

/// Deepest expression printed; deeper parts show as `…` (a hand-made `.ron` could
/// nest without end, or refer to itself).
const MAX_PRINT_DEPTH: u16 = 256;

/// Most parts printed of one expression; the rest shows as `…` (inlining values that
/// use values could otherwise grow without bound in a hand-made model).
const MAX_PRINT_PARTS: u32 = 100_000;

impl<'a> View<'a> {
    pub(crate) fn new(r: &'a Rubric, alias: Option<&'a Aliases>) -> Self {
        View {
            r,
            alias,
            inline: false,
            budget: Cell::new(MAX_PRINT_PARTS),
        }
    }

    /// The same view in canonical form, for comparing: every computed value an
    /// expression uses is replaced by its formula (`50 - 问题数` and `50 -
    /// sum(检查.issues_found)` print alike), the operands of `and`/`or` are sorted and
    /// comparisons face one way (`"成功" != status` prints as `status != "成功"`).
    pub(crate) fn inlined(&self) -> Self {
        View {
            r: self.r,
            alias: self.alias,
            inline: true,
            budget: Cell::new(MAX_PRINT_PARTS),
        }
    }

    /// The formula of a computed value, when the slot holds one.
    fn formula(&self, sc: Scope, slot: SlotId) -> Option<&'a Expr> {
        let computed = match sc {
            Scope::Kind(k) => &self.r.kinds.get(k as usize)?.computed,
            Scope::Group(g) => &self.r.groups.get(g as usize)?.computed,
        };
        computed
            .iter()
            .find(|c| c.slot == slot)
            .and_then(|c| match &c.def {
                ComputedDef::Expr(e) => Some(e),
                _ => None,
            })
    }

    fn aliased<'s>(
        &self,
        map: impl Fn(&'a Aliases) -> Option<&'a String>,
        name: &'s str,
    ) -> String {
        match self.alias.and_then(map) {
            Some(old) => old.clone(),
            None => name.to_string(),
        }
    }

    /// A scale's name.
    pub(crate) fn scale(&self, id: ScaleId) -> String {
        let name = self
            .r
            .scales
            .get(id as usize)
            .map_or("?", |s| s.name.as_str());
        self.aliased(|a| a.scales.get(name), name)
    }

    /// A record kind's name.
    pub(crate) fn kind(&self, id: KindId) -> String {
        let name = self
            .r
            .kinds
            .get(id as usize)
            .map_or("?", |k| k.name.as_str());
        self.aliased(|a| a.kinds.get(name), name)
    }

    /// A group's name.
    pub(crate) fn group(&self, id: u32) -> String {
        let name = self
            .r
            .groups
            .get(id as usize)
            .map_or("?", |g| g.name.as_str());
        self.aliased(|a| a.groups.get(name), name)
    }

    /// A level's name.
    pub(crate) fn level(&self, id: LevelId) -> String {
        self.r
            .levels
            .get(id as usize)
            .cloned()
            .unwrap_or_else(|| "?".into())
    }

    /// A slot's name in a scope.
    pub(crate) fn slot(&self, scope: Scope, id: SlotId) -> String {
        let (block, slots) = match scope {
            Scope::Kind(k) => match self.r.kinds.get(k as usize) {
                Some(kind) => (kind.name.as_str(), kind.slots.as_slice()),
                None => return "?".into(),
            },
            Scope::Group(g) => match self.r.groups.get(g as usize) {
                Some(group) => (group.name.as_str(), group.slots.as_slice()),
                None => return "?".into(),
            },
        };
        let name = slots.get(id as usize).map_or("?", |s| s.name.as_str());
        let map = |a: &'a Aliases| {
            let blocks = match scope {
                Scope::Kind(_) => &a.kind_slots,
                Scope::Group(_) => &a.group_slots,
            };
            blocks.get(block).and_then(|m| m.get(name))
        };
        self.aliased(map, name)
    }

    /// An expression in plain words.
    pub(crate) fn expr(&self, e: &Expr, scope: Scope) -> String {
        self.budget.set(MAX_PRINT_PARTS);
        let mut out = String::new();
        self.write(&mut out, e, scope, false, 0, 0);
        out
    }

    fn write(&self, out: &mut String, e: &Expr, sc: Scope, qualify: bool, min: u8, depth: u16) {
        let left = self.budget.get();
        if depth > MAX_PRINT_DEPTH || left == 0 {
            out.push('…');
            return;
        }
        self.budget.set(left - 1);
        let depth = depth + 1;
        let p = prec(e);
        if p < min {
            out.push('(');
            self.write(out, e, sc, qualify, 0, depth);
            out.push(')');
            return;
        }
        match e {
            Expr::Const(v) => out.push_str(&self.value(v)),
            Expr::Slot(s) => {
                if let Some(f) = self.formula(sc, *s).filter(|_| self.inline) {
                    self.write(out, f, sc, qualify, min, depth);
                    return;
                }
                if let (true, Scope::Kind(k)) = (qualify, sc) {
                    out.push_str(&self.kind(k));
                    out.push('.');
                }
                out.push_str(&self.slot(sc, *s));
            }
            Expr::Agg(a) => self.aggregate(out, sc, *a, depth),
            Expr::Neg(x) => {
                out.push('-');
                self.write(out, x, sc, qualify, 7, depth);
            }
            Expr::Not(x) => match x.as_ref() {
                Expr::IsBlank(y) => {
                    self.write(out, y, sc, qualify, 5, depth);
                    out.push_str(" is not blank");
                }
                Expr::IsLevel(y, l) => {
                    self.write(out, y, sc, qualify, 5, depth);
                    out.push_str(" is not ");
                    out.push_str(&self.level(*l));
                }
                other => {
                    out.push_str("not ");
                    self.write(out, other, sc, qualify, 3, depth);
                }
            },
            Expr::Arith(head, rest) => {
                self.write(out, head, sc, qualify, p, depth);
                for (op, x) in rest {
                    out.push_str(match op {
                        ArithOp::Add => " + ",
                        ArithOp::Sub => " - ",
                        ArithOp::Mul => " * ",
                        ArithOp::Div => " / ",
                    });
                    self.write(out, x, sc, qualify, p + 1, depth);
                }
            }
            Expr::Logic(op, parts) => {
                let word = match op {
                    LogicOp::And => " and ",
                    LogicOp::Or => " or ",
                };
                let mut texts: Vec<String> = parts
                    .iter()
                    .map(|x| self.sub(x, sc, qualify, p + 1, depth))
                    .collect();
                if self.inline {
                    // `a and b` is `b and a`: blank operands are false, nothing else
                    // depends on the order.
                    texts.sort();
                }
                out.push_str(&texts.join(word));
            }
            Expr::Cmp(l, op, r) => {
                let (mut a, mut b) = (
                    self.sub(l, sc, qualify, 5, depth),
                    self.sub(r, sc, qualify, 5, depth),
                );
                let mut op = *op;
                if self.inline {
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
                out.push_str(&format!("{a} {} {b}", cmp(op)));
            }
            Expr::IsBlank(x) => {
                self.write(out, x, sc, qualify, 5, depth);
                out.push_str(" is blank");
            }
            Expr::IsLevel(x, l) => {
                self.write(out, x, sc, qualify, 5, depth);
                out.push_str(" is ");
                out.push_str(&self.level(*l));
            }
            Expr::InTexts(x, texts) => {
                self.write(out, x, sc, qualify, 5, depth);
                let list: Vec<String> = texts.iter().map(|t| quote(t)).collect();
                out.push_str(&format!(" in ({})", list.join(", ")));
            }
            Expr::InInterval(x, iv) => {
                self.write(out, x, sc, qualify, 5, depth);
                out.push_str(" in ");
                out.push_str(&interval(iv));
            }
            Expr::If(c, a, b) => {
                out.push_str("if ");
                self.write(out, c, sc, qualify, 1, depth);
                out.push_str(" then ");
                self.write(out, a, sc, qualify, 1, depth);
                out.push_str(" else ");
                self.write(out, b, sc, qualify, 1, depth);
            }
            Expr::Grade(x, s) => {
                out.push_str("grade(");
                self.write(out, x, sc, qualify, 0, depth);
                out.push_str(", ");
                out.push_str(&self.scale(*s));
                out.push(')');
            }
            Expr::Call(f, args) => {
                out.push_str(func(*f));
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(out, a, sc, qualify, 0, depth);
                }
                out.push(')');
            }
        }
    }

    fn sub(&self, e: &Expr, sc: Scope, qualify: bool, min: u8, depth: u16) -> String {
        let mut out = String::new();
        self.write(&mut out, e, sc, qualify, min, depth);
        out
    }

    /// `count(投诉 where …)`, `mean(调查.answer)`, `sum(检查.a + 检查.b)`.
    fn aggregate(&self, out: &mut String, sc: Scope, id: AggId, depth: u16) {
        let Scope::Group(g) = sc else {
            out.push('?');
            return;
        };
        let Some(agg) = self
            .r
            .groups
            .get(g as usize)
            .and_then(|g| g.aggregates.get(id as usize))
        else {
            out.push('?');
            return;
        };
        let inner = Scope::Kind(agg.kind);
        out.push_str(agg_name(agg.func));
        out.push('(');
        match &agg.arg {
            None => out.push_str(&self.kind(agg.kind)),
            Some(e) => self.write(out, e, inner, true, 0, depth),
        }
        if let Some(f) = &agg.filter {
            out.push_str(" where ");
            let qualify = !matches!(agg.arg, None | Some(Expr::Slot(_)));
            self.write(out, f, inner, qualify, 0, depth);
        }
        out.push(')');
    }

    /// A constant.
    pub(crate) fn value(&self, v: &Value) -> String {
        match v {
            Value::Blank => "blank".into(),
            Value::Num(n) => num(*n),
            Value::Bool(b) => if *b { "true" } else { "false" }.into(),
            Value::Text(t) => quote(t),
            Value::Date(d) => d.to_string(),
            Value::Level(l) => self.level(*l),
            Value::Answer { label, .. } => quote(label),
        }
    }

    /// What a scale row gives: `100`, `优秀`, `满意 85`, `rated 0..25`, `exclude "…"`.
    pub(crate) fn outcome(&self, o: &RowOutcome) -> String {
        match o {
            RowOutcome::Score { score, level } => {
                let level = level.map(|l| self.level(l));
                match (level, score) {
                    (Some(l), Some(s)) => format!("{l} {}", num(*s)),
                    (Some(l), None) => l,
                    (None, Some(s)) => num(*s),
                    (None, None) => "the answer itself".into(),
                }
            }
            RowOutcome::Rated { lo, hi } => format!("rated {}..{}", num(*lo), num(*hi)),
            RowOutcome::Exclude(r) => format!("exclude {}", quote(r)),
        }
    }

    /// A field's declaration after its name: `回访评价 rated by q1_pts optional`.
    pub(crate) fn field(&self, kind: KindId, f: &Field) -> String {
        let mut s = self.field_type(&f.ty);
        if f.integer {
            s.push_str(" integer");
        }
        if f.optional {
            s.push_str(" optional");
        }
        if f.column != f.name {
            s.push_str(&format!(" column {}", quote(&f.column)));
        }
        if let Some(by) = f.rated_by {
            s.push_str(&format!(" rated by {}", self.slot(Scope::Kind(kind), by)));
        }
        s
    }

    /// A field type as written.
    pub(crate) fn field_type(&self, t: &FieldType) -> String {
        match t {
            FieldType::Id => "id".into(),
            FieldType::Key { list: None } => "key".into(),
            FieldType::Key { list: Some(sep) } => format!("key list {}", quote(sep)),
            FieldType::Date => "date".into(),
            FieldType::Text => "text".into(),
            FieldType::Count => "count".into(),
            FieldType::Flag => "flag".into(),
            FieldType::Number { range: None } => "number".into(),
            FieldType::Number {
                range: Some((lo, hi)),
            } => format!("number {}..{}", num(*lo), num(*hi)),
            FieldType::Scale(s) => self.scale(*s),
        }
    }
}

/// Binding strength: a sub-expression weaker than its place needs parentheses.
fn prec(e: &Expr) -> u8 {
    match e {
        Expr::If(..) => 0,
        Expr::Logic(LogicOp::Or, _) => 1,
        Expr::Logic(LogicOp::And, _) => 2,
        Expr::Not(x) if matches!(x.as_ref(), Expr::IsBlank(_) | Expr::IsLevel(..)) => 4,
        Expr::Not(_) => 3,
        Expr::Cmp(..)
        | Expr::IsBlank(_)
        | Expr::IsLevel(..)
        | Expr::InTexts(..)
        | Expr::InInterval(..) => 4,
        Expr::Arith(_, rest) => match rest.first() {
            Some((ArithOp::Add | ArithOp::Sub, _)) => 5,
            Some(_) => 6,
            None => 8,
        },
        Expr::Neg(_) => 7,
        Expr::Const(Value::Num(n)) if n.is_sign_negative() => 7,
        _ => 8,
    }
}

fn cmp(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn func(f: Func) -> &'static str {
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

/// `count`, `sum`, `mean`, `min`, `max`, `rate`.
pub(crate) fn agg_name(f: AggFunc) -> &'static str {
    match f {
        AggFunc::Count => "count",
        AggFunc::Sum => "sum",
        AggFunc::Mean => "mean",
        AggFunc::Min => "min",
        AggFunc::Max => "max",
        AggFunc::Rate => "rate",
    }
}

/// A number without trailing zeros: `25`, `0.3`, `-6`.
pub(crate) fn num(n: Decimal) -> String {
    let n = n.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

/// A quoted string, with `"` and `\` escaped as in the source.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An interval as a scale row writes it: `[70, 90)`, `>= 90`, `< 70`, `= 5`.
pub(crate) fn interval(iv: &Interval) -> String {
    match (iv.lo.value, iv.hi.value) {
        (Some(a), Some(b)) if a == b && iv.lo.closed && iv.hi.closed => format!("= {}", num(a)),
        (Some(a), Some(b)) => format!(
            "{}{}, {}{}",
            if iv.lo.closed { '[' } else { '(' },
            num(a),
            num(b),
            if iv.hi.closed { ']' } else { ')' }
        ),
        (Some(a), None) => format!("{} {}", if iv.lo.closed { ">=" } else { ">" }, num(a)),
        (None, Some(b)) => format!("{} {}", if iv.hi.closed { "<=" } else { "<" }, num(b)),
        (None, None) => "any value".into(),
    }
}

/// `half-up`, `half-even`, …
pub(crate) fn round_mode(m: RoundMode) -> &'static str {
    match m {
        RoundMode::HalfUp => "half-up",
        RoundMode::HalfEven => "half-even",
        RoundMode::HalfDown => "half-down",
        RoundMode::Down => "down",
        RoundMode::Up => "up",
        RoundMode::Floor => "floor",
        RoundMode::Ceiling => "ceiling",
    }
}

/// `month`, `quarter`, `half-year`, `year`.
pub(crate) fn period(p: Period) -> &'static str {
    match p {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::HalfYear => "half-year",
        Period::Year => "year",
    }
}

/// `a → b`.
pub(crate) fn arrow(a: &str, b: &str) -> String {
    format!("{a} → {b}")
}

