//! Golden cases: every `tests/golden/check/<name>.rubric` is checked as `rubric check`
//! would, and its rendered diagnostics (or "ok" and its warnings) are compared with
//! `tests/golden/check/snapshots/`; every `tests/golden/fmt/<name>.rubric` is
//! formatted and compared with `tests/golden/fmt/snapshots/`, and must format to
//! itself again. A case may start with `// expect: E-CODE` lines naming codes it
//! must produce.
//!
//! To regenerate after an intended change: `cargo insta test -p rubric-cli --test
//! golden` then `cargo insta review` (or `INSTA_UPDATE=always cargo test -p
//! rubric-cli --test golden` and read the diff in git).

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

/// The name a case is shown under: its path below `tests/golden/`, with `/`.
fn case_name(path: &Path) -> String {
    let golden = common::root().join("tests/golden");
    let golden = golden.canonicalize().unwrap_or(golden);
    let rel = path.strip_prefix(&golden).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn check() {
    insta::glob!("golden/check/*.rubric", |path| {
        let bytes = std::fs::read(path).unwrap();
        let name = case_name(path);
        let outcome = common::check(&bytes);
        let codes = outcome.codes();
        for code in common::expected_codes(&String::from_utf8_lossy(&bytes)) {
            assert!(
                codes.contains(&code.as_str()),
                "{name} should produce {code}, but produced {codes:?}"
            );
        }
        insta::with_settings!({
            snapshot_path => "golden/check/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(outcome.rendered(&name));
        });
    });
}

/// The formatted text of a case, after checking that formatting keeps its meaning
/// and is idempotent.
fn formatted(name: &str, bytes: &[u8]) -> String {
    let text = rubric_syntax::decode(bytes).unwrap_or_else(|d| panic!("{name}: {}", d.message));
    let tree = rubric_syntax::parse(&text)
        .unwrap_or_else(|ds| panic!("{name} does not parse: {}", ds[0].message));
    let once = rubric_syntax::format(&tree, &text);
    let again_tree = rubric_syntax::parse(&once)
        .unwrap_or_else(|ds| panic!("formatted {name} does not parse: {}", ds[0].message));
    assert_eq!(again_tree, tree, "{name}: formatting changed the meaning");
    let twice = rubric_syntax::format(&again_tree, &once);
    assert_eq!(twice, once, "{name}: formatting is not idempotent");
    once
}

#[test]
fn fmt() {
    insta::glob!("golden/fmt/*.rubric", |path| {
        let name = case_name(path);
        let bytes = std::fs::read(path).unwrap();
        let once = {
            let name = name.clone();
            common::on_cli_stack(move || formatted(&name, &bytes))
        };
        insta::with_settings!({
            snapshot_path => "golden/fmt/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(once);
        });
    });
}
