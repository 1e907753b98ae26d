//! CLV per month of the horizon and over a window of months, against the
//! lifetimes package (tests/reference/clv_months_lifetimes.py, whose output
//! is tests/reference/clv_months_lifetimes.rs): each month's expected
//! purchases and discounted spend of all customers, and the window 13-24 as
//! lifetimes' customer_lifetime_value(time=24) − (time=12).

mod clv_support;
#[path = "reference/clv_months_lifetimes.rs"]
mod lifetimes;

use clv_support::*;
use loyalty_analytics::models::model_choice::{ModelChoice, PurchaseModel};
use loyalty_analytics::models::{ClvAnalysis, ClvSection, ClvSettings, MonthWindow, TimeUnit};

/// Lifetimes' figures for one purchase model with Gamma-Gamma.
pub struct MonthsReference {
    pub params: [f64; 4],
    /// Months 1..=24: (expected purchases, discounted CLV) of all customers.
    pub months: &'static [(f64, f64)],
    pub window_13_24_clv: f64,
}

fn section(model: ModelChoice, horizon: u32, window: Option<MonthWindow>) -> ClvSection {
    let ds = load("cdnow/CDNOW_sample.txt");
    let settings = ClvSettings {
        time_unit: TimeUnit::Week,
        horizon_months: horizon,
        window_months: window,
        model,
        ..ClvSettings::default()
    };
    ClvAnalysis::new(&ds, &settings).section
}

/// CDNOW 1/10 sample, the whole period to 1998-06-30, weeks, 24 months of
/// 4.345 weeks, 1% a month: each month's totals equal lifetimes' at 1e-4
/// (the fits agree to about 1e-6), for both purchase models.
#[test]
fn months_of_the_horizon_equal_lifetimes() {
    for (choice, model, reference) in [
        (ModelChoice::BgNbd, PurchaseModel::BgNbd, &lifetimes::BGNBD),
        (
            ModelChoice::ParetoNbd,
            PurchaseModel::ParetoNbd,
            &lifetimes::PARETO_NBD,
        ),
    ] {
        let s = section(choice, 24, None);
        assert_eq!(s.clv_model, Some(model));
        assert_eq!(s.customers as usize, lifetimes::CUSTOMERS);
        let gg = s.gamma_gamma.as_ref().unwrap().params;
        assert_rel(gg.p, lifetimes::GAMMA_GAMMA[0], 1e-4, "p");
        assert_rel(gg.q, lifetimes::GAMMA_GAMMA[1], 1e-4, "q");
        assert_rel(gg.v, lifetimes::GAMMA_GAMMA[2], 1e-4, "v");
        let params = match model {
            PurchaseModel::BgNbd => {
                let p = s.bgnbd.as_ref().unwrap().params;
                [p.r, p.alpha, p.a, p.b]
            }
            PurchaseModel::ParetoNbd => {
                let p = s.pareto_nbd.as_ref().unwrap().params;
                [p.r, p.alpha, p.s, p.beta]
            }
        };
        for (ours, theirs) in params.iter().zip(reference.params) {
            assert_rel(*ours, theirs, 1e-4, &format!("{model:?} parameters"));
        }
        assert_eq!(s.clv_by_month.len(), 24);
        for (m, (e, clv)) in s.clv_by_month.iter().zip(reference.months) {
            let what = format!("{model:?} month {}", m.month);
            assert!(m.in_window);
            assert_rel(m.expected_purchases, *e, 1e-4, &format!("{what} purchases"));
            assert_rel(m.clv.unwrap(), *clv, 1e-4, &format!("{what} CLV"));
        }
        // The months add up to the totals.
        let sum_e: f64 = s.clv_by_month.iter().map(|m| m.expected_purchases).sum();
        let sum_clv: f64 = s.clv_by_month.iter().map(|m| m.clv.unwrap()).sum();
        assert_rel(
            sum_e,
            s.expected_purchases_total.unwrap(),
            1e-9,
            "Σ purchases",
        );
        assert_rel(sum_clv, s.clv_total.unwrap(), 1e-9, "Σ CLV");
    }
}

/// Months 13-24: CLV and expected purchases of the second year only, in
/// today's money: lifetimes' CLV(24) − CLV(12) at 1e-4, the months 13-24 of
/// the 24-month series at 1e-9, the months before marked outside the
/// window, and the interval around the window's total.
#[test]
fn a_window_of_months_is_the_second_year() {
    let window = MonthWindow { from: 13, to: 24 };
    for (choice, reference) in [
        (ModelChoice::BgNbd, &lifetimes::BGNBD),
        (ModelChoice::ParetoNbd, &lifetimes::PARETO_NBD),
    ] {
        let s = section(choice, 12, Some(window));
        assert_eq!(s.settings.window_months, Some(window));
        let clv = s.clv_total.unwrap();
        assert_rel(clv, reference.window_13_24_clv, 1e-4, "window CLV");
        let second_year: Vec<_> = reference.months[12..].to_vec();
        let e: f64 = second_year.iter().map(|m| m.0).sum();
        assert_rel(
            s.expected_purchases_total.unwrap(),
            e,
            1e-4,
            "window purchases",
        );
        let full = section(choice, 24, None);
        let months_13_24: f64 = full.clv_by_month[12..].iter().map(|m| m.clv.unwrap()).sum();
        assert_rel(clv, months_13_24, 1e-9, "window vs months");
        assert_eq!(s.clv_by_month.len(), 24);
        assert!(s
            .clv_by_month
            .iter()
            .all(|m| m.in_window == (m.month >= 13)));
        assert_eq!(
            s.clv_by_month,
            full.clv_by_month
                .iter()
                .map(|m| {
                    let mut m = *m;
                    m.in_window = m.month >= 13;
                    m
                })
                .collect::<Vec<_>>()
        );
        let i = s.intervals.unwrap().clv.unwrap();
        assert!(i.low < clv && clv < i.high);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json["settings"]["window_months"],
            serde_json::json!({"from": 13, "to": 24})
        );
    }
}

/// A window the section cannot use is dropped with a message (the page and
/// the CLI refuse it before: settings_check).
#[test]
fn a_bad_window_falls_back_to_the_horizon() {
    let s = section(
        ModelChoice::BgNbd,
        12,
        Some(MonthWindow { from: 30, to: 20 }),
    );
    assert!(s.messages.iter().any(|m| m.code == "window_invalid"));
    assert_eq!(s.settings.window_months, None);
    assert_eq!(s.clv_by_month.len(), 12);
}
