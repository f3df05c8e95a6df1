//! One file per subcommand. Each takes its parsed arguments and the output channels
//! it needs, and returns how the run went; none of them exits the process.

pub mod check;
pub mod compile;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod test;

use crate::files::{self, Input};
use crate::render::Reporter;
use crate::Status;
use std::path::PathBuf;

/// The inputs named on the command line; paths that cannot be used are reported and
/// make the run end with [`Status::Trouble`].
fn inputs(paths: &[PathBuf], report: &mut Reporter) -> (Vec<Input>, Status) {
    let (inputs, problems) = files::expand(paths);
    for p in &problems {
        report.problem(p);
    }
    let status = if problems.is_empty() {
        Status::Ok
    } else {
        Status::Trouble
    };
    (inputs, status)
}

/// A rubric to run: a `.ron` compiled model, or a `.rubric` source compiled now. Its
/// diagnostics are shown; on failure the status to end with.
fn load_rubric(
    path: &std::path::Path,
    report: &mut Reporter,
) -> Result<rubric_engine::Rubric, Status> {
    let input = if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(path.to_path_buf())
    };
    let loaded = files::load(&input).map_err(|problem| {
        report.problem(&problem);
        Status::Trouble
    })?;
    let name = input.name();
    let text = match &loaded.text {
        Ok(text) => text,
        Err(d) => {
            report.file(&name, &loaded.shown(), std::slice::from_ref(d));
            return Err(Status::Trouble);
        }
    };
    if path.extension().is_some_and(|e| e == "ron") {
        return rubric_engine::from_ron(text).map_err(|d| {
            report.file(&name, text, &[d]);
            Status::Trouble
        });
    }
    match rubric_engine::compile(text) {
        Ok(checked) => {
            if !checked.warnings.is_empty() {
                report.file(&name, text, &checked.warnings);
            }
            Ok(checked.rubric)
        }
        Err(found) => {
            report.file(&name, text, &found);
            Err(Status::Trouble)
        }
    }
}
