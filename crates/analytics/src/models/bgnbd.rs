//! BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
//! purchases while alive are Poisson(λ), λ ~ Gamma(r, α); after every purchase
//! the customer drops out with probability p ~ Beta(a, b).
//!
//! Fitted by maximum likelihood on the distinct (x, tₓ, T) triples with their
//! counts as weights; the log-likelihood is formed in log space (equation 6
//! of the paper with the two terms combined by log-sum-exp), parameters are
//! optimised as logarithms (so they stay positive) inside ±30 (see
//! [`super::optim::LOG_BOUND`]) with the analytic gradient.

use super::special::SameEverywhere;
use rustc_hash::FxHashMap;

use crate::float_key::FloatKey;
use serde::{Deserialize, Serialize};

use super::degenerate::{bgnbd_limits, Limit};
use super::optim::{self, Objective, Solver, CONVERGED_GRADIENT};
use super::special::{
    digamma, exprel, hyp2f1_tail_over_b, hyp2f1_tail_over_b_many, inverse_one_plus_exp, ln_gamma,
    ln_hyp2f1_positive, trigamma, SeriesNotConverged,
};
use super::summary::Triples;
use crate::dataset::CustomerSummary;

/// The four BG/NBD parameters; α is in the model's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A fitted BG/NBD model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    /// From the inverse of the analytic Hessian of the negative
    /// log-likelihood; `None` when the Hessian is not positive definite.
    pub standard_errors: Option<BgNbdParams>,
    /// Total log-likelihood (sum over customers), comparable with the paper's.
    pub log_likelihood: f64,
    pub customers: u64,
    pub repeat_customers: u64,
    /// Distinct (x, tₓ, T) triples the likelihood was evaluated on.
    pub distinct_triples: u64,
    pub iterations: u64,
    pub solver: Solver,
    /// Largest gradient component (mean log-likelihood per log parameter)
    /// at the estimate; below 1e-6 counts as converged.
    pub gradient_max: f64,
    pub converged: bool,
    /// The limits of the model the fit runs off to ([`super::degenerate`]);
    /// empty for an ordinary fit. When not empty the parameters are a point
    /// on the ridge towards the limit, good for predictions but not
    /// estimates, and there are no standard errors.
    #[serde(default)]
    pub degenerate: Vec<Limit>,
    /// Covariance of (ln r, ln α, ln a, ln b), the inverse of the Hessian of
    /// the negative log-likelihood in log parameters: what the intervals
    /// draw parameters from ([`super::intervals`]). `None` with no standard
    /// errors.
    #[serde(default)]
    pub log_covariance: Option<Vec<Vec<f64>>>,
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("too few customers to fit the model: {customers}, need at least {needed}")]
    TooFewCustomers { customers: u64, needed: u64 },
    #[error("too few repeat customers to fit the model: {repeaters}, need at least {needed}")]
    TooFewRepeaters { repeaters: u64, needed: u64 },
    #[error("the likelihood could not be evaluated at any starting point")]
    NoFiniteStart,
    #[error(
        "{customers} repeat customers have a zero or negative average spend; the Gamma-Gamma \
         model needs positive spend"
    )]
    NonPositiveSpend { customers: u64 },
    #[error("the optimiser stopped at a boundary ({parameter} → {direction}); the data do not identify the model")]
    Degenerate {
        parameter: &'static str,
        direction: &'static str,
    },
}

/// Fewest customers and repeat customers the fit is attempted with: below
/// that the likelihood is too flat for the estimates to mean anything.
pub const MIN_CUSTOMERS: u64 = 10;
pub const MIN_REPEATERS: u64 = 3;

/// The likelihood's data in the form that makes one evaluation cheap: the
/// gamma functions depend only on x, the logarithms only on T or tₓ, so each
/// is computed once per distinct value and looked up per triple.
struct Likelihood<'a> {
    triples: &'a Triples,
    xs: Vec<f64>,
    ts: Vec<f64>,
    txs: Vec<f64>,
    /// Per triple: indices into xs, ts, txs.
    index: Vec<(u32, u32, u32)>,
    /// Customers per distinct x: the terms that depend on x alone enter the
    /// Hessian once per x with this weight.
    x_weight: Vec<f64>,
    total_weight: f64,
}

