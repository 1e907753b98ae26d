//! What comments talk about: themes, their share among detractors and
//! promoters, their impact on NPS, and the comments of a chosen theme.

use crate::fmt::{grouped, percent};
use leptos::prelude::*;
use loyalty_analytics::metrics::comment_themes::CommentAnalysis;

/// The theme table; clicking a theme lists its comments (as text, never HTML).
#[component]
pub fn CommentThemes(
    /// Theme figures and top terms.
    analysis: CommentAnalysis,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let themes = analysis.themes.clone();
    let share = |v: Option<f64>| v.map(percent).unwrap_or_else(|| "–".into());
    let rows = analysis
        .themes
        .iter()
        .enumerate()
        .filter(|(_, t)| t.mentions > 0)
        .map(|(i, t)| {
            view! {
                <tr>
                    <th scope="row">
                        <button type="button" class="link" on:click=move |_| chosen.set(Some(i))>
                            {t.theme.clone()}
                        </button>
                    </th>
                    <td>{grouped(t.mentions as f64, 0)}</td>
                    <td>{share(t.share_detractors)}</td>
                    <td>{share(t.share_promoters)}</td>
                    <td>{t.impact.map(|v| grouped(v, 1)).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let terms = analysis
        .top_terms
        .iter()
        .map(|g| {
            let words = g
                .terms
                .iter()
                .map(|(w, n)| format!("{w} ({n})"))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <p class="terms">
                    <strong>{format!("{:?}s: ", g.group)}</strong>
                    {words}
                </p>
            }
        })
        .collect_view();
    let verbatims = move || {
        chosen.get().and_then(|i| themes.get(i).cloned()).map(|t| {
            view! {
                <section class="verbatims" data-testid="verbatims" aria-live="polite">
                    <h4>{format!("Comments about {}", t.theme)}</h4>
                    <ul>
                        {t.verbatims
                            .into_iter()
                            .map(|v| view! {
                                <li>
                                    <span class="score">{v.score.map(|s| s.to_string()).unwrap_or_default()}</span>
                                    " "
                                    {v.text}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    };
    view! {
        <section class="comments" aria-label=tr!("Comment themes")>
            <h3>{format!("What {} comments talk about", grouped(analysis.comments as f64, 0))}</h3>
            <table data-testid="themes">
                <thead>
                    <tr>
                        <th scope="col">{tr!("Theme")}</th>
                        <th scope="col">{tr!("Comments")}</th>
                        <th scope="col">{tr!("Of detractors' comments")}</th>
                        <th scope="col">{tr!("Of promoters' comments")}</th>
                        <th scope="col" title="NPS minus NPS of the answers without this theme">{tr!("Impact on NPS")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note">{format!("{} comments match no theme.", grouped(analysis.unthemed as f64, 0))}</p>
            {terms}
            {verbatims}
        </section>
    }
}
