//! Errors that stop a whole file from being read. Row-level problems are not
//! errors: they are counted as rejections (see [`crate::ingest::RejectReason`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a file could not be used at all. Every variant names the file, and the
/// line and column where the reader gave up when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IngestError {
    #[error("{file}: the file is empty. Export the data again, with its rows.")]
    Empty { file: String },

    #[error(
        "{file}: this is not a text export (byte {offset} is binary data). \
         Save the table as CSV or TXT and drop that file."
    )]
    Binary { file: String, offset: usize },

    #[error("{file}: the file looks gzip-compressed but cannot be unpacked ({detail}).")]
    BadGzip { file: String, detail: String },

    #[error(
        "{file}: unpacked, the file is larger than {limit_mb} MB, more than the browser can hold \
         (a compressed file that unpacks to this much may also be damaged or hostile). \
         Split it by period, or load the per-customer summary instead."
    )]
    UnpacksTooLarge { file: String, limit_mb: u64 },

    #[error(
        "{file}: the browser ran out of memory while reading the file ({needed_mb} MB asked for). \
         Split it by period, or load the per-customer summary instead."
    )]
    OutOfMemory { file: String, needed_mb: u64 },

    #[error(
        "{file}: {detail}. Split the workbook, save that sheet as CSV, or load the per-customer \
         summary instead."
    )]
    SheetTooLarge { file: String, detail: String },

    #[error(
        "{file}: the spreadsheet cannot be read ({detail}). Save it as XLSX or CSV and try again."
    )]
    BadSpreadsheet { file: String, detail: String },

    #[error("{file}: '{label}' is not a character encoding this browser knows (try windows-1251, koi8-r, utf-8).")]
    UnknownEncoding { file: String, label: String },

    #[error(
        "{file}: no known columns found (columns: {found}).{} Loyalty Lens needs, for example, \
         a customer id and a date (orders: customer_id, client, клиент; date, дата), \
         a 0-10 score (survey answers: nps, оценка), or a churn flag, status or reason \
         (customers: churned, status, причина ухода).",
        .refused.en
    )]
    NoRecognisedColumns {
        file: String,
        found: String,
        /// Columns named like a role whose values refused it, one sentence
        /// each (with a leading space), or empty. Boxed: the error is
        /// returned by value everywhere, and two texts made it the largest.
        #[serde(default)]
        refused: Box<Worded>,
        /// Every column's name, by position, and the first data rows
        /// (clipped): the mapping panel offers them, so the user can name
        /// the roles by hand and read the file again.
        #[serde(default)]
        columns: Vec<String>,
        #[serde(default)]
        preview: Vec<Vec<String>>,
    },

    #[error(
        "{file}: column {column} was chosen for the customer id, but the file has \
         {columns} columns."
    )]
    NoSuchColumn {
        file: String,
        /// Counted from 1, as a user counts.
        column: u64,
        columns: u64,
    },

    #[error(
        "{file}: line {line}, column '{column}': the date '{value}' cannot be read, \
         nor can the other dates in that column. Use dates like 2024-01-31, \
         31.01.2024, 01/31/2024 or 20240131."
    )]
    UnreadableDates {
        file: String,
        line: u64,
        column: String,
        value: String,
    },

    #[error(
        "{file}: none of the {rows} rows could be used; the first problem is at line \
         {line}, column '{column}': {}.", .reason.en
    )]
    NoUsableRows {
        file: String,
        rows: u64,
        line: u64,
        column: String,
        reason: Worded,
    },
}

/// Part of an error's message in each of the page's languages (a reject
/// reason, the columns refused), worded where the error is made: the error
/// type sits below the words (`ingest::error_words` words the rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worded {
    pub en: String,
    pub ru: String,
}
