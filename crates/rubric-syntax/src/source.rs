//! Turning the bytes of a file into source text: size, encoding, BOM and control
//! characters are checked here, before the parser sees anything.

use crate::diagnostic::Diagnostic;
use crate::{errors, limits};

/// Decodes a rubric file. A leading UTF-8 BOM is dropped (spans then count from the
/// first character after it); CRLF and lone CR line ends are kept and parse as
/// whitespace.
pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.len() > limits::MAX_SOURCE_BYTES {
        return Err(errors::source_too_large());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(errors::utf16());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| errors::invalid_utf8(e.valid_up_to()))?;
    check_text(text)?;
    Ok(text.to_string())
}

/// Checks text that is already a `str` (from an editor, say): size, emptiness and
/// control characters.
pub fn check_text(text: &str) -> Result<(), Diagnostic> {
    if text.len() > limits::MAX_SOURCE_BYTES {
        return Err(errors::source_too_large());
    }
    if let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(errors::control_char(at, c));
    }
    if text.trim().is_empty() {
        return Err(errors::empty_source(text.len()));
    }
    Ok(())
}

/// The first line longer than [`limits::MAX_LINE_CHARS`]: its 1-based number and its
/// length in characters. LF, CRLF and a lone CR end a line. Up to
/// [`limits::FREE_INDENT`] characters of leading spaces and tabs do not count, so
/// that re-indenting a file (as `rubric fmt` does) never pushes a line over. The
/// parser checks this first (`decode` does not: a compiled rubric's RON is not parsed
/// as source).
pub(crate) fn long_line(text: &str) -> Option<(usize, usize)> {
    let mut line = 1usize;
    let mut chars = 0usize;
    let mut indent = 0usize;
    let mut after_cr = false;
    let mut found = None;
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            if found.is_some() {
                break;
            }
            if !(c == '\n' && after_cr) {
                line += 1;
            }
            chars = 0;
            indent = 0;
        } else {
            if chars == indent && (c == ' ' || c == '\t') {
                indent += 1;
            }
            chars += 1;
            let counted = chars - indent.min(limits::FREE_INDENT);
            if counted > limits::MAX_LINE_CHARS && found.is_none() {
                found = Some(line);
            }
        }
        after_cr = c == '\r';
    }
    found.map(|line| (line, chars))
}
