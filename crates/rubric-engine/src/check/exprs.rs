//! Expressions: name resolution, static types with numeric bounds, aggregates, and
//! lowering into the model's [`Expr`].

use super::bounds::{Bounds, Ty};
use super::order::is_aggregate;
use super::{Checker, Names};
use crate::errors;
use crate::model::*;
use rubric_syntax::ast::{self, Span};
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashSet};

/// Where an expression is evaluated.
pub(crate) struct Scope {
    /// Names of the block.
    pub(crate) names: Names,
    /// The record kind, for record-level blocks.
    pub(crate) kind: Option<KindId>,
    /// Only the first `n` slots (the fields) may be used (exclusions and requirements).
    pub(crate) fields_only: Option<usize>,
    /// The first division that can hit zero.
    pub(crate) needs_empty: Option<Span>,
    /// Group blocks: aggregates created so far.
    pub(crate) aggregates: Vec<Aggregate>,
    /// Group blocks: kinds whose records the aggregates read.
    pub(crate) members: BTreeSet<KindId>,
    /// Group blocks: rank and quota slots, which other values may not use.
    pub(crate) ranked: HashSet<SlotId>,
}

impl Scope {
    /// A record-level scope.
    pub(crate) fn record(kind: KindId, names: Names) -> Self {
        Scope {
            names,
            kind: Some(kind),
            fields_only: None,
            needs_empty: None,
            aggregates: Vec::new(),
            members: BTreeSet::new(),
            ranked: HashSet::new(),
        }
    }

    /// A group-level scope.
    pub(crate) fn group(names: Names) -> Self {
        Scope {
            kind: None,
            ..Scope::record(0, names)
        }
    }
}

type Lowered = (Expr, Ty);

const BLANK: Lowered = (Expr::Const(Value::Blank), Ty::Unknown);

fn num_ty(t: Ty) -> bool {
    matches!(t, Ty::Num(_) | Ty::Answer(_) | Ty::Unknown)
}

impl Checker {
    /// Lowers an expression in a scope, reporting problems and carrying on.
    pub(crate) fn expr(&mut self, e: &ast::Expr, sc: &mut Scope) -> Lowered {
        rubric_syntax::limits::with_stack(|| self.expr_at(e, sc))
    }

    fn expr_at(&mut self, e: &ast::Expr, sc: &mut Scope) -> Lowered {
        use ast::ExprKind as K;
        match &e.kind {
            K::Number(n) => match self.number(n) {
                Some(d) => (Expr::Const(Value::Num(d)), Ty::Num(Bounds::point(d))),
                None => BLANK,
            },
            K::Percent(n) => match self
                .number(n)
                .and_then(|d| d.checked_div(Decimal::ONE_HUNDRED))
            {
                Some(d) => (Expr::Const(Value::Num(d)), Ty::Num(Bounds::point(d))),
                None => BLANK,
            },
            K::Text(s) => (Expr::Const(Value::Text(s.value.clone())), Ty::Text),
            K::Bool(b) => (Expr::Const(Value::Bool(*b)), Ty::Bool),
            K::Blank => BLANK,
            K::Ref { kind, name } => self.reference(kind.as_ref(), name, sc),
            K::Paren(x) => self.expr(x, sc),
            K::Not(x) => {
                let (x, t) = self.expr(x, sc);
                self.want_bool(t, e.span);
                (Expr::Not(Box::new(x)), Ty::Bool)
            }
            K::Neg(x) => {
                let (x, t) = self.expr(x, sc);
                let b = self.want_num(t, e.span);
                (Expr::Neg(Box::new(x)), Ty::Num(b.neg()))
            }
            K::If {
                cond,
                then,
                otherwise,
            } => self.if_expr(cond, then, otherwise, e.span, sc),
            K::Chain { first, rest } => self.chain(first, rest, sc),
            K::Compare { lhs, op, rhs } => self.compare(lhs, *op, rhs, e.span, sc),
            K::Is {
                expr,
                negated,
                level,
            } => {
                let (x, t) = self.expr(expr, sc);
                let test = match level {
                    None => Expr::IsBlank(Box::new(x)),
                    Some(l) => match self.level_of(t, l) {
                        Some(id) => Expr::IsLevel(Box::new(x), id),
                        None => return BLANK,
                    },
                };
                let test = if *negated {
                    Expr::Not(Box::new(test))
                } else {
                    test
                };
                (test, Ty::Bool)
            }
            K::In { expr, set } => self.in_test(expr, set, sc),
            K::Call { name, args, filter } => self.call(name, args, filter.as_deref(), e.span, sc),
        }
    }

