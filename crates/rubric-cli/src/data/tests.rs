//! The readers on awkward bytes, below the CLI: one-byte reads, line numbers, limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

/// A reader that hands out one byte per read.
struct OneByte<'a>(&'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(out)) => {
                *out = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// A row as seen: number, line, cells or reject code, column at fault.
type SeenRow = (u64, u64, Result<Vec<String>, String>, Option<String>);

/// What a sink saw: the header, then the rows.
#[derive(Default)]
struct Seen {
    header: Vec<String>,
    rows: Vec<SeenRow>,
}

impl Sink for Seen {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        self.header = columns.iter().map(|c| c.to_string()).collect();
        Ok(())
    }

    fn row(&mut self, row: &Row<'_>) {
        let cells = match &row.cells {
            Ok(cells) => Ok(cells.iter().map(|c| c.to_string()).collect()),
            Err((code, _)) => Err(code.to_string()),
        };
        self.rows
            .push((row.number, row.line, cells, row.column.clone()));
    }
}

fn read(bytes: &[u8], format: Format) -> (Seen, Result<Stats, String>) {
    let mut seen = Seen::default();
    let columns = ["id".to_string(), "q1".to_string()];
    let result = stream_from(bytes, format, b',', &columns, "x", &mut seen);
    (seen, result)
}

fn read_one_byte(bytes: &[u8]) -> (Seen, Result<Stats, String>) {
    let mut seen = Seen::default();
    let reader = BufReader::with_capacity(1, OneByte(bytes));
    let result = stream_from(reader, Format::Csv, b',', &[], "x", &mut seen);
    (seen, result)
}

fn cells(row: &[&str]) -> Result<Vec<String>, String> {
    Ok(row.iter().map(|c| c.to_string()).collect())
}

#[test]
fn a_bom_split_over_one_byte_reads_is_dropped() {
    let (seen, result) = read_one_byte(b"\xEF\xBB\xBFid,q1\r\nr1,a\r\n\r\nr2,\"b\r\nc\"\r\nr3,d");
    assert_eq!(result.map(|s| s.blank_lines), Ok(1));
    assert_eq!(seen.header, ["id", "q1"]);
    assert_eq!(
        seen.rows,
        [
            (1, 2, cells(&["r1", "a"]), None),
            (2, 4, cells(&["r2", "b\r\nc"]), None),
            (3, 6, cells(&["r3", "d"]), None),
        ]
    );
    // Only part of a BOM is not a BOM: the header is not UTF-8.
    let (_, result) = read_one_byte(b"\xEF\xBBid\n");
    assert!(result.unwrap_err().contains("E-ENCODING"));
}

#[test]
fn lines_are_counted_for_lf_crlf_and_lone_cr() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "id,q1", "r1,a", "", "r2,b", "", "", "r3,\"x", "y\"", "r4,c", "",
        ]
        .join(end);
        let (seen, result) = read(text.as_bytes(), Format::Csv);
        let lines: Vec<(u64, u64)> = seen.rows.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(lines, [(1, 2), (2, 4), (3, 7), (4, 9)], "{end:?}");
        assert_eq!(result.map(|s| s.blank_lines), Ok(3), "{end:?}");
    }
}

#[test]
fn a_bad_line_among_plain_lines_is_rejected_alone() {
    // Plain lines are read in place, the buffer checked for UTF-8 and NUL bytes at
    // once: a bad line must cost only itself, wherever it is, in any read size.
    let text = b"id,q1\nr1,\xE5\xA5\xBD\n\nr2,\xE5\xA5\nr3,a\x00b\nr4,\xC3\xA9\n\nr5,c";
    let expected = [
        (1, 2, cells(&["r1", "好"]), None),
        (2, 4, Err("E-UTF8".to_string()), Some("q1".to_string())),
        (
            3,
            5,
            Err("E-CONTROL-CHAR".to_string()),
            Some("q1".to_string()),
        ),
        (4, 6, cells(&["r4", "é"]), None),
        (5, 8, cells(&["r5", "c"]), None),
    ];
    let (seen, result) = read(text, Format::Csv);
    assert_eq!(seen.rows, expected);
    assert_eq!(
        result.map(|s| (s.rows, s.blank_lines, s.line_ends)),
        Ok((5, 2, 7))
    );
    let (seen, _) = read_one_byte(text);
    assert_eq!(seen.rows, expected);
}

