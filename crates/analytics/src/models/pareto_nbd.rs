//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987; the expressions of
//! Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
//! Expressions"): purchases while alive are Poisson(λ), λ ~ Gamma(r, α); the
//! lifetime is exponential with rate μ, μ ~ Gamma(s, β). Unlike BG/NBD a
//! customer can drop out at any moment, also before a repeat purchase.
//!
//! Same data and time unit as [`super::bgnbd`]: the BTYD summary (x repeat
//! purchases, the last at tₓ, observed for T), fitted by maximum likelihood
//! on the distinct (x, tₓ, T) triples with their counts as weights,
//! parameters optimised as logarithms inside ±30 ([`super::optim::LOG_BOUND`]).
//!
//! Per customer (FH 2005 eq. 18, with A₀ = (r+s+x)·I):
//!
//!   L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s·I ],
//!   I = ∫ from tₓ to T of (α+u)^−(r+x) (β+u)^−(s+1) du,
//!
//! the first term "alive at T", the second "gone between tₓ and T". I is
//! Fader and Hardie's ₂F₁ difference, computed in log space in [`dropout`]
//! (series with |z| < 1 in their two cases α ≥ β / α < β, quadrature where z
//! is near 1), with its gradient. The gradient of the log-likelihood is
//! analytic; the Hessian (Newton steps and standard errors) is forward
//! differences of that gradient, see [`HESSIAN_STEP`].

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod dropout;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::bgnbd::{enough_to_fit, subsample, FitError};
use super::degenerate::{pareto_nbd_limits, Limit};
use super::optim::{self, Objective, Solver, CONVERGED_GRADIENT};
use super::special::{
    digamma, exprel, inverse_one_plus_exp, ln_gamma, log_add_exp, SameEverywhere,
};
use super::summary::Triples;
use crate::dataset::CustomerSummary;
use dropout::Shape;

/// The four Pareto/NBD parameters; α and β are in the model's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// A fitted Pareto/NBD model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdFit {
    pub params: ParetoNbdParams,
    /// From the inverse of the Hessian of the negative log-likelihood (central
    /// differences of the analytic gradient); `None` when that Hessian is not
    /// positive definite.
    pub standard_errors: Option<ParetoNbdParams>,
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
    /// The limits of the model the fit runs off to ([`super::degenerate`]),
    /// as for BG/NBD; empty for an ordinary fit.
    #[serde(default)]
    pub degenerate: Vec<Limit>,
    /// Covariance of (ln r, ln α, ln s, ln β), as for BG/NBD.
    #[serde(default)]
    pub log_covariance: Option<Vec<Vec<f64>>>,
    /// Customers the fit was made on when the data had more than
    /// [`SAMPLE_ABOVE`] distinct histories (a systematic sample of
    /// [`SAMPLE_TRIPLES`] of them); `None`: all. The standard errors are the
    /// sample's, the log-likelihood the sample's mean times all customers.
    #[serde(default)]
    pub sample_customers: Option<u64>,
}

/// Why a per-customer quantity could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PredictError {
    #[error("Pareto/NBD parameters must be finite and positive: r={r}, alpha={alpha}, s={s}, beta={beta}")]
    InvalidParameters {
        r: f64,
        alpha: f64,
        s: f64,
        beta: f64,
    },
    #[error(
        "not a purchase history: frequency {x}, recency {t_x}, age {t} (need 0 ≤ recency ≤ age, \
         frequency ≥ 0, recency 0 without repeat purchases)"
    )]
    InvalidHistory { x: f64, t_x: f64, t: f64 },
    #[error("the prediction horizon must be finite and non-negative, not {t}")]
    InvalidHorizon { t: f64 },
    #[error("the result is not a finite number (horizon {t} too long for s = {s} ≤ 1?)")]
    NotFinite { t: f64, s: f64 },
}

/// Logarithms of the parameters, shared by every customer.
struct Shared {
    ln_alpha: f64,
    ln_beta: f64,
    ln_s: f64,
}

/// lnΓ(r+x) − lnΓ(r) and ψ(r+x) − ψ(r), shared by the customers with x
/// repeat purchases.
struct PerX {
    ln_gammas: f64,
    digammas: f64,
}

impl Shared {
    fn new(p: &ParetoNbdParams) -> Shared {
        Shared {
            ln_alpha: p.alpha.ln_(),
            ln_beta: p.beta.ln_(),
            ln_s: p.s.ln_(),
        }
    }

