//! Record-level behaviour: fields, scales, rated rows, exclusions, rejections,
//! expressions and score trees.

use super::build::*;
use crate::eval::codes;
use crate::eval::{Evaluator, RecordStatus};
use crate::model::*;

/// The dealer callback shape: a label scale with a rated row and an excluding row.
fn callback() -> Rubric {
    let scale = label_scale(
        "满意度",
        vec![
            (&["很好", "比较好", "café"], scored("100", None)),
            (&["一般"], scored("75", None)),
            (
                &["不满意"],
                RowOutcome::Rated {
                    lo: d("0"),
                    hi: d("25"),
                },
            ),
            (&["拒绝回访"], RowOutcome::Exclude("客户拒绝回访".into())),
        ],
    );
    let mut q1 = field("q1", FieldType::Scale(0));
    q1.rated_by = Some(4);
    let mut k = kind(
        "callback",
        vec![
            field("id", FieldType::Id),
            field("consultant", key()),
            field("date", FieldType::Date),
            q1,
            optional(field("q1_value", number())),
            field("test", FieldType::Flag),
        ],
    );
    k.id_field = Some(0);
    k.excludes.push(ExcludeRule {
        reason: "test call".into(),
        when: Some(slot(5)),
        span: sp(),
    });
    value(&mut k, "cs", Expr::Call(Func::Score, vec![slot(3)]));
    rubric(&[], vec![scale], vec![k], vec![])
}

const HEADER: &[&str] = &["id", "consultant", "date", "q1", "q1_value", "test"];

#[test]
fn label_scale_rated_rows_and_exclusions() {
    let r = callback();
    let rows: &[&[&str]] = &[
        &["r1", "张三", "2026-01-05", " 很好 ", "", ""],
        &["r2", "张三", "2026-01-06", "不满意", "20", ""],
        &["r3", "李四", "2026-01-07", "不满意", "30", ""],
        &["r4", "李四", "2026-01-07", "不满意", "", ""],
        &["r5", "李四", "2026-01-07", "很好", "10", ""],
        &["r6", "王五", "2026-01-07", "拒绝回访", "", ""],
        &["r7", "王五", "2026-01-07", "比较好了", "", ""],
        &["r8", "王五", "2026-01-07", "比较好了", "", "是"],
        &["r9", "", "2026-01-07", "很好", "", ""],
        &["r10", "王五", "2026-1-7", "很好", "", ""],
        &["r11", "王五", "2026-01-07", "cafe\u{301}", "", "no"],
        &["r12", "王五", "2026-01-07", "很好", "", "maybe"],
    ];
    let (outs, results) = run(&r, HEADER, rows);
    assert_eq!(val(&outs[0], "cs"), nv("100"));
    assert_eq!(outs[0].id.as_deref(), Some("r1"));
    assert_eq!(outs[0].kind.as_deref(), Some("callback"));
    assert_eq!(val(&outs[1], "cs"), nv("20"));

    let (code, field, reason) = rejected(&outs[2]);
    assert_eq!(
        (code, field.as_deref()),
        (codes::OUT_OF_RANGE, Some("q1_value"))
    );
    assert!(reason.contains("0..25"), "{reason}");
    assert_eq!(outs[2].row, 3);

    let (code, field, _) = rejected(&outs[3]);
    assert_eq!(
        (code, field.as_deref()),
        (codes::RATED_MISSING, Some("q1_value"))
    );
    let (code, field, _) = rejected(&outs[4]);
    assert_eq!(
        (code, field.as_deref()),
        (codes::RATED_UNEXPECTED, Some("q1_value"))
    );

    assert_eq!(excluded(&outs[5]), "客户拒绝回访");
    let (code, field, reason) = rejected(&outs[6]);
    assert_eq!((code, field.as_deref()), (codes::UNKNOWN_LABEL, Some("q1")));
    assert!(reason.contains("did you mean `比较好`"), "{reason}");
    // The exclusion rule wins over the unknown label.
    assert_eq!(excluded(&outs[7]), "test call");
    assert_eq!(rejected(&outs[8]).0, codes::MISSING);
    assert_eq!(rejected(&outs[9]).0, codes::DATE);
    // NFD input matches the NFC label.
    assert_eq!(val(&outs[10], "cs"), nv("100"));
    assert_eq!(rejected(&outs[11]).0, codes::FLAG);

    let s = results.summary;
    assert_eq!((s.read, s.scored, s.excluded, s.rejected), (12, 3, 2, 7));
    assert!(s.reconciles());
}

