//! The usable summaries a CLV analysis works on: held, or read again from
//! the purchase histories as they are needed.

use std::sync::Arc;

use super::ClvAnalysis;
use crate::dataset::CustomerSummary;
use crate::models::summary::{
    usable, usable_summaries, PurchaseHistories, SummaryRejections, TimeUnit,
};

/// The usable summaries the predictions are parallel to. From transactions,
/// with every customer's row usable (the usual case), they are one per
/// purchase history in order and are read again from the histories
/// whenever asked for ([`SummaryView`]): held, they took 48 bytes a
/// customer (46 MB at 1M customers) from the models' start to the end of
/// the analysis, under its highest memory, and after it for as long as the
/// report is shown.
#[derive(Debug, Clone)]
pub(crate) enum SummaryRows {
    Kept(Arc<Vec<CustomerSummary>>),
    OfHistories {
        rows: usize,
        end_day: i32,
        unit: TimeUnit,
    },
}

impl SummaryRows {
    /// The usable summaries of `histories` at `end_day` (their last day),
    /// with the rows left out: read again when every row is usable (all
    /// are checked once), else kept.
    pub(super) fn of_histories(
        histories: &PurchaseHistories,
        end_day: i32,
        unit: TimeUnit,
    ) -> (SummaryRows, SummaryRejections) {
        let all_usable = (0..histories.len()).all(|i| {
            histories
                .summary_of(i, end_day, unit)
                .is_some_and(|mut s| usable(&mut s).is_ok())
        });
        if all_usable {
            let rows = histories.len();
            let of_histories = SummaryRows::OfHistories {
                rows,
                end_day,
                unit,
            };
            (of_histories, SummaryRejections::default())
        } else {
            let (rows, rejections) = usable_summaries(histories.summaries(end_day, unit));
            (SummaryRows::Kept(Arc::new(rows)), rejections)
        }
    }

    /// Summaries from a file (or none), usable rows kept.
    pub(super) fn kept(rows: Vec<CustomerSummary>) -> (SummaryRows, SummaryRejections) {
        let (rows, rejections) = usable_summaries(rows);
        (SummaryRows::Kept(Arc::new(rows)), rejections)
    }

    /// The rows, read through `histories` (the ones they were made from).
    pub(crate) fn view<'a>(&'a self, histories: &'a PurchaseHistories) -> SummaryView<'a> {
        SummaryView {
            rows: self,
            histories,
        }
    }
}

/// [`SummaryRows`] with the histories they are read from: rows by number,
/// or all in order (cheap to copy, each pass reads them again).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SummaryView<'a> {
    rows: &'a SummaryRows,
    histories: &'a PurchaseHistories,
}

impl<'a> SummaryView<'a> {
    pub(crate) fn len(&self) -> usize {
        match self.rows {
            SummaryRows::Kept(rows) => rows.len(),
            SummaryRows::OfHistories { rows, .. } => *rows,
        }
    }

    /// Row `i`.
    pub(crate) fn at(&self, i: usize) -> Option<CustomerSummary> {
        match self.rows {
            SummaryRows::Kept(rows) => rows.get(i).cloned(),
            SummaryRows::OfHistories { end_day, unit, .. } => {
                let mut s = self.histories.summary_of(i, *end_day, *unit)?;
                usable(&mut s).ok().map(|()| s)
            }
        }
    }

    /// The customer of row `i`.
    pub(crate) fn customer_at(&self, i: usize) -> Option<u32> {
        match self.rows {
            SummaryRows::Kept(rows) => rows.get(i).map(|s| s.customer),
            SummaryRows::OfHistories { .. } => self.histories.customers.get(i).copied(),
        }
    }

    /// The row of an interned customer id.
    pub(crate) fn row_of(&self, customer: u32) -> Option<usize> {
        match self.rows {
            SummaryRows::Kept(rows) => rows.iter().position(|s| s.customer == customer),
            SummaryRows::OfHistories { .. } => self.histories.index_of(customer),
        }
    }
}

impl<'a> IntoIterator for SummaryView<'a> {
    type Item = CustomerSummary;
    type IntoIter = SummaryIter<'a>;

    fn into_iter(self) -> SummaryIter<'a> {
        SummaryIter {
            view: self,
            next: 0,
        }
    }
}

/// The rows of a [`SummaryView`] in order.
pub(crate) struct SummaryIter<'a> {
    view: SummaryView<'a>,
    next: usize,
}

impl Iterator for SummaryIter<'_> {
    type Item = CustomerSummary;

    fn next(&mut self) -> Option<CustomerSummary> {
        let len = self.view.len();
        while self.next < len {
            self.next += 1;
            // Every row was usable when the view's rows were made: none is
            // passed over, and the rows stay parallel to the predictions.
            if let Some(s) = self.view.at(self.next - 1) {
                return Some(s);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.view.len() - self.next))
    }
}

impl ClvAnalysis {
    fn summary_view(&self) -> SummaryView<'_> {
        self.summaries.view(&self.histories)
    }

    /// The usable summaries at the observation end, in order, parallel to
    /// `predictions`.
    pub fn summaries(&self) -> impl Iterator<Item = CustomerSummary> + '_ {
        self.summary_view().into_iter()
    }

    /// How many usable summaries there are.
    pub fn summary_count(&self) -> usize {
        self.summary_view().len()
    }

    /// Summary row `i`.
    pub(super) fn summary_at(&self, i: usize) -> Option<CustomerSummary> {
        self.summary_view().at(i)
    }

    /// Whether the predictions' rows are the customer ids `0..customers`
    /// in order (each id's row is the id).
    pub(crate) fn rows_are_customer_ids(&self, customers: usize) -> bool {
        // The histories' customers are ascending and distinct: as many as
        // the ids, the last of them the last id, they are every id.
        let ids = &self.histories.customers;
        matches!(self.summaries, SummaryRows::OfHistories { rows, .. } if rows == customers)
            && ids.len() == customers
            && ids
                .last()
                .is_none_or(|&last| last as usize + 1 == customers)
            && self.predictions.len() == customers
    }

    /// The summary row of an interned customer id.
    pub(super) fn summary_row_of(&self, customer: u32) -> Option<usize> {
        self.summary_view().row_of(customer)
    }
}
