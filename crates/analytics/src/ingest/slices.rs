//! A file of transactions read in slices, each slice by its own worker,
//! and joined in file order into exactly what reading the file whole
//! gives: the same rows, ids, accounting and so the same Report.
//!
//! The first worker reads the file from its start up to a slice start
//! ([`slice_start`]: just after a line feed); each later slice is read
//! apart ([`read_slice`]) with the table the file's head gives, its ids its
//! own and its lines counted from its first; [`Dataset::add_streamed_file`]
//! reads the first part (as it arrives, `streamed`) and joins the slices in order, interning their ids
//! in the order they met them (which is the order reading whole meets the
//! new ones) and shifting their lines.
//!
//! Only what reads the same either way is read in slices: UTF-8 text of
//! transactions whose head holds the whole sample the table is decided on,
//! and, when delimited, without a quote character (a line feed could be
//! inside a quoted field, and no slice could tell). Anything else is
//! refused (`None`) and the caller reads the file whole.

use std::future::Future;

use serde::{Deserialize, Serialize};

use super::*;
use crate::dataset::Transactions;

/// A slice of a file read apart from the rest: its rows, with ids that are
/// the slice's own, and what the reader counted.
#[derive(Debug, Clone, Default)]
pub struct SliceRead {
    /// What the rows were read with (layout, columns, roles, formats): the
    /// join checks that the file's start gives the same.
    pub table: String,
    /// Line feeds in the slice: the lines of the slices after it start
    /// that much later.
    pub lines: u64,
    pub transactions: Transactions,
    /// The slice's customer and order ids, first met first.
    pub customers: IdNames,
    pub orders: IdNames,
    pub tally: SliceTally,
}

/// Names end to end in one string, with where each ends: an interner's
/// names as they are kept, and as they travel between workers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdNames {
    pub text: String,
    pub ends: Vec<u32>,
}

impl IdNames {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The names in order; `None` when the ends do not cut the text into
    /// names (ascending, on character boundaries, within it).
    fn names(&self) -> Option<Vec<&str>> {
        let mut start = 0;
        let mut names = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            names.push(self.text.get(start..end as usize)?);
            start = end as usize;
        }
        Some(names)
    }
}

/// What the reader counted in a slice besides its rows, lines counted from
/// the slice's first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SliceTally {
    pub rows_read: u64,
    pub rows_used: u64,
    pub rejections: Vec<RejectionGroup>,
    pub returns: u64,
    pub returns_value: Vec<f64>,
    /// The slice's customer ids met on its rows, ascending.
    pub seen: Vec<u32>,
    pub blanked: Vec<BlankedCells>,
    pub segments: Vec<SliceSegment>,
}

/// Cells of an optional column that could not be read and were left blank:
/// how many, and the first one's line and value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlankedCells {
    pub column: usize,
    pub count: u64,
    pub line: u64,
    pub value: String,
}

/// A column still collected as a segment: its labels, first met first, and
/// each used row's label code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceSegment {
    pub column: usize,
    pub labels: Vec<String>,
    pub rows: Vec<u16>,
}

/// Where a slice may start at or after byte `at`: just after the next line
/// feed (a line feed byte is never inside a multi-byte UTF-8 character).
/// `None` when there is none before the end, or it is the last byte.
pub fn slice_start(bytes: &[u8], at: usize) -> Option<usize> {
    let after = at + bytes.get(at..)?.iter().position(|&b| b == b'\n')? + 1;
    (after < bytes.len()).then_some(after)
}

/// Reads `slice`, a later slice of `file` starting at a [`slice_start`],
/// with the table `head` (the file's first bytes, up to a line feed) gives.
/// `None` when the slice cannot be read apart (see the module's doc).
/// [`read_slice_streamed`](super::read_slice_streamed) with the slice at once.
pub fn read_slice(
    file: &str,
    head: &[u8],
    slice: &[u8],
    options: &ReadOptions,
) -> Option<SliceRead> {
    let mut piece = Some(slice);
    let reading =
        super::read_slice_streamed(file, head, async || piece.take(), slice.len(), options);
    ready_now(reading).flatten()
}

