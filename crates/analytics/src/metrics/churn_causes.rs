//! Why customers leave (DESIGN.md section 3, "Churn causes"; issue 7):
//! churned customers counted and shared per reason and per canonical
//! category, with the revenue lost, the reasons by month, by segment, beside
//! the cross-industry reference, the competing-risk curves over tenure, and
//! the customers still here who look like those who left ("who to call first").
//!
//! Where churn comes from:
//! - a customers / churn file: every record with a churned flag (or a status
//!   or end date that says it) is a customer; a record with none of those but
//!   a reason or category for leaving is a churner (an export of lost
//!   customers with their reasons has no status column); the rest are
//!   counted in `records_without_status` and left out;
//! - else the transactions: a customer has left when their last purchase is
//!   `churn_window_days` or more before the last date of the data (the same
//!   rule as the customer base, [`super::customer_base`]); the reason is then
//!   unknown, the end date is the last purchase.
//!
//! Revenue lost by a churned customer: the file's value column (CLTV, MRR,
//! contract value) when it has one for them, else the sum of their
//! transaction amounts (returns included) in the 12 calendar months up to and
//! including the end date (or, without one, their last purchase).

use chrono::{Datelike, Months, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::churn_rules::{
    reason_key, ChurnCategory, ChurnRules, CompiledRules, ReasonOverrides, REFERENCE_DISTRIBUTION,
};
use super::competing_risks::{aalen_johansen, CompetingRisks};
use crate::dataset::CustomerRecord;
use crate::Dataset;

/// Headline metric ids of this section (DESIGN.md section 4a).
/// The churn figures' Report keys (the catalogue is [`MetricId`]).
pub mod metric {
    use crate::metric::MetricId;
    pub const CHURNED_CUSTOMERS: &str = MetricId::ChurnedCustomers.id();
    pub const CHURN_REASONS: &str = MetricId::ChurnReasons.id();
    pub const CHURN_TOP_REASON_SHARE: &str = MetricId::ChurnTopReasonShare.id();
    pub const CHURN_CONTROLLABLE_SHARE: &str = MetricId::ChurnControllableShare.id();
    pub const CHURN_REVENUE_LOST: &str = MetricId::ChurnRevenueLost.id();
}

const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
/// The call list is for people to work through; more is noise.
pub const CALL_LIST_LIMIT: usize = 100;
/// Segments smaller than this say too little about who leaves.
pub const MIN_SEGMENT_CUSTOMERS: u64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnSource {
    /// Churned flag, status or end date of a customers / churn file.
    CustomerRecords,
    /// No purchase within the churn window before the data's last date.
    Transactions,
}

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

/// One customer of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnEntry {
    /// Interned customer id, when the data has ids.
    pub customer: Option<u32>,
    /// Index into `Dataset::customer_records`, for record-based churn.
    pub record: Option<u32>,
    pub churned: bool,
    /// Index into [`ChurnBook::reasons`].
    pub reason: Option<u32>,
    /// Index into [`ChurnBook::file_categories`].
    pub file_category: Option<u32>,
    /// The canonical category of a churner; `Unknown` for active customers.
    pub category: ChurnCategory,
    /// Revenue lost for a churner; the customer's value for an active one.
    pub revenue: Option<f64>,
    pub revenue_from_value_column: bool,
    pub tenure_months: Option<f64>,
    /// Days since 0001-01-01 of the end (churners) when known.
    pub end_day: Option<i32>,
}

/// Every customer of the analysis with their churn status and category:
/// the input of the section, the segment table and the call list.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnBook {
    pub source: ChurnSource,
    pub entries: Vec<ChurnEntry>,
    /// Distinct stated reasons, as first written in the file.
    pub reasons: Vec<String>,
    /// The canonical category of each reason text alone (override, else rules).
    pub reason_categories: Vec<ChurnCategory>,
    /// Distinct texts of the file's own category column, as first written.
    pub file_categories: Vec<String>,
    /// The canonical category of each file category text (override, else rules).
    pub file_category_canonical: Vec<ChurnCategory>,
    pub records_without_status: u64,
}

