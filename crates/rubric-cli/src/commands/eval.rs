//! `rubric eval RUBRIC DATA…`: score every record, print the group tables and a
//! summary line; rejected records go to `--rejects` so they can be fixed and re-run.

use crate::args::{EvalArgs, OutputFormat};
use crate::data::{self, Row, Sink, Source, Stats};
use crate::parallel::Pool;
use crate::rejects::{score_row, OutcomeFile, OutcomeLine};
use crate::render::Reporter;
use crate::results;
use crate::split;
use crate::stdout::Stdout;
use crate::Status;
use indicatif::{ProgressBar, ProgressStyle};
use rubric_engine::eval::{Evaluator, Results};
use rubric_engine::model::Rubric;
use std::fs;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: &EvalArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let rubric = match super::load_rubric(&args.rubric, report) {
        Ok(r) => r,
        Err(status) => return status,
    };
    // An output that cannot be written fails now, before any input is read
    // (reliability.md D38), not after the whole run.
    if let Err(e) = check_output(args) {
        report.problem(&e);
        return Status::Trouble;
    }
    let opened = args
        .rejects
        .as_deref()
        .map(OutcomeFile::rejects)
        .transpose()
        .and_then(|rejects| {
            let records = args
                .records
                .as_deref()
                .map(OutcomeFile::records)
                .transpose()?;
            Ok((rejects, records))
        });
    let (mut rejects, mut records) = match opened {
        Ok(files) => files,
        Err(e) => {
            report.problem(&e);
            return Status::Trouble;
        }
    };
    let delimiter = match delimiter(&args.delimiter) {
        Ok(d) => d,
        Err(e) => {
            report.problem(&e);
            return Status::Trouble;
        }
    };
    let columns = json_columns(&rubric);
    let (results, failed, blank_lines) = std::thread::scope(|scope| {
        let mut run = Run::new(&rubric, rejects.as_mut(), records.as_mut());
        run.delimiter = delimiter;
        // CSV files are cut into one share per thread; other inputs (standard input,
        // JSON) are read on this thread and scored by a pool.
        let sources: Vec<Source> = args.data.iter().map(|a| Source::parse(a)).collect();
        let streams = sources.iter().any(|s| s.csv_file().is_none());
        if args.threads > 1 && streams {
            let all = run.records.is_some();
            run.pool = Some(Pool::start(
                scope,
                &rubric,
                usize::from(args.threads),
                delimiter,
                all,
            ));
        }
        for source in &sources {
            run.source = source.name();
            run.kind = source.kind.clone();
            let read = match source.csv_file() {
                Some(path) if args.threads > 1 => run.split(path, usize::from(args.threads)),
                _ => data::stream(source, delimiter, &columns, &mut run),
            };
            match read {
                Ok(stats) => run.blank_lines = run.blank_lines.saturating_add(stats.blank_lines),
                Err(e) => {
                    report.problem(&e);
                    run.failed = true;
                }
            }
        }
        run.progress.finish_and_clear();
        let evaluator = run.finish();
        (
            evaluator.map(Evaluator::finish),
            run.failed,
            run.blank_lines,
        )
    });
    let Some(results) = results else {
        return Status::Trouble;
    };
    let status = match write_results(args, &rubric, &results, out) {
        Ok(()) => Status::Ok,
        Err(e) => {
            report.problem(&e);
            Status::Trouble
        }
    };
    report.note(&summary_line(&results, blank_lines));
    let findings = if results.summary.rejected > 0 {
        Status::Findings
    } else {
        Status::Ok
    };
    let trouble = if failed { Status::Trouble } else { Status::Ok };
    status.and(findings).and(trouble)
}

fn delimiter(text: &str) -> Result<u8, String> {
    match text.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
        _ if text == "\\t" || text == "tab" => Ok(b'\t'),
        _ => Err(format!(
            "--delimiter must be one ASCII character, not `{text}`"
        )),
    }
}

/// The columns JSON records are read by: every field's column and the kind column.
pub(crate) fn json_columns(rubric: &Rubric) -> Vec<String> {
    let mut cols: Vec<String> = rubric.kind_column.iter().cloned().collect();
    for f in rubric.kinds.iter().flat_map(|k| &k.fields) {
        if !cols.contains(&f.column) {
            cols.push(f.column.clone());
        }
    }
    cols
}

