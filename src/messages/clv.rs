//! The CLV page's sentences about the purchase models: which one predicts
//! and why, degenerate fits, the months ahead.

use loyalty_analytics::models::degenerate::Limit;
use loyalty_analytics::models::model_choice::{ChoiceReason, PurchaseModel};

use super::{num, pick};

/// Which model gives the predictions and why, with both holdout errors
/// when they were compared (the chosen one's first).
pub(super) fn model_in_use(
    model: PurchaseModel,
    reason: ChoiceReason,
    errors: Option<(f64, f64)>,
) -> String {
    let name = model.name();
    let compared = errors.map(|(mine, other)| (num(mine, 3), num(other, 3)));
    match reason {
        ChoiceReason::Holdout => {
            let (mine, other) = compared.unwrap_or_default();
            pick(
                || {
                    format!("Predictions by {name}: the lower error per customer on the holdout ({mine} purchases against {other}).")
                },
                || {
                    format!("Прогнозы по модели {name}: у неё меньше ошибка на клиента в контрольном периоде ({mine} покупки против {other}).")
                },
            )
        }
        ChoiceReason::User => pick(
            || format!("Predictions by {name}, as you chose."),
            || format!("Прогнозы по модели {name}, как вы выбрали."),
        ),
        ChoiceReason::OnlyOneFitted => pick(
            || format!("Predictions by {name}: the other model could not be fitted."),
            || format!("Прогнозы по модели {name}: другую модель подогнать не удалось."),
        ),
        ChoiceReason::NoHoldout => pick(
            || {
                format!("Predictions by {name}, the default: set a calibration end to compare the two models on a holdout.")
            },
            || {
                format!("Прогнозы по модели {name} (по умолчанию): задайте конец калибровки, чтобы сравнить модели на контрольном периоде.")
            },
        ),
        ChoiceReason::NotDegenerate => {
            pick(
                || {
                    format!("Predictions by {name}: there is no holdout, and the BG/NBD fit is degenerate.")
                },
                || {
                    format!("Прогнозы по модели {name}: контрольного периода нет, а подгонка BG/NBD вырождена.")
                },
            )
        }
    }
}

/// A degenerate fit: what its limit means, and that it still predicts.
pub(super) fn degenerate(model: PurchaseModel, limits: &[Limit]) -> String {
    let name = model.name();
    let locale = crate::i18n::lang().locale();
    let meanings: Vec<String> = limits.iter().map(|l| l.meaning_in(locale)).collect();
    let meanings = meanings.join("; ");
    pick(
        || {
            format!("The {name} fit is degenerate: {meanings}. Its parameters run off to a limit of the model and have no standard errors; the predictions are the limit model's, without intervals.")
        },
        || {
            format!("Подгонка {name} вырождена: {meanings}. Её параметры уходят к пределу модели и не имеют стандартных ошибок; прогнозы даёт предельная модель, без интервалов.")
        },
    )
}

/// The per-month chart for screen readers.
pub(super) fn months_summary(months: usize, from: u32, to: u32, total: &str) -> String {
    pick(
        || {
            format!("{months} months ahead; months {from} to {to} are the CLV window, worth {total} together.")
        },
        || format!("Месяцев вперёд: {months}; окно CLV — месяцы с {from} по {to}, вместе {total}."),
    )
}
