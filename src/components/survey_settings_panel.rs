//! Survey settings: the CSAT scale (when the detected one is wrong) and the
//! comment themes, edited as text ("theme: stem, stem") and kept locally.

use leptos::prelude::*;
use loyalty_analytics::metrics::comment_themes::{Theme, ThemeDictionary};
use loyalty_analytics::metrics::nps::Scale;
use loyalty_analytics::metrics::surveys::SurveySettings;

/// The dictionary as editable lines.
pub fn themes_text(d: &ThemeDictionary) -> String {
    d.themes
        .iter()
        .map(|t| format!("{}: {}", t.name, t.stems.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines "theme: stem, stem" back into a dictionary; lines without a colon
/// or without stems are skipped.
pub fn parse_themes(text: &str) -> ThemeDictionary {
    ThemeDictionary {
        themes: text
            .lines()
            .filter_map(|line| {
                let (name, stems) = line.split_once(':')?;
                let stems: Vec<String> = stems
                    .split(',')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect();
                let name = name.trim();
                (!name.is_empty() && !stems.is_empty()).then(|| Theme {
                    name: name.to_string(),
                    stems,
                })
            })
            .collect(),
    }
}

const SCALES: [(&str, Scale); 4] = [
    ("1-5", Scale::ONE_TO_FIVE),
    ("1-7", Scale::ONE_TO_SEVEN),
    ("1-10", Scale::ONE_TO_TEN),
    ("0-10", Scale::ZERO_TO_TEN),
];

/// The controls; a change calls `on_change` with the new survey settings.
#[component]
pub fn SurveySettingsPanel(
    /// The survey settings in force.
    settings: Signal<SurveySettings>,
    /// Called with the new settings (a rerun without re-reading).
    on_change: Callback<SurveySettings>,
) -> impl IntoView {
    let text = RwSignal::new(themes_text(
        &settings.get_untracked().themes.unwrap_or_default(),
    ));
    let scale_value = move || {
        settings
            .get()
            .csat_scale
            .and_then(|s| SCALES.iter().find(|(_, x)| *x == s).map(|(id, _)| *id))
            .unwrap_or("auto")
    };
    view! {
        <details class="survey-settings">
            <summary>{tr!("Settings")}</summary>
            <label>
                {tr!("CSAT scale ")}
                <select data-testid="csat-scale" prop:value=scale_value on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let scale = SCALES.iter().find(|(id, _)| *id == v).map(|(_, s)| *s);
                    on_change.run(SurveySettings { csat_scale: scale, ..settings.get_untracked() });
                }>
                    <option value="auto">{tr!("detected")}</option>
                    {SCALES.iter().map(|(id, _)| view! { <option value=*id>{*id}</option> }).collect_view()}
                </select>
            </label>
            <label class="themes-editor">
                {tr!("Comment themes (one per line: theme: stem, stem, …)")}
                <textarea data-testid="themes" rows="10" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <button type="button" class="button secondary" data-testid="apply-themes" on:click=move |_| {
                on_change.run(SurveySettings { themes: Some(parse_themes(&text.get_untracked())), ..settings.get_untracked() });
            }>{tr!("Apply themes")}</button>
            " "
            <button type="button" class="link" on:click=move |_| {
                text.set(themes_text(&ThemeDictionary::default()));
                on_change.run(SurveySettings { themes: None, ..settings.get_untracked() });
            }>{tr!("Built-in themes")}</button>
        </details>
    }
}
