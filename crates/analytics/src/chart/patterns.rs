//! Retention page charts: a distribution as bars (orders per customer, days
//! between purchases), the month-of-year seasonality index, and the average
//! cohort curve with every cohort's curve behind it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, palette, ticks, ChartError};
use crate::display::{compact_in, Locale};
use crate::metrics::purchase_patterns::{Bucket, SeasonalMonth};
use crate::metrics::retention::CohortMatrix;

/// The words on the retention page's charts and the style of their numbers.
/// (A distribution's axis titles are the caller's: they depend on what is counted.)
#[derive(Debug, Clone)]
pub struct PatternLabels<'a> {
    /// A bucket's share of all, in a distribution's readout.
    pub share: &'a str,
    /// January to December, abbreviated.
    pub months: [&'a str; 12],
    /// The seasonality chart's y axis and its two series.
    pub index: &'a str,
    pub orders_index: &'a str,
    pub revenue_index: &'a str,
    /// The cohort curves' axes and readout.
    pub periods_after_first: &'a str,
    pub active_again: &'a str,
    pub active_again_average: &'a str,
    pub cohorts: &'a str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl PatternLabels<'static> {
    /// The charts in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => PatternLabels {
                share: "Share",
                months: [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ],
                index: "Index (1 = an average month)",
                orders_index: "Orders index",
                revenue_index: "Revenue index",
                periods_after_first: "Periods after the first purchase",
                active_again: "Active again",
                active_again_average: "Active again (average)",
                cohorts: "Cohorts",
                locale,
            },
            Locale::Ru => PatternLabels {
                share: "Доля",
                months: [
                    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя",
                    "дек",
                ],
                index: "Индекс (1 = средний месяц)",
                orders_index: "Индекс заказов",
                revenue_index: "Индекс выручки",
                periods_after_first: "Периодов после первой покупки",
                active_again: "Снова активны",
                active_again_average: "Снова активны (в среднем)",
                cohorts: "Когорт",
                locale,
            },
        }
    }
}

impl Default for PatternLabels<'_> {
    fn default() -> Self {
        PatternLabels::for_locale(Locale::En)
    }
}

/// One bar per bucket, labelled below.
pub fn draw_distribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    buckets: &[Bucket],
    x_desc: &str,
    y_desc: &str,
    labels: &PatternLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let n = buckets.len().max(1) as f64;
    let top = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..top * 1.1)?;
    let label = |x: &f64| label_at(buckets, *x, |b| b.label.as_str());
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(buckets.len().clamp(1, 16))
        .x_label_formatter(&label)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    chart.draw_series(buckets.iter().enumerate().map(|(i, b)| {
        let x = i as f64;
        Rectangle::new(
            [(x - 0.38, 0.0), (x + 0.38, b.count as f64)],
            palette::BLUE.filled(),
        )
    }))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    for (i, b) in buckets.iter().enumerate() {
        let mut values = vec![HoverValue::new(y_desc, b.count as f64, ValueKind::Count)];
        if total > 0 {
            values.push(HoverValue::new(
                labels.share,
                b.count as f64 / total as f64,
                ValueKind::Share,
            ));
        }
        hover.push(
            chart.backend_coord(&(i as f64, b.count as f64)),
            b.label.clone(),
            values,
        );
    }
    Ok(hover)
}

/// Orders index as bars around 1.0, revenue index as a line.
pub fn draw_seasonality<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[SeasonalMonth],
    labels: &PatternLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let top = months
        .iter()
        .flat_map(|m| [m.orders_index, m.revenue_index])
        .flatten()
        .fold(1.2f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..11.5, 0.0..top * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(12)
        .x_label_formatter(&|x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && (0.0..12.0).contains(&i) {
                labels.months[i as usize].to_string()
            } else {
                String::new()
            }
        })
        .y_desc(labels.index)
        .y_label_formatter(&|v| ticks::plain(v, labels.locale))
        .draw()?;
    chart.draw_series(months.iter().filter_map(|m| {
        let x = f64::from(m.month) - 1.0;
        m.orders_index
            .map(|v| Rectangle::new([(x - 0.35, 0.0), (x + 0.35, v)], palette::BLUE.filled()))
    }))?;
    chart.draw_series(LineSeries::new(
        months
            .iter()
            .filter_map(|m| m.revenue_index.map(|v| (f64::from(m.month) - 1.0, v))),
        palette::ORANGE.stroke_width(3),
    ))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, 1.0), (11.5, 1.0)],
        palette::GREY.stroke_width(1),
    )))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for m in months {
        let x = f64::from(m.month) - 1.0;
        let top = m
            .orders_index
            .unwrap_or(0.0)
            .max(m.revenue_index.unwrap_or(0.0));
        let mut values = Vec::new();
        if let Some(v) = m.orders_index {
            values.push(HoverValue::new(
                labels.orders_index,
                v,
                ValueKind::Decimal(2),
            ));
        }
        if let Some(v) = m.revenue_index {
            values.push(HoverValue::new(
                labels.revenue_index,
                v,
                ValueKind::Decimal(2),
            ));
        }
        let name = labels
            .months
            .get(m.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("");
        hover.push(chart.backend_coord(&(x, top)), name, values);
    }
    Ok(hover)
}

/// Each cohort's "on" retention curve in light grey, the size-weighted
/// average on top. Offset 0 (100%) is left out so the later periods are
/// readable.
pub fn draw_cohort_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    matrix: &CohortMatrix,
    labels: &PatternLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let longest = matrix.average_on.len().max(2) as f64;
    let top = matrix
        .cohorts
        .iter()
        .flat_map(|c| c.on.iter().skip(1).copied())
        .fold(0.05f64, f64::max)
        .min(1.0);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(1.0..longest - 1.0 + 1e-9, 0.0..top * 1.05)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_desc(labels.periods_after_first)
        .x_label_formatter(&|v| ticks::plain(v, labels.locale))
        .y_desc(labels.active_again)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .draw()?;
    for cohort in &matrix.cohorts {
        chart.draw_series(LineSeries::new(
            cohort
                .on
                .iter()
                .enumerate()
                .skip(1)
                .map(|(k, &v)| (k as f64, v)),
            palette::GREY.mix(0.25).stroke_width(1),
        ))?;
    }
    chart.draw_series(LineSeries::new(
        matrix
            .average_on
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, &v)| (k as f64, v)),
        palette::BLUE.stroke_width(3),
    ))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (k, &v) in matrix.average_on.iter().enumerate().skip(1) {
        let reached = matrix.cohorts.iter().filter(|c| c.on.len() > k).count();
        hover.push(
            chart.backend_coord(&(k as f64, v)),
            String::new(),
            vec![
                HoverValue::new(labels.periods_after_first, k as f64, ValueKind::Count),
                HoverValue::new(labels.active_again_average, v, ValueKind::Share),
                HoverValue::new(labels.cohorts, reached as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}
