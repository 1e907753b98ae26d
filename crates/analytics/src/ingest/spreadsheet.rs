//! Spreadsheets (XLSX, XLS, ODS) through calamine: each sheet read becomes
//! CSV text for the same reader as every other file, one line per sheet row,
//! so messages name the row numbers the user sees in Excel.
//!
//! A workbook is small on disk and large in memory: a zip of a few kilobytes
//! can hold millions of cells, or two cells at A1 and XFD1048576 that make
//! the sheet's range (what calamine holds, one value per cell of the
//! rectangle between its first and last used cell) 17 billion cells. So a
//! sheet is refused, by name, when its range would pass [`MAX_SHEET_CELLS`],
//! and the text built from the sheets stops at [`MAX_UNPACKED_BYTES`], the
//! limit a gzip file unpacks to; every larger buffer is asked for first, so
//! running out of memory is named rather than a trap.
//!
//! XLSX and XLSB sheets are read cell by cell ([`Xlsx::worksheet_cells_reader`])
//! and refused as soon as the cells seen pass the limit, before calamine
//! would build the range. XLS and ODS workbooks are read whole by calamine
//! when they are opened (XLS even reserves room for the rows × columns its
//! sheets declare, ODS refuses sheets past 100 million cells), so for them
//! the limit holds from the sheet's range on: its text is never built.
//!
//! [`Xlsx::worksheet_cells_reader`]: calamine::Xlsx::worksheet_cells_reader

use std::io::{Cursor, Write};

use calamine::{
    open_workbook_auto_from_rs, Cell, CellType, Data, DataRef, Range, Reader, Sheets, XlsxError,
};

use super::text::MAX_UNPACKED_BYTES;
use crate::IngestError;

/// What one cell costs while its sheet is read, in bytes: calamine holds a
/// cell read from XLSX as a `Cell<DataRef>` (24 bytes of value and 8 of
/// position in wasm32; 40 natively) until the sheet's range is built, then
/// as a `DataRef` (24 bytes in wasm32) in the range while its text is
/// written. The text of a cell is held to [`MAX_UNPACKED_BYTES`] apart.
pub(crate) const CELL_BYTES: u64 = 32;

/// The most cells a sheet's range may span: what fills the same gigabyte a
/// gzip file may unpack to ([`MAX_UNPACKED_BYTES`]) at [`CELL_BYTES`] a
/// cell, 33,554,432 cells. A sheet of Excel's full height (1,048,576 rows)
/// with 32 columns still reads; past that, the cells, the range and the
/// text together would crowd the 4 GB a browser gives wasm.
pub(crate) const MAX_SHEET_CELLS: u64 = MAX_UNPACKED_BYTES / CELL_BYTES;

/// How much of a workbook is read: the cells of one sheet's range, and the
/// bytes of text of all the sheets read. Tests pass small ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SheetLimits {
    pub cells: u64,
    pub text_bytes: u64,
}

impl SheetLimits {
    pub(crate) const BROWSER: SheetLimits = SheetLimits {
        cells: MAX_SHEET_CELLS,
        text_bytes: MAX_UNPACKED_BYTES,
    };
}

/// Zip (XLSX, ODS) and OLE compound documents (XLS).
pub(crate) fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// The sheets of a workbook to read, each as CSV text.
pub(crate) struct Workbook {
    /// "xlsx", "xls", "ods" (or "xlsb").
    pub format: &'static str,
    /// Every sheet of the workbook, in its order.
    pub names: Vec<String>,
    /// The chosen sheets, or (none chosen) every sheet with a non-empty
    /// row, in workbook order.
    pub sheets: Vec<SheetText>,
}

/// One sheet as CSV text.
pub(crate) struct SheetText {
    pub name: String,
    /// Rows with at least one non-empty cell.
    pub filled: usize,
    pub text: String,
}

fn bad(file: &str, detail: impl std::fmt::Display) -> IngestError {
    IngestError::BadSpreadsheet {
        file: file.into(),
        detail: detail.to_string(),
    }
}

fn too_large(file: &str, detail: String) -> IngestError {
    IngestError::SheetTooLarge {
        file: file.into(),
        detail,
    }
}

