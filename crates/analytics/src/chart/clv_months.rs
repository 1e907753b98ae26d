//! CLV month by month: one bar per month of the horizon, the months in the
//! CLV window in blue and those before it in grey.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{palette, ChartError, ClvLabels};
use crate::display::compact_in;
use crate::models::clv_months::MonthValue;

/// Discounted CLV of all predicted customers per month ahead (expected
/// purchases when there is no spend model), window months in blue.
pub fn draw_clv_by_month<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthValue],
    labels: &ClvLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let money = months.iter().all(|m| m.clv.is_some());
    let value = |m: &MonthValue| {
        if money {
            m.clv.unwrap_or(0.0)
        } else {
            m.expected_purchases
        }
    };
    let max = months.iter().map(value).fold(0.0, f64::max);
    let max = if max > 0.0 { max * 1.1 } else { 1.0 };
    let n = months.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0.5..n + 0.5, 0.0..max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len().clamp(1, 12))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .x_desc(labels.month)
        .y_desc(if money {
            labels.clv_in_month
        } else {
            labels.purchases_in_month
        })
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    chart.draw_series(months.iter().map(|m| {
        let x = f64::from(m.month);
        let colour = if m.in_window {
            palette::BLUE.mix(0.85)
        } else {
            palette::GREY.mix(0.35)
        };
        Rectangle::new([(x - 0.4, 0.0), (x + 0.4, value(m))], colour.filled())
    }))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for m in months {
        let mut values = vec![HoverValue::new(
            labels.purchases_in_month,
            m.expected_purchases,
            ValueKind::Decimal(1),
        )];
        if let Some(clv) = m.clv {
            values.insert(
                0,
                HoverValue::new(labels.clv_in_month, clv, ValueKind::Money),
            );
        }
        hover.push(
            chart.backend_coord(&(f64::from(m.month), value(m))),
            format!("{} {}", labels.month, m.month),
            values,
        );
    }
    Ok(hover)
}
