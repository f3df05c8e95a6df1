//! Response data in: CSV (header row, BOM, any delimiter) and JSON (an array of
//! objects, or one object per line), streamed row by row into a callback. Rows that
//! cannot be read (invalid UTF-8, an oversized field, a JSON value that is not a
//! flat object) are handed over as unreadable, never dropped.

use serde_json::Value as Json;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Largest field accepted, in bytes (`E-FIELD-TOO-LARGE`).
pub(crate) const MAX_FIELD_BYTES: usize = 1024 * 1024;
/// Most columns accepted in a header (`E-TOO-MANY-COLUMNS`).
pub(crate) const MAX_COLUMNS: usize = 10_000;
/// Largest JSON array file read whole, in bytes.
pub(crate) const MAX_JSON_ARRAY_BYTES: u64 = 512 * 1024 * 1024;

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
enum Format {
    Csv,
    JsonArray,
    JsonLines,
}

/// A data row: cells in header order, or why it could not be read.
pub(crate) struct Row<'a> {
    /// 1-based data row number within its file (the header is not counted).
    pub(crate) number: u64,
    /// 1-based line where the row starts.
    pub(crate) line: u64,
    /// The cells, or (code, reason).
    pub(crate) cells: Result<Vec<&'a str>, (&'static str, String)>,
    /// The raw record, for the rejects file.
    pub(crate) raw: String,
}

/// What a reader tells its caller.
pub(crate) trait Sink {
    /// The header; an error stops the file.
    fn header(&mut self, columns: &[&str]) -> Result<(), String>;
    /// One row.
    fn row(&mut self, row: Row<'_>);
}

/// Streams one source into the sink. `columns` are the columns JSON objects are read
/// by (CSV files bring their own header). Errors are I/O or format problems that stop
/// the file; the message says which file.
pub(crate) fn stream(
    source: &Source,
    delimiter: u8,
    columns: &[String],
    sink: &mut dyn Sink,
) -> Result<(), String> {
    let name = source.name();
    let reader: Box<dyn Read> = match &source.path {
        Some(p) => Box::new(File::open(p).map_err(|e| format!("cannot read {name}: {e}"))?),
        None => Box::new(io::stdin().lock()),
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    skip_bom(&mut reader).map_err(|e| format!("cannot read {name}: {e}"))?;
    match source.format() {
        Format::Csv => csv_rows(reader, delimiter, &name, sink),
        Format::JsonLines => json_lines(reader, columns, &name, sink),
        Format::JsonArray => json_array(reader, columns, &name, sink),
    }
}

fn skip_bom(reader: &mut impl BufRead) -> io::Result<()> {
    let head = reader.fill_buf()?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the file is UTF-16; save it as UTF-8 (E-ENCODING)",
        ));
    }
    Ok(())
}

fn csv_rows(
    reader: impl Read,
    delimiter: u8,
    name: &str,
    sink: &mut dyn Sink,
) -> Result<(), String> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let more = csv
        .read_byte_record(&mut record)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if !more {
        return Err(format!(
            "{name} is empty: it needs a header row (E-NO-HEADER)"
        ));
    }
    if record.len() > MAX_COLUMNS {
        return Err(format!(
            "{name} has {} columns; the limit is {MAX_COLUMNS} (E-TOO-MANY-COLUMNS)",
            record.len()
        ));
    }
    let header: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    sink.header(&header_refs)?;
    let mut number = 0u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(format!("cannot read {name}: {e}")),
        }
        number = number.saturating_add(1);
        let line = record.position().map_or(0, csv::Position::line);
        let cells = cells(&record);
        let raw = match &cells {
            Ok(_) => String::new(),
            Err(_) => raw_text(&record, delimiter),
        };
        sink.row(Row {
            number,
            line,
            cells,
            raw,
        });
    }
}

