//! Scales: labels with synonyms, numeric thresholds, piecewise-linear points. Checks
//! duplicate labels, overlapping and unreachable rows, and gaps in the decimal domain.

use super::{slot_id, Checker};
use crate::errors;
use crate::model::{Bound, Interval, LabelRow, RowOutcome, Scale, ScaleKind, ThresholdRow};
use rubric_syntax::ast::{self, CmpOp, Span};
use rust_decimal::Decimal;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

impl Checker {
    /// Declares and checks every scale.
    pub(crate) fn scales(&mut self, asts: &[&ast::Scale]) {
        let mut first: HashMap<&str, Span> = HashMap::new();
        for s in asts {
            if let Some(prev) = first.insert(&s.name.text, s.name.span) {
                self.diags
                    .push(errors::duplicate("scale", &s.name.text, prev, s.name.span));
                continue;
            }
            let scale = self.build_scale(s);
            self.scale_ids
                .insert(s.name.text.clone(), slot_id(self.scales.len()));
            self.scales.push(scale);
            self.scale_used.push(false);
        }
    }

    fn build_scale(&mut self, s: &ast::Scale) -> Scale {
        let flag = |f: &str| s.flags.iter().any(|x| x.text == f);
        let domain = s.range.as_ref().and_then(|r| self.range(r));
        let integer = flag("integer");
        let rows = s.rows.as_deref().unwrap_or(&[]);
        let labels = rows
            .iter()
            .filter(|r| matches!(r.matcher, ast::Matcher::Labels(_)));
        let kind = if labels.count() == rows.len() && !rows.is_empty() {
            if let Some(r) = &s.range {
                self.diags.push(errors::scale_shape(
                    r.span,
                    "a label scale has no numeric range",
                    "delete the range, or write numeric rows",
                ));
            }
            ScaleKind::Labels(self.label_rows(rows))
        } else if flag("linear") {
            ScaleKind::Linear(self.linear_points(s, rows))
        } else {
            ScaleKind::Numeric(self.threshold_rows(s, rows, domain, integer))
        };
        if rows.is_empty() && domain.is_none() {
            self.diags.push(errors::scale_shape(
                s.span,
                "this scale has neither rows nor a range",
                "add rows such as \"很好\" => 100, or a range such as `1..5`",
            ));
        }
        let max = scale_max(&kind, domain);
        Scale {
            name: s.name.text.clone(),
            kind,
            domain,
            integer,
            max,
            span: s.span,
        }
    }

    /// `lo..hi` as decimals, checked for order.
    pub(crate) fn range(&mut self, r: &ast::Range) -> Option<(Decimal, Decimal)> {
        let lo = self.number(&r.lo)?;
        let hi = self.number(&r.hi)?;
        if lo > hi {
            self.diags.push(errors::empty_range(r.span));
            return None;
        }
        Some((lo, hi))
    }

    fn label_rows(&mut self, rows: &[ast::ScaleRow]) -> Vec<LabelRow> {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::new();
        for row in rows {
            let ast::Matcher::Labels(labels) = &row.matcher else {
                self.diags.push(errors::scale_mixed(row.span));
                continue;
            };
            let mut names = Vec::new();
            for l in labels {
                let norm: String = l.value.trim().nfc().collect();
                if norm.is_empty() {
                    self.diags.push(errors::scale_shape(
                        l.span,
                        "an empty label",
                        "write the answer's text between the quotes",
                    ));
                }
                if let Some(prev) = seen.insert(norm.clone(), l.span) {
                    self.diags.push(errors::dup_label(&norm, prev, l.span));
                }
                names.push(norm);
            }
            if let Some(outcome) = self.row_outcome(&row.result, true) {
                out.push(LabelRow {
                    labels: names,
                    outcome,
                    span: row.span,
                });
            }
        }
        out
    }

