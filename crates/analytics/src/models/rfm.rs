//! RFM: recency, frequency and monetary quintile scores and the named
//! segments.
//!
//! Per customer with a purchase: recency = days from the last purchase to the
//! observation end, frequency = number of distinct purchase days, monetary =
//! net value (purchases minus returns).
//!
//! Scores 1-5 are quintiles of the customers' ranks (5 = most recent, most
//! frequent, most valuable): the customer at 0-based sorted position i of n
//! scores 1 + ⌊5·i/n⌋. Ties: customers with equal values always share a
//! score, the one of the lowest position of their block ("min" rank). So the
//! score does not depend on input order, and the lowest value always scores
//! 1: one-time buyers, usually far more than a fifth of all customers, get
//! F = 1, which the "new" and "promising" segments are defined by (a
//! mid-rank rule would give them 2 or 3 and leave those segments empty).
//!
//! Segments come from R and FM = ⌈(F + M)/2⌉ (F alone without amounts) on
//! this grid (rows R, columns FM):
//!
//! | R \ FM | 1              | 2                  | 3                  | 4         | 5         |
//! |--------|----------------|--------------------|--------------------|-----------|-----------|
//! | 5      | new            | potential loyalist | potential loyalist | champions | champions |
//! | 4      | promising      | potential loyalist | potential loyalist | loyal     | champions |
//! | 3      | about to sleep | need attention     | need attention     | loyal     | loyal     |
//! | 2      | hibernating    | hibernating        | at risk            | at risk   | can't lose|
//! | 1      | lost           | lost               | hibernating        | at risk   | can't lose|
//!
//! It is the widely used R×FM segment map (Putler's eleven segments) with
//! the overlaps of its range definitions resolved cell by cell.

use serde::{Deserialize, Serialize};

use super::summary::PurchaseHistories;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLose,
    Hibernating,
    Lost,
}

use RfmSegment::*;

