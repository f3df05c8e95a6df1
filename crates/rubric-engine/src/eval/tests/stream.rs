//! Many rows through one evaluator: counts reconcile, groups stay few, nothing
//! is kept per record.

use super::build::*;
use crate::eval::Evaluator;
use crate::model::*;

/// Rows pushed through one evaluator in the streaming test.
const ROWS: u64 = 1_000_000;

#[test]
fn a_million_rows_stream_through_one_evaluator() {
    let scale = label_scale(
        "满意度",
        vec![
            (&["很好", "比较好"], scored("100", None)),
            (&["一般"], scored("75", None)),
            (&["拒绝回访"], RowOutcome::Exclude("refused".into())),
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
    let mut g = group("顾问", &[0], Some(1), vec![Period::Month]);
    let mean = agg(&mut g, AggFunc::Mean, 0, Some(slot(3)));
    gvalue(&mut g, "CS", ComputedDef::Expr(mean));
    let r = rubric(&[], vec![scale], vec![k], vec![g]);

    let consultants: Vec<String> = (0..49).map(|i| format!("顾问{i}")).collect();
    let dates: Vec<String> = (1..=12).map(|m| format!("2026-{m:02}-15")).collect();
    let labels = ["很好", "一般", "比较好", "拒绝回访", "不知道"];
    let mut ev = Evaluator::new(&r, &["consultant", "date", "q1"]).unwrap();
    let mut scored = 0u64;
    for i in 0..ROWS {
        let n = i as usize;
        let cells = [
            consultants[n % 49].as_str(),
            dates[n % 12].as_str(),
            labels[n % 5],
        ];
        if ev.push(i + 1, &cells).status.name() == "scored" {
            scored += 1;
        }
    }
    let results = ev.finish();
    let s = results.summary;
    assert_eq!(s.read, ROWS);
    assert_eq!(s.scored, scored);
    assert_eq!(
        (s.scored, s.excluded, s.rejected),
        (600_000, 200_000, 200_000)
    );
    assert!(s.reconciles());
    let table = &results.tables[0];
    assert_eq!(table.rows.len(), 49 * 12);
    let credited: u64 = table.rows.iter().map(|r| r.scored + r.excluded).sum();
    assert_eq!(credited, 800_000);
}