/// Distinct texts by [`reason_key`], keeping the first spelling. Raw texts
/// seen before are found without building their key again (most files
/// repeat a few reasons over many rows).
#[derive(Default)]
struct TextTable<'d> {
    raw: FxHashMap<&'d str, Option<u32>>,
    index: FxHashMap<String, u32>,
    texts: Vec<String>,
    categories: Vec<ChurnCategory>,
    /// The user's override decided the category.
    overridden: Vec<bool>,
}

impl<'d> TextTable<'d> {
    fn intern(
        &mut self,
        text: &'d str,
        rules: &CompiledRules,
        overrides: &FxHashMap<String, ChurnCategory>,
    ) -> Option<u32> {
        if let Some(&known) = self.raw.get(text) {
            return known;
        }
        let key = reason_key(text);
        let id = if key.is_empty() {
            None
        } else if let Some(&i) = self.index.get(&key) {
            Some(i)
        } else {
            let i = self.texts.len() as u32;
            let overridden = overrides.get(&key).copied();
            self.texts.push(text.trim().to_string());
            self.categories
                .push(overridden.unwrap_or_else(|| rules.classify(text)));
            self.overridden.push(overridden.is_some());
            self.index.insert(key, i);
            Some(i)
        };
        self.raw.insert(text, id);
        id
    }
}

/// The category of a churner from what the file says (DESIGN: an existing
/// category column is respected): the user's override of the reason wins;
/// else the file's category; a file category that is the catch-all `other`
/// is refined by a reason naming a specific cause when the rules ask for it,
/// and an `unknown` one gives way to any reason; else the reason; else unknown.
fn category_of(
    reason: Option<ChurnCategory>,
    reason_overridden: bool,
    file: Option<ChurnCategory>,
    refine_other: bool,
) -> ChurnCategory {
    match (file, reason) {
        (_, Some(r)) if reason_overridden => r,
        (Some(ChurnCategory::Unknown), Some(r)) => r,
        (Some(ChurnCategory::Other), Some(r)) if refine_other && r.is_specific() => r,
        (Some(f), _) => f,
        (None, Some(r)) => r,
        (None, None) => ChurnCategory::Unknown,
    }
}

fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// The first day after the 12-month window ending at `day`: amounts on days
/// in (`window_start(day)`, `day`] count.
fn window_start(day: i32) -> Option<i32> {
    date_of(day)?
        .checked_sub_months(Months::new(12))
        .map(|d| d.num_days_from_ce())
}

/// Per customer id: the sum of transaction amounts on days in
/// (12 months before `reference[c]`, `reference[c]`], `None` where the
/// customer has no reference day or no amount in the window.
fn revenue_before(dataset: &Dataset, reference: &[Option<i32>]) -> Vec<Option<f64>> {
    // Calendar arithmetic once per distinct day, not once per customer.
    let mut memo: FxHashMap<i32, Option<i32>> = FxHashMap::default();
    let starts: Vec<Option<(i32, i32)>> = reference
        .iter()
        .map(|r| {
            let day = (*r)?;
            let start = *memo.entry(day).or_insert_with(|| window_start(day));
            Some((start?, day))
        })
        .collect();
    let tx = &dataset.transactions;
    let mut sums: Vec<Option<f64>> = vec![None; reference.len()];
    for ((&customer, &day), amount) in tx.customer.iter().zip(&tx.day).zip(&tx.amount) {
        let (Some(amount), Some(Some((from, to)))) = (amount, starts.get(customer as usize)) else {
            continue;
        };
        if day > *from && day <= *to {
            if let Some(sum) = sums.get_mut(customer as usize) {
                *sum = Some(sum.unwrap_or(0.0) + amount);
            }
        }
    }
    sums
}

/// Purchases (amount absent or >= 0) per customer id: first and last day.
fn purchase_span(dataset: &Dataset) -> Vec<Option<(i32, i32)>> {
    let index = dataset.customer_index();
    let mut span: Vec<Option<(i32, i32)>> = vec![None; dataset.customers.len()];
    for (c, slot) in span.iter_mut().enumerate().take(index.customers()) {
        let days = index.days(c);
        *slot = days.first().zip(days.last()).map(|(&a, &b)| (a, b));
    }
    span
}

