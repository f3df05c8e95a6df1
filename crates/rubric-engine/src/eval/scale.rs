//! Answers on scales: label lookup (NFC, precomputed), numeric rows, linear
//! interpolation, and the "did you mean" hint for unknown labels.

use crate::model::{LevelId, RowOutcome, Rubric, Scale, ScaleKind};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// What an answer's scale row says. Small (two words), so that reading a field
/// returns it in registers; the score and level go into the slot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Hit<'r> {
    /// A score and/or a level, now in the answer's slot.
    Score,
    /// The score is a rater value within the bounds of this row ([`Hit::bounds`]).
    Rated(&'r RowOutcome),
    /// The record is excluded with this reason.
    Exclude(&'r String),
}

impl<'r> Hit<'r> {
    /// `[lo, hi]` of a rated answer.
    pub(crate) fn bounds(self) -> Option<(Decimal, Decimal)> {
        match self {
            Hit::Rated(RowOutcome::Rated { lo, hi }) => Some((*lo, *hi)),
            _ => None,
        }
    }
}

/// An answer as its scale row gives it: the hit, and the score and level for the
/// slot. `answer` is the score of a numeric row that has none of its own.
pub(crate) type Answer<'r> = (Hit<'r>, Option<Decimal>, Option<LevelId>);

/// The answer a row outcome gives.
pub(crate) fn answer_of(outcome: &RowOutcome, answer: Option<Decimal>) -> Answer<'_> {
    match outcome {
        RowOutcome::Score { score, level } => (Hit::Score, score.or(answer), *level),
        RowOutcome::Rated { .. } => (Hit::Rated(outcome), None, None),
        RowOutcome::Exclude(reason) => (Hit::Exclude(reason), None, None),
    }
}

/// Label → row index, for every label scale, built once.
pub(crate) struct LabelIndex {
    by_scale: Vec<Labels>,
}

/// One scale's labels (and synonyms), NFC. A label of up to 16 bytes is found by
/// its length and its bytes read as two words (a hash of two integers, no string
/// comparison); a longer one by its text.
#[derive(Default)]
struct Labels {
    /// Indexed by length.
    short: Vec<HashMap<(u64, u64), usize>>,
    long: HashMap<String, usize>,
}

impl Labels {
    fn insert(&mut self, label: &str, row: usize) {
        match words(label.as_bytes()) {
            Some(key) => {
                let len = label.len();
                if self.short.len() <= len {
                    self.short.resize_with(len + 1, HashMap::default);
                }
                if let Some(map) = self.short.get_mut(len) {
                    map.entry(key).or_insert(row);
                }
            }
            None => {
                self.long.entry(label.to_owned()).or_insert(row);
            }
        }
    }

    fn get(&self, text: &str) -> Option<usize> {
        match words(text.as_bytes()) {
            Some(key) => self.short.get(text.len())?.get(&key).copied(),
            None => self.long.get(text).copied(),
        }
    }
}

/// Up to 16 bytes as two words, read in place (together with the length, they name
/// the bytes): the first and the last eight bytes, overlapping for 9 to 15; for 4 to
/// 7, the first and the last four; for fewer, byte by byte.
fn words(b: &[u8]) -> Option<(u64, u64)> {
    let n = b.len();
    let u64_at = |at: usize| {
        b.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map(u64::from_le_bytes)
    };
    let u32_at = |at: usize| {
        let w: Option<[u8; 4]> = b.get(at..at + 4).and_then(|w| w.try_into().ok());
        w.map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    match n {
        0..=3 => Some((
            b.iter().rev().fold(0, |acc, &x| (acc << 8) | u64::from(x)),
            0,
        )),
        4..=7 => Some((u32_at(0), u32_at(n - 4))),
        8..=16 => Some((u64_at(0)?, u64_at(n - 8)?)),
        _ => None,
    }
}

impl LabelIndex {
    /// Indexes every label (and synonym) of every label scale.
    pub(crate) fn new(rubric: &Rubric) -> Self {
        let by_scale = rubric.scales.iter().map(index_scale).collect();
        LabelIndex { by_scale }
    }

    /// The row of `scale` (number `id`) whose labels include `text` (trimmed, NFC).
    pub(crate) fn find<'r>(
        &self,
        id: usize,
        scale: &'r Scale,
        text: &str,
    ) -> Option<&'r RowOutcome> {
        let ScaleKind::Labels(rows) = &scale.kind else {
            return None;
        };
        let row = self.by_scale.get(id)?.get(text)?;
        rows.get(row).map(|r| &r.outcome)
    }
}

