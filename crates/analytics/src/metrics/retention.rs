//! Cohort retention (docs/METRICS.md): a cohort is the customers whose
//! first purchase falls in a period; cell (c, k) is the share of cohort c
//! active in period c + k ("on"), active then or later ("on or after"), and
//! the cohort's revenue then relative to its first period. Cells not yet
//! observable are empty, never 0.

use serde::{Deserialize, Serialize};

pub use crate::calendar::Period;
use crate::dataset::{CustomerIndex, Transactions};

/// One cohort's row of the triangle; index k is k periods after the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// The first-purchase period, as a label.
    pub cohort: String,
    pub size: u64,
    /// Customers of the cohort active in period c + k.
    pub active: Vec<u64>,
    pub on: Vec<f64>,
    pub on_or_after: Vec<f64>,
    /// Cohort revenue in c + k over its revenue in c; empty when the first
    /// period's revenue is not positive (no amounts, or only returns).
    pub revenue: Vec<f64>,
}

/// The cohort triangle and its size-weighted average curves. Row c has one
/// cell per observable offset, so later cohorts have shorter rows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CohortMatrix {
    pub period: Period,
    pub cohorts: Vec<CohortRow>,
    /// Sum of active / sum of sizes over the cohorts that reached offset k.
    pub average_on: Vec<f64>,
    pub average_on_or_after: Vec<f64>,
}

pub fn cohort_matrix(tx: &Transactions, period: Period) -> CohortMatrix {
    cohort_matrix_with(tx, &CustomerIndex::build(tx), period)
}

/// Per cohort (by offset from `start`): sizes, active counts per offset,
/// and customers whose last purchase is k periods after the first.
pub(crate) struct CohortCounts {
    pub start: i32,
    pub span: usize,
    pub size: Vec<u64>,
    pub active: Vec<Vec<u64>>,
    pub last_offset: Vec<Vec<u64>>,
    /// First purchase period of each customer, `i32::MAX` for none.
    pub first: Vec<i32>,
}

impl CohortCounts {
    /// The counts over the customers for whom `member` holds; `None` when
    /// none of them bought anything.
    pub fn of(
        index: &CustomerIndex,
        period: Period,
        member: impl Fn(usize) -> bool,
    ) -> Option<CohortCounts> {
        let period_of = |d: i32| index.period_of(period, d).unwrap_or(0);
        let customers = index.customers();
        let mut first = vec![i32::MAX; customers];
        let mut last = vec![i32::MIN; customers];
        // Cells are observable up to the last date in the data, a return included.
        let mut latest = i32::MIN;
        let mut start = i32::MAX;
        for c in (0..customers).filter(|&c| member(c)) {
            if let Some(d) = index.last_day_any(c) {
                latest = latest.max(period_of(d));
            }
            let days = index.days(c);
            if let (Some(&a), Some(&b)) = (days.first(), days.last()) {
                first[c] = period_of(a);
                last[c] = period_of(b);
                start = start.min(first[c]);
            }
        }
        if start == i32::MAX {
            return None;
        }
        let span = (latest - start + 1) as usize;
        let mut size = vec![0u64; span];
        let mut last_offset = vec![vec![0u64; span]; span];
        let mut active = vec![vec![0u64; span]; span];
        for c in (0..customers).filter(|&c| first[c] != i32::MAX) {
            let f = first[c];
            let cohort = (f - start) as usize;
            size[cohort] += 1;
            last_offset[cohort][(last[c] - f) as usize] += 1;
            let row = &mut active[cohort];
            let mut previous = i32::MIN;
            for &d in index.days(c) {
                let p = period_of(d);
                if p != previous {
                    row[(p - f) as usize] += 1;
                    previous = p;
                }
            }
        }
        Some(CohortCounts {
            start,
            span,
            size,
            active,
            last_offset,
            first,
        })
    }
}

/// [`cohort_matrix`] from the customer index of `tx`.
pub(crate) fn cohort_matrix_with(
    tx: &Transactions,
    index: &CustomerIndex,
    period: Period,
) -> CohortMatrix {
    let Some(counts) = CohortCounts::of(index, period, |_| true) else {
        return CohortMatrix {
            period,
            ..CohortMatrix::default()
        };
    };
    // Revenue per cell, summed in load order.
    let (start, span) = (counts.start, counts.span);
    let mut revenue = vec![vec![0.0f64; span]; span];
    let mut has_amount = false;
    for i in 0..tx.len() {
        let f = counts.first[tx.customer[i] as usize];
        if let (Some(a), true) = (tx.amount.at(i), f != i32::MAX) {
            let p = index.period_of(period, tx.day[i]).unwrap_or(0);
            if p >= f {
                revenue[(f - start) as usize][(p - f) as usize] += a;
                has_amount = true;
            }
        }
    }
    matrix_of(period, &counts, Some(&revenue), has_amount)
}

