//! Spreadsheets (XLSX, XLS, ODS) through calamine: each sheet read becomes
//! CSV text for the same reader as every other file, one line per sheet row,
//! so messages name the row numbers the user sees in Excel.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};

use crate::IngestError;

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

/// Reads the `chosen` sheets (each must exist), or with none chosen every
/// sheet that has a non-empty row; empty sheets are left out.
///
/// calamine can panic on damaged workbooks (found by fuzzing). Natively the
/// panic is caught and named as a damaged file; in wasm a panic aborts, and
/// the page reports the stopped worker and starts a new one.
pub(crate) fn read_sheets(
    file: &str,
    bytes: &[u8],
    chosen: Option<&[String]>,
) -> Result<Workbook, IngestError> {
    std::panic::catch_unwind(|| read_sheets_unguarded(file, bytes, chosen)).unwrap_or_else(
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
    let mut sheets = Vec::new();
    for name in &names {
        if chosen.is_some_and(|c| !c.contains(name)) {
            continue;
        }
        let range = workbook.worksheet_range(name).map_err(|e| bad(file, e))?;
        let filled = range
            .rows()
            .filter(|row| row.iter().any(|c| *c != Data::Empty))
            .count();
        // One chosen sheet is read even when empty (and said to be so).
        if filled == 0 && chosen.is_none_or(|c| c.len() > 1) {
            continue;
        }
        let text = range_to_csv(&range).map_err(|e| bad(file, e))?;
        sheets.push(SheetText {
            name: name.clone(),
            filled,
            text,
        });
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

/// The range as CSV, starting at its own row in the sheet: empty lines stand
/// for the rows above it (empty lines are not records), so line N is row N.
/// Line breaks inside cells become spaces for the same reason.
fn range_to_csv(range: &calamine::Range<Data>) -> Result<String, csv::Error> {
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut out = "\n".repeat(first_row as usize).into_bytes();
    for row in range.rows() {
        // Blank rows inside the range are written as empty cells, so the
        // reader counts them (as blank rows) like every other row.
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        writer.write_record(&cells)?;
    }
    let mut body = writer.into_inner().map_err(|e| e.into_error())?;
    out.append(&mut body);
    // Every cell was a Rust string: the CSV is UTF-8.
    Ok(String::from_utf8(out).unwrap_or_default())
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
