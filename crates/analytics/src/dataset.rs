//! The in-memory, columnar form of everything loaded: customer and order ids
//! interned to `u32`, dates as day numbers, one vector per field.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::ingest::{self, FileSummary};
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

/// Everything loaded for one analysis: files joined on the customer id.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Vec<FileSummary>,
    pub transactions: Transactions,
    pub customers: Interner,
    pub orders: Interner,
}

impl Dataset {
    /// Reads one exported file into the dataset. On error the dataset is left
    /// as it was, so the other files keep working.
    pub fn add_file(&mut self, file: &str, bytes: &[u8]) -> Result<&FileSummary, IngestError> {
        let rows_before = self.transactions.len();
        match ingest::read_transactions(self, file, bytes) {
            Ok(summary) => {
                self.files.push(summary);
                Ok(self.files.last().expect("just pushed"))
            }
            Err(e) => {
                self.transactions.truncate(rows_before);
                Err(e)
            }
        }
    }
}
