//! One record, start to end: read the fields, resolve rated answers, then
//! exclusions (which win over field errors), field errors, `require` rules and
//! computed values. The kind's slot buffer is reused from record to record.

use super::errors;
use super::expr::{eval, index, truth, Ctx, EvalError, Frame};
use super::fields::{in_range, FieldError, Reader};
use super::outcome::{NamedValue, RecordStatus};
use super::scale::Hit;
use super::score::{score_tree_traced, FlatSum, NoTrace, ScoreTrace, Write};
use super::value::{key_text, put_num, KeyText};
use crate::model::{ComputedDef, Expr, Kind, Rubric, SlotId, Value};
use rust_decimal::Decimal;
use std::sync::Arc;

/// How a record ended, before it is turned into an outcome.
#[derive(Debug, PartialEq)]
pub(crate) enum Verdict<'r> {
    /// Scored; `empty` when a division by zero blanked a value.
    Scored {
        /// A value hit a division by zero.
        empty: bool,
    },
    /// Excluded with this reason.
    Excluded(&'r str),
    /// Rejected.
    Rejected {
        /// The field at fault.
        field: Option<&'r str>,
        /// Stable code.
        code: &'static str,
        /// Plain words.
        reason: String,
    },
}

impl<'r> Verdict<'r> {
    /// The outcome status; a scored record's values are read from `state`.
    /// The outcome's status; `values`: whether a scored record carries its values.
    pub(crate) fn into_status(self, state: &KindState<'r>, values: bool) -> RecordStatus {
        match self {
            Verdict::Scored { empty } => RecordStatus::Scored {
                values: if values { state.values() } else { Vec::new() },
                empty: empty.then(|| {
                    let reason = state.kind.empty_reason.as_deref();
                    reason.unwrap_or(errors::DEFAULT_EMPTY).to_owned()
                }),
            },
            Verdict::Excluded(reason) => RecordStatus::Excluded {
                reason: reason.to_owned(),
            },
            Verdict::Rejected {
                field,
                code,
                reason,
            } => RecordStatus::Rejected {
                field: field.map(str::to_owned),
                code,
                reason,
            },
        }
    }

    #[cold]
    fn rejected(field: Option<&'r str>, e: FieldError) -> Self {
        Verdict::Rejected {
            field,
            code: e.code,
            reason: e.reason,
        }
    }

    #[cold]
    fn failed(e: EvalError, what: &str) -> Self {
        let (code, reason) = errors::eval_failure(e, what);
        Verdict::Rejected {
            field: None,
            code,
            reason,
        }
    }
}

/// A first field error and the field it belongs to.
type FirstError<'r> = Option<(&'r str, Box<FieldError>)>;

/// Whether a field error says a value is missing, rather than wrong.
fn is_absence(e: &FieldError) -> bool {
    matches!(e.code, errors::MISSING | errors::RATED_MISSING)
}

/// A record kind with its reusable buffers.
pub(crate) struct KindState<'r> {
    /// The kind.
    pub kind: &'r Kind,
    /// Its name, shared by every outcome.
    pub name: Arc<str>,
    /// The current record's slot values.
    pub slots: Vec<Value>,
    outputs: Vec<(usize, Arc<str>)>,
    rated: Vec<(usize, Decimal, Decimal)>,
    writes: Vec<Write>,
    /// Per computed value, its flat form when it is a plain weighted sum.
    flat: Vec<Option<FlatSum>>,
    /// Per exclusion rule, the fields its condition reads.
    rule_fields: Vec<Vec<usize>>,
    /// The current record's fields whose value is present but wrong.
    invalid: Vec<(usize, Box<FieldError>)>,
    /// Whether some field carries rater values (`rated by`).
    has_raters: bool,
}

