//! The overview's account of each file: what it was read as and what each
//! role came from ("orders.csv — customers: Customer id ← CustomerID · …"),
//! the reader's notes, and a way to the file's mapping panel.

use leptos::prelude::*;
use loyalty_analytics::ingest::FileSummary;

use super::file_notes::FileNotes;

/// "orders.csv — transactions: Customer id ← client · Date ← day", in the
/// page's language.
fn read_as_line(file: &FileSummary) -> String {
    format!(
        "{} — {}",
        file.file,
        file.read_as(crate::i18n::lang().locale())
    )
}

/// One line per read file, its notes, and "Change columns".
#[component]
pub fn ReadAsList(
    /// The files of the last analysis, in the report's order.
    files: Signal<Vec<FileSummary>>,
    /// Called with a file's position in `files` when the user asks to change
    /// how it is read.
    on_open: Callback<usize>,
) -> impl IntoView {
    view! {
        <section class="read-as" aria-label=tr!("How the files were read")>
            {move || {
                files
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, file)| {
                        let name = file.file.clone();
                        let notes = file.notes.clone();
                        view! {
                            <div class="read-as-file">
                                <p class="read-as-line" data-testid="read-as" data-file=name.clone()>
                                    {move || read_as_line(&file)}
                                </p>
                                <FileNotes file=name.clone() notes=notes testid="file-note" />
                                <button
                                    type="button"
                                    class="link-button"
                                    data-testid="open-mapping"
                                    data-file=name
                                    on:click=move |_| on_open.run(i)
                                >
                                    {tr!("Change columns")}
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </section>
    }
}
