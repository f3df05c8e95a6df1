//! The `.rubric` language: grammar, typed syntax tree with source spans, parse
//! diagnostics and the canonical formatter. This crate does no I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
mod diagnostic;
mod errors;
mod format;
pub mod limits;
mod parser;
mod source;

pub use diagnostic::{clamp_span, Diagnostic, Label, Report, Severity};
pub use format::{format, quote};
pub use parser::parse;
pub use source::decode;
