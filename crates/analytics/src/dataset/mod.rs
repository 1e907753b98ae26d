//! The in-memory, columnar form of everything loaded: customer and order ids
//! interned to `u32`, dates as day numbers, one vector per field. Plain
//! data: the reading of files (`Dataset::add_file` and the rest) is
//! `ingest`'s, the analyses are above.

mod column;
mod currency;
mod files;
mod index;
mod interner;
mod records;
pub mod segments;
mod tracked;

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;

pub use column::{Absent, OptionalColumn};
pub use currency::{Currency, LeftOut};
pub use files::{
    ColumnInfo, DateFormat, FileNote, FileSummary, Layout, Misfit, RecordKind, RejectReason,
    RejectedRow, RejectionGroup, Role, SheetRows,
};
pub use index::CustomerIndex;
pub use interner::Interner;
pub(crate) use records::is_purchase;
pub use records::{CustomerRecord, CustomerSummary, NpsScore, SurveyAnswer, Transactions};
pub use segments::Segments;
pub use tracked::{Stamp, Tracked};

/// Everything loaded for one analysis: files joined on the customer id.
///
/// The fields are public and each is [`Tracked`]: any change to one, by a
/// method or by hand, gives the dataset a new [`Dataset::stamp`], and what
/// was computed from the old contents (the customer index, the report's
/// rerun cache) is not used again.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Tracked<Vec<FileSummary>>,
    pub transactions: Tracked<Transactions>,
    pub survey_answers: Tracked<Vec<SurveyAnswer>>,
    pub customer_records: Tracked<Vec<CustomerRecord>>,
    pub summaries: Tracked<Vec<CustomerSummary>>,
    pub customers: Tracked<Interner>,
    pub orders: Tracked<Interner>,
    /// Per loaded file (parallel to `files`): its distinct customer ids, sorted.
    pub file_customers: Tracked<Vec<Vec<u32>>>,
    /// Extra low-cardinality text columns (region, channel, plan...).
    pub segments: Tracked<Segments>,
    /// The transactions by customer with the transactions' stamp, built by
    /// the first analysis and kept for reruns with other settings.
    customer_index: OnceLock<(Stamp, Arc<CustomerIndex>)>,
    /// What a later layer keeps beside the dataset: the report's rerun
    /// cache (`report::cache`), of a type this layer does not know.
    derived: DerivedSlot,
}

/// The dataset's slot for what is computed from it (one value of any type);
/// a clone of the dataset starts with an empty one.
#[derive(Default)]
pub(crate) struct DerivedSlot(OnceLock<Box<dyn std::any::Any + Send + Sync>>);

impl Clone for DerivedSlot {
    fn clone(&self) -> Self {
        DerivedSlot::default()
    }
}

impl std::fmt::Debug for DerivedSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DerivedSlot")
    }
}

impl Dataset {
    /// The data within a date range (either end open), for the page's date
    /// filter: transactions and dated survey answers inside it (undated
    /// answers kept), customers whose time as a customer overlaps it. Files,
    /// ids and row accounting stay as read.
    pub fn within(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Dataset {
        use chrono::Datelike;
        let (lo, hi) = (
            from.map_or(i32::MIN, |d| d.num_days_from_ce()),
            to.map_or(i32::MAX, |d| d.num_days_from_ce()),
        );
        let inside = |d: NaiveDate| (lo..=hi).contains(&d.num_days_from_ce());
        let keep_tx: Vec<bool> = self
            .transactions
            .day
            .iter()
            .map(|d| (lo..=hi).contains(d))
            .collect();
        let keep_answers: Vec<bool> = self
            .survey_answers
            .iter()
            .map(|a| a.date.is_none_or(inside))
            .collect();
        let keep_records: Vec<bool> = self
            .customer_records
            .iter()
            .map(|r| {
                r.start.is_none_or(|s| s.num_days_from_ce() <= hi)
                    && r.end.is_none_or(|e| e.num_days_from_ce() >= lo)
            })
            .collect();
        let transactions = self.transactions.select(&keep_tx);
        let mut segments = Segments::clone(&self.segments);
        segments.keep_rows(RecordKind::Transactions, &keep_tx);
        segments.keep_rows(RecordKind::SurveyAnswers, &keep_answers);
        segments.keep_rows(RecordKind::Customers, &keep_records);
        Dataset {
            files: self.files.clone(),
            transactions: transactions.into(),
            survey_answers: self
                .survey_answers
                .iter()
                .zip(&keep_answers)
                .filter(|(_, k)| **k)
                .map(|(a, _)| a.clone())
                .collect::<Vec<_>>()
                .into(),
            customer_records: self
                .customer_records
                .iter()
                .zip(&keep_records)
                .filter(|(_, k)| **k)
                .map(|(r, _)| r.clone())
                .collect::<Vec<_>>()
                .into(),
            summaries: self.summaries.clone(),
            customers: self.customers.clone(),
            orders: self.orders.clone(),
            file_customers: self.file_customers.clone(),
            segments: segments.into(),
            // Built on first use from the filtered transactions.
            customer_index: OnceLock::new(),
            derived: DerivedSlot::default(),
        }
    }

    /// Rows held for one record kind.
    pub fn rows_of(&self, kind: RecordKind) -> usize {
        match kind {
            RecordKind::Transactions => self.transactions.len(),
            RecordKind::SurveyAnswers => self.survey_answers.len(),
            RecordKind::Customers => self.customer_records.len(),
            RecordKind::Summary => self.summaries.len(),
        }
    }

    /// [`CustomerIndex`] of the transactions, built once and shared by every
    /// analysis and every rerun. (Should the transactions have changed since,
    /// a fresh index is built.)
    pub fn customer_index(&self) -> Arc<CustomerIndex> {
        let now = Tracked::stamp(&self.transactions);
        let (made_for, index) = self
            .customer_index
            .get_or_init(|| (now, Arc::new(CustomerIndex::build(&self.transactions))));
        if *made_for == now {
            Arc::clone(index)
        } else {
            Arc::new(CustomerIndex::build(&self.transactions))
        }
    }

    /// Where the contents stand: equal stamps of one dataset mean that no
    /// field has changed in between (see [`Tracked`]).
    pub fn stamp(&self) -> [Stamp; 9] {
        [
            Tracked::stamp(&self.files),
            Tracked::stamp(&self.transactions),
            Tracked::stamp(&self.survey_answers),
            Tracked::stamp(&self.customer_records),
            Tracked::stamp(&self.summaries),
            Tracked::stamp(&self.customers),
            Tracked::stamp(&self.orders),
            Tracked::stamp(&self.file_customers),
            Tracked::stamp(&self.segments),
        ]
    }

    /// The value a later layer keeps beside this dataset (made by `make` on
    /// first use); `None` when a value of another type is kept.
    pub(crate) fn derived<T: std::any::Any + Send + Sync>(
        &self,
        make: impl FnOnce() -> T,
    ) -> Option<&T> {
        self.derived
            .0
            .get_or_init(|| Box::new(make()))
            .downcast_ref::<T>()
    }

    /// Drops what was computed from the contents (before a file is added:
    /// it would not be used again, see [`Dataset::stamp`]).
    pub(crate) fn drop_derived(&mut self) {
        self.customer_index = OnceLock::new();
        self.derived = DerivedSlot::default();
    }
}
