//! The CLV page in one call: what the Report integration and the UI use.
//!
//! [`ClvAnalysis::new`] does all the work once (summaries, fits,
//! per-customer predictions, RFM, ABC/XYZ) and keeps the per-customer tables
//! for the search box and the segment exports; [`ClvSection`] is the plain,
//! serialisable part that goes into the Report.
//!
//! Which data: purchase rows of the loaded transactions when there are any,
//! else the loaded summary (warehouse) rows, whose recency and T are taken
//! to be in the chosen time unit.
//!
//! With a calibration end, both models are fitted on the calibration period
//! (so the headline parameters are the calibration fit, as in the published
//! CDNOW results) and checked on the holdout; per-customer predictions and
//! CLV then use each customer's whole history up to the observation end.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::abc_xyz::{
    abc_xyz_rows, Abc, AbcXyzClasses, AbcXyzCustomer, AbcXyzMatrix, AbcXyzSettings, Xyz,
};
use super::bgnbd::BgNbdFit;
use super::clv::{
    distribution_of, predict_by_month_in, ClvDistribution, ClvTerms, CustomerPrediction, Months,
    PredictionTable,
};
use super::clv_months::{MonthValue, MonthWindow};
use super::clv_segments::{clv_by_segment, ClvByColumn, SegmentInputs};
use super::gamma_gamma::{GammaGammaFit, GammaGammaParams};
use super::holdout::HoldoutCheck;
use super::intervals::{CustomerInterval, ParameterDraws, TotalIntervals, TOTAL_SAMPLE};
use super::late_fit::{HelperFit, LateParetoNbd};
use super::model_choice::{
    ChoiceReason, HoldoutScore, ModelChoice, PurchaseModel, PurchaseParams, PurchaseProcess,
};
use super::pareto_nbd::ParetoNbdFit;
pub use super::purchase_fits::ParetoNbdSource;
use super::purchase_fits::{start_purchase_fits, FitData, StartedFits};
use super::rfm::{RfmCustomer, RfmScores, RfmSegment, RfmSummary};

mod history_segments;
mod notes;
mod predictions_csv;
mod spend;
mod summary_rows;
pub use super::simple_clv::SimpleClv;
use super::summary::{
    date_of, day_number, CalibrationHoldout, PurchaseHistories, SummaryRejections, TimeUnit,
    Triples,
};
use crate::dataset::Dataset;
use crate::display::Locale;
pub use history_segments::HistorySegments;
pub use notes::{ClvNote, FitProblem, NoteModel};
pub use predictions_csv::PREDICTIONS_HEADER;
use spend::fit_spend_model;
use summary_rows::SummaryRows;
pub(super) use summary_rows::SummaryView;

/// The user's CLV settings (the CLI's `--time-unit`, `--calibration-end`,
/// `--horizon-months`, `--discount-rate`, `--margin`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClvSettings {
    pub time_unit: TimeUnit,
    /// Last day of the calibration period (inclusive); `None`: fit on everything.
    pub calibration_end: Option<NaiveDate>,
    pub horizon_months: u32,
    /// Monthly discount rate.
    pub discount_rate: f64,
    /// Share of spend that is profit; `None` = CLV in revenue.
    pub margin: Option<f64>,
    pub abc_xyz: AbcXyzSettings,
    /// The purchase model behind P(alive), expected purchases and CLV:
    /// by the holdout (`auto`) or the user's.
    pub model: ModelChoice,
    /// Months m to n of the future (the CLI's `--window-months 13-24`): CLV
    /// and expected purchases over those months only, in today's money;
    /// `None`: months 1 to `horizon_months`.
    pub window_months: Option<MonthWindow>,
}

impl Default for ClvSettings {
    fn default() -> Self {
        ClvSettings {
            time_unit: TimeUnit::Week,
            calibration_end: None,
            horizon_months: 12,
            discount_rate: 0.01,
            margin: None,
            abc_xyz: AbcXyzSettings::default(),
            model: ModelChoice::Auto,
            window_months: None,
        }
    }
}

/// Longest horizon accepted (50 years); longer ones are cut to it with a message.
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// Customers listed in [`ClvSection::top_customers`].
pub const TOP_CUSTOMERS: usize = 100;

/// The first this many of them, those the page shows, get intervals
/// ([`TopCustomer::interval`]): 200 draws each.
pub const TOP_INTERVALS: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Warning,
    Error,
}

