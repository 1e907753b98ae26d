//! The churn section: its rows and the report assembly (per reason, per
//! category, by month, competing risks).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::{
    distinct_reason_count, reason_key, ChurnCategory, ChurnRules, ReasonOverrides,
    REFERENCE_DISTRIBUTION,
};
use crate::metrics::competing_risks::{aalen_johansen, CompetingRisks};
use crate::Dataset;

use super::at_stake::value_at_stake;
use super::book::{ChurnBook, ChurnSource};
pub use super::call_list::GroupingKey;
use super::revenue::MaybeSum;
use super::share;

/// Where the revenue-lost figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevenueSource {
    /// The file's value column (CLTV, MRR, contract value) for every churner with a figure.
    ValueColumn,
    /// Transactions in the 12 months before churn for every churner with a figure.
    Transactions12Months,
    /// Some churners from the value column, some from transactions.
    Mixed,
}

/// One stated reason (or the churners without one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonRow {
    /// As first written in the file; `None` for churners without a reason.
    pub reason: Option<String>,
    /// The reason text's own category (override, else rules); `unknown` for no reason.
    pub category: ChurnCategory,
    pub customers: u64,
    /// Of all churned customers.
    pub share: f64,
    /// Running total of `share` down the table (the Pareto line).
    pub cumulative_share: f64,
    pub revenue_lost: Option<f64>,
}

/// One canonical category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub category: ChurnCategory,
    pub customers: u64,
    /// Of all churned customers.
    pub share: f64,
    /// Of churned customers with a known category; absent for `unknown`.
    pub share_of_known: Option<f64>,
    pub cumulative_share: f64,
    pub revenue_lost: Option<f64>,
    /// Value of the active customers expected to leave for this category if
    /// they leave like past customers of their segment did (see [`CallEntry`]).
    pub value_at_stake: Option<f64>,
}

/// One text of the file's own category column, as the file has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCategoryRow {
    /// `None` for churners with a blank category cell.
    pub category: Option<String>,
    /// What the text alone maps to (override, else rules).
    pub canonical: ChurnCategory,
    pub customers: u64,
    pub share: f64,
    pub revenue_lost: Option<f64>,
}

/// The user's share of a category beside the cross-industry reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRow {
    pub category: ChurnCategory,
    /// Of churned customers with a known category; absent when none is known.
    pub user_share: Option<f64>,
    /// Absent for price and other: the study has no such category.
    pub reference_share: Option<f64>,
}

/// Churners per calendar month of their end date, per category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Parallel to [`ChurnCategory::ALL`].
    pub counts: Vec<u64>,
    pub total: u64,
}

/// Churn within one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    pub segment: String,
    pub customers: u64,
    pub churned: u64,
    pub churn_share: f64,
    /// Churners per category, parallel to [`ChurnCategory::ALL`].
    pub categories: Vec<u64>,
    pub revenue_lost: Option<f64>,
}

/// An active customer who looks like past churners: in a segment of at
/// least [`MIN_SEGMENT_CUSTOMERS`](super::MIN_SEGMENT_CUSTOMERS) customers whose churn share is above the
/// overall one (and, when a CLV model gives it, P(alive) below 0.5).
/// Ranked by `value_at_risk` = value x the segment's churn share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallEntry {
    /// The customer's id as in the file; absent for files without ids.
    pub customer: Option<String>,
    /// Row of the customers file (0-based, header excluded) for record data.
    pub record: Option<u64>,
    /// What the customer brings: the value column, else revenue of the last
    /// 12 months (as for a churner's revenue lost).
    pub value: f64,
    /// Predicted CLV over the horizon, when the model has one.
    pub expected_value: Option<f64>,
    pub last_purchase: Option<NaiveDate>,
    /// Days from the last purchase to the data's last date.
    pub days_since_purchase: Option<u32>,
    /// Median days between the customer's own purchases (two or more).
    pub usual_gap_days: Option<f64>,
    pub p_alive: Option<f64>,
    /// P(alive) `TREND_DAYS` earlier, for customers who have not bought since.
    pub p_alive_before: Option<f64>,
    /// The customer's own chance of leaving (see `risk_basis`).
    pub risk: f64,
    pub risk_basis: RiskBasis,
    /// The similar customers (cell of the grouping); `None`: the whole base.
    pub segment: Option<String>,
    pub segment_churn_share: f64,
    /// The most frequent known category among the similar customers who
    /// left (else among all who left): what to ask about.
    pub likely_category: ChurnCategory,
    /// `value × risk`, the order of the list.
    pub value_at_risk: f64,
}

