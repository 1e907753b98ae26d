//! 90% intervals on the predictions from the parameters' uncertainty.
//!
//! The maximum-likelihood estimate is asymptotically normal with the
//! inverse of the Hessian of the negative log-likelihood as covariance. The
//! parameters are drawn [`DRAWS`] times from that normal, in log parameters
//! (the space the optimiser works in, where the normal keeps every
//! parameter positive and is closer to the likelihood's shape), for the
//! purchase model in use and, independently (a separate likelihood), for
//! Gamma-Gamma; every figure is taken at each draw, and its 5% and 95%
//! quantiles over the draws are the interval. A fixed seed makes the
//! intervals the same on every run, natively and in the browser.
//!
//! A history's expected purchases and P(alive) are not recomputed by the
//! model at each of the 200 draws (that took 90 ms natively, 150 ms in the
//! browser, at 1M rows): they are expanded to second order in the log
//! parameters at the estimate, from 21 evaluations by central differences
//! ([`Expansion`]), and the expansion is evaluated at each draw. On CDNOW
//! the intervals' ends differ from the recomputed ones by at most 0.2%
//! (BG/NBD) and 0.6% (Pareto/NBD) of their width (tests/clv_intervals.rs).
//! Gamma-Gamma's expected spend is closed-form and is computed at each draw.
//!
//! Why not a bootstrap over customers: it refits the model per resample,
//! and a fit is the expensive part (a Pareto/NBD fit takes 0.2-0.4 s on
//! 10,000-30,000 customers): 200 refits would take a minute or more in the
//! browser, against a few milliseconds for re-evaluating predictions at
//! drawn parameters. The Hessian at the optimum is already there (it gives
//! the standard errors). The price is the normal approximation, which is
//! good for the thousands of customers the models need anyway; the coverage
//! is checked on simulated shops (tests/clv_intervals.rs).
//!
//! What the intervals cover: the uncertainty of the model's expectation
//! given the fitted parameters, not the randomness of the purchases
//! themselves (a customer expected to buy 1.4 times buys 0, 1, 2 or 3
//! times). Degenerate fits have no covariance and get no interval.
//!
//! The totals over a large base are recomputed, per draw, on a systematic
//! sample of [`TOTAL_SAMPLE`] distinct histories drawn with probability
//! proportional to their share of the total (sorted by frequency, T and
//! recency, so the sample spans them), and the draw's total is the point
//! total times the sample's ratio (draw / estimate): the parameters move
//! all customers' predictions together, and the ratio carries that
//! movement with a sampling error of a few percent of the interval's width.
//! Up to [`TOTAL_SAMPLE`] histories every one is recomputed.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use super::clv::{quantile, Months, PredictionTable};
use super::gamma_gamma::GammaGammaParams;
use super::model_choice::{PurchaseParams, PurchaseProcess};
use super::optim::cholesky;
use super::special::SameEverywhere;
use super::summary::{ByXAndT, Triples};
use crate::dataset::CustomerSummary;

/// Parameter draws per interval.
pub const DRAWS: usize = 200;
/// Seed of the draws (splitmix64).
pub const SEED: u64 = 0x2021_C1F0_5EED_0021;
/// The interval's quantiles: a central 90%.
pub const LOW: f64 = 0.05;
pub const HIGH: f64 = 0.95;
/// Distinct histories the totals are recomputed on per draw (all of them
/// up to this many).
pub const TOTAL_SAMPLE: usize = 200;
/// Share of the draws that must give a number for an interval to be given.
const ENOUGH_DRAWS: f64 = 0.9;

/// A 90% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// The [`LOW`] and [`HIGH`] quantiles of `values` (sorted in place);
    /// `None` unless at least [`ENOUGH_DRAWS`] of `draws` gave a finite value.
    fn of(values: &mut [f64], draws: usize) -> Option<Interval> {
        if values.is_empty() || (values.len() as f64) < ENOUGH_DRAWS * draws as f64 {
            return None;
        }
        values.sort_unstable_by(f64::total_cmp);
        // + 0.0: never −0.
        let low = quantile(values, LOW) + 0.0;
        let high = quantile(values, HIGH) + 0.0;
        (low.is_finite() && high.is_finite()).then_some(Interval { low, high })
    }
}

/// One customer's intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerInterval {
    pub expected_purchases: Interval,
    /// `None` without a spend model or its covariance.
    pub clv: Option<Interval>,
}

