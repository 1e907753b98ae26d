//! The customer base over time (DESIGN.md section 3): a customer is in the
//! base from their first purchase until `churn_window` days pass without one.
//! Per period: S in the base at its start, E at its end, N acquired during
//! it; retention (CRR) = (E - N) / S, churn = lost during it / S.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::retention::Period;
use crate::dataset::Transactions;

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
    /// Lapsed before the period, back during it: in E, not in S, not new.
    /// Why retention + churn can exceed 1.
    pub returned: u64,
    /// (E - N) / S; absent when S = 0. It can exceed 1 when lapsed customers
    /// come back during the period (they are in E but were not in S).
    pub retention_rate: Option<f64>,
    pub churn_rate: Option<f64>,
    /// The data covers the whole period.
    pub complete: bool,
}

/// Whether a customer with sorted purchase days `days` is in the base at the
/// end of day `t`: their last purchase on or before `t` is less than
/// `window` days old.
fn in_base(days: &[i32], t: i32, window: i32) -> bool {
    let upto = days.partition_point(|&d| d <= t);
    upto > 0 && t - days[upto - 1] < window
}

fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub fn period_retention(
    tx: &Transactions,
    period: Period,
    churn_window_days: u32,
) -> Vec<PeriodRetention> {
    let window = churn_window_days.max(1) as i32;
    let mut purchases: Vec<(u32, i32)> = (0..tx.len())
        .filter(|&i| tx.amount[i].is_none_or(|a| a >= 0.0))
        .map(|i| (tx.customer[i], tx.day[i]))
        .collect();
    purchases.sort_unstable();
    purchases.dedup();
    let (Some(first_day), Some(&last_day)) =
        (purchases.iter().map(|p| p.1).min(), tx.day.iter().max())
    else {
        return Vec::new();
    };
    let date = |d: i32| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default();
    let (first, last) = (period.index(date(first_day)), period.index(date(last_day)));
    let span = (last - first + 1) as usize;
    let bounds: Vec<(i32, i32)> = (first..=last)
        .map(|p| {
            (
                day_number(period.first_day(p)),
                day_number(period.last_day(p)),
            )
        })
        .collect();
    let (mut s, mut e, mut n) = (vec![0u64; span], vec![0u64; span], vec![0u64; span]);
    let (mut lost, mut returned) = (vec![0u64; span], vec![0u64; span]);
    for customer in purchases.chunk_by(|a, b| a.0 == b.0) {
        let days: Vec<i32> = customer.iter().map(|p| p.1).collect();
        let acquired = period.index(date(days[0])) - first;
        // Before the first purchase a customer is in no count.
        for k in acquired.max(0) as usize..span {
            let (start, end) = bounds[k];
            let at_start = in_base(&days, start - 1, window);
            let at_end = in_base(&days, end, window);
            s[k] += u64::from(at_start);
            e[k] += u64::from(at_end);
            let new = (start..=end).contains(&days[0]);
            n[k] += u64::from(new);
            lost[k] += u64::from(at_start && !at_end);
            returned[k] += u64::from(at_end && !at_start && !new);
        }
    }
    (0..span)
        .map(|k| {
            let rate = |x: f64| (s[k] > 0).then(|| x / s[k] as f64);
            PeriodRetention {
                period: period.label(first + k as i32),
                start_base: s[k],
                end_base: e[k],
                new: n[k],
                lost: lost[k],
                returned: returned[k],
                retention_rate: rate(e[k] as f64 - n[k] as f64),
                churn_rate: rate(lost[k] as f64),
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
        assert_eq!(r[1].retention_rate, Some(1.0)); // (E 1 - N 0) / S 1: customer 0 came back
        assert_eq!(r[1].churn_rate, Some(1.0));
        assert_eq!(r[2].retention_rate, Some(0.0));
        assert!(r.iter().all(|p| p.complete));
    }
}