#[test]
fn answer_keeps_label_score_and_level() {
    let r = callback();
    let (outs, _) = run(
        &r,
        HEADER,
        &[&["r1", "a", "2026-01-05", "不满意", "12.5", ""]],
    );
    let mut r2 = r.clone();
    value(&mut r2.kinds[0], "answer", slot(3));
    let (outs2, _) = run(
        &r2,
        HEADER,
        &[&["r1", "a", "2026-01-05", "不满意", "12.5", ""]],
    );
    assert_eq!(val(&outs[0], "cs"), nv("12.5"));
    assert_eq!(
        val(&outs2[0], "answer"),
        Value::Answer {
            label: "不满意".into(),
            score: Some(d("12.5")),
            level: None
        }
    );
}

fn nps_rubric() -> Rubric {
    let scale = numeric_scale(
        "nps",
        vec![
            (half_open(Some("9"), None), level(0)),
            (half_open(Some("7"), Some("9")), level(1)),
            (half_open(Some("0"), Some("7")), level(2)),
        ],
        Some(("0", "10")),
    );
    let mut k = kind("survey", vec![field("q", FieldType::Scale(0))]);
    value(&mut k, "answer", slot(0));
    value(&mut k, "promoter", Expr::IsLevel(Box::new(slot(0)), 0));
    value(&mut k, "is_nine", cmp(slot(0), CmpOp::Eq, text("9")));
    rubric(
        &["推荐者", "被动者", "贬损者"],
        vec![scale],
        vec![k],
        vec![],
    )
}

#[test]
fn numeric_scale_answers() {
    let r = nps_rubric();
    let (outs, _) = run(
        &r,
        &["q"],
        &[
            &["9"],
            &["11"],
            &["7.5"],
            &["x"],
            &["-1"],
            &["99999999999999999999999999999"],
        ],
    );
    assert_eq!(
        val(&outs[0], "answer"),
        Value::Answer {
            label: "9".into(),
            score: Some(d("9")),
            level: Some(0)
        }
    );
    assert_eq!(val(&outs[0], "promoter"), Value::Bool(true));
    assert_eq!(val(&outs[0], "is_nine"), Value::Bool(true));
    assert_eq!(rejected(&outs[1]).0, codes::OUT_OF_RANGE);
    assert_eq!(rejected(&outs[2]).0, codes::NOT_INTEGER);
    assert_eq!(rejected(&outs[3]).0, codes::NOT_NUMBER);
    assert_eq!(rejected(&outs[4]).0, codes::OUT_OF_RANGE);
    assert_eq!(rejected(&outs[5]).0, codes::NUMBER_RANGE);
}

#[test]
fn linear_scale_interpolates_exactly() {
    let mut s = numeric_scale("lin", vec![], None);
    s.kind = ScaleKind::Linear(vec![(d("0"), d("0")), (d("3"), d("100"))]);
    s.integer = false;
    let mut k = kind("m", vec![field("x", FieldType::Scale(0))]);
    value(&mut k, "s", Expr::Call(Func::Score, vec![slot(0)]));
    let r = rubric(&[], vec![s], vec![k], vec![]);
    let (outs, _) = run(&r, &["x"], &[&["1"], &["5"], &["-2"]]);
    let third = d("100").checked_div(d("3")).unwrap();
    assert_eq!(val(&outs[0], "s"), Value::Num(third));
    assert_eq!(val(&outs[1], "s"), nv("100"));
    assert_eq!(val(&outs[2], "s"), nv("0"));
}