    fn per_x(p: &ParetoNbdParams, x: f64) -> PerX {
        PerX {
            ln_gammas: ln_gamma(p.r + x) - ln_gamma(p.r),
            digammas: digamma(p.r + x) - digamma(p.r),
        }
    }
}

/// Log-likelihood of one customer and its gradient in (r, α, s, β).
struct Customer {
    ll: f64,
    grad: [f64; 4],
}

impl ParetoNbdParams {
    fn valid(&self) -> bool {
        [self.r, self.alpha, self.s, self.beta]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }

    fn check(&self) -> Result<(), PredictError> {
        if self.valid() {
            Ok(())
        } else {
            Err(PredictError::InvalidParameters {
                r: self.r,
                alpha: self.alpha,
                s: self.s,
                beta: self.beta,
            })
        }
    }

    /// The history as the likelihood takes it: tₓ ≤ T with the same 1e-9
    /// relative slack as [`super::summary::usable_summaries`], and tₓ = 0
    /// when x = 0.
    fn history(x: f64, t_x: f64, t: f64) -> Result<(f64, f64, f64), PredictError> {
        let ok = x.is_finite()
            && x >= 0.0
            && t_x.is_finite()
            && t.is_finite()
            && t_x >= 0.0
            && t_x <= t * (1.0 + 1e-9)
            && (x > 0.0 || t_x == 0.0);
        if ok {
            Ok((x, t_x.min(t), t))
        } else {
            Err(PredictError::InvalidHistory { x, t_x, t })
        }
    }

    fn shape(&self, x: f64) -> Shape {
        Shape {
            r: self.r,
            alpha: self.alpha,
            s: self.s,
            beta: self.beta,
            x,
        }
    }

    /// ln L of one customer with its gradient; `None` where not finite.
    fn customer(&self, x: f64, t_x: f64, t: f64) -> Option<Customer> {
        self.customer_with(&Shared::new(self), &Shared::per_x(self, x), x, t_x, t)
    }

    /// [`Self::customer`] with the terms that depend on the parameters
    /// alone, or on x alone, computed by the caller (once per evaluation of
    /// the likelihood, and once per distinct x).
    fn customer_with(
        &self,
        shared: &Shared,
        per_x: &PerX,
        x: f64,
        t_x: f64,
        t: f64,
    ) -> Option<Customer> {
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let p = r + x;
        let (la_t, lb_t) = ((alpha + t).ln_(), (beta + t).ln_());
        let alive = -p * la_t - s * lb_t;
        let integral = self.shape(x).ln_integral(t_x, t)?;
        let gone = shared.ln_s + integral.ln;
        // Shares of the two terms; 1 − π from the other side keeps its digits.
        let p_alive = inverse_one_plus_exp(gone - alive);
        let p_gone = inverse_one_plus_exp(alive - gone);
        let ll =
            per_x.ln_gammas + r * shared.ln_alpha + s * shared.ln_beta + log_add_exp(alive, gone);
        let g = &integral.grad;
        let grad = [
            per_x.digammas + shared.ln_alpha - p_alive * la_t + p_gone * g[0],
            r / alpha - p_alive * p / (alpha + t) + p_gone * g[1],
            shared.ln_beta - p_alive * lb_t + p_gone * (1.0 / s + g[2]),
            s / beta - p_alive * s / (beta + t) + p_gone * g[3],
        ];
        let finite = ll.is_finite() && grad.iter().all(|v| v.is_finite()) && p_alive.is_finite();
        finite.then_some(Customer { ll, grad })
    }

