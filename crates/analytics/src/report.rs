//! The one result type: every figure the web app shows and the CLI prints.
//! Both serialise this struct, so for the same files they give the same JSON.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::ingest::FileSummary;
use crate::metric::MetricId;
use crate::metrics::base::{base_figures_with, monthly_activity_with, MonthlyActivity};
use crate::metrics::churn_causes::{
    churn_by_segment, churn_section_with, ChurnBook, ChurnOptions, ChurnSection, SegmentRow,
};
use crate::metrics::churn_rules::{ChurnRules, ReasonOverrides};
use crate::metrics::customer_base::{period_retention_with, PeriodRetention};
use crate::metrics::lifecycle::{lifecycle_with, LifecyclePeriod};
use crate::metrics::programme::{orders, programme_effect_with, Mark, ProgrammeEffect};
use crate::metrics::purchase_patterns::{purchase_patterns_with, PurchasePatterns};
use crate::metrics::retention::{cohort_matrix_with, CohortMatrix, Period};
use crate::metrics::segment_breakdown::{
    segment_retention_with, segment_survival, SegmentRetention, SegmentSurvival,
};
use crate::metrics::surveys::{survey_section, SurveySection, SurveySettings};
use crate::metrics::survival::{customer_survival, SurvivalCurve};
use crate::models::clv::PredictionTable;
use crate::models::late_fit::LateParetoNbd;
use crate::models::{ClvAnalysis, ClvSection, ClvSettings, ParetoNbdSource};

mod cache;
mod money;

pub use money::{FileCurrency, Money};

/// Dates in the report are calendar dates without a time zone.
pub use chrono::NaiveDate;

/// Headline metric ids: keys of [`Report::metrics`] and the page's
/// `data-metric` attributes (README, "Figures").
/// The Report keys as constants (the catalogue is [`MetricId`]): one
/// spelling, from the enum.
pub mod metric {
    use crate::metric::MetricId;
    pub const ROWS_READ: &str = MetricId::RowsRead.id();
    pub const ROWS_USED: &str = MetricId::RowsUsed.id();
    pub const ROWS_REJECTED: &str = MetricId::RowsRejected.id();
    pub const CUSTOMERS: &str = MetricId::Customers.id();
    pub const TRANSACTIONS: &str = MetricId::Transactions.id();
    pub const ORDERS: &str = MetricId::Orders.id();
    pub const REVENUE: &str = MetricId::Revenue.id();
    pub const REPEAT_RATE: &str = MetricId::RepeatRate.id();
    pub const RETENTION_M1: &str = MetricId::RetentionM1.id();
    pub const RETENTION_M3: &str = MetricId::RetentionM3.id();
    pub const RETENTION_M6: &str = MetricId::RetentionM6.id();
    pub const RETENTION_M12: &str = MetricId::RetentionM12.id();
    pub const RETENTION_RATE: &str = MetricId::RetentionRate.id();
    pub const CHURN_RATE: &str = MetricId::ChurnRate.id();
    pub const KM_MEDIAN_MONTHS: &str = MetricId::KmMedianMonths.id();
}

/// What the user chose; the same in the UI and on the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub period: Period,
    /// Days without a purchase after which a customer leaves the base.
    pub churn_window_days: u32,
    /// CSAT scale and comment themes.
    #[serde(default)]
    pub surveys: SurveySettings,
    /// Reason-to-category rules and the user's hand re-mappings.
    #[serde(default)]
    pub churn: ChurnSettings,
    /// The date filter: only activity within [from, to] is analysed.
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// Dates that split every trend (programme launch, price change...).
    #[serde(default)]
    pub marks: Vec<Mark>,
    /// Time unit, calibration end, horizon, discount rate, margin, ABC/XYZ.
    #[serde(default)]
    pub clv: ClvSettings,
    /// The currency of the money figures when the files name several;
    /// `None`: that of the files holding the most rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<crate::dataset::Currency>,
}