impl ChurnBook {
    /// The customers of the analysis, from the customers file when it says
    /// who left, else from the transactions. `None` when neither is there.
    pub fn build(
        dataset: &Dataset,
        rules: &ChurnRules,
        overrides: &ReasonOverrides,
        churn_window_days: u32,
    ) -> Option<ChurnBook> {
        let compiled = rules.compile();
        let overrides = overrides.normalised();
        let from_records = Self::from_records(dataset, rules, &compiled, &overrides);
        if from_records.entries.is_empty() {
            Self::from_transactions(
                dataset,
                churn_window_days,
                from_records.records_without_status,
            )
        } else {
            Some(from_records)
        }
    }

    fn from_records(
        dataset: &Dataset,
        rules: &ChurnRules,
        compiled: &CompiledRules,
        overrides: &FxHashMap<String, ChurnCategory>,
    ) -> ChurnBook {
        let records = &dataset.customer_records;
        let (mut reasons, mut file_categories) = (TextTable::default(), TextTable::default());
        let observed_until = records
            .iter()
            .flat_map(|r| [r.start, r.end])
            .flatten()
            .max();
        let mut entries = Vec::with_capacity(records.len());
        let mut records_without_status = 0;
        for (i, r) in records.iter().enumerate() {
            let says_why = |t: &Option<String>| {
                t.as_deref()
                    .is_some_and(|t| t.chars().any(char::is_alphanumeric))
            };
            let churned = r
                .churned
                .or_else(|| (says_why(&r.reason) || says_why(&r.category)).then_some(true));
            let Some(churned) = churned else {
                records_without_status += 1;
                continue;
            };
            let (mut reason, mut file_category, mut category) =
                (None, None, ChurnCategory::Unknown);
            if churned {
                reason = r
                    .reason
                    .as_deref()
                    .and_then(|t| reasons.intern(t, compiled, overrides));
                file_category = r
                    .category
                    .as_deref()
                    .and_then(|t| file_categories.intern(t, compiled, overrides));
                category = category_of(
                    reason.map(|i| reasons.categories[i as usize]),
                    reason.is_some_and(|i| reasons.overridden[i as usize]),
                    file_category.map(|i| file_categories.categories[i as usize]),
                    rules.refine_other_by_reason,
                );
            }
            let tenure_months = r.tenure_months.filter(|m| m.is_finite()).or_else(|| {
                let end = r.end.or(observed_until.filter(|_| !churned))?;
                Some((end - r.start?).num_days() as f64 / DAYS_PER_MONTH)
            });
            let value = r.value.filter(|v| v.is_finite());
            entries.push(ChurnEntry {
                customer: r.customer,
                record: u32::try_from(i).ok(),
                churned,
                reason,
                file_category,
                category,
                revenue: value,
                revenue_from_value_column: value.is_some(),
                tenure_months,
                end_day: r.end.filter(|_| churned).map(|d| d.num_days_from_ce()),
            });
        }
        keep_latest_per_customer(&mut entries, records);
        // Value from transactions for those without a value figure: the 12
        // months up to the end date, else up to the last purchase.
        if !dataset.transactions.is_empty()
            && entries
                .iter()
                .any(|e| e.revenue.is_none() && e.customer.is_some())
        {
            let span = purchase_span(dataset);
            let mut reference: Vec<Option<i32>> = span.iter().map(|s| s.map(|s| s.1)).collect();
            for e in &entries {
                if let (Some(c), Some(end)) = (e.customer, e.end_day) {
                    if let Some(slot) = reference.get_mut(c as usize) {
                        *slot = Some(end);
                    }
                }
            }
            let sums = revenue_before(dataset, &reference);
            for e in entries.iter_mut().filter(|e| e.revenue.is_none()) {
                e.revenue = e
                    .customer
                    .and_then(|c| sums.get(c as usize).copied().flatten());
            }
        }
        ChurnBook {
            source: ChurnSource::CustomerRecords,
            entries,
            reasons: reasons.texts,
            reason_categories: reasons.categories,
            file_categories: file_categories.texts,
            file_category_canonical: file_categories.categories,
            records_without_status,
        }
    }

