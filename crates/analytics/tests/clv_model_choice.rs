//! BG/NBD and Pareto/NBD side by side in the CLV section: both fitted on the
//! CDNOW sample's calibration period, both scored on the holdout, the one with
//! the lower MAE per customer driving the predictions, the user's override.
//! Expected figures: the published fits (Fader, Hardie & Lee 2005) and the
//! lifetimes package (tests/reference/holdout_choice_lifetimes.py, whose
//! output is tests/reference/holdout_choice_lifetimes.rs).

mod clv_support;
#[path = "reference/holdout_choice_lifetimes.rs"]
mod lifetimes;

use clv_support::*;
use loyalty_analytics::models::holdout::HoldoutCheck;
use loyalty_analytics::models::model_choice::{ChoiceReason, ModelChoice, PurchaseModel};
use loyalty_analytics::models::{ClvAnalysis, ClvSettings, TimeUnit};

/// One model's holdout figures as lifetimes computed them.
pub struct ModelScore {
    /// (r, α, a, b) or (r, α, s, β).
    pub params: [f64; 4],
    pub actual_total: f64,
    pub predicted_total: f64,
    pub mae_per_customer: f64,
    pub predicted_by_frequency: [f64; 8],
    pub tracking: &'static [f64],
}

fn settings(model: ModelChoice) -> ClvSettings {
    ClvSettings {
        time_unit: TimeUnit::Week,
        calibration_end: Some("1997-09-30".parse().unwrap()),
        model,
        ..ClvSettings::default()
    }
}

/// Our holdout check against lifetimes' figures for the same model, at
/// 1e-4 relative (the parameters agree to about 1e-6; the predictions inherit it).
#[track_caller]
fn same_as_lifetimes(check: &HoldoutCheck, want: &ModelScore, what: &str) {
    assert_eq!(check.customers as usize, lifetimes::CUSTOMERS);
    assert_eq!(check.holdout_length, lifetimes::HOLDOUT_WEEKS);
    assert_eq!(
        check.actual_total, want.actual_total,
        "{what}: holdout purchases"
    );
    assert_rel(
        check.predicted_total,
        want.predicted_total,
        1e-4,
        &format!("{what}: predicted total"),
    );
    assert_rel(
        check.mae_per_customer,
        want.mae_per_customer,
        1e-4,
        &format!("{what}: MAE"),
    );
    assert_eq!(check.by_frequency.len(), 8);
    for (g, w) in check.by_frequency.iter().zip(want.predicted_by_frequency) {
        assert_rel(
            g.predicted_mean,
            w,
            1e-4,
            &format!("{what}: frequency {}", g.frequency),
        );
    }
    assert_eq!(check.tracking.len(), want.tracking.len());
    for (p, w) in check.tracking.iter().zip(want.tracking) {
        assert_rel(
            p.predicted,
            *w,
            1e-4,
            &format!("{what}: tracking week {}", p.week),
        );
    }
}

/// CDNOW 1/10 sample, 39 + 39 weeks. Both models' holdout figures equal
/// lifetimes'; Pareto/NBD predicts the holdout better per customer
/// (lifetimes: MAE 0.7545 against BG/NBD's 0.7855, totals 1665.5 and 1653.4
/// for 1882 actual purchases), so it drives the predictions.
#[test]
fn cdnow_sample_chooses_the_model_with_the_lower_holdout_mae() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let analysis = ClvAnalysis::new(&ds, &settings(ModelChoice::Auto));
    let section = &analysis.section;
    // The published Pareto/NBD fit, to its rounding (FHL 2005): r = 0.55,
    // α = 10.58, s = 0.61, β = 11.67, LL = −9595.0.
    let pnbd = section.pareto_nbd.as_ref().expect("Pareto/NBD fitted");
    assert_abs(pnbd.params.r, 0.55, 0.005, "r");
    assert_abs(pnbd.params.alpha, 10.58, 0.005, "alpha");
    assert_abs(pnbd.params.s, 0.61, 0.005, "s");
    assert_abs(pnbd.params.beta, 11.67, 0.005, "beta");
    assert_abs(pnbd.log_likelihood, -9595.0, 0.05, "LL");
    let metrics = section.headline_metrics();
    let get = |id: &str| metrics.iter().find(|m| m.0 == id).map(|m| m.1);
    assert_eq!(get("pnbd_r"), Some(pnbd.params.r));
    assert_eq!(get("pnbd_ll"), Some(pnbd.log_likelihood));
    let se = pnbd.standard_errors.expect("standard errors");
    assert!(se.r > 0.0 && se.beta > 0.0);

    let l = &lifetimes::PARETO_NBD;
    let [r, alpha, s, beta] = l.params;
    assert_rel(pnbd.params.r, r, 1e-4, "lifetimes r");
    assert_rel(pnbd.params.alpha, alpha, 1e-4, "lifetimes alpha");
    assert_rel(pnbd.params.s, s, 1e-4, "lifetimes s");
    assert_rel(pnbd.params.beta, beta, 1e-4, "lifetimes beta");
    let bg = section.bgnbd.as_ref().expect("BG/NBD fitted").params;
    let [r, alpha, a, b] = lifetimes::BGNBD.params;
    assert_rel(bg.r, r, 1e-4, "lifetimes BG/NBD r");
    assert_rel(bg.alpha, alpha, 1e-4, "lifetimes BG/NBD alpha");
    assert_rel(bg.a, a, 1e-4, "lifetimes BG/NBD a");
    assert_rel(bg.b, b, 1e-4, "lifetimes BG/NBD b");

    same_as_lifetimes(
        section.holdout.as_ref().unwrap(),
        &lifetimes::BGNBD,
        "BG/NBD",
    );
    same_as_lifetimes(
        section.holdout_pareto_nbd.as_ref().unwrap(),
        &lifetimes::PARETO_NBD,
        "Pareto/NBD",
    );
    let scores = &section.holdout_scores;
    assert_eq!(
        scores.iter().map(|s| s.model).collect::<Vec<_>>(),
        [PurchaseModel::BgNbd, PurchaseModel::ParetoNbd]
    );
    assert_rel(
        scores[1].mae_per_customer,
        l.mae_per_customer,
        1e-4,
        "score MAE",
    );
    // (1665.51 − 1882) / 1882 = −0.11503: Pareto/NBD under-predicts the total by 11.5%.
    assert_rel(
        scores[1].total_error.unwrap(),
        (l.predicted_total - l.actual_total) / l.actual_total,
        1e-3,
        "total error",
    );
    const { assert!(lifetimes::PARETO_NBD.mae_per_customer < lifetimes::BGNBD.mae_per_customer) };
    assert_eq!(section.clv_model, Some(PurchaseModel::ParetoNbd));
    assert_eq!(section.clv_model_reason, Some(ChoiceReason::Holdout));
    let json = serde_json::to_value(section).unwrap();
    assert_eq!(json["clv_model"], "pareto_nbd");
    assert_eq!(json["settings"]["model"], "auto");
}

