//! Reader errors in each of the page's languages: the English is the
//! error's `Display` text (the CLI prints it), the Russian is here, above
//! the words for reject reasons and column notes it is made of.

use crate::dataset::{FileNote, RejectReason};
use crate::display::Locale;
use crate::error::{IngestError, Worded};

/// Each note as a sentence with a leading space, in each language.
pub(super) fn refused_columns(notes: &[FileNote]) -> Box<Worded> {
    let sentences = |locale| {
        notes
            .iter()
            .map(|n| format!(" {}.", n.describe_in(locale)))
            .collect()
    };
    Box::new(Worded {
        en: sentences(Locale::En),
        ru: sentences(Locale::Ru),
    })
}

/// Why a row was not used, in each language.
pub(super) fn reject_reason(reason: RejectReason) -> Worded {
    Worded {
        en: reason.describe_in(Locale::En).into(),
        ru: reason.describe_in(Locale::Ru).into(),
    }
}

impl IngestError {
    /// The message in `locale`'s language: the English is the `Display`
    /// text (`crate::error`, the CLI prints it), the Russian is here. What the file
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
                "{file}: не найдено известных столбцов (столбцы: {found}).{} Для Loyalty Lens \
                 нужны, например, код клиента и дата (заказы: customer_id, client, клиент; date, \
                 дата), оценка от 0 до 10 (ответы опроса: nps, оценка) или признак, статус или \
                 причина ухода (клиенты: churned, status, причина ухода).",
                refused.ru
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
                reason.ru
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
                refused: Box::default(),
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
                reason: reject_reason(RejectReason::UnreadableAmount),
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
        let note = FileNote::RoleRefused {
            column: "score".into(),
            role: crate::dataset::Role::NpsScore,
            misfit: crate::dataset::Misfit::OffScale,
            example: "720".into(),
        };
        let error = IngestError::NoRecognisedColumns {
            file: "survey.csv".into(),
            found: "score, comment".into(),
            refused: refused_columns(std::slice::from_ref(&note)),
            columns: Vec::new(),
            preview: Vec::new(),
        };
        let (en, ru) = (error.describe_in(Locale::En), error.describe_in(Locale::Ru));
        assert!(
            en.starts_with(
                "survey.csv: no known columns found (columns: score, comment). 'score' was not read as"
            ),
            "{en}"
        );
        let said = |locale| note.describe_in(locale);
        assert!(
            en.contains(&format!(" {}. Loyalty Lens needs", said(Locale::En))),
            "{en}"
        );
        assert!(
            ru.contains(&format!(
                "(столбцы: score, comment). {}. Для Loyalty Lens",
                said(Locale::Ru)
            )),
            "{ru}"
        );
        assert!(said(Locale::Ru).starts_with("«score» не прочитан как"));
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
