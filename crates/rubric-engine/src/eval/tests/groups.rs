//! Group tables: periods, excluded-only rows, list keys, rates, NPS, ranks,
//! quotas, `unscored` and aggregate overflow.

use super::build::*;
use crate::eval::{GroupRow, GroupStatus, GroupTable};
use crate::model::*;

fn gval(row: &GroupRow, name: &str) -> Value {
    match &row.status {
        GroupStatus::Scored { values } => values
            .iter()
            .find(|v| &*v.name == name)
            .map(|v| v.value.clone())
            .unwrap_or_else(|| panic!("no value {name}")),
        other => panic!("{:?} not scored: {other:?}", row.keys),
    }
}

fn find<'a>(t: &'a GroupTable, keys: &[&str], period: Option<&str>) -> &'a GroupRow {
    t.rows
        .iter()
        .find(|r| {
            r.keys.iter().map(String::as_str).eq(keys.iter().copied())
                && r.period.as_deref() == period
        })
        .unwrap_or_else(|| panic!("no row {keys:?} {period:?} in {:?}", t.rows))
}

/// Consultants per month and quarter: mean callback score.
fn consultant_rubric() -> Rubric {
    let scale = label_scale(
        "满意度",
        vec![
            (&["很好"], scored("100", None)),
            (&["一般"], scored("75", None)),
            (&["不满意"], scored("20", None)),
            (&["拒绝回访"], RowOutcome::Exclude("客户拒绝回访".into())),
        ],
    );
    let mut k = kind(
        "callback",
        vec![
            field("consultant", key()),
            field("date", FieldType::Date),
            field("q1", FieldType::Scale(0)),
        ],
    );
    value(&mut k, "cs", Expr::Call(Func::Score, vec![slot(2)]));
    let mut g = group("顾问", &[0], Some(1), vec![Period::Month, Period::Quarter]);
    let mean = agg(&mut g, AggFunc::Mean, 0, Some(slot(3)));
    let count = agg(&mut g, AggFunc::Count, 0, None);
    gvalue(&mut g, "CS", ComputedDef::Expr(mean));
    gvalue(&mut g, "n", ComputedDef::Expr(count));
    rubric(&[], vec![scale], vec![k], vec![g])
}

#[test]
fn mean_per_key_per_month_lists_excluded_only_groups() {
    let r = consultant_rubric();
    let rows: &[&[&str]] = &[
        &["张三", "2026-01-05", "很好"],
        &["张三", "2026-01-20", "一般"],
        &["张三", "2026-02-03", "不满意"],
        &["李四", "2026-01-09", "拒绝回访"],
        &["李四", "2026-01-10", "拒绝回访"],
        &["王五", "2026-01-10", "？？"],
        &["赵六", "", "拒绝回访"],
    ];
    let (_, results) = run(&r, &["consultant", "date", "q1"], rows);
    assert_eq!(results.tables.len(), 2);
    let month = &results.tables[0];
    assert_eq!(
        (month.group.as_str(), month.period),
        ("顾问", Some(Period::Month))
    );
    let keys: Vec<_> = month
        .rows
        .iter()
        .map(|r| (r.keys[0].as_str(), r.period.as_deref().unwrap()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("张三", "2026-01"),
            ("张三", "2026-02"),
            ("李四", "2026-01")
        ]
    );
    let jan = find(month, &["张三"], Some("2026-01"));
    assert_eq!((jan.scored, jan.excluded), (2, 0));
    assert_eq!(gval(jan, "CS"), nv("87.5"));
    assert_eq!(gval(jan, "n"), nv("2"));
    assert_eq!(jan.empty, None);
    let li = find(month, &["李四"], Some("2026-01"));
    assert_eq!((li.scored, li.excluded), (0, 2));
    assert_eq!(gval(li, "CS"), Value::Blank);
    assert_eq!(gval(li, "n"), nv("0"));
    assert_eq!(li.empty.as_deref(), Some("no successful callback"));
    // An excluded record with a blank date is counted, not placed.
    assert_eq!(month.unassigned, 1);

    let quarter = &results.tables[1];
    assert_eq!(quarter.period, Some(Period::Quarter));
    let q1 = find(quarter, &["张三"], Some("2026-Q1"));
    assert_eq!((q1.scored, gval(q1, "CS")), (3, nv("65")));
    assert!(results.summary.reconciles());
    assert_eq!(results.summary.rejected, 1);
}

