//! The hover points the chart functions return: one per data point, at the
//! pixel where the SVG (or canvas) shows it, with the figures of that point.

use loyalty_analytics::chart::{
    draw_clv_distribution, draw_cohort_curves, draw_holdout_by_frequency, draw_lifecycle,
    draw_monthly_activity, draw_nps_distribution, draw_nps_trend, draw_pareto, draw_survival,
    draw_tracking, ActivityLabels, ChartError, ChurnLabels, ClvLabels, HoverMap, LifecycleLabels,
    NpsLabels, PatternLabels, SurvivalLabels,
};
use loyalty_analytics::display::Locale;
use loyalty_analytics::metrics::base::MonthlyActivity;
use plotters::coord::Shift;
use plotters::prelude::*;

fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<HoverMap, ChartError>,
) -> (String, HoverMap) {
    let mut out = String::new();
    let hover = {
        let area = SVGBackend::with_string(&mut out, (960, 360)).into_drawing_area();
        draw(&area).unwrap()
    };
    (out, hover)
}

fn same(s: &str) -> String {
    s.to_string()
}

fn sample_report() -> loyalty_analytics::Report {
    let sample = include_bytes!("../../../assets/cdnow_sample.txt");
    let mut ds = loyalty_analytics::Dataset::default();
    ds.add_file("cdnow_sample.txt", sample).unwrap();
    loyalty_analytics::build_report(&ds)
}

/// (x, y, height) of the bars filled with `colour` (taller than legend swatches).
fn bar_tops(svg: &str, colour: &str) -> Vec<(f64, f64, f64)> {
    svg.lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{colour}\"")))
        .map(|l| {
            let attr = |name: &str| -> f64 {
                let start = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                let end = start + l[start..].find('"').unwrap();
                l[start..end].parse().unwrap()
            };
            (attr("x"), attr("y"), attr("height"))
        })
        .filter(|r| r.2 > 12.5)
        .collect()
}

#[test]
fn activity_points_sit_on_the_bar_tops_with_the_months_figures() {
    let months: Vec<MonthlyActivity> = ["2024-01", "2024-02", "2024-03"]
        .iter()
        .zip([100u64, 50, 25])
        .map(|(m, n)| MonthlyActivity {
            month: m.to_string(),
            active_customers: n,
            orders: n,
            revenue: n as f64 * 12.5,
            complete: true,
        })
        .collect();
    let (out, hover) = svg(|a| draw_monthly_activity(a, &months, &ActivityLabels::default()));
    assert_eq!(hover.points.len(), 3);
    let bars = bar_tops(&out, "#0072B2");
    assert_eq!(bars.len(), 3);
    for (p, (x, y, _)) in hover.points.iter().zip(&bars) {
        // The point is at the bar's centre (bars span ±0.38 of a slot) and top.
        assert!((f64::from(p.y) - y).abs() <= 1.5, "{p:?} vs bar top {y}");
        assert!(
            f64::from(p.x) > *x,
            "{p:?} right of the bar's left edge {x}"
        );
    }
    assert!(hover.points.windows(2).all(|w| w[0].x < w[1].x));
    let (l, t, r, b) = hover.plot;
    assert!(l < hover.points[0].x && hover.points[2].x < r && t < b);
    assert_eq!(
        hover.points[1].text(Locale::En, &same),
        "2024-02: Active customers 50 · Revenue 625.00"
    );
    // The pointer anywhere in the second column reads out the second month.
    let p = &hover.points[1];
    assert_eq!(
        hover.nearest(f64::from(p.x) + 10.0, f64::from(b) - 5.0, 0.0),
        Some(1)
    );
}

#[test]
fn every_covered_chart_returns_its_points_from_real_figures() {
    let report = sample_report();
    let (_, h) = svg(|a| draw_monthly_activity(a, &report.monthly_activity, &Default::default()));
    assert_eq!(h.points.len(), report.monthly_activity.len());
    assert_eq!(h.points[0].label, report.monthly_activity[0].month);
    let (_, h) = svg(|a| draw_lifecycle(a, &report.lifecycle, &LifecycleLabels::default()));
    assert_eq!(h.points.len(), report.lifecycle.len());
    assert!(h.points[0].text(Locale::En, &same).contains("New "));
    let (_, h) = svg(|a| draw_cohort_curves(a, &report.cohorts, &PatternLabels::default()));
    assert_eq!(h.points.len(), report.cohorts.average_on.len() - 1);
    let clv = report.clv.as_ref().unwrap();
    if let Some(d) = &clv.clv_distribution {
        let (_, h) = svg(|a| draw_clv_distribution(a, d, &ClvLabels::default()));
        assert_eq!(h.points.len(), d.bins.len());
        assert!(h.points.windows(2).all(|w| w[0].x < w[1].x));
    }
    let labels = ClvLabels::default();
    let groups = [
        loyalty_analytics::models::holdout::FrequencyGroup {
            frequency: 0,
            customers: 10,
            actual_mean: 0.2,
            predicted_mean: 0.25,
        },
        loyalty_analytics::models::holdout::FrequencyGroup {
            frequency: 7,
            customers: 3,
            actual_mean: 2.0,
            predicted_mean: 1.8,
        },
    ];
    let (_, h) = svg(|a| draw_holdout_by_frequency(a, &groups, &labels));
    assert_eq!(
        h.points[1].text(Locale::En, &same),
        "7+: Actual 2.00 · Model 1.80 · Customers 3"
    );
    let points: Vec<_> = (0..5u32)
        .map(|w| loyalty_analytics::models::holdout::TrackingPoint {
            week: w,
            actual: f64::from(w) * 2.0,
            predicted: f64::from(w) * 2.1,
        })
        .collect();
    let (_, h) = svg(|a| draw_tracking(a, &points, 2, &labels));
    assert_eq!(h.points.len(), 5);
    assert!(h.points[4]
        .text(Locale::En, &same)
        .starts_with("Week 5 · Actual 8.0"));
}

