//! Kaplan-Meier against lifelines 0.30.3 (KaplanMeierFitter, default 95%
//! log(-log) band), computed over the same files:
//!   kmf = KaplanMeierFitter().fit(t['Tenure in Months'], event_observed=t['Churn Label'] == 'Yes')
//!   kmf.survival_function_at_times([12, 24, 48]); kmf.median_survival_time_
//!   kmf.confidence_interval_survival_function_ at the last time <= m
//! and for pysurvival: fit(p['months_active'], event_observed=p['churned'] == 1.0).

mod common;

use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset};

fn report_of(relative: &str) -> loyalty_analytics::Report {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative)).unwrap();
    build_report(&ds)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
}

#[test]
fn telco_matches_lifelines() {
    let report = report_of("ibm_telco_v11_merged.csv");
    let curve = report.survival.as_ref().expect("a survival curve");
    for (month, survival, lower, upper) in [
        (
            12.0,
            0.843_436_812_183_923_5,
            0.834_418_095_278_701_5,
            0.852_008_875_730_080_2,
        ),
        (
            24.0,
            0.788_958_331_968_505,
            0.778_542_942_490_804_2,
            0.798_949_206_580_903_8,
        ),
        (
            48.0,
            0.709_039_636_853_627_9,
            0.696_448_202_909_888_7,
            0.721_218_369_450_163_8,
        ),
    ] {
        close(curve.at(month).unwrap(), survival);
        let (lo, hi) = curve.band_at(month).unwrap();
        close(lo, lower);
        close(hi, upper);
    }
    // lifelines: median_survival_time_ = inf (survival never reaches 0.5).
    assert_eq!(curve.median_months, None);
    assert_eq!(report.metric(metric::KM_MEDIAN_MONTHS), None);
}

#[test]
fn pysurvival_matches_lifelines() {
    let report = report_of("pysurvival_saas_churn_csat.csv");
    let curve = report.survival.as_ref().expect("a survival curve");
    for (month, survival) in [
        (3.0, 0.613_253_509_756_426_7),
        (6.0, 0.477_789_008_251_700_56),
        (12.0, 0.243_571_624_162_990_72),
    ] {
        close(curve.at(month).unwrap(), survival);
    }
    assert_eq!(report.metric(metric::KM_MEDIAN_MONTHS), Some(6.0));
}
