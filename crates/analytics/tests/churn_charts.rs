//! The churn-cause charts drawn natively on plotters' SVG backend (the same
//! functions the browser calls with the canvas backend). Set
//! CHURN_CHARTS_OUT=<dir> to keep the SVGs for a look.

use loyalty_analytics::chart::{
    category_colour, draw_cumulative_incidence, draw_pareto, draw_reference_comparison, ChurnLabels,
};
use loyalty_analytics::metrics::churn_causes::{ParetoBar, ReferenceRow};
use loyalty_analytics::metrics::churn_rules::ChurnCategory;
use loyalty_analytics::metrics::competing_risks::aalen_johansen;
use plotters::prelude::*;

fn svg<T>(
    name: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> T,
) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (800, 400)).into_drawing_area();
        draw(&area);
    }
    if let Some(dir) = std::env::var_os("CHURN_CHARTS_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), &out).unwrap();
    }
    out
}

/// Heights of the filled rectangles of `colour` taller than legend swatches.
fn bar_heights(svg: &str, colour: &str) -> Vec<f64> {
    svg.lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{colour}\"")))
        .map(|l| {
            let start = l.find(" height=\"").unwrap() + 9;
            let end = start + l[start..].find('"').unwrap();
            l[start..end].parse::<f64>().unwrap()
        })
        .filter(|h| *h > 12.5)
        .collect()
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

#[test]
fn pareto_bars_fall_and_the_cumulative_line_rises_to_100_percent() {
    let bar = |label: &str, customers, cumulative_share| ParetoBar {
        label: label.into(),
        customers,
        cumulative_share,
    };
    let bars = [
        bar("Competitor had better devices", 60, 0.6),
        bar("Price too high", 30, 0.9),
        bar("Moved", 10, 1.0),
    ];
    let out = svg("pareto.svg", |area| {
        draw_pareto(area, &bars, &ChurnLabels::default()).unwrap()
    });
    let heights = bar_heights(&out, "#0072B2");
    assert_eq!(heights.len(), 3, "{out}");
    assert!((heights[1] / heights[0] - 0.5).abs() < 0.03);
    assert!((heights[2] / heights[0] - 1.0 / 6.0).abs() < 0.03);
    // The cumulative line in orange, its axis in percent, the labels as given.
    assert!(out.contains("<polyline") && out.contains("#E69F00"));
    assert!(out.contains("100%"));
    for text in [
        "Price too high",
        "Moved",
        "Customers who left",
        "Cumulative share",
    ] {
        assert!(out.contains(text), "missing {text}");
    }
    // An empty series draws a frame without failing.
    let empty = svg("pareto_empty.svg", |area| {
        draw_pareto(area, &[], &ChurnLabels::default()).unwrap()
    });
    assert!(empty.starts_with("<svg"));
}

#[test]
fn the_users_bars_stand_beside_the_reference() {
    let row = |category, user_share, reference_share| ReferenceRow {
        category,
        user_share,
        reference_share,
    };
    let rows = [
        row(ChurnCategory::Competitor, Some(0.5), Some(0.09)),
        row(ChurnCategory::Treatment, Some(0.25), Some(0.68)),
        row(ChurnCategory::Price, Some(0.25), None),
    ];
    let mut labels = ChurnLabels::default();
    labels.categories[ChurnCategory::Treatment.index()] = "Отношение";
    labels.reference = "Исследование";
    let out = svg("reference.svg", |area| {
        draw_reference_comparison(area, &rows, &labels).unwrap()
    });
    let yours = bar_heights(&out, "#0072B2");
    let reference = bar_heights(&out, "#606060");
    assert_eq!((yours.len(), reference.len()), (3, 2), "{out}");
    assert!((yours[1] / yours[0] - 0.5).abs() < 0.03);
    assert!((reference[1] / yours[0] - 0.68 / 0.5).abs() < 0.03);
    for text in ["Отношение", "Исследование", "Competitor", "Price"] {
        assert!(out.contains(text), "missing {text}");
    }
}

#[test]
fn one_incidence_curve_per_category_in_its_colour() {
    let risks = aalen_johansen(vec![
        (1.0, Some(ChurnCategory::Price)),
        (2.0, None),
        (3.0, Some(ChurnCategory::Competitor)),
        (3.0, Some(ChurnCategory::Price)),
        (5.0, Some(ChurnCategory::Competitor)),
        (6.0, None),
    ]);
    let out = svg("incidence.svg", |area| {
        draw_cumulative_incidence(area, &risks, &ChurnLabels::default()).unwrap()
    });
    for category in [ChurnCategory::Price, ChurnCategory::Competitor] {
        let colour = hex(category_colour(category));
        assert!(
            out.lines()
                .any(|l| l.contains("<polyline") && l.contains(&colour)),
            "no curve in {colour}"
        );
        assert!(out.contains(category.label()));
    }
    assert!(out.contains("Months as a customer"));
}
