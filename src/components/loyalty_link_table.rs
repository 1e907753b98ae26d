//! What respondents did after answering, by group, with intervals.

use crate::fmt::{grouped, money, percent};
use leptos::prelude::*;
use loyalty_analytics::metrics::loyalty_link::{GroupBehaviour, Share};

use super::sortable_table::{slug, Column, SortableTable};

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

/// A share column: sorted by the share, the CSV cell the share as shown.
fn share_column(title: &str, pick: fn(&GroupBehaviour) -> Option<Share>) -> Column<GroupBehaviour> {
    Column::number(title, move |g: &GroupBehaviour| pick(g).map(|s| s.share)).percent()
}

fn columns(title: &str) -> Vec<Column<GroupBehaviour>> {
    vec![
        Column::text(title, |g: &GroupBehaviour| {
            crate::i18n::t(&g.group).to_string()
        }),
        Column::number("Customers", |g: &GroupBehaviour| Some(g.customers as f64)),
        share_column("Bought twice or more", |g| g.repeat_rate),
        share_column("Bought within 3 months", |g| g.bought_within_3m),
        share_column("Within 6 months", |g| g.bought_within_6m),
        share_column("Within 12 months", |g| g.bought_within_12m),
        Column::number("Revenue per customer", |g: &GroupBehaviour| {
            g.revenue_per_customer.map(|m| m.mean)
        })
        .money(),
        Column::number("CLV per customer (model)", |g: &GroupBehaviour| {
            g.clv_per_customer.map(|m| m.mean)
        })
        .money(),
    ]
}

/// One table of groups (NPS group, CSAT level or had-a-problem).
#[component]
pub fn LoyaltyLinkTable(
    /// What the groups are ("NPS group", "Satisfaction").
    title: &'static str,
    /// The groups' behaviour.
    groups: Vec<GroupBehaviour>,
) -> impl IntoView {
    view! {
        <SortableTable
            testid="loyalty-link"
            class="link-table"
            caption=Signal::derive(move || crate::i18n::t(title).to_string())
            columns=columns(title)
            rows=groups
            file_name=format!("loyalty-link-{}.csv", slug(title))
            row=|g: GroupBehaviour| view! {
                <tr>
                    <th scope="row">{crate::i18n::t(&g.group).to_string()}</th>
                    <td>{grouped(g.customers as f64, 0)}</td>
                    <td>{share(g.repeat_rate)}</td>
                    <td>{share(g.bought_within_3m)}</td>
                    <td>{share(g.bought_within_6m)}</td>
                    <td>{share(g.bought_within_12m)}</td>
                    <td>{g.revenue_per_customer.map(|m| money(m.mean)).unwrap_or_else(|| "–".into())}</td>
                    <td>{g.clv_per_customer.map(|m| format!("{} ({}–{})", money(m.mean), money(m.ci_low), money(m.ci_high))).unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        />
    }
}