/// The intervals on the section's totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TotalIntervals {
    pub expected_purchases: Option<Interval>,
    pub clv: Option<Interval>,
    /// Distinct histories recomputed per draw (all, or the sample).
    pub histories: u64,
}

/// Per draw, the expected and discounted expected purchases of one history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryDraws(Vec<Option<(f64, f64)>>);

impl HistoryDraws {
    /// The intervals of a customer with this history (x repeat purchases)
    /// and average spend `spend`.
    pub fn customer(
        &self,
        draws: &ParameterDraws,
        x: f64,
        spend: Option<f64>,
        margin: f64,
    ) -> Option<CustomerInterval> {
        let m = spend.unwrap_or(0.0);
        let mut purchases = Vec::with_capacity(DRAWS);
        let mut clv = Vec::with_capacity(DRAWS);
        for (k, values) in self.0.iter().enumerate() {
            let Some((e, discounted)) = values else {
                continue;
            };
            purchases.push(*e);
            let spend = draws
                .spend
                .as_ref()
                .and_then(|s| s.get(k))
                .and_then(|g| g.expected_average_spend(x, m));
            if let Some(spend) = spend {
                clv.push(discounted * spend * margin);
            }
        }
        let expected_purchases = Interval::of(&mut purchases, DRAWS)?;
        Some(CustomerInterval {
            expected_purchases,
            clv: draws
                .spend
                .as_ref()
                .and_then(|_| Interval::of(&mut clv, DRAWS)),
        })
    }
}

/// splitmix64: a deterministic stream of uniform and normal numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard normal (Box-Muller, one of the pair).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln_()).sqrt() * libm::cos(std::f64::consts::TAU * v)
    }
}

/// `count` draws of log parameters from N(`centre`, `covariance`).
fn draw_logs(
    rng: &mut Rng,
    centre: &[f64],
    covariance: &[Vec<f64>],
    count: usize,
) -> Option<Vec<Vec<f64>>> {
    let l = cholesky(covariance)?;
    let n = centre.len();
    if l.len() != n {
        return None;
    }
    Some(
        (0..count)
            .map(|_| {
                let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
                (0..n)
                    .map(|i| centre[i] + (0..=i).map(|k| l[i][k] * z[k]).sum::<f64>())
                    .collect()
            })
            .collect(),
    )
}

/// Parameters drawn from the estimates' asymptotic normal.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterDraws {
    /// The estimate the draws are centred on, and each draw's offset from
    /// it in log parameters (for the expansion, [`Expansion`]).
    centre: PurchaseParams,
    offsets: Vec<[f64; 4]>,
    purchase: Vec<PurchaseParams>,
    /// Gamma-Gamma's, parallel; `None` without a spend model or its covariance.
    spend: Option<Vec<GammaGammaParams>>,
}

fn logs4(v: [f64; 4]) -> Vec<f64> {
    v.iter().map(|p| p.ln_()).collect()
}

/// The model's four parameters in the order of its covariance.
fn params4(model: &PurchaseParams) -> [f64; 4] {
    match model {
        PurchaseParams::BgNbd(p) => [p.r, p.alpha, p.a, p.b],
        PurchaseParams::ParetoNbd(p) => [p.r, p.alpha, p.s, p.beta],
    }
}

/// `model` with its four parameters replaced.
fn with_params4(model: &PurchaseParams, e: [f64; 4]) -> PurchaseParams {
    match model {
        PurchaseParams::BgNbd(_) => PurchaseParams::BgNbd(super::bgnbd::BgNbdParams {
            r: e[0],
            alpha: e[1],
            a: e[2],
            b: e[3],
        }),
        PurchaseParams::ParetoNbd(_) => {
            PurchaseParams::ParetoNbd(super::pareto_nbd::ParetoNbdParams {
                r: e[0],
                alpha: e[1],
                s: e[2],
                beta: e[3],
            })
        }
    }
}

/// Step of the central differences in log parameters: small against the
/// parameters' standard errors (0.01-0.5 in logs) and large enough that
/// the second differences keep about 8 digits of figures good to 1e-14.
const STEP: f64 = 1e-3;