    fn want_bool(&mut self, t: Ty, span: Span) {
        if !matches!(t, Ty::Bool | Ty::Unknown) {
            self.diags.push(errors::type_mismatch(
                span,
                format!("expected a yes/no condition, found {}", t.describe()),
                "write a comparison such as `x >= 90`, a flag field, or `x is blank`",
            ));
        }
    }

    /// Checks that a type is numeric and returns its bounds.
    pub(crate) fn want_num(&mut self, t: Ty, span: Span) -> Bounds {
        match t {
            Ty::Num(b) => b,
            Ty::Answer(s) => self.answer_bounds(s),
            Ty::Unknown => Bounds::ANY,
            other => {
                self.diags.push(errors::type_mismatch(
                    span,
                    format!("expected a number, found {}", other.describe()),
                    "use a numeric field, an answer on a scale, or a number",
                ));
                Bounds::ANY
            }
        }
    }

    /// The range of scores an answer on this scale can have.
    pub(crate) fn answer_bounds(&self, s: ScaleId) -> Bounds {
        let Some(scale) = self.scale(s) else {
            return Bounds::ANY;
        };
        let mut values: Vec<Decimal> = Vec::new();
        let push_outcome = |o: &RowOutcome, v: &mut Vec<Decimal>| match o {
            RowOutcome::Score { score: Some(x), .. } => v.push(*x),
            RowOutcome::Rated { lo, hi } => v.extend([*lo, *hi]),
            _ => {}
        };
        match &scale.kind {
            ScaleKind::Labels(rows) => rows
                .iter()
                .for_each(|r| push_outcome(&r.outcome, &mut values)),
            ScaleKind::Numeric(rows) => {
                rows.iter()
                    .for_each(|r| push_outcome(&r.outcome, &mut values));
                if let Some((lo, hi)) = scale.domain {
                    values.extend([lo, hi]);
                } else if !rows.is_empty() {
                    return Bounds::ANY;
                }
            }
            ScaleKind::Linear(points) => values.extend(points.iter().map(|p| p.1)),
        }
        match (values.iter().min(), values.iter().max()) {
            (Some(lo), Some(hi)) => Bounds::new(*lo, *hi),
            _ => Bounds::ANY,
        }
    }

    fn reference(&mut self, kind: Option<&ast::Name>, name: &ast::Name, sc: &mut Scope) -> Lowered {
        if let Some(k) = kind {
            let own = sc
                .kind
                .and_then(|id| self.kinds.get(id as usize))
                .map(|x| x.name.as_str());
            if own != Some(k.text.as_str()) {
                self.diags.push(errors::context(
                    k.span.to(name.span),
                    format!(
                        "`{}.{}` names a field of another record kind",
                        k.text, name.text
                    ),
                    "in a group, read records through an aggregate: mean(售车后.score)",
                ));
                return BLANK;
            }
        }
        let Some(&(slot, ty, _)) = sc.names.map.get(&name.text) else {
            self.unresolved(name, sc);
            return BLANK;
        };
        if sc.fields_only.is_some_and(|n| slot as usize >= n) {
            self.diags.push(errors::context(
                name.span,
                format!(
                    "`{}` is computed later; exclusions and requirements can only use fields",
                    name.text
                ),
                "test the fields themselves",
            ));
            return BLANK;
        }
        if sc.ranked.contains(&slot) {
            self.diags.push(errors::context(
                name.span,
                format!(
                    "`{}` is a rank or quota, computed after every other value",
                    name.text
                ),
                "use ranks and quotas only as results",
            ));
            return BLANK;
        }
        (Expr::Slot(slot), ty)
    }

