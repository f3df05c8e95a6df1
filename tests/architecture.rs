//! The architecture invariants of ARCHITECTURE.md that a test can hold the code to:
//! the syntax crate stands alone and does no I/O, the engine does no I/O, and parsing,
//! checking and rendering never panic, whatever the text.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use proptest::prelude::*;
use std::path::Path;

/// Paths of the `.rs` files under `dir`, test modules excluded.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// Asserts that no source file of `krate` reaches the file system, the network,
/// processes, the environment or the terminal.
fn does_no_io(krate: &str) {
    let mut files = Vec::new();
    sources(&common::root().join(krate).join("src"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for banned in [
            "std::fs",
            "std::io",
            "std::net",
            "std::process",
            "std::env",
            "println!",
            "eprintln!",
            "print!(",
            "eprint!(",
            "dbg!(",
        ] {
            assert!(
                !text.contains(banned),
                "{} uses {banned}: only rubric-cli does I/O",
                file.display()
            );
        }
    }
}

/// The workspace crates a manifest depends on, in any dependency table.
fn workspace_dependencies(krate: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(common::root().join(krate).join("Cargo.toml")).unwrap();
    let mut in_dependencies = false;
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line.contains("dependencies");
        } else if in_dependencies && line.starts_with("rubric-") {
            found.extend(line.split(['.', ' ', '=']).next().map(str::to_string));
        }
    }
    found
}

#[test]
fn the_syntax_crate_depends_on_nothing_in_the_workspace() {
    assert_eq!(
        workspace_dependencies("crates/rubric-syntax"),
        Vec::<String>::new()
    );
}

#[test]
fn the_engine_depends_on_the_syntax_crate_only() {
    assert_eq!(
        workspace_dependencies("crates/rubric-engine"),
        ["rubric-syntax"]
    );
}

#[test]
fn the_syntax_crate_does_no_io() {
    does_no_io("crates/rubric-syntax");
}

#[test]
fn the_engine_does_no_io() {
    does_no_io("crates/rubric-engine");
}

/// A compiled rubric can be shared between threads (compile once, evaluate many).
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<rubric_engine::Rubric>();
};

#[test]
fn one_compiled_rubric_serves_many_threads() {
    let source =
        std::fs::read_to_string(common::root().join("rubrics/dealer-sales-callback.rubric"))
            .unwrap();
    let rubric = rubric_engine::compile(&source).unwrap().rubric;
    let expected = rubric_engine::to_ron(&rubric).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(rubric_engine::to_ron(&rubric).unwrap(), expected));
        }
    });
}

/// Small pieces of rubric text, well- and ill-formed, to splice into the cases.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "=>",
    "|",
    "..",
    "%",
    ",",
    ":",
    "=",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "好",
    "👍",
    "\u{200d}",
    "\u{feff}",
    "0",
    "-1",
    "100",
    "1e9",
    "0.00000000000000000000000000001",
    "79228162514264337593543950336",
    "not ",
    "if ",
    "then ",
    "else ",
    "and ",
    "or ",
    "is ",
    "in ",
    "blank",
    "mean(",
    "count(",
    "grade(",
    "rated 0..25",
    "ordered",
    "by ratio",
    "by percent",
    "per month",
    "if empty \"x\"",
    "score s {",
    "record r {",
    "group g by k {",
    "example \"e\" {",
    "| a | b |",
];

/// An edit: delete a range of characters, or insert a piece, at a relative position.
#[derive(Clone, Debug)]
enum Edit {
    Delete(f64, usize),
    Insert(f64, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0f64, 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (0.0..1.0f64, 0..PIECES.len()).prop_map(|(at, p)| Edit::Insert(at, p)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |f: f64| ((chars.len() as f64) * f) as usize;
    match *edit {
        Edit::Delete(f, n) => {
            let start = at(f).min(chars.len());
            let end = (start + n).min(chars.len());
            chars[..start].iter().chain(&chars[end..]).collect()
        }
        Edit::Insert(f, p) => {
            let i = at(f).min(chars.len());
            let mut out: String = chars[..i].iter().collect();
            out.push_str(PIECES[p]);
            out.extend(&chars[i..]);
            out
        }
    }
}

/// Compiles and renders on a thread with the CLI's stack, so that the test measures
/// panics, not the test harness's small thread stacks.
fn compile_and_render(text: String) -> Result<(), String> {
    std::panic::catch_unwind(|| {
        let outcome = common::check(text.as_bytes());
        outcome.rendered("case.rubric");
    })
    .map_err(|_| "checking or rendering panicked".to_string())?;
    common::on_cli_stack(move || {
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Parsing, checking, rendering and formatting never panic on a golden case
    /// with random edits, and formatting keeps the meaning of what parses.
    #[test]
    fn edited_cases_never_panic(case in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let cases = common::check_cases();
        let path = case.get(&cases);
        let mut text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        for e in &edits {
            text = apply(&text, e);
        }
        let result = compile_and_render(text.clone());
        prop_assert!(result.is_ok(), "{}: {:?}\n{}", path.display(), result, text);
    }

    /// The same for arbitrary text.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let result = compile_and_render(text.clone());
        prop_assert!(result.is_ok(), "{:?}\n{}", result, text);
    }
}
