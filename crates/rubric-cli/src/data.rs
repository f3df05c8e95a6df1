//! Response data in: CSV (header row, BOM, any delimiter) and JSON (an array of
//! objects, or one object per line), streamed row by row into a callback. Rows that
//! cannot be read (invalid UTF-8, an oversized field or record, an unterminated
//! quote, a JSON value that is not a flat object) are handed over as unreadable,
//! never dropped; blank lines are counted, not read as records.
//!
//! Every size limit is enforced while reading, before the bytes it protects are kept:
//! the CSV reader drives `csv-core` itself with output buffers that stop growing at
//! [`MAX_RECORD_BYTES`] and [`MAX_COLUMNS`] (the `csv` crate grows its buffers to fit
//! any field), and JSON Lines are read with a bounded line reader.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Largest field accepted, in bytes (`E-FIELD-TOO-LARGE`).
pub(crate) const MAX_FIELD_BYTES: usize = 1024 * 1024;
/// Largest record accepted (a CSV row's fields together, or a JSON Lines line), in
/// bytes (`E-RECORD-TOO-LARGE`).
pub(crate) const MAX_RECORD_BYTES: usize = 4 * MAX_FIELD_BYTES;
/// Most columns accepted in a header (`E-TOO-MANY-COLUMNS`).
pub(crate) const MAX_COLUMNS: usize = 10_000;
/// Deepest nesting of `[` and `{` in JSON data (`E-JSON-DEPTH`), checked before
/// the JSON parser recurses.
pub(crate) const MAX_JSON_DEPTH: usize = 64;
/// Largest JSON array file read whole, in bytes.
pub(crate) const MAX_JSON_ARRAY_BYTES: u64 = 512 * 1024 * 1024;
/// Characters of each field kept in the raw text of an unreadable row.
const RAW_FIELD_CHARS: usize = 200;
/// Characters of a JSON record kept as its raw text.
const RAW_JSON_CHARS: usize = 400;

/// Reject codes of rows that cannot be read (documented in docs/diagnostics.md,
/// "Reject codes").
pub(crate) mod codes {
    /// A field over [`super::MAX_FIELD_BYTES`].
    pub(crate) const FIELD_TOO_LARGE: &str = "E-FIELD-TOO-LARGE";
    /// A record over [`super::MAX_RECORD_BYTES`].
    pub(crate) const RECORD_TOO_LARGE: &str = "E-RECORD-TOO-LARGE";
    /// A quoted CSV field that is still open at the end of the file.
    pub(crate) const UNTERMINATED_QUOTE: &str = "E-UNTERMINATED-QUOTE";
    /// A field that is not UTF-8.
    pub(crate) const UTF8: &str = "E-UTF8";
    /// A field holding a NUL byte.
    pub(crate) const CONTROL_CHAR: &str = "E-CONTROL-CHAR";
    /// A JSON Lines line that is not JSON.
    pub(crate) const JSON_SYNTAX: &str = "E-JSON-SYNTAX";
    /// A JSON record that is not a flat object.
    pub(crate) const JSON_SHAPE: &str = "E-JSON-SHAPE";
    /// JSON nested deeper than [`super::MAX_JSON_DEPTH`].
    pub(crate) const JSON_DEPTH: &str = "E-JSON-DEPTH";
    /// A JSON object naming one key twice.
    pub(crate) const DUP_KEY: &str = "E-DUP-KEY";
    /// A row with more cells than can be kept (more than [`super::MAX_COLUMNS`]): the
    /// evaluator's own code for a row whose width differs from the header's.
    pub(crate) use rubric_engine::eval::codes::ROW_ARITY;
}

/// One data argument: `PATH`, `-`, or `KIND=PATH` for a file holding one record kind.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// The record kind of every row, when given.
    pub(crate) kind: Option<String>,
    /// The file, or `None` for standard input.
    pub(crate) path: Option<PathBuf>,
}

impl Source {
    /// Reads `KIND=PATH`, `PATH` or `-`.
    pub(crate) fn parse(arg: &str) -> Source {
        let (kind, path) = match arg.split_once('=') {
            Some((k, p)) if !k.is_empty() && !Path::new(arg).exists() => (Some(k.to_string()), p),
            _ => (None, arg),
        };
        Source {
            kind,
            path: (path != "-").then(|| PathBuf::from(path)),
        }
    }

    /// The name shown in messages.
    pub(crate) fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or("<stdin>".to_string(), |p| p.display().to_string())
    }

    /// The path of a CSV file (not standard input, not JSON): one that can be read
    /// in byte ranges.
    pub(crate) fn csv_file(&self) -> Option<&Path> {
        self.path
            .as_deref()
            .filter(|_| self.format() == Format::Csv)
    }

    fn format(&self) -> Format {
        let ext = self
            .path
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("json") => Format::JsonArray,
            Some("jsonl" | "ndjson") => Format::JsonLines,
            _ => Format::Csv,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Format {
    Csv,
    JsonArray,
    JsonLines,
}

/// A data row: cells in header order, or why it could not be read.
pub(crate) struct Row<'a> {
    /// 1-based data row number within its file (the header and blank lines are not
    /// counted).
    pub(crate) number: u64,
    /// 1-based line where the row starts (CRLF and a lone CR end a line, as LF does);
    /// 0 for the items of a JSON array.
    pub(crate) line: u64,
    /// The cells, or (code, reason).
    pub(crate) cells: Result<Vec<&'a str>, (&'static str, String)>,
    /// The raw record, for the rejects file (set for unreadable rows).
    pub(crate) raw: String,
    /// For an unreadable row, the input column at fault when there is one.
    pub(crate) column: Option<String>,
}

