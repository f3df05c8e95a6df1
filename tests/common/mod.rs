//! What the golden tests and the code walker share: running a case through the same
//! steps as `rubric check`, and rendering its diagnostics as `rubric check` does, with
//! a fixed colourless theme and width so snapshots do not depend on the terminal.

#![allow(dead_code)] // each test binary uses part of this module

use rubric_syntax::Diagnostic;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What checking a file's bytes gives: the diagnostics (errors first, then warnings),
/// and the text they point into.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub shown: String,
    pub compiled: bool,
}

/// Runs `f` on a thread with the stack the `rubric` binary gives its commands
/// (64 MiB), so that tests see what the binary does rather than the limits of the
/// test harness's 2 MiB threads. A panic in `f` is re-raised here.
pub fn on_cli_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .expect("a thread can be started")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Decodes and compiles, as `rubric check` does.
pub fn check(bytes: &[u8]) -> Outcome {
    let bytes = bytes.to_vec();
    on_cli_stack(move || check_here(&bytes))
}

fn check_here(bytes: &[u8]) -> Outcome {
    match rubric_syntax::decode(bytes) {
        Err(d) => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            Outcome {
                diagnostics: vec![d],
                shown: String::from_utf8_lossy(bytes).into_owned(),
                compiled: false,
            }
        }
        Ok(text) => match rubric_engine::compile(&text) {
            Ok(checked) => Outcome {
                diagnostics: checked.warnings,
                shown: text,
                compiled: true,
            },
            Err(found) => Outcome {
                diagnostics: found,
                shown: text,
                compiled: false,
            },
        },
    }
}

impl Outcome {
    /// The snapshot text: "ok" (and any warnings) or the diagnostics, exactly as
    /// `rubric check` prints them when standard error is not a terminal: the fixed
    /// colourless theme at 80 columns.
    pub fn rendered(&self, name: &str) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(80);
        let mut out = String::new();
        if self.compiled {
            out.push_str("ok\n\n");
        }
        out.push_str(&rubric_cli::render::render_file(
            &handler,
            name,
            &self.shown,
            &self.diagnostics,
        ));
        out
    }

    /// The codes produced.
    pub fn codes(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|d| d.code).collect()
    }
}

/// The codes a case says it must produce: leading `// expect: E-A, W-B` lines.
pub fn expected_codes(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split(['\n', '\r'])
        .map(str::trim)
        .take_while(|l| l.starts_with("// expect:"))
        .flat_map(|l| {
            l.trim_start_matches("// expect:")
                .split([',', ' '])
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The golden check cases, sorted.
pub fn check_cases() -> Vec<PathBuf> {
    let dir = root().join("tests/golden/check");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden/check exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rubric"))
        .collect();
    cases.sort();
    cases
}
