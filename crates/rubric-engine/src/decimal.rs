//! Exact numbers: strict parsing of decimal text and rounding by a declared mode.
//! Nothing here panics: `rust_decimal`'s operators do, so only `checked_*` is used.

use crate::model::{RoundMode, Rounding};
use rust_decimal::{Decimal, RoundingStrategy};

/// Why a text is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not decimal digits with an optional sign and point.
    Syntax,
    /// Larger than the largest decimal (about 7.9 × 10²⁸).
    Range,
    /// More than 28 decimal places.
    Precision,
}

/// Parses `-12.50`, `+3`, `0.125`: an optional sign, ASCII digits, an optional
/// fraction. No exponents, no thousands separators, no `NaN`; never rounds silently.
pub fn parse(text: &str) -> Result<Decimal, NumberError> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(NumberError::Syntax);
    }
    if frac.map_or(0, str::len) > 28 {
        return Err(NumberError::Precision);
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    Decimal::from_str_exact(text).map_err(|e| match e {
        rust_decimal::Error::Underflow | rust_decimal::Error::ScaleExceedsMaximumPrecision(_) => {
            NumberError::Precision
        }
        _ => NumberError::Range,
    })
}

/// Rounds `x` to `places` decimals with `mode`.
pub fn round(x: Decimal, places: u32, mode: RoundMode) -> Decimal {
    let strategy = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::HalfDown => RoundingStrategy::MidpointTowardZero,
        RoundMode::Down => RoundingStrategy::ToZero,
        RoundMode::Up => RoundingStrategy::AwayFromZero,
        RoundMode::Floor => RoundingStrategy::ToNegativeInfinity,
        RoundMode::Ceiling => RoundingStrategy::ToPositiveInfinity,
    };
    x.round_dp_with_strategy(places.min(28), strategy)
}

/// The value as displayed: rounded, with exactly `places` decimals (`90.00`).
pub fn display(x: Decimal, rounding: Rounding) -> String {
    let mut r = round(x, rounding.places, rounding.mode);
    r.rescale(rounding.places.min(28));
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

/// Number of decimals written in `text` (`90.00` → 2).
pub fn places_written(text: &str) -> u32 {
    text.split_once('.')
        .map_or(0, |(_, f)| u32::try_from(f.len()).unwrap_or(u32::MAX))
}

/// A non-negative decimal as a 64-bit integer and a scale (`magnitude / 10^scale`),
/// for exact arithmetic on the hot path. Its operations give exactly the `Decimal`
/// that `rust_decimal`'s checked operations give — the same value and the same
/// scale, a zero operand included — or `None` beyond 64 bits or 28 decimals: the
/// caller then computes with `Decimal`. Two words, so that results come back in
/// registers (a larger result, written to the stack and read back, costs more than
/// the arithmetic it saves).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fixed {
    magnitude: u64,
    scale: u32,
}

impl Fixed {
    /// Zero, as `Decimal::ZERO`.
    pub(crate) const ZERO: Fixed = Fixed {
        magnitude: 0,
        scale: 0,
    };

    /// `d`, unless it has its sign bit set (a negative number, or negative zero) or
    /// more than 64 bits.
    #[inline]
    pub(crate) fn of(d: Decimal) -> Option<Fixed> {
        if d.is_sign_negative() {
            return None;
        }
        Some(Fixed {
            magnitude: u64::try_from(d.mantissa()).ok()?,
            scale: d.scale(),
        })
    }

    /// The `Decimal`.
    #[inline]
    pub(crate) fn to_decimal(self) -> Decimal {
        let m = self.magnitude;
        let (lo, mid) = (m & u64::from(u32::MAX), m >> 32);
        let part = |x: u64| u32::try_from(x).unwrap_or(0);
        Decimal::from_parts(part(lo), part(mid), 0, false, self.scale)
    }

    /// `self × k`, as `checked_mul`: zero (of scale 0) when either is zero.
    #[inline]
    pub(crate) fn mul(self, k: Fixed) -> Option<Fixed> {
        if self.magnitude == 0 || k.magnitude == 0 {
            return Some(Fixed::ZERO);
        }
        Fixed::checked(
            self.magnitude.checked_mul(k.magnitude)?,
            self.scale + k.scale,
        )
    }

    /// `self + v`, as `checked_add`: a zero operand gives the other one unchanged;
    /// otherwise the sum at the larger scale.
    #[inline]
    pub(crate) fn add(self, v: Fixed) -> Option<Fixed> {
        if self.magnitude == 0 {
            return Some(v);
        }
        if v.magnitude == 0 {
            return Some(self);
        }
        if self.scale == v.scale {
            return Fixed::checked(self.magnitude.checked_add(v.magnitude)?, self.scale);
        }
        let scale = self.scale.max(v.scale);
        let up = |x: Fixed| x.magnitude.checked_mul(10u64.checked_pow(scale - x.scale)?);
        Fixed::checked(up(self)?.checked_add(up(v)?)?, scale)
    }