/// The churn-cause rules in force: the built-in ones unless the user edited them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChurnSettings {
    pub rules: Option<ChurnRules>,
    #[serde(default)]
    pub overrides: ReasonOverrides,
    /// The grouping of "similar customers" in the call list; `None`: the
    /// one that best separates leavers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_grouping: Option<crate::metrics::churn_causes::GroupingKey>,
}

/// Churn shares per label of one customers segment column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnBySegment {
    pub column: String,
    pub rows: Vec<SegmentRow>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            period: Period::Month,
            churn_window_days: 90,
            surveys: SurveySettings::default(),
            churn: ChurnSettings::default(),
            date_from: None,
            date_to: None,
            marks: Vec::new(),
            clv: ClvSettings::default(),
            currency: None,
        }
    }
}

/// Version of the JSON layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub settings: Settings,
    /// Headline figures by metric id. Absent when the input does not allow
    /// them (no amount column: no revenue), never NaN.
    pub metrics: BTreeMap<String, f64>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub files: Vec<FileSummary>,
    /// The currency of the money figures and the files left out of them;
    /// absent when no file names a currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
    pub monthly_activity: Vec<MonthlyActivity>,
    /// Monthly cohort retention triangle.
    pub cohorts: CohortMatrix,
    /// The base per period of the chosen length.
    pub period_retention: Vec<PeriodRetention>,
    /// New, retained, resurrected and lost customers per period.
    pub lifecycle: Vec<LifecyclePeriod>,
    /// Kaplan-Meier curve of customers files (tenure or start/end dates).
    pub survival: Option<SurvivalCurve>,
    /// NPS, CSAT, CES, comment themes and the loyalty link.
    pub surveys: Option<SurveySection>,
    /// Orders per customer, days between purchases, time to the second
    /// purchase, seasonality; absent without transactions.
    pub purchase_patterns: Option<PurchasePatterns>,
    /// Monthly cohort retention per label of each transactions segment column.
    pub segment_retention: Vec<SegmentRetention>,
    /// Kaplan-Meier per label of each customers segment column, with log-rank.
    pub segment_survival: Vec<SegmentSurvival>,
    /// Why customers leave: reasons, categories, competing risks, call list.
    pub churn: Option<ChurnSection>,
    /// Churn per label of each customers segment column.
    pub churn_by_segment: Vec<ChurnBySegment>,
    /// Before/after the marked dates, members vs non-members, discount share.
    pub programme: ProgrammeEffect,
    /// BG/NBD + Gamma-Gamma CLV, holdout check, RFM and ABC/XYZ; absent
    /// without transactions or summary rows.
    pub clv: Option<ClvSection>,
}

/// A report and the per-customer CLV tables behind it (kept by the web
/// worker for the customer search and segment exports; not serialised).
pub struct Analysis {
    pub report: Report,
    pub clv: Option<ClvAnalysis>,
}

impl Report {
    pub fn metric(&self, id: &str) -> Option<f64> {
        self.metrics.get(id).copied()
    }
}

/// The file summaries, with how many of each file's customer ids are found
/// in another loaded file, when more than one file has customer ids.
fn files_with_matches(dataset: &Dataset) -> Vec<FileSummary> {
    let mut files = dataset.files.to_vec();
    if dataset
        .file_customers
        .iter()
        .filter(|ids| !ids.is_empty())
        .count()
        > 1
    {
        let mut files_per_id = vec![0u16; dataset.customers.len()];
        for ids in &dataset.file_customers {
            for &id in ids {
                files_per_id[id as usize] = files_per_id[id as usize].saturating_add(1);
            }
        }
        for (file, ids) in files.iter_mut().zip(&dataset.file_customers) {
            file.customers_matched = Some(
                ids.iter()
                    .filter(|&&id| files_per_id[id as usize] > 1)
                    .count() as u64,
            );
        }
    }
    files
}

/// The report with the default settings (months, 90-day churn window).
pub fn build_report(dataset: &Dataset) -> Report {
    build_report_with(dataset, &Settings::default())
}

pub fn build_report_with(dataset: &Dataset, settings: &Settings) -> Report {
    analyse(dataset, settings).report
}

