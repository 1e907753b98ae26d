//! Two purchase models side by side: BG/NBD and Pareto/NBD behind one
//! interface ([`PurchaseProcess`]), scored on the holdout, and the choice of
//! the one that drives P(alive), expected purchases and CLV.
//!
//! The rule (docs/METRICS.md, "CLV and segmentation"): with a calibration
//! end, both models fitted on the calibration period predict each
//! calibration customer's purchases in the holdout; the model with the lower
//! mean absolute error per customer is used (a tie goes to BG/NBD, the model
//! of the published CLV workflow). The user can name a model instead
//! ([`ModelChoice`]). Without a holdout there is nothing to score them on:
//! BG/NBD is used unless it could not be fitted.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdParams;
use super::holdout::HoldoutCheck;
use super::pareto_nbd::ParetoNbdParams;

/// What the user asked for (`ClvSettings::model`, the CLI's `--model`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelChoice {
    /// The better of the two on the holdout (BG/NBD without a holdout).
    #[default]
    Auto,
    BgNbd,
    ParetoNbd,
}

impl ModelChoice {
    pub const ALL: [ModelChoice; 3] = [
        ModelChoice::Auto,
        ModelChoice::BgNbd,
        ModelChoice::ParetoNbd,
    ];

    /// The settings' and the CLI's spelling: `auto`, `bgnbd`, `pnbd`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ModelChoice::Auto => "auto",
            ModelChoice::BgNbd => "bgnbd",
            ModelChoice::ParetoNbd => "pnbd",
        }
    }

    /// [`Self::as_str`] back, also `bg/nbd`, `pareto`, `pareto/nbd`, any case.
    pub fn parse(text: &str) -> Option<ModelChoice> {
        match text
            .trim()
            .to_lowercase()
            .replace(['/', '-', '_', ' '], "")
            .as_str()
        {
            "auto" => Some(ModelChoice::Auto),
            "bgnbd" | "bg" => Some(ModelChoice::BgNbd),
            "pnbd" | "pareto" | "paretonbd" => Some(ModelChoice::ParetoNbd),
            _ => None,
        }
    }
}

/// A purchase model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseModel {
    BgNbd,
    ParetoNbd,
}

impl PurchaseModel {
    /// Its Report spelling (`clv.clv_model`): `bg_nbd`, `pareto_nbd`.
    pub const fn id(self) -> &'static str {
        match self {
            PurchaseModel::BgNbd => "bg_nbd",
            PurchaseModel::ParetoNbd => "pareto_nbd",
        }
    }

    /// The model's usual name.
    pub const fn name(self) -> &'static str {
        match self {
            PurchaseModel::BgNbd => "BG/NBD",
            PurchaseModel::ParetoNbd => "Pareto/NBD",
        }
    }
}

/// Why the model in use was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceReason {
    /// The lower MAE per customer on the holdout.
    Holdout,
    /// The user named it.
    User,
    /// The other model could not be fitted (or, named by the user, this one
    /// is used in its place).
    OnlyOneFitted,
    /// No holdout to score the models on: BG/NBD, the default.
    NoHoldout,
    /// No holdout, and BG/NBD's fit is degenerate while Pareto/NBD's is not.
    NotDegenerate,
}

/// What a purchase model says about customers, in the model's time unit:
/// the quantities the predictions, the holdout check and the intervals need.
/// Every method returns `None` where its value is not a finite number.
pub trait PurchaseProcess {
    /// P(alive | x, tₓ, T), in [0, 1].
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Option<f64>;

    /// [`Self::p_alive`] of each tₓ in `t_xs` at one (x, T): Pareto/NBD
    /// shares its dropout integral's terms at T among them.
    fn p_alive_at(&self, x: f64, t: f64, t_xs: &[f64]) -> Vec<Option<f64>> {
        t_xs.iter().map(|&t_x| self.p_alive(x, t_x, t)).collect()
    }

    /// E[Y(h) | x, tₓ, T] / P(alive | x, tₓ, T) for each horizon h, a
    /// function of (x, T) alone in both models: the callers cache it per
    /// (x, T) and multiply by each customer's P(alive).
    fn expected_if_alive(&self, horizons: &[f64], x: f64, t: f64) -> Option<Vec<f64>>;

    /// E[X(t)], purchases in the first `t` units of a new customer.
    fn unconditional_expected(&self, t: f64) -> Option<f64>;
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

impl PurchaseProcess for BgNbdParams {
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        finite(BgNbdParams::p_alive(self, x, t_x, t))
    }

    fn expected_if_alive(&self, horizons: &[f64], x: f64, t: f64) -> Option<Vec<f64>> {
        let parts = self
            .expected_purchases_if_alive_parts(horizons, x, t)
            .ok()?;
        parts.iter().all(|v| v.is_finite()).then_some(parts)
    }

    fn unconditional_expected(&self, t: f64) -> Option<f64> {
        self.unconditional_expected_purchases(t)
            .ok()
            .and_then(finite)
    }
}

