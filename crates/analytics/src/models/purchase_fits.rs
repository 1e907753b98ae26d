//! Both purchase models on the same data for the CLV section: BG/NBD and
//! Pareto/NBD fitted on the calibration period (or everything), each checked
//! on the holdout when there is one, and the model in use chosen
//! ([`super::model_choice::choose_model`]).

use super::bgnbd::{fit_bgnbd_triples, BgNbdFit, FitError};
use super::degenerate::Limit;
use super::holdout::{holdout_check_with, HoldoutActuals, HoldoutCheck};
use super::late_fit::{fit_for_helper, HelperFit, LateParetoNbd, LateSlots};
use super::model_choice::{
    choose_model, ChoiceReason, FitState, HoldoutScore, ModelChoice, PurchaseModel, PurchaseParams,
};
use super::pareto_nbd::{fit_pareto_nbd_triples, FitInput, ParetoNbdFit};
use super::section::{message, ClvMessage, ClvNote, FitProblem, NoteModel};
use super::summary::{ByXAndT, CalibrationHoldout, PurchaseHistories, TimeUnit, Triples};

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

/// A future that borrows what made it and runs on this thread (a worker's
/// message loop, or a poll in a test).
pub type LocalFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

/// Another worker that fits Pareto/NBD while this one goes on with the rest.
pub trait FitHelper {
    /// Lets in what the helper said while this worker was busy (that it
    /// is ready, when it was replaced after reading half a file) before
    /// the offer; called between the first sections too, since a helper
    /// that this worker spawned only loads as this worker's thread lets
    /// the steps of its start run. Nothing to wait for by default.
    fn catch_up(&mut self) -> LocalFuture<'_, ()> {
        Box::pin(std::future::ready(()))
    }
    /// Offers it what the fit reads of the distinct histories (all of them
    /// up to 30,000, else samples; see [`FitInput`]); whether it took it.
    fn offer(&mut self, input: &FitInput) -> bool;
    /// Its answer to the offer it took last; `None` when none comes (a
    /// helper that died or hangs): the fit is then made here.
    fn answer(&mut self) -> LocalFuture<'_, Option<HelperFit>>;
}

/// Where the Pareto/NBD fit comes from.
pub enum ParetoNbdSource<'a> {
    /// Fitted here, beside BG/NBD.
    InLine,
    /// Offered to a helper as soon as the distinct histories are known, so
    /// that it fits Pareto/NBD while this worker fits BG/NBD and checks it
    /// on the holdout ([`super::section::ClvStart::waits_for_helper`]). Where nothing
    /// computed before the Report is done depends on it (no holdout to
    /// choose by, Pareto/NBD not asked for by name, and BG/NBD fitted
    /// without running off to a limit), BG/NBD is the model in use whatever
    /// the Pareto/NBD fit comes out as ([`choose_model`]): the analysis goes
    /// on without it, and the fit, its notes and the reason for the choice
    /// are filled in when it arrives ([`super::late_fit::LateParetoNbd`]).
    Helper(&'a mut dyn FitHelper),
}

/// What the fits are made on.
pub(super) struct FitData<'a> {
    /// The rows' distinct histories, built once for both fits and both
    /// holdout checks.
    pub triples: &'a Triples,
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

/// The fits as far as they go without Pareto/NBD: the distinct histories,
/// the offer to a helper, BG/NBD and its holdout check.
pub(super) struct StartedFits {
    /// What Pareto/NBD is fitted on, when a helper took it.
    offered: Option<FitInput<'static>>,
    bg: Result<BgNbdFit, FitError>,
    /// What both holdout checks share: the actual purchases and the
    /// histories by (x, T).
    shared: Option<(HoldoutActuals, ByXAndT)>,
    bg_holdout: Option<HoldoutCheck>,
    choice: ModelChoice,
}

