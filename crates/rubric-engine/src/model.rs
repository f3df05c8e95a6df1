//! The checked rubric: what the checker produces and the evaluator runs. It is
//! immutable, `Send + Sync`, and serialises to a versioned RON form (decimals as
//! strings). Names are resolved to indices; every index is valid by construction
//! (the checker guarantees it), but the evaluator still treats a bad index as an
//! error, never as a panic.

use rubric_syntax::ast::Span;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Version of the serialised form; bumped on every incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// Index into [`Rubric::levels`].
pub type LevelId = u32;
/// Index into [`Rubric::scales`].
pub type ScaleId = u32;
/// Index into [`Rubric::kinds`].
pub type KindId = u32;
/// Index into a kind's or a group's slots.
pub type SlotId = u32;
/// Index into [`Group::aggregates`].
pub type AggId = u32;

/// A compiled, checked rubric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// [`FORMAT_VERSION`] of the serialised form.
    pub format: u32,
    /// Header: id, title, version, source.
    pub meta: Meta,
    /// SHA-256 (hex) of the rubric's canonical (formatted) source.
    pub hash: String,
    /// How values are displayed.
    pub rounding: Rounding,
    /// Every level name used by scales, grades and quotas.
    pub levels: Vec<String>,
    /// Scales, by [`ScaleId`].
    pub scales: Vec<Scale>,
    /// The input column that tells record kinds apart, when there are several kinds.
    pub kind_column: Option<String>,
    /// Record kinds, by [`KindId`].
    pub kinds: Vec<Kind>,
    /// Group tables.
    pub groups: Vec<Group>,
    /// Worked examples.
    pub examples: Vec<Example>,
}

/// The header of a rubric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The rubric id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Version of the rubric.
    pub version: Option<String>,
    /// The source document.
    pub source: Option<String>,
    /// Effective date, `YYYY-MM-DD`.
    pub effective: Option<String>,
    /// Notes.
    pub note: Option<String>,
}

/// Display precision and rounding mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimal places shown.
    pub places: u32,
    /// How ties and excess digits are rounded.
    pub mode: RoundMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            places: 2,
            mode: RoundMode::HalfUp,
        }
    }
}

/// A rounding mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundMode {
    /// Ties away from zero: 89.995 → 90.00, −3.125 → −3.13.
    HalfUp,
    /// Ties to even (banker's rounding).
    HalfEven,
    /// Ties toward zero.
    HalfDown,
    /// Toward zero (truncate).
    Down,
    /// Away from zero.
    Up,
    /// Toward −∞.
    Floor,
    /// Toward +∞.
    Ceiling,
}

impl RoundMode {
    /// The mode as written in a rubric: `half-up`, `half-even`, …
    pub fn keyword(self) -> &'static str {
        match self {
            RoundMode::HalfUp => "half-up",
            RoundMode::HalfEven => "half-even",
            RoundMode::HalfDown => "half-down",
            RoundMode::Down => "down",
            RoundMode::Up => "up",
            RoundMode::Floor => "floor",
            RoundMode::Ceiling => "ceiling",
        }
    }
}

/// One end of an interval; `None` is infinite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// The bound, or `None` for −∞ / +∞.
    pub value: Option<Decimal>,
    /// Whether the bound itself is inside.
    pub closed: bool,
}

/// A numeric interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Lower end.
    pub lo: Bound,
    /// Upper end.
    pub hi: Bound,
}

impl Interval {
    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: Decimal) -> bool {
        let above = match self.lo.value {
            None => true,
            Some(lo) if self.lo.closed => x >= lo,
            Some(lo) => x > lo,
        };
        let below = match self.hi.value {
            None => true,
            Some(hi) if self.hi.closed => x <= hi,
            Some(hi) => x < hi,
        };
        above && below
    }
}

/// A scale: how an answer becomes a score, a level, an exclusion or a rater range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The scale's name.
    pub name: String,
    /// The kind of scale and its rows.
    pub kind: ScaleKind,
    /// The numeric domain (`0..10`), for numeric, threshold and linear scales.
    pub domain: Option<(Decimal, Decimal)>,
    /// Whether numeric answers must be whole numbers.
    pub integer: bool,
    /// The highest score the scale gives: a leaf's value is normalised by it.
    pub max: Decimal,
    /// Where the scale was declared.
    pub span: Span,
}