/// Where a customer's risk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBasis {
    /// 1 − P(alive) of the BG/NBD model.
    Model,
    /// The share who left among similar customers.
    SimilarCustomers,
}

/// A grouping the call list can use, with how well it separates leavers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallGrouping {
    pub key: GroupingKey,
    /// Cramér's V of left × group (0: no separation, 1: complete).
    pub separation: f64,
    /// Every large group all left or all stayed: the column says who left
    /// (a churn flag under another name), so it is not chosen by itself.
    pub restates_churn: bool,
}

/// Everything the churn page shows; plain data, no NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnSection {
    pub source: ChurnSource,
    pub churn_window_days: u32,
    /// Customers in the analysis (churned + active).
    pub customers: u64,
    pub churned: u64,
    pub active: u64,
    /// Customers-file records with no churned flag, status or end date: left out.
    pub records_without_status: u64,
    pub revenue_source: Option<RevenueSource>,
    /// Sorted by customers, most first (ties by text): the Pareto series.
    pub reasons: Vec<ReasonRow>,
    /// Distinct stated reasons: case, spaces and one typo per word do not
    /// make a new reason, and texts that state nothing ("unknown") are not one.
    pub distinct_reasons: u64,
    /// Categories with churners, sorted by customers, most first (ties in
    /// [`ChurnCategory::ALL`] order): the category Pareto series.
    pub categories: Vec<CategoryRow>,
    /// The file's own category column, sorted by customers; empty without one.
    pub file_categories: Vec<FileCategoryRow>,
    /// The eight known categories in canonical order.
    pub reference: Vec<ReferenceRow>,
    /// (competitor + product + treatment + price) / churned with a known
    /// category (`unknown` excluded: it cannot be attributed; `other` is in).
    pub controllable_share: Option<f64>,
    /// The most frequent stated reason / all churned.
    pub top_reason_share: Option<f64>,
    pub revenue_lost: Option<f64>,
    /// Every month from the first to the last end date; empty without dates.
    pub by_period: Vec<PeriodRow>,
    pub competing_risks: Option<CompetingRisks>,
    /// At most [`CALL_LIST_LIMIT`](super::CALL_LIST_LIMIT) customers, highest value at risk first.
    pub call_list: Vec<CallEntry>,
    /// What the call-list segments are made of (e.g. "tenure band, CSAT").
    pub call_list_basis: String,
    /// Every grouping the call list could use, best separating first.
    pub call_groupings: Vec<CallGrouping>,
    /// The grouping used (the user's choice or the best).
    pub call_grouping: Option<GroupingKey>,
}

/// A bar of a Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoBar {
    pub label: String,
    pub customers: u64,
    pub cumulative_share: f64,
}

impl ChurnSection {
    /// Someone who left has a known category: without one (every leaver
    /// "unknown") a Pareto of categories is one bar and the comparison with
    /// the reference study says nothing.
    pub fn has_stated_reasons(&self) -> bool {
        self.categories
            .iter()
            .any(|c| c.category != ChurnCategory::Unknown && c.customers > 0)
    }

    /// The headline figures, by metric id (only finite values; absent when
    /// the data does not allow them: no reasons, no known category, no revenue).
    pub fn headline_metrics(&self) -> Vec<(crate::metric::MetricId, f64)> {
        use crate::metric::MetricId;
        let mut out = vec![(MetricId::ChurnedCustomers, self.churned as f64)];
        if self.distinct_reasons > 0 {
            out.push((MetricId::ChurnReasons, self.distinct_reasons as f64));
        }
        for (id, value) in [
            (MetricId::ChurnTopReasonShare, self.top_reason_share),
            (MetricId::ChurnControllableShare, self.controllable_share),
            (MetricId::ChurnRevenueLost, self.revenue_lost),
        ] {
            if let Some(v) = value.filter(|v| v.is_finite()) {
                out.push((id, v));
            }
        }
        out
    }

