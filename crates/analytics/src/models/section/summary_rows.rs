//! The usable summaries a CLV analysis keeps, or reads again from the
//! purchase histories.

use std::sync::Arc;

use super::{ClvAnalysis, SummarySource};
use crate::dataset::CustomerSummary;
use crate::models::summary::{usable, PurchaseHistories, TimeUnit};

/// The usable summaries the predictions are parallel to. From transactions,
/// with every customer's row usable (the usual case), they are one per
/// purchase history in order and are read again from the histories when
/// asked for: held, they took 48 bytes a customer (9 MB at 200k customers,
/// 46 MB at 1M) for as long as the report is shown.
#[derive(Debug, Clone)]
pub(super) enum SummaryRows {
    Kept(Arc<Vec<CustomerSummary>>),
    OfHistories {
        rows: usize,
        end_day: i32,
        unit: TimeUnit,
    },
}

impl SummaryRows {
    pub(super) fn new(
        rows: Vec<CustomerSummary>,
        source: SummarySource,
        rejected: u64,
        histories: &PurchaseHistories,
        unit: TimeUnit,
    ) -> SummaryRows {
        // `rows` are `usable_summaries(histories.summaries(end, unit))`:
        // when none was left out, row i is history i's.
        match histories.last_day {
            Some(end_day)
                if source == SummarySource::Transactions
                    && rejected == 0
                    && rows.len() == histories.len() =>
            {
                SummaryRows::OfHistories {
                    rows: rows.len(),
                    end_day,
                    unit,
                }
            }
            _ => SummaryRows::Kept(Arc::new(rows)),
        }
    }
}

impl ClvAnalysis {
    /// The usable summaries at the observation end, in order, parallel to
    /// `predictions`.
    pub fn summaries(&self) -> Box<dyn Iterator<Item = CustomerSummary> + '_> {
        match &self.summaries {
            SummaryRows::Kept(rows) => Box::new(rows.iter().cloned()),
            SummaryRows::OfHistories { rows, .. } => {
                Box::new((0..*rows).filter_map(|i| self.summary_at(i)))
            }
        }
    }

    /// How many usable summaries there are.
    pub fn summary_count(&self) -> usize {
        match &self.summaries {
            SummaryRows::Kept(rows) => rows.len(),
            SummaryRows::OfHistories { rows, .. } => *rows,
        }
    }

    /// Summary row `i`.
    pub(super) fn summary_at(&self, i: usize) -> Option<CustomerSummary> {
        match &self.summaries {
            SummaryRows::Kept(rows) => rows.get(i).cloned(),
            SummaryRows::OfHistories { end_day, unit, .. } => {
                let mut s = self.histories.summary_of(i, *end_day, *unit)?;
                usable(&mut s).ok().map(|()| s)
            }
        }
    }

    /// The summary row of an interned customer id.
    pub(super) fn summary_row_of(&self, customer: u32) -> Option<usize> {
        match &self.summaries {
            SummaryRows::Kept(rows) => rows.iter().position(|s| s.customer == customer),
            SummaryRows::OfHistories { .. } => self.histories.index_of(customer),
        }
    }
}
