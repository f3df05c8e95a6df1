//! The typed syntax tree of a `.rubric` file. Every node carries the byte span of its
//! source text. Spans do not take part in equality: two trees are equal when they say
//! the same thing, wherever it was written (this is what `parse(format(x)) == parse(x)`
//! means).

use serde::{Deserialize, Serialize};

/// A byte range `start..end` in the source text.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

/// A name written in the source: an identifier, a slug, a table cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The text as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// A quoted string, unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    /// The text between the quotes, with escapes resolved.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// A number as written (`25`, `-0.5`, `+2`). It is converted to a decimal by the checker,
/// which reports numbers that do not fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    /// The digits as written, sign included.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// A comment, kept by the formatter.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment text, `//` included.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// A whole `.rubric` file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `rubric id { … }`
    Header(Header),
    /// `rounding 2 half-up`
    Rounding(Rounding),
    /// `scale name … { … }`
    Scale(Scale),
    /// `record kind … { … }`
    Record(Record),
    /// `group name by … per … { … }`
    Group(Group),
    /// `example "…" { … }`
    Example(Example),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Span {
        match self {
            Item::Header(x) => x.span,
            Item::Rounding(x) => x.span,
            Item::Scale(x) => x.span,
            Item::Record(x) => x.span,
            Item::Group(x) => x.span,
            Item::Example(x) => x.span,
        }
    }
}

/// `rubric dealer-sales-callback { title "…" version "1.0" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The rubric's id.
    pub id: Name,
    /// `title`, `version`, `source`, `effective`, `note` lines.
    pub entries: Vec<HeaderEntry>,
    /// The whole header.
    pub span: Span,
}

/// One line of the header.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderEntry {
    /// `title`, `version`, `source`, `effective` or `note`.
    pub key: Name,
    /// The value: a string, or a date for `effective`.
    pub value: HeaderValue,
    /// The whole line.
    pub span: Span,
}

/// The value of a header line.
#[derive(Clone, Debug, PartialEq)]
pub enum HeaderValue {
    /// A quoted string.
    Text(Str),
    /// A `YYYY-MM-DD` date.
    Date(Name),
}

/// `rounding 2 half-up`: display precision and rounding mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounding {
    /// Decimal places.
    pub places: Num,
    /// The mode, when given (default half-up).
    pub mode: Option<Name>,
    /// The whole line.
    pub span: Span,
}

/// `scale 回访评价 { "很好" | "比较好" => 100 … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    /// The scale's name.
    pub name: Name,
    /// The domain of a numeric scale (`1..5`).
    pub range: Option<Range>,
    /// `integer`, `linear`, `ordered`.
    pub flags: Vec<Name>,
    /// Rows, `None` when there is no `{ … }` body.
    pub rows: Option<Vec<ScaleRow>>,
    /// The whole scale.
    pub span: Span,
}

/// `lo..hi`, both ends included.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// Lower end.
    pub lo: Num,
    /// Upper end.
    pub hi: Num,
    /// Where it was written.
    pub span: Span,
}

/// One row of a scale: what it matches and what it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleRow {
    /// Labels or a numeric interval.
    pub matcher: Matcher,
    /// Score, level, exclusion or rater range.
    pub result: RowResult,
    /// The whole row.
    pub span: Span,
}

/// The left side of a scale row.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// `"很好" | "比较好"`: a label and its synonyms.
    Labels(Vec<Str>),
    /// A numeric interval.
    Interval(Interval),
}

/// A numeric interval as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Interval {
    /// `[a, b]`, `[a, b)`, `(a, b]`, `(a, b)`.
    Bounded {
        /// Lower bound.
        lo: Num,
        /// Whether the lower bound is included (`[`).
        lo_closed: bool,
        /// Upper bound.
        hi: Num,
        /// Whether the upper bound is included (`]`).
        hi_closed: bool,
        /// Where it was written.
        span: Span,
    },
    /// `>= a`, `> a`, `<= a`, `< a`, `= a`.
    Relation {
        /// The comparison.
        op: CmpOp,
        /// The bound.
        bound: Num,
        /// Where it was written.
        span: Span,
    },
    /// `a..b`, both ends included.
    Range(Range),
    /// A single value.
    Point(Num),
}

impl Interval {
    /// Where the interval was written.
    pub fn span(&self) -> Span {
        match self {
            Interval::Bounded { span, .. } | Interval::Relation { span, .. } => *span,
            Interval::Range(r) => r.span,
            Interval::Point(n) => n.span,
        }
    }
}

