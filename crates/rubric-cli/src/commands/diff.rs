//! `rubric diff OLD NEW [--data FILE…]`: what changed in meaning between two rubrics,
//! in plain words with the source lines of both sides, and with `--data` what the
//! change does to real records and groups (both rubrics evaluated in one streaming
//! pass). Either side may be `REV:path`, read with `git show`.
//!
//! Exit codes: 0 the rubrics mean the same, 1 they differ, 2 a side cannot be read
//! or does not compile, or the data cannot be read.

use crate::args::{DiffArgs, DiffFormat};
use crate::data::{self, Row, Sink, Source};
use crate::files::{self, Input};
use crate::render::Reporter;
use crate::stdout::Stdout;
use crate::Status;
use rubric_engine::decimal;
use rubric_engine::diff::{
    self, Change, ChangeKind, Impact, ImpactRun, Largest, RecordChange, Side, TableImpact,
    ValueChange, Verdict, Which,
};
use rubric_engine::model::Rubric;
use rubric_syntax::ast::Span;
use rubric_syntax::{limits, Diagnostic};
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Version of the JSON document.
pub const SCHEMA: &str = "rubric-diff/1";

/// Source lines shown for an added or removed item.
const MAX_ITEM_LINES: usize = 12;

/// Runs the subcommand.
pub fn run(args: &DiffArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let stdin_uses = [&args.old, &args.new]
        .into_iter()
        .chain(&args.data)
        .filter(|a| a.as_str() == "-" || a.ends_with("=-"))
        .count();
    if stdin_uses > 1 {
        report
            .problem("standard input (`-`) can be read only once: give the other inputs as files");
        return Status::Trouble;
    }
    let old = load(&args.old, report);
    let new = load(&args.new, report);
    let (Ok(old), Ok(new)) = (old, new) else {
        return Status::Trouble;
    };
    let changes = diff::compare_sources(old.side(), new.side());
    let impact = if args.data.is_empty() {
        None
    } else {
        let delimiter = match delimiter(&args.delimiter) {
            Ok(d) => d,
            Err(e) => {
                report.problem(&e);
                return Status::Trouble;
            }
        };
        match impact(&old.rubric, &new.rubric, &args.data, delimiter) {
            Ok(i) => Some(i),
            Err(problems) => {
                for p in &problems {
                    report.problem(p);
                }
                return Status::Trouble;
            }
        }
    };
    let data_names: Vec<String> = args.data.iter().map(|d| Source::parse(d).name()).collect();
    let doc = Report {
        old: &old,
        new: &new,
        changes: &changes,
        impact: impact.as_ref().map(|i| (i, data_names.as_slice())),
    };
    let text = match args.format {
        DiffFormat::Text => render_text(&doc),
        DiffFormat::Json => match serde_json::to_string_pretty(&render_json(&doc)) {
            Ok(t) => t + "\n",
            Err(e) => {
                report.problem(&format!("cannot write JSON: {e}"));
                return Status::Trouble;
            }
        },
    };
    if let Err(e) = out.write(&text) {
        report.problem(&format!("cannot write to standard output: {e}"));
        return Status::Trouble;
    }
    if changes.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    }
}

/// One side of the diff, read and checked.
#[derive(Debug)]
pub struct Loaded {
    /// The name shown: the path, `REV:path` or `<stdin>`.
    pub name: String,
    /// The source text, when the side is a `.rubric` source (not a compiled `.ron`).
    pub text: Option<String>,
    /// The checked rubric.
    pub rubric: Rubric,
}

impl Loaded {
    /// The side as the engine sees it.
    pub fn side(&self) -> Side<'_> {
        Side {
            rubric: &self.rubric,
            source: self.text.as_deref(),
        }
    }
}

/// Compiles source text as one side of a diff; the diagnostics when it has errors.
pub fn compile_side(name: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let checked = rubric_engine::compile(text)?;
    Ok(Loaded {
        name: name.to_string(),
        text: Some(text.to_string()),
        rubric: checked.rubric,
    })
}

/// Where a side comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Spec {
    Stdin,
    File(PathBuf),
    Git { rev: String, path: String },
}

