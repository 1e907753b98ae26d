//! Does the programme work: figures before and after the dates the user
//! marks, members against non-members, and the share of orders on discount.

use leptos::prelude::*;
use loyalty_analytics::export::Rounding;
use loyalty_analytics::metrics::programme::{Comparison, Mark, ProgrammeEffect};
use loyalty_analytics::report::NaiveDate;

use crate::fmt::{grouped, percent};
use crate::i18n::t;

use super::sortable_table::{Column, SortableTable};

fn value(measure: &str, v: Option<f64>) -> String {
    match (measure, v) {
        (_, None) => "–".into(),
        ("repeat_share", Some(v)) => percent(v),
        ("new_customers_per_day", Some(v)) => grouped(v, 2),
        (_, Some(v)) => grouped(v, 2),
    }
}

/// How [`value`] rounds a figure of `c`'s measure, for the CSV.
fn rounding(c: &Comparison) -> Rounding {
    match c.measure.as_str() {
        "repeat_share" => Rounding::Percent,
        _ => Rounding::Decimals(2),
    }
}

fn measure_name(id: &str) -> &'static str {
    match id {
        "average_order_value" => "Average order value",
        "orders_per_customer" => "Orders per active customer",
        "repeat_share" => "Bought twice or more",
        "new_customers_per_day" => "New customers per day",
        "nps" => "NPS",
        "revenue_per_customer" => "Revenue per customer",
        _ => "Figure",
    }
}

/// The columns of a comparison table: figure, `before`, `after` (their
/// English headings), p-value.
fn comparison_columns(before: &str, after: &str) -> Vec<Column<Comparison>> {
    vec![
        Column::text("Figure", |c: &Comparison| {
            t(measure_name(&c.measure)).to_string()
        }),
        Column::number(before, |c: &Comparison| c.before).rounded_by(rounding),
        Column::number(after, |c: &Comparison| c.after).rounded_by(rounding),
        Column::number("p-value (* < 0.05)", |c: &Comparison| c.p_value).decimals(4),
    ]
}

/// The columns of a mark's table: figure, before, after, p-value.
fn mark_columns() -> Vec<Column<Comparison>> {
    comparison_columns("Before", "After")
}

fn comparison_row(c: Comparison) -> impl IntoView {
    let p = c.p_value.map_or("–".to_string(), |p| {
        crate::messages::Msg::PValue { p }.text()
    });
    view! {
        <tr data-significant=c.significant().to_string() data-measure=c.measure.clone()>
            <th scope="row">{t(measure_name(&c.measure)).to_string()}</th>
            <td class="num">{value(&c.measure, c.before)}</td>
            <td class="num">{value(&c.measure, c.after)}</td>
            <td class="num">{p}{if c.significant() { " *" } else { "" }}</td>
        </tr>
    }
}

/// The marks editor and the comparisons.
#[component]
pub fn ProgrammePanel(
    /// What the analysis found.
    effect: ProgrammeEffect,
    /// The marks in force.
    marks: Vec<Mark>,
    /// Called with the new list of marks.
    on_marks: Callback<Vec<Mark>>,
) -> impl IntoView {
    let date = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let current = marks.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(d) = date.get_untracked().parse::<NaiveDate>() {
            let mut all = current.clone();
            all.push(Mark {
                date: d,
                label: label.get_untracked().trim().to_string(),
            });
            all.sort_by_key(|m| m.date);
            on_marks.run(all);
        }
    };
    let remove_all = move |_| on_marks.run(Vec::new());
    view! {
        <section class="programme" aria-label=tr!("Programme effect")>
            <h3>{tr!("Programme effect")}</h3>
            <form class="lookup" on:submit=add>
                <label>{tr!("Mark a date ")}<input type="date" data-testid="mark-date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) /></label>
                <label>{tr!("What happened ")}<input type="text" data-testid="mark-label" placeholder=tr!("programme launch") prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) /></label>
                <button type="submit" class="button secondary" data-testid="add-mark">{tr!("Add mark")}</button>
                {(!marks.is_empty()).then(|| view! { <button type="button" class="link" on:click=remove_all>{tr!("Remove marks")}</button> })}
            </form>
            {effect.marks.into_iter().map(|m| view! {
                <SortableTable
                    testid="mark-effect"
                    class="segment-table"
                    caption=format!("{} {} ({}), ±{} {}", t("Before and after"), m.mark.date, m.mark.label, m.window_days, t("days"))
                    columns=mark_columns()
                    rows=m.comparisons
                    file_name=format!("before-after-{}.csv", m.mark.date)
                    row=comparison_row
                />
            }).collect_view()}
            {effect.members.map(|m| view! {
                <SortableTable
                    testid="members"
                    class="segment-table"
                    caption=format!("{} ({}): {} {}, {} {}", t("Members vs non-members"), m.column, grouped(m.members as f64, 0), t("members"), grouped(m.non_members as f64, 0), t("non-members"))
                    columns=comparison_columns("Non-members", "Members")
                    rows=m.comparisons
                    file_name="members-vs-non-members.csv"
                    row=comparison_row
                />
            })}
            {effect.discount.map(|d| view! {
                <p class="note" data-testid="discount-share">{format!(
                    "{}: {} ({} / {})", t("Orders bought on discount"), percent(d.share), grouped(d.discounted_orders as f64, 0), grouped(d.orders as f64, 0)
                )}</p>
                {d.repeat_after_first_order.map(|c| view! {
                    <SortableTable
                        testid="discount-repeat"
                        class="segment-table"
                        caption=Signal::derive(|| t("Do discounts train customers to wait? Repeat purchases after a first order without and with a discount").to_string())
                        columns=comparison_columns("First order at full price", "First order on discount")
                        rows=vec![c]
                        file_name="repeat-after-discount.csv"
                        row=comparison_row
                    />
                })}
            })}
        </section>
    }
}
