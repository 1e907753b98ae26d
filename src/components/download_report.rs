//! The "download report" button: the same Report JSON the CLI prints.

use leptos::prelude::*;
use loyalty_analytics::Report;

use crate::download::save_text;

/// Saves the current Report as `loyalty-report.json`.
#[component]
pub fn DownloadReport(
    /// The report to save; the button is disabled without one.
    report: Signal<Option<Report>>,
) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(report) = report.get_untracked() else {
            return;
        };
        let result = serde_json::to_string_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|json| save_text("loyalty-report.json", "application/json", &json));
        failure.set(result.err());
    };
    view! {
        <button
            type="button"
            class="button"
            data-testid="download-report"
            disabled=move || report.get().is_none()
            on:click=save
        >
            {tr!("Download report (JSON)")}
        </button>
        <Show when=move || failure.get().is_some()>
            <span class="chart-error">{move || failure.get()}</span>
        </Show>
    }
}
