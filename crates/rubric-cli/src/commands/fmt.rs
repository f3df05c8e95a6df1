//! `rubric fmt FILES|DIRS…`: rewrite rubrics in the canonical layout. A file that does
//! not parse is reported and left untouched; a file is written only when it changes.

use crate::args::FmtArgs;
use crate::files::{self, Input};
use crate::render::Reporter;
use crate::stdout::Stdout;
use crate::Status;

/// Runs the subcommand.
pub fn run(args: &FmtArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let (inputs, mut status) = super::inputs(&args.paths, report);
    let mut changed = 0usize;
    let mut formatted = 0usize;
    for input in &inputs {
        let name = input.name();
        let loaded = match files::load(input) {
            Ok(loaded) => loaded,
            Err(problem) => {
                report.problem(&problem);
                status = status.and(Status::Trouble);
                continue;
            }
        };
        let parsed = match &loaded.text {
            Ok(text) => rubric_syntax::parse(text).map(|file| rubric_syntax::format(&file, text)),
            Err(d) => Err(vec![d.clone()]),
        };
        let text = match parsed {
            Ok(text) => text,
            Err(found) => {
                report.file(&name, &loaded.shown(), &found);
                status = status.and(Status::Findings);
                continue;
            }
        };
        formatted += 1;
        let differs = text.as_bytes() != loaded.bytes.as_slice();
        changed += usize::from(differs);
        let result = if args.stdout || (*input == Input::Stdin && !args.check) {
            out.write(&text)
                .map_err(|e| format!("cannot write to standard output: {e}"))
        } else if args.check {
            if differs {
                out.write(&format!("{name}\n"))
                    .map_err(|e| format!("cannot write to standard output: {e}"))
            } else {
                Ok(())
            }
        } else {
            match input {
                Input::File(path) if differs => files::replace(path, text.as_bytes()),
                _ => Ok(()),
            }
        };
        if let Err(problem) = result {
            report.problem(&problem);
            status = status.and(Status::Trouble);
        }
    }
    if args.check {
        if changed > 0 {
            report.note(&format!(
                "{changed} of {formatted} files would be reformatted"
            ));
            status = status.and(Status::Findings);
        }
    } else if !args.stdout && formatted > 0 {
        report.note(&format!("formatted {changed} of {formatted} files"));
    }
    status
}
