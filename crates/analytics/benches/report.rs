//! Parse, analysis and settings-change rerun on the browser benchmark's
//! file: `shared/bench/anchors/gen.py 1000000` (23 MB, 198,742 customers,
//! BG/NBD purchases, sorted by date). Generate it first:
//!
//! ```text
//! python3 shared/bench/anchors/gen.py 1000000 /tmp/tx_1m.csv
//! LOYALTY_BENCH_FILE=/tmp/tx_1m.csv cargo bench -p loyalty-analytics --bench report
//! ```
//!
//! `LOYALTY_BENCH_FILE` defaults to `/tmp/tx_1m.csv`; without the file the
//! bench says so and measures nothing.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::{build_report_with, Dataset, Settings};

fn report(c: &mut Criterion) {
    let path = std::env::var("LOYALTY_BENCH_FILE").unwrap_or_else(|_| "/tmp/tx_1m.csv".into());
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{path} not found: generate it with shared/bench/anchors/gen.py");
        return;
    };
    let mut dataset = Dataset::default();
    dataset.add_file("tx.csv", &bytes).expect("file loads");
    let rows = dataset.transactions.len() as u64;
    let rerun = Settings {
        period: Period::Week,
        churn_window_days: 60,
        ..Settings::default()
    };

    let mut group = c.benchmark_group("gen_py");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut dataset = Dataset::default();
            dataset
                .add_file("tx.csv", black_box(&bytes))
                .expect("file loads");
            dataset.transactions.len()
        })
    });
    group.throughput(Throughput::Elements(rows));
    // A clone of the dataset has empty caches: a first analysis each time.
    group.bench_function("analyze", |b| {
        b.iter_batched(
            || dataset.clone(),
            |fresh| build_report_with(black_box(&fresh), &Settings::default()),
            BatchSize::LargeInput,
        )
    });
    // Reruns on the kept dataset, alternating between the default settings
    // and week / 60 days, so that each one changes the period and the churn
    // window (as the page does) instead of repeating the last settings.
    let mut flip = false;
    group.bench_function("rerun_week_60d", |b| {
        b.iter(|| {
            flip = !flip;
            let settings = if flip { &rerun } else { &Settings::default() };
            build_report_with(black_box(&dataset), settings)
        })
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
