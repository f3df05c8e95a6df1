//! Reading one cell as a field value: trimmed text, strict dates and numbers,
//! flag words, answers on scales. A failed field becomes blank and reports why.

use super::errors;
use super::scale::{answer_of, did_you_mean, linear, nfc, numeric_answer, Answer, Hit, LabelIndex};
use super::value::{put_answer, put_text};
use crate::decimal::{self, NumberError};
use crate::model::{Field, FieldType, Rubric, Scale, ScaleKind, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a cell could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// Stable code.
    pub code: &'static str,
    /// Plain words, naming the field.
    pub reason: String,
}

impl FieldError {
    /// A new error, boxed: errors are rare, and a boxed one keeps the results that
    /// carry it small enough to come back in registers.
    #[cold]
    pub(crate) fn new(code: &'static str, reason: String) -> Box<Self> {
        Box::new(FieldError { code, reason })
    }
}

/// Reads cells against a rubric's fields and scales.
pub(crate) struct Reader<'r> {
    rubric: &'r Rubric,
    labels: LabelIndex,
}

impl<'r> Reader<'r> {
    /// Precomputes the label lookup.
    pub(crate) fn new(rubric: &'r Rubric) -> Self {
        Reader {
            rubric,
            labels: LabelIndex::new(rubric),
        }
    }

    /// Reads `raw` into `slot`. Scale answers return their row's [`Hit`] (the
    /// score and level are in the slot); other fields `None`. The error is boxed:
    /// errors are rare, and a result of two words comes back in registers.
    pub(crate) fn read(
        &self,
        field: &'r Field,
        raw: &str,
        slot: &mut Value,
    ) -> Result<Option<Hit<'r>>, Box<FieldError>> {
        let text = trim(raw);
        let result = if text.is_empty() {
            blank(field, slot)
        } else {
            self.read_text(field, text, slot)
        };
        if result.is_err() {
            *slot = Value::Blank;
        }
        result
    }

    fn read_text(
        &self,
        field: &'r Field,
        text: &str,
        slot: &mut Value,
    ) -> Result<Option<Hit<'r>>, Box<FieldError>> {
        let name = field.name.as_str();
        match &field.ty {
            FieldType::Id | FieldType::Text => put_text(slot, &nfc(text)),
            FieldType::Key { list } => return read_key(field, list.as_deref(), text, slot),
            FieldType::Date => *slot = Value::Date(date(name, text)?),
            FieldType::Count => *slot = Value::Num(count(name, text)?),
            FieldType::Flag => *slot = Value::Bool(flag(name, text)?),
            FieldType::Number { range } => {
                let x = number(name, text, field.integer)?;
                if let Some((lo, hi)) = range {
                    in_range(name, x, *lo, *hi)?;
                }
                *slot = Value::Num(x);
            }
            FieldType::Scale(id) => return self.read_answer(field, *id, text, slot).map(Some),
        }
        Ok(None)
    }

    fn read_answer(
        &self,
        field: &'r Field,
        id: u32,
        text: &str,
        slot: &mut Value,
    ) -> Result<Hit<'r>, Box<FieldError>> {
        let index = usize::try_from(id).unwrap_or(usize::MAX);
        let Some(scale) = self.rubric.scales.get(index) else {
            let what = "its scale index is out of range";
            return Err(FieldError::new(
                errors::INTERNAL,
                errors::internal(&field.name, what),
            ));
        };
        let (label, answer) = match &scale.kind {
            ScaleKind::Labels(_) => {
                // Labels are indexed in NFC, so a direct hit needs no normalising.
                let (label, row) = match self.labels.find(index, scale, text) {
                    Some(row) => (text.into(), Some(row)),
                    None => {
                        let label = nfc(text);
                        let row = self.labels.find(index, scale, &label);
                        (label, row)
                    }
                };
                let row = row.ok_or_else(|| unknown_label(field, scale, &label))?;
                (label, answer_of(row, None))
            }
            _ => (text.into(), number_answer(field, scale, text)?),
        };
        let (hit, score, level) = answer;
        put_answer(slot, &label, score, level);
        Ok(hit)
    }
}

/// `text.trim()`, answered from the end bytes alone when they cannot belong to
/// white space (the common case: no scan of the characters at either end).
pub(crate) fn trim(text: &str) -> &str {
    let clean = |b: u8, side: u8| EDGE.get(usize::from(b)).is_some_and(|e| e & side == 0);
    match text.as_bytes() {
        [first, .., last] if clean(*first, MAY_START) && clean(*last, MAY_END) => text,
        [only] if clean(*only, MAY_START | MAY_END) => text,
        _ => text.trim(),
    }
}

/// [`EDGE`] flag: the byte may be the first byte of a white-space character.
const MAY_START: u8 = 1;
/// [`EDGE`] flag: the byte may be the last byte of a white-space character.
const MAY_END: u8 = 2;

/// Per byte, whether it may start or end a white-space character: an ASCII space or
/// control byte (both); 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000–U+205F)
/// or 0xE3 (U+3000) start one; 0x80–0x8A, 0x9F, 0xA0, 0xA8, 0xA9 and 0xAF end one.
/// One table look-up per end instead of a chain of comparisons.
// Built at compile time, where an index out of range is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const EDGE: [u8; 256] = {
    let mut edge = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let mut flags = 0;
        if byte <= b' ' || byte == 0x7F {
            flags = MAY_START | MAY_END;
        }
        if matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            flags |= MAY_START;
        }
        if matches!(byte, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF) {
            flags |= MAY_END;
        }
        edge[b] = flags;
        b += 1;
    }
    edge
};