    fn row_outcome(&mut self, r: &ast::RowResult, allow_rated: bool) -> Option<RowOutcome> {
        Some(match r {
            ast::RowResult::Exclude(reason) => RowOutcome::Exclude(reason.value.clone()),
            ast::RowResult::Rated(range) if allow_rated => {
                let (lo, hi) = self.range(range)?;
                RowOutcome::Rated { lo, hi }
            }
            ast::RowResult::Rated(range) => {
                self.diags.push(errors::scale_shape(
                    range.span,
                    "`rated` belongs to label scales",
                    "a numeric answer is its own score; delete `rated`",
                ));
                return None;
            }
            ast::RowResult::Level { level, score } => RowOutcome::Score {
                score: match score {
                    Some(n) => Some(self.number(n)?),
                    None => None,
                },
                level: level.as_ref().map(|l| self.level(&l.text)),
            },
        })
    }

    fn linear_points(&mut self, s: &ast::Scale, rows: &[ast::ScaleRow]) -> Vec<(Decimal, Decimal)> {
        let mut points: Vec<(Decimal, Decimal)> = Vec::new();
        for row in rows {
            let x = match &row.matcher {
                ast::Matcher::Interval(ast::Interval::Point(n)) => self.number(n),
                _ => None,
            };
            let y = match &row.result {
                ast::RowResult::Level {
                    level: None,
                    score: Some(n),
                } => self.number(n),
                _ => None,
            };
            let (Some(x), Some(y)) = (x, y) else {
                self.diags.push(errors::scale_shape(
                    row.span,
                    "a linear scale's rows are points `value => score`",
                    "write rows such as `60 => 0` and `100 => 100`",
                ));
                continue;
            };
            if points.last().is_some_and(|(px, _)| *px >= x) {
                self.diags.push(errors::scale_shape(
                    row.span,
                    "the points of a linear scale must increase",
                    "order the rows by value, smallest first, each value once",
                ));
            }
            points.push((x, y));
        }
        if points.len() < 2 {
            self.diags.push(errors::scale_shape(
                s.span,
                "a linear scale needs at least two points",
                "add points such as `0 => 0` and `100 => 100`",
            ));
        }
        points
    }

    fn threshold_rows(
        &mut self,
        s: &ast::Scale,
        rows: &[ast::ScaleRow],
        domain: Option<(Decimal, Decimal)>,
        integer: bool,
    ) -> Vec<ThresholdRow> {
        let mut out: Vec<ThresholdRow> = Vec::new();
        for row in rows {
            let ast::Matcher::Interval(iv) = &row.matcher else {
                self.diags.push(errors::scale_mixed(row.span));
                continue;
            };
            let (Some(interval), Some(outcome)) =
                (self.interval(iv), self.row_outcome(&row.result, false))
            else {
                continue;
            };
            if let Some((lo, hi)) = domain {
                let dom = closed(lo, hi);
                if intersection(interval, dom, integer).is_none() {
                    self.diags.push(errors::row_outside(row.span));
                }
            }
            out.push(ThresholdRow {
                interval,
                outcome,
                span: row.span,
            });
        }
        let ordered = s.flags.iter().any(|f| f.text == "ordered");
        self.overlaps(&out, ordered, integer);
        self.gaps(s, &out, domain, integer);
        out
    }