/// One evaluation across every data file.
struct Run<'r, 'w> {
    rubric: &'r Rubric,
    evaluator: Option<Evaluator<'r>>,
    rejects: Option<&'w mut OutcomeFile>,
    records: Option<&'w mut OutcomeFile>,
    progress: ProgressBar,
    source: String,
    kind: Option<String>,
    failed: bool,
    /// The CSV delimiter, for the raw records in the rejects file.
    delimiter: u8,
    /// Blank lines skipped in every file so far (not records).
    blank_lines: u64,
    /// With `--threads N` and an input read as a stream: the scoring threads.
    pool: Option<Pool<'r>>,
    /// Whether the current file is read in shares (the pool is not used).
    splitting: bool,
}

impl<'r, 'w> Run<'r, 'w> {
    fn new(
        rubric: &'r Rubric,
        rejects: Option<&'w mut OutcomeFile>,
        records: Option<&'w mut OutcomeFile>,
    ) -> Self {
        let progress = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} records ({per_sec})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        } else {
            ProgressBar::hidden()
        };
        Run {
            rubric,
            evaluator: None,
            rejects,
            records,
            progress,
            source: String::new(),
            kind: None,
            failed: false,
            pool: None,
            splitting: false,
            delimiter: b',',
            blank_lines: 0,
        }
    }
}

impl Sink for Run<'_, '_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let bound = match self.evaluator.as_mut() {
            Some(e) => e.rebind(columns, self.kind.as_deref()),
            None => Evaluator::for_kind(self.rubric, columns, self.kind.as_deref()).map(|mut e| {
                // `--records` lists every record's id; otherwise only rejections.
                e.keep_values(self.records.is_some());
                self.evaluator = Some(e);
            }),
        };
        bound.map_err(|problems| {
            let lines: Vec<String> = problems
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            format!(
                "{}: the header does not fit the rubric:\n  {}",
                self.source,
                lines.join("\n  ")
            )
        })?;
        if let Some(pool) = self.pool.as_mut().filter(|_| !self.splitting) {
            pool.header(&self.source, columns, self.kind.as_deref());
        }
        Ok(())
    }

    fn row(&mut self, row: &Row<'_>) {
        if let Some(pool) = self.pool.as_mut().filter(|_| !self.splitting) {
            let lines = pool.row(row);
            self.write_outcomes(&lines);
            return;
        }
        let Some(evaluator) = self.evaluator.as_mut() else {
            return;
        };
        let all = self.records.is_some();
        let line = score_row(evaluator, row, &self.source, all, self.delimiter);
        if row.number.is_multiple_of(4096) {
            self.progress.set_position(evaluator.summary().read);
        }
        if let Some(line) = line {
            self.write_outcomes(std::slice::from_ref(&line));
        }
    }
}

impl<'r> Run<'r, '_> {
    /// Reads a CSV file in one share per thread (see `split`): this thread reads
    /// the header and the first share; the others are joined in input order.
    fn split(&mut self, path: &Path, threads: usize) -> Result<Stats, String> {
        let name = self.source.clone();
        let (header, data_start) = data::csv_file_header(path, self.delimiter, &name)?;
        let cuts = split::cuts(path, data_start, threads)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        let Some(&first_end) = cuts.first() else {
            return data::csv_head(path, self.delimiter, &name, self, u64::MAX);
        };
        let kind = self.kind.clone();
        let input = split::Input {
            path,
            name: &name,
            kind: kind.as_deref(),
            delimiter: self.delimiter,
            rejects: self.rejects.is_some(),
            records: self.records.is_some(),
        };
        let rubric = self.rubric;
        self.splitting = true;
        let read = std::thread::scope(|scope| {
            let shares = split::start(scope, rubric, input, &header, &cuts);
            let first = data::csv_head(path, self.delimiter, &name, self, first_end);
            match (first, self.evaluator.as_mut()) {
                (Ok(first), Some(evaluator)) => {
                    let rejects = self.rejects.as_deref_mut();
                    let records = self.records.as_deref_mut();
                    split::join(shares, &first, evaluator, rejects, records).map(|j| Stats {
                        blank_lines: j.blank_lines,
                        ..first
                    })
                }
                (Ok(first), None) => Ok(first),
                (Err(e), _) => Err(e),
            }
        });
        self.splitting = false;
        read
    }

    /// Writes outcome lines to `--rejects` and `--records`, whichever are open.
    fn write_outcomes(&mut self, lines: &[OutcomeLine]) {
        for file in [self.rejects.as_deref_mut(), self.records.as_deref_mut()]
            .into_iter()
            .flatten()
        {
            for line in lines {
                if file.write(line).is_err() {
                    self.failed = true;
                }
            }
        }
    }

    /// The evaluation's end: with threads, waits for them and merges their work into
    /// the reading thread's evaluator (which counted nothing but the headers).
    fn finish(&mut self) -> Option<Evaluator<'r>> {
        let mut evaluator = self.evaluator.take()?;
        if let Some(pool) = self.pool.take() {
            let (merged, lines) = pool.finish();
            self.write_outcomes(&lines);
            if let Some(m) = merged {
                evaluator.merge(m);
            }
        }
        Some(evaluator)
    }
}

