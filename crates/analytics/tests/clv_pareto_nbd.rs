//! Pareto/NBD against the published CDNOW fit (Fader, Hardie & Lee 2005),
//! against data drawn from the model with known parameters, against the
//! lifetimes package (tests/reference/pareto_nbd_lifetimes.py, whose output is
//! tests/reference/pareto_nbd_lifetimes.rs) and over
//! generated histories.

mod clv_support;
#[path = "reference/pareto_nbd_lifetimes.rs"]
mod lifetimes;

use clv_support::*;
use lifetimes::*;
use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::bgnbd::{fit_bgnbd, FitError};
use loyalty_analytics::models::degenerate::Limit;
use loyalty_analytics::models::optim::Solver;
use loyalty_analytics::models::pareto_nbd::{
    fit_pareto_nbd, ParetoNbdFit, ParetoNbdParams, QUASI_NEWTON_ABOVE,
};
use loyalty_analytics::models::summary::{day_number, PurchaseHistories, TimeUnit};
use loyalty_analytics::report::NaiveDate;
use proptest::prelude::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cdnow_sample_calibration() -> Vec<CustomerSummary> {
    let ds = load("cdnow/CDNOW_sample.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    h.summaries(day_number(date("1997-09-30")), TimeUnit::Week)
}

// ---------------------------------------------------------------------------
// CDNOW, the paper and lifetimes.
// ---------------------------------------------------------------------------

/// CDNOW 1/10 sample (2,357 customers), 39-week calibration to 1997-09-30,
/// time in weeks (days / 7).
///
/// Published (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves
/// for Customer Base Analysis", and Fader & Hardie's Pareto/NBD note):
/// r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL = −9595.0. They are given to
/// 2 decimals (LL to 1), so "equal" means equal after rounding: within half a
/// unit of the last published digit, 0.005 (LL 0.05).
///
/// |                   | r        | α         | s        | β         | LL          |
/// |-------------------|----------|-----------|----------|-----------|-------------|
/// | paper             | 0.55     | 10.58     | 0.61     | 11.67     | −9595.0     |
/// | ours              | 0.553277 | 10.577683 | 0.606240 | 11.668737 | −9594.97618 |
/// | lifetimes tight   | 0.553277 | 10.577683 | 0.606240 | 11.668737 | −9594.97618 |
/// | lifetimes default | 0.553262 | 10.577523 | 0.606220 | 11.668828 | −9594.97618 |
///
/// lifetimes 0.11.3 ParetoNBDFitter on the same summary (see
/// [`LIFETIMES_CDNOW`]): its default fit (Nelder-Mead, tol 1e-4) is what a
/// user gets; the "tight" refit from there (tol 1e-12) is the optimum to the
/// precision Nelder-Mead reaches. Ours against the tight fit: 1e-4 relative;
/// against the default fit: 1% (the issue's bar; the default stops early).
#[test]
fn cdnow_sample_calibration_matches_the_paper_and_lifetimes() {
    let cal = cdnow_sample_calibration();
    assert_eq!(cal.len(), 2357);
    let fit = fit_pareto_nbd(&cal).unwrap();
    eprintln!("{fit:?}");
    assert!(fit.converged);
    let p = fit.params;
    assert_abs(p.r, 0.55, 0.005, "r");
    assert_abs(p.alpha, 10.58, 0.005, "alpha");
    assert_abs(p.s, 0.61, 0.005, "s");
    assert_abs(p.beta, 11.67, 0.005, "beta");
    assert_abs(fit.log_likelihood, -9595.0, 0.05, "LL");
    assert_eq!(fit.repeat_customers, 946);
    let l = &LIFETIMES_CDNOW;
    assert_params_rel(&p, &l.default, 1e-2, "lifetimes default");
    assert_params_rel(&p, &l.tight, 1e-4, "lifetimes tight");
    assert!(l.not_finite.is_empty());
    check_log_likelihood(&cal, l);
    // Ours is the maximum: at least as high as at lifetimes' estimate.
    assert!(fit.log_likelihood >= l.tight_log_likelihood - 1e-9);
    check_customers(&p, l);
}

/// P(alive) and E[Y(t)] of lifetimes' chosen customers: ours at lifetimes'
/// tight parameters within 1e-9 relative (only the formulas differ: our
/// series/quadrature against scipy's hyp2f1 in lifetimes' log_A_0), and
/// with our own fitted parameters within 1e-3 (the issue's bar; they
/// inherit the parameters' 1e-6). Where lifetimes gives NaN (tₓ = T for a
/// heavy buyer) the exact value is P(alive) = 1.
fn check_customers(ours: &ParetoNbdParams, l: &LifetimesFit) {
    for c in l.customers {
        let what = format!("x={} tx={} T={}", c.x, c.t_x, c.t);
        if c.p_alive.is_nan() {
            assert_eq!(c.t_x, c.t, "lifetimes' NaN only where tₓ = T: {what}");
            assert_eq!(l.tight.p_alive(c.x, c.t_x, c.t), Ok(1.0), "{what}");
            assert_eq!(ours.p_alive(c.x, c.t_x, c.t), Ok(1.0), "{what}");
            assert!(ours.expected_purchases(52.0, c.x, c.t_x, c.t).unwrap() > 0.0);
            continue;
        }
        for (params, rel) in [(&l.tight, 1e-9), (ours, 1e-3)] {
            let alive = params.p_alive(c.x, c.t_x, c.t).unwrap();
            assert_rel(alive, c.p_alive, rel, &format!("P(alive) {what}"));
            for (t, e) in [(10.0, c.expected_10), (52.0, c.expected_52)] {
                let e_ours = params.expected_purchases(t, c.x, c.t_x, c.t).unwrap();
                assert_rel(e_ours, e, rel, &format!("E[Y({t})] {what}"));
            }
        }
    }
}

/// lifetimes' log-likelihood at its tight estimate equals ours at the same
/// parameters (1e-10 relative) over the customers where lifetimes' is
/// finite; where it is not, ours is.
fn check_log_likelihood(rows: &[CustomerSummary], l: &LifetimesFit) {
    let mut sum = 0.0;
    for s in rows {
        let ll = l.tight.log_likelihood(s.frequency, s.recency, s.t).unwrap();
        assert!(ll.is_finite());
        if !l.not_finite.contains(&(s.frequency, s.recency, s.t)) {
            sum += ll;
        }
    }
    assert_rel(
        sum,
        l.tight_log_likelihood,
        1e-10,
        "LL at lifetimes' estimate",
    );
}

#[track_caller]
fn assert_params_rel(ours: &ParetoNbdParams, theirs: &ParetoNbdParams, rel: f64, what: &str) {
    assert_rel(ours.r, theirs.r, rel, &format!("{what} r"));
    assert_rel(ours.alpha, theirs.alpha, rel, &format!("{what} alpha"));
    assert_rel(ours.s, theirs.s, rel, &format!("{what} s"));
    assert_rel(ours.beta, theirs.beta, rel, &format!("{what} beta"));
}

/// One customer's figures as lifetimes printed them.
struct Reference {
    x: f64,
    t_x: f64,
    t: f64,
    p_alive: f64,
    expected_10: f64,
    expected_52: f64,
}

/// A lifetimes fit: default and tight estimates, the log-likelihood (in the
/// summary's time unit) at the tight one, and chosen customers evaluated with
/// the tight parameters.
struct LifetimesFit {
    default: ParetoNbdParams,
    tight: ParetoNbdParams,
    tight_log_likelihood: f64,
    not_finite: &'static [(f64, f64, f64)],
    customers: &'static [Reference],
}

const fn params(r: f64, alpha: f64, s: f64, beta: f64) -> ParetoNbdParams {
    ParetoNbdParams { r, alpha, s, beta }
}

const fn customer(
    x: f64,
    t_x: f64,
    t: f64,
    p_alive: f64,
    expected_10: f64,
    expected_52: f64,
) -> Reference {
    Reference {
        x,
        t_x,
        t,
        p_alive,
        expected_10,
        expected_52,
    }
}

/// Parameters where one scale is many times the other (α/β = 1/80, 450,
/// 1/6000): z in Fader and Hardie's ₂F₁ is near 1 for young customers and
/// the dropout integral goes through the quadrature route. Against
/// lifetimes (scipy's hyp2f1) at 1e-9 relative; P(alive) down to 1e-5.
#[test]
fn quadrature_route_equals_lifetimes() {
    for (p, c) in LIFETIMES_EXTREME {
        let what = format!("{p:?} x={} tx={} T={}", c.x, c.t_x, c.t);
        assert_rel(
            p.p_alive(c.x, c.t_x, c.t).unwrap(),
            c.p_alive,
            1e-9,
            &format!("P(alive) {what}"),
        );
        for (t, e) in [(10.0, c.expected_10), (52.0, c.expected_52)] {
            let ours = p.expected_purchases(t, c.x, c.t_x, c.t).unwrap();
            assert_rel(ours, e, 1e-9, &format!("E[Y({t})] {what}"));
        }
    }
}

// ---------------------------------------------------------------------------
// The whole of CDNOW: lifetimes, the time of the fit.
// ---------------------------------------------------------------------------

/// CDNOW master (23,570 customers, 11,104 distinct triples), whole period to
/// 1998-06-30, weeks. Parameters against lifetimes' tight fit at 1e-4, its
/// default at 1%; lifetimes' log-likelihood is NaN for one customer (x =
/// 170, tₓ = T, see the script), ours is finite there.
///
/// The times of this fit and of BG/NBD's on the same rows are printed (`cargo
/// test --release -p loyalty-analytics --test clv_pareto_nbd master --
/// --nocapture`). 2026-12-05 on the 2-core dev machine, with other builds
/// running: Pareto/NBD 345-393 ms (22 L-BFGS iterations, each evaluation of
/// the likelihood and its gradient a pass over the triples, 8 more for the
/// Hessian), BG/NBD 47-59 ms (its likelihood has no ₂F₁, and it has an
/// analytic Hessian); five runs each. lifetimes' default
/// ParetoNBDFitter fit takes 13.5 s on the same machine. Most of the time
/// goes into the ₂F₁ series, two per customer and evaluation.
#[test]
fn cdnow_master_full_period_equals_lifetimes() {
    let ds = load("cdnow/CDNOW_master.txt");
    let h = PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), TimeUnit::Week);
    assert_eq!(rows.len(), 23_570);
    let start = std::time::Instant::now();
    let fit = fit_pareto_nbd(&rows).unwrap();
    let pareto_time = start.elapsed();
    let start = std::time::Instant::now();
    let bg = fit_bgnbd(&rows).unwrap();
    let bg_time = start.elapsed();
    eprintln!(
        "CDNOW master: {fit:?} in {pareto_time:?}; BG/NBD {:?} in {bg_time:?}",
        bg.params
    );
    assert!(fit.converged);
    assert!(fit.standard_errors.is_some());
    let l = &LIFETIMES_MASTER;
    assert_params_rel(&fit.params, &l.default, 1e-2, "lifetimes default");
    assert_params_rel(&fit.params, &l.tight, 1e-4, "lifetimes tight");
    check_log_likelihood(&rows, l);
    check_customers(&fit.params, l);
}