    /// Log-likelihood of one customer (x purchases after the first, the last
    /// at tₓ, observed for T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, t: f64) -> Result<f64, PredictError> {
        self.check()?;
        let (x, t_x, t) = Self::history(x, t_x, t)?;
        self.customer(x, t_x, t)
            .map(|c| c.ll)
            .ok_or(PredictError::NotFinite { t, s: self.s })
    }

    /// P(alive | x, tₓ, T) (FH 2005 note eq. 37):
    /// 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀), in [0, 1].
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, PredictError> {
        self.check()?;
        let (x, t_x, t) = Self::history(x, t_x, t)?;
        self.alive_share(x, t_x, t)
            .ok_or(PredictError::NotFinite { t, s: self.s })
    }

    /// [`Self::p_alive`] of every tₓ in `t_xs` at one (x, T), sharing the
    /// dropout integral's terms at T; `None` where a history is invalid or
    /// the value not finite.
    pub fn p_alive_at(&self, x: f64, t: f64, t_xs: &[f64]) -> Vec<Option<f64>> {
        if self.check().is_err() || !(t.is_finite() && x.is_finite()) {
            return vec![None; t_xs.len()];
        }
        let valid: Vec<Option<f64>> = t_xs
            .iter()
            .map(|&t_x| Self::history(x, t_x, t).ok().map(|(_, t_x, _)| t_x))
            .collect();
        // An invalid history's place is taken by tₓ = T (no integral).
        let integral_at: Vec<f64> = valid.iter().map(|v| v.unwrap_or(t)).collect();
        let alive = -(self.r + x) * (self.alpha + t).ln_() - self.s * (self.beta + t).ln_();
        let ln_s = self.s.ln_();
        let integrals = self.shape(x).ln_integral_values(&integral_at, t);
        valid
            .iter()
            .zip(integrals)
            .map(|(t_x, integral)| {
                (*t_x)?;
                let gone = ln_s + integral?;
                let p_alive = inverse_one_plus_exp(gone - alive);
                p_alive.is_finite().then_some(p_alive)
            })
            .collect()
    }

    /// P(alive) as [`Self::customer_with`] forms it, without the
    /// likelihood's gamma and digamma terms (a third of a customer's cost
    /// where the predictions need P(alive) alone).
    fn alive_share(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        let alive = -(self.r + x) * (self.alpha + t).ln_() - self.s * (self.beta + t).ln_();
        let gone = self.s.ln_() + self.shape(x).ln_integral_value(t_x, t)?;
        let p_alive = inverse_one_plus_exp(gone - alive);
        p_alive.is_finite().then_some(p_alive)
    }

    /// E[Y(t) | x, tₓ, T], expected purchases in the next `t` units (FH 2005
    /// note eq. 41):
    ///
    ///   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
    ///
    /// With L = ln(1 + t/(β+T)) the bracket over s−1 is L·exprel(−(s−1)L),
    /// which stays exact at s = 1 (where the paper's form is 0/0 and the
    /// limit is L). For s ≤ 1 it grows without bound in t (the mean lifetime
    /// is infinite); a horizon so long that it overflows is an error.
    pub fn expected_purchases(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        big_t: f64,
    ) -> Result<f64, PredictError> {
        if !(t.is_finite() && t >= 0.0) {
            return Err(PredictError::InvalidHorizon { t });
        }
        let alive = self.p_alive(x, t_x, big_t)?;
        if t == 0.0 || alive == 0.0 {
            return Ok(0.0);
        }
        Ok(self.expected_purchases_if_alive(t, x, big_t)? * alive + 0.0)
    }

    /// [`Self::expected_purchases`] divided by P(alive):
    /// (r+x)(β+T)/(α+T) · L·exprel(−(s−1)L), L = ln(1 + t/(β+T)); a function
    /// of (x, T) only, which callers with many customers cache. At x = T = 0
    /// it is E[X(t)], the purchases of a new customer in their first t units
    /// (FH 2005 note eq. 17).
    pub fn expected_purchases_if_alive(
        &self,
        t: f64,
        x: f64,
        big_t: f64,
    ) -> Result<f64, PredictError> {
        self.check()?;
        if !(t.is_finite() && t >= 0.0) {
            return Err(PredictError::InvalidHorizon { t });
        }
        if !(x.is_finite() && x >= 0.0 && big_t.is_finite() && big_t >= 0.0) {
            return Err(PredictError::InvalidHistory {
                x,
                t_x: 0.0,
                t: big_t,
            });
        }
        if t == 0.0 {
            return Ok(0.0);
        }
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let l = (t / (beta + big_t)).ln_1p_();
        let value = (r + x) * ((beta + big_t) / (alpha + big_t)) * l * exprel(-(s - 1.0) * l);
        if value.is_finite() {
            // + 0.0: never −0.0.
            Ok(value.max(0.0) + 0.0)
        } else {
            Err(PredictError::NotFinite { t, s })
        }
    }
}

