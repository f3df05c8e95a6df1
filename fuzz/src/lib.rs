//! The fuzz targets as plain functions, shared by the libFuzzer entry points in
//! `fuzz_targets/` and the stable replay driver in `replay.rs`. Each panics (so the
//! fuzzer reports a crash) when a promise of ARCHITECTURE.md or docs/limits.md breaks:
//! a panic anywhere, formatting that changes the meaning or is not idempotent, a RON
//! form that does not load back, a data summary that does not reconcile.
//!
//! Every recursive pass runs on a thread with the `rubric` binary's 64 MiB stack, as
//! the CLI does, so that what is found is what users would hit.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use rubric_syntax::Diagnostic;

/// The CLI's data reader, compiled into this crate: `data.rs` is private to the
/// `rubric-cli` library, and these targets must run exactly that code.
#[allow(dead_code, unreachable_pub)]
#[path = "../../crates/rubric-cli/src/data.rs"]
mod data;

/// The stack the `rubric` binary gives its commands.
const STACK: usize = 64 * 1024 * 1024;

/// Inputs are cut here: the fuzzers' `-max_len` is smaller anyway.
const MAX_INPUT: usize = 1 << 20;

fn on_cli_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, f)
            .expect("a thread")
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Renders diagnostics as `rubric check` does (no colour, 80 columns): miette has
/// panicked on spans before (reliability.md B1–B3).
fn render(text: &str, diagnostics: &[Diagnostic]) {
    let handler = rubric_cli::render::plain_handler();
    let out = rubric_cli::render::render_file(&handler, "fuzz.rubric", text, diagnostics);
    assert!(!out.is_empty() || diagnostics.is_empty());
}

/// What `rubric check` shows for an undecodable file: the bytes, lossy, BOM dropped.
fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned()
}

/// Bytes → decode → parse → render the diagnostics.
pub fn parse(bytes: &[u8]) {
    let bytes = bytes.get(..MAX_INPUT).unwrap_or(bytes);
    on_cli_stack(|| match rubric_syntax::decode(bytes) {
        Err(d) => render(&shown(bytes), &[d]),
        Ok(text) => {
            if let Err(ds) = rubric_syntax::parse(&text) {
                render(&text, &ds);
            }
        }
    });
}

/// Bytes → decode → compile (parse and check) → render; a rubric that compiles goes
/// to RON and back unchanged.
pub fn check(bytes: &[u8]) {
    let bytes = bytes.get(..MAX_INPUT).unwrap_or(bytes);
    on_cli_stack(|| match rubric_syntax::decode(bytes) {
        Err(d) => render(&shown(bytes), &[d]),
        Ok(text) => match rubric_engine::compile(&text) {
            Err(ds) => render(&text, &ds),
            Ok(checked) => {
                render(&text, &checked.warnings);
                let ron = rubric_engine::to_ron(&checked.rubric).expect("RON is written");
                let back = rubric_engine::from_ron(&ron).expect("RON loads back");
                assert!(back == checked.rubric, "the RON form lost something");
            }
        },
    });
}

/// Text that parses formats to text that parses to the same tree, and formatting that
/// text changes nothing.
pub fn fmt_roundtrip(bytes: &[u8]) {
    let bytes = bytes.get(..MAX_INPUT).unwrap_or(bytes);
    let Ok(text) = rubric_syntax::decode(bytes) else {
        return;
    };
    on_cli_stack(|| {
        let Ok(tree) = rubric_syntax::parse(&text) else {
            return;
        };
        let once = rubric_syntax::format(&tree, &text);
        // Known and reported (tests/catalogue.rs, `known_broken_fmt_*`): the formatter
        // pads table rows to the widest cell and writes an expression on one line, so
        // its output can outgrow the size and line limits. Skipped here so that the
        // target keeps looking for other problems; remove once the formatter is fixed.
        let longest = once.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        if once.len() > 16 * text.len() + 65_536 || longest > rubric_syntax::limits::MAX_LINE_CHARS
        {
            return;
        }
        let again = match rubric_syntax::parse(&once) {
            Ok(t) => t,
            Err(ds) => panic!(
                "formatted text does not parse: {} {}\n--- input\n{text}\n--- formatted\n{once}",
                ds[0].code, ds[0].message
            ),
        };
        assert!(
            again == tree,
            "formatting changed the meaning\n--- input\n{text}\n--- formatted\n{once}"
        );
        let twice = rubric_syntax::format(&again, &once);
        assert!(
            twice == once,
            "formatting is not idempotent\n--- once\n{once}\n--- twice\n{twice}"
        );
    });
}