// ---------------------------------------------------------------------------
// Simulated Pareto/NBD customers.
// ---------------------------------------------------------------------------

/// The simulation's truth: purchase rates with mean r/α = 0.08 a week,
/// lifetimes with median rate s/β ≈ 0.06.
const TRUTH: ParetoNbdParams = params(0.7, 9.0, 0.9, 14.0);
const SIMULATED_CUSTOMERS: usize = 5000;
const SEED: u64 = 0x5EED_0021;

/// Customers drawn from the Pareto/NBD process (FH 2005 note, section 2):
/// λ ~ Gamma(r, rate α), μ ~ Gamma(s, rate β), the lifetime is exponential
/// with rate μ, purchases while alive are a Poisson process of rate λ.
/// Observation lengths T are uniform on [26, 78] weeks. Times are written
/// with 6 decimals (weeks; 0.6 s), the fixture's precision.
fn simulated_csv() -> String {
    let mut rng = Rng(SEED);
    let ParetoNbdParams { r, alpha, s, beta } = TRUTH;
    let mut text = String::from("frequency,recency,T\n");
    for _ in 0..SIMULATED_CUSTOMERS {
        let big_t = 26.0 + 52.0 * rng.uniform();
        let lambda = rng.gamma(r) / alpha;
        let mu = rng.gamma(s) / beta;
        let end = (-rng.uniform().ln() / mu).min(big_t);
        let (x, t_x) = rng.purchases_until(lambda, end);
        text.push_str(&format!("{x},{t_x:.6},{big_t:.6}\n"));
    }
    text
}

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/pareto_nbd_simulated.csv"
);