#[test]
fn list_keys_credit_each_key_in_full() {
    let mut k = kind(
        "job",
        vec![
            field(
                "teams",
                FieldType::Key {
                    list: Some(";".into()),
                },
            ),
            field(
                "regions",
                FieldType::Key {
                    list: Some("、".into()),
                },
            ),
            field("s", number()),
        ],
    );
    k.slots[2].output = false;
    let mut g = group("teams", &[0], None, vec![]);
    let sum = agg(&mut g, AggFunc::Sum, 0, Some(slot(2)));
    let count = agg(&mut g, AggFunc::Count, 0, None);
    gvalue(&mut g, "sum", ComputedDef::Expr(sum));
    gvalue(&mut g, "n", ComputedDef::Expr(count));
    let mut g2 = group("team-region", &[0, 1], None, vec![]);
    let sum2 = agg(&mut g2, AggFunc::Sum, 0, Some(slot(2)));
    gvalue(&mut g2, "sum", ComputedDef::Expr(sum2));
    let r = rubric(&[], vec![], vec![k], vec![g, g2]);
    let rows: &[&[&str]] = &[
        &["A; B", "X", "10"],
        &["B", "X、Y", "20"],
        &["A;A", "X", "5"],
        &[" ; ", "X", "1"],
    ];
    let (outs, results) = run(&r, &["teams", "regions", "s"], rows);
    assert_eq!(
        super::build::rejected(&outs[3]).0,
        crate::eval::codes::MISSING
    );
    let t = &results.tables[0];
    assert_eq!(t.rows.len(), 2);
    assert_eq!(
        (
            gval(find(t, &["A"], None), "sum"),
            gval(find(t, &["A"], None), "n")
        ),
        (nv("15"), nv("2"))
    );
    assert_eq!(
        (
            gval(find(t, &["B"], None), "sum"),
            gval(find(t, &["B"], None), "n")
        ),
        (nv("30"), nv("2"))
    );
    let t2 = &results.tables[1];
    let pairs: Vec<_> = t2.rows.iter().map(|r| r.keys.join("/")).collect();
    assert_eq!(pairs, vec!["A/X", "B/X", "B/Y"]);
    assert_eq!(gval(find(t2, &["B", "Y"], None), "sum"), nv("20"));
    assert_eq!(gval(find(t2, &["B", "X"], None), "sum"), nv("30"));
}

/// NPS per store: % promoters − % detractors, and a plain rate.
#[test]
fn rate_and_nps() {
    let scale = numeric_scale(
        "nps",
        vec![
            (half_open(Some("9"), None), level(0)),
            (half_open(Some("7"), Some("9")), level(1)),
            (half_open(Some("0"), Some("7")), level(2)),
        ],
        Some(("0", "10")),
    );
    let k = kind(
        "survey",
        vec![field("store", key()), field("q", FieldType::Scale(0))],
    );
    let mut g = group("store", &[0], None, vec![]);
    let promoters = agg(
        &mut g,
        AggFunc::Rate,
        0,
        Some(Expr::IsLevel(Box::new(slot(1)), 0)),
    );
    let detractors = agg(
        &mut g,
        AggFunc::Rate,
        0,
        Some(Expr::IsLevel(Box::new(slot(1)), 2)),
    );
    gvalue(&mut g, "promoters", ComputedDef::Expr(promoters.clone()));
    gvalue(
        &mut g,
        "NPS",
        ComputedDef::Expr(arith(promoters, vec![(ArithOp::Sub, detractors)])),
    );
    let r = rubric(
        &["推荐者", "被动者", "贬损者"],
        vec![scale],
        vec![k],
        vec![g],
    );
    let rows: &[&[&str]] = &[
        &["S", "10"],
        &["S", "9"],
        &["S", "8"],
        &["S", "3"],
        &["S", "0"],
        &["T", "10"],
        &["T", "10"],
        &["T", "10"],
        &["T", "6"],
    ];
    let (_, results) = run(&r, &["store", "q"], rows);
    let t = &results.tables[0];
    assert_eq!(gval(find(t, &["S"], None), "promoters"), nv("40"));
    assert_eq!(gval(find(t, &["S"], None), "NPS"), nv("0"));
    assert_eq!(gval(find(t, &["T"], None), "promoters"), nv("75"));
    assert_eq!(gval(find(t, &["T"], None), "NPS"), nv("50"));
}

/// Units ranked by mean score, with a 2:7:1 quota of three tiers.
fn ranked_rubric() -> Rubric {
    let mut k = kind("eval", vec![field("unit", key()), field("s", number())]);
    k.excludes.push(ExcludeRule {
        reason: "not evaluated".into(),
        when: Some(cmp(slot(1), CmpOp::Lt, num("0"))),
        span: sp(),
    });
    let mut g = group("units", &[0], None, vec![]);
    let mean = agg(&mut g, AggFunc::Mean, 0, Some(slot(1)));
    let avg = gvalue(&mut g, "avg", ComputedDef::Expr(mean));
    gvalue(
        &mut g,
        "rank",
        ComputedDef::Rank {
            of: avg,
            descending: true,
        },
    );
    let tiers = vec![(0, d("0.2")), (1, d("0.7")), (2, d("0.1"))];
    gvalue(&mut g, "tier", ComputedDef::Quota { of: avg, tiers });
    let rank_slot = 1;
    gvalue(
        &mut g,
        "top3",
        ComputedDef::Expr(cmp(slot(rank_slot), CmpOp::Le, num("3"))),
    );
    rubric(&["优秀", "达标", "不达标"], vec![], vec![k], vec![g])
}

