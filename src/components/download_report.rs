//! The "download report" button: the same Report JSON the CLI prints.

use leptos::prelude::*;
use loyalty_analytics::Report;

/// Asks for the current Report as `loyalty-report.json`. The worker writes
/// the JSON (it has the Report already, and the page's wasm then needs no
/// serialiser for it); its answer is saved as the segment exports are.
#[component]
pub fn DownloadReport(
    /// The report on screen; the button is disabled without one.
    report: Signal<Option<Report>>,
    /// Sends the request for the JSON.
    on_save: Callback<()>,
) -> impl IntoView {
    let save = move |_| on_save.run(());
    view! {
        <button
            type="button"
            class="button"
            data-testid="download-report"
            disabled=move || report.with(Option::is_none)
            on:click=save
        >
            {tr!("Download report (JSON)")}
        </button>
    }
}