#[test]
fn an_unterminated_quote_is_reported_with_the_lines_it_swallowed() {
    let (seen, _) = read(b"id,q1\nr1,a\nr2,\"b\nr3,c\nr4,d\n", Format::Csv);
    assert_eq!(seen.rows.len(), 2);
    assert_eq!(seen.rows[1].2, Err("E-UNTERMINATED-QUOTE".to_string()));
    assert_eq!(seen.rows[1].3.as_deref(), Some("q1"));
    // A quote inside an unquoted field is data.
    let (seen, _) = read(b"id,q1\nr1,a\"b\n", Format::Csv);
    assert_eq!(seen.rows[0].2, cells(&["r1", "a\"b"]));
}

#[test]
fn oversized_fields_and_records_are_rejected_and_reading_goes_on() {
    let mut text = b"id,q1\nr1,".to_vec();
    text.extend(std::iter::repeat_n(b'x', MAX_FIELD_BYTES + 1));
    text.extend_from_slice(b"\nr2,");
    text.extend(std::iter::repeat_n(b'y', MAX_FIELD_BYTES));
    text.extend_from_slice(b"\nr3,");
    for _ in 0..5 {
        text.extend(std::iter::repeat_n(b'z', MAX_FIELD_BYTES - 10));
        text.push(b',');
    }
    text.extend_from_slice(b"\nr4,ok\n");
    let (seen, _) = read(&text, Format::Csv);
    let codes: Vec<Result<usize, String>> = seen
        .rows
        .iter()
        .map(|r| r.2.clone().map(|c| c.len()))
        .collect();
    assert_eq!(
        codes,
        [
            Err("E-FIELD-TOO-LARGE".to_string()),
            Ok(2),
            Err("E-RECORD-TOO-LARGE".to_string()),
            Ok(2)
        ]
    );
    assert_eq!(seen.rows[3].1, 5);
}

#[test]
fn wide_rows_are_bounded() {
    let mut text = b"id,q1\n".to_vec();
    text.extend(std::iter::repeat_n(b',', MAX_COLUMNS * 3));
    text.extend_from_slice(b"\nr2,b\n");
    let (seen, _) = read(&text, Format::Csv);
    assert_eq!(seen.rows[0].2, Err("E-ROW-ARITY".to_string()));
    assert_eq!(seen.rows[1].2, cells(&["r2", "b"]));
    let header = ",".repeat(MAX_COLUMNS);
    let (_, result) = read(header.as_bytes(), Format::Csv);
    assert!(result.unwrap_err().contains("E-TOO-MANY-COLUMNS"));
    let header = ",".repeat(MAX_COLUMNS - 1);
    let (seen, result) = read(header.as_bytes(), Format::Csv);
    assert!(result.is_ok());
    assert_eq!(seen.header.len(), MAX_COLUMNS);
}

#[test]
fn json_lines_limits_and_duplicate_keys() {
    let mut text =
        b"{\"id\": \"a\", \"q1\": 1}\n\n{\"id\": \"b\", \"q1\": 1, \"q1\": 2}\n".to_vec();
    text.extend_from_slice(&b"[".repeat(MAX_JSON_DEPTH + 1));
    text.push(b'\n');
    text.extend_from_slice(b"{\"id\": \"c\", \"q1\": \"");
    text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES));
    text.extend_from_slice(
        b"\"}\n{\"id\": \"d\", \"q1\": 12345678901234567890123456789.5}\n{\"id\": \"e\"",
    );
    let (seen, result) = read(&text, Format::JsonLines);
    assert_eq!(result.map(|s| s.blank_lines), Ok(1));
    let got: Vec<SeenRow> = seen.rows;
    assert_eq!(got[0], (1, 1, cells(&["a", "1"]), None));
    assert_eq!(got[1], (2, 3, Err("E-DUP-KEY".into()), Some("q1".into())));
    assert_eq!(got[2], (3, 4, Err("E-JSON-DEPTH".into()), None));
    assert_eq!(got[3], (4, 5, Err("E-RECORD-TOO-LARGE".into()), None));
    assert_eq!(
        got[4],
        (5, 6, cells(&["d", "12345678901234567890123456789.5"]), None)
    );
    assert_eq!(got[5], (6, 7, Err("E-JSON-SYNTAX".into()), None));
}

