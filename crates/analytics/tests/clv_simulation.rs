//! Data drawn from a BG/NBD process with known parameters give them back.
//!
//! The generator follows the model's definition (FHL 2005 section 2): each
//! customer has λ ~ Gamma(r, rate α) and p ~ Beta(a, b); purchases while
//! alive are a Poisson process of rate λ; after each repeat purchase the
//! customer drops out with probability p. Observation lengths T are uniform
//! on [26, 78] weeks.

use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::bgnbd::fit_bgnbd;
use loyalty_analytics::models::optim::Solver;

mod clv_support;
use clv_support::Rng;

fn simulate(n: usize, r: f64, alpha: f64, a: f64, b: f64, seed: u64) -> Vec<CustomerSummary> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let big_t = 26.0 + 52.0 * rng.uniform();
            let lambda = rng.gamma(r) / alpha;
            let p = rng.beta(a, b);
            let (mut t, mut x, mut t_x) = (0.0, 0u32, 0.0);
            loop {
                t += -rng.uniform().ln() / lambda;
                if t > big_t {
                    break;
                }
                x += 1;
                t_x = t;
                if rng.uniform() < p {
                    break;
                }
            }
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

/// Each estimate within 3 standard errors of the truth (a 99.7% band per
/// parameter for a correctly computed SE; the seed is fixed, so the test is
/// deterministic), and the standard errors themselves of the size the
/// sample allows (not degenerate).
#[test]
fn simulated_customers_give_back_the_parameters() {
    let (r, alpha, a, b) = (0.5, 8.0, 0.7, 2.5);
    // 40,000 customers with continuous times: 40,000 distinct triples, so the
    // fit also goes through the subsample warm start (above 30,000).
    let rows = simulate(40_000, r, alpha, a, b, 0x5EED_0001);
    let fit = fit_bgnbd(&rows).unwrap();
    assert!(fit.converged);
    assert_eq!(fit.distinct_triples, 40_000);
    // The subsample only chose the start: the estimate is the full data's
    // maximum (gradient of the mean log-likelihood near zero).
    assert_eq!(fit.solver, Solver::Newton);
    assert!(fit.gradient_max < 1e-8, "{}", fit.gradient_max);
    let se = fit.standard_errors.unwrap();
    let checks = [
        ("r", fit.params.r, se.r, r),
        ("alpha", fit.params.alpha, se.alpha, alpha),
        ("a", fit.params.a, se.a, a),
        ("b", fit.params.b, se.b, b),
    ];
    for (name, estimate, se, truth) in checks {
        let z = (estimate - truth) / se;
        eprintln!("{name}: {estimate:.4} ± {se:.4} (truth {truth}, z = {z:.2})");
        assert!(z.abs() < 3.0, "{name}: {estimate} ± {se} vs {truth}");
        assert!(se > 0.0 && se < 0.5 * truth, "{name}: SE {se}");
    }
}