#[test]
fn survey_churn_and_survival_points() {
    let distribution = [1u64, 0, 0, 0, 0, 0, 2, 3, 4, 5, 5];
    let (_, h) = svg(|a| draw_nps_distribution(a, &distribution, &NpsLabels::default()));
    assert_eq!(h.points.len(), 11);
    assert_eq!(
        h.points[10].text(Locale::En, &same),
        "10: Answers 5 · Share 25.0%"
    );
    let (_, h) = svg(|a| draw_nps_trend(a, &[], &NpsLabels::default()));
    assert!(h.points.is_empty());
    let bars = vec![
        loyalty_analytics::metrics::churn_causes::ParetoBar {
            label: "price".into(),
            customers: 30,
            cumulative_share: 0.6,
        },
        loyalty_analytics::metrics::churn_causes::ParetoBar {
            label: "=cmd".into(),
            customers: 20,
            cumulative_share: 1.0,
        },
    ];
    let (_, h) = svg(|a| draw_pareto(a, &bars, &ChurnLabels::default()));
    assert_eq!(h.points.len(), 2);
    assert!(
        h.points[0].y < h.points[1].y,
        "the taller bar's top is higher"
    );
    let curve = loyalty_analytics::metrics::survival::kaplan_meier(&[
        (1.0, true),
        (2.0, false),
        (3.0, true),
        (3.0, true),
        (5.0, false),
    ]);
    let (_, h) = svg(|a| draw_survival(a, &curve, &SurvivalLabels::default()));
    assert_eq!(h.points.len(), curve.months.len());
    assert!(h.points[1]
        .text(Locale::En, &same)
        .starts_with("Months as a customer 1.0 · Still a customer 80.0%"));
}

/// The bundled sample shop: orders, survey answers and churned customers.
fn shop_report() -> loyalty_analytics::Report {
    let mut ds = loyalty_analytics::Dataset::default();
    for name in ["orders.csv", "survey.csv", "churned.csv"] {
        let path = format!("{}/../../assets/sample/{name}", env!("CARGO_MANIFEST_DIR"));
        ds.add_file(name, &std::fs::read(path).unwrap()).unwrap();
    }
    loyalty_analytics::build_report(&ds)
}

#[test]
fn the_other_charts_return_points_too() {
    use loyalty_analytics::chart::{
        draw_cumulative_incidence, draw_loyalty_link, draw_reference_comparison, draw_rfm_grid,
        draw_seasonality, LinkMeasure,
    };
    let report = shop_report();
    let patterns = report.purchase_patterns.as_ref().unwrap();
    let (_, h) = svg(|a| draw_seasonality(a, &patterns.seasonality, &PatternLabels::default()));
    assert_eq!(h.points.len(), patterns.seasonality.len());
    assert!(h.points[0]
        .text(Locale::En, &same)
        .starts_with("Jan: Orders index "));
    let churn = report.churn.as_ref().unwrap();
    let (_, h) = svg(|a| draw_reference_comparison(a, &churn.reference, &ChurnLabels::default()));
    assert_eq!(h.points.len(), churn.reference.len());
    if let Some(risks) = &churn.competing_risks {
        let (_, h) = svg(|a| draw_cumulative_incidence(a, risks, &ChurnLabels::default()));
        assert_eq!(h.points.len(), risks.months.len());
        assert_eq!(h.points[0].values.len(), risks.curves.len() + 1);
    }
    let link = report
        .surveys
        .as_ref()
        .and_then(|s| s.loyalty_link.as_ref())
        .unwrap();
    let (_, h) = svg(|a| {
        draw_loyalty_link(
            a,
            &link.by_nps_group,
            LinkMeasure::RepeatRate,
            &NpsLabels::default(),
        )
    });
    let with_share = link
        .by_nps_group
        .iter()
        .filter(|g| g.repeat_rate.is_some())
        .count();
    assert_eq!(h.points.len(), with_share);
    // The RFM grid: cells of a column share their x, so the pointer finds
    // the cell itself, not merely its column.
    let grid = &report.clv.as_ref().unwrap().rfm.as_ref().unwrap().grid;
    let (_, h) = svg(|a| draw_rfm_grid(a, grid, &ClvLabels::default()));
    assert_eq!(h.points.len(), grid.len());
    for (i, p) in h.points.iter().enumerate() {
        assert_eq!(
            h.nearest(f64::from(p.x) + 3.0, f64::from(p.y) - 4.0, 0.0),
            Some(i)
        );
    }
}