/// What reading a file found besides its rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Empty lines (whitespace-only lines in JSON Lines), which are not records.
    pub(crate) blank_lines: u64,
    /// Data rows read (CSV).
    pub(crate) rows: u64,
    /// Line ends read (CSV), the header's included.
    pub(crate) line_ends: u64,
    /// Whether a CSV reader given a byte to stop at found a record starting exactly
    /// there (and stopped); when it did not, it read on to the end of the file.
    pub(crate) stopped: bool,
}

/// What a reader tells its caller.
pub(crate) trait Sink {
    /// The header; an error stops the file.
    fn header(&mut self, columns: &[&str]) -> Result<(), String>;
    /// One row.
    fn row(&mut self, row: &Row<'_>);
}

/// Streams one source into the sink. `columns` are the columns JSON objects are read
/// by (CSV files bring their own header). Errors are I/O or format problems that stop
/// the file; the message says which file.
pub(crate) fn stream(
    source: &Source,
    delimiter: u8,
    columns: &[String],
    sink: &mut dyn Sink,
) -> Result<Stats, String> {
    let name = source.name();
    let format = source.format();
    match &source.path {
        Some(p) => {
            if p.is_dir() {
                return Err(format!("cannot read {name}: it is a directory"));
            }
            let file = File::open(p).map_err(|e| format!("cannot read {name}: {e}"))?;
            stream_from(file, format, delimiter, columns, &name, sink)
        }
        None => stream_from(io::stdin().lock(), format, delimiter, columns, &name, sink),
    }
}

/// [`stream`] from any reader (the fuzz targets read from memory).
pub(crate) fn stream_from(
    reader: impl Read,
    format: Format,
    delimiter: u8,
    columns: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<Stats, String> {
    let (reader, _) = without_bom(reader).map_err(|e| format!("cannot read {name}: {e}"))?;
    let reader = BufReader::with_capacity(1 << 16, reader);
    match format {
        Format::Csv => csv_rows(reader, delimiter, name, sink, None),
        Format::JsonLines => json_lines(reader, columns, name, sink),
        Format::JsonArray => json_array(reader, columns, name, sink),
    }
}

/// Reads the header and the records of a CSV file that start before byte `end` (a
/// line start: see [`Stats::stopped`]), as [`stream`] reads a whole file.
pub(crate) fn csv_head(
    path: &Path,
    delimiter: u8,
    name: &str,
    sink: &mut dyn Sink,
    end: u64,
) -> Result<Stats, String> {
    let file = File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let (reader, bom) = without_bom(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let reader = BufReader::with_capacity(1 << 16, reader);
    csv_rows(reader, delimiter, name, sink, Some(end.saturating_sub(bom)))
}

/// Reads the records of a CSV file that start from byte `start` (the start of a
/// line after the header) up to byte `end` (see [`Stats::stopped`]), or to the end
/// of the file. Row and line numbers count from `start`; `header` is the file's.
pub(crate) fn csv_range(
    path: &Path,
    (start, end): (u64, Option<u64>),
    delimiter: u8,
    header: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<Stats, String> {
    let read_error = |e: io::Error| format!("cannot read {name}: {e}");
    let mut file = File::open(path).map_err(read_error)?;
    file.seek(SeekFrom::Start(start)).map_err(read_error)?;
    let mut csv = CsvReader::new(BufReader::with_capacity(1 << 16, file), delimiter);
    csv.width = header.len();
    let end = end.map(|e| e.saturating_sub(start));
    csv_records(&mut csv, header, delimiter, sink, end).map_err(read_error)
}

/// A reader after its first bytes were looked at for a BOM.
type Unbommed<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// The reader without a leading UTF-8 BOM, and the bytes skipped. The first three
/// bytes are read with as many reads as it takes, so a BOM split across reads (a pipe,
/// a one-byte buffer) is still recognised. A UTF-16 BOM is an error.
fn without_bom<R: Read>(mut reader: R) -> io::Result<(Unbommed<R>, u64)> {
    let mut head = [0u8; 3];
    let mut got = 0;
    while let Some(rest) = head.get_mut(got..).filter(|r| !r.is_empty()) {
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let head = head.get(..got).unwrap_or(&[]);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the file is UTF-16; save it as UTF-8 (E-ENCODING)",
        ));
    }
    let kept = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec();
    let skipped = u64::try_from(head.len().saturating_sub(kept.len())).unwrap_or(0);
    Ok((io::Cursor::new(kept).chain(reader), skipped))
}

// ------------------------------------------------------------------ CSV

/// A CSV input: its header, then its records (up to `end`, a byte offset from the
/// start of `reader`, when given).
fn csv_rows(
    reader: impl BufRead,
    delimiter: u8,
    name: &str,
    sink: &mut dyn Sink,
    end: Option<u64>,
) -> Result<Stats, String> {
    let mut csv = CsvReader::new(reader, delimiter);
    let header = csv_header(&mut csv, name)?;
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    sink.header(&header_refs)?;
    let read_error = |e: io::Error| format!("cannot read {name}: {e}");
    csv_records(&mut csv, &header, delimiter, sink, end).map_err(read_error)
}

/// The header of a CSV file, and the byte where its data starts.
pub(crate) fn csv_file_header(
    path: &Path,
    delimiter: u8,
    name: &str,
) -> Result<(Vec<String>, u64), String> {
    let file = File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let (reader, bom) = without_bom(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut csv = CsvReader::new(BufReader::with_capacity(1 << 16, reader), delimiter);
    let header = csv_header(&mut csv, name)?;
    Ok((header, bom.saturating_add(csv.consumed)))
}

/// Reads the header row; the reader then expects rows as wide.
fn csv_header<R: BufRead>(csv: &mut CsvReader<R>, name: &str) -> Result<Vec<String>, String> {
    let read_error = |e: io::Error| format!("cannot read {name}: {e}");
    if !csv.next_record().map_err(read_error)? {
        return Err(format!(
            "{name} is empty: it needs a header row (E-NO-HEADER)"
        ));
    }
    let fields = csv.shape.fields;
    if fields > MAX_COLUMNS {
        return Err(format!(
            "{name} has {fields} columns; the limit is {MAX_COLUMNS} (E-TOO-MANY-COLUMNS)"
        ));
    }
    if let Some((code, reason, _)) = csv.problem() {
        return Err(format!(
            "the header row of {name} cannot be read: {reason} ({code})"
        ));
    }
    let mut header = Vec::with_capacity(fields);
    for (i, field) in csv.fields().enumerate() {
        match std::str::from_utf8(field) {
            Ok(text) => header.push(text.to_string()),
            Err(e) => {
                return Err(format!(
                    "{name} is not UTF-8: header column {} has a bad byte at {}; save the file as UTF-8 (E-ENCODING)",
                    i + 1,
                    e.valid_up_to() + 1
                ))
            }
        }
    }
    csv.width = header.len();
    Ok(header)
}

/// The records of a CSV input after its header, each handed to the sink. With `end`
/// (a byte offset from the reader's start), stops before a record starting there; a
/// record that starts before it but runs past it (a quoted line break) means `end`
/// was not a record start, and the reader goes on to the end of the input.
fn csv_records<R: BufRead>(
    csv: &mut CsvReader<R>,
    header: &[String],
    delimiter: u8,
    sink: &mut dyn Sink,
    end: Option<u64>,
) -> io::Result<Stats> {
    let mut rows = Rows {
        number: 0,
        end,
        spare: Vec::new(),
    };
    let mut stopped = false;
    while csv.skip_blank_lines()? {
        if at_end(csv.consumed, &mut rows.end) {
            stopped = true;
            break;
        }
        match csv.plain_lines(sink, &mut rows)? {
            Plain::Stopped => {
                stopped = true;
                break;
            }
            Plain::Read(lines) if lines > 0 => continue,
            Plain::Read(_) => {}
        }
        if !csv.next_record()? {
            break;
        }
        rows.number = rows.number.saturating_add(1);
        let number = rows.number;
        let line = csv.shape.line;
        let cells = match csv.problem() {
            Some(problem) => Err(problem),
            None => csv.cells(header, std::mem::take(&mut rows.spare)),
        };
        let row = match cells {
            Ok(cells) => Row {
                number,
                line,
                cells: Ok(cells),
                raw: String::new(),
                column: None,
            },
            Err((code, reason, column)) => Row {
                number,
                line,
                cells: Err((code, reason)),
                raw: raw_text(csv.fields(), delimiter, csv.shape.kept),
                column: column.and_then(|i| header.get(i).cloned()),
            },
        };
        sink.row(&row);
        if let Ok(cells) = row.cells {
            rows.spare = recycle(cells);
        }
    }
    Ok(Stats {
        blank_lines: csv.blank_lines,
        rows: rows.number,
        line_ends: csv.lines.ends,
        stopped,
    })
}

/// Whether a reader that has consumed `consumed` bytes stands at `end`, the byte it
/// is to stop at; past it (a record ran across it), it reads on to the end.
fn at_end(consumed: u64, end: &mut Option<u64>) -> bool {
    match *end {
        Some(e) if consumed == e => true,
        Some(e) if consumed > e => {
            *end = None;
            false
        }
        _ => false,
    }
}

/// An emptied cell vector whose allocation outlives the row it held: an empty
/// vector of borrowed cells becomes one of static ones in place (same layout).
fn recycle(mut cells: Vec<&str>) -> Vec<&'static str> {
    cells.clear();
    cells.into_iter().map(|_| "").collect()
}

/// Where [`csv_records`] stands: rows so far, the byte to stop at, and one cell
/// vector for every row (emptied after each row, its allocation kept).
struct Rows {
    number: u64,
    end: Option<u64>,
    spare: Vec<&'static str>,
}

/// What [`CsvReader::plain_lines`] did.
enum Plain {
    /// Read this many lines (blank ones included); 0 when the next record is for
    /// csv-core.
    Read(usize),
    /// Stopped at the end byte.
    Stopped,
}

/// Why a CSV row cannot be used: its code, the reason, and the column at fault.
type Problem = (&'static str, String, Option<usize>);

/// Where a CSV record starts and what it holds, as far as the limits allow.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    /// 1-based line where the record starts.
    line: u64,
    /// Line where it ends.
    end_line: u64,
    /// Number of fields.
    fields: usize,
    /// Bytes of all fields together.
    bytes: usize,
    /// The first field over [`MAX_FIELD_BYTES`]: (index, bytes).
    oversized: Option<(usize, usize)>,
    /// Whether every field was kept (the record is within the limits).
    kept: bool,
    /// Whether the file ended inside a quoted field.
    unterminated: bool,
}

/// A CSV reader over `csv-core` that keeps at most [`MAX_RECORD_BYTES`] of a record
/// and [`MAX_COLUMNS`] + 1 field ends, skipping the rest while still measuring it;
/// that counts lines itself (LF, CRLF and a lone CR each end one line, also inside
/// quoted fields), counts the blank lines it skips, and tells an unterminated quote
/// at the end of the file from a complete record.
struct CsvReader<R> {
    input: R,
    core: csv_core::Reader,
    /// The kept bytes of the current record's fields.
    bytes: Vec<u8>,
    /// The kept field ends (offsets into `bytes`, as csv-core gives them).
    ends: Vec<usize>,
    /// Where each kept field starts in `bytes` (csv-core's fields follow one
    /// another; a plain line keeps its delimiters between them).
    starts: Vec<usize>,
    /// Where output goes once the limits are reached.
    spill: Vec<u8>,
    spill_ends: Vec<usize>,
    /// How many of `bytes` and `ends` belong to the current record.
    kept_bytes: usize,
    kept_ends: usize,
    lines: Lines,
    quote: Quote,
    delimiter: u8,
    /// Blank lines skipped so far.
    blank_lines: u64,
    /// The header's width, once known.
    width: usize,
    /// Bytes consumed from the input so far.
    consumed: u64,
    /// The current record's shape.
    shape: Shape,
}

impl<R: BufRead> CsvReader<R> {
    fn new(input: R, delimiter: u8) -> Self {
        CsvReader {
            input,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            bytes: Vec::new(),
            ends: Vec::new(),
            spill: vec![0; 1 << 16],
            spill_ends: vec![0; 1 << 10],
            starts: Vec::new(),
            kept_bytes: 0,
            kept_ends: 0,
            lines: Lines::default(),
            quote: Quote::Start,
            delimiter,
            blank_lines: 0,
            width: 0,
            consumed: 0,
            shape: Shape::default(),
        }
    }

    /// Skips empty lines; false at the end of the input.
    fn skip_blank_lines(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let n = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            let before = self.lines.ends;
            self.lines.feed(buf.get(..n).unwrap_or(&[]));
            self.blank_lines = self
                .blank_lines
                .saturating_add(self.lines.ends.saturating_sub(before));
            let more = n < buf.len();
            self.input.consume(n);
            self.consumed = self.consumed.saturating_add(u64::try_from(n).unwrap_or(0));
            if more {
                return Ok(true);
            }
        }
    }

    /// Reads the next record, or `None` at the end of the input.
    fn next_record(&mut self) -> io::Result<bool> {
        if !self.skip_blank_lines()? {
            return Ok(false);
        }
        let line = self.lines.line();
        self.quote = Quote::Start;
        self.kept_bytes = 0;
        self.kept_ends = 0;
        let (mut fields, mut bytes, mut last_end) = (0usize, 0usize, 0usize);
        let mut oversized = None;
        let mut spilled = false;
        loop {
            if self.kept_bytes == self.bytes.len() && self.bytes.len() < MAX_RECORD_BYTES {
                let grown = (self.bytes.len() * 2).clamp(1 << 12, MAX_RECORD_BYTES);
                self.bytes.resize(grown, 0);
            }
            if self.kept_ends == self.ends.len() && self.ends.len() <= MAX_COLUMNS {
                let grown = (self.ends.len() * 2).clamp(64, MAX_COLUMNS + 1);
                self.ends.resize(grown, 0);
            }
            let input = self.input.fill_buf()?;
            let at_end = input.is_empty();
            let (to_bytes, out) = match self.bytes.get_mut(self.kept_bytes..) {
                Some(rest) if !rest.is_empty() && !spilled => (true, rest),
                _ => (false, self.spill.as_mut_slice()),
            };
            let (to_ends, ends) = match self.ends.get_mut(self.kept_ends..) {
                Some(rest) if !rest.is_empty() => (true, rest),
                _ => (false, self.spill_ends.as_mut_slice()),
            };
            let lf_before = self.core.line();
            let (result, nin, nout, nend) = self.core.read_record(input, out, ends);
            let consumed = input.get(..nin).unwrap_or(&[]);
            let lf = self.core.line().saturating_sub(lf_before);
            if self.lines.after_cr || memchr::memchr2(b'\r', b'"', consumed).is_some() {
                self.lines.feed(consumed);
                self.quote = self.quote.after(consumed, self.delimiter);
            } else if let Some(&last) = consumed.last() {
                // No CR and no quote: csv-core's count of LFs is the count of line
                // ends, and the last byte alone decides the quote state.
                self.lines.add_lfs(lf, last);
                self.quote = self.quote.after_plain(last, self.delimiter);
            }
            for &end in ends.get(..nend).unwrap_or(&[]) {
                let size = end.saturating_sub(last_end);
                if size > MAX_FIELD_BYTES && oversized.is_none() {
                    oversized = Some((fields, size));
                }
                last_end = end;
                fields = fields.saturating_add(1);
            }
            self.input.consume(nin);
            self.consumed = self
                .consumed
                .saturating_add(u64::try_from(nin).unwrap_or(0));
            bytes = bytes.saturating_add(nout);
            if to_bytes {
                self.kept_bytes += nout;
            } else if nout > 0 {
                spilled = true;
            }
            if to_ends {
                self.kept_ends += nend;
            }
            match result {
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => return Ok(false),
                csv_core::ReadRecordResult::InputEmpty
                | csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {
                    if at_end && nin == 0 && nout == 0 && nend == 0 {
                        // csv-core asks for more than an empty input can give; it
                        // never does, but an endless loop must not be possible.
                        break;
                    }
                }
            }
        }
        // csv-core's fields follow one another.
        self.starts.resize(self.ends.len(), 0);
        let ends = self.ends.get(..self.kept_ends).unwrap_or(&[]);
        for (start, prev_end) in self.starts.iter_mut().zip(std::iter::once(&0).chain(ends)) {
            *start = *prev_end;
        }
        self.shape = Shape {
            line,
            end_line: self.lines.last_line(),
            fields,
            bytes,
            oversized,
            kept: !spilled && self.kept_ends == fields,
            unterminated: self.quote == Quote::Quoted,
        };
        Ok(true)
    }

    /// Reads in place the records at the head of the input buffer that are each one
    /// whole LF- or CRLF-ended line without a quote or another CR (the common case),
    /// and the blank lines between them: the buffer is searched once for a quote or a
    /// lone CR, the whole lines before the first are checked at once for UTF-8 and NUL
    /// bytes, and each line is split at its delimiters into cells borrowed from the
    /// buffer. Stops before the first line csv-core must read, or at the end byte.
    fn plain_lines(&mut self, sink: &mut dyn Sink, rows: &mut Rows) -> io::Result<Plain> {
        if self.lines.after_cr {
            return Ok(Plain::Read(0));
        }
        let CsvReader {
            input,
            lines,
            blank_lines,
            consumed,
            delimiter,
            ..
        } = self;
        let text = clean_lines(plain_head(input.fill_buf()?));
        let mut pos = 0;
        let mut read = 0;
        let mut stopped = false;
        while let Some(nl) = text
            .as_bytes()
            .get(pos..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            let Some(line) = text.get(pos..pos + nl) else {
                break;
            };
            // A CRLF line end is one line end, as csv-core reads it.
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.is_empty() {
                let at = consumed.saturating_add(u64::try_from(pos).unwrap_or(u64::MAX));
                if at_end(at, &mut rows.end) {
                    stopped = true;
                    break;
                }
                let mut cells = std::mem::take(&mut rows.spare);
                if !split_plain(line, *delimiter, &mut cells) {
                    // Too many fields, too many bytes or a delimiter that is not a
                    // whole character: csv-core reads the line.
                    rows.spare = recycle(cells);
                    break;
                }
                rows.number = rows.number.saturating_add(1);
                let row = Row {
                    number: rows.number,
                    line: lines.line(),
                    cells: Ok(cells),
                    raw: String::new(),
                    column: None,
                };
                sink.row(&row);
                if let Ok(cells) = row.cells {
                    rows.spare = recycle(cells);
                }
            } else {
                *blank_lines = blank_lines.saturating_add(1);
            }
            lines.add_lfs(1, b'\n');
            pos += nl + 1;
            read += 1;
        }
        input.consume(pos);
        *consumed = consumed.saturating_add(u64::try_from(pos).unwrap_or(u64::MAX));
        Ok(if stopped {
            Plain::Stopped
        } else {
            Plain::Read(read)
        })
    }

    /// The kept fields of the current record.
    fn fields(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.ranges()
            .map(|(start, end)| self.bytes.get(start..end).unwrap_or(&[]))
    }

    /// Where the kept fields are in `bytes`.
    fn ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let ends = self.ends.get(..self.kept_ends).unwrap_or(&[]);
        let starts = self.starts.get(..self.kept_ends).unwrap_or(&[]);
        starts.iter().zip(ends).map(|(&start, &end)| {
            let end = end.min(self.kept_bytes);
            (start.min(end), end)
        })
    }

