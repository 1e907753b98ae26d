//! A prediction for every customer, always (issue 21): degenerate fits
//! predict with the limit of the model they run off to, and random shops
//! give every customer a finite, non-negative prediction, never NaN or −0.

mod clv_support;

use clv_support::{shop, Rng};
use loyalty_analytics::models::degenerate::Limit;
use loyalty_analytics::models::model_choice::PurchaseModel;
use loyalty_analytics::models::section::Level;
use loyalty_analytics::models::{ClvAnalysis, ClvSettings, TimeUnit};
use loyalty_analytics::Dataset;
use proptest::prelude::*;

/// Transactions CSV of `customers` customers, each buying once or twice
/// (a fair coin) on days drawn uniformly from their first day to the end
/// of 2023: purchases without any repeat structure.
fn no_repeat_structure(seed: u64, customers: usize) -> String {
    let mut rng = Rng(seed);
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut text = String::from("customer_id,date,amount\n");
    for c in 0..customers {
        let first = (rng.uniform() * 300.0) as i64;
        let n = if rng.uniform() < 0.5 { 1 } else { 2 };
        for _ in 0..n {
            let d = first + (rng.uniform() * (365.0 - first as f64)) as i64;
            let day = start + chrono::Duration::days(d);
            text.push_str(&format!("c{c},{day},{:.2}\n", 10.0 + 90.0 * rng.uniform()));
        }
    }
    text
}

/// Every number in the JSON is finite and no zero is negative.
fn no_nan_or_negative_zero(v: &serde_json::Value, path: &str) {
    match v {
        serde_json::Value::Number(n) => {
            let f = n.as_f64().unwrap();
            assert!(f.is_finite(), "{path}: {f}");
            assert!(!(f == 0.0 && f.is_sign_negative()), "{path}: -0");
        }
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| no_nan_or_negative_zero(x, &format!("{path}[{i}]"))),
        serde_json::Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| no_nan_or_negative_zero(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

/// The issue's shop: 800 customers with no repeat structure. It used to get
/// "800 customers have no prediction: the hypergeometric series did not
/// converge", no CLV and `expected_purchases_total` of −0.
///
/// Nobody bought more than twice, so nobody made a purchase after a repeat
/// purchase: BG/NBD's dropout chance after a purchase runs off to 1 (a → ∞,
/// b → 0). The limit model by hand: customers with a repeat purchase are
/// gone; one without is alive (BG/NBD has no dropout before a repeat
/// purchase) and leaves at the next purchase, so buys at most once more:
/// with λ ~ Gamma(r, α + T) after T units without a purchase,
/// E[Y(t)] = P(a purchase within t) = 1 − ((α+T)/(α+T+t))^r.
#[test]
fn the_issues_shop_predicts_every_customer() {
    let mut ds = Dataset::default();
    ds.add_file("shop.csv", no_repeat_structure(7919, 800).as_bytes())
        .unwrap();
    let settings = ClvSettings {
        time_unit: TimeUnit::Week,
        ..ClvSettings::default()
    };
    let analysis = ClvAnalysis::new(&ds, &settings);
    let section = &analysis.section;
    assert_eq!(section.customers, 800);
    let bg = section.bgnbd.as_ref().expect("BG/NBD kept");
    assert_eq!(
        bg.degenerate,
        [Limit::DropoutAtNextPurchase],
        "{:?}",
        bg.params
    );
    assert!(section
        .messages
        .iter()
        .any(|m| m.code == "degenerate" && m.text.starts_with("BG/NBD: the fit is degenerate")));
    assert!(section
        .messages
        .iter()
        .all(|m| m.code != "series_not_converged"));
    assert_eq!(section.clv_model, Some(PurchaseModel::BgNbd));
    let horizon = section.horizon_units;
    let p = bg.params;
    let mut by_hand = 0.0;
    for (s, prediction) in analysis.summaries().zip(analysis.predictions.iter()) {
        let prediction = prediction.expect("every customer predicted");
        if s.frequency == 0.0 {
            let e = 1.0 - ((p.alpha + s.t) / (p.alpha + s.t + horizon)).powf(p.r);
            assert_eq!(prediction.p_alive, 1.0);
            let what = format!("{s:?}");
            assert!(
                (prediction.expected_purchases - e).abs() < 1e-6 * e,
                "{what}"
            );
            by_hand += e;
        } else {
            assert!(prediction.p_alive < 1e-3, "{s:?}: {}", prediction.p_alive);
        }
        assert!(prediction.clv.is_some_and(|c| c.is_finite() && c >= 0.0));
    }
    let total = section.expected_purchases_total.unwrap();
    assert!(
        (total - by_hand).abs() < 1e-3 * by_hand,
        "{total} vs {by_hand}"
    );
    assert!(section.clv_total.unwrap() > 0.0);
    no_nan_or_negative_zero(&serde_json::to_value(section).unwrap(), "clv");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every customer with a usable summary gets a prediction whenever a
    /// purchase model is in use, and none is NaN, infinite, negative or −0;
    /// when no model could be fitted an error message says why.
    #[test]
    fn random_shops_predict_every_customer((text, unit, horizon, calibration) in shop()) {
        let mut ds = Dataset::default();
        prop_assume!(ds.add_file("shop.csv", text.as_bytes()).is_ok());
        let settings = ClvSettings {
            time_unit: TimeUnit::ALL[usize::from(unit)],
            horizon_months: horizon,
            calibration_end: calibration
                .map(|d| chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days(i64::from(d))),
            ..ClvSettings::default()
        };
        let analysis = ClvAnalysis::new(&ds, &settings);
        let section = &analysis.section;
        match section.clv_model {
            Some(_) => {
                for (s, p) in analysis.summaries().zip(analysis.predictions.iter()) {
                    let p = p.unwrap_or_else(|| panic!("no prediction for {s:?}: {:?}", section.messages));
                    prop_assert!((0.0..=1.0).contains(&p.p_alive), "{:?}", p);
                    prop_assert!(p.expected_purchases.is_finite() && p.expected_purchases >= 0.0);
                    prop_assert!(!(p.expected_purchases == 0.0 && p.expected_purchases.is_sign_negative()));
                    prop_assert!(p.clv.is_none_or(|c| c.is_finite() && !(c == 0.0 && c.is_sign_negative())));
                }
                let total = section.expected_purchases_total;
                prop_assert!(total.is_some_and(|t| t >= 0.0 && !t.is_sign_negative()), "{total:?}");
            }
            None => prop_assert!(
                section.customers == 0 || section.messages.iter().any(|m| m.level == Level::Error),
                "{:?}", section.messages
            ),
        }
        for (id, v) in section.headline_metrics() {
            prop_assert!(v.is_finite() && !(v == 0.0 && v.is_sign_negative()), "{id:?} {v}");
        }
        no_nan_or_negative_zero(&serde_json::to_value(section).unwrap(), "clv");
    }
}