#[test]
fn json_arrays_are_checked_for_depth_shape_and_duplicate_keys() {
    let (_, result) = read(
        &[b"[".repeat(10_000), b"]".repeat(10_000)].concat(),
        Format::JsonArray,
    );
    assert!(result.unwrap_err().contains("E-JSON-DEPTH"));
    for text in ["1", "{\"id\": 1}", "\"x\"", "null"] {
        let (_, result) = read(text.as_bytes(), Format::JsonArray);
        assert!(result.unwrap_err().contains("E-JSON-SHAPE"), "{text}");
    }
    let (seen, result) = read(
        br#"[{"id": "a", "q1": 0.1}, {"id": "b", "id": "c"}, 7, {"id": "d", "q1": [1]}, {"id": "e", "q1": 1e400}]"#,
        Format::JsonArray,
    );
    assert!(result.is_ok());
    let got: Vec<_> = seen.rows.into_iter().map(|r| (r.2, r.3)).collect();
    assert_eq!(
        got,
        [
            (cells(&["a", "0.1"]), None),
            (Err("E-DUP-KEY".into()), Some("id".into())),
            (Err("E-JSON-SHAPE".into()), None),
            (Err("E-JSON-SHAPE".into()), Some("q1".into())),
            // Exponents stay as written (serde_json's arbitrary_precision); the
            // evaluator refuses them (E-NOT-NUMBER).
            (cells(&["e", "1e+400"]), None),
        ]
    );
}

#[test]
fn record_text_quotes_what_needs_quoting() {
    assert_eq!(
        record_text(["a", "1,5", "x\"y", ""], b','),
        "a,\"1,5\",\"x\"\"y\","
    );
    assert_eq!(record_text(["a", "b;c"], b';'), "a;\"b;c\"");
}

// ------------------------------------------------------------------ properties

use proptest::prelude::*;

/// A reader that hands out its bytes in the given chunk sizes (cycled).
struct Chunked<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self
            .sizes
            .get(self.next % self.sizes.len().max(1))
            .copied()
            .unwrap_or(1);
        self.next += 1;
        let n = size.max(1).min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// Pieces of CSV, well- and ill-formed.
const PIECES: &[&[u8]] = &[
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"id",
    b"team",
    b"q1",
    b"n",
    "好".as_bytes(),
    "差".as_bytes(),
    "拒答".as_bytes(),
    "cafe\u{301}".as_bytes(),
    b"r1",
    b"A",
    b"1.5",
    b"-0",
    b"79228162514264337593543950336",
    b"1e3",
    b" ",
    b"\t",
    b"\0",
    b"\xFF",
    b"\xE5\xA5",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b";",
    b"|",
];

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => (0..PIECES.len()).prop_map(|i| PIECES[i].to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    (any::<bool>(), prop::collection::vec(piece, 0..120)).prop_map(|(header, pieces)| {
        let mut bytes = if header {
            b"id,team,q1,n\n".to_vec()
        } else {
            Vec::new()
        };
        bytes.extend(pieces.concat());
        bytes
    })
}

/// The CLI's data rubric of `tests/catalogue.rs`, smaller.
const RUBRIC: &str = r#"rubric d {
  title "D"
}

scale s {
  "好" => 100
  "差" => 0
  "拒答" => exclude "拒答"
}

record r {
  id:   id
  team: key optional
  q1:   s
  n:    number optional
  score t {
    q1 100
  }
}

group g by team {
  if empty "none"
  c = count()
  m = mean(n)
}
"#;

/// Feeds rows to an evaluator and counts them.
struct Evaluating<'r> {
    rubric: &'r rubric_engine::Rubric,
    evaluator: Option<rubric_engine::Evaluator<'r>>,
    rows: u64,
    numbers_in_order: bool,
}

