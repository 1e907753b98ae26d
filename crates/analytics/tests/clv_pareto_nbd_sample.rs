//! Pareto/NBD on a large shop: above `SAMPLE_ABOVE` distinct histories it
//! is fitted on a systematic sample of them (models/pareto_nbd.rs), the
//! optimum of a coarse sample refined by quasi-Newton steps that start from
//! that optimum's Hessian (optim::minimise_with_hessian). A shop of 40,000 customers drawn
//! from known parameters (Fader & Hardie's CDNOW values, a week as the
//! unit; observation 26-78 weeks) has a distinct history per customer: the
//! fit is the sample's, converged, and each parameter lies within 3.5 of the
//! sample's standard errors of the truth (the four together: the largest
//! of four normal deviates is above 3.5 with probability 0.002).

mod clv_support;

use clv_support::Rng;
use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::optim::Solver;
use loyalty_analytics::models::pareto_nbd::{
    fit_pareto_nbd, ParetoNbdParams, SAMPLE_ABOVE, SAMPLE_TRIPLES,
};

const TRUTH: ParetoNbdParams = ParetoNbdParams {
    r: 0.55,
    alpha: 10.58,
    s: 0.61,
    beta: 11.67,
};

fn shop(customers: usize, seed: u64) -> Vec<CustomerSummary> {
    let mut rng = Rng(seed);
    (0..customers)
        .map(|i| {
            let big_t = 26.0 + 52.0 * rng.uniform();
            let lambda = rng.gamma(TRUTH.r) / TRUTH.alpha;
            let mu = rng.gamma(TRUTH.s) / TRUTH.beta;
            let end = (-rng.uniform().ln() / mu).min(big_t);
            let (x, t_x) = rng.purchases_until(lambda, end);
            CustomerSummary {
                customer: i as u32,
                frequency: f64::from(x),
                recency: t_x,
                t: big_t,
                monetary_value: None,
            }
        })
        .collect()
}

#[test]
fn large_shops_are_fitted_on_a_sample_by_quasi_newton_steps() {
    let rows = shop(40_000, 0x5A3B_1E00);
    let fit = fit_pareto_nbd(&rows).unwrap();
    assert!(fit.distinct_triples as usize > SAMPLE_ABOVE);
    let sampled = fit.sample_customers.expect("fitted on a sample");
    // A systematic sample of SAMPLE_TRIPLES histories, one customer each.
    assert_eq!(sampled as usize, SAMPLE_TRIPLES);
    assert!(fit.converged, "gradient {}", fit.gradient_max);
    assert_eq!(
        fit.solver,
        Solver::Newton,
        "the quasi-Newton steps converged (6 here)"
    );
    let se = fit.standard_errors.expect("standard errors");
    let p = fit.params;
    eprintln!("fit {p:?}\nstandard errors {se:?}");
    for (name, estimate, error, truth) in [
        ("r", p.r, se.r, TRUTH.r),
        ("alpha", p.alpha, se.alpha, TRUTH.alpha),
        ("s", p.s, se.s, TRUTH.s),
        ("beta", p.beta, se.beta, TRUTH.beta),
    ] {
        assert!(
            (estimate - truth).abs() < 3.5 * error,
            "{name}: {estimate} ± {error}, truth {truth}"
        );
    }
}