/// A sheet whose range passes the cell limit. `seen`: the sheet was stopped
/// while it was read, so it spans at least that much.
fn too_many_cells(
    file: &str,
    sheet: &str,
    (rows, columns): (u64, u64),
    cells: u64,
    limit: u64,
    seen: bool,
) -> IngestError {
    let at_least = if seen { "at least " } else { "" };
    too_large(
        file,
        format!(
            "sheet '{sheet}' spans {at_least}{rows} rows × {columns} columns \
             ({cells} cells), more than the {limit} cells a sheet may have in the browser"
        ),
    )
}

/// The text of the sheets read passes the byte limit at `sheet`.
fn too_much_text(file: &str, sheet: &str, limit: u64) -> IngestError {
    let limit = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{limit} bytes")
    };
    too_large(
        file,
        format!(
            "as text, the sheets up to sheet '{sheet}' are larger than {limit}, more than \
             the browser can hold"
        ),
    )
}

fn out_of_memory(file: &str, bytes: u64) -> IngestError {
    IngestError::OutOfMemory {
        file: file.into(),
        needed_mb: bytes.div_ceil(1024 * 1024),
    }
}

/// Reads the `chosen` sheets (each must exist), or with none chosen every
/// sheet that has a non-empty row; empty sheets are left out. A sheet past
/// [`SheetLimits::BROWSER`] stops the file with a message naming it.
///
/// calamine can panic on damaged workbooks (found by fuzzing). Natively the
/// panic is caught and named as a damaged file; in wasm a panic aborts, and
/// the page reports the stopped worker and starts a new one.
pub(crate) fn read_sheets(
    file: &str,
    bytes: &[u8],
    chosen: Option<&[String]>,
) -> Result<Workbook, IngestError> {
    read_sheets_at_most(file, bytes, chosen, SheetLimits::BROWSER)
}

/// [`read_sheets`] with the limits given (tests use small ones).
pub(crate) fn read_sheets_at_most(
    file: &str,
    bytes: &[u8],
    chosen: Option<&[String]>,
    limits: SheetLimits,
) -> Result<Workbook, IngestError> {
    std::panic::catch_unwind(|| read_sheets_unguarded(file, bytes, chosen, limits)).unwrap_or_else(
        |panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the reader stopped".into());
            // The reader's own words, first line only: enough to report, not a dump.
            let reason: String = reason
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(80)
                .collect();
            Err(bad(file, format!("the workbook is damaged: {reason}")))
        },
    )
}

fn read_sheets_unguarded(
    file: &str,
    bytes: &[u8],
    chosen: Option<&[String]>,
    limits: SheetLimits,
) -> Result<Workbook, IngestError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| bad(file, e))?;
    let format = match workbook {
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xls(_) => "xls",
        Sheets::Ods(_) => "ods",
        Sheets::Xlsb(_) => "xlsb",
    };
    let names = workbook.sheet_names();
    if let Some(missing) = chosen
        .into_iter()
        .flatten()
        .find(|wanted| !names.contains(wanted))
    {
        return Err(bad(
            file,
            format!(
                "there is no sheet '{missing}' (sheets: {})",
                names.join(", ")
            ),
        ));
    }
    // One chosen sheet is read even when empty (and said to be so).
    let keep_empty = chosen.is_some_and(|c| c.len() <= 1);
    let mut text = TextBudget {
        used: 0,
        limit: limits.text_bytes,
    };
    let mut sheets = Vec::new();
    for name in &names {
        if chosen.is_some_and(|c| !c.contains(name)) {
            continue;
        }
        let at = SheetAt { file, name, limits };
        let sheet = match &mut workbook {
            // Cell by cell, so the limit holds before the range is built.
            Sheets::Xlsx(book) => {
                let range = match book.worksheet_cells_reader(name) {
                    Ok(mut cells) => {
                        sparse_range(&at, || cells.next_cell().map_err(calamine::Error::Xlsx))?
                    }
                    // A chart sheet: no cells, as calamine's own
                    // `worksheet_range` has it.
                    Err(XlsxError::NotAWorksheet(_)) => Range::default(),
                    Err(e) => return Err(bad(file, calamine::Error::Xlsx(e))),
                };
                sheet_text(&at, &range, keep_empty, &mut text, data_ref_text)?
            }
            Sheets::Xlsb(book) => {
                let mut cells = book
                    .worksheet_cells_reader(name)
                    .map_err(|e| bad(file, calamine::Error::Xlsb(e)))?;
                let range = sparse_range(&at, || cells.next_cell().map_err(calamine::Error::Xlsb))?;
                sheet_text(&at, &range, keep_empty, &mut text, data_ref_text)?
            }
            // Read whole when the workbook was opened: checked from the range.
            book @ (Sheets::Xls(_) | Sheets::Ods(_)) => {
                let range = book.worksheet_range(name).map_err(|e| bad(file, e))?;
                sheet_text(&at, &range, keep_empty, &mut text, cell_text)?
            }
        };
        sheets.extend(sheet);
    }
    if sheets.is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    Ok(Workbook {
        format,
        names,
        sheets,
    })
}

