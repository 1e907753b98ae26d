//! Both purchase models on the same data for the CLV section: BG/NBD and
//! Pareto/NBD fitted on the calibration period (or everything), each checked
//! on the holdout when there is one, and the model in use chosen
//! ([`super::model_choice::choose_model`]).

use super::bgnbd::{fit_bgnbd_triples, BgNbdFit, FitError};
use super::degenerate::Limit;
use super::holdout::{holdout_check_with, HoldoutActuals, HoldoutCheck};
use super::late_fit::{LateParetoNbd, LateSlots};
use super::model_choice::{
    choose_model, ChoiceReason, FitState, HoldoutScore, ModelChoice, PurchaseModel, PurchaseParams,
    PurchaseProcess,
};
use super::pareto_nbd::{fit_pareto_nbd_input, fit_pareto_nbd_triples, FitInput, ParetoNbdFit};
use super::section::{fit_message, message, ClvMessage, ClvNote, NoteModel};
use super::summary::{CalibrationHoldout, PurchaseHistories, TimeUnit, Triples};
use crate::dataset::CustomerSummary;

/// Fewer repeat customers than this get a note that the models' estimates
/// are rough (they still fit from `bgnbd::MIN_REPEATERS`).
pub const FEW_REPEAT_CUSTOMERS: u64 = 50;

/// The two fits, their holdout checks and the choice.
#[derive(Debug, Clone, Default)]
pub(super) struct PurchaseFits {
    pub bgnbd: Option<BgNbdFit>,
    pub pareto_nbd: Option<ParetoNbdFit>,
    /// BG/NBD's holdout check.
    pub holdout: Option<HoldoutCheck>,
    pub holdout_pareto_nbd: Option<HoldoutCheck>,
    pub scores: Vec<HoldoutScore>,
    pub chosen: Option<(PurchaseModel, ChoiceReason)>,
    /// The parameters of the chosen model.
    pub params: Option<PurchaseParams>,
    /// The chosen model's log-parameter covariance, when it has one.
    pub covariance: Option<Vec<Vec<f64>>>,
    /// The Pareto/NBD fit a helper makes ([`ParetoNbdSource::Helper`]);
    /// `None` when it is fitted here.
    pub late: Option<std::sync::Arc<LateParetoNbd>>,
}

/// Where the Pareto/NBD fit comes from.
pub enum ParetoNbdSource<'a> {
    /// Fitted here, beside BG/NBD.
    InLine,
    /// Offered to a helper that fits it at the same time (another worker):
    /// `offer` gets what the fit reads of the distinct histories (all of
    /// them up to 30,000, else 5,000 sampled; see [`FitInput`]) and says
    /// whether the helper took it. It is offered only where nothing computed
    /// before the Report is done depends on it: no holdout to choose by and
    /// Pareto/NBD not asked for by name; and the helper's fit is used only
    /// when BG/NBD then fits without running off to a limit (else it is
    /// fitted here after all). BG/NBD is then the model in use whatever the
    /// Pareto/NBD fit comes out as ([`choose_model`]); the fit itself, its
    /// notes and the reason for the choice are filled in when it arrives
    /// ([`super::late_fit::LateParetoNbd`]).
    Helper(&'a mut dyn FnMut(&FitInput) -> bool),
}

/// What the fits are made on.
pub(super) struct FitData<'a> {
    pub rows: &'a [CustomerSummary],
    /// The rows' triples when they are already built (fit on everything).
    pub triples: Option<&'a Triples>,
    pub split: Option<&'a CalibrationHoldout>,
    pub histories: &'a PurchaseHistories,
    pub unit: TimeUnit,
}

/// Fit diagnostics as messages: a degenerate fit (what its limit means),
/// else an unconverged optimiser (converged, largest gradient) and no
/// standard errors.
pub(super) fn fit_notes(
    messages: &mut Vec<ClvMessage>,
    model: PurchaseModel,
    degenerate: &[Limit],
    (converged, gradient_max, has_errors): (bool, f64, bool),
) {
    if !degenerate.is_empty() {
        messages.push(message(ClvNote::Degenerate {
            model: model.into(),
            limits: degenerate.to_vec(),
        }));
        return;
    }
    if !converged {
        messages.push(message(ClvNote::NotConverged {
            model: model.into(),
            gradient_max,
        }));
    }
    if !has_errors {
        messages.push(message(ClvNote::NoStandardErrors {
            model: model.into(),
        }));
    }
}

