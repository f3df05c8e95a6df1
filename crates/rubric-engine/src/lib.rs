//! The `rubric` interpreter: compiles a parsed `.rubric` into a checked, immutable
//! [`Rubric`] and evaluates response records against it, exactly. No I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod decimal;
pub mod model;

pub use model::Rubric;
