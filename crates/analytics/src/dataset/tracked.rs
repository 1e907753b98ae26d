//! [`Tracked`]: a value that knows when it may have changed, so that what
//! was computed from it (the customer index, the report's rerun cache) is
//! never used for other contents.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where a [`Tracked`] value stands: which value it is and how often it was
/// borrowed mutably since. Two stamps are equal only when no change can have
/// happened between them.
pub type Stamp = (u64, u64);

/// Ids of tracked values, each new or cloned value getting its own.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A field of the [`Dataset`](super::Dataset): used as the value itself
/// (`Deref`), and every mutable borrow (`DerefMut`: a push, an assignment
/// of an element, `&mut` passed on) counts as a change. A value put in its
/// place (`=`, `mem::swap`) is another value with its own id, and a clone
/// gets a new id too, so no change goes unseen.
pub struct Tracked<T> {
    value: T,
    id: u64,
    edits: u64,
}

impl<T> Tracked<T> {
    pub fn new(value: T) -> Self {
        Tracked {
            value,
            id: next_id(),
            edits: 0,
        }
    }

    /// The value's current [`Stamp`] (an associated function, so that it
    /// does not hide a method of the value).
    pub fn stamp(this: &Self) -> Stamp {
        (this.id, this.edits)
    }

    pub fn into_inner(this: Self) -> T {
        this.value
    }
}

impl<T> Deref for Tracked<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Tracked<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        self.edits = self.edits.wrapping_add(1);
        &mut self.value
    }
}

impl<T> From<T> for Tracked<T> {
    fn from(value: T) -> Self {
        Tracked::new(value)
    }
}

impl<T: Default> Default for Tracked<T> {
    fn default() -> Self {
        Tracked::new(T::default())
    }
}

impl<T: Clone> Clone for Tracked<T> {
    fn clone(&self) -> Self {
        Tracked::new(self.value.clone())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Tracked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Tracked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: PartialEq> PartialEq<T> for Tracked<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

impl<'a, T> IntoIterator for &'a Tracked<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.value.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Tracked<Vec<T>> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.deref_mut().iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mutable_borrow_and_replacement_changes_the_stamp() {
        let mut v = Tracked::new(vec![1, 2]);
        let first = Tracked::stamp(&v);
        assert_eq!(v.len(), 2);
        assert_eq!(Tracked::stamp(&v), first, "reading is no change");
        v[0] = 3;
        let second = Tracked::stamp(&v);
        assert_ne!(second, first);
        let copy = v.clone();
        assert_ne!(Tracked::stamp(&copy), second, "a clone is another value");
        v = copy;
        assert_ne!(Tracked::stamp(&v), second);
        assert_eq!(v, vec![3, 2]);
    }
}
