//! Who to call first: each active customer's own risk of leaving and the
//! value that goes with it.
//!
//! - Risk: 1 − P(alive) where the BG/NBD model gives one (it weighs the
//!   customer's own purchases, recency and age); else the share who left
//!   among similar customers (same cell of the grouping).
//! - Similar customers: the grouping that best separates leavers from the
//!   rest (Cramér's V of left × group, groups under
//!   [`MIN_SEGMENT_CUSTOMERS`] pooled so that an id-like column cannot win),
//!   crossed with the second best where that cell is large enough; or the
//!   grouping the user chose. Their most frequent reason is the likely one.
//! - On the list: customers riskier than the average customer (capped at
//!   one in two), by value at risk = value × risk.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::metrics::churn_rules::ChurnCategory;
use crate::Dataset;

use super::at_stake::likely_category;
use super::book::ChurnBook;
use super::section::{CallEntry, CallGrouping, ChurnOptions, RiskBasis, SegmentRow};
use super::segments::{segment_stats, SegmentLabels};
use super::{share, CALL_LIST_LIMIT, MIN_SEGMENT_CUSTOMERS};

/// How far back the P(alive) trend looks.
pub const TREND_DAYS: u32 = 30;

/// Which grouping makes "similar customers": a customers-file column by
/// name, or the profile (tenure band, CSAT, had-a-problem flag).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupingKey {
    Profile,
    Column(String),
}

/// One candidate grouping with its labels.
pub(super) struct Grouping {
    pub(super) key: GroupingKey,
    pub(super) labels: SegmentLabels,
    pub(super) stats: Vec<SegmentRow>,
}

/// Cramér's V of (left, stayed) × group: 0 when the groups leave alike, 1
/// when the group alone tells who left. Groups under
/// [`MIN_SEGMENT_CUSTOMERS`] (and customers without a value) are pooled
/// into one, so many tiny groups cannot look like a separation.
pub(super) fn separation(book: &ChurnBook, labels: &SegmentLabels, stats: &[SegmentRow]) -> f64 {
    let total = book.entries.len() as u64;
    let churned = book.churned().count() as u64;
    let p = share(churned, total);
    if total == 0 || p <= 0.0 || p >= 1.0 {
        return 0.0;
    }
    let (mut big_n, mut big_c) = (0u64, 0u64);
    let mut sum = 0.0;
    for g in stats
        .iter()
        .filter(|g| g.customers >= MIN_SEGMENT_CUSTOMERS)
    {
        sum += g.customers as f64 * (g.churn_share - p).powi(2);
        big_n += g.customers;
        big_c += g.churned;
    }
    debug_assert!(labels.ids.len() as u64 == total);
    let (rest_n, rest_c) = (total - big_n, churned - big_c);
    if rest_n > 0 {
        sum += rest_n as f64 * (share(rest_c, rest_n) - p).powi(2);
    }
    // For a 2 × k table, V² = χ² / N = Σ n_g (p_g − p)² / (N p (1 − p)).
    (sum / (total as f64 * p * (1.0 - p)))
        .clamp(0.0, 1.0)
        .sqrt()
}

/// Every large group either all left or all stayed: the column restates
/// who left (a churn flag or status under another name) rather than
/// telling who will.
fn restates_churn(stats: &[SegmentRow]) -> bool {
    let mut big = stats
        .iter()
        .filter(|g| g.customers >= MIN_SEGMENT_CUSTOMERS)
        .peekable();
    big.peek().is_some() && big.all(|g| g.churned == 0 || g.churned == g.customers)
}

/// The two groupings to use, best first: the user's choice when it exists
/// (then no second), else the best two by separation among those that do
/// not restate churn.
fn chosen<'g>(
    groupings: &'g [Grouping],
    scores: &[f64],
    choice: Option<&GroupingKey>,
) -> (Option<&'g Grouping>, Option<&'g Grouping>) {
    if let Some(g) = choice.and_then(|k| groupings.iter().find(|g| &g.key == k)) {
        return (Some(g), None);
    }
    let mut order: Vec<usize> = (0..groupings.len())
        .filter(|&i| !restates_churn(&groupings[i].stats))
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let best = order.first().map(|&i| &groupings[i]);
    let second = order
        .get(1)
        .filter(|&&i| scores[i] > 0.0)
        .map(|&i| &groupings[i]);
    (best, second)
}