/// A fit problem or caveat: its stable code and English text (the
/// Report's contract), and the note itself, which says it in either
/// language ([`ClvNote::text`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvMessage {
    pub level: Level,
    pub code: String,
    pub text: String,
    pub note: ClvNote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummarySource {
    Transactions,
    Summaries,
    None,
}

/// A customer in the top list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopCustomer {
    pub customer: String,
    pub clv: f64,
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: Option<f64>,
    /// 90% intervals on expected purchases and CLV ([`super::intervals`]).
    #[serde(default)]
    pub interval: Option<CustomerInterval>,
}

/// Everything the CLV page shows; plain data, finite numbers only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvSection {
    pub settings: ClvSettings,
    pub source: SummarySource,
    /// Customers with a usable summary (at the observation end).
    pub customers: u64,
    pub summary_rejections: SummaryRejections,
    pub observation_end: Option<NaiveDate>,
    /// Horizon of `expected_purchases_total` and CLV, in model units.
    pub horizon_units: f64,
    pub bgnbd: Option<BgNbdFit>,
    #[serde(default)]
    pub pareto_nbd: Option<ParetoNbdFit>,
    /// The purchase model behind P(alive), expected purchases and CLV;
    /// `None` when neither could be fitted.
    #[serde(default)]
    pub clv_model: Option<PurchaseModel>,
    #[serde(default)]
    pub clv_model_reason: Option<ChoiceReason>,
    pub gamma_gamma: Option<GammaGammaFit>,
    pub messages: Vec<ClvMessage>,
    pub clv_distribution: Option<ClvDistribution>,
    pub clv_total: Option<f64>,
    pub clv_mean: Option<f64>,
    pub p_alive_mean: Option<f64>,
    pub expected_purchases_total: Option<f64>,
    /// 90% intervals on `expected_purchases_total` and `clv_total` from the
    /// parameters' uncertainty ([`super::intervals`]).
    #[serde(default)]
    pub intervals: Option<TotalIntervals>,
    /// Every month of the horizon (to the window's end): the predicted
    /// customers' expected purchases and discounted CLV in it; the months
    /// in the window add up to `expected_purchases_total` and `clv_total`.
    #[serde(default)]
    pub clv_by_month: Vec<MonthValue>,
    /// Per label of each segment column: customers, CLV and expected
    /// purchases with their intervals ([`super::clv_segments`]).
    #[serde(default)]
    pub clv_by_segment: Vec<ClvByColumn>,
    /// Highest CLV first (ties by id), at most [`TOP_CUSTOMERS`].
    pub top_customers: Vec<TopCustomer>,
    /// BG/NBD's holdout check (with a calibration end).
    pub holdout: Option<HoldoutCheck>,
    /// Pareto/NBD's, on the same split.
    #[serde(default)]
    pub holdout_pareto_nbd: Option<HoldoutCheck>,
    /// Each model's holdout totals and MAE per customer, side by side.
    #[serde(default)]
    pub holdout_scores: Vec<HoldoutScore>,
    pub simple: Option<SimpleClv>,
    pub rfm: Option<RfmSummary>,
    pub abc_xyz: Option<AbcXyzMatrix>,
}

impl ClvSection {
    /// The holdout check of the model in use (BG/NBD's when none is).
    pub fn holdout_in_use(&self) -> Option<&HoldoutCheck> {
        match self.clv_model {
            Some(PurchaseModel::ParetoNbd) => self.holdout_pareto_nbd.as_ref(),
            _ => self.holdout.as_ref(),
        }
    }

