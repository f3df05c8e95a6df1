//! The checked model's expressions and values as text, for both of their readers:
//! the explanations (`max(0, 30 - 6 × count(投诉 where complaint_type is 有效))`, or
//! with every slot and aggregate replaced by its value, `max(0, 30 - 6 × 1)`) and the
//! semantic diff (source syntax, `50 - 2 * count(检查 where issues_found > 10)`, new
//! names turned back into old ones, optionally in a canonical form for comparing).
//!
//! A [`Printer`] resolves the names of a record kind's or a group's slots, its
//! aggregates, levels and scales, and writes every [`Expr`] with the parentheses its
//! structure needs ([`expr`]). What the two readers write differently is all in
//! [`Style`]; [`words`] holds the small words: numbers, quoted texts, intervals,
//! function and operator names. Numbers are exact (normalised), never rounded.

mod expr;
mod words;

pub(crate) use expr::Values;
pub(crate) use words::{interval, number, opt_number, quote, row_interval};

use crate::model::{ComputedDef, Expr, KindId, LevelId, Rubric, ScaleId, SlotId, SlotInfo, Value};
use expr::Want;
use std::collections::HashMap;

/// New names → old names of renamed items (the diff prints the new side in the old
/// side's names, so that a rename alone changes no printed expression).
#[derive(Clone, Debug, Default)]
pub(crate) struct Aliases {
    pub(crate) scales: HashMap<String, String>,
    pub(crate) kinds: HashMap<String, String>,
    pub(crate) groups: HashMap<String, String>,
    /// Per record kind (by its new name): renamed fields and values.
    pub(crate) kind_slots: HashMap<String, HashMap<String, String>>,
    /// Per group (by its new name): renamed values.
    pub(crate) group_slots: HashMap<String, HashMap<String, String>>,
}

/// Where an expression is evaluated: a record kind or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A record kind.
    Kind(KindId),
    /// A group table.
    Group(u32),
}

/// How texts are quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quotes {
    /// As Rust writes a string literal (`"a\tb"`, control characters escaped).
    Debug,
    /// As the source writes it: only `"`, `\` and line breaks escaped ([`quote`]).
    Source,
}

/// Which operands get parentheses beyond those the structure needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parens {
    /// For reading: `not` wraps every operand but a name, number, aggregate or call
    /// (`not (a > 1)`), an `and`/`or` inside another is always wrapped
    /// (`a or (b and c)`), `+` and `×` leave a right operand of their own strength bare
    /// (`a + b + c` for `a + (b + c)`), and `if` never wraps its parts. A negated
    /// label test reads `x not in (…)`.
    Readable,
    /// As the source needs, plus a right operand of the operator's own strength
    /// (`a + (b + c)`) and an `if` inside an `if` (`else (if …)`): `not a > 1`,
    /// `a or b and c`. A negated label test reads `not x in (…)`.
    Exact,
}

/// How an aggregate is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Aggregates {
    /// The record kind named only when the group reads several kinds: `count()`,
    /// `mean(answer)`, `count(投诉 where …)`, `mean(调查.answer)`; names inside stay
    /// bare.
    Short,
    /// Always the record kind, and its slots named `kind.slot` in the argument (and in
    /// the filter, unless the argument is absent or one slot):
    /// `count(投诉 where …)`, `sum(检查.a + 检查.b where 检查.c > 1)`.
    Full,
}

/// What the explanations and the diff write differently. There are two styles,
/// [`Style::EXPLAIN`] and [`Style::DIFF`]; each field says how they differ.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    /// The multiplication sign, with its spaces: ` × ` or ` * `.
    times: &'static str,
    /// How `false` and `true` are written: `no`/`yes` or `false`/`true`.
    truth: [&'static str; 2],
    /// How texts and answer labels are quoted.
    quotes: Quotes,
    /// Whether an answer shows its score (`"满意" (85)`, or `85` where a number is
    /// wanted) rather than only its label.
    scores: bool,
    /// Whether a one-point interval is written as a scale row writes it (`= 5`)
    /// rather than as `[5, 5]`.
    points: bool,
    /// Parentheses and negated forms.
    parens: Parens,
    /// Aggregates.
    aggregates: Aggregates,
    /// Whether an expression deeper than [`expr::MAX_PRINT_DEPTH`] or with more than
    /// [`expr::MAX_PRINT_PARTS`] parts is cut short with `…` (a hand-made `.ron`
    /// could nest without end, or refer to itself when values are inlined).
    bounded: bool,
}

impl Style {
    /// For explanations: a formula as a person reads it.
    pub(crate) const EXPLAIN: Style = Style {
        times: " × ",
        truth: ["no", "yes"],
        quotes: Quotes::Debug,
        scores: true,
        points: false,
        parens: Parens::Readable,
        aggregates: Aggregates::Short,
        bounded: false,
    };

    /// For the semantic diff: source syntax, one text per structure.
    pub(crate) const DIFF: Style = Style {
        times: " * ",
        truth: ["false", "true"],
        quotes: Quotes::Source,
        scores: false,
        points: true,
        parens: Parens::Exact,
        aggregates: Aggregates::Full,
        bounded: true,
    };
}

/// A rubric's expressions and values as text, in one [`Style`], through an optional
/// rename map.
#[derive(Clone, Copy)]
pub(crate) struct Printer<'a> {
    r: &'a Rubric,
    style: Style,
    alias: Option<&'a Aliases>,
    /// Whether the canonical form is printed (see [`Printer::inlined`]).
    inline: bool,
}

