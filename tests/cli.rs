//! The built `rubric` binary on bad and awkward input: every case ends with a
//! diagnostic or a plain message and exit code 0, 1 or 2, never a panic (101) or an
//! abort (134). Also the exit codes of each subcommand, `fmt` in place, and the RON
//! round trip of `compile` for every rubric in `rubrics/`.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{rubric, run_with, Run, RUBRIC};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// A small rubric with no findings.
const CLEAN: &str = r#"rubric demo {
  title "Demo"
  version "1"
}

scale 评价 {
  "好" => 100
  "差" => 0
}

record 回访 {
  id: id
  q1: 评价
  score 总分 {
    q1 100
  }
}

example "e" {
  given {
    | id | q1 |
    | r1 | 好 |
  }
  expect record r1 { 总分 = 100 }
}
"#;

/// A temporary directory holding the given files.
fn files(list: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in list {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Checks one file with the given bytes.
fn check_bytes(bytes: &[u8]) -> Run {
    let dir = files(&[("x.rubric", bytes)]);
    rubric(dir.path(), &["check", "x.rubric"])
}

// ------------------------------------------------------------------ bad input

#[test]
fn a_hundred_thousand_nested_brackets_are_refused() {
    // A thousand brackets per line: lines stay under limits::MAX_LINE_CHARS.
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let opens = format!("{}\n", open.repeat(1000)).repeat(100);
        let closes = format!("{}\n", close.repeat(1000)).repeat(100);
        let text = format!("rubric a {{}}\nrecord r {{\n  x = {opens}1{closes}\n}}\n");
        check_bytes(text.as_bytes()).exits(1).says("E-DEPTH");
        // Unclosed, too.
        let text = format!("rubric a {{}}\nrecord r {{\n  x = {opens}");
        check_bytes(text.as_bytes()).exits(1).says("E-DEPTH");
        // On one line, the line is too long before it is too deep.
        let text = format!("rubric a {{}}\nrecord r {{\n  x = {}", open.repeat(100_000));
        check_bytes(text.as_bytes())
            .exits(1)
            .says("E-LINE-TOO-LONG");
    }
}

#[test]
fn nesting_just_under_the_limit_parses() {
    // `record r {` is one level, so 63 brackets reach the limit of 64.
    let text = CLEAN.replace(
        "  q1: 评价\n",
        &format!(
            "  q1: 评价\n  x = {}1{}\n  y = {}1\n",
            "(".repeat(63),
            ")".repeat(63),
            "-".repeat(64)
        ),
    );
    check_bytes(text.as_bytes()).exits(0);
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let limit = rubric_syntax::limits::MAX_SOURCE_BYTES;
    let mut text = b"// ".to_vec();
    text.resize(limit + 1, b'a');
    check_bytes(&text).exits(1).says("E-SOURCE-TOO-LARGE");
    // Exactly at the limit is fine as far as size goes.
    text.truncate(limit);
    let run = check_bytes(&text);
    assert!(!run.stderr.contains("E-SOURCE-TOO-LARGE"), "{}", run.stderr);
    // A (sparse) 4 GiB file is refused after reading one byte over the limit.
    let dir = tempfile::tempdir().unwrap();
    let huge = std::fs::File::create(dir.path().join("huge.rubric")).unwrap();
    huge.set_len(4 << 30).unwrap();
    let started = std::time::Instant::now();
    rubric(dir.path(), &["check", "huge.rubric"])
        .exits(1)
        .says("E-SOURCE-TOO-LARGE");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// A golden case would be a megabyte; this one is written here (limits::MAX_TOKENS).
#[test]
fn a_million_tokens_are_refused_before_parsing() {
    let limit = rubric_syntax::limits::MAX_TOKENS;
    let line = ",".repeat(1000) + "\n";
    let mut text = "rubric a {}\n".to_string();
    text.push_str(&line.repeat(limit / 1000 + 1));
    let started = std::time::Instant::now();
    check_bytes(text.as_bytes())
        .exits(1)
        .says("E-TOO-MANY-TOKENS")
        .says(&format!("x.rubric:{}:", limit / 1000 + 1));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn invalid_utf8_is_an_encoding_error() {
    let mut bytes = b"// a comment with a bad byte: ".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\nrubric a {}\n");
    check_bytes(&bytes)
        .exits(1)
        .says("E-ENCODING")
        .says("offset 30");
}

#[test]
fn utf16_is_an_encoding_error() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "rubric a {}\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    check_bytes(&bytes)
        .exits(1)
        .says("E-ENCODING")
        .says("UTF-16");
    bytes[0] = 0xFE;
    bytes[1] = 0xFF;
    check_bytes(&bytes).exits(1).says("E-ENCODING");
}

#[test]
fn a_utf8_bom_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CLEAN.as_bytes());
    check_bytes(&bytes).exits(0);
    // A BOM alone is an empty rubric.
    check_bytes(b"\xEF\xBB\xBF").exits(1).says("E-EMPTY");
}

