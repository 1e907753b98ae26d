//! The CLV section's spend model: the Gamma-Gamma fit on the repeat
//! customers with a positive average spend, with its notes.

use super::super::gamma_gamma::{fit_gamma_gamma, GammaGammaFit};
use super::{message, ClvMessage, ClvNote, NoteModel};
use crate::dataset::CustomerSummary;

/// The fit on `fit_rows` (the rows the models are fitted on), its notes to
/// `messages`; repeat customers whose spend is not positive and finite are
/// left out with a note (the fit itself refuses them).
pub(super) fn fit_spend_model(
    fit_rows: &[CustomerSummary],
    messages: &mut Vec<ClvMessage>,
) -> Option<GammaGammaFit> {
    if !fit_rows.iter().any(|s| s.monetary_value.is_some()) {
        if !fit_rows.is_empty() {
            messages.push(message(ClvNote::NoAmounts));
        }
        return None;
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
