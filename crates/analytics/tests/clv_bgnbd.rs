//! BG/NBD against the published CDNOW fit (Fader, Hardie & Lee 2005) and the
//! lifetimes package (tests/fixtures/clv/lifetimes_reference.py).

mod clv_support;

use clv_support::*;
use loyalty_analytics::models::bgnbd::fit_bgnbd;
use loyalty_analytics::models::summary::{day_number, PurchaseHistories, TimeUnit};
use loyalty_analytics::report::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn cdnow_sample_calibration_matches_the_paper_and_lifetimes() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let cal = h.summaries(day_number(date("1997-09-30")), TimeUnit::Week);
    assert_eq!(cal.len(), 2357);
    let fit = fit_bgnbd(&cal).unwrap();
    eprintln!("{fit:?}");
    // FHL 2005 publish 3 decimals and LL to 0.1: equal within that rounding.
    let p = fit.params;
    assert_abs(p.r, 0.243, 0.0005, "r");
    assert_abs(p.alpha, 4.414, 0.0005, "alpha");
    assert_abs(p.a, 0.793, 0.0005, "a");
    assert_abs(p.b, 2.426, 0.0005, "b");
    assert_abs(fit.log_likelihood, -9582.4, 0.05, "LL");
}
