//! Workbook bytes (XLSX / ODS zips, XLS OLE documents) through calamine, the
//! sheet-to-CSV step and the analysis: nothing may panic, hang or blow up
//! memory, and every loaded file accounts for each row it read
//! (`rows_read == rows_used + rows_rejected`).
//!
//! Random bytes almost never start with a zip or OLE signature, so the
//! `ingest` target does not reach this path. Seed the corpus with real
//! workbooks (tests/fixtures/superstore_500.xlsx / .xls and tiny ones):
//!
//! `cargo +nightly fuzz run spreadsheet -- -dict=spreadsheet.dict
//!  -max_total_time=300 -max_len=65536 -rss_limit_mb=2048 -timeout=10`
//!
//! Crash inputs are kept in `fuzz/regressions/spreadsheet-*.bin` and replayed
//! by `crates/analytics/tests/fuzz_regressions.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_analytics::{build_report, Dataset};

fuzz_target!(|data: &[u8]| {
    let mut dataset = Dataset::default();
    if let Ok(summary) = dataset.add_file("fuzz.xlsx", data) {
        assert_eq!(
            summary.rows_read,
            summary.rows_used + summary.rows_rejected,
            "{summary:?}"
        );
    } else {
        // On error the dataset is left as it was.
        assert!(dataset.transactions.is_empty());
        assert!(dataset.files.is_empty());
    }
    let report = build_report(&dataset);
    for summary in dataset.files.iter().chain(&report.files) {
        assert_eq!(
            summary.rows_read,
            summary.rows_used + summary.rows_rejected,
            "{summary:?}"
        );
    }
});
