//! Explanations of records and group rows, on the shipped rubrics: exact rendered
//! lines for the key steps, and agreement with plain evaluation on every example.

use crate::eval::{Evaluator, GroupStatus, RecordOutcome, RecordStatus};
use crate::explain::{explain_record, Explanation, Outcome, StepKind, Subject};
use crate::model::Rubric;

fn compile(source: &str) -> Rubric {
    match crate::compile(source) {
        Ok(c) => c.rubric,
        Err(d) => panic!("{d:?}"),
    }
}

const DEALER: &str = include_str!("../../../../../rubrics/dealer-sales-callback.rubric");
const WELFARE: &str = include_str!("../../../../../rubrics/welfare-service-evaluation.rubric");
const TUTORING: &str = include_str!("../../../../../rubrics/tutoring-center-csi.rubric");
const OB: &str = include_str!("../../../../../rubrics/ob-callback-rating.rubric");

const DEALER_HEADER: [&str; 13] = [
    "respondent_id",
    "consultant",
    "team",
    "date",
    "callback_status",
    "q1",
    "q1_pts",
    "q2",
    "q2_pts",
    "q3",
    "q3_pts",
    "q4",
    "q4_pts",
];

const WELFARE_HEADER: [&str; 6] = [
    "record_type",
    "unit",
    "date",
    "issues_found",
    "answer",
    "complaint_type",
];

const TUTORING_HEADER: [&str; 10] = [
    "record_type",
    "unit",
    "date",
    "completion",
    "completion_effect",
    "attitude",
    "timeliness",
    "effectiveness",
    "management",
    "handling_result",
];

/// The rendered lines, without their indentation.
fn lines(e: &Explanation) -> Vec<String> {
    e.lines()
        .iter()
        .map(|l| l.trim_start().to_owned())
        .collect()
}

/// Where `line` is among the rendered lines; panics showing the explanation.
fn at(e: &Explanation, line: &str) -> usize {
    lines(e)
        .iter()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line\n  {line}\nin\n{e}"))
}

fn has_no(e: &Explanation, start: &str) {
    assert!(
        !lines(e).iter().any(|l| l.starts_with(start)),
        "unexpected `{start}…` in\n{e}"
    );
}

/// The source text a step's span covers.
fn source_of<'s>(source: &'s str, e: &Explanation, line: &str) -> &'s str {
    let i = at(e, line);
    let span = e.steps[i - 1]
        .span
        .unwrap_or_else(|| panic!("no span: {line}"));
    &source[span.start..span.end]
}

fn dealer_row<'a>(id: &'a str, status: &'a str, answers: [&'a str; 8]) -> Vec<&'a str> {
    let mut row = vec![id, "张三", "A", "2026-01-05", status];
    row.extend(answers);
    row
}

