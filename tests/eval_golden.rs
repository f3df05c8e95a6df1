//! Golden evaluation cases: every `tests/golden/eval/<case>/` holds a `rubric.rubric`
//! and its data (`data.csv` or `data.jsonl`), and the built `rubric` binary is run on
//! it from inside the case directory, as
//!
//! ```text
//! rubric eval rubric.rubric data.csv --rejects <tmp>/rejects.csv
//! ```
//!
//! The exit code, standard output (the tables), standard error (the summary line) and
//! the rejects file are compared with `tests/golden/eval/snapshots/eval@<case>.snap`.
//!
//! A case with an `args` file runs its lines instead, one invocation per line (blank
//! lines and lines starting with `#` are skipped; arguments are separated by spaces):
//! a line `KIND=a.csv KIND=b.csv --format json` runs `rubric eval rubric.rubric
//! KIND=a.csv KIND=b.csv --format json --rejects <tmp>/rejects.csv`, and a line
//! starting with `explain` runs `rubric explain rubric.rubric …` (no rejects file).
//!
//! Each rubric ends with the hand computation of what its snapshot must show; a
//! snapshot is accepted only when it agrees. The start of the rubric's hash in the
//! summary line (and the whole hash in JSON) is replaced by `<hash>` after checking
//! its form, so that editing a comment in a case does not change its snapshot.
//!
//! To regenerate after an intended change: `cargo insta test -p rubric-cli --test
//! eval_golden` then `cargo insta review` (or `INSTA_UPDATE=always cargo test -p
//! rubric-cli --test eval_golden` and read the diff in git).

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const RUBRIC: &str = env!("CARGO_BIN_EXE_rubric");

/// The invocations of a case: its `args` lines, or its one data file.
fn invocations(dir: &Path) -> Vec<Vec<String>> {
    let args = dir.join("args");
    if args.exists() {
        let text = std::fs::read_to_string(&args).unwrap();
        let runs: Vec<Vec<String>> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect();
        assert!(!runs.is_empty(), "{}: an empty args file", args.display());
        return runs;
    }
    for data in ["data.csv", "data.jsonl"] {
        if dir.join(data).exists() {
            return vec![vec![data.to_string()]];
        }
    }
    panic!("{}: no data.csv, data.jsonl or args", dir.display());
}

/// Replaces the rubric's hash, after checking its form: the first 12 hex digits in
/// the summary line `id version (0123456789ab): read …`, all 64 in JSON.
fn without_hash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if let Some(open) = line.find(" (").filter(|_| line.contains("): read ")) {
            let close = line.find("): read ").unwrap();
            let hash = &line[open + 2..close];
            assert!(
                hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                "the summary line should carry 12 hex digits of the hash: {line}"
            );
            out.push_str(&line[..open + 2]);
            out.push_str("<hash>");
            out.push_str(&line[close..]);
        } else if let Some(at) = line.find("\"hash\": \"") {
            let start = at + "\"hash\": \"".len();
            let hash = &line[start..start + 64];
            assert!(
                hash.bytes().all(|b| b.is_ascii_hexdigit()) && line[start + 64..].starts_with('"'),
                "the JSON should carry the 64 hex digits of the hash: {line}"
            );
            out.push_str(&line[..start]);
            out.push_str("<hash>");
            out.push_str(&line[start + 64..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Runs one invocation in the case directory and describes what it did.
fn run(dir: &Path, args: &[String], tmp: &Path) -> String {
    let rejects = tmp.join("rejects.csv");
    let _ = std::fs::remove_file(&rejects);
    let explain = args.first().is_some_and(|a| a == "explain");
    let mut full: Vec<String> = Vec::new();
    if explain {
        full.extend(["explain".to_string(), "rubric.rubric".to_string()]);
        full.extend(args[1..].iter().cloned());
    } else {
        full.extend(["eval".to_string(), "rubric.rubric".to_string()]);
        full.extend(args.iter().cloned());
        full.extend([
            "--rejects".to_string(),
            rejects.to_string_lossy().into_owned(),
        ]);
    }
    let out = Command::new(RUBRIC)
        .args(&full)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the rubric binary runs");
    let code = out.status.code().unwrap_or(-1);
    let tmp_text = tmp.to_string_lossy();
    let clean = |bytes: &[u8]| {
        without_hash(&String::from_utf8_lossy(bytes).replace(tmp_text.as_ref(), "<tmp>"))
    };
    let stdout = clean(&out.stdout);
    let stderr = clean(&out.stderr);
    assert!(
        ![101, 134, -1].contains(&code) && !stderr.contains("panicked"),
        "rubric {full:?} crashed with {code}:\n{stderr}"
    );
    let shown: Vec<String> = full
        .iter()
        .map(|a| a.replace(tmp_text.as_ref(), "<tmp>"))
        .collect();
    let mut text = String::new();
    writeln!(text, "$ rubric {}", shown.join(" ")).unwrap();
    writeln!(text, "exit code: {code}").unwrap();
    writeln!(text, "--- stdout").unwrap();
    text.push_str(&stdout);
    writeln!(text, "--- stderr").unwrap();
    text.push_str(&stderr);
    if !explain {
        writeln!(text, "--- rejects.csv").unwrap();
        match std::fs::read(&rejects) {
            Ok(bytes) => text.push_str(&clean(&bytes)),
            Err(_) => text.push_str("(not written)\n"),
        }
    }
    text
}

#[test]
fn eval() {
    insta::glob!("golden/eval/*/rubric.rubric", |path| {
        let dir = path.parent().unwrap();
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let text = invocations(dir)
            .iter()
            .map(|args| run(dir, args, tmp.path()))
            .collect::<Vec<_>>()
            .join("\n");
        insta::with_settings!({
            snapshot_path => "golden/eval/snapshots",
            snapshot_suffix => case,
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(text);
        });
    });
}

/// Each case's rubric carries its hand computation as an `example` over the same
/// records, so `rubric test` checks the expected numbers independently of the tables.
#[test]
fn the_hand_computations_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/eval");
    let out = Command::new(RUBRIC)
        .arg("test")
        .arg(&dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the rubric binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "rubric test tests/golden/eval:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