/// A blank cell: `no` for flags, blank for optional fields, else an error.
fn blank<'r>(field: &Field, slot: &mut Value) -> Result<Option<Hit<'r>>, Box<FieldError>> {
    if matches!(field.ty, FieldType::Flag) {
        *slot = Value::Bool(false);
    } else if field.optional {
        *slot = Value::Blank;
    } else {
        return Err(FieldError::new(
            errors::MISSING,
            errors::missing(&field.name),
        ));
    }
    Ok(None)
}

/// A key; a list key must hold at least one non-empty item.
fn read_key<'r>(
    field: &Field,
    list: Option<&str>,
    text: &str,
    slot: &mut Value,
) -> Result<Option<Hit<'r>>, Box<FieldError>> {
    let has_item = match list {
        Some(sep) if !sep.is_empty() => text.split(sep).any(|k| !k.trim().is_empty()),
        _ => true,
    };
    if has_item {
        put_text(slot, &nfc(text));
        Ok(None)
    } else {
        blank(field, slot)
    }
}

#[cold]
fn unknown_label(field: &Field, scale: &Scale, text: &str) -> Box<FieldError> {
    let hint = did_you_mean(scale, text);
    let reason = errors::unknown_label(&field.name, text, &scale.name, hint);
    FieldError::new(errors::UNKNOWN_LABEL, reason)
}

/// A numeric or linear answer: domain, whole-number rule, then the row.
fn number_answer<'r>(
    field: &Field,
    scale: &'r Scale,
    text: &str,
) -> Result<Answer<'r>, Box<FieldError>> {
    let name = field.name.as_str();
    let x = number(name, text, field.integer || scale.integer)?;
    if let Some((lo, hi)) = scale.domain {
        in_range(name, x, lo, hi)?;
    }
    match &scale.kind {
        ScaleKind::Linear(points) => match linear(points, x) {
            Some(score) => Ok((Hit::Score, Some(score), None)),
            None => Err(FieldError::new(errors::OVERFLOW, errors::overflow(name))),
        },
        _ => Ok(numeric_answer(scale, x)),
    }
}

/// A strict decimal; whole when `integer`.
pub(crate) fn number(name: &str, text: &str, integer: bool) -> Result<Decimal, Box<FieldError>> {
    let x = decimal::parse(text).map_err(|e| match e {
        NumberError::Syntax => FieldError::new(errors::NOT_NUMBER, errors::not_number(name, text)),
        NumberError::Range => {
            FieldError::new(errors::NUMBER_RANGE, errors::number_range(name, text))
        }
        NumberError::Precision => FieldError::new(
            errors::NUMBER_PRECISION,
            errors::number_precision(name, text),
        ),
    })?;
    if integer && !x.fract().is_zero() {
        return Err(FieldError::new(
            errors::NOT_INTEGER,
            errors::not_integer(name, text),
        ));
    }
    Ok(x)
}

/// `lo ≤ x ≤ hi`.
pub(crate) fn in_range(
    name: &str,
    x: Decimal,
    lo: Decimal,
    hi: Decimal,
) -> Result<(), Box<FieldError>> {
    if x < lo || x > hi {
        return Err(FieldError::new(
            errors::OUT_OF_RANGE,
            errors::out_of_range(name, x, lo, hi),
        ));
    }
    Ok(())
}

fn count(name: &str, text: &str) -> Result<Decimal, Box<FieldError>> {
    match decimal::parse(text) {
        Ok(mut x) if x.fract().is_zero() && x >= Decimal::ZERO => {
            x.set_sign_positive(true);
            Ok(x)
        }
        _ => Err(FieldError::new(
            errors::COUNT,
            errors::bad_count(name, text),
        )),
    }
}

fn flag(name: &str, text: &str) -> Result<bool, Box<FieldError>> {
    const YES: [&str; 5] = ["yes", "true", "y", "1", "是"];
    const NO: [&str; 5] = ["no", "false", "n", "0", "否"];
    if YES.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if NO.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err(FieldError::new(errors::FLAG, errors::bad_flag(name, text)))
    }
}

fn date(name: &str, text: &str) -> Result<NaiveDate, Box<FieldError>> {
    strict_date(text).ok_or_else(|| FieldError::new(errors::DATE, errors::bad_date(name, text)))
}

/// `YYYY-MM-DD`, exactly: four, two and two ASCII digits.
pub(crate) fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(text.get(0..4)?)?;
    let m = digits(text.get(5..7)?)?;
    let d = digits(text.get(8..10)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn digits(s: &str) -> Option<u32> {
    s.bytes().try_fold(0u32, |acc, b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?
                .checked_add(u32::from(b.wrapping_sub(b'0')))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(strict_date("2026-01-31").is_some());
        for bad in [
            "2026-1-31",
            "2026-02-30",
            "26-01-31",
            "2026/01/31",
            "２０２６-01-01",
            "+026-01-01",
        ] {
            assert_eq!(strict_date(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn trims_like_the_standard_library(
            text in "[ \t\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{7f}a满意\u{8a}\u{3001}]{0,6}",
        ) {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }
    }

    #[test]
    fn flags_and_counts() {
        assert_eq!(flag("f", "YES"), Ok(true));
        assert_eq!(flag("f", "否"), Ok(false));
        assert!(flag("f", "maybe").is_err());
        assert!(count("c", "3").is_ok());
        assert!(count("c", "-1").is_err());
        assert!(count("c", "1.5").is_err());
        assert_eq!(count("c", "-0"), Ok(Decimal::ZERO));
    }
}