    /// A result of at most 28 decimals.
    fn checked(magnitude: u64, scale: u32) -> Option<Fixed> {
        (scale <= 28).then_some(Fixed { magnitude, scale })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse(s).unwrap_or_default()
    }

    #[test]
    fn parses_strictly() {
        assert_eq!(parse("12.5"), Ok(Decimal::new(125, 1)));
        assert_eq!(parse("+3"), Ok(Decimal::new(3, 0)));
        for bad in [
            "", "-", "1.", ".5", "1e3", "0x10", "NaN", "1,5", "１２", "1 2",
        ] {
            assert_eq!(parse(bad), Err(NumberError::Syntax), "{bad}");
        }
        assert_eq!(
            parse("79228162514264337593543950336"),
            Err(NumberError::Range)
        );
        assert_eq!(
            parse("0.12345678901234567890123456789"),
            Err(NumberError::Precision)
        );
    }

    #[test]
    fn rounds_half_up_away_from_zero() {
        let r = Rounding::default();
        assert_eq!(display(d("89.995"), r), "90.00");
        assert_eq!(display(d("-3.125"), r), "-3.13");
        assert_eq!(display(d("79.996"), r), "80.00");
        assert_eq!(display(d("-0.001"), r), "0.00");
        assert_eq!(display(d("7"), r), "7.00");
    }

    #[test]
    fn rounds_by_mode() {
        assert_eq!(round(d("2.5"), 0, RoundMode::HalfEven), d("2"));
        assert_eq!(round(d("2.5"), 0, RoundMode::HalfDown), d("2"));
        assert_eq!(round(d("2.1"), 0, RoundMode::Up), d("3"));
        assert_eq!(round(d("-2.1"), 0, RoundMode::Floor), d("-3"));
        assert_eq!(round(d("-2.9"), 0, RoundMode::Ceiling), d("-2"));
        assert_eq!(round(d("2.9"), 0, RoundMode::Down), d("2"));
    }

    fn decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (0u64..1000, 0u32..4).prop_map(|(m, s)| Decimal::new(i64::try_from(m).unwrap_or(0), s)),
            (any::<u64>(), 0u32..29)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(i128::from(m), s)),
            (
                any::<u32>(),
                any::<u32>(),
                any::<u32>(),
                any::<bool>(),
                0u32..29
            )
                .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
            (-1000i64..0, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
            Just(Decimal::ZERO),
            Just(Decimal::new(0, 3)),
            Just(-Decimal::new(0, 2)),
            Just(Decimal::MAX),
        ]
    }

    proptest::proptest! {
        /// Where `Fixed` answers, it gives the very `Decimal` `rust_decimal` gives:
        /// the same value and the same scale (compared as text).
        #[test]
        fn fixed_arithmetic_is_rust_decimals(a in decimal(), b in decimal()) {
            let (fa, fb) = (Fixed::of(a), Fixed::of(b));
            // Every non-negative number of up to 64 bits has a `Fixed`, the same number.
            let fits = !a.is_sign_negative() && u64::try_from(a.mantissa()).is_ok();
            proptest::prop_assert_eq!(fa.is_some(), fits);
            if let Some(f) = fa {
                proptest::prop_assert_eq!(f.to_decimal().to_string(), a.to_string());
            }
            let (Some(fa), Some(fb)) = (fa, fb) else { return Ok(()) };
            // Numbers of everyday size always take the fast path.
            let small = |x: Decimal| x.mantissa() < 1 << 32 && x.scale() < 10;
            if small(a) && small(b) {
                proptest::prop_assert!(fa.mul(fb).is_some() && fa.add(fb).is_some());
            }
            if let Some(p) = fa.mul(fb) {
                proptest::prop_assert_eq!(Some(p.to_decimal().to_string()), a.checked_mul(b).map(|d| d.to_string()));
            }
            if let Some(s) = fa.add(fb) {
                proptest::prop_assert_eq!(Some(s.to_decimal().to_string()), a.checked_add(b).map(|d| d.to_string()));
            }
        }
    }

    #[test]
    fn fixed_answers_for_everyday_numbers() {
        let f = |s: &str| Fixed::of(d(s)).unwrap_or(Fixed::ZERO);
        let q = f("75").mul(f("0.25")).unwrap_or(Fixed::ZERO);
        assert_eq!(q.to_decimal().to_string(), "18.75");
        let sum = Fixed::ZERO.add(q).and_then(|s| s.add(f("25.00")));
        assert_eq!(
            sum.map(|s| s.to_decimal().to_string()),
            Some("43.75".into())
        );
        assert_eq!(
            f("0.00").mul(f("7")).map(Fixed::to_decimal),
            Some(Decimal::ZERO)
        );
        assert_eq!(Fixed::of(d("-1")), None);
    }
}