/// The report, keeping the CLV model's per-customer tables.
pub fn analyse(dataset: &Dataset, settings: &Settings) -> Analysis {
    analyse_timed(dataset, settings, &mut || 0.0).0
}

/// How long one section of [`analyse_timed`] took, in the injected clock's
/// milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionTiming {
    /// Stable snake_case name (see [`analyse_timed`]).
    pub section: Cow<'static, str>,
    pub ms: f64,
}

/// Laps of the injected clock, one [`SectionTiming`] per section.
struct Laps<'c> {
    clock: &'c mut dyn FnMut() -> f64,
    last: f64,
    timings: Vec<SectionTiming>,
}

impl Laps<'_> {
    /// Ends section `section`, started by the previous lap; a section timed
    /// in parts (`clv`) adds them up.
    fn lap(&mut self, section: &'static str) {
        let now = (self.clock)();
        let ms = now - self.last;
        self.last = now;
        match self.timings.iter_mut().find(|t| t.section == section) {
            Some(timing) => timing.ms += ms,
            None => self.timings.push(SectionTiming {
                section: Cow::Borrowed(section),
                ms,
            }),
        }
    }
}

/// The value of a future that waits for nothing (no helper to answer): it
/// is ready on its first poll.
fn without_waiting<T>(future: impl std::future::Future<Output = T>) -> T {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        // Only a helper's answer is awaited, and there is none.
        Poll::Pending => unreachable!("an analysis without a helper waited"),
    }
}

/// [`analyse`], timing each section with `clock` (milliseconds from any
/// origin, e.g. `performance.now()` in the browser or an `Instant` natively;
/// `std::time::Instant` panics on wasm32-unknown-unknown, so the core takes
/// the clock from its caller). The timings are not part of the [`Report`].
///
/// One entry per section, always all of them and in this order (a section
/// with nothing to do takes about 0 ms): `date_filter` (the dataset within
/// `date_from..=date_to`), `customer_index` (transactions grouped by
/// customer; built once per dataset), `base` (headline counts), `cohorts`
/// (monthly cohort matrix), `period_retention` (the base per period),
/// `survival` (Kaplan-Meier of customers files), `clv` (summaries, BG/NBD,
/// Pareto/NBD and Gamma-Gamma fits, holdout checks, predictions and CLV,
/// intervals; timed in two parts, before and after the next seven), `files`
/// (file summaries with matched ids), `monthly_activity`, `lifecycle`,
/// `purchase_patterns`, `segment_retention`, `segment_survival`,
/// `programme`, `clv_segments` (CLV by segment, RFM, ABC/XYZ, simple CLV),
/// `clv_by_customer` (P(alive) and CLV per customer id), `surveys`, `churn`
/// (churn section and churn by segment), `assemble` (the Report put
/// together); with a helper, `pareto_nbd_wait` after `programme` when the
/// CLV section waited for it ([`analyse_with`]).
pub fn analyse_timed(
    dataset: &Dataset,
    settings: &Settings,
    clock: &mut dyn FnMut() -> f64,
) -> (Analysis, Vec<SectionTiming>) {
    without_waiting(analyse_with(
        dataset,
        settings,
        clock,
        &mut ParetoNbdSource::InLine,
    ))
}

/// Lets the helper's messages in ([`crate::models::FitHelper::catch_up`]),
/// a few times before the CLV section offers it its fits; nothing without one.
async fn catch_up(source: &mut ParetoNbdSource<'_>) {
    if let ParetoNbdSource::Helper(helper) = source {
        helper.catch_up().await;
    }
}

