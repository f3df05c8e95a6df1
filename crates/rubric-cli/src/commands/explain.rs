//! `rubric explain RUBRIC DATA… (--record ID | --group NAME KEY… [--period P])`:
//! how one record's or one group row's result came about, in plain words.

use crate::args::{ExplainArgs, ExplainFormat};
use crate::data::{self, Row, Sink, Source};
use crate::render::Reporter;
use crate::stdout::Stdout;
use crate::Status;
use rubric_engine::eval::Evaluator;
use rubric_engine::model::Rubric;
use rubric_engine::Explanation;

/// Runs the subcommand.
pub fn run(args: &ExplainArgs, report: &mut Reporter, out: &mut Stdout) -> Status {
    let rubric = match super::load_rubric(&args.rubric, report) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let group = match group_row(&rubric, &args.group) {
        Ok(g) => g.map(|(name, keys)| (name, keys, args.period.clone())),
        Err(e) => {
            report.problem(&e);
            return Status::Trouble;
        }
    };
    let mut run = Run {
        rubric: &rubric,
        evaluator: None,
        kind: None,
        record: args.record.clone(),
        group,
        found: Vec::new(),
        source: String::new(),
    };
    for arg in &args.data {
        let source = Source::parse(arg);
        run.source = source.name();
        run.kind = source.kind.clone();
        if let Err(e) = data::stream(&source, b',', &super::eval::json_columns(&rubric), &mut run) {
            report.problem(&e);
            return Status::Trouble;
        }
    }
    let Some(evaluator) = run.evaluator.take() else {
        return Status::Trouble;
    };
    let mut found = std::mem::take(&mut run.found);
    if run.group.is_some() {
        found.extend(evaluator.finish_explained().1);
    }
    if found.is_empty() {
        report.problem(&match &args.record {
            Some(id) => {
                format!("no record `{id}` in the data (give its id, or #n for the n-th data row)")
            }
            None => "no such group row".to_string(),
        });
        return Status::Findings;
    }
    let text = match args.format {
        ExplainFormat::Text => found
            .iter()
            .map(|e| e.lines().join("\n") + "\n")
            .collect::<Vec<_>>()
            .join("\n"),
        ExplainFormat::Json => match serde_json::to_string_pretty(&found) {
            Ok(t) => t + "\n",
            Err(e) => {
                report.problem(&e.to_string());
                return Status::Trouble;
            }
        },
    };
    match out.write(&text) {
        Ok(()) => Status::Ok,
        Err(e) => {
            report.problem(&format!("cannot write to standard output: {e}"));
            Status::Trouble
        }
    }
}

/// `--group NAME KEY=VALUE…` as the group's name and its key values in key order.
fn group_row(rubric: &Rubric, words: &[String]) -> Result<Option<(String, Vec<String>)>, String> {
    let Some((name, pairs)) = words.split_first() else {
        return Ok(None);
    };
    let group = rubric
        .groups
        .iter()
        .find(|g| g.name == *name)
        .ok_or_else(|| format!("the rubric has no group `{name}`"))?;
    let given: Vec<(&str, &str)> = pairs.iter().filter_map(|p| p.split_once('=')).collect();
    if given.len() != pairs.len() {
        return Err("write the group's keys as KEY=VALUE, e.g. consultant=张伟".into());
    }
    let keys = group
        .keys
        .iter()
        .map(|k| {
            given
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.to_string())
                .ok_or_else(|| format!("give the key {k}=… of group `{}`", group.name))
        })
        .collect::<Result<_, _>>()?;
    Ok(Some((name.clone(), keys)))
}

/// One pass over the data: the watched group row, or the records with the id.
struct Run<'r> {
    rubric: &'r Rubric,
    evaluator: Option<Evaluator<'r>>,
    kind: Option<String>,
    record: Option<String>,
    group: Option<(String, Vec<String>, Option<String>)>,
    found: Vec<Explanation>,
    source: String,
}

impl Sink for Run<'_> {
    fn header(&mut self, columns: &[&str]) -> Result<(), String> {
        let fail = |problems: Vec<rubric_syntax::Diagnostic>| {
            let lines: Vec<String> = problems
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            format!(
                "{}: the header does not fit the rubric:\n  {}",
                self.source,
                lines.join("\n  ")
            )
        };
        match self.evaluator.as_mut() {
            Some(e) => e.rebind(columns, self.kind.as_deref()).map_err(fail),
            None => {
                let mut e = Evaluator::for_kind(self.rubric, columns, self.kind.as_deref())
                    .map_err(fail)?;
                if let Some((group, keys, period)) = &self.group {
                    e.watch(group, keys, period.as_deref())
                        .map_err(|d| format!("{} {}", d.code, d.message))?;
                }
                self.evaluator = Some(e);
                Ok(())
            }
        }
    }

    fn row(&mut self, row: &Row<'_>) {
        let (Some(evaluator), Ok(cells)) = (self.evaluator.as_mut(), &row.cells) else {
            return;
        };
        let outcome = evaluator.push(row.number, cells);
        if let Some(id) = &self.record {
            let by_number = format!("#{}", row.number);
            if outcome.id.as_deref() == Some(id.as_str()) || by_number == *id {
                self.found.push(evaluator.explain(row.number, cells));
            }
        }
    }
}
