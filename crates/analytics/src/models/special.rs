//! Special functions the models need, written for the parameter ranges the
//! models produce (all arguments of the gamma family positive) and so that no
//! intermediate overflows: every product of large factors is formed in log
//! space.

/// exp, ln and friends from `libm` (musl's code) on every target. The
/// standard library calls the platform's maths (glibc natively, musl's port
/// in wasm), whose last bits differ; an optimiser fed those differences ends
/// a few ulps apart, and the CLI and the page would disagree. The same code
/// everywhere gives the same figures everywhere.
pub(crate) trait SameEverywhere {
    fn exp_(self) -> f64;
    fn ln_(self) -> f64;
    fn ln_1p_(self) -> f64;
    fn exp_m1_(self) -> f64;
}

impl SameEverywhere for f64 {
    fn exp_(self) -> f64 {
        libm::exp(self)
    }
    fn ln_(self) -> f64 {
        libm::log(self)
    }
    fn ln_1p_(self) -> f64 {
        libm::log1p(self)
    }
    fn exp_m1_(self) -> f64 {
        libm::expm1(self)
    }
}

/// ln Γ(x) for x > 0 (musl's `lgamma` through `libm`: about 1 ulp).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0.
///
/// Shifts x up to at least 10 with ψ(x) = ψ(x + 1) − 1/x, then uses the
/// asymptotic series ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) through the x⁻¹²
/// term; the first omitted term, 1/(12 x¹⁴), is below 1e-15 at x ≥ 10.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return f64::NAN;
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    // Bernoulli coefficients B2k/(2k): 1/12, 1/120, 1/252, 1/240, 1/132, 691/32760.
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32760.0)))));
    shift + x.ln_() - 0.5 / x - series
}

/// The trigamma function ψ₁(x) = d²/dx² ln Γ(x) for x > 0: the curvature
/// the fits' analytic Hessians need. Neither `libm` nor `statrs` has it.
///
/// Shifts x up to at least 10 with ψ₁(x) = ψ₁(x + 1) + 1/x², then uses the
/// asymptotic series ψ₁(x) ≈ 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹ through the x⁻¹³
/// term; the first omitted term, 7/(6 x¹⁵), is below 1e-14 of ψ₁ at x ≥ 10.
pub fn trigamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return f64::NAN;
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // Bernoulli numbers B2k: 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730.
    let series = inv2
        * inv
        * (1.0 / 6.0
            - inv2
                * (1.0 / 30.0
                    - inv2
                        * (1.0 / 42.0
                            - inv2 * (1.0 / 30.0 - inv2 * (5.0 / 66.0 - inv2 * 691.0 / 2730.0)))));
    shift + inv + 0.5 * inv2 + series
}

/// ln(eᵃ + eᵇ) without overflow.
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp_().ln_1p_()
}

/// 1 / (1 + eᵗ), the logistic function of −t, for any finite or infinite t.
pub fn inverse_one_plus_exp(t: f64) -> f64 {
    if t > 0.0 {
        let e = (-t).exp_();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + t.exp_())
    }
}

/// (eʸ − 1) / y, continuous at y = 0 (where it is 1).
pub fn exprel(y: f64) -> f64 {
    if y.abs() < 1e-8 {
        1.0 + y / 2.0
    } else {
        y.exp_m1_() / y
    }
}

/// The hypergeometric series did not converge within its term budget.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("hypergeometric series did not converge within {terms} terms (z = {z})")]
pub struct SeriesNotConverged {
    pub terms: usize,
    pub z: f64,
}

/// Term budget of [`hyp2f1_tail_over_b`]: at z = 0.9999 the series needs about
/// 350,000 terms for full precision; anything beyond is refused rather than
/// returning a number that has not converged.
pub const MAX_SERIES_TERMS: usize = 1_000_000;