    fn from_transactions(
        dataset: &Dataset,
        churn_window_days: u32,
        records_without_status: u64,
    ) -> Option<ChurnBook> {
        let (_, last_day) = dataset.customer_index().day_range()?;
        let window = churn_window_days.max(1) as i32;
        let span = purchase_span(dataset);
        let reference: Vec<Option<i32>> = span.iter().map(|s| s.map(|s| s.1)).collect();
        let sums = revenue_before(dataset, &reference);
        // Sized up front: grown by doubling, 200k entries took 20 MiB.
        let mut entries = Vec::with_capacity(span.iter().flatten().count());
        entries.extend(span.iter().enumerate().filter_map(|(c, s)| {
            let (first, last) = (*s)?;
            let churned = last_day - last >= window;
            let until = if churned { last } else { last_day };
            Some(ChurnEntry {
                customer: u32::try_from(c).ok(),
                record: None,
                churned,
                reason: None,
                file_category: None,
                category: ChurnCategory::Unknown,
                revenue: sums.get(c).copied().flatten(),
                revenue_from_value_column: false,
                tenure_months: Some(f64::from(until - first) / DAYS_PER_MONTH),
                end_day: churned.then_some(last),
            })
        }));
        (!entries.is_empty()).then_some(ChurnBook {
            source: ChurnSource::Transactions,
            entries,
            reasons: Vec::new(),
            reason_categories: Vec::new(),
            file_categories: Vec::new(),
            file_category_canonical: Vec::new(),
            records_without_status,
        })
    }

    pub fn churned(&self) -> impl Iterator<Item = &ChurnEntry> {
        self.entries.iter().filter(|e| e.churned)
    }
}

/// One entry per customer: a list exported with a row per survey answer
/// repeats its customers, a churn-event log has a row per cancellation, a
/// subscriptions table a row per subscription. The customer's latest record
/// speaks for them: one still open (no end date) before any that ended,
/// then the latest end, then the later row. Rows without an id stay.
fn keep_latest_per_customer(entries: &mut Vec<ChurnEntry>, records: &[CustomerRecord]) {
    let rank = |e: &ChurnEntry| {
        let end = e
            .record
            .and_then(|i| records.get(i as usize))
            .and_then(|r| r.end);
        (end.map_or(i32::MAX, |d| d.num_days_from_ce()), e.record)
    };
    let mut latest: FxHashMap<u32, usize> = FxHashMap::default();
    for (k, e) in entries.iter().enumerate() {
        if let Some(c) = e.customer {
            let slot = latest.entry(c).or_insert(k);
            if rank(e) >= rank(&entries[*slot]) {
                *slot = k;
            }
        }
    }
    if latest.len() == entries.iter().filter(|e| e.customer.is_some()).count() {
        return;
    }
    let mut k = 0;
    entries.retain(|e| {
        let keep = e.customer.is_none_or(|c| latest.get(&c) == Some(&k));
        k += 1;
        keep
    });
}

/// A sum that is absent until something is added (revenue, when no churner
/// has a figure, is unknown, not zero). Neumaier-compensated so totals of
/// many amounts match a careful reference to the last digits.
#[derive(Debug, Clone, Copy, Default)]
struct MaybeSum {
    sum: f64,
    compensation: f64,
    any: bool,
}

impl MaybeSum {
    fn add(&mut self, value: Option<f64>) {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return;
        };
        let t = self.sum + v;
        self.compensation += if self.sum.abs() >= v.abs() {
            (self.sum - t) + v
        } else {
            (v - t) + self.sum
        };
        self.sum = t;
        self.any = true;
    }

    fn get(self) -> Option<f64> {
        let total = self.sum + self.compensation;
        (self.any && total.is_finite()).then_some(total)
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
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
/// least [`MIN_SEGMENT_CUSTOMERS`] customers whose churn share is above the
/// overall one (and, when a CLV model gives it, P(alive) below 0.5).
/// Ranked by `value_at_risk` = value x the segment's churn share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallEntry {
    /// The customer's id as in the file; absent for files without ids.
    pub customer: Option<String>,
    /// Row of the customers file (0-based, header excluded) for record data.
    pub record: Option<u64>,
    pub value: f64,
    pub segment: String,
    pub segment_churn_share: f64,
    /// The most frequent known category among the segment's churners: what to ask about.
    pub likely_category: ChurnCategory,
    pub p_alive: Option<f64>,
    pub value_at_risk: f64,
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
    /// Distinct stated reasons.
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
    /// At most [`CALL_LIST_LIMIT`] customers, highest value at risk first.
    pub call_list: Vec<CallEntry>,
    /// What the call-list segments are made of (e.g. "tenure band, CSAT").
    pub call_list_basis: String,
}

