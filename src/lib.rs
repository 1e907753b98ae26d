//! Loyalty Lens web app: wires dropped files, state and canvases to the pure
//! core in `loyalty-analytics`. No metric is computed here: the analysis
//! worker (`worker`, its own wasm) calls the core; the page draws its results.

#[macro_use]
mod i18n;
pub mod analysis;
pub mod charts;
mod components;
mod download;
mod file_chunks;
mod fmt;
mod helper;
mod kept;
mod messages;
pub mod protocol;
mod reading;
mod report_parts;
mod sample;
mod slicing;
mod storage;
mod summaries;
mod url_state;
pub mod worker;
mod worker_client;

/// Mounts the dashboard on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::app::App);
}
