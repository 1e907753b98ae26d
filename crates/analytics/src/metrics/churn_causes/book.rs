//! Who is a churner: the churn records of a customers file (one per
//! customer, the latest) or, without one, the churn window over the
//! transactions.

use chrono::Datelike;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::dataset::CustomerRecord;
use crate::metrics::churn_rules::{ChurnCategory, ChurnRules, CompiledRules, ReasonOverrides};
use crate::Dataset;

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

const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

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