#[test]
fn crlf_and_lone_cr_line_ends_are_accepted() {
    check_bytes(CLEAN.replace('\n', "\r\n").as_bytes()).exits(0);
    check_bytes(CLEAN.replace('\n', "\r").as_bytes()).exits(0);
}

#[test]
fn nul_bytes_are_control_characters() {
    let text = CLEAN.replace("title \"Demo\"", "title \"De\0mo\"");
    check_bytes(text.as_bytes())
        .exits(1)
        .says("E-CONTROL-CHAR")
        .says("U+0000")
        .says("x.rubric:2:12");
}

#[test]
fn an_empty_file_is_a_finding() {
    check_bytes(b"").exits(1).says("E-EMPTY");
    check_bytes(b" \n\t\r\n").exits(1).says("E-EMPTY");
}

#[test]
fn a_directory_without_rubrics_is_a_usage_error() {
    let dir = files(&[("notes/readme.txt", b"not a rubric")]);
    rubric(dir.path(), &["check", "notes"])
        .exits(2)
        .says("no .rubric files in the directory `notes`");
    rubric(dir.path(), &["fmt", "notes"]).exits(2);
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = files(&[("ok.rubric", CLEAN.as_bytes())]);
    rubric(dir.path(), &["check", "missing.rubric"])
        .exits(2)
        .says("cannot read `missing.rubric`: no such file or directory");
    // The other files are still checked, and I/O beats findings.
    rubric(dir.path(), &["check", "missing.rubric", "ok.rubric"])
        .exits(2)
        .says("0 errors, 0 warnings in 1 file");
    rubric(dir.path(), &["fmt", "missing.rubric"]).exits(2);
    rubric(dir.path(), &["compile", "missing.rubric"]).exits(2);
}

#[test]
fn arguments_that_make_no_sense_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    rubric(dir.path(), &[]).exits(2);
    rubric(dir.path(), &["check"]).exits(2);
    rubric(dir.path(), &["frobnicate"]).exits(2);
    rubric(dir.path(), &["fmt", "--check", "--stdout", "x.rubric"]).exits(2);
    let help = rubric(dir.path(), &["check", "--help"]);
    help.exits(0);
    assert!(help.stdout.contains("Examples:"), "{}", help.stdout);
}

#[test]
fn too_many_diagnostics_are_capped() {
    let limit = rubric_syntax::limits::MAX_DIAGNOSTICS;
    let values: String = (0..limit + 10)
        .map(|i| format!("  v{i} = missing{i}\n"))
        .collect();
    let text = CLEAN.replace("  q1: 评价\n", &format!("  q1: 评价\n{values}"));
    let run = check_bytes(text.as_bytes());
    run.exits(1)
        .says("… and 10 more in x.rubric")
        .says(&format!("{} errors, 0 warnings in 1 file", limit + 10));
    assert_eq!(run.stderr.matches("E-UNKNOWN-NAME").count(), limit);
}

// ------------------------------------------------------------------ check

