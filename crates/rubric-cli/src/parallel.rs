//! `rubric eval --threads N`: the reading thread parses the input and hands rows
//! out in batches to N scoring threads, each with its own evaluator; at the end the
//! evaluators are merged. Group tables come out sorted and aggregates are exact
//! sums, so the results are byte-identical to one thread's; rejected records are
//! written in input order.

use crate::data::Row;
use crate::rejects::{score_row, OutcomeLine};
use rubric_engine::eval::Evaluator;
use rubric_engine::model::Rubric;
use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread::{Scope, ScopedJoinHandle};

/// Rows per batch: large enough to make handing over cheap, small enough to keep
/// memory flat.
const BATCH_ROWS: usize = 4096;

/// Work for a scoring thread.
enum Job {
    /// A new input: its header and the kind of all its rows, if one.
    Header(Vec<String>, Option<String>),
    /// Rows to score, with the batch's sequence number.
    Rows(u64, Batch),
}

/// Rows copied out of the reader: all cell texts in one string.
#[derive(Default)]
struct Batch {
    source: Arc<str>,
    text: String,
    ends: Vec<usize>,
    rows: Vec<BatchRow>,
}

struct BatchRow {
    number: u64,
    line: u64,
    cells: usize,
    unread: Option<(&'static str, String)>,
    raw: String,
    column: Option<String>,
}

/// The scoring threads and the batch being filled.
pub(crate) struct Pool<'scope> {
    jobs: Vec<SyncSender<Job>>,
    done: Receiver<(u64, Vec<OutcomeLine>)>,
    workers: Vec<ScopedJoinHandle<'scope, Option<Evaluator<'scope>>>>,
    batch: Batch,
    sent: u64,
    next_to_write: u64,
    waiting: BTreeMap<u64, Vec<OutcomeLine>>,
}

impl<'scope> Pool<'scope> {
    /// Starts `threads` scoring threads.
    pub(crate) fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        rubric: &'scope Rubric,
        threads: usize,
        delimiter: u8,
        all: bool,
    ) -> Self {
        let (done_tx, done) = channel();
        let mut jobs = Vec::with_capacity(threads);
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            // Two batches in flight per thread: the reader waits rather than buffering.
            let (tx, rx) = sync_channel::<Job>(2);
            let done_tx = done_tx.clone();
            workers.push(scope.spawn(move || work(rubric, &rx, &done_tx, delimiter, all)));
            jobs.push(tx);
        }
        Pool {
            jobs,
            done,
            workers,
            batch: Batch::default(),
            sent: 0,
            next_to_write: 0,
            waiting: BTreeMap::new(),
        }
    }

    /// Every thread switches to a new input.
    pub(crate) fn header(&mut self, source: &str, columns: &[&str], kind: Option<&str>) {
        self.flush();
        self.batch.source = Arc::from(source);
        let owned: Vec<String> = columns.iter().map(|c| (*c).to_string()).collect();
        for tx in &self.jobs {
            let _ = tx.send(Job::Header(owned.clone(), kind.map(str::to_string)));
        }
    }

    /// Queues one row; returns the reject lines of batches finished so far, in order.
    pub(crate) fn row(&mut self, row: &Row<'_>) -> Vec<OutcomeLine> {
        let cells = match &row.cells {
            Ok(cells) => {
                for c in cells {
                    self.batch.text.push_str(c);
                    self.batch.ends.push(self.batch.text.len());
                }
                cells.len()
            }
            Err(_) => 0,
        };
        self.batch.rows.push(BatchRow {
            number: row.number,
            line: row.line,
            cells,
            unread: row.cells.as_ref().err().cloned(),
            raw: row.raw.clone(),
            column: row.column.clone(),
        });
        if self.batch.rows.len() >= BATCH_ROWS {
            self.flush();
        }
        self.ready()
    }

    fn flush(&mut self) {
        if self.batch.rows.is_empty() {
            return;
        }
        let source = self.batch.source.clone();
        let batch = std::mem::replace(
            &mut self.batch,
            Batch {
                source,
                ..Batch::default()
            },
        );
        let n = u64::try_from(self.jobs.len().max(1)).unwrap_or(1);
        let worker = usize::try_from(self.sent % n).unwrap_or(0);
        if let Some(tx) = self.jobs.get(worker) {
            let _ = tx.send(Job::Rows(self.sent, batch));
        }
        self.sent = self.sent.saturating_add(1);
    }

    /// Reject lines of the finished batches that come next in input order.
    fn ready(&mut self) -> Vec<OutcomeLine> {
        while let Ok((seq, lines)) = self.done.try_recv() {
            self.waiting.insert(seq, lines);
        }
        let mut out = Vec::new();
        while let Some(lines) = self.waiting.remove(&self.next_to_write) {
            out.extend(lines);
            self.next_to_write = self.next_to_write.saturating_add(1);
        }
        out
    }

    /// Sends the last batch, waits for every thread, and merges their evaluators
    /// in thread order; returns the merged evaluator and the remaining reject lines.
    pub(crate) fn finish(mut self) -> (Option<Evaluator<'scope>>, Vec<OutcomeLine>) {
        self.flush();
        // Closing the job queues ends the threads; their results then all arrive.
        self.jobs.clear();
        while let Ok((seq, lines)) = self.done.recv() {
            self.waiting.insert(seq, lines);
        }
        let lines = self.ready();
        let mut merged: Option<Evaluator<'scope>> = None;
        for w in self.workers {
            let Ok(Some(e)) = w.join() else { continue };
            match merged.as_mut() {
                Some(m) => m.merge(e),
                None => merged = Some(e),
            }
        }
        (merged, lines)
    }
}