fn index_scale(scale: &Scale) -> Labels {
    let mut labels = Labels::default();
    if let ScaleKind::Labels(rows) = &scale.kind {
        for (i, row) in rows.iter().enumerate() {
            for label in &row.labels {
                labels.insert(&nfc(label.trim()), i);
            }
        }
    }
    labels
}

/// `text` in Unicode normal form C; borrowed when it already is.
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The closest label of a label scale to `text`, when it is close enough to be
/// a likely typo. Only called for rejected rows.
#[cold]
pub(crate) fn did_you_mean<'r>(scale: &'r Scale, text: &str) -> Option<&'r str> {
    let ScaleKind::Labels(rows) = &scale.kind else {
        return None;
    };
    let wanted: Vec<char> = text.to_lowercase().chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for label in rows.iter().flat_map(|r| &r.labels) {
        let have: Vec<char> = label.to_lowercase().chars().collect();
        let d = distance(&wanted, &have);
        let better = match best {
            Some((b, _)) => d < b,
            None => true,
        };
        if better && d <= (have.len() / 2).max(1) {
            best = Some((d, label));
        }
    }
    best.map(|(_, l)| l)
}

/// Levenshtein distance over characters.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len().saturating_add(1)];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(0)
                .saturating_add(usize::from(ca != cb));
            let del = prev
                .get(j.saturating_add(1))
                .copied()
                .unwrap_or(0)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(0).saturating_add(1);
            if let Some(c) = cur.get_mut(j.saturating_add(1)) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The answer of the first numeric row containing `x`; with no row, `x` is the score.
pub(crate) fn numeric_answer(scale: &Scale, x: Decimal) -> Answer<'_> {
    let ScaleKind::Numeric(rows) = &scale.kind else {
        return (Hit::Score, Some(x), None);
    };
    match rows.iter().find(|r| r.interval.contains(x)) {
        Some(row) => answer_of(&row.outcome, Some(x)),
        None => (Hit::Score, Some(x), None),
    }
}

/// Piecewise-linear score of `x` through `points` (sorted by x); outside the
/// points, the nearest end's score. `None` on overflow or with no points.
pub(crate) fn linear(points: &[(Decimal, Decimal)], x: Decimal) -> Option<Decimal> {
    let (x0, s0) = *points.first()?;
    if x <= x0 {
        return Some(s0);
    }
    for pair in points.windows(2) {
        let [(xa, sa), (xb, sb)] = pair else {
            continue;
        };
        if x > *xb {
            continue;
        }
        if xb == xa {
            return Some(*sb);
        }
        let rise = sb.checked_sub(*sa)?.checked_mul(x.checked_sub(*xa)?)?;
        return sa.checked_add(rise.checked_div(xb.checked_sub(*xa)?)?);
    }
    points.last().map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        crate::decimal::parse(s).unwrap_or_default()
    }

    #[test]
    fn interpolates_and_clamps() {
        let pts = [(d("0"), d("0")), (d("10"), d("100")), (d("20"), d("110"))];
        assert_eq!(linear(&pts, d("-5")), Some(d("0")));
        assert_eq!(linear(&pts, d("2.5")), Some(d("25")));
        assert_eq!(linear(&pts, d("15")), Some(d("105")));
        assert_eq!(linear(&pts, d("99")), Some(d("110")));
        assert_eq!(linear(&[], d("1")), None);
    }

    proptest::proptest! {
        /// Labels are found by length and two words exactly as by their text: every
        /// label finds its row, and any other text none (texts of one alphabet, so
        /// that they share prefixes and suffixes).
        #[test]
        fn labels_are_found_as_by_their_text(
            labels in proptest::collection::vec("[ab好]{0,8}", 1..12),
            probes in proptest::collection::vec("[ab好]{0,8}", 0..12),
        ) {
            let mut index = Labels::default();
            let mut reference = std::collections::HashMap::new();
            for (row, label) in labels.iter().enumerate() {
                index.insert(label, row);
                reference.entry(label.clone()).or_insert(row);
            }
            for text in labels.iter().chain(&probes) {
                proptest::prop_assert_eq!(index.get(text), reference.get(text).copied());
            }
        }
    }

    #[test]
    fn edit_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&c("满意了"), &c("满意")), 1);
        assert_eq!(distance(&c("kitten"), &c("sitting")), 3);
        assert_eq!(distance(&c(""), &c("ab")), 2);
    }
}
