//! Text → [`File`]. pest's `Pairs` never leave this module: the tree is built here and
//! every pest error is translated into words.

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::{errors, limits, source};
use pest::iterators::{Pair, Pairs};
use pest::Parser as _;
use std::iter::Peekable;
use std::num::NonZeroUsize;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct Grammar;

type Build<T> = Result<T, Diagnostic>;

/// Parses rubric source text into its syntax tree, or returns the diagnostics that
/// say why it cannot.
pub fn parse(text: &str) -> Result<File, Vec<Diagnostic>> {
    source::check_text(text).map_err(|d| vec![d])?;
    if let Some((line, chars)) = source::long_line(text) {
        return Err(vec![errors::line_too_long(line, chars)]);
    }
    if let Some(at) = too_deep_at(text) {
        return Err(vec![errors::too_deep(at)]);
    }
    if let Some(at) = too_many_tokens_at(text) {
        return Err(vec![errors::too_many_tokens(at)]);
    }
    pest::set_call_limit(NonZeroUsize::new(limits::call_budget(text.len())));
    let pairs = Grammar::parse(Rule::file, text).map_err(|e| vec![translate(text, e)])?;
    if let Some(span) = too_many_items(&pairs) {
        return Err(vec![errors::too_many_items(span)]);
    }
    let comments = pairs
        .clone()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Comment {
            text: p.as_str().trim_end().to_string(),
            span: span_of(&p),
        })
        .collect();
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for pair in children(pairs) {
        if pair.as_rule() == Rule::file {
            for item in children(pair.into_inner()) {
                if item.as_rule() == Rule::EOI {
                    continue;
                }
                match build_item(item) {
                    Ok(i) => items.push(i),
                    Err(d) => problems.push(d),
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(File { items, comments })
    } else {
        Err(problems)
    }
}

/// The offset of the first bracket nested deeper than the limit, outside strings and
/// comments. This runs before pest, whose recursion would otherwise overflow the stack.
fn too_deep_at(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut prev = '\0';
    for (at, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if (c == '"' && prev != '\\') || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if prev == '/' => in_comment = true,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > limits::MAX_DEPTH {
                        return Some(at);
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = if prev == '\\' && c == '\\' { '\0' } else { c };
    }
    None
}

/// The span of the first entry past [`limits::MAX_ITEMS`] in any block or list of the
/// parse tree: every child of a rule counts except keywords and the operators between
/// terms (so a block's name counts as one entry). One pass over the tree: each pair's
/// children are visited once.
fn too_many_items(pairs: &Pairs<'_, Rule>) -> Option<Span> {
    pairs.clone().flatten().find_map(|pair| {
        pair.into_inner()
            .filter(|p| !is_keyword_or_operator(p.as_rule()))
            .nth(limits::MAX_ITEMS)
            .map(|p| span_of(&p))
    })
}

fn is_keyword_or_operator(rule: Rule) -> bool {
    is_keyword(rule)
        || matches!(
            rule,
            Rule::add_op | Rule::mul_op | Rule::or_op | Rule::and_op | Rule::neg_op | Rule::not_op
        )
}

/// The offset of the first token past [`limits::MAX_TOKENS`]: a run of letters, digits
/// and `_`, a quoted text, or one punctuation character; comments and whitespace are
/// not tokens. This runs before pest, whose memory grows with the tokens.
fn too_many_tokens_at(text: &str) -> Option<usize> {
    let mut tokens = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut in_word = false;
    let mut prev = '\0';
    for (at, c) in text.char_indices() {
        let starts = if in_comment {
            in_comment = c != '\n' && c != '\r';
            false
        } else if in_string {
            in_string = !((c == '"' && prev != '\\') || c == '\n');
            false
        } else if c == '/' && text.get(at + 1..).is_some_and(|r| r.starts_with('/')) {
            in_comment = true;
            in_word = false;
            false
        } else if c.is_alphanumeric() || c == '_' {
            !std::mem::replace(&mut in_word, true)
        } else {
            in_word = false;
            in_string = c == '"';
            !c.is_whitespace()
        };
        if starts {
            tokens += 1;
            if tokens > limits::MAX_TOKENS {
                return Some(at);
            }
        }
        prev = if prev == '\\' && c == '\\' { '\0' } else { c };
    }
    None
}

// ------------------------------------------------------------------ pest errors

fn translate(text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let message = error.variant.message();
    if message.contains("call limit") {
        return errors::parse_budget();
    }
    if message.contains("stack limit") {
        return errors::too_deep(0);
    }
    let at = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
    .min(text.len());
    let rest = text.get(at..).unwrap_or("");
    if let Some(open) = unterminated_string_before(text, at) {
        return errors::unterminated_string(open);
    }
    if let Some(c) = rest.chars().next().filter(|c| is_invisible(*c)) {
        return errors::invisible_char(Span::new(at, at + c.len_utf8()), c);
    }
    if let Some(word) = reserved_name_at(text, at) {
        return errors::reserved(Span::new(at, at + word.len()), word);
    }
    if let Some(span) = glued_number_before(text, at) {
        let token = text.get(span.start..span.end).unwrap_or("");
        return errors::not_a_number(span, token);
    }
    let found = match rest.chars().next() {
        None => "end of file".to_string(),
        Some(c) if c.is_whitespace() => "a line break".to_string(),
        Some(_) => {
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(20)
                .collect();
            format!("`{token}`")
        }
    };
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => describe(positives),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let width = rest.chars().next().map_or(0, char::len_utf8);
    let hint = rest.chars().next().and_then(hint_for);
    errors::syntax(Span::new(at, at + width), &found, &expected, hint)
}

/// When a string on the failing line was opened and never closed, the offset of its
/// opening quote.
fn unterminated_string_before(text: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(line_start..line_end)?;
    if line.trim_start().starts_with("//") || line.trim_start().starts_with('|') {
        return None;
    }
    let mut open = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if open.is_some() && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => open = if open.is_some() { None } else { Some(i) },
            '/' if open.is_none() && line.get(i..).is_some_and(|r| r.starts_with("//")) => break,
            _ => {}
        }
        escaped = false;
    }
    open.map(|i| line_start + i)
}

/// The words the grammar reserves (`reserved` in grammar.pest).
const RESERVED: [&str; 12] = [
    "and", "or", "not", "if", "then", "else", "where", "in", "is", "blank", "true", "false",
];

/// A reserved word at `at` used where a name is declared: followed by `:` or `=`
/// (a field or a value), or following `scale`, `record` or `group`.
fn reserved_name_at(text: &str, at: usize) -> Option<&'static str> {
    let rest = text.get(at..)?;
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    let word = RESERVED.into_iter().find(|w| rest.get(..len) == Some(*w))?;
    let after = rest.get(len..)?.trim_start_matches([' ', '\t']);
    let declares = (after.starts_with(':') || after.starts_with('='))
        && !after.starts_with("==")
        && !after.starts_with("=>");
    let before = text.get(..at)?.trim_end();
    let named = ["scale", "record", "group"].iter().any(|kw| {
        before
            .strip_suffix(kw)
            .is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace))
    });
    (declares || named).then_some(word)
}