impl<'a> Printer<'a> {
    /// A printer of `r`'s parts in its own names.
    pub(crate) fn new(r: &'a Rubric, style: Style) -> Self {
        Printer {
            r,
            style,
            alias: None,
            inline: false,
        }
    }

    /// The same printer giving renamed items their old names.
    pub(crate) fn renamed(self, alias: Option<&'a Aliases>) -> Self {
        Printer { alias, ..self }
    }

    /// The same printer in canonical form, for comparing: every computed value an
    /// expression uses is replaced by its formula (`50 - 问题数` and `50 -
    /// sum(检查.issues_found)` print alike), the operands of `and`/`or` are sorted and
    /// comparisons face one way (`"成功" != status` prints as `status != "成功"`).
    pub(crate) fn inlined(&self) -> Self {
        Printer {
            inline: true,
            ..*self
        }
    }

    /// The formula of a computed value, when the slot holds one.
    fn formula(&self, sc: Scope, slot: SlotId) -> Option<&'a Expr> {
        let computed = match sc {
            Scope::Kind(k) => &self.r.kinds.get(k as usize)?.computed,
            Scope::Group(g) => &self.r.groups.get(g as usize)?.computed,
        };
        computed
            .iter()
            .find(|c| c.slot == slot)
            .and_then(|c| match &c.def {
                ComputedDef::Expr(e) => Some(e),
                _ => None,
            })
    }

    fn aliased(&self, map: impl Fn(&'a Aliases) -> Option<&'a String>, name: &'a str) -> &'a str {
        match self.alias.and_then(map) {
            Some(old) => old,
            None => name,
        }
    }

    /// A scale's name.
    pub(crate) fn scale(&self, id: ScaleId) -> &'a str {
        let name = self
            .r
            .scales
            .get(id as usize)
            .map_or("?", |s| s.name.as_str());
        self.aliased(|a| a.scales.get(name), name)
    }

    /// A record kind's name.
    pub(crate) fn kind(&self, id: KindId) -> &'a str {
        let name = self
            .r
            .kinds
            .get(id as usize)
            .map_or("?", |k| k.name.as_str());
        self.aliased(|a| a.kinds.get(name), name)
    }

    /// A group's name.
    pub(crate) fn group(&self, id: u32) -> &'a str {
        let name = self
            .r
            .groups
            .get(id as usize)
            .map_or("?", |g| g.name.as_str());
        self.aliased(|a| a.groups.get(name), name)
    }

    /// A level's name.
    pub(crate) fn level(&self, id: LevelId) -> &'a str {
        self.r.levels.get(id as usize).map_or("?", String::as_str)
    }

    /// The slots of a scope (none when it is out of range).
    pub(crate) fn slots(&self, scope: Scope) -> &'a [SlotInfo] {
        match scope {
            Scope::Kind(k) => self.r.kinds.get(k as usize).map(|k| k.slots.as_slice()),
            Scope::Group(g) => self.r.groups.get(g as usize).map(|g| g.slots.as_slice()),
        }
        .unwrap_or_default()
    }

    /// A slot's name in a scope.
    pub(crate) fn slot(&self, scope: Scope, id: SlotId) -> &'a str {
        let block = match scope {
            Scope::Kind(k) => self.r.kinds.get(k as usize).map(|k| k.name.as_str()),
            Scope::Group(g) => self.r.groups.get(g as usize).map(|g| g.name.as_str()),
        };
        let Some(block) = block else {
            return "?";
        };
        let name = self
            .slots(scope)
            .get(id as usize)
            .map_or("?", |s| s.name.as_str());
        let map = |a: &'a Aliases| {
            let blocks = match scope {
                Scope::Kind(_) => &a.kind_slots,
                Scope::Group(_) => &a.group_slots,
            };
            blocks.get(block).and_then(|m| m.get(name))
        };
        self.aliased(map, name)
    }

    /// A value, exact; an answer as its label, and in the explanations' style its
    /// score.
    pub(crate) fn value(&self, v: &Value) -> String {
        self.value_as(v, Want::Any)
    }

    /// A value, or `blank` for none.
    pub(crate) fn value_or_blank(&self, v: Option<&Value>) -> String {
        v.map_or_else(|| "blank".to_owned(), |v| self.value(v))
    }

    /// A value where `want` is wanted of it.
    fn value_as(&self, v: &Value, want: Want) -> String {
        match v {
            Value::Blank => "blank".to_owned(),
            Value::Num(d) => number(*d),
            Value::Bool(b) => {
                let [no, yes] = self.style.truth;
                if *b { yes } else { no }.to_owned()
            }
            Value::Text(t) => self.quote(t),
            Value::Date(d) => d.to_string(),
            Value::Level(l) => self.level(*l).to_owned(),
            Value::Answer { label, score, .. } => match (want, score) {
                _ if !self.style.scores => self.quote(label),
                (Want::Num, s) => opt_number(*s),
                (Want::Label, _) | (Want::Any, None) => self.quote(label),
                (Want::Any, Some(s)) => format!("{} ({})", self.quote(label), number(*s)),
            },
        }
    }

    /// A text in quotes, as the style quotes it.
    fn quote(&self, t: &str) -> String {
        match self.style.quotes {
            Quotes::Debug => format!("{t:?}"),
            Quotes::Source => quote(t),
        }
    }
}

#[cfg(test)]
mod tests;