/// Log-likelihood, gradient and Hessian in natural parameters (r, α, a, b).
type Curvature = (f64, [f64; 4], [[f64; 4]; 4]);

/// The distinct values as first met, and each value's number among them.
pub(super) fn distinct(values: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let mut map: FxHashMap<FloatKey, u32> = FxHashMap::default();
    let mut out = Vec::new();
    let idx = values
        .iter()
        .map(|v| {
            *map.entry(FloatKey::from(*v)).or_insert_with(|| {
                out.push(*v);
                (out.len() - 1) as u32
            })
        })
        .collect();
    (out, idx)
}

impl<'a> Likelihood<'a> {
    fn new(triples: &'a Triples) -> Self {
        let (xs, xi) = distinct(&triples.x);
        let (ts, ti) = distinct(&triples.t);
        let (txs, txi) = distinct(&triples.t_x);
        let index = (0..triples.len()).map(|k| (xi[k], ti[k], txi[k])).collect();
        let mut x_weight = vec![0.0; xs.len()];
        for (k, &i) in xi.iter().enumerate() {
            x_weight[i as usize] += triples.weight[k];
        }
        Likelihood {
            triples,
            xs,
            ts,
            txs,
            index,
            x_weight,
            total_weight: triples.weight.iter().sum(),
        }
    }