#[test]
fn grade_tests_the_exact_value() {
    let bands = numeric_scale(
        "bands",
        vec![
            (half_open(Some("80"), None), level(0)),
            (half_open(Some("60"), Some("80")), level(1)),
            (half_open(None, Some("60")), level(2)),
        ],
        None,
    );
    let mut k = kind("m", vec![field("x", number())]);
    value(&mut k, "g", Expr::Grade(Box::new(slot(0)), 0));
    value(
        &mut k,
        "shown",
        Expr::Call(Func::Round, vec![slot(0), num("2")]),
    );
    let r = rubric(
        &["满意", "基本满意", "不满意"],
        vec![bands],
        vec![k],
        vec![],
    );
    let (outs, _) = run(&r, &["x"], &[&["79.996"], &["80"], &["59.9999"]]);
    assert_eq!(val(&outs[0], "g"), Value::Level(1));
    assert_eq!(val(&outs[0], "shown"), nv("80.00"));
    assert_eq!(val(&outs[1], "g"), Value::Level(0));
    assert_eq!(val(&outs[2], "g"), Value::Level(2));
}

/// total 100 = A 60 (q out of 100) + B 40 (r out of 5, forfeited when not asked);
/// −6 per complaint, +10 with none; floor 0, cap 100.
fn tree_rubric() -> Rubric {
    let mut k = kind(
        "m",
        vec![
            field("q", number()),
            optional(field("r", number())),
            field("complaints", FieldType::Count),
            field("asked", FieldType::Flag),
        ],
    );
    for name in ["total", "total.A", "total.B"] {
        k.slots.push(slot_info(name, true));
    }
    let leaf = |slot_id, name: &str, points: &str, expr, max: &str, adjustments| ScoreNode {
        slot: slot_id,
        name: name.into(),
        points: d(points),
        source: NodeSource::Leaf {
            expr,
            max: d(max),
            factor: None,
        },
        adjustments,
        floor: None,
        cap: None,
        span: sp(),
    };
    let forfeit = Adjust::Forfeit {
        cond: Expr::Not(Box::new(slot(3))),
        label: "never asked".into(),
        span: sp(),
    };
    let root = ScoreNode {
        slot: 4,
        name: "total".into(),
        points: d("100"),
        source: NodeSource::Children(vec![
            leaf(5, "A", "60", slot(0), "100", vec![]),
            leaf(6, "B", "40", slot(1), "5", vec![forfeit]),
        ]),
        adjustments: vec![
            Adjust::Per {
                amount: d("-6"),
                count: slot(2),
                label: "complaint".into(),
                span: sp(),
            },
            Adjust::When {
                amount: d("10"),
                cond: cmp(slot(2), CmpOp::Eq, num("0")),
                label: "no complaint".into(),
                span: sp(),
            },
        ],
        floor: Some(d("0")),
        cap: Some(d("100")),
        span: sp(),
    };
    k.computed.push(Computed {
        slot: 4,
        def: ComputedDef::Score(root),
    });
    rubric(&[], vec![], vec![k], vec![])
}

#[test]
fn score_tree_points_adjustments_floor_cap_forfeit() {
    let r = tree_rubric();
    let rows: &[&[&str]] = &[
        &["100", "5", "0", "yes"],
        &["50", "2.5", "2", "yes"],
        &["50", "", "0", "no"],
        &["0", "0", "20", "yes"],
        &["50", "", "0", "yes"],
        &["50", "1", "1.5", "yes"],
    ];
    let (outs, _) = run(&r, &["q", "r", "complaints", "asked"], rows);
    let get = |i: usize| {
        (
            val(&outs[i], "total.A"),
            val(&outs[i], "total.B"),
            val(&outs[i], "total"),
        )
    };
    assert_eq!(get(0), (nv("60"), nv("40"), nv("100")));
    assert_eq!(get(1), (nv("30"), nv("20"), nv("38")));
    assert_eq!(get(2), (nv("30"), nv("0"), nv("40")));
    assert_eq!(get(3), (nv("0"), nv("0"), nv("0")));
    assert_eq!(get(4), (nv("30"), Value::Blank, Value::Blank));
    assert_eq!(rejected(&outs[5]).0, codes::COUNT);
}