/// S = Σ_{n≥1} (a)ₙ (b+1)ₙ₋₁ / ((c)ₙ n!) zⁿ, i.e. (₂F₁(a, b; c; z) − 1) / b with
/// the factor b taken out of every term, for 0 ≤ z < 1.
///
/// Taking b out lets the BG/NBD expectation stay exact when its b (the
/// model's a − 1) is at or near zero, where lifetimes divides 0 by 0.
///
/// Convergence guard: the ratio of successive terms is
/// (a+n)(b+n) / ((c+n)(n+1)) · z, which tends to z < 1. Summation stops once
/// that ratio is below 1 and the geometric bound on the rest of the series,
/// |term| · ratio / (1 − ratio), is below 1e-16 of the sum (or the sum is
/// exactly zero because a = 0). If that does not happen within
/// [`MAX_SERIES_TERMS`] terms, or a term becomes non-finite (c a non-positive
/// integer), the function returns an error instead of a wrong value.
pub fn hyp2f1_tail_over_b(a: f64, b: f64, c: f64, z: f64) -> Result<f64, SeriesNotConverged> {
    let fail = SeriesNotConverged {
        terms: MAX_SERIES_TERMS,
        z,
    };
    if !(0.0..1.0).contains(&z) || !a.is_finite() || !b.is_finite() || !c.is_finite() {
        return Err(fail);
    }
    if z == 0.0 {
        return Ok(0.0);
    }
    let mut term = a / c * z;
    let mut sum = 0.0;
    for n in 1..MAX_SERIES_TERMS {
        if !term.is_finite() {
            return Err(fail);
        }
        sum += term;
        let nf = n as f64;
        let ratio = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z;
        let next = term * ratio;
        let r = ratio.abs();
        if next == 0.0 || (r < 1.0 && (next.abs() / (1.0 - r)) <= 1e-16 * sum.abs()) {
            return Ok(sum + next);
        }
        term = next;
    }
    Err(fail)
}

/// [`hyp2f1_tail_over_b`] at several z at once (the CLV horizon's months).
/// The coefficients (a)ₙ(b+1)ₙ₋₁/((c)ₙ n!) do not depend on z, so they are
/// computed once per n and multiplied by each zⁿ; each z stops by the same
/// rule as the single-z series.
pub fn hyp2f1_tail_over_b_many(
    a: f64,
    b: f64,
    c: f64,
    zs: &[f64],
) -> Result<Vec<f64>, SeriesNotConverged> {
    let z_max = zs.iter().copied().fold(0.0, f64::max);
    let fail = SeriesNotConverged {
        terms: MAX_SERIES_TERMS,
        z: z_max,
    };
    if zs.iter().any(|z| !(0.0..1.0).contains(z))
        || !a.is_finite()
        || !b.is_finite()
        || !c.is_finite()
    {
        return Err(fail);
    }
    let k = zs.len();
    let mut sums = vec![0.0; k];
    let mut done: Vec<bool> = zs.iter().map(|&z| z == 0.0).collect();
    let mut remaining = done.iter().filter(|d| !**d).count();
    let mut powers = zs.to_vec();
    // Coefficient of zⁿ, starting at n = 1: a / c.
    let mut coefficient = a / c;
    for n in 1..MAX_SERIES_TERMS {
        if remaining == 0 {
            return Ok(sums);
        }
        if !coefficient.is_finite() {
            return Err(fail);
        }
        let nf = n as f64;
        let step = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0));
        for i in 0..k {
            if done[i] {
                continue;
            }
            let term = coefficient * powers[i];
            sums[i] += term;
            let r = (step * zs[i]).abs();
            let next = term * step * zs[i];
            if next == 0.0 || (r < 1.0 && next.abs() / (1.0 - r) <= 1e-16 * sums[i].abs()) {
                sums[i] += next;
                done[i] = true;
                remaining -= 1;
            }
            powers[i] *= zs[i];
        }
        coefficient *= step;
    }
    Err(fail)
}

/// ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every term
/// tₙ = (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ is positive: summed in log space, scaled by the
/// largest term so far, so that series whose terms first grow by hundreds of
/// orders of magnitude (a large a·b/c) neither overflow nor lose digits to
/// cancellation. Stops, as [`hyp2f1_tail_over_b`], once the terms fall and
/// a geometric bound on the rest, with the larger of the next ratio and z
/// (the ratios tend to z monotonically for large n), is below 1e-17 of the
/// sum; `None` beyond [`MAX_SERIES_TERMS`] terms or for arguments outside
/// that domain.
pub fn ln_hyp2f1_positive(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let ok = a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z);
    if !(ok && a.is_finite() && b.is_finite() && c.is_finite()) {
        return None;
    }
    if z == 0.0 {
        return Some(0.0);
    }
    let ratio = |n: f64| (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
    // ln of the current term, the largest so far, and Σ tₙ·e^(−top).
    let (mut ln_term, mut top, mut sum) = (0.0f64, 0.0f64, 1.0f64);
    for n in 0..MAX_SERIES_TERMS {
        let nf = n as f64;
        ln_term += ratio(nf).ln_();
        if ln_term > top {
            sum *= (top - ln_term).exp_();
            top = ln_term;
        }
        let scaled = (ln_term - top).exp_();
        sum += scaled;
        let next = ratio(nf + 1.0).max(z);
        if next < 1.0 && scaled * next / (1.0 - next) <= 1e-17 * sum {
            return Some(top + sum.ln_());
        }
        if !ln_term.is_finite() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigamma_matches_closed_forms() {
        // ψ₁(1) = π²/6, ψ₁(1/2) = π²/2, ψ₁(n+1) = ψ₁(n) − 1/n² (Abramowitz &
        // Stegun 6.4.2, 6.4.4, 6.4.6), ψ₁(x) ~ 1/x for large x.
        let pi2 = std::f64::consts::PI * std::f64::consts::PI;
        assert!((trigamma(1.0) - pi2 / 6.0).abs() < 1e-14);
        assert!((trigamma(0.5) - pi2 / 2.0).abs() < 1e-13);
        assert!((trigamma(3.0) - (pi2 / 6.0 - 1.0 - 0.25)).abs() < 1e-14);
        // 1e-3: ψ₁ = 1/x² + ψ₁(1 + x) ≈ 1e6 + π²/6 − 2ζ(3)·x + 3ζ(4)·x².
        let small = 1e6 + pi2 / 6.0 - 2.0 * 1.202_056_903_159_594 * 1e-3
            + 3.0 * 1.082_323_233_711_138 * 1e-6;
        assert!((trigamma(1e-3) - small).abs() / small < 1e-12);
        assert!((trigamma(1e8) * 1e8 - 1.0).abs() < 1e-7);
        assert!(trigamma(0.0).is_nan() && trigamma(-1.0).is_nan());
    }

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(10) = H₉ − γ.
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-14);
        assert!((digamma(0.5) + euler + 2.0 * 2f64.ln()).abs() < 1e-14);
        let h9: f64 = (1..=9).map(|k| 1.0 / k as f64).sum();
        assert!((digamma(10.0) - (h9 - euler)).abs() < 1e-14);
    }

    #[test]
    fn many_z_at_once_equals_one_at_a_time() {
        let zs = [0.0, 0.1, 0.5, 0.9, 0.97];
        for (a, b, c) in [(1.98, -0.21, 1.79), (0.3, 2.0, 40.0), (5.0, 3.0, 0.7)] {
            let many = hyp2f1_tail_over_b_many(a, b, c, &zs).unwrap();
            for (z, m) in zs.iter().zip(&many) {
                let one = hyp2f1_tail_over_b(a, b, c, *z).unwrap();
                assert!(
                    (m - one).abs() <= 1e-14 * one.abs().max(1e-300),
                    "{a} {b} {c} {z}: {m} vs {one}"
                );
            }
        }
    }

    #[test]
    fn hypergeometric_tail_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z; here b = 1 so S = F − 1.
        for z in [0.1, 0.5, 0.9, 0.99] {
            let s = hyp2f1_tail_over_b(1.0, 1.0, 2.0, z).unwrap();
            let exact = -(1.0f64 - z).ln() / z - 1.0;
            assert!(
                (s - exact).abs() < 1e-13 * exact.abs().max(1.0),
                "{z}: {s} vs {exact}"
            );
        }
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        let (a, b, z) = (2.5, 0.3, 0.7);
        let s = hyp2f1_tail_over_b(a, b, b, z).unwrap();
        let exact = ((1.0f64 - z).powf(-a) - 1.0) / b;
        assert!((s - exact).abs() < 1e-12 * exact);
    }

    #[test]
    fn positive_series_in_logs_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; ₂F₁(a, b; b; z) = (1 − z)^(−a).
        for z in [0.0, 0.1, 0.5, 0.9, 0.99] {
            let exact = if z == 0.0 {
                1.0
            } else {
                -(1.0f64 - z).ln() / z
            };
            let got = ln_hyp2f1_positive(1.0, 1.0, 2.0, z).unwrap().exp();
            assert!((got - exact).abs() < 1e-13 * exact, "{z}: {got} vs {exact}");
        }
        // Terms that peak near 10^300 before falling: (1 − 0.3)^(−2000) =
        // e^(2000·0.356675) = e^713.35, far beyond f64 but its log is fine.
        let ln = ln_hyp2f1_positive(2000.0, 7.0, 7.0, 0.3).unwrap();
        let exact = -2000.0 * (0.7f64).ln();
        assert!((ln - exact).abs() < 1e-10 * exact, "{ln} vs {exact}");
        assert!(ln_hyp2f1_positive(-1.0, 1.0, 2.0, 0.5).is_none());
        assert!(ln_hyp2f1_positive(1.0, 1.0, 2.0, 1.0).is_none());
    }
}