    /// Total log-likelihood, its gradient and its Hessian in natural
    /// parameters, in one pass over the triples.
    ///
    /// Per customer ℓ = G(x) + r ln α + ln(e^A + e^B) with
    /// A = −(r+x) ln(α+T) and (x > 0) B = ln a − ln(b+x−1) − (r+x) ln(α+tₓ).
    /// With π = e^B/(e^A+e^B) the mixture's derivatives are
    /// ∇ = (1−π)∇A + π∇B and ∇² = (1−π)∇²A + π∇²B + π(1−π)(∇B−∇A)(∇B−∇A)ᵀ;
    /// G's second derivatives are trigamma differences that depend on x only.
    fn total(&self, p: &BgNbdParams) -> Option<Curvature> {
        let BgNbdParams { r, alpha, a, b } = *p;
        if !(r > 0.0 && alpha > 0.0 && a > 0.0 && b > 0.0) {
            return None;
        }
        struct PerX {
            gammas: f64,
            d_r: f64,
            d_a: f64,
            d_b: f64,
            ln_ratio: f64,
            inv_bx1: f64,
        }
        let (lg_r, lg_ab, lg_b) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b));
        let (dg_r, dg_ab, dg_b) = (digamma(r), digamma(a + b), digamma(b));
        let per_x: Vec<PerX> = self
            .xs
            .iter()
            .map(|&x| {
                let dg_abx = digamma(a + b + x);
                PerX {
                    gammas: ln_gamma(r + x) - lg_r + lg_ab + ln_gamma(b + x)
                        - lg_b
                        - ln_gamma(a + b + x),
                    d_r: digamma(r + x) - dg_r,
                    d_a: dg_ab - dg_abx,
                    d_b: dg_ab + digamma(b + x) - dg_b - dg_abx,
                    ln_ratio: if x > 0.0 {
                        a.ln_() - (b + x - 1.0).ln_()
                    } else {
                        0.0
                    },
                    inv_bx1: if x > 0.0 { 1.0 / (b + x - 1.0) } else { 0.0 },
                }
            })
            .collect();
        let ln_t: Vec<f64> = self.ts.iter().map(|t| (alpha + t).ln_()).collect();
        let inv_t: Vec<f64> = self.ts.iter().map(|t| 1.0 / (alpha + t)).collect();
        let ln_tx: Vec<f64> = self.txs.iter().map(|t| (alpha + t).ln_()).collect();
        let inv_tx: Vec<f64> = self.txs.iter().map(|t| 1.0 / (alpha + t)).collect();
        let ln_alpha = alpha.ln_();
        let (mut ll, mut g, mut h) = (0.0, [0.0f64; 4], [[0.0f64; 4]; 4]);
        for (k, &(xi, ti, txi)) in self.index.iter().enumerate() {
            let w = self.triples.weight[k];
            let x = self.xs[xi as usize];
            let px = &per_x[xi as usize];
            let (lt, it) = (ln_t[ti as usize], inv_t[ti as usize]);
            let rx = r + x;
            let first = -rx * lt;
            let (mix, w_tx, l_tx, i_tx) = if x > 0.0 {
                let (ltx, itx) = (ln_tx[txi as usize], inv_tx[txi as usize]);
                let second = px.ln_ratio - rx * ltx;
                // log-sum-exp of the two terms and the posterior weight of
                // "dropped out after the last purchase", sharing one exp.
                let d = second - first;
                let e = (-d.abs()).exp_();
                let mix = first.max(second) + e.ln_1p_();
                let w_tx = if d > 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                (mix, w_tx, ltx, itx)
            } else {
                (first, 0.0, 0.0, 0.0)
            };
            let w_t = 1.0 - w_tx;
            ll += w * (px.gammas + r * ln_alpha + mix);
            g[0] += w * (px.d_r + ln_alpha - w_t * lt - w_tx * l_tx);
            g[1] += w * (r / alpha - rx * (w_t * it + w_tx * i_tx));
            g[2] += w * (px.d_a + w_tx / a);
            g[3] += w * (px.d_b - w_tx * px.inv_bx1);
            // (1−π)∇²A + π∇²B: only the r-α, α-α, a-a and b-b entries.
            h[0][1] -= w * (w_t * it + w_tx * i_tx);
            h[1][1] += w * rx * (w_t * it * it + w_tx * i_tx * i_tx);
            if x > 0.0 {
                h[2][2] -= w * w_tx / (a * a);
                h[3][3] += w * w_tx * px.inv_bx1 * px.inv_bx1;
                let c = w * w_t * w_tx;
                let d = [lt - l_tx, rx * (it - i_tx), 1.0 / a, -px.inv_bx1];
                for (i, di) in d.iter().enumerate() {
                    for (hij, dj) in h[i][i..].iter_mut().zip(&d[i..]) {
                        *hij += c * di * dj;
                    }
                }
            }
        }
        // G(x) and r ln α.
        let (tg_r, tg_ab, tg_b) = (trigamma(r), trigamma(a + b), trigamma(b));
        for (&x, &wx) in self.xs.iter().zip(&self.x_weight) {
            let tg_abx = trigamma(a + b + x);
            h[0][0] += wx * (trigamma(r + x) - tg_r);
            h[2][2] += wx * (tg_ab - tg_abx);
            h[2][3] += wx * (tg_ab - tg_abx);
            h[3][3] += wx * (tg_ab + trigamma(b + x) - tg_b - tg_abx);
        }
        let n = self.total_weight;
        h[0][1] += n / alpha;
        h[1][1] -= n * r / (alpha * alpha);
        let finite = ll.is_finite()
            && g.iter().all(|v| v.is_finite())
            && h.iter().flatten().all(|v| v.is_finite());
        finite.then_some((ll, g, optim::symmetric(h)))
    }
}

fn from_logs(p: &[f64]) -> BgNbdParams {
    BgNbdParams {
        r: p[0].exp_(),
        alpha: p[1].exp_(),
        a: p[2].exp_(),
        b: p[3].exp_(),
    }
}

impl Objective for Likelihood<'_> {
    fn value_and_gradient(&self, log_params: &[f64]) -> Option<(f64, Vec<f64>)> {
        let p = from_logs(log_params);
        let (ll, g, _) = self.total(&p)?;
        let n = self.total_weight;
        let natural = [p.r, p.alpha, p.a, p.b];
        Some((-ll / n, (0..4).map(|i| -g[i] * natural[i] / n).collect()))
    }

    fn value_gradient_hessian(&self, log_params: &[f64]) -> Option<optim::WithHessian> {
        let p = from_logs(log_params);
        let (ll, g, h) = self.total(&p)?;
        Some(optim::mean_negative_in_logs(
            &[p.r, p.alpha, p.a, p.b],
            self.total_weight,
            ll,
            &g,
            &h,
        ))
    }
}