/// A number that runs straight into letters (`1e29`, `12x`, `3.5pt`) on a statement
/// line up to the one holding `at`: pest reads it as a number and a name, and fails somewhere later,
/// so the syntax error would point away from the cause. Example tables, `expect`
/// lines, the header line, strings and comments are not looked at.
fn glued_number_before(text: &str, at: usize) -> Option<Span> {
    // Up to the end of the line holding `at`.
    let end = text
        .get(at.min(text.len())..)?
        .find('\n')
        .map_or(text.len(), |i| at + i);
    let mut line_start = 0;
    for line in text.get(..end)?.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim_start();
        if ["|", "expect", "rubric", "//"]
            .iter()
            .any(|p| trimmed.starts_with(p))
        {
            continue;
        }
        let mut in_string = false;
        let mut prev: Option<char> = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if in_string {
                in_string = !(c == '"' && prev != Some('\\'));
                prev = if prev == Some('\\') && c == '\\' {
                    None
                } else {
                    Some(c)
                };
                continue;
            }
            if c == '"' {
                in_string = true;
            } else if c == '/' && chars.peek().is_some_and(|&(_, n)| n == '/') {
                break;
            } else if c.is_ascii_digit()
                && !prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '.')
            {
                let token = glued_token(line.get(i..).unwrap_or(""));
                if let Some(len) = token {
                    return Some(Span::new(start + i, start + i + len));
                }
                while chars
                    .peek()
                    .is_some_and(|&(_, n)| n.is_ascii_digit() || n == '.')
                {
                    chars.next();
                }
                prev = Some('0');
                continue;
            }
            prev = Some(c);
        }
    }
    None
}

/// When `text` starts with digits (and a decimal part) run straight into a letter,
/// the length of the whole token.
fn glued_token(text: &str) -> Option<usize> {
    let digits = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let next = text.get(digits..)?.chars().next()?;
    if !(next.is_alphabetic() || next == '_') {
        return None;
    }
    let mut prev = '0';
    let len = text
        .char_indices()
        .find(|&(_, c)| {
            let keep = c.is_alphanumeric()
                || c == '_'
                || c == '.'
                || ((c == '+' || c == '-') && matches!(prev, 'e' | 'E' | '+' | '-'));
            prev = c;
            !keep
        })
        .map_or(text.len(), |(i, _)| i);
    Some(len)
}

fn hint_for(c: char) -> Option<&'static str> {
    match c {
        '０'..='９' => Some("use ASCII digits 0–9; full-width digits are not numbers here"),
        '：' => Some("use an ASCII colon `:`"),
        '“' | '”' => Some("use straight ASCII quotes \"…\" around labels"),
        '（' | '）' => Some("use ASCII brackets ( )"),
        '，' => Some("use an ASCII comma `,`"),
        '/' => Some(
            "comments start with `//` and run to the end of the line; there are no block comments",
        ),
        _ => None,
    }
}

