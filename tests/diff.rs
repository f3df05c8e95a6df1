//! `rubric diff`: every `tests/golden/diff/<case>.old.rubric` is compared with
//! `<case>.new.rubric` and the plain text output (with the impact on `<case>.csv`
//! when there is one) is compared with `tests/golden/diff/snapshots/`. Together the
//! cases produce every kind of change. A hand-checked case says exactly which
//! records and groups a weight change flips; the built binary is run for the exit
//! codes, `--format json` and `REV:path` sides read from git.
//!
//! To regenerate after an intended change: `cargo insta test -p rubric-cli --test
//! diff` then `cargo insta review` (or `INSTA_UPDATE=always cargo test -p rubric-cli
//! --test diff` and read the diff in git).

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use rubric_cli::commands::diff::{compile_side, impact, render_json, render_text, Loaded, Report};
use rubric_engine::diff::{self, Action, ChangeKind, Impact, Verdict};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const RUBRIC: &str = env!("CARGO_BIN_EXE_rubric");

/// Cases whose two sides mean the same.
const SAME: [&str; 2] = ["formatting", "reordered"];

fn golden_dir() -> PathBuf {
    common::root().join("tests/golden/diff")
}

/// A case's side, compiled, under its file name.
fn side(path: &Path) -> Loaded {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = rubric_syntax::decode(&std::fs::read(path).unwrap()).unwrap();
    compile_side(&name, &text)
        .unwrap_or_else(|d| panic!("{name} does not compile: {}", d[0].message))
}

/// Both sides of a case.
fn case(stem: &str) -> (Loaded, Loaded) {
    let dir = golden_dir();
    (
        side(&dir.join(format!("{stem}.old.rubric"))),
        side(&dir.join(format!("{stem}.new.rubric"))),
    )
}

/// The impact of a case on its data file, read by its path relative to the crate
/// (the directory integration tests run in), so that listed records name it stably.
fn case_impact(stem: &str, old: &Loaded, new: &Loaded) -> Option<Impact> {
    let csv = golden_dir().join(format!("{stem}.csv"));
    if !csv.exists() {
        return None;
    }
    let arg = format!("../../tests/golden/diff/{stem}.csv");
    Some(impact(&old.rubric, &new.rubric, &[arg], b',').unwrap())
}

fn stem(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    name.trim_end_matches(".old.rubric").to_string()
}

#[test]
fn diff() {
    insta::glob!("golden/diff/*.old.rubric", |path| {
        let stem = stem(path);
        let (old, new) = case(&stem);
        let changes = diff::compare_sources(old.side(), new.side());
        if SAME.contains(&stem.as_str()) {
            assert!(changes.is_empty(), "{stem}: {changes:#?}");
        } else {
            assert!(!changes.is_empty(), "{stem} should show changes");
        }
        let found = case_impact(&stem, &old, &new);
        let names = vec![format!("{stem}.csv")];
        let text = render_text(&Report {
            old: &old,
            new: &new,
            changes: &changes,
            impact: found.as_ref().map(|i| (i, names.as_slice())),
        })
        .replace("../../tests/golden/diff/", "");
        insta::with_settings!({
            snapshot_path => "golden/diff/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(text);
        });
    });
}

#[test]
fn the_cases_produce_every_kind_of_change() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".old.rubric") {
            continue;
        }
        let (old, new) = case(&stem(&path));
        for c in diff::compare_sources(old.side(), new.side()) {
            seen.insert(c.kind);
        }
    }
    use ChangeKind::*;
    let every = [
        Header,
        Rounding,
        Scale,
        ScaleRow,
        Label,
        LabelMove,
        RowScore,
        RatedRange,
        BandEdge,
        Order,
        Record,
        Field,
        Exclusion,
        Requirement,
        Formula,
        Indicator,
        Weight,
        Deduction,
        Bonus,
        Adjustment,
        Forfeit,
        Floor,
        Cap,
        Group,
        Key,
        Period,
        Rank,
        Quota,
        Unscored,
        IfEmpty,
        Example,
    ];
    let missing: Vec<_> = every.iter().filter(|k| !seen.contains(k)).collect();
    assert!(missing.is_empty(), "no golden case shows {missing:?}");
}

#[test]
fn formatting_and_comments_are_no_change() {
    for stem in SAME {
        let (old, new) = case(stem);
        let changes = diff::compare_sources(old.side(), new.side());
        assert!(changes.is_empty(), "{stem}: {changes:#?}");
        assert_ne!(
            old.rubric.hash, new.rubric.hash,
            "{stem}: the comments differ"
        );
        assert_eq!(
            diff::verdict(&old.rubric, &new.rubric, &changes),
            Verdict::FormattingOnly
        );
    }
    // Without the sources (compiled models only) the answer is the same.
    let (old, new) = case("formatting");
    assert!(diff::compare(&old.rubric, &new.rubric).is_empty());
    // A rubric compared with itself is the same, for every shipped rubric.
    for entry in std::fs::read_dir(common::root().join("rubrics")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rubric") {
            let s = side(&path);
            let changes = diff::compare_sources(s.side(), s.side());
            assert!(changes.is_empty(), "{}: {changes:#?}", path.display());
            assert_eq!(diff::verdict(&s.rubric, &s.rubric, &changes), Verdict::Same);
        }
    }
}