/// [`analyse_timed`] with the Pareto/NBD fit from `pareto_nbd`. With a
/// helper, the CLV section waits for its fit when the model in use depends
/// on it ([`crate::models::ClvStart::waits_for_helper`]; the sections that do not depend on
/// the CLV figures run meanwhile, and the wait is timed as
/// `pareto_nbd_wait`); else the analysis may come back without it
/// ([`Analysis::late_pareto_nbd`]): answer it and call
/// [`Analysis::complete_pareto_nbd`] before using the Report.
pub async fn analyse_with(
    dataset: &Dataset,
    settings: &Settings,
    clock: &mut dyn FnMut() -> f64,
    pareto_nbd: &mut ParetoNbdSource<'_>,
) -> (Analysis, Vec<SectionTiming>) {
    let helper = matches!(pareto_nbd, ParetoNbdSource::Helper(_));
    let last = clock();
    let mut laps = Laps {
        clock,
        last,
        timings: Vec::with_capacity(20),
    };
    // Files in another currency than the analysis's lend it no amounts.
    let currency = money::currency_of_analysis(&dataset.files, settings.currency);
    let in_currency;
    let (money, dataset) = match currency {
        Some(c) => {
            let make = || money::in_currency(dataset, c);
            in_currency = match cache::of(dataset) {
                Some(cache) => cache.currency.get_or(c, make),
                None => std::sync::Arc::new(make()),
            };
            let (money, view) = &*in_currency;
            (Some(money.clone()), view.as_ref().unwrap_or(dataset))
        }
        None => (None, dataset),
    };
    // Reruns reuse what the settings do not change (`cache`).
    let fresh_cache;
    let filtered;
    let dataset = if settings.date_from.is_some() || settings.date_to.is_some() {
        let range = (settings.date_from, settings.date_to);
        let within = || dataset.within(settings.date_from, settings.date_to);
        filtered = match cache::of(dataset) {
            Some(cache) => cache.within.get_or(range, within),
            None => std::sync::Arc::new(within()),
        };
        &*filtered
    } else {
        dataset
    };
    let cache = match cache::of(dataset) {
        Some(cache) => cache,
        None => {
            fresh_cache = cache::ReportCache::default();
            &fresh_cache
        }
    };
    laps.lap("date_filter");
    let tx = &dataset.transactions;
    // Transactions by customer, once for every analysis below (and reruns).
    let index = dataset.customer_index();
    laps.lap("customer_index");
    catch_up(pareto_nbd).await;
    let base = cache.base.get_or_init(|| base_figures_with(tx, &index));
    let mut metrics = BTreeMap::new();
    let mut put = |id: MetricId, value: Option<f64>| put_metric(&mut metrics, id, value);
    let total = |f: fn(&FileSummary) -> u64| Some(dataset.files.iter().map(f).sum::<u64>() as f64);
    put(MetricId::RowsRead, total(|f| f.rows_read));
    put(MetricId::RowsUsed, total(|f| f.rows_used));
    put(MetricId::RowsRejected, total(|f| f.rows_rejected));
    // Base figures describe purchases: without transactions they are absent,
    // not zero (a survey file alone says nothing about orders).
    if tx.is_empty() {
        // Without purchases, the customers are the distinct ids of every
        // file's used rows (a churn list, a survey with respondent ids).
        put(MetricId::Customers, distinct_customers(dataset));
        // A per-customer summary says who came back: frequency is the
        // number of repeat purchases.
        if !dataset.summaries.is_empty() {
            let repeat = dataset.summaries.iter().filter(|s| s.frequency >= 1.0);
            put(
                MetricId::RepeatRate,
                Some(repeat.count() as f64 / dataset.summaries.len() as f64),
            );
        }
    } else {
        put(MetricId::Customers, Some(base.customers as f64));
        put(MetricId::Transactions, Some(base.transactions as f64));
        put(MetricId::Orders, Some(base.orders as f64));
        put(MetricId::Revenue, base.revenue);
        put(MetricId::RepeatRate, base.repeat_rate);
    }
    laps.lap("base");
    let cohorts = cache
        .cohorts
        .get_or_init(|| cohort_matrix_with(tx, &index, Period::Month))
        .clone();
    for (id, k) in [
        (MetricId::RetentionM1, 1),
        (MetricId::RetentionM3, 3),
        (MetricId::RetentionM6, 6),
        (MetricId::RetentionM12, 12),
    ] {
        put(id, cohorts.average_on.get(k).copied());
    }
    laps.lap("cohorts");
    catch_up(pareto_nbd).await;
    let base_over_time = period_retention_with(&index, settings.period, settings.churn_window_days);
    if let Some(latest) = base_over_time
        .iter()
        .rev()
        .find(|p| p.complete && p.start_base > 0)
    {
        put(MetricId::RetentionRate, latest.retention_rate);
        put(MetricId::ChurnRate, latest.churn_rate);
    }
    laps.lap("period_retention");
    let (observed_until, survival) = cache
        .survival
        .get_or_init(|| {
            // Customers still active are censored at the last date the files mention.
            let observed_until = dataset
                .customer_records
                .iter()
                .flat_map(|r| [r.start, r.end])
                .flatten()
                .max();
            (
                observed_until,
                customer_survival(&dataset.customer_records, observed_until),
            )
        })
        .clone();
    put(
        MetricId::KmMedianMonths,
        survival.as_ref().and_then(|s| s.median_months),
    );
    laps.lap("survival");
    catch_up(pareto_nbd).await;
    // The CLV section starts (BG/NBD, and Pareto/NBD offered to the
    // helper); the sections that do not need its figures run while the
    // helper fits, then it finishes.
    let has_clv = !tx.is_empty() || !dataset.summaries.is_empty();
    let kept_clv = cache.clv.get(&settings.clv);
    let clv_start = match kept_clv {
        Some(_) => None,
        None => has_clv.then(|| ClvAnalysis::start(dataset, &settings.clv, pareto_nbd)),
    };
    laps.lap("clv");
    let files = cache
        .files
        .get_or_init(|| files_with_matches(dataset))
        .clone();
    laps.lap("files");
    let monthly_activity = cache
        .monthly_activity
        .get_or_init(|| monthly_activity_with(tx, &index))
        .clone();
    laps.lap("monthly_activity");
    let lifecycle = lifecycle_with(&index, settings.period);
    laps.lap("lifecycle");
    let purchase_patterns = cache
        .purchase_patterns
        .get_or_init(|| (!tx.is_empty()).then(|| purchase_patterns_with(tx, &index)))
        .clone();
    laps.lap("purchase_patterns");
    let segment_retention = cache
        .segment_retention
        .get_or_init(|| {
            segment_retention_with(tx, &index, &dataset.segments, dataset.customers.len())
        })
        .clone();
    laps.lap("segment_retention");
    let segment_survival = cache
        .segment_survival
        .get_or_init(|| {
            segment_survival(&dataset.customer_records, &dataset.segments, observed_until)
        })
        .clone();
    laps.lap("segment_survival");
    let programme = (*cache.programme.get_or(settings.marks.clone(), || {
        programme_effect_with(
            tx,
            &dataset.survey_answers,
            &dataset.segments,
            &settings.marks,
            || cache.orders.get_or_init(|| orders(tx)),
        )
    }))
    .clone();
    laps.lap("programme");
    let mut models_lapped = false;
    let kept_clv = match kept_clv {
        Some(kept) => kept,
        None => {
            let finished = match clv_start {
                Some(start) => {
                    // What needs no model, before the wait.
                    let segments = start.history_segments();
                    laps.lap("history_segments");
                    let answer = match pareto_nbd {
                        ParetoNbdSource::Helper(helper) if start.waits_for_helper() => {
                            let answer = helper.answer().await;
                            laps.lap("pareto_nbd_wait");
                            answer
                        }
                        _ => None,
                    };
                    Some(start.finish(answer, segments, &mut || {
                        laps.lap("clv");
                        models_lapped = true;
                    }))
                }
                None => None,
            };
            cache.clv.put(settings.clv, finished)
        }
    };
    let mut clv = (*kept_clv).clone();
    // A kept analysis whose helper has answered (or any, without a helper
    // to wait for) is completed now.
    if let Some(c) = clv.as_mut() {
        if !helper || c.late_pareto_nbd().is_none_or(|l| l.is_answered()) {
            c.complete_pareto_nbd();
        }
    }
    if !models_lapped {
        laps.lap("clv");
    }
    for (id, value) in clv.iter().flat_map(|c| c.section.headline_metrics()) {
        put(id, Some(value));
    }
    laps.lap("clv_segments");
    // Per customer id (NaN for none): P(alive) narrows the churn call list to
    // customers the model thinks are slipping away; CLV joins the survey
    // answers' loyalty link.
    let clv_part = cache
        .clv_by_customer
        .get_or(settings.clv, || ClvByCustomer {
            predicted: clv
                .as_ref()
                .map(|c| PredictedByCustomer::of(c, dataset.customers.len())),
            p_alive_before: clv.as_ref().and_then(|c| {
                c.p_alive_before(
                    dataset.customers.len(),
                    f64::from(crate::metrics::churn_causes::TREND_DAYS),
                )
            }),
        });
    laps.lap("clv_by_customer");
    let surveys = survey_section(dataset, settings.period, &settings.surveys, clv_part.clv());
    for (id, value) in surveys.iter().flat_map(|s| s.headline_metrics()) {
        put(id, Some(value));
    }
    laps.lap("surveys");
    let churn_key = ChurnKey {
        window_days: settings.churn_window_days,
        churn: settings.churn.clone(),
        clv: settings.clv,
    };
    let churn_part = cache
        .churn
        .get_or(churn_key, || churn_figures(dataset, settings, &clv_part));
    let (churn, churn_by_segment) = (*churn_part).clone();
    for (id, value) in churn.iter().flat_map(|c| c.headline_metrics()) {
        put(id, Some(value));
    }
    laps.lap("churn");
    let report = Report {
        schema_version: SCHEMA_VERSION,
        metrics,
        first_date: base.first_date,
        last_date: base.last_date,
        files,
        money,
        monthly_activity,
        cohorts,
        period_retention: base_over_time,
        lifecycle,
        survival,
        surveys,
        purchase_patterns,
        segment_retention,
        segment_survival,
        churn,
        churn_by_segment,
        programme,
        clv: clv.as_ref().map(|c| c.section.clone()),
        settings: settings.clone(),
    };
    laps.lap("assemble");
    (Analysis { report, clv }, laps.timings)
}

