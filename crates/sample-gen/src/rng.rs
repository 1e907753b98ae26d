//! A tiny seeded PRNG and the few distributions the shop needs.
//!
//! Why not `rand`: the committed sample must come out byte for byte the same
//! on every platform and toolchain (a test regenerates it and compares), and
//! `rand`'s value streams are not promised stable across its versions; a
//! dependency would also enter the workspace lock file for a dev tool.
//! SplitMix64 (Steele, Lea & Flood 2014) is 64 bits of state, one add and
//! two multiplies per draw, and passes BigCrush; that is plenty for sample
//! data.
//!
//! Why not `f64::ln` / `f64::exp`: they call the platform's libm, whose last
//! bit differs between systems, and one flipped comparison (`u < p`) would
//! change every row after it. [`ln`] and [`exp`] below use only `+ - * /`,
//! `sqrt` and `round`, which IEEE 754 defines exactly.

use std::f64::consts::{LN_2, SQRT_2};

pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for one sub-task (a customer, a file), so that
    /// drawing more numbers in one place does not shift all the others.
    pub fn stream(seed: u64, name: u64) -> Rng {
        let mut mixer = Rng::new(seed ^ name.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng::new(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1): never exactly 0 or 1, so `ln` is always defined.
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `0..n` (Lemire's multiply-shift; the bias is
    /// below 2^-50 for the small `n` used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform integer in `lo..=hi`.
    pub fn between(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1) as usize) as i32
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given (not necessarily normalised) weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Standard normal (Marsaglia's polar method; the second value is dropped).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Exponential waiting time with the given rate.
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -ln(self.unit()) / rate
    }

    /// Gamma with `shape` and `scale` (Marsaglia & Tsang 2000; shapes below
    /// 1 boosted by U^(1/shape)).
    pub fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
        if shape < 1.0 {
            let g = self.gamma(shape + 1.0, 1.0);
            return scale * g * exp(ln(self.unit()) / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let z = self.normal();
            let v = 1.0 + c * z;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.unit();
            if u < 1.0 - 0.0331 * z * z * z * z || ln(u) < 0.5 * z * z + d * (1.0 - v + ln(v)) {
                return d * v * scale;
            }
        }
    }

    /// Beta(a, b) as X / (X + Y) of two gammas.
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        let y = self.gamma(b, 1.0);
        x / (x + y)
    }
}

/// Natural logarithm of a positive normal number, from its exponent and an
/// atanh series on the mantissa (|s| < 0.172, so 13 terms reach 1e-17).
pub fn ln(x: f64) -> f64 {
    assert!(
        x.is_finite() && x >= f64::MIN_POSITIVE,
        "ln of {x} is not needed"
    );
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT_2 {
        m /= 2.0;
        exponent += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let (mut term, mut sum) = (s, s);
    for k in 1..=13 {
        term *= s2;
        sum += term / (2 * k + 1) as f64;
    }
    2.0 * sum + exponent as f64 * LN_2
}

/// e^x: x = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 split in two, Cody and
/// Waite, so that k ln 2 is exact), a Taylor series for e^r, and 2^k put in
/// the exponent bits. Underflows to 0 below -708.
pub fn exp(x: f64) -> f64 {
    assert!(x.is_finite() && x < 709.0, "exp of {x} is not needed");
    if x < -708.0 {
        return 0.0;
    }
    let k = (x / LN_2).round();
    // fdlibm's split: the high part ends in 11 zero bits, so k * LN2_HI is
    // exact for |k| < 2048.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for i in 1..=18 {
        term *= r / i as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_and_exp_agree_with_libm_closely() {
        for &x in &[
            1e-300, 1e-9, 0.001, 0.3, 0.5, 0.707, 1.0, 1.414, 1.415, 2.0, 10.0, 12345.678, 1e300,
        ] {
            let rel = (ln(x) - x.ln()).abs() / x.ln().abs().max(1.0);
            assert!(rel < 1e-14, "ln({x}) = {} vs {}", ln(x), x.ln());
        }
        for &x in &[-700.0, -20.0, -1.0, -0.1, 0.0, 0.1, 1.0, 3.5, 50.0, 700.0] {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-14, "exp({x}) = {} vs {}", exp(x), x.exp());
        }
    }

    #[test]
    fn splitmix64_reference_values() {
        // The first outputs for seed 0 (as in Vigna's reference splitmix64.c).
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn distributions_have_their_means() {
        let mut rng = Rng::new(7);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut() -> f64| (0..n).map(|_| f()).sum::<f64>() / n as f64;
        let g = mean(&mut || rng.gamma(0.6, 2.0));
        assert!((g - 1.2).abs() < 0.02, "gamma mean {g}");
        let g = mean(&mut || rng.gamma(6.0, 10.0));
        assert!((g - 60.0).abs() < 0.5, "gamma mean {g}");
        let b = mean(&mut || rng.beta(0.8, 3.2));
        assert!((b - 0.2).abs() < 0.005, "beta mean {b}");
        let z = mean(&mut || rng.normal());
        assert!(z.abs() < 0.01, "normal mean {z}");
    }
}
