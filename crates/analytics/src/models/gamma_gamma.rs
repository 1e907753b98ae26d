//! Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of
//! Monetary Value"): a customer's transaction values are Gamma(p, ν) around a
//! personal mean p/ν, ν ~ Gamma(q, v) across customers. Fitted by maximum
//! likelihood on the repeat customers' number of repeat purchases x and their
//! average value m̄.

use std::borrow::Cow;

use super::special::SameEverywhere;
use serde::{Deserialize, Serialize};

use super::bgnbd::{
    distinct, FitError, COARSE_SUBSAMPLE, FINE_ABOVE, MIN_REPEATERS, SUBSAMPLE_ABOVE,
    SUBSAMPLE_TRIPLES,
};
use super::optim::{self, Objective, Solver, CONVERGED_GRADIENT};
use super::special::{digamma, ln_gamma, trigamma};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

/// |Pearson r| between frequency and average spend above which the model's
/// independence assumption is doubtful (Fader & Hardie 2013 check this
/// correlation before using the model; 0.3 is the usual "weak" boundary).
pub const CORRELATION_WARNING: f64 = 0.3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    pub standard_errors: Option<GammaGammaParams>,
    pub log_likelihood: f64,
    /// Repeat customers the model was fitted on.
    pub customers: u64,
    pub iterations: u64,
    pub solver: Solver,
    pub gradient_max: f64,
    pub converged: bool,
    /// Pearson correlation between frequency and average spend; `None` when
    /// either does not vary.
    pub spend_frequency_correlation: Option<f64>,
    /// |correlation| > [`CORRELATION_WARNING`]: spend depends on frequency and
    /// the model's predictions are biased.
    pub correlation_warning: bool,
    /// Covariance of (ln p, ln q, ln v) (see `BgNbdFit::log_covariance`).
    #[serde(default)]
    pub log_covariance: Option<Vec<Vec<f64>>>,
}

struct Likelihood<'a> {
    x: &'a [f64],
    ln_m: Vec<f64>,
    m: &'a [f64],
    /// Per customer, the index of its x in `xs` (the gamma terms depend on x only).
    xi: Vec<u32>,
    xs: Vec<f64>,
    /// ln x of each of `xs`: a column of every customer's took 8 bytes a
    /// repeat customer (6.4 MB at 5M rows) for a few hundred values.
    ln_xs: Vec<f64>,
    /// Customers per distinct x.
    x_count: Vec<f64>,
}

/// Log-likelihood, gradient and Hessian in natural parameters (p, q, v).
type Curvature = (f64, [f64; 3], [[f64; 3]; 3]);

impl<'a> Likelihood<'a> {
    fn new(x: &'a [f64], m: &'a [f64]) -> Self {
        // The distinct x ascending (the Hessian adds over them in that
        // order), found without a sorted copy of every customer's x (6.4 MB
        // at 5M rows): distinct as met, then those few sorted.
        let (met, mut xi) = distinct(x);
        let mut order: Vec<u32> = (0..met.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| met[a as usize].total_cmp(&met[b as usize]));
        let xs: Vec<f64> = order.iter().map(|&k| met[k as usize]).collect();
        let mut rank = vec![0u32; met.len()];
        for (r, &k) in order.iter().enumerate() {
            rank[k as usize] = r as u32;
        }
        for i in &mut xi {
            *i = rank[*i as usize];
        }
        let mut x_count = vec![0.0; xs.len()];
        for &i in &xi {
            x_count[i as usize] += 1.0;
        }
        Likelihood {
            x_count,
            x,
            m,
            ln_m: m.iter().map(|v| v.ln_()).collect(),
            ln_xs: xs.iter().map(|v| v.ln_()).collect(),
            xi,
            xs,
        }
    }

