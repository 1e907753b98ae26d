//! Drawing the core's chart functions on a page canvas or, for the SVG
//! download, on plotters' SVG backend: each function below is written once
//! and runs on either surface (see [`on_target!`]). Each takes the page's
//! language: the words inside a chart and its tick numbers come from the
//! core's labels for that language, so canvas, SVG and readout agree.

use loyalty_analytics::chart::{
    draw_monthly_activity, draw_survival, ActivityLabels, ChartError, ChurnLabels, ClvLabels,
    HoverMap, LifecycleLabels, NpsLabels, PatternLabels, SurvivalLabels,
};
use loyalty_analytics::display::Locale;
use loyalty_analytics::metrics::base::MonthlyActivity;
use loyalty_analytics::metrics::lifecycle::LifecyclePeriod;
use loyalty_analytics::metrics::survival::SurvivalCurve;
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Where a chart is drawn: the page's canvas, or an SVG document of the
/// canvas' size (drawn on the page too: plotters measures text with the
/// page's canvas).
#[derive(Clone)]
pub enum Target {
    Canvas(HtmlCanvasElement),
    Svg { width: u32, height: u32 },
}

/// What a drawing gave: the hover points, and the document for SVG.
#[derive(Clone, Debug, Default)]
pub struct Drawn {
    pub hover: HoverMap,
    pub svg: Option<String>,
}

fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend, ChartError> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| ChartError("the browser gave no 2D canvas context".into()))
}

/// Runs `$body` with `$area` bound to a drawing area of `$target`: the same
/// expression is compiled once per backend, so a chart cannot look different
/// on the canvas and in its SVG. `$body` gives a `HoverMap` or `()`.
macro_rules! on_target {
    ($target:expr, |$area:ident| $body:expr) => {{
        let drawn: Result<Drawn, ChartError> = match $target {
            Target::Canvas(canvas) => (|| -> Result<Drawn, ChartError> {
                let $area = backend(canvas)?.into_drawing_area();
                let hover: HoverMap = ($body)?.into();
                Ok(Drawn { hover, svg: None })
            })(),
            Target::Svg { width, height } => (|| -> Result<Drawn, ChartError> {
                let mut svg = String::new();
                let hover: HoverMap = {
                    let $area =
                        SVGBackend::with_string(&mut svg, (*width, *height)).into_drawing_area();
                    ($body)?.into()
                };
                Ok(Drawn {
                    hover,
                    svg: Some(svg),
                })
            })(),
        };
        drawn
    }};
}

/// Draws active customers and revenue per month on a canvas or in SVG.
pub fn draw_activity_chart(
    target: &Target,
    months: &[MonthlyActivity],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| draw_monthly_activity(
        &area,
        months,
        &ActivityLabels::for_locale(locale),
    ))
}

/// Draws the Kaplan-Meier curve with its band on a canvas or in SVG.
pub fn draw_survival_chart(
    target: &Target,
    curve: &SurvivalCurve,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| draw_survival(
        &area,
        curve,
        &SurvivalLabels::for_locale(locale),
    ))
}

/// Draws new, retained, resurrected and lost customers per period on a canvas or in SVG.
pub fn draw_lifecycle_chart(
    target: &Target,
    periods: &[LifecyclePeriod],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_lifecycle(
        &area,
        periods,
        &LifecycleLabels::for_locale(locale),
    ))
}

/// Draws answers per 0-10 score and the group share bar on a canvas or in SVG.
pub fn draw_nps_distribution_chart(
    target: &Target,
    distribution: &[u64],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| {
        loyalty_analytics::chart::draw_nps_distribution(
            &area,
            distribution,
            &NpsLabels::for_locale(locale),
        )
    })
}

/// Draws NPS per period with its interval band on a canvas or in SVG.
pub fn draw_nps_trend_chart(
    target: &Target,
    trend: &[loyalty_analytics::metrics::surveys::NpsPeriod],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_nps_trend(
        &area,
        trend,
        &NpsLabels::for_locale(locale),
    ))
}

/// Draws what each group of respondents later did on a canvas or in SVG.
pub fn draw_loyalty_link_chart(
    target: &Target,
    groups: &[loyalty_analytics::metrics::loyalty_link::GroupBehaviour],
    measure: loyalty_analytics::chart::LinkMeasure,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_loyalty_link(
        &area,
        groups,
        measure,
        &NpsLabels::for_locale(locale),
    ))
}

