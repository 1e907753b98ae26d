//! What comments talk about: themes, their share among detractors and
//! promoters, their impact on NPS, and the comments of a chosen theme.

use crate::fmt::{grouped, percent};
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::metrics::comment_themes::{CommentAnalysis, ThemeFigures};
use loyalty_analytics::metrics::nps::NpsGroup;

use super::sortable_table::{Column, SortableTable};

/// A theme with its place in the analysis (to find its comments again).
type Row = (usize, ThemeFigures);

/// The themes some comment mentions, in the analysis' order.
fn mentioned(analysis: &CommentAnalysis) -> Vec<Row> {
    analysis
        .themes
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, t)| t.mentions > 0)
        .collect()
}

/// The columns: theme, comments, shares of detractors' and promoters'
/// comments, impact on NPS.
fn columns() -> Vec<Column<Row>> {
    vec![
        Column::text("Theme", |(_, t): &Row| crate::i18n::t(&t.theme).to_string()),
        Column::number("Comments", |(_, t): &Row| Some(t.mentions as f64)),
        Column::number("Of detractors' comments", |(_, t): &Row| t.share_detractors).percent(),
        Column::number("Of promoters' comments", |(_, t): &Row| t.share_promoters).percent(),
        Column::number("Impact on NPS", |(_, t): &Row| t.impact)
            .decimals(1)
            .hint("NPS minus NPS of the answers without this theme"),
    ]
}

/// The theme table; clicking a theme lists its comments (as text, never HTML).
#[component]
pub fn CommentThemes(
    /// Theme figures and top terms.
    analysis: CommentAnalysis,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let themes = analysis.themes.clone();
    let share = |v: Option<f64>| v.map(percent).unwrap_or_else(|| "–".into());
    let row = move |(i, t): (usize, ThemeFigures)| {
        view! {
            <tr data-theme=t.theme.clone()>
                <th scope="row">
                    <button type="button" class="link" on:click=move |_| chosen.set(Some(i))>
                        {crate::i18n::t(&t.theme).to_string()}
                    </button>
                </th>
                <td class="num">{grouped(t.mentions as f64, 0)}</td>
                <td class="num">{share(t.share_detractors)}</td>
                <td class="num">{share(t.share_promoters)}</td>
                <td class="num">{t.impact.map(|v| grouped(v, 1)).unwrap_or_default()}</td>
            </tr>
        }
    };
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
                    <strong>{format!("{}: ", crate::i18n::t(match g.group {
                        NpsGroup::Promoter => "Promoters",
                        NpsGroup::Passive => "Passives",
                        NpsGroup::Detractor => "Detractors",
                    }))}</strong>
                    {words}
                </p>
            }
        })
        .collect_view();
    let verbatims = move || {
        chosen.get().and_then(|i| themes.get(i).cloned()).map(|t| {
            view! {
                <section class="verbatims" data-testid="verbatims" aria-live="polite">
                    <h4>{Msg::CommentsAbout { theme: crate::i18n::t(&t.theme) }.text()}</h4>
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
    // Counts as text once; the sentences around them follow the language.
    let comments = grouped(analysis.comments as f64, 0);
    let unthemed = grouped(analysis.unthemed as f64, 0);
    view! {
        <section class="comments" aria-label=tr!("Comment themes")>
            <h3>{move || crate::i18n::tf("What {} comments talk about", std::slice::from_ref(&comments))}</h3>
            <SortableTable
                testid="themes"
                caption=Signal::derive(|| crate::i18n::t("Comment themes").to_string())
                columns=columns()
                rows=mentioned(&analysis)
                file_name="comment-themes.csv"
                row=row
            />
            <p class="note">{move || crate::i18n::tf("{} comments match no theme.", std::slice::from_ref(&unthemed))}</p>
            {terms}
            {verbatims}
        </section>
    }
}
