//! The customer base at a glance: who bought, how often, how much, and when.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::Transactions;

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

fn is_purchase(amount: Option<f64>) -> bool {
    amount.is_none_or(|a| a >= 0.0)
}

/// A key that is the same for two rows of the same order: the interned order
/// id, or the day when there is none (so one customer's lines on one day are
/// one order).
fn order_key(order: Option<u32>, day: i32) -> u64 {
    match order {
        Some(o) => (1 << 32) | u64::from(o),
        None => day as u32 as u64,
    }
}

/// Neumaier's compensated sum: cents stay exact over millions of rows.
pub(crate) fn exact_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

pub fn base_figures(tx: &Transactions) -> BaseFigures {
    let n = tx.len();
    let mut customers: Vec<u32> = tx.customer.clone();
    customers.sort_unstable();
    customers.dedup();

    // (customer, order key) of every purchase row; order ids are global, so
    // for counting orders an id-keyed order is not tied to a customer.
    let mut customer_orders: Vec<(u32, u64)> = Vec::with_capacity(n);
    let mut global_orders: Vec<(u32, u64)> = Vec::with_capacity(n);
    for i in 0..n {
        if !is_purchase(tx.amount[i]) {
            continue;
        }
        let key = order_key(tx.order[i], tx.day[i]);
        customer_orders.push((tx.customer[i], key));
        global_orders.push((
            if tx.order[i].is_some() {
                u32::MAX
            } else {
                tx.customer[i]
            },
            key,
        ));
    }
    customer_orders.sort_unstable();
    customer_orders.dedup();
    global_orders.sort_unstable();
    global_orders.dedup();
    let repeaters = customer_orders
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|orders| orders.len() >= 2)
        .count() as u64;

    let amounts: Vec<f64> = tx.amount.iter().flatten().copied().collect();
    BaseFigures {
        customers: customers.len() as u64,
        transactions: n as u64,
        orders: global_orders.len() as u64,
        revenue: (!amounts.is_empty()).then(|| exact_sum(amounts)),
        repeat_rate: (!customers.is_empty()).then(|| repeaters as f64 / customers.len() as f64),
        first_date: tx.day.iter().min().and_then(|&d| date_of(d)),
        last_date: tx.day.iter().max().and_then(|&d| date_of(d)),
    }
}

fn month_index(day: i32) -> i32 {
    let d = date_of(day).unwrap_or_default();
    d.year() * 12 + d.month0() as i32
}

/// One entry per calendar month from the first to the last transaction,
/// months without activity included (as zeros), so the chart's time axis is true.
pub fn monthly_activity(tx: &Transactions) -> Vec<MonthlyActivity> {
    let months: Vec<i32> = tx.day.iter().map(|&d| month_index(d)).collect();
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return Vec::new();
    };
    let first_day = tx.day.iter().min().and_then(|&d| date_of(d));
    let last_day = tx.day.iter().max().and_then(|&d| date_of(d));
    let starts_on_first = first_day.is_some_and(|d| d.day() == 1);
    let ends_on_last = last_day.is_some_and(|d| d.succ_opt().is_none_or(|next| next.day() == 1));
    let span = (last - first + 1) as usize;
    let mut active: Vec<(i32, u32)> = Vec::new();
    let mut orders: Vec<(i32, u32, u64)> = Vec::new();
    let mut revenue: Vec<Vec<f64>> = vec![Vec::new(); span];
    for (i, &m) in months.iter().enumerate() {
        if let Some(a) = tx.amount[i] {
            revenue[(m - first) as usize].push(a);
        }
        if is_purchase(tx.amount[i]) {
            active.push((m, tx.customer[i]));
            let owner = if tx.order[i].is_some() {
                u32::MAX
            } else {
                tx.customer[i]
            };
            orders.push((m, owner, order_key(tx.order[i], tx.day[i])));
        }
    }
    active.sort_unstable();
    active.dedup();
    orders.sort_unstable();
    orders.dedup();
    let count_by_month = |months: &mut dyn Iterator<Item = i32>| {
        let mut counts = vec![0u64; span];
        for m in months {
            counts[(m - first) as usize] += 1;
        }
        counts
    };
    let active_counts = count_by_month(&mut active.iter().map(|a| a.0));
    let order_counts = count_by_month(&mut orders.iter().map(|o| o.0));
    (0..span)
        .map(|k| {
            let m = first + k as i32;
            MonthlyActivity {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                active_customers: active_counts[k],
                orders: order_counts[k],
                revenue: exact_sum(revenue[k].iter().copied()),
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
