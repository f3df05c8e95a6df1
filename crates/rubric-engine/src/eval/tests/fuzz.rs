//! No input makes the evaluator panic, and the counts always reconcile.

use super::build::*;
use crate::eval::Evaluator;
use crate::model::*;
use proptest::prelude::*;

/// Every field type, a rated label scale, a numeric scale, a tree and a group.
fn everything() -> Rubric {
    let labels = label_scale(
        "l",
        vec![
            (&["好"], scored("100", Some(0))),
            (
                &["差"],
                RowOutcome::Rated {
                    lo: d("0"),
                    hi: d("25"),
                },
            ),
            (&["拒绝"], RowOutcome::Exclude("refused".into())),
        ],
    );
    let numeric = numeric_scale(
        "n",
        vec![(half_open(Some("9"), None), level(0))],
        Some(("0", "10")),
    );
    let mut answer = field("a", FieldType::Scale(0));
    answer.rated_by = Some(7);
    let mut k = kind(
        "k",
        vec![
            field("id", FieldType::Id),
            optional(field(
                "team",
                FieldType::Key {
                    list: Some(";".into()),
                },
            )),
            optional(field("date", FieldType::Date)),
            optional(field("c", FieldType::Count)),
            field("f", FieldType::Flag),
            answer,
            optional(field("n", FieldType::Scale(1))),
            optional(field(
                "pts",
                FieldType::Number {
                    range: Some((d("-5"), d("1000000000000000000000000000"))),
                },
            )),
        ],
    );
    k.id_field = Some(0);
    let big = arith(
        slot(7),
        vec![(ArithOp::Mul, slot(7)), (ArithOp::Div, slot(3))],
    );
    value(&mut k, "big", big);
    value(
        &mut k,
        "due",
        Expr::Call(Func::AddMonths, vec![slot(2), slot(3)]),
    );
    value(&mut k, "r", Expr::Call(Func::Round, vec![slot(7), slot(3)]));
    value(&mut k, "s", Expr::Call(Func::Score, vec![slot(5)]));
    let mut g = group("g", &[1], Some(2), vec![Period::Month, Period::Year]);
    let sum = agg(&mut g, AggFunc::Sum, 0, Some(slot(8)));
    let mean = agg(&mut g, AggFunc::Mean, 0, Some(slot(7)));
    let x = gvalue(
        &mut g,
        "x",
        ComputedDef::Expr(arith(sum, vec![(ArithOp::Div, mean)])),
    );
    gvalue(
        &mut g,
        "rank",
        ComputedDef::Rank {
            of: x,
            descending: false,
        },
    );
    let tiers = vec![(0, d("0.5")), (0, d("0.5"))];
    gvalue(&mut g, "tier", ComputedDef::Quota { of: x, tiers });
    rubric(&["top"], vec![labels, numeric], vec![k], vec![g])
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("好".to_string()),
        Just("差".to_string()),
        Just("拒绝".to_string()),
        Just("2026-02-29".to_string()),
        Just("2024-02-29".to_string()),
        Just("79228162514264337593543950335".to_string()),
        Just("-0".to_string()),
        Just("A; B;;".to_string()),
        "-?[0-9]{1,30}(\\.[0-9]{0,30})?",
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn never_panics_and_reconciles(rows in prop::collection::vec(prop::collection::vec(cell(), 7..10), 0..40)) {
        let r = everything();
        let header = ["id", "team", "date", "c", "f", "a", "n", "pts"];
        let mut ev = Evaluator::new(&r, &header).unwrap();
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            let _ = ev.push(i as u64 + 1, &cells);
        }
        let results = ev.finish();
        prop_assert_eq!(results.summary.read, rows.len() as u64);
        prop_assert!(results.summary.reconciles());
    }
}
