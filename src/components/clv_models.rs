//! The two purchase models side by side on the CLV page: which one gives
//! the predictions and why, the user's choice of model, both models'
//! holdout scores, and what a degenerate fit means.

use leptos::prelude::*;
use loyalty_analytics::models::model_choice::{HoldoutScore, ModelChoice, PurchaseModel};
use loyalty_analytics::models::{ClvSection, ClvSettings};

use super::sortable_table::{Column, SortableTable};
use crate::fmt::{grouped, percent};
use crate::messages::Msg;

fn score_columns() -> Vec<Column<HoldoutScore>> {
    vec![
        Column::text("Model", |s: &HoldoutScore| s.model.name().to_string()),
        Column::number("Predicted purchases", |s: &HoldoutScore| {
            Some(s.predicted_total)
        })
        .decimals(1),
        Column::number("Actual purchases", |s: &HoldoutScore| Some(s.actual_total)).decimals(0),
        Column::number("Error of the total", |s: &HoldoutScore| s.total_error).percent(),
        Column::number("Mean absolute error per customer", |s: &HoldoutScore| {
            Some(s.mae_per_customer)
        })
        .decimals(3),
    ]
}

/// The MAE per customer of the model in use and of the other, when both
/// were scored on the holdout.
fn errors(section: &ClvSection) -> Option<(f64, f64)> {
    let model = section.clv_model?;
    let mine = section.holdout_scores.iter().find(|s| s.model == model)?;
    let other = section.holdout_scores.iter().find(|s| s.model != model)?;
    Some((mine.mae_per_customer, other.mae_per_customer))
}

/// The fits that ran off to a limit of their model, with the limits.
fn degenerate(
    section: &ClvSection,
) -> Vec<(
    PurchaseModel,
    Vec<loyalty_analytics::models::degenerate::Limit>,
)> {
    let bg = section
        .bgnbd
        .as_ref()
        .map(|f| (PurchaseModel::BgNbd, f.degenerate.clone()));
    let pnbd = section
        .pareto_nbd
        .as_ref()
        .map(|f| (PurchaseModel::ParetoNbd, f.degenerate.clone()));
    bg.into_iter()
        .chain(pnbd)
        .filter(|(_, limits)| !limits.is_empty())
        .collect()
}

/// The purchase models: the one in use, the choice, the holdout scores.
#[component]
pub fn ClvModels(
    /// The CLV section of the last analysis.
    section: Signal<Option<std::sync::Arc<ClvSection>>>,
    /// The CLV settings in force.
    settings: Signal<ClvSettings>,
    /// Called with the settings when the user picks a model.
    on_change: Callback<ClvSettings>,
) -> impl IntoView {
    let choose = move |value: String| {
        let choice = ModelChoice::parse(&value).unwrap_or_default();
        let mut s = settings.get_untracked();
        if s.model != choice {
            s.model = choice;
            on_change.run(s);
        }
    };
    view! {
        <section class="clv-models" aria-label=tr!("Purchase models")>
            {move || section.get().and_then(|s| {
                let (model, reason) = s.clv_model.zip(s.clv_model_reason)?;
                let text = Msg::ClvModelInUse { model, reason, errors: errors(&s) }.text();
                Some(view! { <p class="note" data-testid="clv-model" data-value=model.id()>{text}</p> })
            })}
            {move || section.get().map(|s| degenerate(&s).into_iter().map(|(model, limits)| view! {
                <p class="warning" data-code="degenerate" data-model=model.id()>
                    {Msg::ClvDegenerate { model, limits: &limits }.text()}
                </p>
            }).collect_view())}
            <label>
                {tr!("Purchase model ")}
                <select data-testid="clv-model-choice"
                    prop:value=move || settings.get().model.as_str()
                    on:change=move |ev| choose(event_target_value(&ev))>
                    <option value="auto">{tr!("The better on the holdout")}</option>
                    <option value="bgnbd">"BG/NBD"</option>
                    <option value="pnbd">"Pareto/NBD"</option>
                </select>
            </label>
            <Show when=move || section.get().is_some_and(|s| !s.holdout_scores.is_empty())>
                <SortableTable
                    testid="model-scores"
                    class="segment-table"
                    caption=Signal::derive(|| crate::i18n::t("Both models on the holdout: purchases predicted per customer against what happened").to_string())
                    columns=score_columns()
                    rows=Signal::derive(move || section.with(|s| s.as_ref().map(|s| s.holdout_scores.clone())).unwrap_or_default())
                    file_name="purchase-models-holdout.csv"
                    row=move |s: HoldoutScore| {
                        let in_use = section.get_untracked().and_then(|c| c.clv_model) == Some(s.model);
                        view! {
                            <tr data-model=s.model.id() class:in-use=in_use>
                                <th scope="row">{s.model.name()}{in_use.then(|| format!(" ({})", crate::i18n::t("in use")))}</th>
                                <td data-field="predicted_total" data-value=s.predicted_total.to_string()>{grouped(s.predicted_total, 1)}</td>
                                <td data-field="actual_total" data-value=s.actual_total.to_string()>{grouped(s.actual_total, 0)}</td>
                                <td data-field="total_error" data-value=s.total_error.map(|e| e.to_string()).unwrap_or_default()>
                                    {s.total_error.map(percent).unwrap_or_else(|| "–".into())}
                                </td>
                                <td data-field="mae" data-value=s.mae_per_customer.to_string()>{grouped(s.mae_per_customer, 3)}</td>
                            </tr>
                        }
                    }
                />
            </Show>
        </section>
    }
}