#[test]
fn a_scored_record_shows_fields_rated_values_and_the_score_tree() {
    let r = compile(DEALER);
    let cells = dealer_row(
        "r1",
        "成功",
        ["很好", "", "一般", "", "不满意", "10", "很好", ""],
    );
    let e = explain_record(&r, &DEALER_HEADER, &cells, 1).unwrap();
    assert_eq!(e.heading(), "record 1 (回访 r1): scored");
    assert_eq!(
        e.subject,
        Subject::Record {
            row: 1,
            kind: Some("回访".into()),
            id: Some("r1".into())
        }
    );
    let order = [
        at(&e, r#"date "2026-01-05" → 2026-01-05"#),
        at(&e, r#"q1 "很好" → 100 (回访评价)"#),
        at(&e, r#"q2 "一般" → 75 (回访评价)"#),
        at(&e, r#"q3 "不满意" → rated 0..25 (回访评价)"#),
        at(&e, r#"q3_pts "10" → 10"#),
        at(&e, "q3 = 10: rated by q3_pts, within [0, 25]"),
        at(&e, r#"not excluded: 回访失败 (callback_status != "成功")"#),
        at(&e, "CS.q1 = 100 / 100 × 25 = 25"),
        at(&e, "CS.q2 = 75 / 100 × 25 = 18.75"),
        at(&e, "CS.q3 = 10 / 100 × 25 = 2.5"),
        at(&e, "CS.q4 = 100 / 100 × 25 = 25"),
        at(&e, "CS = 25 + 18.75 + 2.5 + 25 = 71.25"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "out of order:\n{e}");
    assert_eq!(e.outcome, Outcome::Scored { empty: None });
    // Steps point at the rubric text they come from.
    let row = source_of(DEALER, &e, r#"q1 "很好" → 100 (回访评价)"#);
    assert!(row.starts_with("\"很好\"") && row.ends_with("100"), "{row}");
    let rule = source_of(
        DEALER,
        &e,
        r#"not excluded: 回访失败 (callback_status != "成功")"#,
    );
    assert!(rule.starts_with("exclude \"回访失败\""), "{rule}");
    assert!(source_of(DEALER, &e, "CS = 25 + 18.75 + 2.5 + 25 = 71.25").starts_with("score CS"));
    assert!(source_of(DEALER, &e, "CS.q3 = 10 / 100 × 25 = 2.5").starts_with("q3"));
    // Steps carry their exact results.
    let total = e
        .steps
        .iter()
        .rev()
        .find(|s| s.kind == StepKind::Node)
        .unwrap();
    assert_eq!(total.value.as_deref(), Some("71.25"));
    has_no(&e, "note:");
}

#[test]
fn an_excluded_record_names_the_rule_and_what_it_read() {
    let r = compile(DEALER);
    let cells = dealer_row("r4", "关机", [""; 8]);
    let e = explain_record(&r, &DEALER_HEADER, &cells, 4).unwrap();
    assert_eq!(e.heading(), "record 4 (回访 r4): excluded: 回访失败");
    let fired = at(&e, r#"excluded: 回访失败 (callback_status != "成功")"#);
    assert_eq!(lines(&e)[fired + 1], r#"callback_status = "关机""#);
    assert!(at(&e, r#"not excluded: 空号 (callback_status = "空号")"#) < fired);
    has_no(&e, "CS");
    let cells = dealer_row("r2", "拒绝回访", [""; 8]);
    let e = explain_record(&r, &DEALER_HEADER, &cells, 2).unwrap();
    at(&e, r#"excluded: 拒绝回访 (callback_status = "拒绝回访")"#);
    has_no(&e, "not excluded");
    assert_eq!(
        e.outcome,
        Outcome::Excluded {
            reason: "拒绝回访".into()
        }
    );
}

#[test]
fn a_rejected_record_says_why() {
    let r = compile(DEALER);
    let cells = dealer_row(
        "r3",
        "成功",
        ["很号", "", "一般", "", "很好", "", "很好", ""],
    );
    let e = explain_record(&r, &DEALER_HEADER, &cells, 3).unwrap();
    let Outcome::Rejected {
        field,
        code,
        reason,
    } = &e.outcome
    else {
        panic!("{e}")
    };
    assert_eq!(
        (field.as_deref(), code.as_str()),
        (Some("q1"), "E-UNKNOWN-LABEL")
    );
    assert!(e
        .heading()
        .starts_with("record 3 (回访 r3): rejected (E-UNKNOWN-LABEL, q1): "));
    at(&e, &format!("rejected (E-UNKNOWN-LABEL): {reason}"));
    at(&e, &format!(r#"q1 "很号": {reason} (E-UNKNOWN-LABEL)"#));
    has_no(&e, "CS");

    // A rated answer without its rater value.
    let cells = dealer_row(
        "r5",
        "成功",
        ["很好", "", "不好", "", "很好", "", "很好", ""],
    );
    let e = explain_record(&r, &DEALER_HEADER, &cells, 5).unwrap();
    let rated = lines(&e)
        .into_iter()
        .find(|l| l.starts_with("q2: "))
        .unwrap_or_else(|| panic!("{e}"));
    assert!(rated.ends_with("(E-RATED-MISSING)"), "{rated}");

    // A failed `require`, with the values it read.
    let r = compile(WELFARE);
    let cells = ["检查", "食堂", "2026-11-05", "0", "很满意", ""];
    let e = explain_record(&r, &WELFARE_HEADER, &cells, 7).unwrap();
    assert_eq!(
        e.heading(),
        "record 7 (检查): rejected (E-REQUIRE): 检查记录只填写发现问题数"
    );
    at(&e, r#"record_type "检查" → record kind 检查"#);
    let failed = at(
        &e,
        "rejected: 检查记录只填写发现问题数 (require answer is blank and complaint_type is blank)",
    );
    assert_eq!(
        lines(&e)[failed + 1],
        r#"answer = "很满意", complaint_type = blank"#
    );

    // Rows rejected before their kind is known.
    let e = explain_record(&r, &WELFARE_HEADER, &["检查", "食堂"], 8).unwrap();
    assert!(
        e.heading()
            .starts_with("record 8: rejected (E-ROW-ARITY): "),
        "{e}"
    );
    let cells = ["抽查", "食堂", "2026-11-05", "0", "", ""];
    let e = explain_record(&r, &WELFARE_HEADER, &cells, 9).unwrap();
    assert!(matches!(&e.outcome, Outcome::Rejected { code, .. } if code == "E-UNKNOWN-KIND"));
}

#[test]
fn explaining_uses_the_evaluators_header_and_changes_nothing() {
    let r = compile(DEALER);
    let mut ev = Evaluator::new(&r, &DEALER_HEADER).unwrap();
    let cells = dealer_row(
        "r1",
        "成功",
        ["很好", "", "很好", "", "很好", "", "很好", ""],
    );
    let e = ev.explain(1, &cells);
    at(&e, "CS = 25 + 25 + 25 + 25 = 100");
    assert_eq!(ev.summary().read, 0);
    let o = ev.push(1, &cells);
    assert!(matches!(o.status, RecordStatus::Scored { .. }));
    let results = ev.finish();
    assert_eq!(results.summary.scored, 1);
    assert!(explain_record(&r, &["q1"], &["很好"], 1).is_err());
}

fn welfare_rows() -> Vec<[&'static str; 6]> {
    vec![
        ["检查", "食堂", "2026-11-05", "2", "", ""],
        ["调查", "食堂", "2026-11-12", "", "基本满意", ""],
        ["调查", "食堂", "2026-11-13", "", "很满意", ""],
        ["投诉", "食堂", "2026-11-20", "", "", "有效"],
        ["投诉", "食堂", "2026-11-21", "", "", "有效服务投诉"],
        ["调查", "车队", "2026-11-13", "", "很满意", ""],
        ["投诉", "食堂", "2026-12-01", "", "", "重大"],
    ]
}

#[test]
fn a_group_row_shows_its_records_deductions_and_grade() {
    let r = compile(WELFARE);
    let mut ev = Evaluator::new(&r, &WELFARE_HEADER).unwrap();
    ev.watch("单位", &["食堂".into()], Some("2026-11")).unwrap();
    ev.watch("单位", &[" 车队 ".into()], Some("2026-11"))
        .unwrap();
    for (i, row) in welfare_rows().iter().enumerate() {
        ev.push(i as u64 + 1, row);
    }
    let (results, explained) = ev.finish_explained();
    assert_eq!(explained.len(), 2);
    let e = &explained[0];
    assert_eq!(e.heading(), "group 单位 (食堂, 2026-11): scored");
    let order = [
        at(e, "records: 5 scored, 0 excluded"),
        at(e, "row 1 检查: scored"),
        at(e, "row 5 投诉: scored"),
        at(e, "sum(检查.issues_found) = 2 (n = 1)"),
        at(e, "count(投诉 where complaint_type is 有效) = 2"),
        at(e, "count(投诉 where complaint_type is 重大) = 0"),
        at(e, "mean(调查.answer) = 36 / 2 = 18"),
        at(e, "row 2: 16"),
        at(e, "row 3: 20"),
        at(e, "有效投诉 = count(投诉 where complaint_type is 有效) = 2"),
        at(e, "总分.标准执行 = 48 / 50 × 50 = 48"),
        at(e, "max(0, 50 - 问题数) = max(0, 50 - 2) = 48"),
        at(e, "总分.满意度调查 = 18 / 20 × 20 = 18"),
        at(e, "总分.服务投诉 = 18 / 30 × 30 = 18"),
        at(
            e,
            "max(0, 30 - 6 × 有效投诉 - 12 × 重大投诉) = max(0, 30 - 6 × 2 - 12 × 0) = 18",
        ),
        at(e, "总分 = 48 + 18 + 18 = 84"),
        at(e, "等级 = grade(总分, 评级) = 不合格"),
        at(e, "grade(84, 评级) → 不合格 because 84 < 90"),
        at(
            e,
            "not unscored: 当月未进行检查,不出具考评意见 (count(检查) = 0)",
        ),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "out of order:\n{e}");
    assert_eq!(lines(e)[order[order.len() - 1] + 1], "count(检查) = 1");
    // The December complaint is another row; each aggregate is listed once.
    has_no(e, "row 7");
    assert_eq!(
        lines(e)
            .iter()
            .filter(|l| l.starts_with("count(检查) = "))
            .count(),
        2,
        "once as an aggregate, once in the unscored rule's reads:\n{e}"
    );
    let complaints = e
        .aggregates
        .iter()
        .find(|a| a.aggregate == "count(投诉 where complaint_type is 有效)")
        .unwrap();
    let rows: Vec<u64> = complaints.records.iter().map(|r| r.row).collect();
    assert_eq!((rows, complaints.value.as_str()), (vec![4, 5], "2"));
    let span = e
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Grade)
        .unwrap()
        .span
        .unwrap();
    assert_eq!(&WELFARE[span.start..span.end], "< 90  => 不合格");
    has_no(e, "note:");

    let e = &explained[1];
    assert_eq!(
        e.heading(),
        "group 单位 (车队, 2026-11): unscored: 当月未进行检查,不出具考评意见"
    );
    let fired = at(
        e,
        "unscored: 当月未进行检查,不出具考评意见 (count(检查) = 0)",
    );
    assert_eq!(lines(e)[fired + 1], "count(检查) = 0");
    let row = results.tables[0]
        .rows
        .iter()
        .find(|r| r.keys == ["车队"])
        .unwrap();
    assert!(matches!(row.status, GroupStatus::Unscored { .. }));
}

fn tutoring_rows() -> Vec<[&'static str; 10]> {
    let score = |unit, date, m| ["评分", unit, date, "10", "20", "10", "10", "20", m, ""];
    let complaint = |unit, date, how| ["投诉", unit, date, "", "", "", "", "", "", how];
    vec![
        score("越城校区", "2026-01-10", "30"),
        score("柯桥校区", "2026-01-12", "28"),
        score("上虞校区", "2026-02-03", "25"),
        [
            "评分",
            "诸暨校区",
            "2026-02-05",
            "9",
            "17",
            "9",
            "8",
            "17",
            "25",
            "",
        ],
        complaint("诸暨校区", "2026-02-20", "满意"),
        complaint("诸暨校区", "2026-02-21", "客户不满意"),
        score("嵊州校区", "2026-03-02", "29"),
        complaint("嵊州校区", "2026-03-09", "非常满意"),
        [
            "评分",
            "新昌校区",
            "2026-03-04",
            "5",
            "10",
            "5",
            "5",
            "10",
            "15",
            "",
        ],
        complaint("新昌校区", "2026-03-05", "不满意"),
        score("越城校区", "2026-04-10", "30"),
    ]
}

#[test]
fn a_group_row_shows_its_cap_rank_and_quota() {
    let r = compile(TUTORING);
    let mut ev = Evaluator::new(&r, &TUTORING_HEADER).unwrap();
    for unit in ["越城校区", "诸暨校区", "新昌校区"] {
        ev.watch("单位", &[unit.into()], Some("2026-Q1")).unwrap();
    }
    for (i, row) in tutoring_rows().iter().enumerate() {
        ev.push(i as u64 + 1, row);
    }
    let (_, explained) = ev.finish_explained();
    let e = &explained[0];
    assert_eq!(e.heading(), "group 单位 (越城校区, 2026-Q1): scored");
    let order = [
        at(e, "records: 1 scored, 0 excluded"),
        at(e, "mean(评分.基础分) = 100 / 1 = 100"),
        at(e, "row 1: 100"),
        at(e, "sum(投诉.handling_result) = 0 (n = 0)"),
        at(e, "最终得分.基础分 = 100 / 100 × 100 = 100"),
        at(e, "最终得分 = 100"),
        at(e, "adjust +0 投诉处理 (sum(投诉.handling_result)) → 100"),
        at(e, "bonus +10 无投诉 (count(投诉) = 0) → 110"),
        at(e, "capped at 100 (was 110)"),
        at(e, "grade(100, 评级) → 优秀 because 100 ∈ [90, 100]"),
        at(
            e,
            "配额等级 = quota(最终得分, 优秀: 0.2, 达标: 0.7, 不达标: 0.1) = 优秀: \
             最终得分 100 ranks 1 of 6, 6 at or below it",
        ),
        at(e, "优秀: rank ≤ round(0.2 × 6) = 1; rank 1 → yes"),
        at(e, "排名 = 1: 最终得分 100 ranks 1 of 6 (highest first)"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "out of order:\n{e}");
    // The April record is in another quarter.
    has_no(e, "row 11");
    has_no(e, "note:");

    let e = &explained[1];
    at(e, "adjust -5 投诉处理 (sum(投诉.handling_result)) → 80");
    at(e, "no bonus: 无投诉 (count(投诉) = 0)");
    at(e, "row 6: -5");
    at(e, "优秀: rank ≤ round(0.2 × 6) = 1; rank 5 → no");
    at(e, "达标: rank ≤ round(0.9 × 6) = 5; rank 5 → yes");
    at(e, "排名 = 5: 最终得分 80 ranks 5 of 6 (highest first)");

    let e = &explained[2];
    at(e, "达标: rank ≤ round(0.9 × 6) = 5; rank 6 → no");
    at(
        e,
        "不达标 (last tier): at most round(0.1 × 6) = 1 rows scoring at or below; 1 do → yes",
    );
    at(e, "等级 = grade(最终得分, 评级) = 不达标");
}

#[test]
fn adjustments_forfeits_and_floors_are_steps() {
    let r = compile(OB);
    let header = [
        "call_id",
        "agent",
        "date",
        "connect_status",
        "rating",
        "not_asked_reason",
        "qc_sampled",
        "qc_finding",
    ];
    let rows: [[&str; 8]; 4] = [
        [
            "c1",
            "王五",
            "2026-03-02",
            "成功接通",
            "4",
            "",
            "是",
            "分值不符",
        ],
        [
            "c2",
            "王五",
            "2026-03-03",
            "成功接通",
            "",
            "",
            "是",
            "未填写",
        ],
        [
            "c3",
            "李四",
            "2026-03-03",
            "成功接通",
            "",
            "",
            "是",
            "未邀评",
        ],
        ["c4", "李四", "2026-03-04", "无人接听", "", "", "否", ""],
    ];
    let mut ev = Evaluator::new(&r, &header).unwrap();
    ev.watch("质检", &["王五".into()], Some("2026-03")).unwrap();
    ev.watch("质检", &["李四".into()], Some("2026-03")).unwrap();
    ev.watch("质检抽样", &[], Some("2026-03")).unwrap();
    for (i, row) in rows.iter().enumerate() {
        ev.push(i as u64 + 1, row);
    }
    let (_, explained) = ev.finish_explained();
    let e = &explained[0];
    let order = [
        at(e, "满意度评价.满分 = 5 / 5 × 5 = 5"),
        at(e, "满意度评价 = 5"),
        at(e, "no forfeit: 未邀评: 此项5分全扣 (未邀评数 > 0)"),
        at(e, "未邀评数 = 0"),
        at(e, "deduct 3 × 2 分值不符/未填写 = -6 → -1"),
        at(e, "floored at 0 (was -1)"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "out of order:\n{e}");
    let e = &explained[1];
    assert_eq!(e.heading(), "group 质检 (李四, 2026-03): scored");
    at(e, "records: 1 scored, 1 excluded");
    at(e, "row 4 c4 通话: excluded: 非成功接通");
    at(e, "forfeit: 未邀评: 此项5分全扣 (未邀评数 > 0) → 0");
    has_no(e, "deduct");
    let e = &explained[2];
    assert_eq!(e.heading(), "group 质检抽样 (2026-03): scored");
    at(
        e,
        "rate(rating is blank where qc_sampled) = 100 × 2 / 3 = 66.666666666666666666666666667",
    );
    at(e, "row 1 c1: no");
    at(e, "row 2 c2: yes");
}

#[test]
fn a_watched_row_lists_at_most_a_thousand_records() {
    let r = compile(DEALER);
    let mut ev = Evaluator::new(&r, &DEALER_HEADER).unwrap();
    ev.watch("团队", &["A".into()], Some("2026")).unwrap();
    for i in 0..1500u64 {
        let id = format!("r{i}");
        let cells = dealer_row(
            &id,
            "成功",
            ["很好", "", "一般", "", "很好", "", "很好", ""],
        );
        ev.push(i + 1, &cells);
    }
    let (_, explained) = ev.finish_explained();
    let e = &explained[0];
    at(e, "records: 1500 scored, 0 excluded");
    at(e, "row 1000 r999 回访: scored");
    has_no(e, "row 1001 ");
    assert_eq!(
        lines(e).iter().filter(|l| *l == "… and 500 more").count(),
        3,
        "the records, mean(CS) and count():\n{e}"
    );
    at(e, "mean(CS) = 140625 / 1500 = 93.75");
    let mean = &e.aggregates[0];
    assert_eq!((mean.records.len(), mean.more), (1000, 500));
    assert_eq!(mean.records[0].value, "93.75");
}

#[test]
fn watching_checks_the_group_row() {
    let r = compile(WELFARE);
    let mut ev = Evaluator::new(&r, &WELFARE_HEADER).unwrap();
    let code = |e: Result<(), rubric_syntax::Diagnostic>| e.err().map(|d| d.code);
    let one = || vec!["食堂".to_owned()];
    assert_eq!(
        code(ev.watch("部门", &one(), Some("2026-01"))),
        Some("E-UNKNOWN-GROUP")
    );
    assert_eq!(
        code(ev.watch("单位", &[], Some("2026-01"))),
        Some("E-GROUP-ROW")
    );
    assert_eq!(code(ev.watch("单位", &one(), None)), Some("E-GROUP-ROW"));
    assert_eq!(
        code(ev.watch("单位", &one(), Some("2026-Q1"))),
        Some("E-GROUP-ROW")
    );
    assert_eq!(
        code(ev.watch("单位", &one(), Some("2026-13"))),
        Some("E-GROUP-ROW")
    );
    assert_eq!(code(ev.watch("单位", &one(), Some("2026-01"))), None);
    // A row no record fell in, and a watch begun after some rows.
    ev.push(1, &["检查", "食堂", "2026-02-05", "2", "", ""]);
    ev.watch("单位", &one(), Some("2026-02")).unwrap();
    ev.push(2, &["检查", "食堂", "2026-02-06", "1", "", ""]);
    let (_, explained) = ev.finish_explained();
    assert_eq!(explained[0].outcome, Outcome::NoRow);
    assert_eq!(
        explained[0].heading(),
        "group 单位 (食堂, 2026-01): no record fell in this row"
    );
    let e = &explained[1];
    at(e, "records: 2 scored, 0 excluded");
    at(
        e,
        "(watching began after 1 row(s); earlier records are counted but not listed)",
    );
    at(e, "sum(检查.issues_found) = 3 (n = 2)");
    at(e, "row 2: 1");
    has_no(e, "row 1");
}

#[test]
fn explanations_serialise() {
    let r = compile(DEALER);
    let cells = dealer_row(
        "r1",
        "成功",
        ["很好", "", "一般", "", "不满意", "10", "很好", ""],
    );
    let e = explain_record(&r, &DEALER_HEADER, &cells, 1).unwrap();
    let text = ron::to_string(&e).unwrap();
    assert!(text.contains("CS.q1 = 100 / 100 × 25 = 25"), "{text}");
    assert!(text.contains("value:Some(\"71.25\")"), "{text}");
}

// ---------------------------------------------------------------- agreement

fn same_record(o: &RecordOutcome, e: &Explanation) -> bool {
    let subject = Subject::Record {
        row: o.row,
        kind: o.kind.as_deref().map(str::to_owned),
        id: o.id.clone(),
    };
    let outcome = match &o.status {
        RecordStatus::Scored { empty, .. } => Outcome::Scored {
            empty: empty.clone(),
        },
        RecordStatus::Excluded { reason } => Outcome::Excluded {
            reason: reason.clone(),
        },
        RecordStatus::Rejected {
            field,
            code,
            reason,
        } => Outcome::Rejected {
            field: field.clone(),
            code: (*code).to_owned(),
            reason: reason.clone(),
        },
    };
    e.subject == subject && e.outcome == outcome
}

/// Every row of every example of every shipped rubric: the explanation ends as
/// plain evaluation does, and every group row's explanation matches its table.
#[test]
fn explanations_agree_with_evaluation_on_every_shipped_example() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rubric"))
        .collect();
    paths.sort();
    let mut explained = (0, 0);
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(checked) = crate::compile(&text) else {
            continue;
        };
        let r = checked.rubric;
        for example in &r.examples {
            let (header, rows) = crate::examples::input(&r, example);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let Ok(mut ev) = Evaluator::new(&r, &header) else {
                continue;
            };
            let mut outcomes = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                let e = ev.explain(i as u64 + 1, &cells);
                let o = ev.push(i as u64 + 1, &cells);
                let what = format!("{} / {} / row {}", path.display(), example.name, i + 1);
                assert!(same_record(&o, &e), "{what}: {o:?}\n{e}");
                assert!(!e.to_string().contains("note:"), "{what}\n{e}");
                outcomes.push(o);
                explained.0 += 1;
            }
            let results = ev.finish();
            let mut watched = Evaluator::new(&r, &header).unwrap();
            let mut targets = Vec::new();
            for t in &results.tables {
                for row in &t.rows {
                    watched
                        .watch(&t.group, &row.keys, row.period.as_deref())
                        .unwrap();
                    targets.push(row.clone());
                }
            }
            for (i, row) in rows.iter().enumerate() {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                watched.push(i as u64 + 1, &cells);
            }
            let (again, explanations) = watched.finish_explained();
            assert_eq!(again, results);
            for (row, e) in targets.iter().zip(&explanations) {
                let what = format!("{} / {}\n{e}", path.display(), example.name);
                let want = match &row.status {
                    GroupStatus::Scored { .. } => Outcome::Scored {
                        empty: row.empty.clone(),
                    },
                    GroupStatus::Unscored { reason } => Outcome::Unscored {
                        reason: reason.clone(),
                    },
                    GroupStatus::Failed { code, reason } => Outcome::Failed {
                        code: (*code).to_owned(),
                        reason: reason.clone(),
                    },
                };
                assert_eq!(e.outcome, want, "{what}");
                assert!(!e.to_string().contains("note:"), "{what}");
                let listed = e
                    .steps
                    .iter()
                    .filter(|s| s.kind == StepKind::Record && s.depth == 1);
                assert!(listed.count() as u64 >= row.scored + row.excluded, "{what}");
                explained.1 += 1;
            }
        }
    }
    assert!(explained.0 > 50 && explained.1 > 20, "{explained:?}");
}