/// `a × b` per entry, as labels "a · b".
fn cross(a: &Grouping, b: &Grouping) -> SegmentLabels {
    let mut index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut out = SegmentLabels::default();
    for (x, y) in a.labels.ids.iter().zip(&b.labels.ids) {
        let id = match (x, y) {
            (Some(x), Some(y)) => Some(*index.entry((*x, *y)).or_insert_with(|| {
                out.names.push(format!(
                    "{} · {}",
                    a.labels.names[*x as usize], b.labels.names[*y as usize]
                ));
                out.names.len() as u32 - 1
            })),
            _ => None,
        };
        out.ids.push(id);
    }
    out
}

/// Median of the gaps between consecutive purchase days.
fn usual_gap(days: &[i32]) -> Option<f64> {
    let mut gaps: Vec<i32> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    Some(if n % 2 == 1 {
        f64::from(gaps[n / 2])
    } else {
        (f64::from(gaps[n / 2 - 1]) + f64::from(gaps[n / 2])) / 2.0
    })
}

/// A finite per-customer value from one of the CLV tables.
fn per_customer(table: Option<&[f64]>, customer: Option<u32>) -> Option<f64> {
    table?
        .get(customer? as usize)
        .copied()
        .filter(|v| v.is_finite())
}

/// The call list, the groupings by separation (best first) and the one used.
pub(super) struct CallList {
    pub(super) entries: Vec<CallEntry>,
    /// Customers who qualified for the list, before it was cut to
    /// [`CALL_LIST_LIMIT`] (the tests check that the buffer filled).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) candidates: usize,
    pub(super) groupings: Vec<CallGrouping>,
    pub(super) used: Option<GroupingKey>,
    /// The second grouping crossed with the first, when there is one.
    pub(super) crossed: Option<GroupingKey>,
}

struct Candidate {
    entry: usize,
    /// The cell's labels and id the risk and reason come from.
    cell: (u8, u32),
    risk: f64,
    basis: RiskBasis,
    value_at_risk: f64,
}

pub(super) fn call_list(
    book: &ChurnBook,
    dataset: &Dataset,
    groupings: &[Grouping],
    options: ChurnOptions<'_>,
) -> CallList {
    call_list_keeping(book, dataset, groupings, options, 8 * CALL_LIST_LIMIT)
}

