//! The `rubric` interpreter: compiles a parsed `.rubric` into a checked, immutable
//! [`Rubric`] and evaluates response records against it, exactly. No I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod compile;
pub mod decimal;
pub mod diff;
mod errors;
pub mod eval;
mod examples;
mod explain;
pub mod model;
mod print;

pub use check::{check, Checked};
pub use compile::{compile, from_ron, to_ron};
pub use eval::{Evaluator, RecordOutcome, RecordStatus, Results};
pub use examples::{describe_value, run_examples, ExampleFailure, ExampleReport};
pub use explain::{
    explain_record, AggregateInputs, Explanation, InputRecord, Outcome, Step, StepKind, Subject,
};
pub use model::Rubric;

#[cfg(doctest)]
#[doc = include_str!("../../../docs/embedding.md")]
pub struct EmbeddingGuide;
