//! Period units: which month, quarter, half-year or year a date falls in, its
//! label (`2026-01`, `2026-Q1`, `2026-H1`, `2026`), and a sortable key.

use crate::model::Period;
use chrono::{Datelike, NaiveDate};

/// A period of some unit: the year and the part of it (month 1–12, quarter 1–4,
/// half 1–2; 0 for a year). Sorts chronologically within one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PeriodKey {
    year: i32,
    part: u32,
}

impl PeriodKey {
    /// The period of `unit` containing `date`.
    pub(crate) fn of(date: NaiveDate, unit: Period) -> Self {
        let m0 = date.month0();
        let part = match unit {
            Period::Month => m0.saturating_add(1),
            Period::Quarter => (m0 / 3).saturating_add(1),
            Period::HalfYear => (m0 / 6).saturating_add(1),
            Period::Year => 0,
        };
        PeriodKey {
            year: date.year(),
            part,
        }
    }

    /// The unit and key of a label such as `2026-01`, `2026-Q1`, `2026-H1` or
    /// `2026`; `None` for anything else.
    pub(crate) fn parse(label: &str) -> Option<(Period, Self)> {
        let (year, rest) = match label.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (label, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let number = |s: &str| -> Option<u32> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let (unit, part) = match rest {
            None => (Period::Year, 0),
            Some(r) => match r.split_at_checked(1) {
                Some(("Q", q)) => (Period::Quarter, number(q).filter(|q| (1..=4).contains(q))?),
                Some(("H", h)) => (Period::HalfYear, number(h).filter(|h| (1..=2).contains(h))?),
                _ if r.len() == 2 => (Period::Month, number(r).filter(|m| (1..=12).contains(m))?),
                _ => return None,
            },
        };
        Some((unit, PeriodKey { year, part }))
    }

    /// A number that tells the periods of one unit apart (the year's bits, then the
    /// part in the low four bits); [`Self::from_code`] reads it back.
    pub(crate) fn code(self) -> u32 {
        (self.year.cast_unsigned() << 4) | (self.part & 0xF)
    }

    /// The period of a [`Self::code`].
    pub(crate) fn from_code(code: u32) -> Self {
        PeriodKey {
            year: code.cast_signed() >> 4,
            part: code & 0xF,
        }
    }

    /// `2026-01`, `2026-Q1`, `2026-H1` or `2026`.
    pub(crate) fn label(self, unit: Period) -> String {
        let PeriodKey { year, part } = self;
        match unit {
            Period::Month => format!("{year:04}-{part:02}"),
            Period::Quarter => format!("{year:04}-Q{part}"),
            Period::HalfYear => format!("{year:04}-H{part}"),
            Period::Year => format!("{year:04}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap_or_default();
        assert_eq!(
            PeriodKey::of(d, Period::Month).label(Period::Month),
            "2026-08"
        );
        assert_eq!(
            PeriodKey::of(d, Period::Quarter).label(Period::Quarter),
            "2026-Q3"
        );
        assert_eq!(
            PeriodKey::of(d, Period::HalfYear).label(Period::HalfYear),
            "2026-H2"
        );
        assert_eq!(PeriodKey::of(d, Period::Year).label(Period::Year), "2026");
    }

    #[test]
    fn labels_parse_back() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap_or_default();
        for unit in [
            Period::Month,
            Period::Quarter,
            Period::HalfYear,
            Period::Year,
        ] {
            let key = PeriodKey::of(d, unit);
            assert_eq!(PeriodKey::parse(&key.label(unit)), Some((unit, key)));
        }
        for year in [2026, 1, -44, 262_143, -262_143] {
            for part in [0, 1, 12] {
                let key = PeriodKey { year, part };
                assert_eq!(PeriodKey::from_code(key.code()), key);
            }
        }
        for bad in [
            "2026-13", "2026-Q5", "2026-H0", "26-01", "2026-1", "2026-Q", "2026-+1",
        ] {
            assert_eq!(PeriodKey::parse(bad), None, "{bad}");
        }
    }
}