    /// Total log-likelihood, its gradient and its Hessian in (p, q, v), in
    /// one pass. Per customer, with u = x·m̄ + v:
    /// ∂²ℓ/∂p² = x²(ψ₁(px+q) − ψ₁(px)), ∂²ℓ/∂p∂q = x ψ₁(px+q),
    /// ∂²ℓ/∂p∂v = −x/u, ∂²ℓ/∂q² = ψ₁(px+q) − ψ₁(q), ∂²ℓ/∂q∂v = 1/v − 1/u,
    /// ∂²ℓ/∂v² = −q/v² + (px+q)/u².
    fn total(&self, p: f64, q: f64, v: f64) -> Option<Curvature> {
        if !(p > 0.0 && q > 0.0 && v > 0.0) {
            return None;
        }
        let per_x: Vec<(f64, f64, f64)> = self
            .xs
            .iter()
            .map(|&x| {
                let px = p * x;
                (
                    ln_gamma(px + q) - ln_gamma(px),
                    digamma(px + q) - digamma(px),
                    digamma(px + q),
                )
            })
            .collect();
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln_());
        let (mut ll, mut g, mut h) = (0.0, [0.0f64; 3], [[0.0f64; 3]; 3]);
        for i in 0..self.x.len() {
            let x = self.x[i];
            let (gam, dgam, dg_pxq) = per_x[self.xi[i] as usize];
            let ln_x = self.ln_xs[self.xi[i] as usize];
            let px = p * x;
            let xm_v = x * self.m[i] + v;
            let ln_xm_v = xm_v.ln_();
            ll +=
                gam - lg_q + q * ln_v + (px - 1.0) * self.ln_m[i] + px * ln_x - (px + q) * ln_xm_v;
            g[0] += x * (dgam + self.ln_m[i] + ln_x - ln_xm_v);
            g[1] += dg_pxq - dg_q + ln_v - ln_xm_v;
            let inv_u = 1.0 / xm_v;
            g[2] += q / v - (px + q) * inv_u;
            h[0][2] -= x * inv_u;
            h[1][2] -= inv_u;
            h[2][2] += (px + q) * inv_u * inv_u;
        }
        let n = self.x.len() as f64;
        h[1][2] += n / v;
        h[2][2] -= n * q / (v * v);
        let tg_q = trigamma(q);
        for (&x, &count) in self.xs.iter().zip(&self.x_count) {
            let px = p * x;
            let tg_pxq = trigamma(px + q);
            h[0][0] += count * x * x * (tg_pxq - trigamma(px));
            h[0][1] += count * x * tg_pxq;
            h[1][1] += count * (tg_pxq - tg_q);
        }
        let finite = ll.is_finite()
            && g.iter().all(|v| v.is_finite())
            && h.iter().flatten().all(|v| v.is_finite());
        finite.then_some((ll, g, optim::symmetric(h)))
    }
}

impl Objective for Likelihood<'_> {
    fn value_and_gradient(&self, lp: &[f64]) -> Option<(f64, Vec<f64>)> {
        let (p, q, v) = (lp[0].exp_(), lp[1].exp_(), lp[2].exp_());
        let (ll, g, _) = self.total(p, q, v)?;
        let n = self.x.len() as f64;
        Some((-ll / n, vec![-g[0] * p / n, -g[1] * q / n, -g[2] * v / n]))
    }

    fn value_gradient_hessian(&self, lp: &[f64]) -> Option<optim::WithHessian> {
        let natural = [lp[0].exp_(), lp[1].exp_(), lp[2].exp_()];
        let (ll, g, h) = self.total(natural[0], natural[1], natural[2])?;
        let n = self.x.len() as f64;
        Some(optim::mean_negative_in_logs(&natural, n, ll, &g, &h))
    }
}

/// Pearson correlation; `None` when either variable is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len().min(b.len());
    if n < 2 {
        return None;
    }
    let ma = a[..n].iter().sum::<f64>() / n as f64;
    let mb = b[..n].iter().sum::<f64>() / n as f64;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (da, db) = (a[i] - ma, b[i] - mb);
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    let r = sab / (saa * sbb).sqrt();
    r.is_finite().then_some(r.clamp(-1.0, 1.0))
}