/// The data rubric for [`csv_eval`]: every field type, a rated scale, an exclusion, a
/// requirement, a division with `if empty`, a group with periods, a key list, ranks
/// and a quota.
pub const DATA_RUBRIC: &str = r#"rubric fuzz {
  title "Fuzz"
  version "1"
}

rounding 2 half-up

scale 评价 {
  "很好" | "好" => 100
  "一般"        => 60
  "差"          => rated 0..25
  "拒答"        => exclude "拒答"
}

record 回访 {
  id:    id
  team:  key list "|" optional
  date:  date optional
  q1:    评价 rated by q1_pts
  q1_pts: number 0..25 optional
  n:     number -1000..1000000 optional
  c:     count optional
  f:     flag
  t:     text optional
  exclude "测试" when t = "test"
  require n is blank or n >= 0 or f else "negative n needs a flag"
  per_c = n / c
  if empty "no count"
  score 总分 {
    q1 100
  }
}

group 团队 by team per month, year of date {
  if empty "无"
  记录数 = count()
  合计 = sum(n)
  平均 = mean(总分)
  比率 = rate(f)
  名次 = rank(平均)
  等级 = quota(平均, 前: 1, 后: 1)
}
"#;

/// Counts rows into an evaluator.
struct Evaluating<'r> {
    rubric: &'r rubric_engine::Rubric,
    evaluator: Option<rubric_engine::Evaluator<'r>>,
    rows: u64,
}

impl data::Sink for Evaluating<'_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let e = rubric_engine::Evaluator::new(self.rubric, columns)
            .map_err(|d| format!("{} diagnostics", d.len()))?;
        self.evaluator = Some(e);
        Ok(())
    }

    fn row(&mut self, row: &data::Row<'_>) {
        self.rows += 1;
        assert_eq!(row.number, self.rows, "rows are numbered in order");
        let Some(e) = self.evaluator.as_mut() else {
            panic!("a row before the header");
        };
        match &row.cells {
            Ok(cells) => {
                e.push(row.number, cells);
            }
            Err((code, reason)) => {
                assert!(code.starts_with("E-"), "a reject code: {code}");
                e.reject_unread(row.number, code, reason.clone());
            }
        }
    }
}

/// The header the CSV bytes get when they do not bring one (first byte even).
const HEADER: &[u8] = b"id,team,date,q1,q1_pts,n,c,f,t\n";

/// Bytes → the CLI's data reader (CSV, JSON Lines or a JSON array, chosen by the
/// first byte) → the evaluator: read = scored + excluded + rejected, and every row
/// the reader hands over is counted.
pub fn csv_eval(bytes: &[u8]) {
    let bytes = bytes.get(..MAX_INPUT).unwrap_or(bytes);
    let Some((&first, rest)) = bytes.split_first() else {
        return;
    };
    let (format, input) = match first % 4 {
        0 => (data::Format::Csv, [HEADER, rest].concat()),
        1 => (data::Format::Csv, rest.to_vec()),
        2 => (data::Format::JsonLines, rest.to_vec()),
        _ => (data::Format::JsonArray, rest.to_vec()),
    };
    let columns: Vec<String> = ["id", "team", "date", "q1", "q1_pts", "n", "c", "f", "t"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    // The reader does not recurse, and the evaluator grows its stack when it runs low:
    // no thread of its own is needed.
    {
        let rubric = data_rubric();
        let mut sink = Evaluating {
            rubric,
            evaluator: None,
            rows: 0,
        };
        let result = data::stream_from(&input[..], format, b',', &columns, "fuzz", &mut sink);
        match sink.evaluator {
            Some(e) => {
                let results = e.finish();
                assert!(results.summary.reconciles(), "{:?}", results.summary);
                assert_eq!(results.summary.read, sink.rows);
            }
            None => {
                assert_eq!(sink.rows, 0);
                assert!(result.is_err());
            }
        }
    }
}

/// [`DATA_RUBRIC`], compiled once.
fn data_rubric() -> &'static rubric_engine::Rubric {
    static RUBRIC: std::sync::OnceLock<rubric_engine::Rubric> = std::sync::OnceLock::new();
    RUBRIC.get_or_init(|| {
        on_cli_stack(|| {
            rubric_engine::compile(DATA_RUBRIC)
                .map_err(|d| d[0].message.clone())
                .expect("the fuzz rubric compiles")
                .rubric
        })
    })
}

/// A fuzz target.
pub type Target = fn(&[u8]);

/// The targets by name, for the replay driver.
pub const TARGETS: [(&str, Target); 4] = [
    ("parse", parse),
    ("check", check),
    ("fmt_roundtrip", fmt_roundtrip),
    ("csv_eval", csv_eval),
];
