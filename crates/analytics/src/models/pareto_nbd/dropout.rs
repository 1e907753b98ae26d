//! The dropout integral of the Pareto/NBD likelihood,
//!
//!   I = ∫ from tₓ to T of (α+u)^−(r+x) · (β+u)^−(s+1) du,
//!
//! the weight of "alive at the last purchase tₓ, gone before T". Fader &
//! Hardie's note (2005, eq. 19-20) write it as A₀ = (r+s+x)·I with Gauss's
//! ₂F₁: with h(τ) = ∫ from τ to ∞ of the same integrand, A₀ = (r+s+x)·(h(tₓ) −
//! h(T)) and, for α ≥ β,
//!
//!   (r+s+x)·h(τ) = ₂F₁(r+s+x, s+1; r+s+x+1; z) / (α+τ)^(r+s+x),
//!   z = (α−β)/(α+τ),
//!
//! (for α < β the roles of α and β swap and the second argument is r+x), so
//! that 0 ≤ z < 1 in both cases.
//!
//! That ₂F₁ grows like (1−z)^−s towards z = 1 (like (1−z)^(1−r−x) for
//! α < β), and its terms are ratios of large Pochhammer symbols. Euler's transformation
//! ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) turns both cases into
//! ₂F₁(1, b; c; z) with c = r+s+x+1 > b > 0, whose terms
//! (b)ₙ/(c)ₙ · zⁿ are positive and fall at least as fast as zⁿ, so that
//!
//!   α ≥ β: (r+s+x)·h(τ) = (α+τ)^−(r+x) (β+τ)^−s · ₂F₁(1, r+x; c; z),
//!   α < β: (r+s+x)·h(τ) = (α+τ)^(1−r−x) (β+τ)^−(s+1) · ₂F₁(1, s+1; c; z),
//!
//! formed in log space whatever the size of r+s+x. The difference
//! h(tₓ) − h(T) is taken as h(T)·expm1(Δ) with Δ = ln h(tₓ) − ln h(T)
//! built from `ln_1p` of (T−tₓ)/(α+tₓ), so it never goes negative and loses
//! nothing to cancellation.
//!
//! The series needs about 37/(1−z) terms, which is hopeless near z = 1
//! (one of α, β many times the other and the customer young, which is where
//! an optimiser goes when the data barely identify one of the gamma
//! mixtures). The connection formulas to 1−z are singular whenever s or
//! r+x−1 is an integer. So above z = [`SERIES_Z_MAX`] (and for intervals so
//! short that Δ is below [`SERIES_DELTA_MIN`]) the integral is taken
//! directly by Gauss-Legendre quadrature in v = ln(min(α,β)+u): there the
//! log-integrand is concave with slope σ(v) between 1−e₁ and 1−e₁−e₂ (e₁, e₂
//! the exponents of the smaller and larger factor) and analytic within
//! π of the real axis, so 16-point panels no wider than 2/(1+|σ|) are exact to
//! double precision, and the walk stops once the integrand has fallen 50
//! (in log units) below its maximum past the mode.
//!
//! Both routes return ln I and its gradient in (r, α, s, β); the tests check
//! that they agree where both apply.

use std::sync::OnceLock;

use super::super::special::SameEverywhere;

/// Above this z the series route would need more than about 150 terms (a
/// few hundred nanoseconds) and the quadrature, a few dozen nodes with an
/// exp and a ln each, is cheaper: it takes over.
pub const SERIES_Z_MAX: f64 = 0.75;

/// Below this Δ = ln h(tₓ) − ln h(T) (an interval short against α+tₓ and
/// β+tₓ) the series route's Δ, which carries the difference of two ₂F₁
/// logarithms good to about 1e-15, would keep fewer than 9 digits; one
/// quadrature panel is exact there.
pub const SERIES_DELTA_MIN: f64 = 1e-6;

/// The shape of one customer's integral.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
    pub x: f64,
}

/// ln I and its gradient with respect to (r, α, s, β). ln I is −∞, with a
/// zero gradient, when tₓ = T (nothing to integrate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LnIntegral {
    pub ln: f64,
    pub grad: [f64; 4],
}

/// Which way the integral was computed (for the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    Series,
    Quadrature,
}

