//! Where each period's active customers come from (docs/METRICS.md): new
//! (first purchase), retained (active in the previous period too),
//! resurrected (back after a gap), and lost (active in the previous period,
//! not in this one).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::retention::Period;
use crate::dataset::{CustomerIndex, Transactions};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecyclePeriod {
    pub period: String,
    /// Customers with a purchase in the period: new + retained + resurrected.
    pub active: u64,
    pub new: u64,
    pub retained: u64,
    pub resurrected: u64,
    pub lost: u64,
}

impl LifecyclePeriod {
    /// Growth of the active base: new + resurrected - lost.
    pub fn net_growth(&self) -> i64 {
        (self.new + self.resurrected) as i64 - self.lost as i64
    }
}

pub fn lifecycle(tx: &Transactions, period: Period) -> Vec<LifecyclePeriod> {
    lifecycle_with(&CustomerIndex::build(tx), period)
}

/// [`lifecycle`] from the customer index of the transactions.
pub(crate) fn lifecycle_with(index: &CustomerIndex, period: Period) -> Vec<LifecyclePeriod> {
    let index_of = |d: i32| {
        index.period_of(period, d).unwrap_or_else(|| {
            NaiveDate::from_num_days_from_ce_opt(d).map_or(0, |date| period.index(date))
        })
    };
    // Each customer's distinct active periods, ascending (purchase days are).
    let customers = index.customers();
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    for c in 0..customers {
        let days = index.days(c);
        if let (Some(&a), Some(&b)) = (days.first(), days.last()) {
            first = first.min(index_of(a));
            last = last.max(index_of(b));
        }
    }
    if first == i32::MAX {
        return Vec::new();
    }
    let mut rows: Vec<LifecyclePeriod> = (first..=last)
        .map(|p| LifecyclePeriod {
            period: period.label(p),
            active: 0,
            new: 0,
            retained: 0,
            resurrected: 0,
            lost: 0,
        })
        .collect();
    let at = |p: i32| (p - first) as usize;
    for c in 0..customers {
        let mut previous: Option<i32> = None;
        for &d in index.days(c) {
            let p = index_of(d);
            if previous == Some(p) {
                continue;
            }
            let row = &mut rows[at(p)];
            row.active += 1;
            match previous {
                None => row.new += 1,
                Some(q) if q == p - 1 => row.retained += 1,
                Some(q) => {
                    row.resurrected += 1;
                    rows[at(q + 1)].lost += 1;
                }
            }
            previous = Some(p);
        }
        if let Some(q) = previous.filter(|&q| q < last) {
            rows[at(q + 1)].lost += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_lifecycle() {
        // Customer 0: Jan, Feb, Apr. Customer 1: Feb. Customer 2: Mar, Apr.
        let mut t = Transactions::default();
        for (c, d) in [
            (0, "2024-01-05"),
            (0, "2024-02-05"),
            (0, "2024-04-05"),
            (1, "2024-02-10"),
            (2, "2024-03-01"),
            (2, "2024-04-30"),
        ] {
            t.push(c, d.parse().unwrap(), Some(1.0), None);
        }
        let rows = lifecycle(&t, Period::Month);
        let view: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.period.as_str(),
                    r.active,
                    r.new,
                    r.retained,
                    r.resurrected,
                    r.lost,
                )
            })
            .collect();
        assert_eq!(
            view,
            vec![
                ("2024-01", 1, 1, 0, 0, 0),
                ("2024-02", 2, 1, 1, 0, 0),
                // Customers 0 and 1 were active in Feb, not in Mar.
                ("2024-03", 1, 1, 0, 0, 2),
                // 0 is back after a gap, 2 stays.
                ("2024-04", 2, 0, 1, 1, 0),
            ]
        );
        assert_eq!(rows[2].net_growth(), -1);
    }
}
