//! Evaluator tests on hand-built models.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

pub(crate) mod build;
mod explain;
mod fuzz;
mod groups;
mod records;
mod stream;

use crate::eval::Evaluator;
use crate::model::Rubric;

/// The compiled rubric can be shared between threads; an evaluator can move.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Rubric>();
    send::<Evaluator<'static>>();
};
