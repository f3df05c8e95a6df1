//! Hard limits on rubric sources, each enforced before the work it protects
//! (`docs/limits.md` lists them with their diagnostic codes).

/// Largest source file, in bytes (`E-SOURCE-TOO-LARGE`).
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

/// Deepest nesting of `(`, `[` and `{`, and longest run of prefix operators (`E-DEPTH`).
pub const MAX_DEPTH: usize = 64;

/// Longest identifier, in characters (`E-IDENT-TOO-LONG`).
pub const MAX_IDENT_CHARS: usize = 128;

/// Longest line, in characters (`E-LINE-TOO-LONG`). Checked before parsing. It keeps
/// every column a diagnostic can point at below what the renderer can draw (miette
/// panics on a column past 65 535, reliability.md B3; a tab is drawn 4 columns wide),
/// and a snippet to a few pages.
pub const MAX_LINE_CHARS: usize = 16_000;

/// Leading spaces and tabs a line may carry beyond [`MAX_LINE_CHARS`]: more than the
/// formatter ever indents (2 per level, 64 levels), few enough that a tab-indented
/// line still renders.
pub const FREE_INDENT: usize = 256;

/// Longest quoted string or table cell, in characters (`E-TEXT-TOO-LONG`).
pub const MAX_TEXT_CHARS: usize = 4096;

/// Most tokens in one source (`E-TOO-MANY-TOKENS`): names, numbers, quoted texts and
/// punctuation, comments not counted. Counted by a scan before parsing: the parser's
/// tree and the syntax tree take a few hundred bytes per token, so this bounds their
/// memory (about 250 MB at the limit) where the size limit alone would allow 8 million
/// tokens and 2 GB.
pub const MAX_TOKENS: usize = 1_000_000;

/// Most entries in one block or list: the items of a file, record, scale, score, group
/// or example, the rows and cells of an example table, the labels of a row, the
/// arguments of a call, the terms of one chain of operators (`E-TOO-MANY-ITEMS`).
/// Checked on the parse tree before the syntax tree is built, so the tree builder and
/// the checker never see a block this long.
pub const MAX_ITEMS: usize = 4096;

/// Most diagnostics reported for one file; the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 50;

/// pest's call budget for a source of `bytes` bytes: generous for any real rubric,
/// small enough to stop pathological backtracking quickly (reliability.md A3).
pub fn call_budget(bytes: usize) -> usize {
    bytes.saturating_mul(20_000).max(10_000_000)
}

/// Recursive passes over expressions (parsing, checking, formatting, evaluating) grow
/// their stack by [`STACK_GROWTH`] when fewer than [`STACK_RED_ZONE`] bytes are left,
/// so the depth limit holds on any thread, whatever its stack size.
pub const STACK_RED_ZONE: usize = 64 * 1024;

/// See [`STACK_RED_ZONE`].
pub const STACK_GROWTH: usize = 1024 * 1024;

/// Runs a step of a recursive pass with enough stack (see [`STACK_RED_ZONE`]).
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, f)
}