    fn unresolved(&mut self, name: &ast::Name, sc: &Scope) {
        let in_kind = sc.kind.is_none()
            && (self.kind_ids.contains_key(&name.text)
                || self
                    .kind_names
                    .iter()
                    .any(|n| n.map.contains_key(&name.text)));
        if in_kind {
            self.diags.push(errors::context(
                name.span,
                format!(
                    "`{}` belongs to records; a group sees records only through aggregates",
                    name.text
                ),
                "use an aggregate such as mean(x), sum(x), count(Kind) or rate(x = \"…\")",
            ));
            return;
        }
        let hint = errors::did_you_mean(&name.text, sc.names.candidates());
        self.diags
            .push(errors::unknown_name("name", &name.text, name.span, hint));
    }

    fn if_expr(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Expr,
        otherwise: &ast::Expr,
        span: Span,
        sc: &mut Scope,
    ) -> Lowered {
        let (c, ct) = self.expr(cond, sc);
        self.want_bool(ct, cond.span);
        let (a, at) = self.expr(then, sc);
        let (b, bt) = self.expr(otherwise, sc);
        let ty = match (at, bt) {
            (Ty::Unknown, t) | (t, Ty::Unknown) => t,
            (x, y) if num_ty(x) && num_ty(y) => {
                let bx = self.want_num(x, then.span);
                let by = self.want_num(y, otherwise.span);
                Ty::Num(bx.union(by))
            }
            (x, y) if std::mem::discriminant(&x) == std::mem::discriminant(&y) => x,
            (x, y) => {
                self.diags.push(errors::type_mismatch(
                    span,
                    format!("the branches give {} and {}", x.describe(), y.describe()),
                    "both branches of `if` must give the same kind of value",
                ));
                Ty::Unknown
            }
        };
        (Expr::If(Box::new(c), Box::new(a), Box::new(b)), ty)
    }

    fn chain(
        &mut self,
        first: &ast::Expr,
        rest: &[(ast::BinOp, ast::Expr)],
        sc: &mut Scope,
    ) -> Lowered {
        let logic = rest.first().map(|(op, _)| *op).and_then(|op| match op {
            ast::BinOp::And => Some(LogicOp::And),
            ast::BinOp::Or => Some(LogicOp::Or),
            _ => None,
        });
        if let Some(op) = logic {
            let mut parts = Vec::with_capacity(rest.len() + 1);
            for x in std::iter::once(first).chain(rest.iter().map(|(_, x)| x)) {
                let (e, t) = self.expr(x, sc);
                self.want_bool(t, x.span);
                parts.push(e);
            }
            return (Expr::Logic(op, parts), Ty::Bool);
        }
        let (head, t) = self.expr(first, sc);
        let mut bounds = self.want_num(t, first.span);
        let mut tail = Vec::with_capacity(rest.len());
        for (op, x) in rest {
            let (e, t) = self.expr(x, sc);
            let b = self.want_num(t, x.span);
            let op = match op {
                ast::BinOp::Add => ArithOp::Add,
                ast::BinOp::Sub => ArithOp::Sub,
                ast::BinOp::Mul => ArithOp::Mul,
                _ => ArithOp::Div,
            };
            bounds = match op {
                ArithOp::Add => bounds.add(b),
                ArithOp::Sub => bounds.sub(b),
                ArithOp::Mul => bounds.mul(b),
                ArithOp::Div => self.divide(bounds, b, x.span, sc),
            };
            tail.push((op, e));
        }
        (Expr::Arith(Box::new(head), tail), Ty::Num(bounds))
    }

