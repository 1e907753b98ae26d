//! Calibration/holdout validation (FHL 2005 section 4): the model fitted on
//! the calibration period predicts each customer's purchases in the holdout
//! period; the predictions are compared with what happened, by calibration
//! frequency and over time.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::model_choice::PurchaseProcess;
use super::summary::{date_of, ByXAndT, CalibrationHoldout, PurchaseHistories, TimeUnit, Triples};

/// Customers with the same number of calibration repeat purchases (the last
/// group, [`LAST_FREQUENCY_GROUP`], holds that many or more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyGroup {
    pub frequency: u32,
    pub customers: u64,
    /// Mean holdout purchases (distinct days) per customer.
    pub actual_mean: f64,
    /// Mean of the conditional expectations E[Y(holdout) | x, tₓ, T].
    pub predicted_mean: f64,
}

/// Calibration frequencies 0..=7 with 7 meaning "7 or more", as in the paper's figure.
pub const LAST_FREQUENCY_GROUP: u32 = 7;

/// Cumulative repeat purchases of the calibration customers from the first
/// purchase day to the end of week `week` (weeks of 7 days from the tracking
/// start), actual and expected by the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingPoint {
    pub week: u32,
    pub actual: f64,
    pub predicted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutCheck {
    pub calibration_end: NaiveDate,
    pub observation_end: NaiveDate,
    /// Holdout length in model units.
    pub holdout_length: f64,
    /// Customers with a calibration purchase.
    pub customers: u64,
    pub by_frequency: Vec<FrequencyGroup>,
    /// First day of week 0 of the tracking series (first purchase of any
    /// calibration customer).
    pub tracking_start: NaiveDate,
    /// Week index in which the calibration period ends (for the chart's marker).
    pub calibration_end_week: u32,
    pub tracking: Vec<TrackingPoint>,
    pub actual_total: f64,
    pub predicted_total: f64,
    /// Mean over calibration customers of |actual − predicted| holdout purchases.
    pub mae_per_customer: f64,
}

/// The holdout check of a model fitted on `split.calibration`; `None` when
/// there is no calibration customer or no holdout period, or the model's
/// series does not converge.
pub fn holdout_check<M: PurchaseProcess + ?Sized>(
    histories: &PurchaseHistories,
    split: &CalibrationHoldout,
    model: &M,
    unit: TimeUnit,
) -> Option<HoldoutCheck> {
    let triples = Triples::new(&split.calibration);
    let actuals = HoldoutActuals::new(histories, split)?;
    holdout_check_with(
        split,
        (&triples, &triples.by_x_and_t()),
        &actuals,
        model,
        unit,
    )
}

/// [`holdout_check`] with the calibration rows' triples already built
/// (`Triples::new(&split.calibration)`, shared with the fits) and grouped
/// by (x, T), and the actual purchases counted (shared by the models
/// checked).
pub fn holdout_check_with<M: PurchaseProcess + ?Sized>(
    split: &CalibrationHoldout,
    (triples, by_x_and_t): (&Triples, &ByXAndT),
    actuals: &HoldoutActuals,
    model: &M,
    unit: TimeUnit,
) -> Option<HoldoutCheck> {
    if split.calibration.is_empty()
        || split.holdout_length <= 0.0
        || triples.of_row.len() != split.calibration.len()
    {
        return None;
    }
    // One prediction per distinct (x, tₓ, T), shared by the customers with
    // that history; E[Y | alive] and Pareto/NBD's integral at T are shared
    // by equal (x, T).
    let mut by_history = vec![0.0; triples.len()];
    let mut t_xs = Vec::new();
    for group in by_x_and_t.groups() {
        let (x, t) = (triples.x[group[0]], triples.t[group[0]]);
        let alive_part = *model
            .expected_if_alive(&[split.holdout_length], x, t)?
            .first()?;
        t_xs.clear();
        t_xs.extend(group.iter().map(|&k| triples.t_x[k]));
        for (&k, p) in group.iter().zip(model.p_alive_at(x, t, &t_xs)) {
            by_history[k] = alive_part * p?;
        }
    }
    let groups = LAST_FREQUENCY_GROUP as usize + 1;
    let mut count = vec![0u64; groups];
    let mut actual = vec![0.0; groups];
    let mut predicted = vec![0.0; groups];
    let (mut actual_total, mut predicted_total, mut abs_error) = (0.0, 0.0, 0.0);
    let rows = split.calibration.iter().zip(&split.holdout_purchases);
    for ((s, &held), &k) in rows.zip(&triples.of_row) {
        let prediction = by_history[k as usize];
        let g = (s.frequency as usize).min(groups - 1);
        count[g] += 1;
        actual[g] += f64::from(held);
        predicted[g] += prediction;
        actual_total += f64::from(held);
        predicted_total += prediction;
        abs_error += (f64::from(held) - prediction).abs();
    }
    let customers = split.calibration.len() as u64;
    let by_frequency = (0..groups)
        .filter(|&g| count[g] > 0)
        .map(|g| FrequencyGroup {
            frequency: g as u32,
            customers: count[g],
            actual_mean: actual[g] / count[g] as f64,
            predicted_mean: predicted[g] / count[g] as f64,
        })
        .collect();
    let tracking_start = actuals.start;
    let tracking = actuals.tracking(model, unit)?;
    Some(HoldoutCheck {
        calibration_end: date_of(split.calibration_end)?,
        observation_end: date_of(split.observation_end)?,
        holdout_length: split.holdout_length,
        customers,
        by_frequency,
        tracking_start: date_of(tracking_start)?,
        calibration_end_week: ((split.calibration_end - tracking_start) / 7).max(0) as u32,
        tracking,
        actual_total,
        predicted_total,
        mae_per_customer: abs_error / customers as f64,
    })
}