    /// Why the current record cannot be used as a whole: an unterminated quote, an
    /// oversized field or record, or more fields than can be kept.
    fn problem(&self) -> Option<Problem> {
        let shape = &self.shape;
        let last = shape.fields.saturating_sub(1);
        if shape.unterminated {
            return Some((
                codes::UNTERMINATED_QUOTE,
                // A count of lines, not their numbers: a share of the file read by
                // another thread knows its lines only from the share's start.
                match shape.end_line.saturating_sub(shape.line) {
                    0 => format!(
                        "field {} opens a quote that is never closed at the end of the file",
                        shape.fields
                    ),
                    more => format!(
                        "field {} opens a quote that is never closed: this line and the {more} after it, to the end of the file, were read as this one record",
                        shape.fields
                    ),
                },
                Some(last),
            ));
        }
        if let Some((index, size)) = shape.oversized {
            return Some((
                codes::FIELD_TOO_LARGE,
                format!(
                    "field {} is {size} bytes; the limit is {MAX_FIELD_BYTES}",
                    index + 1
                ),
                Some(index),
            ));
        }
        if shape.bytes > MAX_RECORD_BYTES {
            return Some((
                codes::RECORD_TOO_LARGE,
                format!(
                    "the record is {} bytes; the limit is {MAX_RECORD_BYTES}",
                    shape.bytes
                ),
                None,
            ));
        }
        if !shape.kept {
            return Some((
                codes::ROW_ARITY,
                format!(
                    "the row has {} cells but the header has {} columns",
                    shape.fields, self.width
                ),
                None,
            ));
        }
        None
    }

