//! How long the last analysis took, readable by people and by benchmarks.

use leptos::prelude::*;
use loyalty_analytics::SectionTiming;

/// The last run's parse, analysis and chart-drawing times in milliseconds,
/// and the analysis split by report section (slowest first), so a slow page
/// can be traced to the figure that costs the time.
#[component]
pub fn Timings(
    /// Reading and checking the rows.
    parse_ms: Signal<Option<f64>>,
    /// Computing the figures.
    analyze_ms: Signal<Option<f64>>,
    /// Drawing the charts.
    render_ms: Signal<Option<f64>>,
    /// The analysis time of each report section, in the order computed.
    sections: Signal<Vec<SectionTiming>>,
) -> impl IntoView {
    let item = move |id: &'static str, label: &'static str, value: Signal<Option<f64>>| {
        view! {
            <span data-metric=id data-value=move || value.get().map(|v| v.to_string()).unwrap_or_default()>
                {label} " " {move || value.get().map_or_else(|| "–".to_string(), |v| format!("{v:.0} ms"))}
            </span>
        }
    };
    let slowest_first = move || slowest_first(sections.get());
    view! {
        <div class="timings" aria-label=tr!("Timings of the last analysis")>
            <p>
                {item("parse_ms", "read", parse_ms)} " · "
                {item("analyze_ms", "analysis", analyze_ms)} " · "
                {item("render_ms", "charts", render_ms)}
            </p>
            <Show when=move || !sections.with(Vec::is_empty)>
                <details class="timing-sections">
                    <summary>{tr!("Analysis by section")}</summary>
                    <ol>
                        {move || {
                            slowest_first()
                                .into_iter()
                                .map(|s| {
                                    view! {
                                        <li data-timing=s.section.to_string() data-value=s.ms.to_string()>
                                            <span class="section-name">{s.section.to_string()}</span>
                                            " "
                                            <span class="section-ms">{format!("{:.1} ms", s.ms)}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                </details>
            </Show>
        </div>
    }
}

/// `sections` ordered by time taken, longest first; ties keep their order.
fn slowest_first(mut sections: Vec<SectionTiming>) -> Vec<SectionTiming> {
    sections.sort_by(|a, b| b.ms.total_cmp(&a.ms));
    sections
}
