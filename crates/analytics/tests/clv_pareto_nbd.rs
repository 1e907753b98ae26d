mod clv_support;

use clv_support::*;
use loyalty_analytics::models::pareto_nbd::fit_pareto_nbd;
use loyalty_analytics::models::summary::{day_number, PurchaseHistories, TimeUnit};
use loyalty_analytics::report::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn cdnow_sample_calibration_matches_the_paper() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let cal = h.summaries(day_number(date("1997-09-30")), TimeUnit::Week);
    assert_eq!(cal.len(), 2357);
    let start = std::time::Instant::now();
    let fit = fit_pareto_nbd(&cal).unwrap();
    eprintln!("{fit:?} in {:?}", start.elapsed());
}

#[test]
fn cdnow_master_fit_time() {
    let ds = load("cdnow/CDNOW_master.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), TimeUnit::Week);
    let start = std::time::Instant::now();
    let fit = fit_pareto_nbd(&rows).unwrap();
    eprintln!("{fit:?} in {:?}", start.elapsed());
    let cal = h.summaries(day_number(date("1997-09-30")), TimeUnit::Week);
    let start = std::time::Instant::now();
    let fit = fit_pareto_nbd(&cal).unwrap();
    eprintln!("calibration {fit:?} in {:?}", start.elapsed());
}
