//! Per-customer predictions and customer lifetime value.
//!
//! Discounted CLV follows lifetimes' `customer_lifetime_value`: for months
//! i = 1..=H, the expected purchases in month i (the difference of the
//! cumulative conditional expectation at i and i−1 months) times the
//! Gamma-Gamma expected spend, discounted by (1 + d)^i; multiplied by the
//! margin when one is given (lifetimes has no margin: its "profit" is spend).
//! A month is [`TimeUnit::per_month`] units, lifetimes' factors.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use super::clv_months::MonthValue;
use super::gamma_gamma::GammaGammaParams;
use super::model_choice::PurchaseProcess;
use super::summary::{ByXAndT, TimeUnit, Triples};
use crate::dataset::CustomerSummary;

/// What the models say about one customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerPrediction {
    pub customer: u32,
    pub p_alive: f64,
    /// Expected purchases over the CLV horizon.
    pub expected_purchases: f64,
    /// Gamma-Gamma expected average spend per purchase; `None` without a
    /// spend model.
    pub expected_spend: Option<f64>,
    /// Discounted CLV over the horizon (times the margin when given).
    pub clv: Option<f64>,
}

/// Every row's [`CustomerPrediction`], column by column: 36 bytes a row
/// where `Option<CustomerPrediction>` takes 64, for as long as the CLV
/// analysis is kept (a million customers: 27 MiB less). A row without a
/// prediction has a NaN P(alive), and one without a spend or CLV a NaN
/// there: the models give finite numbers or none (`PurchaseProcess::p_alive`,
/// `GammaGammaParams::expected_average_spend`, [`predict_by_month`]'s CLV).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredictionTable {
    customer: Vec<u32>,
    p_alive: Vec<f64>,
    expected_purchases: Vec<f64>,
    expected_spend: Vec<f64>,
    clv: Vec<f64>,
}

impl PredictionTable {
    pub fn with_capacity(rows: usize) -> PredictionTable {
        PredictionTable {
            customer: Vec::with_capacity(rows),
            p_alive: Vec::with_capacity(rows),
            expected_purchases: Vec::with_capacity(rows),
            expected_spend: Vec::with_capacity(rows),
            clv: Vec::with_capacity(rows),
        }
    }

    /// Adds a row. A prediction with a P(alive) that is not finite is
    /// kept as none (which the models never give).
    pub fn push(&mut self, prediction: Option<CustomerPrediction>) {
        let p = prediction.filter(|p| p.p_alive.is_finite());
        self.customer.push(p.map_or(u32::MAX, |p| p.customer));
        self.p_alive.push(p.map_or(f64::NAN, |p| p.p_alive));
        self.expected_purchases
            .push(p.map_or(f64::NAN, |p| p.expected_purchases));
        self.expected_spend
            .push(p.and_then(|p| p.expected_spend).unwrap_or(f64::NAN));
        self.clv.push(p.and_then(|p| p.clv).unwrap_or(f64::NAN));
    }

    pub fn len(&self) -> usize {
        self.p_alive.len()
    }

    pub fn is_empty(&self) -> bool {
        self.p_alive.is_empty()
    }

    /// Row `i`'s prediction; `None` for none (or no such row).
    pub fn get(&self, i: usize) -> Option<CustomerPrediction> {
        let p_alive = *self.p_alive.get(i)?;
        let number = |v: f64| (!v.is_nan()).then_some(v);
        number(p_alive).map(|p_alive| CustomerPrediction {
            customer: self.customer[i],
            p_alive,
            expected_purchases: self.expected_purchases[i],
            expected_spend: number(self.expected_spend[i]),
            clv: number(self.clv[i]),
        })
    }

    /// Every row's P(alive), NaN for none.
    pub(crate) fn p_alive_column(&self) -> &[f64] {
        &self.p_alive
    }

    /// Every row's CLV, NaN for none.
    pub(crate) fn clv_column(&self) -> &[f64] {
        &self.clv
    }

