//! The customer base at a glance: who bought, how often, how much, and when.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::{is_purchase, CustomerIndex, Transactions};
pub(crate) use crate::float_key::{exact_sum, ExactSum};

/// Headline figures over all used transaction rows.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseFigures {
    /// Distinct customer ids with at least one used row.
    pub customers: u64,
    /// Used transaction rows.
    pub transactions: u64,
    /// Distinct purchase orders: order ids, or customer-days when the file has
    /// no order id. Returns (negative amounts) are not orders.
    pub orders: u64,
    /// Sum of all amounts, returns included as negatives.
    pub revenue: Option<f64>,
    /// Customers with two or more distinct orders / all customers.
    pub repeat_rate: Option<f64>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

/// Activity in one calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyActivity {
    /// "YYYY-MM".
    pub month: String,
    /// Customers with at least one purchase (non-negative amount) that month.
    pub active_customers: u64,
    pub orders: u64,
    /// Sum of the month's amounts, returns included; 0 when there are none.
    pub revenue: f64,
    /// The data covers the whole month: false for a first month that starts
    /// after the 1st or a last month that ends before its last day, whose
    /// lower figures are not a drop.
    pub complete: bool,
}

fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

pub fn base_figures(tx: &Transactions) -> BaseFigures {
    base_figures_with(tx, &CustomerIndex::build(tx))
}

/// [`base_figures`] from the customer index of `tx`.
pub(crate) fn base_figures_with(tx: &Transactions, index: &CustomerIndex) -> BaseFigures {
    let n = tx.len();
    let mut customers = 0u64;
    let mut repeaters = 0u64;
    // Orders: distinct order ids (global), plus distinct (customer, day) of
    // purchases without one.
    let mut orders = 0u64;
    for c in 0..index.customers() {
        customers += u64::from(index.has_rows(c));
        repeaters += u64::from(index.orders(c) >= 2);
        orders += index.plain_days(c).len() as u64;
    }
    if !index.no_order_ids() {
        let ids = tx
            .order
            .iter()
            .flatten()
            .max()
            .map_or(0, |o| o as usize + 1);
        let mut seen = vec![false; ids];
        for (order, amount) in tx.order.iter().zip(tx.amount.iter()) {
            if let (Some(o), true) = (order, is_purchase(amount)) {
                orders += u64::from(!std::mem::replace(&mut seen[o as usize], true));
            }
        }
    }
    let any_amount = tx.amount.any();
    BaseFigures {
        customers,
        transactions: n as u64,
        orders,
        revenue: any_amount.then(|| exact_sum(tx.amount.iter().flatten())),
        repeat_rate: (customers > 0).then(|| repeaters as f64 / customers as f64),
        first_date: index.day_range().and_then(|(d, _)| date_of(d)),
        last_date: index.day_range().and_then(|(_, d)| date_of(d)),
    }
}

/// One entry per calendar month from the first to the last transaction,
/// months without activity included (as zeros), so the chart's time axis is true.
pub fn monthly_activity(tx: &Transactions) -> Vec<MonthlyActivity> {
    monthly_activity_with(tx, &CustomerIndex::build(tx))
}