/// A figure of one history as a function of the log parameters, expanded
/// to second order at the estimate: value, gradient and second derivatives
/// by central differences (the estimate, a step either side along each
/// parameter and along each pair's diagonal: 21 evaluations of the model
/// instead of one per draw).
///
/// Each draw's figure is then the expansion at its offset. In log
/// parameters a history's expected purchases are smooth and close to
/// linear (they scale like r/α, (b−1)/(a+b−1) and the like), and P(alive)
/// is expanded in log-odds, where it is too; tests/clv_intervals.rs checks
/// the intervals against the figures recomputed at every draw on CDNOW.
/// Where a figure is 0, or not a number at one of the points, the caller
/// recomputes it at every draw instead.
struct Expansion<const N: usize> {
    value: [f64; N],
    grad: [[f64; N]; 4],
    /// Second derivatives, symmetric in the two parameters.
    hessian: [[[f64; N]; 4]; 4],
}

impl<const N: usize> Expansion<N> {
    /// Of `f` (N figures of one history, already on the scale they are
    /// expanded on), `None` where one is not finite at one of the points.
    fn of(
        centre: &PurchaseParams,
        f: impl Fn(&PurchaseParams) -> Option<[f64; N]>,
    ) -> Option<Expansion<N>> {
        let base = params4(centre);
        let at = |steps: [f64; 4]| {
            let p: [f64; 4] = std::array::from_fn(|i| base[i] * (steps[i] * STEP).exp_());
            f(&with_params4(centre, p)).filter(|v| v.iter().all(|v| v.is_finite()))
        };
        let value = at([0.0; 4])?;
        let axis = |i: usize, sign: f64| {
            let mut steps = [0.0; 4];
            steps[i] = sign;
            at(steps)
        };
        let mut up = [[0.0; N]; 4];
        let mut down = [[0.0; N]; 4];
        for i in 0..4 {
            up[i] = axis(i, 1.0)?;
            down[i] = axis(i, -1.0)?;
        }
        let h2 = STEP * STEP;
        let grad = std::array::from_fn(|i| {
            std::array::from_fn(|n| (up[i][n] - down[i][n]) / (2.0 * STEP))
        });
        let mut hessian = [[[0.0; N]; 4]; 4];
        for i in 0..4 {
            hessian[i][i] = std::array::from_fn(|n| (up[i][n] - 2.0 * value[n] + down[i][n]) / h2);
            for j in 0..i {
                let mut steps = [0.0; 4];
                steps[i] = 1.0;
                steps[j] = 1.0;
                let both_up = at(steps)?;
                let both_down = at(steps.map(|v| -v))?;
                let mixed: [f64; N] = std::array::from_fn(|n| {
                    (both_up[n] - up[i][n] - up[j][n] + 2.0 * value[n] - down[i][n] - down[j][n]
                        + both_down[n])
                        / (2.0 * h2)
                });
                hessian[i][j] = mixed;
                hessian[j][i] = mixed;
            }
        }
        Some(Expansion {
            value,
            grad,
            hessian,
        })
    }

    /// The expansion's N figures at `offset` from the estimate.
    fn at(&self, offset: &[f64; 4]) -> [f64; N] {
        std::array::from_fn(|n| {
            let mut v = self.value[n];
            for i in 0..4 {
                let curved: f64 = (0..4).map(|j| self.hessian[i][j][n] * offset[j]).sum();
                v += offset[i] * (self.grad[i][n] + 0.5 * curved);
            }
            v
        })
    }
}

/// ln v, for positive finite v.
fn ln_positive(v: f64) -> Option<f64> {
    (v > 0.0 && v.is_finite()).then(|| v.ln_())
}

/// ln(p / (1 − p)), for p strictly between 0 and 1.
fn logit(p: f64) -> Option<f64> {
    (p > 0.0 && p < 1.0).then(|| p.ln_() - (-p).ln_1p_())
}

fn inverse_logit(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp_())
}