impl Spec {
    /// `-`, an existing path, `REV:path`, or a path (which will be reported missing).
    fn parse(arg: &str) -> Spec {
        if arg == "-" {
            return Spec::Stdin;
        }
        if Path::new(arg).exists() {
            return Spec::File(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            // `C:\x` and `C:/x` are Windows paths, not revisions.
            Some((rev, path))
                if !rev.is_empty()
                    && !path.is_empty()
                    && !(rev.len() == 1 && (path.starts_with('\\') || path.starts_with('/'))) =>
            {
                Spec::Git {
                    rev: rev.to_string(),
                    path: path.to_string(),
                }
            }
            _ => Spec::File(PathBuf::from(arg)),
        }
    }
}

/// Reads and checks one side, reporting why it cannot be used.
fn load(arg: &str, report: &mut Reporter) -> Result<Loaded, ()> {
    let spec = Spec::parse(arg);
    let (name, bytes) = match &spec {
        Spec::Stdin | Spec::File(_) => {
            let input = match &spec {
                Spec::File(p) => Input::File(p.clone()),
                _ => Input::Stdin,
            };
            match files::load(&input) {
                Ok(l) => (input.name(), l.bytes),
                Err(problem) => {
                    report.problem(&problem);
                    return Err(());
                }
            }
        }
        Spec::Git { rev, path } => match git_show(rev, path) {
            Ok(bytes) => (arg.to_string(), bytes),
            Err(problem) => {
                report.problem(&problem);
                return Err(());
            }
        },
    };
    let text = match rubric_syntax::decode(&bytes) {
        Ok(t) => t,
        Err(d) => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            report.file(&name, &String::from_utf8_lossy(bytes), &[d]);
            return Err(());
        }
    };
    if name.ends_with(".ron") {
        return match rubric_engine::from_ron(&text) {
            Ok(rubric) => Ok(Loaded {
                name,
                text: None,
                rubric,
            }),
            Err(d) => {
                report.file(&name, &text, &[d]);
                Err(())
            }
        };
    }
    compile_side(&name, &text).map_err(|found| {
        report.file(&name, &text, &found);
    })
}

/// `git show REV:path`, run in the current directory. The bytes read are bounded by
/// the source size limit (one byte over, so that an oversized file is recognised).
fn git_show(rev: &str, path: &str) -> Result<Vec<u8>, String> {
    let object = format!("{rev}:{path}");
    let output = Command::new("git")
        .arg("show")
        .arg(&object)
        .output()
        .map_err(|e| format!("cannot run git to read `{object}`: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let why = if first.is_empty() {
            format!("git exited with {}", output.status)
        } else {
            first.to_string()
        };
        return Err(format!(
            "cannot read `{object}` from git: {why}\n  (`REV:path` reads a file as of a git revision; \
             the path is relative to the repository root, or write `REV:./path` for one relative to \
             the current directory)"
        ));
    }
    let mut bytes = output.stdout;
    bytes.truncate(limits::MAX_SOURCE_BYTES.saturating_add(1));
    Ok(bytes)
}

/// `--delimiter`: one ASCII character, or `tab`.
fn delimiter(text: &str) -> Result<u8, String> {
    match text.as_bytes() {
        [b] if b.is_ascii() => Ok(*b),
        _ if text == "\\t" || text == "tab" => Ok(b'\t'),
        _ => Err(format!(
            "--delimiter must be one ASCII character, not `{text}`"
        )),
    }
}

