//! Per file: rows read, used, rejected, and why rows were rejected.

use crate::fmt::grouped;
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::ingest::{FileSummary, Layout};
use loyalty_analytics::report::metric;
use loyalty_analytics::Report;

use super::sortable_table::{Column, SortableTable};

/// "windows-1251, gzip, ';'-separated, header" and the like.
fn format_text(file: &FileSummary) -> String {
    let layout = match file.layout {
        Layout::Delimited('\t') => crate::i18n::t("tab-separated").to_string(),
        Layout::Delimited(c) => Msg::Separated { separator: c }.text(),
        Layout::Whitespace => crate::i18n::t("space-separated").to_string(),
    };
    let locale = crate::i18n::lang().locale();
    let mut parts = vec![
        file.kind.describe_in(locale).to_string(),
        file.encoding.clone(),
    ];
    if file.gzip {
        parts.push("gzip".into());
    }
    parts.push(layout);
    parts.push(
        crate::i18n::t(if file.has_header {
            "header"
        } else {
            "no header"
        })
        .to_string(),
    );
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
    let files = move || {
        report
            .with(|r| r.as_ref().map(|r| r.files.clone()))
            .unwrap_or_default()
    };
    let total = move |id: &'static str| {
        let value = move || report.with(|r| r.as_ref().and_then(|r| r.metric(id)));
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
                {total(metric::ROWS_READ)} {tr!(" rows read · ")} {total(metric::ROWS_USED)} {tr!(" used · ")}
                {total(metric::ROWS_REJECTED)} {tr!(" rejected")}
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
                        <td class="num" title=tr!("Rows with a negative amount: returns and cancellations")>
                            {grouped(file.returns as f64, 0)}
                        </td>
                        <td class="num">{grouped(file.rows_rejected as f64, 0)}</td>
                    </tr>
                }
            />
        </section>
    }
}
