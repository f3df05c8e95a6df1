#![allow(clippy::panic, clippy::indexing_slicing)]

use super::*;
use crate::model::{ArithOp, Bound, Interval};
use rust_decimal::Decimal;

fn rubric(src: &str) -> Rubric {
    match crate::compile(src) {
        Ok(c) => c.rubric,
        Err(d) => panic!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()),
    }
}

const SOURCE: &str = r#"rubric t { title "t" }
record 回访 {
  id: id
  a: number -10..10
  b: number 0..10
  c: text optional
  ok: flag
  x = a * (b * 2) - (a + b)
  y = if ok = true then a else if b > 1 then b else 0
  z = not (a > 1) or c in ("x", "y") and not (c in ("z"))
}
example "e" {
  given {
    | id | a | b | c | ok |
    | r1 | 1 | 2 |   | yes |
  }
  expect record r1 { x = -1 }
}
"#;

/// The computed values of the record kind, printed by `p`.
fn formulas(r: &Rubric, print: impl Fn(&Expr) -> String) -> Vec<String> {
    r.kinds[0]
        .computed
        .iter()
        .filter_map(|c| match &c.def {
            ComputedDef::Expr(e) => Some(print(e)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_two_styles_differ_only_where_documented() {
    let r = rubric(SOURCE);
    let explain = Printer::new(&r, Style::EXPLAIN);
    let diff = Printer::new(&r, Style::DIFF);
    assert_eq!(
        formulas(&r, |e| explain.expr(e, Scope::Kind(0))),
        [
            "a × b × 2 - (a + b)",
            "if ok = yes then a else if b > 1 then b else 0",
            "not (a > 1) or (c in (\"x\", \"y\") and c not in (\"z\"))",
        ]
    );
    assert_eq!(
        formulas(&r, |e| diff.expr(e, Scope::Kind(0))),
        [
            "a * (b * 2) - (a + b)",
            "if ok = true then a else (if b > 1 then b else 0)",
            "not a > 1 or c in (\"x\", \"y\") and not c in (\"z\")",
        ]
    );
}

#[test]
fn substituted_values_keep_their_sign_and_answers_their_label() {
    let r = rubric(SOURCE);
    let explain = Printer::new(&r, Style::EXPLAIN);
    let slots = [
        Value::Text("r1".into()),
        Value::Num(Decimal::new(-15, 1)),
        Value::Answer {
            label: "好".into(),
            score: Some(Decimal::new(2, 0)),
            level: None,
        },
        Value::Blank,
        Value::Bool(true),
    ];
    let values = Values {
        slots: &slots,
        aggs: &[],
    };
    assert_eq!(
        formulas(&r, |e| explain.expr_with(e, Scope::Kind(0), values)),
        [
            "-1.5 × 2 × 2 - (-1.5 + 2)",
            "if yes = yes then -1.5 else if 2 > 1 then \"好\" (2) else 0",
            "not (-1.5 > 1) or (blank in (\"x\", \"y\") and blank not in (\"z\"))",
        ]
    );
    let x = Expr::Arith(Box::new(Expr::Slot(2)), vec![(ArithOp::Sub, Expr::Slot(1))]);
    assert_eq!(explain.expr_with(&x, Scope::Kind(0), values), "2 - (-1.5)");
    assert_eq!(explain.value(&slots[2]), "\"好\" (2)");
    assert_eq!(Printer::new(&r, Style::DIFF).value(&slots[2]), "\"好\"");
}

#[test]
fn words() {
    let iv = |lo: i64, hi: i64| Interval {
        lo: Bound {
            value: Some(Decimal::new(lo, 0)),
            closed: true,
        },
        hi: Bound {
            value: Some(Decimal::new(hi, 0)),
            closed: true,
        },
    };
    assert_eq!(interval(&iv(5, 5)), "[5, 5]");
    assert_eq!(row_interval(&iv(5, 5)), "= 5");
    assert_eq!(row_interval(&iv(5, 7)), "[5, 7]");
    assert_eq!(number(Decimal::new(-0, 3)), "0");
    assert_eq!(number(Decimal::new(2500, 3)), "2.5");
    assert_eq!(quote("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\te\"");
}
