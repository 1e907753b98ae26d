//! Why rows were left out, file by file: each reason with its count and up to
//! 100 examples (line, column, value), so the user can fix the export.

use crate::fmt::grouped;
use leptos::prelude::*;
use loyalty_analytics::ingest::FileSummary;
use loyalty_analytics::Report;

/// One file's rejected rows, grouped by reason.
fn file_rejections(file: FileSummary) -> impl IntoView {
    let clean = file.rejections.is_empty();
    view! {
        <div class="quality-file">
            <h3>{file.file.clone()}</h3>
            {clean.then(|| view! { <p class="muted">{tr!("Every row was used.")}</p> })}
            {file
                .rejections
                .into_iter()
                .map(|group| {
                    let shown = group.examples.len();
                    view! {
                        <details class="rejection" data-reason=format!("{:?}", group.reason)>
                            <summary>
                                {format!("{} × {}", grouped(group.count as f64, 0), group.reason.describe())}
                                {(group.count as usize > shown).then(|| format!(" (first {shown} shown)"))}
                            </summary>
                            <table>
                                <thead><tr><th class="num">{tr!("Line")}</th><th>{tr!("Column")}</th><th>{tr!("Value")}</th></tr></thead>
                                <tbody>
                                    {group
                                        .examples
                                        .into_iter()
                                        .map(|e| view! {
                                            <tr><td class="num">{e.line}</td><td>{e.column}</td><td><code>{e.value}</code></td></tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
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
            {move || report.get().map(|r| r.files.into_iter().map(file_rejections).collect_view())}
        </section>
    }
}