/// One weight changes: q1 : q2 goes from 1 : 1 to 3 : 1 (`by ratio`, out of 100),
/// so CS goes from (q1 + q2) / 2 to (3·q1 + q2) / 4, with 好 = 100, 中 = 50, 差 = 0,
/// and the bands are 优秀 [80, 100], 合格 [60, 80), 不合格 < 60. By hand:
///
/// | record | unit | q1 q2 | CS before | CS after | grade before → after |
/// |--------|------|-------|-----------|----------|----------------------|
/// | r1     | A    | 好 好 | 100       | 100      | 优秀                 |
/// | r2     | A    | 好 中 | 75        | 87.5     | 合格 → 优秀          |
/// | r3     | A    | 中 好 | 75        | 62.5     | 合格                 |
/// | r4     | B    | 好 中 | 75        | 87.5     | 合格 → 优秀          |
/// | r5     | B    | 好 差 | 50        | 75       | 不合格 → 合格        |
/// | r6     | C    | 差 好 | 50        | 25       | 不合格               |
/// | r7     | C    | 中 好 | 75        | 62.5     | 合格                 |
/// | r8     | D    | 中 中 | 50        | 50       | 不合格               |
/// | r9     | D    | 好 好 | 100       | 100      | 优秀                 |
///
/// Units (mean CS): A 83.33 → 83.33 (优秀), B 62.5 → 81.25 (合格 → 优秀), C 62.5 →
/// 43.75 (合格 → 不合格), D 75 → 75 (合格). Ranks: A 1, D 2, B and C 3 before; A 1,
/// B 2, D 3, C 4 after.
#[test]
fn one_weight_change_flips_exactly_these_records_and_groups() {
    let (old, new) = case("weight-impact");
    let changes = diff::compare_sources(old.side(), new.side());
    let weights: Vec<(&str, &str)> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Weight)
        .map(|c| (c.path.as_str(), c.what.as_str()))
        .collect();
    assert_eq!(
        weights,
        [
            (
                "record 回访 › score CS › q1",
                "weight 1 → 3 (50 → 75 points)"
            ),
            (
                "record 回访 › score CS › q2",
                "50 → 25 points (weight 1 unchanged: the weights beside it changed)"
            ),
        ]
    );

    let i = case_impact("weight-impact", &old, &new).unwrap();
    let r = &i.records;
    assert_eq!(r.compared, 9);
    assert_eq!(r.status_changed, 0);
    let flipped: Vec<(&str, &str, &str)> = r
        .grade_listed
        .iter()
        .map(|c| {
            let v = c.values.iter().find(|v| v.level).unwrap();
            (c.id.as_deref().unwrap(), v.old.as_str(), v.new.as_str())
        })
        .collect();
    assert_eq!(
        flipped,
        [
            ("r2", "合格", "优秀"),
            ("r4", "合格", "优秀"),
            ("r5", "不合格", "合格")
        ]
    );
    assert_eq!(r.grade_changed, 3);
    let cs_changed: Vec<&str> = r
        .listed
        .iter()
        .filter(|c| c.values.iter().any(|v| v.name == "CS"))
        .map(|c| c.id.as_deref().unwrap())
        .collect();
    assert_eq!(cs_changed, ["r2", "r3", "r4", "r5", "r6", "r7"]);
    let largest = r.largest.as_ref().unwrap();
    assert_eq!(
        (
            largest.at.as_str(),
            largest.name.as_str(),
            largest.old.as_str(),
            largest.new.as_str()
        ),
        ("r5", "CS", "50.00", "75.00")
    );

    assert_eq!(i.tables.len(), 1);
    let t = &i.tables[0];
    assert_eq!(
        (t.group.as_str(), t.period.as_deref()),
        ("单位", Some("month"))
    );
    assert_eq!((t.compared, t.grade_changed, t.rank_changed), (4, 2, 3));
    let flips = |what: &str| -> Vec<(String, String, String)> {
        t.flips
            .iter()
            .filter(|f| f.what == what)
            .map(|f| (f.label(), f.old.clone(), f.new.clone()))
            .collect()
    };
    let own = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        flips("grade"),
        own(&[
            ("B · 2026-10", "合格", "优秀"),
            ("C · 2026-10", "合格", "不合格")
        ])
    );
    assert_eq!(
        flips("rank"),
        own(&[
            ("B · 2026-10", "3", "2"),
            ("C · 2026-10", "3", "4"),
            ("D · 2026-10", "2", "3")
        ])
    );
    let cs = t.values.iter().find(|v| v.name == "CS").unwrap();
    assert_eq!(cs.changed, 2);
}

