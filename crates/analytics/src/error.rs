//! Errors that stop a whole file from being read. Row-level problems are not
//! errors: they are counted as rejections (see [`crate::ingest::RejectReason`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::dataset::{FileNote, RejectReason};
use crate::display::Locale;

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
        sentences(.refused, Locale::En)
    )]
    NoRecognisedColumns {
        file: String,
        found: String,
        /// Columns named like a role whose values refused it.
        #[serde(default)]
        refused: Vec<FileNote>,
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
         {line}, column '{column}': {}.", .reason.describe()
    )]
    NoUsableRows {
        file: String,
        rows: u64,
        line: u64,
        column: String,
        reason: RejectReason,
    },
}

/// Each note as a sentence with a leading space, or nothing.
fn sentences(notes: &[FileNote], locale: Locale) -> String {
    notes
        .iter()
        .map(|n| format!(" {}.", n.describe_in(locale)))
        .collect()
}

impl IngestError {
    /// The message in `locale`'s language: the English is the `Display`
    /// text above (the CLI prints it), the Russian is here. What the file
    /// itself holds (names, values) and a library's own detail stay as they are.
    pub fn describe_in(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Ru => self.russian(),
        }
    }

    fn russian(&self) -> String {
        match self {
            IngestError::Empty { file } => {
                format!("{file}: файл пуст. Выгрузите данные ещё раз, вместе со строками.")
            }
            IngestError::Binary { file, offset } => format!(
                "{file}: это не текстовая выгрузка (байт {offset} — двоичные данные). \
                 Сохраните таблицу как CSV или TXT и перетащите этот файл."
            ),
            IngestError::BadGzip { file, detail } => {
                format!("{file}: файл похож на сжатый gzip, но не распаковывается ({detail}).")
            }
            IngestError::UnpacksTooLarge { file, limit_mb } => format!(
                "{file}: распакованный файл больше {limit_mb} МБ — больше, чем вмещает браузер \
                 (сжатый файл, который распаковывается в такой объём, может быть повреждён или \
                 вредоносен). Разделите его по периодам или загрузите сводку по клиентам."
            ),
            IngestError::OutOfMemory { file, needed_mb } => format!(
                "{file}: браузеру не хватило памяти при чтении файла (запрошено {needed_mb} МБ). \
                 Разделите его по периодам или загрузите сводку по клиентам."
            ),
            IngestError::SheetTooLarge { file, detail } => format!(
                "{file}: {detail}. Разделите книгу, сохраните этот лист как CSV или загрузите \
                 сводку по клиентам."
            ),
            IngestError::BadSpreadsheet { file, detail } => format!(
                "{file}: таблицу не удаётся прочитать ({detail}). Сохраните её как XLSX или CSV \
                 и попробуйте ещё раз."
            ),
            IngestError::UnknownEncoding { file, label } => format!(
                "{file}: «{label}» — неизвестная этому браузеру кодировка (попробуйте \
                 windows-1251, koi8-r, utf-8)."
            ),
            IngestError::NoRecognisedColumns {
                file,
                found,
                refused,
                ..
            } => format!(
                "{file}: не найдено известных столбцов (столбцы: {found}).{} Loyalty Lens \
                 нужны, например, код клиента и дата (заказы: customer_id, client, клиент; date, \
                 дата), оценка от 0 до 10 (ответы опроса: nps, оценка) или признак, статус или \
                 причина ухода (клиенты: churned, status, причина ухода).",
                sentences(refused, Locale::Ru)
            ),
            IngestError::NoSuchColumn {
                file,
                column,
                columns,
            } => format!(
                "{file}: для кода клиента выбран столбец {column}, а столбцов в файле: {columns}."
            ),
            IngestError::UnreadableDates {
                file,
                line,
                column,
                value,
            } => format!(
                "{file}: строка {line}, столбец «{column}»: дату «{value}» не удаётся прочитать, \
                 как и другие даты этого столбца. Пишите даты так: 2024-01-31, 31.01.2024, \
                 01/31/2024 или 20240131."
            ),
            IngestError::NoUsableRows {
                file,
                rows,
                line,
                column,
                reason,
            } => format!(
                "{file}: ни одну строку не удалось использовать (строк: {rows}); первая проблема \
                 в строке {line}, столбец «{column}»: {}.",
                reason.describe_in(Locale::Ru)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_error() -> Vec<IngestError> {
        let file = || "orders.csv".to_string();
        vec![
            IngestError::Empty { file: file() },
            IngestError::Binary {
                file: file(),
                offset: 3,
            },
            IngestError::BadGzip {
                file: file(),
                detail: "bad header".into(),
            },
            IngestError::UnpacksTooLarge {
                file: file(),
                limit_mb: 1024,
            },
            IngestError::OutOfMemory {
                file: file(),
                needed_mb: 900,
            },
            IngestError::SheetTooLarge {
                file: file(),
                detail: "sheet 'A' has 9e9 cells".into(),
            },
            IngestError::BadSpreadsheet {
                file: file(),
                detail: "not a zip".into(),
            },
            IngestError::UnknownEncoding {
                file: file(),
                label: "x-klingon".into(),
            },
            IngestError::NoRecognisedColumns {
                file: file(),
                found: "colour, size".into(),
                refused: Vec::new(),
                columns: Vec::new(),
                preview: Vec::new(),
            },
            IngestError::NoSuchColumn {
                file: file(),
                column: 7,
                columns: 3,
            },
            IngestError::UnreadableDates {
                file: file(),
                line: 2,
                column: "date".into(),
                value: "someday".into(),
            },
            IngestError::NoUsableRows {
                file: file(),
                rows: 2,
                line: 2,
                column: "amount".into(),
                reason: RejectReason::UnreadableAmount,
            },
        ]
    }

    #[test]
    fn every_error_is_worded_in_russian_naming_the_file() {
        let cyrillic = |s: &str| s.chars().filter(|c| ('а'..='я').contains(c)).count();
        for error in every_error() {
            let (en, ru) = (error.describe_in(Locale::En), error.describe_in(Locale::Ru));
            assert_eq!(en, error.to_string());
            assert!(ru.starts_with("orders.csv: "), "{ru}");
            // Russian words, not the English sentence (which names some
            // Russian column names) with a few put in.
            assert!(cyrillic(&ru) > cyrillic(&en) + 20, "{ru}");
        }
    }

    #[test]
    fn columns_refused_are_said_in_each_language() {
        let error = IngestError::NoRecognisedColumns {
            file: "survey.csv".into(),
            found: "score, comment".into(),
            refused: vec![FileNote::RoleRefused {
                column: "score".into(),
                role: crate::dataset::Role::NpsScore,
                misfit: crate::dataset::Misfit::OffScale,
                example: "720".into(),
            }],
            columns: Vec::new(),
            preview: Vec::new(),
        };
        let note = |locale| match &error {
            IngestError::NoRecognisedColumns { refused, .. } => refused[0].describe_in(locale),
            _ => unreachable!(),
        };
        let (en, ru) = (error.describe_in(Locale::En), error.describe_in(Locale::Ru));
        assert!(en.starts_with("survey.csv: no known columns found (columns: score, comment). 'score' was not read as"), "{en}");
        assert!(
            en.contains(&format!(" {}. Loyalty Lens needs", note(Locale::En))),
            "{en}"
        );
        assert!(
            ru.contains(&format!(
                "(столбцы: score, comment). {}. Loyalty Lens",
                note(Locale::Ru)
            )),
            "{ru}"
        );
        assert!(note(Locale::Ru).starts_with("«score» не прочитан как"));
    }

    #[test]
    fn the_reason_no_row_was_used_is_said_in_each_language() {
        let error = &every_error()[11];
        assert_eq!(
            error.describe_in(Locale::En),
            "orders.csv: none of the 2 rows could be used; the first problem is at line 2, \
             column 'amount': the amount is not a number."
        );
        let reason = RejectReason::UnreadableAmount.describe_in(Locale::Ru);
        assert!(error
            .describe_in(Locale::Ru)
            .ends_with(&format!("«amount»: {reason}.")));
    }
}