/// The output of a future that waits for nothing (its input is all here),
/// polled once; `None` if it would wait.
pub(super) fn ready_now<T>(future: impl Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

impl SliceRead {
    /// What a slice read with `table` into its own `dataset` hands over.
    pub(super) fn of(
        table: &Table<'_>,
        lines: u64,
        mut dataset: Dataset,
        tally: SliceTally,
    ) -> Self {
        let names = |interner: &mut crate::dataset::Tracked<crate::dataset::Interner>| {
            let (text, ends) = std::mem::take(&mut **interner).into_names();
            IdNames { text, ends }
        };
        SliceRead {
            table: table.reading_key(),
            lines,
            transactions: std::mem::take(&mut *dataset.transactions),
            customers: names(&mut dataset.customers),
            orders: names(&mut dataset.orders),
            tally,
        }
    }
}

impl SliceRead {
    /// Whether every id and count refers within the slice, so the join
    /// cannot index out of bounds (a slice comes from another worker).
    pub(super) fn is_whole(&self) -> bool {
        let rows = self.transactions.len();
        let (customers, orders) = (self.customers.len(), self.orders.len());
        self.customers.names().is_some()
            && self.orders.names().is_some()
            && self.transactions.day.len() == rows
            && self.transactions.amount.len() == rows
            && self.transactions.order.len() == rows
            && self.tally.rows_used == rows as u64
            && self.tally.rows_read >= self.tally.rows_used
            && self
                .transactions
                .customer
                .iter()
                .all(|&c| (c as usize) < customers)
            && self
                .transactions
                .order
                .iter()
                .flatten()
                .all(|o| (o as usize) < orders)
            && self.tally.seen.iter().all(|&c| (c as usize) < customers)
            && self.tally.segments.iter().all(|s| s.rows.len() == rows)
    }
}

impl IdNames {
    /// The names in order (for a slice that [`SliceRead::is_whole`]).
    pub(super) fn iter(&self) -> impl Iterator<Item = &str> {
        self.names().unwrap_or_default().into_iter()
    }
}

/// The text of a file's first bytes when they are read as UTF-8, as reading
/// the whole file would read them (no other encoding, no gzip, no workbook).
pub(super) fn first_text<'a>(
    file: &str,
    bytes: &'a [u8],
    options: &ReadOptions,
) -> Option<&'a str> {
    if options.encoding.is_some() || spreadsheet::is_spreadsheet(bytes) {
        return None;
    }
    match text::unpack(file, bytes).ok()? {
        (_, true) => None,
        _ => match text::decode(file, bytes).ok()? {
            text::Decoded {
                text: std::borrow::Cow::Borrowed(text),
                encoding,
            } if encoding == encoding_rs::UTF_8 => Some(text),
            _ => None,
        },
    }
}

/// The table was decided on as many records as the whole file gives it:
/// the first part (and the head a slice is read with) hold the full sample.
pub(super) fn holds_whole_sample(table: &Table<'_>) -> bool {
    sample_records(table.text, table.layout).len() > SAMPLE_RECORDS
}

/// Text of transactions that any line feed cuts into whole records.
pub(super) fn sliceable(table: &Table<'_>, text: &str) -> bool {
    table.kind == RecordKind::Transactions && layout::splits_at_line_feeds(text, table.layout)
}

impl Dataset {
    /// Reads `bytes` as a pool of workers does, in this thread: cut at the
    /// [`slice_start`] after each offset of `at`, the first part read here
    /// and every later slice apart, each as it arrives, `piece` bytes at a
    /// time,
    /// with the file's first `head` bytes (up to a line feed) as the head
    /// it is read with. For the tests and the fuzz target that hold it to
    /// reading whole; `None` as [`Dataset::add_streamed_file`], and when
    /// the cuts give no slice or a slice is refused (then before the first
    /// part is read).
    pub fn add_file_in_slices(
        &mut self,
        file: &str,
        bytes: &[u8],
        at: &[usize],
        head: usize,
        piece: usize,
        options: &ReadOptions,
    ) -> Option<Result<&FileSummary, IngestError>> {
        let mut starts: Vec<usize> = at.iter().filter_map(|&a| slice_start(bytes, a)).collect();
        starts.sort_unstable();
        starts.dedup();
        let first_end = *starts.first()?;
        let head_end = bytes[..head.min(first_end)]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let ends = starts[1..].iter().copied().chain([bytes.len()]);
        let read_later = |slice: &[u8]| {
            let mut pieces = slice.chunks(piece.max(1));
            let reading = super::read_slice_streamed(
                file,
                &bytes[..head_end],
                async || pieces.next(),
                slice.len(),
                options,
            );
            ready_now(reading).flatten()
        };
        let later = starts
            .iter()
            .zip(ends)
            .map(|(&s, e)| read_later(&bytes[s..e]))
            .collect::<Option<Vec<_>>>()?;
        let later_bytes = bytes.len() - first_end;
        let mut pieces = bytes[..first_end].chunks(piece.max(1));
        let mut no_progress = |_| {};
        // The pieces and slices are here already: it never waits.
        ready_now(self.add_streamed_file(
            file,
            async || pieces.next(),
            first_end,
            std::future::ready(Some(later)),
            later_bytes,
            options,
            &mut no_progress,
        ))
        .flatten()
    }
}
