//! Who is a churner: the churn records of a customers file (one per
//! customer, the latest) or, without one, the churn window over the
//! transactions.

use chrono::Datelike;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::{ChurnCategory, ChurnRules, CompiledRules, ReasonOverrides};
use crate::Dataset;

use super::entries::ChurnEntries;
use super::reasons::{category_of, TextTable};
use super::revenue::{purchase_span, revenue_before};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnSource {
    /// Churned flag, status or end date of a customers / churn file.
    CustomerRecords,
    /// No purchase within the churn window before the data's last date.
    Transactions,
}

/// One customer of the analysis: what [`ChurnFacts`] says, packed into 40
/// bytes instead of 80 (a base of a million customers has a million of
/// these beside the analysis held for the page). "None" is a sentinel
/// inside each field, read through the accessors.
#[derive(Debug, Clone)]
pub struct ChurnEntry {
    customer: u32,
    record: u32,
    reason: u32,
    file_category: u32,
    end_day: i32,
    /// NaN for none.
    revenue: f64,
    /// NaN for none.
    tenure_months: f64,
    pub churned: bool,
    /// The canonical category of a churner; `Unknown` for active customers.
    pub category: ChurnCategory,
    pub revenue_from_value_column: bool,
}

/// A [`ChurnEntry`] unpacked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChurnFacts {
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

// The point of the packing; a field added later must keep it.
const _: () = assert!(std::mem::size_of::<ChurnEntry>() == 40);

const NO_INDEX: u32 = u32::MAX;
const NO_DAY: i32 = i32::MIN;

fn index_in(value: Option<u32>) -> u32 {
    // An index as large as the sentinel cannot occur: wasm32 holds fewer
    // than u32::MAX customers or records.
    value.unwrap_or(NO_INDEX)
}

fn index_out(value: u32) -> Option<u32> {
    (value != NO_INDEX).then_some(value)
}

/// A figure that is not a number is none (a sum of amounts never is).
fn figure_out(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

impl From<ChurnFacts> for ChurnEntry {
    fn from(f: ChurnFacts) -> Self {
        ChurnEntry {
            customer: index_in(f.customer),
            record: index_in(f.record),
            reason: index_in(f.reason),
            file_category: index_in(f.file_category),
            end_day: f.end_day.filter(|&d| d != NO_DAY).unwrap_or(NO_DAY),
            revenue: f.revenue.unwrap_or(f64::NAN),
            tenure_months: f.tenure_months.unwrap_or(f64::NAN),
            churned: f.churned,
            category: f.category,
            revenue_from_value_column: f.revenue_from_value_column,
        }
    }
}

impl ChurnEntry {
    pub fn facts(&self) -> ChurnFacts {
        ChurnFacts {
            customer: self.customer(),
            record: self.record(),
            churned: self.churned,
            reason: self.reason(),
            file_category: self.file_category(),
            category: self.category,
            revenue: self.revenue(),
            revenue_from_value_column: self.revenue_from_value_column,
            tenure_months: self.tenure_months(),
            end_day: self.end_day(),
        }
    }
    pub fn customer(&self) -> Option<u32> {
        index_out(self.customer)
    }
    pub fn record(&self) -> Option<u32> {
        index_out(self.record)
    }
    pub fn reason(&self) -> Option<u32> {
        index_out(self.reason)
    }
    pub fn file_category(&self) -> Option<u32> {
        index_out(self.file_category)
    }
    pub fn revenue(&self) -> Option<f64> {
        figure_out(self.revenue)
    }
    fn set_revenue(&mut self, revenue: Option<f64>) {
        self.revenue = revenue.unwrap_or(f64::NAN);
    }
    pub fn tenure_months(&self) -> Option<f64> {
        figure_out(self.tenure_months)
    }
    pub fn end_day(&self) -> Option<i32> {
        (self.end_day != NO_DAY).then_some(self.end_day)
    }
}

impl PartialEq for ChurnEntry {
    fn eq(&self, other: &Self) -> bool {
        self.facts() == other.facts()
    }
}

/// Every customer of the analysis with their churn status and category:
/// the input of the section, the segment table and the call list.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnBook {
    pub source: ChurnSource,
    pub entries: ChurnEntries,
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

pub(super) const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

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
            entries.push(ChurnEntry::from(ChurnFacts {
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
            }));
        }
        keep_latest_per_customer(&mut entries, records);
        // Value from transactions for those without a value figure: the 12
        // months up to the end date, else up to the last purchase.
        if !dataset.transactions.is_empty()
            && entries
                .iter()
                .any(|e| e.revenue().is_none() && e.customer().is_some())
        {
            let index = dataset.customer_index();
            let mut reference: Vec<Option<i32>> = (0..dataset.customers.len())
                .map(|c| {
                    (c < index.customers())
                        .then(|| purchase_span(&index, c).map(|s| s.1))
                        .flatten()
                })
                .collect();
            for e in &entries {
                if let (Some(c), Some(end)) = (e.customer(), e.end_day()) {
                    if let Some(slot) = reference.get_mut(c as usize) {
                        *slot = Some(end);
                    }
                }
            }
            let sums = revenue_before(dataset, reference.len(), |c| reference[c]);
            for e in entries.iter_mut().filter(|e| e.revenue().is_none()) {
                let revenue = e
                    .customer()
                    .and_then(|c| sums.get(c as usize).copied())
                    .filter(|v| !v.is_nan());
                e.set_revenue(revenue);
            }
        }
        ChurnBook {
            source: ChurnSource::CustomerRecords,
            entries: ChurnEntries::listed(entries),
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
        let index = dataset.customer_index();
        let (_, last_day) = index.day_range()?;
        let window = churn_window_days.max(1) as i32;
        // Spans are read from the index as needed: a table of them took 12
        // bytes a customer at the section's peak.
        let revenue = revenue_before(dataset, index.customers(), |c| {
            purchase_span(&index, c).map(|s| s.1)
        });
        let entries = ChurnEntries::inferred(index, revenue, last_day, window);
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

    pub fn churned(&self) -> impl Iterator<Item = ChurnEntry> + '_ {
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
            .record()
            .and_then(|i| records.get(i as usize))
            .and_then(|r| r.end);
        (end.map_or(i32::MAX, |d| d.num_days_from_ce()), e.record())
    };
    let mut latest: FxHashMap<u32, usize> = FxHashMap::default();
    for (k, e) in entries.iter().enumerate() {
        if let Some(c) = e.customer() {
            let slot = latest.entry(c).or_insert(k);
            if rank(e) >= rank(&entries[*slot]) {
                *slot = k;
            }
        }
    }
    if latest.len() == entries.iter().filter(|e| e.customer().is_some()).count() {
        return;
    }
    let mut k = 0;
    entries.retain(|e| {
        let keep = e.customer().is_none_or(|c| latest.get(&c) == Some(&k));
        k += 1;
        keep
    });
}
