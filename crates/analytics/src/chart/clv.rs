//! CLV page charts: holdout actual vs predicted by calibration frequency,
//! cumulative tracking, the RFM grid and the CLV distribution.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, legend_text_width, palette, ticks, ChartError};
use crate::display::{compact_in, Locale};
use crate::models::clv::ClvDistribution;
use crate::models::holdout::{FrequencyGroup, TrackingPoint, LAST_FREQUENCY_GROUP};
use crate::models::rfm::{GridCell, RfmSegment};

/// The words on the CLV charts and the style of their numbers.
#[derive(Debug, Clone)]
pub struct ClvLabels<'a> {
    pub actual: &'a str,
    pub predicted: &'a str,
    pub calibration_frequency: &'a str,
    pub holdout_purchases: &'a str,
    pub week: &'a str,
    pub cumulative_purchases: &'a str,
    pub calibration_end: &'a str,
    pub recency_score: &'a str,
    pub fm_score: &'a str,
    pub clv: &'a str,
    pub customers: &'a str,
    /// A grid cell's revenue in its readout.
    pub revenue: &'a str,
    /// The per-month chart: its x axis and its two figures.
    pub month: &'a str,
    pub clv_in_month: &'a str,
    pub purchases_in_month: &'a str,
    pub segment_name: fn(RfmSegment) -> &'static str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl ClvLabels<'static> {
    /// The charts in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => ClvLabels {
                actual: "Actual",
                predicted: "Model",
                calibration_frequency: "Repeat purchases in calibration",
                holdout_purchases: "Purchases per customer in holdout",
                week: "Week",
                cumulative_purchases: "Cumulative repeat purchases",
                calibration_end: "end of calibration",
                recency_score: "Recency score (5 = most recent)",
                fm_score: "Frequency-monetary score",
                clv: "CLV",
                customers: "Customers",
                revenue: "Revenue",
                month: "Month ahead",
                clv_in_month: "CLV in the month (discounted)",
                purchases_in_month: "Expected purchases in the month",
                segment_name: RfmSegment::name_en,
                locale,
            },
            Locale::Ru => ClvLabels {
                actual: "Факт",
                predicted: "Модель",
                calibration_frequency: "Повторные покупки в калибровке",
                holdout_purchases: "Покупок на клиента в контрольном периоде",
                week: "Неделя",
                cumulative_purchases: "Повторные покупки, накопленно",
                calibration_end: "конец калибровки",
                recency_score: "Давность, балл (5 = недавно)",
                fm_score: "Частота и сумма, балл",
                clv: "CLV",
                customers: "Клиенты",
                revenue: "Выручка",
                month: "Месяц вперёд",
                clv_in_month: "CLV за месяц (дисконтированный)",
                purchases_in_month: "Ожидаемые покупки за месяц",
                segment_name: RfmSegment::name_ru,
                locale,
            },
        }
    }
}

impl Default for ClvLabels<'_> {
    fn default() -> Self {
        ClvLabels::for_locale(Locale::En)
    }
}

fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, RGBColor)],
) -> Result<(), ChartError> {
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    let (mut x, y) = (72, 14);
    for (text, colour) in entries {
        area.draw(&Rectangle::new(
            [(x, y - 6), (x + 14, y + 6)],
            colour.mix(0.85).filled(),
        ))?;
        area.draw(&Text::new(text.to_string(), (x + 20, y - 7), font.clone()))?;
        x += 28 + legend_text_width(text);
    }
    Ok(())
}