/// The right side of a scale row.
#[derive(Clone, Debug, PartialEq)]
pub enum RowResult {
    /// `exclude "客户拒绝回访"`: the record is not counted.
    Exclude(Str),
    /// `rated 0..25`: the record carries the score, within this range.
    Rated(Range),
    /// A level name, a score, or both (`满意 85`).
    Level {
        /// The level, when named.
        level: Option<Name>,
        /// The score, when given.
        score: Option<Num>,
    },
}

/// `record 回访 "销售回访" when record_type = "回访" { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The record kind.
    pub name: Name,
    /// A description.
    pub label: Option<Str>,
    /// How rows of this kind are recognised in a mixed input.
    pub select: Option<KindSelect>,
    /// Fields, rules, values and scores.
    pub items: Vec<RecordItem>,
    /// The whole record block.
    pub span: Span,
}

/// `when record_type = "检查" | "抽查"`
#[derive(Clone, Debug, PartialEq)]
pub struct KindSelect {
    /// The input column that names the kind.
    pub column: Name,
    /// Values of that column that select this kind.
    pub values: Vec<Str>,
    /// Where it was written.
    pub span: Span,
}

/// A statement inside a record block.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordItem {
    /// `q1: 回访评价 rated by q1_pts`
    Field(Field),
    /// `exclude "回访失败" when …`
    Exclude(Exclude),
    /// `require … else "…"`
    Require(Require),
    /// `if empty "…"`
    IfEmpty(IfEmpty),
    /// `score CS { … }`
    Score(Score),
    /// `name = expression`
    Value(Value),
}

impl RecordItem {
    /// The span of the statement.
    pub fn span(&self) -> Span {
        match self {
            RecordItem::Field(x) => x.span,
            RecordItem::Exclude(x) => x.span,
            RecordItem::Require(x) => x.span,
            RecordItem::IfEmpty(x) => x.span,
            RecordItem::Score(x) => x.span,
            RecordItem::Value(x) => x.span,
        }
    }
}

/// A field of a record: `name: type options`.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field name.
    pub name: Name,
    /// Its type.
    pub ty: FieldType,
    /// `optional`, `integer`, `column "…"`, `rated by …`.
    pub options: Vec<FieldOption>,
    /// The whole declaration.
    pub span: Span,
}

/// The type of a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// `id`: identifies the record.
    Id,
    /// `key`, or `key list "|"` for several values credited in full.
    Key {
        /// The separator of a multi-valued key.
        list: Option<Str>,
    },
    /// `date`: `YYYY-MM-DD`.
    Date,
    /// `text`: free text.
    Text,
    /// `count`: a non-negative integer.
    Count,
    /// `flag`: yes or no.
    Flag,
    /// `number` or `number 0..100`.
    Number(Option<Range>),
    /// An answer on a named scale.
    Scale(Name),
}

/// An option of a field declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldOption {
    /// `optional`: the value may be blank.
    Optional(Span),
    /// `integer`: decimals are rejected.
    Integer(Span),
    /// `column "销售顾问"`: the input column.
    Column(Str),
    /// `rated by q1_pts`: the field that carries the rater's value.
    RatedBy(Name),
}

/// `exclude "reason"` or `exclude "reason" when condition`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exclude {
    /// The reason shown for excluded records.
    pub reason: Str,
    /// The condition; always when absent.
    pub when: Option<Expr>,
    /// The whole statement.
    pub span: Span,
}

/// `require condition else "message"`: a record failing it is rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Require {
    /// What must hold.
    pub condition: Expr,
    /// The reject message.
    pub message: Str,
    /// The whole statement.
    pub span: Span,
}

/// `if empty "reason"`: what a division by zero (an empty group) shows.
#[derive(Clone, Debug, PartialEq)]
pub struct IfEmpty {
    /// The reason shown instead of a value.
    pub reason: Str,
    /// The whole statement.
    pub span: Span,
}

/// `unscored "reason" when condition`: the group gets no score.
#[derive(Clone, Debug, PartialEq)]
pub struct Unscored {
    /// The reason shown.
    pub reason: Str,
    /// When the group gets no score.
    pub when: Expr,
    /// The whole statement.
    pub span: Span,
}

/// `name "description" = expression`
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The value's name.
    pub name: Name,
    /// A description.
    pub label: Option<Str>,
    /// How it is computed.
    pub expr: Expr,
    /// The whole statement.
    pub span: Span,
}

