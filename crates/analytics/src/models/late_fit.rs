//! The Pareto/NBD fit made by a helper (another worker) while the rest of
//! the analysis goes on ([`super::purchase_fits::ParetoNbdSource::Helper`]).
//!
//! Where nothing else depends on it, the CLV section leaves the fit out and
//! keeps what it was to be fitted on and where its messages go; the helper's
//! answer ([`LateParetoNbd::answer`]) or, when none comes, a fit here fills
//! it in ([`LateParetoNbd::complete`]), so the section is the one a single
//! worker computes: same fit, same messages in the same places, same reason
//! for the model in use.

use std::sync::{Mutex, OnceLock};

use super::model_choice::{choose_model, FitState, ModelChoice, PurchaseModel};
use super::pareto_nbd::{fit_pareto_nbd_input, FitInput, ParetoNbdFit};
use super::purchase_fits::fit_notes;
use super::section::{message, ClvNote, ClvSection, FitProblem, NoteModel};

/// A helper's answer: the fit, or why there is none.
pub type HelperFit = Result<ParetoNbdFit, FitProblem>;

/// The fit a helper makes of the input it was offered; the same function
/// as the fit in line, so the answer is the same to the bit.
pub fn fit_for_helper(input: &FitInput) -> HelperFit {
    fit_pareto_nbd_input(input).map_err(|e| FitProblem::from(&e))
}

/// Where a late fit's messages go among the section's, and what the user
/// asked for (for the reason of the choice).
#[derive(Debug, Clone, Copy)]
pub(super) struct LateSlots {
    /// Its failure, where BG/NBD's would be.
    pub error_at: usize,
    /// Its notes (limits, convergence), after BG/NBD's.
    pub notes_at: usize,
    pub choice: ModelChoice,
}

/// A Pareto/NBD fit the CLV section waits for.
#[derive(Debug)]
pub struct LateParetoNbd {
    slots: LateSlots,
    /// What it is fitted on, until it is.
    input: Mutex<Option<FitInput<'static>>>,
    fit: OnceLock<HelperFit>,
}

impl LateParetoNbd {
    pub(super) fn new(slots: LateSlots, input: FitInput<'static>) -> LateParetoNbd {
        LateParetoNbd {
            slots,
            input: Mutex::new(Some(input)),
            fit: OnceLock::new(),
        }
    }

    /// The helper's fit; the first answer counts.
    pub fn answer(&self, fit: HelperFit) {
        let _ = self.fit.set(fit);
        self.lock().take();
    }

    /// Whether the fit is known (answered, or made here).
    pub fn is_answered(&self) -> bool {
        self.fit.get().is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<FitInput<'static>>> {
        self.input.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer, or the fit made here when none came.
    fn fit(&self) -> &HelperFit {
        self.fit.get_or_init(|| match self.lock().take() {
            Some(input) => fit_for_helper(&input),
            // Taken only by an answer, which set the fit first.
            None => Err(FitProblem::NoFiniteStart),
        })
    }

    /// Fills the fit into `section`: the fit, its messages where a fit in
    /// line puts them, and the reason for the model in use.
    pub(super) fn complete(&self, section: &mut ClvSection) {
        let fit = self.fit();
        let at = |i: usize| i.min(section.messages.len());
        let state = match fit {
            Ok(f) if f.degenerate.is_empty() => FitState::Fitted,
            Ok(_) => FitState::Degenerate,
            Err(_) => FitState::Failed,
        };
        match fit {
            Ok(f) => {
                let mut notes = Vec::new();
                let diagnostics = (f.converged, f.gradient_max, f.standard_errors.is_some());
                fit_notes(
                    &mut notes,
                    PurchaseModel::ParetoNbd,
                    &f.degenerate,
                    diagnostics,
                );
                let i = at(self.slots.notes_at);
                section.messages.splice(i..i, notes);
                section.pareto_nbd = Some(f.clone());
            }
            Err(problem) => {
                let note = ClvNote::FitFailed {
                    model: NoteModel::ParetoNbd,
                    problem: problem.clone(),
                };
                section
                    .messages
                    .insert(at(self.slots.error_at), message(note));
            }
        }
        // BG/NBD fitted without a limit and no holdout: it stays the model
        // in use; only the reason depends on Pareto/NBD.
        let chosen = choose_model(self.slots.choice, (FitState::Fitted, state), &[]);
        section.clv_model_reason = chosen.map(|c| c.1);
    }
}