impl Shape {
    /// ln I over [tₓ, T] by the series where it converges fast, else by
    /// quadrature; `None` if the result is not finite.
    pub fn ln_integral(&self, t_x: f64, t: f64) -> Option<LnIntegral> {
        self.ln_integral_by(self.route(t_x, t), t_x, t)
    }

    pub fn route(&self, t_x: f64, t: f64) -> Route {
        let z = (self.alpha - self.beta).abs() / (self.alpha.max(self.beta) + t_x);
        if z <= SERIES_Z_MAX && self.series_delta(t_x, t) >= SERIES_DELTA_MIN {
            Route::Series
        } else {
            Route::Quadrature
        }
    }

    pub fn ln_integral_by(&self, route: Route, t_x: f64, t: f64) -> Option<LnIntegral> {
        if t_x >= t {
            return Some(LnIntegral {
                ln: f64::NEG_INFINITY,
                grad: [0.0; 4],
            });
        }
        let out = match route {
            Route::Series => self.by_series(t_x, t),
            Route::Quadrature => self.by_quadrature(t_x, t),
        }?;
        let finite =
            !out.ln.is_nan() && out.ln < f64::INFINITY && out.grad.iter().all(|g| g.is_finite());
        finite.then_some(out)
    }

    /// ln I alone, by the same route as [`Self::ln_integral`]: P(alive)
    /// needs no gradient, and the series without its derivative sums stops
    /// sooner and costs a third as much per term.
    pub fn ln_integral_value(&self, t_x: f64, t: f64) -> Option<f64> {
        if t_x >= t {
            return Some(f64::NEG_INFINITY);
        }
        let ln = match self.route(t_x, t) {
            Route::Series => self.by_series_value(t_x, t, self.series_at(t)?)?,
            Route::Quadrature => self.by_quadrature(t_x, t)?.ln,
        };
        (!ln.is_nan() && ln < f64::INFINITY).then_some(ln)
    }

    /// [`Self::ln_integral_value`] for many tₓ at one T: the series route's
    /// terms at T (ln K(T), ln h(T)) are computed once.
    pub fn ln_integral_values(&self, t_xs: &[f64], t: f64) -> Vec<Option<f64>> {
        let mut at_t: Option<Option<(f64, f64)>> = None;
        t_xs.iter()
            .map(|&t_x| {
                if t_x >= t || self.route(t_x, t) == Route::Quadrature {
                    return self.ln_integral_value(t_x, t);
                }
                let at_t = (*at_t.get_or_insert_with(|| self.series_at(t)))?;
                let ln = self.by_series_value(t_x, t, at_t)?;
                (!ln.is_nan() && ln < f64::INFINITY).then_some(ln)
            })
            .collect()
    }

    /// The ₂F₁(1, b; c; z) behind K(τ): (b, c, z), α + τ, β + τ and
    /// whether α ≥ β (else K carries the factor 1 − z = (α+τ)/(β+τ)).
    fn k_terms(&self, tau: f64) -> ([f64; 3], f64, f64, bool) {
        let Shape {
            r,
            alpha,
            s,
            beta,
            x,
        } = *self;
        let c = r + s + x + 1.0;
        let (at, bt) = (alpha + tau, beta + tau);
        if alpha >= beta {
            ([r + x, c, (alpha - beta) / at], at, bt, true)
        } else {
            ([s + 1.0, c, (beta - alpha) / bt], at, bt, false)
        }
    }

    /// ln K(τ) of [`Self::ln_k`] without the gradient.
    fn ln_k_value(&self, tau: f64) -> Option<f64> {
        let ([b, c, z], at, bt, alpha_at_least_beta) = self.k_terms(tau);
        let lg = ln_hyp2f1_one_value(b, c, z)?;
        Some(if alpha_at_least_beta {
            lg
        } else {
            at.ln_() - bt.ln_() + lg
        })
    }

    /// ln K(T) and ln h(T) (up to −ln(r+s+x)) of the series route: the
    /// same for every tₓ at one T.
    fn series_at(&self, t: f64) -> Option<(f64, f64)> {
        let lk_t = self.ln_k_value(t)?;
        let lh_t =
            -(self.r + self.x) * (self.alpha + t).ln_() - self.s * (self.beta + t).ln_() + lk_t;
        Some((lk_t, lh_t))
    }