/// The likelihood over distinct triples, with each triple's index into the
/// distinct frequencies (whose gamma terms are computed once per
/// evaluation).
struct Likelihood<'a> {
    triples: &'a Triples,
    xs: Vec<f64>,
    x_index: Vec<u32>,
    total_weight: f64,
}

impl<'a> Likelihood<'a> {
    fn new(triples: &'a Triples) -> Self {
        let mut xs: Vec<f64> = triples.x.clone();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let x_index = triples
            .x
            .iter()
            .map(|x| xs.partition_point(|v| v < x) as u32)
            .collect();
        Likelihood {
            triples,
            xs,
            x_index,
            total_weight: triples.weight.iter().sum(),
        }
    }

    /// Total log-likelihood and its gradient in natural parameters.
    fn total(&self, p: &ParetoNbdParams) -> Option<(f64, [f64; 4])> {
        if !p.valid() {
            return None;
        }
        let t = self.triples;
        let shared = Shared::new(p);
        let per_x: Vec<PerX> = self.xs.iter().map(|&x| Shared::per_x(p, x)).collect();
        let (mut ll, mut g) = (0.0, [0.0f64; 4]);
        for k in 0..t.len() {
            let w = t.weight[k];
            let px = &per_x[self.x_index[k] as usize];
            let c = p.customer_with(&shared, px, t.x[k], t.t_x[k].min(t.t[k]), t.t[k])?;
            ll += w * c.ll;
            for (gi, ci) in g.iter_mut().zip(&c.grad) {
                *gi += w * ci;
            }
        }
        Some((ll, g))
    }
}

fn from_logs(p: &[f64]) -> ParetoNbdParams {
    ParetoNbdParams {
        r: p[0].exp_(),
        alpha: p[1].exp_(),
        s: p[2].exp_(),
        beta: p[3].exp_(),
    }
}

/// Step (in log parameters) of the forward differences of the analytic
/// gradient that give the Hessian. The truncation error is h/2 times third
/// derivatives of order one (5e-8), the rounding error the gradient's 1e-15
/// over h (1e-8): the Hessian is good to about 7 digits, far more than the
/// standard errors need (lifetimes' ParetoNBDFitter computes none to compare
/// with; `hessian_matches_second_differences_of_the_likelihood` checks it).
/// Forward rather than central differences: 4 gradients instead of 8, a
/// tenth of the fit on the sampled path.
pub const HESSIAN_STEP: f64 = 1e-7;

impl Objective for Likelihood<'_> {
    fn value_and_gradient(&self, log_params: &[f64]) -> Option<(f64, Vec<f64>)> {
        if log_params[0] > LN_SHAPE_WALL || log_params[2] > LN_SHAPE_WALL {
            return None;
        }
        let p = from_logs(log_params);
        let (ll, g) = self.total(&p)?;
        let n = self.total_weight;
        let natural = [p.r, p.alpha, p.s, p.beta];
        Some((-ll / n, (0..4).map(|i| -g[i] * natural[i] / n).collect()))
    }

    fn value_gradient_hessian(&self, log_params: &[f64]) -> Option<optim::WithHessian> {
        let (value, gradient) = self.value_and_gradient(log_params)?;
        self.hessian_at(log_params, value, &gradient)
    }

    /// Forward differences of the gradient: four passes over the data.
    fn hessian_at(
        &self,
        log_params: &[f64],
        value: f64,
        gradient: &[f64],
    ) -> Option<optim::WithHessian> {
        let mut h = vec![vec![0.0; 4]; 4];
        for j in 0..4 {
            let mut up = log_params.to_vec();
            up[j] += HESSIAN_STEP;
            let (_, gu) = self.value_and_gradient(&up)?;
            for i in 0..4 {
                h[i][j] = (gu[i] - gradient[i]) / HESSIAN_STEP;
            }
        }
        for i in 0..4 {
            for j in 0..i {
                let mean = 0.5 * (h[i][j] + h[j][i]);
                h[i][j] = mean;
                h[j][i] = mean;
            }
        }
        Some((value, gradient.to_vec(), h))
    }
}

