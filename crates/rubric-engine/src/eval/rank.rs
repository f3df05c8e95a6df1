//! Ranking within a table and period: competition ranks (1, 1, 3) and forced
//! distributions by rank. Blank values get no rank and do not count.

use crate::decimal;
use crate::model::{LevelId, RoundMode};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Competition rank of each value: 1 + the number of values strictly better
/// (higher when `descending`). `None` for blank values.
pub(crate) fn competition(values: &[Option<Decimal>], descending: bool) -> Vec<Option<u64>> {
    let sorted = sorted(values);
    values
        .iter()
        .map(|v| v.map(|v| better_than(&sorted, v, descending).saturating_add(1)))
        .collect()
}

/// The tier of each value under `tiers` (best first, shares summing to 1), as
/// `model::ComputedDef::Quota` defines it. `None` for blank values.
pub(crate) fn quota(
    values: &[Option<Decimal>],
    tiers: &[(LevelId, Decimal)],
) -> Vec<Option<LevelId>> {
    let sorted = sorted(values);
    let n = u64::try_from(sorted.len()).unwrap_or(u64::MAX);
    let limits = limits(tiers, n);
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let rank = better_than(&sorted, v, true).saturating_add(1);
            let at_or_below =
                u64::try_from(sorted.partition_point(|x| *x <= v)).unwrap_or(u64::MAX);
            tier(tiers, &limits, rank, at_or_below)
        })
        .collect()
}

fn sorted(values: &[Option<Decimal>]) -> Vec<Decimal> {
    let mut s: Vec<Decimal> = values.iter().flatten().copied().collect();
    s.sort_unstable();
    s
}

/// How many of `sorted` are strictly better than `v`.
fn better_than(sorted: &[Decimal], v: Decimal, descending: bool) -> u64 {
    let count = if descending {
        sorted
            .len()
            .saturating_sub(sorted.partition_point(|x| *x <= v))
    } else {
        sorted.partition_point(|x| *x < v)
    };
    u64::try_from(count).unwrap_or(u64::MAX)
}

/// Per tier: the cumulative limit `round_half_up(share₁+…+shareᵢ)·n` for all but
/// the last tier, and `round_half_up(shareₖ·n)` for the last.
fn limits(tiers: &[(LevelId, Decimal)], n: u64) -> Vec<u64> {
    let n = Decimal::from(n);
    let last = tiers.len().saturating_sub(1);
    let mut cumulative = Decimal::ZERO;
    let mut out = Vec::with_capacity(tiers.len());
    for (i, (_, share)) in tiers.iter().enumerate() {
        cumulative = cumulative.checked_add(*share).unwrap_or(cumulative);
        let part = if i == last && i > 0 {
            *share
        } else {
            cumulative
        };
        let limit = part
            .checked_mul(n)
            .map(|x| decimal::round(x, 0, RoundMode::HalfUp));
        out.push(limit.and_then(|x| x.to_u64()).unwrap_or(0));
    }
    out
}

/// The tier a group takes (see [`tier_index`]).
fn tier(
    tiers: &[(LevelId, Decimal)],
    limits: &[u64],
    rank: u64,
    at_or_below: u64,
) -> Option<LevelId> {
    let index = tier_index(tiers.len(), limits, rank, at_or_below).1;
    tiers.get(index).map(|(level, _)| *level)
}

/// Whether each tier's limit admits the group, and the tier it takes: the first
/// tier by rank, else the last tier by the count of groups at or below it, else the
/// first middle tier whose cumulative limit admits it, else the last middle tier.
fn tier_index(tiers: usize, limits: &[u64], rank: u64, at_or_below: u64) -> (Vec<bool>, usize) {
    let last = tiers.saturating_sub(1);
    let qualifies = |i: usize, limit: u64| {
        if i == last && i > 0 {
            at_or_below <= limit
        } else {
            rank <= limit
        }
    };
    let tested: Vec<bool> = limits
        .iter()
        .enumerate()
        .map(|(i, l)| qualifies(i, *l))
        .collect();
    // The best tier first, then the worst, then the middle tiers in order: a group
    // at the bottom by count is not lifted into a middle tier by that tier's
    // cumulative limit, and a middle group that fits no limit takes the last middle tier.
    let middle = 1..last;
    let fallback = if last >= 2 { last - 1 } else { last };
    let index = std::iter::once(0)
        .chain((last > 0).then_some(last))
        .chain(middle)
        .find(|&i| tested.get(i).copied().unwrap_or(false))
        .unwrap_or(fallback);
    (tested, index)
}

/// Where one value stands among the values of its table and period, for
/// explaining a rank or a quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    /// Non-blank values compared.
    pub n: u64,
    /// How many are strictly better (higher when ranking highest first).
    pub better: u64,
    /// How many are at or below the value.
    pub at_or_below: u64,
    /// Per quota tier: its limit, as [`quota`] computes it.
    pub limits: Vec<u64>,
    /// Per quota tier: whether the value qualifies for it.
    pub qualifies: Vec<bool>,
    /// The quota tier chosen, by index.
    pub tier: usize,
}

/// The placement of `v` among `values`; `tiers` may be empty (a plain rank).
pub(crate) fn placement(
    values: &[Option<Decimal>],
    v: Decimal,
    descending: bool,
    tiers: &[(LevelId, Decimal)],
) -> Placement {
    let sorted = sorted(values);
    let n = u64::try_from(sorted.len()).unwrap_or(u64::MAX);
    let better = better_than(&sorted, v, descending);
    let at_or_below = u64::try_from(sorted.partition_point(|x| *x <= v)).unwrap_or(u64::MAX);
    let limits = limits(tiers, n);
    let rank = better_than(&sorted, v, true).saturating_add(1);
    let (qualifies, tier) = tier_index(tiers.len(), &limits, rank, at_or_below);
    Placement {
        n,
        better,
        at_or_below,
        limits,
        qualifies,
        tier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(xs: &[i64]) -> Vec<Option<Decimal>> {
        xs.iter().map(|x| Some(Decimal::from(*x))).collect()
    }

    #[test]
    fn ties_share_the_better_rank() {
        let ranks = competition(&nums(&[90, 95, 95, 80]), true);
        assert_eq!(ranks, vec![Some(3), Some(1), Some(1), Some(4)]);
        let ranks = competition(&nums(&[90, 95, 95, 80]), false);
        assert_eq!(ranks, vec![Some(2), Some(3), Some(3), Some(1)]);
        assert_eq!(
            competition(&[None, Some(Decimal::ONE)], true),
            vec![None, Some(1)]
        );
    }
}