fn read_summary(text: &str) -> Vec<CustomerSummary> {
    text.lines()
        .skip(1)
        .enumerate()
        .map(|(i, line)| {
            let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
            CustomerSummary {
                customer: i as u32,
                frequency: v[0],
                recency: v[1],
                t: v[2],
                monetary_value: None,
            }
        })
        .collect()
}

/// The committed fixture is what the generator makes (set
/// LOYALTY_WRITE_FIXTURES=1 to write it anew after changing the generator).
#[test]
fn simulated_fixture_is_the_generators_output() {
    let text = simulated_csv();
    if std::env::var_os("LOYALTY_WRITE_FIXTURES").is_some() {
        std::fs::write(FIXTURE, &text).unwrap();
    }
    let committed = std::fs::read_to_string(FIXTURE).expect("pareto_nbd_simulated.csv");
    assert!(
        committed == text,
        "{FIXTURE} differs from the generator's output"
    );
}

fn simulated_fit() -> (Vec<CustomerSummary>, ParetoNbdFit) {
    let rows = read_summary(&simulated_csv());
    assert_eq!(rows.len(), SIMULATED_CUSTOMERS);
    let fit = fit_pareto_nbd(&rows).unwrap();
    (rows, fit)
}

/// Customers who all drop out at the same rate (μ = 0.04 a week, no gamma
/// mixture): the likelihood rises towards s, β → ∞ at s/β = μ, and the fit
/// says so: degenerate, running off to one dropout rate for all near the
/// truth, without standard errors, and still predicting what the limit
/// model predicts.
///
/// The limit model by hand: with μ fixed and λ ~ Gamma(r, α), integrating
/// λ out of "alive at T" (λˣe^{−λT}e^{−μT}) and "gone at τ in (tₓ, T)"
/// (λˣe^{−λτ}·μe^{−μτ}) gives
///
///   P(alive) = 1 / (1 + μ·e^{μT}(α+T)^{r+x} ∫ from tₓ to T of e^{−μτ}(α+τ)^{−(r+x)} dτ),
///
/// integrated here by Simpson's rule on 2,000 intervals, independently of
/// the model's ₂F₁ series and quadrature.
#[test]
fn homogeneous_dropout_is_reported_as_degenerate() {
    let mut rng = Rng(SEED);
    let rows: Vec<CustomerSummary> = (0..1500)
        .map(|i| {
            let big_t = 26.0 + 52.0 * rng.uniform();
            let lambda = rng.gamma(TRUTH.r) / TRUTH.alpha;
            let end = (-rng.uniform().ln() / 0.04).min(big_t);
            let (x, t_x) = rng.purchases_until(lambda, end);
            CustomerSummary {
                customer: i,
                frequency: f64::from(x),
                recency: t_x,
                t: big_t,
                monetary_value: None,
            }
        })
        .collect();
    let fit = fit_pareto_nbd(&rows).unwrap();
    eprintln!("{fit:?}");
    let [Limit::SameDropoutRate { rate }] = fit.degenerate[..] else {
        panic!("{:?}", fit.degenerate);
    };
    // Within 20% of the simulated rate (1500 customers, about 700 observed
    // to leave within their window).
    assert!((rate - 0.04).abs() < 0.2 * 0.04, "{rate}");
    assert!(fit.standard_errors.is_none());
    let p = fit.params;
    let limit_p_alive = |x: f64, t_x: f64, t: f64| {
        let e = p.r + x;
        let f = |tau: f64| (-rate * (tau - t)).exp() * ((p.alpha + t) / (p.alpha + tau)).powf(e);
        let n = 2000;
        let h = (t - t_x) / n as f64;
        let simpson: f64 = (0..=n)
            .map(|i| {
                let w = if i == 0 || i == n {
                    1.0
                } else if i % 2 == 1 {
                    4.0
                } else {
                    2.0
                };
                w * f(t_x + i as f64 * h)
            })
            .sum::<f64>()
            * h
            / 3.0;
        1.0 / (1.0 + rate * simpson)
    };
    assert_eq!(p.p_alive(3.0, 40.0, 40.0), Ok(1.0));
    for (x, t_x, t) in [
        (0.0, 0.0, 40.0),
        (3.0, 35.0, 40.0),
        (3.0, 10.0, 40.0),
        (12.0, 20.0, 70.0),
    ] {
        let ours = p.p_alive(x, t_x, t).unwrap();
        assert_rel(
            ours,
            limit_p_alive(x, t_x, t),
            1e-3,
            &format!("P(alive) {x} {t_x} {t}"),
        );
    }
    assert!(p
        .expected_purchases(52.0, 3.0, 10.0, 40.0)
        .unwrap()
        .is_finite());
}

