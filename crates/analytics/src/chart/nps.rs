//! Survey charts: the 0-10 distribution coloured by group with the share
//! bar above it, the NPS trend with its interval band, and the loyalty link
//! (what each NPS group later did).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::hover::{HoverMap, HoverValue, ValueKind};
use super::{label_at, palette, ticks, ChartError};
use crate::display::Locale;
use crate::metrics::loyalty_link::{GroupBehaviour, Share};
use crate::metrics::surveys::NpsPeriod;

/// The words on the survey charts and the style of their numbers.
#[derive(Debug, Clone)]
pub struct NpsLabels<'a> {
    /// The three parts of the share bar.
    pub detractors: &'a str,
    pub passives: &'a str,
    pub promoters: &'a str,
    /// The x axis of the distribution.
    pub score: &'a str,
    pub answers: &'a str,
    pub share: &'a str,
    pub nps: &'a str,
    /// The loyalty link's measures.
    pub bought_twice: &'a str,
    pub bought_within_6_months: &'a str,
    pub customers: &'a str,
    /// The loyalty link's group ids "promoter", "passive", "detractor" as drawn.
    pub promoter_group: &'a str,
    pub passive_group: &'a str,
    pub detractor_group: &'a str,
    /// How the axis ticks are written.
    pub locale: Locale,
}

impl NpsLabels<'static> {
    /// The charts in `locale`'s language.
    pub fn for_locale(locale: Locale) -> Self {
        match locale {
            Locale::En => NpsLabels {
                detractors: "Detractors",
                passives: "Passives",
                promoters: "Promoters",
                score: "Score",
                answers: "Answers",
                share: "Share",
                nps: "NPS",
                bought_twice: "Bought twice or more",
                bought_within_6_months: "Bought again within 6 months",
                customers: "Customers",
                // English shows the core's ids as they are.
                promoter_group: "promoter",
                passive_group: "passive",
                detractor_group: "detractor",
                locale,
            },
            Locale::Ru => NpsLabels {
                detractors: "Критики",
                passives: "Нейтралы",
                promoters: "Промоутеры",
                score: "Оценка",
                answers: "Ответы",
                share: "Доля",
                nps: "NPS",
                bought_twice: "Купили два раза и более",
                bought_within_6_months: "Купили снова в течение 6 месяцев",
                customers: "Клиенты",
                promoter_group: "Промоутеры",
                passive_group: "Нейтралы",
                detractor_group: "Критики",
                locale,
            },
        }
    }
}

impl Default for NpsLabels<'_> {
    fn default() -> Self {
        NpsLabels::for_locale(Locale::En)
    }
}

impl NpsLabels<'_> {
    /// The name of a loyalty-link group: the NPS groups' ids translated,
    /// any other group (a CSAT level, a segment) as it is.
    pub fn group<'s>(&'s self, id: &'s str) -> &'s str {
        match id {
            "promoter" => self.promoter_group,
            "passive" => self.passive_group,
            "detractor" => self.detractor_group,
            other => other,
        }
    }
}

/// Okabe-Ito colours of the three groups.
pub const DETRACTOR: RGBColor = RGBColor(213, 94, 0);
pub const PASSIVE: RGBColor = RGBColor(160, 160, 160);
pub const PROMOTER: RGBColor = RGBColor(0, 158, 115);

fn group_colour(score: usize) -> RGBColor {
    match score {
        9..=10 => PROMOTER,
        7..=8 => PASSIVE,
        _ => DETRACTOR,
    }
}