/// A headline figure into the Report's `metrics`, when it is a number.
fn put_metric(metrics: &mut BTreeMap<String, f64>, id: MetricId, value: Option<f64>) {
    if let Some(v) = value.filter(|v| v.is_finite()) {
        metrics.insert(id.id().to_string(), v);
    }
}

impl Analysis {
    /// The Pareto/NBD fit this analysis waits for, when a helper makes it.
    pub fn late_pareto_nbd(&self) -> Option<&std::sync::Arc<LateParetoNbd>> {
        self.clv.as_ref().and_then(ClvAnalysis::late_pareto_nbd)
    }

    /// Fills the Pareto/NBD fit into the CLV section and the Report's
    /// figures: with the helper's answer, or fitted here when none came.
    pub fn complete_pareto_nbd(&mut self) {
        let Some(clv) = self.clv.as_mut().filter(|c| c.late_pareto_nbd().is_some()) else {
            return;
        };
        clv.complete_pareto_nbd();
        for (id, value) in clv.section.headline_metrics() {
            put_metric(&mut self.report.metrics, id, Some(value));
        }
        self.report.clv = Some(clv.section.clone());
    }
}

/// P(alive) and CLV per customer id (NaN for none) for one set of CLV
/// settings, kept for reruns.
pub(crate) struct ClvByCustomer {
    predicted: Option<PredictedByCustomer>,
    p_alive_before: Option<Vec<f64>>,
}