    /// [`Self::by_series`]'s ln I without the gradient, given
    /// [`Self::series_at`]`(t)`.
    fn by_series_value(&self, t_x: f64, t: f64, (lk_t, lh_t): (f64, f64)) -> Option<f64> {
        let a = self.r + self.s + self.x;
        let delta = self.series_delta(t_x, t) + self.ln_k_value(t_x)? - lk_t;
        if delta.is_nan() || delta <= 0.0 {
            return None;
        }
        Some(lh_t + ln_expm1(delta) - a.ln_())
    }

    /// Δ = ln h(tₓ) − ln h(T) without the ₂F₁ factors (their difference is
    /// small and of either sign): the part that measures the interval.
    fn series_delta(&self, t_x: f64, t: f64) -> f64 {
        let gap = t - t_x;
        (self.r + self.x) * (gap / (self.alpha + t_x)).ln_1p_()
            + self.s * (gap / (self.beta + t_x)).ln_1p_()
    }

    /// ln K(τ), K = (r+s+x)·h(τ)·(α+τ)^(r+x)·(β+τ)^s, and its gradient;
    /// `None` if the series did not converge (only possible beyond
    /// [`SERIES_Z_MAX`]).
    fn ln_k(&self, tau: f64) -> Option<(f64, [f64; 4])> {
        let ([b, c, z], at, bt, alpha_at_least_beta) = self.k_terms(tau);
        let [lg, gb, gc, gz] = ln_hyp2f1_one(b, c, z)?;
        if alpha_at_least_beta {
            Some((lg, [gb + gc, gz * bt / (at * at), gc, -gz / at]))
        } else {
            let ln_one_minus_z = at.ln_() - bt.ln_();
            Some((
                ln_one_minus_z + lg,
                [
                    gc,
                    1.0 / at - gz / bt,
                    gb + gc,
                    -1.0 / bt + gz * at / (bt * bt),
                ],
            ))
        }
    }

    /// ln h(τ) up to the constant −ln(r+s+x) (added once by the caller),
    /// its gradient, and ln K(τ).
    fn ln_h(&self, tau: f64) -> Option<(f64, [f64; 4], f64)> {
        let p = self.r + self.x;
        let (la, lb) = ((self.alpha + tau).ln_(), (self.beta + tau).ln_());
        let (lk, gk) = self.ln_k(tau)?;
        Some((
            -p * la - self.s * lb + lk,
            [
                -la + gk[0],
                -p / (self.alpha + tau) + gk[1],
                -lb + gk[2],
                -self.s / (self.beta + tau) + gk[3],
            ],
            lk,
        ))
    }

    fn by_series(&self, t_x: f64, t: f64) -> Option<LnIntegral> {
        let a = self.r + self.s + self.x;
        let (_, g_x, lk_x) = self.ln_h(t_x)?;
        let (lh_t, g_t, lk_t) = self.ln_h(t)?;
        let delta = self.series_delta(t_x, t) + lk_x - lk_t;
        if delta.is_nan() || delta <= 0.0 {
            return None;
        }
        // ∂ ln(h_x − h_T) = ∂ln h_T + (∂ln h_x − ∂ln h_T) / (1 − e^−Δ); the
        // −1/(r+s+x) of ∂r and ∂s cancels in the difference and stays once.
        let share = 1.0 / -(-delta).exp_m1_();
        let mut grad = [0.0; 4];
        for i in 0..4 {
            grad[i] = g_t[i] + (g_x[i] - g_t[i]) * share;
        }
        grad[0] -= 1.0 / a;
        grad[2] -= 1.0 / a;
        Some(LnIntegral {
            ln: lh_t + ln_expm1(delta) - a.ln_(),
            grad,
        })
    }