    /// The reasons as Pareto bars; `no_reason` labels the churners without one.
    pub fn reason_pareto(&self, no_reason: &str) -> Vec<ParetoBar> {
        self.reasons
            .iter()
            .map(|r| ParetoBar {
                label: r.reason.clone().unwrap_or_else(|| no_reason.to_string()),
                customers: r.customers,
                cumulative_share: r.cumulative_share,
            })
            .collect()
    }

    /// The categories as Pareto bars, labelled by `label` (the UI's translation).
    pub fn category_pareto(&self, label: impl Fn(ChurnCategory) -> String) -> Vec<ParetoBar> {
        self.categories
            .iter()
            .map(|c| ParetoBar {
                label: label(c.category),
                customers: c.customers,
                cumulative_share: c.cumulative_share,
            })
            .collect()
    }
}

/// Reads the segment of a customers-file record.
/// A record's segment, given its index in `Dataset::customer_records` (for
/// the columnar segment columns) and the record.
pub type SegmentOf<'a> = dyn Fn(usize, &CustomerRecord) -> Option<String> + 'a;

/// What the caller can add to the default section.
#[derive(Clone, Copy, Default)]
pub struct ChurnOptions<'a> {
    /// P(alive) per interned customer id, from the CLV model when it exists.
    pub p_alive: Option<&'a [f64]>,
    /// P(alive) `TREND_DAYS` before the end, per interned customer id.
    pub p_alive_before: Option<&'a [f64]>,
    /// Predicted CLV per interned customer id.
    pub clv: Option<&'a [f64]>,
    /// Customers-file segment columns (plan, region, contract...) by name:
    /// groupings of similar customers for the call list, besides the
    /// profile (tenure band, CSAT, had-a-problem flag).
    pub segments: &'a [(&'a str, &'a SegmentOf<'a>)],
    /// The grouping the user chose; `None`: the best separating.
    pub call_grouping: Option<&'a GroupingKey>,
}

/// The churn-causes section of the report. `None` when the data says nothing
/// about who left (no customers file with a status, no transactions).
pub fn churn_section(
    dataset: &Dataset,
    rules: &ChurnRules,
    overrides: &ReasonOverrides,
    churn_window_days: u32,
) -> Option<ChurnSection> {
    churn_section_with(
        dataset,
        rules,
        overrides,
        churn_window_days,
        ChurnOptions::default(),
    )
}

pub fn churn_section_with(
    dataset: &Dataset,
    rules: &ChurnRules,
    overrides: &ReasonOverrides,
    churn_window_days: u32,
    options: ChurnOptions<'_>,
) -> Option<ChurnSection> {
    let book = ChurnBook::build(dataset, rules, overrides, churn_window_days)?;
    Some(section_of(dataset, &book, churn_window_days, options))
}

