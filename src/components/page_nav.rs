//! The page links: overview, retention, surveys, CLV, churn, data quality.

use leptos::prelude::*;

/// One page of the dashboard; its id is the `data-page` / `data-nav` value
/// and the URL hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Retention,
    Surveys,
    Clv,
    Churn,
    Quality,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Overview,
        Page::Retention,
        Page::Surveys,
        Page::Clv,
        Page::Churn,
        Page::Quality,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Retention => "retention",
            Page::Surveys => "surveys",
            Page::Clv => "clv",
            Page::Churn => "churn",
            Page::Quality => "quality",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Retention => "Retention",
            Page::Surveys => "NPS & CSAT",
            Page::Clv => "CLV & segments",
            Page::Churn => "Churn causes",
            Page::Quality => "Data quality",
        }
    }

    /// The page a URL hash names (`#surveys`), if any.
    pub fn from_hash(hash: &str) -> Option<Page> {
        // "#retention&period=quarter": the page is the first part.
        let id = hash.trim_start_matches('#').split('&').next().unwrap_or("");
        Page::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// The page shown when the address names none.
pub fn initial_page() -> Page {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| Page::from_hash(&h))
        .unwrap_or(Page::Overview)
}

/// Links to every page; the current one is marked for people and screen readers.
#[component]
pub fn PageNav(
    /// The page shown; a click changes it (and the URL hash, so links and
    /// the back button work).
    page: RwSignal<Page>,
) -> impl IntoView {
    // Back and Forward (each page is a history step: see the app's address
    // effect), and links that name a page, change the hash alone.
    let to_address = move || {
        if let Some(p) = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .and_then(|h| Page::from_hash(&h))
        {
            if page.get_untracked() != p {
                page.set(p);
            }
        }
    };
    let hash = window_event_listener(leptos::ev::hashchange, move |_| to_address());
    let pop = window_event_listener(leptos::ev::popstate, move |_| to_address());
    on_cleanup(move || {
        hash.remove();
        pop.remove();
    });
    view! {
        <nav class="pages" aria-label=tr!("Pages")>
            {Page::ALL
                .into_iter()
                .map(|p| {
                    view! {
                        <a
                            href=format!("#{}", p.id())
                            data-nav=p.id()
                            aria-current=move || (page.get() == p).then_some("page")
                            on:click=move |ev: leptos::ev::MouseEvent| {
                                // A plain click switches here (the app pushes
                                // the history step); a modified one opens the
                                // link as the browser would.
                                if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                                    ev.prevent_default();
                                    page.set(p);
                                }
                            }
                        >
                            {move || crate::i18n::t(p.title()).to_string()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