/// Fits the Gamma-Gamma model to repeat customers: `frequency[i]` repeat
/// purchases with average value `monetary[i]`. Customers with frequency 0
/// carry no spend information and are left out; among the others any
/// average value that is zero, negative or not finite is refused with
/// [`FitError::NonPositiveSpend`] naming how many customers have one.
pub fn fit_gamma_gamma(frequency: &[f64], monetary: &[f64]) -> Result<GammaGammaFit, FitError> {
    let repeat = |x: &f64| x.is_finite() && *x > 0.0;
    // The CLV section passes repeat customers only: used as they are, not
    // copied (12.8 MB at 5M rows).
    let (x, m): (Cow<[f64]>, Cow<[f64]>) =
        if frequency.len() == monetary.len() && frequency.iter().all(repeat) {
            (Cow::Borrowed(frequency), Cow::Borrowed(monetary))
        } else {
            let (x, m): (Vec<f64>, Vec<f64>) = frequency
                .iter()
                .zip(monetary)
                .filter(|(x, _)| repeat(x))
                .map(|(x, m)| (*x, *m))
                .unzip();
            (Cow::Owned(x), Cow::Owned(m))
        };
    let bad = m.iter().filter(|v| !(v.is_finite() && **v > 0.0)).count() as u64;
    if bad > 0 {
        return Err(FitError::NonPositiveSpend { customers: bad });
    }
    let n = x.len();
    if (n as u64) < MIN_REPEATERS {
        return Err(FitError::TooFewRepeaters {
            repeaters: n as u64,
            needed: MIN_REPEATERS,
        });
    }
    let (x, m) = (&x[..], &m[..]);
    let likelihood = Likelihood::new(x, m);
    // Starts: p and q from a small grid, v such that the population mean
    // p·v/(q−1) equals the observed mean spend (right scale in any currency),
    // plus lifetimes' all-ones start.
    let mean = m.iter().sum::<f64>() / n as f64;
    let mut starts = vec![vec![0.0; 3]];
    for p in [1.0f64, 5.0] {
        for q in [2.0f64, 4.0] {
            let v = (mean * (q - 1.0) / p).clamp(1e-6, 1e12);
            starts.push(vec![p.ln_(), q.ln_(), v.ln_()]);
        }
    }
    // Many customers: start from the optimum of systematic subsamples (see
    // `bgnbd::SUBSAMPLE_ABOVE`); the estimate is still the full data's.
    let subsample = |size: usize| {
        let step = (n / size).max(1);
        let xs: Vec<f64> = x.iter().step_by(step).copied().collect();
        let ms: Vec<f64> = m.iter().step_by(step).copied().collect();
        (xs, ms)
    };
    let near = (n > SUBSAMPLE_ABOVE)
        .then(|| {
            let (xs, ms) = subsample(COARSE_SUBSAMPLE);
            let coarse = optim::minimise(&Likelihood::new(&xs, &ms), &starts)?;
            if n <= FINE_ABOVE {
                return Some(coarse);
            }
            let (xs, ms) = subsample(SUBSAMPLE_TRIPLES);
            optim::minimise_near(&Likelihood::new(&xs, &ms), coarse.log_params)
        })
        .flatten();
    let minimum = match near {
        Some(sub) => optim::minimise_near(&likelihood, sub.log_params),
        None => optim::minimise(&likelihood, &starts),
    }
    .ok_or(FitError::NoFiniteStart)?;
    const NAMES: [&str; 3] = ["p", "q", "v"];
    for (i, v) in minimum.log_params.iter().enumerate() {
        if v.abs() > optim::LOG_BOUND - 5.0 {
            return Err(FitError::Degenerate {
                parameter: NAMES[i],
                direction: if *v > 0.0 { "infinity" } else { "zero" },
            });
        }
    }
    let lp = &minimum.log_params;
    let params = GammaGammaParams {
        p: lp[0].exp_(),
        q: lp[1].exp_(),
        v: lp[2].exp_(),
    };
    let standard_errors = optim::standard_errors(&minimum, n as f64).map(|se| GammaGammaParams {
        p: se[0],
        q: se[1],
        v: se[2],
    });
    let spend_frequency_correlation = pearson(x, m);
    Ok(GammaGammaFit {
        params,
        standard_errors,
        log_likelihood: -minimum.value * n as f64,
        customers: n as u64,
        iterations: minimum.iterations,
        solver: minimum.solver,
        gradient_max: minimum.gradient_max,
        converged: minimum.gradient_max < CONVERGED_GRADIENT,
        spend_frequency_correlation,
        correlation_warning: spend_frequency_correlation
            .is_some_and(|r| r.abs() > CORRELATION_WARNING),
        log_covariance: optim::log_covariance(&minimum, n as f64)
            .filter(|_| standard_errors.is_some()),
    })
}

impl GammaGammaParams {
    /// Mean spend per transaction across the population, p·v/(q−1); `None`
    /// when q ≤ 1 (the mean does not exist).
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.p * self.v / (self.q - 1.0))
    }

    /// E[M | x, m̄] (Fader & Hardie 2013 eq. 5; lifetimes'
    /// `conditional_expected_average_profit`): the weighted mean
    /// p(v + x·m̄)/(p·x + q − 1) of the population mean and the customer's own
    /// average. For x = 0 it is the population mean. `None` when
    /// p·x + q ≤ 1 (no finite mean).
    pub fn expected_average_spend(&self, x: f64, m: f64) -> Option<f64> {
        let denominator = self.p * x + self.q - 1.0;
        let m = if x > 0.0 { m } else { 0.0 };
        let value = self.p * (self.v + x * m) / denominator;
        (denominator > 0.0 && value.is_finite()).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analytic Hessian against central differences of the analytic
    /// gradient.
    #[test]
    fn hessian_matches_differences_of_the_gradient() {
        let x = [1.0, 2.0, 2.0, 5.0, 40.0];
        let m = [10.0, 35.5, 20.0, 7.25, 99.0];
        let likelihood = Likelihood::new(&x, &m);
        optim::testing::assert_hessian_matches_gradient([6.25, 3.74, 15.44], |p| {
            let (_, g, h) = likelihood.total(p[0], p[1], p[2]).unwrap();
            (g, h)
        });
    }
}
