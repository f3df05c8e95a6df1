//! `rubric eval --threads N` on a CSV file: the file is cut into N shares at line
//! starts, and every thread reads and scores its own share with its own reader and
//! evaluator — no rows are copied between threads. The first share is read by the
//! calling thread, which writes its outcome lines as it goes; the others wait in
//! temporary files, numbered from the start of their share, and are renumbered
//! when they are copied over in input order.
//!
//! A cut is only a guess at a record start: a quoted field may hold a line break. The
//! reader of the share before a cut checks it — its last record must end exactly
//! there. When it does not, that reader reads on to the end of the file and the
//! shares after it are dropped, so the results are always one thread's.

use crate::data::{self, Row, Sink, Stats};
use crate::rejects::{score_row, OutcomeFile};
use rubric_engine::eval::Evaluator;
use rubric_engine::model::Rubric;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;
use std::thread::{Scope, ScopedJoinHandle};

/// Where to cut the data of a CSV file (starting at byte `data_start`) into `n`
/// shares: increasing byte offsets, each the first byte of a line that follows a
/// line end and is not a line end itself.
pub(crate) fn cuts(path: &Path, data_start: u64, n: usize) -> io::Result<Vec<u64>> {
    let len = path.metadata()?.len();
    let span = len.saturating_sub(data_start);
    let n = u64::try_from(n).unwrap_or(1);
    let mut file = BufReader::new(File::open(path)?);
    let mut cuts: Vec<u64> = Vec::new();
    for i in 1..n {
        let nominal = data_start.saturating_add(span.saturating_mul(i) / n);
        let after = cuts.last().map_or(data_start, |c| c.saturating_add(1));
        let Some(cut) = line_start_after(&mut file, nominal.max(after))? else {
            break;
        };
        cuts.push(cut);
    }
    Ok(cuts)
}

/// The first byte at or after `from` that follows a line end and is not one.
fn line_start_after(file: &mut BufReader<File>, from: u64) -> io::Result<Option<u64>> {
    file.seek(SeekFrom::Start(from))?;
    let mut at = from;
    let mut seen_end = false;
    loop {
        let buf = file.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let found = if seen_end {
            buf.iter().position(|b| !matches!(b, b'\r' | b'\n'))
        } else {
            memchr::memchr2(b'\r', b'\n', buf)
        };
        let used = match found {
            Some(i) if seen_end => {
                return Ok(Some(at.saturating_add(u64::try_from(i).unwrap_or(0))))
            }
            Some(i) => {
                seen_end = true;
                i
            }
            None => buf.len(),
        };
        file.consume(used);
        at = at.saturating_add(u64::try_from(used).unwrap_or(0));
    }
}

/// What one thread made of its share.
pub(crate) struct Share<'r> {
    evaluator: Evaluator<'r>,
    stats: Stats,
    rejects: Option<OutcomeFile>,
    records: Option<OutcomeFile>,
}

/// A file's shares after the first, being scored.
pub(crate) type Shares<'scope, 'r> = Vec<ScopedJoinHandle<'scope, Result<Share<'r>, String>>>;

/// What a share needs to know about the file and the run.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    pub(crate) path: &'a Path,
    pub(crate) name: &'a str,
    pub(crate) kind: Option<&'a str>,
    pub(crate) delimiter: u8,
    /// Whether `--rejects` and `--records` are written.
    pub(crate) rejects: bool,
    pub(crate) records: bool,
}

/// Starts one thread per share after the first: share `k` runs from `cuts[k - 1]`
/// to `cuts[k]` (the last to the end of the file).
pub(crate) fn start<'scope, 'r: 'scope>(
    scope: &'scope Scope<'scope, '_>,
    rubric: &'r Rubric,
    input: Input<'scope>,
    header: &'scope [String],
    cuts: &'scope [u64],
) -> Shares<'scope, 'r> {
    cuts.iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = cuts.get(k + 1).copied();
            scope.spawn(move || score_share(rubric, input, header, (start, end)))
        })
        .collect()
}

