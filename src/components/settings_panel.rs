//! The analysis settings every page shares: period and churn window.

use leptos::prelude::*;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::settings_check::SettingsField;
use loyalty_analytics::Settings;

use super::settings_errors::{apply, FieldError, Problems};

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

/// A whole number of days as typed (out of bounds too: the check says so).
fn days_typed(value: &str) -> Option<u32> {
    let value = value.trim();
    value
        .parse::<u32>()
        .ok()
        // "-5" or "0.5" is a number, just not a window: 0 is out of bounds.
        .or_else(|| value.parse::<f64>().ok().map(|_| 0))
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
    let problems: Problems = RwSignal::new(Vec::new());
    let set_window = move |ev| {
        let candidate = days_typed(&event_target_value(&ev)).map(|days| Settings {
            churn_window_days: days,
            ..settings.get_untracked()
        });
        apply(problems, SettingsField::ChurnWindow, candidate, |s| {
            on_change.run(s)
        });
    };
    // A date as typed; an empty field clears that end of the range.
    let set_date = move |ev, from: bool| {
        let text = event_target_value(&ev);
        let date = (!text.is_empty()).then(|| text.parse().ok());
        let candidate = match date {
            Some(None) => None,
            Some(Some(d)) => Some(Some(d)),
            None => Some(None),
        }
        .map(|d| {
            let s = settings.get_untracked();
            if from {
                Settings { date_from: d, ..s }
            } else {
                Settings { date_to: d, ..s }
            }
        });
        apply(problems, SettingsField::DateRange, candidate, |s| {
            on_change.run(s)
        });
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
                    on:change=move |ev| set_date(ev, true) />
            </label>
            <label>
                {tr!("To ")}
                <input type="date" data-testid="date-to"
                    prop:value=move || settings.get().date_to.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| set_date(ev, false) />
            </label>
            <FieldError problems=problems field=SettingsField::DateRange name="date-range" />
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
            <FieldError problems=problems field=SettingsField::ChurnWindow name="churn-window" />
        </section>
    }
}
