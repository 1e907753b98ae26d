//! Kaplan-Meier survival of customers (docs/METRICS.md): the share still a
//! customer after t months, with the 95% band from Greenwood's variance on
//! the log(-log) scale (as lifelines' KaplanMeierFitter draws it), and the
//! median lifetime. Customers still active are censored, not dropped.

use serde::{Deserialize, Serialize};

use crate::dataset::CustomerRecord;
// The same ln/exp natively and in wasm: the page and the CLI agree to the bit.
use crate::models::special::SameEverywhere;

/// The 0.975 quantile of the standard normal distribution.
const Z_975: f64 = 1.959_963_984_540_054;

/// A step function: `survival[i]` holds from `months[i]` until the next time.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SurvivalCurve {
    /// 0, then every distinct duration (events and censorings).
    pub months: Vec<f64>,
    pub survival: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub at_risk: Vec<u64>,
    pub events: Vec<u64>,
    /// The first time the survival falls to 0.5 or below; absent when it never does.
    pub median_months: Option<f64>,
    /// Records without a duration, left out of the curve.
    pub without_duration: u64,
}

impl SurvivalCurve {
    /// Survival at `month` (the step in force then).
    pub fn at(&self, month: f64) -> Option<f64> {
        let i = self.months.partition_point(|&m| m <= month);
        (i > 0).then(|| self.survival[i - 1])
    }

    /// The band at `month`.
    pub fn band_at(&self, month: f64) -> Option<(f64, f64)> {
        let i = self.months.partition_point(|&m| m <= month);
        (i > 0).then(|| (self.lower[i - 1], self.upper[i - 1]))
    }
}

/// The curve of (duration in months, left?) pairs; durations must be >= 0.
pub fn kaplan_meier(observations: &[(f64, bool)]) -> SurvivalCurve {
    let mut sorted: Vec<(f64, bool)> = observations
        .iter()
        .copied()
        .filter(|(t, _)| t.is_finite() && *t >= 0.0)
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut curve = SurvivalCurve {
        months: vec![0.0],
        survival: vec![1.0],
        lower: vec![1.0],
        upper: vec![1.0],
        at_risk: vec![sorted.len() as u64],
        events: vec![0],
        ..SurvivalCurve::default()
    };
    let (mut survival, mut greenwood) = (1.0f64, 0.0f64);
    let mut at_risk = sorted.len() as u64;
    for group in sorted.chunk_by(|a, b| a.0 == b.0) {
        let time = group[0].0;
        let deaths = group.iter().filter(|o| o.1).count() as u64;
        if deaths > 0 {
            let (n, d) = (at_risk as f64, deaths as f64);
            survival *= 1.0 - d / n;
            if at_risk > deaths {
                greenwood += d / (n * (n - d));
            }
        }
        let (lower, upper) = log_log_band(survival, greenwood);
        if time == 0.0 {
            // Events at time 0 update the first step instead of adding one.
            curve.survival[0] = survival;
            curve.lower[0] = lower;
            curve.upper[0] = upper;
            curve.events[0] = deaths;
        } else {
            curve.months.push(time);
            curve.survival.push(survival);
            curve.lower.push(lower);
            curve.upper.push(upper);
            curve.at_risk.push(at_risk);
            curve.events.push(deaths);
        }
        at_risk -= group.len() as u64;
    }
    curve.median_months = curve
        .survival
        .iter()
        .position(|&s| s <= 0.5)
        .map(|i| curve.months[i]);
    curve
}

/// exp(-exp(log(-log S) -/+ z sqrt(V) / log S)), V Greenwood's sum.
fn log_log_band(survival: f64, greenwood: f64) -> (f64, f64) {
    if survival >= 1.0 {
        return (1.0, 1.0);
    }
    if survival <= 0.0 {
        return (0.0, 0.0);
    }
    let log_s = survival.ln_();
    let spread = Z_975 * greenwood.sqrt() / log_s;
    let centre = (-log_s).ln_();
    (
        (-(centre - spread).exp_()).exp_(),
        (-(centre + spread).exp_()).exp_(),
    )
}

/// The curve of a customers file: months as a customer (tenure column, or
/// start to end date, or start to `observed_until` for those still active),
/// and whether they left.
pub fn customer_survival(
    records: &[CustomerRecord],
    observed_until: Option<chrono::NaiveDate>,
) -> Option<SurvivalCurve> {
    const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
    let mut without_duration = 0;
    let observations: Vec<(f64, bool)> = records
        .iter()
        .filter_map(|r| {
            let left = r.churned.unwrap_or(false);
            let months = r.tenure_months.or_else(|| {
                let end = r.end.or(observed_until.filter(|_| !left))?;
                Some((end - r.start?).num_days() as f64 / DAYS_PER_MONTH)
            });
            if months.is_none() {
                without_duration += 1;
            }
            months.map(|m| (m, left))
        })
        .collect();
    if observations.is_empty() {
        return None;
    }
    let mut curve = kaplan_meier(&observations);
    curve.without_duration = without_duration;
    Some(curve)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_curve_with_censoring() {
        // Durations 1, 2+, 3, 3, 5+ ("+" = still a customer).
        // t=1: 5 at risk, 1 leaves -> 4/5 = 0.8
        // t=2: censored, survival stays 0.8
        // t=3: 3 at risk, 2 leave -> 0.8 * 1/3 = 0.2666...
        let c = kaplan_meier(&[
            (1.0, true),
            (2.0, false),
            (3.0, true),
            (3.0, true),
            (5.0, false),
        ]);
        assert_eq!(c.months, vec![0.0, 1.0, 2.0, 3.0, 5.0]);
        assert_eq!(c.at_risk, vec![5, 5, 4, 3, 1]);
        assert_eq!(c.survival[1], 0.8);
        assert!((c.survival[3] - 0.8 / 3.0).abs() < 1e-15);
        assert_eq!(c.at(2.5), Some(0.8));
        assert_eq!(c.median_months, Some(3.0));
        // Greenwood at t=1: 1 / (5 * 4) = 0.05; the band holds the estimate.
        let (lo, hi) = c.band_at(1.0).unwrap();
        assert!(lo < 0.8 && 0.8 < hi);
    }

    #[test]
    fn nobody_leaves_no_median() {
        let c = kaplan_meier(&[(1.0, false), (2.0, false)]);
        assert_eq!(c.survival, vec![1.0, 1.0, 1.0]);
        assert_eq!(c.median_months, None);
    }
}
