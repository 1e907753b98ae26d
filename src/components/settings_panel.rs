//! The analysis settings every page shares: period and churn window.

use leptos::prelude::*;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::Settings;

/// The period named by a select's value.
fn period_of(value: &str) -> Option<Period> {
    match value {
        "week" => Some(Period::Week),
        "month" => Some(Period::Month),
        "quarter" => Some(Period::Quarter),
        _ => None,
    }
}

fn period_value(period: Period) -> &'static str {
    match period {
        Period::Week => "week",
        Period::Month => "month",
        Period::Quarter => "quarter",
    }
}

/// A churn window the user typed: whole days from 1 to ten years.
pub fn churn_window_of(value: &str) -> Option<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=3650).contains(d))
}

/// Controls for the settings; a change reruns the analysis without
/// re-reading the files.
#[component]
pub fn SettingsPanel(
    /// The settings in force.
    settings: Signal<Settings>,
    /// Called with the new settings after a valid change.
    on_change: Callback<Settings>,
) -> impl IntoView {
    let set_period = move |ev| {
        if let Some(period) = period_of(&event_target_value(&ev)) {
            on_change.run(Settings {
                period,
                ..settings.get_untracked()
            });
        }
    };
    let set_window = move |ev| {
        if let Some(days) = churn_window_of(&event_target_value(&ev)) {
            on_change.run(Settings {
                churn_window_days: days,
                ..settings.get_untracked()
            });
        }
    };
    view! {
        <section class="settings" aria-label=tr!("Settings")>
            <label>
                {tr!("Period ")}
                <select
                    data-testid="period"
                    on:change=set_period
                    prop:value=move || period_value(settings.get().period)
                >
                    <option value="week">{tr!("Week")}</option>
                    <option value="month">{tr!("Month")}</option>
                    <option value="quarter">{tr!("Quarter")}</option>
                </select>
            </label>
            <label>
                {tr!("From ")}
                <input type="date" data-testid="date-from"
                    prop:value=move || settings.get().date_from.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| on_change.run(Settings { date_from: event_target_value(&ev).parse().ok(), ..settings.get_untracked() }) />
            </label>
            <label>
                {tr!("To ")}
                <input type="date" data-testid="date-to"
                    prop:value=move || settings.get().date_to.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| on_change.run(Settings { date_to: event_target_value(&ev).parse().ok(), ..settings.get_untracked() }) />
            </label>
            <label>
                {tr!("Churn window, days ")}
                <input
                    type="number"
                    min="1"
                    max="3650"
                    data-testid="churn-window"
                    prop:value=move || settings.get().churn_window_days.to_string()
                    on:change=set_window
                />
            </label>
        </section>
    }
}
