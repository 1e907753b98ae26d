//! Drawing the core's chart functions on a page canvas.

use loyalty_analytics::chart::{draw_monthly_activity, ActivityLabels, ChartError};
use loyalty_analytics::metrics::base::MonthlyActivity;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Draws active customers and revenue per month on `canvas`.
pub fn draw_activity_chart(
    canvas: &HtmlCanvasElement,
    months: &[MonthlyActivity],
) -> Result<(), ChartError> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| ChartError("the browser gave no 2D canvas context".into()))?;
    draw_monthly_activity(
        &backend.into_drawing_area(),
        months,
        &ActivityLabels::default(),
    )
}
