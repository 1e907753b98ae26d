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

use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::clv::{predict, ClvTerms};
use loyalty_analytics::models::gamma_gamma::fit_gamma_gamma;
use serde_json::Value;

/// Parameters, standard errors and log-likelihood against one lifetimes fit.
/// Parameters: 1e-4 relative (the issue's bar; both optimisers stop with
/// gradients below 1e-8, which moves the estimates in the 6th digit).
/// Standard errors: 1e-3 relative (both are numerical Hessians: lifetimes'
/// by automatic differentiation, ours by differences of the gradient).
fn assert_bgnbd_equals(fit: &loyalty_analytics::models::bgnbd::BgNbdFit, reference: &Value) {
    let p = &reference["params"];
    assert_rel(fit.params.r, num(&p["r"]), 1e-4, "r");
    assert_rel(fit.params.alpha, num(&p["alpha"]), 1e-4, "alpha");
    assert_rel(fit.params.a, num(&p["a"]), 1e-4, "a");
    assert_rel(fit.params.b, num(&p["b"]), 1e-4, "b");
    assert_rel(
        fit.log_likelihood,
        num(&reference["log_likelihood"]),
        1e-7,
        "log-likelihood",
    );
    let se = fit.standard_errors.expect("standard errors");
    let s = &reference["standard_errors"];
    assert_rel(se.r, num(&s["r"]), 1e-3, "se r");
    assert_rel(se.alpha, num(&s["alpha"]), 1e-3, "se alpha");
    assert_rel(se.a, num(&s["a"]), 1e-3, "se a");
    assert_rel(se.b, num(&s["b"]), 1e-3, "se b");
}

