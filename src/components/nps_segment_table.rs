//! NPS per label of one segment column, sorted by impact on the total.

use crate::fmt::grouped;
use leptos::prelude::*;
use loyalty_analytics::metrics::surveys::NpsSegmentTable as Table;

fn points(v: f64) -> String {
    grouped(v, 1)
}

/// A table of one segment column: n, NPS with interval, difference to the
/// rest (marked when significant) and impact on the total.
#[component]
pub fn NpsSegmentTable(
    /// The column's figures.
    table: Table,
) -> impl IntoView {
    let rows = table
        .rows
        .into_iter()
        .map(|r| {
            let diff = r.difference_to_rest.map(points).unwrap_or_default();
            let significance = if r.significant { " *" } else { "" };
            view! {
                <tr data-significant=r.significant.to_string()>
                    <th scope="row">{r.label}</th>
                    <td>{grouped(r.summary.responses as f64, 0)}</td>
                    <td data-value=r.summary.nps.to_string()>{points(r.summary.nps)}</td>
                    <td>{format!("{} to {}", points(r.summary.ci_low), points(r.summary.ci_high))}</td>
                    <td>{format!("{diff}{significance}")}</td>
                    <td>{r.impact.map(points).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="segment-table" data-testid="nps-segments" data-column=table.column.clone()>
            <caption>{format!("NPS by {}", table.column)}</caption>
            <thead>
                <tr>
                    <th scope="col">{table.column.clone()}</th>
                    <th scope="col">{tr!("Answers")}</th>
                    <th scope="col">{tr!("NPS")}</th>
                    <th scope="col">{tr!("95% interval")}</th>
                    <th scope="col" title="* significant at 95%">{tr!("vs the rest")}</th>
                    <th scope="col" title="Total NPS minus NPS without this group">{tr!("Impact on total")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