/// Runs `rubric check` on a pseudo-terminal (with util-linux `script`), with and
/// without `NO_COLOR`: colours appear only on the terminal, and never with NO_COLOR.
#[cfg(target_os = "linux")]
#[test]
fn colours_only_on_a_terminal_and_never_with_no_color() {
    let broken = CLEAN.replace("q1 100", "q2 100");
    let dir = files(&[("broken.rubric", broken.as_bytes())]);
    let on_terminal = |no_color: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("'{RUBRIC}' check broken.rubric"),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        cmd.output().ok().filter(|o| o.status.code() == Some(1))
    };
    let Some(coloured) = on_terminal(None) else {
        return; // no usable `script` here
    };
    let coloured = String::from_utf8_lossy(&coloured.stdout).into_owned();
    assert!(
        coloured.contains("\u{1b}["),
        "no colours on a terminal:\n{coloured}"
    );
    let plain = on_terminal(Some("1")).unwrap();
    let plain = String::from_utf8_lossy(&plain.stdout).into_owned();
    assert!(plain.contains("E-UNKNOWN-NAME"), "{plain}");
    assert!(
        !plain.contains("\u{1b}["),
        "colours despite NO_COLOR:\n{plain}"
    );
}

#[test]
fn check_exit_codes() {
    let warned = CLEAN.replace("scale 评价", "scale 旧 {\n  \"x\" => 1\n}\n\nscale 评价");
    let broken = CLEAN.replace("q1 100", "q2 100");
    let dir = files(&[
        ("clean.rubric", CLEAN.as_bytes()),
        ("warned.rubric", warned.as_bytes()),
        ("broken.rubric", broken.as_bytes()),
    ]);
    let d = dir.path();
    rubric(d, &["check", "clean.rubric"])
        .exits(0)
        .says("0 errors, 0 warnings in 1 file");
    rubric(d, &["check", "warned.rubric"])
        .exits(0)
        .says("W-UNUSED-SCALE");
    rubric(d, &["check", "--deny-warnings", "warned.rubric"]).exits(1);
    rubric(d, &["check", "--deny-warnings", "clean.rubric"]).exits(0);
    rubric(d, &["check", "broken.rubric", "clean.rubric"])
        .exits(1)
        .says("1 error, 0 warnings in 2 files");
    rubric(d, &["check", "."])
        .exits(1)
        .says("1 error, 1 warning in 3 files");
}

#[test]
fn directories_are_searched_recursively_in_order() {
    let dir = files(&[
        ("set/b.rubric", b"rubric b {"),
        ("set/a/c.rubric", b"rubric c {"),
        ("set/a.rubric", b"rubric a {"),
        ("set/.hidden/d.rubric", b"rubric d {"),
        ("set/notes.txt", b"rubric e {"),
    ]);
    let run = rubric(dir.path(), &["check", "set"]);
    run.exits(1).says("3 errors, 0 warnings in 3 files");
    // Sorted by path components: the directory `a` comes before the file `a.rubric`.
    let order: Vec<usize> = ["set/a/c.rubric:", "set/a.rubric:", "set/b.rubric:"]
        .iter()
        .map(|f| run.stderr.find(f).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", run.stderr);
}

#[test]
fn a_dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    run_with(dir.path(), &["check", "-"], Some(CLEAN.as_bytes())).exits(0);
    run_with(dir.path(), &["check", "-"], Some(b"rubric a {"))
        .exits(1)
        .says("<stdin>:1:11");
}

/// `rubric check` prints exactly what the golden snapshots show.
#[test]
fn check_prints_what_the_golden_cases_show() {
    let golden = common::root().join("tests/golden");
    for path in common::check_cases() {
        let name = format!("check/{}", path.file_name().unwrap().to_string_lossy());
        let outcome = common::check(&std::fs::read(&path).unwrap());
        let expected = outcome.rendered(&name);
        let expected = expected.strip_prefix("ok\n\n").unwrap_or(&expected);
        let run = rubric(&golden, &["check", &name]);
        assert!(
            run.stderr.starts_with(expected),
            "{name}: the CLI shows\n{}\nbut the golden test renders\n{expected}",
            run.stderr
        );
    }
}

// ------------------------------------------------------------------ fmt

/// CLEAN with its layout disturbed.
fn messy() -> String {
    CLEAN
        .replace("  q1: 评价", "q1:评价")
        .replace("=> 100", "=>100")
}

