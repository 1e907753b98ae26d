//! The CLV charts drawn on plotters' SVG backend (the same functions the
//! browser calls with the canvas backend): what must be on each.

use loyalty_analytics::chart::{
    draw_clv_distribution, draw_holdout_by_frequency, draw_rfm_grid, draw_tracking, ClvLabels,
};
use loyalty_analytics::models::clv::distribution;
use loyalty_analytics::models::holdout::{FrequencyGroup, TrackingPoint};
use loyalty_analytics::models::rfm::{GridCell, RfmSegment};
use plotters::prelude::*;

fn svg<T>(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> T) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (800, 480)).into_drawing_area();
        draw(&area);
    }
    out
}

/// Filled rectangles of a colour taller than `min_height` px (legend swatches are 12).
fn bars(svg: &str, colour: &str, min_height: f64) -> usize {
    svg.lines()
        .filter(|l| l.contains("<rect") && l.contains(&format!("fill=\"{colour}\"")))
        .filter(|l| {
            let start = l.find(" height=\"").unwrap() + 9;
            let end = start + l[start..].find('"').unwrap();
            l[start..end].parse::<f64>().unwrap() > min_height
        })
        .count()
}

/// A text element with exactly this content (the SVG backend writes the
/// text on its own line).
fn has_text(svg: &str, text: &str) -> bool {
    svg.lines().any(|l| l.trim() == text)
}

const BLUE: &str = "#0072B2";
const ORANGE: &str = "#E69F00";

#[test]
fn holdout_bars_pair_actual_and_model_per_frequency() {
    let groups: Vec<FrequencyGroup> = (0..8)
        .map(|f| FrequencyGroup {
            frequency: f,
            customers: 10,
            actual_mean: 0.5 + f64::from(f),
            predicted_mean: 0.4 + f64::from(f),
        })
        .collect();
    let out = svg(|a| draw_holdout_by_frequency(a, &groups, &ClvLabels::default()).unwrap());
    assert_eq!(bars(&out, BLUE, 12.5), 8);
    assert_eq!(bars(&out, ORANGE, 12.5), 8);
    assert!(has_text(&out, "7+"), "the last group is labelled 7+");
    assert!(out.contains("Repeat purchases in calibration"));
    // Empty input: a frame, no bars, no panic.
    let empty = svg(|a| draw_holdout_by_frequency(a, &[], &ClvLabels::default()).unwrap());
    assert_eq!(bars(&empty, BLUE, 12.5), 0);
}

#[test]
fn tracking_draws_two_lines_and_the_calibration_marker() {
    let points: Vec<TrackingPoint> = (0..78)
        .map(|w| TrackingPoint {
            week: w,
            actual: f64::from(w) * 50.0,
            predicted: f64::from(w) * 48.0,
        })
        .collect();
    let out = svg(|a| draw_tracking(a, &points, 38, &ClvLabels::default()).unwrap());
    let lines = |colour: &str| {
        out.lines()
            .filter(|l| l.contains("<polyline") && l.contains(&format!("stroke=\"{colour}\"")))
            .count()
    };
    assert_eq!(lines(BLUE), 1);
    assert_eq!(lines(ORANGE), 1);
    assert!(out.contains("end of calibration"));
    let _ = svg(|a| draw_tracking(a, &[], 0, &ClvLabels::default()).unwrap());
}

#[test]
fn rfm_grid_names_every_cell_in_the_chosen_language() {
    let grid: Vec<GridCell> = (1..=5u8)
        .rev()
        .flat_map(|r| {
            (1..=5u8).map(move |fm| GridCell {
                r,
                fm,
                segment: RfmSegment::from_scores(r, fm),
                customers: u64::from(r) * 10 + u64::from(fm),
                revenue: 0.0,
            })
        })
        .collect();
    let labels = ClvLabels {
        segment_name: RfmSegment::name_ru,
        ..ClvLabels::default()
    };
    let out = svg(|a| draw_rfm_grid(a, &grid, &labels).unwrap());
    assert_eq!(bars(&out, BLUE, 20.0), 25);
    assert!(has_text(&out, "Чемпионы") && has_text(&out, "Потерянные"));
    // Counts: R5 FM5 = 55, R1 FM1 = 11.
    assert!(has_text(&out, "55") && has_text(&out, "11"));
}

#[test]
fn clv_distribution_has_a_bar_per_non_empty_bin() {
    // 0, 1, ..., 99: p99 = 98.01; 20 bins of 4.9005; every bin holds 4-6 values.
    let values: Vec<f64> = (0..100).map(f64::from).collect();
    let d = distribution(&values).unwrap();
    assert_eq!(d.bins.len(), 20);
    assert_eq!(d.bins.iter().map(|b| b.customers).sum::<u64>(), 100);
    let out = svg(|a| draw_clv_distribution(a, &d, &ClvLabels::default()).unwrap());
    assert_eq!(bars(&out, BLUE, 0.5), 20);
    assert!(has_text(&out, "CLV"));
}

/// 24 months, the window 13-24: 12 blue bars and 12 grey ones, the
/// axis in the chart's language.
#[test]
fn clv_by_month_marks_the_window() {
    use loyalty_analytics::chart::draw_clv_by_month;
    use loyalty_analytics::display::Locale;
    use loyalty_analytics::models::clv_months::MonthValue;
    let months: Vec<MonthValue> = (1..=24)
        .map(|m| MonthValue {
            month: m,
            expected_purchases: 100.0 - f64::from(m),
            clv: Some(5000.0 - 50.0 * f64::from(m)),
            in_window: m >= 13,
        })
        .collect();
    let out = svg(|a| draw_clv_by_month(a, &months, &ClvLabels::default()).unwrap());
    assert_eq!(bars(&out, BLUE, 10.0), 12);
    assert_eq!(bars(&out, "#606060", 10.0), 12);
    assert!(has_text(&out, "Month ahead"));
    let ru = svg(|a| draw_clv_by_month(a, &months, &ClvLabels::for_locale(Locale::Ru)).unwrap());
    assert!(has_text(&ru, "Месяц вперёд"));
}
