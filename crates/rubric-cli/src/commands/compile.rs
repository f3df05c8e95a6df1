//! `rubric compile X.rubric [-o X.ron]`: check a rubric and write its checked model in
//! the versioned RON form, which loads without the source.

use crate::args::CompileArgs;
use crate::files::{self, Input};
use crate::render::Reporter;
use crate::stdout::Stdout;
use crate::Status;
use std::path::{Path, PathBuf};

/// Where the RON goes.
enum Destination {
    Stdout,
    File(PathBuf),
}

/// Runs the subcommand.
pub fn run(args: &CompileArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let input = if args.input.as_os_str() == "-" {
        Input::Stdin
    } else if args.input.is_dir() {
        report.problem(&format!(
            "`{}` is a directory; compile takes one .rubric file",
            args.input.display()
        ));
        return Status::Trouble;
    } else {
        Input::File(args.input.clone())
    };
    let destination = match (&args.output, &input) {
        (Some(p), _) if p.as_os_str() == "-" => Destination::Stdout,
        (Some(p), _) => Destination::File(p.clone()),
        (None, Input::Stdin) => Destination::Stdout,
        (None, Input::File(p)) => Destination::File(p.with_extension("ron")),
    };
    if let (Destination::File(to), Input::File(from)) = (&destination, &input) {
        if same_file(to, from) {
            report.problem(&format!(
                "the output `{}` is the input; give another file with -o",
                to.display()
            ));
            return Status::Trouble;
        }
    }
    let loaded = match files::load(&input) {
        Ok(loaded) => loaded,
        Err(problem) => {
            report.problem(&problem);
            return Status::Trouble;
        }
    };
    let name = input.name();
    let text = match &loaded.text {
        Ok(text) => text,
        Err(d) => {
            report.file(&name, &loaded.shown(), std::slice::from_ref(d));
            return Status::Findings;
        }
    };
    let checked = match rubric_engine::compile(text) {
        Ok(checked) => checked,
        Err(found) => {
            report.file(&name, text, &found);
            return Status::Findings;
        }
    };
    report.file(&name, text, &checked.warnings);
    if args.deny_warnings && !checked.warnings.is_empty() {
        return Status::Findings;
    }
    let mut ron = match rubric_engine::to_ron(&checked.rubric) {
        Ok(ron) => ron,
        Err(d) => {
            report.file(&name, text, &[d]);
            return Status::Trouble;
        }
    };
    if !ron.ends_with('\n') {
        ron.push('\n');
    }
    let written = match &destination {
        Destination::Stdout => out
            .write(&ron)
            .map_err(|e| format!("cannot write to standard output: {e}")),
        Destination::File(path) => files::replace(path, ron.as_bytes()).map(|()| {
            report.note(&format!("wrote {}", path.display()));
        }),
    };
    match written {
        Ok(()) => Status::Ok,
        Err(problem) => {
            report.problem(&problem);
            Status::Trouble
        }
    }
}

/// Whether two paths name the same file (as far as can be told before writing).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
