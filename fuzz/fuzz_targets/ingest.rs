//! Arbitrary bytes through the whole reader and the analysis: nothing may
//! panic, and every loaded file accounts for each row it read
//! (`rows_read == rows_used + rows_rejected`).
//!
//! `cargo +nightly fuzz run ingest -- -max_total_time=240 -max_len=4096`
//! Crash inputs are kept in `fuzz/regressions/` and replayed by
//! `crates/analytics/tests/fuzz_regressions.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_analytics::{build_report, Dataset};

fuzz_target!(|data: &[u8]| {
    let mut dataset = Dataset::default();
    if let Ok(summary) = dataset.add_file("fuzz.csv", data) {
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