impl<'r> KindState<'r> {
    /// Buffers for `kind`.
    pub(crate) fn new(kind: &'r Kind) -> Self {
        let outputs = kind
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.output)
            .map(|(i, s)| (i, Arc::from(s.name.as_str())))
            .collect();
        KindState {
            kind,
            name: Arc::from(kind.name.as_str()),
            slots: vec![Value::Blank; kind.slots.len().max(kind.fields.len())],
            outputs,
            rated: Vec::new(),
            writes: Vec::new(),
            flat: kind
                .computed
                .iter()
                .map(|c| match &c.def {
                    ComputedDef::Score(node) => FlatSum::of(node, kind.fields.len()),
                    _ => None,
                })
                .collect(),
            rule_fields: kind
                .excludes
                .iter()
                .map(|r| {
                    let mut slots = Vec::new();
                    if let Some(cond) = &r.when {
                        slots_read(cond, &mut slots);
                    }
                    slots
                })
                .collect(),
            invalid: Vec::new(),
            has_raters: kind.fields.iter().any(|f| f.rated_by.is_some()),
        }
    }

    /// Scores the record in `cells`; `cols` gives each field's column. A record that
    /// is not scored leaves its computed slots blank (a scored one has written them
    /// all).
    pub(crate) fn run(
        &mut self,
        rubric: &'r Rubric,
        reader: &Reader<'r>,
        cols: &[Option<usize>],
        cells: &[&str],
    ) -> Verdict<'r> {
        let verdict = self.verdict(rubric, reader, cols, cells);
        if !matches!(verdict, Verdict::Scored { .. }) {
            for slot in self.slots.iter_mut().skip(self.kind.fields.len()) {
                *slot = Value::Blank;
            }
        }
        verdict
    }

    /// [`Self::run`] but for blanking the computed slots of a record not scored.
    fn verdict(
        &mut self,
        rubric: &'r Rubric,
        reader: &Reader<'r>,
        cols: &[Option<usize>],
        cells: &[&str],
    ) -> Verdict<'r> {
        let (mut error, excluded_by) = self.read_fields(reader, cols, cells);
        let rated_error = self.resolve_rated();
        if error.is_none() {
            error = rated_error;
        }
        let mut cx = Ctx {
            rubric,
            empty: false,
        };
        match self.exclusion(&mut cx, excluded_by) {
            Ok(Some(reason)) => return Verdict::Excluded(reason),
            Ok(None) => {}
            Err(v) => return v,
        }
        if let Some((field, e)) = error {
            return Verdict::rejected(Some(field), *e);
        }
        if let Err(v) = self.requires(&mut cx) {
            return v;
        }
        cx.empty = false;
        match self.compute(&mut cx) {
            Ok(()) => Verdict::Scored { empty: cx.empty },
            Err(v) => v,
        }
    }

    /// Reads every field; failed fields are blank. Returns the first error and
    /// the first excluding answer's reason.
    fn read_fields(
        &mut self,
        reader: &Reader<'r>,
        cols: &[Option<usize>],
        cells: &[&str],
    ) -> (FirstError<'r>, Option<&'r str>) {
        let kind = self.kind;
        let mut error = None;
        let mut exclude = None;
        self.rated.clear();
        self.invalid.clear();
        for (i, (field, slot)) in kind.fields.iter().zip(self.slots.iter_mut()).enumerate() {
            let col = cols.get(i).copied().flatten();
            let raw = col.and_then(|c| cells.get(c)).copied().unwrap_or("");
            match reader.read(field, raw, slot) {
                Ok(Some(hit @ Hit::Rated(_))) => {
                    self.rated.extend(hit.bounds().map(|(lo, hi)| (i, lo, hi)));
                }
                Ok(Some(Hit::Exclude(reason))) => {
                    exclude.get_or_insert(reason.as_str());
                }
                Ok(_) => {}
                Err(e) => {
                    if !is_absence(&e) {
                        self.invalid.push((i, e.clone()));
                    }
                    error.get_or_insert((field.name.as_str(), e));
                }
            }
        }
        (error, exclude)
    }

    /// Gives rated answers their rater value, and refuses rater values given
    /// without a rated answer. Returns the first problem.
    fn resolve_rated(&mut self) -> FirstError<'r> {
        if self.rated.is_empty() && !self.has_raters {
            return None;
        }
        let kind = self.kind;
        let mut error = None;
        for &(i, lo, hi) in &self.rated {
            let Some(field) = kind.fields.get(i) else {
                continue;
            };
            let result = rater_value(kind, &self.slots, field.rated_by, &field.name, lo, hi);
            match result {
                Ok(v) => {
                    if let Some(Value::Answer { score, .. }) = self.slots.get_mut(i) {
                        *score = Some(v);
                    }
                }
                Err((name, e)) => {
                    error.get_or_insert((name, e));
                }
            }
        }
        if error.is_none() {
            error = self.unexpected_rater();
        }
        error
    }

    /// A non-blank rater field that no rated answer uses.
    fn unexpected_rater(&self) -> FirstError<'r> {
        let kind = self.kind;
        let used = |slot: SlotId| {
            self.rated
                .iter()
                .any(|(i, ..)| kind.fields.get(*i).and_then(|f| f.rated_by) == Some(slot))
        };
        for rater in kind.fields.iter().filter_map(|f| f.rated_by) {
            let given = !matches!(index(&self.slots, rater), None | Some(Value::Blank));
            if given && !used(rater) {
                let name = index(&kind.fields, rater).map_or("", |f| f.name.as_str());
                let e = FieldError::new(errors::RATED_UNEXPECTED, errors::rated_unexpected(name));
                return Some((name, e));
            }
        }
        None
    }

    /// The first exclusion that applies: a rule, then an excluding answer.
    fn exclusion(
        &self,
        cx: &mut Ctx<'r>,
        by_answer: Option<&'r str>,
    ) -> Result<Option<&'r str>, Verdict<'r>> {
        let f = Frame::record(&self.slots);
        for (rule, reads) in self.kind.excludes.iter().zip(&self.rule_fields) {
            let holds = match &rule.when {
                None => true,
                Some(cond) => truth(cx, &f, cond).map_err(|e| Verdict::failed(e, &rule.reason))?,
            };
            if !holds {
                continue;
            }
            // A rule that holds because it read a wrong value (seen as blank) must not
            // hide that value: the record is rejected instead.
            let wrong = self.invalid.iter().find(|(i, _)| reads.contains(i));
            if let Some((i, e)) = wrong {
                let field = self.kind.fields.get(*i).map(|f| f.name.as_str());
                return Err(Verdict::rejected(field, (**e).clone()));
            }
            return Ok(Some(rule.reason.as_str()));
        }
        Ok(by_answer)
    }

    /// The `require` rules, in order.
    fn requires(&self, cx: &mut Ctx<'r>) -> Result<(), Verdict<'r>> {
        let f = Frame::record(&self.slots);
        for rule in &self.kind.requires {
            let holds =
                truth(cx, &f, &rule.condition).map_err(|e| Verdict::failed(e, &rule.message))?;
            if !holds {
                return Err(Verdict::Rejected {
                    field: None,
                    code: errors::REQUIRE,
                    reason: rule.message.clone(),
                });
            }
        }
        Ok(())
    }

    /// Computed values and score trees, in order.
    fn compute(&mut self, cx: &mut Ctx<'r>) -> Result<(), Verdict<'r>> {
        let kind = self.kind;
        for (c, flat) in kind.computed.iter().zip(&self.flat) {
            let what = index(&kind.slots, c.slot).map_or("?", |s| s.name.as_str());
            let done = match flat {
                Some(sum) => sum.eval(&mut self.slots),
                None => computed(cx, &mut self.slots, &mut self.writes, c.slot, &c.def),
            };
            done.map_err(|e| Verdict::failed(e, what))?;
        }
        Ok(())
    }

    /// The output values of the current record.
    pub(crate) fn values(&self) -> Vec<NamedValue> {
        self.outputs
            .iter()
            .map(|(i, name)| NamedValue {
                name: name.clone(),
                value: self.slots.get(*i).cloned().unwrap_or(Value::Blank),
            })
            .collect()
    }

    /// The current record's id, when it has one.
    pub(crate) fn record_id(&self, levels: &[String]) -> Option<String> {
        let v = index(&self.slots, self.kind.id_field?)?;
        Some(match key_text(v, levels)? {
            KeyText::Borrowed(s) => s.to_owned(),
            KeyText::Owned(s) => s,
        })
    }
}

/// The rater value for a rated answer of `answer`, checked against `[lo, hi]`.
pub(crate) fn rater_value<'r>(
    kind: &'r Kind,
    slots: &[Value],
    rated_by: Option<SlotId>,
    answer: &'r str,
    lo: Decimal,
    hi: Decimal,
) -> Result<Decimal, (&'r str, Box<FieldError>)> {
    let field = rated_by.and_then(|s| index(&kind.fields, s));
    let name = field.map_or(answer, |f| f.name.as_str());
    let missing = || {
        let e = FieldError::new(
            errors::RATED_MISSING,
            errors::rated_missing(answer, name, lo, hi),
        );
        (name, e)
    };
    match rated_by.and_then(|s| index(slots, s)) {
        Some(Value::Num(v)) => {
            in_range(name, *v, lo, hi).map_err(|e| (name, e))?;
            Ok(*v)
        }
        _ => Err(missing()),
    }
}

