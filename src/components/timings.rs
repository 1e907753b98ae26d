//! How long the last analysis took, readable by people and by benchmarks.

use leptos::prelude::*;

/// The last run's parse, analysis and chart-drawing times in milliseconds.
#[component]
pub fn Timings(
    /// Reading and checking the rows.
    parse_ms: Signal<Option<f64>>,
    /// Computing the figures.
    analyze_ms: Signal<Option<f64>>,
    /// Drawing the charts.
    render_ms: Signal<Option<f64>>,
) -> impl IntoView {
    let item = move |id: &'static str, label: &'static str, value: Signal<Option<f64>>| {
        view! {
            <span data-metric=id data-value=move || value.get().map(|v| v.to_string()).unwrap_or_default()>
                {label} " " {move || value.get().map_or_else(|| "–".to_string(), |v| format!("{v:.0} ms"))}
            </span>
        }
    };
    view! {
        <p class="timings" aria-label=tr!("Timings of the last analysis")>
            {item("parse_ms", "read", parse_ms)} " · "
            {item("analyze_ms", "analysis", analyze_ms)} " · "
            {item("render_ms", "charts", render_ms)}
        </p>
    }
}
