//! The few significant changes a page opens with ("NPS fell from 33 to 12
//! in 2025-Q4, a significant drop"), before any chart or diagnostic.

use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::news::{news, News};
use loyalty_analytics::Report;

/// Which facts a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NewsOf {
    All,
    Retention,
    Surveys,
}

fn keeps(of: NewsOf, item: &News) -> bool {
    matches!(
        (of, item),
        (NewsOf::All, _)
            | (NewsOf::Retention, News::RetentionChange { .. })
            | (NewsOf::Surveys, News::NpsChange { .. })
    )
}

fn sentence(item: &News) -> String {
    let rose = item.change() > 0.0;
    match item {
        News::NpsChange {
            from_period,
            from,
            period,
            to,
        } => Msg::NpsChanged {
            from_period,
            from: *from,
            period,
            to: *to,
            rose,
        }
        .text(),
        News::RetentionChange {
            from_period,
            from,
            period,
            to,
            ..
        } => Msg::RetentionChanged {
            from_period,
            from: *from,
            period,
            to: *to,
            rose,
        }
        .text(),
    }
}

/// At most three sentences on what changed significantly; nothing when nothing did.
#[component]
pub fn NewsLines(
    /// The report to read the changes from.
    report: Memo<Option<Report>>,
    /// The page's share of the facts.
    of: NewsOf,
) -> impl IntoView {
    let items = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    news(r)
                        .into_iter()
                        .filter(|n| keeps(of, n))
                        .take(3)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !items().is_empty()>
            <div class="news" data-testid="news">
                {move || items().iter().map(|n| view! { <p>{sentence(n)}</p> }).collect_view()}
            </div>
        </Show>
    }
}
