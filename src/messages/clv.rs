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

/// What a degenerate fit's limit means.
fn meaning(limit: &Limit) -> String {
    match *limit {
        Limit::SamePurchaseRate { rate } => pick(
            || {
                format!("purchase rates do not differ between customers: all buy about {} times per time unit while they stay", num(rate, 3))
            },
            || {
                format!("частота покупок не различается между клиентами: все покупают примерно {} раза за единицу времени, пока остаются", num(rate, 3))
            },
        ),
        Limit::SameDropoutChance { p } => pick(
            || {
                format!(
                    "every customer leaves after a purchase with the same chance, about {}%",
                    num(p * 100.0, 1)
                )
            },
            || {
                format!(
                    "каждый клиент уходит после покупки с одинаковой вероятностью, около {}%",
                    num(p * 100.0, 1)
                )
            },
        ),
        Limit::SameDropoutRate { rate } => pick(
            || {
                format!(
                    "every customer leaves at the same rate, about {} per time unit",
                    num(rate, 4)
                )
            },
            || {
                format!(
                    "все клиенты уходят с одинаковой скоростью, около {} за единицу времени",
                    num(rate, 4)
                )
            },
        ),
        Limit::NoDropout => pick(
            || "nobody seems to leave: P(alive) is near 100% for everyone".to_string(),
            || "похоже, никто не уходит: P(активен) около 100% у всех".to_string(),
        ),
        Limit::DropoutAtNextPurchase => pick(
            || {
                "nobody bought again after a repeat purchase, so every customer is taken to leave at their next purchase".to_string()
            },
            || {
                "никто не купил снова после повторной покупки, поэтому считается, что каждый клиент уходит при следующей покупке".to_string()
            },
        ),
        Limit::FewFrequentBuyers => pick(
            || "purchase rates are near zero for nearly everyone and high for a few".to_string(),
            || "почти у всех частота покупок около нуля, и лишь у немногих высокая".to_string(),
        ),
        Limit::Unidentified { parameter, .. } => pick(
            || {
                format!(
                    "the data do not pin down its parameter {}",
                    parameter.name()
                )
            },
            || format!("данные не определяют её параметр {}", parameter.name()),
        ),
    }
}

/// A degenerate fit: what its limit means, and that it still predicts.
pub(super) fn degenerate(model: PurchaseModel, limits: &[Limit]) -> String {
    let name = model.name();
    let meanings: Vec<String> = limits.iter().map(meaning).collect();
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
