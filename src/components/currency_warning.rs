//! Files in different currencies: the overview says which currency the
//! money figures are in, which files' amounts they leave out, and lets the
//! user pick another of the files' currencies.

use leptos::prelude::*;
use loyalty_analytics::ingest::Currency;
use loyalty_analytics::{Report, Settings};

use crate::i18n::lang;

/// The money note and the currency choice, when the files name several.
#[component]
pub fn CurrencyWarning(
    /// The report whose money figures to describe.
    report: Memo<Option<Report>>,
    /// The settings in force (their `currency` is the select's value).
    settings: RwSignal<Settings>,
    /// Runs the analysis again with the changed settings.
    on_change: Callback<Settings>,
) -> impl IntoView {
    let money = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.money.clone())
                .filter(|m| m.currencies().len() > 1)
        })
    });
    let pick = move |code: String| {
        let mut new = settings.get_untracked();
        new.currency = Currency::of_code(&code);
        on_change.run(new);
    };
    view! {
        {move || money.get().map(|m| {
            let note = m.describe_in(lang().locale()).unwrap_or_default();
            let options = m
                .currencies()
                .into_iter()
                .map(|c| view! {
                    <option value=c.code() selected=c == m.currency translate="no">{c.code()}</option>
                })
                .collect_view();
            view! {
                <div class="warning" role="status" data-testid="currency-warning">
                    <p>{note}</p>
                    <label>
                        {tr!("Money figures in ")}
                        <select data-testid="currency-choice" on:change=move |ev| pick(event_target_value(&ev))>
                            {options}
                        </select>
                    </label>
                </div>
            }
        })}
    }
}
