//! The opt-in "keep my files on this computer" box beside the loaded set,
//! and "forget my files". The copies live in this browser's private file
//! system (see `crate::kept`); the box is disabled, with the reason, where
//! the browser has none.

use leptos::prelude::*;
use loyalty_analytics::ingest::ReadOptions;

use crate::kept::{self, KEEP_KEY};
use crate::messages::Msg;
use crate::storage::{store, stored};

/// The choice to keep the loaded set, and the state of the kept copies.
#[derive(Clone, Copy)]
pub struct KeptFiles {
    /// The box is ticked: the loaded set is kept.
    keep: RwSignal<bool>,
    /// The kept set was read back (or there was none to read), so saving
    /// may replace it.
    ready: RwSignal<bool>,
    /// The last failure to keep or read back the files, as the browser put it.
    error: RwSignal<Option<String>>,
    /// The browser can keep files for the page.
    available: bool,
}

impl KeptFiles {
    /// Keeps `files` (with their reading options) in step with the browser's
    /// private file system while the box is ticked, and reads the kept set
    /// back when the page opens; `on_restored` runs once a kept set is back
    /// in `files`, to read it.
    pub fn wire(
        files: RwSignal<Vec<web_sys::File>, LocalStorage>,
        read_options: RwSignal<Vec<ReadOptions>>,
        on_restored: impl Fn() + 'static,
    ) -> Self {
        let available = kept::available();
        let keep = RwSignal::new(available && stored(KEEP_KEY).as_deref() == Some("1"));
        let this = KeptFiles {
            keep,
            ready: RwSignal::new(!keep.get_untracked()),
            error: RwSignal::new(None),
            available,
        };
        Effect::new(move |_| {
            let (set, options) = (files.get(), read_options.get());
            if this.keep.get() && this.ready.get() {
                kept::sync(set, options, this.on_saved());
            }
        });
        if keep.get_untracked() {
            leptos::task::spawn_local(async move {
                match kept::load().await {
                    Ok((set, options)) => {
                        // A drop made while reading back wins over the kept set.
                        if !set.is_empty() && files.with_untracked(Vec::is_empty) {
                            files.set(set);
                            read_options.set(options);
                            on_restored();
                        }
                        this.ready.set(true);
                    }
                    // Not ready: a failed reading back must not erase the copies.
                    Err(e) => this.error.set(Some(e)),
                }
            });
        }
        this
    }

    fn on_saved(self) -> impl Fn(Result<(), String>) + 'static {
        move |result| self.error.set(result.err())
    }

    /// Ticks or unticks the box; unticking forgets the kept copies.
    fn set_keep(self, on: bool) {
        store(KEEP_KEY, if on { "1" } else { "0" });
        self.error.set(None);
        if !on {
            kept::sync(Vec::new(), Vec::new(), self.on_saved());
        }
        self.ready.set(true);
        self.keep.set(on);
    }

    /// The box is ticked.
    pub fn kept(self) -> bool {
        self.keep.get()
    }
}

#[component]
pub fn KeepFiles(
    /// The choice and the state of the kept copies (`KeptFiles::wire`).
    state: KeptFiles,
) -> impl IntoView {
    let KeptFiles {
        keep,
        error,
        available,
        ..
    } = state;
    view! {
        <section class="keep-files" aria-label=tr!("Keep my files on this computer")>
            <label>
                <input
                    type="checkbox"
                    data-testid="keep-files"
                    disabled=!available
                    prop:checked=move || keep.get()
                    on:change=move |ev| state.set_keep(event_target_checked(&ev))
                />
                " "
                {tr!("Keep my files on this computer")}
            </label>
            {(!available).then(|| view! {
                <p class="note" data-testid="keep-unavailable">
                    {tr!("This browser does not let the page store files, so they cannot be kept.")}
                </p>
            })}
            <Show when=move || keep.get()>
                " "
                <button type="button" class="link-button" data-testid="forget-files" on:click=move |_| state.set_keep(false)>
                    {tr!("Forget my files")}
                </button>
                <p class="note">{tr!("They stay in this browser only and are never sent anywhere.")}</p>
            </Show>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="keep-error">{move || Msg::KeepFailed { error: &e }.text()}</p>
            })}
        </section>
    }
}
