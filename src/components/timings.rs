//! How long the last analysis took, readable by people and by benchmarks.

use crate::messages::Msg;
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
                {move || crate::i18n::t(label).to_string()} " " {move || value.get().map_or_else(|| "–".to_string(), |v| Msg::Milliseconds { ms: v, decimals: 0 }.text())}
            </span>
        }
    };
    let slowest_first = move || slowest_first(sections.get());
    // Closed by default: the timings are for whoever traces a slow page, not
    // for the reader of the figures.
    view! {
        <details class="timings" aria-label=tr!("Timings of the last analysis")>
            <summary>{tr!("Timings of the last analysis")}</summary>
            <p>
                {item("parse_ms", "reading", parse_ms)} " · "
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
                                            <span class="section-name">{crate::i18n::t(section_name(s.section.as_ref())).to_string()}</span>
                                            " "
                                            <span class="section-ms">{Msg::Milliseconds { ms: s.ms, decimals: 1 }.text()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                </details>
            </Show>
        </details>
    }
}

/// A report section's id as words (translated by the caller).
fn section_name(id: &str) -> &str {
    match id {
        "files" => "file accounting",
        "date_filter" => "date filter",
        "customer_index" => "customer index",
        "base" => "headline figures",
        "monthly_activity" => "monthly activity",
        "period_retention" => "retention per period",
        "cohorts" => "cohorts",
        "lifecycle" => "customer flows",
        "purchase_patterns" => "purchase patterns",
        "survival" => "customer lifetime",
        "segment_retention" => "retention by segment",
        "segment_survival" => "lifetime by segment",
        "programme" => "programme effect",
        "surveys" => "surveys",
        "clv" => "CLV model",
        "clv_segments" => "CLV segments",
        "history_segments" => "RFM, ABC/XYZ and simple CLV",
        "clv_by_customer" => "CLV per customer",
        "churn" => "churn causes",
        "assemble" => "assembling the report",
        "pareto_nbd_wait" => "waiting for the helper's Pareto/NBD fit",
        "pareto_nbd_complete" => "Pareto/NBD fit filled in",
        other => other,
    }
}

/// `sections` ordered by time taken, longest first; ties keep their order.
fn slowest_first(mut sections: Vec<SectionTiming>) -> Vec<SectionTiming> {
    sections.sort_by(|a, b| b.ms.total_cmp(&a.ms));
    sections
}