/// `score 总分 "…" out of 100 by fraction { indicators, adjustments, limits }`
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// The score's name.
    pub name: Name,
    /// A description.
    pub label: Option<Str>,
    /// The total the score is expressed in.
    pub out_of: Option<Num>,
    /// How the children's weights are read.
    pub mode: Option<Name>,
    /// Indicators, adjustments, floor and cap.
    pub items: Vec<ScoreItem>,
    /// The whole block.
    pub span: Span,
}

/// A statement inside a score or an indicator body.
#[derive(Clone, Debug, PartialEq)]
pub enum ScoreItem {
    /// A weighted indicator.
    Indicator(Indicator),
    /// A deduction, bonus, adjustment or forfeit.
    Adjustment(Adjustment),
    /// `floor 0` or `cap 100`.
    Limit(Limit),
}

impl ScoreItem {
    /// The span of the statement.
    pub fn span(&self) -> Span {
        match self {
            ScoreItem::Indicator(x) => x.span,
            ScoreItem::Adjustment(x) => x.span(),
            ScoreItem::Limit(x) => x.span,
        }
    }
}

/// `服务态度 "…" 10 = attitude` or `工作标准 30 { … }` or `q1 25`.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// The indicator's name.
    pub name: Name,
    /// A description.
    pub label: Option<Str>,
    /// Its weight as written (`25`, `40%`, `0.4`).
    pub weight: Num,
    /// Where the value comes from.
    pub body: IndicatorBody,
    /// The whole statement.
    pub span: Span,
}

/// Where an indicator's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorBody {
    /// The field or value of the same name.
    Named,
    /// `= expression`, optionally `out of N`.
    Formula {
        /// The expression.
        expr: Expr,
        /// Its maximum, when it cannot be derived.
        out_of: Option<Num>,
    },
    /// `{ children }`, optionally `by percent`.
    Children {
        /// How the children's weights are read.
        mode: Option<Name>,
        /// The children, adjustments and limits.
        items: Vec<ScoreItem>,
    },
}

/// A change to an indicator's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Adjustment {
    /// `deduct 6 per 有效投诉` or `bonus 10 when 投诉数 = 0`.
    Step {
        /// `deduct` or `bonus`.
        kind: Name,
        /// Points per occurrence, or once.
        amount: Num,
        /// `per` or `when`.
        trigger: Name,
        /// The count (`per`) or condition (`when`).
        expr: Expr,
        /// A description.
        label: Option<Str>,
        /// The whole statement.
        span: Span,
    },
    /// `adjust expression`: a signed amount.
    By {
        /// The amount.
        expr: Expr,
        /// A description.
        label: Option<Str>,
        /// The whole statement.
        span: Span,
    },
    /// `forfeit when condition`: the indicator scores 0.
    Forfeit {
        /// When all points are lost.
        when: Expr,
        /// A description.
        label: Option<Str>,
        /// The whole statement.
        span: Span,
    },
}

impl Adjustment {
    /// The span of the statement.
    pub fn span(&self) -> Span {
        match self {
            Adjustment::Step { span, .. }
            | Adjustment::By { span, .. }
            | Adjustment::Forfeit { span, .. } => *span,
        }
    }
}

/// `floor 0` or `cap 100`.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// `floor` or `cap`.
    pub kind: Name,
    /// The bound.
    pub value: Num,
    /// The whole statement.
    pub span: Span,
}

/// `group 顾问 by consultant per month, quarter { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The group's name.
    pub name: Name,
    /// A description.
    pub label: Option<Str>,
    /// Key fields.
    pub keys: Vec<Name>,
    /// Periods: `month`, `quarter`, `half-year`, `year`.
    pub periods: Vec<Name>,
    /// The date field that drives the periods, when named.
    pub date_field: Option<Name>,
    /// Values, scores and empty-group rules.
    pub items: Vec<GroupItem>,
    /// The whole block.
    pub span: Span,
}

/// A statement inside a group block.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupItem {
    /// `if empty "…"`
    IfEmpty(IfEmpty),
    /// `unscored "…" when …`
    Unscored(Unscored),
    /// `score … { … }`
    Score(Score),
    /// `name = expression`
    Value(Value),
}

