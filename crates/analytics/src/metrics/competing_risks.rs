//! Competing risks of leaving (docs/METRICS.md, "Churn causes"): the
//! Aalen-Johansen cumulative incidence of each churn category over tenure,
//! so the user sees which reason takes customers early and which late.
//! Customers still active are censored at their tenure, as in the
//! Kaplan-Meier curve of [`super::survival`].
//!
//! At each distinct duration t with n customers at risk, d_k leaving for
//! category k and d = sum d_k leaving in all:
//!   CIF_k(t) = CIF_k(t-) + S(t-) * d_k / n,   S(t) = S(t-) * (1 - d / n),
//! S being the Kaplan-Meier probability of not having left for any reason.
//! Censorings at t are still at risk at t (events come first, the usual
//! convention, the same as lifelines' KaplanMeierFitter). Hence, at every t,
//! S(t) + sum_k CIF_k(t) = 1.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::churn_rules::ChurnCategory;

/// The cumulative incidence of one category: `incidence[i]` holds from
/// `months[i]` of the owning [`CompetingRisks`] until the next time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidenceCurve {
    pub category: ChurnCategory,
    pub incidence: Vec<f64>,
}

/// Step functions over tenure, all on the same time points.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CompetingRisks {
    /// 0, then every distinct duration (events and censorings).
    pub months: Vec<f64>,
    pub at_risk: Vec<u64>,
    /// Kaplan-Meier probability of still being a customer (no reason yet).
    pub survival: Vec<f64>,
    /// One curve per category with at least one customer leaving for it, in
    /// [`ChurnCategory::ALL`] order.
    pub curves: Vec<IncidenceCurve>,
    /// Customers without a duration, left out.
    pub without_duration: u64,
}

impl CompetingRisks {
    fn step(&self, month: f64) -> Option<usize> {
        let i = self.months.partition_point(|&m| m <= month);
        i.checked_sub(1)
    }

    /// The cumulative incidence of `category` at `month`: 0 for a category
    /// nobody left for, absent before time 0.
    pub fn incidence_at(&self, category: ChurnCategory, month: f64) -> Option<f64> {
        let i = self.step(month)?;
        Some(
            self.curves
                .iter()
                .find(|c| c.category == category)
                .and_then(|c| c.incidence.get(i).copied())
                .unwrap_or(0.0),
        )
    }

    pub fn survival_at(&self, month: f64) -> Option<f64> {
        self.survival.get(self.step(month)?).copied()
    }
}