    /// An interval as written, as a model interval.
    pub(crate) fn interval(&mut self, iv: &ast::Interval) -> Option<Interval> {
        let bound = |value, closed| Bound {
            value: Some(value),
            closed,
        };
        let open = Bound {
            value: None,
            closed: false,
        };
        let result = match iv {
            ast::Interval::Bounded {
                lo,
                lo_closed,
                hi,
                hi_closed,
                ..
            } => Interval {
                lo: bound(self.number(lo)?, *lo_closed),
                hi: bound(self.number(hi)?, *hi_closed),
            },
            ast::Interval::Relation { op, bound: b, .. } => {
                let v = self.number(b)?;
                match op {
                    CmpOp::Ge => Interval {
                        lo: bound(v, true),
                        hi: open,
                    },
                    CmpOp::Gt => Interval {
                        lo: bound(v, false),
                        hi: open,
                    },
                    CmpOp::Le => Interval {
                        lo: open,
                        hi: bound(v, true),
                    },
                    CmpOp::Lt => Interval {
                        lo: open,
                        hi: bound(v, false),
                    },
                    CmpOp::Eq | CmpOp::Ne => closed(v, v),
                }
            }
            ast::Interval::Range(r) => {
                let (lo, hi) = self.range(r)?;
                closed(lo, hi)
            }
            ast::Interval::Point(n) => {
                let v = self.number(n)?;
                closed(v, v)
            }
        };
        if is_empty(result, false) {
            self.diags.push(errors::empty_range(iv.span()));
            return None;
        }
        Some(result)
    }

    fn overlaps(&mut self, rows: &[ThresholdRow], ordered: bool, integer: bool) {
        for (i, row) in rows.iter().enumerate() {
            let earlier = rows.get(..i).unwrap_or(&[]);
            if ordered {
                let cover: Vec<Interval> = earlier.iter().map(|r| r.interval).collect();
                if first_uncovered(row.interval, &cover, integer).is_none() {
                    self.diags.push(errors::unreachable_row(row.span));
                }
                continue;
            }
            if let Some((other, x)) = earlier
                .iter()
                .find_map(|e| intersection(e.interval, row.interval, integer).map(|x| (e, x)))
            {
                self.diags
                    .push(errors::overlap(other.span, row.span, x.normalize()));
            }
        }
    }

    fn gaps(
        &mut self,
        s: &ast::Scale,
        rows: &[ThresholdRow],
        domain: Option<(Decimal, Decimal)>,
        integer: bool,
    ) {
        if rows.is_empty() {
            return;
        }
        let cover: Vec<Interval> = rows.iter().map(|r| r.interval).collect();
        let target = match domain {
            Some((lo, hi)) => closed(lo, hi),
            None => hull(&cover),
        };
        if let Some(x) = first_uncovered(target, &cover, integer) {
            let before = rows
                .iter()
                .filter(|r| r.interval.hi.value.is_some_and(|h| h <= x))
                .max_by_key(|r| r.interval.hi.value)
                .map(|r| r.span);
            self.diags
                .push(errors::gap(s.name.span, before, x.normalize()));
        }
    }
}

fn closed(lo: Decimal, hi: Decimal) -> Interval {
    Interval {
        lo: Bound {
            value: Some(lo),
            closed: true,
        },
        hi: Bound {
            value: Some(hi),
            closed: true,
        },
    }
}

/// The highest score a scale gives.
fn scale_max(kind: &ScaleKind, domain: Option<(Decimal, Decimal)>) -> Decimal {
    let scores = |o: &RowOutcome| match o {
        RowOutcome::Score { score, .. } => *score,
        RowOutcome::Rated { hi, .. } => Some(*hi),
        RowOutcome::Exclude(_) => None,
    };
    let best = match kind {
        ScaleKind::Labels(rows) => rows.iter().filter_map(|r| scores(&r.outcome)).max(),
        ScaleKind::Numeric(rows) => {
            let keeps_answer = rows.is_empty()
                || rows
                    .iter()
                    .any(|r| matches!(r.outcome, RowOutcome::Score { score: None, .. }));
            let own = rows.iter().filter_map(|r| scores(&r.outcome)).max();
            let dom = if keeps_answer {
                domain.map(|d| d.1)
            } else {
                None
            };
            own.into_iter().chain(dom).max()
        }
        ScaleKind::Linear(points) => points.iter().map(|p| p.1).max(),
    };
    best.unwrap_or(Decimal::ZERO)
}

