//! Every diagnostic the syntax crate produces, one function each: all the wording on
//! one screen.

use crate::ast::Span;
use crate::diagnostic::Diagnostic;
use crate::limits;

#[cold]
pub(crate) fn source_too_large() -> Diagnostic {
    Diagnostic::error(
        "E-SOURCE-TOO-LARGE",
        format!(
            "the rubric is larger than the limit of {} bytes",
            limits::MAX_SOURCE_BYTES
        ),
    )
    .help("split the scheme into several rubrics, or remove generated content")
}

#[cold]
pub(crate) fn line_too_long(line: usize, chars: usize) -> Diagnostic {
    Diagnostic::error(
        "E-LINE-TOO-LONG",
        format!(
            "line {line} is {chars} characters long; the limit is {}",
            limits::MAX_LINE_CHARS
        ),
    )
    .help("break the line: put long expressions and comments on several lines")
}

#[cold]
pub(crate) fn utf16() -> Diagnostic {
    Diagnostic::error("E-ENCODING", "the file is UTF-16; rubrics are UTF-8 text")
        .help("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)")
}

#[cold]
pub(crate) fn invalid_utf8(offset: usize) -> Diagnostic {
    Diagnostic::error(
        "E-ENCODING",
        format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
    )
    .help("save the file as UTF-8; GBK or GB18030 files must be converted first")
}

#[cold]
pub(crate) fn control_char(at: usize, c: char) -> Diagnostic {
    Diagnostic::error(
        "E-CONTROL-CHAR",
        format!("the file contains the control character U+{:04X}", c as u32),
    )
    .at(Span::new(at, at + c.len_utf8()), "here")
    .help("delete this character; it is invisible in most editors")
}

#[cold]
pub(crate) fn empty_source(len: usize) -> Diagnostic {
    Diagnostic::error("E-EMPTY", "the rubric is empty")
        .at(Span::new(len, len), "nothing here")
        .help("start with a header: rubric my-scheme { title \"…\" version \"1\" }")
}

#[cold]
pub(crate) fn too_deep(at: usize) -> Diagnostic {
    Diagnostic::error(
        "E-DEPTH",
        format!(
            "brackets or prefix operators are nested more than {} deep",
            limits::MAX_DEPTH
        ),
    )
    .at(Span::new(at, at + 1), "too deep here")
    .help("simplify the expression: name intermediate results as values")
}

#[cold]
pub(crate) fn syntax(span: Span, found: &str, expected: &str, hint: Option<&str>) -> Diagnostic {
    let code = if found == "end of file" {
        "E-UNEXPECTED-EOF"
    } else {
        "E-SYNTAX"
    };
    let d = Diagnostic::error(code, format!("expected {expected}, found {found}"))
        .at(span, format!("expected {expected}"));
    match hint {
        Some(h) => d.help(h.to_string()),
        None => d.help(format!("write {expected} here")),
    }
}

#[cold]
pub(crate) fn unterminated_string(at: usize) -> Diagnostic {
    Diagnostic::error("E-UNTERMINATED-STRING", "this string has no closing quote")
        .at(Span::new(at, at + 1), "the string starts here")
        .help("add a closing \" on the same line")
}

#[cold]
pub(crate) fn parse_budget() -> Diagnostic {
    Diagnostic::error(
        "E-PARSE-BUDGET",
        "the rubric is too complex to parse within the parser's budget",
    )
    .help("split long expressions into named values; check for a missing closing bracket")
}

#[cold]
pub(crate) fn ident_too_long(span: Span, chars: usize) -> Diagnostic {
    Diagnostic::error(
        "E-IDENT-TOO-LONG",
        format!(
            "this name is {chars} characters long; the limit is {}",
            limits::MAX_IDENT_CHARS
        ),
    )
    .at(span, "too long")
    .help("use a short name and put the full wording in a description string")
}

#[cold]
pub(crate) fn text_too_long(span: Span, chars: usize) -> Diagnostic {
    Diagnostic::error(
        "E-TEXT-TOO-LONG",
        format!(
            "this text is {chars} characters long; the limit is {}",
            limits::MAX_TEXT_CHARS
        ),
    )
    .at(span, "too long")
    .help("shorten the text; long passages belong in a comment")
}

#[cold]
pub(crate) fn invisible_char(span: Span, c: char) -> Diagnostic {
    Diagnostic::error(
        "E-INVISIBLE-CHAR",
        format!(
            "this name contains the invisible character U+{:04X}",
            c as u32
        ),
    )
    .at(span, "contains an invisible character")
    .help("retype the name; it was probably pasted from a web page or Word")
}

#[cold]
pub(crate) fn too_many_tokens(at: usize) -> Diagnostic {
    Diagnostic::error(
        "E-TOO-MANY-TOKENS",
        format!(
            "the rubric has more than {} tokens (names, numbers, texts and punctuation)",
            limits::MAX_TOKENS
        ),
    )
    .at(Span::new(at, at + 1), "the limit is reached here")
    .help("split the scheme into several rubrics, or remove generated content")
}

#[cold]
pub(crate) fn too_many_items(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E-TOO-MANY-ITEMS",
        format!(
            "this block or list has more than {} entries",
            limits::MAX_ITEMS
        ),
    )
    .at(span, "one entry too many")
    .help("split it: several records, scales or groups, or named intermediate values")
}

#[cold]
pub(crate) fn reserved(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error(
        "E-RESERVED",
        format!("`{word}` is a reserved word and cannot be a name"),
    )
    .at(span, "reserved word")
    .help("choose another name; the reserved words are: and or not if then else where in is blank true false")
}

#[cold]
pub(crate) fn not_a_number(span: Span, token: &str) -> Diagnostic {
    Diagnostic::error("E-NUMBER", format!("`{token}` is not a number"))
        .at(span, "a number runs into letters here")
        .help("write numbers with ASCII digits and at most one decimal point, without exponents or units (1e3 is 1000); put a space between a number and a name")
}

#[cold]
pub(crate) fn internal(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error("E-INTERNAL", format!("internal parser error: {what}"))
        .at(span, "here")
        .help("this is a bug in rubric; please report it with this file")
}
