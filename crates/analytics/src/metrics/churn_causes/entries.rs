//! The customers of a churn book: listed, or, inferred from transactions,
//! read from the customer index as they are needed.

use std::sync::Arc;

use crate::dataset::CustomerIndex;
use crate::metrics::churn_rules::ChurnCategory;

use super::book::{ChurnEntry, ChurnFacts, DAYS_PER_MONTH};
use super::revenue::purchase_span;

/// Every customer of a [`super::ChurnBook`], in order: entries by position
/// ([`Self::get`]) or all of them ([`Self::iter`]), each a [`ChurnEntry`].
#[derive(Debug, Clone)]
pub struct ChurnEntries(Held);

#[derive(Debug, Clone)]
enum Held {
    /// From a customers file: what each record says, kept.
    Listed(Vec<ChurnEntry>),
    /// From transactions: everything but the revenue follows from the
    /// customer's first and last purchase, read from the index each time.
    /// Listed, the entries took 40 bytes a customer (38 MiB at a million)
    /// and the section's highest memory; this is 12.
    Inferred(Inferred),
}

#[derive(Debug, Clone)]
struct Inferred {
    index: Arc<CustomerIndex>,
    /// The customers with a purchase, ascending id.
    customers: Vec<u32>,
    /// Revenue per customer id, NaN for none.
    revenue: Vec<f64>,
    last_day: i32,
    window: i32,
}

impl Inferred {
    fn entry(&self, customer: u32) -> Option<ChurnEntry> {
        let c = customer as usize;
        let (first, last) = purchase_span(&self.index, c)?;
        let churned = self.last_day - last >= self.window;
        let until = if churned { last } else { self.last_day };
        Some(ChurnEntry::from(ChurnFacts {
            customer: Some(customer),
            record: None,
            churned,
            reason: None,
            file_category: None,
            category: ChurnCategory::Unknown,
            revenue: self.revenue.get(c).copied().filter(|v| !v.is_nan()),
            revenue_from_value_column: false,
            tenure_months: Some(f64::from(until - first) / DAYS_PER_MONTH),
            end_day: churned.then_some(last),
        }))
    }
}

impl ChurnEntries {
    pub(super) fn listed(entries: Vec<ChurnEntry>) -> ChurnEntries {
        ChurnEntries(Held::Listed(entries))
    }

    /// Every customer of `index` with a purchase: churned when the last one
    /// is `window` days or more before `last_day`; `revenue` by customer id
    /// (NaN for none).
    pub(super) fn inferred(
        index: Arc<CustomerIndex>,
        revenue: Vec<f64>,
        last_day: i32,
        window: i32,
    ) -> ChurnEntries {
        let customers = (0..index.customers())
            .filter(|&c| !index.days(c).is_empty())
            .filter_map(|c| u32::try_from(c).ok())
            .collect();
        ChurnEntries(Held::Inferred(Inferred {
            index,
            customers,
            revenue,
            last_day,
            window,
        }))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Held::Listed(entries) => entries.len(),
            Held::Inferred(inferred) => inferred.customers.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry at position `i`.
    pub fn get(&self, i: usize) -> Option<ChurnEntry> {
        match &self.0 {
            Held::Listed(entries) => entries.get(i).cloned(),
            Held::Inferred(inferred) => inferred.entry(*inferred.customers.get(i)?),
        }
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = ChurnEntry> + Clone + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl PartialEq for ChurnEntries {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}