    /// The kept fields as text, pushed onto `cells` (empty, reused), or why they are
    /// not: invalid UTF-8 or a NUL byte. The record is validated as a whole; a
    /// field is then text when its ends fall on character boundaries.
    fn cells<'s>(
        &'s self,
        header: &[String],
        mut cells: Vec<&'s str>,
    ) -> Result<Vec<&'s str>, Problem> {
        let kept = self.bytes.get(..self.kept_bytes).unwrap_or(&[]);
        if let Ok(text) = simdutf8::basic::from_utf8(kept) {
            if memchr::memchr(0, kept).is_none() {
                // `get` is `None` when a field's end is not a character boundary.
                for (start, end) in self.ranges() {
                    match text.get(start..end) {
                        Some(cell) => cells.push(cell),
                        None => break,
                    }
                }
                if cells.len() == self.kept_ends {
                    return Ok(cells);
                }
                cells.clear();
            }
        }
        self.cells_one_by_one(header, cells)
    }

    /// [`Self::cells`] field by field, to name the first field that is not UTF-8 or
    /// holds a NUL byte.
    #[cold]
    fn cells_one_by_one<'s>(
        &'s self,
        header: &[String],
        mut cells: Vec<&'s str>,
    ) -> Result<Vec<&'s str>, Problem> {
        for (i, field) in self.fields().enumerate() {
            let text = std::str::from_utf8(field).map_err(|e| {
                (
                    codes::UTF8,
                    format!(
                        "field {}{} is not valid UTF-8 (byte {})",
                        i + 1,
                        column_name(header, i),
                        e.valid_up_to() + 1
                    ),
                    Some(i),
                )
            })?;
            if let Some(at) = field.iter().position(|&b| b == 0) {
                return Err((
                    codes::CONTROL_CHAR,
                    format!(
                        "field {}{} contains a NUL byte (byte {})",
                        i + 1,
                        column_name(header, i),
                        at + 1
                    ),
                    Some(i),
                ));
            }
            cells.push(text);
        }
        Ok(cells)
    }
}

