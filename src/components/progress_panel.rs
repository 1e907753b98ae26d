//! While a run is under way: how far it has come, and a way to stop it.

use crate::fmt::grouped;
use leptos::prelude::*;

use crate::protocol::Progress;

fn megabytes(bytes: u64) -> String {
    grouped(bytes as f64 / 1e6, 1)
}

/// The progress bar, the rows and megabytes read, and Cancel.
#[component]
pub fn ProgressPanel(
    /// The latest progress report; `None` before the first one arrives.
    progress: Signal<Option<Progress>>,
    /// Called when the user cancels the run.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let text = move || match progress.get() {
        None => "Reading…".to_string(),
        Some(p) => format!(
            "Reading {}{}: {} rows, {} of {} MB",
            p.file,
            if p.files > 1 {
                format!(" (file {} of {})", p.file_number, p.files)
            } else {
                String::new()
            },
            grouped(p.rows_read as f64, 0),
            megabytes(p.bytes_read),
            megabytes(p.bytes_total),
        ),
    };
    view! {
        <div class="progress-panel" role="status" aria-live="polite">
            // Without a report yet the bar is indeterminate (no value).
            {move || match progress.get() {
                Some(p) => view! {
                    <progress data-testid="progress" max=p.bytes_total.max(1) value=p.bytes_read></progress>
                }.into_any(),
                None => view! { <progress data-testid="progress"></progress> }.into_any(),
            }}
            <span class="progress-text">{text}</span>
            <button type="button" class="button secondary" data-testid="cancel" on:click=move |_| on_cancel.run(())>
                {tr!("Cancel")}
            </button>
        </div>
    }
}
