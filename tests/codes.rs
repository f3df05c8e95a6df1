//! Every diagnostic code has a golden case and a docs entry (ARCHITECTURE.md,
//! invariant 5). The codes are collected at test time from the string literals of the
//! files where diagnostics are constructed, so a new code fails this test until it is
//! covered by `tests/golden/check/` and described in `docs/diagnostics.md`.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

/// Where compile-time diagnostics are constructed: one `errors.rs` per crate, and the
/// RON loader.
const SOURCES: [&str; 3] = [
    "crates/rubric-syntax/src/errors.rs",
    "crates/rubric-engine/src/errors.rs",
    "crates/rubric-engine/src/compile.rs",
];

/// Codes no `.rubric` text can produce, and the test in `tests/cli.rs` that covers
/// each instead (or, for codes nothing can produce on purpose, why).
const EXEMPT: [(&str, Cover); 8] = [
    ("E-ENCODING", Cover::Cli("invalid_utf8_is_an_encoding_error")),
    ("E-TOO-MANY-TOKENS", Cover::Cli("a_million_tokens_are_refused_before_parsing")),
    ("E-CONTROL-CHAR", Cover::Cli("nul_bytes_are_control_characters")),
    ("E-SOURCE-TOO-LARGE", Cover::Cli("an_oversized_file_is_refused_before_it_is_read")),
    ("E-RON", Cover::Cli("ron_that_is_not_a_rubric_is_refused")),
    ("E-RON-VERSION", Cover::Cli("ron_of_another_format_version_is_refused")),
    (
        "E-INTERNAL",
        Cover::Unreachable("reports a parser bug: a grammar rule without the parts the tree builder expects"),
    ),
    (
        "E-PARSE-BUDGET",
        Cover::Unreachable("the call budget (20 000 parser calls per byte, at least 10 million) is far above what the left-factored grammar needs within the 8 MiB source limit"),
    ),
];

#[derive(Clone, Copy, Debug)]
enum Cover {
    /// The name of a test function in `tests/cli.rs`.
    Cli(&'static str),
    /// Why no test can produce it.
    Unreachable(&'static str),
}

/// The `"E-…"` and `"W-…"` string literals of a source file: a quote, the code in
/// capitals, digits and hyphens, and a closing quote.
fn literals(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices('"') {
        let rest = text.get(at + 1..).unwrap_or("");
        if !(rest.starts_with("E-") || rest.starts_with("W-")) {
            continue;
        }
        let code: String = rest
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if code.len() > 2 && rest.get(code.len()..).is_some_and(|r| r.starts_with('"')) {
            out.insert(code);
        }
    }
    out
}

fn codes() -> BTreeSet<String> {
    let root = common::root();
    let mut all = BTreeSet::new();
    for file in SOURCES {
        let text = std::fs::read_to_string(root.join(file))
            .unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        all.extend(literals(&text));
    }
    assert!(
        all.len() > 40,
        "found only {all:?}: has the layout changed?"
    );
    all
}

/// Codes produced by the golden check cases, with the first case producing each.
fn produced() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for path in common::check_cases() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for code in common::check(&bytes).codes() {
            out.entry(code.to_string()).or_insert_with(|| name.clone());
        }
    }
    out
}

#[test]
fn every_code_has_a_golden_case_or_a_cli_test() {
    let produced = produced();
    let exempt: BTreeMap<&str, Cover> = EXEMPT.into_iter().collect();
    let cli = std::fs::read_to_string(common::root().join("tests/cli.rs")).unwrap();
    let mut missing = Vec::new();
    for code in codes() {
        if produced.contains_key(&code) {
            continue;
        }
        match exempt.get(code.as_str()) {
            Some(Cover::Cli(test)) => assert!(
                cli.contains(&format!("fn {test}()")),
                "{code} is said to be covered by tests/cli.rs::{test}, which does not exist"
            ),
            Some(Cover::Unreachable(why)) => assert!(!why.is_empty(), "{code}: say why"),
            None => missing.push(code),
        }
    }
    assert!(
        missing.is_empty(),
        "no case in tests/golden/check/ produces {missing:?}: add one (start it with `// expect: CODE`)"
    );
}

#[test]
fn the_exemption_table_names_real_codes() {
    let codes = codes();
    for (code, _) in EXEMPT {
        assert!(
            codes.contains(code),
            "{code} is exempt but no longer exists"
        );
    }
}

#[test]
fn expect_headers_name_real_codes() {
    let codes = codes();
    for path in common::check_cases() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for code in common::expected_codes(&text) {
            assert!(
                codes.contains(&code),
                "{} expects {code}, which no diagnostic has",
                path.display()
            );
        }
    }
}

#[test]
fn every_code_has_a_docs_entry() {
    let docs = std::fs::read_to_string(common::root().join("docs/diagnostics.md")).unwrap();
    let headings: BTreeSet<String> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(|h| h.trim().trim_matches('`').to_string())
        .collect();
    let missing: Vec<String> = codes()
        .into_iter()
        .filter(|c| !headings.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/diagnostics.md has no `### CODE` entry for {missing:?}"
    );
}