/// A bar of a Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoBar {
    pub label: String,
    pub customers: u64,
    pub cumulative_share: f64,
}

impl ChurnSection {
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
    /// The segment of a customers-file record (a plan, region, contract
    /// column); without it the call list uses tenure band, CSAT and the
    /// had-problem flag, whichever the data has.
    pub segment_of: Option<&'a SegmentOf<'a>>,
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
        let slot = e.reason.map_or(n_reasons, |r| r as usize);
        if let Some(row) = reason_counts.get_mut(slot) {
            row.0 += 1;
            row.1.add(e.revenue);
        }
        let row = &mut category_counts[e.category.index()];
        row.0 += 1;
        row.1.add(e.revenue);
        let slot = e
            .file_category
            .map_or(book.file_categories.len(), |f| f as usize);
        if let Some(row) = file_counts.get_mut(slot) {
            row.0 += 1;
            row.1.add(e.revenue);
        }
        total_lost.add(e.revenue);
        if e.revenue.is_some() {
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
    let distinct_reasons = reasons.iter().filter(|r| r.reason.is_some()).count() as u64;
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

    let mut observations: Vec<(f64, Option<ChurnCategory>)> = book
        .entries
        .iter()
        .filter_map(|e| Some((e.tenure_months?, e.churned.then_some(e.category))))
        .collect();
    // The estimate sorts them by duration (a comparison sort of every
    // customer); already in order, its sort only confirms it.
    sort_by_duration(&mut observations);
    let competing_risks = (churned > 0 && !observations.is_empty()).then(|| {
        let mut risks = aalen_johansen(&observations);
        risks.without_duration += customers - observations.len() as u64;
        risks
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
        call_list: at_stake.call_list,
        call_list_basis: at_stake.basis,
    }
}

/// `v.sort_by(|a, b| a.0.total_cmp(&b.0))` by a stable LSD radix sort on
/// the key's bits (11 a pass; passes where all keys share the digit are
/// skipped): the same order in a fraction of the steps for 200k customers.
fn sort_by_duration<T: Copy>(v: &mut Vec<(f64, T)>) {
    const BITS: usize = 11;
    const PASSES: usize = 64usize.div_ceil(BITS);
    const BUCKETS: usize = 1 << BITS;
    if v.len() < 256 {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        return;
    }
    // f64::total_cmp's key as an unsigned number in the same order.
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        ((bits ^ ((((bits >> 63) as u64) >> 1) as i64)) as u64) ^ (1 << 63)
    };
    let digit = |k: u64, pass: usize| (k >> (pass * BITS)) as usize & (BUCKETS - 1);
    let mut from: Vec<(u64, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item.0), i as u32))
        .collect();
    let mut counts = vec![[0u32; BUCKETS]; PASSES];
    for &(k, _) in &from {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(k, pass)] += 1;
        }
    }
    let mut to = from.clone();
    for (pass, count) in counts.iter_mut().enumerate() {
        if count.iter().any(|&n| n as usize == from.len()) {
            continue;
        }
        let mut next = 0;
        for n in count.iter_mut() {
            let here = *n;
            *n = next;
            next += here;
        }
        for &item in &from {
            let slot = &mut count[digit(item.0, pass)];
            to[*slot as usize] = item;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *v = from.iter().map(|&(_, i)| v[i as usize]).collect();
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
        .filter_map(|e| Some((month_of(e.end_day?)?, e.category)))
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

/// The segment of an entry for the call list when the caller gives none:
/// tenure band, CSAT and had-problem flag, whichever the data has. Built as
/// a small key so 200k customers need no label text each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Profile {
    tenure_band: Option<u8>,
    csat: Option<i64>,
    had_problem: Option<bool>,
}

const TENURE_BANDS: [&str; 5] = [
    "tenure < 6 m",
    "tenure 6-12 m",
    "tenure 12-24 m",
    "tenure 24-48 m",
    "tenure 48+ m",
];

impl Profile {
    fn of(entry: &ChurnEntry, record: Option<&CustomerRecord>) -> Option<Profile> {
        let profile = Profile {
            tenure_band: entry.tenure_months.map(|m| match m {
                m if m < 6.0 => 0,
                m if m < 12.0 => 1,
                m if m < 24.0 => 2,
                m if m < 48.0 => 3,
                _ => 4,
            }),
            // CSAT scales are small whole numbers; a rounded value is a level.
            csat: record
                .and_then(|r| r.csat)
                .filter(|c| c.is_finite() && c.abs() < 1e9)
                .map(|c| c.round() as i64),
            had_problem: record.and_then(|r| r.had_problem),
        };
        (profile.tenure_band.is_some() || profile.csat.is_some() || profile.had_problem.is_some())
            .then_some(profile)
    }

    fn name(self) -> String {
        let mut parts: Vec<String> = Vec::with_capacity(3);
        if let Some(band) = self.tenure_band {
            parts.push(TENURE_BANDS[usize::from(band).min(4)].to_string());
        }
        if let Some(csat) = self.csat {
            parts.push(format!("CSAT {csat}"));
        }
        if let Some(problem) = self.had_problem {
            parts.push(
                if problem {
                    "had a problem"
                } else {
                    "no problem"
                }
                .to_string(),
            );
        }
        parts.join(" · ")
    }
}

impl SegmentLabels {
    fn profiles(book: &ChurnBook, dataset: &Dataset) -> SegmentLabels {
        let mut index: FxHashMap<Profile, u32> = FxHashMap::default();
        let mut out = SegmentLabels::default();
        out.ids.reserve(book.entries.len());
        for e in &book.entries {
            let record = e
                .record
                .and_then(|i| dataset.customer_records.get(i as usize));
            let id = Profile::of(e, record).map(|p| {
                *index.entry(p).or_insert_with(|| {
                    out.names.push(p.name());
                    out.names.len() as u32 - 1
                })
            });
            out.ids.push(id);
        }
        out
    }
}

/// An active customer on the way to the call list.
struct Candidate {
    entry: usize,
    segment: u32,
    value: f64,
    value_at_risk: f64,
    p_alive: Option<f64>,
}

/// The most frequent known category among a segment's churners (counts
/// parallel to [`ChurnCategory::ALL`]; ties to the earlier category): what
/// to ask about on the call. `unknown` when no churner's category is known.
fn likely_category(counts: &[u64]) -> ChurnCategory {
    ChurnCategory::ALL
        .iter()
        .filter(|c| c.is_specific() || **c == ChurnCategory::Other)
        .filter_map(|c| Some((*c, *counts.get(c.index())?)))
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.index())))
        .map_or(ChurnCategory::Unknown, |(c, _)| c)
}

