//! One diagnostic type for every phase: a stable code, a severity, a message, labelled
//! spans and a help line. It is plain data; the source text is attached only when it
//! is rendered (see [`Diagnostic::report`]).

use crate::ast::Span;
use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops compilation.
    Error,
    /// Reported; stops only under `--deny-warnings`.
    Warning,
}

/// A span with a short note, shown under the source line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    /// What is marked.
    pub span: Span,
    /// What it says there.
    pub message: String,
}

/// A finding about a rubric or its input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, such as `E-WEIGHT-SUM`; listed in `docs/diagnostics.md`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where; the first label is the primary one.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a message and no labels yet.
    #[cold]
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// A warning with a message and no labels yet.
    #[cold]
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds a labelled span.
    pub fn at(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic joined to its source text, ready for a `miette` handler.
    /// Spans are clamped into the text and widened to character boundaries, so a
    /// label can never make the renderer panic.
    pub fn report(&self, name: &str, source: &str) -> Report {
        let labels = self
            .labels
            .iter()
            .map(|label| {
                let span = clamp_span(source, label.span);
                miette::LabeledSpan::new(
                    Some(label.message.clone()),
                    span.start,
                    span.end.saturating_sub(span.start),
                )
            })
            .collect();
        Report {
            diagnostic: self.clone(),
            labels,
            source: miette::NamedSource::new(name, source.to_string()),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Keeps a span inside `source` and on character boundaries.
pub fn clamp_span(source: &str, span: Span) -> Span {
    let mut start = span.start.min(source.len());
    while start > 0 && !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while end < source.len() && !source.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// A diagnostic with its source attached, implementing [`miette::Diagnostic`].
#[derive(Debug)]
pub struct Report {
    diagnostic: Diagnostic,
    labels: Vec<miette::LabeledSpan>,
    source: miette::NamedSource<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.labels.is_empty() {
            None
        } else {
            Some(&self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}
