//! `rubric eval RUBRIC DATA…`: score every record, print the group tables and a
//! summary line; rejected records go to `--rejects` so they can be fixed and re-run.

use crate::args::{EvalArgs, OutputFormat};
use crate::data::{self, Row, Sink, Source};
use crate::render::Reporter;
use crate::results;
use crate::stdout::Stdout;
use crate::Status;
use indicatif::{ProgressBar, ProgressStyle};
use rubric_engine::eval::{Evaluator, RecordStatus, Results};
use rubric_engine::model::Rubric;
use std::fs;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: &EvalArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let rubric = match super::load_rubric(&args.rubric, report) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let mut rejects = match args.rejects.as_deref().map(RejectsFile::create).transpose() {
        Ok(r) => r,
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
    let mut run = Run::new(&rubric, rejects.as_mut());
    for arg in &args.data {
        let source = Source::parse(arg);
        run.source = source.name();
        run.kind = source.kind.clone();
        if let Err(e) = data::stream(&source, delimiter, &columns, &mut run) {
            report.problem(&e);
            run.failed = true;
        }
    }
    run.progress.finish_and_clear();
    let failed = run.failed;
    let Some(evaluator) = run.evaluator.take() else {
        return Status::Trouble;
    };
    let results = evaluator.finish();
    let status = match write_results(args, &rubric, &results, out) {
        Ok(()) => Status::Ok,
        Err(e) => {
            report.problem(&e);
            Status::Trouble
        }
    };
    report.note(&summary_line(&results));
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
        [b] => Ok(*b),
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
    rejects: Option<&'w mut RejectsFile>,
    progress: ProgressBar,
    source: String,
    kind: Option<String>,
    failed: bool,
}

impl<'r, 'w> Run<'r, 'w> {
    fn new(rubric: &'r Rubric, rejects: Option<&'w mut RejectsFile>) -> Self {
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
            progress,
            source: String::new(),
            kind: None,
            failed: false,
        }
    }
}

impl Sink for Run<'_, '_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let bound = match self.evaluator.as_mut() {
            Some(e) => e.rebind(columns, self.kind.as_deref()),
            None => Evaluator::new(self.rubric, columns).and_then(|mut e| {
                if self.kind.is_some() {
                    e.rebind(columns, self.kind.as_deref())?;
                }
                self.evaluator = Some(e);
                Ok(())
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
        })
    }

    fn row(&mut self, row: Row<'_>) {
        let Some(evaluator) = self.evaluator.as_mut() else {
            return;
        };
        let outcome = match &row.cells {
            Ok(cells) => evaluator.push(row.number, cells),
            Err((code, reason)) => evaluator.reject_unread(row.number, code, reason.clone()),
        };
        if row.number.is_multiple_of(4096) {
            self.progress.set_position(evaluator.summary().read);
        }
        if let (
            Some(file),
            RecordStatus::Rejected {
                field,
                code,
                reason,
            },
        ) = (self.rejects.as_deref_mut(), &outcome.status)
        {
            let raw = match &row.cells {
                Ok(cells) => cells.join(","),
                Err(_) => row.raw.clone(),
            };
            let kind = outcome.kind.as_deref().unwrap_or("");
            if file
                .write(
                    &self.source,
                    &row,
                    kind,
                    field.as_deref(),
                    code,
                    reason,
                    &raw,
                )
                .is_err()
            {
                self.failed = true;
            }
        }
    }
}

/// `--rejects FILE`: one CSV line per rejected record, with the raw record.
struct RejectsFile {
    writer: csv::Writer<fs::File>,
}

impl RejectsFile {
    fn create(path: &Path) -> Result<Self, String> {
        let mut writer = csv::Writer::from_path(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        writer
            .write_record([
                "file", "row", "line", "kind", "column", "code", "reason", "record",
            ])
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(RejectsFile { writer })
    }

    #[allow(clippy::too_many_arguments)]
    fn write(
        &mut self,
        file: &str,
        row: &Row<'_>,
        kind: &str,
        field: Option<&str>,
        code: &str,
        reason: &str,
        raw: &str,
    ) -> csv::Result<()> {
        let (number, line) = (row.number.to_string(), row.line.to_string());
        self.writer.write_record([
            file,
            &number,
            &line,
            kind,
            field.unwrap_or(""),
            code,
            reason,
            raw,
        ])
    }
}

impl Drop for RejectsFile {
    fn drop(&mut self) {
        let _ = self.writer.flush();
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

fn summary_line(results: &Results) -> String {
    let s = results.summary;
    let short: String = results.rubric.hash.chars().take(12).collect();
    format!(
        "{} {} ({short}): read {} · scored {} · excluded {} · rejected {}",
        results.rubric.id,
        results.rubric.version.as_deref().unwrap_or(""),
        s.read,
        s.scored,
        s.excluded,
        s.rejected
    )
}