/// Integer-valued intervals as closed `[lo, hi]` pairs of whole numbers (`None` = infinite).
fn whole(i: Interval) -> (Option<Decimal>, Option<Decimal>) {
    let lo = i.lo.value.map(|v| {
        let c = v.ceil();
        if !i.lo.closed && c == v {
            c + Decimal::ONE
        } else {
            c
        }
    });
    let hi = i.hi.value.map(|v| {
        let f = v.floor();
        if !i.hi.closed && f == v {
            f - Decimal::ONE
        } else {
            f
        }
    });
    (lo, hi)
}

fn is_empty(i: Interval, integer: bool) -> bool {
    if integer {
        let (lo, hi) = whole(i);
        return matches!((lo, hi), (Some(l), Some(h)) if l > h);
    }
    match (i.lo.value, i.hi.value) {
        (Some(l), Some(h)) => l > h || (l == h && !(i.lo.closed && i.hi.closed)),
        _ => false,
    }
}

/// A value in both intervals, if they meet.
fn intersection(a: Interval, b: Interval, integer: bool) -> Option<Decimal> {
    let m = meet(a, b);
    (!is_empty(m, integer)).then(|| sample(m, integer))
}

/// The common part of two intervals (possibly empty).
fn meet(a: Interval, b: Interval) -> Interval {
    let lo = match (a.lo.value, b.lo.value) {
        (None, _) => b.lo,
        (_, None) => a.lo,
        (Some(x), Some(y)) if x > y => a.lo,
        (Some(x), Some(y)) if y > x => b.lo,
        _ => Bound {
            value: a.lo.value,
            closed: a.lo.closed && b.lo.closed,
        },
    };
    let hi = match (a.hi.value, b.hi.value) {
        (None, _) => b.hi,
        (_, None) => a.hi,
        (Some(x), Some(y)) if x < y => a.hi,
        (Some(x), Some(y)) if y < x => b.hi,
        _ => Bound {
            value: a.hi.value,
            closed: a.hi.closed && b.hi.closed,
        },
    };
    Interval { lo, hi }
}

/// A representative value of a non-empty interval.
fn sample(i: Interval, integer: bool) -> Decimal {
    if integer {
        let (lo, hi) = whole(i);
        return lo.or(hi).unwrap_or_default();
    }
    match (i.lo.value, i.hi.value) {
        (Some(l), _) if i.lo.closed => l,
        (_, Some(h)) if i.hi.closed => h,
        (Some(l), Some(h)) => l
            .checked_add(h)
            .and_then(|s| s.checked_div(Decimal::TWO))
            .unwrap_or(l),
        (Some(l), None) => l.checked_add(Decimal::ONE).unwrap_or(l),
        (None, Some(h)) => h.checked_sub(Decimal::ONE).unwrap_or(h),
        (None, None) => Decimal::ZERO,
    }
}

/// The smallest interval holding all of them.
fn hull(cover: &[Interval]) -> Interval {
    let lo = cover
        .iter()
        .map(|i| i.lo)
        .min_by(|a, b| match (a.value, b.value) {
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y).then(b.closed.cmp(&a.closed)),
        });
    let hi = cover
        .iter()
        .map(|i| i.hi)
        .max_by(|a, b| match (a.value, b.value) {
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.cmp(&y).then(a.closed.cmp(&b.closed)),
        });
    let open = Bound {
        value: None,
        closed: false,
    };
    Interval {
        lo: lo.unwrap_or(open),
        hi: hi.unwrap_or(open),
    }
}

