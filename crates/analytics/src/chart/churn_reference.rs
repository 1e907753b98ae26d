//! The user's churn categories beside the cross-industry reference (1% die,
//! 3% move, 5% other relationships, 9% competitors, 14% product, 68%
//! treatment): two bars per category. The study has no price or other
//! category, so those get the user's bar only.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::churn_labels::{shorten, ChurnLabels};
use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, legend_text_width, palette, ticks, ChartError};
use crate::metrics::churn_causes::ReferenceRow;

pub fn draw_reference_comparison<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[ReferenceRow],
    labels: &ChurnLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (legend, plot) = area.split_vertically(28);
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    legend.draw(&Rectangle::new([(72, 8), (86, 20)], palette::BLUE.filled()))?;
    legend.draw(&Text::new(labels.yours, (92, 7), font.clone()))?;
    let x = 112 + legend_text_width(labels.yours);
    legend.draw(&Rectangle::new(
        [(x, 8), (x + 14, 20)],
        palette::GREY.filled(),
    ))?;
    legend.draw(&Text::new(labels.reference, (x + 20, 7), font))?;

    let n = rows.len().max(1) as f64;
    let top = rows
        .iter()
        .flat_map(|r| [r.user_share, r.reference_share])
        .flatten()
        .fold(0.0, f64::max)
        .clamp(0.05, 1.0);
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..(top * 1.1).min(1.0))?;
    let width = plot.dim_in_pixel().0 as f64;
    let chars = ((width - 90.0) / n / 7.0).clamp(3.0, 24.0) as usize;
    let names: Vec<&str> = rows.iter().map(|r| labels.category(r.category)).collect();
    let label = |x: &f64| shorten(&label_at(&names, *x, |name| name), chars);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(rows.len().clamp(1, 12))
        .x_label_formatter(&label)
        .y_desc(labels.share)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    for (i, row) in rows.iter().enumerate() {
        let x = i as f64;
        if let Some(share) = row.user_share {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.4, 0.0), (x, share)],
                palette::BLUE.mix(0.85).filled(),
            )))?;
        }
        if let Some(share) = row.reference_share {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, 0.0), (x + 0.4, share)],
                palette::GREY.mix(0.85).filled(),
            )))?;
        }
    }
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, (row, name)) in rows.iter().zip(&names).enumerate() {
        let top = row
            .user_share
            .unwrap_or(0.0)
            .max(row.reference_share.unwrap_or(0.0));
        let mut values = Vec::new();
        if let Some(share) = row.user_share {
            values.push(HoverValue::new(labels.yours, share, ValueKind::Share));
        }
        if let Some(share) = row.reference_share {
            values.push(HoverValue::new(labels.reference, share, ValueKind::Share));
        }
        hover.push(chart.backend_coord(&(i as f64, top)), *name, values);
    }
    Ok(hover)
}
