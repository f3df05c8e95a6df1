//! The documentation shows what the tool does: the tour in README.md is run, and its
//! output compared with what `rubric check` prints.

// Tests state their expectations with unwrap, expect, panic and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

/// The text of the first fenced block after `marker` (the block opened by
/// `fence`), without the fence lines.
fn block<'a>(text: &'a str, fence: &str) -> &'a str {
    let start = text.find(fence).expect("fence") + fence.len();
    let start = start + text[start..].find('\n').unwrap() + 1;
    let end = start + text[start..].find("\n```").unwrap() + 1;
    &text[start..end]
}

#[test]
fn the_readme_tour_shows_real_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let rubric = block(&readme, "```rubric");
    let shown = block(&readme, "$ rubric check welfare.rubric");
    let shown = format!("$ rubric check welfare.rubric\n{shown}");
    let outcome = common::check(rubric.as_bytes());
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let expected = format!(
        "$ rubric check welfare.rubric\n{}{errors} error{}, 0 warnings in 1 file\n",
        outcome.rendered("welfare.rubric"),
        if errors == 1 { "" } else { "s" }
    );
    assert_eq!(shown, expected, "README.md's tour is out of date");

    // "Write `[12, 18)` and it passes", and the rubric is formatted.
    let fixed = rubric.replace("[12, 17]", "[12, 18)");
    assert!(common::check(fixed.as_bytes()).compiled);
    let tree = rubric_syntax::parse(rubric).unwrap();
    assert_eq!(
        rubric_syntax::format(&tree, rubric),
        rubric,
        "the tour's rubric is not formatted"
    );
}