/// Fills one computed slot (a score tree fills all its nodes' slots).
pub(crate) fn computed(
    cx: &mut Ctx<'_>,
    slots: &mut [Value],
    writes: &mut Vec<Write>,
    slot: SlotId,
    def: &ComputedDef,
) -> Result<(), EvalError> {
    computed_in(cx, &[], &[], slots, writes, slot, def)
}

/// Fills one computed slot of a frame with these aggregates.
pub(crate) fn computed_in(
    cx: &mut Ctx<'_>,
    aggs: &[Value],
    agg_empty: &[bool],
    slots: &mut [Value],
    writes: &mut Vec<Write>,
    slot: SlotId,
    def: &ComputedDef,
) -> Result<(), EvalError> {
    computed_traced(cx, aggs, agg_empty, slots, writes, slot, def, &mut NoTrace)
}

/// [`computed_in`], reporting a score tree's steps to `t`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn computed_traced<T: ScoreTrace>(
    cx: &mut Ctx<'_>,
    aggs: &[Value],
    agg_empty: &[bool],
    slots: &mut [Value],
    writes: &mut Vec<Write>,
    slot: SlotId,
    def: &ComputedDef,
    t: &mut T,
) -> Result<(), EvalError> {
    writes.clear();
    {
        let f = Frame {
            slots,
            aggs,
            agg_empty,
        };
        match def {
            ComputedDef::Expr(e) => {
                let v = eval(cx, &f, e)?.into_owned();
                *slot_mut(slots, slot)? = v;
                return Ok(());
            }
            ComputedDef::Score(node) => {
                score_tree_traced(cx, &f, node, writes, t)?;
            }
            ComputedDef::Rank { .. } | ComputedDef::Quota { .. } => {
                return Err(EvalError::Type("rank and quota are computed per table"));
            }
        }
    }
    apply(slots, writes)
}

/// Writes the score nodes' values to their slots.
pub(crate) fn apply(slots: &mut [Value], writes: &mut Vec<Write>) -> Result<(), EvalError> {
    for (s, v) in writes.drain(..) {
        put_num(slot_mut(slots, s)?, v);
    }
    Ok(())
}

/// `&mut slots[slot]`.
pub(crate) fn slot_mut(slots: &mut [Value], slot: SlotId) -> Result<&mut Value, EvalError> {
    let target = usize::try_from(slot).ok().and_then(|i| slots.get_mut(i));
    target.ok_or(EvalError::Index("a slot index is out of range"))
}

/// The slots an expression reads.
fn slots_read(e: &Expr, out: &mut Vec<usize>) {
    if let Expr::Slot(s) = e {
        out.extend(usize::try_from(*s).ok());
    }
    for part in e.parts() {
        slots_read(part, out);
    }
}
