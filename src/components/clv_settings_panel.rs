//! CLV settings: time unit, calibration end, horizon, discount rate, margin.

use leptos::prelude::*;
use loyalty_analytics::models::{ClvSettings, TimeUnit};
use loyalty_analytics::report::NaiveDate;

/// A number typed by the user, with a comma or a point as decimal mark.
fn number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The controls; a valid change calls `on_change` with the new settings.
#[component]
pub fn ClvSettingsPanel(
    /// The CLV settings in force.
    settings: Signal<ClvSettings>,
    /// Called with the new settings.
    on_change: Callback<ClvSettings>,
) -> impl IntoView {
    let update = move |f: &dyn Fn(&mut ClvSettings) -> bool| {
        let mut s = settings.get_untracked();
        if f(&mut s) {
            on_change.run(s);
        }
    };
    view! {
        <section class="settings" aria-label=tr!("CLV settings")>
            <label>
                {tr!("Time unit ")}
                <select data-testid="time-unit" prop:value=move || format!("{:?}", settings.get().time_unit).to_lowercase()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| TimeUnit::parse(&v).map(|u| s.time_unit = u).is_some())
                    }>
                    <option value="day">{tr!("Day")}</option>
                    <option value="week">{tr!("Week")}</option>
                    <option value="month">{tr!("Month")}</option>
                </select>
            </label>
            <label>
                {tr!("Calibration ends ")}
                <input type="date" data-testid="calibration-end"
                    prop:value=move || settings.get().calibration_end.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| {
                            if v.is_empty() {
                                s.calibration_end = None;
                                true
                            } else {
                                v.parse::<NaiveDate>().map(|d| s.calibration_end = Some(d)).is_ok()
                            }
                        })
                    } />
            </label>
            <label>
                {tr!("Horizon, months ")}
                <input type="number" min="1" max="120" data-testid="horizon-months"
                    prop:value=move || settings.get().horizon_months.to_string()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| v.trim().parse::<u32>().ok().filter(|m| (1..=120).contains(m)).map(|m| s.horizon_months = m).is_some())
                    } />
            </label>
            <label>
                {tr!("Monthly discount rate ")}
                <input type="number" step="0.001" min="0" max="1" data-testid="discount-rate"
                    prop:value=move || settings.get().discount_rate.to_string()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| number(&v).filter(|r| (0.0..1.0).contains(r)).map(|r| s.discount_rate = r).is_some())
                    } />
            </label>
            <label>
                {tr!("Margin (0-1, blank = revenue) ")}
                <input type="number" step="0.01" min="0" max="1" data-testid="margin"
                    prop:value=move || settings.get().margin.map(|m| m.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|s| {
                            if v.trim().is_empty() {
                                s.margin = None;
                                true
                            } else {
                                number(&v).filter(|m| (0.0..=1.0).contains(m)).map(|m| s.margin = Some(m)).is_some()
                            }
                        })
                    } />
            </label>
        </section>
    }
}