/// Answers per score 0..=10 as bars, and above them one bar split into
/// detractors, passives and promoters.
pub fn draw_nps_distribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    distribution: &[u64],
    labels: &NpsLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let (share_bar, plot) = area.split_vertically(44);
    let total: u64 = distribution.iter().sum();
    if total > 0 {
        let (w, _) = share_bar.dim_in_pixel();
        let (left, right) = (72i32, w as i32 - 16);
        let width = (right - left).max(1) as f64;
        let groups = [
            (
                distribution.iter().take(7).sum::<u64>(),
                DETRACTOR,
                labels.detractors,
            ),
            (
                distribution.iter().skip(7).take(2).sum::<u64>(),
                PASSIVE,
                labels.passives,
            ),
            (
                distribution.iter().skip(9).sum::<u64>(),
                PROMOTER,
                labels.promoters,
            ),
        ];
        let mut x = left as f64;
        let font = ("sans-serif", 13).into_font().color(&WHITE);
        for (count, colour, name) in groups {
            let span = width * count as f64 / total as f64;
            let (x0, x1) = (x.round() as i32, (x + span).round() as i32);
            share_bar.draw(&Rectangle::new([(x0, 10), (x1, 36)], colour.filled()))?;
            let points = 100.0 * count as f64 / total as f64;
            let text = format!("{name} {}", ticks::whole_points(points, labels.locale));
            // Room for the text: 110 px has always been enough for the
            // English names; longer (Russian) ones need their own width.
            let room = if text.is_ascii() {
                110.0
            } else {
                110.0f64.max(f64::from(super::legend_text_width(&text)))
            };
            if span > room {
                share_bar.draw(&Text::new(text, (x0 + 6, 16), font.clone()))?;
            }
            x += span;
        }
    }
    let top = distribution.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..10.5, 0.0..top * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(11)
        .x_label_formatter(&|x| format!("{:.0}", x))
        .x_desc(labels.score)
        .y_desc(labels.answers)
        .y_label_formatter(&|v| ticks::plain(v, labels.locale))
        .draw()?;
    chart.draw_series(distribution.iter().enumerate().take(11).map(|(score, &n)| {
        let x = score as f64;
        Rectangle::new(
            [(x - 0.38, 0.0), (x + 0.38, n as f64)],
            group_colour(score).filled(),
        )
    }))?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (score, &n) in distribution.iter().enumerate().take(11) {
        let mut values = vec![HoverValue::new(labels.answers, n as f64, ValueKind::Count)];
        if total > 0 {
            values.push(HoverValue::new(
                labels.share,
                n as f64 / total as f64,
                ValueKind::Share,
            ));
        }
        hover.push(
            chart.backend_coord(&(score as f64, n as f64)),
            score.to_string(),
            values,
        );
    }
    Ok(hover)
}

