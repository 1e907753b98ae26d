//! Where files come in: a drop zone (keyboard-reachable), a file picker, and
//! the sample data button.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{
    use_drop_zone_with_options, UseDropZoneEvent, UseDropZoneOptions, UseDropZoneReturn,
};
use wasm_bindgen::JsCast;

use crate::components::input_files;
use crate::messages::Msg;

/// Drop zone, file input and "load sample data".
#[component]
pub fn DataIntake(
    /// The names of the files loaded so far: a drop adds to them.
    loaded: Signal<Vec<String>>,
    /// Called with the files the user dropped or picked (one or several).
    on_files: Callback<Vec<web_sys::File>>,
    /// Called when the user asks for the bundled sample.
    on_sample: Callback<()>,
) -> impl IntoView {
    let zone = NodeRef::<Div>::new();
    let UseDropZoneReturn {
        is_over_drop_zone, ..
    } = use_drop_zone_with_options(
        zone,
        UseDropZoneOptions::default().on_drop(move |event: UseDropZoneEvent| {
            if !event.files.is_empty() {
                on_files.run(event.files);
            }
        }),
    );
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input_files(&input);
        // Clearing lets the same file be picked again after a fix.
        input.set_value("");
        if !files.is_empty() {
            on_files.run(files);
        }
    };

    view! {
        <section class="intake" aria-label=tr!("Load data")>
            <div
                node_ref=zone
                class="drop-zone"
                class:over=move || is_over_drop_zone.get()
                data-testid="drop-zone"
                tabindex="0"
                role="group"
                aria-label=tr!("Drop exported files here")
            >
                <p class="drop-title" data-testid="drop-title">
                    {move || loaded.with(|names| if names.is_empty() {
                        crate::i18n::t("Drop your exports here").into_any()
                    } else {
                        view! {
                            {Msg::FilesLoaded { files: names.len() }.text()}
                            " "
                            <span translate="no">{names.join(", ")}</span>
                            {crate::i18n::t("; drop more to add them.").to_string()}
                        }
                        .into_any()
                    })}
                </p>
                <p class="drop-hint">{tr!("Orders, survey answers (NPS, CSAT, CES), customer and churn lists, per-customer summaries: CSV, TSV, text or Excel, as your system exports them. Columns are recognised by their names and values; several files at once are joined on the customer id.")}</p>
                <label class="button">
                    {tr!("Choose files…")}
                    <input type="file" multiple data-testid="file-input" class="visually-hidden" on:change=on_change />
                </label>
                <button type="button" class="button secondary" data-testid="load-sample" on:click=move |_| on_sample.run(())>
                    {tr!("Load sample data")}
                </button>
                <p class="sample-note">{tr!("Sample: a synthetic shop (invented data): 2,486 customers' orders 2024–2025, 1,202 survey answers, 2,000 customers with reasons for leaving.")}</p>
            </div>
        </section>
    }
}