#[test]
fn rank_with_ties_and_quota_2_7_1() {
    let r = ranked_rubric();
    let scores = ["95", "95", "90", "85", "80", "75", "70", "65", "60", "50"];
    let mut owned: Vec<[String; 2]> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| [format!("U{i}"), (*s).to_string()])
        .collect();
    owned.push(["U10".into(), "-1".into()]);
    let rows: Vec<Vec<&str>> = owned
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let (_, results) = run(&r, &["unit", "s"], &rows);
    let t = &results.tables[0];
    let at = |u: &str| find(t, &[u], None);
    let ranks: Vec<Value> = (0..10)
        .map(|i| gval(at(&format!("U{i}")), "rank"))
        .collect();
    let expected: Vec<Value> = [1, 1, 3, 4, 5, 6, 7, 8, 9, 10]
        .iter()
        .map(|n| nv(&n.to_string()))
        .collect();
    assert_eq!(ranks, expected);
    let tiers: Vec<Value> = (0..10)
        .map(|i| gval(at(&format!("U{i}")), "tier"))
        .collect();
    let mut want = vec![Value::Level(0); 2];
    want.extend(vec![Value::Level(1); 7]);
    want.push(Value::Level(2));
    assert_eq!(tiers, want);
    // A value computed after the rank sees it.
    assert_eq!(gval(at("U2"), "top3"), Value::Bool(true));
    assert_eq!(gval(at("U3"), "top3"), Value::Bool(false));
    // The unit with only an excluded record: no mean, no rank, no tier.
    let u10 = at("U10");
    assert_eq!(
        (gval(u10, "avg"), gval(u10, "rank"), gval(u10, "tier")),
        (Value::Blank, Value::Blank, Value::Blank)
    );
    assert_eq!(u10.empty.as_deref(), Some("no successful callback"));
}

#[test]
fn unscored_rule_uses_group_values() {
    let mut r = ranked_rubric();
    let g = &mut r.groups[0];
    let count = agg(g, AggFunc::Count, 0, None);
    let n = gvalue(g, "n", ComputedDef::Expr(count));
    // Evaluation order: n must come before the rank.
    let last = g.computed.pop().unwrap();
    g.computed.insert(1, last);
    g.unscored
        .push(("too few".into(), cmp(slot(n), CmpOp::Lt, num("2"))));
    let rows: &[&[&str]] = &[
        &["A", "90"],
        &["A", "80"],
        &["B", "99"],
        &["C", "70"],
        &["C", "70"],
    ];
    let (_, results) = run(&r, &["unit", "s"], rows);
    let t = &results.tables[0];
    match &find(t, &["B"], None).status {
        GroupStatus::Unscored { reason } => assert_eq!(reason, "too few"),
        other => panic!("{other:?}"),
    }
    // B is not ranked: A is first, C second.
    assert_eq!(gval(find(t, &["A"], None), "rank"), nv("1"));
    assert_eq!(gval(find(t, &["C"], None), "rank"), nv("2"));
}

#[test]
fn aggregate_overflow_is_reported_not_a_panic() {
    let k = kind("m", vec![field("unit", key()), field("s", number())]);
    let mut g = group("units", &[0], None, vec![]);
    let sum = agg(&mut g, AggFunc::Sum, 0, Some(slot(1)));
    let mean = agg(&mut g, AggFunc::Mean, 0, Some(slot(1)));
    gvalue(&mut g, "sum", ComputedDef::Expr(sum.clone()));
    gvalue(&mut g, "mean", ComputedDef::Expr(mean));
    gvalue(
        &mut g,
        "double",
        ComputedDef::Expr(arith(sum, vec![(ArithOp::Mul, num("2"))])),
    );
    let r = rubric(&[], vec![], vec![k], vec![g]);
    let max = "79228162514264337593543950335";
    let half = "39614081257132168796771975168";
    let rows: &[&[&str]] = &[&["A", max], &["A", max], &["B", half]];
    let (outs, results) = run(&r, &["unit", "s"], rows);
    assert!(outs.iter().all(|o| o.status.name() == "scored"));
    let t = &results.tables[0];
    let a = find(t, &["A"], None);
    assert_eq!(gval(a, "sum"), Value::Blank);
    assert_eq!(a.errors.len(), 2, "{:?}", a.errors);
    assert!(a.errors[0].contains("too large"));
    match &find(t, &["B"], None).status {
        GroupStatus::Failed { code, .. } => assert_eq!(*code, crate::eval::codes::OVERFLOW),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_huge_list_key_is_not_spread_over_thousands_of_rows() {
    let k = kind(
        "job",
        vec![field(
            "teams",
            FieldType::Key {
                list: Some(";".into()),
            },
        )],
    );
    let mut g = group("teams", &[0], None, vec![]);
    let count = agg(&mut g, AggFunc::Count, 0, None);
    gvalue(&mut g, "n", ComputedDef::Expr(count));
    let r = rubric(&[], vec![], vec![k], vec![g]);
    let many: Vec<String> = (0..2000).map(|i| format!("t{i}")).collect();
    let many = many.join(";");
    let (outs, results) = run(&r, &["teams"], &[&[many.as_str()], &["a;b"]]);
    assert!(outs.iter().all(|o| o.status.name() == "scored"));
    let t = &results.tables[0];
    assert_eq!((t.rows.len(), t.unassigned), (2, 1));
}
