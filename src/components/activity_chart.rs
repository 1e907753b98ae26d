//! The monthly activity chart on a canvas, redrawn whenever its series changes.

use leptos::html::Canvas;
use leptos::prelude::*;
use loyalty_analytics::metrics::base::MonthlyActivity;

use crate::analysis::now_ms;
use crate::charts::draw_activity_chart;

/// Active customers (bars) and revenue (line) per month.
#[component]
pub fn ActivityChart(
    /// One entry per month, first to last.
    months: Signal<Vec<MonthlyActivity>>,
    /// Called with the drawing time in milliseconds after each draw.
    on_rendered: Callback<f64>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let ready = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // Effect: the canvas is outside leptos' reactive DOM; sync it here.
    Effect::new(move |_| {
        let months = months.get();
        let Some(canvas) = canvas.get() else { return };
        ready.set(false);
        let started = now_ms();
        match draw_activity_chart(&canvas, &months) {
            Ok(()) => {
                failure.set(None);
                ready.set(true);
                on_rendered.run(now_ms() - started);
            }
            Err(e) => failure.set(Some(e.to_string())),
        }
    });
    let summary = move || {
        let months = months.get();
        match (months.first(), months.last()) {
            (Some(first), Some(last)) => format!(
                "Active customers and revenue per month, {} to {}, {} months.",
                first.month,
                last.month,
                months.len()
            ),
            _ => "No months to show.".to_string(),
        }
    };
    view! {
        <figure class="chart">
            <figcaption>"Active customers and revenue per month"</figcaption>
            <canvas
                node_ref=canvas
                width="960"
                height="360"
                data-chart="monthly_activity"
                data-ready=move || ready.get().to_string()
                role="img"
                aria-label=summary
            ></canvas>
            <Show when=move || failure.get().is_some()>
                <p class="chart-error">{move || failure.get()}</p>
            </Show>
        </figure>
    }
}
