//! A plain binary (no criterion) for instruction counts and output checks.
//!
//! ```text
//! cargo bench -p loyalty-analytics --bench probe --no-run   # prints the binary
//! probe parse  FILE            # read FILE once
//! probe report FILE            # read, then build the default report once
//! probe rerun  FILE            # read, default report, then week / 60-day report
//! probe golden OUT_DIR FILE... # write report JSON for each FILE (several
//!                              # files joined with '+') and settings
//! probe time   FILE [N]        # wall-clock of each phase, best of N
//! ```
//!
//! Each timed phase is an `#[inline(never)]` function, so callgrind can count
//! it alone: `valgrind --tool=callgrind --toggle-collect='probe::parse_file'
//! PROBE parse FILE` (and `probe::report`, `probe::rerun_report`).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::{build_report_with, Dataset, Report, Settings};

#[inline(never)]
fn parse_file(name: &str, bytes: &[u8]) -> Dataset {
    let mut dataset = Dataset::default();
    dataset.add_file(name, bytes).expect("file loads");
    dataset
}

#[inline(never)]
fn report(dataset: &Dataset) -> Report {
    build_report_with(dataset, &Settings::default())
}

fn other_settings() -> Settings {
    Settings {
        period: Period::Week,
        churn_window_days: 60,
        ..Settings::default()
    }
}

#[inline(never)]
fn rerun_report(dataset: &Dataset) -> Report {
    build_report_with(dataset, &other_settings())
}

macro_rules! phase {
    ($name:ident, $body:expr) => {
        #[inline(never)]
        fn $name(dataset: &Dataset, settings: &Settings) -> impl Sized {
            let _ = settings;
            black_box($body(dataset, settings))
        }
    };
}

use loyalty_analytics::metrics as m;
phase!(ph_base, |d: &Dataset, _| m::base::base_figures(
    &d.transactions
));
phase!(ph_monthly, |d: &Dataset, _| m::base::monthly_activity(
    &d.transactions
));
phase!(ph_cohorts, |d: &Dataset, _| m::retention::cohort_matrix(
    &d.transactions,
    Period::Month
));
phase!(ph_period_retention, |d: &Dataset, s: &Settings| {
    m::customer_base::period_retention(&d.transactions, s.period, s.churn_window_days)
});
phase!(ph_lifecycle, |d: &Dataset, s: &Settings| {
    m::lifecycle::lifecycle(&d.transactions, s.period)
});
phase!(ph_patterns, |d: &Dataset, _| {
    m::purchase_patterns::purchase_patterns(&d.transactions)
});
phase!(ph_segment_retention, |d: &Dataset, _| {
    m::segment_breakdown::segment_retention(&d.transactions, &d.segments, d.customers.len())
});
phase!(ph_churn, |d: &Dataset, s: &Settings| {
    m::churn_causes::churn_section(
        d,
        &Default::default(),
        &Default::default(),
        s.churn_window_days,
    )
});
phase!(ph_whole, |d: &Dataset, s: &Settings| build_report_with(
    d, s
));

#[inline(never)]
fn phases(dataset: &Dataset, settings: &Settings) -> impl Sized {
    (
        ph_base(dataset, settings),
        ph_monthly(dataset, settings),
        ph_cohorts(dataset, settings),
        ph_period_retention(dataset, settings),
        ph_lifecycle(dataset, settings),
        ph_patterns(dataset, settings),
        ph_segment_retention(dataset, settings),
        ph_churn(dataset, settings),
        ph_whole(dataset, settings),
    )
}

fn load(spec: &str) -> Dataset {
    let mut dataset = Dataset::default();
    for path in spec.split('+') {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = Path::new(path).file_name().unwrap().to_string_lossy();
        dataset.add_file(&name, &bytes).expect("file loads");
    }
    dataset
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`: nothing to do then.
    if args.is_empty() || args[0].starts_with("--") {
        return;
    }
    match args[0].as_str() {
        "parse" => {
            let bytes = std::fs::read(&args[1]).expect("readable file");
            black_box(parse_file("tx.csv", &bytes));
        }
        "report" => {
            let dataset = load(&args[1]);
            black_box(report(&dataset));
        }
        "rerun" => {
            let dataset = load(&args[1]);
            black_box(report(&dataset));
            black_box(rerun_report(&dataset));
        }
        "golden" => {
            let out = Path::new(&args[1]);
            std::fs::create_dir_all(out).expect("output folder");
            for spec in &args[2..] {
                let dataset = load(spec);
                let settings = [
                    ("month90", Settings::default()),
                    ("week60", other_settings()),
                    (
                        "quarter180",
                        Settings {
                            period: Period::Quarter,
                            churn_window_days: 180,
                            ..Settings::default()
                        },
                    ),
                ];
                let stem: String = spec
                    .split('+')
                    .map(|p| {
                        Path::new(p)
                            .file_name()
                            .unwrap()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("+");
                for (tag, settings) in settings {
                    let report = build_report_with(&dataset, &settings);
                    let json = serde_json::to_string_pretty(&report).expect("serialises");
                    std::fs::write(out.join(format!("{stem}.{tag}.json")), json).expect("written");
                }
            }
        }
        "time" => {
            let bytes = std::fs::read(&args[1]).expect("readable file");
            let n: usize = args.get(2).map_or(5, |n| n.parse().expect("a count"));
            let mut best = [f64::MAX; 3];
            for _ in 0..n {
                let t = Instant::now();
                let dataset = parse_file("tx.csv", &bytes);
                let parse = t.elapsed().as_secs_f64() * 1e3;
                let t = Instant::now();
                black_box(report(&dataset));
                let analyze = t.elapsed().as_secs_f64() * 1e3;
                let t = Instant::now();
                black_box(rerun_report(&dataset));
                let rerun = t.elapsed().as_secs_f64() * 1e3;
                for (b, v) in best.iter_mut().zip([parse, analyze, rerun]) {
                    *b = b.min(v);
                }
                println!("parse {parse:8.1} ms  analyze {analyze:8.1} ms  rerun {rerun:8.1} ms");
            }
            println!(
                "best  parse {:8.1} ms  analyze {:8.1} ms  rerun {:8.1} ms",
                best[0], best[1], best[2]
            );
        }
        "phases" => {
            let dataset = load(&args[1]);
            let s = Settings::default();
            black_box(phases(&dataset, &s));
            black_box(phases(&dataset, &other_settings()));
        }
        other => panic!("unknown mode {other}"),
    }
}