/// Runs the binary in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(RUBRIC)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_say_same_different_or_trouble() {
    let dir = golden_dir();
    let (code, out, _) = run(
        &dir,
        &["diff", "formatting.old.rubric", "formatting.new.rubric"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("no semantic change: formatting or comments only"),
        "{out}"
    );

    let (code, out, _) = run(&dir, &["diff", "labels.old.rubric", "labels.old.rubric"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("no semantic change: the rubrics are identical"),
        "{out}"
    );

    let (code, out, _) = run(
        &dir,
        &["diff", "adjustments.old.rubric", "adjustments.new.rubric"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("- adjustments.old.rubric:35  deduct 6 per 有效投诉"),
        "{out}"
    );
    assert!(
        out.contains("+ adjustments.new.rubric:35  deduct 8 per 有效投诉"),
        "{out}"
    );

    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("broken.rubric"),
        "rubric x {\n  title \"t\"\n}\nscale {\n",
    )
    .unwrap();
    let old = dir.join("labels.old.rubric");
    let (code, _, err) = run(
        tmp.path(),
        &["diff", old.to_str().unwrap(), "broken.rubric"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.rubric"), "{err}");
    let (code, _, err) = run(
        tmp.path(),
        &["diff", old.to_str().unwrap(), "missing.rubric"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.rubric"), "{err}");

    // Data that does not fit the new rubric is an error, not a finding.
    std::fs::write(tmp.path().join("bad.csv"), "id,unit\nr1,A\n").unwrap();
    let wi = |s: &str| {
        dir.join(format!("weight-impact.{s}.rubric"))
            .display()
            .to_string()
    };
    let (code, _, err) = run(
        tmp.path(),
        &["diff", &wi("old"), &wi("new"), "--data", "bad.csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the header does not fit the old rubric"),
        "{err}"
    );
}

#[test]
fn json_names_every_change_with_its_lines() {
    let dir = golden_dir();
    let (code, out, err) = run(
        &dir,
        &[
            "diff",
            "weight-impact.old.rubric",
            "weight-impact.new.rubric",
            "--data",
            "weight-impact.csv",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "rubric-diff/1");
    assert_eq!(doc["verdict"], "changed");
    assert_eq!(doc["summary"], "3 changes: 2 weights, 1 example");
    let first = &doc["changes"][0];
    assert_eq!(first["kind"], "weight");
    assert_eq!(first["action"], "changed");
    assert_eq!(first["old_at"]["line"], 28);
    assert_eq!(first["old_at"]["text"], "q1 1");
    assert_eq!(first["new_at"]["text"], "q1 3");
    assert_eq!(doc["impact"]["records"]["grade_changed"], 3);
    assert_eq!(doc["impact"]["tables"][0]["grade_changed"], 2);
    assert_eq!(doc["impact"]["data"][0], "weight-impact.csv");

    // The rendering functions give the same document.
    let (old, new) = case("weight-impact");
    let changes = diff::compare_sources(old.side(), new.side());
    let doc = render_json(&Report {
        old: &old,
        new: &new,
        changes: &changes,
        impact: None,
    });
    assert_eq!(doc["changes"].as_array().unwrap().len(), 3);
    assert!(doc["impact"].is_null());
    assert!(changes.iter().all(|c| c.action == Action::Changed));
}

/// `git` with a fixed identity, in `dir`.
fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args([
            "-c",
            "user.name=rubric",
            "-c",
            "user.email=rubric@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn either_side_may_come_from_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    if !git(repo, &["init", "-q"]) {
        eprintln!("git is not available; skipping");
        return;
    }
    let dir = golden_dir();
    std::fs::create_dir(repo.join("rubrics")).unwrap();
    let x = repo.join("rubrics/x.rubric");
    std::fs::copy(dir.join("adjustments.old.rubric"), &x).unwrap();
    assert!(git(repo, &["add", "."]));
    assert!(git(repo, &["commit", "-q", "-m", "old"]));
    std::fs::copy(dir.join("adjustments.new.rubric"), &x).unwrap();

    let (code, out, err) = run(repo, &["diff", "HEAD:rubrics/x.rubric", "rubrics/x.rubric"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("- HEAD:rubrics/x.rubric:35  deduct 6 per 有效投诉"),
        "{out}"
    );
    assert!(
        out.contains("+ rubrics/x.rubric:35  deduct 8 per 有效投诉"),
        "{out}"
    );

    // The committed file against itself, both sides from git.
    let (code, out, _) = run(
        repo,
        &["diff", "HEAD:rubrics/x.rubric", "HEAD:./rubrics/x.rubric"],
    );
    assert_eq!(code, 0, "{out}");

    let (code, _, err) = run(
        repo,
        &["diff", "HEAD:rubrics/missing.rubric", "rubrics/x.rubric"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read `HEAD:rubrics/missing.rubric` from git"),
        "{err}"
    );
    let (code, _, err) = run(
        repo,
        &["diff", "no-such-rev:rubrics/x.rubric", "rubrics/x.rubric"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("from git"), "{err}");
}
