//! Property tests that complete the ones elsewhere (issue 6, deliverable 4):
//!
//! - arbitrary text and golden cases with random edits never make parsing, checking,
//!   rendering or formatting panic, and formatting keeps the meaning:
//!   `tests/architecture.rs` (`arbitrary_text_never_panics`, `edited_cases_never_panic`);
//! - formatting is idempotent and keeps comments: `crates/rubric-syntax/tests/format.rs`;
//! - the evaluator never panics and reconciles on arbitrary cells:
//!   `crates/rubric-engine/src/eval/tests/fuzz.rs`;
//! - arbitrary CSV and JSON Lines bytes, read in arbitrary chunks, never make the data
//!   reader panic, every row reconciles, and the rows do not depend on the read sizes:
//!   `crates/rubric-cli/src/data/tests.rs`.
//!
//! Here: arbitrary *bytes* as a rubric file (BOMs, invalid UTF-8, control characters,
//! CR line ends, over-long lines) through decode, parse, check, render and format; and
//! determinism of the built binary: the same input gives byte-identical results and
//! rejects, run twice and with several scoring threads.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use proptest::prelude::*;
use std::process::{Command, Stdio};

const RUBRIC: &str = env!("CARGO_BIN_EXE_rubric");

/// Pieces of rubric source and of hostile bytes.
const SOURCE_PIECES: &[&[u8]] = &[
    b"rubric a {\n  title \"A\"\n}\n",
    b"scale s {\n  \"a\" => 1\n  \"b\" => 0\n}\n",
    b"record r {\n  id: id\n  q: s\n  score t {\n    q 100\n  }\n}\n",
    b"group g {\n  c = count()\n}\n",
    b"example \"e\" {\n  given {\n    | id | q |\n    | r1 | a |\n  }\n}\n",
    b"x = (1 + 2) * 3\n",
    b"1e29",
    b"not",
    b"\"",
    b"{",
    b"}",
    b"(",
    b"//",
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFF",
    b"\xE5\xA5",
    b"\0",
    "好".as_bytes(),
    "\u{200B}".as_bytes(),
    "\u{202E}".as_bytes(),
    "👍".as_bytes(),
];

fn source_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        6 => (0..SOURCE_PIECES.len()).prop_map(|i| SOURCE_PIECES[i].to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..6),
        // Now and then a line past limits::MAX_LINE_CHARS.
        1 => (0usize..2).prop_map(|n| "x".repeat(n * (rubric_syntax::limits::MAX_LINE_CHARS + 1)).into_bytes()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

/// Decodes, checks and renders as `rubric check` does, then formats what parses and
/// parses the result again.
fn check_and_format(bytes: Vec<u8>) -> Result<(), String> {
    std::panic::catch_unwind(|| {
        common::check(&bytes).rendered("case.rubric");
    })
    .map_err(|_| "checking or rendering panicked".to_string())?;
    common::on_cli_stack(move || {
        let Ok(text) = rubric_syntax::decode(&bytes) else {
            return Ok(());
        };
        let Ok(file) = rubric_syntax::parse(&text) else {
            return Ok(());
        };
        let once = rubric_syntax::format(&file, &text);
        let again = rubric_syntax::parse(&once)
            .map_err(|d| format!("formatted text does not parse: {}\n{once}", d[0].message))?;
        if again != file {
            return Err(format!("formatting changed the meaning:\n{once}"));
        }
        Ok(())
    })
}

/// The data rubric: scale, number, group with count, sum, mean and rank.
const DATA_RUBRIC: &str = r#"rubric d {
  title "D"
  version "1"
}

rounding 1 half-up

scale 评价 {
  "好"   => 100
  "中"   => 60
  "差"   => 0
  "拒答" => exclude "拒答"
}

record 回访 {
  id:   id
  team: key optional
  q1:   评价
  n:    number optional
  score 总分 {
    q1 100
  }
}

group 团队 by team {
  if empty "无"
  记录数 = count()
  合计   = sum(n)
  平均   = mean(总分)
  名次   = rank(平均)
}

example "e" {
  given {
    | id | team | q1 | n |
    | r1 | A    | 好 | 1 |
  }
  expect record r1 { 总分 = 100 }
}
"#;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("好".to_string()),
        Just("中".to_string()),
        Just("差".to_string()),
        Just("拒答".to_string()),
        Just("x\"y".to_string()),
        Just("1,5".to_string()),
        // Quoted line breaks: a cut between threads' shares may fall inside one.
        Just("多\n行".to_string()),
        Just("a\r\nb\rc".to_string()),
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?",
        "[A-E]",
        "\\PC{0,4}",
    ]
}

/// Rows of four to five cells (some ragged), as CSV text.
fn data() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(cell(), 3..6), 0..60).prop_map(|rows| {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        writer.write_record(["id", "team", "q1", "n"]).unwrap();
        for row in rows {
            writer.write_record(row).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    })
}

/// Runs `rubric eval` in `dir` and returns (exit code, results, rejects, messages).
fn eval(dir: &std::path::Path, extra: &[&str]) -> (i32, Vec<u8>, Vec<u8>, Vec<u8>) {
    let _ = std::fs::remove_file(dir.join("out"));
    let _ = std::fs::remove_file(dir.join("rejects.csv"));
    let out = Command::new(RUBRIC)
        .args([
            "eval",
            "d.rubric",
            "x.csv",
            "-o",
            "out",
            "--rejects",
            "rejects.csv",
        ])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        ![101, 134, -1].contains(&code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        code,
        std::fs::read(dir.join("out")).unwrap_or_default(),
        std::fs::read(dir.join("rejects.csv")).unwrap_or_default(),
        out.stderr,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any bytes as a rubric file: no panic anywhere from decoding to formatting.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in source_bytes()) {
        let result = check_and_format(bytes.clone());
        prop_assert!(result.is_ok(), "{:?}\n{}", result, String::from_utf8_lossy(&bytes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Same input, same output, byte for byte: run twice, and with two and three
    /// threads (each reading its own share of the file).
    #[test]
    fn eval_is_deterministic(csv in data(), json in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.rubric"), DATA_RUBRIC).unwrap();
        std::fs::write(dir.path().join("x.csv"), &csv).unwrap();
        let format: &[&str] = if json { &["--format", "json"] } else { &[] };
        let first = eval(dir.path(), format);
        let second = eval(dir.path(), format);
        prop_assert_eq!(&first, &second, "{}", csv);
        for n in ["2", "3"] {
            let threads = eval(dir.path(), &[format, &["--threads", n]].concat());
            prop_assert_eq!(&first, &threads, "{}", csv);
        }
        prop_assert!(first.0 == 0 || first.0 == 1);
    }
}