fn section_of(
    dataset: &Dataset,
    book: &ChurnBook,
    churn_window_days: u32,
    options: ChurnOptions<'_>,
) -> ChurnSection {
    let churned = book.churned().count() as u64;
    let customers = book.entries.len() as u64;
    let index = dataset.customer_index();

    // Per reason (index = reason id, last slot = no reason), per category, per file category.
    let n_reasons = book.reasons.len();
    let mut reason_counts = vec![(0u64, MaybeSum::default()); n_reasons + 1];
    let mut category_counts = [(0u64, MaybeSum::default()); ChurnCategory::ALL.len()];
    let mut file_counts = vec![(0u64, MaybeSum::default()); book.file_categories.len() + 1];
    let mut total_lost = MaybeSum::default();
    let (mut from_value, mut from_transactions) = (false, false);
    for e in book.churned() {
        let slot = e.reason().map_or(n_reasons, |r| r as usize);
        if let Some(row) = reason_counts.get_mut(slot) {
            row.0 += 1;
            row.1.add(e.revenue());
        }
        let row = &mut category_counts[e.category.index()];
        row.0 += 1;
        row.1.add(e.revenue());
        let slot = e
            .file_category()
            .map_or(book.file_categories.len(), |f| f as usize);
        if let Some(row) = file_counts.get_mut(slot) {
            row.0 += 1;
            row.1.add(e.revenue());
        }
        total_lost.add(e.revenue());
        if e.revenue().is_some() {
            if e.revenue_from_value_column {
                from_value = true;
            } else {
                from_transactions = true;
            }
        }
    }

    let mut reasons: Vec<ReasonRow> = reason_counts
        .iter()
        .enumerate()
        .filter(|(_, (count, _))| *count > 0)
        .map(|(i, (count, lost))| ReasonRow {
            reason: book.reasons.get(i).cloned(),
            category: book
                .reason_categories
                .get(i)
                .copied()
                .unwrap_or(ChurnCategory::Unknown),
            customers: *count,
            share: share(*count, churned),
            cumulative_share: 0.0,
            revenue_lost: lost.get(),
        })
        .collect();
    // Most first; equal counts by text, the no-reason row last among equals.
    reasons.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| match (&a.reason, &b.reason) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });
    accumulate(
        reasons
            .iter_mut()
            .map(|r| (r.customers, &mut r.cumulative_share)),
        churned,
    );
    // Stated reasons only ("unknown", "n/a" say nothing), one typo apart
    // counting once: the normaliser the categories match with.
    let keys: Vec<String> = reasons
        .iter()
        .filter(|r| r.category != ChurnCategory::Unknown)
        .filter_map(|r| r.reason.as_deref().map(reason_key))
        .collect();
    let distinct_reasons = distinct_reason_count(keys.iter().map(String::as_str)) as u64;
    let top_reason_share = reasons
        .iter()
        .filter(|r| r.reason.is_some())
        .map(|r| r.customers)
        .max()
        .map(|top| share(top, churned));

    let unknown = category_counts[ChurnCategory::Unknown.index()].0;
    let known = churned - unknown;
    let at_stake = value_at_stake(book, dataset, options);
    let mut categories: Vec<CategoryRow> = ChurnCategory::ALL
        .iter()
        .map(|&category| {
            let (count, lost) = category_counts[category.index()];
            CategoryRow {
                category,
                customers: count,
                share: share(count, churned),
                share_of_known: (category != ChurnCategory::Unknown && known > 0)
                    .then(|| share(count, known)),
                cumulative_share: 0.0,
                revenue_lost: lost.get(),
                value_at_stake: at_stake.per_category[category.index()].get(),
            }
        })
        .filter(|row| row.customers > 0)
        .collect();
    // A stable sort keeps the canonical order among equal counts.
    categories.sort_by_key(|row| std::cmp::Reverse(row.customers));
    accumulate(
        categories
            .iter_mut()
            .map(|r| (r.customers, &mut r.cumulative_share)),
        churned,
    );

    let mut file_categories: Vec<FileCategoryRow> = if book.file_categories.is_empty() {
        Vec::new()
    } else {
        file_counts
            .iter()
            .enumerate()
            .filter(|(_, (count, _))| *count > 0)
            .map(|(i, (count, lost))| FileCategoryRow {
                category: book.file_categories.get(i).cloned(),
                canonical: book
                    .file_category_canonical
                    .get(i)
                    .copied()
                    .unwrap_or(ChurnCategory::Unknown),
                customers: *count,
                share: share(*count, churned),
                revenue_lost: lost.get(),
            })
            .collect()
    };
    file_categories.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.category.cmp(&b.category))
    });

    let reference = ChurnCategory::ALL
        .iter()
        .filter(|c| **c != ChurnCategory::Unknown)
        .map(|&category| ReferenceRow {
            category,
            user_share: (known > 0).then(|| share(category_counts[category.index()].0, known)),
            reference_share: REFERENCE_DISTRIBUTION
                .iter()
                .find(|(c, _)| *c == category)
                .map(|(_, s)| *s),
        })
        .collect();
    let controllable: u64 = ChurnCategory::ALL
        .iter()
        .filter(|c| c.is_controllable())
        .map(|c| category_counts[c.index()].0)
        .sum();

    // Customers without a tenure count as without duration, as those
    // whose tenure is negative or not finite.
    let has_tenure = book.entries.iter().any(|e| e.tenure_months().is_some());
    let competing_risks = (churned > 0 && has_tenure).then(|| {
        aalen_johansen(book.entries.iter().map(|e| {
            (
                e.tenure_months().unwrap_or(f64::NAN),
                e.churned.then_some(e.category),
            )
        }))
    });

    ChurnSection {
        source: book.source,
        churn_window_days,
        customers,
        churned,
        active: customers - churned,
        records_without_status: book.records_without_status,
        revenue_source: match (from_value, from_transactions) {
            (true, false) => Some(RevenueSource::ValueColumn),
            (false, true) => Some(RevenueSource::Transactions12Months),
            (true, true) => Some(RevenueSource::Mixed),
            (false, false) => None,
        },
        reasons,
        distinct_reasons,
        categories,
        file_categories,
        reference,
        controllable_share: (known > 0).then(|| share(controllable, known)),
        top_reason_share,
        revenue_lost: total_lost.get(),
        by_period: by_period(book, |day| index.month_of(day)),
        competing_risks,
        call_list: at_stake.calls.entries,
        call_list_basis: at_stake.basis,
        call_groupings: at_stake.calls.groupings,
        call_grouping: at_stake.calls.used,
    }
}

