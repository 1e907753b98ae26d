//! What the reader decided about a file's columns that the user should know
//! (a role its values refused, cells left blank, tenure read in years), one
//! sentence each in the page's language.

use leptos::prelude::*;
use loyalty_analytics::ingest::FileNote;

/// The notes of one file as a list; nothing when it has none.
#[component]
pub fn FileNotes(
    /// The file's name, as `data-file` on each note.
    file: String,
    /// Its notes, as the core gives them.
    notes: Vec<FileNote>,
    /// `data-testid` of each note (`file-note` on the overview).
    testid: &'static str,
) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <ul class="file-notes">
                {notes
                    .into_iter()
                    .map(|note| {
                        view! {
                            <li data-testid=testid data-file=file.clone()>
                                {move || note.describe_in(crate::i18n::lang().locale())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