/// Draws a distribution (orders per customer, days between purchases) on a canvas or in SVG.
pub fn draw_distribution_chart(
    target: &Target,
    buckets: &[loyalty_analytics::metrics::purchase_patterns::Bucket],
    x_desc: &str,
    y_desc: &str,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_distribution(
        &area,
        buckets,
        x_desc,
        y_desc,
        &PatternLabels::for_locale(locale),
    ))
}

/// Draws the month-of-year index on a canvas or in SVG.
pub fn draw_seasonality_chart(
    target: &Target,
    months: &[loyalty_analytics::metrics::purchase_patterns::SeasonalMonth],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_seasonality(
        &area,
        months,
        &PatternLabels::for_locale(locale),
    ))
}

/// Draws every cohort's retention curve and their average on a canvas or in SVG.
pub fn draw_cohort_curves_chart(
    target: &Target,
    matrix: &loyalty_analytics::metrics::retention::CohortMatrix,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_cohort_curves(
        &area,
        matrix,
        &PatternLabels::for_locale(locale),
    ))
}

/// Draws a Pareto chart of churn reasons or categories on a canvas or in SVG.
pub fn draw_pareto_chart(
    target: &Target,
    bars: &[loyalty_analytics::metrics::churn_causes::ParetoBar],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_pareto(
        &area,
        bars,
        &ChurnLabels::for_locale(locale),
    ))
}

/// Draws the user's churn categories beside the cross-industry reference.
pub fn draw_reference_chart(
    target: &Target,
    rows: &[loyalty_analytics::metrics::churn_causes::ReferenceRow],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| {
        loyalty_analytics::chart::draw_reference_comparison(
            &area,
            rows,
            &ChurnLabels::for_locale(locale),
        )
    })
}

/// Draws the cumulative incidence of each churn category over tenure.
pub fn draw_incidence_chart(
    target: &Target,
    risks: &loyalty_analytics::metrics::competing_risks::CompetingRisks,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| {
        loyalty_analytics::chart::draw_cumulative_incidence(
            &area,
            risks,
            &ChurnLabels::for_locale(locale),
        )
    })
}

/// Draws the distribution of customer lifetime values on a canvas or in SVG.
pub fn draw_clv_distribution_chart(
    target: &Target,
    distribution: &loyalty_analytics::models::clv::ClvDistribution,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| {
        loyalty_analytics::chart::draw_clv_distribution(
            &area,
            distribution,
            &ClvLabels::for_locale(locale),
        )
    })
}

/// Draws the RFM grid (recency by frequency-monetary) on a canvas or in SVG.
pub fn draw_rfm_grid_chart(
    target: &Target,
    grid: &[loyalty_analytics::models::rfm::GridCell],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_rfm_grid(
        &area,
        grid,
        &ClvLabels::for_locale(locale),
    ))
}

/// Draws holdout purchases, actual vs predicted, by calibration frequency.
pub fn draw_holdout_chart(
    target: &Target,
    groups: &[loyalty_analytics::models::holdout::FrequencyGroup],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| {
        loyalty_analytics::chart::draw_holdout_by_frequency(
            &area,
            groups,
            &ClvLabels::for_locale(locale),
        )
    })
}

/// Draws cumulative purchases per week, actual vs model, on a canvas or in SVG.
pub fn draw_tracking_chart(
    target: &Target,
    points: &[loyalty_analytics::models::holdout::TrackingPoint],
    calibration_end_week: u32,
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_tracking(
        &area,
        points,
        calibration_end_week,
        &ClvLabels::for_locale(locale),
    ))
}

/// Draws CLV (or expected purchases) per month ahead, the window in blue.
pub fn draw_clv_by_month_chart(
    target: &Target,
    months: &[loyalty_analytics::models::clv_months::MonthValue],
    locale: Locale,
) -> Result<Drawn, ChartError> {
    on_target!(target, |area| loyalty_analytics::chart::draw_clv_by_month(
        &area,
        months,
        &ClvLabels::for_locale(locale),
    ))
}
