//! The customer base over time (docs/METRICS.md): a customer is in the
//! base from their first purchase until `churn_window` days pass without one.
//! Per period: S in the base at its start, E at its end, N acquired during
//! it, new customers and lapsed ones who came back alike; retention (CRR) =
//! (E - N) / S = retained / S, churn = lost during it / S, so CRR + churn = 1
//! and neither passes 100%.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::retention::Period;
use crate::dataset::{CustomerIndex, Transactions};

/// One period's movement of the base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodRetention {
    pub period: String,
    /// In the base at the end of the day before the period starts.
    pub start_base: u64,
    /// In the base at the end of the period's last day.
    pub end_base: u64,
    /// First purchase within the period.
    pub new: u64,
    /// In the base at the start, not at the end.
    pub lost: u64,
    /// Lapsed before the period (or during it), back during it: in E, not
    /// new, and not retained. Acquired again, as the new ones are.
    pub returned: u64,
    /// In the base at the start and all through the period to its end: S - lost.
    #[serde(default)]
    pub retained: u64,
    /// (E - N) / S with N = new + returned, that is retained / S; absent
    /// when S = 0. Never above 1; retention + churn = 1.
    pub retention_rate: Option<f64>,
    pub churn_rate: Option<f64>,
    /// The data covers the whole period.
    pub complete: bool,
}

fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub fn period_retention(
    tx: &Transactions,
    period: Period,
    churn_window_days: u32,
) -> Vec<PeriodRetention> {
    period_retention_with(&CustomerIndex::build(tx), period, churn_window_days)
}