/// What happened to the calibration customers, counted once for every
/// model checked: the weekly cumulative repeat purchases from the first
/// purchase of any of them, and how many first purchased on each day.
#[derive(Debug, Clone)]
pub struct HoldoutActuals {
    /// Day number of week 0's first day.
    start: i32,
    /// Customers by first purchase day.
    first_days: Vec<(i32, u64)>,
    /// Repeat purchases up to the end of each week.
    cumulative: Vec<f64>,
    observation_end: i32,
}

impl HoldoutActuals {
    /// `None` without a calibration customer in `histories`.
    pub fn new(histories: &PurchaseHistories, split: &CalibrationHoldout) -> Option<Self> {
        let end = split.observation_end;
        let mut first_days: FxHashMap<i32, u64> = FxHashMap::default();
        let mut start = i32::MAX;
        let mut repeat_days: Vec<i32> = Vec::new();
        for s in &split.calibration {
            let i = histories.index_of(s.customer)?;
            let (days, _) = histories.purchases(i);
            let first = *days.first()?;
            start = start.min(first);
            *first_days.entry(first).or_default() += 1;
            let until = days.partition_point(|&d| d <= end);
            repeat_days.extend_from_slice(&days[1..until.max(1)]);
        }
        if start > end {
            return None;
        }
        let weeks = ((end - start) / 7 + 1) as usize;
        let mut cumulative = vec![0.0; weeks];
        for d in repeat_days {
            cumulative[((d - start) / 7) as usize] += 1.0;
        }
        for w in 1..weeks {
            cumulative[w] += cumulative[w - 1];
        }
        let mut first_days: Vec<(i32, u64)> = first_days.into_iter().collect();
        first_days.sort_unstable();
        Some(HoldoutActuals {
            start,
            first_days,
            cumulative,
            observation_end: end,
        })
    }

    /// Weekly cumulative repeat purchases, actual and expected (Σ over
    /// customers of E[X(time since their first purchase)]). E[X] depends on
    /// the number of days since the first purchase only, so it is computed
    /// once per day count.
    fn tracking<M: PurchaseProcess + ?Sized>(
        &self,
        model: &M,
        unit: TimeUnit,
    ) -> Option<Vec<TrackingPoint>> {
        let (start, end) = (self.start, self.observation_end);
        let span = (end - start) as usize;
        let expected_by_age: Vec<f64> = (0..=span)
            .map(|age| model.unconditional_expected(age as f64 / unit.days()))
            .collect::<Option<_>>()?;
        let points = self
            .cumulative
            .iter()
            .enumerate()
            .map(|(w, &actual)| {
                // Last day counted in week w (the observation end for a partial week).
                let last = (start + 7 * (w as i32 + 1) - 1).min(end);
                let predicted = self
                    .first_days
                    .iter()
                    .take_while(|(first, _)| *first <= last)
                    .map(|&(first, n)| n as f64 * expected_by_age[(last - first) as usize])
                    .sum();
                TrackingPoint {
                    week: w as u32,
                    actual,
                    predicted,
                }
            })
            .collect();
        Some(points)
    }
}
