//! Retention and survival split by a segment column (region, channel,
//! plan...): the cohort curve of each segment, its retention at months 1,
//! 3, 6 and 12, and per-segment Kaplan-Meier curves with a log-rank test.

use serde::{Deserialize, Serialize};

use super::retention::{matrix_of, CohortCounts, CohortMatrix, Period};
use super::survival::{customer_survival, SurvivalCurve};
use crate::dataset::{CustomerIndex, CustomerRecord, Transactions};
use crate::ingest::RecordKind;
use crate::segments::{SegmentColumn, Segments, NO_SEGMENT};

/// Segments shown per column; the rest would crowd a chart.
pub const MAX_SEGMENTS: usize = 8;

/// One segment's retention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentCurve {
    pub label: String,
    pub customers: u64,
    /// Size-weighted average "on" retention by month since the first purchase.
    pub average_on: Vec<f64>,
    /// `average_on` at months 1, 3, 6 and 12, where observed.
    pub at_months: [Option<f64>; 4],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRetention {
    pub column: String,
    /// The largest segments by customers, largest first.
    pub segments: Vec<SegmentCurve>,
    /// Customers in segments not shown, and customers without a label.
    pub other_customers: u64,
    pub unlabelled_customers: u64,
}

/// Each customer's segment: the label of their earliest labelled row.
fn customer_labels(tx: &Transactions, column: &SegmentColumn, customers: usize) -> Vec<u16> {
    let mut label = vec![NO_SEGMENT; customers];
    let mut first_day = vec![i32::MAX; customers];
    for (i, &code) in column.rows.iter().enumerate().take(tx.len()) {
        if code == NO_SEGMENT {
            continue;
        }
        let c = tx.customer[i] as usize;
        if c < customers && tx.day[i] < first_day[c] {
            first_day[c] = tx.day[i];
            label[c] = code;
        }
    }
    label
}

/// The largest labels by count, at most [`MAX_SEGMENTS`].
fn largest(counts: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    order.truncate(MAX_SEGMENTS);
    order
}

pub fn segment_retention(
    tx: &Transactions,
    segments: &Segments,
    customers: usize,
) -> Vec<SegmentRetention> {
    if segments.of_kind(RecordKind::Transactions).next().is_none() {
        return Vec::new();
    }
    segment_retention_with(tx, &CustomerIndex::build(tx), segments, customers)
}

/// [`segment_retention`] from the customer index of `tx`.
pub(crate) fn segment_retention_with(
    tx: &Transactions,
    index: &CustomerIndex,
    segments: &Segments,
    customers: usize,
) -> Vec<SegmentRetention> {
    segments
        .of_kind(RecordKind::Transactions)
        .filter_map(|column| {
            let labels = customer_labels(tx, column, customers);
            let mut counts = vec![0u64; column.labels.len()];
            let mut unlabelled = 0u64;
            let mut seen = vec![false; customers];
            for &c in &tx.customer {
                let c = c as usize;
                if c >= customers || std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                match counts.get_mut(labels[c] as usize) {
                    Some(n) => *n += 1,
                    None => unlabelled += 1,
                }
            }
            let shown = largest(&counts);
            if shown.len() < 2 {
                return None;
            }
            let segments = shown
                .iter()
                .map(|&code| {
                    // The cohorts of the segment's customers alone.
                    let member = |c: usize| labels.get(c) == Some(&(code as u16));
                    let matrix = match CohortCounts::of(index, Period::Month, member) {
                        Some(counts) => matrix_of(Period::Month, &counts, None, false),
                        None => CohortMatrix::default(),
                    };
                    let at = |k: usize| matrix.average_on.get(k).copied();
                    SegmentCurve {
                        label: column.labels[code].clone(),
                        customers: counts[code],
                        at_months: [at(1), at(3), at(6), at(12)],
                        average_on: matrix.average_on,
                    }
                })
                .collect();
            let shown_total: u64 = shown.iter().map(|&c| counts[c]).sum();
            Some(SegmentRetention {
                column: column.name.clone(),
                segments,
                other_customers: counts.iter().sum::<u64>() - shown_total,
                unlabelled_customers: unlabelled,
            })
        })
        .collect()
}

/// Kaplan-Meier per segment of a customers file, with the log-rank test of
/// "all segments have the same survival".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSurvival {
    pub column: String,
    pub curves: Vec<(String, SurvivalCurve)>,
    pub log_rank: Option<LogRank>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    pub chi_square: f64,
    pub degrees_of_freedom: u32,
    pub p_value: f64,
}

pub fn segment_survival(
    records: &[CustomerRecord],
    segments: &Segments,
    observed_until: Option<chrono::NaiveDate>,
) -> Vec<SegmentSurvival> {
    segments
        .of_kind(RecordKind::Customers)
        .filter_map(|column| {
            let mut counts = vec![0u64; column.labels.len()];
            for &code in &column.rows {
                if let Some(n) = counts.get_mut(code as usize) {
                    *n += 1;
                }
            }
            let shown = largest(&counts);
            if shown.len() < 2 {
                return None;
            }
            let mut groups = Vec::new();
            let mut curves = Vec::new();
            for &code in &shown {
                let members: Vec<CustomerRecord> = records
                    .iter()
                    .zip(&column.rows)
                    .filter(|(_, &c)| c as usize == code)
                    .map(|(r, _)| r.clone())
                    .collect();
                let curve = customer_survival(&members, observed_until)?;
                groups.push(durations(&members, observed_until));
                curves.push((column.labels[code].clone(), curve));
            }
            Some(SegmentSurvival {
                column: column.name.clone(),
                log_rank: log_rank(&groups),
                curves,
            })
        })
        .collect()
}

