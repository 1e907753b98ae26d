//! Pareto chart of churn reasons or categories: bars of customers who left,
//! most first, and the cumulative share as a line on a 0-100% right axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::churn_labels::{shorten, ChurnLabels};
use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, legend_text_width, palette, ticks, ChartError};
use crate::display::compact_in;
use crate::metrics::churn_causes::ParetoBar;

/// Draws `bars` in the order given (the section's tables are already sorted).
/// An empty series draws an empty frame.
pub fn draw_pareto<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[ParetoBar],
    labels: &ChurnLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (legend, plot) = area.split_vertically(28);
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    legend.draw(&Rectangle::new([(72, 8), (86, 20)], palette::BLUE.filled()))?;
    legend.draw(&Text::new(labels.customers, (92, 7), font.clone()))?;
    let x = 112 + legend_text_width(labels.customers);
    legend.draw(&PathElement::new(
        vec![(x, 14), (x + 14, 14)],
        palette::ORANGE.stroke_width(3),
    ))?;
    legend.draw(&Text::new(labels.cumulative, (x + 20, 7), font))?;

    let n = bars.len().max(1) as f64;
    let top = bars.iter().map(|b| b.customers).max().unwrap_or(0).max(1) as f64;
    let x_range = -0.5..n - 0.5;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .right_y_label_area_size(56)
        .build_cartesian_2d(x_range.clone(), 0.0..top * 1.1)?
        .set_secondary_coord(x_range, 0.0..1.05);
    // Room per bar for its label: about 7 px per character.
    let width = plot.dim_in_pixel().0 as f64;
    let chars = ((width - 140.0) / n / 7.0).clamp(3.0, 24.0) as usize;
    let label = |x: &f64| shorten(&label_at(bars, *x, |b| b.label.as_str()), chars);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bars.len().clamp(1, 30))
        .x_label_formatter(&label)
        .y_desc(labels.customers)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(labels.cumulative)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let x = i as f64;
        Rectangle::new(
            [(x - 0.38, 0.0), (x + 0.38, b.customers as f64)],
            palette::BLUE.mix(0.85).filled(),
        )
    }))?;
    chart.draw_secondary_series(LineSeries::new(
        bars.iter()
            .enumerate()
            .map(|(i, b)| (i as f64, b.cumulative_share)),
        palette::ORANGE.stroke_width(3),
    ))?;
    chart.draw_secondary_series(
        bars.iter()
            .enumerate()
            .map(|(i, b)| Circle::new((i as f64, b.cumulative_share), 3, palette::ORANGE.filled())),
    )?;
    area.present()?;
    let mut hover = HoverMap::over(&*chart);
    for (i, b) in bars.iter().enumerate() {
        hover.push(
            chart.backend_coord(&(i as f64, b.customers as f64)),
            b.label.clone(),
            vec![
                HoverValue::new(labels.customers, b.customers as f64, ValueKind::Count),
                HoverValue::new(labels.cumulative, b.cumulative_share, ValueKind::Share),
            ],
        );
    }
    Ok(hover)
}