    /// Gauss-Legendre panels in v = ln(m+u), m = min(α, β): I = ∫ e^λ(v) dv
    /// with λ(v) = v − e₁·v − e₂·ln(eᵛ + d), d = |α−β|, e₁ the exponent of
    /// the smaller factor and e₂ of the larger.
    fn by_quadrature(&self, t_x: f64, t: f64) -> Option<LnIntegral> {
        let Shape {
            r,
            alpha,
            s,
            beta,
            x,
        } = *self;
        let (p, q) = (r + x, s + 1.0);
        let alpha_is_min = alpha <= beta;
        let (m, d) = (alpha.min(beta), (alpha - beta).abs());
        let (e1, e2) = if alpha_is_min { (p, q) } else { (q, p) };
        let slope = |v: f64| {
            let ev = v.exp_();
            1.0 - e1 - e2 * ev / (ev + d)
        };
        let v0 = (m + t_x).ln_();
        let span = ((t - t_x) / (m + t_x)).ln_1p_();
        let rule = gauss_legendre();
        // Running log-sum: sums scaled by e^−top, top the largest λ so far.
        let mut top = f64::NEG_INFINITY;
        let (mut sum, mut sums) = (0.0f64, [0.0f64; 4]);
        let mut done = 0.0f64;
        let mut panels = 0u32;
        loop {
            panels += 1;
            if panels > MAX_PANELS {
                return None;
            }
            let start = v0 + done;
            let remaining = span - done;
            // σ is monotone, so its largest size on a panel is at an end:
            // the width from the start's slope, shortened to the one from the
            // slope at its end if that is steeper (then the shorter panel's
            // end is less steep still, so the bound holds on it).
            let first = (2.0 / (1.0 + slope(start).abs())).min(1.0).min(remaining);
            let mut width = first.min(2.0 / (1.0 + slope(start + first).abs()));
            while (1.0 + slope(start + width).abs()) * width > 2.0 && width > 1e-300 {
                width *= 0.5;
            }
            let half = 0.5 * width;
            let centre = start + half;
            for &(node, weight) in rule.iter() {
                let v = centre + half * node;
                let ev = v.exp_();
                let big = ev + d;
                let ln_big = big.ln_();
                let (ln_a, ln_b, ap, bp) = if alpha_is_min {
                    (v, ln_big, ev, big)
                } else {
                    (ln_big, v, big, ev)
                };
                let lambda = v - p * ln_a - q * ln_b;
                if lambda > top {
                    let scale = (top - lambda).exp_();
                    sum *= scale;
                    sums.iter_mut().for_each(|v| *v *= scale);
                    top = lambda;
                }
                let w = half * weight * (lambda - top).exp_();
                sum += w;
                sums[0] -= w * ln_a;
                sums[1] -= w * p / ap;
                sums[2] -= w * ln_b;
                sums[3] -= w * q / bp;
            }
            if width >= remaining {
                break;
            }
            done += width;
            // Past the mode and 50 below the top: the concave log-integrand
            // leaves a tail below e^−50 of the panel's share.
            let end = v0 + done;
            if slope(end) < 0.0 {
                let ev = end.exp_();
                let lambda_end = end - e1 * end - e2 * (ev + d).ln_();
                if lambda_end < top - 50.0 {
                    break;
                }
            }
        }
        if sum.is_nan() || sum <= 0.0 {
            return None;
        }
        Some(LnIntegral {
            ln: top + sum.ln_(),
            grad: sums.map(|v| v / sum),
        })
    }
}

/// Panels before the quadrature gives up: the walk ends after a few hundred
/// even for exponents in the thousands (steep slopes reach the cut-off
/// quickly); this only guards against a runaway loop.
const MAX_PANELS: u32 = 200_000;

/// ln(eᵈ − 1) for d > 0, without overflow for large d.
fn ln_expm1(d: f64) -> f64 {
    if d > 0.5 {
        d + (-(-d).exp_()).ln_1p_()
    } else {
        d.exp_m1_().ln_()
    }
}