/// Fits both models, checks them on the holdout and chooses one; problems
/// go to `messages`.
pub(super) fn fit_purchase_models(
    data: &FitData,
    choice: ModelChoice,
    source: &mut ParetoNbdSource,
    messages: &mut Vec<ClvMessage>,
) -> PurchaseFits {
    // The rows' distinct histories, built once for both fits and both
    // holdout checks.
    let built;
    let triples = match data.triples {
        Some(t) => t,
        None => {
            built = Triples::new(data.rows);
            &built
        }
    };
    // What Pareto/NBD is fitted on, when a helper may fit it.
    let input = match source {
        ParetoNbdSource::Helper(_) if data.split.is_none() && choice != ModelChoice::ParetoNbd => {
            FitInput::of(triples).ok()
        }
        _ => None,
    };
    let offered = match (source, &input) {
        (ParetoNbdSource::Helper(offer), Some(input)) => offer(input),
        _ => false,
    };
    let bg = fit_bgnbd_triples(triples);
    let late = offered && bg.as_ref().is_ok_and(|f| f.degenerate.is_empty());
    // Above `pareto_nbd::SAMPLE_ABOVE` distinct histories Pareto/NBD is
    // fitted on a sample of them (its likelihood costs a hypergeometric
    // series per history and iteration: 12.6 s natively on all 142k of the
    // 1M-row benchmark, 0.13 s on the sample).
    let pnbd = (!late).then(|| match &input {
        Some(input) => fit_pareto_nbd_input(input),
        None => fit_pareto_nbd_triples(triples),
    });
    // A late fit's messages go where they would have been: its failure
    // here, its notes after BG/NBD's.
    let error_at = messages.len();
    match &pnbd {
        Some(p) => report_errors(&bg, p, messages),
        None => report_errors(&bg, &Ok::<(), FitError>(()), messages),
    }
    if let Ok(f) = &bg {
        if f.repeat_customers < FEW_REPEAT_CUSTOMERS {
            messages.push(message(ClvNote::FewRepeatCustomers {
                repeaters: f.repeat_customers,
                enough: FEW_REPEAT_CUSTOMERS,
            }));
        }
    }
    let bgnbd = bg.ok();
    let pareto_nbd = pnbd.and_then(Result::ok);
    if let Some(f) = &bgnbd {
        let diagnostics = (f.converged, f.gradient_max, f.standard_errors.is_some());
        fit_notes(messages, PurchaseModel::BgNbd, &f.degenerate, diagnostics);
    }
    let notes_at = messages.len();
    if let Some(f) = &pareto_nbd {
        let diagnostics = (f.converged, f.gradient_max, f.standard_errors.is_some());
        fit_notes(
            messages,
            PurchaseModel::ParetoNbd,
            &f.degenerate,
            diagnostics,
        );
    }
    let bg_params = bgnbd.as_ref().map(|f| f.params);
    let pnbd_params = pareto_nbd.as_ref().map(|f| f.params);
    // What both checks share: the actual purchases and the triples by (x, T).
    let shared = data.split.and_then(|split| {
        let actuals = HoldoutActuals::new(data.histories, split)?;
        Some((split, actuals, triples.by_x_and_t()))
    });
    let (holdout, holdout_pareto_nbd) = match &shared {
        Some((split, actuals, by_x_and_t)) => {
            let check = |model: &dyn PurchaseProcess| {
                holdout_check_with(split, (triples, by_x_and_t), actuals, model, data.unit)
            };
            (
                bg_params.and_then(|p| check(&p)),
                pnbd_params.and_then(|p| check(&p)),
            )
        }
        None => (None, None),
    };
    let scores: Vec<HoldoutScore> = [
        (PurchaseModel::BgNbd, &holdout),
        (PurchaseModel::ParetoNbd, &holdout_pareto_nbd),
    ]
    .into_iter()
    .filter_map(|(m, check)| check.as_ref().map(|c| HoldoutScore::of(m, c)))
    .collect();
    let state = |fitted: Option<&[Limit]>| match fitted {
        None => FitState::Failed,
        Some([]) => FitState::Fitted,
        Some(_) => FitState::Degenerate,
    };
    // A late fit counts as fitted for now: BG/NBD is chosen whatever it
    // comes out as, only the reason may change.
    let states = (
        state(bgnbd.as_ref().map(|f| &f.degenerate[..])),
        match late {
            true => FitState::Fitted,
            false => state(pareto_nbd.as_ref().map(|f| &f.degenerate[..])),
        },
    );
    let chosen = choose_model(choice, states, &scores);
    if let Some((model, ChoiceReason::OnlyOneFitted)) = chosen {
        let asked = match choice {
            ModelChoice::BgNbd => Some(PurchaseModel::BgNbd),
            ModelChoice::ParetoNbd => Some(PurchaseModel::ParetoNbd),
            ModelChoice::Auto => None,
        };
        if let Some(asked) = asked.filter(|a| *a != model) {
            messages.push(message(ClvNote::ChosenModelUnavailable {
                asked: asked.into(),
                used: model.into(),
            }));
        }
    }
    let (params, covariance) = match chosen {
        Some((PurchaseModel::BgNbd, _)) => (
            bg_params.map(PurchaseParams::BgNbd),
            bgnbd.as_ref().and_then(|f| f.log_covariance.clone()),
        ),
        Some((PurchaseModel::ParetoNbd, _)) => (
            pnbd_params.map(PurchaseParams::ParetoNbd),
            pareto_nbd.as_ref().and_then(|f| f.log_covariance.clone()),
        ),
        None => (None, None),
    };
    PurchaseFits {
        bgnbd,
        pareto_nbd,
        holdout,
        holdout_pareto_nbd,
        scores,
        chosen,
        params,
        covariance,
        late: input.filter(|_| late).map(|input| {
            let slots = LateSlots {
                error_at,
                notes_at,
                choice,
            };
            std::sync::Arc::new(LateParetoNbd::new(slots, input.into_owned()))
        }),
    }
}

/// One message per failed fit, or one for both when they failed alike.
fn report_errors<A, B>(
    bg: &Result<A, FitError>,
    pnbd: &Result<B, FitError>,
    messages: &mut Vec<ClvMessage>,
) {
    match (bg, pnbd) {
        (Err(a), Err(b)) if a == b => messages.push(fit_message(a, NoteModel::BothPurchaseModels)),
        _ => {
            if let Err(e) = bg {
                messages.push(fit_message(e, NoteModel::BgNbd));
            }
            if let Err(e) = pnbd {
                messages.push(fit_message(e, NoteModel::ParetoNbd));
            }
        }
    }
}
