//! `rubric test [FILES|DIRS]`: run every `example` block; per example pass or fail,
//! with what was expected and what the rubric gives.

use crate::args::TestArgs;
use crate::files;
use crate::render::Reporter;
use crate::stdout::Stdout;
use crate::Status;

pub fn run(args: &TestArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let (inputs, mut status) = super::inputs(&args.paths, report);
    let (mut passed, mut failed) = (0usize, 0usize);
    for input in &inputs {
        let loaded = match files::load(input) {
            Ok(loaded) => loaded,
            Err(problem) => {
                report.problem(&problem);
                status = status.and(Status::Trouble);
                continue;
            }
        };
        let name = input.name();
        let compiled = match &loaded.text {
            Ok(text) => rubric_engine::compile(text),
            Err(d) => Err(vec![d.clone()]),
        };
        let checked = match compiled {
            Ok(c) => c,
            Err(found) => {
                report.file(&name, &loaded.shown(), &found);
                status = status.and(Status::Findings);
                continue;
            }
        };
        let mut lines = String::new();
        let mut diagnostics = Vec::new();
        for example in rubric_engine::run_examples(&checked.rubric) {
            if example.passed() {
                passed += 1;
                lines.push_str(&format!(
                    "  ok    {} ({} checks)\n",
                    example.name, example.checked
                ));
            } else {
                failed += 1;
                lines.push_str(&format!(
                    "  FAIL  {} ({} of {} checks failed)\n",
                    example.name,
                    example.failures.len(),
                    example.checked
                ));
                diagnostics.extend(example.failures.iter().map(|f| f.diagnostic(&example.name)));
            }
        }
        if checked.rubric.examples.is_empty() {
            lines.push_str("  (no examples)\n");
        }
        if out.write(&format!("{name}\n{lines}")).is_err() {
            status = status.and(Status::Trouble);
        }
        if !diagnostics.is_empty() {
            report.file(&name, &loaded.shown(), &diagnostics);
            status = status.and(Status::Findings);
        }
    }
    report.note(&format!("{passed} examples passed, {failed} failed"));
    status
}
