//! The messages beside settings fields that are out of bounds, and the one
//! for a stopped analysis worker.

use loyalty_analytics::settings_check::{SettingsError, MAX_CHURN_WINDOW_DAYS};

use super::{count, dotted, num, pick};

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
