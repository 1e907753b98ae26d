//! One page of the dashboard: its `<main data-page>`, hidden unless it is
//! the page shown, and whether it has been shown yet ([`PageSeen`]), which
//! the tables inside it read.

use leptos::context::Provider;
use leptos::prelude::*;

use super::page_nav::Page;
use super::sortable_table::PageSeen;

#[component]
pub fn PageMain(
    /// Which page this is (its `data-page`).
    page: Page,
    /// The page shown now.
    current: Signal<Page>,
    children: Children,
) -> impl IntoView {
    // Once shown, it stays "seen": its tables keep their rows.
    let seen =
        Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || current.get() == page);
    view! {
        <main data-page=page.id() hidden=move || current.get() != page>
            <Provider value=PageSeen(seen.into())>{children()}</Provider>
        </main>
    }
}
