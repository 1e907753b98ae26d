//! A column of optional values kept in the value's own width.

/// A value with one of its own set aside to mean "none".
pub trait Absent: Copy {
    const NONE: Self;
    fn is_none(self) -> bool;
}

/// Amounts: NaN is no amount (the reader never keeps a NaN as one).
impl Absent for f64 {
    const NONE: f64 = f64::NAN;
    fn is_none(self) -> bool {
        self.is_nan()
    }
}

/// Interned ids: they are dense from 0, so `u32::MAX` is never one.
impl Absent for u32 {
    const NONE: u32 = u32::MAX;
    fn is_none(self) -> bool {
        self == u32::MAX
    }
}

/// `Vec<Option<T>>` in half the memory: 8 bytes a row for an amount rather
/// than 16, 4 for an id rather than 8 (at 5M rows, 57 MB less for as long
/// as the data is loaded). A column with no value at all (a file without
/// order ids, or without amounts) keeps none: 4 bytes a row less for the
/// order ids of most exports (19 MB at 5M rows, 76 MB at 20M).
#[derive(Debug, Clone)]
pub struct OptionalColumn<T> {
    /// Rows, with or without a value.
    len: usize,
    /// Each row's value, [`Absent::NONE`] where none; empty while no row
    /// has one (else `len` long).
    values: Vec<T>,
    /// Rows reserved for: the values are allocated once, when the first
    /// one comes.
    reserved: usize,
}

impl<T> Default for OptionalColumn<T> {
    fn default() -> Self {
        OptionalColumn {
            len: 0,
            values: Vec::new(),
            reserved: 0,
        }
    }
}

/// The values of an [`OptionalColumn`], row by row.
pub struct Values<'a, T> {
    values: std::slice::Iter<'a, T>,
    /// Rows left past `values` (a column without values).
    nones: usize,
}

impl<T: Absent> Iterator for Values<'_, T> {
    type Item = Option<T>;

    #[inline]
    fn next(&mut self) -> Option<Option<T>> {
        if let Some(&v) = self.values.next() {
            return Some((!v.is_none()).then_some(v));
        }
        (self.nones > 0).then(|| {
            self.nones -= 1;
            None
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.values.len() + self.nones;
        (n, Some(n))
    }
}

impl<T: Absent> ExactSizeIterator for Values<'_, T> {}

impl<T: Absent> OptionalColumn<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `i`'s value; `None` when it has none. Panics past the end, as
    /// indexing does.
    #[inline(always)]
    pub fn at(&self, i: usize) -> Option<T> {
        match self.values.get(i) {
            Some(&v) => (!v.is_none()).then_some(v),
            None => {
                assert!(i < self.len, "row {i} of a column of {}", self.len);
                None
            }
        }
    }

    /// Row `i`'s value, `None` also past the end.
    pub fn get(&self, i: usize) -> Option<T> {
        self.values.get(i).copied().filter(|v| !v.is_none())
    }

    pub fn iter(&self) -> Values<'_, T> {
        Values {
            values: self.values.iter(),
            nones: self.len - self.values.len(),
        }
    }

    /// Whether any row has a value.
    pub fn any(&self) -> bool {
        self.values.iter().any(|v| !v.is_none())
    }

    /// Gives every row its slot, the first time a value comes.
    fn materialise(&mut self) {
        if self.values.is_empty() {
            self.values
                .reserve_exact(self.reserved.max(self.len + 1) - self.values.len());
            self.values.resize(self.len, T::NONE);
        }
    }

    pub fn push(&mut self, value: Option<T>) {
        match value.filter(|v| !v.is_none()) {
            Some(v) => {
                self.materialise();
                self.values.push(v);
            }
            None if !self.values.is_empty() => self.values.push(T::NONE),
            None => {}
        }
        self.len += 1;
    }

    /// Sets row `i`'s value. Panics past the end, as indexing does.
    pub fn set(&mut self, i: usize, value: Option<T>) {
        assert!(i < self.len, "row {i} of a column of {}", self.len);
        match value.filter(|v| !v.is_none()) {
            Some(v) => {
                self.materialise();
                self.values[i] = v;
            }
            None if !self.values.is_empty() => self.values[i] = T::NONE,
            None => {}
        }
    }

    /// Sets the rows of `range` to none (those within the column).
    pub fn clear_range(&mut self, range: std::ops::Range<usize>) {
        let end = range.end.min(self.values.len());
        if let Some(values) = self.values.get_mut(range.start.min(end)..end) {
            values.fill(T::NONE);
        }
    }

    /// The values as kept, [`Absent::NONE`] where none, and empty when no
    /// row has one (sent between workers as a typed array).
    pub fn into_raw(self) -> Vec<T> {
        self.values
    }

    /// [`OptionalColumn::into_raw`]'s values back as a column of `rows`
    /// rows; `None` when they are neither empty nor one per row.
    pub fn from_raw(values: Vec<T>, rows: usize) -> Option<Self> {
        (values.is_empty() || values.len() == rows).then_some(OptionalColumn {
            len: rows,
            values,
            reserved: 0,
        })
    }

    /// Appends `other`'s values, each through `map` (none stays none).
    pub(crate) fn extend_mapped(&mut self, other: &OptionalColumn<T>, map: impl Fn(T) -> T) {
        if !other.values.is_empty() {
            self.materialise();
            self.values.extend(
                other
                    .values
                    .iter()
                    .map(|&v| if v.is_none() { v } else { map(v) }),
            );
        } else if !self.values.is_empty() {
            self.values.extend(std::iter::repeat_n(T::NONE, other.len));
        }
        self.len += other.len;
    }

    pub(crate) fn reserve_exact(&mut self, additional: usize) {
        self.reserved = self.len + additional;
        if !self.values.is_empty() {
            self.values.reserve_exact(additional);
        }
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.values.truncate(len);
        self.len = self.len.min(len);
    }
}