/// Starting points: the rate scale α is set from the observed purchase rate
/// (Σx / ΣT ≈ r/α for the customers still alive) so the search starts at the
/// right order of magnitude in any time unit; shape parameters from a small
/// grid around typical values, plus lifetimes' all-ones start. The best of
/// them by likelihood is used.
fn starting_points(triples: &Triples) -> Vec<Vec<f64>> {
    let (mut sx, mut st) = (0.0, 0.0);
    for k in 0..triples.len() {
        sx += triples.weight[k] * triples.x[k];
        st += triples.weight[k] * triples.t[k];
    }
    let rate = if sx > 0.0 && st > 0.0 { sx / st } else { 1.0 };
    let mut starts = vec![vec![0.0; 4]];
    for r in [0.3f64, 1.0] {
        for a in [0.5f64, 1.5] {
            for b in [1.0f64, 4.0] {
                let alpha = (r / rate).clamp(1e-6, 1e6);
                starts.push(vec![r.ln_(), alpha.ln_(), a.ln_(), b.ln_()]);
            }
        }
    }
    starts
}

/// Above this many distinct triples the search starts on subsamples: the
/// optimum of a systematic subsample of [`COARSE_SUBSAMPLE`] triples (L-BFGS
/// from the starting grid), above [`FINE_ABOVE`] polished by Newton's method
/// on one of [`SUBSAMPLE_TRIPLES`], and that on the full data
/// ([`optim::minimise_near`]). Each level starts near the next one's
/// optimum, so Newton needs two or three steps, one pass over the data
/// each, and the full data are passed over about 4 times instead of
/// 30-60. The estimate is still the full data's maximum (the subsamples only
/// choose where to start). From the grid on all of them, the 16,283
/// histories of the 100k-row benchmark took 133 ms natively (23 L-BFGS
/// steps), more than the 142k of the 1M-row one from the subsamples.
pub const SUBSAMPLE_ABOVE: usize = 4_000;
/// Above this many distinct triples the coarse optimum is polished on
/// [`SUBSAMPLE_TRIPLES`] of them before the full data.
pub const FINE_ABOVE: usize = 30_000;
pub const SUBSAMPLE_TRIPLES: usize = 10_000;
pub const COARSE_SUBSAMPLE: usize = 2_000;

/// Every k-th triple, about `size` of them, with their weights.
pub(crate) fn subsample(triples: &Triples, size: usize) -> Triples {
    let step = (triples.len() / size).max(1);
    let mut sub = Triples::default();
    for k in (0..triples.len()).step_by(step) {
        sub.x.push(triples.x[k]);
        sub.t_x.push(triples.t_x[k]);
        sub.t.push(triples.t[k]);
        sub.weight.push(triples.weight[k]);
    }
    sub
}

/// The optimum of the subsamples when there are more than
/// [`SUBSAMPLE_ABOVE`] triples.
fn subsample_optimum(triples: &Triples) -> Option<Vec<f64>> {
    if triples.len() <= SUBSAMPLE_ABOVE {
        return None;
    }
    let coarse = subsample(triples, COARSE_SUBSAMPLE);
    let start = optim::minimise(&Likelihood::new(&coarse), &starting_points(&coarse))?;
    if triples.len() <= FINE_ABOVE {
        return Some(start.log_params);
    }
    let fine = subsample(triples, SUBSAMPLE_TRIPLES);
    optim::minimise_near(&Likelihood::new(&fine), start.log_params).map(|m| m.log_params)
}

