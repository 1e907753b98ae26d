//! Loyalty Lens web app: wires dropped files, state and canvases to the pure
//! core in `loyalty-analytics`. No metric is computed here.

pub mod analysis;
pub mod charts;
mod components;
mod download;

/// Mounts the dashboard on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::app::App);
}
