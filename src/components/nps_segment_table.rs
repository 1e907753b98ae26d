//! NPS per label of one segment column, sorted by impact on the total.

use crate::fmt::grouped;
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::metrics::surveys::{NpsSegmentRow, NpsSegmentTable as Table};

use super::sortable_table::{slug, Column, SortableTable};

fn points(v: f64) -> String {
    grouped(v, 1)
}

/// The columns: label, answers, NPS, interval, difference, impact.
fn columns(column: &str) -> Vec<Column<NpsSegmentRow>> {
    vec![
        Column::text(column, |r: &NpsSegmentRow| r.label.clone()).untranslated(),
        Column::number("Answers", |r: &NpsSegmentRow| {
            Some(r.summary.responses as f64)
        }),
        Column::number("NPS", |r: &NpsSegmentRow| Some(r.summary.nps)).decimals(1),
        Column::number("95% interval", |r: &NpsSegmentRow| Some(r.summary.ci_low))
            .decimals(1)
            .interval(|r: &NpsSegmentRow| Some((r.summary.ci_low, r.summary.ci_high))),
        Column::number("vs the rest", |r: &NpsSegmentRow| r.difference_to_rest)
            .decimals(1)
            .hint("* significant at 95%"),
        Column::number("Impact on total", |r: &NpsSegmentRow| r.impact)
            .decimals(1)
            .hint("Total NPS minus NPS without this group"),
    ]
}

/// A table of one segment column: n, NPS with interval, difference to the
/// rest (marked when significant) and impact on the total.
#[component]
pub fn NpsSegmentTable(
    /// The column's figures.
    table: Table,
) -> impl IntoView {
    let caption = Msg::NpsBy {
        column: &table.column,
    }
    .text();
    view! {
        <SortableTable
            testid="nps-segments"
            class="segment-table"
            column=table.column.clone()
            caption=caption
            columns=columns(&table.column)
            rows=table.rows
            file_name=format!("nps-segments-{}.csv", slug(&table.column))
            row=|r: NpsSegmentRow| {
                let diff = r.difference_to_rest.map(points).unwrap_or_default();
                let significance = if r.significant { " *" } else { "" };
                view! {
                    <tr data-significant=r.significant.to_string()>
                        <th scope="row">{r.label}</th>
                        <td class="num">{grouped(r.summary.responses as f64, 0)}</td>
                        <td class="num" data-value=r.summary.nps.to_string()>{points(r.summary.nps)}</td>
                        <td>{Msg::Interval { low: &points(r.summary.ci_low), high: &points(r.summary.ci_high) }.text()}</td>
                        <td class="num">{format!("{diff}{significance}")}</td>
                        <td class="num">{r.impact.map(points).unwrap_or_default()}</td>
                    </tr>
                }
            }
        />
    }
}