/// Each estimate within 3 standard errors of the truth (a 99.7% band per
/// parameter when the standard errors are right; the seed is fixed, so the
/// test is deterministic), and the standard errors of the size 5,000
/// customers allow (not degenerate).
#[test]
fn simulated_customers_give_back_the_parameters() {
    let (_, fit) = simulated_fit();
    eprintln!("{fit:?}");
    assert!(fit.converged);
    // More than QUASI_NEWTON_ABOVE distinct histories: quasi-Newton steps on
    // all of them from a coarse sample's optimum.
    assert!(fit.distinct_triples as usize > QUASI_NEWTON_ABOVE);
    assert_eq!(fit.solver, Solver::Newton);
    let se = fit.standard_errors.unwrap();
    let checks = [
        ("r", fit.params.r, se.r, TRUTH.r),
        ("alpha", fit.params.alpha, se.alpha, TRUTH.alpha),
        ("s", fit.params.s, se.s, TRUTH.s),
        ("beta", fit.params.beta, se.beta, TRUTH.beta),
    ];
    for (name, estimate, se, truth) in checks {
        let z = (estimate - truth) / se;
        eprintln!("{name}: {estimate:.4} ± {se:.4} (truth {truth}, z = {z:.2})");
        assert!(z.abs() < 3.0, "{name}: {estimate} ± {se} vs {truth}");
        assert!(se > 0.0 && se < 0.5 * truth, "{name}: SE {se}");
    }
}