/// GRID[5 − R][FM − 1].
const GRID: [[RfmSegment; 5]; 5] = [
    [
        New,
        PotentialLoyalist,
        PotentialLoyalist,
        Champions,
        Champions,
    ],
    [
        Promising,
        PotentialLoyalist,
        PotentialLoyalist,
        Loyal,
        Champions,
    ],
    [AboutToSleep, NeedAttention, NeedAttention, Loyal, Loyal],
    [Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
    [Lost, Lost, Hibernating, AtRisk, CantLose],
];

impl RfmSegment {
    pub const ALL: [RfmSegment; 11] = [
        Champions,
        Loyal,
        PotentialLoyalist,
        New,
        Promising,
        NeedAttention,
        AboutToSleep,
        AtRisk,
        CantLose,
        Hibernating,
        Lost,
    ];

    /// The segment of scores r and fm (each 1-5; out-of-range values are clamped).
    pub fn from_scores(r: u8, fm: u8) -> RfmSegment {
        let r = r.clamp(1, 5) as usize;
        let fm = fm.clamp(1, 5) as usize;
        GRID[5 - r][fm - 1]
    }

    /// Stable id (snake_case), as in JSON and CSV file names.
    pub fn id(self) -> &'static str {
        match self {
            Champions => "champions",
            Loyal => "loyal",
            PotentialLoyalist => "potential_loyalist",
            New => "new",
            Promising => "promising",
            NeedAttention => "need_attention",
            AboutToSleep => "about_to_sleep",
            AtRisk => "at_risk",
            CantLose => "cant_lose",
            Hibernating => "hibernating",
            Lost => "lost",
        }
    }

    pub fn from_id(id: &str) -> Option<RfmSegment> {
        RfmSegment::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Champions => "Champions",
            Loyal => "Loyal",
            PotentialLoyalist => "Potential loyalists",
            New => "New customers",
            Promising => "Promising",
            NeedAttention => "Need attention",
            AboutToSleep => "About to sleep",
            AtRisk => "At risk",
            CantLose => "Can't lose them",
            Hibernating => "Hibernating",
            Lost => "Lost",
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Champions => "Чемпионы",
            Loyal => "Лояльные",
            PotentialLoyalist => "Потенциально лояльные",
            New => "Новые",
            Promising => "Перспективные",
            NeedAttention => "Требуют внимания",
            AboutToSleep => "Засыпающие",
            AtRisk => "В зоне риска",
            CantLose => "Нельзя потерять",
            Hibernating => "Спящие",
            Lost => "Потерянные",
        }
    }

    /// The name in a language ("ru" or anything else for English).
    pub fn name(self, lang: &str) -> &'static str {
        if lang.eq_ignore_ascii_case("ru") {
            self.name_ru()
        } else {
            self.name_en()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmCustomer {
    pub customer: u32,
    pub recency_days: u32,
    pub frequency: u32,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub fm: u8,
    pub segment: RfmSegment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSize {
    pub segment: RfmSegment,
    pub customers: u64,
    pub revenue: f64,
    pub customer_share: f64,
    /// Share of the net revenue of all scored customers; `None` when that is
    /// not positive (nothing sensible to divide by) or there are no amounts.
    pub revenue_share: Option<f64>,
}

/// One cell of the R × FM grid, for the grid chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub r: u8,
    pub fm: u8,
    pub segment: RfmSegment,
    pub customers: u64,
    pub revenue: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmSummary {
    pub customers: u64,
    /// False when the data have no amounts: M is not scored and FM = F.
    pub has_monetary: bool,
    /// All eleven segments, in [`RfmSegment::ALL`] order, empty ones included.
    pub segments: Vec<SegmentSize>,
    /// 25 cells, R from 5 down to 1, FM from 1 to 5.
    pub grid: Vec<GridCell>,
}

/// Scores 1-5 by quintile of rank, ties sharing the score of their lowest rank.
/// `values[i]` larger = better.
///
/// A value's lowest rank is the number of values below it (by
/// `f64::total_cmp`), and its score is 1 + ⌊5 · below / n⌋: it scores above
/// k when at least ⌈k·n/5⌉ values are below it, that is when it is larger
/// than the ⌈k·n/5⌉-th smallest value. So four order statistics (found by
/// selection, in linear time) score every value, with no sort: at a million
/// customers the sort and a binary search per value took 110 ms natively.
pub fn quintile_scores(values: &[f64]) -> Vec<u8> {
    // total_cmp's key: flip the magnitude bits of negative numbers.
    let key = |v: f64| {
        let bits = v.to_bits() as i64;
        bits ^ (((bits >> 63) as u64) >> 1) as i64
    };
    let n = values.len();
    let mut keys: Vec<i64> = values.iter().map(|&v| key(v)).collect();
    // thresholds[k - 1]: the ⌈k·n/5⌉-th smallest key, k = 1..=4, found in
    // ascending order, each selection within what lies above the last.
    let mut thresholds = [i64::MAX; 4];
    let mut from = 0;
    for (k, threshold) in (1..=4).zip(thresholds.iter_mut()) {
        let rank = (k * n).div_ceil(5);
        if rank == 0 {
            // Only with no values at all.
            continue;
        }
        let at = rank - 1;
        let (_, nth, _) = keys[from..].select_nth_unstable(at - from);
        *threshold = *nth;
        from = at;
    }
    drop(keys);
    values
        .iter()
        .map(|&v| {
            let k = key(v);
            1 + thresholds.iter().filter(|&&t| t < k).count() as u8
        })
        .collect()
}

/// The score of a value with `below` of `n` values below it.
fn score_of(below: usize, n: usize) -> u8 {
    (1 + 5 * below / n).min(5) as u8
}

/// [`quintile_scores`] of whole numbers by counting: of `values` when
/// `larger_better`, else of their negations. `None` when the largest value is
/// too large for a table of counts.
fn quintile_scores_counted(values: &[u32], larger_better: bool) -> Option<Vec<u8>> {
    let max = values.iter().copied().max().unwrap_or(0) as usize;
    if max > 4 * values.len() + 1024 {
        return None;
    }
    // below[v]: values smaller than v.
    let mut below = vec![0usize; max + 2];
    for &v in values {
        below[v as usize + 1] += 1;
    }
    for v in 1..below.len() {
        below[v] += below[v - 1];
    }
    let n = values.len();
    Some(
        values
            .iter()
            .map(|&v| {
                let v = v as usize;
                let worse = if larger_better {
                    below[v]
                } else {
                    n - below[v + 1]
                };
                score_of(worse, n)
            })
            .collect(),
    )
}

/// One customer's RFM scores (1 to 5): what the CLV analysis keeps per
/// customer, 4 bytes where the [`RfmCustomer`] row takes 32; the values
/// behind the scores are read from the histories again when a row is
/// asked for ([`RfmScores::row`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmScores {
    pub r: u8,
    pub f: u8,
    pub m: u8,
    /// ⌈(F + M) / 2⌉, or F without amounts.
    pub fm: u8,
}

impl RfmScores {
    pub fn segment(self) -> RfmSegment {
        RfmSegment::from_scores(self.r, self.fm)
    }

    /// The row of the `i`-th customer of `h` with these scores, as of
    /// `as_of_day`.
    pub fn row(self, h: &PurchaseHistories, i: usize, as_of_day: i32) -> RfmCustomer {
        let (recency_days, frequency) = recency_and_frequency(h, i, as_of_day);
        RfmCustomer {
            customer: h.customers[i],
            recency_days,
            frequency,
            monetary: h.net_revenue[i],
            r: self.r,
            f: self.f,
            m: self.m,
            fm: self.fm,
            segment: self.segment(),
        }
    }
}

/// Days since the last purchase and purchase days of the `i`-th customer.
fn recency_and_frequency(h: &PurchaseHistories, i: usize, as_of_day: i32) -> (u32, u32) {
    let (days, _) = h.purchases(i);
    let last = days.last().copied().unwrap_or(as_of_day);
    ((as_of_day - last).max(0) as u32, days.len() as u32)
}

/// RFM scores of every customer with a purchase (order of `h.customers`),
/// as of `as_of_day` (the observation end).
pub fn rfm_scores(h: &PurchaseHistories, as_of_day: i32) -> Vec<RfmScores> {
    let n = h.len();
    let (recency, frequency): (Vec<u32>, Vec<u32>) = (0..n)
        .map(|i| recency_and_frequency(h, i, as_of_day))
        .unzip();
    // Larger is better: negate recency (counted where the days allow).
    let r = quintile_scores_counted(&recency, false).unwrap_or_else(|| {
        quintile_scores(&recency.iter().map(|&d| -f64::from(d)).collect::<Vec<_>>())
    });
    let f = quintile_scores_counted(&frequency, true).unwrap_or_else(|| {
        quintile_scores(&frequency.iter().map(|&c| f64::from(c)).collect::<Vec<_>>())
    });
    let m = if h.has_amounts {
        quintile_scores(&h.net_revenue)
    } else {
        f.clone()
    };
    (0..n)
        .map(|i| RfmScores {
            r: r[i],
            f: f[i],
            m: m[i],
            fm: if h.has_amounts {
                (f[i] + m[i]).div_ceil(2)
            } else {
                f[i]
            },
        })
        .collect()
}

/// Segment sizes and the grid of the scores of `h`'s customers.
pub fn rfm_summary(h: &PurchaseHistories, scores: &[RfmScores]) -> RfmSummary {
    let has_monetary = h.has_amounts;
    let n = scores.len() as u64;
    let total: f64 = h.net_revenue.iter().take(scores.len()).sum();
    let mut grid: Vec<GridCell> = (1..=5u8)
        .rev()
        .flat_map(|r| {
            (1..=5u8).map(move |fm| GridCell {
                r,
                fm,
                segment: RfmSegment::from_scores(r, fm),
                customers: 0,
                revenue: 0.0,
            })
        })
        .collect();
    for (c, &monetary) in scores.iter().zip(&h.net_revenue) {
        let cell = &mut grid[(5 - c.r.clamp(1, 5) as usize) * 5 + c.fm.clamp(1, 5) as usize - 1];
        cell.customers += 1;
        cell.revenue += monetary;
    }
    let segments = RfmSegment::ALL
        .iter()
        .map(|&segment| {
            let (count, revenue) = grid
                .iter()
                .filter(|g| g.segment == segment)
                .fold((0, 0.0), |(c, r), g| (c + g.customers, r + g.revenue));
            SegmentSize {
                segment,
                customers: count,
                revenue,
                customer_share: if n > 0 { count as f64 / n as f64 } else { 0.0 },
                revenue_share: (has_monetary && total > 0.0).then(|| revenue / total),
            }
        })
        .collect();
    RfmSummary {
        customers: n,
        has_monetary,
        segments,
        grid,
    }
}