/// Fills running totals of count / whole from the integer running count, so
/// the last one is exactly 1 when the counts add up to the whole (summing
/// the float shares would drift to 0.9999999).
fn accumulate<'a>(rows: impl Iterator<Item = (u64, &'a mut f64)>, whole: u64) {
    let mut running = 0u64;
    for (count, cumulative) in rows {
        running += count;
        *cumulative = share(running, whole);
    }
}

/// Churners per month of their end date, every month from the first to the
/// last (empty months as zeros, so a time axis is true). Over a century of
/// months (dates gone wrong) only the months with churners are listed.
fn by_period(book: &ChurnBook, month_of: impl Fn(i32) -> Option<i32>) -> Vec<PeriodRow> {
    let mut months: Vec<(i32, ChurnCategory)> = book
        .churned()
        .filter_map(|e| Some((month_of(e.end_day()?)?, e.category)))
        .collect();
    if months.is_empty() {
        return Vec::new();
    }
    let label = |m: i32| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
    let first = months.iter().map(|m| m.0).min().unwrap_or_default();
    let last = months.iter().map(|m| m.0).max().unwrap_or_default();
    if last - first < 1200 {
        // Every month from the first to the last: counted in place.
        let mut rows: Vec<PeriodRow> = (first..=last)
            .map(|m| PeriodRow {
                month: label(m),
                counts: vec![0; ChurnCategory::ALL.len()],
                total: 0,
            })
            .collect();
        for (month, category) in months {
            let row = &mut rows[(month - first) as usize];
            row.counts[category.index()] += 1;
            row.total += 1;
        }
        return rows;
    }
    // Over a century (dates gone wrong): only the months with churners.
    months.sort_unstable_by_key(|m| m.0);
    let mut rows: Vec<PeriodRow> = Vec::new();
    let mut current: Option<i32> = None;
    for (month, category) in months {
        if current != Some(month) {
            rows.push(PeriodRow {
                month: label(month),
                counts: vec![0; ChurnCategory::ALL.len()],
                total: 0,
            });
            current = Some(month);
        }
        if let Some(row) = rows.last_mut() {
            row.counts[category.index()] += 1;
            row.total += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_shares_end_at_one() {
        let mut c = [0.0; 3];
        accumulate([1u64, 1, 1].into_iter().zip(c.iter_mut()), 3);
        assert_eq!(c, [1.0 / 3.0, 2.0 / 3.0, 1.0]);
    }
}
