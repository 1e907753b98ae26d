//! Finding the shared real data sets: one setting, `LOYALTY_DATA_DIR`
//! (default `../shared/data` from the workspace root). A missing folder fails
//! the test by name instead of letting it pass without data.

use std::path::PathBuf;

pub fn data_file(relative: &str) -> PathBuf {
    let dir = std::env::var_os("LOYALTY_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let path = dir.join(relative);
    assert!(
        path.is_file(),
        "data set {} not found: set LOYALTY_DATA_DIR to the shared data folder (now {})",
        relative,
        dir.display()
    );
    path
}

pub fn read(relative: &str) -> Vec<u8> {
    std::fs::read(data_file(relative)).expect("readable data file")
}