#[test]
fn fmt_check_lists_files_that_would_change() {
    let messy = messy();
    let dir = files(&[
        ("clean.rubric", CLEAN.as_bytes()),
        ("messy.rubric", messy.as_bytes()),
    ]);
    let d = dir.path();
    let run1 = rubric(d, &["fmt", "--check", "clean.rubric"]);
    run1.exits(0);
    assert_eq!(run1.stdout, "");
    let run2 = rubric(d, &["fmt", "--check", "."]);
    run2.exits(1).says("1 of 2 files would be reformatted");
    assert_eq!(run2.stdout.trim(), "./messy.rubric");
    assert_eq!(
        std::fs::read_to_string(d.join("messy.rubric")).unwrap(),
        messy
    );
}

#[test]
fn fmt_writes_only_files_that_change() {
    let dir = files(&[
        ("clean.rubric", CLEAN.as_bytes()),
        ("messy.rubric", messy().as_bytes()),
    ]);
    let d = dir.path();
    let before = identity(&d.join("clean.rubric"));
    rubric(d, &["fmt", "."])
        .exits(0)
        .says("formatted 1 of 2 files");
    assert_eq!(
        std::fs::read_to_string(d.join("messy.rubric")).unwrap(),
        CLEAN
    );
    assert_eq!(
        identity(&d.join("clean.rubric")),
        before,
        "clean.rubric was rewritten"
    );
    rubric(d, &["fmt", "--check", "."]).exits(0);
    let leftovers: Vec<PathBuf> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension() != Some(std::ffi::OsStr::new("rubric")))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// What changes when a file is replaced rather than left alone.
#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[cfg(not(unix))]
fn identity(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn fmt_leaves_a_file_that_does_not_parse_untouched() {
    let broken = "rubric a {\n  title   \"x\"\n  version\n";
    let dir = files(&[("broken.rubric", broken.as_bytes())]);
    let d = dir.path();
    rubric(d, &["fmt", "broken.rubric"])
        .exits(1)
        .says("E-UNEXPECTED-EOF");
    rubric(d, &["fmt", "--check", "broken.rubric"]).exits(1);
    assert_eq!(
        std::fs::read_to_string(d.join("broken.rubric")).unwrap(),
        broken
    );
}

#[test]
fn fmt_stdout_and_stdin_write_no_file() {
    let messy = messy();
    let dir = files(&[("messy.rubric", messy.as_bytes())]);
    let d = dir.path();
    let printed = rubric(d, &["fmt", "--stdout", "messy.rubric"]);
    printed.exits(0);
    assert_eq!(printed.stdout, CLEAN);
    assert_eq!(
        std::fs::read_to_string(d.join("messy.rubric")).unwrap(),
        messy
    );
    let piped = run_with(d, &["fmt", "-"], Some(messy.as_bytes()));
    piped.exits(0);
    assert_eq!(piped.stdout, CLEAN);
    let checked = run_with(d, &["fmt", "--check", "-"], Some(messy.as_bytes()));
    checked.exits(1);
    assert_eq!(checked.stdout.trim(), "<stdin>");
}

#[test]
fn fmt_drops_the_bom_and_crlf() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CLEAN.replace('\n', "\r\n").as_bytes());
    let dir = files(&[("x.rubric", &bytes)]);
    rubric(dir.path(), &["fmt", "--check", "x.rubric"]).exits(1);
    rubric(dir.path(), &["fmt", "x.rubric"]).exits(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x.rubric")).unwrap(),
        CLEAN
    );
}

#[test]
fn a_closed_stdout_is_a_quiet_exit() {
    // Enough output to fill any pipe buffer.
    let copies: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| (format!("r{i:03}.rubric"), CLEAN.as_bytes().to_vec()))
        .collect();
    let list: Vec<(&str, &[u8])> = copies
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = files(&list);
    let mut child = Command::new(RUBRIC)
        .args(["fmt", "--stdout", "."])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

// ------------------------------------------------------------------ compile