struct AtStake {
    per_category: [MaybeSum; ChurnCategory::ALL.len()],
    call_list: Vec<CallEntry>,
    basis: String,
}

fn value_at_stake(book: &ChurnBook, dataset: &Dataset, options: ChurnOptions<'_>) -> AtStake {
    let record_of = |e: &ChurnEntry| {
        e.record
            .and_then(|i| dataset.customer_records.get(i as usize))
    };
    let labels = match options.segment_of {
        Some(f) => SegmentLabels::from_texts(book.entries.iter().map(|e| {
            let i = e.record? as usize;
            f(i, dataset.customer_records.get(i)?)
        })),
        None => SegmentLabels::profiles(book, dataset),
    };
    let basis = if options.segment_of.is_some() {
        "segment".to_string()
    } else {
        let records = || book.entries.iter().filter_map(record_of);
        let mut parts = Vec::new();
        if book.entries.iter().any(|e| e.tenure_months.is_some()) {
            parts.push("tenure band");
        }
        if records().any(|r| r.csat.is_some()) {
            parts.push("CSAT");
        }
        if records().any(|r| r.had_problem.is_some()) {
            parts.push("had a problem");
        }
        parts.join(", ")
    };
    let segments = segment_stats(book, &labels);
    let overall = share(book.churned().count() as u64, book.entries.len() as u64);

    let mut per_category = [MaybeSum::default(); ChurnCategory::ALL.len()];
    let mut candidates: Vec<Candidate> = Vec::new();
    for (i, (e, id)) in book.entries.iter().zip(&labels.ids).enumerate() {
        let (false, Some(value), Some(id)) = (e.churned, e.revenue, id) else {
            continue;
        };
        let Some(segment) = segments
            .get(*id as usize)
            .filter(|s| s.customers >= MIN_SEGMENT_CUSTOMERS)
        else {
            continue;
        };
        for (sum, &count) in per_category.iter_mut().zip(&segment.categories) {
            if count > 0 {
                sum.add(Some(value * share(count, segment.customers)));
            }
        }
        let p_alive = match (options.p_alive, e.customer) {
            (Some(p), Some(c)) => p.get(c as usize).copied().filter(|p| p.is_finite()),
            _ => None,
        };
        if segment.churn_share <= overall || p_alive.is_some_and(|p| p >= 0.5) {
            continue;
        }
        candidates.push(Candidate {
            entry: i,
            segment: *id,
            value,
            value_at_risk: value * segment.churn_share,
            p_alive,
        });
    }
    // Only the first CALL_LIST_LIMIT become entries with their texts: a
    // large base has tens of thousands of candidates.
    let order = |a: &Candidate, b: &Candidate| {
        b.value_at_risk
            .total_cmp(&a.value_at_risk)
            .then(b.value.total_cmp(&a.value))
            .then(a.entry.cmp(&b.entry))
    };
    if candidates.len() > CALL_LIST_LIMIT {
        candidates.select_nth_unstable_by(CALL_LIST_LIMIT, order);
        candidates.truncate(CALL_LIST_LIMIT);
    }
    candidates.sort_unstable_by(order);
    let calls = candidates
        .iter()
        .filter_map(|c| {
            let e = book.entries.get(c.entry)?;
            let segment = segments.get(c.segment as usize)?;
            Some(CallEntry {
                customer: e
                    .customer
                    .and_then(|id| dataset.customers.name(id))
                    .map(str::to_string),
                record: e.record.map(u64::from),
                value: c.value,
                segment: segment.segment.clone(),
                segment_churn_share: segment.churn_share,
                likely_category: likely_category(&segment.categories),
                p_alive: c.p_alive,
                value_at_risk: c.value_at_risk,
            })
        })
        .collect();
    AtStake {
        per_category,
        call_list: calls,
        basis,
    }
}

