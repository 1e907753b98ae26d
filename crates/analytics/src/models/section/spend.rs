//! The CLV section's spend model: the Gamma-Gamma fit on the repeat
//! customers with a positive average spend, with its notes.

use super::super::gamma_gamma::{fit_gamma_gamma, GammaGammaFit};
use super::{message, ClvMessage, ClvNote, NoteModel};
use crate::dataset::CustomerSummary;

/// The spend model's data, taken from the rows the models are fitted on.
pub(super) enum SpendData {
    /// No row has an amount; `rows`: whether there were rows at all.
    NoAmounts { rows: bool },
    /// Frequency and average spend of the repeat customers with a
    /// positive, finite average spend; `excluded`: the other repeat
    /// customers.
    Fit {
        frequency: Vec<f64>,
        monetary: Vec<f64>,
        excluded: u64,
    },
}

impl SpendData {
    pub(super) fn of(fit_rows: &[CustomerSummary]) -> SpendData {
        if !fit_rows.iter().any(|s| s.monetary_value.is_some()) {
            return SpendData::NoAmounts {
                rows: !fit_rows.is_empty(),
            };
        }
        let (mut frequency, mut monetary, mut excluded) = (Vec::new(), Vec::new(), 0);
        for s in fit_rows.iter().filter(|s| s.frequency > 0.0) {
            match s.monetary_value.filter(|m| *m > 0.0 && m.is_finite()) {
                Some(m) => {
                    frequency.push(s.frequency);
                    monetary.push(m);
                }
                None => excluded += 1,
            }
        }
        SpendData::Fit {
            frequency,
            monetary,
            excluded,
        }
    }

    /// The fit, its notes to `messages`.
    pub(super) fn fit(self, messages: &mut Vec<ClvMessage>) -> Option<GammaGammaFit> {
        let (frequency, monetary, excluded) = match self {
            SpendData::NoAmounts { rows } => {
                if rows {
                    messages.push(message(ClvNote::NoAmounts));
                }
                return None;
            }
            SpendData::Fit {
                frequency,
                monetary,
                excluded,
            } => (frequency, monetary, excluded),
        };
        if excluded > 0 {
            messages.push(message(ClvNote::NonPositiveSpendExcluded {
                customers: excluded,
            }));
        }
        match fit_gamma_gamma(&frequency, &monetary) {
            Ok(fit) => {
                if fit.correlation_warning {
                    messages.push(message(ClvNote::SpendFrequencyCorrelation {
                        correlation: fit.spend_frequency_correlation.unwrap_or(0.0),
                    }));
                }
                if fit.params.population_mean().is_none() {
                    messages.push(message(ClvNote::GammaGammaNoMean));
                }
                Some(fit)
            }
            Err(e) => {
                messages.push(message(ClvNote::FitFailed {
                    model: NoteModel::GammaGamma,
                    problem: (&e).into(),
                }));
                None
            }
        }
    }
}
