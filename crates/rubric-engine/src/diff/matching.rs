//! Matching items of the two sides by name, and recognising renames: an item only in
//! the old side and one only in the new side with the same body are one item renamed.

use std::collections::HashMap;

pub(crate) use crate::print::Aliases;

/// How an old item and a new item correspond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pair {
    /// The same name on both sides.
    Both(usize, usize),
    /// Different names, identical bodies.
    Renamed(usize, usize),
    /// Only in the old side.
    Removed(usize),
    /// Only in the new side.
    Added(usize),
}

/// An item to match: its name and its body in comparable form (printed in the old
/// side's names).
pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) body: String,
}

/// Pairs items by name, then unpaired items by identical body (first come, first
/// served). Old items come first in old order, then the added ones in new order.
pub(crate) fn pair_up(old: &[Item], new: &[Item]) -> Vec<Pair> {
    // A name written twice (two rules with the same reason) pairs by occurrence.
    let keyed = |items: &[Item]| -> Vec<(String, usize)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        items
            .iter()
            .map(|x| {
                let k = seen.entry(x.name.as_str()).or_insert(0);
                *k += 1;
                (x.name.clone(), *k)
            })
            .collect()
    };
    let (old_keys, new_keys) = (keyed(old), keyed(new));
    let new_index: HashMap<&(String, usize), usize> =
        new_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let old_names: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, x)| (x.name.as_str(), i))
        .collect();
    let mut taken = vec![false; new.len()];
    let mut pairs = Vec::with_capacity(old.len() + new.len());
    for (i, key) in old_keys.iter().enumerate() {
        if let Some(&j) = new_index.get(key) {
            if let Some(t) = taken.get_mut(j) {
                *t = true;
            }
            pairs.push(Pair::Both(i, j));
        } else {
            pairs.push(Pair::Removed(i));
        }
    }
    for p in pairs.iter_mut() {
        let Pair::Removed(i) = *p else { continue };
        let Some(o) = old.get(i) else { continue };
        let found = new.iter().enumerate().position(|(j, n)| {
            !taken.get(j).copied().unwrap_or(true)
                && !old_names.contains_key(n.name.as_str())
                && n.body == o.body
        });
        if let Some(j) = found {
            if let Some(t) = taken.get_mut(j) {
                *t = true;
            }
            *p = Pair::Renamed(i, j);
        }
    }
    for (j, t) in taken.iter().enumerate() {
        if !t {
            pairs.push(Pair::Added(j));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(xs: &[(&str, &str)]) -> Vec<Item> {
        xs.iter()
            .map(|(n, b)| Item {
                name: n.to_string(),
                body: b.to_string(),
            })
            .collect()
    }

    #[test]
    fn repeated_names_pair_in_order() {
        let old = items(&[("a", "1"), ("a", "2")]);
        let new = items(&[("a", "1"), ("a", "3")]);
        assert_eq!(pair_up(&old, &new), [Pair::Both(0, 0), Pair::Both(1, 1)]);
    }

    #[test]
    fn pairs_by_name_then_by_body() {
        let old = items(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = items(&[("c", "3"), ("a", "9"), ("d", "2"), ("e", "5")]);
        assert_eq!(
            pair_up(&old, &new),
            [
                Pair::Both(0, 1),
                Pair::Renamed(1, 2),
                Pair::Both(2, 0),
                Pair::Added(3)
            ]
        );
    }
}
