//! Per-record outcome files. `--rejects FILE`: one CSV line per rejected record —
//! file, row, line, kind, column, code, reason and the record itself — so every
//! rejected record can be fixed and run again. `--records FILE`: one line per record
//! — its status, and for excluded and rejected records the reason.

use crate::data::Row;
use rubric_engine::eval::{Evaluator, RecordOutcome, RecordStatus};
use std::fs;
use std::io::{Seek, SeekFrom};
use std::path::Path;

/// What one record came to, as the outcome files write it.
pub(crate) struct OutcomeLine {
    /// The input file.
    pub(crate) file: String,
    /// Its data row number in that file.
    pub(crate) row: u64,
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The record kind, when known.
    pub(crate) kind: String,
    /// The record's id, when it has one.
    pub(crate) id: String,
    /// `scored`, `excluded` or `rejected`.
    pub(crate) status: &'static str,
    /// The field at fault, when there is one.
    pub(crate) column: String,
    /// The reject code.
    pub(crate) code: &'static str,
    /// Why it was excluded or rejected, in plain words.
    pub(crate) reason: String,
    /// The record as read (rejected records only).
    pub(crate) record: String,
}

/// Where a row came from, to describe its outcome.
struct RowSource<'a> {
    /// The input file.
    file: &'a str,
    /// The data row number.
    row: u64,
    /// The line it starts on.
    line: u64,
    /// Its cells, or the raw text of a row that could not be read.
    cells: Result<&'a [&'a str], &'a str>,
    /// The input column at fault in an unreadable row.
    column: Option<&'a str>,
}

/// Scores one row of `file` (or counts an unreadable one as rejected) and returns
/// its line for the outcome files: `None` when only rejections are wanted (`all`
/// false) and it was not rejected.
pub(crate) fn score_row(
    evaluator: &mut Evaluator<'_>,
    row: &Row<'_>,
    file: &str,
    all: bool,
    delimiter: u8,
) -> Option<OutcomeLine> {
    let outcome = match &row.cells {
        Ok(cells) => evaluator.push(row.number, cells),
        Err((code, reason)) => evaluator.reject_unread(row.number, code, reason.clone()),
    };
    let src = RowSource {
        file,
        row: row.number,
        line: row.line,
        cells: match &row.cells {
            Ok(cells) => Ok(cells.as_slice()),
            Err(_) => Err(row.raw.as_str()),
        },
        column: row.column.as_deref(),
    };
    outcome_line(&src, &outcome, all, delimiter)
}

/// The line for a record, or `None` when only rejections are wanted and this
/// record was not rejected.
fn outcome_line(
    src: &RowSource<'_>,
    outcome: &RecordOutcome,
    all: bool,
    delimiter: u8,
) -> Option<OutcomeLine> {
    let (column, code, reason) = match &outcome.status {
        RecordStatus::Rejected {
            field,
            code,
            reason,
        } => {
            // An unreadable row names its input column, when one is at fault.
            (
                field.as_deref().or(src.column).unwrap_or(""),
                *code,
                reason.clone(),
            )
        }
        _ if !all => return None,
        RecordStatus::Excluded { reason } => ("", "", reason.clone()),
        _ => ("", "", String::new()),
    };
    let rejected = matches!(outcome.status, RecordStatus::Rejected { .. });
    let record = match (rejected, src.cells) {
        (false, _) => String::new(),
        (true, Ok(cells)) => crate::data::record_text(cells.iter().copied(), delimiter),
        (true, Err(raw)) => raw.to_string(),
    };
    Some(OutcomeLine {
        file: src.file.to_string(),
        row: src.row,
        line: src.line,
        kind: outcome.kind.as_deref().unwrap_or("").to_string(),
        id: outcome.id.clone().unwrap_or_default(),
        status: outcome.status.name(),
        column: column.to_string(),
        code,
        reason,
        record,
    })
}

/// An outcome file being written: rejections only, or every record.
pub(crate) struct OutcomeFile {
    writer: csv::Writer<fs::File>,
    all: bool,
}

impl OutcomeFile {
    /// `--rejects FILE`, created with its header before any input is read.
    pub(crate) fn rejects(path: &Path) -> Result<Self, String> {
        Self::create(
            path,
            false,
            &[
                "file", "row", "line", "kind", "column", "code", "reason", "record",
            ],
        )
    }

    /// `--records FILE`, created with its header before any input is read.
    pub(crate) fn records(path: &Path) -> Result<Self, String> {
        Self::create(
            path,
            true,
            &[
                "file", "row", "line", "kind", "id", "status", "column", "code", "reason",
            ],
        )
    }

    /// A nameless temporary file taking the lines of one share of an input (another
    /// thread's byte range) until [`Self::append_shifted`] copies them over.
    pub(crate) fn spool(all: bool) -> Result<Self, String> {
        let file =
            tempfile::tempfile().map_err(|e| format!("cannot create a temporary file: {e}"))?;
        Ok(OutcomeFile {
            writer: csv::Writer::from_writer(file),
            all,
        })
    }

    /// Appends the lines of a spool, adding `rows` to their row numbers and `lines`
    /// to their line numbers (the rows and lines before the spool's share).
    pub(crate) fn append_shifted(
        &mut self,
        spool: &mut OutcomeFile,
        rows: u64,
        lines: u64,
    ) -> Result<(), String> {
        let problem = |e: &dyn std::fmt::Display| format!("cannot copy a temporary file: {e}");
        spool.writer.flush().map_err(|e| problem(&e))?;
        let mut file = spool
            .writer
            .get_ref()
            .try_clone()
            .map_err(|e| problem(&e))?;
        file.seek(SeekFrom::Start(0)).map_err(|e| problem(&e))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        let shift = |text: &str, by: u64| {
            text.parse::<u64>()
                .map_or_else(|_| text.to_string(), |n| n.saturating_add(by).to_string())
        };
        for record in reader.records() {
            let record = record.map_err(|e| problem(&e))?;
            let fields = record.iter().enumerate().map(|(i, f)| match i {
                1 => shift(f, rows),
                2 => shift(f, lines),
                _ => f.to_string(),
            });
            self.writer
                .write_record(fields.collect::<Vec<_>>())
                .map_err(|e| problem(&e))?;
        }
        Ok(())
    }

    fn create(path: &Path, all: bool, header: &[&str]) -> Result<Self, String> {
        let problem = |e: csv::Error| format!("cannot write {}: {e}", path.display());
        let mut writer = csv::Writer::from_path(path).map_err(problem)?;
        writer.write_record(header).map_err(problem)?;
        Ok(OutcomeFile { writer, all })
    }

    /// Writes one line (a file of rejections skips the others).
    pub(crate) fn write(&mut self, r: &OutcomeLine) -> csv::Result<()> {
        let (row, line) = (r.row.to_string(), r.line.to_string());
        if self.all {
            self.writer.write_record([
                r.file.as_str(),
                &row,
                &line,
                &r.kind,
                &r.id,
                r.status,
                &r.column,
                r.code,
                &r.reason,
            ])
        } else if r.status == "rejected" {
            self.writer.write_record([
                r.file.as_str(),
                &row,
                &line,
                &r.kind,
                &r.column,
                r.code,
                &r.reason,
                &r.record,
            ])
        } else {
            Ok(())
        }
    }
}

impl Drop for OutcomeFile {
    fn drop(&mut self) {
        let _ = self.writer.flush();
    }
}