/// The triangle and its averages from the counts (and revenue per cell).
pub(crate) fn matrix_of(
    period: Period,
    counts: &CohortCounts,
    revenue: Option<&[Vec<f64>]>,
    has_amount: bool,
) -> CohortMatrix {
    let CohortCounts {
        start,
        span,
        size,
        active,
        last_offset,
        ..
    } = counts;
    let (start, span) = (*start, *span);
    let mut rows = Vec::new();
    let mut reached_active = vec![0u64; span];
    let mut reached_after = vec![0u64; span];
    let mut reached_size = vec![0u64; span];
    for cohort in 0..span {
        if size[cohort] == 0 {
            continue;
        }
        let observable = span - cohort;
        let n = size[cohort] as f64;
        let mut still = size[cohort];
        let mut on_or_after = Vec::with_capacity(observable);
        for k in 0..observable {
            on_or_after.push(still as f64 / n);
            reached_after[k] += still;
            reached_active[k] += active[cohort][k];
            reached_size[k] += size[cohort];
            still -= last_offset[cohort][k];
        }
        let base = revenue.map_or(0.0, |r| r[cohort][0]);
        rows.push(CohortRow {
            cohort: period.label(start + cohort as i32),
            size: size[cohort],
            active: active[cohort][..observable].to_vec(),
            on: active[cohort][..observable]
                .iter()
                .map(|&a| a as f64 / n)
                .collect(),
            on_or_after,
            revenue: match revenue.filter(|_| has_amount && base > 0.0) {
                Some(revenue) => revenue[cohort][..observable]
                    .iter()
                    .map(|r| r / base)
                    .collect(),
                None => Vec::new(),
            },
        });
    }
    let average = |counts: &[u64]| -> Vec<f64> {
        counts
            .iter()
            .zip(&reached_size)
            .map(|(&a, &n)| a as f64 / n as f64)
            .collect()
    };
    CohortMatrix {
        period,
        average_on: average(&reached_active),
        average_on_or_after: average(&reached_after),
        cohorts: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn tx(rows: &[(u32, &str, f64)]) -> Transactions {
        let mut t = Transactions::default();
        for &(c, d, a) in rows {
            t.push(c, d.parse().unwrap(), Some(a), None);
        }
        t
    }

    #[test]
    fn hand_computed_triangle() {
        // Jan cohort: 0 (Jan, Mar), 1 (Jan, Feb), 2 (Jan only). Feb cohort: 3 (Feb, Mar).
        // Customer 4 only returned goods: in no cohort.
        let t = tx(&[
            (0, "2024-01-03", 10.0),
            (0, "2024-03-09", 5.0),
            (1, "2024-01-10", 20.0),
            (1, "2024-02-01", 4.0),
            (2, "2024-01-20", 30.0),
            (3, "2024-02-11", 8.0),
            (3, "2024-03-30", 8.0),
            (4, "2024-02-02", -3.0),
        ]);
        let m = cohort_matrix(&t, Period::Month);
        let jan = &m.cohorts[0];
        assert_eq!((jan.cohort.as_str(), jan.size), ("2024-01", 3));
        assert_eq!(jan.active, vec![3, 1, 1]);
        assert_eq!(jan.on, vec![1.0, 1.0 / 3.0, 1.0 / 3.0]);
        // Last purchase offsets: 0 -> 2, 1 -> 1, 2 -> 0: still around at k = 0, 1, 2: 3, 2, 1.
        assert_eq!(jan.on_or_after, vec![1.0, 2.0 / 3.0, 1.0 / 3.0]);
        // Revenue: Jan 60, Feb 4, Mar 5.
        assert_eq!(jan.revenue, vec![1.0, 4.0 / 60.0, 5.0 / 60.0]);
        let feb = &m.cohorts[1];
        assert_eq!(
            (feb.size, feb.active.clone(), feb.on_or_after.clone()),
            (1, vec![1, 1], vec![1.0, 1.0])
        );
        // Average at k = 1: (1 + 1) / (3 + 1); at k = 2 only January reached it: 1 / 3.
        assert_eq!(m.average_on, vec![1.0, 0.5, 1.0 / 3.0]);
    }

    #[test]
    fn periods_and_labels() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            Period::Month.label(Period::Month.index(d("2024-02-29"))),
            "2024-02"
        );
        assert_eq!(
            Period::Quarter.label(Period::Quarter.index(d("2024-08-01"))),
            "2024-Q3"
        );
        // 2024-01-01 is a Monday; 2024-01-07 the Sunday of the same ISO week.
        assert_eq!(
            Period::Week.index(d("2024-01-01")),
            Period::Week.index(d("2024-01-07"))
        );
        assert_eq!(
            Period::Week.index(d("2024-01-08")),
            Period::Week.index(d("2024-01-01")) + 1
        );
        assert_eq!(
            Period::Week.label(Period::Week.index(d("2024-01-05"))),
            "2024-01-01"
        );
    }

    #[test]
    fn a_late_return_extends_the_observed_months() {
        // Found by the property test: a return after the last purchase month
        // indexed past the triangle. The data reaches March, so January's
        // cohort has three observable cells.
        let m = cohort_matrix(
            &tx(&[(0, "2024-01-03", 10.0), (0, "2024-03-01", -4.0)]),
            Period::Month,
        );
        assert_eq!(m.cohorts[0].active, vec![1, 0, 0]);
        assert_eq!(m.cohorts[0].revenue, vec![1.0, 0.0, -0.4]);
    }

    #[test]
    fn no_purchases_no_cohorts() {
        let m = cohort_matrix(&tx(&[(0, "2024-01-01", -5.0)]), Period::Month);
        assert!(m.cohorts.is_empty() && m.average_on.is_empty());
    }
}