/// " (`name`)" for column `i` of the header, when it has one.
fn column_name(header: &[String], i: usize) -> String {
    header
        .get(i)
        .map(|n| format!(" (`{n}`)"))
        .unwrap_or_default()
}

/// Calls `field_end` with the position of every delimiter in `line`, in order. Eight
/// bytes at a time: a byte equal to the delimiter becomes a zero byte under XOR,
/// found exactly with the carry-free zero-byte test; the found bytes of 64 bytes are
/// gathered into one bit mask, whose bits are then visited — as many turns as there
/// are delimiters, whatever their places, so that the loop's branches are the same
/// from line to line.
fn plain_fields(line: &[u8], delimiter: u8, field_end: &mut impl FnMut(usize)) {
    const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    /// Byte `i`'s top bit to bit `i`.
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let zero_bytes = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    let flags = |z: u64| ((z >> 7) & ONES).wrapping_mul(GATHER) >> 56;
    let d = u64::from_ne_bytes([delimiter; 8]);
    for (base, block) in (0..).step_by(64).zip(line.chunks(64)) {
        let mut found = 0u64;
        let mut words = block.chunks_exact(8);
        for (i, word) in (&mut words).enumerate() {
            let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            found |= flags(zero_bytes(x ^ d)) << (8 * i);
        }
        let tail = block.len() - words.remainder().len();
        for (i, &b) in words.remainder().iter().enumerate() {
            found |= u64::from(b == delimiter) << (tail + i);
        }
        while found != 0 {
            field_end(base + found.trailing_zeros() as usize);
            found &= found - 1;
        }
    }
}