    /// The CLV ids of the README's "Figures" with their values; absent when not computed.
    pub fn headline_metrics(&self) -> Vec<(crate::metric::MetricId, f64)> {
        let bg = self.bgnbd.as_ref().map(|f| f.params);
        let pnbd = self.pareto_nbd.as_ref().map(|f| f.params);
        let gg = self.gamma_gamma.as_ref().map(|f| f.params);
        let clv_interval = self.intervals.and_then(|i| i.clv);
        let purchases_interval = self.intervals.and_then(|i| i.expected_purchases);
        [
            (crate::metric::MetricId::BgnbdR, bg.map(|p| p.r)),
            (crate::metric::MetricId::BgnbdAlpha, bg.map(|p| p.alpha)),
            (crate::metric::MetricId::BgnbdA, bg.map(|p| p.a)),
            (crate::metric::MetricId::BgnbdB, bg.map(|p| p.b)),
            (
                crate::metric::MetricId::BgnbdLl,
                self.bgnbd.as_ref().map(|f| f.log_likelihood),
            ),
            (crate::metric::MetricId::PnbdR, pnbd.map(|p| p.r)),
            (crate::metric::MetricId::PnbdAlpha, pnbd.map(|p| p.alpha)),
            (crate::metric::MetricId::PnbdS, pnbd.map(|p| p.s)),
            (crate::metric::MetricId::PnbdBeta, pnbd.map(|p| p.beta)),
            (
                crate::metric::MetricId::PnbdLl,
                self.pareto_nbd.as_ref().map(|f| f.log_likelihood),
            ),
            (crate::metric::MetricId::GgP, gg.map(|p| p.p)),
            (crate::metric::MetricId::GgQ, gg.map(|p| p.q)),
            (crate::metric::MetricId::GgV, gg.map(|p| p.v)),
            (crate::metric::MetricId::ClvTotal, self.clv_total),
            (
                crate::metric::MetricId::ClvTotalLow,
                clv_interval.map(|i| i.low),
            ),
            (
                crate::metric::MetricId::ClvTotalHigh,
                clv_interval.map(|i| i.high),
            ),
            (crate::metric::MetricId::ClvMean, self.clv_mean),
            (crate::metric::MetricId::PAliveMean, self.p_alive_mean),
            (
                crate::metric::MetricId::ExpectedPurchasesTotal,
                self.expected_purchases_total,
            ),
            (
                crate::metric::MetricId::ExpectedPurchasesLow,
                purchases_interval.map(|i| i.low),
            ),
            (
                crate::metric::MetricId::ExpectedPurchasesHigh,
                purchases_interval.map(|i| i.high),
            ),
        ]
        .into_iter()
        // + 0.0: a zero is never written as −0.
        .filter_map(|(id, v)| v.filter(|v| v.is_finite()).map(|v| (id, v + 0.0)))
        .collect()
    }
}

/// Everything known about one customer (the search box).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub customer: String,
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: Option<f64>,
    pub prediction: Option<CustomerPrediction>,
    /// 90% intervals on the prediction.
    #[serde(default)]
    pub interval: Option<CustomerInterval>,
    pub rfm: Option<RfmCustomer>,
    pub abc_xyz: Option<AbcXyzCustomer>,
    /// (time since first purchase in units, P(alive)), when the history is known.
    pub p_alive_path: Vec<(f64, f64)>,
    /// When the search text started several ids: the first few, this
    /// customer first; empty for a single match.
    #[serde(default)]
    pub matches: Vec<String>,
}

/// Most ids a customer search offers to pick from.
pub const SEARCH_MATCHES: usize = 8;

/// The customers whose id is `query` (surrounding spaces ignored), found
/// without regard to case or by the id's start: an exact match alone when
/// there is one, else case-insensitive equal ids, else the ids starting
/// with the query; each group in id order (case-insensitive).
pub fn find_customers<'n>(names: impl Iterator<Item = (u32, &'n str)>, query: &str) -> Vec<u32> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let lower = query.to_lowercase();
    let mut equal = Vec::new();
    let mut prefixed = Vec::new();
    for (c, name) in names {
        if name == query {
            return vec![c];
        }
        let name_lower = name.to_lowercase();
        if name_lower == lower {
            equal.push((name_lower, c));
        } else if name_lower.starts_with(&lower) {
            prefixed.push((name_lower, c));
        }
    }
    let mut found = if equal.is_empty() { prefixed } else { equal };
    found.sort();
    found.into_iter().map(|(_, c)| c).collect()
}

/// A group of customers that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Rfm(RfmSegment),
    Abc(Abc),
    Xyz(Xyz),
    AbcXyz(Abc, Xyz),
    /// Customers in [`ClvSection::top_customers`].
    TopClv,
    /// Every customer with their predictions and 90% intervals
    /// ([`ClvAnalysis::predictions_csv`]), not ids only.
    Predictions,
}

/// The computed CLV page with its per-customer tables.
#[derive(Debug, Clone)]
pub struct ClvAnalysis {
    pub section: ClvSection,
    /// Summaries at the observation end (usable rows), parallel to
    /// `predictions`: [`Self::summaries`].
    ///
    /// The per-customer tables are shared (`Arc`): a clone of the analysis,
    /// as the dataset's rerun cache hands out, copies no table.
    summaries: SummaryRows,
    pub predictions: Arc<PredictionTable>,
    /// RFM scores and ABC/XYZ classes parallel to the histories' customers
    /// (empty without transactions): rows on demand, [`Self::rfm_rows`],
    /// [`Self::abc_xyz_rows`].
    rfm: Arc<Vec<RfmScores>>,
    abc_xyz: Arc<Vec<AbcXyzClasses>>,
    histories: Arc<PurchaseHistories>,
    /// The parameters of the model in use ([`ClvSection::clv_model`]).
    model: Option<PurchaseParams>,
    /// Its parameter draws for the intervals, and the months and margin
    /// they are taken over.
    draws: Option<Arc<ParameterDraws>>,
    months: Arc<Months>,
    margin: f64,
    /// The Pareto/NBD fit a helper makes meanwhile, shared by the clones
    /// (the rerun cache's and the caller's): answered once for both.
    late: Option<Arc<LateParetoNbd>>,
}

