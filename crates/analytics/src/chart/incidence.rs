//! Cumulative incidence of each churn category over tenure (Aalen-Johansen):
//! one step curve per category, so the user sees which reason takes
//! customers early and which late.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::churn_labels::{category_colour, ChurnLabels};
use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{palette, ticks, ChartError};
use crate::display::Locale;
use crate::metrics::competing_risks::CompetingRisks;

/// (x, y) points of a step function through `ys` at `xs`, continued to `end`.
fn steps(xs: &[f64], ys: &[f64], end: f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(xs.len() * 2 + 1);
    for (i, (&x, &y)) in xs.iter().zip(ys).enumerate() {
        if i > 0 {
            points.push((x, ys[i - 1]));
        }
        points.push((x, y));
    }
    if let Some(&last) = ys.last() {
        points.push((end, last));
    }
    points
}

pub fn draw_cumulative_incidence<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    risks: &CompetingRisks,
    labels: &ChurnLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    // Four categories a legend row in English; the Russian names are
    // longer ("Отношение / обслуживание"), so three to a row there.
    let (per_row, column) = match labels.locale {
        Locale::En => (4, 170),
        Locale::Ru => (3, 240),
    };
    let rows = risks.curves.len().div_ceil(per_row).max(1) as u32;
    let (legend, plot) = area.split_vertically(8 + 20 * rows);
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    for (i, curve) in risks.curves.iter().enumerate() {
        let (x, y) = (
            72 + column * (i % per_row) as i32,
            14 + 20 * (i / per_row) as i32,
        );
        legend.draw(&PathElement::new(
            vec![(x, y), (x + 14, y)],
            category_colour(curve.category).stroke_width(3),
        ))?;
        legend.draw(&Text::new(
            labels.category(curve.category),
            (x + 20, y - 7),
            font.clone(),
        ))?;
    }
    let end = risks.months.last().copied().unwrap_or(1.0).max(1.0);
    let top = risks
        .curves
        .iter()
        .filter_map(|c| c.incidence.last().copied())
        .fold(0.0, f64::max)
        .clamp(0.05, 1.0);
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..end, 0.0..(top * 1.1).min(1.0))?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_desc(labels.months)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(labels.incidence)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .draw()?;
    for curve in &risks.curves {
        chart.draw_series(LineSeries::new(
            steps(&risks.months, &curve.incidence, end),
            category_colour(curve.category).stroke_width(3),
        ))?;
    }
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, &month) in risks.months.iter().enumerate() {
        let mut values = vec![HoverValue::new(labels.months, month, ValueKind::Decimal(1))];
        let mut top = 0.0f64;
        for curve in &risks.curves {
            if let Some(&v) = curve.incidence.get(i) {
                top = top.max(v);
                values.push(HoverValue::new(
                    labels.category(curve.category),
                    v,
                    ValueKind::Share,
                ));
            }
        }
        hover.push(chart.backend_coord(&(month, top)), String::new(), values);
    }
    Ok(hover)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_each_value_until_the_next_time() {
        assert_eq!(
            steps(&[0.0, 2.0], &[0.0, 0.25], 3.0),
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 0.25), (3.0, 0.25)]
        );
    }
}