/// lifetimes on the simulated fixture: parameters within 1% of its default
/// fit and 1e-4 of its tight one, the log-likelihood, and P(alive) and
/// E[Y(t)] of chosen customers (see [`check_customers`]).
#[test]
fn simulated_fit_and_predictions_equal_lifetimes() {
    let (rows, fit) = simulated_fit();
    let l = &LIFETIMES_SIMULATED;
    assert_params_rel(&fit.params, &l.default, 1e-2, "lifetimes default");
    assert_params_rel(&fit.params, &l.tight, 1e-4, "lifetimes tight");
    check_log_likelihood(&rows, l);
    check_customers(&fit.params, l);
}

// ---------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------

fn any_params() -> impl Strategy<Value = ParetoNbdParams> {
    (0.01f64..20.0, 0.01f64..500.0, 0.01f64..20.0, 0.01f64..500.0)
        .prop_map(|(r, alpha, s, beta)| params(r, alpha, s, beta))
}

/// (x, tₓ, T) with 0 ≤ tₓ ≤ T and tₓ = 0 when x = 0.
fn history() -> impl Strategy<Value = (f64, f64, f64)> {
    (0u32..300, 0.0f64..=1.0, 0.0f64..500.0).prop_map(|(x, share, t)| {
        let t_x = if x == 0 { 0.0 } else { share * t };
        (f64::from(x), t_x, t)
    })
}