fn score_share<'r>(
    rubric: &'r Rubric,
    input: Input<'_>,
    header: &[String],
    range: (u64, Option<u64>),
) -> Result<Share<'r>, String> {
    let columns: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut evaluator = Evaluator::for_kind(rubric, &columns, input.kind)
        .map_err(|_| format!("{}: the header does not fit the rubric", input.name))?;
    evaluator.keep_values(input.records);
    let mut sink = ShareSink {
        evaluator,
        rejects: input
            .rejects
            .then(|| OutcomeFile::spool(false))
            .transpose()?,
        records: input
            .records
            .then(|| OutcomeFile::spool(true))
            .transpose()?,
        name: input.name,
        delimiter: input.delimiter,
        failed: None,
    };
    let stats = data::csv_range(
        input.path,
        range,
        input.delimiter,
        header,
        input.name,
        &mut sink,
    )?;
    if let Some(e) = sink.failed {
        return Err(e);
    }
    Ok(Share {
        evaluator: sink.evaluator,
        stats,
        rejects: sink.rejects,
        records: sink.records,
    })
}

/// Scores the rows of one share and spools their outcome lines.
struct ShareSink<'r, 'a> {
    evaluator: Evaluator<'r>,
    rejects: Option<OutcomeFile>,
    records: Option<OutcomeFile>,
    name: &'a str,
    delimiter: u8,
    failed: Option<String>,
}

impl Sink for ShareSink<'_, '_> {
    fn header(&mut self, _: &[&str]) -> Result<(), String> {
        Ok(())
    }

    fn row(&mut self, row: &Row<'_>) {
        let all = self.records.is_some();
        let Some(line) = score_row(&mut self.evaluator, row, self.name, all, self.delimiter) else {
            return;
        };
        for file in [self.rejects.as_mut(), self.records.as_mut()]
            .into_iter()
            .flatten()
        {
            if let Err(e) = file.write(&line) {
                self.failed.get_or_insert_with(|| e.to_string());
            }
        }
    }
}

/// The file's outcome as one thread would have had it.
pub(crate) struct Joined {
    /// Blank lines in the shares kept.
    pub(crate) blank_lines: u64,
}

/// Waits for the shares and adds, in input order, each one whose start the share
/// before it confirmed: its evaluator to `evaluator` (rows renumbered) and its outcome
/// lines to `rejects` and `records`. `first` is what the calling thread read.
pub(crate) fn join<'r>(
    shares: Shares<'_, 'r>,
    first: &Stats,
    evaluator: &mut Evaluator<'r>,
    rejects: Option<&mut OutcomeFile>,
    records: Option<&mut OutcomeFile>,
) -> Result<Joined, String> {
    let mut rows = first.rows;
    let mut lines = first.line_ends;
    let mut blank_lines = first.blank_lines;
    let mut confirmed = first.stopped;
    let mut outputs = [rejects, records];
    let mut problem = None;
    for handle in shares {
        let share = handle
            .join()
            .unwrap_or_else(|_| Err("a scoring thread failed".to_string()));
        if !confirmed {
            continue;
        }
        let mut share = match share {
            Ok(s) => s,
            Err(e) => {
                problem.get_or_insert(e);
                confirmed = false;
                continue;
            }
        };
        share.evaluator.shift_rows(rows);
        evaluator.merge(share.evaluator);
        for (out, spool) in outputs
            .iter_mut()
            .zip([share.rejects.as_mut(), share.records.as_mut()])
        {
            if let (Some(out), Some(spool)) = (out.as_deref_mut(), spool) {
                if let Err(e) = out.append_shifted(spool, rows, lines) {
                    problem.get_or_insert(e);
                }
            }
        }
        rows = rows.saturating_add(share.stats.rows);
        lines = lines.saturating_add(share.stats.line_ends);
        blank_lines = blank_lines.saturating_add(share.stats.blank_lines);
        confirmed = share.stats.stopped;
    }
    match problem {
        Some(e) => Err(e),
        None => Ok(Joined { blank_lines }),
    }
}
