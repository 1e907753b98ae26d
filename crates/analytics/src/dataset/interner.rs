//! Text ids (customers, orders) interned to dense `u32`s.

use rustc_hash::FxHashMap;

/// Maps each distinct text id to a dense `u32`, first seen first.
///
/// The names are kept once, end to end in one string; the table maps a
/// name's 64-bit hash to its id (the name itself is compared on a hit), and
/// the rare name whose hash another name already has goes to a small second
/// table. No allocation per name, and a third of the memory of a
/// `HashMap<String, u32>` beside a `Vec<String>`.
///
/// Most exports number their customers and orders ("17850", "536365"):
/// such a name is looked up by its value, which is exact, so the hit needs
/// no second and third memory access to compare the text (the table of a
/// million rows does not fit in the cache, and those accesses were most of
/// the parse). Small numbers, as most are, are looked up in a plain table
/// indexed by the value: a quarter of the hash table's memory and no
/// probing, which took the parse of 5M rows with a million customers from
/// 1.74 to 0.79-0.95 s natively (`loyalty report --timings`).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Id of each value below the table's length ([`NO_ID`] where none).
    by_small_number: Vec<u32>,
    /// Value of a name in canonical decimal form, at or past the length of
    /// `by_small_number`, -> its id.
    by_number: FxHashMap<u64, u32>,
    /// Hash of any other name -> the first id interned with that hash.
    by_hash: FxHashMap<u64, u32>,
    /// Names whose hash belongs to an earlier, different name.
    collided: FxHashMap<String, u32>,
    text: String,
    /// End of each name in `text`.
    ends: Vec<u32>,
}

/// Names from which [`Interner::prefetch`] pays: the small numbers' table
/// is then at least 1 MB (4 bytes a value), a hash table's more.
const PREFETCH_FROM_NAMES: usize = 1 << 18;

/// An empty slot of `by_small_number`.
const NO_ID: u32 = u32::MAX;

/// The values a table of `names` names may cover: at most 16 slots (64
/// bytes) a name, as much as a hash table's entry with its spare room, and
/// 65,536 slots (256 KB) to start with.
fn small_number_limit(names: usize) -> u64 {
    (names as u64).saturating_mul(16).max(1 << 16)
}

fn name_hash(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(name.as_bytes());
    hasher.finish()
}