/// A scoring thread: scores batches until the jobs end, then hands back its evaluator.
fn work<'r>(
    rubric: &'r Rubric,
    jobs: &Receiver<Job>,
    done: &Sender<(u64, Vec<OutcomeLine>)>,
    delimiter: u8,
    all: bool,
) -> Option<Evaluator<'r>> {
    let mut evaluator: Option<Evaluator<'r>> = None;
    for job in jobs {
        match job {
            Job::Header(columns, kind) => {
                let cols: Vec<&str> = columns.iter().map(String::as_str).collect();
                match evaluator.as_mut() {
                    Some(e) => {
                        let _ = e.rebind(&cols, kind.as_deref());
                    }
                    None => {
                        evaluator = Evaluator::for_kind(rubric, &cols, kind.as_deref())
                            .ok()
                            .map(|mut e| {
                                e.keep_values(all);
                                e
                            });
                    }
                }
            }
            Job::Rows(seq, batch) => {
                let lines = match evaluator.as_mut() {
                    Some(e) => score(e, &batch, delimiter, all),
                    None => Vec::new(),
                };
                if done.send((seq, lines)).is_err() {
                    break;
                }
            }
        }
    }
    evaluator
}

fn score(e: &mut Evaluator<'_>, batch: &Batch, delimiter: u8, all: bool) -> Vec<OutcomeLine> {
    let mut lines = Vec::new();
    let mut cell = 0usize;
    let mut cells: Vec<&str> = Vec::new();
    for r in &batch.rows {
        cells.clear();
        for k in cell..cell + r.cells {
            let start = if k == 0 {
                0
            } else {
                batch.ends.get(k - 1).copied().unwrap_or(0)
            };
            let end = batch.ends.get(k).copied().unwrap_or(start);
            cells.push(batch.text.get(start..end).unwrap_or(""));
        }
        cell += r.cells;
        let row = Row {
            number: r.number,
            line: r.line,
            cells: match &r.unread {
                Some(unread) => Err(unread.clone()),
                None => Ok(std::mem::take(&mut cells)),
            },
            raw: r.raw.clone(),
            column: r.column.clone(),
        };
        lines.extend(score_row(e, &row, &batch.source, all, delimiter));
        if let Ok(taken) = row.cells {
            cells = taken;
        }
    }
    lines
}