/// The kinds of scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScaleKind {
    /// Verbal answers; each label (with its synonyms) maps to one row.
    Labels(Vec<LabelRow>),
    /// Numeric answers; the answer is the score unless a row gives one. Rows are
    /// tried in order, first match wins (the checker rejects overlaps unless the
    /// scale is `ordered`).
    Numeric(Vec<ThresholdRow>),
    /// Piecewise-linear normalisation through `(x, score)` points sorted by `x`;
    /// values outside the first or last point take that point's score.
    Linear(Vec<(Decimal, Decimal)>),
}

/// A row of a label scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelRow {
    /// The label and its synonyms, NFC-normalised.
    pub labels: Vec<String>,
    /// What an answer with one of these labels gives.
    pub outcome: RowOutcome,
    /// Where the row was written.
    pub span: Span,
}

/// A row of a numeric scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdRow {
    /// The values the row covers.
    pub interval: Interval,
    /// What such a value gives (never `Rated`).
    pub outcome: RowOutcome,
    /// Where the row was written.
    pub span: Span,
}

/// What a scale row gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowOutcome {
    /// A score and/or a level. A numeric row without a score keeps the answer as
    /// the score.
    Score {
        /// The score.
        score: Option<Decimal>,
        /// The level.
        level: Option<LevelId>,
    },
    /// The score is a rater-supplied value within `[lo, hi]`, carried by the field
    /// named in the answer field's `rated by`.
    Rated {
        /// Lowest allowed value.
        lo: Decimal,
        /// Highest allowed value.
        hi: Decimal,
    },
    /// The record is excluded with this reason.
    Exclude(String),
}

/// A record kind: its fields, rules and computed values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// The kind's name.
    pub name: String,
    /// A description.
    pub label: Option<String>,
    /// Values of [`Rubric::kind_column`] that select this kind.
    pub select: Vec<String>,
    /// Fields; field `i` is slot `i`.
    pub fields: Vec<Field>,
    /// Every slot: the fields, then computed values and score nodes, by [`SlotId`].
    pub slots: Vec<SlotInfo>,
    /// The field that identifies a record, if any.
    pub id_field: Option<SlotId>,
    /// Exclusion rules, tried in order; the first that holds excludes the record.
    pub excludes: Vec<ExcludeRule>,
    /// Cross-field rules; a record failing one is rejected.
    pub requires: Vec<RequireRule>,
    /// Computed values and scores, in evaluation order.
    pub computed: Vec<Computed>,
    /// What a division by zero shows (`if empty "…"`); without it the checker
    /// rejects divisions that can hit zero.
    pub empty_reason: Option<String>,
    /// Where the kind was declared.
    pub span: Span,
}

/// A named slot of a kind or a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotInfo {
    /// Name: a field or value name, or `score.indicator` for score nodes.
    pub name: String,
    /// A description.
    pub label: Option<String>,
    /// Whether the slot appears in results (computed values and scores do; fields do not).
    pub output: bool,
    /// What kind of value it holds.
    pub ty: ValueType,
    /// Where it was declared.
    pub span: Span,
}

/// The static type of a slot or expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueType {
    /// A decimal number.
    Number,
    /// A whole number (a count, a rank): shown without decimals.
    Integer,
    /// Yes or no.
    Bool,
    /// Free text.
    Text,
    /// A calendar date.
    Date,
    /// A level name.
    Level,
    /// An answer on a scale: usable as its score, its level or its label.
    Answer(ScaleId),
}

/// A field of a record kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The input column it is read from.
    pub column: String,
    /// Its type.
    pub ty: FieldType,
    /// Whether it may be blank (flags are never required: blank means no).
    pub optional: bool,
    /// Whether numbers must be whole.
    pub integer: bool,
    /// For answers on a scale with `rated` rows: the field carrying the rater value.
    pub rated_by: Option<SlotId>,
    /// Where it was declared.
    pub span: Span,
}