#[test]
fn cdnow_sample_summary_fit_and_predictions_equal_lifetimes() {
    let reference = reference();
    let r = &reference["cdnow_sample"];
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let cal = h.summaries(day_number(date("1997-09-30")), TimeUnit::Week);
    // Summary: totals over all customers, then every field of chosen customers.
    let total = |f: fn(&CustomerSummary) -> f64| cal.iter().map(f).sum::<f64>();
    assert_rel(
        total(|s| s.frequency),
        num(&r["summary_frequency_total"]),
        1e-12,
        "Σ frequency",
    );
    assert_rel(
        total(|s| s.recency),
        num(&r["summary_recency_total"]),
        1e-12,
        "Σ recency",
    );
    assert_rel(total(|s| s.t), num(&r["summary_T_total"]), 1e-12, "Σ T");
    assert_rel(
        total(|s| s.monetary_value.unwrap()),
        num(&r["summary_monetary_total"]),
        1e-12,
        "Σ monetary",
    );
    let named = by_name(&ds, &cal);
    let fit = fit_bgnbd(&cal).unwrap();
    assert_eq!(fit.customers, r["customers"].as_u64().unwrap());
    assert_eq!(
        fit.repeat_customers,
        r["repeat_customers"].as_u64().unwrap()
    );
    assert_bgnbd_equals(&fit, &r["bgnbd"]);
    let p = fit.params;

    // Conditional expectations and P(alive) for chosen histories, with
    // lifetimes' parameters plugged in so only the formulas are compared:
    // 1e-9 relative (double-precision series vs scipy's hyp2f1).
    let lp = &r["bgnbd"]["params"];
    let lt = loyalty_analytics::models::bgnbd::BgNbdParams {
        r: num(&lp["r"]),
        alpha: num(&lp["alpha"]),
        a: num(&lp["a"]),
        b: num(&lp["b"]),
    };
    for case in r["conditional"].as_array().unwrap() {
        let (t, x, tx, big_t) = (
            num(&case["t"]),
            num(&case["x"]),
            num(&case["tx"]),
            num(&case["T"]),
        );
        let e = lt.expected_purchases(t, x, tx, big_t).unwrap();
        assert_rel(
            e,
            num(&case["expected"]),
            1e-9,
            &format!("E[Y({t})|{x},{tx},{big_t}]"),
        );
        let alive = lt.p_alive(x, tx, big_t);
        assert_rel(
            alive,
            num(&case["p_alive"]),
            1e-9,
            &format!("P(alive|{x},{tx},{big_t})"),
        );
    }
    for (t, v) in r["unconditional"].as_object().unwrap() {
        let t: f64 = t.parse().unwrap();
        assert_rel(
            lt.unconditional_expected_purchases(t).unwrap(),
            num(v),
            1e-9,
            "E[X(t)]",
        );
    }
    // P(alive) path of customer 00004 on a weekly grid.
    let i = h.index_of(id_of(&ds, "00004")).unwrap();
    let (days, _) = h.purchases(i);
    let times: Vec<f64> = days[1..]
        .iter()
        .map(|d| f64::from(d - days[0]) / 7.0)
        .collect();
    let path = lt.p_alive_path(&times, 39.0, 1.0);
    let expected = r["alive_path_00004"].as_array().unwrap();
    assert_eq!(path.len(), expected.len());
    for (got, want) in path.iter().zip(expected) {
        assert_abs(got.0, num(&want[0]), 1e-12, "path time");
        assert_rel(got.1, num(&want[1]), 1e-9, "path P(alive)");
    }

    // Per customer, with our own fitted models: summary fields exactly,
    // predictions and CLV at 1e-4 relative (they inherit the parameters' 1e-6).
    let repeaters: Vec<&CustomerSummary> = cal.iter().filter(|s| s.frequency > 0.0).collect();
    let gg = fit_gamma_gamma(
        &repeaters.iter().map(|s| s.frequency).collect::<Vec<_>>(),
        &repeaters
            .iter()
            .map(|s| s.monetary_value.unwrap())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    check_customers(
        &ds,
        &named,
        &p,
        &gg.params,
        TimeUnit::Week,
        &r["customers_detail"],
    );
}

/// Every figure of the reference's chosen customers.
fn check_customers(
    ds: &loyalty_analytics::Dataset,
    named: &std::collections::HashMap<String, &CustomerSummary>,
    bg: &loyalty_analytics::models::bgnbd::BgNbdParams,
    gg: &loyalty_analytics::models::gamma_gamma::GammaGammaParams,
    unit: TimeUnit,
    detail: &Value,
) {
    let _ = ds;
    let terms = ClvTerms {
        first_month: 1,
        unit,
        horizon_months: 12,
        discount_rate: 0.01,
        margin: 1.0,
    };
    let details = detail.as_array().unwrap();
    assert!(details.len() >= 10);
    for c in details {
        let id = c["customer"].as_str().unwrap();
        let s = named[id];
        assert_eq!(s.frequency, num(&c["frequency"]), "{id} frequency");
        assert_rel(
            s.recency,
            num(&c["recency"]),
            1e-12,
            &format!("{id} recency"),
        );
        assert_rel(s.t, num(&c["T"]), 1e-12, &format!("{id} T"));
        assert_abs(
            s.monetary_value.unwrap(),
            num(&c["monetary_value"]),
            1e-9,
            &format!("{id} monetary"),
        );
        let pred = predict(bg, Some(gg), std::slice::from_ref(s), &terms)[0].unwrap();
        assert_rel(
            pred.p_alive,
            num(&c["p_alive"]),
            1e-4,
            &format!("{id} P(alive)"),
        );
        for (t, v) in c["expected_purchases"].as_object().unwrap() {
            let t: f64 = t.parse().unwrap();
            let e = bg
                .expected_purchases(t, s.frequency, s.recency, s.t)
                .unwrap();
            assert_rel(e, num(v), 1e-4, &format!("{id} E[Y({t})]"));
        }
        assert_rel(
            pred.expected_spend.unwrap(),
            num(&c["expected_average_profit"]),
            1e-4,
            &format!("{id} expected spend"),
        );
        assert_rel(
            pred.clv.unwrap(),
            num(&c["clv_12_months"]),
            1e-4,
            &format!("{id} CLV"),
        );
    }
}

/// Full-period fits on a larger data set: parameters, totals and chosen
/// customers against lifetimes.
fn full_period(file: &str, key: &str, unit: TimeUnit) {
    let reference = reference();
    let r = &reference[key];
    let ds = load(file);
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), unit);
    assert_eq!(rows.len() as u64, r["customers"].as_u64().unwrap());
    let fit = fit_bgnbd(&rows).unwrap();
    assert!(fit.converged, "{fit:?}");
    assert_bgnbd_equals(&fit, &r["bgnbd"]);
    let repeaters: Vec<&CustomerSummary> = rows
        .iter()
        .filter(|s| s.frequency > 0.0 && s.monetary_value.unwrap() > 0.0)
        .collect();
    assert_eq!(repeaters.len() as u64, r["gg_customers"].as_u64().unwrap());
    let gg = fit_gamma_gamma(
        &repeaters.iter().map(|s| s.frequency).collect::<Vec<_>>(),
        &repeaters
            .iter()
            .map(|s| s.monetary_value.unwrap())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let g = &r["gg"];
    assert_rel(gg.params.p, num(&g["p"]), 1e-4, "gg p");
    assert_rel(gg.params.q, num(&g["q"]), 1e-4, "gg q");
    assert_rel(gg.params.v, num(&g["v"]), 1e-4, "gg v");
    for (t, v) in r["expected_purchases_total"].as_object().unwrap() {
        let t: f64 = t.parse().unwrap();
        let total: f64 = rows
            .iter()
            .map(|s| {
                fit.params
                    .expected_purchases(t, s.frequency, s.recency, s.t)
                    .unwrap()
            })
            .sum();
        assert_rel(total, num(v), 1e-4, &format!("Σ E[Y({t})]"));
    }
    let terms = ClvTerms {
        first_month: 1,
        unit,
        horizon_months: 12,
        discount_rate: 0.01,
        margin: 1.0,
    };
    let owned: Vec<CustomerSummary> = repeaters.iter().map(|s| (*s).clone()).collect();
    let clv_total: f64 = predict(&fit.params, Some(&gg.params), &owned, &terms)
        .iter()
        .map(|p| p.unwrap().clv.unwrap())
        .sum();
    assert_rel(
        clv_total,
        num(&r["clv_repeat_total"]),
        1e-4,
        "Σ CLV of repeat customers",
    );
    check_customers(
        &ds,
        &by_name(&ds, &rows),
        &fit.params,
        &gg.params,
        unit,
        &r["customers_detail"],
    );
}

#[test]
fn cdnow_master_full_period_equals_lifetimes() {
    full_period("cdnow/CDNOW_master.txt", "cdnow_master", TimeUnit::Week);
}

#[test]
fn uci_online_retail_equals_lifetimes() {
    full_period("uci_online_retail.csv.gz", "uci", TimeUnit::Day);
}