/// Plain words for what the parser expected.
fn describe(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules.iter().filter_map(|r| word(*r)).collect();
    words.sort_unstable();
    words.dedup();
    match words.as_slice() {
        [] => "the end of the statement, or a closing `}`".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

fn word(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI | Rule::item => {
            "a top-level item (`rubric`, `rounding`, `scale`, `record`, `group` or `example`)"
        }
        Rule::ident | Rule::reference => "a name",
        Rule::slug => "an id such as `dealer-sales-callback`",
        Rule::string | Rule::label_set => "a quoted label such as \"非常满意\"",
        Rule::number | Rule::signed => "a number",
        Rule::percent => "a percentage such as `20%`",
        Rule::date => "a date such as `2026-01-31`",
        Rule::range => "a range such as `0..25`",
        Rule::header_entry | Rule::header_key => {
            "a header line (`title`, `version`, `source`, `effective` or `note`)"
        }
        Rule::rounding_mode => "a rounding mode such as `half-up`",
        Rule::scale_row | Rule::interval | Rule::closed_open | Rule::relation => {
            "a scale row such as `\"很好\" | \"比较好\" => 100` or `>= 90 => 优秀`"
        }
        Rule::scale_flag => "`integer`, `linear` or `ordered`",
        Rule::row_result | Rule::level_score | Rule::exclude_result | Rule::rated_result => {
            "a result: a score, a level, `exclude \"reason\"` or `rated 0..25`"
        }
        Rule::field | Rule::record_item | Rule::value => {
            "a field (`name: type`), a value (`name = …`), `score`, `exclude` or `require`"
        }
        Rule::field_type | Rule::type_simple | Rule::type_key | Rule::type_number => {
            "a field type (`id`, `key`, `date`, `text`, `count`, `flag`, `number` or a scale name)"
        }
        Rule::field_option | Rule::opt_word | Rule::column_option | Rule::rated_by => {
            "a field option (`optional`, `integer`, `column \"…\"` or `rated by …`)"
        }
        Rule::indicator | Rule::score_item => {
            "an indicator such as `q1 25` or `服务态度 10 = attitude`"
        }
        Rule::weight => "a weight such as `25` or `40%`",
        Rule::weight_mode | Rule::weight_kind => {
            "`by points`, `by percent`, `by fraction` or `by ratio`"
        }
        Rule::adjustment | Rule::per_adjustment | Rule::adjust_kind => {
            "an adjustment (`deduct 3 per …`, `bonus 10 when …`, `adjust …`, `forfeit when …`)"
        }
        Rule::adjust_trigger => "`per` or `when`",
        Rule::limit | Rule::limit_kind => "`floor` or `cap`",
        Rule::out_of => "`out of`",
        Rule::group_keys => "`by` and key fields",
        Rule::group_period | Rule::period => "a period (`month`, `quarter`, `half-year` or `year`)",
        Rule::group_item => "a value, `score`, `if empty` or `unscored`",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum_expr
        | Rule::product
        | Rule::unary
        | Rule::call
        | Rule::if_expr
        | Rule::bool => "an expression",
        Rule::cmp_tail | Rule::cmp_op => "a comparison such as `>= 90`",
        Rule::or_op | Rule::and_op => "`and` or `or`",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::where_clause => "`where`",
        Rule::is_test | Rule::blank_word => "`blank` or a level name",
        Rule::in_test | Rule::string_set => "a list such as (\"a\", \"b\") or an interval",
        Rule::given | Rule::expect | Rule::example_item => "`given { … }` or `expect …`",
        Rule::table_row | Rule::cell => "a table row such as `| a | b |`",
        Rule::expect_record | Rule::expect_group => "`record` or `group`",
        Rule::outcome | Rule::outcome_kind => "`excluded`, `rejected` or `unscored`",
        Rule::assertions | Rule::assertion => "expected values such as `{ CS = 100 }`",
        Rule::bare => "a value",
        Rule::kind_select => "`when column = \"value\"`",
        Rule::kw_expect => "`expect`",
        Rule::kw_given => "`given`",
        Rule::kw_when => "`when`",
        Rule::kw_by => "`by`",
        Rule::kw_per => "`per`",
        Rule::kw_of => "`of`",
        Rule::kw_score => "`score`",
        Rule::kw_exclude => "`exclude`",
        Rule::kw_require => "`require`",
        Rule::kw_unscored => "`unscored`",
        Rule::kw_rated => "`rated`",
        _ => return None,
    })
}

// ------------------------------------------------------------------ the cursor

/// The span of a pair without the whitespace and comments a trailing optional part
/// of its rule may have swallowed.
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    let text = pair.as_str();
    let mut end = text.len();
    let comments = pair
        .clone()
        .into_inner()
        .rev()
        .filter(|p| p.as_rule() == Rule::COMMENT);
    for comment in comments {
        let (from, to) = (
            comment.as_span().start() - s.start(),
            comment.as_span().end() - s.start(),
        );
        if !text.get(to..end).is_some_and(|rest| rest.trim().is_empty()) {
            break;
        }
        end = from;
    }
    let kept = text.get(..end).unwrap_or(text).trim_end();
    Span::new(s.start(), s.start() + kept.len())
}

/// Children of a pair, without comments and keywords.
fn children(pairs: Pairs<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pairs.filter(|p| !is_noise(p.as_rule()))
}

fn is_noise(rule: Rule) -> bool {
    rule == Rule::COMMENT || is_keyword(rule)
}

/// The keyword tokens (`rubric`, `scale`, `when`, …): atomic rules so that a keyword
/// cannot run into the name after it, and never part of the tree.
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_rubric
            | Rule::kw_rounding
            | Rule::kw_scale
            | Rule::kw_record
            | Rule::kw_group
            | Rule::kw_example
            | Rule::kw_score
            | Rule::kw_exclude
            | Rule::kw_rated
            | Rule::kw_when
            | Rule::kw_key
            | Rule::kw_list
            | Rule::kw_number
            | Rule::kw_column
            | Rule::kw_by
            | Rule::kw_require
            | Rule::kw_empty
            | Rule::kw_unscored
            | Rule::kw_out
            | Rule::kw_of
            | Rule::kw_adjust
            | Rule::kw_forfeit
            | Rule::kw_per
            | Rule::kw_given
            | Rule::kw_expect
    )
}

/// Walks the children of one pair by rule.
struct Cursor<'i> {
    pairs: Peekable<Box<dyn Iterator<Item = Pair<'i, Rule>> + 'i>>,
    span: Span,
}

impl<'i> Cursor<'i> {
    fn new(pair: Pair<'i, Rule>) -> Self {
        let span = span_of(&pair);
        let iter: Box<dyn Iterator<Item = Pair<'i, Rule>> + 'i> =
            Box::new(children(pair.into_inner()));
        Cursor {
            pairs: iter.peekable(),
            span,
        }
    }