/// Both purchase models need [`MIN_CUSTOMERS`] customers, of whom
/// [`MIN_REPEATERS`] bought again, to say anything.
/// Returns the customers and the repeat customers.
pub(crate) fn enough_to_fit(triples: &Triples) -> Result<(u64, u64), FitError> {
    let customers: f64 = triples.weight.iter().sum();
    let repeaters: f64 = (0..triples.len())
        .filter(|&k| triples.x[k] > 0.0)
        .map(|k| triples.weight[k])
        .sum();
    let (customers, repeaters) = (customers as u64, repeaters as u64);
    if customers < MIN_CUSTOMERS {
        return Err(FitError::TooFewCustomers {
            customers,
            needed: MIN_CUSTOMERS,
        });
    }
    if repeaters < MIN_REPEATERS {
        return Err(FitError::TooFewRepeaters {
            repeaters,
            needed: MIN_REPEATERS,
        });
    }
    Ok((customers, repeaters))
}

/// Fits BG/NBD to customer summaries (rows already checked with
/// [`super::summary::usable_summaries`]).
pub fn fit_bgnbd(rows: &[CustomerSummary]) -> Result<BgNbdFit, FitError> {
    fit_bgnbd_triples(&Triples::new(rows))
}

/// Fits BG/NBD to compressed summaries.
pub fn fit_bgnbd_triples(triples: &Triples) -> Result<BgNbdFit, FitError> {
    let (customers, repeaters) = enough_to_fit(triples)?;
    let likelihood = Likelihood::new(triples);
    let minimum = match subsample_optimum(triples) {
        Some(start) => optim::minimise_near(&likelihood, start),
        None => optim::minimise(&likelihood, &starting_points(triples)),
    }
    .ok_or(FitError::NoFiniteStart)?;
    let degenerate = bgnbd_limits(&minimum.log_params);
    let params = from_logs(&minimum.log_params);
    let standard_errors = optim::standard_errors(&minimum, likelihood.total_weight)
        .filter(|_| degenerate.is_empty())
        .map(|se| BgNbdParams {
            r: se[0],
            alpha: se[1],
            a: se[2],
            b: se[3],
        });
    Ok(BgNbdFit {
        params,
        standard_errors,
        log_likelihood: -minimum.value * likelihood.total_weight,
        customers,
        repeat_customers: repeaters,
        distinct_triples: triples.len() as u64,
        iterations: minimum.iterations,
        solver: minimum.solver,
        gradient_max: minimum.gradient_max,
        converged: minimum.gradient_max < CONVERGED_GRADIENT,
        log_covariance: optim::log_covariance(&minimum, likelihood.total_weight)
            .filter(|_| standard_errors.is_some()),
        degenerate,
    })
}

