//! Issue 20, "Bad input": a workbook's cells are held to the size limit. A
//! small XLSX can hold a sheet of millions of cells, or two cells at A1 and
//! XFD1048576 whose range is 17 billion cells; such a sheet is refused by
//! name, with its size, the limit and what to do, before its text is built,
//! and the other files dropped still read.
//!
//! The workbooks are written here (a stored zip of four XML parts), so their
//! cells are exactly what each test says.

use loyalty_analytics::ingest::RecordKind;
use loyalty_analytics::{build_report, Dataset, IngestError};

/// A zip of `parts` (name, content), stored without compression.
fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, content) in parts {
        let mut crc = flate2::Crc::new();
        crc.update(content.as_bytes());
        let offset = out.len() as u32;
        let size = content.len() as u32;
        // version 2.0, no flags, stored, 1980-01-01 00:00
        let common = |head: &mut Vec<u8>| {
            for half in [20u16, 0, 0, 0, 0x21] {
                head.extend_from_slice(&half.to_le_bytes());
            }
            for word in [crc.sum(), size, size] {
                head.extend_from_slice(&word.to_le_bytes());
            }
            head.extend_from_slice(&(name.len() as u16).to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(content.as_bytes());

        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut directory);
        // extra, comment, disk, internal and external attributes
        for half in [0u16, 0, 0, 0, 0, 0] {
            directory.extend_from_slice(&half.to_le_bytes());
        }
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    let count = parts.len() as u16;
    for half in [0u16, 0, count, count] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// An XLSX of one sheet, "Orders", declaring `dimension` and holding `rows`
/// (each a list of (reference, value); numbers as numbers, the rest as
/// inline strings).
fn xlsx(dimension: &str, rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    let mut sheet =
        format!(r#"<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>"#);
    for cells in rows {
        let row: String = cells[0].0.chars().filter(char::is_ascii_digit).collect();
        sheet += &format!(r#"<row r="{row}">"#);
        for (at, value) in cells {
            if value.parse::<f64>().is_ok() {
                sheet += &format!(r#"<c r="{at}"><v>{value}</v></c>"#);
            } else {
                sheet += &format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#);
            }
        }
        sheet += "</row>";
    }
    sheet += "</sheetData></worksheet>";
    zip(&[
        (
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// Three orders of two customers, from row 1.
fn orders() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![
            ("A1", "customer_id"),
            ("B1", "order_date"),
            ("C1", "amount"),
        ],
        vec![("A2", "c1"), ("B2", "2024-01-05"), ("C2", "10.5")],
        vec![("A3", "c2"), ("B3", "2024-02-11"), ("C3", "20")],
        vec![("A4", "c1"), ("B4", "2024-03-02"), ("C4", "7.25")],
    ]
}

/// The orders and one more cell, in the last cell of the sheet: a range of
/// all 17 billion cells, from a file of about a kilobyte.
fn spanning_the_sheet() -> Vec<u8> {
    let mut rows = orders();
    rows.push(vec![("XFD1048576", "1")]);
    xlsx("A1:XFD1048576", &rows)
}

#[test]
fn a_sheet_spanning_all_of_excel_is_refused_by_name() {
    let bytes = spanning_the_sheet();
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let mut ds = Dataset::default();
    let err = ds.add_file("huge.xlsx", &bytes).unwrap_err();
    assert_eq!(
        err,
        IngestError::SheetTooLarge {
            file: "huge.xlsx".into(),
            detail: "sheet 'Orders' spans at least 1048576 rows × 16384 columns \
                     (17179869184 cells), more than the 33554432 cells a sheet may have \
                     in the browser"
                .into(),
        }
    );
    let message = err.to_string();
    assert!(message.starts_with("huge.xlsx: "), "{message}");
    assert!(message.contains("per-customer summary"), "{message}");
}

/// Only the cells count: a sheet that declares the whole grid as its
/// dimension (some writers do) but holds a small table reads as before.
#[test]
fn a_declared_dimension_alone_is_not_refused() {
    let mut ds = Dataset::default();
    let summary = ds
        .add_file("declared.xlsx", &xlsx("A1:XFD1048576", &orders()))
        .unwrap();
    assert_eq!(summary.format, "xlsx");
    assert_eq!(summary.kind, RecordKind::Transactions);
    assert_eq!((summary.rows_read, summary.rows_used), (3, 3));
}

/// The refusal is the file's own: the dataset is left as it was, and the
/// files dropped with it (a workbook, a CSV) still read.
#[test]
fn the_other_files_still_read() {
    let mut ds = Dataset::default();
    ds.add_file("orders.xlsx", &xlsx("A1:C4", &orders()))
        .unwrap();
    assert!(ds.add_file("huge.xlsx", &spanning_the_sheet()).is_err());
    ds.add_file(
        "more.csv",
        b"customer_id,order_date,amount\nc3,2024-04-01,5\n",
    )
    .unwrap();
    let report = build_report(&ds);
    let files: Vec<&str> = report.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["orders.xlsx", "more.csv"]);
    assert_eq!(report.files.iter().map(|f| f.rows_used).sum::<u64>(), 4);
}
