//! The line printer: indentation, blank lines and comment placement.
//!
//! Comments are placed in source order by a cursor that only moves forward, so every
//! comment is printed exactly once and in the order written:
//! - a comment that follows the end of a line on the same source line (only blanks in
//!   between) is printed at the end of that output line, after two spaces;
//! - every other comment is printed on its own line before the next line printed (a
//!   statement, a row, or a block's closing `}`), at that line's indentation. Comments
//!   inside a statement therefore move before it; comments in a block's head (before
//!   its `{`) move before the block.
//!
//! Blank lines: inside a block, one blank line is kept where the source had at least
//! one between two printed lines, never after `{` nor before `}`. At the top level,
//! items are always separated by one blank line.

use crate::ast::{Cell, Comment, Span};

/// Builds the formatted text line by line.
pub(super) struct Printer<'a> {
    src: &'a str,
    comments: &'a [Comment],
    /// The next comment to place.
    next: usize,
    lines: Vec<String>,
    depth: usize,
    /// Where the last printed thing ended in the source; `None` right after `{`.
    prev_end: Option<usize>,
    /// The next line gets a blank line before it, whatever the source had.
    force_blank: bool,
}

impl<'a> Printer<'a> {
    /// A printer for a file whose text is `src` and comments are `comments`.
    pub(super) fn new(src: &'a str, comments: &'a [Comment]) -> Self {
        Printer {
            src,
            comments,
            next: 0,
            lines: Vec::new(),
            depth: 0,
            prev_end: None,
            force_blank: false,
        }
    }

    /// The text: every remaining comment, then a final newline.
    pub(super) fn finish(mut self) -> String {
        self.depth = 0;
        self.own_line_comments_before(usize::MAX);
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    /// Separates the next top-level item (or the comments before it) by a blank line.
    pub(super) fn separate_item(&mut self) {
        self.force_blank = !self.lines.is_empty();
    }

    /// A one-line statement written at `span`.
    pub(super) fn leaf(&mut self, span: Span, text: String) {
        let end = self.effective_end(span);
        self.own_line_comments_before(end);
        self.separate(span.start);
        self.push(text);
        self.prev_end = Some(end);
        self.trailing(end);
    }

    /// A block `head { … }` written at `span`; `body` prints its children one level
    /// deeper. A block with no children and no comments inside prints as `head {}`.
    pub(super) fn block(
        &mut self,
        span: Span,
        head: String,
        has_children: bool,
        body: impl FnOnce(&mut Self),
    ) {
        let end = self.effective_end(span);
        let close = end.saturating_sub(1);
        let brace = self.open_brace(span).unwrap_or(span.start);
        self.own_line_comments_before(brace);
        self.separate(span.start);
        if !has_children && !self.comment_before(close) {
            self.push(format!("{head} {{}}"));
        } else {
            self.push(format!("{head} {{"));
            self.trailing(brace.saturating_add(1));
            self.depth = self.depth.saturating_add(1);
            self.prev_end = None;
            body(self);
            self.own_line_comments_before(close);
            self.depth = self.depth.saturating_sub(1);
            self.push("}".to_string());
        }
        self.prev_end = Some(end);
        self.trailing(end);
    }

    /// Where a table row was written: its first cell to its closing `|`.
    pub(super) fn row_span(&self, row: &[Cell]) -> Span {
        let start = row.first().map_or(0, |c| c.span.start);
        let last_end = row.last().map_or(start, |c| c.span.end);
        let end = self
            .src
            .get(last_end..)
            .and_then(|rest| {
                let after = rest.trim_start_matches(is_blank);
                let pipe = last_end.saturating_add(rest.len().saturating_sub(after.len()));
                after.starts_with('|').then_some(pipe.saturating_add(1))
            })
            .unwrap_or(last_end);
        Span::new(start, end)
    }

    fn push(&mut self, text: String) {
        let line = format!("{}{}", "  ".repeat(self.depth), text);
        self.lines
            .push(line.trim_end_matches([' ', '\t']).to_string());
    }

    /// Prints a blank line before the next line when one is due.
    fn separate(&mut self, start: usize) {
        let had_blank = self
            .prev_end
            .and_then(|p| self.src.get(p..start))
            .is_some_and(|gap| line_breaks(gap) >= 2);
        if (self.force_blank || had_blank) && !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.force_blank = false;
    }

    /// Prints, each on its own line, the comments that start before `pos`.
    fn own_line_comments_before(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start >= pos {
                break;
            }
            self.separate(c.span.start);
            self.push(c.text.trim_end().to_string());
            self.prev_end = Some(c.span.end);
            self.next = self.next.saturating_add(1);
        }
    }

    /// Appends the next comment to the last line when it follows `end` on the same
    /// source line with only blanks in between.
    fn trailing(&mut self, end: usize) {
        let Some(c) = self.comments.get(self.next) else {
            return;
        };
        let same_line = c.span.start >= end
            && self
                .src
                .get(end..c.span.start)
                .is_some_and(|gap| gap.chars().all(is_blank));
        if !same_line {
            return;
        }
        if let Some(last) = self.lines.last_mut() {
            last.push_str("  ");
            last.push_str(c.text.trim_end());
        }
        self.prev_end = Some(c.span.end);
        self.next = self.next.saturating_add(1);
    }

    fn comment_before(&self, pos: usize) -> bool {
        matches!(self.comments.get(self.next), Some(c) if c.span.start < pos)
    }

    /// The end of `span` without the whitespace and comments pest counts into it.
    fn effective_end(&self, span: Span) -> usize {
        let mut end = span.end.min(self.src.len());
        loop {
            let Some(text) = self.src.get(span.start..end) else {
                return end;
            };
            end = span
                .start
                .saturating_add(text.trim_end_matches(is_space).len());
            let before = self.comments.partition_point(|c| c.span.start < end);
            match before.checked_sub(1).and_then(|i| self.comments.get(i)) {
                Some(c) if c.span.start >= span.start && end <= c.span.end => {
                    end = c.span.start;
                }
                _ => return end,
            }
        }
    }

    /// The offset of the first `{` in `span` outside strings and comments.
    fn open_brace(&self, span: Span) -> Option<usize> {
        let text = self.src.get(span.start..span.end)?;
        let mut scan = BraceScan::default();
        text.char_indices()
            .find(|&(_, c)| scan.is_open_brace(c))
            .map(|(i, _)| span.start.saturating_add(i))
    }
}

/// Tracks strings and comments while looking for a block's `{`.
#[derive(Default)]
struct BraceScan {
    in_string: bool,
    escaped: bool,
    in_comment: bool,
    prev_slash: bool,
}

impl BraceScan {
    fn is_open_brace(&mut self, c: char) -> bool {
        let slash = c == '/' && !self.in_string && !self.in_comment;
        if self.in_comment {
            self.in_comment = !matches!(c, '\n' | '\r');
        } else if self.in_string {
            self.in_string = self.escaped || c != '"';
            self.escaped = !self.escaped && c == '\\';
        } else if c == '"' {
            self.in_string = true;
        } else if slash && self.prev_slash {
            self.in_comment = true;
        } else if c == '{' {
            return true;
        }
        self.prev_slash = slash && !self.in_comment;
        false
    }
}

/// Whitespace as the grammar counts it.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

/// Whitespace that does not end a line.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// How many line ends `text` holds (`\n`, `\r\n` or a lone `\r`).
fn line_breaks(text: &str) -> usize {
    let crlf = text.matches("\r\n").count();
    (text.matches('\n').count() + text.matches('\r').count()).saturating_sub(crlf)
}
