//! `--rejects FILE`: one CSV line per rejected record — file, row, line, kind,
//! column, code, reason and the record itself — so every rejected record can be
//! fixed and run again.

use std::fs;
use std::path::Path;

/// One rejected record.
pub(crate) struct RejectLine {
    /// The input file.
    pub(crate) file: String,
    /// Its data row number in that file.
    pub(crate) row: u64,
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The record kind, when known.
    pub(crate) kind: String,
    /// The field at fault, when there is one.
    pub(crate) column: String,
    /// The reject code.
    pub(crate) code: &'static str,
    /// Why, in plain words.
    pub(crate) reason: String,
    /// The record as read.
    pub(crate) record: String,
}

/// The rejects file being written.
pub(crate) struct RejectsFile {
    writer: csv::Writer<fs::File>,
}

impl RejectsFile {
    /// Creates the file and writes its header, before any input is read.
    pub(crate) fn create(path: &Path) -> Result<Self, String> {
        let mut writer = csv::Writer::from_path(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        writer
            .write_record([
                "file", "row", "line", "kind", "column", "code", "reason", "record",
            ])
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(RejectsFile { writer })
    }

    /// Writes one line.
    pub(crate) fn write(&mut self, r: &RejectLine) -> csv::Result<()> {
        let (row, line) = (r.row.to_string(), r.line.to_string());
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
    }
}

impl Drop for RejectsFile {
    fn drop(&mut self) {
        let _ = self.writer.flush();
    }
}