/// The type of a field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FieldType {
    /// Identifies the record.
    Id,
    /// A grouping key; with a separator, several keys each credited in full.
    Key {
        /// Separator of a multi-valued key.
        list: Option<String>,
    },
    /// `YYYY-MM-DD`.
    Date,
    /// Free text.
    Text,
    /// A non-negative integer.
    Count,
    /// Yes/no: 是/否, yes/no, true/false, y/n, 1/0 (blank is no).
    Flag,
    /// A decimal, optionally within a range.
    Number {
        /// Allowed range, both ends included.
        range: Option<(Decimal, Decimal)>,
    },
    /// An answer on a scale.
    Scale(ScaleId),
}

/// `exclude "reason" when condition`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeRule {
    /// Reason reported for excluded records.
    pub reason: String,
    /// The condition; `None` excludes every record of the kind.
    pub when: Option<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// `require condition else "message"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequireRule {
    /// What must hold.
    pub condition: Expr,
    /// Reject reason.
    pub message: String,
    /// Where it was written.
    pub span: Span,
}

/// A computed slot of a record or a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Computed {
    /// The slot it fills.
    pub slot: SlotId,
    /// How.
    pub def: ComputedDef,
}

/// How a computed slot is filled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ComputedDef {
    /// An expression.
    Expr(Expr),
    /// A weighted score tree; each node also fills its own slot.
    Score(ScoreNode),
    /// Competition rank (1, 1, 3) of a group slot among the groups of the same
    /// table and period. Group level only; computed after every other value.
    Rank {
        /// The ranked slot.
        of: SlotId,
        /// Highest first when true.
        descending: bool,
    },
    /// Forced distribution by rank: tiers from best to worst with their shares.
    /// With n groups: a group whose competition rank is ≤ round_half_up(share₁·n)
    /// takes the first tier; otherwise, one for which the number of groups scoring ≤
    /// its own is ≤ round_half_up(shareₖ·n) takes the last tier; otherwise the first
    /// middle tier i whose limit round_half_up((share₁+…+shareᵢ)·n) its rank meets,
    /// and failing that the last middle tier. For 2:7:1 this is the tutoring
    /// scheme's rule: 优秀 by top rank, 不达标 by bottom count, 达标 otherwise; ties
    /// at a border get the better grade. Group level only; computed after every other
    /// value.
    Quota {
        /// The slot ranked (highest first).
        of: SlotId,
        /// Levels and shares (normalised to sum to 1), best first.
        tiers: Vec<(LevelId, Decimal)>,
    },
}

/// A node of a weighted score tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreNode {
    /// The slot holding this node's value.
    pub slot: SlotId,
    /// The node's name.
    pub name: String,
    /// The most this node contributes to its parent (for the root: the total).
    pub points: Decimal,
    /// Where its value comes from.
    pub source: NodeSource,
    /// Adjustments applied after the value, in order.
    pub adjustments: Vec<Adjust>,
    /// Lowest value after adjustments.
    pub floor: Option<Decimal>,
    /// Highest value after adjustments.
    pub cap: Option<Decimal>,
    /// Where it was written.
    pub span: Span,
}

/// Where a score node's value comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NodeSource {
    /// `points × value / max`.
    Leaf {
        /// The value.
        expr: Expr,
        /// Its maximum.
        max: Decimal,
        /// `points / max` when that quotient is exact: the leaf is then
        /// `value × factor`, the same number with one multiplication.
        factor: Option<Decimal>,
    },
    /// The sum of the children's values.
    Children(Vec<ScoreNode>),
}

/// A change applied to a score node's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Adjust {
    /// `amount × count` (deductions are negative amounts).
    Per {
        /// Signed points per occurrence.
        amount: Decimal,
        /// Number of occurrences.
        count: Expr,
        /// Description.
        label: String,
        /// Where it was written.
        span: Span,
    },
    /// `amount` when the condition holds.
    When {
        /// Signed points.
        amount: Decimal,
        /// The condition.
        cond: Expr,
        /// Description.
        label: String,
        /// Where it was written.
        span: Span,
    },
    /// A signed amount.
    By {
        /// The amount.
        amount: Expr,
        /// Description.
        label: String,
        /// Where it was written.
        span: Span,
    },
    /// The node is worth 0 when the condition holds (before floor and cap).
    Forfeit {
        /// The condition.
        cond: Expr,
        /// Description.
        label: String,
        /// Where it was written.
        span: Span,
    },
}

