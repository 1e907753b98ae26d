//! Gamma-Gamma against Fader & Hardie (2013) / lifetimes on the CDNOW sample's
//! 946 calibration repeat customers, and its refusals.

mod clv_support;

use clv_support::*;
use loyalty_analytics::models::bgnbd::FitError;
use loyalty_analytics::models::gamma_gamma::{fit_gamma_gamma, pearson};
use loyalty_analytics::models::summary::{day_number, PurchaseHistories, TimeUnit};

#[test]
fn cdnow_sample_repeaters_give_the_published_parameters() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let cal = h.summaries(day_number("1997-09-30".parse().unwrap()), TimeUnit::Week);
    let (x, m): (Vec<f64>, Vec<f64>) = cal
        .iter()
        .filter(|s| s.frequency > 0.0)
        .map(|s| (s.frequency, s.monetary_value.unwrap()))
        .unzip();
    assert_eq!(x.len(), 946);
    let fit = fit_gamma_gamma(&x, &m).unwrap();
    assert!(fit.converged);
    assert_eq!(fit.customers, 946);
    // lifetimes' documentation (and Fader & Hardie 2013): p = 6.25, q = 3.74,
    // v = 15.44 (2 decimals).
    assert_abs(fit.params.p, 6.25, 0.005, "p");
    assert_abs(fit.params.q, 3.74, 0.005, "q");
    assert_abs(fit.params.v, 15.44, 0.005, "v");
    // lifetimes' own fit (fixture), 1e-4 relative.
    let reference = reference();
    let g = &reference["cdnow_sample"]["gg"];
    assert_rel(fit.params.p, num(&g["p"]), 1e-4, "p");
    assert_rel(fit.params.q, num(&g["q"]), 1e-4, "q");
    assert_rel(fit.params.v, num(&g["v"]), 1e-4, "v");
    let se = fit.standard_errors.unwrap();
    let s = &reference["cdnow_sample"]["gg_standard_errors"];
    assert_rel(se.p, num(&s["p"]), 1e-3, "se p");
    assert_rel(se.q, num(&s["q"]), 1e-3, "se q");
    assert_rel(se.v, num(&s["v"]), 1e-3, "se v");
    // Fader & Hardie (2013) report the correlation of frequency and average
    // spend in this sample as 0.11: weak, no warning.
    let r = fit.spend_frequency_correlation.unwrap();
    assert_abs(r, 0.11, 0.005, "correlation");
    assert!(!fit.correlation_warning);
}

#[test]
fn non_positive_spend_is_refused_with_the_count() {
    let x = [1.0, 2.0, 3.0, 1.0, 0.0];
    let m = [10.0, 0.0, -5.0, 12.0, 0.0];
    // The customer with frequency 0 carries no spend and is not counted.
    assert_eq!(
        fit_gamma_gamma(&x, &m),
        Err(FitError::NonPositiveSpend { customers: 2 })
    );
    let message = FitError::NonPositiveSpend { customers: 2 }.to_string();
    assert!(message.contains("2 repeat customers"), "{message}");
}

#[test]
fn spend_that_grows_with_frequency_raises_the_warning() {
    let x: Vec<f64> = (1..=60).map(|i| f64::from(i % 12 + 1)).collect();
    let m: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, f)| 10.0 * f + (i % 5) as f64)
        .collect();
    let fit = fit_gamma_gamma(&x, &m).unwrap();
    assert!(fit.spend_frequency_correlation.unwrap() > 0.9);
    assert!(fit.correlation_warning);
}

#[test]
fn pearson_of_known_series() {
    // r of (1,2,3,4) with (2,4,5,9): hand computation 0.9594...
    // cov = (−1.5·−3 + −0.5·−1 + 0.5·0 + 1.5·4)/.. = 11; sx² = 5, sy² = 26: 11/√130.
    let r = pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 9.0]).unwrap();
    assert_abs(r, 11.0 / 130f64.sqrt(), 1e-15, "r");
    assert_eq!(pearson(&[1.0, 1.0], &[2.0, 3.0]), None);
}