fn write_results(
    args: &EvalArgs,
    rubric: &Rubric,
    results: &Results,
    out: &mut Stdout,
) -> Result<(), String> {
    match args.format {
        OutputFormat::Table => {
            let text = results::text(&results::sheets(rubric, results, "–"));
            emit(args.output.as_deref(), &text, out)
        }
        OutputFormat::Json => {
            let doc = results::json_document(rubric, results);
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
            emit(args.output.as_deref(), &text, out)
        }
        OutputFormat::Csv => {
            let sheets = results::sheets(rubric, results, "");
            match args.output.as_deref() {
                Some(dir) if dir.as_os_str() != "-" => {
                    fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    for s in &sheets {
                        let path = dir.join(format!("{}.csv", s.slug));
                        fs::write(&path, results::csv_text(s)?)
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    }
                    Ok(())
                }
                _ => {
                    let texts: Result<Vec<String>, String> =
                        sheets.iter().map(results::csv_text).collect();
                    emit(None, &texts?.join("\n"), out)
                }
            }
        }
    }
}

fn emit(path: Option<&Path>, text: &str, out: &mut Stdout) -> Result<(), String> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        _ => out
            .write(text)
            .map_err(|e| format!("cannot write to standard output: {e}")),
    }
}

/// The summary: read = scored + excluded + rejected, and the blank lines skipped (which
/// are not records) when there were any.
fn summary_line(results: &Results, blank_lines: u64) -> String {
    let s = results.summary;
    let short: String = results.rubric.hash.chars().take(12).collect();
    let blank = match blank_lines {
        0 => String::new(),
        1 => " · 1 blank line skipped".to_string(),
        n => format!(" · {n} blank lines skipped"),
    };
    format!(
        "{} {} ({short}): read {} · scored {} · excluded {} · rejected {}{blank}",
        results.rubric.id,
        results.rubric.version.as_deref().unwrap_or(""),
        s.read,
        s.scored,
        s.excluded,
        s.rejected
    )
}

/// Fails when `-o` cannot be written: a file whose directory is missing or
/// read-only, or a directory (`--format csv`) that cannot be created or written.
/// Nothing is left behind: a probe file is removed again, and an existing output is
/// not touched.
fn check_output(args: &EvalArgs) -> Result<(), String> {
    let Some(path) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
        return Ok(());
    };
    let (dir, probe_name) = if args.format == OutputFormat::Csv {
        fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        (path.to_path_buf(), ".rubric-write-probe".to_string())
    } else {
        if path.is_dir() {
            return Err(format!(
                "cannot write {}: it is a directory",
                path.display()
            ));
        }
        if path.exists() {
            // Opening for append changes nothing, and says whether it can be written.
            return fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map(drop)
                .map_err(|e| format!("cannot write {}: {e}", path.display()));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (dir, format!(".{name}.rubric-write-probe"))
    };
    let probe = dir.join(probe_name);
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let _ = fs::remove_file(&probe);
    Ok(())
}
