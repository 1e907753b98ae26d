//! The in-memory, columnar form of everything loaded: customer and order ids
//! interned to `u32`, dates as day numbers, one vector per field.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::ingest::{self, FileSummary, ReadOptions, ReadProgress, RecordKind};
use crate::segments::Segments;
use crate::IngestError;

/// Maps each distinct text id to a dense `u32`, first seen first.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    index: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.index.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Purchase and return lines, one entry per used row, in load order.
#[derive(Debug, Default, Clone)]
pub struct Transactions {
    /// Interned customer id.
    pub customer: Vec<u32>,
    /// Days since 0001-01-01 (`NaiveDate::num_days_from_ce`).
    pub day: Vec<i32>,
    /// Line value; negative for returns; `None` when the file has no amount.
    pub amount: Vec<Option<f64>>,
    /// Interned order id, when the file has one.
    pub order: Vec<Option<u32>>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    pub(crate) fn push(
        &mut self,
        customer: u32,
        date: NaiveDate,
        amount: Option<f64>,
        order: Option<u32>,
    ) {
        self.customer.push(customer);
        self.day.push(chrono::Datelike::num_days_from_ce(&date));
        self.amount.push(amount);
        self.order.push(order);
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.customer.truncate(len);
        self.day.truncate(len);
        self.amount.truncate(len);
        self.order.truncate(len);
    }
}

/// A likelihood-to-recommend answer, 0 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NpsScore(u8);

impl NpsScore {
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<&str> for NpsScore {
    type Error = ();

    /// Whole numbers 0-10 ("9", "9.0", " 10 "); anything else is refused.
    fn try_from(raw: &str) -> Result<Self, ()> {
        let value: f64 = raw.trim().replace(',', ".").parse().map_err(|_| ())?;
        if value.fract() == 0.0 && (0.0..=10.0).contains(&value) {
            Ok(NpsScore(value as u8))
        } else {
            Err(())
        }
    }
}

/// One survey answer. Scores the survey did not ask are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAnswer {
    pub customer: Option<u32>,
    pub date: Option<NaiveDate>,
    pub nps: Option<NpsScore>,
    /// On the survey's own scale (1-5 usually; detected by the survey analysis).
    pub csat: Option<f64>,
    pub ces: Option<f64>,
    pub comment: Option<String>,
    pub had_problem: Option<bool>,
}

/// One customer from a customers / churn file.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    /// `None` for files without an id column (survival data sets).
    pub customer: Option<u32>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub tenure_months: Option<f64>,
    /// From the churn flag, else from the status text, else from an end date.
    pub churned: Option<bool>,
    pub status: Option<String>,
    pub reason: Option<String>,
    pub category: Option<String>,
    pub value: Option<f64>,
    pub csat: Option<f64>,
    pub had_problem: Option<bool>,
}

/// One customer in the BTYD summary form (lifetimes' column names).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    pub customer: u32,
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: Option<f64>,
}

/// Everything loaded for one analysis: files joined on the customer id.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Vec<FileSummary>,
    pub transactions: Transactions,
    pub survey_answers: Vec<SurveyAnswer>,
    pub customer_records: Vec<CustomerRecord>,
    pub summaries: Vec<CustomerSummary>,
    pub customers: Interner,
    pub orders: Interner,
    /// Per loaded file (parallel to `files`): its distinct customer ids, sorted.
    pub file_customers: Vec<Vec<u32>>,
    /// Extra low-cardinality text columns (region, channel, plan...).
    pub segments: Segments,
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
        let pick = |keep: &[bool], i: usize| keep.get(i).copied().unwrap_or(false);
        let mut transactions = Transactions::default();
        for i in (0..self.transactions.len()).filter(|&i| keep_tx[i]) {
            transactions.customer.push(self.transactions.customer[i]);
            transactions.day.push(self.transactions.day[i]);
            transactions.amount.push(self.transactions.amount[i]);
            transactions.order.push(self.transactions.order[i]);
        }
        let mut segments = self.segments.clone();
        for column in &mut segments.columns {
            let keep: &[bool] = match column.kind {
                RecordKind::Transactions => &keep_tx,
                RecordKind::SurveyAnswers => &keep_answers,
                RecordKind::Customers => &keep_records,
                RecordKind::Summary => continue,
            };
            column.rows = column
                .rows
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(keep, *i))
                .map(|(_, &c)| c)
                .collect();
        }
        Dataset {
            files: self.files.clone(),
            transactions,
            survey_answers: self
                .survey_answers
                .iter()
                .zip(&keep_answers)
                .filter(|(_, k)| **k)
                .map(|(a, _)| a.clone())
                .collect(),
            customer_records: self
                .customer_records
                .iter()
                .zip(&keep_records)
                .filter(|(_, k)| **k)
                .map(|(r, _)| r.clone())
                .collect(),
            summaries: self.summaries.clone(),
            customers: self.customers.clone(),
            orders: self.orders.clone(),
            file_customers: self.file_customers.clone(),
            segments,
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

    /// Reads one exported file into the dataset. On error the dataset is left
    /// as it was, so the other files keep working.
    pub fn add_file(&mut self, file: &str, bytes: &[u8]) -> Result<&FileSummary, IngestError> {
        self.add_file_with(file, bytes, &ReadOptions::default(), &mut |_| {})
    }

    /// [`Dataset::add_file`] with the user's reading options, reporting
    /// progress every 65,536 rows and at the end.
    pub fn add_file_with(
        &mut self,
        file: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Result<&FileSummary, IngestError> {
        let before = (
            self.transactions.len(),
            self.survey_answers.len(),
            self.customer_records.len(),
            self.summaries.len(),
        );
        match ingest::read_file(self, file, bytes, options, progress) {
            Ok(summary) => {
                self.files.push(summary);
                Ok(self.files.last().expect("just pushed"))
            }
            Err(e) => {
                self.transactions.truncate(before.0);
                self.survey_answers.truncate(before.1);
                self.customer_records.truncate(before.2);
                self.summaries.truncate(before.3);
                self.file_customers.truncate(self.files.len());
                Err(e)
            }
        }
    }
}
