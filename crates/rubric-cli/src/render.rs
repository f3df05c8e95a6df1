//! Diagnostics on standard error: miette's graphical report, coloured only on a
//! terminal and never when `NO_COLOR` is set, at most [`limits::MAX_DIAGNOSTICS`] per
//! file, and a closing summary such as "2 errors, 1 warning in 3 files".

use miette::{
    GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};
use rubric_syntax::{limits, Diagnostic, Report};
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

/// Width used when standard error is not a terminal (and by the golden tests).
pub const PLAIN_WIDTH: usize = 80;

/// The handler used when standard error is not a terminal: no colour, 80 columns.
/// The golden snapshots are rendered with it.
pub fn plain_handler() -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(PLAIN_WIDTH)
}

/// One diagnostic as the user sees it, followed by a blank line. A diagnostic that
/// points nowhere in the text (an encoding problem, a missing header) names its file
/// in the message instead; the `file:line:column` above a snippet counts columns in
/// characters, so a position after Chinese text is where an editor puts it.
pub fn render(
    handler: &GraphicalReportHandler,
    diagnostic: &Diagnostic,
    name: &str,
    source: &str,
) -> String {
    let diagnostics = std::slice::from_ref(diagnostic);
    render_one(handler, diagnostic, name, &shown_text(source, diagnostics))
}

/// The diagnostics of one file as shown: the first [`limits::MAX_DIAGNOSTICS`], then
/// a line saying how many more there are.
pub fn render_file(
    handler: &GraphicalReportHandler,
    name: &str,
    source: &str,
    diagnostics: &[Diagnostic],
) -> String {
    let shown = diagnostics
        .get(..limits::MAX_DIAGNOSTICS)
        .unwrap_or(diagnostics);
    let text = shown_text(source, shown);
    let mut out = String::new();
    for d in shown {
        out.push_str(&render_one(handler, d, name, &text));
    }
    let more = diagnostics.len() - shown.len();
    if more > 0 {
        out.push_str(&format!("… and {more} more in {name}\n\n"));
    }
    out
}

fn render_one(
    handler: &GraphicalReportHandler,
    diagnostic: &Diagnostic,
    name: &str,
    text: &Arc<str>,
) -> String {
    let mut d = diagnostic.clone();
    if d.labels.is_empty() {
        d.message = format!("{name}: {}", d.message);
    }
    let report = Located {
        report: d.report(name, text),
        source: CharColumns {
            name: name.to_string(),
            text: Arc::clone(text),
        },
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String fails only on a span miette cannot read; keep the
        // essentials.
        out = format!("{}: {}: {}\n", d.code, name, d.message);
    }
    out.push('\n');
    out
}

/// The text as miette is given it, with two of miette's quirks smoothed over; every
/// byte offset stays where it was.
///
/// - A lone `\r` line end (old Mac style) is written `\n`: miette counts a lone `\r`
///   as a line break when it numbers lines, but not when it prints them.
/// - miette hides a label that starts at the very end of the text
///   (zkat/miette#465), so a blank is added for "…, found end of file" to stand on.
fn shown_text(source: &str, diagnostics: &[Diagnostic]) -> Arc<str> {
    let mut out = String::with_capacity(source.len() + 1);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    let at_end = diagnostics
        .iter()
        .flat_map(|d| &d.labels)
        .any(|l| l.span.start >= source.len());
    if at_end {
        out.push(' ');
    }
    out.into()
}

/// Writes diagnostics and problems to standard error and counts them.
pub struct Reporter {
    handler: GraphicalReportHandler,
    color: bool,
    errors: usize,
    warnings: usize,
    files: usize,
}

impl Reporter {
    /// A reporter styled for wherever standard error goes.
    pub fn for_stderr() -> Self {
        let terminal = io::stderr().is_terminal();
        let color = terminal && !no_color();
        let handler = if terminal {
            let width = terminal_size::terminal_size_of(io::stderr())
                .map_or(PLAIN_WIDTH, |(w, _)| usize::from(w.0));
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            GraphicalReportHandler::new_themed(theme).with_width(width)
        } else {
            plain_handler()
        };
        Reporter {
            handler,
            color,
            errors: 0,
            warnings: 0,
            files: 0,
        }
    }

    /// Shows the diagnostics of one file and counts all of them, shown or not.
    pub fn file(&mut self, name: &str, source: &str, diagnostics: &[Diagnostic]) {
        self.files += 1;
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        self.errors += errors;
        self.warnings += diagnostics.len() - errors;
        write_stderr(&render_file(&self.handler, name, source, diagnostics));
    }

    /// Reports a problem that is not about a rubric's text: a missing file, an
    /// unwritable output.
    pub fn problem(&mut self, message: &str) {
        let word = if self.color {
            "\u{1b}[1;31merror\u{1b}[0m"
        } else {
            "error"
        };
        write_stderr(&format!("{word}: {message}\n"));
    }

    /// A line of plain information.
    pub fn note(&mut self, message: &str) {
        write_stderr(&format!("{message}\n"));
    }

    /// Whether any diagnostic shown so far was an error.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Whether any diagnostic shown so far was a warning.
    pub fn has_warnings(&self) -> bool {
        self.warnings > 0
    }

    /// Writes "2 errors, 1 warning in 3 files", when any file was shown.
    pub fn summary(&mut self) {
        if self.files == 0 {
            return;
        }
        let line = format!(
            "{}, {} in {}",
            count(self.errors, "error"),
            count(self.warnings, "warning"),
            count(self.files, "file")
        );
        self.note(&line);
    }
}

/// "1 error", "2 warnings".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `NO_COLOR` set to anything but the empty string turns colours off
/// (<https://no-color.org>).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Standard error failing (a closed terminal) is not worth dying for.
fn write_stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// A report whose source counts columns in characters.
#[derive(Debug)]
struct Located {
    report: Report,
    source: CharColumns,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.report, f)
    }
}

impl std::error::Error for Located {}

impl miette::Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.report.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.report.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.report.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.report
            .source_code()
            .map(|_| &self.source as &dyn SourceCode)
    }

    /// The first label is the primary one: the header's `file:line:column` names it.
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = self.report.labels()?.enumerate().map(|(i, l)| {
            if i == 0 {
                miette::LabeledSpan::new_primary_with_span(l.label().map(String::from), *l.inner())
            } else {
                l
            }
        });
        Some(Box::new(labels))
    }
}

/// Source text whose reported column is a count of characters, not of bytes (miette
/// counts bytes, which puts a position after `问题一` six columns too far right).
#[derive(Debug)]
struct CharColumns {
    name: String,
    text: Arc<str>,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.text;
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let mut column = inner.column();
        if context_lines_before == 0 {
            // miette counts the bytes since the last line break.
            let start = span.offset().saturating_sub(column);
            if let Some(before) = self.text.get(start..span.offset()) {
                column = before.chars().count();
            }
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}