impl ClvByCustomer {
    fn p_alive(&self) -> Option<&[f64]> {
        self.predicted.as_ref().map(|p| match p {
            PredictedByCustomer::Rows(table) => table.p_alive_column(),
            PredictedByCustomer::Copied { p_alive, .. } => p_alive,
        })
    }

    fn clv(&self) -> Option<&[f64]> {
        self.predicted.as_ref().map(|p| match p {
            PredictedByCustomer::Rows(table) => table.clv_column(),
            PredictedByCustomer::Copied { clv, .. } => clv,
        })
    }
}

/// The predictions' P(alive) and CLV by customer id.
enum PredictedByCustomer {
    /// The rows are the ids `0..n` in order (every customer bought, the
    /// usual case): the table's own columns are the lists by id. Copies
    /// took 16 bytes a customer (15 MiB at 1M) beside the table.
    Rows(Arc<PredictionTable>),
    Copied {
        p_alive: Vec<f64>,
        clv: Vec<f64>,
    },
}

impl PredictedByCustomer {
    fn of(clv: &ClvAnalysis, customers: usize) -> PredictedByCustomer {
        if clv.rows_are_customer_ids(customers) {
            return PredictedByCustomer::Rows(Arc::clone(&clv.predictions));
        }
        let (mut p_alive, mut by_id) = (vec![f64::NAN; customers], vec![f64::NAN; customers]);
        for p in clv.predictions.iter().flatten() {
            let c = p.customer as usize;
            if let Some(slot) = p_alive.get_mut(c) {
                *slot = p.p_alive;
            }
            if let (Some(slot), Some(v)) = (by_id.get_mut(c), p.clv) {
                *slot = v;
            }
        }
        PredictedByCustomer::Copied {
            p_alive,
            clv: by_id,
        }
    }
}