/// Starting points: the purchase-rate scale α from the observed rate
/// (Σx / ΣT ≈ r/α), the dropout scale β so that the mean lifetime β/s is one
/// or four times the mean observation length, shapes from a small grid,
/// plus lifetimes' all-ones start. The best of them by likelihood is used.
fn starting_points(triples: &Triples) -> Vec<Vec<f64>> {
    let (mut sx, mut st, mut n) = (0.0, 0.0, 0.0);
    for k in 0..triples.len() {
        sx += triples.weight[k] * triples.x[k];
        st += triples.weight[k] * triples.t[k];
        n += triples.weight[k];
    }
    let rate = if sx > 0.0 && st > 0.0 { sx / st } else { 1.0 };
    let mean_t = if st > 0.0 { st / n } else { 1.0 };
    let mut starts = vec![vec![0.0; 4]];
    for r in [0.3f64, 1.0] {
        for s in [0.5f64, 1.5] {
            for lifetimes in [1.0f64, 4.0] {
                let alpha = (r / rate).clamp(1e-6, 1e6);
                let beta = (s * lifetimes * mean_t).clamp(1e-6, 1e6);
                starts.push(vec![r.ln_(), alpha.ln_(), s.ln_(), beta.ln_()]);
            }
        }
    }
    starts
}

/// ln of the largest shape r or s a fit is an estimate with: 10⁴, where the
/// gamma mixture's coefficient of variation 1/√s is 1%. Beyond, the
/// likelihood keeps rising towards the model without that heterogeneity
/// (s, β → ∞ at a fixed mean dropout rate s/β, or r, α → ∞ at a fixed mean
/// purchase rate), which small or short data sets often prefer: the
/// parameters are not identified, and the fit is reported as degenerate
/// ([`super::degenerate`]) with the point where the optimiser stopped,
/// whose predictions are the limit model's. The optimiser does not walk
/// along that ridge further than [`LN_SHAPE_WALL`].
pub const LN_SHAPE_MAX: f64 = 9.210_340_371_976_184;

/// ln 10⁶: the likelihood is treated as infinite (outside the search space)
/// for larger shapes, so that an optimiser on the ridge above stops within
/// a few steps instead of crawling to [`optim::LOG_BOUND`].
pub const LN_SHAPE_WALL: f64 = 13.815_510_557_964_274;

/// Above this many distinct (x, tₓ, T) the fit is made on a systematic
/// sample of [`SAMPLE_TRIPLES`] of them (with their customers), started from
/// the optimum of one of [`COARSE_TRIPLES`]. The dropout integral costs about
/// a microsecond per history and evaluation, and a fit takes 60-70
/// evaluations of the likelihood with its gradient (the starting grid, the
/// line searches, the Hessian's differences): 12.6 s natively on the 142k
/// histories of the 1M-row benchmark file, against 26-43 ms for BG/NBD,
/// whose Hessian is analytic and whose likelihood has no integral; 0.12 s on
/// the samples. There the sample's r, α, s, β (1.18, 7.02, 1.22, 39.0 a
/// week) are within one of the sample's standard errors (0.033, 0.23, 0.12,
/// 5.0) of the full fit's (1.15, 6.91, 1.16, 35.6). The estimate carries the
/// sample's standard errors (larger by about the square root of the
/// sampling fraction), and the intervals draw from them.
pub const SAMPLE_ABOVE: usize = 30_000;
/// Above this many distinct histories (and up to [`SAMPLE_ABOVE`]) the fit
/// on all of them starts from a coarse sample's optimum and Hessian, so
/// that it costs about 11 gradients instead of the starting grid's and
/// L-BFGS's 60-70: at 20k histories (100k rows of the benchmark) the `clv`
/// section took 950 ms in Chromium, more than at 1M rows with the sample.
pub const QUASI_NEWTON_ABOVE: usize = 2 * COARSE_TRIPLES;
/// L-BFGS's gradient tolerance on the coarse sample (only a start) and on
/// the sample (an estimate whose standard errors dwarf the last digits).
pub const COARSE_TOLERANCE: f64 = 1e-5;
pub const SAMPLE_TOLERANCE: f64 = 1e-7;
pub const SAMPLE_TRIPLES: usize = 4_000;
pub const COARSE_TRIPLES: usize = 1_000;

/// Fits Pareto/NBD to customer summaries (rows already checked with
/// [`super::summary::usable_summaries`]).
pub fn fit_pareto_nbd(rows: &[CustomerSummary]) -> Result<ParetoNbdFit, FitError> {
    fit_pareto_nbd_triples(&Triples::new(rows))
}

