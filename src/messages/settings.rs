//! The messages beside settings fields that are out of bounds, and the one
//! for a stopped analysis worker.

use loyalty_analytics::settings_check::{SettingsError, MAX_CHURN_WINDOW_DAYS};

use super::{count, dotted, num, pick};
use crate::protocol::RunError;

/// Why a setting was not applied, in the page's language.
pub(super) fn settings_problem(error: &SettingsError) -> String {
    match *error {
        SettingsError::FromAfterTo { from, to } => {
            pick(
                || {
                    format!("The start date {from} is after the end date {to}: the dates were not applied.")
                },
                || {
                    format!(
                        "Дата начала {} позже даты окончания {}: даты не применены.",
                        dotted(from),
                        dotted(to)
                    )
                },
            )
        }
        SettingsError::ChurnWindow { days } => pick(
            || {
                format!(
                    "{days} days is not a churn window: use 1 to {} days.",
                    count(MAX_CHURN_WINDOW_DAYS as usize)
                )
            },
            || {
                format!(
                    "{days} дн. — недопустимое окно оттока: от 1 до {} дней.",
                    count(MAX_CHURN_WINDOW_DAYS as usize)
                )
            },
        ),
        SettingsError::Horizon { months } => pick(
            || {
                format!(
                    "A horizon of {months} months is out of range: use 1 to {} months.",
                    loyalty_analytics::models::section::MAX_HORIZON_MONTHS
                )
            },
            || {
                format!(
                    "Горизонт {months} мес. вне допустимого диапазона: от 1 до {} месяцев.",
                    loyalty_analytics::models::section::MAX_HORIZON_MONTHS
                )
            },
        ),
        SettingsError::DiscountRate { rate } => pick(
            || {
                format!(
                    "A discount rate of {} is out of range: use 0 or more, below 1.",
                    num(rate, 3)
                )
            },
            || {
                format!(
                    "Ставка дисконтирования {} вне диапазона: от 0 и меньше 1.",
                    num(rate, 3)
                )
            },
        ),
        SettingsError::Margin { margin } => pick(
            || {
                format!(
                    "A margin of {} is out of range: use 0 to 1.",
                    num(margin, 2)
                )
            },
            || format!("Маржа {} вне диапазона: от 0 до 1.", num(margin, 2)),
        ),
        SettingsError::Window { from, to } => pick(
            || {
                format!(
                    "Months {from}-{to} are not a CLV window: use months m to n with 1 ≤ m ≤ n ≤ {}.",
                    loyalty_analytics::models::section::MAX_HORIZON_MONTHS
                )
            },
            || {
                format!(
                    "Месяцы {from}–{to} — недопустимое окно CLV: месяцы с m по n, 1 ≤ m ≤ n ≤ {}.",
                    loyalty_analytics::models::section::MAX_HORIZON_MONTHS
                )
            },
        ),
    }
}

/// A file's size as people say it: "5.6 KB", "120 MB" ("5,6 КБ" in Russian).
fn size(bytes: u64) -> (String, &'static str, &'static str) {
    let b = bytes as f64;
    if b >= 1e9 {
        (num(b / 1e9, 1), "GB", "ГБ")
    } else if b >= 1e6 {
        (num(b / 1e6, 1), "MB", "МБ")
    } else {
        (num(b / 1e3, 1), "KB", "КБ")
    }
}

/// The analysis worker stopped: the file it was reading and its size, what
/// most likely happened, what to do, and that the other files are kept.
/// (A wasm worker that runs out of memory or panics ends in the same trap,
/// "unreachable", so the text says "most likely".)
pub(super) fn worker_stopped(file: Option<(&str, u64)>, detail: &str) -> String {
    match file {
        Some((name, bytes)) => {
            let (n, en, ru) = size(bytes);
            pick(
                || {
                    format!("{name} ({n} {en}) stopped the analysis while it was read: the browser most likely ran out of memory for it ({detail}). Split the file, or load its per-customer summary (the SQL recipes in sql/ make one). The other files are kept.")
                },
                || {
                    format!("{name} ({n} {ru}) остановил анализ при чтении: скорее всего, браузеру не хватило памяти ({detail}). Разделите файл или загрузите сводку по клиентам (её делают SQL-рецепты из sql/). Остальные файлы сохранены.")
                },
            )
        }
        None => pick(
            || {
                format!("The analysis stopped on an internal error ({detail}). The files are kept; try again, or report the file.")
            },
            || {
                format!("Анализ остановился из-за внутренней ошибки ({detail}). Файлы сохранены; попробуйте ещё раз или сообщите о файле.")
            },
        ),
    }
}

/// Why a run could not use a file, or could not run at all.
pub(super) fn run_error(error: &RunError) -> String {
    match error {
        RunError::Unusable { en, ru } => pick(|| en.clone(), || ru.clone()),
        RunError::TooLarge { file, bytes } => {
            let (n, en, ru) = size(*bytes as u64);
            pick(
                || {
                    format!("{file}: the file is {n} {en}; the browser reads files up to 1 GB. Split it by period, or load the per-customer summary (customer_id, frequency, recency, T) instead.")
                },
                || {
                    format!("{file}: размер файла {n} {ru}; браузер читает файлы до 1 ГБ. Разделите его по периодам или загрузите сводку по клиентам (customer_id, frequency, recency, T).")
                },
            )
        }
        RunError::Unreadable { file, reason } => pick(
            || format!("{file}: the browser could not read the file ({reason})."),
            || format!("{file}: браузер не смог прочитать файл ({reason})."),
        ),
        RunError::FilesGone => pick(
            || {
                "The files are no longer loaded (the analysis was restarted): please drop them again."
                    .into()
            },
            || "Файлы больше не загружены (анализ был перезапущен): перетащите их ещё раз.".into(),
        ),
        RunError::UnknownRequest => pick(
            || "The analysis worker received a request it does not understand.".into(),
            || "Обработчик анализа получил запрос, которого не понимает.".into(),
        ),
    }
}
