//! The overview's summary of every area the data feeds: a tile per area
//! (retention, surveys, CLV, churn) with its leading figures from the
//! catalogue, each tile a link to its page. A churn list alone, or a survey
//! alone, fills the overview too.

use leptos::prelude::*;
use loyalty_analytics::metric::MetricId;
use loyalty_analytics::Report;

use super::kpi_card::KpiFormat;
use super::page_nav::Page;

/// Each area's page and the figures its tile shows, when the data has them.
const AREAS: [(Page, &[MetricId]); 4] = [
    (
        Page::Retention,
        &[MetricId::RetentionM3, MetricId::KmMedianMonths],
    ),
    (Page::Surveys, &[MetricId::Nps, MetricId::Csat]),
    (Page::Clv, &[MetricId::ClvTotal, MetricId::PAliveMean]),
    (
        Page::Churn,
        &[MetricId::ChurnedCustomers, MetricId::ChurnTopReasonShare],
    ),
];

/// The figure's name on the tile: the page's own card label (an English
/// key of the page's translations).
fn label(metric: MetricId) -> &'static str {
    match metric {
        MetricId::RetentionM3 => "Back in month 3",
        MetricId::KmMedianMonths => "Median lifetime, months",
        MetricId::Nps => "NPS",
        MetricId::Csat => "CSAT, top two answers",
        MetricId::ClvTotal => "Total CLV over the horizon",
        MetricId::PAliveMean => "Average P(alive)",
        MetricId::ChurnedCustomers => "Customers who left",
        MetricId::ChurnTopReasonShare => "Top reason's share",
        _ => "",
    }
}

/// One line of a tile: the figure, with NPS's margin and the top reason's name.
fn figure_text(report: &Report, metric: MetricId, value: f64) -> String {
    let text = KpiFormat::of(metric.kind()).text(value);
    match metric {
        MetricId::Nps => match report.metric(MetricId::NpsMargin.id()) {
            Some(margin) => format!("{text} ± {}", KpiFormat::of(metric.kind()).text(margin)),
            None => text,
        },
        MetricId::ChurnTopReasonShare => {
            let top = report
                .churn
                .as_ref()
                .and_then(|c| c.reasons.first())
                .and_then(|r| r.reason.clone());
            match top {
                Some(reason) => format!("{text} · {reason}"),
                None => text,
            }
        }
        _ => text,
    }
}

/// A tile per area the report has figures for, linking to its page.
#[component]
pub fn AreaSummary(
    /// The analysis shown.
    report: Memo<Option<Report>>,
    /// The page shown; a tile's click changes it.
    page: RwSignal<Page>,
) -> impl IntoView {
    let tiles = move || {
        report.with(|report| {
        let report = report.as_ref()?;
        let tiles: Vec<_> = AREAS
            .iter()
            .filter_map(|&(area, metrics)| {
                let lines: Vec<(MetricId, String)> = metrics
                    .iter()
                    .filter_map(|&m| {
                        report
                            .metric(m.id())
                            .map(|v| (m, figure_text(report, m, v)))
                    })
                    .collect();
                (!lines.is_empty()).then(|| {
                    view! {
                        <a
                            class="area-tile"
                            href=format!("#{}", area.id())
                            data-testid="area-summary"
                            data-area=area.id()
                            on:click=move |_| page.set(area)
                        >
                            <span class="area-title">{move || crate::i18n::t(area.title()).to_string()}</span>
                            {lines
                                .into_iter()
                                .map(|(m, text)| {
                                    view! {
                                        <span class="area-figure" data-summary=m.id()>
                                            <span class="kpi-label">{move || crate::i18n::t(label(m)).to_string()}</span>
                                            " "
                                            <span class="area-value">{text}</span>
                                        </span>
                                    }
                                })
                                .collect_view()}
                        </a>
                    }
                })
            })
            .collect();
        (!tiles.is_empty()).then(|| {
            view! {
                <nav class="area-summary" aria-label=tr!("Every area at a glance")>
                    {tiles}
                </nav>
            }
        })
        })
    };
    view! { {tiles} }
}
