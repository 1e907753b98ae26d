//! Retention and survival by segment: one row per label with its retention
//! at months 1, 3, 6 and 12, and the log-rank test of customers files.

use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::metrics::segment_breakdown::{
    SegmentCurve, SegmentRetention, SegmentSurvival,
};

use super::sortable_table::{Column, SortableTable};

use crate::fmt::{grouped, percent};

fn share(v: Option<f64>) -> String {
    v.map(percent).unwrap_or_else(|| "–".into())
}

/// One segment label of a customers file's column, as the survival table shows it.
#[derive(Clone, Debug)]
struct SurvivalRow {
    label: String,
    customers: u64,
    at_12: Option<f64>,
    median: Option<f64>,
}

fn retention_columns_of(column: &str) -> Vec<Column<SegmentCurve>> {
    let month = |title: &str, i: usize| {
        Column::number(title, move |s: &SegmentCurve| s.at_months[i]).percent()
    };
    vec![
        Column::text(column, |s: &SegmentCurve| s.label.clone()).untranslated(),
        Column::number("Customers", |s: &SegmentCurve| Some(s.customers as f64)),
        month("Back in month 1", 0),
        month("Back in month 3", 1),
        month("Back in month 6", 2),
        month("Back in month 12", 3),
    ]
}

fn survival_columns_of(column: &str) -> Vec<Column<SurvivalRow>> {
    vec![
        Column::text(column, |r: &SurvivalRow| r.label.clone()).untranslated(),
        Column::number("Customers", |r: &SurvivalRow| Some(r.customers as f64)),
        Column::number("Still a customer after 12 months", |r: &SurvivalRow| {
            r.at_12
        })
        .percent(),
        Column::number("Median lifetime, months", |r: &SurvivalRow| r.median).decimals(1),
    ]
}

/// The tables of every segment column (transactions: cohort retention;
/// customers files: median lifetime and log-rank p-value).
#[component]
pub fn SegmentBreakdown(
    /// Cohort retention per segment label of each transactions column.
    retention: Vec<SegmentRetention>,
    /// Kaplan-Meier per segment label of each customers column.
    survival: Vec<SegmentSurvival>,
) -> impl IntoView {
    let retention_columns: Vec<String> = retention.iter().map(|r| r.column.clone()).collect();
    let survival_columns: Vec<String> = survival.iter().map(|s| s.column.clone()).collect();
    let chosen_retention = RwSignal::new(retention_columns.first().cloned().unwrap_or_default());
    let chosen_survival = RwSignal::new(survival_columns.first().cloned().unwrap_or_default());
    let retention = StoredValue::new(retention);
    let survival = StoredValue::new(survival);
    let retention_table = move || {
        retention
            .with_value(|all| {
                all.iter()
                    .find(|r| r.column == chosen_retention.get())
                    .cloned()
            })
            .map(|r| {
                let note = (r.other_customers + r.unlabelled_customers > 0).then(|| {
                    format!(
                        "+ {} {} / {}",
                        grouped((r.other_customers + r.unlabelled_customers) as f64, 0),
                        crate::i18n::t("customers in other or no segment"),
                        r.column
                    )
                });
                let caption = format!("{}: {}", crate::i18n::t("Retention by"), r.column);
                view! {
                    <SortableTable
                        testid="segment-retention"
                        class="segment-table"
                        column=r.column.clone()
                        caption=caption
                        columns=retention_columns_of(&r.column)
                        rows=r.segments
                        file_name="segment-retention.csv"
                        row=|s: SegmentCurve| view! {
                            <tr>
                                <th scope="row">{s.label}</th>
                                <td>{grouped(s.customers as f64, 0)}</td>
                                <td>{share(s.at_months[0])}</td>
                                <td>{share(s.at_months[1])}</td>
                                <td>{share(s.at_months[2])}</td>
                                <td>{share(s.at_months[3])}</td>
                            </tr>
                        }
                    />
                    {note.map(|n| view! { <p class="note">{n}</p> })}
                }
            })
    };
    let survival_table = move || {
        survival.with_value(|all| all.iter().find(|s| s.column == chosen_survival.get()).cloned()).map(|s| {
            let test = s.log_rank.map(|l| {
                Msg::LogRank {
                    chi_square: l.chi_square,
                    df: l.degrees_of_freedom as usize,
                    p_value: l.p_value,
                }
                .text()
            });
            let caption = format!("{}: {}", crate::i18n::t("How long customers stay, by"), s.column);
            let rows: Vec<SurvivalRow> = s
                .curves
                .iter()
                .map(|(label, curve)| SurvivalRow {
                    label: label.clone(),
                    customers: curve.at_risk.first().copied().unwrap_or(0),
                    at_12: curve.at(12.0),
                    median: curve.median_months,
                })
                .collect();
            view! {
                <SortableTable
                    testid="segment-survival"
                    class="segment-table"
                    column=s.column.clone()
                    caption=caption
                    columns=survival_columns_of(&s.column)
                    rows=rows
                    file_name="segment-survival.csv"
                    row=|r: SurvivalRow| view! {
                        <tr>
                            <th scope="row">{r.label}</th>
                            <td>{grouped(r.customers as f64, 0)}</td>
                            <td>{share(r.at_12)}</td>
                            <td>{r.median.map(|m| grouped(m, 1)).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }
                />
                {test.map(|t| view! { <p class="note" data-testid="log-rank">{t}</p> })}
            }
        })
    };
    let chooser = |testid: &'static str,
                   label: &'static str,
                   columns: Vec<String>,
                   chosen: RwSignal<String>| {
        (columns.len() > 1).then(|| view! {
            <label class="segment-choice">{move || crate::i18n::t(label).to_string()}
                <select data-testid=testid prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {columns.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select>
            </label>
        })
    };
    view! {
        <section class="segments" aria-label=tr!("Segments")>
            {chooser("segment-retention-column", "Retention by ", retention_columns, chosen_retention)}
            {retention_table}
            {chooser("segment-survival-column", "How long customers stay, by ", survival_columns, chosen_survival)}
            {survival_table}
        </section>
    }
}
