//! Throughput of the text reader and of the analysis on a synthetic
//! transactions export: 1,000,000 rows of `customer_id,date,amount`, about
//! 200,000 customers, dates 2023-01-01..2024-12-30, amounts with 2 decimals.
//!
//! Run with `cargo bench -p loyalty-analytics --bench ingest`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::{build_report, Dataset};

const ROWS: usize = 1_000_000;
const CUSTOMERS: u64 = 200_000;
/// 2023-01-01 through 2024-12-30.
const DAYS: usize = 730;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn transactions_csv() -> Vec<u8> {
    let dates: Vec<String> = NaiveDate::from_ymd_opt(2023, 1, 1)
        .expect("valid date")
        .iter_days()
        .take(DAYS)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(dates.last().map(String::as_str), Some("2024-12-30"));

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut csv = String::with_capacity(ROWS * 32);
    csv.push_str("customer_id,date,amount\n");
    for _ in 0..ROWS {
        let customer = 100_000 + rng.below(CUSTOMERS);
        let date = &dates[rng.below(DAYS as u64) as usize];
        let cents = 100 + rng.below(50_000);
        writeln!(csv, "{customer},{date},{}.{:02}", cents / 100, cents % 100)
            .expect("writing to a String");
    }
    csv.into_bytes()
}

fn load(bytes: &[u8]) -> Dataset {
    let mut dataset = Dataset::default();
    dataset
        .add_file("tx.csv", bytes)
        .expect("synthetic file loads");
    dataset
}

fn ingest(c: &mut Criterion) {
    let bytes = transactions_csv();
    let dataset = load(&bytes);
    let summary = &dataset.files[0];
    assert_eq!(summary.rows_read, ROWS as u64);
    assert_eq!(summary.rows_used, ROWS as u64);

    let mut group = c.benchmark_group("ingest_1m_rows");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15));

    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut dataset = Dataset::default();
            let summary = dataset
                .add_file("tx.csv", black_box(&bytes))
                .expect("synthetic file loads");
            summary.rows_used
        })
    });

    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("build_report", |b| {
        b.iter(|| build_report(black_box(&dataset)))
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