/// What the Pareto/NBD fit reads of the distinct histories: their counts
/// and the histories the likelihood is evaluated on. Up to
/// [`QUASI_NEWTON_ABOVE`] those are all of them; above, a coarse sample for
/// the start and all of them, or above [`SAMPLE_ABOVE`] a sample, for the
/// optimum. Above [`SAMPLE_ABOVE`] it is 5,000 histories whatever the data,
/// which is what a helper worker is sent ([`super::late_fit`]).
#[derive(Debug, Clone)]
pub struct FitInput<'a> {
    pub customers: u64,
    pub repeat_customers: u64,
    /// The customers of all the histories (a sample's weights add up to fewer).
    pub all_customers: f64,
    pub distinct_triples: u64,
    /// The coarse sample the optimiser starts from, above [`QUASI_NEWTON_ABOVE`].
    pub coarse: Option<Cow<'a, Triples>>,
    /// The histories the optimum is found on.
    pub target: Cow<'a, Triples>,
}

impl<'a> FitInput<'a> {
    /// The input of the fit of `triples`, or why there is none.
    pub fn of(triples: &'a Triples) -> Result<FitInput<'a>, FitError> {
        let (customers, repeat_customers) = enough_to_fit(triples)?;
        let (coarse, target) = if triples.len() > QUASI_NEWTON_ABOVE {
            let coarse = Some(Cow::Owned(subsample(triples, COARSE_TRIPLES)));
            if triples.len() > SAMPLE_ABOVE {
                (coarse, Cow::Owned(subsample(triples, SAMPLE_TRIPLES)))
            } else {
                (coarse, Cow::Borrowed(triples))
            }
        } else {
            (None, Cow::Borrowed(triples))
        };
        Ok(FitInput {
            customers,
            repeat_customers,
            all_customers: triples.weight.iter().sum(),
            distinct_triples: triples.len() as u64,
            coarse,
            target,
        })
    }

    /// The same input, owning its histories.
    pub fn into_owned(self) -> FitInput<'static> {
        FitInput {
            coarse: self.coarse.map(|c| Cow::Owned(c.into_owned())),
            target: Cow::Owned(self.target.into_owned()),
            ..self
        }
    }
}

/// Fits Pareto/NBD to compressed summaries.
pub fn fit_pareto_nbd_triples(triples: &Triples) -> Result<ParetoNbdFit, FitError> {
    fit_pareto_nbd_input(&FitInput::of(triples)?)
}

