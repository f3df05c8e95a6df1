//! The `rubric` interpreter: compiles a parsed `.rubric` into a checked, immutable
//! [`Rubric`] and evaluates response records against it, exactly. No I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod compile;
pub mod decimal;
mod errors;
pub mod model;

pub use check::{check, Checked};
pub use compile::{compile, from_ron, to_ron};
pub use model::Rubric;
