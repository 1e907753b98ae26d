//! How customers buy: orders per customer, days between purchases, the time
//! to the second purchase, and the month-of-year seasonality index.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::{CustomerIndex, Transactions};

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

/// Whole days counted by value: the distributions' figures without a list
/// of every value (a gap per purchase took 8 bytes each, 6 MB at 1M rows,
/// and a sort).
#[derive(Debug, Default)]
struct DayCounts {
    /// `dense[d]`: how many values equal d, for d below [`DENSE_DAYS`].
    dense: Vec<u64>,
    /// Longer ones (dates 180 years apart): few, kept apart.
    sparse: std::collections::BTreeMap<u32, u64>,
    count: u64,
}

const DENSE_DAYS: u32 = 1 << 16;

impl DayCounts {
    fn add(&mut self, days: u32) {
        self.count += 1;
        if days < DENSE_DAYS {
            let i = days as usize;
            if i >= self.dense.len() {
                self.dense.resize(i + 1, 0);
            }
            self.dense[i] += 1;
        } else {
            *self.sparse.entry(days).or_default() += 1;
        }
    }

    /// (value, how many), ascending.
    fn runs(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        let dense = self.dense.iter().enumerate();
        dense
            .filter(|(_, &n)| n > 0)
            .map(|(d, &n)| (d as u32, n))
            .chain(self.sparse.iter().map(|(&d, &n)| (d, n)))
    }

    /// The `k`-th smallest value (from 0), what `sorted[k]` would be.
    fn nth(&self, k: u64) -> Option<f64> {
        let mut below = 0;
        self.runs().find_map(|(d, n)| {
            below += n;
            (k < below).then_some(f64::from(d))
        })
    }

    /// [`quantile`] of the values, sorted.
    fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count;
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let (lo, hi) = (self.nth(h.floor() as u64)?, self.nth(h.ceil() as u64)?);
        Some(lo + (h - h.floor()) * (hi - lo))
    }
}

fn days_distribution(days: &DayCounts) -> Option<DaysDistribution> {
    if days.count == 0 {
        return None;
    }
    let mut buckets: Vec<Bucket> = DAY_BUCKETS
        .iter()
        .map(|(_, label)| Bucket {
            label: (*label).into(),
            count: 0,
        })
        .collect();
    let mut total = 0u128;
    for (d, n) in days.runs() {
        // The first bucket whose upper bound is not below the value (the
        // last one's is u32::MAX).
        let i = DAY_BUCKETS
            .iter()
            .position(|(upper, _)| d <= *upper)
            .unwrap_or(DAY_BUCKETS.len() - 1);
        buckets[i].count += n;
        total += u128::from(d) * u128::from(n);
    }
    Some(DaysDistribution {
        count: days.count,
        median: days.quantile(0.5)?,
        p90: days.quantile(0.9)?,
        // Whole days: the sum is exact (as the sum of the sorted values
        // in f64 was, below 2^53).
        mean: total as f64 / days.count as f64,
        buckets,
    })
}

pub fn purchase_patterns(tx: &Transactions) -> PurchasePatterns {
    purchase_patterns_with(tx, &CustomerIndex::build(tx))
}