/// Evaluates both rubrics on the data files in one streaming pass.
pub fn impact(
    old: &Rubric,
    new: &Rubric,
    data: &[String],
    delimiter: u8,
) -> Result<Impact, Vec<String>> {
    let columns = json_columns(&[old, new]);
    let mut sink = DiffSink {
        old,
        new,
        run: None,
        kind: None,
        source: String::new(),
    };
    let mut problems = Vec::new();
    for arg in data {
        let source = Source::parse(arg);
        sink.source = source.name();
        sink.kind = source.kind.clone();
        if let Some(run) = sink.run.as_mut() {
            run.set_source(&sink.source);
        }
        if let Err(e) = data::stream(&source, delimiter, &columns, &mut sink) {
            problems.push(e);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    match sink.run {
        Some(run) => Ok(run.finish()),
        None => Err(vec!["no data was read".to_string()]),
    }
}

/// The columns JSON records are read by: every field's column and the kind column of
/// either rubric.
fn json_columns(rubrics: &[&Rubric]) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for r in rubrics {
        let names = r.kind_column.iter().chain(
            r.kinds
                .iter()
                .flat_map(|k| k.fields.iter().map(|f| &f.column)),
        );
        for c in names {
            if !cols.contains(c) {
                cols.push(c.clone());
            }
        }
    }
    cols
}

/// Feeds the rows of every data file to both evaluators.
struct DiffSink<'r> {
    old: &'r Rubric,
    new: &'r Rubric,
    run: Option<ImpactRun<'r>>,
    kind: Option<String>,
    source: String,
}

impl Sink for DiffSink<'_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let bound = match self.run.as_mut() {
            Some(run) => run.rebind(columns, self.kind.as_deref()),
            None => ImpactRun::new(self.old, self.new, columns).and_then(|mut run| {
                if self.kind.is_some() {
                    run.rebind(columns, self.kind.as_deref())?;
                }
                run.set_source(&self.source);
                self.run = Some(run);
                Ok(())
            }),
        };
        bound.map_err(|(which, problems)| {
            let side = match which {
                Which::Old => "old",
                Which::New => "new",
            };
            let lines: Vec<String> = problems
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            format!(
                "{}: the header does not fit the {side} rubric:\n  {}",
                self.source,
                lines.join("\n  ")
            )
        })
    }

    fn row(&mut self, row: &Row<'_>) {
        let Some(run) = self.run.as_mut() else { return };
        match &row.cells {
            Ok(cells) => run.push(row.number, cells),
            Err((code, reason)) => run.reject_unread(row.number, code, reason),
        }
    }
}

/// Everything a diff shows.
pub struct Report<'a> {
    /// The old side.
    pub old: &'a Loaded,
    /// The new side.
    pub new: &'a Loaded,
    /// The changes in meaning.
    pub changes: &'a [Change],
    /// The impact on data, with the data files' names.
    pub impact: Option<(&'a Impact, &'a [String])>,
}

impl Report<'_> {
    fn verdict(&self) -> Verdict {
        diff::verdict(&self.old.rubric, &self.new.rubric, self.changes)
    }

    /// "no semantic change", with "formatting or comments only" when the texts differ.
    fn verdict_line(&self) -> String {
        let texts_differ = match (&self.old.text, &self.new.text) {
            (Some(a), Some(b)) => a != b,
            _ => self.old.rubric.hash != self.new.rubric.hash,
        };
        match self.verdict() {
            Verdict::Changed => diff::summary(self.changes),
            Verdict::FormattingOnly => {
                "no semantic change: formatting or comments only (the canonical text differs)"
                    .into()
            }
            Verdict::Same if texts_differ => {
                "no semantic change: formatting or comments only (the canonical text is the same)"
                    .into()
            }
            Verdict::Same => "no semantic change: the rubrics are identical".into(),
        }
    }
}

/// Line numbers and line texts of a source.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            let lone_cr = *b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if *b == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        Lines { text, starts }
    }

    /// The 0-based line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).saturating_sub(1)
    }

    /// Line `i` (0-based) without its line end and surrounding blanks.
    fn line(&self, i: usize) -> &'a str {
        let start = self.starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim()
    }

    /// `(line number, text)` of the span's first line, or of all its lines.
    fn of(&self, span: Span, all: bool) -> Vec<(usize, &'a str)> {
        let first = self.line_of(span.start.min(self.text.len()));
        let last = if all {
            self.line_of(
                span.end
                    .saturating_sub(1)
                    .max(span.start)
                    .min(self.text.len()),
            )
        } else {
            first
        };
        let mut found: Vec<(usize, &'a str)> =
            (first..=last).map(|i| (i + 1, self.line(i))).collect();
        // A statement's span runs over the blanks and comments after it.
        while found.len() > 1
            && found
                .last()
                .is_some_and(|(_, t)| t.is_empty() || t.starts_with("//"))
        {
            found.pop();
        }
        found
    }
}