    /// Every row's prediction, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<CustomerPrediction>> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Extend<Option<CustomerPrediction>> for PredictionTable {
    fn extend<I: IntoIterator<Item = Option<CustomerPrediction>>>(&mut self, rows: I) {
        rows.into_iter().for_each(|p| self.push(p));
    }
}

impl FromIterator<Option<CustomerPrediction>> for PredictionTable {
    fn from_iter<I: IntoIterator<Item = Option<CustomerPrediction>>>(rows: I) -> Self {
        let rows = rows.into_iter();
        let mut table = PredictionTable::with_capacity(rows.size_hint().0);
        rows.for_each(|p| table.push(p));
        table
    }
}

/// The horizon, discounting and margin of a CLV computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClvTerms {
    pub unit: TimeUnit,
    /// The last month predicted (the horizon, or a window's end).
    pub horizon_months: u32,
    /// The first month predicted, 1-based: 1, or a window's start
    /// ([`super::clv_months::MonthWindow`]); the months before it are
    /// computed (the expectations are cumulative) but not counted.
    pub first_month: u32,
    /// Monthly discount rate (0.01 = 1% a month).
    pub discount_rate: f64,
    /// Share of spend that is profit; 1 when not given.
    pub margin: f64,
}

/// The months a prediction covers, in model units, with their discount
/// factors: month i (1-based) is discounted by (1 + d)^−i; months before
/// `first` are left out of the sums.
#[derive(Debug, Clone, PartialEq)]
pub struct Months {
    /// 0, 1, …, last month in units.
    horizons: Vec<f64>,
    discounts: Vec<f64>,
    /// First month counted (1-based).
    first: usize,
}

impl Months {
    pub fn new(terms: &ClvTerms) -> Months {
        let months = terms.horizon_months as usize;
        let step = terms.unit.per_month();
        let mut discounts = Vec::with_capacity(months + 1);
        let mut discount = 1.0;
        for _ in 0..=months {
            discounts.push(discount);
            discount /= 1.0 + terms.discount_rate;
        }
        Months {
            horizons: (0..=months).map(|i| i as f64 * step).collect(),
            discounts,
            first: (terms.first_month as usize).max(1),
        }
    }

    /// The last month (the horizon).
    pub fn last(&self) -> usize {
        self.horizons.len() - 1
    }

    /// Whether month `i` (1-based) is counted.
    pub fn counts(&self, i: usize) -> bool {
        i >= self.first && i <= self.last()
    }

    /// The discount factor of month `i` (1-based).
    pub fn discount(&self, i: usize) -> f64 {
        self.discounts.get(i).copied().unwrap_or(0.0)
    }

    /// E[Y(i)] / P(alive) at the end of every month i = 0..=last.
    pub fn cumulative<M: PurchaseProcess + ?Sized>(
        &self,
        model: &M,
        x: f64,
        t: f64,
    ) -> Option<Vec<f64>> {
        model.expected_if_alive(&self.horizons, x, t)
    }

    /// The counted months' expected purchases and their discounted sum,
    /// from the cumulative expectations [`Self::cumulative`] gave.
    pub fn fold(&self, cumulative: &[f64]) -> (f64, f64) {
        let first = self.first.min(cumulative.len());
        let before = cumulative
            .get(first.saturating_sub(1))
            .copied()
            .unwrap_or(0.0);
        let total = cumulative.last().copied().unwrap_or(0.0) - before;
        let discounted = cumulative
            .windows(2)
            .zip(&self.discounts[1..])
            .skip(first.saturating_sub(1))
            .map(|(w, d)| (w[1] - w[0]) * d)
            .fold(0.0, |sum, v| sum + v);
        // + 0.0: never −0.
        (total.max(0.0) + 0.0, discounted.max(0.0) + 0.0)
    }

    /// Per unit of P(alive), for a customer with x repeat purchases observed
    /// for T: the expected purchases over the months and their discounted
    /// sum Σ (Eᵢ − Eᵢ₋₁)/(1+d)ⁱ; `None` where the model gives no number.
    pub fn alive_parts<M: PurchaseProcess + ?Sized>(
        &self,
        model: &M,
        x: f64,
        t: f64,
    ) -> Option<(f64, f64)> {
        Some(self.fold(&self.cumulative(model, x, t)?))
    }

