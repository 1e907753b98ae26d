//! The reason-to-category rules as editable text, one rule per line
//! ("competitor: competitor, конкурент, switched to"), tried in order.

use leptos::prelude::*;
use loyalty_analytics::metrics::churn_rules::{CategoryRule, ChurnCategory, ChurnRules};

/// The rules as lines "category_id: keyword, keyword".
pub fn rules_text(rules: &ChurnRules) -> String {
    rules
        .rules
        .iter()
        .map(|r| format!("{}: {}", r.category.id(), r.keywords.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines back into rules; a line whose category is unknown is reported.
pub fn parse_rules(text: &str, base: &ChurnRules) -> Result<ChurnRules, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (id, keywords) = line
            .split_once(':')
            .ok_or_else(|| format!("line {}: write \"category: keyword, keyword\"", n + 1))?;
        let category = ChurnCategory::ALL
            .into_iter()
            .find(|c| c.id() == id.trim())
            .ok_or_else(|| {
                format!(
                    "line {}: \"{}\" is not a category ({})",
                    n + 1,
                    id.trim(),
                    ChurnCategory::ALL.map(|c| c.id()).join(", ")
                )
            })?;
        rules.push(CategoryRule {
            category,
            keywords: keywords
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
        });
    }
    Ok(ChurnRules {
        rules,
        refine_other_by_reason: base.refine_other_by_reason,
    })
}

/// The editor; applying calls `on_change` with the new rules (`None`: the
/// built-in ones).
#[component]
pub fn ChurnRulesEditor(
    /// The rules in force.
    rules: ChurnRules,
    /// Called with the edited rules.
    on_change: Callback<Option<ChurnRules>>,
) -> impl IntoView {
    let text = RwSignal::new(rules_text(&rules));
    let problem = RwSignal::new(None::<String>);
    view! {
        <details class="survey-settings">
            <summary>{tr!("Rules that map reasons to categories")}</summary>
            <textarea data-testid="churn-rules" rows="12"
                aria-label=tr!("Rules that map reasons to categories") prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="button" class="button secondary" data-testid="apply-churn-rules" on:click=move |_| {
                match parse_rules(&text.get_untracked(), &rules) {
                    Ok(r) => { problem.set(None); on_change.run(Some(r)); }
                    Err(e) => problem.set(Some(e)),
                }
            }>{tr!("Apply rules")}</button>
            " "
            <button type="button" class="link" on:click=move |_| {
                text.set(rules_text(&ChurnRules::default()));
                on_change.run(None);
            }>{tr!("Built-in rules")}</button>
            {move || problem.get().map(|p| view! { <p role="alert" class="warning">{p}</p> })}
        </details>
    }
}