impl Sink for Evaluating<'_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let e =
            rubric_engine::Evaluator::new(self.rubric, columns).map_err(|d| format!("{d:?}"))?;
        self.evaluator = Some(e);
        Ok(())
    }

    fn row(&mut self, row: &Row<'_>) {
        self.rows += 1;
        self.numbers_in_order &= row.number == self.rows;
        let Some(e) = self.evaluator.as_mut() else {
            return;
        };
        match &row.cells {
            Ok(cells) => {
                e.push(row.number, cells);
            }
            Err((code, reason)) => {
                e.reject_unread(row.number, code, reason.clone());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any bytes, in any read sizes: no panic; every row the reader hands over is
    /// counted once (read = scored + excluded + rejected), and the rows are the same
    /// whatever the read sizes.
    #[test]
    fn arbitrary_csv_never_panics_and_reconciles(
        bytes in csv_bytes(),
        sizes in prop::collection::vec(1usize..9, 1..4),
    ) {
        let rubric = rubric_engine::compile(RUBRIC).unwrap().rubric;
        let mut sink = Evaluating { rubric: &rubric, evaluator: None, rows: 0, numbers_in_order: true };
        let chunked = Chunked { bytes: &bytes, sizes, next: 0 };
        let result = stream_from(BufReader::with_capacity(3, chunked), Format::Csv, b',', &[], "x", &mut sink);
        prop_assert!(sink.numbers_in_order);
        if let Some(e) = sink.evaluator {
            let summary = e.finish().summary;
            prop_assert!(summary.reconciles());
            prop_assert_eq!(summary.read, sink.rows);
        } else {
            prop_assert_eq!(sink.rows, 0);
            prop_assert!(result.is_err());
        }
        // The same rows in one read as in many.
        let (whole, whole_result) = read(&bytes, Format::Csv);
        let mut pieces = Seen::default();
        let chunked = Chunked { bytes: &bytes, sizes: vec![1, 2, 5], next: 0 };
        let pieces_result = stream_from(chunked, Format::Csv, b',', &[], "x", &mut pieces);
        prop_assert_eq!(whole.header, pieces.header);
        prop_assert_eq!(whole.rows, pieces.rows);
        prop_assert_eq!(whole_result, pieces_result);
    }

    /// The same for JSON Lines.
    #[test]
    fn arbitrary_json_lines_never_panic(bytes in prop::collection::vec(prop_oneof![
        Just(b"{".to_vec()), Just(b"}".to_vec()), Just(b"[".to_vec()), Just(b"\"id\"".to_vec()),
        Just(b"\"q1\"".to_vec()), Just(b":".to_vec()), Just(b",".to_vec()), Just(b"\n".to_vec()),
        Just("\"好\"".as_bytes().to_vec()), Just(b"1e400".to_vec()), Just(b"null".to_vec()),
        prop::collection::vec(any::<u8>(), 0..4),
    ], 0..80).prop_map(|p| p.concat())) {
        let (seen, result) = read(&bytes, Format::JsonLines);
        prop_assert!(result.is_ok());
        let numbers: Vec<u64> = seen.rows.iter().map(|r| r.0).collect();
        let expected: Vec<u64> = (1..=seen.rows.len() as u64).collect();
        prop_assert_eq!(numbers, expected);
        let _ = read(&bytes, Format::JsonArray);
    }
}

proptest! {
    /// The eight-bytes-at-a-time split of a plain line finds exactly the delimiters a
    /// byte-by-byte scan finds, over lines of several 64-byte blocks.
    #[test]
    fn plain_lines_split_like_a_byte_scan(
        line in prop::collection::vec(prop::sample::select(b",;\t a\xC3\xA9\x00".to_vec()), 0..200),
        delimiter in prop::sample::select(b",;\t".to_vec()),
    ) {
        let mut found = Vec::new();
        plain_fields(&line, delimiter, &mut |at| found.push(at));
        let expected: Vec<usize> = (0..line.len()).filter(|&i| line[i] == delimiter).collect();
        prop_assert_eq!(found, expected);
    }

    /// The plain head of a buffer ends where the line with its first quote or lone
    /// CR starts (a CRLF line end is plain).
    #[test]
    fn the_plain_head_stops_at_the_first_quoted_line(
        lines in prop::collection::vec(("[a,\"\r]{0,6}", any::<bool>()), 0..8),
    ) {
        let ended: Vec<String> = lines
            .iter()
            .map(|(l, crlf)| format!("{l}{}\n", if *crlf { "\r" } else { "" }))
            .collect();
        let text: String = ended.concat();
        // A line is plain when, without its LF and one CR before it, it holds neither.
        let plain: String = ended
            .iter()
            .take_while(|l| {
                let body = l.strip_suffix('\n').unwrap_or(l);
                !body.strip_suffix('\r').unwrap_or(body).contains(['"', '\r'])
            })
            .map(String::as_str)
            .collect();
        prop_assert_eq!(plain_head(text.as_bytes()), plain.as_bytes());
    }
}