#[test]
fn compile_writes_ron_beside_the_input_and_it_loads_back() {
    let dir = files(&[("demo.rubric", CLEAN.as_bytes())]);
    let d = dir.path();
    rubric(d, &["compile", "demo.rubric"])
        .exits(0)
        .says("wrote demo.ron");
    let ron = std::fs::read_to_string(d.join("demo.ron")).unwrap();
    let loaded = rubric_engine::from_ron(&ron).unwrap();
    let compiled = rubric_engine::compile(CLEAN).unwrap().rubric;
    assert_eq!(loaded, compiled);
    assert_eq!(
        rubric_engine::to_ron(&loaded).unwrap().trim_end(),
        ron.trim_end()
    );
}

#[test]
fn compile_output_options() {
    let dir = files(&[("demo.rubric", CLEAN.as_bytes())]);
    let d = dir.path();
    let printed = rubric(d, &["compile", "demo.rubric", "-o", "-"]);
    printed.exits(0);
    assert!(rubric_engine::from_ron(&printed.stdout).is_ok());
    assert!(!d.join("demo.ron").exists());
    rubric(d, &["compile", "demo.rubric", "-o", "out.ron"]).exits(0);
    assert!(d.join("out.ron").exists());
    let piped = run_with(d, &["compile", "-"], Some(CLEAN.as_bytes()));
    piped.exits(0);
    assert!(rubric_engine::from_ron(&piped.stdout).is_ok());
    rubric(d, &["compile", "demo.rubric", "-o", "demo.rubric"])
        .exits(2)
        .says("is the input");
    rubric(d, &["compile", "demo.rubric", "-o", "no/such/dir/x.ron"])
        .exits(2)
        .says("cannot write");
    rubric(d, &["compile", "."]).exits(2).says("is a directory");
}

#[test]
fn compile_with_findings_writes_nothing() {
    let broken = CLEAN.replace("q1 100", "q2 100");
    let warned = CLEAN.replace("scale 评价", "scale 旧 {\n  \"x\" => 1\n}\n\nscale 评价");
    let dir = files(&[
        ("broken.rubric", broken.as_bytes()),
        ("warned.rubric", warned.as_bytes()),
    ]);
    let d = dir.path();
    rubric(d, &["compile", "broken.rubric"])
        .exits(1)
        .says("E-UNKNOWN-NAME");
    assert!(!d.join("broken.ron").exists());
    rubric(d, &["compile", "--deny-warnings", "warned.rubric"]).exits(1);
    assert!(!d.join("warned.ron").exists());
    rubric(d, &["compile", "warned.rubric"])
        .exits(0)
        .says("W-UNUSED-SCALE");
    assert!(d.join("warned.ron").exists());
}

/// Every shipped rubric compiles, and its RON loads back to the same model.
#[test]
fn every_shipped_rubric_round_trips_through_ron() {
    let rubrics = common::root().join("rubrics");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&rubrics)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rubric"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let out = tempfile::tempdir().unwrap();
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let ron_path = out.path().join(format!("{stem}.ron"));
        rubric(
            &rubrics,
            &[
                "compile",
                path.to_str().unwrap(),
                "-o",
                ron_path.to_str().unwrap(),
            ],
        )
        .exits(0);
        let ron = std::fs::read_to_string(&ron_path).unwrap();
        let loaded = rubric_engine::from_ron(&ron)
            .unwrap_or_else(|d| panic!("{stem}.ron does not load: {}", d.message));
        let source = std::fs::read_to_string(&path).unwrap();
        let compiled = rubric_engine::compile(&source).unwrap().rubric;
        assert_eq!(loaded, compiled, "{stem}: the RON form lost something");
        assert_eq!(
            rubric_engine::to_ron(&loaded).unwrap().trim_end(),
            ron.trim_end(),
            "{stem}: RON → model → RON is not the identity"
        );
    }
}

#[test]
fn ron_that_is_not_a_rubric_is_refused() {
    for text in ["", "(", "Rubric(format: 1)", &"[".repeat(10_000)] {
        let d = rubric_engine::from_ron(text).unwrap_err();
        assert_eq!(d.code, "E-RON", "{text:.20}");
    }
}

