//! What stopped a run, or a file: the worker's refusals and the reader's
//! reasons (`RunError`), a worker that stopped, and the page's own failures.

use super::{num, pick};
use crate::protocol::RunError;

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
        RunError::Unusable(words) => pick(|| words.en.clone(), || words.ru.clone()),
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

/// The page could not hand the files to the analysis worker.
pub(super) fn files_not_handed(error: &str) -> String {
    pick(
        || format!("The files could not be handed to the analysis: {error}"),
        || format!("Не удалось передать файлы на анализ: {error}"),
    )
}

/// A question about the last analysis, after the worker lost it.
pub(super) fn analysis_gone() -> String {
    pick(
        || "The analysis is no longer loaded: please drop the files again.".into(),
        || "Анализ больше не загружен: перетащите файлы ещё раз.".into(),
    )
}

/// The analysis worker could not be started.
pub(super) fn worker_not_started(error: &str) -> String {
    pick(
        || format!("The analysis worker could not start: {error}"),
        || format!("Обработчик анализа не запустился: {error}"),
    )
}

/// A file of the sample shop could not be fetched from the site.
pub(super) fn sample_missing(file: &str, detail: &str) -> String {
    pick(
        || format!("The sample file {file} could not be loaded ({detail})."),
        || format!("Файл примера {file} не загрузился ({detail})."),
    )
}

/// A document to download could not be saved.
pub(super) fn export_not_saved(error: &str) -> String {
    pick(
        || format!("The export could not be saved: {error}"),
        || format!("Не удалось сохранить выгрузку: {error}"),
    )
}