impl PurchaseProcess for ParetoNbdParams {
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        ParetoNbdParams::p_alive(self, x, t_x, t)
            .ok()
            .and_then(finite)
    }

    fn p_alive_at(&self, x: f64, t: f64, t_xs: &[f64]) -> Vec<Option<f64>> {
        ParetoNbdParams::p_alive_at(self, x, t, t_xs)
    }

    fn expected_if_alive(&self, horizons: &[f64], x: f64, t: f64) -> Option<Vec<f64>> {
        horizons
            .iter()
            .map(|&h| self.expected_purchases_if_alive(h, x, t).ok())
            .collect()
    }

    fn unconditional_expected(&self, t: f64) -> Option<f64> {
        // A new customer (x = tₓ = T = 0) is alive: E[X(t)] = E[Y(t) | 0, 0, 0].
        self.expected_purchases_if_alive(t, 0.0, 0.0).ok()
    }
}

/// The parameters of the model in use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseParams {
    BgNbd(BgNbdParams),
    ParetoNbd(ParetoNbdParams),
}

impl PurchaseParams {
    pub const fn model(&self) -> PurchaseModel {
        match self {
            PurchaseParams::BgNbd(_) => PurchaseModel::BgNbd,
            PurchaseParams::ParetoNbd(_) => PurchaseModel::ParetoNbd,
        }
    }

    /// P(alive) over one customer's history (lifetimes'
    /// `calculate_alive_path`): at each grid time s = 0, step, 2·step, … ≤
    /// `end` (in units since the first purchase), P(alive) given the
    /// purchases up to s; points where the model gives no finite value are
    /// left out. At most 10,000 points.
    pub fn p_alive_path(&self, purchase_times: &[f64], end: f64, step: f64) -> Vec<(f64, f64)> {
        if step.is_nan() || step <= 0.0 || !end.is_finite() || end < 0.0 {
            return Vec::new();
        }
        let points = ((end / step).floor() as usize + 1).min(10_000);
        let mut sorted: Vec<f64> = purchase_times
            .iter()
            .copied()
            .filter(|t| t.is_finite() && *t > 0.0)
            .collect();
        sorted.sort_by(f64::total_cmp);
        (0..points)
            .filter_map(|k| {
                let s = k as f64 * step;
                let x = sorted.partition_point(|&p| p <= s);
                let t_x = if x > 0 { sorted[x - 1] } else { 0.0 };
                self.p_alive(x as f64, t_x, s).map(|p| (s, p))
            })
            .collect()
    }
}

impl PurchaseProcess for PurchaseParams {
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        match self {
            PurchaseParams::BgNbd(p) => PurchaseProcess::p_alive(p, x, t_x, t),
            PurchaseParams::ParetoNbd(p) => PurchaseProcess::p_alive(p, x, t_x, t),
        }
    }

    fn p_alive_at(&self, x: f64, t: f64, t_xs: &[f64]) -> Vec<Option<f64>> {
        match self {
            PurchaseParams::BgNbd(p) => p.p_alive_at(x, t, t_xs),
            PurchaseParams::ParetoNbd(p) => PurchaseProcess::p_alive_at(p, x, t, t_xs),
        }
    }

    fn expected_if_alive(&self, horizons: &[f64], x: f64, t: f64) -> Option<Vec<f64>> {
        match self {
            PurchaseParams::BgNbd(p) => p.expected_if_alive(horizons, x, t),
            PurchaseParams::ParetoNbd(p) => p.expected_if_alive(horizons, x, t),
        }
    }

    fn unconditional_expected(&self, t: f64) -> Option<f64> {
        match self {
            PurchaseParams::BgNbd(p) => p.unconditional_expected(t),
            PurchaseParams::ParetoNbd(p) => p.unconditional_expected(t),
        }
    }
}

/// One model's holdout figures, for comparing the models side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutScore {
    pub model: PurchaseModel,
    /// Holdout purchases of the calibration customers, actual and predicted.
    pub actual_total: f64,
    pub predicted_total: f64,
    /// (predicted − actual) / actual; `None` when nobody bought in the holdout.
    pub total_error: Option<f64>,
    /// Mean over calibration customers of |actual − predicted|.
    pub mae_per_customer: f64,
}

impl HoldoutScore {
    pub fn of(model: PurchaseModel, check: &HoldoutCheck) -> HoldoutScore {
        let error = check.predicted_total - check.actual_total;
        HoldoutScore {
            model,
            actual_total: check.actual_total,
            predicted_total: check.predicted_total,
            total_error: (check.actual_total > 0.0)
                .then(|| error / check.actual_total)
                .filter(|v| v.is_finite()),
            mae_per_customer: check.mae_per_customer,
        }
    }
}

/// How a model's fit came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitState {
    Failed,
    /// Fitted, but running off to a limit of the model ([`super::degenerate`]).
    Degenerate,
    Fitted,
}