/// ln ₂F₁(1, b; c; z) and its derivatives ∂/∂b, ∂/∂c, ∂/∂z of the log, for
/// c > b > 0 and 0 ≤ z ≤ [`SERIES_Z_MAX`].
///
/// Terms tₙ = (b)ₙ/(c)ₙ · zⁿ, with ∂ ln tₙ/∂b = Σₖ<ₙ 1/(b+k), ∂ ln tₙ/∂c =
/// −Σₖ<ₙ 1/(c+k) and ∂ ln tₙ/∂z = n/z summed alongside. As c > b every
/// ratio tₙ₊₁/tₙ is below z, so the rest of the series after tₙ is below
/// tₙ·z/(1−z), and the rest of the derivative sums below
/// tₙ·(n+1)·(1+Σ)/(1−z)²; summation stops once that is below 1e-17 of the
/// sum (at z = 0.75, within about 150 terms). `None` if that does not happen
/// within [`SERIES_TERMS`] terms.
pub(super) fn ln_hyp2f1_one(b: f64, c: f64, z: f64) -> Option<[f64; 4]> {
    if z <= 0.0 {
        return Some([0.0, 0.0, 0.0, b / c]);
    }
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    let (mut sum_b, mut sum_c, mut sum_z) = (0.0f64, 0.0f64, 0.0f64);
    let (mut inv_b, mut inv_c) = (0.0f64, 0.0f64);
    let tail = 1.0 / ((1.0 - z) * (1.0 - z));
    for n in 0..SERIES_TERMS {
        let nf = n as f64;
        let (over_b, over_c) = (1.0 / (b + nf), 1.0 / (c + nf));
        inv_b += over_b;
        inv_c += over_c;
        term *= (b + nf) * over_c * z;
        sum += term;
        sum_b += term * inv_b;
        sum_c -= term * inv_c;
        sum_z += term * (nf + 1.0);
        if term * (nf + 2.0) * (1.0 + inv_b + inv_c) * tail <= 1e-17 * sum {
            return Some([sum.ln_(), sum_b / sum, sum_c / sum, sum_z / (z * sum)]);
        }
    }
    None
}

/// ln ₂F₁(1, b; c; z) alone, for c > b > 0 and 0 ≤ z ≤ [`SERIES_Z_MAX`]:
/// the terms of [`ln_hyp2f1_one`], stopped once the rest of the series,
/// below tₙ·z/(1−z), is below 1e-17 of the sum.
pub(super) fn ln_hyp2f1_one_value(b: f64, c: f64, z: f64) -> Option<f64> {
    if z <= 0.0 {
        return Some(0.0);
    }
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    let rest = z / (1.0 - z);
    for n in 0..SERIES_TERMS {
        let nf = n as f64;
        term *= (b + nf) / (c + nf) * z;
        sum += term;
        if term * rest <= 1e-17 * sum {
            return Some(sum.ln_());
        }
    }
    None
}

/// Term cap of [`ln_hyp2f1_one`]: at z ≤ [`SERIES_Z_MAX`] it stops long
/// before (about 150 terms); the tests also sum it at z = 0.999 (about
/// 60,000 terms) to check the quadrature there.
const SERIES_TERMS: usize = 1_000_000;

/// Points per quadrature panel.
const NODES: usize = 16;