/// [`period_retention`] from the customer index of the transactions.
///
/// A customer is in the base at the end of day `t` when their last purchase
/// on or before `t` is less than `window` days old: over the union of the
/// spans `[d, d + window - 1]` of their purchase days `d`. Periods follow one
/// another, so the end of period k is the day before period k + 1 starts:
/// with the points `P_j` = the day before period j starts (`P_span` = the
/// last period's end), "in the base at the start of k" is being in it at
/// `P_k` and "at its end" at `P_{k+1}`. Each span of a customer covers a
/// run of consecutive points; the counts per period follow from those runs
/// (difference arrays), without testing every customer in every period.
pub(crate) fn period_retention_with(
    index: &CustomerIndex,
    period: Period,
    churn_window_days: u32,
) -> Vec<PeriodRetention> {
    let window = i64::from(churn_window_days.max(1) as i32);
    let first_day = (0..index.customers())
        .filter_map(|c| index.days(c).first())
        .min()
        .copied();
    let (Some(first_day), Some((_, last_day))) = (first_day, index.day_range()) else {
        return Vec::new();
    };
    let date = |d: i32| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default();
    let period_of = |d: i32| {
        index
            .period_of(period, d)
            .unwrap_or_else(|| period.index(date(d)))
    };
    let (first, last) = (period_of(first_day), period_of(last_day));
    let span = (last - first + 1) as usize;
    let bounds: Vec<(i32, i32)> = (first..=last)
        .map(|p| {
            (
                day_number(period.first_day(p)),
                day_number(period.last_day(p)),
            )
        })
        .collect();
    // points[j] = the day before period j starts; points[span] = the last end.
    let points: Vec<i64> = bounds
        .iter()
        .map(|b| i64::from(b.0) - 1)
        .chain(bounds.last().map(|b| i64::from(b.1)))
        .collect();
    // Customers in the base at point j (difference array), in it at both j
    // and j + 1 (idem), and new in k while in the base at k's end.
    let mut cover = vec![0i64; span + 2];
    let mut both = vec![0i64; span + 2];
    let mut n = vec![0u64; span];
    let mut new_at_end = vec![0u64; span];
    for c in 0..index.customers() {
        let days = index.days(c);
        let Some(&first_purchase) = days.first() else {
            continue;
        };
        let acquired = (period_of(first_purchase) - first) as usize;
        n[acquired] += 1;
        // Runs of covered points [lo, hi], consecutive runs joined.
        let mut run: Option<(usize, usize)> = None;
        let mut i = 0;
        while i < days.len() {
            // A span of base membership: purchases less than `window` apart.
            let from = i64::from(days[i]);
            let mut to = from + window - 1;
            i += 1;
            while i < days.len() && i64::from(days[i]) <= to + 1 {
                to = i64::from(days[i]) + window - 1;
                i += 1;
            }
            // The points within [from, to]: points[j] < d exactly when
            // period first + j starts on or before d, so the count of points
            // before a day follows from its period, without a search.
            let points_before = |d: i64| {
                let p = period_of(d as i32);
                (p - first + 1).clamp(0, span as i32 + 1) as usize
            };
            let lo = points_before(from);
            let hi = if to >= points[span] {
                span + 1
            } else {
                points_before(to + 1)
            };
            if lo >= hi {
                continue;
            }
            let (lo, hi) = (lo, hi - 1);
            cover[lo] += 1;
            cover[hi + 1] -= 1;
            if (lo..=hi).contains(&(acquired + 1)) {
                new_at_end[acquired] += 1;
            }
            run = match run {
                Some((a, b)) if b + 1 == lo => Some((a, hi)),
                Some((a, b)) => {
                    both[a] += 1;
                    both[b] -= 1;
                    Some((lo, hi))
                }
                None => Some((lo, hi)),
            };
        }
        if let Some((a, b)) = run {
            both[a] += 1;
            both[b] -= 1;
        }
    }
    let running = |diff: &[i64]| -> Vec<u64> {
        let mut total = 0i64;
        diff.iter()
            .map(|d| {
                total += d;
                total as u64
            })
            .collect()
    };
    let (cover, both) = (running(&cover), running(&both));
    (0..span)
        .map(|k| {
            let (s, e) = (cover[k], cover[k + 1]);
            let lost = s - both[k];
            let returned = e - both[k] - new_at_end[k];
            let rate = |x: f64| (s > 0).then(|| x / s as f64);
            PeriodRetention {
                period: period.label(first + k as i32),
                start_base: s,
                end_base: e,
                new: n[k],
                lost,
                returned,
                retained: both[k],
                retention_rate: rate(both[k] as f64),
                churn_rate: rate(lost as f64),
                complete: bounds[k].1 <= last_day,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_base_with_a_30_day_window() {
        // Customer 0 buys 1 Jan and 20 Feb; customer 1 buys 15 Jan only;
        // customer 2 buys 10 Mar; data ends 31 Mar. Window 30 days: in the
        // base while the last purchase is < 30 days old.
        let mut t = Transactions::default();
        for (c, d) in [
            (0, "2024-01-01"),
            (0, "2024-02-20"),
            (1, "2024-01-15"),
            (2, "2024-03-10"),
            (2, "2024-03-31"),
        ] {
            t.push(c, d.parse().unwrap(), Some(1.0), None);
        }
        let r = period_retention(&t, Period::Month, 30);
        let view: Vec<_> = r
            .iter()
            .map(|p| (p.period.as_str(), p.start_base, p.end_base, p.new, p.lost))
            .collect();
        // Jan: S 0; at 31 Jan customer 0 (30 days since 1 Jan: out) no, customer 1 (16 days) yes -> E 1; N 2.
        // Feb: S 1 (customer 1); at 29 Feb customer 0 (9 days) in, customer 1 (45 days) out -> E 1, lost 1; N 0.
        // Mar: S 1 (customer 0); at 31 Mar customer 0 (40 days) out, customer 2 in -> E 1, lost 1, N 1.
        assert_eq!(
            view,
            vec![
                ("2024-01", 0, 1, 2, 0),
                ("2024-02", 1, 1, 0, 1),
                ("2024-03", 1, 1, 1, 1)
            ]
        );
        assert_eq!(r[0].retention_rate, None);
        // Feb: customer 0 came back (returned, acquired again): N = 0 new +
        // 1 returned, (E 1 - N 1) / S 1 = 0 retained of 1, beside churn 1.
        assert_eq!((r[1].returned, r[1].retained), (1, 0));
        assert_eq!(r[1].retention_rate, Some(0.0));
        assert_eq!(r[1].churn_rate, Some(1.0));
        assert_eq!(r[2].retention_rate, Some(0.0));
        assert!(r.iter().all(|p| p.complete));
    }
}