/// Starts both fits: Pareto/NBD is offered to the helper, if any, before
/// BG/NBD is fitted and checked here.
pub(super) fn start_purchase_fits(
    data: &FitData,
    choice: ModelChoice,
    source: &mut ParetoNbdSource,
) -> StartedFits {
    let triples = data.triples;
    let offered = match source {
        ParetoNbdSource::Helper(helper) => FitInput::of(triples)
            .ok()
            .filter(|input| helper.offer(input))
            .map(FitInput::into_owned),
        ParetoNbdSource::InLine => None,
    };
    let bg = fit_bgnbd_triples(triples);
    let shared = data.split.and_then(|split| {
        let actuals = HoldoutActuals::new(data.histories, split)?;
        Some((actuals, triples.by_x_and_t()))
    });
    let bg_holdout = match (&shared, data.split, &bg) {
        (Some((actuals, by_x_and_t)), Some(split), Ok(f)) => {
            holdout_check_with(split, (triples, by_x_and_t), actuals, &f.params, data.unit)
        }
        _ => None,
    };
    StartedFits {
        offered,
        bg,
        shared,
        bg_holdout,
        choice,
    }
}

impl StartedFits {
    /// Whether the helper fitted Pareto/NBD and the rest can go on without
    /// its fit (see [`ParetoNbdSource::Helper`]).
    fn late(&self, data: &FitData) -> bool {
        self.offered.is_some()
            && data.split.is_none()
            && self.choice != ModelChoice::ParetoNbd
            && self.bg.as_ref().is_ok_and(|f| f.degenerate.is_empty())
    }

    /// Whether the choice of model waits for the helper's fit.
    pub(super) fn waits_for_helper(&self, data: &FitData) -> bool {
        self.offered.is_some() && !self.late(data)
    }

    /// Fits or takes Pareto/NBD (the helper's `answer` when it waits for
    /// one; made here when none came), checks it on the holdout and chooses
    /// the model; problems go to `messages`.
    pub(super) fn finish(
        self,
        data: &FitData,
        answer: Option<HelperFit>,
        messages: &mut Vec<ClvMessage>,
    ) -> PurchaseFits {
        let late = self.late(data);
        let triples = data.triples;
        // Above `pareto_nbd::SAMPLE_ABOVE` distinct histories Pareto/NBD is
        // fitted on a sample of them (its likelihood costs a hypergeometric
        // series per history and iteration: 12.6 s natively on all 142k of
        // the 1M-row benchmark, 0.13 s on the sample).
        let pnbd: Option<HelperFit> = match (&self.offered, answer) {
            _ if late => None,
            (Some(_), Some(answer)) => Some(answer),
            (Some(input), None) => Some(fit_for_helper(input)),
            (None, _) => Some(fit_pareto_nbd_triples(triples).map_err(|e| FitProblem::from(&e))),
        };
        let bg = self.bg.map_err(|e| FitProblem::from(&e));
        // A late fit's messages go where they would have been: its failure
        // here, its notes after BG/NBD's.
        let error_at = messages.len();
        let pnbd_problem = pnbd.as_ref().and_then(|f| f.as_ref().err());
        report_errors(bg.as_ref().err(), pnbd_problem, messages);
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
        let holdout = self.bg_holdout;
        let holdout_pareto_nbd = match (&self.shared, data.split, pnbd_params) {
            (Some((actuals, by_x_and_t)), Some(split), Some(p)) => {
                holdout_check_with(split, (triples, by_x_and_t), actuals, &p, data.unit)
            }
            _ => None,
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
        let choice = self.choice;
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
            late: self.offered.filter(|_| late).map(|input| {
                let slots = LateSlots {
                    error_at,
                    notes_at,
                    choice,
                };
                std::sync::Arc::new(LateParetoNbd::new(slots, input))
            }),
        }
    }
}

/// One message per failed fit, or one for both when they failed alike.
fn report_errors(
    bg: Option<&FitProblem>,
    pnbd: Option<&FitProblem>,
    messages: &mut Vec<ClvMessage>,
) {
    let failed = |problem: &FitProblem, model| {
        message(ClvNote::FitFailed {
            model,
            problem: problem.clone(),
        })
    };
    match (bg, pnbd) {
        (Some(a), Some(b)) if a == b => messages.push(failed(a, NoteModel::BothPurchaseModels)),
        _ => {
            if let Some(e) = bg {
                messages.push(failed(e, NoteModel::BgNbd));
            }
            if let Some(e) = pnbd {
                messages.push(failed(e, NoteModel::ParetoNbd));
            }
        }
    }
}
