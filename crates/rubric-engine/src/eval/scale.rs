//! Answers on scales: label lookup (NFC, precomputed), numeric rows, linear
//! interpolation, and the "did you mean" hint for unknown labels.

use super::textmap::TextMap;
use crate::model::{LevelId, RowOutcome, Rubric, Scale, ScaleKind};
use rust_decimal::Decimal;
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
    /// Per scale, its labels (and synonyms), NFC.
    by_scale: Vec<TextMap<usize>>,
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

fn index_scale(scale: &Scale) -> TextMap<usize> {
    let mut labels = TextMap::default();
    if let ScaleKind::Labels(rows) = &scale.kind {
        for (i, row) in rows.iter().enumerate() {
            for label in &row.labels {
                labels.insert(&nfc(label.trim()), i);
            }
        }
    }
    labels
}

/// `text` in Unicode normal form C; borrowed when it already is. ASCII text (most
/// ids and codes) is answered in line.
#[inline]
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        nfc_unicode(text)
    }
}

/// [`nfc`] of a text that is not ASCII.
fn nfc_unicode(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
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

    #[test]
    fn edit_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&c("满意了"), &c("满意")), 1);
        assert_eq!(distance(&c("kitten"), &c("sitting")), 3);
        assert_eq!(distance(&c(""), &c("ab")), 2);
    }
}