    fn peek(&mut self) -> Option<Rule> {
        self.pairs.peek().map(Pair::as_rule)
    }

    fn take(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek() == Some(rule) {
            self.pairs.next()
        } else {
            None
        }
    }

    fn expect(&mut self, rule: Rule) -> Build<Pair<'i, Rule>> {
        self.take(rule)
            .ok_or_else(|| errors::internal(self.span, &format!("missing {rule:?}")))
    }

    fn next(&mut self) -> Build<Pair<'i, Rule>> {
        self.pairs
            .next()
            .ok_or_else(|| errors::internal(self.span, "missing part"))
    }

    fn rest(self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.pairs
    }
}

fn unexpected(pair: &Pair<'_, Rule>) -> Diagnostic {
    errors::internal(span_of(pair), &format!("unexpected {:?}", pair.as_rule()))
}

// ------------------------------------------------------------------ leaves

fn name(pair: Pair<'_, Rule>) -> Build<Name> {
    let text = pair.as_str().to_string();
    let sp = span_of(&pair);
    if pair.as_rule() == Rule::ident {
        let chars = text.chars().count();
        if chars > limits::MAX_IDENT_CHARS {
            return Err(errors::ident_too_long(sp, chars));
        }
        if let Some(c) = text.chars().find(|c| is_invisible(*c)) {
            return Err(errors::invisible_char(sp, c));
        }
    }
    Ok(Name { text, span: sp })
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn string(pair: Pair<'_, Rule>) -> Build<Str> {
    let sp = span_of(&pair);
    let raw = pair.into_inner().next().map_or("", |p| p.as_str());
    let mut value = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(other) => value.push(other),
                None => {}
            }
        } else {
            value.push(c);
        }
    }
    let count = value.chars().count();
    if count > limits::MAX_TEXT_CHARS {
        return Err(errors::text_too_long(sp, count));
    }
    Ok(Str { value, span: sp })
}

