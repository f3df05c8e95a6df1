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
}