/// A group table: records grouped by key fields and period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The table's name.
    pub name: String,
    /// A description.
    pub label: Option<String>,
    /// Key field names.
    pub keys: Vec<String>,
    /// Periods; one table per period (none: a single period covering everything).
    pub periods: Vec<Period>,
    /// Kinds whose records fall into this table, with where their keys and date are.
    pub members: Vec<Member>,
    /// Aggregates over records, by [`AggId`].
    pub aggregates: Vec<Aggregate>,
    /// Group slots.
    pub slots: Vec<SlotInfo>,
    /// Computed values, scores, ranks and quotas, in evaluation order.
    pub computed: Vec<Computed>,
    /// `unscored "reason" when condition`, tried in order.
    pub unscored: Vec<(String, Expr)>,
    /// What a division by zero (an empty group) shows.
    pub empty_reason: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

/// A period unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    /// `2026-01`
    Month,
    /// `2026-Q1`
    Quarter,
    /// `2026-H1`
    HalfYear,
    /// `2026`
    Year,
}

impl Period {
    /// The unit as written in a rubric: `month`, `quarter`, `half-year`, `year`.
    pub fn keyword(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::HalfYear => "half-year",
            Period::Year => "year",
        }
    }
}

/// A kind that contributes records to a group table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The kind.
    pub kind: KindId,
    /// Slots of the key fields, in the table's key order.
    pub keys: Vec<SlotId>,
    /// Slot of the date field driving the periods (when the table has periods).
    pub date: Option<SlotId>,
}

/// An aggregate over the records of one kind in a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Which aggregate.
    pub func: AggFunc,
    /// Over records of this kind.
    pub kind: KindId,
    /// The record-level value aggregated (the condition, for `Rate`); `None` for
    /// `Count`.
    pub arg: Option<Expr>,
    /// Only records where this holds.
    pub filter: Option<Expr>,
}

/// The aggregates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AggFunc {
    /// Number of scored records.
    Count,
    /// Sum of non-blank values (0 for none).
    Sum,
    /// Mean of non-blank values (empty when none).
    Mean,
    /// Smallest non-blank value (empty when none).
    Min,
    /// Largest non-blank value (empty when none).
    Max,
    /// `100 × count(arg holds) / count` (empty when no record).
    Rate,
}

/// A checked expression. Record-level expressions read a kind's slots;
/// group-level expressions read a group's slots and aggregates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// A constant.
    Const(Value),
    /// A slot of the current record or group.
    Slot(SlotId),
    /// An aggregate of the current group.
    Agg(AggId),
    /// `-x`
    Neg(Box<Expr>),
    /// `not x`
    Not(Box<Expr>),
    /// `a + b - c …`, left to right; blank if any operand is blank.
    Arith(Box<Expr>, Vec<(ArithOp, Expr)>),
    /// `a and b and …` / `a or b or …`; blank operands count as false.
    Logic(LogicOp, Vec<Expr>),
    /// A comparison; false if either side is blank.
    Cmp(Box<Expr>, CmpOp, Box<Expr>),
    /// `x is blank`
    IsBlank(Box<Expr>),
    /// `x is LEVEL`: the value's level (an answer's row level, or a level value).
    IsLevel(Box<Expr>, LevelId),
    /// `x in ("a", "b")`: text or answer label among these.
    InTexts(Box<Expr>, Vec<String>),
    /// `x in [a, b)`
    InInterval(Box<Expr>, Interval),
    /// `if c then a else b`; a blank condition is false.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `grade(x, SCALE)`: the level of the first row of a numeric scale that
    /// contains x, tested on the exact value; blank when no row does.
    Grade(Box<Expr>, ScaleId),
    /// A built-in function.
    Call(Func, Vec<Expr>),
}

