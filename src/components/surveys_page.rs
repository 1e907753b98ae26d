//! The NPS & CSAT page: headline figures with intervals, the distribution,
//! the trend, segments, comment themes, and what respondents later did.

use crate::fmt::{grouped, percent};
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::chart::ChartId;
use loyalty_analytics::chart::LinkMeasure;
use loyalty_analytics::metrics::loyalty_link::GroupChurn;
use loyalty_analytics::metrics::surveys::{NpsPeriod, SurveySection, SurveySettings};
use loyalty_analytics::Report;

use super::canvas_chart::CanvasChart;
use super::comment_themes::CommentThemes;
use super::kpi_card::{kpi_cards, Kpi};
use super::loyalty_link_table::LoyaltyLinkTable;
use super::nps_segment_table::NpsSegmentTable;
use super::sortable_table::{Column, SortableTable};
use super::survey_settings_panel::SurveySettingsPanel;
use crate::charts::{
    draw_loyalty_link_chart, draw_nps_distribution_chart, draw_nps_trend_chart, Target,
};
use crate::i18n::tf;
use loyalty_analytics::metric::MetricId;

fn trend_summary(trend: &[NpsPeriod]) -> String {
    match (trend.first(), trend.last()) {
        (Some(first), Some(last)) => Msg::NpsTrend {
            first: &first.label,
            first_nps: first.summary.nps,
            last: &last.label,
            last_nps: last.summary.nps,
            periods: trend.len(),
            significant: trend.iter().filter(|p| p.significant_change).count(),
        }
        .text(),
        _ => String::new(),
    }
}

/// Periods whose margin is wider than 5 points, and how many answers would do.
fn thin_periods(trend: &[NpsPeriod]) -> Option<String> {
    let thin: Vec<String> = trend
        .iter()
        .filter_map(|p| {
            p.responses_for_5_points.map(|n| {
                Msg::ThinPeriod {
                    label: &p.label,
                    answers: p.summary.responses as usize,
                    margin: p.summary.margin,
                    needed: n as usize,
                }
                .text()
            })
        })
        .collect();
    (!thin.is_empty()).then(|| {
        tf(
            "Too few answers for a ±5 point margin in {} of {} periods: {}.",
            &[
                thin.len().to_string(),
                trend.len().to_string(),
                thin.into_iter().take(6).collect::<Vec<_>>().join("; "),
            ],
        )
    })
}

/// The columns: the answer group, customers, share who left, its interval.
fn churn_columns(title: &str) -> Vec<Column<GroupChurn>> {
    vec![
        Column::text(title, |g: &GroupChurn| g.group.clone()),
        Column::number("Customers", |g: &GroupChurn| Some(g.churn.of as f64)),
        Column::number("Left", |g: &GroupChurn| Some(g.churn.share)).percent(),
        Column::number("95% interval", |g: &GroupChurn| Some(g.churn.ci_low))
            .percent()
            .interval(|g: &GroupChurn| Some((g.churn.ci_low, g.churn.ci_high))),
    ]
}

/// Who left, by one kind of answer (`title`: "Complained", "Satisfaction score").
fn churn_table(
    title: &'static str,
    file_name: &'static str,
    groups: Vec<GroupChurn>,
) -> impl IntoView {
    view! {
        <SortableTable
            testid="churn-by-answer"
            caption=Signal::derive(move || crate::i18n::t(title).to_string())
            columns=churn_columns(title)
            rows=groups
            file_name=file_name
            row=|g: GroupChurn| view! {
                <tr>
                    <th scope="row">{g.group}</th>
                    <td class="num">{grouped(g.churn.of as f64, 0)}</td>
                    <td class="num" data-value=g.churn.share.to_string()>{percent(g.churn.share)}</td>
                    <td>{Msg::Interval { low: &percent(g.churn.ci_low), high: &percent(g.churn.ci_high) }.text()}</td>
                </tr>
            }
        />
    }
}