impl GroupItem {
    /// The span of the statement.
    pub fn span(&self) -> Span {
        match self {
            GroupItem::IfEmpty(x) => x.span,
            GroupItem::Unscored(x) => x.span,
            GroupItem::Score(x) => x.span,
            GroupItem::Value(x) => x.span,
        }
    }
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `25`, `0.3`
    Number(Num),
    /// `20%`, the number divided by 100.
    Percent(Num),
    /// `"成功"`
    Text(Str),
    /// `true`, `false`
    Bool(bool),
    /// `blank`: no value.
    Blank,
    /// `q1`, `CS`, `售车后.score`
    Ref {
        /// The record kind, when qualified.
        kind: Option<Name>,
        /// The field or value.
        name: Name,
    },
    /// `mean(CS)`, `count(投诉 where …)`, `round(x, 0)`
    Call {
        /// The function.
        name: Name,
        /// Positional and named arguments.
        args: Vec<Arg>,
        /// `where condition`, for aggregates.
        filter: Option<Box<Expr>>,
    },
    /// `if c then a else b`
    If {
        /// The condition.
        cond: Box<Expr>,
        /// The value when it holds.
        then: Box<Expr>,
        /// The value otherwise.
        otherwise: Box<Expr>,
    },
    /// Operands of one precedence level: `a + b - c`, `a and b`.
    Chain {
        /// The first operand.
        first: Box<Expr>,
        /// Each further operator and operand, left to right.
        rest: Vec<(BinOp, Expr)>,
    },
    /// `not x`
    Not(Box<Expr>),
    /// `-x`
    Neg(Box<Expr>),
    /// `a >= b`
    Compare {
        /// Left side.
        lhs: Box<Expr>,
        /// The comparison.
        op: CmpOp,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `x is blank`, `x is not 推荐者`
    Is {
        /// The tested value.
        expr: Box<Expr>,
        /// `is not`.
        negated: bool,
        /// `None` for `blank`, else a level.
        level: Option<Name>,
    },
    /// `x in ("a", "b")`, `x in [0, 3]`
    In {
        /// The tested value.
        expr: Box<Expr>,
        /// The set.
        set: InSet,
    },
    /// `( expression )`
    Paren(Box<Expr>),
}

/// A call argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `expression`
    Positional(Expr),
    /// `name: expression`
    Named(Name, Expr),
}

/// The right side of `in`.
#[derive(Clone, Debug, PartialEq)]
pub enum InSet {
    /// `("a", "b")`
    Texts(Vec<Str>),
    /// A numeric interval.
    Interval(Interval),
}

/// A binary operator of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*` or `×`
    Mul,
    /// `/` or `÷`
    Div,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// `example "…" { given … expect … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The example's name.
    pub name: Str,
    /// Input tables and expectations.
    pub items: Vec<ExampleItem>,
    /// The whole block.
    pub span: Span,
}

/// A statement inside an example.
#[derive(Clone, Debug, PartialEq)]
pub enum ExampleItem {
    /// `given kind { | col | … | }`: input rows, the first row is the header.
    Given {
        /// The record kind, when the table holds only one kind.
        kind: Option<Name>,
        /// Rows of cells; the first is the header.
        rows: Vec<Vec<Cell>>,
        /// The whole table.
        span: Span,
    },
    /// `expect record r1 { CS = 100 }`
    ExpectRecord {
        /// The record's id (or `#n`, its row number).
        id: Cell,
        /// What is expected.
        check: Check,
        /// The whole statement.
        span: Span,
    },
    /// `expect group 顾问 (张三, 2026-01) { CS = 90 }`
    ExpectGroup {
        /// The group.
        group: Name,
        /// Key values, then the period.
        keys: Vec<Cell>,
        /// What is expected.
        check: Check,
        /// The whole statement.
        span: Span,
    },
}

impl ExampleItem {
    /// The span of the statement.
    pub fn span(&self) -> Span {
        match self {
            ExampleItem::Given { span, .. }
            | ExampleItem::ExpectRecord { span, .. }
            | ExampleItem::ExpectGroup { span, .. } => *span,
        }
    }
}

/// A table cell, or a bare or quoted token of an expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The text, trimmed, quotes removed.
    pub text: String,
    /// Whether it was quoted.
    pub quoted: bool,
    /// Where it was written.
    pub span: Span,
}

/// What an expectation checks.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// `excluded "…"`, `rejected q1_pts`, `unscored`.
    Outcome {
        /// `excluded`, `rejected` or `unscored`.
        kind: Name,
        /// The reason or field, when given.
        detail: Option<Cell>,
    },
    /// `{ CS = 81.25, 等级 = 优秀 }`
    Values(Vec<Assertion>),
}

/// `name = expected`
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    /// The value checked.
    pub name: Name,
    /// What it must be.
    pub expected: Expected,
    /// The whole assertion.
    pub span: Span,
}

/// An expected value.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// `blank`: no value.
    Blank,
    /// A number, compared at the precision written.
    Number(Num),
    /// A date.
    Date(Name),
    /// A quoted text.
    Text(Str),
    /// A level or flag word.
    Word(Name),
}