/// Mean holdout purchases per customer by calibration frequency (0..7+),
/// actual (blue) beside the model's (orange): FHL 2005 figure 4.
pub fn draw_holdout_by_frequency<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    groups: &[FrequencyGroup],
    labels: &ClvLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (top, plot) = area.split_vertically(28);
    legend(
        &top,
        &[
            (labels.actual, palette::BLUE),
            (labels.predicted, palette::ORANGE),
        ],
    )?;
    let names: Vec<String> = groups
        .iter()
        .map(|g| {
            if g.frequency >= LAST_FREQUENCY_GROUP {
                format!("{}+", g.frequency)
            } else {
                g.frequency.to_string()
            }
        })
        .collect();
    let max = groups
        .iter()
        .map(|g| g.actual_mean.max(g.predicted_mean))
        .fold(0.0, f64::max)
        .max(0.1);
    let n = groups.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..max * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(groups.len().clamp(1, 12))
        .x_label_formatter(&|x| label_at(&names, *x, String::as_str))
        .x_desc(labels.calibration_frequency)
        .y_desc(labels.holdout_purchases)
        .y_label_formatter(&|v| ticks::plain(v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    chart.draw_series(groups.iter().enumerate().flat_map(|(i, g)| {
        let x = i as f64;
        [
            Rectangle::new(
                [(x - 0.38, 0.0), (x - 0.02, g.actual_mean)],
                palette::BLUE.mix(0.85).filled(),
            ),
            Rectangle::new(
                [(x + 0.02, 0.0), (x + 0.38, g.predicted_mean)],
                palette::ORANGE.mix(0.85).filled(),
            ),
        ]
    }))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, (g, name)) in groups.iter().zip(&names).enumerate() {
        hover.push(
            chart.backend_coord(&(i as f64, g.actual_mean.max(g.predicted_mean))),
            name.clone(),
            vec![
                HoverValue::new(labels.actual, g.actual_mean, ValueKind::Decimal(2)),
                HoverValue::new(labels.predicted, g.predicted_mean, ValueKind::Decimal(2)),
                HoverValue::new(labels.customers, g.customers as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}

/// Cumulative repeat purchases per week, actual (blue) and model (orange),
/// with a dashed marker at the end of the calibration period.
pub fn draw_tracking<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[TrackingPoint],
    calibration_end_week: u32,
    labels: &ClvLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (top, plot) = area.split_vertically(28);
    legend(
        &top,
        &[
            (labels.actual, palette::BLUE),
            (labels.predicted, palette::ORANGE),
        ],
    )?;
    let weeks = points.last().map_or(1.0, |p| f64::from(p.week) + 1.0);
    let max = points
        .iter()
        .map(|p| p.actual.max(p.predicted))
        .fold(0.0, f64::max)
        .max(1.0);
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..weeks, 0.0..max * 1.05)?;
    chart
        .configure_mesh()
        .x_desc(labels.week)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(labels.cumulative_purchases)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    let split = f64::from(calibration_end_week) + 1.0;
    for k in 0..20 {
        // A dashed vertical line: 20 short segments.
        let (y0, y1) = (
            max * 1.05 * k as f64 / 20.0,
            max * 1.05 * (k as f64 + 0.5) / 20.0,
        );
        chart.draw_series(LineSeries::new(
            [(split, y0), (split, y1)],
            palette::GREY.stroke_width(1),
        ))?;
    }
    chart.draw_series(std::iter::once(Text::new(
        labels.calibration_end.to_string(),
        (split, max * 1.02),
        ("sans-serif", 13).into_font().color(&palette::GREY),
    )))?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|p| (f64::from(p.week) + 1.0, p.actual)),
        palette::BLUE.stroke_width(3),
    ))?;
    chart.draw_series(LineSeries::new(
        points
            .iter()
            .map(|p| (f64::from(p.week) + 1.0, p.predicted)),
        palette::ORANGE.stroke_width(3),
    ))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for p in points {
        let week = f64::from(p.week) + 1.0;
        hover.push(
            chart.backend_coord(&(week, p.actual)),
            String::new(),
            vec![
                HoverValue::new(labels.week, week, ValueKind::Count),
                HoverValue::new(labels.actual, p.actual, ValueKind::Decimal(1)),
                HoverValue::new(labels.predicted, p.predicted, ValueKind::Decimal(1)),
            ],
        );
    }
    Ok(hover)
}

/// The R × FM grid: one cell per score pair, shaded by its number of
/// customers, with the segment's name and the count.
pub fn draw_rfm_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &[GridCell],
    labels: &ClvLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let max = grid.iter().map(|c| c.customers).max().unwrap_or(0).max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.5..5.5, 0.5..5.5)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc(labels.fm_score)
        .y_desc(labels.recency_score)
        .draw()?;
    chart.draw_series(grid.iter().map(|c| {
        let (x, y) = (f64::from(c.fm), f64::from(c.r));
        let shade = 0.08 + 0.8 * c.customers as f64 / max;
        Rectangle::new(
            [(x - 0.48, y - 0.48), (x + 0.48, y + 0.48)],
            palette::BLUE.mix(shade).filled(),
        )
    }))?;
    let centre = Pos::new(HPos::Center, VPos::Center);
    chart.draw_series(grid.iter().flat_map(|c| {
        let (x, y) = (f64::from(c.fm), f64::from(c.r));
        let colour = if c.customers as f64 / max > 0.5 {
            WHITE
        } else {
            BLACK
        };
        [
            Text::new(
                (labels.segment_name)(c.segment).to_string(),
                (x, y + 0.15),
                ("sans-serif", 12).into_font().color(&colour).pos(centre),
            ),
            Text::new(
                compact_in(c.customers as f64, labels.locale),
                (x, y - 0.15),
                ("sans-serif", 15).into_font().color(&colour).pos(centre),
            ),
        ]
    }))?;
    area.present()?;
    // Cells of a column share their x: the nearest point is the cell under the pointer.
    let mut hover = HoverMap::over(&chart);
    for c in grid {
        hover.push(
            chart.backend_coord(&(f64::from(c.fm), f64::from(c.r))),
            (labels.segment_name)(c.segment),
            vec![
                HoverValue::new("R", f64::from(c.r), ValueKind::Count),
                HoverValue::new("FM", f64::from(c.fm), ValueKind::Count),
                HoverValue::new(labels.customers, c.customers as f64, ValueKind::Count),
                HoverValue::new(labels.revenue, c.revenue, ValueKind::Money),
            ],
        );
    }
    Ok(hover)
}

/// Histogram of CLV: customers per bin (the last bin holds everything above
/// the 99th percentile).
pub fn draw_clv_distribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    distribution: &ClvDistribution,
    labels: &ClvLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let bins = &distribution.bins;
    let (low, high) = match (bins.first(), bins.last()) {
        (Some(f), Some(l)) if l.upper > f.lower => (f.lower, l.upper),
        _ => (0.0, 1.0),
    };
    let max = bins.iter().map(|b| b.customers).max().unwrap_or(0).max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(low..high, 0.0..max * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(labels.clv)
        .y_desc(labels.customers)
        .x_label_formatter(&|v| compact_in(*v, labels.locale))
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()?;
    chart.draw_series(bins.iter().map(|b| {
        let gap = (b.upper - b.lower) * 0.04;
        Rectangle::new(
            [(b.lower + gap, 0.0), (b.upper - gap, b.customers as f64)],
            palette::BLUE.mix(0.85).filled(),
        )
    }))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for b in bins {
        hover.push(
            chart.backend_coord(&((b.lower + b.upper) / 2.0, b.customers as f64)),
            String::new(),
            vec![
                HoverValue::range(labels.clv, b.lower, b.upper, ValueKind::Money),
                HoverValue::new(labels.customers, b.customers as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}
