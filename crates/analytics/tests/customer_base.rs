//! The customer base per month on CDNOW (90-day churn window) against
//! tests/fixtures/cdnow_base_month_90.csv, computed by
//! tests/fixtures/base_reference.py with plain Python loops over each
//! customer's purchase days (definitions in its docstring).

mod common;

use loyalty_analytics::metrics::customer_base::period_retention;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset};

#[test]
fn cdnow_monthly_base_equals_the_python_reference() {
    let mut ds = Dataset::default();
    ds.add_file("CDNOW_master.txt", &common::read("cdnow/CDNOW_master.txt"))
        .unwrap();
    let ours: Vec<String> = period_retention(&ds.transactions, Period::Month, 90)
        .iter()
        .map(|p| {
            format!(
                "{},{},{},{},{},{}",
                p.period, p.start_base, p.end_base, p.new, p.lost, p.returned
            )
        })
        .collect();
    let reference = std::fs::read_to_string(format!(
        "{}/../../tests/fixtures/cdnow_base_month_90.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let expected: Vec<String> = reference.lines().skip(1).map(String::from).collect();
    assert_eq!(ours, expected);

    // The headline: the latest complete month (1998-06, data to 30 June).
    let last = expected.last().unwrap();
    let f: Vec<f64> = last
        .split(',')
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    let (s, e, n, lost, returned) = (f[0], f[1], f[2], f[3], f[4]);
    let report = build_report(&ds);
    // CRR = (E - N) / S with N = new + returned (customers acquired in the
    // month, first-timers and lapsed ones back): retained / S, and with
    // churn it makes 1.
    assert_eq!(
        report.metric(metric::RETENTION_RATE),
        Some((e - n - returned) / s)
    );
    assert_eq!(Some((s - lost) / s), Some((e - n - returned) / s));
    assert_eq!(report.metric(metric::CHURN_RATE), Some(lost / s));
}
