//! The message beside a setting the user typed out of bounds: the core's
//! [`Settings::validate`] decides, the bad value is not sent, and the
//! figures stay as they were.

use leptos::prelude::*;
use loyalty_analytics::settings_check::{SettingsError, SettingsField};
use loyalty_analytics::Settings;

use crate::messages::Msg;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The text is not a number at all.
    NotANumber,
    /// A number out of its bounds.
    Bad(SettingsError),
}

/// The open problems of a panel's fields.
pub type Problems = RwSignal<Vec<(SettingsField, Problem)>>;

/// Checks `candidate` (`None`: the text was not a number) for `field`:
/// sends it and clears the field's message when it is in bounds, else keeps
/// the message and sends nothing.
pub fn apply(
    problems: Problems,
    field: SettingsField,
    candidate: Option<Settings>,
    send: impl FnOnce(Settings),
) {
    let problem = match &candidate {
        None => Some(Problem::NotANumber),
        Some(s) => s
            .validate()
            .err()
            .and_then(|e| e.into_iter().find(|e| e.field() == field))
            .map(Problem::Bad),
    };
    problems.update(|p| {
        p.retain(|(f, _)| *f != field);
        if let Some(problem) = &problem {
            p.push((field, problem.clone()));
        }
    });
    if let (None, Some(s)) = (problem, candidate) {
        send(s);
    }
}

/// The message of `field`'s problem, in the page's language, beside it.
#[component]
pub fn FieldError(problems: Problems, field: SettingsField, name: &'static str) -> impl IntoView {
    let text = move || {
        problems.with(|p| {
            p.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, problem)| match problem {
                    Problem::NotANumber => crate::i18n::t("Enter a number.").to_string(),
                    Problem::Bad(error) => Msg::SettingsProblem { error }.text(),
                })
        })
    };
    view! {
        <Show when=move || text().is_some()>
            <span class="field-error" role="alert" data-testid="settings-error" data-field=name>
                {text}
            </span>
        </Show>
    }
}