/// Small summaries: 10 to 40 customers with whole-day times in weeks.
fn small_summary() -> impl Strategy<Value = Vec<CustomerSummary>> {
    prop::collection::vec((0u32..12, 0.0f64..=1.0, 0u32..400), 10..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (x, share, days))| {
                let t = f64::from(days) / 7.0;
                let t_x = if x == 0 {
                    0.0
                } else {
                    (share * f64::from(days)).round() / 7.0
                };
                CustomerSummary {
                    customer: i as u32,
                    frequency: f64::from(x),
                    recency: t_x,
                    t,
                    monetary_value: None,
                }
            })
            .collect()
    })
}

fn is_plain_non_negative(v: f64) -> bool {
    v.is_finite() && v >= 0.0 && v.is_sign_positive()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn p_alive_is_a_probability_and_expectations_are_finite(
        p in any_params(),
        (x, t_x, t) in history(),
        horizon in 0.0f64..200.0,
    ) {
        let alive = p.p_alive(x, t_x, t).unwrap();
        prop_assert!(is_plain_non_negative(alive) && alive <= 1.0, "{alive}");
        let e = p.expected_purchases(horizon, x, t_x, t).unwrap();
        prop_assert!(is_plain_non_negative(e), "{e}");
        prop_assert!(p.log_likelihood(x, t_x, t).unwrap().is_finite());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// A fit of a small random summary either fails with a typed error or
    /// gives parameters whose predictions are plain numbers for every
    /// customer.
    #[test]
    fn small_summaries_fit_or_fail_cleanly(rows in small_summary()) {
        match fit_pareto_nbd(&rows) {
            Ok(fit) => {
                prop_assert!(fit.log_likelihood.is_finite());
                for s in &rows {
                    let alive = fit.params.p_alive(s.frequency, s.recency, s.t).unwrap();
                    prop_assert!(is_plain_non_negative(alive) && alive <= 1.0, "{alive}");
                    let e = fit.params.expected_purchases(52.0, s.frequency, s.recency, s.t).unwrap();
                    prop_assert!(is_plain_non_negative(e), "{e}");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// Summaries the model cannot be fitted to are typed errors.
#[test]
fn degenerate_summaries_are_errors() {
    let row = |x: f64, t_x: f64, t: f64| CustomerSummary {
        customer: 0,
        frequency: x,
        recency: t_x,
        t,
        monetary_value: None,
    };
    let nobody_returns: Vec<_> = (0..100)
        .map(|i| row(0.0, 0.0, 10.0 + f64::from(i)))
        .collect();
    assert!(matches!(
        fit_pareto_nbd(&nobody_returns),
        Err(FitError::TooFewRepeaters { .. })
    ));
    assert!(matches!(
        fit_pareto_nbd(&nobody_returns[..5]),
        Err(FitError::TooFewCustomers { .. })
    ));
    assert!(matches!(
        fit_pareto_nbd(&[]),
        Err(FitError::TooFewCustomers { .. })
    ));
}