/// The 16-point Gauss-Legendre rule on [−1, 1]: nodes by Newton's method on
/// the Legendre recurrence from Tricomi's approximation, weights
/// 2 / ((1 − x²) P′ₙ(x)²). Computed once.
fn gauss_legendre() -> &'static [(f64, f64); NODES] {
    static RULE: OnceLock<[(f64, f64); NODES]> = OnceLock::new();
    RULE.get_or_init(|| {
        let n = NODES as f64;
        let mut rule = [(0.0, 0.0); NODES];
        for (i, slot) in rule.iter_mut().enumerate() {
            let mut x = libm::cos(std::f64::consts::PI * (i as f64 + 0.75) / (n + 0.5));
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (mut p0, mut p1) = (1.0, x);
                for k in 2..=NODES {
                    let k = k as f64;
                    let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = n * (x * p1 - p0) / (x * x - 1.0);
                let step = p1 / derivative;
                x -= step;
                if step.abs() < 1e-16 {
                    break;
                }
            }
            *slot = (x, 2.0 / ((1.0 - x * x) * derivative * derivative));
        }
        rule
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_integrates_polynomials_of_degree_31_exactly() {
        let rule = gauss_legendre();
        for k in 0..32 {
            let exact = if k % 2 == 0 {
                2.0 / (k as f64 + 1.0)
            } else {
                0.0
            };
            let got: f64 = rule.iter().map(|(x, w)| w * x.powi(k)).sum();
            assert!((got - exact).abs() < 1e-14, "x^{k}: {got} vs {exact}");
        }
    }

    #[test]
    fn hypergeometric_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z; ₂F₁(1, b; b+1; z) at b = 1/2 is
        // artanh(√z)/√z.
        for z in [0.0, 0.1, 0.3, 0.5, 0.75] {
            let [lg, ..] = ln_hyp2f1_one(1.0, 2.0, z).unwrap();
            let exact = if z == 0.0 {
                1.0
            } else {
                -(1.0f64 - z).ln() / z
            };
            assert!((lg.exp() - exact).abs() < 1e-15 * exact, "{z}");
            let [lg, ..] = ln_hyp2f1_one(0.5, 1.5, z).unwrap();
            let exact = if z == 0.0 {
                1.0
            } else {
                z.sqrt().atanh() / z.sqrt()
            };
            assert!((lg.exp() - exact).abs() < 1e-15 * exact, "{z}");
        }
    }

    #[test]
    fn hypergeometric_derivatives_match_differences() {
        for (b, c, z) in [
            (0.3, 1.9, 0.4),
            (12.0, 13.7, 0.5),
            (0.8, 2.1, 0.75),
            (1e-3, 1.6, 0.2),
            (250.0, 251.2, 0.45),
        ] {
            let g = ln_hyp2f1_one(b, c, z).unwrap();
            let at = |db: f64, dc: f64, dz: f64| ln_hyp2f1_one(b + db, c + dc, z + dz).unwrap()[0];
            let h = 1e-6;
            let numeric = [
                (at(h * b, 0.0, 0.0) - at(-h * b, 0.0, 0.0)) / (2.0 * h * b),
                (at(0.0, h * c, 0.0) - at(0.0, -h * c, 0.0)) / (2.0 * h * c),
                (at(0.0, 0.0, h * z) - at(0.0, 0.0, -h * z)) / (2.0 * h * z),
            ];
            for i in 0..3 {
                assert!(
                    (g[i + 1] - numeric[i]).abs() < 1e-7 * numeric[i].abs().max(1.0),
                    "{b} {c} {z} [{i}]: {} vs {}",
                    g[i + 1],
                    numeric[i]
                );
            }
        }
    }

    fn shape(r: f64, alpha: f64, s: f64, beta: f64, x: f64) -> Shape {
        Shape {
            r,
            alpha,
            s,
            beta,
            x,
        }
    }

    /// The two routes agree wherever both apply: both cases α ≥ β and α < β,
    /// light and heavy buyers, z up to the switch.
    #[test]
    fn series_and_quadrature_agree() {
        let cases = [
            (shape(0.55, 10.58, 0.61, 11.67, 0.0), 0.0, 39.0),
            (shape(0.55, 10.58, 0.61, 11.67, 3.0), 20.0, 39.0),
            (shape(0.55, 10.58, 0.61, 11.67, 40.0), 37.5, 39.0),
            (shape(1.3, 30.0, 0.4, 16.0, 2.0), 1.0, 60.0),
            (shape(1.3, 16.0, 0.4, 30.0, 2.0), 1.0, 60.0),
            (shape(0.2, 4.0, 2.5, 7.9, 0.0), 0.0, 10.0),
            (shape(0.2, 7.9, 2.5, 4.0, 300.0), 5.0, 10.0),
            (shape(5.0, 2.0, 0.7, 3.9, 1.0), 0.2, 300.0),
            // z = 0.744 and 0.729 at tₓ, just below the switch.
            (shape(0.6, 40.0, 0.5, 8.0, 4.0), 3.0, 70.0),
            (shape(0.6, 5.0, 0.5, 40.0, 4.0), 8.0, 70.0),
        ];
        for (sh, t_x, t) in cases {
            let a = sh.ln_integral_by(Route::Series, t_x, t).unwrap();
            let b = sh.ln_integral_by(Route::Quadrature, t_x, t).unwrap();
            assert!(
                (a.ln - b.ln).abs() < 1e-12 * a.ln.abs().max(1.0),
                "{sh:?} {t_x} {t}: {a:?} vs {b:?}"
            );
            for i in 0..4 {
                assert!(
                    (a.grad[i] - b.grad[i]).abs() < 1e-10 * a.grad[i].abs().max(1.0),
                    "{sh:?} {t_x} {t} [{i}]: {a:?} vs {b:?}"
                );
            }
        }
    }

    /// The value-only route (P(alive)) gives the ln I of the routes with a
    /// gradient, and its ₂F₁ the closed forms: ₂F₁(1, 1; 2; z) =
    /// −ln(1−z)/z and ₂F₁(1, ½; 3/2; z) = artanh(√z)/√z.
    #[test]
    fn value_alone_matches_the_routes_with_a_gradient() {
        for z in [0.1, 0.3, 0.5, 0.75] {
            let exact = -(1.0f64 - z).ln() / z;
            let got = ln_hyp2f1_one_value(1.0, 2.0, z).unwrap().exp();
            assert!((got - exact).abs() < 1e-15 * exact, "{z}");
            let exact = z.sqrt().atanh() / z.sqrt();
            let got = ln_hyp2f1_one_value(0.5, 1.5, z).unwrap().exp();
            assert!((got - exact).abs() < 1e-15 * exact, "{z}");
        }
        let mut routes = [0u32; 2];
        for r in [0.2, 0.55, 1.3, 5.0] {
            for (alpha, beta) in [(10.58, 11.67), (30.0, 16.0), (4.0, 40.0), (2.0, 3.9)] {
                for s in [0.4, 0.61, 2.5] {
                    for x in [0.0, 1.0, 4.0, 40.0] {
                        for (t_x, t) in [(0.0, 39.0), (3.0, 70.0), (37.5, 39.0), (20.0, 20.5)] {
                            let sh = shape(r, alpha, s, beta, x);
                            let with_gradient = sh.ln_integral(t_x, t).unwrap().ln;
                            let alone = sh.ln_integral_value(t_x, t).unwrap();
                            assert!(
                                (alone - with_gradient).abs()
                                    < 1e-13 * with_gradient.abs().max(1.0),
                                "{sh:?} {t_x} {t}: {alone} vs {with_gradient}"
                            );
                            routes[(sh.route(t_x, t) == Route::Quadrature) as usize] += 1;
                        }
                    }
                }
            }
        }
        // Both routes were exercised.
        assert!(routes[0] > 100 && routes[1] > 20, "{routes:?}");
    }

    /// Many tₓ at one T give what each gives alone.
    #[test]
    fn values_at_one_t_match_each_alone() {
        for sh in [
            shape(0.55, 10.58, 0.61, 11.67, 3.0),
            shape(1.18, 7.02, 1.22, 39.0, 2.0),
            shape(1.3, 30.0, 0.4, 16.0, 0.0),
        ] {
            let t = 60.0;
            let t_xs = [0.0, 0.5, 7.0, 30.0, 59.999_999, 60.0];
            let together = sh.ln_integral_values(&t_xs, t);
            for (t_x, got) in t_xs.iter().zip(together) {
                assert_eq!(got, sh.ln_integral_value(*t_x, t), "{sh:?} {t_x}");
            }
        }
    }

    /// Where z is near 1 (the series would need 10⁵ terms or more) the
    /// quadrature still gives the integral: checked against the series summed
    /// to the end (slow, but converging) at z = 0.999.
    #[test]
    fn quadrature_near_z_one_matches_the_long_series() {
        // α = 0.01, β = 10: z = 9.99/(10 + tₓ) ≈ 0.999 at tₓ = 0.
        let sh = shape(0.7, 0.01, 0.9, 10.0, 1.0);
        assert_eq!(sh.route(0.0, 5.0), Route::Quadrature);
        let q = sh.ln_integral(0.0, 5.0).unwrap();
        let s = sh.by_series(0.0, 5.0).unwrap();
        assert!((q.ln - s.ln).abs() < 1e-12 * s.ln.abs(), "{q:?} vs {s:?}");
        for i in 0..4 {
            assert!(
                (q.grad[i] - s.grad[i]).abs() < 1e-9 * s.grad[i].abs().max(1.0),
                "{q:?} vs {s:?}"
            );
        }
    }

    /// Extreme shapes stay finite: exponents in the thousands, scales 1e-10
    /// and 1e10 apart, intervals of a billionth.
    #[test]
    fn extreme_shapes_stay_finite() {
        let cases = [
            (shape(0.5, 1e-10, 0.5, 1e10, 0.0), 0.0, 50.0),
            (shape(0.5, 1e10, 0.5, 1e-10, 2000.0), 1.0, 50.0),
            (shape(3000.0, 2.0, 1e-8, 1e-8, 5.0), 3.0, 4.0),
            (shape(0.5, 10.0, 0.5, 12.0, 10.0), 39.0 - 1e-9, 39.0),
            (shape(1e-12, 1e12, 1e12, 1e-12, 0.0), 0.0, 1e6),
        ];
        for (sh, t_x, t) in cases {
            let out = sh.ln_integral(t_x, t);
            assert!(
                out.is_some_and(|o| o.ln.is_finite()),
                "{sh:?} {t_x} {t}: {out:?}"
            );
        }
    }
}
