//! The loaded set on the overview: each file with what it was read as and
//! its rows, a button to remove it, and one to clear them all. Files add up:
//! a drop adds to this list, and the figures are those of every file in it.

use leptos::prelude::*;
use loyalty_analytics::ingest::RecordKind;

use crate::messages::Msg;

/// One file of the loaded set, as the last finished reading saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedEntry {
    pub name: String,
    /// What it was read as and its rows; `None`: not read (yet).
    pub read: Option<(RecordKind, u64)>,
}

#[component]
pub fn LoadedFiles(
    /// The loaded set, in the order the files came.
    files: Signal<Vec<LoadedEntry>>,
    /// A run is under way: files not read yet are being read.
    running: Signal<bool>,
    /// Called with a file's position in the set.
    on_remove: Callback<usize>,
    on_clear: Callback<()>,
) -> impl IntoView {
    view! {
        <section class="loaded-files" aria-label=tr!("Loaded files") data-testid="loaded-files">
            <ul>
                {move || {
                    files
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, file)| {
                            let read = file.read;
                            let name = file.name;
                            let (row, shown) = (name.clone(), name.clone());
                            let what = move || match read {
                                Some((kind, rows)) => Msg::FileRead {
                                    kind: kind.describe_in(crate::i18n::lang().locale()),
                                    rows,
                                }
                                .text(),
                                None if running.get() => crate::i18n::t("Reading…").to_string(),
                                None => crate::i18n::t("not read").to_string(),
                            };
                            view! {
                                <li data-testid="loaded-file" data-file=row>
                                    <span class="loaded-name" translate="no">{shown}</span>
                                    " "
                                    <span class="loaded-what">{what}</span>
                                    " "
                                    <button
                                        type="button"
                                        class="link-button"
                                        data-testid="remove-file"
                                        data-file=name
                                        on:click=move |_| on_remove.run(i)
                                    >
                                        {tr!("Remove")}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <button type="button" class="button secondary" data-testid="clear-files" on:click=move |_| on_clear.run(())>
                {tr!("Clear all")}
            </button>
        </section>
    }
}
