//! How customers buy: orders per customer, days between purchases, the time
//! to the second purchase, and the month-of-year seasonality index.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::Transactions;

/// One bar of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub label: String,
    pub count: u64,
}

/// A distribution of days with its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaysDistribution {
    pub count: u64,
    pub median: f64,
    pub p90: f64,
    pub mean: f64,
    pub buckets: Vec<Bucket>,
}

/// Month-of-year index: the month's average over the years observed divided
/// by the average of all twelve (1.0 = an ordinary month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalMonth {
    /// 1 = January.
    pub month: u32,
    /// Complete months of this calendar month in the data.
    pub years: u32,
    pub orders_index: Option<f64>,
    pub revenue_index: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchasePatterns {
    /// Customers by number of distinct orders: "1" .. "10", "11+".
    pub orders_per_customer: Vec<Bucket>,
    /// Days between one order and the customer's next (same-day orders are
    /// one purchase day).
    pub days_between_purchases: Option<DaysDistribution>,
    /// Days from the first purchase to the second, for customers with one.
    pub time_to_second_purchase: Option<DaysDistribution>,
    /// Share of customers who bought a second time within 30, 90, 180 and
    /// 365 days, among those whose first purchase is that long before the
    /// data's end: `(days, share, customers observable)`.
    pub second_purchase_within: Vec<(u32, f64, u64)>,
    /// Twelve months when the data covers every calendar month at least
    /// once in complete months; empty otherwise.
    pub seasonality: Vec<SeasonalMonth>,
}

/// Quantile by linear interpolation between order statistics (numpy's
/// default, Hyndman-Fan type 7) of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

const DAY_BUCKETS: [(u32, &str); 8] = [
    (7, "0-7"),
    (14, "8-14"),
    (30, "15-30"),
    (60, "31-60"),
    (90, "61-90"),
    (180, "91-180"),
    (365, "181-365"),
    (u32::MAX, "366+"),
];

fn days_distribution(mut days: Vec<f64>) -> Option<DaysDistribution> {
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let mut buckets: Vec<Bucket> = DAY_BUCKETS
        .iter()
        .map(|(_, label)| Bucket {
            label: (*label).into(),
            count: 0,
        })
        .collect();
    for &d in &days {
        let i = DAY_BUCKETS
            .iter()
            .position(|(upper, _)| d <= *upper as f64)
            .unwrap_or(DAY_BUCKETS.len() - 1);
        buckets[i].count += 1;
    }
    Some(DaysDistribution {
        count: days.len() as u64,
        median: quantile(&days, 0.5)?,
        p90: quantile(&days, 0.9)?,
        mean: days.iter().sum::<f64>() / days.len() as f64,
        buckets,
    })
}

pub fn purchase_patterns(tx: &Transactions) -> PurchasePatterns {
    // (customer, day, order key) of purchases, sorted: one pass per customer.
    let mut rows: Vec<(u32, i32, u64)> = (0..tx.len())
        .filter(|&i| tx.amount[i].is_none_or(|a| a >= 0.0))
        .map(|i| {
            let key = match tx.order[i] {
                Some(o) => (1 << 32) | u64::from(o),
                None => tx.day[i] as u32 as u64,
            };
            (tx.customer[i], tx.day[i], key)
        })
        .collect();
    rows.sort_unstable();
    // The data's end: its last row of any kind (returns too).
    let last_day = tx.day.iter().copied().max();
    let mut per_customer_orders: Vec<u64> = Vec::new();
    let mut gaps = Vec::new();
    let mut to_second = Vec::new();
    let windows = [30u32, 90, 180, 365];
    let mut within = [(0u64, 0u64); 4];
    let mut start = 0;
    while start < rows.len() {
        let customer = rows[start].0;
        let end = start + rows[start..].partition_point(|r| r.0 == customer);
        let mut keys: Vec<u64> = rows[start..end].iter().map(|r| r.2).collect();
        keys.sort_unstable();
        keys.dedup();
        per_customer_orders.push(keys.len() as u64);
        let mut days: Vec<i32> = rows[start..end].iter().map(|r| r.1).collect();
        days.dedup();
        gaps.extend(days.windows(2).map(|w| f64::from(w[1] - w[0])));
        if let Some(second) = days.get(1) {
            to_second.push(f64::from(second - days[0]));
        }
        if let Some(last) = last_day {
            for (slot, window) in within.iter_mut().zip(windows) {
                if days[0] + window as i32 <= last {
                    slot.0 += 1;
                    slot.1 += u64::from(days.get(1).is_some_and(|d| d - days[0] <= window as i32));
                }
            }
        }
        start = end;
    }
    let mut orders_per_customer: Vec<Bucket> = (1..=11)
        .map(|k| Bucket {
            label: if k == 11 { "11+".into() } else { k.to_string() },
            count: 0,
        })
        .collect();
    for n in per_customer_orders {
        orders_per_customer[(n.clamp(1, 11) - 1) as usize].count += 1;
    }
    PurchasePatterns {
        orders_per_customer,
        days_between_purchases: days_distribution(gaps),
        time_to_second_purchase: days_distribution(to_second),
        second_purchase_within: windows
            .iter()
            .zip(within)
            .filter(|(_, (n, _))| *n > 0)
            .map(|(&w, (n, k))| (w, k as f64 / n as f64, n))
            .collect(),
        seasonality: seasonality(tx),
    }
}

