//! "Who to call first": each active customer's own risk of leaving, by the
//! value at risk, with what a caller needs (last purchase against the usual
//! gap, P(alive) and its trend, the likely reason from similar customers
//! who left), and the choice of what makes customers "similar".

use leptos::prelude::*;
use loyalty_analytics::metrics::churn_causes::{
    CallEntry, ChurnSection, GroupingKey, RiskBasis, TREND_DAYS,
};

use super::sortable_table::{Column, SortableTable};
use crate::fmt::{grouped, money, percent};
use crate::i18n::{t, tf};

/// The customer's id, or its row in the customers file.
fn call_customer(c: &CallEntry) -> String {
    c.customer.clone().unwrap_or_else(|| {
        c.record
            .map(|r| format!("{} {}", t("row"), r + 1))
            .unwrap_or_default()
    })
}

/// The similar customers' group ("a · b", each part in the page's
/// language where it is a word of ours, as a tenure band), or the whole base.
fn similar(c: &CallEntry) -> String {
    match &c.segment {
        Some(s) => s.split(" · ").map(t).collect::<Vec<_>>().join(" · "),
        None => t("all customers").to_string(),
    }
}

fn basis(b: RiskBasis) -> &'static str {
    match b {
        RiskBasis::Model => t("model: 1 − P(alive)"),
        RiskBasis::SimilarCustomers => t("similar customers"),
    }
}

/// P(alive) now minus `TREND_DAYS` ago (for those who have not bought since).
fn trend(c: &CallEntry) -> Option<f64> {
    Some(c.p_alive? - c.p_alive_before?)
}

fn dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".into())
}

/// Which columns the list's customers have figures for.
#[derive(Clone, Copy)]
struct Shown {
    purchases: bool,
    model: bool,
    clv: bool,
}

impl Shown {
    fn of(list: &[CallEntry]) -> Shown {
        Shown {
            purchases: list.iter().any(|c| c.last_purchase.is_some()),
            model: list.iter().any(|c| c.p_alive.is_some()),
            clv: list.iter().any(|c| c.expected_value.is_some()),
        }
    }

    /// The columns, in the CSV's order; figures the page shows on a second
    /// line of another cell (days since under the last purchase, the trend
    /// under P(alive), the group's share under the group, the CLV under the
    /// value) are CSV-only, so the table fits a laptop screen.
    fn columns(self) -> Vec<Column<CallEntry>> {
        let mut columns = vec![Column::text("Customer", call_customer)];
        if self.purchases {
            columns.push(Column::text("Last purchase", |c: &CallEntry| {
                c.last_purchase.map(|d| d.to_string()).unwrap_or_default()
            }));
            columns.push(
                Column::number("Days since", |c: &CallEntry| {
                    c.days_since_purchase.map(f64::from)
                })
                .csv_only(),
            );
            columns.push(
                Column::number("Usual gap, days", |c: &CallEntry| c.usual_gap_days)
                    .decimals(0)
                    .csv_only(),
            );
        }
        if self.model {
            columns.push(Column::number("P(alive)", |c: &CallEntry| c.p_alive).percent());
            columns.push(
                Column::number("P(alive) change, 30 days", trend)
                    .percent()
                    .csv_only(),
            );
        }
        columns.extend([
            Column::number("Risk of leaving", |c: &CallEntry| Some(c.risk)).percent(),
            Column::text("Similar customers", similar),
            Column::number("Their share who left", |c: &CallEntry| {
                Some(c.segment_churn_share)
            })
            .percent()
            .csv_only(),
            Column::text("Likely reason", |c: &CallEntry| {
                crate::i18n::category(c.likely_category).to_string()
            }),
            Column::number("Value", |c: &CallEntry| Some(c.value)).money(),
        ]);
        if self.clv {
            columns.push(
                Column::number("Expected value (CLV)", |c: &CallEntry| c.expected_value)
                    .money()
                    .csv_only(),
            );
        }
        columns
            .push(Column::number("Value at risk", |c: &CallEntry| Some(c.value_at_risk)).money());
        columns
    }