/// The estimate from (duration in months, category left for; `None` while
/// still a customer). Durations that are negative or not finite are counted
/// in `without_duration` and left out.
pub fn aalen_johansen(
    observations: impl IntoIterator<Item = (f64, Option<ChurnCategory>)>,
) -> CompetingRisks {
    const CENSORED: usize = ChurnCategory::ALL.len();
    // The estimate needs, per distinct duration, how many left for each
    // category and how many were censored: counted as they come, in
    // memory per distinct duration (a few thousand days), where a sorted
    // list of every customer took 16 bytes each and a sort.
    let mut slot_of: FxHashMap<u64, u32> = FxHashMap::default();
    let mut times: Vec<(f64, [u64; CENSORED + 1])> = Vec::new();
    let mut without_duration = 0u64;
    let mut with_duration = 0u64;
    for (t, category) in observations {
        if !(t.is_finite() && t >= 0.0) {
            without_duration += 1;
            continue;
        }
        with_duration += 1;
        // −0.0 and 0.0 are one duration.
        let t = t + 0.0;
        let slot = *slot_of.entry(t.to_bits()).or_insert_with(|| {
            times.push((t, [0; CENSORED + 1]));
            (times.len() - 1) as u32
        });
        times[slot as usize].1[category.map_or(CENSORED, ChurnCategory::index)] += 1;
    }
    drop(slot_of);
    times.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

    let categories: Vec<ChurnCategory> = ChurnCategory::ALL
        .into_iter()
        .filter(|c| times.iter().any(|(_, counts)| counts[c.index()] > 0))
        .collect();
    let capacity = times.len() + 1;
    let mut out = CompetingRisks {
        months: Vec::with_capacity(capacity),
        at_risk: Vec::with_capacity(capacity),
        survival: Vec::with_capacity(capacity),
        curves: categories
            .iter()
            .map(|&category| IncidenceCurve {
                category,
                incidence: Vec::with_capacity(capacity),
            })
            .collect(),
        without_duration,
    };
    out.months.push(0.0);
    out.at_risk.push(with_duration);
    out.survival.push(1.0);
    for curve in &mut out.curves {
        curve.incidence.push(0.0);
    }

    let mut survival = 1.0f64;
    let mut cif = vec![0.0f64; categories.len()];
    let mut at_risk = with_duration;
    for &(time, counts) in &times {
        let total: u64 = counts[..CENSORED].iter().sum();
        if total > 0 {
            let n = at_risk as f64;
            for (value, c) in cif.iter_mut().zip(&categories) {
                *value += survival * counts[c.index()] as f64 / n;
            }
            survival *= 1.0 - total as f64 / n;
        }
        // Events at time 0 update the first step instead of adding one.
        if time > 0.0 {
            out.months.push(time);
            out.at_risk.push(at_risk);
            out.survival.push(survival);
            for (curve, &value) in out.curves.iter_mut().zip(&cif) {
                curve.incidence.push(value);
            }
        } else {
            out.survival[0] = survival;
            for (curve, &value) in out.curves.iter_mut().zip(&cif) {
                curve.incidence[0] = value;
            }
        }
        at_risk -= counts.iter().sum::<u64>();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChurnCategory::{Competitor, Price};

    #[test]
    fn hand_computed_two_causes_with_censoring() {
        // Durations: 1 price, 2 censored, 3 competitor, 3 price, 3 censored,
        // 5 competitor, 6 censored. By hand:
        // t=1: n=7, 1 price       -> CIF_price = 1/7, S = 6/7
        // t=2: censored           -> unchanged; n drops to 5 after t=2
        // t=3: n=5, 1 comp, 1 price (the censored at 3 is still at risk)
        //      CIF_comp = 6/7 * 1/5 = 6/35, CIF_price = 1/7 + 6/35 = 11/35,
        //      S = 6/7 * 3/5 = 18/35
        // t=5: n=2, 1 comp        -> CIF_comp = 6/35 + 18/35 * 1/2 = 15/35, S = 9/35
        // t=6: censored           -> unchanged
        let c = aalen_johansen(vec![
            (1.0, Some(Price)),
            (2.0, None),
            (3.0, Some(Competitor)),
            (3.0, Some(Price)),
            (3.0, None),
            (5.0, Some(Competitor)),
            (6.0, None),
        ]);
        assert_eq!(c.months, vec![0.0, 1.0, 2.0, 3.0, 5.0, 6.0]);
        assert_eq!(c.at_risk, vec![7, 7, 6, 5, 2, 1]);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        close(c.incidence_at(Price, 1.5).unwrap(), 1.0 / 7.0);
        close(c.incidence_at(Competitor, 1.5).unwrap(), 0.0);
        close(c.incidence_at(Competitor, 3.0).unwrap(), 6.0 / 35.0);
        close(c.incidence_at(Price, 4.0).unwrap(), 11.0 / 35.0);
        close(c.survival_at(4.0).unwrap(), 18.0 / 35.0);
        close(c.incidence_at(Competitor, 10.0).unwrap(), 15.0 / 35.0);
        close(c.survival_at(10.0).unwrap(), 9.0 / 35.0);
        assert_eq!(c.incidence_at(ChurnCategory::Death, 3.0), Some(0.0));
        assert_eq!(c.incidence_at(Price, -1.0), None);
        assert_eq!(c.curves.len(), 2);
    }

    #[test]
    fn events_at_zero_and_bad_durations() {
        let c = aalen_johansen(vec![
            (0.0, Some(Price)),
            (1.0, None),
            (f64::NAN, Some(Price)),
        ]);
        assert_eq!(c.without_duration, 1);
        assert_eq!(c.months, vec![0.0, 1.0]);
        assert_eq!(c.survival, vec![0.5, 0.5]);
        assert_eq!(c.incidence_at(Price, 0.0), Some(0.5));
    }

    #[test]
    fn nobody_at_all() {
        let c = aalen_johansen(vec![]);
        assert_eq!(c.months, vec![0.0]);
        assert_eq!(c.survival, vec![1.0]);
        assert!(c.curves.is_empty());
    }
}
