//! The `rubric` command as a library, so that its tests render diagnostics exactly as
//! users see them. `main.rs` parses the arguments, dispatches to one of
//! [`commands`] and turns the [`Status`] into the exit code.
//!
//! Only this crate touches files, colours and exit codes; the syntax and engine
//! crates are pure functions of the text they are given.

#![forbid(unsafe_code)]

pub mod args;
pub mod commands;
mod data;
mod files;
mod parallel;
mod rejects;
pub mod render;
mod results;
mod split;
mod stdout;

pub use render::Reporter;
pub use stdout::Stdout;

/// How a run ended. Later subcommands add no new codes: every outcome is one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Nothing to report (warnings allowed): exit code 0.
    Ok,
    /// The run finished and found problems in its input: exit code 1.
    Findings,
    /// Bad arguments, or a file that could not be read or written: exit code 2.
    Trouble,
}

impl Status {
    /// The worse of two outcomes.
    pub fn and(self, other: Status) -> Status {
        self.max(other)
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Findings => 1,
            Status::Trouble => 2,
        }
    }
}
