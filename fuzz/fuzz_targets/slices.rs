//! A file read in slices, as the worker pool reads it (the first part by
//! one worker, each later slice apart by another, then joined), gives the
//! same rows, ids, accounting, file summary and Report as the file read
//! whole, for any cut points and any number of slices; refused slices
//! leave the dataset as it was. The input is 8 control bytes (cuts, head,
//! an earlier file) and the text: `FuzzCase` in the shared support file.
//!
//! `cargo +nightly fuzz run slices -- -max_total_time=240 -max_len=8192`
//! Crash inputs are kept in `fuzz/regressions/slices/` and replayed by
//! `crates/analytics/tests/fuzz_regressions.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/analytics/tests/slices_support/mod.rs"]
mod slices_support;

fuzz_target!(|data: &[u8]| {
    if let Some(case) = slices_support::FuzzCase::from_input(data) {
        if let Err(difference) = case.check() {
            panic!("read in slices differs from whole: {difference}");
        }
    }
});
