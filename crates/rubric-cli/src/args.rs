//! The command line, as clap definitions. Each subcommand's help ends with examples.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  rubric check rubrics/                  check every .rubric file under rubrics/
  rubric fmt --check rubrics/            list the files `rubric fmt` would change
  rubric compile welfare.rubric          write welfare.ron beside it

Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
Colours are used only on a terminal, and never when NO_COLOR is set.";

/// Check, format and compile customer-satisfaction scoring schemes written as
/// `.rubric` files.
#[derive(Debug, Parser)]
#[command(name = "rubric", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand, with its arguments. Each has its own file under `commands/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rubrics for mistakes, showing each one at its line with a fix.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Format rubrics in place, in the one canonical layout (comments are kept).
    #[command(after_help = FMT_EXAMPLES)]
    Fmt(FmtArgs),
    /// Check a rubric and write the checked model as RON, loadable without its source.
    #[command(after_help = COMPILE_EXAMPLES)]
    Compile(CompileArgs),
    /// Run every `example` block and say which pass and which fail.
    #[command(after_help = TEST_EXAMPLES)]
    Test(TestArgs),
    /// Score response records: group tables per key and period, and a summary line.
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(EvalArgs),
    /// Show how one record's or one group row's result came about.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Compare two rubrics by meaning (weights, bands, labels, rules…), and with --data
    /// show which records and groups the change affects.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
}

const TEST_EXAMPLES: &str = "\
Examples:
  rubric test rubrics/                   run the examples of every rubric under rubrics/
  rubric test welfare.rubric

Exit codes: 0 every example passed, 1 an example failed or a rubric has errors,
2 a file could not be read.";

const EVAL_EXAMPLES: &str = "\
Examples:
  rubric eval rubrics/dealer-sales-callback.rubric rubrics/data/dealer-sales-callback.csv
  rubric eval x.rubric 2026-10.csv --format csv -o out/      one CSV file per table
  rubric eval x.rubric 2026-10.csv --format json -o results.json
  rubric eval x.rubric data.csv --rejects rejects.csv        rejected rows, to fix and re-run
  rubric eval x.rubric 检查=checks.csv 调查=survey.jsonl      one file per record kind
  rubric eval x.rubric - < data.csv                          read CSV from standard input

Data: CSV with a header row (UTF-8, BOM allowed; --delimiter for others), JSON (an
array of objects, .json) or JSON Lines (.jsonl). Several record kinds arrive either in
one file with the rubric's kind column, or one file per kind as KIND=PATH.

Exit codes: 0 every record scored or excluded, 1 some records were rejected,
2 the rubric has errors, or a file could not be read or written.";

/// `rubric test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rubric files, or directories to search for `.rubric` files.
    #[arg(value_name = "FILES|DIRS", default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
}

/// How `rubric eval` prints results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned tables, for people.
    Table,
    /// CSV, one table per file (with -o DIR).
    Csv,
    /// One JSON document (schema rubric-results/1).
    Json,
}

/// `rubric eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The rubric: a `.rubric` source or a compiled `.ron`.
    #[arg(value_name = "RUBRIC")]
    pub(crate) rubric: PathBuf,
    /// Data files: PATH, KIND=PATH, or - for standard input.
    #[arg(value_name = "DATA", required = true)]
    pub(crate) data: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) format: OutputFormat,
    /// Write results here (a directory for --format csv); - is standard output.
    #[arg(short, long, value_name = "PATH")]
    pub(crate) output: Option<PathBuf>,
    /// Write rejected records to this CSV file (row, column, code, reason, record).
    #[arg(long, value_name = "FILE")]
    pub(crate) rejects: Option<PathBuf>,
    /// The CSV field delimiter (one character; `tab` for tabs).
    #[arg(long, default_value = ",")]
    pub(crate) delimiter: String,
    /// Write every record's outcome to this CSV file (status, and why it was
    /// excluded or rejected).
    #[arg(long, value_name = "FILE")]
    pub(crate) records: Option<PathBuf>,
    /// Scoring threads (the results are the same for any number).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) threads: u16,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  rubric check welfare-service.rubric
  rubric check rubrics/                  every .rubric file under rubrics/, recursively
  rubric check --deny-warnings rubrics/  fail on warnings too (for CI)
  cat x.rubric | rubric check -          read the rubric from standard input

Exit codes: 0 no errors, 1 errors (or warnings under --deny-warnings),
2 a file or directory could not be read.";