pub(super) fn message(note: ClvNote) -> ClvMessage {
    ClvMessage {
        level: note.level(),
        code: note.code().to_string(),
        text: note.text(Locale::En),
        note,
    }
}

/// [`ClvAnalysis::new`]`(..).section`.
pub fn clv_section(dataset: &Dataset, settings: &ClvSettings) -> ClvSection {
    ClvAnalysis::new(dataset, settings).section
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u64);
    for v in values {
        sum += v;
        n += 1;
    }
    (n > 0 && sum.is_finite()).then(|| sum / n as f64)
}

impl ClvAnalysis {
    pub fn new(dataset: &Dataset, settings: &ClvSettings) -> ClvAnalysis {
        Self::new_timed(dataset, settings, &mut || {})
    }

    /// [`ClvAnalysis::new`], calling `models_done` between the models
    /// (summaries, BG/NBD, Pareto/NBD and Gamma-Gamma fits, holdout checks,
    /// predictions, CLV per month and the intervals) and the CLV by segment
    /// column (RFM, ABC/XYZ and the simple CLV come first,
    /// [`ClvStart::history_segments`]): the time budget is for the models,
    /// so the report's timings show them apart.
    pub fn new_timed(
        dataset: &Dataset,
        settings: &ClvSettings,
        models_done: &mut dyn FnMut(),
    ) -> ClvAnalysis {
        let start = Self::start(dataset, settings, &mut ParetoNbdSource::InLine);
        let segments = start.history_segments();
        start.finish(None, segments, models_done)
    }

    /// The analysis up to the Pareto/NBD fit (offered to the helper of
    /// `pareto_nbd`, if any): finish it with [`ClvStart::finish`].
    pub fn start<'d>(
        dataset: &'d Dataset,
        settings: &ClvSettings,
        pareto_nbd: &mut ParetoNbdSource,
    ) -> ClvStart<'d> {
        let mut messages = Vec::new();
        let mut settings = *settings;
        if settings.horizon_months > MAX_HORIZON_MONTHS {
            messages.push(message(ClvNote::HorizonCapped {
                max_months: MAX_HORIZON_MONTHS,
            }));
            settings.horizon_months = MAX_HORIZON_MONTHS;
        }
        if let Some(w) = settings
            .window_months
            .filter(|w| !w.is_valid(MAX_HORIZON_MONTHS))
        {
            messages.push(message(ClvNote::WindowInvalid {
                from: w.from,
                to: w.to,
                max_months: MAX_HORIZON_MONTHS,
            }));
            settings.window_months = None;
        }
        if !(settings.discount_rate.is_finite() && settings.discount_rate > -1.0) {
            messages.push(message(ClvNote::DiscountRateInvalid));
            settings.discount_rate = 0.01;
        }
        if settings.margin.is_some_and(|m| !m.is_finite()) {
            settings.margin = None;
        }
        let unit = settings.time_unit;
        let histories = PurchaseHistories::of(dataset.customer_index());
        let observation_end = histories.last_day;
        let (source, (summaries, summary_rejections)) = match observation_end {
            Some(end) if !histories.is_empty() => (
                SummarySource::Transactions,
                SummaryRows::of_histories(&histories, end, unit),
            ),
            _ if !dataset.summaries.is_empty() => (
                SummarySource::Summaries,
                SummaryRows::kept(dataset.summaries.to_vec()),
            ),
            _ => (SummarySource::None, SummaryRows::kept(Vec::new())),
        };
        if summary_rejections.total() > 0 {
            messages.push(message(ClvNote::SummaryRowsRejected {
                total: summary_rejections.total(),
                bad_frequency: summary_rejections.bad_frequency,
                bad_times: summary_rejections.bad_times,
                inconsistent: summary_rejections.inconsistent,
            }));
        }

        // The data the models are fitted on: the calibration period or all.
        let mut split = None;
        match (settings.calibration_end, source) {
            (Some(cal), SummarySource::Transactions) => {
                let cal_day = day_number(cal);
                match observation_end {
                    Some(end) if cal_day < end => {
                        split = Some(histories.calibration_holdout(cal_day, end, unit));
                    }
                    _ => messages.push(message(ClvNote::CalibrationEndOutsideData)),
                }
            }
            (Some(_), SummarySource::Summaries) => {
                messages.push(message(ClvNote::CalibrationNeedsTransactions));
            }
            _ => {}
        }

        // The distinct (x, tₓ, T) of the summaries serve the predictions
        // and, fitted on everything, the fits; a calibration period has its own.
        let triples = Triples::new(summaries.view(&histories));
        let fit_triples = split.as_ref().map(|s| Triples::new(&s.calibration));
        let fits = start_purchase_fits(
            &FitData {
                triples: fit_triples.as_ref().unwrap_or(&triples),
                split: split.as_ref(),
                histories: &histories,
                unit,
            },
            settings.model,
            pareto_nbd,
        );
        ClvStart {
            dataset,
            settings,
            messages,
            histories,
            source,
            summaries,
            summary_rejections,
            split,
            triples,
            fit_triples,
            fits,
        }
    }
}