/// The sheet being read, for messages and limits.
struct SheetAt<'a> {
    file: &'a str,
    name: &'a str,
    limits: SheetLimits,
}

/// Bytes of text written for the sheets so far, against their limit.
struct TextBudget {
    used: u64,
    limit: u64,
}

/// The non-empty cells `next` gives, as the range calamine would build of
/// them (`Range::from_sparse`, as its `worksheet_range` does). The range
/// spans the rectangle from the first used row and column to the last, one
/// value per cell: it is refused as soon as that rectangle, or the cells
/// read, pass the limit, and the room for it is asked for before it is built.
fn sparse_range<'a>(
    at: &SheetAt<'_>,
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, calamine::Error>,
) -> Result<Range<DataRef<'a>>, IngestError> {
    let limit = at.limits.cells;
    let most = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut cells: Vec<Cell<DataRef<'a>>> = Vec::new();
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0, 0));
    let mut area = 0;
    while let Some(cell) = next().map_err(|e| bad(at.file, e))? {
        // Blank cells (a style, no value) are not kept, as in calamine.
        if *cell.get_value() == DataRef::Empty {
            continue;
        }
        let (row, column) = cell.get_position();
        first = (first.0.min(row), first.1.min(column));
        last = (last.0.max(row), last.1.max(column));
        let size = (
            u64::from(last.0 - first.0) + 1,
            u64::from(last.1 - first.1) + 1,
        );
        area = size.0.saturating_mul(size.1);
        // A cell given twice counts twice: the list holds it twice.
        if area > limit || cells.len() >= most {
            let cells = area.max(cells.len() as u64 + 1);
            return Err(too_many_cells(at.file, at.name, size, cells, limit, true));
        }
        if cells.len() == cells.capacity() {
            let room = (cells.capacity() * 2).max(1024).min(most);
            cells
                .try_reserve_exact(room - cells.len())
                .map_err(|_| out_of_memory(at.file, bytes_of::<Cell<DataRef>>(room)))?;
        }
        cells.push(cell);
    }
    // `from_sparse` allocates the range without asking: ask for it first, so
    // that a refusal is named (the freed room is what it then gets).
    let dense = usize::try_from(area).unwrap_or(usize::MAX);
    Vec::<DataRef>::new()
        .try_reserve_exact(dense)
        .map_err(|_| out_of_memory(at.file, bytes_of::<DataRef>(dense)))?;
    Ok(Range::from_sparse(cells))
}

fn bytes_of<T>(count: usize) -> u64 {
    (count as u64).saturating_mul(std::mem::size_of::<T>() as u64)
}

