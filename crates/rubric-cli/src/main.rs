//! `rubric`: the command-line runner. Parses the arguments, runs one subcommand and
//! turns its outcome into the exit code: 0 ok, 1 findings, 2 usage or I/O error.

#![forbid(unsafe_code)]

use clap::Parser as _;
use rubric_cli::args::{Cli, Command};
use rubric_cli::{commands, Reporter, Status, Stdout};
use std::io::Write as _;
use std::process::ExitCode;

/// Commands run on a thread with a generous stack, so the parser's depth limits hold
/// with room to spare on every platform (the Windows main thread has 1 MiB).
const STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "rubric: internal error (this is a bug in rubric; please report it): {info}"
        );
    }));
    let run = std::thread::Builder::new()
        .name("rubric".into())
        .stack_size(STACK_BYTES)
        .spawn(move || dispatch(cli.command));
    let status = match run.map(|handle| handle.join()) {
        Ok(Ok(status)) => status,
        // The panic hook has already said what happened.
        Ok(Err(_)) => Status::Trouble,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "rubric: cannot start: {e}");
            Status::Trouble
        }
    };
    ExitCode::from(status.code())
}

/// Runs one subcommand, with diagnostics on standard error and results on standard
/// output.
fn dispatch(command: Command) -> Status {
    let mut report = Reporter::for_stderr();
    let mut out = Stdout::default();
    match command {
        Command::Check(args) => commands::check::run(&args, &mut report),
        Command::Fmt(args) => commands::fmt::run(&args, &mut report, &mut out),
        Command::Compile(args) => commands::compile::run(&args, &mut report, &mut out),
        Command::Test(args) => commands::test::run(&args, &mut report, &mut out),
        Command::Eval(args) => commands::eval::run(&args, &mut report, &mut out),
        Command::Explain(args) => commands::explain::run(&args, &mut report, &mut out),
        Command::Diff(args) => commands::diff::run(&args, &mut report, &mut out),
    }
}
