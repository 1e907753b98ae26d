//! What respondents did after answering, by group, with intervals.

use crate::fmt::{grouped, money, percent};
use leptos::prelude::*;
use loyalty_analytics::metrics::loyalty_link::{GroupBehaviour, Share};

fn share(s: Option<Share>) -> String {
    s.map(|s| {
        format!(
            "{} ({}–{}, n {})",
            percent(s.share),
            percent(s.ci_low),
            percent(s.ci_high),
            grouped(s.of as f64, 0)
        )
    })
    .unwrap_or_else(|| "–".into())
}

/// One table of groups (NPS group, CSAT level or had-a-problem).
#[component]
pub fn LoyaltyLinkTable(
    /// What the groups are ("NPS group", "Satisfaction").
    title: &'static str,
    /// The groups' behaviour.
    groups: Vec<GroupBehaviour>,
) -> impl IntoView {
    let rows = groups
        .into_iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{g.group}</th>
                    <td>{grouped(g.customers as f64, 0)}</td>
                    <td>{share(g.repeat_rate)}</td>
                    <td>{share(g.bought_within_3m)}</td>
                    <td>{share(g.bought_within_6m)}</td>
                    <td>{share(g.bought_within_12m)}</td>
                    <td>{g.revenue_per_customer.map(|m| money(m.mean)).unwrap_or_else(|| "–".into())}</td>
                    <td>{g.clv_per_customer.map(|m| format!("{} ({}–{})", money(m.mean), money(m.ci_low), money(m.ci_high))).unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="link-table" data-testid="loyalty-link">
            <caption>{move || crate::i18n::t(title).to_string()}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || crate::i18n::t(title).to_string()}</th>
                    <th scope="col">{tr!("Customers")}</th>
                    <th scope="col">{tr!("Bought twice or more")}</th>
                    <th scope="col">{tr!("Bought within 3 months")}</th>
                    <th scope="col">{tr!("Within 6 months")}</th>
                    <th scope="col">{tr!("Within 12 months")}</th>
                    <th scope="col">{tr!("Revenue per customer")}</th>
                    <th scope="col">{tr!("CLV per customer (model)")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