/// Rows compare by their values: a column without any equals one whose
/// rows are all none.
impl<T: Absent + PartialEq> PartialEq for OptionalColumn<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Absent> FromIterator<Option<T>> for OptionalColumn<T> {
    fn from_iter<I: IntoIterator<Item = Option<T>>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut column = OptionalColumn::default();
        column.reserve_exact(iter.size_hint().0);
        for value in iter {
            column.push(value);
        }
        column
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// What goes in comes out, row by row, by every accessor.
        #[test]
        fn values_and_nones_come_back_as_pushed(
            amounts in proptest::collection::vec(
                proptest::option::of(proptest::num::f64::NORMAL | proptest::num::f64::ZERO),
                0..50,
            ),
            ids in proptest::collection::vec(proptest::option::of(0u32..u32::MAX), 0..50),
        ) {
            let mut column = OptionalColumn::default();
            for &a in &amounts {
                column.push(a);
            }
            proptest::prop_assert_eq!(column.iter().collect::<Vec<_>>(), amounts.clone());
            for (i, &a) in amounts.iter().enumerate() {
                proptest::prop_assert_eq!(column.at(i), a);
                proptest::prop_assert_eq!(column.get(i), a);
            }
            proptest::prop_assert_eq!(column.get(amounts.len()), None);
            proptest::prop_assert_eq!(column.any(), amounts.iter().any(Option::is_some));
            let column: OptionalColumn<u32> = ids.iter().copied().collect();
            proptest::prop_assert_eq!(column.iter().collect::<Vec<_>>(), ids);
        }
    }

    #[test]
    fn set_and_clear_a_range() {
        let mut column: OptionalColumn<f64> = [Some(1.0), None, Some(-2.5), Some(0.0)]
            .into_iter()
            .collect();
        column.set(1, Some(7.0));
        column.clear_range(2..3);
        column.clear_range(3..9);
        assert_eq!(
            column.iter().collect::<Vec<_>>(),
            [Some(1.0), Some(7.0), None, None]
        );
        column.truncate(1);
        assert_eq!(column.len(), 1);
    }
}