/// The CLV analysis up to the Pareto/NBD fit ([`ClvAnalysis::start`]):
/// the summaries, the calibration split, the distinct histories and BG/NBD
/// fitted and checked on the holdout.
pub struct ClvStart<'d> {
    dataset: &'d Dataset,
    settings: ClvSettings,
    messages: Vec<ClvMessage>,
    histories: PurchaseHistories,
    source: SummarySource,
    /// Summaries at the observation end (usable rows).
    summaries: SummaryRows,
    summary_rejections: SummaryRejections,
    split: Option<CalibrationHoldout>,
    triples: Triples,
    /// The calibration period's distinct histories, when there is one.
    fit_triples: Option<Triples>,
    fits: StartedFits,
}

impl ClvStart<'_> {
    fn fit_data(&self) -> FitData<'_> {
        FitData {
            triples: self.fit_triples.as_ref().unwrap_or(&self.triples),
            split: self.split.as_ref(),
            histories: &self.histories,
            unit: self.settings.time_unit,
        }
    }

    /// Whether the model in use waits for the helper's Pareto/NBD fit
    /// (else it is filled in later, if at all:
    /// [`ClvAnalysis::late_pareto_nbd`]).
    pub fn waits_for_helper(&self) -> bool {
        self.fits.waits_for_helper(&self.fit_data())
    }

    /// RFM, ABC/XYZ and the simple CLV, which need no model: computed
    /// while a helper fits, they are passed to [`Self::finish`].
    pub fn history_segments(&self) -> HistorySegments {
        HistorySegments::of(&self.histories, self.source, &self.settings)
    }

    /// The rest of the analysis, with the helper's Pareto/NBD fit when it
    /// [waits for it](Self::waits_for_helper) (`None`: none came, fitted
    /// here), calling `models_done` between the models and the segments
    /// (see [`ClvAnalysis::new_timed`]).
    pub fn finish(
        self,
        answer: Option<HelperFit>,
        segments: HistorySegments,
        models_done: &mut dyn FnMut(),
    ) -> ClvAnalysis {
        let ClvStart {
            dataset,
            settings,
            mut messages,
            histories,
            source,
            summaries,
            summary_rejections,
            split,
            triples,
            fit_triples,
            fits,
        } = self;
        let unit = settings.time_unit;
        let data = FitData {
            triples: fit_triples.as_ref().unwrap_or(&triples),
            split: split.as_ref(),
            histories: &histories,
            unit,
        };
        let fits = fits.finish(&data, answer, &mut messages);
        let observation_end = histories.last_day;
        let late = fits.late;

        let rows = summaries.view(&histories);
        let gamma_gamma = match &split {
            Some(split) => fit_spend_model(&split.calibration, &mut messages),
            None => fit_spend_model(rows, &mut messages),
        };

        let model = fits.params;
        let gg: Option<GammaGammaParams> = gamma_gamma.as_ref().map(|f| f.params);
        let (first_month, last_month) = match settings.window_months {
            Some(w) => (w.from, w.to),
            None => (1, settings.horizon_months),
        };
        let terms = ClvTerms {
            unit,
            horizon_months: last_month,
            first_month,
            discount_rate: settings.discount_rate,
            margin: settings.margin.unwrap_or(1.0),
        };
        // The histories by (x, T): the predictions' groups, then the
        // order the intervals' sample reads them in.
        let by_x_and_t = model.as_ref().map(|_| triples.by_x_and_t());
        let (predictions, clv_by_month): (PredictionTable, _) = match (&model, &by_x_and_t) {
            (Some(m), Some(order)) => {
                let p = predict_by_month_in(m, gg.as_ref(), rows, (&triples, order), &terms);
                (p.customers, p.by_month)
            }
            _ => (std::iter::repeat_n(None, rows.len()).collect(), Vec::new()),
        };
        let months = Months::new(&terms);
        let draws = model.as_ref().and_then(|m| {
            let spend = gamma_gamma
                .as_ref()
                .and_then(|g| g.log_covariance.as_deref().map(|c| (&g.params, c)));
            ParameterDraws::new(m, fits.covariance.as_deref()?, spend)
        });
        if let Some(m) = model.filter(|_| draws.is_none()) {
            messages.push(message(ClvNote::NoIntervals {
                model: m.model().into(),
            }));
        }
        let missing = predictions.iter().filter(|p| p.is_none()).count();
        if model.is_some() && missing > 0 {
            messages.push(message(ClvNote::SeriesNotConverged {
                customers: missing as u64,
            }));
        }
        // The values go to the distribution, which sorts them in place; the
        // top is selected as it goes, among at most twice its size. A
        // (row, CLV) list of every customer and two copies of the values
        // took 32 bytes a customer (30 MB at 1M).
        let clv_distribution = distribution_of(
            predictions
                .iter()
                .filter_map(|p| p.and_then(|p| p.clv))
                .collect(),
        );
        // Highest CLV first, ties by id, then by row (what a stable sort of
        // the rows in order gives): a total order, so selecting the first
        // TOP_CUSTOMERS and sorting only them gives the full sort's head.
        let by_clv = |a: &(usize, f64), b: &(usize, f64)| {
            b.1.total_cmp(&a.1)
                .then_with(|| rows.customer_at(a.0).cmp(&rows.customer_at(b.0)))
                .then(a.0.cmp(&b.0))
        };
        let mut top: Vec<(usize, f64)> = Vec::with_capacity(2 * TOP_CUSTOMERS);
        for (i, p) in predictions.iter().enumerate() {
            if let Some(c) = p.and_then(|p| p.clv) {
                top.push((i, c));
                if top.len() == 2 * TOP_CUSTOMERS {
                    top.select_nth_unstable_by(TOP_CUSTOMERS - 1, by_clv);
                    top.truncate(TOP_CUSTOMERS);
                }
            }
        }
        if top.len() > TOP_CUSTOMERS {
            top.select_nth_unstable_by(TOP_CUSTOMERS - 1, by_clv);
            top.truncate(TOP_CUSTOMERS);
        }
        top.sort_by(by_clv);
        let top_customers = top
            .iter()
            .enumerate()
            .filter_map(|(rank, &(i, clv))| {
                let s = rows.at(i)?;
                let p = predictions.get(i)?;
                Some(TopCustomer {
                    customer: dataset
                        .customers
                        .name(s.customer)
                        .unwrap_or_default()
                        .to_string(),
                    clv,
                    p_alive: p.p_alive,
                    expected_purchases: p.expected_purchases,
                    frequency: s.frequency,
                    recency: s.recency,
                    t: s.t,
                    monetary_value: s.monetary_value,
                    interval: draws
                        .as_ref()
                        .filter(|_| rank < TOP_INTERVALS)
                        .and_then(|d| d.customer(&months, terms.margin, &s)),
                })
            })
            .collect();
        let predicted = predictions.iter().flatten();
        let p_alive_mean = mean(predicted.clone().map(|p| p.p_alive));
        let expected_purchases_total = model
            .is_some()
            // From +0.0: an empty f64 sum is −0.0.
            .then(|| predicted.fold(0.0, |sum, p| sum + p.expected_purchases))
            .filter(|v| v.is_finite());
        let clv_total = clv_distribution.as_ref().map(|d| d.total);
        let intervals = draws.as_ref().zip(by_x_and_t).map(|(d, order)| {
            let totals = (expected_purchases_total, clv_total);
            let data = (rows, &triples, order);
            d.totals_on_sample(
                &months,
                terms.margin,
                data,
                &predictions,
                totals,
                TOTAL_SAMPLE,
            )
        });
        models_done();

        // By segment column: timed with the segments (RFM, ABC/XYZ).
        let clv_by_segment = clv_by_segment(&SegmentInputs {
            dataset,
            summaries: rows,
            predictions: &predictions,
            draws: draws.as_ref(),
            months: &months,
            margin: terms.margin,
        });

        let section = ClvSection {
            settings,
            source,
            customers: rows.len() as u64,
            summary_rejections,
            observation_end: observation_end.and_then(date_of),
            horizon_units: f64::from(last_month) * unit.per_month(),
            bgnbd: fits.bgnbd,
            pareto_nbd: fits.pareto_nbd,
            clv_model: fits.chosen.map(|c| c.0),
            clv_model_reason: fits.chosen.map(|c| c.1),
            gamma_gamma,
            messages,
            clv_total,
            clv_mean: clv_distribution.as_ref().map(|d| d.mean),
            clv_distribution,
            p_alive_mean,
            expected_purchases_total,
            intervals,
            clv_by_month,
            clv_by_segment,
            top_customers,
            holdout: fits.holdout,
            holdout_pareto_nbd: fits.holdout_pareto_nbd,
            holdout_scores: fits.scores,
            simple: segments.simple,
            rfm: segments.rfm_summary,
            abc_xyz: segments.abc_xyz_matrix,
        };
        ClvAnalysis {
            section,
            summaries,
            predictions: Arc::new(predictions),
            rfm: Arc::new(segments.rfm),
            abc_xyz: Arc::new(segments.abc_xyz),
            histories: Arc::new(histories),
            model,
            draws: draws.map(Arc::new),
            months: Arc::new(months),
            margin: terms.margin,
            late,
        }
    }
}

