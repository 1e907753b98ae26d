//! The CLV section's notes (fit problems and caveats) as typed values: each
//! has a stable code, a level and the figures it names, and is said in the
//! reader's language by [`ClvNote::text`]; the page, the HTML report and the
//! CLI all say it from here.

use serde::{Deserialize, Serialize};

use super::Level;
use crate::display::{grouped_in, Locale};
use crate::models::bgnbd::FitError;
use crate::models::degenerate::Limit;
use crate::models::model_choice::PurchaseModel;

/// Which model a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteModel {
    BgNbd,
    ParetoNbd,
    /// Both purchase models, which failed alike.
    BothPurchaseModels,
    GammaGamma,
}

impl NoteModel {
    fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (NoteModel::BgNbd, _) => PurchaseModel::BgNbd.name(),
            (NoteModel::ParetoNbd, _) => PurchaseModel::ParetoNbd.name(),
            (NoteModel::BothPurchaseModels, Locale::En) => "BG/NBD and Pareto/NBD",
            (NoteModel::BothPurchaseModels, Locale::Ru) => "BG/NBD и Pareto/NBD",
            (NoteModel::GammaGamma, _) => "Gamma-Gamma",
        }
    }
}

impl From<PurchaseModel> for NoteModel {
    fn from(m: PurchaseModel) -> NoteModel {
        match m {
            PurchaseModel::BgNbd => NoteModel::BgNbd,
            PurchaseModel::ParetoNbd => NoteModel::ParetoNbd,
        }
    }
}

/// A model that could not be fitted, and why ([`FitError`] with its figures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FitProblem {
    TooFewCustomers {
        customers: u64,
        needed: u64,
    },
    TooFewRepeaters {
        repeaters: u64,
        needed: u64,
    },
    NoFiniteStart,
    NonPositiveSpend {
        customers: u64,
    },
    Boundary {
        parameter: String,
        direction: String,
    },
}

impl From<&FitError> for FitProblem {
    fn from(e: &FitError) -> FitProblem {
        match *e {
            FitError::TooFewCustomers { customers, needed } => {
                FitProblem::TooFewCustomers { customers, needed }
            }
            FitError::TooFewRepeaters { repeaters, needed } => {
                FitProblem::TooFewRepeaters { repeaters, needed }
            }
            FitError::NoFiniteStart => FitProblem::NoFiniteStart,
            FitError::NonPositiveSpend { customers } => FitProblem::NonPositiveSpend { customers },
            FitError::Degenerate {
                parameter,
                direction,
            } => FitProblem::Boundary {
                parameter: parameter.into(),
                direction: direction.into(),
            },
        }
    }
}

/// A note of the CLV section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum ClvNote {
    HorizonCapped {
        max_months: u32,
    },
    WindowInvalid {
        from: u32,
        to: u32,
        max_months: u32,
    },
    DiscountRateInvalid,
    SummaryRowsRejected {
        total: u64,
        bad_frequency: u64,
        bad_times: u64,
        inconsistent: u64,
    },
    CalibrationEndOutsideData,
    CalibrationNeedsTransactions,
    NoAmounts,
    NonPositiveSpendExcluded {
        customers: u64,
    },
    SpendFrequencyCorrelation {
        correlation: f64,
    },
    GammaGammaNoMean,
    NoIntervals {
        model: NoteModel,
    },
    SeriesNotConverged {
        customers: u64,
    },
    FewRepeatCustomers {
        repeaters: u64,
        enough: u64,
    },
    Degenerate {
        model: NoteModel,
        limits: Vec<Limit>,
    },
    NotConverged {
        model: NoteModel,
        gradient_max: f64,
    },
    NoStandardErrors {
        model: NoteModel,
    },
    ChosenModelUnavailable {
        asked: NoteModel,
        used: NoteModel,
    },
    FitFailed {
        model: NoteModel,
        problem: FitProblem,
    },
}