/// The sheet as [`SheetText`] (`None`: empty, and not kept), after checking
/// its range against the cell limit and its text against what is left.
fn sheet_text<T: CellType>(
    at: &SheetAt<'_>,
    range: &Range<T>,
    keep_empty: bool,
    budget: &mut TextBudget,
    text_of: impl Fn(&T) -> String,
) -> Result<Option<SheetText>, IngestError> {
    let (rows, columns) = range.get_size();
    let size = (rows as u64, columns as u64);
    let cells = size.0.saturating_mul(size.1);
    if cells > at.limits.cells {
        return Err(too_many_cells(
            at.file,
            at.name,
            size,
            cells,
            at.limits.cells,
            false,
        ));
    }
    let filled = range
        .rows()
        .filter(|row| row.iter().any(|c| *c != T::default()))
        .count();
    if filled == 0 && !keep_empty {
        return Ok(None);
    }
    let left = budget.limit.saturating_sub(budget.used);
    let text = range_to_csv(range, left, text_of).map_err(|stop| match stop {
        TextStop::Capped(Capped::TooLarge) => too_much_text(at.file, at.name, budget.limit),
        TextStop::Capped(Capped::OutOfMemory(bytes)) => out_of_memory(at.file, bytes as u64),
        TextStop::Csv(e) => bad(at.file, e),
    })?;
    budget.used += text.len() as u64;
    Ok(Some(SheetText {
        name: at.name.to_string(),
        filled,
        text,
    }))
}

/// Why a sheet's text stopped.
enum TextStop {
    Capped(Capped),
    Csv(csv::Error),
}

/// Why [`CappedText`] refused to grow.
#[derive(Debug, Clone, Copy)]
enum Capped {
    /// It would pass the bytes it may have.
    TooLarge,
    /// The room for this many bytes was refused.
    OutOfMemory(usize),
}

/// Text that grows to at most `limit` bytes, asking for each larger buffer
/// (doubling, never past the limit), and records why it stopped.
struct CappedText {
    bytes: Vec<u8>,
    limit: usize,
    stop: Option<Capped>,
}

impl CappedText {
    /// Why a write failed: the cap, else the writer's own error.
    fn stopped(&self, error: impl Into<csv::Error>) -> TextStop {
        self.stop
            .map_or_else(|| TextStop::Csv(error.into()), TextStop::Capped)
    }
}

impl Write for CappedText {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let needed = self.bytes.len().saturating_add(data.len());
        if needed > self.limit {
            self.stop = Some(Capped::TooLarge);
            return Err(std::io::Error::other("past the text limit"));
        }
        if needed > self.bytes.capacity() {
            let room = needed
                .max(self.bytes.capacity().saturating_mul(2))
                .min(self.limit);
            if self
                .bytes
                .try_reserve_exact(room - self.bytes.len())
                .is_err()
            {
                self.stop = Some(Capped::OutOfMemory(room));
                return Err(std::io::Error::other("out of memory"));
            }
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The range as CSV, starting at its own row in the sheet: empty lines stand
/// for the rows above it (empty lines are not records), so line N is row N.
/// Line breaks inside cells become spaces for the same reason. The text
/// stops at `limit` bytes.
fn range_to_csv<T: CellType>(
    range: &Range<T>,
    limit: u64,
    text_of: impl Fn(&T) -> String,
) -> Result<String, TextStop> {
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut out = CappedText {
        bytes: Vec::new(),
        limit: usize::try_from(limit).unwrap_or(usize::MAX),
        stop: None,
    };
    let mut above = first_row as usize;
    while above > 0 {
        let lines = above.min(4096);
        if let Err(e) = out.write_all(&[b'\n'; 4096][..lines]) {
            return Err(out.stopped(e));
        }
        above -= lines;
    }
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
    for row in range.rows() {
        // Blank rows inside the range are written as empty cells, so the
        // reader counts them (as blank rows) like every other row.
        let cells: Vec<String> = row.iter().map(&text_of).collect();
        if let Err(e) = writer.write_record(&cells) {
            return Err(writer.get_ref().stopped(e));
        }
    }
    if let Err(e) = writer.flush() {
        return Err(writer.get_ref().stopped(e));
    }
    let out = writer
        .into_inner()
        .map_err(|back| TextStop::Csv(back.into_error().into()))?;
    // Every cell was a Rust string: the CSV is UTF-8.
    Ok(String::from_utf8(out.bytes).unwrap_or_default())
}

/// A cell read by reference (XLSX, XLSB) as [`cell_text`] has it.
fn data_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(s) => s.replace(['\r', '\n'], " "),
        DataRef::String(s) => s.replace(['\r', '\n'], " "),
        other => cell_text(&Data::from(other.clone())),
    }
}

