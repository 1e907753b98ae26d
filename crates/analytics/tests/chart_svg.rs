//! The activity chart drawn natively on plotters' SVG backend: the same
//! function the browser calls with the canvas backend.

use loyalty_analytics::chart::{draw_monthly_activity, ActivityLabels};
use loyalty_analytics::metrics::base::MonthlyActivity;
use plotters::prelude::*;

fn month(m: &str, active: u64, revenue: f64) -> MonthlyActivity {
    MonthlyActivity {
        month: m.into(),
        active_customers: active,
        orders: active,
        revenue,
        complete: true,
    }
}

fn render(months: &[MonthlyActivity]) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_monthly_activity(&area, months, &ActivityLabels::default()).unwrap();
    }
    svg
}

/// A filled rectangle of the SVG: position, height and opacity.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    height: f64,
    opacity: f64,
}

/// The rectangles filled with `colour`, taller than the legend's 12 px swatches.
fn rects(svg: &str, colour: &str) -> Vec<Rect> {
    svg.lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{colour}\"")))
        .map(|l| {
            let attr = |name: &str| -> f64 {
                let start = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                let end = start + l[start..].find('"').unwrap();
                l[start..end].parse().unwrap()
            };
            Rect {
                x: attr("x"),
                y: attr("y"),
                height: attr("height"),
                opacity: attr("opacity"),
            }
        })
        .filter(|r| r.height > 12.5)
        .collect()
}

/// (x, height, opacity) of every bar of the activity chart.
fn bars(svg: &str) -> Vec<(f64, f64, f64)> {
    rects(svg, "#0072B2")
        .into_iter()
        .map(|r| (r.x, r.height, r.opacity))
        .collect()
}

#[test]
fn one_bar_per_month_with_heights_proportional_to_active_customers() {
    let months = [
        month("2024-01", 100, 50.0),
        month("2024-02", 50, 80.0),
        month("2024-03", 25, 20.0),
    ];
    let svg = render(&months);
    let mut found = bars(&svg);
    assert_eq!(found.len(), 3, "{svg}");
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (h1, h2, h3) = (found[0].1, found[1].1, found[2].1);
    assert!((h2 / h1 - 0.5).abs() < 0.03, "{h1} {h2}");
    assert!((h3 / h1 - 0.25).abs() < 0.03, "{h1} {h3}");
    for label in [
        "2024-01",
        "2024-02",
        "2024-03",
        "Active customers",
        "Revenue",
    ] {
        assert!(svg.contains(label), "missing {label}");
    }
    // The revenue line is drawn in the second palette colour.
    assert!(svg.contains("#E69F00"));
}

#[test]
fn empty_series_draws_a_frame_without_failing() {
    let svg = render(&[]);
    assert!(svg.starts_with("<svg"));
    assert!(bars(&svg).is_empty());
}

#[test]
fn partial_months_are_drawn_lighter() {
    let mut months = [month("2024-01", 100, 50.0), month("2024-02", 40, 80.0)];
    months[1].complete = false;
    let mut found = bars(&render(&months));
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(found.len(), 2);
    assert!(found[1].2 < found[0].2 / 2.0, "{found:?}");
}

#[test]
fn survival_curve_steps_down_through_the_median_line() {
    use loyalty_analytics::chart::{draw_survival, SurvivalLabels};
    use loyalty_analytics::metrics::survival::kaplan_meier;
    let curve = kaplan_meier(&[
        (1.0, true),
        (2.0, false),
        (3.0, true),
        (3.0, true),
        (5.0, false),
    ]);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
        draw_survival(&area, &curve, &SurvivalLabels::default()).unwrap();
    }
    // The curve (blue polyline), the band (a filled polygon) and the median guide (orange).
    assert!(
        svg.contains("<polyline") && svg.contains("#0072B2"),
        "{svg}"
    );
    assert!(svg.contains("<polygon"));
    assert!(svg.contains("#E69F00"));
    assert!(svg.contains("Months as a customer") && svg.contains("50%"));
}