impl ClvNote {
    /// The stable code (the Report's `clv.messages[].code`).
    pub fn code(&self) -> &'static str {
        match self {
            ClvNote::HorizonCapped { .. } => "horizon_capped",
            ClvNote::WindowInvalid { .. } => "window_invalid",
            ClvNote::DiscountRateInvalid => "discount_rate_invalid",
            ClvNote::SummaryRowsRejected { .. } => "summary_rows_rejected",
            ClvNote::CalibrationEndOutsideData => "calibration_end_outside_data",
            ClvNote::CalibrationNeedsTransactions => "calibration_needs_transactions",
            ClvNote::NoAmounts => "no_amounts",
            ClvNote::NonPositiveSpendExcluded { .. } => "non_positive_spend_excluded",
            ClvNote::SpendFrequencyCorrelation { .. } => "spend_frequency_correlation",
            ClvNote::GammaGammaNoMean => "gg_no_mean",
            ClvNote::NoIntervals { .. } => "no_intervals",
            ClvNote::SeriesNotConverged { .. } => "series_not_converged",
            ClvNote::FewRepeatCustomers { .. } => "few_repeat_customers",
            ClvNote::Degenerate { .. } => "degenerate",
            ClvNote::NotConverged { .. } => "not_converged",
            ClvNote::NoStandardErrors { .. } => "no_standard_errors",
            ClvNote::ChosenModelUnavailable { .. } => "chosen_model_unavailable",
            ClvNote::FitFailed { problem, .. } => match problem {
                FitProblem::TooFewCustomers { .. } => "too_few_customers",
                FitProblem::TooFewRepeaters { .. } => "too_few_repeaters",
                FitProblem::NoFiniteStart => "no_finite_start",
                FitProblem::NonPositiveSpend { .. } => "non_positive_spend",
                FitProblem::Boundary { .. } => "degenerate",
            },
        }
    }

    /// A failed fit is an error; everything else a warning.
    pub fn level(&self) -> Level {
        match self {
            ClvNote::FitFailed { .. } => Level::Error,
            _ => Level::Warning,
        }
    }

    /// The note in the reader's language, its numbers in the locale's style.
    pub fn text(&self, locale: Locale) -> String {
        let ru = locale == Locale::Ru;
        let int = |n: u64| grouped_in(n as f64, 0, locale);
        let say = |en: String, ru_text: String| if ru { ru_text } else { en };
        match self {
            ClvNote::HorizonCapped { max_months } => say(
                format!("the horizon is capped at {max_months} months"),
                format!("горизонт ограничен {max_months} месяцами"),
            ),
            ClvNote::WindowInvalid { from, to, max_months } => say(
                format!("the window of months {from}-{to} is not within 1-{max_months} with its start before its end; the horizon is used"),
                format!("окно месяцев {from}–{to} должно лежать в пределах 1–{max_months} и начинаться раньше, чем кончается; взят горизонт"),
            ),
            ClvNote::DiscountRateInvalid => say(
                "the discount rate must be above -100%; 1% a month is used".into(),
                "ставка дисконтирования должна быть больше −100 %; взят 1 % в месяц".into(),
            ),
            ClvNote::SummaryRowsRejected { total, bad_frequency, bad_times, inconsistent } => say(
                format!("{} summary rows were left out: {} with a negative or fractional frequency, {} with recency outside 0..T, {} with recency but no repeat purchase", int(*total), int(*bad_frequency), int(*bad_times), int(*inconsistent)),
                format!("строк сводки не учтено: {}; из них с отрицательной или дробной частотой: {}, с давностью вне 0..T: {}, с давностью без повторной покупки: {}", int(*total), int(*bad_frequency), int(*bad_times), int(*inconsistent)),
            ),
            ClvNote::CalibrationEndOutsideData => say(
                "the calibration end is not before the last day of the data; the models are fitted on all of it".into(),
                "конец калибровки не раньше последнего дня данных; модели подогнаны по всем данным".into(),
            ),
            ClvNote::CalibrationNeedsTransactions => say(
                "a calibration/holdout split needs transactions; summary rows are fitted as they are".into(),
                "для деления на калибровку и контрольный период нужны транзакции; строки сводки подогнаны как есть".into(),
            ),
            ClvNote::NoAmounts => say(
                "the data have no amounts: CLV and the spend model need them".into(),
                "в данных нет сумм: они нужны для CLV и модели трат".into(),
            ),
            ClvNote::NonPositiveSpendExcluded { customers } => say(
                format!("Gamma-Gamma: {} repeat customers with a zero or negative average spend were left out of the fit", int(*customers)),
                format!("Gamma-Gamma: повторных клиентов с нулевым или отрицательным средним чеком не учтено в подгонке: {}", int(*customers)),
            ),
            ClvNote::SpendFrequencyCorrelation { correlation } => say(
                format!("Gamma-Gamma: average spend and frequency are correlated (r = {}); the model assumes they are independent", grouped_in(*correlation, 2, locale)),
                format!("Gamma-Gamma: средний чек и частота покупок связаны (r = {}); модель считает их независимыми", grouped_in(*correlation, 2, locale)),
            ),
            ClvNote::GammaGammaNoMean => say(
                "Gamma-Gamma: q ≤ 1, the population mean spend is infinite; CLV of customers without repeat purchases is not computed".into(),
                "Gamma-Gamma: q ≤ 1, средний чек по всем клиентам бесконечен; CLV клиентов без повторных покупок не рассчитан".into(),
            ),
            ClvNote::NoIntervals { model } => say(
                format!("{}: the fit has no standard errors, so the predictions have no interval", model.name(locale)),
                format!("{}: у подгонки нет стандартных ошибок, поэтому у прогнозов нет интервала", model.name(locale)),
            ),
            ClvNote::SeriesNotConverged { customers } => say(
                format!("{} customers have no prediction: the hypergeometric series did not converge", int(*customers)),
                format!("клиентов без прогноза: {} (гипергеометрический ряд не сошёлся)", int(*customers)),
            ),
            ClvNote::FewRepeatCustomers { repeaters, enough } => say(
                format!("only {} customers bought more than once: the purchase models rest on them, so their estimates are rough (the 90% intervals say how rough); {} or more give steadier figures", int(*repeaters), int(*enough)),
                format!("больше одного раза купили лишь {} клиентов: на них держатся модели покупок, поэтому оценки грубые (насколько, показывают 90-процентные интервалы); {} и больше дают более устойчивые цифры", int(*repeaters), int(*enough)),
            ),
            ClvNote::Degenerate { model, limits } => {
                let meanings: Vec<String> = limits.iter().map(|l| l.meaning_in(locale)).collect();
                let (name, meanings) = (model.name(locale), meanings.join("; "));
                say(
                    format!("{name}: the fit is degenerate: {meanings}. The parameters run off to a limit of the model and are not estimates (no standard errors); the predictions are the limit model's"),
                    format!("{name}: подгонка вырождена: {meanings}. Параметры уходят к пределу модели и не являются оценками (стандартных ошибок нет); прогнозы даёт предельная модель"),
                )
            }
            ClvNote::NotConverged { model, gradient_max } => say(
                format!("{}: the optimiser stopped with a gradient of {gradient_max:.1e}; the estimates may be imprecise", model.name(locale)),
                format!("{}: оптимизатор остановился при градиенте {}; оценки могут быть неточными", model.name(locale), format!("{gradient_max:.1e}").replace('.', ",")),
            ),
            ClvNote::NoStandardErrors { model } => say(
                format!("{}: the likelihood is flat at the estimate, so there are no standard errors", model.name(locale)),
                format!("{}: правдоподобие в точке оценки плоское, поэтому стандартных ошибок нет", model.name(locale)),
            ),
            ClvNote::ChosenModelUnavailable { asked, used } => say(
                format!("{} could not be fitted; the predictions use {}", asked.name(locale), used.name(locale)),
                format!("{} подогнать не удалось; прогнозы по модели {}", asked.name(locale), used.name(locale)),
            ),
            ClvNote::FitFailed { model, problem } => {
                let name = model.name(locale);
                let why = match problem {
                    FitProblem::TooFewCustomers { customers, needed } => say(
                        format!("too few customers to fit the model: {}, need at least {}", int(*customers), int(*needed)),
                        format!("слишком мало клиентов для подгонки модели: {}, нужно не меньше {}", int(*customers), int(*needed)),
                    ),
                    FitProblem::TooFewRepeaters { repeaters, needed } => say(
                        format!("too few repeat customers to fit the model: {}, need at least {}", int(*repeaters), int(*needed)),
                        format!("слишком мало повторных клиентов для подгонки модели: {}, нужно не меньше {}", int(*repeaters), int(*needed)),
                    ),
                    FitProblem::NoFiniteStart => say(
                        "the likelihood could not be evaluated at any starting point".into(),
                        "правдоподобие не удалось вычислить ни в одной начальной точке".into(),
                    ),
                    FitProblem::NonPositiveSpend { customers } => say(
                        format!("{} repeat customers have a zero or negative average spend; the Gamma-Gamma model needs positive spend", int(*customers)),
                        format!("у повторных клиентов ({}) нулевой или отрицательный средний чек; модели Gamma-Gamma нужен положительный", int(*customers)),
                    ),
                    FitProblem::Boundary { parameter, direction } => say(
                        format!("the optimiser stopped at a boundary ({parameter} → {direction}); the data do not identify the model"),
                        format!("оптимизатор остановился на границе ({parameter} → {direction}); данные не определяют модель"),
                    ),
                };
                format!("{name}: {why}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every note has words in both languages, the Russian without an
    /// English word (model names and parameter letters aside) and with the
    /// Russian decimal comma.
    #[test]
    fn every_note_is_said_in_both_languages() {
        let notes = [
            ClvNote::HorizonCapped { max_months: 120 },
            ClvNote::WindowInvalid {
                from: 5,
                to: 2,
                max_months: 120,
            },
            ClvNote::DiscountRateInvalid,
            ClvNote::SummaryRowsRejected {
                total: 3,
                bad_frequency: 1,
                bad_times: 1,
                inconsistent: 1,
            },
            ClvNote::CalibrationEndOutsideData,
            ClvNote::CalibrationNeedsTransactions,
            ClvNote::NoAmounts,
            ClvNote::NonPositiveSpendExcluded { customers: 1200 },
            ClvNote::SpendFrequencyCorrelation { correlation: 0.42 },
            ClvNote::GammaGammaNoMean,
            ClvNote::NoIntervals {
                model: NoteModel::ParetoNbd,
            },
            ClvNote::SeriesNotConverged { customers: 2 },
            ClvNote::FewRepeatCustomers {
                repeaters: 4,
                enough: 50,
            },
            ClvNote::Degenerate {
                model: NoteModel::BgNbd,
                limits: vec![Limit::SameDropoutChance { p: 0.125 }, Limit::NoDropout],
            },
            ClvNote::NotConverged {
                model: NoteModel::BgNbd,
                gradient_max: 0.0025,
            },
            ClvNote::NoStandardErrors {
                model: NoteModel::ParetoNbd,
            },
            ClvNote::ChosenModelUnavailable {
                asked: NoteModel::ParetoNbd,
                used: NoteModel::BgNbd,
            },
            ClvNote::FitFailed {
                model: NoteModel::BothPurchaseModels,
                problem: FitProblem::TooFewRepeaters {
                    repeaters: 2,
                    needed: 3,
                },
            },
            ClvNote::FitFailed {
                model: NoteModel::GammaGamma,
                problem: FitProblem::NonPositiveSpend { customers: 7 },
            },
        ];
        let allowed = [
            "BG", "NBD", "Pareto", "Gamma", "P", "CLV", "T", "r", "q", "e",
        ];
        for note in &notes {
            let (en, ru) = (note.text(Locale::En), note.text(Locale::Ru));
            assert!(!en.is_empty() && en != ru, "{note:?}");
            let english_words: Vec<&str> = ru
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && !allowed.contains(w))
                .collect();
            assert!(
                english_words.is_empty(),
                "{note:?}: {ru} has {english_words:?}"
            );
        }
        assert!(notes[8].text(Locale::Ru).contains("0,42"));
        assert!(notes[7]
            .text(Locale::En)
            .starts_with("Gamma-Gamma: 1,200 repeat"));
        assert!(notes[13].text(Locale::Ru).contains("около 12,5%"));
    }
}