/// What the churn figures depend on besides the data.
#[derive(PartialEq)]
pub(crate) struct ChurnKey {
    window_days: u32,
    churn: ChurnSettings,
    /// Through P(alive).
    clv: ClvSettings,
}

pub(crate) type ChurnPart = (Option<ChurnSection>, Vec<ChurnBySegment>);

/// The churn section, with the customers segment columns (plan,
/// contract...) as the call list's groupings, and churn by every such column.
fn churn_figures(
    dataset: &Dataset,
    settings: &Settings,
    clv: &ClvByCustomer,
) -> (Option<ChurnSection>, Vec<ChurnBySegment>) {
    let default_rules;
    let rules = match &settings.churn.rules {
        Some(r) => r,
        None => {
            default_rules = ChurnRules::default();
            &default_rules
        }
    };
    let overrides = &settings.churn.overrides;
    let columns: Vec<&crate::segments::SegmentColumn> = dataset
        .segments
        .of_kind(crate::ingest::RecordKind::Customers)
        .collect();
    let labels: Vec<_> = columns.iter().map(|c| label_of(c)).collect();
    let segments: Vec<(&str, &crate::metrics::churn_causes::SegmentOf)> = columns
        .iter()
        .zip(&labels)
        .map(|(c, f)| {
            (
                c.name.as_str(),
                f as &crate::metrics::churn_causes::SegmentOf,
            )
        })
        .collect();
    let options = ChurnOptions {
        p_alive: clv.p_alive(),
        p_alive_before: clv.p_alive_before.as_deref(),
        clv: clv.clv(),
        segments: &segments,
        call_grouping: settings.churn.call_grouping.as_ref(),
    };
    let section = churn_section_with(
        dataset,
        rules,
        overrides,
        settings.churn_window_days,
        options,
    );
    let book = (section.is_some() && !columns.is_empty())
        .then(|| ChurnBook::build(dataset, rules, overrides, settings.churn_window_days))
        .flatten();
    let by_segment = match book {
        Some(book) => columns
            .iter()
            .map(|c| ChurnBySegment {
                column: c.name.clone(),
                rows: churn_by_segment(dataset, &book, label_of(c)),
            })
            .filter(|s| s.rows.len() > 1)
            .collect(),
        _ => Vec::new(),
    };
    (section, by_segment)
}

/// A customers segment column's label of record `i`.
fn label_of(
    column: &crate::segments::SegmentColumn,
) -> impl Fn(usize, &crate::dataset::CustomerRecord) -> Option<String> + '_ {
    move |i, _| column.label(i).map(str::to_owned)
}

/// Distinct customer ids over every file's used rows; `None` when no file
/// has a customer id.
fn distinct_customers(dataset: &Dataset) -> Option<f64> {
    let mut seen = vec![false; dataset.customers.len()];
    for &id in dataset.file_customers.iter().flatten() {
        if let Some(slot) = seen.get_mut(id as usize) {
            *slot = true;
        }
    }
    let count = seen.iter().filter(|&&s| s).count();
    (count > 0).then_some(count as f64)
}
