//! Progress reports while reading: monotonic, ending at the whole file.

use loyalty_analytics::ingest::{ReadOptions, ReadProgress};
use loyalty_analytics::Dataset;

#[test]
fn progress_is_reported_in_steps_and_ends_complete() {
    let mut text = String::from("customer_id,date,amount\n");
    for i in 0..200_000 {
        text.push_str(&format!(
            "c{},2024-01-{:02},{}.50\n",
            i % 5000,
            i % 28 + 1,
            i % 90
        ));
    }
    let mut seen: Vec<ReadProgress> = Vec::new();
    let mut ds = Dataset::default();
    ds.add_file_with(
        "big.csv",
        text.as_bytes(),
        &ReadOptions::default(),
        &mut |p| seen.push(p),
    )
    .unwrap();
    // 200,000 rows: reports at 65,536, 131,072 and 196,608 rows, then the end.
    assert_eq!(seen.len(), 4);
    assert!(seen
        .windows(2)
        .all(|w| w[0].rows_read < w[1].rows_read && w[0].bytes_read < w[1].bytes_read));
    let last = seen.last().unwrap();
    assert_eq!(
        (last.rows_read, last.bytes_read, last.bytes_total),
        (200_000, text.len() as u64, text.len() as u64)
    );
}