/// [`purchase_patterns`] from the customer index of `tx`.
pub(crate) fn purchase_patterns_with(tx: &Transactions, index: &CustomerIndex) -> PurchasePatterns {
    // The data's end: its last row of any kind (returns too).
    let last_day = index.day_range().map(|(_, last)| last);
    let mut orders_per_customer: Vec<Bucket> = (1..=11)
        .map(|k| Bucket {
            label: if k == 11 { "11+".into() } else { k.to_string() },
            count: 0,
        })
        .collect();
    let mut gaps = DayCounts::default();
    let mut to_second = DayCounts::default();
    let windows = [30u32, 90, 180, 365];
    let mut within = [(0u64, 0u64); 4];
    for c in 0..index.customers() {
        let days = index.days(c);
        if days.is_empty() {
            continue;
        }
        orders_per_customer[(index.orders(c).clamp(1, 11) - 1) as usize].count += 1;
        // Distinct days, ascending: every gap is a whole number of days, > 0.
        for w in days.windows(2) {
            gaps.add(w[1].abs_diff(w[0]));
        }
        if let Some(second) = days.get(1) {
            to_second.add(second.abs_diff(days[0]));
        }
        if let Some(last) = last_day {
            for (slot, window) in within.iter_mut().zip(windows) {
                if days[0] + window as i32 <= last {
                    slot.0 += 1;
                    slot.1 += u64::from(days.get(1).is_some_and(|d| d - days[0] <= window as i32));
                }
            }
        }
    }
    PurchasePatterns {
        orders_per_customer,
        days_between_purchases: days_distribution(&gaps),
        time_to_second_purchase: days_distribution(&to_second),
        second_purchase_within: windows
            .iter()
            .zip(within)
            .filter(|(_, (n, _))| *n > 0)
            .map(|(&w, (n, k))| (w, k as f64 / n as f64, n))
            .collect(),
        seasonality: seasonality(tx, index),
    }
}

/// Orders and revenue per complete calendar month, averaged per month of
/// the year, over the average of the twelve.
fn seasonality(tx: &Transactions, index: &CustomerIndex) -> Vec<SeasonalMonth> {
    let Some((first, last)) = index.day_range() else {
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
    // The complete month of a day number, as a slot.
    let slot_of = |day: i32| {
        let m = index.month_of(day)?;
        (first_full..=last_full)
            .contains(&m)
            .then(|| (m - first_full) as usize)
    };
    let mut orders = vec![0u64; span];
    let mut revenue = vec![0f64; span];
    // An order id counts once, in the month of its first purchase line in
    // load order; a purchase day without an order id once per customer.
    let ids = if index.no_order_ids() {
        0
    } else {
        tx.order
            .iter()
            .flatten()
            .max()
            .map_or(0, |o| o as usize + 1)
    };
    let mut seen = vec![false; ids];
    for i in 0..tx.len() {
        let Some(slot) = slot_of(tx.day[i]) else {
            continue;
        };
        revenue[slot] += tx.amount.at(i).unwrap_or(0.0);
        if let (Some(o), true) = (tx.order.at(i), tx.amount.at(i).is_none_or(|a| a >= 0.0)) {
            orders[slot] += u64::from(!std::mem::replace(&mut seen[o as usize], true));
        }
    }
    for c in 0..index.customers() {
        for &day in index.plain_days(c) {
            if let Some(slot) = slot_of(day) {
                orders[slot] += 1;
            }
        }
    }
    let has_amounts = tx.amount.any();
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

    proptest::proptest! {
        /// Counted, the distribution is what the sorted list of the values
        /// gives: numpy's linear quantiles on it, its mean, and each
        /// value in the first bucket whose bound it does not pass.
        #[test]
        fn counted_days_match_the_sorted_list(
            values in proptest::collection::vec(
                proptest::prop_oneof![0u32..400, 65_530u32..65_540, 0u32..=u32::MAX],
                1..300,
            )
        ) {
            let mut counts = DayCounts::default();
            for &v in &values {
                counts.add(v);
            }
            let d = days_distribution(&counts).unwrap();
            let mut sorted: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
            sorted.sort_by(f64::total_cmp);
            proptest::prop_assert_eq!(d.count, values.len() as u64);
            proptest::prop_assert_eq!(Some(d.median), quantile(&sorted, 0.5));
            proptest::prop_assert_eq!(Some(d.p90), quantile(&sorted, 0.9));
            proptest::prop_assert_eq!(d.mean, sorted.iter().sum::<f64>() / sorted.len() as f64);
            let mut expected = [0u64; DAY_BUCKETS.len()];
            for &v in &values {
                expected[DAY_BUCKETS.iter().position(|(upper, _)| v <= *upper).unwrap()] += 1;
            }
            let got: Vec<u64> = d.buckets.iter().map(|b| b.count).collect();
            proptest::prop_assert_eq!(got, expected.to_vec());
        }
    }

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
