//! CLV without a model (docs/METRICS.md, "CLV and segmentation"): the
//! historical and the retention-formula CLV from the purchase histories.

use serde::{Deserialize, Serialize};

use super::clv::{historical_clv, retention_clv};
use super::section::ClvSettings;
use super::summary::{MonthOfDay, PurchaseHistories};

/// CLV without a model (docs/METRICS.md, "CLV and segmentation").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimpleClv {
    /// Purchase value per purchase day (an order = a customer-day).
    pub average_order_value: Option<f64>,
    /// Purchase days per customer per month, over the months from each
    /// customer's first purchase to the observation end.
    pub purchases_per_month: f64,
    /// Share of customers active in a calendar month who are active in the
    /// next one, pooled over all pairs of consecutive months.
    pub monthly_retention: Option<f64>,
    /// Purchase value per active customer-month × margin.
    pub monthly_margin_per_active_customer: Option<f64>,
    pub margin: f64,
    /// The horizon, used as the assumed lifetime.
    pub lifetime_months: f64,
    /// AOV × purchases per month × margin × lifetime.
    pub historical_clv: Option<f64>,
    /// m · r / (1 + d − r) with the monthly figures above.
    pub retention_clv: Option<f64>,
}

/// The simple CLV of docs/METRICS.md from the purchase histories.
pub(super) fn simple_clv(
    h: &PurchaseHistories,
    end: i32,
    settings: &ClvSettings,
) -> Option<SimpleClv> {
    if h.is_empty() {
        return None;
    }
    let table = MonthOfDay::new(
        h.first_day.unwrap_or(end).min(end),
        h.last_day.unwrap_or(end).max(end),
    );
    let month_of = |day: i32| table.get(day);
    let (mut orders, mut value, mut customer_months) = (0u64, 0.0, 0.0);
    let (mut active_months, mut retained, mut all_active_months) = (0u64, 0u64, 0u64);
    let last_month = month_of(end);
    let mut months: Vec<i64> = Vec::new();
    for i in 0..h.len() {
        let (days, totals) = h.purchases(i);
        orders += days.len() as u64;
        value += totals.iter().sum::<f64>();
        if let Some(&first) = days.first() {
            customer_months += f64::from(end - first + 1) / (365.25 / 12.0);
        }
        months.clear();
        months.extend(days.iter().map(|&d| month_of(d)));
        months.dedup();
        all_active_months += months.len() as u64;
        // Month pairs (k, k+1) with k before the last month: was the customer back?
        for (j, &m) in months.iter().enumerate() {
            if m < last_month {
                active_months += 1;
                if months.get(j + 1) == Some(&(m + 1)) {
                    retained += 1;
                }
            }
        }
    }
    let margin = settings.margin.unwrap_or(1.0);
    let average_order_value = (h.has_amounts && orders > 0).then(|| value / orders as f64);
    let purchases_per_month = if customer_months > 0.0 {
        orders as f64 / customer_months
    } else {
        0.0
    };
    let monthly_retention = (active_months > 0).then(|| retained as f64 / active_months as f64);
    let monthly_margin =
        (h.has_amounts && all_active_months > 0).then(|| value / all_active_months as f64 * margin);
    let lifetime = f64::from(settings.horizon_months);
    Some(SimpleClv {
        average_order_value,
        purchases_per_month,
        monthly_retention,
        monthly_margin_per_active_customer: monthly_margin,
        margin,
        lifetime_months: lifetime,
        historical_clv: average_order_value
            .and_then(|aov| historical_clv(aov, purchases_per_month, margin, lifetime)),
        retention_clv: match (monthly_margin, monthly_retention) {
            (Some(m), Some(r)) => retention_clv(m, r, settings.discount_rate),
            _ => None,
        },
    })
}