    fn row(self, c: CallEntry) -> impl IntoView {
        let customer = call_customer(&c);
        let purchases = self.purchases.then(|| {
            let since = c.days_since_purchase.map(|d| {
                let usual = c.usual_gap_days.map_or_else(String::new, |g| {
                    format!(" · {}", tf("usually every {} days", &[grouped(g, 0)]))
                });
                format!("{}{usual}", tf("{} days ago", &[grouped(f64::from(d), 0)]))
            });
            view! {
                <td>
                    {c.last_purchase.map(|d| d.to_string()).unwrap_or_default()}
                    {since.map(|s| view! { <small class="sub">{s}</small> })}
                </td>
            }
        });
        let model = self.model.then(|| {
            let change = trend(&c).map(|d| {
                tf(
                    "{} in {} days",
                    &[signed_percent(d), TREND_DAYS.to_string()],
                )
            });
            view! {
                <td class="num">
                    {dash(c.p_alive.map(percent))}
                    {change.map(|s| view! { <small class="sub">{s}</small> })}
                </td>
            }
        });
        let clv = c
            .expected_value
            .filter(|_| self.clv)
            .map(|v| format!("CLV {}", money(v)));
        let left = tf("{} left", &[percent(c.segment_churn_share)]);
        view! {
            <tr data-customer=customer.clone() data-risk-basis=match c.risk_basis {
                RiskBasis::Model => "model",
                RiskBasis::SimilarCustomers => "similar",
            }>
                <th scope="row">{customer.clone()}</th>
                {purchases}
                {model}
                <td class="num" title=basis(c.risk_basis)>{percent(c.risk)}</td>
                <td>{similar(&c)}<small class="sub">{left}</small></td>
                <td>{crate::i18n::category(c.likely_category)}</td>
                <td class="num">
                    {money(c.value)}
                    {clv.map(|s| view! { <small class="sub" translate="no">{s}</small> })}
                </td>
                <td class="num">{money(c.value_at_risk)}</td>
            </tr>
        }
    }
}

/// A change in points of a share, with its sign ("+2.5%", "−14.2%").
fn signed_percent(change: f64) -> String {
    let shown = percent(change.abs());
    if change < 0.0 && shown != percent(0.0) {
        format!("−{shown}")
    } else if change > 0.0 && shown != percent(0.0) {
        format!("+{shown}")
    } else {
        shown
    }
}

/// A grouping's name on the page.
fn grouping_name(key: &GroupingKey) -> String {
    match key {
        GroupingKey::Profile => t("tenure band, CSAT, had a problem").to_string(),
        GroupingKey::Column(name) => name.clone(),
    }
}

/// The select's value of a grouping ("" = the best separating).
fn grouping_value(key: Option<&GroupingKey>) -> String {
    match key {
        None => String::new(),
        Some(GroupingKey::Profile) => "profile".into(),
        Some(GroupingKey::Column(name)) => format!("column:{name}"),
    }
}

fn grouping_of(value: &str) -> Option<GroupingKey> {
    match value {
        "profile" => Some(GroupingKey::Profile),
        v => v
            .strip_prefix("column:")
            .map(|n| GroupingKey::Column(n.to_string())),
    }
}

#[component]
pub fn CallList(
    /// The churn section the list and the groupings come from.
    section: std::sync::Arc<ChurnSection>,
    /// The grouping the user chose (`None`: the best separating).
    chosen: Option<GroupingKey>,
    /// The user picks a grouping, or "best" (`None`).
    on_grouping: Callback<Option<GroupingKey>>,
) -> impl IntoView {
    let shown = Shown::of(&section.call_list);
    let selected = grouping_value(chosen.as_ref());
    let options = section
        .call_groupings
        .iter()
        .filter(|g| !g.restates_churn)
        .map(|g| {
            let value = grouping_value(Some(&g.key));
            let label = format!(
                "{} (V = {})",
                grouping_name(&g.key),
                grouped(g.separation, 2)
            );
            view! { <option value=value.clone() selected=value == selected>{label}</option> }
        })
        .collect_view();
    let basis = section
        .call_list_basis
        .split(", ")
        .map(t)
        .collect::<Vec<_>>()
        .join(", ");
    let caption = move || {
        tf(
            "Who to call first: active customers riskier than average, by value at risk (similar customers: same {})",
            std::slice::from_ref(&basis),
        )
    };
    let empty = section.call_list.is_empty();
    view! {
        <section class="call-list" aria-label=tr!("Who to call first")>
            <label class="segment-choice">{tr!("Similar customers by ")}
                <select data-testid="call-grouping"
                    on:change=move |ev| on_grouping.run(grouping_of(&event_target_value(&ev)))>
                    <option value="" selected=selected.is_empty()>{tr!("what separates leavers best")}</option>
                    {options}
                </select>
            </label>
            <p class="note">{move || tf(
                "Risk of leaving: 1 − P(alive) where the purchase model has one, else the share who left among similar customers; P(alive) change: against {} days ago.",
                &[TREND_DAYS.to_string()],
            )}</p>
            {empty.then(|| view! {
                <p class="note" data-testid="call-list-empty">{tr!("No active customer is riskier than average.")}</p>
            })}
            {(!empty).then(|| view! {
                <SortableTable
                    testid="call-list"
                    class="segment-table"
                    caption=Signal::derive(caption)
                    columns=shown.columns()
                    rows=section.call_list.clone()
                    file_name="call-list.csv"
                    row=move |c: CallEntry| shown.row(c)
                />
            })}
        </section>
    }
}