/// The lines of `bytes` before the first one that holds a quote or a lone CR (one
/// that does not end the line as CRLF): those are plain; csv-core reads that one.
/// Found for the whole buffer in one search, before anything else looks at it, so
/// that a file whose every line is quoted costs one short search a record, not a
/// check of the whole buffer.
fn plain_head(bytes: &[u8]) -> &[u8] {
    let mut from = 0;
    let special = loop {
        let rest = bytes.get(from..).unwrap_or(&[]);
        let Some(at) = memchr::memchr2(b'"', b'\r', rest).map(|at| from + at) else {
            return bytes;
        };
        if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
            from = at + 2;
            continue;
        }
        break at;
    };
    let head = bytes.get(..special).unwrap_or(&[]);
    let start = memchr::memrchr(b'\n', head).map_or(0, |nl| nl + 1);
    bytes.get(..start).unwrap_or(&[])
}

/// The longest head of `bytes` that is whole LF-ended lines of UTF-8 without a NUL
/// byte (checked in one pass over the whole buffer, not line by line).
fn clean_lines(bytes: &[u8]) -> &str {
    let whole = memchr::memrchr(b'\n', bytes).map_or(0, |nl| nl + 1);
    let bytes = bytes.get(..whole).unwrap_or(&[]);
    let text = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
            bytes
                .get(..valid)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
        }
    };
    let text = match memchr::memchr(0, text.as_bytes()) {
        Some(nul) => text.get(..nul).unwrap_or(""),
        None => text,
    };
    let whole = memchr::memrchr(b'\n', text.as_bytes()).map_or(0, |nl| nl + 1);
    text.get(..whole).unwrap_or("")
}

/// Splits a plain `line` (see [`plain_fields`]) into its cells, pushed onto `cells`
/// (empty); false when csv-core must read it: more than [`MAX_COLUMNS`] fields or
/// [`MAX_FIELD_BYTES`] bytes, or a delimiter that is not a whole character (a cell's
/// end is then not a character boundary).
fn split_plain<'l>(line: &'l str, delimiter: u8, cells: &mut Vec<&'l str>) -> bool {
    if line.len() > MAX_FIELD_BYTES {
        return false;
    }
    let mut start = 0;
    let mut whole = true;
    // No more than the csv-core path keeps: it reads the line when there are more.
    let mut field_end = |at: usize| {
        if cells.len() <= MAX_COLUMNS {
            match line.get(start..at) {
                Some(cell) => cells.push(cell),
                None => whole = false,
            }
        }
        start = at + 1;
    };
    plain_fields(line.as_bytes(), delimiter, &mut field_end);
    field_end(line.len());
    whole && cells.len() <= MAX_COLUMNS
}

/// Counts line ends: LF, CRLF and a lone CR are one each.
#[derive(Clone, Copy, Debug, Default)]
struct Lines {
    ends: u64,
    after_cr: bool,
    after_end: bool,
}

