//! CLV settings: time unit, calibration end, horizon, window of months,
//! discount rate, margin.

use leptos::prelude::*;
use loyalty_analytics::models::{ClvSettings, MonthWindow, TimeUnit};
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::settings_check::SettingsField;
use loyalty_analytics::Settings;

use super::settings_errors::{apply, FieldError, Problems};

/// A number typed by the user, with a comma or a point as decimal mark.
fn number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A whole number as typed; a number with a fraction or a sign is out of
/// bounds (0), not "not a number".
fn whole(text: &str) -> Option<u32> {
    let text = text.trim();
    text.parse::<u32>().ok().or_else(|| number(text).map(|_| 0))
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
    let problems: Problems = RwSignal::new(Vec::new());
    // A typed figure: checked by the core with the rest of the settings in
    // bounds; `None` (not a number) or out of bounds shows the message and
    // sends nothing.
    let check = move |field: SettingsField, set: &dyn Fn(&mut ClvSettings) -> bool| {
        let mut clv = settings.get_untracked();
        let candidate = set(&mut clv).then(|| Settings {
            clv,
            ..Settings::default()
        });
        apply(problems, field, candidate, |s| on_change.run(s.clv));
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
                <input type="number" min="1" max="600" data-testid="horizon-months"
                    prop:value=move || settings.get().horizon_months.to_string()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        check(SettingsField::Horizon, &|s| whole(&v).map(|m| s.horizon_months = m).is_some())
                    } />
            </label>
            <FieldError problems=problems field=SettingsField::Horizon name="horizon-months" />
            <label>
                {tr!("Only months (e.g. 13-24, blank = the whole horizon) ")}
                <input type="text" inputmode="numeric" size="7" data-testid="window-months"
                    prop:value=move || settings.get().window_months.map(|w| format!("{}-{}", w.from, w.to)).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        check(SettingsField::Window, &|s| {
                            // Text that is not m-n is an out-of-range window:
                            // its message says how to write one.
                            s.window_months = (!v.trim().is_empty())
                                .then(|| MonthWindow::parse(&v).unwrap_or(MonthWindow { from: 0, to: 0 }));
                            true
                        })
                    } />
            </label>
            <FieldError problems=problems field=SettingsField::Window name="window-months" />
            <label>
                {tr!("Monthly discount rate ")}
                <input type="number" step="0.001" min="0" max="1" data-testid="discount-rate"
                    prop:value=move || settings.get().discount_rate.to_string()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        check(SettingsField::DiscountRate, &|s| number(&v).map(|r| s.discount_rate = r).is_some())
                    } />
            </label>
            <FieldError problems=problems field=SettingsField::DiscountRate name="discount-rate" />
            <label>
                {tr!("Margin (0-1, blank = revenue) ")}
                <input type="number" step="0.01" min="0" max="1" data-testid="margin"
                    prop:value=move || settings.get().margin.map(|m| m.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        check(SettingsField::Margin, &|s| {
                            if v.trim().is_empty() {
                                s.margin = None;
                                true
                            } else {
                                number(&v).map(|m| s.margin = Some(m)).is_some()
                            }
                        })
                    } />
            </label>
            <FieldError problems=problems field=SettingsField::Margin name="margin" />
        </section>
    }
}