/// The source lines of one side of a change, or its value when there are none.
fn side_lines(
    marker: char,
    name: &str,
    lines: Option<&Lines<'_>>,
    span: Option<Span>,
    value: Option<&str>,
    whole: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    match (lines, span) {
        (Some(lines), Some(span)) => {
            let found = lines.of(span, whole);
            let shown = found.len().min(MAX_ITEM_LINES);
            for (n, text) in found.iter().take(shown) {
                out.push(format!("    {marker} {name}:{n}  {text}"));
            }
            if found.len() > shown {
                out.push(format!(
                    "    {marker} {name}  … {} more lines",
                    found.len() - shown
                ));
            }
            if let Some(v) = value.filter(|v| v.contains('\n')) {
                out.extend(v.lines().map(|l| format!("    {marker}     {l}")));
            }
        }
        _ => {
            if let Some(v) = value {
                out.extend(v.lines().map(|l| format!("    {marker} {l}")));
            }
        }
    }
    out
}

/// The plain text output: each change with the source lines of both sides, the
/// summary, then the impact on data.
pub fn render_text(r: &Report<'_>) -> String {
    let old_lines = r.old.text.as_deref().map(Lines::new);
    let new_lines = r.new.text.as_deref().map(Lines::new);
    let mut out = String::new();
    out.push_str(&format!(
        "--- {} ({})\n+++ {} ({})\n",
        r.old.name,
        ident(&r.old.rubric),
        r.new.name,
        ident(&r.new.rubric)
    ));
    for c in r.changes {
        out.push('\n');
        out.push_str(&format!("{} {}: {}\n", c.action.marker(), c.path, c.what));
        // An added or removed item is shown whole; otherwise its first line.
        let item = !matches!(
            c.kind,
            ChangeKind::Header | ChangeKind::Floor | ChangeKind::Cap | ChangeKind::IfEmpty
        );
        let removed = item && c.action == diff::Action::Removed;
        let added = item && c.action == diff::Action::Added;
        let sides = [
            (
                '-',
                &r.old.name,
                old_lines.as_ref(),
                c.old_span,
                c.old.as_deref(),
                removed,
            ),
            (
                '+',
                &r.new.name,
                new_lines.as_ref(),
                c.new_span,
                c.new.as_deref(),
                added,
            ),
        ];
        for (marker, name, lines, span, text, whole) in sides {
            for l in side_lines(marker, name, lines, span, text, whole) {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    if !r.changes.is_empty() {
        out.push('\n');
    }
    out.push_str(&r.verdict_line());
    out.push('\n');
    if let Some((impact, names)) = r.impact {
        out.push('\n');
        out.push_str(&impact_text(impact, names, &r.new.rubric));
    }
    out
}

/// `welfare-service-evaluation 1.0.0`.
fn ident(r: &Rubric) -> String {
    match &r.meta.version {
        Some(v) => format!("{} {v}", r.meta.id),
        None => r.meta.id.clone(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `+6.25`, `-6.25`, shown at the precision `eval` uses.
fn signed(d: Decimal, r: &Rubric) -> String {
    let shown = decimal::display(d, r.rounding);
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{shown}")
    } else {
        shown
    }
}

fn largest_text(l: &Largest, at_prefix: bool, r: &Rubric) -> String {
    let delta = if l.whole {
        let d = l.delta.normalize();
        if d.is_sign_positive() && !d.is_zero() {
            format!("+{d}")
        } else {
            d.to_string()
        }
    } else {
        signed(l.delta, r)
    };
    if at_prefix {
        format!("{} {} {} → {} ({delta})", l.at, l.name, l.old, l.new)
    } else {
        format!("{} {} → {} ({delta})", l.at, l.old, l.new)
    }
}

fn value_changes(vs: &[ValueChange]) -> String {
    vs.iter()
        .map(|v| format!("{} {} → {}", v.name, v.old, v.new))
        .collect::<Vec<_>>()
        .join(", ")
}

fn record_line(c: &RecordChange, grades_only: bool) -> String {
    let mut parts = Vec::new();
    if c.old_status != c.new_status {
        parts.push(format!("{} → {}", c.old_status, c.new_status));
    }
    let vs: Vec<ValueChange> = c
        .values
        .iter()
        .filter(|v| !grades_only || v.level)
        .cloned()
        .collect();
    if !vs.is_empty() {
        parts.push(value_changes(&vs));
    }
    let at = match &c.id {
        Some(id) => format!("{id} (row {} of {})", c.row, c.source),
        None => format!("row {} of {}", c.row, c.source),
    };
    format!("    {at}: {}", parts.join("; "))
}

fn table_name(t: &TableImpact) -> String {
    match &t.period {
        Some(p) => format!("{} · {p}", t.group),
        None => t.group.clone(),
    }
}

/// The impact section of the text output.
fn impact_text(i: &Impact, names: &[String], new: &Rubric) -> String {
    let mut out = String::new();
    let files = names.join(", ");
    let r = &i.records;
    out.push_str(&format!("impact on {files}:\n"));
    let (so, sn) = (i.old_summary, i.new_summary);
    out.push_str(&format!(
        "  records: {} of {} change",
        r.changed,
        plural(r.compared, "record", "records")
    ));
    out.push_str(&format!(
        " ({} grade, {} status)\n",
        plural(r.grade_changed, "changes", "change"),
        plural(r.status_changed, "changes", "change")
    ));
    out.push_str(&format!(
        "    old: scored {} · excluded {} · rejected {}\n    new: scored {} · excluded {} · rejected {}\n",
        so.scored, so.excluded, so.rejected, sn.scored, sn.excluded, sn.rejected
    ));
    if let Some(l) = &r.largest {
        out.push_str(&format!(
            "    largest change: {}\n",
            largest_text(l, true, new)
        ));
    }
    for v in &r.values {
        let largest = v
            .largest
            .as_ref()
            .map(|l| format!(", largest {}", largest_text(l, false, new)))
            .unwrap_or_default();
        out.push_str(&format!(
            "    {}: {}{largest}\n",
            v.name,
            plural(v.changed, "record", "records")
        ));
    }
    if !r.grade_listed.is_empty() {
        let more = r.grade_changed.saturating_sub(count(r.grade_listed.len()));
        out.push_str("  records that change grade:\n");
        for c in &r.grade_listed {
            out.push_str(&record_line(c, true));
            out.push('\n');
        }
        if more > 0 {
            out.push_str(&format!("    … and {more} more\n"));
        }
    }
    if !r.listed.is_empty() {
        let more = r.changed.saturating_sub(count(r.listed.len()));
        out.push_str(&format!(
            "  changed records (the first {}):\n",
            r.listed.len()
        ));
        for c in &r.listed {
            out.push_str(&record_line(c, false));
            out.push('\n');
        }
        if more > 0 {
            out.push_str(&format!("    … and {more} more\n"));
        }
    }
    if i.tables.is_empty() {
        out.push_str("  groups: no group table is in both rubrics\n");
    }
    for t in &i.tables {
        out.push_str(&format!("  {}: {}\n", table_name(t), table_line(t, &files)));
        for f in &t.flips {
            out.push_str(&format!(
                "    {}  {} {} → {}\n",
                f.label(),
                f.name,
                f.old,
                f.new
            ));
        }
        let more = t.flips_total.saturating_sub(count(t.flips.len()));
        if more > 0 {
            out.push_str(&format!("    … and {more} more\n"));
        }
        for v in &t.values {
            if v.largest.is_none() {
                continue;
            }
            let largest = v
                .largest
                .as_ref()
                .map(|l| format!(", largest {}", largest_text(l, false, new)))
                .unwrap_or_default();
            out.push_str(&format!(
                "    {} changes in {}{largest}\n",
                v.name,
                plural(v.changed, "row", "rows")
            ));
        }
    }
    out
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// "14 of 52 rows change grade in 2026-10.csv, 3 change rank".
fn table_line(t: &TableImpact, files: &str) -> String {
    let mut parts = vec![format!(
        "{} of {} change grade in {files}",
        t.grade_changed,
        plural(t.compared, "row", "rows")
    )];
    if t.rank_changed > 0 {
        parts.push(format!(
            "{} rank",
            plural(t.rank_changed, "changes", "change")
        ));
    }
    if t.status_changed > 0 {
        parts.push(format!(
            "{} status",
            plural(t.status_changed, "changes", "change")
        ));
    }
    if t.changed > 0 {
        parts.push(format!("{} of {} change some value", t.changed, t.compared));
    }
    let only = t.rows_old.saturating_sub(t.compared);
    let fresh = t.rows_new.saturating_sub(t.compared);
    if only > 0 || fresh > 0 {
        parts.push(format!(
            "{only} only in the old results, {fresh} only in the new"
        ));
    }
    parts.join("; ")
}

/// The JSON document (schema `rubric-diff/1`).
pub fn render_json(r: &Report<'_>) -> Json {
    let old_lines = r.old.text.as_deref().map(Lines::new);
    let new_lines = r.new.text.as_deref().map(Lines::new);
    let at = |lines: &Option<Lines<'_>>, name: &str, span: Option<Span>| -> Json {
        match (lines, span) {
            (Some(l), Some(s)) => {
                let found = l.of(s, false);
                match found.first() {
                    Some((n, text)) => json!({ "file": name, "line": n, "text": text }),
                    None => Json::Null,
                }
            }
            _ => Json::Null,
        }
    };
    let changes: Vec<Json> = r
        .changes
        .iter()
        .map(|c| {
            json!({
                "kind": c.kind,
                "action": c.action,
                "path": c.path,
                "what": c.what,
                "old": c.old,
                "new": c.new,
                "old_at": at(&old_lines, &r.old.name, c.old_span),
                "new_at": at(&new_lines, &r.new.name, c.new_span),
            })
        })
        .collect();
    let side = |l: &Loaded| {
        json!({
            "name": l.name,
            "id": l.rubric.meta.id,
            "version": l.rubric.meta.version,
            "hash": l.rubric.hash,
        })
    };
    let impact = r.impact.map(|(i, names)| {
        let mut v = serde_json::to_value(i).unwrap_or(Json::Null);
        if let Some(map) = v.as_object_mut() {
            map.insert("data".into(), json!(names));
        }
        v
    });
    json!({
        "schema": SCHEMA,
        "old": side(r.old),
        "new": side(r.new),
        "verdict": r.verdict(),
        "summary": r.verdict_line(),
        "changes": changes,
        "impact": impact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_are_paths_revisions_or_stdin() {
        assert_eq!(Spec::parse("-"), Spec::Stdin);
        assert_eq!(
            Spec::parse("HEAD~1:rubrics/x.rubric"),
            Spec::Git {
                rev: "HEAD~1".into(),
                path: "rubrics/x.rubric".into()
            }
        );
        assert_eq!(
            Spec::parse("C:\\x.rubric"),
            Spec::File(PathBuf::from("C:\\x.rubric"))
        );
        assert_eq!(
            Spec::parse("missing.rubric"),
            Spec::File(PathBuf::from("missing.rubric"))
        );
    }

    #[test]
    fn lines_count_every_kind_of_line_end() {
        let l = Lines::new("a\r\nb\rc\n  d  ");
        let d = l.text.find('d').unwrap_or(0);
        assert_eq!(l.of(Span::new(d, d + 1), false), vec![(4, "d")]);
        assert_eq!(l.of(Span::new(0, d), true).len(), 4);
    }

    #[test]
    fn signed_deltas() {
        let r = Rubric {
            format: 1,
            meta: Default::default(),
            hash: String::new(),
            rounding: Default::default(),
            levels: vec![],
            scales: vec![],
            kind_column: None,
            kinds: vec![],
            groups: vec![],
            examples: vec![],
        };
        assert_eq!(signed(Decimal::new(625, 2), &r), "+6.25");
        assert_eq!(signed(Decimal::new(-5, 0), &r), "-5.00");
    }
}