/// [`monthly_activity`] from the customer index of `tx`.
pub(crate) fn monthly_activity_with(
    tx: &Transactions,
    index: &CustomerIndex,
) -> Vec<MonthlyActivity> {
    let Some((min_day, max_day)) = index.day_range() else {
        return Vec::new();
    };
    let month_index = |day: i32| {
        index.month_of(day).unwrap_or_else(|| {
            let d = NaiveDate::default();
            d.year() * 12 + d.month0() as i32
        })
    };
    let (first, last) = (month_index(min_day), month_index(max_day));
    let first_day = date_of(min_day);
    let last_day = date_of(max_day);
    let starts_on_first = first_day.is_some_and(|d| d.day() == 1);
    let ends_on_last = last_day.is_some_and(|d| d.succ_opt().is_none_or(|next| next.day() == 1));
    let span = (last - first + 1) as usize;
    let slot = |day: i32| (month_index(day) - first) as usize;
    // Revenue: every amount, in load order per month (the same sums as
    // before, to the last bit).
    let mut revenue = vec![ExactSum::default(); span];
    for (&day, amount) in tx.day.iter().zip(tx.amount.iter()) {
        if let Some(a) = amount {
            revenue[slot(day)].add(a);
        }
    }
    // Active customers and plain orders from each customer's purchase days.
    let mut active_counts = vec![0u64; span];
    let mut order_counts = vec![0u64; span];
    for c in 0..index.customers() {
        let mut previous = usize::MAX;
        for &day in index.days(c) {
            let m = slot(day);
            if m != previous {
                active_counts[m] += 1;
                previous = m;
            }
        }
        for &day in index.plain_days(c) {
            order_counts[slot(day)] += 1;
        }
    }
    // Order ids: distinct (month, order id); an order's lines nearly always
    // fall in one month, so only orders seen in two months are sorted.
    if !index.no_order_ids() {
        let ids = tx
            .order
            .iter()
            .flatten()
            .max()
            .map_or(0, |o| o as usize + 1);
        let mut month_of = vec![usize::MAX; ids];
        let mut spread: Vec<(u32, usize)> = Vec::new();
        for i in 0..tx.len() {
            let (Some(o), true) = (tx.order.at(i), is_purchase(tx.amount.at(i))) else {
                continue;
            };
            let m = slot(tx.day[i]);
            let seen = &mut month_of[o as usize];
            if *seen == usize::MAX {
                *seen = m;
            } else if *seen != m {
                spread.push((o, m));
            }
        }
        // Orders seen in two months or more: every (order, month) of them,
        // deduplicated; the others count once in their month.
        let mut spread_orders: Vec<u32> = spread.iter().map(|&(o, _)| o).collect();
        spread_orders.sort_unstable();
        spread_orders.dedup();
        for &o in &spread_orders {
            spread.push((o, std::mem::replace(&mut month_of[o as usize], usize::MAX)));
        }
        for &m in &month_of {
            if m != usize::MAX {
                order_counts[m] += 1;
            }
        }
        spread.sort_unstable();
        spread.dedup();
        for (_, m) in spread {
            order_counts[m] += 1;
        }
    }
    (0..span)
        .map(|k| {
            let m = first + k as i32;
            MonthlyActivity {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                active_customers: active_counts[k],
                orders: order_counts[k],
                revenue: revenue[k].get(),
                complete: (m != first || starts_on_first) && (m != last || ends_on_last),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(rows: &[(u32, &str, Option<f64>, Option<u32>)]) -> Transactions {
        let mut t = Transactions::default();
        for &(c, d, a, o) in rows {
            t.push(c, d.parse().unwrap(), a, o);
        }
        t
    }

    #[test]
    fn hand_counted_small_shop() {
        // Customer 0: two days -> 2 orders (repeat). Customer 1: two lines on
        // one day -> 1 order. Customer 2: a return only -> no order.
        let t = tx(&[
            (0, "2024-01-05", Some(10.0), None),
            (0, "2024-03-01", Some(5.5), None),
            (1, "2024-01-07", Some(2.0), None),
            (1, "2024-01-07", Some(3.0), None),
            (2, "2024-03-02", Some(-4.0), None),
        ]);
        let f = base_figures(&t);
        assert_eq!(f.customers, 3);
        assert_eq!(f.transactions, 5);
        assert_eq!(f.orders, 3);
        assert_eq!(f.revenue, Some(16.5));
        assert_eq!(f.repeat_rate, Some(1.0 / 3.0));
        assert_eq!(f.first_date, "2024-01-05".parse().ok());
        assert_eq!(f.last_date, "2024-03-02".parse().ok());

        let months = monthly_activity(&t);
        let view: Vec<_> = months
            .iter()
            .map(|m| (m.month.as_str(), m.active_customers, m.orders, m.revenue))
            .collect();
        assert_eq!(
            view,
            vec![
                ("2024-01", 2, 2, 15.0),
                ("2024-02", 0, 0, 0.0),
                ("2024-03", 1, 1, 1.5)
            ]
        );
    }

    #[test]
    fn order_ids_are_counted_once_across_lines() {
        let t = tx(&[
            (0, "2024-01-05", Some(1.0), Some(7)),
            (0, "2024-01-05", Some(1.0), Some(7)),
            (0, "2024-01-05", Some(1.0), Some(8)),
        ]);
        let f = base_figures(&t);
        assert_eq!(f.orders, 2);
        assert_eq!(f.repeat_rate, Some(1.0));
    }

    #[test]
    fn no_amount_column_means_no_revenue_not_zero() {
        let t = tx(&[(0, "2024-01-05", None, None)]);
        assert_eq!(base_figures(&t).revenue, None);
        assert!(base_figures(&Transactions::default()).repeat_rate.is_none());
    }

    #[test]
    fn compensated_sum_keeps_cents() {
        let values = std::iter::repeat_n(0.1, 1_000_000);
        assert!((exact_sum(values) - 100_000.0).abs() < 1e-9);
    }
}