/// NPS per period with its 95% band; a ring marks a significant change from
/// the previous period, a lighter dot a period whose margin exceeds 5 points.
pub fn draw_nps_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trend: &[NpsPeriod],
    labels: &NpsLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let n = trend.len().max(1) as f64;
    let low = trend
        .iter()
        .map(|p| p.summary.ci_low)
        .fold(0.0f64, f64::min);
    let high = trend
        .iter()
        .map(|p| p.summary.ci_high)
        .fold(0.0f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(
            -0.5..n - 0.5,
            (low - 5.0).max(-100.0)..(high + 5.0).min(100.0),
        )?;
    let label = |x: &f64| label_at(trend, *x, |p| p.label.as_str());
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(trend.len().clamp(1, 12))
        .x_label_formatter(&label)
        .y_desc(labels.nps)
        .y_label_formatter(&|v| ticks::plain(v, labels.locale))
        .draw()?;
    let xs = |i: usize| i as f64;
    let mut band: Vec<(f64, f64)> = trend
        .iter()
        .enumerate()
        .map(|(i, p)| (xs(i), p.summary.ci_high))
        .collect();
    band.extend(
        trend
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (xs(i), p.summary.ci_low)),
    );
    if trend.len() > 1 {
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            palette::BLUE.mix(0.18).filled(),
        )))?;
    } else if let Some(p) = trend.first() {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, p.summary.ci_low), (0.0, p.summary.ci_high)],
            palette::BLUE.mix(0.4).stroke_width(6),
        )))?;
    }
    chart.draw_series(LineSeries::new(
        trend
            .iter()
            .enumerate()
            .map(|(i, p)| (xs(i), p.summary.nps)),
        palette::BLUE.stroke_width(3),
    ))?;
    chart.draw_series(trend.iter().enumerate().map(|(i, p)| {
        let colour = if p.responses_for_5_points.is_some() {
            palette::BLUE.mix(0.45)
        } else {
            palette::BLUE.mix(1.0)
        };
        Circle::new((xs(i), p.summary.nps), 4, colour.filled())
    }))?;
    chart.draw_series(
        trend
            .iter()
            .enumerate()
            .filter(|(_, p)| p.significant_change)
            .map(|(i, p)| Circle::new((xs(i), p.summary.nps), 9, palette::ORANGE.stroke_width(3))),
    )?;
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, p) in trend.iter().enumerate() {
        hover.push(
            chart.backend_coord(&(xs(i), p.summary.nps)),
            p.label.clone(),
            vec![
                HoverValue::new(labels.nps, p.summary.nps, ValueKind::Decimal(1)),
                HoverValue::range(
                    "95%",
                    p.summary.ci_low,
                    p.summary.ci_high,
                    ValueKind::Decimal(1),
                ),
                HoverValue::new(labels.answers, p.summary.responses as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}

/// Which behaviour of the loyalty link a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMeasure {
    RepeatRate,
    BoughtWithin6Months,
}

/// One bar per group with its 95% interval as a whisker.
pub fn draw_loyalty_link<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    groups: &[GroupBehaviour],
    measure: LinkMeasure,
    labels: &NpsLabels<'_>,
) -> Result<HoverMap, ChartError> {
    area.fill(&WHITE)?;
    let share = |g: &GroupBehaviour| -> Option<Share> {
        match measure {
            LinkMeasure::RepeatRate => g.repeat_rate,
            LinkMeasure::BoughtWithin6Months => g.bought_within_6m,
        }
    };
    let n = groups.len().max(1) as f64;
    let top = groups
        .iter()
        .filter_map(|g| share(g).map(|s| s.ci_high))
        .fold(0.05f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..(top * 1.1).min(1.0))?;
    let names: Vec<&str> = groups.iter().map(|g| labels.group(&g.group)).collect();
    let label = |x: &f64| label_at(&names, *x, |name| name);
    let name = match measure {
        LinkMeasure::RepeatRate => labels.bought_twice,
        LinkMeasure::BoughtWithin6Months => labels.bought_within_6_months,
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(RGBColor(232, 232, 232))
        .x_labels(groups.len().clamp(1, 12))
        .x_label_formatter(&label)
        .y_label_formatter(&|v| ticks::whole_percent(*v, labels.locale))
        .y_desc(name)
        .draw()?;
    for (i, g) in groups.iter().enumerate() {
        let Some(s) = share(g) else { continue };
        let x = i as f64;
        let colour = match g.group.as_str() {
            "promoter" => PROMOTER,
            "passive" => PASSIVE,
            "detractor" => DETRACTOR,
            _ => palette::BLUE,
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.3, 0.0), (x + 0.3, s.share)],
            colour.filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, s.ci_low), (x, s.ci_high)],
            BLACK.stroke_width(2),
        )))?;
        for y in [s.ci_low, s.ci_high] {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x - 0.08, y), (x + 0.08, y)],
                BLACK.stroke_width(2),
            )))?;
        }
    }
    area.present()?;
    let mut hover = HoverMap::over(&chart);
    for (i, (g, group)) in groups.iter().zip(&names).enumerate() {
        let Some(s) = share(g) else { continue };
        hover.push(
            chart.backend_coord(&(i as f64, s.share)),
            *group,
            vec![
                HoverValue::new(name, s.share, ValueKind::Share),
                HoverValue::range("95%", s.ci_low, s.ci_high, ValueKind::Share),
                HoverValue::new(labels.customers, s.of as f64, ValueKind::Count),
            ],
        );
    }
    Ok(hover)
}