    fn divide(&mut self, n: Bounds, d: Bounds, span: Span, sc: &mut Scope) -> Bounds {
        if d.is_zero() {
            self.diags.push(errors::div_zero_literal(span));
            return Bounds::ANY;
        }
        if d.may_be_zero() {
            sc.needs_empty.get_or_insert(span);
            return Bounds::ANY;
        }
        match (d.lo, d.hi) {
            (Some(c), Some(c2)) if c == c2 => {
                let q = |x: Option<Decimal>| x.and_then(|x| x.checked_div(c));
                let (a, b) = (q(n.lo), q(n.hi));
                if c > Decimal::ZERO {
                    Bounds {
                        lo: a,
                        hi: b,
                        whole: false,
                    }
                } else {
                    Bounds {
                        lo: b,
                        hi: a,
                        whole: false,
                    }
                }
            }
            _ => Bounds::ANY,
        }
    }

    fn compare(
        &mut self,
        lhs: &ast::Expr,
        op: CmpOp,
        rhs: &ast::Expr,
        span: Span,
        sc: &mut Scope,
    ) -> Lowered {
        let (l, lt) = self.expr(lhs, sc);
        let (r, rt) = self.expr(rhs, sc);
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
        let ok = match (lt, rt) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => true,
            (Ty::Answer(s), Ty::Text) if equality => self.known_label(s, rhs),
            (Ty::Text, Ty::Answer(s)) if equality => self.known_label(s, lhs),
            (a, b) if num_ty(a) && num_ty(b) => true,
            (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) | (Ty::Level(_), Ty::Level(_)) => equality,
            (Ty::Date, Ty::Date) => true,
            _ => false,
        };
        if !ok {
            self.diags.push(errors::type_mismatch(
                span,
                format!("cannot compare {} with {} this way", lt.describe(), rt.describe()),
                "compare numbers with numbers, dates with dates, and text or answers with quoted labels using = or !=",
            ));
        }
        self.percent_units(lhs, rt, rhs, lt);
        // `q1 = "很好"` holds for every synonym on the row of "很好".
        let label_test = match (lt, &rhs.kind, rt, &lhs.kind) {
            (Ty::Answer(s), ast::ExprKind::Text(t), _, _) => Some((l.clone(), s, t)),
            (_, _, Ty::Answer(s), ast::ExprKind::Text(t)) => Some((r.clone(), s, t)),
            _ => None,
        };
        if let (Some((answer, s, t)), true) = (label_test, equality) {
            let test = Expr::InTexts(Box::new(answer), self.synonyms(s, std::slice::from_ref(t)));
            let test = if op == CmpOp::Ne {
                Expr::Not(Box::new(test))
            } else {
                test
            };
            return (test, Ty::Bool);
        }
        (Expr::Cmp(Box::new(l), op, Box::new(r)), Ty::Bool)
    }

    /// Warns about `rate(…) >= 95%`: rates count in percent points (0–100), while
    /// `95%` is the number 0.95.
    fn percent_units(&mut self, lhs: &ast::Expr, rt: Ty, rhs: &ast::Expr, lt: Ty) {
        for (literal, other) in [(lhs, rt), (rhs, lt)] {
            let ast::ExprKind::Percent(n) = &literal.kind else {
                continue;
            };
            if let Ty::Num(b) = other {
                if b.hi.is_some_and(|h| h > Decimal::ONE) {
                    self.diags
                        .push(errors::percent_units(literal.span, &n.text));
                }
            }
        }
    }

    /// The given labels with every synonym on their scale rows.
    fn synonyms(&self, s: ScaleId, labels: &[ast::Str]) -> Vec<String> {
        let rows = match self.scale(s).map(|x| &x.kind) {
            Some(ScaleKind::Labels(rows)) => rows.as_slice(),
            _ => &[],
        };
        let mut out: Vec<String> = Vec::new();
        for l in labels {
            let row = rows.iter().find(|r| r.labels.contains(&l.value));
            let names = row.map_or_else(|| vec![l.value.clone()], |r| r.labels.clone());
            for n in names {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Checks that a quoted label compared with an answer belongs to its scale.
    fn known_label(&mut self, s: ScaleId, e: &ast::Expr) -> bool {
        if let ast::ExprKind::Text(t) = &e.kind {
            self.check_labels(s, std::slice::from_ref(t));
        }
        true
    }

    fn check_labels(&mut self, s: ScaleId, labels: &[ast::Str]) {
        let Some(scale) = self.scale(s) else { return };
        let ScaleKind::Labels(rows) = &scale.kind else {
            return;
        };
        let all: Vec<&str> = rows
            .iter()
            .flat_map(|r| r.labels.iter().map(String::as_str))
            .collect();
        let problems: Vec<_> = labels
            .iter()
            .filter(|l| !all.contains(&l.value.as_str()))
            .map(|l| {
                let hint = errors::did_you_mean(&l.value, all.iter().copied());
                errors::unknown_label(&l.value, &scale.name, l.span, hint)
            })
            .collect();
        self.diags.extend(problems);
    }

    /// The level id for `x is LEVEL`, checked against the scale the value comes from.
    fn level_of(&mut self, t: Ty, level: &ast::Name) -> Option<LevelId> {
        let scale = match t {
            Ty::Answer(s) | Ty::Level(Some(s)) => Some(s),
            Ty::Level(None) | Ty::Unknown => None,
            other => {
                self.diags.push(errors::type_mismatch(
                    level.span,
                    format!("{} has no levels", other.describe()),
                    "`is LEVEL` tests answers on a scale and grades",
                ));
                return None;
            }
        };
        let levels: Vec<LevelId> = match scale.and_then(|s| self.scale(s)) {
            Some(s) => scale_levels(s),
            None => (0..self.levels.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect(),
        };
        let found = self
            .find_level(&level.text)
            .filter(|id| levels.contains(id));
        if found.is_none() {
            let names: Vec<&str> = levels
                .iter()
                .filter_map(|i| self.levels.get(*i as usize))
                .map(String::as_str)
                .collect();
            let hint = errors::did_you_mean(&level.text, names.into_iter());
            self.diags
                .push(errors::unknown_level(&level.text, level.span, hint));
        }
        found
    }

    fn in_test(&mut self, expr: &ast::Expr, set: &ast::InSet, sc: &mut Scope) -> Lowered {
        let (x, t) = self.expr(expr, sc);
        match set {
            ast::InSet::Texts(texts) => {
                match t {
                    Ty::Answer(s) => self.check_labels(s, texts),
                    Ty::Text | Ty::Unknown => {}
                    other => self.diags.push(errors::type_mismatch(
                        expr.span,
                        format!("a list of labels cannot contain {}", other.describe()),
                        "test text fields and answers against quoted labels",
                    )),
                }
                let values = match t {
                    Ty::Answer(s) => self.synonyms(s, texts),
                    _ => texts.iter().map(|s| s.value.clone()).collect(),
                };
                (Expr::InTexts(Box::new(x), values), Ty::Bool)
            }
            ast::InSet::Interval(iv) => {
                self.want_num(t, expr.span);
                match self.interval(iv) {
                    Some(i) => (Expr::InInterval(Box::new(x), i), Ty::Bool),
                    None => BLANK,
                }
            }
        }
    }

    fn call(
        &mut self,
        name: &ast::Name,
        args: &[ast::Arg],
        filter: Option<&ast::Expr>,
        span: Span,
        sc: &mut Scope,
    ) -> Lowered {
        if is_aggregate(&name.text, args) {
            return self.aggregate(name, args, filter, span, sc);
        }
        if let Some(f) = filter {
            self.diags.push(errors::context(
                f.span,
                format!("`where` only filters aggregates, not `{}`", name.text),
                "use `where` inside count(), sum(), mean(), min(), max() or rate()",
            ));
        }
        if matches!(name.text.as_str(), "rank" | "quota") {
            self.diags.push(errors::context(
                span,
                format!(
                    "`{}` must be a whole value of a group: 排名 = rank(总分)",
                    name.text
                ),
                "give the rank or quota its own name in the group",
            ));
            return BLANK;
        }
        let mut positional = Vec::new();
        for a in args {
            match a {
                ast::Arg::Positional(x) => positional.push(x),
                ast::Arg::Named(n, _) => self.diags.push(errors::bad_argument(
                    n.span,
                    format!("`{}` takes no named arguments", name.text),
                    "write the arguments in order, separated by commas",
                )),
            }
        }
        if name.text == "grade" {
            return self.grade(&positional, span, sc);
        }
        self.function(name, &positional, span, sc)
    }

    fn function(
        &mut self,
        name: &ast::Name,
        args: &[&ast::Expr],
        span: Span,
        sc: &mut Scope,
    ) -> Lowered {
        let (func, arity): (Func, (usize, usize)) = match name.text.as_str() {
            "min" => (Func::Min, (2, usize::MAX)),
            "max" => (Func::Max, (2, usize::MAX)),
            "clamp" => (Func::Clamp, (3, 3)),
            "round" => (Func::Round, (1, 2)),
            "floor" => (Func::Floor, (1, 1)),
            "ceil" => (Func::Ceil, (1, 1)),
            "abs" => (Func::Abs, (1, 1)),
            "days" => (Func::Days, (2, 2)),
            "add_months" => (Func::AddMonths, (2, 2)),
            "score" => (Func::Score, (1, 1)),
            "first" => (Func::First, (1, usize::MAX)),
            other => {
                const ALL: [&str; 19] = [
                    "count",
                    "sum",
                    "mean",
                    "min",
                    "max",
                    "rate",
                    "rank",
                    "quota",
                    "grade",
                    "clamp",
                    "round",
                    "floor",
                    "ceil",
                    "abs",
                    "days",
                    "add_months",
                    "score",
                    "first",
                    "if",
                ];
                let hint = errors::did_you_mean(other, ALL.into_iter());
                self.diags
                    .push(errors::unknown_function(other, name.span, hint));
                return BLANK;
            }
        };
        if args.len() < arity.0 || args.len() > arity.1 {
            let expected = match arity {
                (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
                (a, usize::MAX) => format!("at least {a} arguments"),
                (a, b) => format!("{a} or {b} arguments"),
            };
            self.diags.push(errors::arity(&name.text, &expected, span));
            return BLANK;
        }
        let lowered: Vec<(Expr, Ty, Span)> = args
            .iter()
            .map(|a| {
                let (e, t) = self.expr(a, sc);
                (e, t, a.span)
            })
            .collect();
        let ty = self.function_type(func, &lowered);
        (
            Expr::Call(func, lowered.into_iter().map(|(e, _, _)| e).collect()),
            ty,
        )
    }

    fn function_type(&mut self, func: Func, args: &[(Expr, Ty, Span)]) -> Ty {
        let nums = |c: &mut Checker| -> Vec<Bounds> {
            args.iter().map(|(_, t, s)| c.want_num(*t, *s)).collect()
        };
        match func {
            Func::Min | Func::Max => {
                let b = nums(self);
                let pick = |a: Bounds, x: Bounds| {
                    if func == Func::Min {
                        a.min(x)
                    } else {
                        a.max(x)
                    }
                };
                let first = b.first().copied().unwrap_or(Bounds::ANY);
                Ty::Num(b.iter().skip(1).fold(first, |a, x| pick(a, *x)))
            }
            Func::Clamp => {
                let b = nums(self);
                match (b.first(), b.get(1), b.get(2)) {
                    (Some(x), Some(lo), Some(hi)) => Ty::Num(x.max(*lo).min(*hi)),
                    _ => Ty::Num(Bounds::ANY),
                }
            }
            Func::Round | Func::Floor | Func::Ceil => {
                let b = nums(self);
                let x = b.first().copied().unwrap_or(Bounds::ANY);
                // All three are monotonic: the bounds are the bounds, rounded alike.
                let places = match (func, args.get(1)) {
                    (Func::Round, Some((Expr::Const(Value::Num(p)), _, _))) => {
                        u32::try_from(p.mantissa()).ok()
                    }
                    (Func::Round, Some(_)) => None,
                    _ => Some(0),
                };
                let mode = match func {
                    Func::Floor => RoundMode::Floor,
                    Func::Ceil => RoundMode::Ceiling,
                    _ => self.rounding.mode,
                };
                match places {
                    Some(p) => {
                        let r = |v: Option<Decimal>| v.map(|v| crate::decimal::round(v, p, mode));
                        Ty::Num(Bounds {
                            lo: r(x.lo),
                            hi: r(x.hi),
                            whole: p == 0,
                        })
                    }
                    None => Ty::Num(Bounds::ANY),
                }
            }
            Func::Abs => Ty::Num(nums(self).first().copied().unwrap_or(Bounds::ANY).abs()),
            Func::Score => {
                let b = nums(self);
                Ty::Num(b.first().copied().unwrap_or(Bounds::ANY))
            }
            Func::Days => {
                self.want_dates(args, 2);
                Ty::Num(Bounds::ANY)
            }
            Func::AddMonths => {
                self.want_dates(args, 1);
                if let Some((_, t, s)) = args.get(1) {
                    self.want_num(*t, *s);
                }
                Ty::Date
            }
            Func::First => args
                .iter()
                .map(|(_, t, _)| *t)
                .find(|t| *t != Ty::Unknown)
                .unwrap_or(Ty::Unknown),
        }
    }

    fn want_dates(&mut self, args: &[(Expr, Ty, Span)], n: usize) {
        for (_, t, s) in args.iter().take(n) {
            if !matches!(t, Ty::Date | Ty::Unknown) {
                self.diags.push(errors::type_mismatch(
                    *s,
                    format!("expected a date, found {}", t.describe()),
                    "use a date field",
                ));
            }
        }
    }

    fn grade(&mut self, args: &[&ast::Expr], span: Span, sc: &mut Scope) -> Lowered {
        let (Some(x), Some(scale_ref), 2) = (args.first(), args.get(1), args.len()) else {
            self.diags.push(errors::arity(
                "grade",
                "2 arguments: grade(value, scale)",
                span,
            ));
            return BLANK;
        };
        let (value, t) = self.expr(x, sc);
        self.want_num(t, x.span);
        let ast::ExprKind::Ref { kind: None, name } = &scale_ref.kind else {
            self.diags.push(errors::bad_argument(
                scale_ref.span,
                "the second argument of grade() is a scale name".into(),
                "write grade(总分, 评级)",
            ));
            return BLANK;
        };
        let Some(&id) = self.scale_ids.get(&name.text) else {
            let hint = errors::did_you_mean(&name.text, self.scale_ids.keys().map(String::as_str));
            self.diags
                .push(errors::unknown_name("scale", &name.text, name.span, hint));
            return BLANK;
        };
        if let Some(used) = self.scale_used.get_mut(id as usize) {
            *used = true;
        }
        let gives_levels = self
            .scale(id)
            .is_some_and(|s| matches!(&s.kind, ScaleKind::Numeric(rows) if !rows.is_empty()));
        if !gives_levels {
            self.diags.push(errors::scale_type(
                name.span,
                format!("grade() needs a scale of numeric bands; `{}` is not one", name.text),
                "declare the bands as a numeric scale: scale 评级 { [90, 100] => 优秀  [70, 90) => 达标  < 70 => 不达标 }",
            ));
        }
        (Expr::Grade(Box::new(value), id), Ty::Level(Some(id)))
    }
}

/// Levels a scale's rows give.
pub(crate) fn scale_levels(s: &Scale) -> Vec<LevelId> {
    let level = |o: &RowOutcome| match o {
        RowOutcome::Score { level, .. } => *level,
        _ => None,
    };
    match &s.kind {
        ScaleKind::Labels(rows) => rows.iter().filter_map(|r| level(&r.outcome)).collect(),
        ScaleKind::Numeric(rows) => rows.iter().filter_map(|r| level(&r.outcome)).collect(),
        ScaleKind::Linear(_) => Vec::new(),
    }
}