/// The value of a name written as a decimal number without a sign or
/// leading zeros ("0", "17850"; not "007" or "+5", which stay text), so
/// that two names have the same value only when they are the same text.
fn canonical_number(name: &str) -> Option<u64> {
    let bytes = name.as_bytes();
    // 19 digits always fit in a u64.
    if bytes.is_empty() || bytes.len() > 19 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    bytes.iter().try_fold(0u64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u64::from(b - b'0'))
    })
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        let id = self.ends.len() as u32;
        if let Some(number) = canonical_number(name) {
            if number >= self.by_small_number.len() as u64
                && number < small_number_limit(self.ends.len())
            {
                self.cover_small_numbers(number);
            }
            // Compared as u64: on wasm32 `number as usize` would cut 2³² + 5
            // down to 5.
            if number < self.by_small_number.len() as u64 {
                let slot = &mut self.by_small_number[number as usize];
                if *slot != NO_ID {
                    return *slot;
                }
                *slot = id;
                return self.push_name(name);
            }
            match self.by_number.entry(number) {
                std::collections::hash_map::Entry::Occupied(slot) => return *slot.get(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(id);
                }
            }
            return self.push_name(name);
        }
        let hash = name_hash(name);
        match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                let known = *slot.get();
                if self.name(known) == Some(name) {
                    return known;
                }
                if let Some(&id) = self.collided.get(name) {
                    return id;
                }
                self.collided.insert(name.to_owned(), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
        }
        self.push_name(name)
    }

    /// Grows the table of small numbers to cover `number` (at least
    /// doubling it, within the limit), moving the values it now covers out
    /// of the hash table: a value is in one of the two, never both.
    fn cover_small_numbers(&mut self, number: u64) {
        let limit = small_number_limit(self.ends.len());
        let len = (number + 1)
            .max(self.by_small_number.len() as u64 * 2)
            .min(limit) as usize;
        self.by_small_number.resize(len, NO_ID);
        let covered = len as u64;
        if self.by_number.keys().any(|&v| v < covered) {
            let table = &mut self.by_small_number;
            self.by_number.retain(|&value, &mut id| {
                let small = value < covered;
                if small {
                    table[value as usize] = id;
                }
                !small
            });
        }
    }

    /// Whether the lookup tables are larger than a core's cache (a couple
    /// of MB): then [`Self::prefetch`] is worth its time.
    pub fn larger_than_cache(&self) -> bool {
        self.ends.len() >= PREFETCH_FROM_NAMES
    }

    /// Reads the table entry [`Self::intern`] would read for `name`, so
    /// that it is in the cache when `intern` comes: called for a block of
    /// names in a row, the reads overlap (`black_box`: the value is not
    /// used, only fetched).
    pub fn prefetch(&self, name: &str) {
        match canonical_number(name) {
            Some(number) if number < self.by_small_number.len() as u64 => {
                std::hint::black_box(self.by_small_number[number as usize]);
            }
            Some(number) => {
                std::hint::black_box(self.by_number.get(&number));
            }
            None => {
                std::hint::black_box(self.by_hash.get(&name_hash(name)));
            }
        }
    }

    /// Interns `names` in order, their ids in order; a block at a time
    /// [prefetched](Self::prefetch) when the tables are larger than the
    /// cache (the other worker's names, joined after a sliced read).
    pub fn intern_all<'n>(&mut self, names: impl Iterator<Item = &'n str>) -> Vec<u32> {
        const BLOCK: usize = 64;
        let mut ids = Vec::with_capacity(names.size_hint().0);
        let mut block: Vec<&str> = Vec::with_capacity(BLOCK);
        let mut names = names.peekable();
        while names.peek().is_some() {
            block.clear();
            block.extend(names.by_ref().take(BLOCK));
            if self.larger_than_cache() {
                block.iter().for_each(|name| self.prefetch(name));
            }
            ids.extend(block.iter().map(|name| self.intern(name)));
        }
        ids
    }

    /// Keeps a new name's text; its id is the next one.
    fn push_name(&mut self, name: &str) -> u32 {
        let id = self.ends.len() as u32;
        self.text.push_str(name);
        self.ends.push(self.text.len() as u32);
        id
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        let end = *self.ends.get(id as usize)? as usize;
        let start = match id {
            0 => 0,
            _ => self.ends[id as usize - 1] as usize,
        };
        Some(&self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The names, first seen first: end to end in one string, with where
    /// each ends (the form they are kept in, sent between workers as is).
    pub fn into_names(self) -> (String, Vec<u32>) {
        (self.text, self.ends)
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_ids_are_dense_first_seen_first_and_name_back() {
        let mut ids = Interner::default();
        let names = ["c1", "", "Иван", "c1", "c2", "", "c10", "c2"];
        let got: Vec<u32> = names.iter().map(|n| ids.intern(n)).collect();
        assert_eq!(got, [0, 1, 2, 0, 3, 1, 4, 3]);
        assert_eq!(ids.len(), 5);
        assert_eq!(
            (0..6).map(|i| ids.name(i)).collect::<Vec<_>>(),
            [
                Some("c1"),
                Some(""),
                Some("Иван"),
                Some("c2"),
                Some("c10"),
                None
            ]
        );
        // Names whose hashes collide still get ids of their own.
        let mut ids = Interner::default();
        ids.by_hash.insert(name_hash("a"), 0);
        ids.by_hash.insert(name_hash("b"), 0);
        ids.text.push('a');
        ids.ends.push(1);
        assert_eq!(
            (ids.intern("b"), ids.intern("b"), ids.intern("a")),
            (1, 1, 0)
        );
        assert_eq!(ids.name(1), Some("b"));
    }

    proptest::proptest! {
        /// Same id exactly for the same text, first seen first, text back.
        #[test]
        fn interning_is_a_bijection(names in proptest::collection::vec("[0-9]{0,3}|[0-9a]{1,3}", 0..60)) {
            let mut ids = Interner::default();
            let mut seen: Vec<&str> = Vec::new();
            for name in &names {
                let id = ids.intern(name);
                let expected = seen.iter().position(|s| s == name).unwrap_or_else(|| {
                    seen.push(name);
                    seen.len() - 1
                });
                proptest::prop_assert_eq!(id as usize, expected);
                proptest::prop_assert_eq!(ids.name(id), Some(name.as_str()));
            }
            proptest::prop_assert_eq!(ids.len(), seen.len());
        }
    }

    #[test]
    fn numbers_keep_their_ids_when_the_small_number_table_grows_over_them() {
        // 100,000 is past the table's first limit (65,536 values): it goes to
        // the hash table, and moves to the table once 6,300 names allow it
        // to cover 100,800 values.
        let mut ids = Interner::default();
        let big: Vec<u32> = (100_000..100_010)
            .map(|n| ids.intern(&n.to_string()))
            .collect();
        assert_eq!(big, (0..10).collect::<Vec<u32>>());
        assert!(ids.by_small_number.len() < 100_000);
        for n in 0..6_300u32 {
            assert_eq!(ids.intern(&n.to_string()), 10 + n);
        }
        let again: Vec<u32> = (100_000..100_010)
            .map(|n| ids.intern(&n.to_string()))
            .collect();
        assert_eq!(again, big);
        assert!(ids.by_small_number.len() > 100_010);
        assert!(ids.by_number.is_empty());
        assert_eq!(ids.name(3), Some("100003"));
        assert_eq!(ids.intern("4000000000"), 6_310);
        assert_eq!(ids.intern("4000000000"), 6_310);
        // Past 2³², with the low bits of a small number: its own id.
        assert_eq!(ids.intern("4294967301"), 6_311);
        assert_eq!(ids.intern("5"), 15);
    }

    proptest::proptest! {
        /// Numbers of every size, small (the table) and large (the hash
        /// table), with `pad` text names after each so the table's limit
        /// passes values already in the hash table (65,536 + 16 a name):
        /// the same id for the same text every time.
        #[test]
        fn interning_numbers_of_any_size_is_a_bijection(
            values in proptest::collection::vec(
                proptest::prop_oneof![0u64..300, 65_000u64..75_000, 0u64..u64::MAX],
                0..300,
            ),
            pad in 0usize..30,
        ) {
            let mut ids = Interner::default();
            let mut seen: std::collections::HashMap<String, usize> = Default::default();
            let names = values.iter().chain(&values).enumerate().flat_map(|(i, v)| {
                std::iter::once(v.to_string()).chain((0..pad).map(move |k| format!("p{i}-{k}")))
            });
            for name in names {
                let id = ids.intern(&name);
                let next = seen.len();
                let expected = *seen.entry(name.clone()).or_insert(next);
                proptest::prop_assert_eq!(id as usize, expected);
                proptest::prop_assert_eq!(ids.name(id), Some(name.as_str()));
            }
        }
    }

    #[test]
    fn numbered_names_keep_their_text() {
        // Numbers and text mixed: "7", "007" and "7.0" are three customers,
        // as in the file; the largest 19-digit number and a 20-digit one too.
        let mut ids = Interner::default();
        let names = [
            "7",
            "007",
            "7.0",
            "0",
            "00",
            "9999999999999999999",
            "18446744073709551616",
            "7",
            "c7",
            "0",
            "9999999999999999999",
            "18446744073709551616",
            "-7",
        ];
        let got: Vec<u32> = names.iter().map(|n| ids.intern(n)).collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 5, 6, 0, 7, 3, 5, 6, 8]);
        let back: Vec<&str> = (0..ids.len() as u32).filter_map(|i| ids.name(i)).collect();
        assert_eq!(
            back,
            [
                "7",
                "007",
                "7.0",
                "0",
                "00",
                "9999999999999999999",
                "18446744073709551616",
                "c7",
                "-7"
            ]
        );
        assert_eq!(canonical_number("17850"), Some(17_850));
        assert_eq!(canonical_number(""), None);
        assert_eq!(canonical_number("1 000"), None);
    }

    /// `intern_all` (a block at a time, prefetched once the tables are
    /// larger than the cache) gives the ids `intern` gives one by one:
    /// small numbers, large numbers and text, repeated, past the point
    /// where prefetching starts.
    #[test]
    fn interning_all_at_once_gives_the_ids_of_one_at_a_time() {
        let names: Vec<String> = (0..PREFETCH_FROM_NAMES as u64 + 70_000)
            .map(|i| {
                let k =
                    i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % (PREFETCH_FROM_NAMES as u64 + 9_000);
                match k % 3 {
                    0 => k.to_string(),
                    1 => (k + (1 << 40)).to_string(),
                    _ => format!("c{k}"),
                }
            })
            .collect();
        let mut one_by_one = Interner::default();
        let expected: Vec<u32> = names.iter().map(|n| one_by_one.intern(n)).collect();
        let mut at_once = Interner::default();
        let (head, tail) = names.split_at(PREFETCH_FROM_NAMES / 2);
        let mut got = at_once.intern_all(head.iter().map(String::as_str));
        got.extend(at_once.intern_all(tail.iter().map(String::as_str)));
        assert!(at_once.larger_than_cache());
        // Repeats among them, and more names than prefetching starts at.
        assert!(one_by_one.len() < names.len());
        assert_eq!(got, expected);
        assert_eq!(at_once.len(), one_by_one.len());
    }
}