impl ParameterDraws {
    /// [`DRAWS`] draws for the purchase model (`covariance` of its log
    /// parameters) and, when given with its covariance, Gamma-Gamma; `None`
    /// when the purchase model's covariance is not positive definite.
    pub fn new(
        model: &PurchaseParams,
        covariance: &[Vec<f64>],
        spend: Option<(&GammaGammaParams, &[Vec<f64>])>,
    ) -> Option<ParameterDraws> {
        let mut rng = Rng(SEED);
        let centre = logs4(params4(model));
        let logs = draw_logs(&mut rng, &centre, covariance, DRAWS)?;
        let offsets: Vec<[f64; 4]> = logs
            .iter()
            .map(|lp| std::array::from_fn(|i| lp.get(i).map_or(0.0, |v| v - centre[i])))
            .collect();
        let purchase = logs
            .iter()
            .map(|lp| {
                with_params4(
                    model,
                    std::array::from_fn(|i| lp.get(i).map_or(0.0, |v| v.exp_())),
                )
            })
            .collect();
        let spend = spend.and_then(|(g, cov)| {
            let centre = [g.p.ln_(), g.q.ln_(), g.v.ln_()];
            let draws = draw_logs(&mut rng, &centre, cov, DRAWS)?;
            Some(
                draws
                    .into_iter()
                    .map(|lp| GammaGammaParams {
                        p: lp[0].exp_(),
                        q: lp[1].exp_(),
                        v: lp[2].exp_(),
                    })
                    .collect(),
            )
        });
        Some(ParameterDraws {
            centre: *model,
            offsets,
            purchase,
            spend,
        })
    }

    /// One customer's intervals on expected purchases and CLV over `months`
    /// (`margin` the share of spend that is profit); `None` when fewer than
    /// 90% of the draws give a number.
    pub fn customer(
        &self,
        months: &Months,
        margin: f64,
        summary: &CustomerSummary,
    ) -> Option<CustomerInterval> {
        let (x, t_x, t) = (summary.frequency, summary.recency, summary.t);
        self.history(months, x, t_x, t)
            .customer(self, x, summary.monetary_value, margin)
    }

    /// Each draw's expected and discounted expected purchases of a history
    /// (x, tₓ, T), shared by the customers with that history.
    pub fn history(&self, months: &Months, x: f64, t_x: f64, t: f64) -> HistoryDraws {
        self.history_from(&self.alive_parts(months, x, t), x, t_x, t)
    }

    /// [`Self::history`] recomputed at every draw, without the expansion
    /// (what the tests hold the expansion to).
    pub fn history_exact(&self, months: &Months, x: f64, t_x: f64, t: f64) -> HistoryDraws {
        HistoryDraws(
            self.purchase
                .iter()
                .map(|model| months.customer(model, x, t_x, t).map(|(_, e, d)| (e, d)))
                .collect(),
        )
    }

    /// Each draw's [`Months::alive_parts`] of (x, T), shared by the
    /// histories with that x and T.
    pub fn alive_parts(&self, months: &Months, x: f64, t: f64) -> Vec<Option<(f64, f64)>> {
        // Expanded in logs; recomputed at every draw where that is not possible.
        let parts = |model: &PurchaseParams| {
            let (total, discounted) = months.alive_parts(model, x, t)?;
            Some([ln_positive(total)?, ln_positive(discounted)?])
        };
        match Expansion::of(&self.centre, parts) {
            Some(e) => self
                .offsets
                .iter()
                .map(|o| {
                    let [total, discounted] = e.at(o);
                    Some((total.exp_(), discounted.exp_()))
                })
                .collect(),
            None => self.alive_parts_exact(months, x, t),
        }
    }

    /// [`Self::alive_parts`] recomputed at every draw.
    pub fn alive_parts_exact(&self, months: &Months, x: f64, t: f64) -> Vec<Option<(f64, f64)>> {
        self.purchase
            .iter()
            .map(|model| months.alive_parts(model, x, t))
            .collect()
    }

    /// Each draw's P(alive) of a history: expanded in log-odds, else (P(alive)
    /// 0 or 1 at the estimate, or no number near it) recomputed at every draw.
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Vec<Option<f64>> {
        match Expansion::of(&self.centre, |m| Some([logit(m.p_alive(x, t_x, t)?)?])) {
            Some(e) => self
                .offsets
                .iter()
                .map(|o| Some(inverse_logit(e.at(o)[0])))
                .collect(),
            None => self.purchase.iter().map(|m| m.p_alive(x, t_x, t)).collect(),
        }
    }