    /// (P(alive), expected purchases, discounted expected purchases) of one
    /// customer history.
    pub fn customer<M: PurchaseProcess + ?Sized>(
        &self,
        model: &M,
        x: f64,
        t_x: f64,
        t: f64,
    ) -> Option<(f64, f64, f64)> {
        let (total, discounted) = self.alive_parts(model, x, t)?;
        let p_alive = model.p_alive(x, t_x, t)?;
        Some((p_alive, p_alive * total, p_alive * discounted))
    }
}

/// Predictions for every summary row (same order).
///
/// The expensive part, the hypergeometric series of E[Y(t)], depends on the
/// customer's x and T only, so it is computed once per distinct (x, T) and
/// horizon month and shared by every customer with that pair; P(alive) and
/// the per-customer factor are computed once per distinct (x, tₓ, T).
/// Customers whose series does not converge get no prediction (`None`).
pub fn predict<M: PurchaseProcess + ?Sized>(
    model: &M,
    gg: Option<&GammaGammaParams>,
    rows: &[CustomerSummary],
    terms: &ClvTerms,
) -> Vec<Option<CustomerPrediction>> {
    predict_with_triples(model, gg, rows, &Triples::new(rows), terms)
}

/// [`predict`] with the rows' triples already built (`Triples::new(rows)`).
pub fn predict_with_triples<M: PurchaseProcess + ?Sized>(
    model: &M,
    gg: Option<&GammaGammaParams>,
    rows: &[CustomerSummary],
    triples: &Triples,
    terms: &ClvTerms,
) -> Vec<Option<CustomerPrediction>> {
    predict_by_month(model, gg, rows, triples, terms)
        .customers
        .iter()
        .collect()
}

/// Predictions per customer and the whole base's per month.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictions {
    /// Parallel to the rows; none where the model gives no number.
    pub customers: PredictionTable,
    /// Months 1..=horizon (every month, those before a window too).
    pub by_month: Vec<MonthValue>,
}

/// [`predict_with_triples`] with the predicted customers' expected
/// purchases and CLV per month of the horizon. The histories are taken in
/// groups of equal (x, T), whose cumulative expectations (the series) are
/// computed once; each month's figures add up P(alive) × customers (and ×
/// their expected spend) over the group, so the series costs one pass over
/// the months per group. `triples` are the rows' (`Triples::new(rows)`).
///
/// `rows` are read twice, in order: held summaries, or summaries read again
/// as they come (the CLV analysis holds none from transactions).
pub fn predict_by_month<M, R>(
    model: &M,
    gg: Option<&GammaGammaParams>,
    rows: R,
    triples: &Triples,
    terms: &ClvTerms,
) -> Predictions
where
    M: PurchaseProcess + ?Sized,
    R: IntoIterator + Clone,
    R::Item: Borrow<CustomerSummary>,
{
    predict_by_month_in(model, gg, rows, (triples, &triples.by_x_and_t()), terms)
}

