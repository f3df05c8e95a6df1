//! Maps keyed by text, for the hot path: a text of up to 16 bytes is found by its
//! length and its bytes read in place as two words — a hash of two integers and no
//! string comparison — a longer one by its text.

use rustc_hash::FxHashMap as HashMap;

/// Text → value.
pub(crate) struct TextMap<V> {
    /// Texts of up to 16 bytes, indexed by length.
    short: Vec<HashMap<(u64, u64), V>>,
    long: HashMap<Box<str>, V>,
}

impl<V> Default for TextMap<V> {
    fn default() -> Self {
        TextMap {
            short: Vec::new(),
            long: HashMap::default(),
        }
    }
}

impl<V: Copy> TextMap<V> {
    /// The value of `text`, inserting `value` when there is none yet.
    pub(crate) fn insert(&mut self, text: &str, value: V) -> V {
        match words(text.as_bytes()) {
            Some(key) => {
                let len = text.len();
                if self.short.len() <= len {
                    self.short.resize_with(len + 1, HashMap::default);
                }
                match self.short.get_mut(len) {
                    Some(map) => *map.entry(key).or_insert(value),
                    None => value,
                }
            }
            None => *self.long.entry(text.into()).or_insert(value),
        }
    }

    /// The value of `text`.
    pub(crate) fn get(&self, text: &str) -> Option<V> {
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Texts are found by length and two words exactly as by their text: every
        /// text inserted finds its value (the first one given), and any other text
        /// none (texts of one alphabet, so that they share prefixes and suffixes).
        #[test]
        fn texts_are_found_as_by_their_text(
            labels in proptest::collection::vec("[ab好]{0,8}", 1..12),
            probes in proptest::collection::vec("[ab好]{0,8}", 0..12),
        ) {
            let mut index = TextMap::default();
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
}
