//! Revenue lost: the 12-month window of transactions before churn, and the
//! sums that stay absent until something is added.

use chrono::{Datelike, Months, NaiveDate};
use rustc_hash::FxHashMap;

use crate::dataset::CustomerIndex;
use crate::Dataset;

fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// The first day after the 12-month window ending at `day`: amounts on days
/// in (`window_start(day)`, `day`] count.
fn window_start(day: i32) -> Option<i32> {
    date_of(day)?
        .checked_sub_months(Months::new(12))
        .map(|d| d.num_days_from_ce())
}

/// Per customer id below `customers`: the sum of transaction amounts on
/// days in (12 months before `reference(c)`, `reference(c)`], NaN where the
/// customer has no reference day or no amount in the window (8 bytes a
/// customer where `Option<f64>` took 16).
pub(super) fn revenue_before(
    dataset: &Dataset,
    customers: usize,
    reference: impl Fn(usize) -> Option<i32>,
) -> Vec<f64> {
    // Calendar arithmetic once per distinct day, not once per customer.
    let mut memo: FxHashMap<i32, Option<i32>> = FxHashMap::default();
    let starts: Vec<Option<(i32, i32)>> = (0..customers)
        .map(|c| {
            let day = reference(c)?;
            let start = *memo.entry(day).or_insert_with(|| window_start(day));
            Some((start?, day))
        })
        .collect();
    let tx = &dataset.transactions;
    let mut sums: Vec<f64> = vec![f64::NAN; customers];
    for ((&customer, &day), amount) in tx.customer.iter().zip(&tx.day).zip(tx.amount.iter()) {
        let (Some(amount), Some(Some((from, to)))) = (amount, starts.get(customer as usize)) else {
            continue;
        };
        if day > *from && day <= *to {
            if let Some(sum) = sums.get_mut(customer as usize) {
                *sum = if sum.is_nan() { amount } else { *sum + amount };
            }
        }
    }
    sums
}

/// Purchases (amount absent or >= 0) of customer `c`: first and last day.
pub(super) fn purchase_span(index: &CustomerIndex, c: usize) -> Option<(i32, i32)> {
    let days = index.days(c);
    days.first().zip(days.last()).map(|(&a, &b)| (a, b))
}

/// A sum that is absent until something is added (revenue, when no churner
/// has a figure, is unknown, not zero). Neumaier-compensated so totals of
/// many amounts match a careful reference to the last digits.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct MaybeSum {
    sum: f64,
    compensation: f64,
    any: bool,
}

impl MaybeSum {
    pub(super) fn add(&mut self, value: Option<f64>) {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return;
        };
        let t = self.sum + v;
        self.compensation += if self.sum.abs() >= v.abs() {
            (self.sum - t) + v
        } else {
            (v - t) + self.sum
        };
        self.sum = t;
        self.any = true;
    }

    pub(super) fn get(self) -> Option<f64> {
        let total = self.sum + self.compensation;
        (self.any && total.is_finite()).then_some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_month_window_is_calendar_months() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().num_days_from_ce();
        assert_eq!(window_start(day(2024, 2, 29)), Some(day(2023, 2, 28)));
        assert_eq!(window_start(day(2024, 7, 15)), Some(day(2023, 7, 15)));
    }
}
