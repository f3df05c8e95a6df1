//! Expressions and the small tokens they are made of, spelled canonically: ASCII
//! operators, single spaces around binary operators, strings re-escaped, numbers as
//! written. Brackets are printed exactly where the tree has a `Paren` node.

use crate::ast::{Arg, BinOp, CmpOp, Expr, ExprKind, InSet, Interval, Name, Num, Range, Str};

/// A string literal as the canonical source writes it: quoted, with `"`, `\` and
/// line breaks escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// ` "label"` when there is a label, else nothing.
pub(super) fn label(label: Option<&Str>) -> String {
    label.map_or_else(String::new, |s| format!(" {}", quote(&s.value)))
}

/// `"a" | "b" | "c"`
pub(super) fn labels(values: &[Str]) -> String {
    let quoted: Vec<String> = values.iter().map(|s| quote(&s.value)).collect();
    quoted.join(" | ")
}

/// `lo..hi`
pub(super) fn range(r: &Range) -> String {
    format!("{}..{}", r.lo.text, r.hi.text)
}

/// `[a, b)`, `>= a`, `a..b` or `a`.
pub(super) fn interval(i: &Interval) -> String {
    match i {
        Interval::Bounded {
            lo,
            lo_closed,
            hi,
            hi_closed,
            ..
        } => {
            let open = if *lo_closed { '[' } else { '(' };
            let close = if *hi_closed { ']' } else { ')' };
            format!("{open}{}, {}{close}", lo.text, hi.text)
        }
        Interval::Relation { op, bound, .. } => format!("{} {}", cmp_op(*op), bound.text),
        Interval::Range(r) => range(r),
        Interval::Point(n) => n.text.clone(),
    }
}

/// The ASCII spelling of a comparison.
pub(super) fn cmp_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn bin_op(op: BinOp) -> &'static str {
    match op {
        BinOp::Or => "or",
        BinOp::And => "and",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
    }
}

/// An expression on one line.
pub(super) fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

fn write_expr(out: &mut String, e: &Expr) {
    crate::limits::with_stack(|| write_expr_at(out, e));
}

fn write_expr_at(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Number(n) => out.push_str(&n.text),
        ExprKind::Percent(n) => {
            out.push_str(&n.text);
            out.push('%');
        }
        ExprKind::Text(s) => out.push_str(&quote(&s.value)),
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Blank => out.push_str("blank"),
        ExprKind::Ref { kind, name } => write_ref(out, kind.as_ref(), name),
        ExprKind::Call { name, args, filter } => write_call(out, name, args, filter.as_deref()),
        ExprKind::If {
            cond,
            then,
            otherwise,
        } => write_if(out, cond, then, otherwise),
        ExprKind::Chain { first, rest } => write_chain(out, first, rest),
        ExprKind::Not(x) => {
            out.push_str("not ");
            write_expr(out, x);
        }
        ExprKind::Neg(x) => {
            out.push('-');
            write_expr(out, x);
        }
        ExprKind::Compare { lhs, op, rhs } => {
            write_expr(out, lhs);
            out.push_str(&format!(" {} ", cmp_op(*op)));
            write_expr(out, rhs);
        }
        ExprKind::Is {
            expr,
            negated,
            level,
        } => write_is(out, expr, *negated, level.as_ref()),
        ExprKind::In { expr, set } => {
            write_expr(out, expr);
            out.push_str(" in ");
            out.push_str(&in_set(set));
        }
        ExprKind::Paren(x) => {
            out.push('(');
            write_expr(out, x);
            out.push(')');
        }
    }
}

fn write_ref(out: &mut String, kind: Option<&Name>, name: &Name) {
    if let Some(k) = kind {
        out.push_str(&k.text);
        out.push('.');
    }
    out.push_str(&name.text);
}

fn write_call(out: &mut String, name: &Name, args: &[Arg], filter: Option<&Expr>) {
    out.push_str(&name.text);
    out.push('(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if let Arg::Named(n, _) = arg {
            out.push_str(&n.text);
            out.push_str(": ");
        }
        match arg {
            Arg::Positional(e) | Arg::Named(_, e) => write_expr(out, e),
        }
    }
    if let Some(f) = filter {
        if !args.is_empty() {
            out.push(' ');
        }
        out.push_str("where ");
        write_expr(out, f);
    }
    out.push(')');
}

fn write_if(out: &mut String, cond: &Expr, then: &Expr, otherwise: &Expr) {
    out.push_str("if ");
    write_expr(out, cond);
    out.push_str(" then ");
    write_expr(out, then);
    out.push_str(" else ");
    write_expr(out, otherwise);
}

fn write_chain(out: &mut String, first: &Expr, rest: &[(BinOp, Expr)]) {
    write_expr(out, first);
    for (op, operand) in rest {
        out.push(' ');
        out.push_str(bin_op(*op));
        out.push(' ');
        write_expr(out, operand);
    }
}

fn write_is(out: &mut String, expr: &Expr, negated: bool, level: Option<&Name>) {
    write_expr(out, expr);
    out.push_str(if negated { " is not " } else { " is " });
    out.push_str(level.map_or("blank", |l| l.text.as_str()));
}

fn in_set(set: &InSet) -> String {
    match set {
        InSet::Texts(values) => {
            let quoted: Vec<String> = values.iter().map(|s| quote(&s.value)).collect();
            format!("({})", quoted.join(", "))
        }
        InSet::Interval(i) => interval(i),
    }
}

/// ` out of N` when given, else nothing.
pub(super) fn out_of(n: Option<&Num>) -> String {
    n.map_or_else(String::new, |n| format!(" out of {}", n.text))
}
