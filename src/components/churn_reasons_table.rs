//! Every stated reason with its count, share, revenue lost and canonical
//! category, which the user can change by hand.

use crate::fmt::{grouped, money, percent};
use leptos::prelude::*;
use loyalty_analytics::metrics::churn_causes::ReasonRow;
use loyalty_analytics::metrics::churn_rules::ChurnCategory;

use super::sortable_table::{Column, SortableTable};

const NO_REASON: &str = "(no reason given)";

/// The columns: reason, customers, share, cumulative, revenue lost, category.
fn columns() -> Vec<Column<ReasonRow>> {
    vec![
        Column::text("Reason", |r: &ReasonRow| {
            r.reason
                .clone()
                .unwrap_or_else(|| crate::i18n::t(NO_REASON).into())
        }),
        Column::number("Customers", |r: &ReasonRow| Some(r.customers as f64)),
        Column::number("Share", |r: &ReasonRow| Some(r.share)).percent(),
        Column::number("Cumulative", |r: &ReasonRow| Some(r.cumulative_share)).percent(),
        Column::number("Revenue lost", |r: &ReasonRow| r.revenue_lost).money(),
        Column::text("Category", |r: &ReasonRow| {
            crate::i18n::category(r.category).to_string()
        }),
    ]
}

/// The reasons table; changing a category calls `on_remap`.
#[component]
pub fn ChurnReasonsTable(
    /// Reasons, most frequent first.
    reasons: Vec<ReasonRow>,
    /// Called with (reason text, chosen category) when the user re-maps a reason.
    on_remap: Callback<(String, ChurnCategory)>,
) -> impl IntoView {
    let row = move |r: ReasonRow| {
        let reason = r.reason.clone();
        let choose = move |ev| {
            let id = event_target_value(&ev);
            if let (Some(reason), Some(category)) = (
                reason.clone(),
                ChurnCategory::ALL.into_iter().find(|c| c.id() == id),
            ) {
                on_remap.run((reason, category));
            }
        };
        let current = r.category;
        view! {
            <tr>
                <th scope="row">{r.reason.clone().unwrap_or_else(|| crate::i18n::t(NO_REASON).into())}</th>
                <td>{grouped(r.customers as f64, 0)}</td>
                <td data-value=r.share.to_string()>{percent(r.share)}</td>
                <td>{percent(r.cumulative_share)}</td>
                <td>{r.revenue_lost.map(money).unwrap_or_else(|| "–".into())}</td>
                <td>
                    {if r.reason.is_some() {
                        view! {
                            <select aria-label=tr!("Category") data-testid="reason-category" on:change=choose>
                                {ChurnCategory::ALL
                                    .into_iter()
                                    .filter(|c| *c != ChurnCategory::Unknown)
                                    .map(|c| view! {
                                        <option value=c.id() selected=c == current>{crate::i18n::category(c)}</option>
                                    })
                                    .collect_view()}
                            </select>
                        }
                        .into_any()
                    } else {
                        view! { <span>{crate::i18n::category(current)}</span> }.into_any()
                    }}
                </td>
            </tr>
        }
    };
    view! {
        <SortableTable
            testid="churn-reasons"
            class="segment-table reasons"
            caption=Signal::derive(|| crate::i18n::t("Reasons given, most frequent first (change a category to re-map that reason)").to_string())
            columns=columns()
            rows=reasons
            file_name="churn-reasons.csv"
            row=row
        />
    }
}
