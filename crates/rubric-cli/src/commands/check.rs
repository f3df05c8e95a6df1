//! `rubric check FILES|DIRS…`: parse and check every rubric, show every finding.

use crate::args::CheckArgs;
use crate::files;
use crate::render::Reporter;
use crate::Status;

/// Runs the subcommand.
pub fn run(args: &CheckArgs, report: &mut Reporter) -> Status {
    let (inputs, mut status) = super::inputs(&args.paths, report);
    for input in &inputs {
        let loaded = match files::load(input) {
            Ok(loaded) => loaded,
            Err(problem) => {
                report.problem(&problem);
                status = status.and(Status::Trouble);
                continue;
            }
        };
        let diagnostics = match &loaded.text {
            Ok(text) => match rubric_engine::compile(text) {
                Ok(checked) => checked.warnings,
                Err(found) => found,
            },
            Err(d) => vec![d.clone()],
        };
        report.file(&input.name(), &loaded.shown(), &diagnostics);
    }
    report.summary();
    if report.has_errors() || (args.deny_warnings && report.has_warnings()) {
        status = status.and(Status::Findings);
    }
    status
}
