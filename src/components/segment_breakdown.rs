//! Retention and survival by segment: one row per label with its retention
//! at months 1, 3, 6 and 12, and the log-rank test of customers files.

use leptos::prelude::*;
use loyalty_analytics::metrics::segment_breakdown::{SegmentRetention, SegmentSurvival};

use crate::fmt::{grouped, percent};

fn share(v: Option<f64>) -> String {
    v.map(percent).unwrap_or_else(|| "–".into())
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
        retention.with_value(|all| all.iter().find(|r| r.column == chosen_retention.get()).cloned()).map(|r| {
            let note = (r.other_customers + r.unlabelled_customers > 0).then(|| {
                format!(
                    "+ {} {} / {}",
                    grouped((r.other_customers + r.unlabelled_customers) as f64, 0),
                    crate::i18n::t("customers in other or no segment"),
                    r.column
                )
            });
            view! {
                <table class="segment-table" data-testid="segment-retention" data-column=r.column.clone()>
                    <caption>{format!("{}: {}", crate::i18n::t("Retention by"), r.column)}</caption>
                    <thead><tr>
                        <th scope="col">{r.column.clone()}</th>
                        <th scope="col">{tr!("Customers")}</th>
                        <th scope="col">{tr!("Back in month 1")}</th>
                        <th scope="col">{tr!("Back in month 3")}</th>
                        <th scope="col">{tr!("Back in month 6")}</th>
                        <th scope="col">{tr!("Back in month 12")}</th>
                    </tr></thead>
                    <tbody>
                        {r.segments.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">{s.label}</th>
                                <td>{grouped(s.customers as f64, 0)}</td>
                                <td>{share(s.at_months[0])}</td>
                                <td>{share(s.at_months[1])}</td>
                                <td>{share(s.at_months[2])}</td>
                                <td>{share(s.at_months[3])}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {note.map(|n| view! { <p class="note">{n}</p> })}
            }
        })
    };
    let survival_table = move || {
        survival.with_value(|all| all.iter().find(|s| s.column == chosen_survival.get()).cloned()).map(|s| {
            let test = s.log_rank.map(|l| {
                let p = if l.p_value < 1e-4 {
                    "< 0.0001".to_string()
                } else {
                    format!("{:.4}", l.p_value)
                };
                format!("log-rank χ² = {:.1}, df = {}, p {}", l.chi_square, l.degrees_of_freedom, p)
            });
            view! {
                <table class="segment-table" data-testid="segment-survival" data-column=s.column.clone()>
                    <caption>{format!("{}: {}", crate::i18n::t("How long customers stay, by"), s.column)}</caption>
                    <thead><tr>
                        <th scope="col">{s.column.clone()}</th>
                        <th scope="col">{tr!("Customers")}</th>
                        <th scope="col">{tr!("Still a customer after 12 months")}</th>
                        <th scope="col">{tr!("Median lifetime, months")}</th>
                    </tr></thead>
                    <tbody>
                        {s.curves.into_iter().map(|(label, curve)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{grouped(curve.at_risk.first().copied().unwrap_or(0) as f64, 0)}</td>
                                <td>{share(curve.at(12.0))}</td>
                                <td>{curve.median_months.map(|m| grouped(m, 1)).unwrap_or_else(|| "–".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
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