/// [`call_list`] with the candidates kept in a buffer of `kept` (more than
/// [`CALL_LIST_LIMIT`]), which the result does not depend on.
fn call_list_keeping(
    book: &ChurnBook,
    dataset: &Dataset,
    groupings: &[Grouping],
    options: ChurnOptions<'_>,
    kept: usize,
) -> CallList {
    let kept = kept.max(CALL_LIST_LIMIT + 1);
    let scores: Vec<f64> = groupings
        .iter()
        .map(|g| separation(book, &g.labels, &g.stats))
        .collect();
    let mut listed: Vec<CallGrouping> = groupings
        .iter()
        .zip(&scores)
        .map(|(g, &separation)| CallGrouping {
            key: g.key.clone(),
            separation,
            restates_churn: restates_churn(&g.stats),
        })
        .collect();
    listed.sort_by(|a, b| b.separation.total_cmp(&a.separation));
    let (best, second) = chosen(groupings, &scores, options.call_grouping);
    let crossed = match (best, second) {
        (Some(a), Some(b)) => {
            let labels = cross(a, b);
            let stats = segment_stats(book, &labels);
            Some((labels, stats))
        }
        _ => None,
    };
    let total = book.entries.len() as u64;
    let overall = share(book.churned().count() as u64, total);
    let threshold = overall.min(0.5);
    let big = |stats: &[SegmentRow], id: Option<u32>| {
        id.filter(|&id| {
            stats
                .get(id as usize)
                .is_some_and(|s| s.customers >= MIN_SEGMENT_CUSTOMERS)
        })
    };

    // Only the first CALL_LIST_LIMIT become entries with their texts: a
    // large base has hundreds of thousands of candidates. The order is
    // total (the entry breaks ties), so keeping the best CALL_LIST_LIMIT
    // whenever the buffer fills gives the same list as selecting once from
    // all of them, in a buffer of fixed size instead of 40 bytes a
    // candidate (tens of MB at a million customers).
    let order = |a: &Candidate, b: &Candidate| {
        b.value_at_risk
            .total_cmp(&a.value_at_risk)
            .then(b.risk.total_cmp(&a.risk))
            .then(a.entry.cmp(&b.entry))
    };
    let keep_best = |candidates: &mut Vec<Candidate>| {
        if candidates.len() > CALL_LIST_LIMIT {
            candidates.select_nth_unstable_by(CALL_LIST_LIMIT, order);
            candidates.truncate(CALL_LIST_LIMIT);
        }
    };
    let mut candidates: Vec<Candidate> = Vec::with_capacity(kept.min(book.entries.len()));
    let mut candidates_seen = 0;
    for (i, e) in book.entries.iter().enumerate() {
        let (false, Some(value)) = (e.churned, e.revenue()) else {
            continue;
        };
        // The smallest cell with enough customers: the cross, else the best
        // grouping alone (level 2: no cell, the whole base).
        let cell = crossed
            .as_ref()
            .and_then(|(l, s)| big(s, l.ids[i]).map(|id| (0u8, id)))
            .or_else(|| best.and_then(|g| big(&g.stats, g.labels.ids[i]).map(|id| (1u8, id))))
            .unwrap_or((2, 0));
        let cell_share = match cell {
            (0, id) => crossed
                .as_ref()
                .map_or(overall, |(_, s)| s[id as usize].churn_share),
            (1, id) => best.map_or(overall, |g| g.stats[id as usize].churn_share),
            _ => overall,
        };
        let (risk, basis) = match per_customer(options.p_alive, e.customer()) {
            Some(p) => ((1.0 - p).clamp(0.0, 1.0), RiskBasis::Model),
            None => (cell_share, RiskBasis::SimilarCustomers),
        };
        if risk <= 0.0 || risk < threshold {
            continue;
        }
        candidates.push(Candidate {
            entry: i,
            cell,
            risk,
            basis,
            value_at_risk: value * risk,
        });
        candidates_seen += 1;
        if candidates.len() == kept {
            keep_best(&mut candidates);
        }
    }
    keep_best(&mut candidates);
    candidates.sort_unstable_by(order);

    let index = dataset.customer_index();
    let as_of = index.day_range().map(|(_, last)| last);
    let all_categories = {
        let mut counts = vec![0u64; ChurnCategory::ALL.len()];
        for e in book.churned() {
            counts[e.category.index()] += 1;
        }
        counts
    };
    let entries = candidates
        .iter()
        .filter_map(|c| {
            let e = book.entries.get(c.entry)?;
            let (segment, cell_share, categories) = match c.cell {
                (0, id) => crossed.as_ref().map(|(_, s)| &s[id as usize]),
                (1, id) => best.map(|g| &g.stats[id as usize]),
                _ => None,
            }
            .map_or((None, overall, &all_categories), |s| {
                (Some(s.segment.clone()), s.churn_share, &s.categories)
            });
            // A cell whose leavers gave no reason: the whole base's.
            let likely = match likely_category(categories) {
                ChurnCategory::Unknown => likely_category(&all_categories),
                c => c,
            };
            let days = e
                .customer()
                .map(|c| c as usize)
                .filter(|&c| c < index.customers())
                .map_or(&[][..], |c| index.days(c));
            let last = days.last().copied();
            Some(CallEntry {
                customer: e
                    .customer()
                    .and_then(|id| dataset.customers.name(id))
                    .map(str::to_string),
                record: e.record().map(u64::from),
                value: e.revenue()?,
                expected_value: per_customer(options.clv, e.customer()),
                last_purchase: last.and_then(NaiveDate::from_num_days_from_ce_opt),
                days_since_purchase: last
                    .zip(as_of)
                    .and_then(|(l, end)| u32::try_from(end - l).ok()),
                usual_gap_days: usual_gap(days),
                p_alive: per_customer(options.p_alive, e.customer()),
                p_alive_before: per_customer(options.p_alive_before, e.customer()),
                risk: c.risk,
                risk_basis: c.basis,
                segment,
                segment_churn_share: cell_share,
                likely_category: likely,
                value_at_risk: c.value_at_risk,
            })
        })
        .collect();
    CallList {
        entries,
        candidates: candidates_seen,
        groupings: listed,
        used: best.map(|g| g.key.clone()),
        crossed: crossed.as_ref().and(second).map(|g| g.key.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::churn_causes::at_stake::groupings;
    use crate::metrics::churn_rules::{ChurnRules, ReasonOverrides};

    /// The list kept in the smallest buffer, cut again at every one of
    /// thousands of candidates, equals the list selected once from all of
    /// them: the buffer saves memory and changes nothing.
    #[test]
    fn the_list_does_not_depend_on_the_buffer() {
        // 3,000 customers, each buying on a few days spread over two years
        // with varied amounts; many are active (value at stake) in cells
        // of the tenure-band profile.
        let mut csv = String::from("customer_id,date,amount\n");
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        for c in 0..3000u32 {
            // Two in three bought within the churn window: active.
            let last = if c % 3 == 0 {
                next() % 600
            } else {
                700 + next() % 80
            };
            for k in 0..1 + next() % 4 {
                let day = last.saturating_sub(k * (1 + next() % 120));
                let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
                    + chrono::Days::new(u64::from(day));
                csv.push_str(&format!(
                    "c{c},{date},{}.{:02}\n",
                    5 + next() % 300,
                    next() % 100
                ));
            }
        }
        let mut dataset = Dataset::default();
        dataset.add_file("tx.csv", csv.as_bytes()).unwrap();
        let book = ChurnBook::build(
            &dataset,
            &ChurnRules::default(),
            &ReasonOverrides::default(),
            90,
        )
        .unwrap();
        // P(alive) from 0 to 0.49: every active customer is at risk
        // (risk = 1 - P(alive) is above the overall churn share or 0.5),
        // many of them equally.
        let p_alive: Vec<f64> = (0..dataset.customers.len())
            .map(|c| (c % 50) as f64 / 100.0)
            .collect();
        let options = ChurnOptions {
            p_alive: Some(&p_alive),
            ..ChurnOptions::default()
        };
        let groupings = groupings(&book, &dataset, &options);
        let whole = call_list_keeping(&book, &dataset, &groupings, options, usize::MAX);
        let small = call_list_keeping(&book, &dataset, &groupings, options, CALL_LIST_LIMIT + 1);
        let default = call_list(&book, &dataset, &groupings, options);
        assert!(
            whole.candidates > 8 * CALL_LIST_LIMIT,
            "{} candidates: too few to fill the buffers",
            whole.candidates
        );
        assert_eq!(whole.entries.len(), CALL_LIST_LIMIT);
        assert_eq!(small.candidates, whole.candidates);
        assert_eq!(small.entries, whole.entries);
        assert_eq!(default.entries, whole.entries);
    }

    #[test]
    fn usual_gap_is_the_median_gap() {
        assert_eq!(usual_gap(&[]), None);
        assert_eq!(usual_gap(&[5]), None);
        // Gaps 10, 30, 20: median 20.
        assert_eq!(usual_gap(&[0, 10, 40, 60]), Some(20.0));
        // Gaps 10, 30: mean of the middle two.
        assert_eq!(usual_gap(&[0, 10, 40]), Some(20.0));
    }
}