/// [`predict_by_month`] with the triples' order by (x, T) already made
/// (`triples.by_x_and_t()`), which the intervals' sample reads too.
pub fn predict_by_month_in<M, R>(
    model: &M,
    gg: Option<&GammaGammaParams>,
    rows: R,
    (triples, by_x_and_t): (&Triples, &ByXAndT),
    terms: &ClvTerms,
) -> Predictions
where
    M: PurchaseProcess + ?Sized,
    R: IntoIterator + Clone,
    R::Item: Borrow<CustomerSummary>,
{
    let months = Months::new(terms);
    let n = triples.len();
    // Per history: its customers (the triples' weights: they are the
    // rows') and the sum of their expected spends (customers without one
    // count in the purchases, not in the CLV).
    let customers = &triples.weight;
    let mut spend_sum = vec![0.0; n];
    let spend_of = |row: &CustomerSummary| {
        gg.and_then(|g| g.expected_average_spend(row.frequency, row.monetary_value.unwrap_or(0.0)))
    };
    for (row, &k) in rows.clone().into_iter().zip(&triples.of_row) {
        spend_sum[k as usize] += spend_of(row.borrow()).unwrap_or(0.0);
    }
    let last = months.last();
    let mut purchases_by_month = vec![0.0; last + 1];
    let mut clv_by_month = vec![0.0; last + 1];
    // Per triple: P(alive), expected purchases, discounted expected
    // purchases; a NaN P(alive) for none (24 bytes a triple, not 32).
    let mut per_triple: Vec<(f64, f64, f64)> = vec![(f64::NAN, 0.0, 0.0); n];
    let mut t_xs = Vec::new();
    for group in by_x_and_t.groups() {
        let (x, t) = (triples.x[group[0]], triples.t[group[0]]);
        if let Some(cumulative) = months.cumulative(model, x, t) {
            let (total, discounted) = months.fold(&cumulative);
            let (mut alive_customers, mut alive_spend) = (0.0, 0.0);
            t_xs.clear();
            t_xs.extend(group.iter().map(|&k| triples.t_x[k]));
            // E[Y(t)] = alive part × P(alive) (for BG/NBD the paper's
            // denominator 1 + δ·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x) is 1/P(alive)).
            for (&k, p) in group.iter().zip(model.p_alive_at(x, t, &t_xs)) {
                if let Some(p) = p {
                    per_triple[k] = (p, p * total, p * discounted);
                    alive_customers += p * customers[k];
                    alive_spend += p * spend_sum[k];
                }
            }
            for (i, w) in cumulative.windows(2).enumerate() {
                let step = w[1] - w[0];
                purchases_by_month[i + 1] += step * alive_customers;
                clv_by_month[i + 1] += step * months.discount(i + 1) * alive_spend * terms.margin;
            }
        }
    }
    let by_month = (1..=last)
        .map(|i| MonthValue {
            month: i as u32,
            // + 0.0: never −0.
            expected_purchases: purchases_by_month[i].max(0.0) + 0.0,
            clv: gg
                .map(|_| clv_by_month[i].max(0.0) + 0.0)
                .filter(|v| v.is_finite()),
            in_window: months.counts(i),
        })
        .collect();
    // Sized from the triples' rows: summaries read as they come do not
    // say how many there are, and five columns grown by doubling left
    // holes in the worker's memory that later blocks did not fit.
    let mut customers = PredictionTable::with_capacity(triples.of_row.len());
    customers.extend(rows.into_iter().zip(&triples.of_row).map(|(row, &k)| {
        let row = row.borrow();
        let (p_alive, expected_purchases, discounted_purchases) =
            Some(per_triple[k as usize]).filter(|t| !t.0.is_nan())?;
        let expected_spend = spend_of(row);
        // + 0.0: a zero CLV is never −0 (a zero margin, a zero horizon).
        let clv = expected_spend.map(|spend| discounted_purchases * spend * terms.margin + 0.0);
        Some(CustomerPrediction {
            customer: row.customer,
            p_alive,
            expected_purchases,
            expected_spend,
            clv: clv.filter(|v| v.is_finite()),
        })
    }));
    Predictions {
        customers,
        by_month,
    }
}

/// One bar of the CLV distribution: customers with lower ≤ CLV < upper (the
/// last bar also holds everything above its upper edge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    pub lower: f64,
    pub upper: f64,
    pub customers: u64,
    pub clv_sum: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvDistribution {
    pub customers: u64,
    pub total: f64,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    /// 20 equal bins from 0 to the 99th percentile; the last bin is open
    /// above so that a few huge values do not flatten the chart.
    pub bins: Vec<HistogramBin>,
    /// Share of the total CLV held by the top 20% of customers.
    pub top20_share: Option<f64>,
}

pub const HISTOGRAM_BINS: usize = 20;

pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Linear interpolation between order statistics (numpy's default).
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Summary figures and histogram of CLV values; `None` for no values.
pub fn distribution(values: &[f64]) -> Option<ClvDistribution> {
    distribution_of(values.to_vec())
}

/// [`distribution`] of values given up to it: filtered and sorted in place.
pub fn distribution_of(mut values: Vec<f64>) -> Option<ClvDistribution> {
    values.retain(|v| v.is_finite());
    let mut sorted = values;
    if sorted.is_empty() {
        return None;
    }
    // Values equal by total_cmp are the same bits: an unstable sort gives
    // the same order.
    sorted.sort_unstable_by(f64::total_cmp);
    let n = sorted.len();
    let total: f64 = sorted.iter().sum();
    let p99 = quantile(&sorted, 0.99);
    let low = sorted[0].min(0.0);
    let high = if p99 > low { p99 } else { low + 1.0 };
    let width = (high - low) / HISTOGRAM_BINS as f64;
    let mut bins: Vec<HistogramBin> = (0..HISTOGRAM_BINS)
        .map(|i| HistogramBin {
            lower: low + width * i as f64,
            upper: low + width * (i + 1) as f64,
            customers: 0,
            clv_sum: 0.0,
        })
        .collect();
    for &v in &sorted {
        let i = (((v - low) / width).floor().max(0.0) as usize).min(HISTOGRAM_BINS - 1);
        bins[i].customers += 1;
        bins[i].clv_sum += v;
    }
    let top = n.div_ceil(5);
    let top_sum: f64 = sorted[n - top..].iter().sum();
    Some(ClvDistribution {
        customers: n as u64,
        total,
        mean: total / n as f64,
        median: quantile(&sorted, 0.5),
        p90: quantile(&sorted, 0.9),
        p99,
        max: sorted[n - 1],
        bins,
        top20_share: (total > 0.0).then(|| top_sum / total),
    })
}

/// The historical CLV of docs/METRICS.md: average order value × purchases per
/// period × margin × lifetime in periods.
pub fn historical_clv(
    average_order_value: f64,
    purchases_per_period: f64,
    margin: f64,
    lifetime_periods: f64,
) -> Option<f64> {
    let v = average_order_value * purchases_per_period * margin * lifetime_periods;
    v.is_finite().then_some(v)
}

/// The retention-formula CLV of docs/METRICS.md: m · r / (1 + d − r) for a margin
/// m per period, retention r per period and discount d per period (the
/// geometric series of a customer kept with probability r each period; the
/// first period's margin is not counted, as in the usual textbook form).
/// `None` unless 0 ≤ r ≤ 1 and 1 + d − r > 0.
pub fn retention_clv(margin_per_period: f64, retention: f64, discount: f64) -> Option<f64> {
    let denominator = 1.0 + discount - retention;
    let v = margin_per_period * retention / denominator;
    ((0.0..=1.0).contains(&retention) && denominator > 0.0 && v.is_finite()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn prediction() -> impl Strategy<Value = Option<CustomerPrediction>> {
        let finite = -1e12..1e12f64;
        let row = (
            any::<u32>(),
            0.0..=1.0f64,
            finite.clone(),
            proptest::option::of(finite.clone()),
            proptest::option::of(finite),
        );
        proptest::option::of(row.prop_map(|(customer, p_alive, e, spend, clv)| {
            CustomerPrediction {
                customer,
                p_alive,
                expected_purchases: e,
                expected_spend: spend,
                clv,
            }
        }))
    }

    proptest! {
        /// The table gives back every row as it was pushed, absent fields
        /// and absent rows included.
        #[test]
        fn prediction_table_round_trips(rows in proptest::collection::vec(prediction(), 0..64)) {
            let table: PredictionTable = rows.iter().copied().collect();
            prop_assert_eq!(table.len(), rows.len());
            prop_assert_eq!(table.iter().collect::<Vec<_>>(), rows.clone());
            for (i, row) in rows.iter().enumerate() {
                prop_assert_eq!(table.get(i), *row);
            }
            prop_assert_eq!(table.get(rows.len()), None);
        }
    }
}
