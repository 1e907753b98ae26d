//! Calibration/holdout on the CDNOW sample (39 + 39 weeks) against lifetimes'
//! `calibration_and_holdout_data` and predictions (fixture script).

mod clv_support;

use clv_support::*;
use loyalty_analytics::models::bgnbd::fit_bgnbd;
use loyalty_analytics::models::holdout::holdout_check;
use loyalty_analytics::models::summary::{day_number, PurchaseHistories, TimeUnit};

#[test]
fn cdnow_sample_holdout_by_frequency_and_tracking_equal_lifetimes() {
    let reference = reference();
    let r = &reference["cdnow_sample"];
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let split = h.calibration_holdout(
        day_number("1997-09-30".parse().unwrap()),
        day_number("1998-06-30".parse().unwrap()),
        TimeUnit::Week,
    );
    assert_eq!(
        split.calibration.len() as u64,
        r["holdout_customers"].as_u64().unwrap()
    );
    assert_eq!(split.holdout_length, num(&r["holdout_duration"]));
    // Chosen customers: every field exactly (the same day arithmetic).
    for c in r["holdout"].as_array().unwrap() {
        let id = id_of(&ds, c["customer"].as_str().unwrap());
        let i = split
            .calibration
            .iter()
            .position(|s| s.customer == id)
            .unwrap();
        let s = &split.calibration[i];
        assert_eq!(s.frequency, num(&c["frequency_cal"]));
        assert_rel(s.recency, num(&c["recency_cal"]), 1e-12, "recency_cal");
        assert_rel(s.t, num(&c["T_cal"]), 1e-12, "T_cal");
        assert_eq!(
            f64::from(split.holdout_purchases[i]),
            num(&c["frequency_holdout"])
        );
    }
    let fit = fit_bgnbd(&split.calibration).unwrap();
    let check = holdout_check(&h, &split, &fit.params, TimeUnit::Week).unwrap();
    // By calibration frequency 0..7+: counts and actual means exactly,
    // predicted means at 1e-4 (our parameters vs lifetimes').
    let groups = r["holdout_by_frequency"].as_array().unwrap();
    assert_eq!(check.by_frequency.len(), groups.len());
    for (got, want) in check.by_frequency.iter().zip(groups) {
        assert_eq!(
            u64::from(got.frequency),
            want["frequency_cal"].as_u64().unwrap()
        );
        assert_eq!(got.customers, want["customers"].as_u64().unwrap());
        assert_rel(
            got.actual_mean,
            num(&want["actual_mean"]),
            1e-12,
            "actual mean",
        );
        assert_rel(
            got.predicted_mean,
            num(&want["predicted_mean"]),
            1e-4,
            "predicted mean",
        );
    }
    // Tracking: 78 weeks from 1997-01-01; actual cumulative counts exactly,
    // expected at 1e-4.
    let tracking = r["tracking"].as_array().unwrap();
    assert_eq!(check.tracking.len(), tracking.len());
    assert_eq!(check.tracking_start, "1997-01-01".parse().unwrap());
    assert_eq!(check.calibration_end_week, 38);
    for (got, want) in check.tracking.iter().zip(tracking) {
        assert_eq!(u64::from(got.week), want[0].as_u64().unwrap());
        assert_eq!(got.actual, num(&want[1]), "week {}", got.week);
        assert_rel(
            got.predicted,
            num(&want[2]),
            1e-4,
            &format!("week {}", got.week),
        );
    }
    // The error figure: totals agree with the groups; MAE is positive and
    // below the mean holdout purchases plus prediction (a loose sanity bound).
    let total_actual: f64 = groups
        .iter()
        .map(|g| num(&g["actual_mean"]) * num(&g["customers"]))
        .sum();
    assert_rel(check.actual_total, total_actual, 1e-12, "actual total");
    assert!(check.mae_per_customer > 0.0);
    assert!(check.mae_per_customer < (check.actual_total + check.predicted_total) / 2357.0);
}