/// A record's fields as text, or why they are not.
fn cells(record: &csv::ByteRecord) -> Result<Vec<&str>, (&'static str, String)> {
    record
        .iter()
        .enumerate()
        .map(|(i, field)| {
            if field.len() > MAX_FIELD_BYTES {
                return Err((
                    "E-FIELD-TOO-LARGE",
                    format!(
                        "field {} is {} bytes; the limit is {MAX_FIELD_BYTES}",
                        i + 1,
                        field.len()
                    ),
                ));
            }
            std::str::from_utf8(field).map_err(|e| {
                (
                    "E-UTF8",
                    format!(
                        "field {} is not valid UTF-8 (byte {})",
                        i + 1,
                        e.valid_up_to() + 1
                    ),
                )
            })
        })
        .collect()
}

/// The record as text for reports (lossy, each field cut to 200 characters).
pub(crate) fn raw_text(record: &csv::ByteRecord, delimiter: u8) -> String {
    let sep = char::from(delimiter).to_string();
    record
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .chars()
                .take(200)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(&sep)
}

fn json_lines(
    reader: impl BufRead,
    columns: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<(), String> {
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    sink.header(&refs)?;
    let mut number = 0u64;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|e| format!("cannot read {name}: {e}"))?;
        let line_no = u64::try_from(i + 1).unwrap_or(u64::MAX);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        number = number.saturating_add(1);
        let raw = String::from_utf8_lossy(&line)
            .chars()
            .take(400)
            .collect::<String>();
        let parsed = if line.len() > MAX_FIELD_BYTES * 4 {
            Err(("E-FIELD-TOO-LARGE", "the line is too long".to_string()))
        } else {
            serde_json::from_slice::<Json>(&line)
                .map_err(|e| ("E-JSON-SYNTAX", format!("not JSON: {e}")))
        };
        emit_json(parsed, columns, number, line_no, raw, sink);
    }
    Ok(())
}

fn json_array(
    mut reader: impl Read,
    columns: &[String],
    name: &str,
    sink: &mut dyn Sink,
) -> Result<(), String> {
    let mut text = Vec::new();
    (&mut reader)
        .take(MAX_JSON_ARRAY_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) > MAX_JSON_ARRAY_BYTES {
        return Err(format!("{name} is larger than {MAX_JSON_ARRAY_BYTES} bytes; use JSON Lines (.jsonl) for large inputs"));
    }
    let value: Json = serde_json::from_slice(&text)
        .map_err(|e| format!("{name} is not JSON: {e} (E-JSON-SYNTAX)"))?;
    let Json::Array(items) = value else {
        return Err(format!(
            "{name} must hold an array of objects, one per record (E-JSON-SHAPE)"
        ));
    };
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    sink.header(&refs)?;
    for (i, item) in items.into_iter().enumerate() {
        let number = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let raw = item.to_string().chars().take(400).collect();
        emit_json(Ok(item), columns, number, 0, raw, sink);
    }
    Ok(())
}

fn emit_json(
    parsed: Result<Json, (&'static str, String)>,
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
            sink.row(Row {
                number,
                line,
                cells: Ok(cells),
                raw: String::new(),
            });
        }
        Err(problem) => sink.row(Row {
            number,
            line,
            cells: Err(problem),
            raw,
        }),
    }
}

/// A flat JSON object's values in column order: strings as they are, numbers as
/// written (never through a float), booleans as true/false, null or absent as blank.
fn object_cells(v: &Json, columns: &[String]) -> Result<Vec<String>, (&'static str, String)> {
    let Json::Object(map) = v else {
        return Err(("E-JSON-SHAPE", "a record must be a JSON object".to_string()));
    };
    columns
        .iter()
        .map(|c| match map.get(c) {
            None | Some(Json::Null) => Ok(String::new()),
            Some(Json::String(s)) => Ok(s.clone()),
            Some(Json::Number(n)) => Ok(n.to_string()),
            Some(Json::Bool(b)) => Ok(b.to_string()),
            Some(_) => Err((
                "E-JSON-SHAPE",
                format!("`{c}` holds a list or an object; give it a single value"),
            )),
        })
        .collect()
}