/// A cell as the text a CSV export of it would hold: numbers in full
/// precision, dates as ISO, line breaks inside a cell as spaces.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel's dates run from serial 0 to 2958465 (9999-12-31); outside that,
        // calamine's conversion panics inside chrono (found by fuzzing).
        Data::DateTime(dt) if dt.is_datetime() && (0.0..2_958_466.0).contains(&dt.as_f64()) => {
            match dt.as_datetime() {
                Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => dt.as_f64().to_string(),
            }
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    const NO_LIMIT: SheetLimits = SheetLimits {
        cells: u64::MAX,
        text_bytes: u64::MAX,
    };

    /// Rows × columns of each sheet's range, as calamine builds it.
    fn range_sizes(bytes: &[u8]) -> Vec<(String, (usize, usize))> {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let size = book.worksheet_range(&name).unwrap().get_size();
                (name, size)
            })
            .collect()
    }

    fn detail(err: &IngestError) -> &str {
        match err {
            IngestError::SheetTooLarge { detail, .. } => detail,
            other => panic!("{other:?}"),
        }
    }

    /// The largest sheet of each format is refused one cell past the limit,
    /// by file, sheet, size and limit, with what to do; at the limit the
    /// workbook reads as without one (and as `read_sheets` reads it).
    #[test]
    fn a_sheet_past_the_cell_limit_is_refused_by_name() {
        for name in [
            "superstore_500.xlsx",
            "superstore_500.xls",
            "superstore_500.ods",
        ] {
            let bytes = fixture(name);
            let (sheet, (rows, columns)) = range_sizes(&bytes)
                .into_iter()
                .max_by_key(|(_, (r, c))| r * c)
                .unwrap();
            let cells = (rows * columns) as u64;
            let at = |cells| SheetLimits {
                cells,
                text_bytes: u64::MAX,
            };
            let err = read_sheets_at_most(name, &bytes, None, at(cells - 1))
                .err()
                .expect("refused");
            // XLSX is stopped as its cells are read, the others from the range.
            let at_least = if name.ends_with("xlsx") {
                "at least "
            } else {
                ""
            };
            assert_eq!(
                detail(&err),
                format!(
                    "sheet '{sheet}' spans {at_least}{rows} rows × {columns} columns \
                     ({cells} cells), more than the {} cells a sheet may have in the \
                     browser",
                    cells - 1
                ),
                "{name}"
            );
            assert!(err.to_string().starts_with(&format!("{name}: ")), "{err}");

            let unlimited = read_sheets_at_most(name, &bytes, None, NO_LIMIT).unwrap();
            // As before: XLSX read cell by cell gives the text of calamine's
            // own `worksheet_range`.
            let mut calamine_book = open_workbook_auto_from_rs(Cursor::new(&bytes[..])).unwrap();
            for sheet in &unlimited.sheets {
                let range = calamine_book.worksheet_range(&sheet.name).unwrap();
                let text = range_to_csv(&range, u64::MAX, cell_text).ok().unwrap();
                assert_eq!(sheet.text, text, "{name} {}", sheet.name);
            }
            let at_limit = read_sheets_at_most(name, &bytes, None, at(cells)).unwrap();
            let browser = read_sheets(name, &bytes, None).unwrap();
            for book in [&at_limit, &browser] {
                assert_eq!(book.names, unlimited.names);
                assert_eq!(book.sheets.len(), unlimited.sheets.len());
                for (a, b) in book.sheets.iter().zip(&unlimited.sheets) {
                    assert_eq!((&a.name, a.filled, &a.text), (&b.name, b.filled, &b.text));
                }
            }
        }
    }

    /// The text of all the sheets read stops at its limit, naming the sheet
    /// that passed it; at the limit every sheet reads.
    #[test]
    fn the_sheets_text_stops_at_its_limit() {
        let name = "orders_by_year.xlsx";
        let bytes = fixture(name);
        let book = read_sheets_at_most(name, &bytes, None, NO_LIMIT).unwrap();
        assert!(book.sheets.len() >= 2, "{:?}", book.names);
        let total: usize = book.sheets.iter().map(|s| s.text.len()).sum();
        let last = &book.sheets.last().unwrap().name;
        let limits = |text_bytes| SheetLimits {
            cells: MAX_SHEET_CELLS,
            text_bytes,
        };
        let err = read_sheets_at_most(name, &bytes, None, limits(total as u64 - 1))
            .err()
            .expect("refused");
        assert_eq!(
            detail(&err),
            format!(
                "as text, the sheets up to sheet '{last}' are larger than {} bytes, more \
                 than the browser can hold",
                total - 1
            )
        );
        let read = read_sheets_at_most(name, &bytes, None, limits(total as u64)).unwrap();
        assert_eq!(read.sheets.len(), book.sheets.len());
        // A sheet chosen alone has the whole limit to itself.
        let only = std::slice::from_ref(last);
        let one = read_sheets_at_most(name, &bytes, Some(only), limits(total as u64 - 1));
        assert_eq!(
            one.unwrap().sheets[0].text,
            book.sheets.last().unwrap().text
        );
    }

    /// Two cells at A1 and XFD1048576 make a range of 17 billion cells:
    /// refused at the second cell, before anything that size is built.
    #[test]
    fn cells_far_apart_are_refused_as_they_are_read() {
        let at = SheetAt {
            file: "far.xlsx",
            name: "Orders",
            limits: SheetLimits::BROWSER,
        };
        let mut cells = vec![
            Cell::new((0, 0), DataRef::SharedString("id")),
            Cell::new((1_048_575, 16_383), DataRef::Int(1)),
            Cell::new((2, 2), DataRef::Int(2)),
        ]
        .into_iter();
        let err = sparse_range(&at, || Ok(cells.next())).unwrap_err();
        assert_eq!(
            detail(&err),
            "sheet 'Orders' spans at least 1048576 rows × 16384 columns (17179869184 cells), \
             more than the 33554432 cells a sheet may have in the browser"
        );
        // The third cell was never asked for.
        assert_eq!(cells.len(), 1);
    }

    /// The same cell given again and again counts each time (the list of
    /// cells holds them all), though the range stays one cell.
    #[test]
    fn a_cell_repeated_past_the_limit_is_refused() {
        let at = SheetAt {
            file: "same.xlsx",
            name: "S",
            limits: SheetLimits {
                cells: 100,
                text_bytes: u64::MAX,
            },
        };
        let mut given = 0;
        let err = sparse_range(&at, || {
            given += 1;
            Ok(Some(Cell::new((0, 0), DataRef::Int(given))))
        })
        .unwrap_err();
        assert!(
            detail(&err).starts_with("sheet 'S' spans at least 1 rows × 1 columns (101 cells)"),
            "{err}"
        );
        assert_eq!(given, 101);
    }

    /// With no cell limit, a range too large to allocate is named as the
    /// memory it asks for, not a crash.
    #[test]
    fn a_range_past_memory_is_named_as_such() {
        let at = SheetAt {
            file: "vast.xlsx",
            name: "S",
            limits: NO_LIMIT,
        };
        let mut cells = vec![
            Cell::new((0, 0), DataRef::Int(1)),
            Cell::new((u32::MAX - 1, u32::MAX - 1), DataRef::Int(2)),
        ]
        .into_iter();
        let err = sparse_range(&at, || Ok(cells.next())).unwrap_err();
        assert!(
            matches!(&err, IngestError::OutOfMemory { file, needed_mb } if file == "vast.xlsx" && *needed_mb > 1 << 20),
            "{err:?}"
        );
    }

    /// Rows above the range are empty lines, counted against the limit too.
    #[test]
    fn the_lines_above_the_range_count_against_the_limit() {
        let range = Range::from_sparse(vec![Cell::new((10_000, 0), Data::Int(1))]);
        let text = range_to_csv(&range, 10_002, cell_text).ok().unwrap();
        assert_eq!(text.len(), 10_002);
        assert!(text.starts_with("\n\n") && text.ends_with("\n1\n"));
        assert!(matches!(
            range_to_csv(&range, 10_001, cell_text),
            Err(TextStop::Capped(Capped::TooLarge))
        ));
        assert!(matches!(
            range_to_csv(&range, 9_999, cell_text),
            Err(TextStop::Capped(Capped::TooLarge))
        ));
    }
}
