//! Files whose amounts name different currencies: the overview says so
//! before anyone reads a revenue that adds roubles to dollars.

use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::ingest::mixed_currencies;
use loyalty_analytics::Report;

/// One warning naming each file's currency, when there are several.
#[component]
pub fn CurrencyWarning(
    /// The report whose files to check.
    report: Memo<Option<Report>>,
) -> impl IntoView {
    let listed = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    mixed_currencies(&r.files)
                        .into_iter()
                        .map(|(file, currency)| format!("{file}: {}", currency.code()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !listed().is_empty()>
            <p class="warning" role="status" data-testid="currency-warning">
                {move || Msg::MixedCurrencies { files: &listed() }.text()}
            </p>
        </Show>
    }
}