    /// [`Self::history`] from the (x, T) figures [`Self::alive_parts`] gave.
    pub fn history_from(
        &self,
        alive_parts: &[Option<(f64, f64)>],
        x: f64,
        t_x: f64,
        t: f64,
    ) -> HistoryDraws {
        HistoryDraws(
            self.p_alive(x, t_x, t)
                .into_iter()
                .zip(alive_parts)
                .map(|(p_alive, parts)| {
                    let (total, discounted) = (*parts)?;
                    let p_alive = p_alive?;
                    Some((p_alive * total, p_alive * discounted))
                })
                .collect(),
        )
    }
    /// Intervals on the total expected purchases and the total CLV of the
    /// customers in `rows` (with their `triples` and point `predictions`),
    /// whose point totals are `totals` (expected purchases, CLV),
    /// recomputed on a sample of `sample_size` histories (all of them up to
    /// that many; the Report's totals use [`TOTAL_SAMPLE`]). `rows` (held
    /// summaries, or summaries read as they come) are read once.
    ///
    /// `by_x_and_t` is `triples.by_x_and_t()`, made once for the
    /// predictions too: the sample reads the histories in that order.
    pub fn totals_on_sample<R>(
        &self,
        months: &Months,
        margin: f64,
        (rows, triples, by_x_and_t): (R, &Triples, ByXAndT),
        predictions: &PredictionTable,
        totals: (Option<f64>, Option<f64>),
        sample_size: usize,
    ) -> TotalIntervals
    where
        R: IntoIterator,
        R::Item: Borrow<CustomerSummary>,
    {
        // Per triple: customers, Σ average spend, point expected purchases and CLV.
        let n = triples.len();
        let mut customers = vec![0.0; n];
        let mut spend_sum = vec![0.0; n];
        let mut point_e = vec![0.0; n];
        let mut point_clv = vec![0.0; n];
        let mut predicted = vec![false; n];
        for ((row, &k), p) in rows
            .into_iter()
            .zip(&triples.of_row)
            .zip(predictions.iter())
        {
            let row = row.borrow();
            let (k, Some(p)) = (k as usize, p) else {
                continue;
            };
            predicted[k] = true;
            customers[k] += 1.0;
            spend_sum[k] += row.monetary_value.unwrap_or(0.0);
            point_e[k] += p.expected_purchases;
            point_clv[k] += p.clv.unwrap_or(0.0);
        }
        let sample = sample(triples, by_x_and_t, &point_e, &predicted, sample_size);
        let histories = sample.len() as u64;
        // Per draw, the sample's Σ weight·value(draw)/size and the same at the estimate.
        let weight = |j: &(usize, f64)| j.1 / point_e[j.0].max(f64::MIN_POSITIVE);
        let at_estimate =
            |values: &[f64]| -> f64 { sample.iter().map(|j| weight(j) * values[j.0]).sum() };
        let (base_e, base_clv) = (at_estimate(&point_e), at_estimate(&point_clv));
        let mut draws_e = Vec::with_capacity(DRAWS);
        let mut draws_clv = Vec::with_capacity(DRAWS);
        // Each sampled history's figures at every draw.
        let by_history: Vec<HistoryDraws> = sample
            .iter()
            .map(|&(k, _)| self.history(months, triples.x[k], triples.t_x[k], triples.t[k]))
            .collect();
        'draws: for d in 0..self.purchase.len() {
            let gg = self.spend.as_ref().and_then(|s| s.get(d));
            let (mut e_sum, mut clv_sum, clv_ok) = (0.0, 0.0, gg.is_some());
            for (j, history) in sample.iter().zip(&by_history) {
                let k = j.0;
                let Some(Some((e, discounted))) = history.0.get(d).copied() else {
                    continue 'draws;
                };
                let w = weight(j);
                e_sum += w * customers[k] * e;
                // A history without an expected spend (q ≤ 1 and no repeat
                // purchase) has no CLV at the estimate either: it adds 0.
                if let Some(Some(spend)) =
                    gg.map(|g| spend_total(g, triples.x[k], customers[k], spend_sum[k]))
                {
                    clv_sum += w * discounted * spend * margin;
                }
            }
            if let Some(total) = totals.0.filter(|_| base_e > 0.0) {
                draws_e.push(total * e_sum / base_e);
            }
            if let Some(total) = totals.1.filter(|_| clv_ok && base_clv > 0.0) {
                draws_clv.push(total * clv_sum / base_clv);
            }
        }
        TotalIntervals {
            expected_purchases: Interval::of(&mut draws_e, DRAWS),
            clv: Interval::of(&mut draws_clv, DRAWS),
            histories,
        }
    }
}