/// Orders and revenue per complete calendar month, averaged per month of
/// the year, over the average of the twelve.
fn seasonality(tx: &Transactions) -> Vec<SeasonalMonth> {
    let (Some(&first), Some(&last)) = (tx.day.iter().min(), tx.day.iter().max()) else {
        return Vec::new();
    };
    let (Some(first), Some(last)) = (
        NaiveDate::from_num_days_from_ce_opt(first),
        NaiveDate::from_num_days_from_ce_opt(last),
    ) else {
        return Vec::new();
    };
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    // Months cut by the data's first or last day are not complete.
    let first_full = month_index(first) + i32::from(first.day() != 1);
    let last_full =
        month_index(last) - i32::from(last.succ_opt().is_some_and(|n| n.month() == last.month()));
    if last_full - first_full + 1 < 12 {
        return Vec::new();
    }
    let span = (last_full - first_full + 1) as usize;
    let mut orders = vec![0u64; span];
    let mut revenue = vec![0f64; span];
    let mut seen = std::collections::HashSet::new();
    for i in 0..tx.len() {
        let Some(date) = NaiveDate::from_num_days_from_ce_opt(tx.day[i]) else {
            continue;
        };
        let m = month_index(date);
        if m < first_full || m > last_full {
            continue;
        }
        let slot = (m - first_full) as usize;
        revenue[slot] += tx.amount[i].unwrap_or(0.0);
        if tx.amount[i].is_none_or(|a| a >= 0.0) {
            let key = match tx.order[i] {
                Some(o) => (1u64 << 63) | u64::from(o),
                None => (u64::from(tx.customer[i]) << 32) | tx.day[i] as u32 as u64,
            };
            orders[slot] += u64::from(seen.insert(key));
        }
    }
    let has_amounts = tx.amount.iter().any(Option::is_some);
    let mut per_month = [(0u32, 0f64, 0f64); 12];
    for slot in 0..span {
        let m = ((first_full + slot as i32) % 12) as usize;
        per_month[m].0 += 1;
        per_month[m].1 += orders[slot] as f64;
        per_month[m].2 += revenue[slot];
    }
    let mean = |f: fn(&(u32, f64, f64)) -> f64| {
        per_month
            .iter()
            .map(|m| f(m) / f64::from(m.0))
            .collect::<Vec<f64>>()
    };
    let order_means = mean(|m| m.1);
    let revenue_means = mean(|m| m.2);
    let overall = |v: &[f64]| v.iter().sum::<f64>() / 12.0;
    let (order_avg, revenue_avg) = (overall(&order_means), overall(&revenue_means));
    (0..12)
        .map(|m| SeasonalMonth {
            month: m as u32 + 1,
            years: per_month[m].0,
            orders_index: (order_avg > 0.0).then(|| order_means[m] / order_avg),
            revenue_index: (has_amounts && revenue_avg > 0.0)
                .then(|| revenue_means[m] / revenue_avg),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(rows: &[(u32, &str, f64)]) -> Transactions {
        let mut t = Transactions::default();
        for &(c, d, a) in rows {
            t.push(c, d.parse().unwrap(), Some(a), None);
        }
        t
    }

    #[test]
    fn quantiles_match_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [50, 90]) -> [3.0, 7.6]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert!((quantile(&v, 0.9).unwrap() - 7.6).abs() < 1e-12);
    }

    #[test]
    fn gaps_and_second_purchase_by_hand() {
        // Customer 0: 1 Jan, 1 Jan (same day), 11 Jan, 31 Jan -> gaps 10, 20;
        // second purchase after 10 days. Customer 1: one purchase on 1 Mar.
        // A return (negative) is not a purchase.
        let t = tx(&[
            (0, "2024-01-01", 5.0),
            (0, "2024-01-01", 5.0),
            (0, "2024-01-11", 5.0),
            (0, "2024-01-31", 5.0),
            (1, "2024-03-01", 5.0),
            (1, "2024-03-05", -5.0),
        ]);
        let p = purchase_patterns(&t);
        assert_eq!(p.orders_per_customer[0].count, 1, "customer 1: one order");
        assert_eq!(
            p.orders_per_customer[2].count, 1,
            "customer 0: three purchase days"
        );
        let gaps = p.days_between_purchases.unwrap();
        assert_eq!((gaps.count, gaps.median, gaps.mean), (2, 15.0, 15.0));
        let second = p.time_to_second_purchase.unwrap();
        assert_eq!((second.count, second.median), (1, 10.0));
        // The data ends 5 Mar: customer 0 (1 Jan) is observable for 30 days
        // (31 Jan <= 5 Mar) and bought within them; customer 1 is not yet.
        assert_eq!(p.second_purchase_within, vec![(30, 1.0, 1)]);
    }

    #[test]
    fn seasonality_needs_twelve_complete_months_and_averages_to_one() {
        // One order on the 1st of each month of 2023 plus an extra one in
        // December, and the data runs to 31 Dec: December index = 2 / (13/12).
        let mut rows: Vec<(u32, String, f64)> = (1..=12)
            .map(|m| (m, format!("2023-{m:02}-01"), 10.0))
            .collect();
        rows.push((99, "2023-12-31".into(), 10.0));
        let borrowed: Vec<(u32, &str, f64)> =
            rows.iter().map(|(c, d, a)| (*c, d.as_str(), *a)).collect();
        let s = purchase_patterns(&tx(&borrowed)).seasonality;
        assert_eq!(s.len(), 12);
        assert!((s[11].orders_index.unwrap() - 2.0 * 12.0 / 13.0).abs() < 1e-12);
        assert!((s[0].orders_index.unwrap() - 12.0 / 13.0).abs() < 1e-12);
        let mean: f64 = s.iter().map(|m| m.orders_index.unwrap()).sum::<f64>() / 12.0;
        assert!((mean - 1.0).abs() < 1e-12);
        // Eleven months of data: no index.
        assert!(purchase_patterns(&tx(&borrowed[..11]))
            .seasonality
            .is_empty());
    }
}
