//! A plotters chart on a canvas, redrawn whenever what its `draw` reads
//! changes, with a readout of the point under the pointer (or chosen with
//! the arrow keys) and PNG and SVG downloads.

use leptos::html::Canvas;
use leptos::prelude::*;
use loyalty_analytics::chart::ChartId;
use loyalty_analytics::chart::HoverMap;

use crate::analysis::now_ms;
use crate::charts::{Drawn, Target};

/// The canvas' drawing size in pixels; the SVG download has the same size.
const WIDTH: u32 = 960;
const HEIGHT: u32 = 360;

/// Pixels around the plotting area where the pointer still reads a point.
const SLACK: f64 = 12.0;

/// Canvas pixels per CSS pixel of the canvas as laid out (1 when unknown).
fn scale(canvas: &web_sys::HtmlCanvasElement) -> (f64, f64) {
    let css = |client: i32, pixels: u32| {
        if client > 0 {
            f64::from(pixels) / f64::from(client)
        } else {
            1.0
        }
    };
    (
        css(canvas.client_width(), canvas.width()),
        css(canvas.client_height(), canvas.height()),
    )
}

/// A figure with a canvas; `data-ready="true"` once drawn.
#[component]
pub fn CanvasChart(
    /// The chart (catalogue): its id is `canvas[data-chart=<id>]` and the
    /// download's file name, its caption the heading above it.
    chart: ChartId,
    /// The chart as text, for screen readers.
    #[prop(into)]
    summary: Signal<String>,
    /// Draws the chart on a target: the canvas (the signals it reads then
    /// trigger redraws) or SVG for the download. Gives the hover points.
    draw: Callback<Target, Result<Drawn, String>>,
    /// Called with the drawing time in milliseconds after each draw.
    #[prop(optional)]
    on_rendered: Option<Callback<f64>>,
) -> impl IntoView {
    let chart_id = chart.id();
    let canvas = NodeRef::<Canvas>::new();
    let ready = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let hover = RwSignal::new(HoverMap::default());
    // The point read out, and where it is in CSS pixels of the canvas.
    let active = RwSignal::new(None::<usize>);
    let at = RwSignal::new((0.0f64, 0.0f64, false));
    // Effect: the canvas is outside leptos' reactive DOM; sync it here.
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        ready.set(false);
        let started = now_ms();
        match draw.run(Target::Canvas(canvas)) {
            Ok(drawn) => {
                failure.set(None);
                active.set(None);
                hover.set(drawn.hover);
                ready.set(true);
                if let Some(done) = on_rendered {
                    done.run(now_ms() - started);
                }
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    // Shows point `i` (when there is one) at its place on the canvas.
    let show = move |i: Option<usize>| {
        let place = canvas.get_untracked().and_then(|c| {
            let (sx, sy) = scale(&c);
            hover.with_untracked(|h| {
                i.and_then(|i| h.points.get(i))
                    // The readout opens to the left on the right half.
                    .map(|p| {
                        (
                            f64::from(p.x) / sx,
                            f64::from(p.y) / sy,
                            p.x > WIDTH as i32 / 2,
                        )
                    })
            })
        });
        match place {
            Some(place) => {
                at.set(place);
                active.set(i);
            }
            None => active.set(None),
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        let (sx, sy) = scale(&c);
        let (x, y) = (f64::from(ev.offset_x()) * sx, f64::from(ev.offset_y()) * sy);
        show(hover.with_untracked(|h| h.nearest(x, y, SLACK)));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let count = hover.with_untracked(|h| h.points.len());
        if count == 0 {
            return;
        }
        let current = active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => current.map_or(0, |i| (i + 1).min(count - 1)),
            "ArrowLeft" | "ArrowDown" => current.map_or(0, |i| i.saturating_sub(1)),
            "Home" => 0,
            "End" => count - 1,
            "Escape" => {
                show(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        show(Some(next));
    };
    let readout = move || {
        let locale = crate::i18n::lang().locale();
        active.get().and_then(|i| {
            hover.with(|h| {
                h.points
                    .get(i)
                    // The chart named its series in the page's language already.
                    .map(|p| p.text(locale, &|s| s.to_string()))
            })
        })
    };
    let save_svg = move |_| {
        let drawn = untrack(|| {
            draw.run(Target::Svg {
                width: WIDTH,
                height: HEIGHT,
            })
        });
        let saved = drawn.and_then(|d| {
            let svg = d.svg.ok_or_else(|| "no SVG was drawn".to_string())?;
            crate::download::save_text(&format!("{chart_id}.svg"), "image/svg+xml", &svg)
        });
        if let Err(e) = saved {
            failure.set(Some(e));
        }
    };
    view! {
        <figure class="chart">
            <figcaption>{move || chart.caption(crate::i18n::lang().locale())}</figcaption>
            <div class="chart-frame">
                <canvas
                    node_ref=canvas
                    width=WIDTH
                    height=HEIGHT
                    data-chart=chart_id
                    data-ready=move || ready.get().to_string()
                    role="img"
                    aria-label=summary
                    tabindex="0"
                    on:pointermove=on_move
                    on:pointerleave=move |_| show(None)
                    on:keydown=on_key
                    on:focus=move |_| {
                        if active.get_untracked().is_none() {
                            show(Some(0));
                        }
                    }
                    on:blur=move |_| show(None)
                ></canvas>
                <span class="chart-marker" aria-hidden="true" hidden=move || active.get().is_none()
                    style:left=move || format!("{:.1}px", at.get().0)
                    style:top=move || format!("{:.1}px", at.get().1)
                ></span>
                <output
                    class="chart-readout"
                    class:flip=move || at.get().2
                    data-testid="chart-readout"
                    aria-live="polite"
                    hidden=move || active.get().is_none()
                    style:left=move || format!("{:.1}px", at.get().0)
                    style:top=move || format!("{:.1}px", at.get().1)
                >
                    {readout}
                </output>
            </div>
            <div class="chart-actions">
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
                <button
                    type="button"
                    class="link export"
                    data-testid="export-svg"
                    disabled=move || !ready.get()
                    on:click=save_svg
                >
                    {tr!("SVG")}
                </button>
            </div>
            <Show when=move || failure.get().is_some()>
                <p class="chart-error">{move || failure.get()}</p>
            </Show>
        </figure>
    }
}