/// The model to use and why, from what the user asked, how the two fits
/// (BG/NBD, Pareto/NBD) came out and their holdout scores; `None` when
/// neither was fitted.
pub fn choose_model(
    choice: ModelChoice,
    fits: (FitState, FitState),
    scores: &[HoldoutScore],
) -> Option<(PurchaseModel, ChoiceReason)> {
    let (bg, pnbd) = (fits.0 != FitState::Failed, fits.1 != FitState::Failed);
    let named = |model: PurchaseModel, ok: bool, other: PurchaseModel, other_ok: bool| {
        if ok {
            Some((model, ChoiceReason::User))
        } else if other_ok {
            Some((other, ChoiceReason::OnlyOneFitted))
        } else {
            None
        }
    };
    match choice {
        ModelChoice::BgNbd => named(PurchaseModel::BgNbd, bg, PurchaseModel::ParetoNbd, pnbd),
        ModelChoice::ParetoNbd => named(PurchaseModel::ParetoNbd, pnbd, PurchaseModel::BgNbd, bg),
        ModelChoice::Auto => match (bg, pnbd) {
            (false, false) => None,
            (true, false) => Some((PurchaseModel::BgNbd, ChoiceReason::OnlyOneFitted)),
            (false, true) => Some((PurchaseModel::ParetoNbd, ChoiceReason::OnlyOneFitted)),
            (true, true) => {
                let mae = |m: PurchaseModel| {
                    scores
                        .iter()
                        .find(|s| s.model == m)
                        .map(|s| s.mae_per_customer)
                        .filter(|v| v.is_finite())
                };
                match (mae(PurchaseModel::BgNbd), mae(PurchaseModel::ParetoNbd)) {
                    (Some(b), Some(p)) if p < b => {
                        Some((PurchaseModel::ParetoNbd, ChoiceReason::Holdout))
                    }
                    (Some(_), Some(_)) => Some((PurchaseModel::BgNbd, ChoiceReason::Holdout)),
                    _ if fits == (FitState::Degenerate, FitState::Fitted) => {
                        Some((PurchaseModel::ParetoNbd, ChoiceReason::NotDegenerate))
                    }
                    _ => Some((PurchaseModel::BgNbd, ChoiceReason::NoHoldout)),
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(model: PurchaseModel, mae: f64) -> HoldoutScore {
        HoldoutScore {
            model,
            actual_total: 10.0,
            predicted_total: 11.0,
            total_error: Some(0.1),
            mae_per_customer: mae,
        }
    }

    #[test]
    fn the_lower_mae_wins_and_the_user_overrides() {
        use ChoiceReason::*;
        use FitState::*;
        use PurchaseModel::*;
        let scores = [score(BgNbd, 0.60), score(ParetoNbd, 0.55)];
        let auto = ModelChoice::Auto;
        let (both, only_pnbd) = ((Fitted, Fitted), (Failed, Fitted));
        assert_eq!(
            choose_model(auto, both, &scores),
            Some((ParetoNbd, Holdout))
        );
        let tie = [score(BgNbd, 0.5), score(ParetoNbd, 0.5)];
        assert_eq!(choose_model(auto, both, &tie), Some((BgNbd, Holdout)));
        assert_eq!(choose_model(auto, both, &[]), Some((BgNbd, NoHoldout)));
        assert_eq!(
            choose_model(auto, only_pnbd, &[]),
            Some((ParetoNbd, OnlyOneFitted))
        );
        assert_eq!(choose_model(auto, (Failed, Failed), &scores), None);
        let named = ModelChoice::BgNbd;
        assert_eq!(choose_model(named, both, &scores), Some((BgNbd, User)));
        assert_eq!(
            choose_model(named, only_pnbd, &scores),
            Some((ParetoNbd, OnlyOneFitted))
        );
        let pnbd = ModelChoice::ParetoNbd;
        assert_eq!(choose_model(pnbd, both, &tie), Some((ParetoNbd, User)));
    }

    #[test]
    fn choices_parse_their_own_spelling() {
        for c in ModelChoice::ALL {
            assert_eq!(ModelChoice::parse(c.as_str()), Some(c));
        }
        assert_eq!(
            ModelChoice::parse("Pareto/NBD"),
            Some(ModelChoice::ParetoNbd)
        );
        assert_eq!(ModelChoice::parse("BG-NBD"), Some(ModelChoice::BgNbd));
        assert_eq!(ModelChoice::parse("gamma"), None);
    }

    /// Pareto/NBD's E[X(t)] is FH 2005 note eq. 17,
    /// rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)]; at the CDNOW estimates (0.55,
    /// 10.58, 0.61, 11.67) and t = 39 weeks by hand (a calculator):
    /// ln((β+t)/β) = ln(50.67/11.67) = 1.468313, (β/(β+t))^(s−1) =
    /// e^(0.39·1.468313) = 1.772945, rβ/(α(s−1)) = 6.4185/(−4.1262) =
    /// −1.555547, so E[X(39)] = −1.555547·(1 − 1.772945) = 1.20235.
    #[test]
    fn pareto_unconditional_expectation_is_the_papers() {
        let p = ParetoNbdParams {
            r: 0.55,
            alpha: 10.58,
            s: 0.61,
            beta: 11.67,
        };
        let e = p.unconditional_expected(39.0).unwrap();
        assert!((e - 1.20235).abs() < 1e-5, "{e}");
    }
}
