//! Every stated reason with its count, share, revenue lost and canonical
//! category, which the user can change by hand.

use crate::fmt::{grouped, money, percent};
use leptos::prelude::*;
use loyalty_analytics::metrics::churn_causes::ReasonRow;
use loyalty_analytics::metrics::churn_rules::ChurnCategory;

/// The reasons table; changing a category calls `on_remap`.
#[component]
pub fn ChurnReasonsTable(
    /// Reasons, most frequent first.
    reasons: Vec<ReasonRow>,
    /// Called with (reason text, chosen category) when the user re-maps a reason.
    on_remap: Callback<(String, ChurnCategory)>,
) -> impl IntoView {
    let rows = reasons
        .into_iter()
        .map(|r| {
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
                    <th scope="row">{r.reason.clone().unwrap_or_else(|| "(no reason given)".into())}</th>
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
                                            <option value=c.id() selected=c == current>{c.label()}</option>
                                        })
                                        .collect_view()}
                                </select>
                            }
                            .into_any()
                        } else {
                            view! { <span>{current.label()}</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="segment-table reasons" data-testid="churn-reasons">
            <caption>{tr!("Reasons given, most frequent first (change a category to re-map that reason)")}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr!("Reason")}</th>
                    <th scope="col">{tr!("Customers")}</th>
                    <th scope="col">{tr!("Share")}</th>
                    <th scope="col">{tr!("Cumulative")}</th>
                    <th scope="col">{tr!("Revenue lost")}</th>
                    <th scope="col">{tr!("Category")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