fn arith_rubric() -> Rubric {
    let mut k = kind("m", vec![field("a", number()), field("b", number())]);
    value(
        &mut k,
        "ratio",
        arith(slot(0), vec![(ArithOp::Div, slot(1))]),
    );
    value(
        &mut k,
        "square",
        arith(slot(0), vec![(ArithOp::Mul, slot(0))]),
    );
    k.requires.push(RequireRule {
        condition: cmp(slot(1), CmpOp::Ge, num("0")),
        message: "b must not be negative".into(),
        span: sp(),
    });
    rubric(&[], vec![], vec![k], vec![])
}

#[test]
fn division_by_zero_is_blank_with_the_empty_reason() {
    let r = arith_rubric();
    let (outs, _) = run(&r, &["a", "b"], &[&["3", "0"], &["3", "4"]]);
    assert_eq!(val(&outs[0], "ratio"), Value::Blank);
    assert_eq!(val(&outs[0], "square"), nv("9"));
    match &outs[0].status {
        RecordStatus::Scored { empty, .. } => assert_eq!(empty.as_deref(), Some("no data")),
        other => panic!("{other:?}"),
    }
    assert_eq!(val(&outs[1], "ratio"), nv("0.75"));
    match &outs[1].status {
        RecordStatus::Scored { empty, .. } => assert_eq!(*empty, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn overflow_rejects_without_panic() {
    let r = arith_rubric();
    let max = "79228162514264337593543950335";
    let (outs, results) = run(&r, &["a", "b"], &[&[max, "1"], &["1", "-1"]]);
    let (code, _, reason) = rejected(&outs[0]);
    assert_eq!(code, codes::OVERFLOW);
    assert!(reason.contains("square"), "{reason}");
    let (code, _, reason) = rejected(&outs[1]);
    assert_eq!(
        (code, reason.as_str()),
        (codes::REQUIRE, "b must not be negative")
    );
    assert!(results.summary.reconciles());
}

#[test]
fn header_binding_errors() {
    let r = arith_rubric();
    let missing = Evaluator::new(&r, &["a", "x"]).err().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].code, codes::MISSING_COLUMN);
    assert!(missing[0].message.contains("`b`") && missing[0].message.contains("`m`"));
    let dup = Evaluator::new(&r, &["a", "b", " a"]).err().unwrap();
    assert_eq!(dup[0].code, codes::HEADER_DUP);
    assert!(
        dup[0].message.contains("columns 1 and 3"),
        "{}",
        dup[0].message
    );
    assert!(Evaluator::new(&r, &["b", "extra", "a", "extra"]).is_ok());

    let mut two = r.clone();
    two.kinds.push(kind("other", vec![]));
    two.kind_column = Some("type".into());
    let errs = Evaluator::new(&two, &["a", "b"]).err().unwrap();
    assert!(errs
        .iter()
        .any(|e| e.code == codes::MISSING_COLUMN && e.message.contains("`type`")));
}

#[test]
fn kinds_are_selected_by_column() {
    let mut r = arith_rubric();
    r.kinds[0].select = vec!["销售".into()];
    let mut other = kind("service", vec![field("c", number())]);
    other.select = vec!["售后".into()];
    value(
        &mut other,
        "c2",
        arith(slot(0), vec![(ArithOp::Add, num("1"))]),
    );
    r.kinds.push(other);
    r.kind_column = Some("类型".into());
    let header = ["类型", "a", "b", "c"];
    let rows: &[&[&str]] = &[
        &["销售", "1", "2", ""],
        &[" 售后 ", "", "", "4"],
        &["其他", "", "", ""],
        &["销售", "1"],
    ];
    let (outs, results) = run(&r, &header, rows);
    assert_eq!(val(&outs[0], "ratio"), nv("0.5"));
    assert_eq!(val(&outs[1], "c2"), nv("5"));
    assert_eq!(outs[1].kind.as_deref(), Some("service"));
    let (code, field, _) = rejected(&outs[2]);
    assert_eq!(
        (code, field.as_deref()),
        (codes::UNKNOWN_KIND, Some("类型"))
    );
    assert_eq!(rejected(&outs[3]).0, codes::ROW_ARITY);
    assert_eq!(results.summary.rejected, 2);
}

#[test]
fn expressions_blank_dates_and_functions() {
    let mut k = kind(
        "m",
        vec![
            field("sold", FieldType::Date),
            optional(field("called", FieldType::Date)),
            optional(field("x", number())),
            optional(field("t", FieldType::Text)),
        ],
    );
    let days = Expr::Call(Func::Days, vec![slot(0), slot(1)]);
    value(&mut k, "days", days.clone());
    value(&mut k, "late", cmp(days, CmpOp::Gt, num("3")));
    value(
        &mut k,
        "due",
        Expr::Call(Func::AddMonths, vec![slot(0), num("1")]),
    );
    value(
        &mut k,
        "x_or_0",
        Expr::Call(Func::First, vec![slot(2), num("0")]),
    );
    value(&mut k, "x_blank", Expr::IsBlank(Box::new(slot(2))));
    value(&mut k, "x_ne_1", cmp(slot(2), CmpOp::Ne, num("1")));
    value(&mut k, "neg", Expr::Neg(Box::new(slot(2))));
    value(
        &mut k,
        "t_in",
        Expr::InTexts(Box::new(slot(3)), vec!["甲".into(), "乙".into()]),
    );
    value(
        &mut k,
        "clamped",
        Expr::Call(Func::Clamp, vec![slot(2), num("0"), num("10")]),
    );
    let either = Expr::Logic(
        LogicOp::Or,
        vec![
            Expr::IsBlank(Box::new(slot(2))),
            cmp(slot(2), CmpOp::Gt, num("5")),
        ],
    );
    value(&mut k, "either", either);
    let r = rubric(&[], vec![], vec![k], vec![]);
    let header = ["sold", "called", "x", "t"];
    let (outs, _) = run(
        &r,
        &header,
        &[
            &["2026-01-31", "2026-02-05", "-12", "乙"],
            &["2026-01-31", "", "", ""],
        ],
    );
    let date = |s: &str| Value::Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    assert_eq!(val(&outs[0], "days"), nv("5"));
    assert_eq!(val(&outs[0], "late"), Value::Bool(true));
    assert_eq!(val(&outs[0], "due"), date("2026-02-28"));
    assert_eq!(val(&outs[0], "x_or_0"), nv("-12"));
    assert_eq!(val(&outs[0], "neg"), nv("12"));
    assert_eq!(val(&outs[0], "t_in"), Value::Bool(true));
    assert_eq!(val(&outs[0], "clamped"), nv("0"));
    assert_eq!(val(&outs[0], "either"), Value::Bool(false));
    assert_eq!(val(&outs[1], "days"), Value::Blank);
    assert_eq!(val(&outs[1], "late"), Value::Bool(false));
    assert_eq!(val(&outs[1], "x_or_0"), nv("0"));
    assert_eq!(val(&outs[1], "x_blank"), Value::Bool(true));
    assert_eq!(val(&outs[1], "x_ne_1"), Value::Bool(false));
    assert_eq!(val(&outs[1], "neg"), Value::Blank);
    assert_eq!(val(&outs[1], "t_in"), Value::Bool(false));
    assert_eq!(val(&outs[1], "either"), Value::Bool(true));
}

#[test]
fn bad_indices_reject_instead_of_panicking() {
    let mut k = kind("m", vec![field("a", number())]);
    value(&mut k, "bad", slot(99));
    value(&mut k, "agg", Expr::Agg(0));
    let r = rubric(&[], vec![], vec![k], vec![]);
    let (outs, _) = run(&r, &["a"], &[&["1"]]);
    assert_eq!(rejected(&outs[0]).0, codes::INTERNAL);
}
