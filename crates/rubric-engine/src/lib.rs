//! The `rubric` interpreter: compiles a parsed `.rubric` into a checked, immutable
//! [`Rubric`] and evaluates response records against it, exactly. No I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod compile;
pub mod decimal;
mod errors;
pub mod eval;
mod examples;
pub mod model;

pub use check::{check, Checked};
pub use compile::{compile, from_ron, to_ron};
pub use eval::{Evaluator, RecordOutcome, RecordStatus, Results};
pub use examples::{describe_value, run_examples, ExampleFailure, ExampleReport};
pub use model::Rubric;
