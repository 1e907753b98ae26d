//! Active customers (bars, left axis) and revenue (line, right axis) per month.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, legend_text_width, palette, ChartError};
use crate::display::{compact_in, Locale};
use crate::metrics::base::MonthlyActivity;

/// The words on the chart and the style of its numbers.
#[derive(Debug, Clone)]
pub struct ActivityLabels<'a> {
    pub customers: &'a str,
    pub revenue: &'a str,
    /// Legend entry for months the data covers only in part.
    pub partial: &'a str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl ActivityLabels<'static> {
    /// The chart in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => ActivityLabels {
                customers: "Active customers",
                revenue: "Revenue",
                partial: "Partial month",
                locale,
            },
            Locale::Ru => ActivityLabels {
                customers: "Активные клиенты",
                revenue: "Выручка",
                partial: "Неполный месяц",
                locale,
            },
        }
    }
}

impl Default for ActivityLabels<'_> {
    fn default() -> Self {
        ActivityLabels::for_locale(Locale::En)
    }
}

/// Opacity of the bars of partial months.
const PARTIAL_ALPHA: f64 = 0.35;

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &ActivityLabels<'_>,
) -> Result<(), ChartError> {
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    let (mut x, y) = (72, 14);
    let mut entry =
        |swatch: &dyn Fn(i32) -> Result<(), ChartError>, text: &str| -> Result<(), ChartError> {
            swatch(x)?;
            area.draw(&Text::new(text.to_string(), (x + 20, y - 7), font.clone()))?;
            x += 28 + legend_text_width(text);
            Ok(())
        };
    entry(
        &|x| {
            Ok(area.draw(&Rectangle::new(
                [(x, y - 6), (x + 14, y + 6)],
                palette::BLUE.mix(0.85).filled(),
            ))?)
        },
        labels.customers,
    )?;
    entry(
        &|x| {
            Ok(area.draw(&Rectangle::new(
                [(x, y - 6), (x + 14, y + 6)],
                palette::BLUE.mix(PARTIAL_ALPHA).filled(),
            ))?)
        },
        labels.partial,
    )?;
    entry(
        &|x| {
            Ok(area.draw(&PathElement::new(
                vec![(x, y), (x + 14, y)],
                palette::ORANGE.stroke_width(3),
            ))?)
        },
        labels.revenue,
    )?;
    Ok(())
}

/// Draws the chart over the whole `area`. An empty series draws an empty frame.
/// Returns each month's bar top with its customers and revenue.
pub fn draw_monthly_activity<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthlyActivity],
    labels: &ActivityLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    // The legend gets its own strip so it never covers a bar or the line.
    let (legend, plot) = area.split_vertically(28);
    draw_legend(&legend, labels)?;
    let n = months.len().max(1) as f64;
    let max_customers = months
        .iter()
        .map(|m| m.active_customers)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let max_revenue = months
        .iter()
        .map(|m| m.revenue)
        .fold(0.0, f64::max)
        .max(1.0);
    let x_range = -0.5..n - 0.5;

    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .right_y_label_area_size(72)
        .build_cartesian_2d(x_range.clone(), 0.0..max_customers * 1.1)?
        .set_secondary_coord(x_range, 0.0..max_revenue * 1.1);

    let month_label = |x: &f64| label_at(months, *x, |item| item.month.as_str());
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len().clamp(1, 12))
        .x_label_formatter(&month_label)
        .y_desc(labels.customers)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(labels.revenue)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .draw()?;

    chart.draw_series(months.iter().enumerate().map(|(i, m)| {
        let x = i as f64;
        let style = if m.complete {
            palette::BLUE.mix(0.85)
        } else {
            palette::BLUE.mix(PARTIAL_ALPHA)
        };
        Rectangle::new(
            [(x - 0.38, 0.0), (x + 0.38, m.active_customers as f64)],
            style.filled(),
        )
    }))?;
    chart.draw_secondary_series(LineSeries::new(
        months
            .iter()
            .enumerate()
            .map(|(i, m)| (i as f64, m.revenue)),
        palette::ORANGE.stroke_width(3),
    ))?;
    area.present()?;
    let mut hover = HoverMap::over(&*chart);
    for (i, m) in months.iter().enumerate() {
        hover.push(
            chart.backend_coord(&(i as f64, m.active_customers as f64)),
            m.month.clone(),
            vec![
                HoverValue::new(
                    labels.customers,
                    m.active_customers as f64,
                    ValueKind::Count,
                ),
                HoverValue::new(labels.revenue, m.revenue, ValueKind::Money),
            ],
        );
    }
    Ok(hover)
}