impl ClvAnalysis {
    /// The Pareto/NBD fit this analysis waits for, if any: give it the
    /// helper's answer ([`LateParetoNbd::answer`]).
    pub fn late_pareto_nbd(&self) -> Option<&Arc<LateParetoNbd>> {
        self.late.as_ref()
    }

    /// Fills in the Pareto/NBD fit a helper made (or, without an answer,
    /// fits it here); nothing to do when it was fitted in line.
    pub fn complete_pareto_nbd(&mut self) {
        if let Some(late) = self.late.take() {
            late.complete(&mut self.section);
        }
    }

    /// Every figure for one customer, by the id as written in the file
    /// (surrounding spaces ignored); `None` for an unknown id.
    ///
    /// The id is found without regard to case and by its start: "c06" finds
    /// "C0628". An exact match wins; else the matches in id order, the card
    /// of the first with [`CustomerCard::matches`] naming the first few
    /// (at most [`SEARCH_MATCHES`]) to pick from.
    pub fn customer(&self, dataset: &Dataset, id: &str) -> Option<CustomerCard> {
        let names = (0..dataset.customers.len() as u32)
            .filter_map(|c| dataset.customers.name(c).map(|n| (c, n)));
        let found = find_customers(names, id);
        // Only customers the page has figures for.
        let mut known = found.into_iter().filter(|&c| self.has_card(c));
        let customer = known.next()?;
        let mut card = self.card(dataset, customer)?;
        let others: Vec<u32> = known.take(SEARCH_MATCHES - 1).collect();
        if !others.is_empty() {
            card.matches = std::iter::once(customer)
                .chain(others)
                .filter_map(|c| dataset.customers.name(c).map(str::to_string))
                .collect();
        }
        Some(card)
    }

