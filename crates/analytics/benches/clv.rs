//! Time of the CLV models on a large transactions file: the summary, the
//! BG/NBD, Pareto/NBD and Gamma-Gamma fits, predictions with 12-month CLV,
//! and the whole CLV section (summary + fits + predictions + intervals + CLV
//! by month and segment + RFM + ABC/XYZ + simple CLV), without and with a
//! holdout.
//!
//! The file: `LOYALTY_CLV_BENCH_FILE` (default /tmp/tx_1m.csv), made with
//!   python shared/bench/anchors/gen.py 1000000 /tmp/tx_1m.csv
//! (1,000,000 rows, 198,742 customers, a BG/NBD process with lognormal spend;
//! pandas + lifetimes take about 4 s for summary + fits + CLV on it).
//!
//! Run with `cargo bench -p loyalty-analytics --bench clv`.
//!
//! Measured 2026-11-23 on the 2-core dev machine while other builds ran
//! (load average about 5), native release build: summary 45 ms, BG/NBD fit
//! 203 ms, Gamma-Gamma fit 61 ms, predictions + 12-month CLV for all 198,742
//! customers 95 ms, whole section 469 ms. py_anchor.py (pandas + lifetimes
//! 0.11.3) on the same file in the same minutes: summary 0.97 s, BG/NBD
//! 1.99 s, Gamma-Gamma 0.71 s, CLV 1.56 s (repeat customers only); the same
//! parameters to 6 digits.
//!
//! 2026-12-03, quiet machine, after the analytic Hessians (Newton until the
//! gradient is flat), the wasm-safe f64 hashing and predictions without the
//! monthly table: summary 40 ms, BG/NBD fit 70 ms (was 240 the same morning),
//! Gamma-Gamma 18 ms (85), predictions 47 ms (81), whole section 240 ms (514).
//!
//! 2026-12-05, issue 21 (Pareto/NBD beside BG/NBD, 90% intervals, CLV per
//! month and by segment), 2-core dev machine with another engineer's builds
//! running: summary 34 ms, BG/NBD 41 ms, Pareto/NBD 132 ms (on its sample of
//! 4,000 of the 142k histories; 12.6 s on all of them), Gamma-Gamma 12 ms,
//! predictions with 12-month CLV 48 ms, whole section 366 ms without a
//! calibration end (the intervals' 200 draws on 200 histories take about 85
//! ms of it) and 570 ms with the last 6 months as holdout (both models'
//! holdout checks: Pareto/NBD's P(alive) for every calibration customer).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::bgnbd::fit_bgnbd;
use loyalty_analytics::models::clv::{predict, ClvTerms};
use loyalty_analytics::models::gamma_gamma::fit_gamma_gamma;
use loyalty_analytics::models::pareto_nbd::fit_pareto_nbd;
use loyalty_analytics::models::summary::{PurchaseHistories, TimeUnit};
use loyalty_analytics::models::{ClvAnalysis, ClvSettings};
use loyalty_analytics::Dataset;

fn dataset() -> Dataset {
    let path = std::env::var("LOYALTY_CLV_BENCH_FILE").unwrap_or_else(|_| "/tmp/tx_1m.csv".into());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{path}: {e}. Set LOYALTY_CLV_BENCH_FILE or run \
             `python shared/bench/anchors/gen.py 1000000 /tmp/tx_1m.csv`"
        )
    });
    let mut ds = Dataset::default();
    ds.add_file(&path, &bytes)
        .expect("readable transactions file");
    ds
}

fn bench(c: &mut Criterion) {
    let ds = dataset();
    let unit = TimeUnit::Day;
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), unit);
    let repeat: Vec<&CustomerSummary> = rows
        .iter()
        .filter(|s| s.frequency > 0.0 && s.monetary_value.is_some_and(|m| m > 0.0))
        .collect();
    let x: Vec<f64> = repeat.iter().map(|s| s.frequency).collect();
    let m: Vec<f64> = repeat.iter().map(|s| s.monetary_value.unwrap()).collect();
    let bg = fit_bgnbd(&rows).unwrap();
    let gg = fit_gamma_gamma(&x, &m).unwrap();
    eprintln!(
        "{} rows, {} customers, {} distinct (x, t_x, T); BG/NBD {:?} in {} iterations; GG {:?}",
        ds.transactions.len(),
        rows.len(),
        bg.distinct_triples,
        bg.params,
        bg.iterations,
        gg.params
    );
    let terms = ClvTerms {
        first_month: 1,
        unit,
        horizon_months: 12,
        discount_rate: 0.01,
        margin: 1.0,
    };

    let mut group = c.benchmark_group("clv");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("summary", |b| {
        b.iter(|| {
            let h = PurchaseHistories::from_transactions(black_box(&ds.transactions));
            h.summaries(h.last_day.unwrap(), unit)
        })
    });
    group.bench_function("bgnbd_fit", |b| {
        b.iter(|| fit_bgnbd(black_box(&rows)).unwrap())
    });
    group.bench_function("pareto_nbd_fit", |b| {
        b.iter(|| fit_pareto_nbd(black_box(&rows)).unwrap())
    });
    group.bench_function("gamma_gamma_fit", |b| {
        b.iter(|| fit_gamma_gamma(black_box(&x), black_box(&m)).unwrap())
    });
    group.bench_function("predict_clv_12_months", |b| {
        b.iter(|| predict(&bg.params, Some(&gg.params), black_box(&rows), &terms))
    });
    // The page's settings (weeks), as the browser benchmark runs them.
    let settings = ClvSettings::default();
    group.bench_function("section", |b| {
        b.iter(|| ClvAnalysis::new(black_box(&ds), &settings))
    });
    // With the last 6 months as the holdout: both models scored on it.
    let with_holdout = ClvSettings {
        calibration_end: "2024-06-30".parse().ok(),
        ..settings
    };
    group.bench_function("section_with_holdout", |b| {
        b.iter(|| ClvAnalysis::new(black_box(&ds), &with_holdout))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
