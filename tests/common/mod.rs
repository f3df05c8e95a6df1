//! What the golden tests and the code walker share: running a case through the same
//! steps as `rubric check`, and rendering its diagnostics as `rubric check` does, with
//! a fixed colourless theme and width so snapshots do not depend on the terminal.

#![allow(dead_code)] // each test binary uses part of this module

use rubric_syntax::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The `rubric` binary under test.
pub const RUBRIC: &str = env!("CARGO_BIN_EXE_rubric");

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

/// How a run of the binary ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn exits(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn says(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr should contain {text:?}:\n{}",
            self.stderr
        );
        self
    }

    /// The counts of the summary line, which must reconcile.
    pub fn summary(&self) -> [u64; 4] {
        let line = self
            .stderr
            .lines()
            .find(|l| l.contains(": read "))
            .unwrap_or_else(|| panic!("no summary line:\n{}", self.stderr));
        let count = |word: &str| -> u64 {
            let at = line.find(&format!("{word} ")).unwrap() + word.len() + 1;
            line[at..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let counts = [
            count("read"),
            count("scored"),
            count("excluded"),
            count("rejected"),
        ];
        assert_eq!(
            counts[0],
            counts[1] + counts[2] + counts[3],
            "the summary does not reconcile: {line}"
        );
        counts
    }
}

/// Runs `rubric args…` in `dir`, feeding `stdin`; asserts nothing crashed.
pub fn run_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(RUBRIC)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rubric binary runs");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    finish(child, args)
}

pub fn finish(child: std::process::Child, args: &[&str]) -> Run {
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        ![101, 134, -1].contains(&run.code),
        "rubric {args:?} crashed with {}:\n{}",
        run.code,
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("internal error"),
        "rubric {args:?} hit a bug:\n{}",
        run.stderr
    );
    run
}

pub fn rubric(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, None)
}