/// Σ over the `customers` customers of one history (x repeat purchases,
/// average spends summing to `spend_sum`) of the Gamma-Gamma expected
/// spend, which is linear in the average spend.
fn spend_total(g: &GammaGammaParams, x: f64, customers: f64, spend_sum: f64) -> Option<f64> {
    let one = g.expected_average_spend(x, 0.0)?;
    let slope = if x > 0.0 {
        g.expected_average_spend(x, 1.0)? - one
    } else {
        0.0
    };
    Some(customers * one + slope * spend_sum)
}

/// The histories the totals are recomputed on, each with its weight in the
/// ratio: every predicted one (weight = its point expectation, so the
/// ratio is exact) up to `count`, else a systematic sample with
/// probability proportional to size (the point expectation of its
/// customers), over the histories sorted by (x, T, tₓ), each sampled one
/// counted as often as it is hit.
fn sample(
    triples: &Triples,
    by_x_and_t: ByXAndT,
    size: &[f64],
    predicted: &[bool],
    count: usize,
) -> Vec<(usize, f64)> {
    if predicted.iter().filter(|&&p| p).count() <= count.max(1) {
        let every = (0..triples.len()).filter(|&k| predicted[k]);
        return every.map(|k| (k, size[k])).collect();
    }
    // The full sort's order, for the cost of sorting the runs of equal
    // (x, T) that the predictions made (`ByXAndT::by_t_x_within`).
    let order = by_x_and_t.by_t_x_within(&triples.t_x);
    let order = || order.iter().copied().filter(|&k| predicted[k]);
    let total: f64 = order().map(|k| size[k].max(0.0)).sum();
    if total.is_nan() || total <= 0.0 {
        return Vec::new();
    }
    let step = total / count as f64;
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(count);
    let (mut cumulative, mut next) = (0.0, 0.5 * step);
    for k in order() {
        cumulative += size[k].max(0.0);
        let mut hits = 0.0;
        while next < cumulative {
            hits += 1.0;
            next += step;
        }
        if hits > 0.0 {
            // Hits × size/expected-hits keeps Σ weight·value/size an
            // estimate of the total in the units of the exact sum.
            out.push((k, hits * step));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normals_have_mean_zero_and_variance_one() {
        let mut rng = Rng(SEED);
        let n = 100_000;
        let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        // Standard errors 1/√n = 0.0032 and √(2/n) = 0.0045.
        assert!(
            mean.abs() < 0.013 && (var - 1.0).abs() < 0.018,
            "{mean} {var}"
        );
    }

    #[test]
    fn draws_have_the_covariance() {
        // Σ = [[4, 1.2], [1.2, 1]]: L = [[2, 0], [0.6, 0.8]].
        let l = cholesky(&[vec![4.0, 1.2], vec![1.2, 1.0]]).unwrap();
        assert!((l[1][0] - 0.6).abs() < 1e-15 && (l[1][1] - 0.8).abs() < 1e-15);
        let cov = vec![vec![4.0, 1.2], vec![1.2, 1.0]];
        let draws = draw_logs(&mut Rng(7), &[1.0, -2.0], &cov, 50_000).unwrap();
        let n = draws.len() as f64;
        let m0 = draws.iter().map(|d| d[0]).sum::<f64>() / n;
        let m1 = draws.iter().map(|d| d[1]).sum::<f64>() / n;
        let c01 = draws.iter().map(|d| (d[0] - m0) * (d[1] - m1)).sum::<f64>() / n;
        let c00 = draws.iter().map(|d| (d[0] - m0) * (d[0] - m0)).sum::<f64>() / n;
        assert!(
            (m0 - 1.0).abs() < 0.03 && (m1 + 2.0).abs() < 0.015,
            "{m0} {m1}"
        );
        assert!(
            (c00 - 4.0).abs() < 0.1 && (c01 - 1.2).abs() < 0.05,
            "{c00} {c01}"
        );
        assert!(cholesky(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }

    #[test]
    fn spend_total_is_the_sum_of_each_customers_spend() {
        let g = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        let each: f64 = [20.0, 35.5, 7.25]
            .iter()
            .map(|m| g.expected_average_spend(2.0, *m).unwrap())
            .sum();
        let total = spend_total(&g, 2.0, 3.0, 20.0 + 35.5 + 7.25).unwrap();
        assert!((total - each).abs() < 1e-12 * each);
    }
}