    /// P(alive) per interned customer id `days` before the observation
    /// end (NaN where unknown): for a customer with no purchase since then,
    /// the same history seen `days` earlier, so the change is their trend.
    /// Customers who bought since get NaN (their history differs). `None`
    /// without a purchase model.
    pub fn p_alive_before(&self, customers: usize, days: f64) -> Option<Vec<f64>> {
        let model = self.model?;
        let back = days / self.section.settings.time_unit.days();
        let mut by_id = vec![f64::NAN; customers];
        for s in self.summaries() {
            let earlier = s.t - back;
            if earlier > 0.0 && s.recency <= earlier {
                if let Some(slot) = by_id.get_mut(s.customer as usize) {
                    *slot = model
                        .p_alive(s.frequency, s.recency, earlier)
                        .unwrap_or(f64::NAN);
                }
            }
        }
        Some(by_id)
    }

    fn has_card(&self, customer: u32) -> bool {
        self.summary_row_of(customer).is_some()
            || (!self.rfm.is_empty() && self.histories.index_of(customer).is_some())
    }

    /// The day the RFM and ABC/XYZ rows are taken at (the observation end).
    fn rows_as_of(&self) -> i32 {
        self.histories.last_day.unwrap_or_default()
    }

    /// Every customer's RFM row (order of first appearance); empty without
    /// transactions.
    pub fn rfm_rows(&self) -> Vec<RfmCustomer> {
        let as_of = self.rows_as_of();
        let scores = self.rfm.iter().enumerate();
        scores
            .map(|(i, s)| s.row(&self.histories, i, as_of))
            .collect()
    }

