//! What a drawn chart shows where: the pixel position of each data point with
//! the figures to read out when the pointer (or the keyboard) is on it. The
//! chart functions fill it from their chart context's `backend_coord`, so the
//! positions are those of the backend the chart was drawn on.

use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use crate::display::{grouped_in, money_in, percent_in, Locale};

/// How a value is written in a readout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number: "1,234".
    Count,
    /// An amount: cents below 10,000.
    Money,
    /// A share in [0, 1] as a percentage: "48.9%".
    Share,
    /// A number with this many decimals (NPS points, means).
    Decimal(u8),
}

impl ValueKind {
    /// `value` in `locale`.
    pub fn format(self, value: f64, locale: Locale) -> String {
        match self {
            ValueKind::Count => grouped_in(value, 0, locale),
            ValueKind::Money => money_in(value, locale),
            ValueKind::Share => percent_in(value, locale),
            ValueKind::Decimal(d) => grouped_in(value, usize::from(d), locale),
        }
    }
}

/// One figure of a point: "Active customers: 1,234", or a range "95%: 50.1%–58.3%".
#[derive(Debug, Clone, PartialEq)]
pub struct HoverValue {
    /// The series' name as the chart draws it: in the language of the
    /// chart's labels struct.
    pub series: String,
    pub value: f64,
    /// The upper end when the figure is a range (an interval, a histogram bin).
    pub to: Option<f64>,
    pub kind: ValueKind,
}

impl HoverValue {
    pub fn new(series: &str, value: f64, kind: ValueKind) -> Self {
        HoverValue {
            series: series.to_string(),
            value,
            to: None,
            kind,
        }
    }

    pub fn range(series: &str, from: f64, to: f64, kind: ValueKind) -> Self {
        HoverValue {
            to: Some(to),
            ..HoverValue::new(series, from, kind)
        }
    }
}

/// A data point: its pixel position on the backend and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct HoverPoint {
    pub x: i32,
    pub y: i32,
    /// The data's own label of the point (a month, a reason, a score); may be empty.
    pub label: String,
    pub values: Vec<HoverValue>,
}

impl HoverPoint {
    /// "2011-03: Active customers 1,234 · Revenue 56,789" in `locale`, with
    /// the series names passed through `translate` (the identity when the
    /// chart was drawn with labels in the reader's language).
    pub fn text(&self, locale: Locale, translate: &dyn Fn(&str) -> String) -> String {
        let figures: Vec<String> = self
            .values
            .iter()
            .map(|v| {
                let number = match v.to {
                    Some(to) => format!(
                        "{}–{}",
                        v.kind.format(v.value, locale),
                        v.kind.format(to, locale)
                    ),
                    None => v.kind.format(v.value, locale),
                };
                format!("{} {number}", translate(&v.series))
            })
            .collect();
        let figures = figures.join(" · ");
        if self.label.is_empty() {
            figures
        } else {
            format!("{}: {figures}", self.label)
        }
    }
}

/// The points of one drawn chart and its plotting area, in backend pixels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HoverMap {
    /// Left, top, right, bottom of the plotting area (without axes and legend).
    pub plot: (i32, i32, i32, i32),
    /// In drawing order; for category and time charts, left to right.
    pub points: Vec<HoverPoint>,
}

impl From<()> for HoverMap {
    fn from((): ()) -> Self {
        HoverMap::default()
    }
}

impl HoverMap {
    /// An empty map over the plotting area of `chart`.
    pub(crate) fn over<DB, X, Y>(chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>) -> Self
    where
        DB: DrawingBackend,
        X: Ranged,
        Y: Ranged,
    {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        HoverMap {
            plot: (xs.start, ys.start, xs.end, ys.end),
            points: Vec::new(),
        }
    }

    /// Adds a point at the pixel position `at`.
    pub(crate) fn push(
        &mut self,
        at: (i32, i32),
        label: impl Into<String>,
        values: Vec<HoverValue>,
    ) {
        self.points.push(HoverPoint {
            x: at.0,
            y: at.1,
            label: label.into(),
            values,
        });
    }

    /// The index of the point nearest to the pixel (`x`, `y`): by horizontal
    /// distance first (a column of a bar chart, a time on a curve), then by
    /// vertical distance. `None` outside the plotting area (with `slack`
    /// pixels around it) or without points.
    pub fn nearest(&self, x: f64, y: f64, slack: f64) -> Option<usize> {
        let (left, top, right, bottom) = self.plot;
        let inside = x >= f64::from(left) - slack
            && x <= f64::from(right) + slack
            && y >= f64::from(top) - slack
            && y <= f64::from(bottom) + slack;
        if !inside {
            return None;
        }
        let key = |p: &HoverPoint| ((f64::from(p.x) - x).abs(), (f64::from(p.y) - y).abs());
        self.points
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                let (a, b) = (key(a), key(b));
                a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
            })
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> HoverMap {
        let mut m = HoverMap {
            plot: (50, 10, 450, 310),
            points: Vec::new(),
        };
        m.push(
            (100, 200),
            "2011-01",
            vec![HoverValue::new("Customers", 1234.0, ValueKind::Count)],
        );
        m.push(
            (200, 50),
            "2011-02",
            vec![HoverValue::new("Customers", 99.0, ValueKind::Count)],
        );
        m.push(
            (200, 250),
            "2011-02",
            vec![HoverValue::new("Lost", 5.0, ValueKind::Count)],
        );
        m
    }

    #[test]
    fn the_nearest_point_is_found_by_column_then_height() {
        let m = map();
        assert_eq!(m.nearest(120.0, 10.0, 0.0), Some(0));
        assert_eq!(m.nearest(160.0, 60.0, 0.0), Some(1));
        assert_eq!(m.nearest(190.0, 240.0, 0.0), Some(2));
        assert_eq!(m.nearest(10.0, 100.0, 0.0), None, "left of the plot");
        assert_eq!(m.nearest(45.0, 100.0, 8.0), Some(0), "within the slack");
        assert_eq!(HoverMap::default().nearest(0.0, 0.0, 0.0), None);
    }

    #[test]
    fn readouts_are_written_in_the_locale() {
        let p = HoverPoint {
            x: 0,
            y: 0,
            label: "2011-03".into(),
            values: vec![
                HoverValue::new("Active customers", 1234.0, ValueKind::Count),
                HoverValue::range("95%", 0.501, 0.583, ValueKind::Share),
            ],
        };
        let same = |s: &str| s.to_string();
        assert_eq!(
            p.text(Locale::En, &same),
            "2011-03: Active customers 1,234 · 95% 50.1%–58.3%"
        );
        let ru = |s: &str| {
            if s == "Active customers" {
                "Активные клиенты".into()
            } else {
                s.to_string()
            }
        };
        assert_eq!(
            p.text(Locale::Ru, &ru),
            "2011-03: Активные клиенты 1\u{a0}234 · 95% 50,1\u{a0}%–58,3\u{a0}%"
        );
        let unlabelled = HoverPoint {
            label: String::new(),
            ..p
        };
        assert!(unlabelled
            .text(Locale::En, &same)
            .starts_with("Active customers 1,234"));
    }
}