/// Everything the survey answers (and customers files with complaint or
/// satisfaction columns) say.
#[component]
pub fn SurveysPage(
    /// The last analysis.
    report: Signal<Option<Report>>,
    /// Called with new survey settings (CSAT scale, themes).
    on_settings: Callback<SurveySettings>,
) -> impl IntoView {
    let survey_settings = Signal::derive(move || {
        report
            .with(|r| r.as_ref().map(|r| r.settings.surveys.clone()))
            .unwrap_or_default()
    });
    let section = crate::report_parts::section(report, |r| r.surveys.clone());
    let figure = move |id: &'static str| crate::report_parts::figure(report, id);
    let nps_interval = Signal::derive(move || {
        section
            .get()
            .and_then(|s| s.nps)
            .map(|n| (n.ci_low, n.ci_high))
    });
    let csat_interval = Signal::derive(move || {
        section
            .get()
            .and_then(|s| s.csat.clone())
            .map(|c| (c.ci_low, c.ci_high))
    });
    let has_nps = move || section.get().is_some_and(|s| s.nps.is_some());
    let with = move |f: fn(&SurveySection) -> bool| section.with(|s| s.as_deref().is_some_and(f));
    view! {
        <Show
            when=move || section.get().is_some()
            fallback=|| view! {
                <p class="empty" data-testid="no-surveys">
                    {tr!("No survey answers loaded. Drop a survey export with a 0-10 \"likelihood to recommend\" column (and, if you have them, customer id, date, comment, CSAT 1-5 or CES 1-7) to see NPS with its margin of error.")}
                </p>
            }
        >
            <SurveySettingsPanel settings=survey_settings on_change=on_settings />
            <section class="kpis" aria-label=tr!("Survey figures")>
                {kpi_cards(vec![
                    Kpi::new(MetricId::Responses, figure(MetricId::Responses.id())),
                    Kpi::new(MetricId::Nps, figure(MetricId::Nps.id())).interval(nps_interval, 95),
                    Kpi::new(MetricId::NpsMargin, figure(MetricId::NpsMargin.id())),
                    Kpi::new(MetricId::NpsCiLow, figure(MetricId::NpsCiLow.id())),
                    Kpi::new(MetricId::NpsCiHigh, figure(MetricId::NpsCiHigh.id())),
                    Kpi::new(MetricId::PromotersPct, figure(MetricId::PromotersPct.id())),
                    Kpi::new(MetricId::PassivesPct, figure(MetricId::PassivesPct.id())),
                    Kpi::new(MetricId::DetractorsPct, figure(MetricId::DetractorsPct.id())),
                    Kpi::new(MetricId::Csat, figure(MetricId::Csat.id())).interval(csat_interval, 95),
                    Kpi::new(MetricId::Ces, figure(MetricId::Ces.id())),
                ])}
            </section>
            <Show when=move || section.get().and_then(|s| s.csat.clone()).is_some()>
                <p class="note" data-testid="csat-scale">
                    {move || section.get().and_then(|s| s.csat.clone()).map(|c| Msg::CsatScale {
                        min: c.scale.min, max: c.scale.max, satisfied: c.satisfied as usize, answers: c.responses as usize, mean: c.mean,
                    }.text())}
                </p>
            </Show>
            <Show when=has_nps>
                <CanvasChart
                    chart=ChartId::NpsDistribution
                    summary=Signal::derive(move || section.get().map(|s| Msg::AnswersPerScore {
                        counts: &s.nps_distribution.iter().map(|n| *n as usize).collect::<Vec<_>>(),
                    }.text()).unwrap_or_default())
                    draw=Callback::new(move |target: Target| {
                        let distribution = section.get().map(|s| s.nps_distribution.clone()).unwrap_or_default();
                        draw_nps_distribution_chart(&target, &distribution, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                    })
                />
            </Show>
            <Show when=move || with(|s| !s.nps_trend.is_empty())>
                <CanvasChart
                    chart=ChartId::NpsTrend
                    summary=Signal::derive(move || trend_summary(&section.get().map(|s| s.nps_trend.clone()).unwrap_or_default()))
                    draw=Callback::new(move |target: Target| {
                        let trend = section.get().map(|s| s.nps_trend.clone()).unwrap_or_default();
                        draw_nps_trend_chart(&target, &trend, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                    })
                />
                {move || section.get().and_then(|s| thin_periods(&s.nps_trend)).map(|text| view! {
                    <p class="warning" data-testid="thin-periods">{text}</p>
                })}
            </Show>
            {move || section.get().map(|s| s.nps_segments.clone().into_iter().map(|table| view! {
                <NpsSegmentTable table=table />
            }).collect_view())}
            <Show when=move || with(|s| s.loyalty_link.as_ref().is_some_and(|l| !l.by_nps_group.is_empty()))>
                <CanvasChart
                    chart=ChartId::LoyaltyLink
                    summary=Signal::derive(move || section.get().and_then(|s| s.loyalty_link.clone()).map(|l| l.by_nps_group.iter().map(|g| Msg::BoughtTwice {
                        group: crate::i18n::t(&g.group), share: g.repeat_rate.map(|r| r.share),
                    }.text()).collect::<Vec<_>>().join("; ")).unwrap_or_default())
                    draw=Callback::new(move |target: Target| {
                        let groups = section.get().and_then(|s| s.loyalty_link.clone()).map(|l| l.by_nps_group).unwrap_or_default();
                        draw_loyalty_link_chart(&target, &groups, LinkMeasure::RepeatRate, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                    })
                />
            </Show>
            {move || section.get().and_then(|s| s.loyalty_link.clone()).map(|l| view! {
                <section class="loyalty-link" aria-label=tr!("What respondents did")>
                    <p class="note" data-testid="respondents-matched">{tf(
                        "{} of {} respondents with a customer id match a customer with purchases; {} do not and are left out below.",
                        &[grouped(l.matched as f64, 0), grouped(l.respondents_with_id as f64, 0), grouped(l.unmatched as f64, 0)]
                    )}</p>
                    {(!l.by_nps_group.is_empty()).then(|| view! { <LoyaltyLinkTable title="NPS group" groups=l.by_nps_group.clone() /> })}
                    {(!l.by_csat.is_empty()).then(|| view! { <LoyaltyLinkTable title="Satisfaction" groups=l.by_csat.clone() /> })}
                    {(!l.by_problem.is_empty()).then(|| view! { <LoyaltyLinkTable title="Had a problem" groups=l.by_problem.clone() /> })}
                </section>
            })}
            {move || section.get().and_then(|s| s.churn_by_answer.clone()).map(|c| view! {
                <section class="churn-by-answer" aria-label=tr!("Who left, by answer")>
                    {(!c.by_problem.is_empty()).then(|| churn_table("Complained", "churn-by-complaint.csv", c.by_problem.clone()))}
                    {(!c.by_satisfaction.is_empty()).then(|| churn_table("Satisfaction score", "churn-by-satisfaction.csv", c.by_satisfaction.clone()))}
                </section>
            })}
            {move || section.get().and_then(|s| s.comments.clone()).map(|analysis| view! { <CommentThemes analysis=analysis /> })}
        </Show>
    }
}