/// Fits Pareto/NBD to what [`FitInput::of`] took of the histories.
pub fn fit_pareto_nbd_input(input: &FitInput) -> Result<ParetoNbdFit, FitError> {
    let beyond =
        |m: &optim::Minimum| m.log_params[0] > LN_SHAPE_MAX || m.log_params[2] > LN_SHAPE_MAX;
    let sampled = input.distinct_triples as usize > SAMPLE_ABOVE;
    let (likelihood, minimum) = match &input.coarse {
        Some(coarse) => {
            // A coarse sample's optimum from the starting grid, then
            // quasi-Newton steps from it and its Hessian (about 6
            // gradients) on all the histories, or on a sample of them above
            // SAMPLE_ABOVE; else L-BFGS from the coarse optimum (about 16
            // iterations).
            let coarse_likelihood = Likelihood::new(coarse);
            let starts = starting_points(coarse);
            let start = optim::minimise_to(&coarse_likelihood, &starts, beyond, COARSE_TOLERANCE)
                .ok_or(FitError::NoFiniteStart)?;
            let tolerance = if sampled {
                SAMPLE_TOLERANCE
            } else {
                optim::L_BFGS_TOLERANCE
            };
            let on_target = Likelihood::new(&input.target);
            let minimum = optim::minimise_with_hessian(
                &on_target,
                start.log_params.clone(),
                &start.hessian,
                tolerance,
            )
            .or_else(|| optim::minimise_to(&on_target, &[start.log_params], beyond, tolerance));
            (on_target, minimum)
        }
        None => {
            let all = Likelihood::new(&input.target);
            let minimum = optim::minimise_unless(&all, &starting_points(&input.target), beyond);
            (all, minimum)
        }
    };
    let minimum = minimum.ok_or(FitError::NoFiniteStart)?;
    let sample_customers = sampled.then_some(likelihood.total_weight as u64);
    let degenerate = pareto_nbd_limits(&minimum.log_params);
    let params = from_logs(&minimum.log_params);
    let standard_errors = optim::standard_errors(&minimum, likelihood.total_weight)
        .filter(|_| degenerate.is_empty())
        .map(|se| ParetoNbdParams {
            r: se[0],
            alpha: se[1],
            s: se[2],
            beta: se[3],
        });
    Ok(ParetoNbdFit {
        params,
        standard_errors,
        log_likelihood: -minimum.value * input.all_customers,
        customers: input.customers,
        repeat_customers: input.repeat_customers,
        distinct_triples: input.distinct_triples,
        iterations: minimum.iterations,
        solver: minimum.solver,
        gradient_max: minimum.gradient_max,
        converged: minimum.gradient_max < CONVERGED_GRADIENT,
        log_covariance: optim::log_covariance(&minimum, likelihood.total_weight)
            .filter(|_| standard_errors.is_some()),
        sample_customers,
        degenerate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDNOW: ParetoNbdParams = ParetoNbdParams {
        r: 0.55,
        alpha: 10.58,
        s: 0.61,
        beta: 11.67,
    };

    /// The analytic gradient against central differences of the
    /// log-likelihood, on both of Fader and Hardie's cases and on the
    /// quadrature route (β ≫ α), for one-off, repeat and heavy customers.
    #[test]
    fn gradient_matches_differences_of_the_likelihood() {
        let params = [
            CDNOW,
            ParetoNbdParams {
                r: 1.3,
                alpha: 16.0,
                s: 0.4,
                beta: 30.0,
            },
            ParetoNbdParams {
                r: 1.3,
                alpha: 30.0,
                s: 2.4,
                beta: 16.0,
            },
            ParetoNbdParams {
                r: 0.8,
                alpha: 0.05,
                s: 0.9,
                beta: 40.0,
            },
        ];
        let histories = [
            (0.0, 0.0, 39.0),
            (1.0, 5.0, 39.0),
            (7.0, 30.5, 38.0),
            (30.0, 38.0, 39.0),
            (3.0, 1.0, 2.0),
        ];
        for p in params {
            for (x, tx, t) in histories {
                let c = p.customer(x, tx, t).unwrap();
                let at = |i: usize, h: f64| {
                    let mut v = [p.r, p.alpha, p.s, p.beta];
                    v[i] *= 1.0 + h;
                    let q = ParetoNbdParams {
                        r: v[0],
                        alpha: v[1],
                        s: v[2],
                        beta: v[3],
                    };
                    q.customer(x, tx, t).unwrap().ll
                };
                let natural = [p.r, p.alpha, p.s, p.beta];
                for i in 0..4 {
                    let h = 1e-6;
                    let numeric = (at(i, h) - at(i, -h)) / (2.0 * h * natural[i]);
                    assert!(
                        (c.grad[i] - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                        "{p:?} {x} {tx} {t} [{i}]: {} vs {numeric}",
                        c.grad[i]
                    );
                }
            }
        }
    }

    /// The Hessian from differences of the analytic gradient against second
    /// differences of the objective itself (log parameters, step 1e-3): the
    /// standard errors rest on it.
    #[test]
    fn hessian_matches_second_differences_of_the_likelihood() {
        let triples = Triples {
            x: vec![0.0, 1.0, 2.0, 7.0, 30.0, 3.0],
            t_x: vec![0.0, 5.0, 20.0, 30.5, 38.0, 1.0],
            t: vec![39.0, 39.0, 30.0, 38.0, 39.0, 39.0],
            weight: vec![50.0, 20.0, 10.0, 5.0, 1.0, 3.0],
            of_row: vec![],
        };
        let likelihood = Likelihood::new(&triples);
        let at = [
            CDNOW.r.ln(),
            CDNOW.alpha.ln(),
            CDNOW.s.ln(),
            CDNOW.beta.ln(),
        ];
        let (_, _, h) = likelihood.value_gradient_hessian(&at).unwrap();
        let f = |d: [f64; 4]| {
            let p: Vec<f64> = (0..4).map(|i| at[i] + d[i]).collect();
            likelihood.value_and_gradient(&p).unwrap().0
        };
        let step = 1e-3;
        for i in 0..4 {
            for j in 0..4 {
                let shifted = |a: f64, b: f64| {
                    let mut d = [0.0; 4];
                    d[i] += a;
                    d[j] += b;
                    f(d)
                };
                let numeric = (shifted(step, step) - shifted(step, -step) - shifted(-step, step)
                    + shifted(-step, -step))
                    / (4.0 * step * step);
                assert!(
                    (h[i][j] - numeric).abs() < 1e-5 * h[i][i].abs().max(h[j][j].abs()),
                    "H[{i}][{j}] = {} vs {numeric}",
                    h[i][j]
                );
            }
        }
    }

    /// Without dropout heterogeneity mattering (μ → 0: s fixed, β → ∞)
    /// P(alive) → 1 and the expectation tends to the NBD's (r+x)/(α+T)·t.
    /// P(alive) of many tₓ at one (x, T) is each one's P(alive), invalid
    /// histories (tₓ beyond T, negative, NaN, tₓ > 0 without a repeat
    /// purchase) included as `None`.
    #[test]
    fn p_alive_at_one_x_and_t_matches_each_alone() {
        let p = CDNOW;
        for (x, t) in [(0.0, 38.86), (2.0, 38.86), (7.0, 20.0)] {
            let t_xs = [0.0, 1.5, 10.0, 19.999, 20.0, 38.86, 40.0, -1.0, f64::NAN];
            let together = p.p_alive_at(x, t, &t_xs);
            for (t_x, got) in t_xs.iter().zip(together) {
                assert_eq!(got, p.p_alive(x, *t_x, t).ok(), "{x} {t_x} {t}");
            }
        }
    }

    #[test]
    fn no_dropout_limit_is_the_nbd() {
        let p = ParetoNbdParams {
            r: 0.55,
            alpha: 10.58,
            s: 0.61,
            beta: 1e12,
        };
        let alive = p.p_alive(4.0, 10.0, 39.0).unwrap();
        assert!((1.0 - alive) < 1e-9, "{alive}");
        let e = p.expected_purchases(52.0, 4.0, 10.0, 39.0).unwrap();
        let nbd = (0.55 + 4.0) / (10.58 + 39.0) * 52.0;
        assert!((e - nbd).abs() < 1e-8 * nbd, "{e} vs {nbd}");
    }

    /// s = 1 exactly, where the paper's expectation is 0/0: the limit
    /// (r+x)(β+T)/(α+T) · ln(1 + t/(β+T)) · P(alive), and continuity on both
    /// sides.
    #[test]
    fn expectation_at_s_one_is_the_limit() {
        let p = ParetoNbdParams { s: 1.0, ..CDNOW };
        let (t, x, tx, big_t) = (52.0, 2.0, 30.0, 39.0);
        let alive = p.p_alive(x, tx, big_t).unwrap();
        let limit = (p.r + x) * (p.beta + big_t) / (p.alpha + big_t)
            * (1.0 + t / (p.beta + big_t)).ln()
            * alive;
        let e = p.expected_purchases(t, x, tx, big_t).unwrap();
        assert!((e - limit).abs() < 1e-14 * limit, "{e} vs {limit}");
        for s in [1.0 - 1e-7, 1.0 + 1e-7] {
            let near = ParetoNbdParams { s, ..CDNOW }
                .expected_purchases(t, x, tx, big_t)
                .unwrap();
            assert!((near - e).abs() < 1e-6 * e, "{s}: {near} vs {e}");
        }
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let bad = ParetoNbdParams { r: 0.0, ..CDNOW };
        assert!(matches!(
            bad.p_alive(1.0, 1.0, 2.0),
            Err(PredictError::InvalidParameters { .. })
        ));
        for (x, tx, t) in [
            (-1.0, 0.0, 1.0),
            (1.0, 3.0, 2.0),
            (0.0, 1.0, 2.0),
            (f64::NAN, 0.0, 1.0),
            (1.0, 0.5, f64::INFINITY),
        ] {
            assert!(
                matches!(
                    CDNOW.p_alive(x, tx, t),
                    Err(PredictError::InvalidHistory { .. })
                ),
                "{x} {tx} {t}"
            );
        }
        assert!(matches!(
            CDNOW.expected_purchases(-1.0, 1.0, 1.0, 2.0),
            Err(PredictError::InvalidHorizon { .. })
        ));
        assert_eq!(CDNOW.expected_purchases(0.0, 1.0, 1.0, 2.0), Ok(0.0));
    }
}