impl BgNbdParams {
    /// Log-likelihood of one customer (x purchases after the first, the last
    /// at tₓ, observed for T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let triples = Triples {
            x: vec![x],
            t_x: vec![t_x],
            t: vec![t],
            weight: vec![1.0],
            of_row: vec![0],
        };
        Likelihood::new(&triples)
            .total(self)
            .map_or(f64::NAN, |(ll, _, _)| ll)
    }

    /// ln of the odds term a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x) in P(alive).
    fn ln_dropout_odds(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x <= 0.0 {
            return f64::NEG_INFINITY;
        }
        // ln((α+T)/(α+tₓ)) as ln_1p: exact also when α is huge (a fit
        // running off to one purchase rate for all, r, α → ∞).
        self.a.ln_() - (self.b + x - 1.0).ln_()
            + (self.r + x) * ((t - t_x) / (self.alpha + t_x)).ln_1p_()
    }

    /// P(alive | x, tₓ, T) (FHL 2005 eq. 11): 1 for customers without repeat
    /// purchases (the model lets customers drop out only after a purchase).
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        inverse_one_plus_exp(self.ln_dropout_odds(x, t_x, t))
    }

    /// E[Y(t) | x, tₓ, T], expected purchases in the next `t` units (FHL 2005
    /// eq. 10).
    ///
    /// The paper's ₂F₁(r+x, b+x; a+b+x−1; z), z = t/(α+T+t), has terms that
    /// grow like n^(r+x+1−a) zⁿ before they fall, which overflows for
    /// customers with hundreds of purchases. Euler's transformation
    /// ₂F₁(A,B;C;z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) turns it into
    /// ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose terms fall like n^(a−r−x−2) zⁿ,
    /// and the factor ((α+T)/(α+T+t))^(r+x) cancels against (1−z)^(C−A−B)
    /// leaving (1−z)^(a−1). With ₂F₁ = 1 + (a−1)·S the expectation is
    ///
    ///   (a+b+x−1) · [−L·exprel((a−1)L) − (1−z)^(a−1)·S] / (1 + odds),
    ///   L = ln(1−z),
    ///
    /// which stays exact at a = 1 where the paper's (a+b+x−1)/(a−1) factor
    /// is 0/0.
    ///
    /// The transformed terms in turn grow like (a·z)ⁿ/n! when a is large
    /// (fits that run off to "every customer drops out at the next
    /// purchase", [`super::degenerate::Limit::DropoutAtNextPurchase`]) and
    /// overflow; the paper's own series is then tame (its c = a+b+x−1 is
    /// large), and [`Self::expected_if_alive_papers_form`] takes over.
    pub fn expected_purchases(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        big_t: f64,
    ) -> Result<f64, SeriesNotConverged> {
        let alive_part = self.expected_purchases_if_alive_part(t, x, big_t)?;
        Ok(alive_part * inverse_one_plus_exp(self.ln_dropout_odds(x, t_x, big_t)))
    }

    /// The numerator of [`Self::expected_purchases`]; depends on x and T only,
    /// so callers with many customers cache it per (x, T).
    pub fn expected_purchases_if_alive_part(
        &self,
        t: f64,
        x: f64,
        big_t: f64,
    ) -> Result<f64, SeriesNotConverged> {
        if t.is_nan() || t <= 0.0 {
            return Ok(0.0);
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let ln_one_minus_z = (alpha + big_t).ln_() - (alpha + big_t + t).ln_();
        let z = t / (alpha + big_t + t);
        let c = a + b + x - 1.0;
        let euler = hyp2f1_tail_over_b(a + b - 1.0 - r, a - 1.0, c, z)
            .ok()
            .and_then(|s| {
                let bracket = -ln_one_minus_z * exprel((a - 1.0) * ln_one_minus_z)
                    - ((a - 1.0) * ln_one_minus_z).exp_() * s;
                Some(c * bracket).filter(|v| v.is_finite())
            });
        match euler.or_else(|| self.expected_if_alive_papers_form(t, x, big_t)) {
            // + 0.0: never −0.0.
            Some(value) => Ok(value.max(0.0) + 0.0),
            None => Err(SeriesNotConverged { terms: 0, z }),
        }
    }

    /// E[Y(t)] / P(alive) by the paper's eq. 10 as written:
    ///
    ///   (a+b+x−1)/(a−1) · [1 − G],  G = ((α+T)/(α+T+t))^(r+x) ·
    ///   ₂F₁(r+x, b+x; a+b+x−1; z),
    ///
    /// with ln ₂F₁ from its positive terms in log space
    /// ([`super::special::ln_hyp2f1_positive`]) and 1 − G = −expm1(ln G), so
    /// nothing overflows and nothing cancels. Needs a+b+x−1 > 0 and a ≠ 1
    /// (the Euler form covers a near 1); `None` where it does not apply.
    pub fn expected_if_alive_papers_form(&self, t: f64, x: f64, big_t: f64) -> Option<f64> {
        let BgNbdParams { r, alpha, a, b } = *self;
        if t.is_nan() || t <= 0.0 {
            return Some(0.0);
        }
        let c = a + b + x - 1.0;
        let z = t / (alpha + big_t + t);
        let ln_f = ln_hyp2f1_positive(r + x, b + x, c, z)?;
        let ln_g = -(r + x) * (t / (alpha + big_t)).ln_1p_() + ln_f;
        let value = c / (a - 1.0) * -ln_g.exp_m1_();
        (value.is_finite() && (a - 1.0).abs() > 1e-6).then_some(value.max(0.0) + 0.0)
    }

    /// [`Self::expected_purchases_if_alive_part`] at several horizons at once
    /// (one pass of the series for all of them).
    pub fn expected_purchases_if_alive_parts(
        &self,
        ts: &[f64],
        x: f64,
        big_t: f64,
    ) -> Result<Vec<f64>, SeriesNotConverged> {
        let BgNbdParams { r, alpha, a, b } = *self;
        let c = a + b + x - 1.0;
        let zs: Vec<f64> = ts
            .iter()
            .map(|&t| {
                if t > 0.0 {
                    t / (alpha + big_t + t)
                } else {
                    0.0
                }
            })
            .collect();
        let Ok(sums) = hyp2f1_tail_over_b_many(a + b - 1.0 - r, a - 1.0, c, &zs) else {
            // The Euler form does not converge (a large): one horizon at a time.
            return ts
                .iter()
                .map(|&t| self.expected_purchases_if_alive_part(t, x, big_t))
                .collect();
        };
        ts.iter()
            .zip(&sums)
            .map(|(&t, &s)| {
                if t.is_nan() || t <= 0.0 {
                    return Ok(0.0);
                }
                let ln_one_minus_z = (alpha + big_t).ln_() - (alpha + big_t + t).ln_();
                let bracket = -ln_one_minus_z * exprel((a - 1.0) * ln_one_minus_z)
                    - ((a - 1.0) * ln_one_minus_z).exp_() * s;
                let value = c * bracket;
                if value.is_finite() {
                    Ok(value.max(0.0) + 0.0)
                } else {
                    self.expected_purchases_if_alive_part(t, x, big_t)
                }
            })
            .collect()
    }

    /// E[X(t)], expected purchases in the first `t` units after a customer's
    /// first purchase (FHL 2005 eq. 9): the conditional expectation of a
    /// customer just acquired.
    pub fn unconditional_expected_purchases(&self, t: f64) -> Result<f64, SeriesNotConverged> {
        self.expected_purchases(t, 0.0, 0.0, 0.0)
    }

    /// P(alive) over one customer's history (lifetimes'
    /// `calculate_alive_path`): at each grid time s = 0, step, 2·step, … ≤
    /// `end` (in units since the first purchase), P(alive) given the
    /// purchases up to s. `purchase_times` are the repeat purchases' times in
    /// units since the first purchase. The grid is capped at 10,000 points.
    pub fn p_alive_path(&self, purchase_times: &[f64], end: f64, step: f64) -> Vec<(f64, f64)> {
        if step.is_nan() || step <= 0.0 || !end.is_finite() || end < 0.0 {
            return Vec::new();
        }
        let points = ((end / step).floor() as usize + 1).min(10_000);
        let mut sorted: Vec<f64> = purchase_times
            .iter()
            .copied()
            .filter(|t| t.is_finite() && *t > 0.0)
            .collect();
        sorted.sort_by(f64::total_cmp);
        (0..points)
            .map(|k| {
                let s = k as f64 * step;
                let x = sorted.partition_point(|&p| p <= s);
                let t_x = if x > 0 { sorted[x - 1] } else { 0.0 };
                (s, self.p_alive(x as f64, t_x, s))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analytic Hessian against central differences of the analytic
    /// gradient (itself checked against the published fits) on a mix of
    /// one-off, repeat and heavy customers.
    #[test]
    fn hessian_matches_differences_of_the_gradient() {
        let triples = Triples {
            x: vec![0.0, 1.0, 2.0, 7.0, 30.0, 3.0],
            t_x: vec![0.0, 5.0, 20.0, 30.5, 38.0, 1.0],
            t: vec![39.0, 39.0, 30.0, 38.0, 39.0, 39.0],
            weight: vec![50.0, 20.0, 10.0, 5.0, 1.0, 3.0],
            of_row: vec![],
        };
        let likelihood = Likelihood::new(&triples);
        optim::testing::assert_hessian_matches_gradient([0.24, 4.4, 0.79, 2.4], |p| {
            let params = BgNbdParams {
                r: p[0],
                alpha: p[1],
                a: p[2],
                b: p[3],
            };
            let (_, g, h) = likelihood.total(&params).unwrap();
            (g, h)
        });
    }
}