impl Lines {
    /// Counts the line ends in the next bytes of the input: every CR, and every LF
    /// that does not follow a CR (also across calls).
    fn feed(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else { return };
        // A plain count (vectorised by the compiler) beats memchr's iterators on the
        // short slices of one record; CRs are rare, so one search rules them out.
        let lf = bytes.iter().filter(|&&b| b == b'\n').count();
        let cr = match memchr::memchr(b'\r', bytes) {
            Some(_) => bytes.iter().filter(|&&b| b == b'\r').count(),
            None => 0,
        };
        let crlf = if cr == 0 && !self.after_cr {
            0
        } else {
            let joined = usize::from(self.after_cr && bytes.first() == Some(&b'\n'));
            memchr::memmem::find_iter(bytes, b"\r\n").count() + joined
        };
        let ends = u64::try_from((lf + cr).saturating_sub(crlf)).unwrap_or(u64::MAX);
        self.ends = self.ends.saturating_add(ends);
        self.after_cr = last == b'\r';
        self.after_end = matches!(last, b'\r' | b'\n');
    }

    /// Counts `lf` line ends in bytes without a CR that end with `last`.
    fn add_lfs(&mut self, lf: u64, last: u8) {
        self.ends = self.ends.saturating_add(lf);
        self.after_cr = false;
        self.after_end = last == b'\n';
    }

    /// The 1-based line of the next byte.
    fn line(&self) -> u64 {
        self.ends.saturating_add(1)
    }

    /// The 1-based line of the last byte.
    fn last_line(&self) -> u64 {
        if self.after_end {
            self.ends.max(1)
        } else {
            self.line()
        }
    }
}

/// Where a record stands with respect to quotes, following csv-core's rules (a quote
/// opens a quoted field only at the start of a field; `""` inside one is a quote).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    Start,
    Plain,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of `""`.
    Closed,
}

impl Quote {
    /// The state after `bytes`. Without a quote among them, only the last byte
    /// matters (outside a quoted field); otherwise byte by byte.
    fn after(self, bytes: &[u8], delimiter: u8) -> Quote {
        let Some(&last) = bytes.last() else {
            return self;
        };
        match memchr::memchr(b'"', bytes) {
            None => self.after_plain(last, delimiter),
            Some(_) => bytes.iter().fold(self, |q, &b| q.next(b, delimiter)),
        }
    }

    /// The state after bytes without a quote that end with `last`.
    fn after_plain(self, last: u8, delimiter: u8) -> Quote {
        match self {
            Quote::Quoted => Quote::Quoted,
            _ => Quote::Start.next(last, delimiter),
        }
    }

    fn next(self, b: u8, delimiter: u8) -> Quote {
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        match self {
            Quote::Start if b == b'"' => Quote::Quoted,
            Quote::Start | Quote::Plain | Quote::Closed if ends_field => Quote::Start,
            Quote::Start | Quote::Plain => Quote::Plain,
            Quote::Quoted if b == b'"' => Quote::Closed,
            Quote::Quoted => Quote::Quoted,
            Quote::Closed if b == b'"' => Quote::Quoted,
            Quote::Closed => Quote::Plain,
        }
    }
}