/// Segment labels of the entries as small ids: `ids` parallel to
/// `book.entries` (`None` = no segment), `names[id]` the label.
#[derive(Default)]
struct SegmentLabels {
    ids: Vec<Option<u32>>,
    names: Vec<String>,
}

impl SegmentLabels {
    /// Labels from any text per entry, each distinct text stored once.
    fn from_texts(texts: impl Iterator<Item = Option<String>>) -> SegmentLabels {
        let mut index: FxHashMap<String, u32> = FxHashMap::default();
        let mut out = SegmentLabels::default();
        for text in texts {
            let id = text.map(|t| match index.get(&t) {
                Some(&id) => id,
                None => {
                    let id = out.names.len() as u32;
                    out.names.push(t.clone());
                    index.insert(t, id);
                    id
                }
            });
            out.ids.push(id);
        }
        out
    }
}

/// Churn per segment, indexed by segment id (unsorted).
fn segment_stats(book: &ChurnBook, labels: &SegmentLabels) -> Vec<SegmentRow> {
    let mut rows: Vec<(SegmentRow, MaybeSum)> = labels
        .names
        .iter()
        .map(|name| {
            (
                SegmentRow {
                    segment: name.clone(),
                    customers: 0,
                    churned: 0,
                    churn_share: 0.0,
                    categories: vec![0; ChurnCategory::ALL.len()],
                    revenue_lost: None,
                },
                MaybeSum::default(),
            )
        })
        .collect();
    for (e, id) in book.entries.iter().zip(&labels.ids) {
        let Some((row, lost)) = id.and_then(|id| rows.get_mut(id as usize)) else {
            continue;
        };
        row.customers += 1;
        if e.churned {
            row.churned += 1;
            row.categories[e.category.index()] += 1;
            lost.add(e.revenue);
        }
    }
    rows.into_iter()
        .map(|(mut row, lost)| {
            row.churn_share = share(row.churned, row.customers);
            row.revenue_lost = lost.get();
            row
        })
        .collect()
}