fn num(pair: Pair<'_, Rule>) -> Num {
    Num {
        text: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

fn range(pair: Pair<'_, Rule>) -> Build<Range> {
    let mut c = Cursor::new(pair);
    Ok(Range {
        lo: num(c.expect(Rule::signed)?),
        hi: num(c.expect(Rule::signed)?),
        span: c.span,
    })
}

fn optional_string(c: &mut Cursor<'_>) -> Build<Option<Str>> {
    c.take(Rule::string).map(string).transpose()
}

// ------------------------------------------------------------------ items

fn build_item(pair: Pair<'_, Rule>) -> Build<Item> {
    Ok(match pair.as_rule() {
        Rule::header => Item::Header(header(pair)?),
        Rule::rounding => {
            let mut c = Cursor::new(pair);
            Item::Rounding(Rounding {
                places: num(c.expect(Rule::number)?),
                mode: c.take(Rule::rounding_mode).map(name).transpose()?,
                span: c.span,
            })
        }
        Rule::scale => Item::Scale(scale(pair)?),
        Rule::record => Item::Record(record(pair)?),
        Rule::group => Item::Group(group(pair)?),
        Rule::example => Item::Example(example(pair)?),
        _ => return Err(unexpected(&pair)),
    })
}

fn header(pair: Pair<'_, Rule>) -> Build<Header> {
    let mut c = Cursor::new(pair);
    let id = name(c.expect(Rule::slug)?)?;
    let span = c.span;
    let entries = c
        .rest()
        .map(|entry| {
            let mut e = Cursor::new(entry);
            let key = name(e.expect(Rule::header_key)?)?;
            let value = match e.take(Rule::date) {
                Some(d) => HeaderValue::Date(name(d)?),
                None => HeaderValue::Text(string(e.expect(Rule::string)?)?),
            };
            Ok(HeaderEntry {
                key,
                value,
                span: e.span,
            })
        })
        .collect::<Build<_>>()?;
    Ok(Header { id, entries, span })
}

fn scale(pair: Pair<'_, Rule>) -> Build<Scale> {
    let mut c = Cursor::new(pair);
    let scale_name = name(c.expect(Rule::ident)?)?;
    let range = c.take(Rule::range).map(range).transpose()?;
    let mut flags = Vec::new();
    while let Some(f) = c.take(Rule::scale_flag) {
        flags.push(name(f)?);
    }
    let span = c.span;
    // A scale without braces has no rows; `{}` is an empty list of rows.
    let rows = match c.take(Rule::scale_body) {
        Some(body) => Some(
            children(body.into_inner())
                .map(scale_row)
                .collect::<Build<Vec<_>>>()?,
        ),
        None => None,
    };
    Ok(Scale {
        name: scale_name,
        range,
        flags,
        rows,
        span,
    })
}

fn scale_row(pair: Pair<'_, Rule>) -> Build<ScaleRow> {
    let mut c = Cursor::new(pair);
    let first = c.next()?;
    let matcher = match first.as_rule() {
        Rule::label_set => Matcher::Labels(label_set(first)?),
        Rule::interval => Matcher::Interval(interval(first)?),
        _ => return Err(unexpected(&first)),
    };
    let result = row_result(c.expect(Rule::row_result)?)?;
    Ok(ScaleRow {
        matcher,
        result,
        span: c.span,
    })
}

fn label_set(pair: Pair<'_, Rule>) -> Build<Vec<Str>> {
    children(pair.into_inner()).map(string).collect()
}

fn row_result(pair: Pair<'_, Rule>) -> Build<RowResult> {
    let mut c = Cursor::new(pair);
    let inner = c.next()?;
    let rule = inner.as_rule();
    let mut c = Cursor::new(inner);
    Ok(match rule {
        Rule::exclude_result => RowResult::Exclude(string(c.expect(Rule::string)?)?),
        Rule::rated_result => RowResult::Rated(range(c.expect(Rule::range)?)?),
        Rule::level_score => {
            let score = c.take(Rule::signed).map(num);
            RowResult::Level {
                level: c.take(Rule::ident).map(name).transpose()?,
                score,
            }
        }
        _ => return Err(errors::internal(c.span, "unknown row result")),
    })
}

fn interval(pair: Pair<'_, Rule>) -> Build<Interval> {
    let mut c = Cursor::new(pair);
    let inner = c.next()?;
    let sp = span_of(&inner);
    Ok(match inner.as_rule() {
        Rule::closed_open => {
            let mut b = Cursor::new(inner);
            let lo_closed = b.expect(Rule::open_bracket)?.as_str() == "[";
            let lo = num(b.expect(Rule::signed)?);
            let hi = num(b.expect(Rule::signed)?);
            let hi_closed = b.expect(Rule::close_bracket)?.as_str() == "]";
            Interval::Bounded {
                lo,
                lo_closed,
                hi,
                hi_closed,
                span: sp,
            }
        }
        Rule::relation => {
            let mut r = Cursor::new(inner);
            let op = cmp_op(r.expect(Rule::rel_op)?.as_str());
            Interval::Relation {
                op,
                bound: num(r.expect(Rule::signed)?),
                span: sp,
            }
        }
        Rule::range => Interval::Range(range(inner)?),
        Rule::signed => Interval::Point(num(inner)),
        _ => return Err(unexpected(&inner)),
    })
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        ">=" | "≥" => CmpOp::Ge,
        "<=" | "≤" => CmpOp::Le,
        ">" => CmpOp::Gt,
        "<" => CmpOp::Lt,
        "!=" | "≠" => CmpOp::Ne,
        _ => CmpOp::Eq,
    }
}

fn record(pair: Pair<'_, Rule>) -> Build<Record> {
    let mut c = Cursor::new(pair);
    let record_name = name(c.expect(Rule::ident)?)?;
    let label = optional_string(&mut c)?;
    let select = match c.take(Rule::kind_select) {
        Some(sel) => {
            let mut s = Cursor::new(sel);
            Some(KindSelect {
                column: name(s.expect(Rule::ident)?)?,
                values: label_set(s.expect(Rule::label_set)?)?,
                span: s.span,
            })
        }
        None => None,
    };
    let span = c.span;
    let items = c.rest().map(record_item).collect::<Build<_>>()?;
    Ok(Record {
        name: record_name,
        label,
        select,
        items,
        span,
    })
}

fn record_item(pair: Pair<'_, Rule>) -> Build<RecordItem> {
    Ok(match pair.as_rule() {
        Rule::field => RecordItem::Field(field(pair)?),
        Rule::exclude_rule => {
            let mut c = Cursor::new(pair);
            RecordItem::Exclude(Exclude {
                reason: string(c.expect(Rule::string)?)?,
                when: c.take(Rule::expr).map(expr).transpose()?,
                span: c.span,
            })
        }
        Rule::require_rule => {
            let mut c = Cursor::new(pair);
            RecordItem::Require(Require {
                condition: expr(c.expect(Rule::expr)?)?,
                message: string(c.expect(Rule::string)?)?,
                span: c.span,
            })
        }
        Rule::empty_rule => RecordItem::IfEmpty(if_empty(pair)?),
        Rule::score => RecordItem::Score(score(pair)?),
        Rule::value => RecordItem::Value(value(pair)?),
        _ => return Err(unexpected(&pair)),
    })
}

fn if_empty(pair: Pair<'_, Rule>) -> Build<IfEmpty> {
    let mut c = Cursor::new(pair);
    Ok(IfEmpty {
        reason: string(c.expect(Rule::string)?)?,
        span: c.span,
    })
}

fn value(pair: Pair<'_, Rule>) -> Build<Value> {
    let mut c = Cursor::new(pair);
    Ok(Value {
        name: name(c.expect(Rule::ident)?)?,
        label: optional_string(&mut c)?,
        expr: expr(c.expect(Rule::expr)?)?,
        span: c.span,
    })
}

fn field(pair: Pair<'_, Rule>) -> Build<Field> {
    let mut c = Cursor::new(pair);
    let field_name = name(c.expect(Rule::ident)?)?;
    let ty_pair = c.expect(Rule::field_type)?;
    let mut t = Cursor::new(ty_pair);
    let inner = t.next()?;
    let ty = match inner.as_rule() {
        Rule::type_key => {
            let mut k = Cursor::new(inner);
            FieldType::Key {
                list: k.take(Rule::string).map(string).transpose()?,
            }
        }
        Rule::type_simple => match inner.as_str() {
            "id" => FieldType::Id,
            "date" => FieldType::Date,
            "text" => FieldType::Text,
            "count" => FieldType::Count,
            _ => FieldType::Flag,
        },
        Rule::type_number => {
            let mut n = Cursor::new(inner);
            FieldType::Number(n.take(Rule::range).map(range).transpose()?)
        }
        Rule::ident => FieldType::Scale(name(inner)?),
        _ => return Err(unexpected(&inner)),
    };
    let span = c.span;
    let options = c
        .rest()
        .map(|opt| {
            let mut o = Cursor::new(opt);
            let inner = o.next()?;
            Ok(match inner.as_rule() {
                Rule::opt_word if inner.as_str() == "optional" => {
                    FieldOption::Optional(span_of(&inner))
                }
                Rule::opt_word => FieldOption::Integer(span_of(&inner)),
                Rule::column_option => {
                    let mut col = Cursor::new(inner);
                    FieldOption::Column(string(col.expect(Rule::string)?)?)
                }
                Rule::rated_by => {
                    let mut r = Cursor::new(inner);
                    FieldOption::RatedBy(name(r.expect(Rule::ident)?)?)
                }
                _ => return Err(unexpected(&inner)),
            })
        })
        .collect::<Build<_>>()?;
    Ok(Field {
        name: field_name,
        ty,
        options,
        span,
    })
}

fn score(pair: Pair<'_, Rule>) -> Build<Score> {
    let mut c = Cursor::new(pair);
    let score_name = name(c.expect(Rule::ident)?)?;
    let label = optional_string(&mut c)?;
    let out_of = c.take(Rule::out_of).map(out_of).transpose()?;
    let mode = c.take(Rule::weight_mode).map(weight_mode).transpose()?;
    let span = c.span;
    let items = c.rest().map(score_item).collect::<Build<_>>()?;
    Ok(Score {
        name: score_name,
        label,
        out_of,
        mode,
        items,
        span,
    })
}

fn out_of(pair: Pair<'_, Rule>) -> Build<Num> {
    Cursor::new(pair).expect(Rule::number).map(num)
}

fn weight_mode(pair: Pair<'_, Rule>) -> Build<Name> {
    name(Cursor::new(pair).expect(Rule::weight_kind)?)
}

fn score_item(pair: Pair<'_, Rule>) -> Build<ScoreItem> {
    Ok(match pair.as_rule() {
        Rule::indicator => ScoreItem::Indicator(indicator(pair)?),
        Rule::adjustment => ScoreItem::Adjustment(adjustment(pair)?),
        Rule::limit => {
            let mut c = Cursor::new(pair);
            ScoreItem::Limit(Limit {
                kind: name(c.expect(Rule::limit_kind)?)?,
                value: num(c.expect(Rule::signed)?),
                span: c.span,
            })
        }
        _ => return Err(unexpected(&pair)),
    })
}

fn indicator(pair: Pair<'_, Rule>) -> Build<Indicator> {
    let mut c = Cursor::new(pair);
    let ind_name = name(c.expect(Rule::ident)?)?;
    let label = optional_string(&mut c)?;
    let weight = num(c.expect(Rule::weight)?);
    let body = if let Some(b) = c.take(Rule::indicator_body) {
        let mut b = Cursor::new(b);
        let mode = b.take(Rule::weight_mode).map(weight_mode).transpose()?;
        let items = b.rest().map(score_item).collect::<Build<_>>()?;
        IndicatorBody::Children { mode, items }
    } else if let Some(f) = c.take(Rule::leaf_formula) {
        let mut f = Cursor::new(f);
        IndicatorBody::Formula {
            expr: expr(f.expect(Rule::expr)?)?,
            out_of: f.take(Rule::out_of).map(out_of).transpose()?,
        }
    } else {
        IndicatorBody::Named
    };
    Ok(Indicator {
        name: ind_name,
        label,
        weight,
        body,
        span: c.span,
    })
}

fn adjustment(pair: Pair<'_, Rule>) -> Build<Adjustment> {
    let mut outer = Cursor::new(pair);
    let inner = outer.next()?;
    let rule = inner.as_rule();
    let mut c = Cursor::new(inner);
    let span = c.span;
    Ok(match rule {
        Rule::per_adjustment => Adjustment::Step {
            kind: name(c.expect(Rule::adjust_kind)?)?,
            amount: num(c.expect(Rule::number)?),
            trigger: name(c.expect(Rule::adjust_trigger)?)?,
            expr: expr(c.expect(Rule::expr)?)?,
            label: optional_string(&mut c)?,
            span,
        },
        Rule::adjust_by => Adjustment::By {
            expr: expr(c.expect(Rule::expr)?)?,
            label: optional_string(&mut c)?,
            span,
        },
        Rule::forfeit => Adjustment::Forfeit {
            when: expr(c.expect(Rule::expr)?)?,
            label: optional_string(&mut c)?,
            span,
        },
        _ => return Err(errors::internal(span, "unknown adjustment")),
    })
}

fn group(pair: Pair<'_, Rule>) -> Build<Group> {
    let mut c = Cursor::new(pair);
    let group_name = name(c.expect(Rule::ident)?)?;
    let label = optional_string(&mut c)?;
    let keys = match c.take(Rule::group_keys) {
        Some(k) => children(k.into_inner()).map(name).collect::<Build<_>>()?,
        None => Vec::new(),
    };
    let (periods, date_field) = match c.take(Rule::group_period) {
        Some(p) => {
            let mut p = Cursor::new(p);
            let mut periods = Vec::new();
            while let Some(x) = p.take(Rule::period) {
                periods.push(name(x)?);
            }
            (periods, p.take(Rule::ident).map(name).transpose()?)
        }
        None => (Vec::new(), None),
    };
    let span = c.span;
    let items = c
        .rest()
        .map(|item| {
            Ok(match item.as_rule() {
                Rule::empty_rule => GroupItem::IfEmpty(if_empty(item)?),
                Rule::unscored_rule => {
                    let mut u = Cursor::new(item);
                    GroupItem::Unscored(Unscored {
                        reason: string(u.expect(Rule::string)?)?,
                        when: expr(u.expect(Rule::expr)?)?,
                        span: u.span,
                    })
                }
                Rule::score => GroupItem::Score(score(item)?),
                Rule::value => GroupItem::Value(value(item)?),
                _ => return Err(unexpected(&item)),
            })
        })
        .collect::<Build<_>>()?;
    Ok(Group {
        name: group_name,
        label,
        keys,
        periods,
        date_field,
        items,
        span,
    })
}

// ------------------------------------------------------------------ expressions

fn expr(pair: Pair<'_, Rule>) -> Build<Expr> {
    limits::with_stack(|| expr_at(pair))
}

fn expr_at(pair: Pair<'_, Rule>) -> Build<Expr> {
    let sp = span_of(&pair);
    match pair.as_rule() {
        Rule::expr => expr(Cursor::new(pair).next()?),
        Rule::or_expr | Rule::and_expr | Rule::sum_expr | Rule::product => chain(pair),
        Rule::not_expr => prefixed(pair, Rule::not_op, ExprKind::Not),
        Rule::unary => prefixed(pair, Rule::neg_op, ExprKind::Neg),
        Rule::cmp_expr => comparison(pair),
        Rule::number => Ok(Expr {
            kind: ExprKind::Number(num(pair)),
            span: sp,
        }),
        Rule::percent => {
            let text = pair.as_str().trim_end_matches('%').to_string();
            Ok(Expr {
                kind: ExprKind::Percent(Num {
                    text,
                    span: Span::new(sp.start, sp.end.saturating_sub(1)),
                }),
                span: sp,
            })
        }
        Rule::string => Ok(Expr {
            kind: ExprKind::Text(string(pair)?),
            span: sp,
        }),
        Rule::bool => Ok(Expr {
            kind: ExprKind::Bool(pair.as_str() == "true"),
            span: sp,
        }),
        Rule::blank_word => Ok(Expr {
            kind: ExprKind::Blank,
            span: sp,
        }),
        Rule::reference => {
            let mut c = Cursor::new(pair);
            let first = name(c.expect(Rule::ident)?)?;
            let kind = match c.take(Rule::ident) {
                Some(second) => ExprKind::Ref {
                    kind: Some(first),
                    name: name(second)?,
                },
                None => ExprKind::Ref {
                    kind: None,
                    name: first,
                },
            };
            Ok(Expr { kind, span: sp })
        }
        Rule::call => call(pair),
        Rule::if_expr => {
            let mut c = Cursor::new(pair);
            let cond = expr(c.expect(Rule::expr)?)?;
            let then = expr(c.expect(Rule::expr)?)?;
            let otherwise = expr(c.expect(Rule::expr)?)?;
            Ok(Expr {
                kind: ExprKind::If {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                span: sp,
            })
        }
        _ => Err(unexpected(&pair)),
    }
}

/// `a op b op c` at one precedence level; a single operand is returned as it is,
/// except that a bracketed operand keeps its brackets.
fn chain(pair: Pair<'_, Rule>) -> Build<Expr> {
    let sp = span_of(&pair);
    let mut c = Cursor::new(pair);
    let first = expr(c.next()?)?;
    let mut rest = Vec::new();
    while let Some(op) = c.pairs.next() {
        let op = match op.as_str() {
            "or" => BinOp::Or,
            "and" => BinOp::And,
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" | "×" => BinOp::Mul,
            _ => BinOp::Div,
        };
        rest.push((op, expr(c.next()?)?));
    }
    if rest.is_empty() {
        return Ok(first);
    }
    Ok(Expr {
        kind: ExprKind::Chain {
            first: Box::new(first),
            rest,
        },
        span: sp,
    })
}

fn prefixed(pair: Pair<'_, Rule>, op_rule: Rule, wrap: fn(Box<Expr>) -> ExprKind) -> Build<Expr> {
    let mut c = Cursor::new(pair);
    let mut ops = Vec::new();
    while let Some(op) = c.take(op_rule) {
        ops.push(span_of(&op).start);
    }
    if ops.len() > limits::MAX_DEPTH {
        return Err(errors::too_deep(
            ops.last().copied().unwrap_or(c.span.start),
        ));
    }
    let inner = c.next()?;
    // An `expr` directly under a prefix rule can only come from brackets.
    let parenthesised = inner.as_rule() == Rule::expr;
    let inner_span = span_of(&inner);
    let mut e = expr(inner)?;
    if parenthesised {
        let start = inner_span.start.saturating_sub(1);
        e = Expr {
            span: Span::new(start, c.span.end),
            kind: ExprKind::Paren(Box::new(e)),
        };
    }
    for start in ops.into_iter().rev() {
        e = Expr {
            span: Span::new(start, e.span.end),
            kind: wrap(Box::new(e)),
        };
    }
    Ok(e)
}

fn comparison(pair: Pair<'_, Rule>) -> Build<Expr> {
    let sp = span_of(&pair);
    let mut c = Cursor::new(pair);
    let lhs = expr(c.next()?)?;
    let Some(tail) = c.take(Rule::cmp_tail) else {
        return Ok(lhs);
    };
    let mut t = Cursor::new(tail);
    let first = t.next()?;
    let kind = match first.as_rule() {
        Rule::is_test => {
            let mut i = Cursor::new(first);
            let negated = i.take(Rule::negation).is_some();
            let level = i.take(Rule::ident).map(name).transpose()?;
            ExprKind::Is {
                expr: Box::new(lhs),
                negated,
                level,
            }
        }
        Rule::in_test => {
            let mut i = Cursor::new(first);
            let set = match i.take(Rule::string_set) {
                Some(s) => InSet::Texts(label_set(s)?),
                None => InSet::Interval(interval(i.expect(Rule::interval)?)?),
            };
            ExprKind::In {
                expr: Box::new(lhs),
                set,
            }
        }
        Rule::cmp_op => ExprKind::Compare {
            lhs: Box::new(lhs),
            op: cmp_op(first.as_str()),
            rhs: Box::new(expr(t.next()?)?),
        },
        _ => return Err(unexpected(&first)),
    };
    Ok(Expr { kind, span: sp })
}

fn call(pair: Pair<'_, Rule>) -> Build<Expr> {
    let sp = span_of(&pair);
    let mut c = Cursor::new(pair);
    let fn_name = name(c.expect(Rule::ident)?)?;
    let mut args = Vec::new();
    let mut filter = None;
    for arg in children(c.expect(Rule::call_args)?.into_inner()) {
        match arg.as_rule() {
            Rule::named_arg => {
                let mut a = Cursor::new(arg);
                let n = name(a.expect(Rule::ident)?)?;
                args.push(Arg::Named(n, expr(a.expect(Rule::expr)?)?));
            }
            Rule::where_clause => {
                filter = Some(Box::new(expr(Cursor::new(arg).expect(Rule::expr)?)?));
            }
            _ => args.push(Arg::Positional(expr(arg)?)),
        }
    }
    Ok(Expr {
        kind: ExprKind::Call {
            name: fn_name,
            args,
            filter,
        },
        span: sp,
    })
}

// ------------------------------------------------------------------ examples

fn example(pair: Pair<'_, Rule>) -> Build<Example> {
    let mut c = Cursor::new(pair);
    let example_name = string(c.expect(Rule::string)?)?;
    let span = c.span;
    let items = c
        .rest()
        .map(|item| match item.as_rule() {
            Rule::given => given(item),
            Rule::expect => expectation(item),
            _ => Err(unexpected(&item)),
        })
        .collect::<Build<_>>()?;
    Ok(Example {
        name: example_name,
        items,
        span,
    })
}

fn given(pair: Pair<'_, Rule>) -> Build<ExampleItem> {
    let mut c = Cursor::new(pair);
    let kind = c.take(Rule::ident).map(name).transpose()?;
    let span = c.span;
    let rows = c
        .rest()
        .map(|row| {
            children(row.into_inner())
                .map(cell)
                .collect::<Build<Vec<_>>>()
        })
        .collect::<Build<_>>()?;
    Ok(ExampleItem::Given { kind, rows, span })
}

fn cell(pair: Pair<'_, Rule>) -> Build<Cell> {
    let sp = span_of(&pair);
    let inner = children(pair.into_inner()).next();
    match inner {
        Some(p) => token(p),
        None => Ok(Cell {
            text: String::new(),
            quoted: false,
            span: Span::new(sp.start, sp.start),
        }),
    }
}

fn token(pair: Pair<'_, Rule>) -> Build<Cell> {
    if pair.as_rule() == Rule::string {
        let s = string(pair)?;
        return Ok(Cell {
            text: s.value,
            quoted: true,
            span: s.span,
        });
    }
    let sp = span_of(&pair);
    let raw = pair.as_str();
    let text = raw.trim_end_matches([' ', '\t', '\u{3000}']);
    let count = text.chars().count();
    if count > limits::MAX_TEXT_CHARS {
        return Err(errors::text_too_long(sp, count));
    }
    Ok(Cell {
        text: text.to_string(),
        quoted: false,
        span: Span::new(sp.start, sp.start + text.len()),
    })
}

fn expectation(pair: Pair<'_, Rule>) -> Build<ExampleItem> {
    let mut c = Cursor::new(pair);
    let span = c.span;
    let inner = c.next()?;
    let rule = inner.as_rule();
    let mut c = Cursor::new(inner);
    match rule {
        Rule::expect_record => {
            let id = token(c.next()?)?;
            let check = check(c.next()?)?;
            Ok(ExampleItem::ExpectRecord { id, check, span })
        }
        Rule::expect_group => {
            let group = name(c.expect(Rule::ident)?)?;
            let mut keys = Vec::new();
            let mut last = None;
            for p in c.rest() {
                if matches!(p.as_rule(), Rule::outcome | Rule::assertions) {
                    last = Some(p);
                } else {
                    keys.push(token(p)?);
                }
            }
            let check = match last {
                Some(p) => check(p)?,
                None => return Err(errors::internal(span, "expectation without a check")),
            };
            Ok(ExampleItem::ExpectGroup {
                group,
                keys,
                check,
                span,
            })
        }
        _ => Err(errors::internal(span, "unknown expectation")),
    }
}

fn check(pair: Pair<'_, Rule>) -> Build<Check> {
    match pair.as_rule() {
        Rule::outcome => {
            let mut c = Cursor::new(pair);
            let kind = name(c.expect(Rule::outcome_kind)?)?;
            let detail = c.pairs.next().map(token).transpose()?;
            Ok(Check::Outcome { kind, detail })
        }
        Rule::assertions => {
            let assertions = children(pair.into_inner())
                .map(|a| {
                    let mut c = Cursor::new(a);
                    let n = name(c.expect(Rule::result_name)?)?;
                    let v = c.next()?;
                    let expected = match v.as_rule() {
                        Rule::blank_word => Expected::Blank,
                        Rule::date => Expected::Date(name(v)?),
                        Rule::signed => Expected::Number(num(v)),
                        Rule::string => Expected::Text(string(v)?),
                        _ => Expected::Word(name(v)?),
                    };
                    Ok(Assertion {
                        name: n,
                        expected,
                        span: c.span,
                    })
                })
                .collect::<Build<_>>()?;
            Ok(Check::Values(assertions))
        }
        _ => Err(unexpected(&pair)),
    }
}
