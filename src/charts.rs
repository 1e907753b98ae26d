//! Drawing the core's chart functions on a page canvas.

use loyalty_analytics::chart::{
    draw_monthly_activity, draw_survival, ActivityLabels, ChartError, SurvivalLabels,
};
use loyalty_analytics::metrics::base::MonthlyActivity;
use loyalty_analytics::metrics::lifecycle::LifecyclePeriod;
use loyalty_analytics::metrics::survival::SurvivalCurve;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend, ChartError> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| ChartError("the browser gave no 2D canvas context".into()))
}

/// Draws active customers and revenue per month on `canvas`.
pub fn draw_activity_chart(
    canvas: &HtmlCanvasElement,
    months: &[MonthlyActivity],
) -> Result<(), ChartError> {
    draw_monthly_activity(
        &backend(canvas)?.into_drawing_area(),
        months,
        &ActivityLabels::default(),
    )
}

/// Draws the Kaplan-Meier curve with its band on `canvas`.
pub fn draw_survival_chart(
    canvas: &HtmlCanvasElement,
    curve: &SurvivalCurve,
) -> Result<(), ChartError> {
    draw_survival(
        &backend(canvas)?.into_drawing_area(),
        curve,
        &SurvivalLabels::default(),
    )
}

/// Draws new, retained, resurrected and lost customers per period on `canvas`.
pub fn draw_lifecycle_chart(
    canvas: &HtmlCanvasElement,
    periods: &[LifecyclePeriod],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_lifecycle(&backend(canvas)?.into_drawing_area(), periods)
}

/// Draws answers per 0-10 score and the group share bar on `canvas`.
pub fn draw_nps_distribution_chart(
    canvas: &HtmlCanvasElement,
    distribution: &[u64],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_nps_distribution(
        &backend(canvas)?.into_drawing_area(),
        distribution,
    )
}

/// Draws NPS per period with its interval band on `canvas`.
pub fn draw_nps_trend_chart(
    canvas: &HtmlCanvasElement,
    trend: &[loyalty_analytics::metrics::surveys::NpsPeriod],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_nps_trend(&backend(canvas)?.into_drawing_area(), trend)
}

/// Draws what each group of respondents later did on `canvas`.
pub fn draw_loyalty_link_chart(
    canvas: &HtmlCanvasElement,
    groups: &[loyalty_analytics::metrics::loyalty_link::GroupBehaviour],
    measure: loyalty_analytics::chart::LinkMeasure,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_loyalty_link(
        &backend(canvas)?.into_drawing_area(),
        groups,
        measure,
    )
}

/// Draws a distribution (orders per customer, days between purchases) on `canvas`.
pub fn draw_distribution_chart(
    canvas: &HtmlCanvasElement,
    buckets: &[loyalty_analytics::metrics::purchase_patterns::Bucket],
    x_desc: &str,
    y_desc: &str,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_distribution(
        &backend(canvas)?.into_drawing_area(),
        buckets,
        x_desc,
        y_desc,
    )
}

/// Draws the month-of-year index on `canvas`.
pub fn draw_seasonality_chart(
    canvas: &HtmlCanvasElement,
    months: &[loyalty_analytics::metrics::purchase_patterns::SeasonalMonth],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_seasonality(&backend(canvas)?.into_drawing_area(), months)
}

/// Draws every cohort's retention curve and their average on `canvas`.
pub fn draw_cohort_curves_chart(
    canvas: &HtmlCanvasElement,
    matrix: &loyalty_analytics::metrics::retention::CohortMatrix,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_cohort_curves(&backend(canvas)?.into_drawing_area(), matrix)
}

/// Draws a Pareto chart of churn reasons or categories on `canvas`.
pub fn draw_pareto_chart(
    canvas: &HtmlCanvasElement,
    bars: &[loyalty_analytics::metrics::churn_causes::ParetoBar],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_pareto(
        &backend(canvas)?.into_drawing_area(),
        bars,
        &loyalty_analytics::chart::ChurnLabels::default(),
    )
}

/// Draws the user's churn categories beside the cross-industry reference.
pub fn draw_reference_chart(
    canvas: &HtmlCanvasElement,
    rows: &[loyalty_analytics::metrics::churn_causes::ReferenceRow],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_reference_comparison(
        &backend(canvas)?.into_drawing_area(),
        rows,
        &loyalty_analytics::chart::ChurnLabels::default(),
    )
}

/// Draws the cumulative incidence of each churn category over tenure.
pub fn draw_incidence_chart(
    canvas: &HtmlCanvasElement,
    risks: &loyalty_analytics::metrics::competing_risks::CompetingRisks,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_cumulative_incidence(
        &backend(canvas)?.into_drawing_area(),
        risks,
        &loyalty_analytics::chart::ChurnLabels::default(),
    )
}

/// Draws the distribution of customer lifetime values on `canvas`.
pub fn draw_clv_distribution_chart(
    canvas: &HtmlCanvasElement,
    distribution: &loyalty_analytics::models::clv::ClvDistribution,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_clv_distribution(
        &backend(canvas)?.into_drawing_area(),
        distribution,
        &loyalty_analytics::chart::ClvLabels::default(),
    )
}

/// Draws the RFM grid (recency by frequency-monetary) on `canvas`.
pub fn draw_rfm_grid_chart(
    canvas: &HtmlCanvasElement,
    grid: &[loyalty_analytics::models::rfm::GridCell],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_rfm_grid(
        &backend(canvas)?.into_drawing_area(),
        grid,
        &loyalty_analytics::chart::ClvLabels::default(),
    )
}

/// Draws holdout purchases, actual vs predicted, by calibration frequency.
pub fn draw_holdout_chart(
    canvas: &HtmlCanvasElement,
    groups: &[loyalty_analytics::models::holdout::FrequencyGroup],
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_holdout_by_frequency(
        &backend(canvas)?.into_drawing_area(),
        groups,
        &loyalty_analytics::chart::ClvLabels::default(),
    )
}

/// Draws cumulative purchases per week, actual vs model, on `canvas`.
pub fn draw_tracking_chart(
    canvas: &HtmlCanvasElement,
    points: &[loyalty_analytics::models::holdout::TrackingPoint],
    calibration_end_week: u32,
) -> Result<(), ChartError> {
    loyalty_analytics::chart::draw_tracking(
        &backend(canvas)?.into_drawing_area(),
        points,
        calibration_end_week,
        &loyalty_analytics::chart::ClvLabels::default(),
    )
}