/// [`segment_stats`] sorted by customers, most first, then by name; empty
/// segments left out.
fn segment_rows(book: &ChurnBook, labels: &SegmentLabels) -> Vec<SegmentRow> {
    let mut out: Vec<SegmentRow> = segment_stats(book, labels)
        .into_iter()
        .filter(|r| r.customers > 0)
        .collect();
    out.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.segment.cmp(&b.segment))
    });
    out
}

/// Churn per segment of the customers-file records (`segment_of` reads a
/// plan, region or contract column). Customers inferred from transactions
/// have no record and no segment here: use [`churn_by_customer_segment`].
pub fn churn_by_segment<F>(dataset: &Dataset, book: &ChurnBook, segment_of: F) -> Vec<SegmentRow>
where
    F: Fn(usize, &CustomerRecord) -> Option<String>,
{
    let labels = SegmentLabels::from_texts(book.entries.iter().map(|e| {
        let i = e.record? as usize;
        segment_of(i, dataset.customer_records.get(i)?)
    }));
    segment_rows(book, &labels)
}

/// Churn per segment given per interned customer id (`labels[id]`), for
/// segments that come from transactions (channel, first product) or elsewhere.
pub fn churn_by_customer_segment(book: &ChurnBook, labels: &[Option<String>]) -> Vec<SegmentRow> {
    let per_entry = SegmentLabels::from_texts(book.entries.iter().map(|e| {
        e.customer
            .and_then(|c| labels.get(c as usize))
            .and_then(Clone::clone)
    }));
    segment_rows(book, &per_entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChurnCategory::*;

    #[test]
    fn radix_sort_orders_durations_as_total_cmp() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e-300,
        ];
        for len in [0, 1, 255, 256, 257, 1000, 5000] {
            let mut v: Vec<(f64, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let x = match seed % 5 {
                        0 => specials[(seed >> 8) as usize % specials.len()],
                        1 => ((seed >> 16) % 40) as f64 / 30.4375,
                        _ => f64::from_bits(seed >> 2) * if seed & 2 == 0 { 1.0 } else { -1.0 },
                    };
                    (x, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0));
            sort_by_duration(&mut v);
            let bits =
                |v: &[(f64, usize)]| v.iter().map(|(x, i)| (x.to_bits(), *i)).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&expected), "{len}");
        }
    }

    #[test]
    fn the_file_category_wins_unless_it_is_the_catch_all() {
        assert_eq!(category_of(Some(Death), false, Some(Other), true), Death);
        assert_eq!(category_of(Some(Death), false, Some(Other), false), Other);
        assert_eq!(category_of(Some(Unknown), false, Some(Other), true), Other);
        assert_eq!(
            category_of(Some(Price), false, Some(Competitor), true),
            Competitor
        );
        assert_eq!(
            category_of(Some(Price), true, Some(Competitor), true),
            Price
        );
        assert_eq!(category_of(Some(Other), false, Some(Unknown), true), Other);
        assert_eq!(category_of(None, false, None, true), Unknown);
        assert_eq!(category_of(Some(Price), false, None, true), Price);
    }

    #[test]
    fn running_shares_end_at_one() {
        let mut c = [0.0; 3];
        accumulate([1u64, 1, 1].into_iter().zip(c.iter_mut()), 3);
        assert_eq!(c, [1.0 / 3.0, 2.0 / 3.0, 1.0]);
    }

    #[test]
    fn twelve_month_window_is_calendar_months() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().num_days_from_ce();
        assert_eq!(window_start(day(2024, 2, 29)), Some(day(2023, 2, 28)));
        assert_eq!(window_start(day(2024, 7, 15)), Some(day(2023, 7, 15)));
    }
}
