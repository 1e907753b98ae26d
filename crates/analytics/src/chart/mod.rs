//! Chart drawing functions. Each takes a plotters drawing area (any backend:
//! the browser canvas, SVG for tests and export) and precomputed series.
//!
//! Every word a chart draws (axis titles, legends, group and month names,
//! readout names) comes from its labels struct (`ActivityLabels`,
//! `NpsLabels`, ...), whose `for_locale` gives the English or Russian set
//! with the matching number style for the ticks; `Default` is English.

mod activity;
mod catalogue;
mod churn_labels;
mod churn_reference;
mod clv;
mod clv_months;
mod hover;
mod incidence;
mod lifecycle;
mod nps;
mod pareto;
mod patterns;
mod survival;
mod ticks;

pub use activity::{draw_monthly_activity, ActivityLabels};
pub use catalogue::ChartId;
pub use churn_labels::{category_colour, ChurnLabels};
pub use churn_reference::draw_reference_comparison;
pub use clv::{
    draw_clv_distribution, draw_holdout_by_frequency, draw_rfm_grid, draw_tracking, ClvLabels,
};
pub use clv_months::draw_clv_by_month;
pub use hover::{HoverMap, HoverPoint, HoverValue, ValueKind};
pub use incidence::draw_cumulative_incidence;
pub use lifecycle::{draw_lifecycle, LifecycleLabels};
pub use nps::{draw_loyalty_link, draw_nps_distribution, draw_nps_trend, LinkMeasure, NpsLabels};
pub use pareto::draw_pareto;
pub use patterns::{draw_cohort_curves, draw_distribution, draw_seasonality, PatternLabels};
pub use survival::{draw_survival, SurvivalLabels};

use plotters::style::RGBColor;

/// Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
pub mod palette {
    use super::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const GREY: RGBColor = RGBColor(96, 96, 96);
}

/// The label of the item at an x coordinate that is a whole index (bars are
/// centred on 0, 1, 2, ...); between indices, no label.
pub(crate) fn label_at<T>(items: &[T], x: f64, name: impl Fn(&T) -> &str) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    items
        .get(i as usize)
        .map(|item| name(item).to_string())
        .unwrap_or_default()
}

/// About how wide `text` is in the 14 px legend font: 8 px a Latin
/// character (what the legends always assumed, so English layouts stay as
/// they were), 10 px any other: Cyrillic letters are wider, and 8 px made
/// Russian legend entries run into the next one.
pub(crate) fn legend_text_width(text: &str) -> i32 {
    text.chars()
        .map(|c| if c.is_ascii() { 8 } else { 10 })
        .sum()
}

/// A drawing failed in the backend (canvas or SVG). Carries the backend's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("chart could not be drawn: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}
