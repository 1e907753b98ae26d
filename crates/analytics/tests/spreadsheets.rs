//! Workbooks read as the same table as their CSV twin. The fixtures are made
//! by tests/fixtures/make_spreadsheets.py with openpyxl (XLSX), xlwt (XLS) and
//! pandas + odfpy (ODS), writers independent of the reader (calamine) under test.
//!
//! Expected figures for the 500-row Superstore slice (Python csv module):
//!   500 rows, 199 customers, 231 orders, fsum(Sales) 129426.32,
//!   Order Date 2018-02-12 .. 2021-12-28.

use loyalty_analytics::ingest::{RecordKind, RejectReason};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, Report};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn report_of(name: &str) -> Report {
    let mut ds = Dataset::default();
    ds.add_file(name, &fixture(name)).unwrap();
    build_report(&ds)
}

/// The figures about customers and purchases, without the per-file accounting.
fn purchase_view(r: &Report) -> (Vec<(String, f64)>, String) {
    let metrics = [
        metric::CUSTOMERS,
        metric::TRANSACTIONS,
        metric::ORDERS,
        metric::REVENUE,
        metric::REPEAT_RATE,
    ]
    .iter()
    .map(|id| (id.to_string(), r.metric(id).unwrap()))
    .collect();
    (
        metrics,
        format!(
            "{:?} {:?} {:?}",
            r.first_date, r.last_date, r.monthly_activity
        ),
    )
}

#[test]
fn csv_xlsx_and_xls_give_the_same_figures() {
    let csv = report_of("superstore_500.csv");
    assert_eq!(csv.metric(metric::CUSTOMERS), Some(199.0));
    assert_eq!(csv.metric(metric::ORDERS), Some(231.0));
    assert!((csv.metric(metric::REVENUE).unwrap() - 129_426.32).abs() < 0.005);
    assert_eq!(csv.first_date, "2018-02-12".parse().ok());
    assert_eq!(csv.last_date, "2021-12-28".parse().ok());
    for workbook in [
        "superstore_500.xlsx",
        "superstore_500.xls",
        "superstore_500.ods",
    ] {
        assert_eq!(
            purchase_view(&report_of(workbook)),
            purchase_view(&csv),
            "{workbook}"
        );
    }
}

#[test]
fn xlsx_data_sheet_found_below_its_title() {
    let report = report_of("superstore_500.xlsx");
    let file = &report.files[0];
    assert_eq!(file.format, "xlsx");
    assert_eq!(file.kind, RecordKind::Transactions);
    assert_eq!(
        file.sheets,
        vec!["Read me".to_string(), "Orders".to_string()]
    );
    assert_eq!(file.sheet.as_deref(), Some("Orders"));
    // Row 1 the title, row 2 blank, row 3 the header, rows 4..503 the data.
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (502, 500, 2)
    );
    let found: Vec<(RejectReason, u64)> = file
        .rejections
        .iter()
        .flat_map(|g| g.examples.iter().map(move |e| (g.reason, e.line)))
        .collect();
    assert_eq!(
        found,
        vec![(RejectReason::BlankRow, 2), (RejectReason::TitleRow, 1)]
    );
}

#[test]
fn a_named_sheet_can_be_chosen_and_a_missing_one_is_named() {
    use loyalty_analytics::ingest::ReadOptions;
    let bytes = fixture("superstore_500.xlsx");
    let mut ds = Dataset::default();
    let options = ReadOptions {
        sheet: Some("Read me".into()),
        ..ReadOptions::default()
    };
    // The "Read me" sheet has one line of prose: no known columns.
    let err = ds
        .add_file_with("superstore_500.xlsx", &bytes, &options, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("no known columns"), "{err}");
    let options = ReadOptions {
        sheet: Some("Summary".into()),
        ..ReadOptions::default()
    };
    let err = ds
        .add_file_with("superstore_500.xlsx", &bytes, &options, &mut |_| {})
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("there is no sheet 'Summary' (sheets: Read me, Orders)"),
        "{err}"
    );
}
