//! Shared by the CLV tests: the lifetimes reference fixture and data loading.
#![allow(dead_code)]

use std::collections::HashMap;

use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::Dataset;
use proptest::prelude::*;
use serde_json::Value;

#[path = "../common/mod.rs"]
mod common;

/// tests/fixtures/clv/lifetimes_reference.json, made by the script beside it.
pub fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/clv/lifetimes_reference.json"
    );
    let text = std::fs::read_to_string(path).expect("lifetimes reference fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

pub fn load(relative: &str) -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    ds
}

/// Relative difference check with the tolerance in the message.
#[track_caller]
pub fn assert_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    let scale = expected.abs().max(1e-12);
    assert!(
        ((actual - expected) / scale).abs() <= rel,
        "{what}: {actual} vs expected {expected} (relative tolerance {rel})"
    );
}

#[track_caller]
pub fn assert_abs(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual} vs expected {expected} (tolerance {tol})"
    );
}

/// Summaries by customer id text.
pub fn by_name<'a>(
    ds: &Dataset,
    rows: &'a [CustomerSummary],
) -> HashMap<String, &'a CustomerSummary> {
    rows.iter()
        .map(|s| (ds.customers.name(s.customer).unwrap().to_string(), s))
        .collect()
}

/// The interned id of a customer id text.
pub fn id_of(ds: &Dataset, name: &str) -> u32 {
    (0..ds.customers.len() as u32)
        .find(|&i| ds.customers.name(i) == Some(name))
        .unwrap_or_else(|| panic!("customer {name} not loaded"))
}

/// Random draws for the simulation tests (BG/NBD, Pareto/NBD).
/// xorshift64*, deterministic and dependency-free.
pub struct Rng(pub u64);

impl Rng {
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        // Box-Muller.
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, 1): Marsaglia & Tsang (2000), with the shape < 1 boost
    /// Gamma(k) = Gamma(k + 1) · U^(1/k).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.uniform().powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        x / (x + self.gamma(b))
    }

    /// The purchases of a Poisson process of rate `lambda` up to `end` (a
    /// Pareto/NBD customer's life, cut at the observation's end): their
    /// number x and the time of the last, tₓ (0 without any).
    pub fn purchases_until(&mut self, lambda: f64, end: f64) -> (u32, f64) {
        let (mut t, mut x, mut t_x) = (0.0, 0u32, 0.0);
        loop {
            t += -self.uniform().ln() / lambda;
            if t > end {
                return (x, t_x);
            }
            x += 1;
            t_x = t;
        }
    }
}

/// One random shop: customers with a random purchase rate, lifetime and
/// number of visits, some with zero or negative amounts, some sharing days.
pub fn shop() -> impl Strategy<Value = (String, u8, u32, Option<u32>)> {
    let customer = (
        0u32..400,     // first day
        0u32..25,      // purchases
        1u32..120,     // mean gap in days
        0u32..100,     // amount class
        any::<bool>(), // always the same day
    );
    (
        prop::collection::vec(customer, 1..120),
        0u8..3,
        0u32..40,
        prop::option::of(100u32..500),
        any::<u64>(),
    )
        .prop_map(|(customers, unit, horizon, calibration, seed)| {
            let mut rng = Rng(seed | 1);
            let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
            let mut text = String::from("customer_id,date,amount\n");
            for (c, (first, n, gap, class, same_day)) in customers.into_iter().enumerate() {
                let mut day = i64::from(first);
                for _ in 0..=n {
                    let amount = match class {
                        0..=2 => 0.0,
                        3..=5 => -20.0,
                        _ => 5.0 + f64::from(class) * rng.uniform(),
                    };
                    let date = start + chrono::Duration::days(day.min(600));
                    text.push_str(&format!("c{c},{date},{amount:.2}\n"));
                    if !same_day {
                        day += 1 + (-rng.uniform().ln() * f64::from(gap)) as i64;
                    }
                }
            }
            (text, unit, horizon, calibration)
        })
}
