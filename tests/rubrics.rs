//! The shipped schemes (issue: every computable scheme of the source documents ships
//! as a tested `.rubric`): for each catalogue id, `rubrics/<id>.rubric` checks clean
//! with no warnings, is already in canonical form, has at least five examples that
//! all pass, and comes with sample data that evaluates with every record accounted for.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

/// The 18 ids of `shared/schemes.md`'s index.
const CATALOGUE: [&str; 18] = [
    "tutoring-center-csi",
    "tutoring-callback-sampling",
    "dealer-sales-callback",
    "dealer-aftersales-callback",
    "ob-callback-rating",
    "employee-service-5x10",
    "welfare-service-evaluation",
    "satisfaction-rate",
    "dealer-composite-0.3-0.7",
    "dealer-callback-timeliness",
    "dealer-archive-penalty",
    "customer-satisfaction-weighted-5item",
    "four-level-100-85-50-30",
    "survey-sample-size",
    "annual-survey-fixed-50",
    "nps",
    "service-kpi-rates",
    "customer-retention-rate",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn source(id: &str) -> String {
    let path = root().join(format!("rubrics/{id}.rubric"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_scheme_checks_clean_without_warnings() {
    for id in CATALOGUE {
        let checked = rubric_engine::compile(&source(id)).unwrap_or_else(|d| {
            panic!(
                "{id} does not compile: {:?}",
                d.iter().map(|d| &d.message).collect::<Vec<_>>()
            )
        });
        let warnings: Vec<_> = checked.warnings.iter().map(|w| w.code).collect();
        assert!(warnings.is_empty(), "{id} has warnings {warnings:?}");
        assert_eq!(
            checked.rubric.meta.id, id,
            "the rubric's id is its file name"
        );
    }
}

#[test]
fn every_scheme_is_in_canonical_form() {
    for id in CATALOGUE {
        let text = source(id);
        let file = rubric_syntax::parse(&text).unwrap();
        assert_eq!(
            rubric_syntax::format(&file, &text),
            text,
            "{id}: run `rubric fmt rubrics/{id}.rubric`"
        );
    }
}

#[test]
fn every_scheme_has_five_passing_examples() {
    for id in CATALOGUE {
        let rubric = rubric_engine::compile(&source(id)).unwrap().rubric;
        let reports = rubric_engine::run_examples(&rubric);
        assert!(
            reports.len() >= 5,
            "{id} has {} examples; the issue asks for at least 5",
            reports.len()
        );
        for r in reports {
            assert!(r.passed(), "{id}, example \"{}\": {:?}", r.name, r.failures);
        }
    }
}

#[test]
fn every_scheme_has_sample_data_that_reconciles() {
    for id in CATALOGUE {
        let rubric = rubric_engine::compile(&source(id)).unwrap().rubric;
        let path = root().join(format!("rubrics/data/{id}.csv"));
        let mut csv =
            csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut ev = rubric_engine::Evaluator::new(&rubric, &header)
            .unwrap_or_else(|d| panic!("{id}: {d:?}"));
        let mut rows = 0u64;
        for (i, record) in csv.records().enumerate() {
            let record = record.unwrap();
            let cells: Vec<&str> = record.iter().collect();
            ev.push(i as u64 + 1, &cells);
            rows += 1;
        }
        let results = ev.finish();
        assert_eq!(results.summary.read, rows, "{id}");
        assert!(results.summary.reconciles(), "{id}: {:?}", results.summary);
        assert!(results.summary.scored > 0, "{id}: nothing scored");
        assert!(!results.tables.is_empty(), "{id}: no group table");
    }
}