#[test]
fn ron_of_another_format_version_is_refused() {
    let rubric = rubric_engine::compile(CLEAN).unwrap().rubric;
    let ron = rubric_engine::to_ron(&rubric).unwrap();
    assert!(ron.contains("format: 1,"), "{ron:.200}");
    let future = ron.replacen("format: 1,", "format: 999,", 1);
    let d = rubric_engine::from_ron(&future).unwrap_err();
    assert_eq!(d.code, "E-RON-VERSION");
    assert!(d.message.contains("999"), "{}", d.message);
}

/// What `rubric eval` wrote: exit code, then tables, rejects, records and messages.
type Outputs = (Option<i32>, [Vec<u8>; 4]);

/// Runs `rubric eval` in `dir` with every output file.
fn eval_outputs(dir: &Path, extra: &[&str]) -> Outputs {
    for f in ["out.json", "rejects.csv", "records.csv"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let out = Command::new(RUBRIC)
        .args([
            "eval", "r.rubric", "d.csv", "--format", "json", "-o", "out.json",
        ])
        .args(["--rejects", "rejects.csv", "--records", "records.csv"])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    (
        out.status.code(),
        [
            read("out.json"),
            read("rejects.csv"),
            read("records.csv"),
            out.stderr,
        ],
    )
}

/// `--threads N` cuts a CSV file into shares at line starts. A cut that falls inside
/// a quoted field (here, one holding hundreds of line breaks in the middle of the
/// file, with CRLF line ends, a BOM, blank lines and a quote left open at the end)
/// is caught by the share before it, which reads on: every output is the same as one
/// thread's, byte for byte, row and line numbers included.
#[test]
fn threads_give_one_threads_output_even_when_a_cut_falls_in_a_quoted_field() {
    let mut csv = String::from("\u{feff}id,q1\r\n");
    for i in 0..600 {
        let answer = ["好", "差", "中"][i % 3];
        match i {
            300 => csv.push_str(&format!("\"r{i}\r\n{}\",好\r\n", "行\r\n".repeat(400))),
            _ if i % 50 == 0 => csv.push_str(&format!("\r\nr{i},{answer}\r\n")),
            _ => csv.push_str(&format!("r{i},{answer}\r\n")),
        }
    }
    // And a last record whose quote is never closed, over three lines.
    csv.push_str("r600,\"好\r\nmore\r\nlines\r\n");
    let dir = files(&[("r.rubric", CLEAN.as_bytes()), ("d.csv", csv.as_bytes())]);
    let one = eval_outputs(dir.path(), &[]);
    let summary = String::from_utf8_lossy(&one.1[3]).into_owned();
    assert_eq!(one.0, Some(1), "{summary}");
    let rejects = String::from_utf8_lossy(&one.1[1]).into_owned();
    assert!(rejects.contains("E-UNTERMINATED-QUOTE"), "{rejects}");
    assert!(
        summary
            .contains("read 601 · scored 400 · excluded 0 · rejected 201 · 11 blank lines skipped"),
        "{summary}"
    );
    for n in ["2", "3", "8"] {
        assert_eq!(
            one,
            eval_outputs(dir.path(), &["--threads", n]),
            "--threads {n}"
        );
    }
}

/// An aggregate that cannot take a record's value names that record's row in its
/// note; with `--threads`, rows in later shares of the file are numbered from the
/// start of the file all the same.
#[test]
fn aggregate_failures_name_the_files_row_on_any_number_of_threads() {
    let rubric = r#"rubric aggfail {
  title "t"
  version "1"
}

record r {
  id: id
  team: key
  n: number
  x = n
}

group 团队 by team {
  total = sum(x * x)
}
"#;
    let mut csv = String::from("id,team,n\n");
    for i in 1..=3000 {
        let n = if i == 2500 { "1000000000000000" } else { "2" };
        csv.push_str(&format!("r{i},t{},{n}\n", i % 2));
    }
    let dir = files(&[("r.rubric", rubric.as_bytes()), ("d.csv", csv.as_bytes())]);
    for threads in ["1", "3"] {
        let out = Command::new(RUBRIC)
            .args(["eval", "r.rubric", "d.csv", "--threads", threads])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("1 record(s) could not be aggregated; first: aggregate #1: row 2500:"),
            "--threads {threads}:\n{text}"
        );
    }
}
