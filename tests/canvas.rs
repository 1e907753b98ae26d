//! In headless Chromium (wasm-bindgen-test): the app's canvas drawing path
//! puts the chart's pixels on a real `<canvas>`.
#![cfg(target_arch = "wasm32")]

use loyalty_analytics::display::Locale;
use loyalty_analytics::metrics::base::MonthlyActivity;
use loyalty_lens::charts::{draw_activity_chart, Target};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn month(m: &str, active: u64, revenue: f64) -> MonthlyActivity {
    MonthlyActivity {
        month: m.into(),
        active_customers: active,
        orders: active,
        revenue,
        complete: true,
    }
}

/// Pixels within `tolerance` of `rgb` in the canvas.
fn count_pixels(canvas: &HtmlCanvasElement, rgb: (u8, u8, u8), tolerance: u8) -> usize {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(0.0, 0.0, canvas.width().into(), canvas.height().into())
        .unwrap()
        .data();
    data.chunks_exact(4)
        .filter(|p| {
            p[0].abs_diff(rgb.0) <= tolerance
                && p[1].abs_diff(rgb.1) <= tolerance
                && p[2].abs_diff(rgb.2) <= tolerance
        })
        .count()
}

fn new_canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

#[wasm_bindgen_test]
fn activity_chart_draws_bars_and_line_on_a_real_canvas() {
    let canvas = new_canvas(800, 400);
    let months = [
        month("2024-01", 100, 50.0),
        month("2024-02", 60, 90.0),
        month("2024-03", 30, 20.0),
    ];
    let drawn = draw_activity_chart(&Target::Canvas(canvas.clone()), &months, Locale::En).unwrap();
    assert_eq!(drawn.hover.points.len(), 3);
    assert!(drawn.svg.is_none());

    // Bars: Okabe-Ito blue (0, 114, 178) at 85% over white = (38, 135, 190).
    let bar_pixels = count_pixels(&canvas, (38, 135, 190), 6);
    // Three bars about 0.76 of a 230 px slot wide, heights 100/60/30 of a ~310 px
    // plot: tens of thousands of pixels; a blank or failed draw gives none.
    assert!(bar_pixels > 20_000, "bar pixels: {bar_pixels}");
    // The revenue line in orange (230, 159, 0).
    let line_pixels = count_pixels(&canvas, (230, 159, 0), 30);
    assert!(line_pixels > 300, "line pixels: {line_pixels}");
}

#[wasm_bindgen_test]
fn more_customers_means_more_bar_pixels() {
    let small = new_canvas(800, 400);
    let large = new_canvas(800, 400);
    draw_activity_chart(
        &Target::Canvas(small.clone()),
        &[month("2024-01", 10, 1.0), month("2024-02", 100, 1.0)],
        Locale::En,
    )
    .unwrap();
    draw_activity_chart(
        &Target::Canvas(large.clone()),
        &[month("2024-01", 100, 1.0), month("2024-02", 100, 1.0)],
        Locale::En,
    )
    .unwrap();
    let blue = (38, 135, 190);
    // Same scale (max 100), one bar 10x taller: clearly more blue.
    assert!(count_pixels(&large, blue, 6) as f64 > 1.6 * count_pixels(&small, blue, 6) as f64);
}

#[wasm_bindgen_test]
fn the_same_chart_drawn_as_svg_on_the_page_has_its_labels_and_points() {
    let months = [month("2024-01", 100, 50.0), month("2024-02", 60, 90.0)];
    let canvas = new_canvas(960, 360);
    let on_canvas = draw_activity_chart(&Target::Canvas(canvas), &months, Locale::En).unwrap();
    let drawn = draw_activity_chart(
        &Target::Svg {
            width: 960,
            height: 360,
        },
        &months,
        Locale::En,
    )
    .unwrap();
    let svg = drawn.svg.unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    for label in ["2024-01", "2024-02", "Active customers", "Revenue"] {
        assert!(svg.contains(label), "missing {label}");
    }
    // Same size, same layout: the points are where the canvas has them.
    assert_eq!(drawn.hover, on_canvas.hover);
}
