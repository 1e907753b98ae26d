//! Spreadsheets (XLSX, XLS, ODS) through calamine: the chosen sheet becomes
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

/// One sheet of a workbook, as CSV text.
pub(crate) struct Sheet {
    /// "xlsx", "xls", "ods" (or "xlsb").
    pub format: &'static str,
    pub names: Vec<String>,
    pub chosen: String,
    pub text: String,
}

fn bad(file: &str, detail: impl std::fmt::Display) -> IngestError {
    IngestError::BadSpreadsheet {
        file: file.into(),
        detail: detail.to_string(),
    }
}

/// Reads `sheet`, or else the first sheet with at least two non-empty rows.
///
/// calamine can panic on damaged workbooks (found by fuzzing). Natively the
/// panic is caught and named as a damaged file; in wasm a panic aborts, and
/// the page reports the stopped worker and starts a new one.
pub(crate) fn read_sheet(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Sheet, IngestError> {
    std::panic::catch_unwind(|| read_sheet_unguarded(file, bytes, sheet)).unwrap_or_else(|panic| {
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
    })
}

fn read_sheet_unguarded(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Sheet, IngestError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| bad(file, e))?;
    let format = match workbook {
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xls(_) => "xls",
        Sheets::Ods(_) => "ods",
        Sheets::Xlsb(_) => "xlsb",
    };
    let names = workbook.sheet_names();
    let candidates: Vec<String> = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => vec![wanted.to_string()],
        Some(wanted) => {
            return Err(bad(
                file,
                format!(
                    "there is no sheet '{wanted}' (sheets: {})",
                    names.join(", ")
                ),
            ));
        }
        None => names.clone(),
    };
    for name in candidates {
        let range = workbook.worksheet_range(&name).map_err(|e| bad(file, e))?;
        let filled = range
            .rows()
            .filter(|row| row.iter().any(|c| *c != Data::Empty))
            .count();
        if filled >= 2 || sheet.is_some() {
            let text = range_to_csv(&range).map_err(|e| bad(file, e))?;
            return Ok(Sheet {
                format,
                names,
                chosen: name,
                text,
            });
        }
    }
    Err(IngestError::Empty { file: file.into() })
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
