//! Replays every input kept in `fuzz/regressions/` (crashes found by
//! `cargo +nightly fuzz run ingest`, and hand-made hostile files) through the
//! reader and the analysis: no panic, and each loaded file accounts for every
//! row it read (`rows_read == rows_used + rows_rejected`). The inputs kept
//! in `fuzz/regressions/slices/` (from `cargo +nightly fuzz run slices`)
//! are replayed through that target's check: read in slices, the same as
//! whole.

use std::fs;
use std::path::PathBuf;

use loyalty_analytics::{build_report, Dataset};

mod slices_support;

fn regressions_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/regressions"
    ))
}

#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = regressions_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", dir.display());

    for path in &paths {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut dataset = Dataset::default();
        if dataset.add_file("fuzz.csv", &bytes).is_err() {
            assert!(
                dataset.transactions.is_empty() && dataset.files.is_empty(),
                "{}: a failed file left rows behind",
                path.display()
            );
        }
        let report = build_report(&dataset);
        for summary in dataset.files.iter().chain(&report.files) {
            assert_eq!(
                summary.rows_read,
                summary.rows_used + summary.rows_rejected,
                "{}: rows do not add up: {summary:?}",
                path.display()
            );
        }
    }
}

#[test]
fn slices_regressions_read_as_whole() {
    let dir = regressions_dir().join("slices");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", dir.display());
    for path in &paths {
        let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let case = slices_support::FuzzCase::from_input(&data)
            .unwrap_or_else(|| panic!("{}: shorter than the 8 control bytes", path.display()));
        let accepted = case
            .check()
            .unwrap_or_else(|difference| panic!("{}: {difference}", path.display()));
        // The hand-made seeds are cut where slices are taken: a refusal
        // would leave them checking nothing.
        let seed = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("seed-"));
        assert!(accepted || !seed, "{}: slices refused", path.display());
    }
}