/// The user's choice wins over the holdout; the other model's figures stay
/// in the section.
#[test]
fn the_user_can_name_the_model() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let auto = ClvAnalysis::new(&ds, &settings(ModelChoice::Auto));
    let named = ClvAnalysis::new(&ds, &settings(ModelChoice::BgNbd));
    let s = &named.section;
    assert_eq!(s.clv_model, Some(PurchaseModel::BgNbd));
    assert_eq!(s.clv_model_reason, Some(ChoiceReason::User));
    assert_eq!(s.pareto_nbd, auto.section.pareto_nbd);
    assert_eq!(s.holdout_scores, auto.section.holdout_scores);
    // Predictions follow the named model: P(alive) of customer 00004 (x = 3,
    // tₓ = 345/7, T = 545/7 at the observation end) by BG/NBD's formula
    // (FHL 2005 eq. 11) at the section's parameters.
    let p = s.bgnbd.as_ref().unwrap().params;
    let (x, tx, t) = (3.0, 345.0 / 7.0, 545.0 / 7.0);
    let odds = p.a / (p.b + x - 1.0) * ((p.alpha + t) / (p.alpha + tx)).powf(p.r + x);
    let card = named.customer(&ds, "00004").unwrap();
    assert_rel(
        card.prediction.unwrap().p_alive,
        1.0 / (1.0 + odds),
        1e-12,
        "P(alive)",
    );
    let auto_card = auto.customer(&ds, "00004").unwrap();
    assert_ne!(auto_card.prediction, card.prediction);
    let back: ClvSettings = serde_json::from_str(r#"{"model":"pareto_nbd"}"#).unwrap();
    assert_eq!(back.model, ModelChoice::ParetoNbd);
    let default: ClvSettings = serde_json::from_str("{}").unwrap();
    assert_eq!(default.model, ModelChoice::Auto);
}

/// Without a calibration end there is nothing to score: both models are
/// fitted on everything, BG/NBD is used, and the section says why.
#[test]
fn without_a_holdout_bgnbd_is_used() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let section = ClvAnalysis::new(
        &ds,
        &ClvSettings {
            time_unit: TimeUnit::Week,
            ..ClvSettings::default()
        },
    )
    .section;
    assert!(section.pareto_nbd.is_some() && section.bgnbd.is_some());
    assert!(section.holdout_scores.is_empty());
    assert_eq!(section.clv_model, Some(PurchaseModel::BgNbd));
    assert_eq!(section.clv_model_reason, Some(ChoiceReason::NoHoldout));
}

/// A large shop (50,001 customers, as many distinct histories as the
/// Pareto/NBD sample threshold allows to stay quick in a debug build) gets
/// both models fitted by default: there is no size past which Pareto/NBD is
/// left out (its fit runs on a sample of histories instead).
#[test]
fn large_shops_fit_both_models() {
    use loyalty_analytics::report::{analyse, Settings};
    let histories = ["0,0,30", "2,10,30", "5,25,30", "1,3,20"];
    let customers = 50_001;
    let mut csv = String::from("customer_id,frequency,recency,T\n");
    for i in 0..customers {
        csv.push_str(&format!("c{i},{}\n", histories[i % histories.len()]));
    }
    let mut ds = loyalty_analytics::Dataset::default();
    ds.add_file("summary.csv", csv.as_bytes()).unwrap();
    let clv = analyse(&ds, &Settings::default()).report.clv.expect("clv");
    assert_eq!(clv.customers, customers as u64);
    assert!(clv.bgnbd.is_some() && clv.pareto_nbd.is_some());
}
