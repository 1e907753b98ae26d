//! Kaplan-Meier survival: the step curve with its 95% band behind it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{palette, ticks, ChartError};
use crate::display::Locale;
use crate::metrics::survival::SurvivalCurve;

/// The words on the chart and the style of its numbers.
#[derive(Debug, Clone)]
pub struct SurvivalLabels<'a> {
    pub months: &'a str,
    pub share: &'a str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl SurvivalLabels<'static> {
    /// The chart in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => SurvivalLabels {
                months: "Months as a customer",
                share: "Still a customer",
                locale,
            },
            Locale::Ru => SurvivalLabels {
                months: "Месяцев клиентом",
                share: "Всё ещё клиент",
                locale,
            },
        }
    }
}

impl Default for SurvivalLabels<'_> {
    fn default() -> Self {
        SurvivalLabels::for_locale(Locale::En)
    }
}

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

pub fn draw_survival<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curve: &SurvivalCurve,
    labels: &SurvivalLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let end = curve.months.last().copied().unwrap_or(1.0).max(1.0);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..end, 0.0..1.0)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_desc(labels.months)
        .x_label_formatter(&|v| ticks::plain(v, labels.locale))
        .y_desc(labels.share)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .draw()?;
    // The band: upper steps forward, lower steps back, as one polygon.
    let upper = steps(&curve.months, &curve.upper, end);
    let mut band = upper.clone();
    band.extend(steps(&curve.months, &curve.lower, end).into_iter().rev());
    chart.draw_series(std::iter::once(Polygon::new(
        band,
        palette::BLUE.mix(0.18).filled(),
    )))?;
    chart.draw_series(LineSeries::new(
        steps(&curve.months, &curve.survival, end),
        palette::BLUE.stroke_width(3),
    ))?;
    if let Some(median) = curve.median_months {
        chart.draw_series(LineSeries::new(
            vec![(0.0, 0.5), (median, 0.5), (median, 0.0)],
            palette::ORANGE.stroke_width(2),
        ))?;
    }
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, &month) in curve.months.iter().enumerate() {
        let (Some(&s), Some(&low), Some(&high)) = (
            curve.survival.get(i),
            curve.lower.get(i),
            curve.upper.get(i),
        ) else {
            continue;
        };
        hover.push(
            chart.backend_coord(&(month, s)),
            String::new(),
            vec![
                HoverValue::new(labels.months, month, ValueKind::Decimal(1)),
                HoverValue::new(labels.share, s, ValueKind::Share),
                HoverValue::range("95%", low, high, ValueKind::Share),
            ],
        );
    }
    Ok(hover)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_each_value_until_the_next_time() {
        assert_eq!(
            steps(&[0.0, 1.0, 3.0], &[1.0, 0.8, 0.5], 4.0),
            vec![
                (0.0, 1.0),
                (1.0, 1.0),
                (1.0, 0.8),
                (3.0, 0.8),
                (3.0, 0.5),
                (4.0, 0.5)
            ]
        );
    }
}
