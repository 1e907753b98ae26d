//! A file of transactions read as its bytes arrive: the browser copies a
//! file into wasm memory a few MB at a time, and each part up to its last
//! line feed is read while the next is being copied, then dropped; the
//! slices other workers read are joined after it ([`super::slices`]).
//!
//! It reads only what reads the same in slices (see `slices`): the table
//! is prepared on the first part once that holds the whole sample, and
//! every later piece starts just after a line feed, its lines counted on
//! from the lines before it. A piece that is not UTF-8, holds a quote or
//! starts with a byte order mark, or a binary byte where reading whole
//! would look for one, is refused (`None`): the rows read so far are
//! removed again and the caller reads the file whole.

use super::read::{FileReading, Part};
use super::slices::{first_text, holds_whole_sample, sliceable, SliceRead};

use super::*;

/// Where a piece of text ends that holds whole lines only: just after its
/// last line feed (0 when it has none).
fn whole_lines(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)
}

/// A later piece as text that reads the same alone as within the file.
fn piece_text(bytes: &[u8], at: usize, layout: Layout) -> Option<&str> {
    // Reading whole looks for a binary byte in the file's first 8 KB.
    let probe = text::BINARY_PROBE.saturating_sub(at).min(bytes.len());
    // A piece is read as a text of its own, whose byte order mark the csv
    // reader would drop; within the file it is a character of a cell.
    if text::first_binary_byte(&bytes[..probe]).is_some()
        || bytes.starts_with("\u{feff}".as_bytes())
    {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    layout::splits_at_line_feeds(text, layout).then_some(text)
}

/// Where the reading of pieces has come: lines and bytes before the next
/// piece.
struct Pieces {
    lines: u64,
    at: usize,
    /// For progress: the bytes of the part read.
    bytes_total: u64,
    /// The table's layout, which decides what a piece may hold.
    layout: Layout,
}

impl Pieces {
    /// One piece of whole lines (the last may lack its line feed at the
    /// end); `None`: refused.
    fn read(
        &mut self,
        reading: &mut FileReading<'_, '_>,
        bytes: &[u8],
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Option<()> {
        let text = piece_text(bytes, self.at, self.layout)?;
        let part = Part::piece(text, self.lines);
        reading.read_part(&part, false, self.at as u64, self.bytes_total, progress);
        self.lines += text::count_newlines(bytes) as u64;
        self.at += bytes.len();
        Some(())
    }

    /// The pieces `next` gives after `carry` (the start of a line), each up
    /// to its last line feed as it comes, the rest at the end (at once when
    /// `ended`): whether all could be read.
    async fn read_all<B: AsRef<[u8]>>(
        &mut self,
        reading: &mut FileReading<'_, '_>,
        mut carry: Vec<u8>,
        mut ended: bool,
        next: &mut impl AsyncFnMut() -> Option<B>,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> bool {
        loop {
            if ended {
                return self.read(reading, &carry, progress).is_some();
            }
            let Some(piece) = next().await else {
                ended = true;
                continue;
            };
            let piece = piece.as_ref();
            // The line the carry began, completed by the piece's first line
            // feed, then the piece in place up to its last one.
            let Some(first_feed) = piece.iter().position(|&b| b == b'\n') else {
                carry.extend_from_slice(piece);
                continue;
            };
            carry.extend_from_slice(&piece[..=first_feed]);
            let last = whole_lines(piece);
            if self.read(reading, &carry, progress).is_none()
                || self
                    .read(reading, &piece[first_feed + 1..last], progress)
                    .is_none()
            {
                return false;
            }
            carry.clear();
            carry.extend_from_slice(&piece[last..]);
        }
    }
}

/// [`read_slice`](super::read_slice) with the slice's bytes as they
/// arrive (`next`, `slice_bytes` in all): each piece read up to its last
/// line feed while the next is on its way.
pub async fn read_slice_streamed<B: AsRef<[u8]>>(
    file: &str,
    head: &[u8],
    mut next: impl AsyncFnMut() -> Option<B>,
    slice_bytes: usize,
    options: &ReadOptions,
) -> Option<SliceRead> {
    let head = first_text(file, head, options)?;
    let table = prepare(file, head, options).ok()?;
    // The slice's own text is checked piece by piece.
    if !holds_whole_sample(&table) || !sliceable(&table, "") {
        return None;
    }
    let mut dataset = Dataset::default();
    // Rows estimated from the head's (a row a line).
    let head_lines = text::count_newlines(head.as_bytes()).max(1);
    let rows = (head_lines as f64 * slice_bytes as f64 / head.len().max(1) as f64 * 1.02) as usize;
    let mut reading = FileReading::for_rows(&mut dataset, &table, rows + 1);
    let mut pieces = Pieces {
        lines: 0,
        at: 0,
        bytes_total: slice_bytes as u64,
        layout: table.layout,
    };
    let complete = pieces
        .read_all(&mut reading, Vec::new(), false, &mut next, &mut |_| {})
        .await;
    if !complete || pieces.at != slice_bytes {
        return None;
    }
    let tally = reading.into_slice();
    Some(SliceRead::of(&table, pieces.lines, dataset, tally))
}

impl Dataset {
    /// Reads a file of transactions whose first part (from its start up
    /// to a [`slice_start`](super::slice_start), or its end) arrives in
    /// pieces, and joins the slices after it that other workers read apart
    /// ([`read_slice_streamed`]): what reading the whole file gives. `next`
    /// gives the first part's bytes in order, in pieces of any length
    /// (`None` at the end); `first_bytes`, their total, and `later_bytes`,
    /// the slices', size the columns. The slices of `later` (none is fine)
    /// are awaited once the first part is read. `None`: refused, no row is
    /// kept (the ids met stay interned; they name no row), and the caller
    /// reads the file whole, from the start.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_streamed_file<B: AsRef<[u8]>>(
        &mut self,
        file: &str,
        mut next: impl AsyncFnMut() -> Option<B>,
        first_bytes: usize,
        later: impl std::future::Future<Output = Option<Vec<SliceRead>>>,
        later_bytes: usize,
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Option<Result<&FileSummary, IngestError>> {
        // The first part: pieces gathered until it holds the whole sample
        // (the browser's first piece, 1 MB, nearly always does).
        let mut first: Vec<u8> = Vec::new();
        let mut ended = false;
        // Where the table was last tried: tried again once the whole lines
        // have doubled (a table on more than the sample is the same table),
        // so small pieces do not prepare it once a line.
        let mut tried = 0;
        // `end`: where the text the table is prepared on ends in `first`
        // (the text itself may start later: after a byte order mark).
        let (table, end) = loop {
            match next().await {
                Some(piece) => first.extend_from_slice(piece.as_ref()),
                None => ended = true,
            }
            let end = if ended {
                first.len()
            } else {
                whole_lines(&first)
            };
            if !ended && (end == 0 || end < 2 * tried) {
                continue;
            }
            tried = end;
            let table = first_text(file, &first[..end], options)
                .and_then(|text| prepare(file, text, options).ok())?;
            if holds_whole_sample(&table) || ended {
                break (table, end);
            }
        };
        if !holds_whole_sample(&table) || !sliceable(&table, table.text) {
            return None;
        }
        let lines = text::count_newlines(table.text.as_bytes()) as u64;
        // The header and the lines skipped around it are within the first
        // part, as `Part::first` reads them.
        let beyond = |line: &u64| *line > lines;
        if table.header.as_ref().is_some_and(|(l, _)| beyond(l))
            || table.skipped_lines.iter().any(|(l, _)| beyond(l))
        {
            return None;
        }
        let before = self.start_read();
        let first_len = end;
        let bytes_total = first_bytes as u64;
        // Rows of the rest, estimated from their bytes (a row a line).
        let rest = first_bytes.saturating_sub(first_len) + later_bytes;
        let more_rows = (lines as f64 * rest as f64 / first_len.max(1) as f64 * 1.02) as usize;
        let mut reading = FileReading::for_rows(self, &table, lines as usize + 1 + more_rows);
        reading.read_part(&Part::first(&table, None), false, 0, bytes_total, progress);
        // Bytes after the last line feed so far, read with the next piece.
        // (The first part itself stays: the table reads its sample.)
        let carry = first[first_len..].to_vec();
        let mut pieces = Pieces {
            lines,
            at: first_len,
            bytes_total,
            layout: table.layout,
        };
        let complete = pieces
            .read_all(&mut reading, carry, ended, &mut next, progress)
            .await;
        let (lines, at) = (pieces.lines, pieces.at);
        // A refused piece leaves the slices unasked for.
        let slices = if complete { later.await } else { None };
        let summary = match slices {
            Some(slices)
                if at == first_bytes
                    && slices
                        .iter()
                        .all(|s| s.table == table.reading_key() && s.is_whole()) =>
            {
                let mut lines_before = lines;
                for slice in slices {
                    let slice_lines = slice.lines;
                    reading.join(slice, lines_before);
                    lines_before += slice_lines;
                }
                progress(ReadProgress {
                    rows_read: reading.accounting.rows_read,
                    bytes_read: bytes_total,
                    bytes_total,
                });
                Some(reading.finish(file, encoding_rs::UTF_8, false))
            }
            _ => None,
        };
        match summary {
            Some(Ok(summary)) => Some(Ok(self.keep_read(options, summary))),
            Some(Err(e)) => {
                self.undo_read(before);
                Some(Err(e))
            }
            None => {
                self.undo_read(before);
                None
            }
        }
    }
}