    /// Every customer's ABC/XYZ row (order of first appearance); empty
    /// without transactions.
    pub fn abc_xyz_rows(&self) -> Vec<AbcXyzCustomer> {
        abc_xyz_rows(&self.histories, &self.abc_xyz, self.rows_as_of())
    }

    /// The customers (in order of first appearance) whose position in the
    /// histories passes `keep`.
    fn customers_where(&self, rows: usize, keep: impl Fn(usize) -> bool) -> Vec<u32> {
        (0..rows)
            .filter(|&i| keep(i))
            .map(|i| self.histories.customers[i])
            .collect()
    }

    fn card(&self, dataset: &Dataset, customer: u32) -> Option<CustomerCard> {
        let id = dataset.customers.name(customer)?;
        let row = self.summary_row_of(customer);
        let summary = row.and_then(|i| self.summary_at(i));
        let summary = summary.as_ref();
        let at = self.histories.index_of(customer);
        let (h, as_of) = (&self.histories, self.rows_as_of());
        let rfm = at.and_then(|i| Some(self.rfm.get(i)?.row(h, i, as_of)));
        let abc_xyz = at.and_then(|i| Some(self.abc_xyz.get(i)?.row(h, i, as_of)));
        if summary.is_none() && rfm.is_none() {
            return None;
        }
        let unit = self.section.settings.time_unit;
        let p_alive_path = match (self.model, self.histories.index_of(customer), summary) {
            (Some(model), Some(i), Some(s)) => {
                let (days, _) = self.histories.purchases(i);
                let first = days.first().copied().unwrap_or(0);
                let times: Vec<f64> = days
                    .iter()
                    .skip(1)
                    .map(|&d| f64::from(d - first) / unit.days())
                    .collect();
                let step = (7.0 / unit.days()).max(s.t / 200.0);
                model.p_alive_path(&times, s.t, step)
            }
            _ => Vec::new(),
        };
        Some(CustomerCard {
            customer: id.to_string(),
            frequency: summary.map_or(0.0, |s| s.frequency),
            recency: summary.map_or(0.0, |s| s.recency),
            t: summary.map_or(0.0, |s| s.t),
            monetary_value: summary.and_then(|s| s.monetary_value),
            prediction: row.and_then(|i| self.predictions.get(i)),
            interval: summary.and_then(|s| {
                let draws = self.draws.as_ref()?;
                draws.customer(&self.months, self.margin, s)
            }),
            rfm,
            abc_xyz,
            p_alive_path,
            matches: Vec::new(),
        })
    }

    /// The customer ids of a segment as CSV text: a `customer_id` header,
    /// one id per line, quoted where CSV needs it, in the order of the ids'
    /// first appearance in the data (top CLV: by CLV).
    pub fn segment_csv(&self, dataset: &Dataset, segment: Segment) -> String {
        let (rfm, abc) = (&self.rfm, &self.abc_xyz);
        let ids: Vec<u32> = match segment {
            Segment::Rfm(s) => self.customers_where(rfm.len(), |i| rfm[i].segment() == s),
            Segment::Abc(a) => self.customers_where(abc.len(), |i| abc[i].abc == a),
            Segment::Xyz(x) => self.customers_where(abc.len(), |i| abc[i].xyz == x),
            Segment::AbcXyz(a, x) => {
                self.customers_where(abc.len(), |i| abc[i] == AbcXyzClasses { abc: a, xyz: x })
            }
            Segment::Predictions => return self.predictions_csv(dataset),
            Segment::TopClv => {
                let mut out = String::from("customer_id\n");
                for t in &self.section.top_customers {
                    push_csv_field(&mut out, &t.customer);
                }
                return out;
            }
        };
        let mut out = String::from("customer_id\n");
        for id in ids {
            push_csv_field(&mut out, dataset.customers.name(id).unwrap_or_default());
        }
        out
    }
}

/// One CSV line with one field, quoted when it holds a separator, quote or line break.
fn push_csv_field(out: &mut String, field: &str) {
    out.push_str(&crate::export::csv_cell(field));
    out.push('\n');
}
