//! Why rows were left out, file by file: the reader's notes on its columns
//! (roles refused by the values, cells left blank), then each reason with its count and up to
//! 100 examples (line, column, value), so the user can fix the export. The
//! examples sort and download as CSV, to hand to whoever owns the export.

use super::file_notes::FileNotes;
use super::sortable_table::{Column, SortableTable};
use crate::fmt::grouped;
use crate::i18n::tf;
use leptos::prelude::*;
use loyalty_analytics::ingest::{FileSummary, RejectReason, RejectedRow};
use loyalty_analytics::Report;

fn example_columns() -> Vec<Column<RejectedRow>> {
    vec![
        Column::number("Line", |e: &RejectedRow| Some(e.line as f64)),
        Column::text("Column", |e: &RejectedRow| e.column.clone()),
        Column::text("Cell", |e: &RejectedRow| e.value.clone()),
    ]
}

/// Why the rows were left out, in the page's language.
fn reason_text(reason: RejectReason) -> &'static str {
    reason.describe_in(crate::i18n::lang().locale())
}

/// "3 × the date cannot be read (first 100 shown)", in the page's language.
fn reason_summary(count: u64, reason: RejectReason, shown: usize) -> String {
    let head = format!("{} × {}", grouped(count as f64, 0), reason_text(reason));
    if count as usize > shown {
        format!("{head} {}", tf("(first {} shown)", &[shown.to_string()]))
    } else {
        head
    }
}

/// One file's rejected rows, grouped by reason.
fn file_rejections(file: FileSummary) -> impl IntoView {
    let clean = file.rejections.is_empty();
    let stem = file
        .file
        .rsplit_once('.')
        .map_or(file.file.as_str(), |(stem, _)| stem)
        .to_string();
    view! {
        <div class="quality-file">
            <h3>{file.file.clone()}</h3>
            <FileNotes file=file.file.clone() notes=file.notes.clone() testid="quality-note" />
            {(file.sheets_read.len() > 1).then(|| {
                let sheets = file.sheets_read.clone();
                view! {
                    <ul class="sheet-rows" data-testid="sheet-rows">
                        {sheets
                            .into_iter()
                            .map(|s| {
                                let counts = [s.rows_read, s.rows_used, s.rows_rejected].map(|n| grouped(n as f64, 0));
                                let name = s.sheet.clone();
                                view! {
                                    <li data-sheet=s.sheet>
                                        {move || tf("Sheet {}: {} rows read, {} used, {} rejected", &[
                                            name.clone(),
                                            counts[0].clone(),
                                            counts[1].clone(),
                                            counts[2].clone(),
                                        ])}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
            {clean.then(|| view! { <p class="muted">{tr!("Every row was used.")}</p> })}
            {file
                .rejections
                .into_iter()
                .map(|group| {
                    let shown = group.examples.len();
                    let reason = group.reason;
                    let count = group.count;
                    let file_name = format!("{stem}-rejected-{:?}.csv", group.reason).to_lowercase();
                    view! {
                        <details class="rejection" data-reason=format!("{:?}", group.reason)>
                            <summary>{move || reason_summary(count, reason, shown)}</summary>
                            <SortableTable
                                testid="rejected-rows"
                                class="rejected-rows"
                                caption=Signal::derive(move || reason_text(reason).to_string())
                                columns=example_columns()
                                rows=group.examples
                                file_name=file_name
                                row=|e: RejectedRow| view! {
                                    <tr><td class="num">{e.line}</td><td>{e.column}</td><td><code>{e.value}</code></td></tr>
                                }
                            />
                        </details>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The Data quality panel for every loaded file.
#[component]
pub fn DataQuality(
    /// The report whose files to account for.
    report: Signal<Option<Report>>,
) -> impl IntoView {
    view! {
        <section class="quality" data-testid="data-quality" aria-label=tr!("Data quality")>
            <h2>{tr!("Data quality")}</h2>
            {move || report.with(|r| r.as_ref().map(|r| r.files.clone())).map(|files| files.into_iter().map(file_rejections).collect_view())}
        </section>
    }
}
