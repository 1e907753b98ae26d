//! A plotters chart on a canvas, redrawn whenever what its `draw` reads changes.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::analysis::now_ms;

/// A figure with a canvas; `data-ready="true"` once drawn.
#[component]
pub fn CanvasChart(
    /// The chart id: `canvas[data-chart=<id>]`.
    chart_id: &'static str,
    /// The heading above the chart.
    caption: &'static str,
    /// The chart as text, for screen readers.
    #[prop(into)]
    summary: Signal<String>,
    /// Draws on the canvas; the signals it reads trigger redraws.
    draw: Callback<web_sys::HtmlCanvasElement, Result<(), String>>,
    /// Called with the drawing time in milliseconds after each draw.
    #[prop(optional)]
    on_rendered: Option<Callback<f64>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let ready = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // Effect: the canvas is outside leptos' reactive DOM; sync it here.
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        ready.set(false);
        let started = now_ms();
        match draw.run(canvas) {
            Ok(()) => {
                failure.set(None);
                ready.set(true);
                if let Some(done) = on_rendered {
                    done.run(now_ms() - started);
                }
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    view! {
        <figure class="chart">
            <figcaption>{move || crate::i18n::t(caption).to_string()}</figcaption>
            <canvas
                node_ref=canvas
                width="960"
                height="360"
                data-chart=chart_id
                data-ready=move || ready.get().to_string()
                role="img"
                aria-label=summary
            ></canvas>
            <button
                type="button"
                class="link export"
                data-testid="export-png"
                disabled=move || !ready.get()
                on:click=move |_| {
                    let saved = canvas
                        .get_untracked()
                        .ok_or_else(|| "no canvas".to_string())
                        .and_then(|c| c.to_data_url().map_err(|e| format!("{e:?}")))
                        .and_then(|url| crate::download::save_data_url(&format!("{chart_id}.png"), &url));
                    if let Err(e) = saved {
                        failure.set(Some(e));
                    }
                }
            >
                {tr!("PNG")}
            </button>
            <Show when=move || failure.get().is_some()>
                <p class="chart-error">{move || failure.get()}</p>
            </Show>
        </figure>
    }
}
