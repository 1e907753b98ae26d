//! CLV by segment: for the chosen segment column, each label's customers,
//! CLV with its 90% interval, CLV per customer, expected purchases and
//! average P(alive); the table's CSV carries the intervals.

use leptos::prelude::*;
use loyalty_analytics::models::clv_segments::ClvSegment;
use loyalty_analytics::models::ClvSection;

use super::sortable_table::{Column, SortableTable};
use crate::fmt::{grouped, money, percent};
use crate::messages::Msg;

fn columns() -> Vec<Column<ClvSegment>> {
    let clv_bounds = |s: &ClvSegment| s.clv_interval.map(|i| (i.low, i.high));
    vec![
        Column::text("Segment", |s: &ClvSegment| s.label.clone()),
        Column::number("Customers", |s: &ClvSegment| Some(s.customers as f64)),
        Column::number("CLV", |s: &ClvSegment| s.clv_total).money(),
        Column::number("CLV, 90% interval", |s: &ClvSegment| s.clv_total)
            .money()
            .interval(clv_bounds),
        Column::number("CLV per customer", |s: &ClvSegment| s.clv_mean).money(),
        Column::number("Expected purchases", |s: &ClvSegment| {
            Some(s.expected_purchases)
        })
        .decimals(1),
        Column::number("P(alive)", |s: &ClvSegment| s.p_alive_mean).percent(),
    ]
}

/// The table of one segment column, with a choice of column when there are several.
#[component]
pub fn ClvSegmentsTable(
    /// The CLV section of the last analysis.
    section: Signal<Option<std::sync::Arc<ClvSection>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(0usize);
    let names = move || {
        section
            .get()
            .map(|s| {
                s.clv_by_segment
                    .iter()
                    .map(|c| c.column.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let rows = Signal::derive(move || {
        section
            .get()
            .and_then(|s| {
                s.clv_by_segment
                    .get(chosen.get())
                    .map(|c| c.segments.clone())
            })
            .unwrap_or_default()
    });
    view! {
        <Show when=move || !names().is_empty()>
            <label>
                {tr!("CLV by segment column ")}
                <select data-testid="clv-segment-column"
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || names().into_iter().enumerate().map(|(i, name)| view! {
                        <option value=i.to_string() selected=move || chosen.get() == i translate="no">{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <SortableTable
                testid="clv-by-segment"
                class="segment-table"
                caption=Signal::derive(|| crate::i18n::t("CLV by segment, with 90% intervals").to_string())
                columns=columns()
                rows=rows
                file_name="clv-by-segment.csv"
                row=|s: ClvSegment| {
                    let interval = s.clv_interval;
                    view! {
                        <tr data-segment=s.label.clone()>
                            <th scope="row" translate="no">{s.label.clone()}</th>
                            <td>{grouped(s.customers as f64, 0)}</td>
                            <td data-field="clv_total" data-value=s.clv_total.map(|v| v.to_string()).unwrap_or_default()>
                                {s.clv_total.map(money).unwrap_or_else(|| "–".into())}
                            </td>
                            <td data-field="clv_interval"
                                data-ci-low=interval.map(|i| i.low.to_string())
                                data-ci-high=interval.map(|i| i.high.to_string())>
                                {interval.map(|i| Msg::Interval { low: &money(i.low), high: &money(i.high) }.text()).unwrap_or_else(|| "–".into())}
                            </td>
                            <td>{s.clv_mean.map(money).unwrap_or_else(|| "–".into())}</td>
                            <td>{grouped(s.expected_purchases, 1)}</td>
                            <td>{s.p_alive_mean.map(percent).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }
                }
            />
        </Show>
    }
}