const FMT_EXAMPLES: &str = "\
Examples:
  rubric fmt rubrics/                    format every .rubric file in place
  rubric fmt --check rubrics/            list files that would change; exit 1 if any
  rubric fmt --stdout x.rubric           print the formatted text instead
  rubric fmt - < x.rubric                format standard input to standard output

Exit codes: 0 ok, 1 a file does not parse (it is left untouched) or would change
under --check, 2 a file could not be read or written.";

const COMPILE_EXAMPLES: &str = "\
Examples:
  rubric compile welfare.rubric          writes welfare.ron beside it
  rubric compile welfare.rubric -o build/welfare.ron
  rubric compile welfare.rubric -o -     print the RON to standard output

Exit codes: 0 written, 1 the rubric has errors (nothing is written),
2 the input could not be read or the output could not be written.";

/// `rubric check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rubric files, or directories to search for `.rubric` files; `-` reads standard input.
    #[arg(value_name = "FILES|DIRS", required = true)]
    pub paths: Vec<PathBuf>,
    /// Treat warnings as findings: exit 1 when there are any.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `rubric fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Rubric files, or directories to search for `.rubric` files; `-` reads standard input.
    #[arg(value_name = "FILES|DIRS", required = true)]
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that would change, and exit 1 if there are any.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Change nothing: print the formatted text to standard output.
    #[arg(long)]
    pub stdout: bool,
}

/// `rubric compile`.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The rubric to compile; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write the RON (default: beside the input, with the extension `.ron`;
    /// standard output for standard input); `-` is standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Treat warnings as findings: exit 1 and write nothing when there are any.
    #[arg(long)]
    pub deny_warnings: bool,
}

const DIFF_EXAMPLES: &str = "\
Examples:
  rubric diff old.rubric new.rubric
  rubric diff HEAD~1:rubrics/x.rubric rubrics/x.rubric      the last commit against the working copy
  rubric diff main:rubrics/x.rubric rubrics/x.rubric --data 2026-10.csv
  rubric diff a.rubric b.rubric --format json

REV:path reads the file as of a git revision (`git show REV:path`; the path is relative
to the repository root, or write REV:./path). Formatting and comments never count as
changes. --data evaluates both rubrics on the same records in one streaming pass.

Exit codes: 0 the rubrics mean the same, 1 they differ, 2 a side cannot be read or does
not compile, or the data cannot be read.";

/// How `rubric diff` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain words with the source lines of both sides.
    Text,
    /// One JSON document (schema rubric-diff/1).
    Json,
}

/// `rubric diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old rubric: a path, `REV:path` (read from git), or - for standard input.
    #[arg(value_name = "OLD")]
    pub(crate) old: String,
    /// The new rubric: a path, `REV:path` (read from git), or - for standard input.
    #[arg(value_name = "NEW")]
    pub(crate) new: String,
    /// Data files to evaluate both rubrics on: PATH, KIND=PATH, or - for standard input.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub(crate) data: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
    /// The CSV field delimiter of the data files (one character; `tab` for tabs).
    #[arg(long, default_value = ",")]
    pub(crate) delimiter: String,
}

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  rubric explain rubrics/dealer-sales-callback.rubric rubrics/data/dealer-sales-callback.csv --record S0001
  rubric explain x.rubric data.csv --record '#12'                the 12th data row
  rubric explain x.rubric data.csv --group 顾问 consultant=张伟 --period 2026-01
  rubric explain x.rubric data.csv --record S0001 --format json

Exit codes: 0 explained, 1 no such record or group row, 2 the rubric has errors or a
file could not be read.";

/// How `rubric explain` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Plain words, one step per line.
    Text,
    /// The trace as JSON.
    Json,
}

/// `rubric explain`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["record", "group"])))]
pub struct ExplainArgs {
    /// The rubric: a `.rubric` source or a compiled `.ron`.
    #[arg(value_name = "RUBRIC")]
    pub(crate) rubric: PathBuf,
    /// Data files: PATH, KIND=PATH, or - for standard input.
    #[arg(value_name = "DATA", required = true)]
    pub(crate) data: Vec<String>,
    /// The record: its id, or #n for the n-th data row.
    #[arg(long, value_name = "ID")]
    pub(crate) record: Option<String>,
    /// The group row: the group's name, then its keys as KEY=VALUE.
    #[arg(long, value_name = "NAME KEY=VALUE", num_args = 1..)]
    pub(crate) group: Vec<String>,
    /// The group row's period: 2026-01, 2026-Q1, 2026-H1 or 2026.
    #[arg(long, value_name = "P", requires = "group")]
    pub(crate) period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub(crate) format: ExplainFormat,
}