/// (months, left) per record with a duration, as `customer_survival` reads them.
fn durations(
    records: &[CustomerRecord],
    observed_until: Option<chrono::NaiveDate>,
) -> Vec<(f64, bool)> {
    const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
    records
        .iter()
        .filter_map(|r| {
            let left = r.churned.unwrap_or(false);
            let months = r.tenure_months.or_else(|| {
                let end = r.end.or(observed_until.filter(|_| !left))?;
                Some((end - r.start?).num_days() as f64 / DAYS_PER_MONTH)
            })?;
            Some((months, left))
        })
        .collect()
}

/// The k-sample log-rank test: at every event time, observed minus expected
/// events per group under a common hazard, and their (hypergeometric)
/// covariance; chi-square = U' V^-1 U over the first k-1 groups.
pub fn log_rank(groups: &[Vec<(f64, bool)>]) -> Option<LogRank> {
    let k = groups.len();
    if k < 2 {
        return None;
    }
    let mut all: Vec<(f64, usize, bool)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, obs)| obs.iter().map(move |&(t, e)| (t, g, e)))
        .filter(|(t, _, _)| t.is_finite())
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut at_risk: Vec<f64> = (0..k)
        .map(|g| all.iter().filter(|x| x.1 == g).count() as f64)
        .collect();
    let m = k - 1;
    let mut u = vec![0.0; m];
    let mut v = vec![vec![0.0; m]; m];
    let mut i = 0;
    while i < all.len() {
        let t = all[i].0;
        let mut j = i;
        let mut deaths = vec![0.0; k];
        let mut leaving = vec![0.0; k];
        while j < all.len() && all[j].0 == t {
            leaving[all[j].1] += 1.0;
            if all[j].2 {
                deaths[all[j].1] += 1.0;
            }
            j += 1;
        }
        let n: f64 = at_risk.iter().sum();
        let d: f64 = deaths.iter().sum();
        if d > 0.0 && n > 1.0 {
            for a in 0..m {
                u[a] += deaths[a] - d * at_risk[a] / n;
                for b in 0..m {
                    let delta = if a == b { 1.0 } else { 0.0 };
                    v[a][b] +=
                        d * (n - d) / (n - 1.0) * (at_risk[a] / n) * (delta - at_risk[b] / n);
                }
            }
        }
        for g in 0..k {
            at_risk[g] -= leaving[g];
        }
        i = j;
    }
    let chi_square = quadratic_form_inverse(&v, &u)?;
    if !chi_square.is_finite() || chi_square < 0.0 {
        return None;
    }
    let df = m as f64;
    Some(LogRank {
        chi_square,
        degrees_of_freedom: m as u32,
        // Chi-square upper tail: Q(df/2, x/2), accurate far into the tail.
        p_value: statrs::function::gamma::checked_gamma_ur(df / 2.0, chi_square / 2.0).ok()?,
    })
}

/// u' V^-1 u by Gaussian elimination with partial pivoting; `None` when V
/// is singular (a group without events).
fn quadratic_form_inverse(v: &[Vec<f64>], u: &[f64]) -> Option<f64> {
    let m = u.len();
    let mut a: Vec<Vec<f64>> = v
        .iter()
        .zip(u)
        .map(|(row, &b)| {
            let mut r = row.clone();
            r.push(b);
            r
        })
        .collect();
    for col in 0..m {
        let pivot = (col..m).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in col + 1..m {
            let f = a[row][col] / a[col][col];
            let pivot_row = a[col].clone();
            for (cell, p) in a[row].iter_mut().zip(&pivot_row).skip(col) {
                *cell -= f * p;
            }
        }
    }
    let mut x = vec![0.0; m];
    for row in (0..m).rev() {
        let s: f64 = (row + 1..m).map(|c| a[row][c] * x[c]).sum();
        x[row] = (a[row][m] - s) / a[row][row];
    }
    Some(u.iter().zip(&x).map(|(a, b)| a * b).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_rank_two_groups_by_hand() {
        // Group A: events at 1, 2; group B: events at 3, 4 (no censoring).
        // t=1: n=4 (2,2), d=1: E_A = 0.5, V = 1*3/3 * 0.5 * 0.5 = 0.25
        // t=2: n=3 (1,2), d=1: E_A = 1/3, V = 1*2/2 * 1/3 * 2/3 = 2/9
        // t=3: n=2 (0,2), d=1: E_A = 0,   V = 0
        // O_A - E_A = 2 - 5/6 = 7/6; V = 0.25 + 2/9 = 17/36;
        // chi2 = (49/36) / (17/36) = 49/17 = 2.882353; p = 0.0896 (1 df).
        let r = log_rank(&[
            vec![(1.0, true), (2.0, true)],
            vec![(3.0, true), (4.0, true)],
        ])
        .unwrap();
        assert!((r.chi_square - 49.0 / 17.0).abs() < 1e-12);
        assert_eq!(r.degrees_of_freedom, 1);
        // One degree of freedom: sf(x) = erfc(sqrt(x / 2)) = 0.0895550744 (Python math.erfc).
        assert!((r.p_value - 0.089_555_074_4).abs() < 1e-8, "{}", r.p_value);
    }
}