#[test]
fn lifecycle_bars_stack_above_zero_and_lost_hangs_below() {
    use loyalty_analytics::chart::{draw_lifecycle, LifecycleLabels};
    use loyalty_analytics::metrics::lifecycle::LifecyclePeriod;
    let p = |period: &str, new, retained, resurrected, lost| LifecyclePeriod {
        period: period.into(),
        active: new + retained + resurrected,
        new,
        retained,
        resurrected,
        lost,
    };
    let periods = [
        p("2024-01", 10, 0, 0, 0),
        p("2024-02", 4, 6, 0, 4),
        p("2024-03", 2, 5, 1, 5),
    ];
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_lifecycle(&area, &periods, &LifecycleLabels::default()).unwrap();
    }
    // "New" bars in Okabe-Ito green, "lost" in vermilion; the two lost bars
    // hang from the zero line, so they share their top edge.
    let rects = |colour: &str| -> Vec<(f64, f64)> {
        rects(&svg, colour)
            .iter()
            .map(|r| (r.y, r.height))
            .collect()
    };
    let lost = rects("#D55E00");
    assert_eq!(lost.len(), 2, "{svg}");
    assert_eq!(lost[0].0, lost[1].0);
    assert!((lost[0].1 - lost[1].1 * 4.0 / 5.0).abs() < 2.0);
    // New: 10, 4, 2 customers, drawn in period order, all standing on zero.
    let new = rects("#009E73");
    assert_eq!(new.len(), 3);
    assert!((new[1].1 / new[0].1 - 0.4).abs() < 0.03 && (new[2].1 / new[0].1 - 0.2).abs() < 0.03);
    // New bars end on the zero line, where lost bars start.
    assert!((new[0].0 + new[0].1 - lost[0].0).abs() < 1.5);
}

/// The NPS distribution: one bar per score in its group's colour, heights in
/// proportion to the answers, and the share bar above split by group.
#[test]
fn nps_distribution_bars_follow_the_answers() {
    use loyalty_analytics::chart::{draw_nps_distribution, NpsLabels};
    // Scores 0..=10: 1 zero, 2 sixes, 3 sevens, 4 nines, 5 tens.
    let distribution = [1, 0, 0, 0, 0, 0, 2, 3, 0, 4, 5];
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_nps_distribution(&area, &distribution, &NpsLabels::default()).unwrap();
    }
    let in_plot = |colour: &str| -> Vec<Rect> {
        rects(&svg, colour)
            .into_iter()
            .filter(|r| r.y > 44.0)
            .collect()
    };
    let promoters = in_plot("#009E73");
    let detractors = in_plot("#D55E00");
    assert_eq!(promoters.len(), 2);
    assert_eq!(detractors.len(), 2);
    assert!((promoters[1].height / promoters[0].height - 5.0 / 4.0).abs() < 0.02);
    assert!((detractors[1].height / detractors[0].height - 2.0).abs() < 0.05);
    // The share bar: detractors 3/15, passives 3/15, promoters 9/15 of its width.
    let share_bar = |colour: &str| -> f64 {
        svg.lines()
            .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{colour}\"")))
            .find(|l| l.contains(" y=\"10\""))
            .map(|l| {
                let start = l.find(" width=\"").unwrap() + 8;
                l[start..start + l[start..].find('"').unwrap()]
                    .parse::<f64>()
                    .unwrap()
            })
            .unwrap()
    };
    let (d, p) = (share_bar("#D55E00"), share_bar("#009E73"));
    assert!((p / d - 3.0).abs() < 0.05, "{p} / {d}");
}

/// The retention page charts draw on SVG from real figures without error,
/// with one bar per bucket and one line per cohort plus the average.
#[test]
fn retention_page_charts_draw_from_the_cdnow_sample() {
    use loyalty_analytics::chart::{
        draw_cohort_curves, draw_distribution, draw_seasonality, PatternLabels,
    };
    let sample = include_bytes!("../../../assets/cdnow_sample.txt");
    let mut ds = loyalty_analytics::Dataset::default();
    ds.add_file("cdnow_sample.txt", sample).unwrap();
    let report = loyalty_analytics::build_report(&ds);
    let patterns = report.purchase_patterns.as_ref().unwrap();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_distribution(
            &area,
            &patterns.orders_per_customer,
            "Orders",
            "Customers",
            &PatternLabels::default(),
        )
        .unwrap();
    }
    let bars = svg
        .lines()
        .filter(|l| l.contains("<rect") && l.contains("fill=\"#0072B2\""))
        .count();
    assert_eq!(bars, patterns.orders_per_customer.len());
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_cohort_curves(&area, &report.cohorts, &PatternLabels::default()).unwrap();
    }
    let lines = |colour: &str| {
        svg.lines()
            .filter(|l| l.contains("<polyline") && l.contains(&format!("stroke=\"{colour}\"")))
            .count()
    };
    assert_eq!(lines("#606060"), report.cohorts.cohorts.len());
    assert_eq!(lines("#0072B2"), 1);
    // The sample spans 18 months: a seasonality index needs 12 complete ones.
    assert_eq!(patterns.seasonality.len(), 12);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw_seasonality(&area, &patterns.seasonality, &PatternLabels::default()).unwrap();
    }
    assert!(svg.contains("Jan") && svg.contains("Dec"));
}
