//! The CLV section's spend model: the Gamma-Gamma fit on the repeat
//! customers with a positive average spend, with its notes.

use std::borrow::Borrow;

use super::super::gamma_gamma::{fit_gamma_gamma, GammaGammaFit};
use super::{message, ClvMessage, ClvNote, NoteModel};
use crate::dataset::CustomerSummary;

/// The fit on `fit_rows` (the rows the models are fitted on), its notes to
/// `messages`; repeat customers whose spend is not positive and finite are
/// left out with a note (the fit itself refuses them).
pub(super) fn fit_spend_model<R>(
    fit_rows: R,
    messages: &mut Vec<ClvMessage>,
) -> Option<GammaGammaFit>
where
    R: IntoIterator + Clone,
    R::Item: Borrow<CustomerSummary>,
{
    // No rows: nothing to fit, and nothing to say.
    let mut rows = fit_rows.clone().into_iter().peekable();
    rows.peek()?;
    if !rows.any(|s| s.borrow().monetary_value.is_some()) {
        messages.push(message(ClvNote::NoAmounts));
        return None;
    }
    let (mut frequency, mut monetary, mut excluded) = (Vec::new(), Vec::new(), 0);
    for s in fit_rows.into_iter().filter(|s| s.borrow().frequency > 0.0) {
        let s = s.borrow();
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