/// Fields as one CSV line (quoted where needed), for the rejects file: what was
/// read, so a fixed line can be put back into the input.
pub(crate) fn record_text<'a>(cells: impl IntoIterator<Item = &'a str>, delimiter: u8) -> String {
    let cells: Vec<&str> = cells.into_iter().collect();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let written = writer
        .write_record(&cells)
        .map_err(|e| e.to_string())
        .and_then(|()| writer.into_inner().map_err(|e| e.to_string()));
    match written {
        Ok(mut bytes) => {
            if bytes.last() == Some(&b'\n') {
                bytes.pop();
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(_) => cells.join(&char::from(delimiter).to_string()),
    }
}

/// The kept fields of an unreadable record as text for reports: lossy, each field cut
/// to [`RAW_FIELD_CHARS`] characters, `…` when the record was not kept whole.
fn raw_text<'a>(fields: impl Iterator<Item = &'a [u8]>, delimiter: u8, whole: bool) -> String {
    let texts: Vec<String> = fields
        .map(|f| {
            let text = String::from_utf8_lossy(f);
            let mut cut: String = text.chars().take(RAW_FIELD_CHARS).collect();
            if cut.len() < text.len() {
                cut.push('…');
            }
            cut
        })
        .collect();
    let mut raw = record_text(texts.iter().map(String::as_str), delimiter);
    if !whole {
        raw.push('…');
    }
    raw
}

// ------------------------------------------------------------------ JSON

fn json_lines(
    mut reader: impl BufRead,
    columns: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<Stats, String> {
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    sink.header(&refs)?;
    let mut stats = Stats::default();
    let mut number = 0u64;
    let mut line_no = 0u64;
    let mut line = Vec::new();
    while let Some(size) = read_line_bounded(&mut reader, &mut line, MAX_RECORD_BYTES)
        .map_err(|e| format!("cannot read {name}: {e}"))?
    {
        line_no = line_no.saturating_add(1);
        if size <= line.len() && line.iter().all(u8::is_ascii_whitespace) {
            stats.blank_lines = stats.blank_lines.saturating_add(1);
            continue;
        }
        number = number.saturating_add(1);
        let raw = String::from_utf8_lossy(&line)
            .chars()
            .take(RAW_JSON_CHARS)
            .collect::<String>();
        let parsed = if size > MAX_RECORD_BYTES {
            Err((
                codes::RECORD_TOO_LARGE,
                format!("the line is {size} bytes; the limit is {MAX_RECORD_BYTES}"),
                None,
            ))
        } else {
            json_record(&line)
        };
        emit_json(parsed, columns, number, line_no, raw, sink);
    }
    Ok(stats)
}

/// One JSON Lines record: checked for UTF-8 and depth before it is parsed, and for
/// duplicate keys after.
fn json_record(line: &[u8]) -> Result<Json, (&'static str, String, Option<String>)> {
    if let Err(e) = std::str::from_utf8(line) {
        return Err((
            codes::UTF8,
            format!("the line is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            None,
        ));
    }
    if let Some(at) = too_deep(line, MAX_JSON_DEPTH) {
        return Err((
            codes::JSON_DEPTH,
            format!(
                "the record nests more than {MAX_JSON_DEPTH} deep (byte {})",
                at + 1
            ),
            None,
        ));
    }
    let value = serde_json::from_slice::<Json>(line)
        .map_err(|e| (codes::JSON_SYNTAX, format!("not JSON: {e}"), None))?;
    if value.is_object() {
        if let Ok(FirstDup(Some(key))) = serde_json::from_slice::<FirstDup>(line) {
            return Err(dup_key(key));
        }
    }
    Ok(value)
}

fn dup_key(key: String) -> (&'static str, String, Option<String>) {
    (
        codes::DUP_KEY,
        format!("the key `{key}` appears more than once in this record"),
        Some(key),
    )
}

/// Reads one line (without its `\n`) into `buf`, keeping at most `limit` bytes and
/// skipping the rest; returns the line's full length, or `None` at the end.
fn read_line_bounded(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let part = chunk.get(..newline.unwrap_or(chunk.len())).unwrap_or(&[]);
        let room = limit.saturating_sub(buf.len()).min(part.len());
        buf.extend_from_slice(part.get(..room).unwrap_or(&[]));
        total = total.saturating_add(part.len());
        let used = part.len() + usize::from(newline.is_some());
        input.consume(used);
        if newline.is_some() {
            return Ok(Some(total));
        }
    }
}

/// The byte offset where JSON text first nests deeper than `limit`, if it does.
fn too_deep(text: &[u8], limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn json_array(
    reader: impl Read,
    columns: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<Stats, String> {
    let mut text = Vec::new();
    reader
        .take(MAX_JSON_ARRAY_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) > MAX_JSON_ARRAY_BYTES {
        return Err(format!("{name} is larger than {MAX_JSON_ARRAY_BYTES} bytes; use JSON Lines (.jsonl) for large inputs (E-FILE-TOO-LARGE)"));
    }
    if let Some(at) = too_deep(&text, MAX_JSON_DEPTH) {
        return Err(format!(
            "{name} nests more than {MAX_JSON_DEPTH} deep (byte {}); records are flat objects (E-JSON-DEPTH)",
            at + 1
        ));
    }
    let value: Json = serde_json::from_slice(&text)
        .map_err(|e| format!("{name} is not JSON: {e} (E-JSON-SYNTAX)"))?;
    let Json::Array(items) = value else {
        return Err(format!(
            "{name} must hold an array of objects, one per record (E-JSON-SHAPE)"
        ));
    };
    // The same text again, for keys that appear twice in one object (serde_json keeps
    // the last silently).
    let dups = serde_json::from_slice::<Vec<FirstDup>>(&text).unwrap_or_default();
    drop(text);
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    sink.header(&refs)?;
    let mut dups = dups.into_iter();
    for (i, item) in items.into_iter().enumerate() {
        let number = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let raw = item.to_string().chars().take(RAW_JSON_CHARS).collect();
        let parsed = match dups.next() {
            Some(FirstDup(Some(key))) if item.is_object() => Err(dup_key(key)),
            _ => Ok(item),
        };
        emit_json(parsed, columns, number, 0, raw, sink);
    }
    Ok(Stats::default())
}

/// The first key that appears twice in a JSON object (`None` for anything else).
#[derive(Debug, Default)]
struct FirstDup(Option<String>);

impl<'de> Deserialize<'de> for FirstDup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FirstDupVisitor)
    }
}

struct FirstDupVisitor;

impl<'de> Visitor<'de> for FirstDupVisitor {
    type Value = FirstDup;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FirstDup, A::Error> {
        let mut seen = HashSet::new();
        let mut dup = None;
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            if dup.is_none() && !seen.insert(key.clone()) {
                dup = Some(key);
            }
        }
        Ok(FirstDup(dup))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstDup, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(FirstDup(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }

    fn visit_str<E>(self, _: &str) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }

    fn visit_unit<E>(self) -> Result<FirstDup, E> {
        Ok(FirstDup(None))
    }
}

fn emit_json(
    parsed: Result<Json, (&'static str, String, Option<String>)>,
    columns: &[String],
    number: u64,
    line: u64,
    raw: String,
    sink: &mut dyn Sink,
) {
    let texts = parsed.and_then(|v| object_cells(&v, columns));
    match texts {
        Ok(texts) => {
            let cells = texts.iter().map(String::as_str).collect();
            sink.row(&Row {
                number,
                line,
                cells: Ok(cells),
                raw: String::new(),
                column: None,
            });
        }
        Err((code, reason, column)) => sink.row(&Row {
            number,
            line,
            cells: Err((code, reason)),
            raw,
            column,
        }),
    }
}

/// A flat JSON object's values in column order: strings as they are, numbers as
/// written (never through a float), booleans as true/false, null or absent as blank.
fn object_cells(
    v: &Json,
    columns: &[String],
) -> Result<Vec<String>, (&'static str, String, Option<String>)> {
    let Json::Object(map) = v else {
        return Err((
            codes::JSON_SHAPE,
            "a record must be a JSON object".to_string(),
            None,
        ));
    };
    columns
        .iter()
        .map(|c| match map.get(c) {
            None | Some(Json::Null) => Ok(String::new()),
            Some(Json::String(s)) => Ok(s.clone()),
            Some(Json::Number(n)) => Ok(n.to_string()),
            Some(Json::Bool(b)) => Ok(b.to_string()),
            Some(_) => Err((
                codes::JSON_SHAPE,
                format!("`{c}` holds a list or an object; give it a single value"),
                Some(c.clone()),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests;
