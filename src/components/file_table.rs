//! Per file: rows read, used, rejected, and why rows were rejected.

use crate::fmt::grouped;
use leptos::prelude::*;
use loyalty_analytics::ingest::{FileSummary, Layout};
use loyalty_analytics::report::metric;
use loyalty_analytics::Report;

use super::sortable_table::{Column, SortableTable};

/// "windows-1251, gzip, ';'-separated, header" and the like.
fn format_text(file: &FileSummary) -> String {
    let layout = match file.layout {
        Layout::Delimited('\t') => "tab-separated".to_string(),
        Layout::Delimited(c) => format!("'{c}'-separated"),
        Layout::Whitespace => "space-separated".to_string(),
    };
    let mut parts = vec![file.kind.describe().to_string(), file.encoding.clone()];
    if file.gzip {
        parts.push("gzip".into());
    }
    parts.push(layout);
    parts.push(if file.has_header {
        "header".into()
    } else {
        "no header".into()
    });
    parts.join(", ")
}

fn columns() -> Vec<Column<FileSummary>> {
    vec![
        Column::text("File", |f: &FileSummary| f.file.clone()),
        Column::number("Rows read", |f: &FileSummary| Some(f.rows_read as f64)),
        Column::number("Used", |f: &FileSummary| Some(f.rows_used as f64)),
        Column::number("Returns", |f: &FileSummary| Some(f.returns as f64))
            .hint("Rows with a negative amount: returns and cancellations"),
        Column::number("Rejected", |f: &FileSummary| Some(f.rows_rejected as f64)),
    ]
}

/// The accounting of every loaded file.
#[component]
pub fn FileTable(
    /// The report whose files to list.
    report: Signal<Option<Report>>,
) -> impl IntoView {
    let files = move || report.get().map(|r| r.files).unwrap_or_default();
    let total = move |id: &'static str| {
        let value = move || report.get().and_then(|r| r.metric(id));
        view! {
            <strong data-metric=id data-value=move || value().map(|v| v.to_string()).unwrap_or_default()>
                {move || value().map(|v| grouped(v, 0)).unwrap_or_default()}
            </strong>
        }
    };
    view! {
        <section class="files" aria-label=tr!("Files read")>
            <h2>{tr!("Files")}</h2>
            <p class="rows-total">
                {total(metric::ROWS_READ)} " rows read · " {total(metric::ROWS_USED)} " used · "
                {total(metric::ROWS_REJECTED)} " rejected"
            </p>
            <SortableTable
                testid="file-table"
                caption=Signal::derive(|| crate::i18n::t("Files read").to_string())
                columns=columns()
                rows=Signal::derive(files)
                file_name="files.csv"
                row=|file: FileSummary| view! {
                    <tr>
                        <td>{file.file.clone()}<br /><small class="muted">{format_text(&file)}</small></td>
                        <td class="num">{grouped(file.rows_read as f64, 0)}</td>
                        <td class="num">{grouped(file.rows_used as f64, 0)}</td>
                        <td class="num" title="Rows with a negative amount: returns and cancellations">
                            {grouped(file.returns as f64, 0)}
                        </td>
                        <td class="num">{grouped(file.rows_rejected as f64, 0)}</td>
                    </tr>
                }
            />
        </section>
    }
}