impl Expr {
    /// The expressions directly inside this one, in order.
    pub fn parts(&self) -> Vec<&Expr> {
        match self {
            Expr::Const(_) | Expr::Slot(_) | Expr::Agg(_) => Vec::new(),
            Expr::Neg(x)
            | Expr::Not(x)
            | Expr::IsBlank(x)
            | Expr::IsLevel(x, _)
            | Expr::InTexts(x, _)
            | Expr::InInterval(x, _)
            | Expr::Grade(x, _) => vec![x],
            Expr::Arith(x, rest) => std::iter::once(&**x)
                .chain(rest.iter().map(|(_, y)| y))
                .collect(),
            Expr::Logic(_, xs) | Expr::Call(_, xs) => xs.iter().collect(),
            Expr::Cmp(a, _, b) => vec![a, b],
            Expr::If(a, b, c) => vec![a, b, c],
        }
    }
}

/// Arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`: a zero divisor makes the value empty (see `empty_reason`).
    Div,
}

/// Logical operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogicOp {
    /// All hold.
    And,
    /// Any holds.
    Or,
}

pub use rubric_syntax::ast::CmpOp;

/// Built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Func {
    /// Smallest argument (blank if any is blank).
    Min,
    /// Largest argument (blank if any is blank).
    Max,
    /// `clamp(x, lo, hi)`
    Clamp,
    /// `round(x)` or `round(x, places)` with the rubric's rounding mode.
    Round,
    /// Round down to an integer.
    Floor,
    /// Round up to an integer.
    Ceil,
    /// Absolute value.
    Abs,
    /// `days(from, to)`: `to − from` in days.
    Days,
    /// `add_months(date, n)`: same day n months later (clamped to the month's end).
    AddMonths,
    /// `score(answer)`: the answer's score (explicit form of the implicit coercion).
    Score,
    /// `first(a, b, …)`: the first non-blank argument.
    First,
}

/// A runtime value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    /// No value.
    Blank,
    /// A number.
    Num(Decimal),
    /// Yes or no.
    Bool(bool),
    /// Text.
    Text(String),
    /// A date, `YYYY-MM-DD`.
    Date(chrono::NaiveDate),
    /// A level.
    Level(LevelId),
    /// An answer on a scale: the label as given, the score (scale score or rater
    /// value; blank for a row without one) and the row's level.
    Answer {
        /// The label as given (NFC).
        label: String,
        /// The score.
        score: Option<Decimal>,
        /// The level.
        level: Option<LevelId>,
    },
}

/// A worked example.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Its name.
    pub name: String,
    /// Input tables.
    pub tables: Vec<ExampleTable>,
    /// Expectations.
    pub expects: Vec<Expectation>,
    /// Where it was written.
    pub span: Span,
}

/// An input table of an example.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleTable {
    /// The kind of every row, when the table names one.
    pub kind: Option<KindId>,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// Where it was written.
    pub span: Span,
}

/// What an example expects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// A record (by id, or `#n` for the n-th row of the example) or a group.
    pub target: Target,
    /// The outcome or values.
    pub check: ExpectCheck,
    /// Where it was written.
    pub span: Span,
}

/// What an expectation is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// A record by id or `#n`.
    Record(String),
    /// A group row: table, key values, and the period label when the table has periods.
    Group {
        /// The table.
        group: u32,
        /// Key values.
        keys: Vec<String>,
        /// `2026-01`, `2026-Q1`, `2026-H1` or `2026`.
        period: Option<String>,
    },
}

/// The expected outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExpectCheck {
    /// Excluded, optionally with this reason.
    Excluded(Option<String>),
    /// Rejected, optionally naming the field or words of the reason.
    Rejected(Option<String>),
    /// A group with no score, optionally with this reason.
    Unscored(Option<String>),
    /// Values by slot name.
    Values(Vec<ExpectValue>),
}

/// One expected value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectValue {
    /// Slot name.
    pub name: String,
    /// Expected value.
    pub expected: Expected,
    /// Where it was written.
    pub span: Span,
}

/// An expected value as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expected {
    /// No value.
    Blank,
    /// A number; matches when the actual value equals it exactly, or rounds to it
    /// (with the rubric's mode) at the number of decimals written.
    Number {
        /// The value.
        value: Decimal,
        /// Decimals written.
        places: u32,
    },
    /// A date.
    Date(chrono::NaiveDate),
    /// Text, a level name, or a flag word (yes/no, 是/否, true/false).
    Word(String),
}
