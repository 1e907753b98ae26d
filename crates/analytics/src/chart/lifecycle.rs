//! Lifecycle per period: new, retained and resurrected customers stacked
//! above zero, lost customers below it, net growth as a line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, legend_text_width, palette, ChartError};
use crate::display::{compact_in, Locale};
use crate::metrics::lifecycle::LifecyclePeriod;

/// The words on the chart and the style of its numbers.
#[derive(Debug, Clone)]
pub struct LifecycleLabels<'a> {
    /// The y axis.
    pub customers: &'a str,
    pub new: &'a str,
    pub retained: &'a str,
    pub resurrected: &'a str,
    pub lost: &'a str,
    pub net_growth: &'a str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl LifecycleLabels<'static> {
    /// The chart in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => LifecycleLabels {
                customers: "Customers",
                new: "New",
                retained: "Retained",
                resurrected: "Back after a gap",
                lost: "Lost",
                net_growth: "Net growth",
                locale,
            },
            Locale::Ru => LifecycleLabels {
                customers: "Клиенты",
                new: "Новые",
                retained: "Удержанные",
                resurrected: "Вернувшиеся",
                lost: "Потерянные",
                net_growth: "Чистый прирост",
                locale,
            },
        }
    }
}

impl Default for LifecycleLabels<'_> {
    fn default() -> Self {
        LifecycleLabels::for_locale(Locale::En)
    }
}

/// Okabe-Ito colours of the four groups.
const NEW: RGBColor = RGBColor(0, 158, 115);
const RETAINED: RGBColor = palette::BLUE;
const RESURRECTED: RGBColor = RGBColor(86, 180, 233);
const LOST: RGBColor = RGBColor(213, 94, 0);

pub fn draw_lifecycle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    periods: &[LifecyclePeriod],
    labels: &LifecycleLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (legend, plot) = area.split_vertically(28);
    let font = ("sans-serif", 14).into_font().color(&palette::GREY);
    let mut x = 72;
    for (colour, text) in [
        (NEW, labels.new),
        (RETAINED, labels.retained),
        (RESURRECTED, labels.resurrected),
        (LOST, labels.lost),
        (palette::GREY, labels.net_growth),
    ] {
        legend.draw(&Rectangle::new([(x, 8), (x + 14, 20)], colour.filled()))?;
        legend.draw(&Text::new(text, (x + 20, 7), font.clone()))?;
        x += 34 + legend_text_width(text);
    }
    let n = periods.len().max(1) as f64;
    let top = periods.iter().map(|p| p.active).max().unwrap_or(0).max(1) as f64;
    let bottom = periods.iter().map(|p| p.lost).max().unwrap_or(0) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..n - 0.5, -bottom * 1.1..top * 1.1)?;
    let label = |x: &f64| label_at(periods, *x, |item| item.period.as_str());
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(periods.len().clamp(1, 12))
        .x_label_formatter(&label)
        .y_label_formatter(&|v| compact_in(*v, labels.locale))
        .y_desc(labels.customers)
        .draw()?;
    for (i, p) in periods.iter().enumerate() {
        let x = i as f64;
        let mut base = 0.0;
        for (count, colour) in [
            (p.new, NEW),
            (p.retained, RETAINED),
            (p.resurrected, RESURRECTED),
        ] {
            let height = count as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.38, base), (x + 0.38, base + height)],
                colour.filled(),
            )))?;
            base += height;
        }
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.38, 0.0), (x + 0.38, -(p.lost as f64))],
            LOST.filled(),
        )))?;
    }
    chart.draw_series(LineSeries::new(
        periods
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.net_growth() as f64)),
        palette::GREY.stroke_width(2),
    ))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, p) in periods.iter().enumerate() {
        let count = |name: &str, n: u64| HoverValue::new(name, n as f64, ValueKind::Count);
        hover.push(
            chart.backend_coord(&(i as f64, p.active as f64)),
            p.period.clone(),
            vec![
                count(labels.new, p.new),
                count(labels.retained, p.retained),
                count(labels.resurrected, p.resurrected),
                count(labels.lost, p.lost),
                HoverValue::new(labels.net_growth, p.net_growth() as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}