/// A value of `target` that no interval of `cover` contains, if there is one.
pub(crate) fn first_uncovered(
    target: Interval,
    cover: &[Interval],
    integer: bool,
) -> Option<Decimal> {
    if is_empty(target, integer) {
        return None;
    }
    let mut pieces: Vec<Interval> = cover
        .iter()
        .map(|c| meet(*c, target))
        .filter(|c| !is_empty(*c, integer))
        .collect();
    pieces.sort_by(|a, b| match (a.lo.value, b.lo.value) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y).then(b.lo.closed.cmp(&a.lo.closed)),
    });
    // `at` is where the uncovered part begins; `at.closed` means the point itself is uncovered.
    let mut at = target.lo;
    for p in &pieces {
        let gap = Interval {
            lo: at,
            hi: Bound {
                value: p.lo.value,
                closed: !p.lo.closed,
            },
        };
        if p.lo.value.is_some() && !is_empty(gap, integer) {
            return Some(sample(gap, integer));
        }
        at = further(at, p.hi);
        // Covered up to +∞: nothing is left uncovered.
        at.value?;
    }
    let rest = Interval {
        lo: at,
        hi: target.hi,
    };
    if is_empty(rest, integer) {
        None
    } else {
        Some(sample(rest, integer))
    }
}

/// The start of the uncovered part after covering up to `hi`.
fn further(at: Bound, hi: Bound) -> Bound {
    let next = Bound {
        value: hi.value,
        closed: !hi.closed,
    };
    match (at.value, hi.value) {
        (_, None) => next,
        (None, Some(_)) => next,
        (Some(a), Some(h)) if h > a => next,
        (Some(a), Some(h)) if h == a && at.closed && hi.closed => next,
        _ => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: i64) -> Decimal {
        Decimal::from(x)
    }
    fn iv(lo: Option<i64>, lc: bool, hi: Option<i64>, hc: bool) -> Interval {
        Interval {
            lo: Bound {
                value: lo.map(d),
                closed: lc,
            },
            hi: Bound {
                value: hi.map(d),
                closed: hc,
            },
        }
    }

    #[test]
    fn finds_the_gap_between_89_and_90() {
        let bands = [
            iv(Some(90), true, Some(100), true),
            iv(Some(70), true, Some(89), true),
            iv(None, false, Some(69), true),
        ];
        let gap = first_uncovered(iv(Some(0), true, Some(100), true), &bands, false);
        assert_eq!(gap, Some(Decimal::new(695, 1)));
        let gap = first_uncovered(iv(Some(70), true, Some(100), true), &bands, false);
        assert_eq!(gap, Some(Decimal::new(895, 1)));
    }

    #[test]
    fn half_open_bands_have_no_gap() {
        let bands = [
            iv(Some(90), true, Some(100), true),
            iv(Some(70), true, Some(90), false),
            iv(None, false, Some(70), false),
        ];
        assert_eq!(
            first_uncovered(iv(Some(0), true, Some(100), true), &bands, false),
            None
        );
    }

    #[test]
    fn a_missing_point_is_a_gap() {
        let bands = [
            iv(Some(70), true, Some(90), false),
            iv(Some(90), false, Some(100), true),
        ];
        assert_eq!(
            first_uncovered(iv(Some(70), true, Some(100), true), &bands, false),
            Some(d(90))
        );
    }

    #[test]
    fn integer_scales_have_no_gap_between_6_and_7() {
        let classes = [
            iv(Some(0), true, Some(6), true),
            iv(Some(7), true, Some(8), true),
            iv(Some(9), true, Some(10), true),
        ];
        let all = iv(Some(0), true, Some(10), true);
        assert_eq!(first_uncovered(all, &classes, true), None);
        assert_eq!(
            first_uncovered(all, &classes, false),
            Some(Decimal::new(65, 1))
        );
    }

    #[test]
    fn intersections() {
        let a = iv(Some(70), true, Some(90), false);
        let b = iv(Some(90), true, Some(100), true);
        assert_eq!(intersection(a, b, false), None);
        let c = iv(Some(89), true, Some(95), true);
        assert_eq!(intersection(a, c, false), Some(d(89)));
        let below_95 = iv(None, false, Some(95), false);
        let below_80 = iv(None, false, Some(80), false);
        assert_eq!(intersection(below_95, below_80, false), Some(d(79)));
    }
}
