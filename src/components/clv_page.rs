//! The CLV & segments page: the fitted models, what customers are worth,
//! RFM and ABC/XYZ segments with exports, and a search by customer id.

use crate::fmt::{grouped, money, percent};
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::chart::ChartId;
use loyalty_analytics::models::abc_xyz::{Abc, AbcXyzMatrix, Xyz};
use loyalty_analytics::models::rfm::{RfmSegment, SegmentSize};
use loyalty_analytics::models::section::TopCustomer;
use loyalty_analytics::models::{ClvSection, ClvSettings, CustomerCard, Segment};
use loyalty_analytics::Report;

use super::canvas_chart::CanvasChart;
use super::clv_models::ClvModels;
use super::clv_segments_table::ClvSegmentsTable;
use super::clv_settings_panel::ClvSettingsPanel;
use super::kpi_card::{kpi_cards, Kpi};
use super::sortable_table::{Column, SortableTable};
use crate::charts::{
    draw_clv_by_month_chart, draw_clv_distribution_chart, draw_holdout_chart, draw_rfm_grid_chart,
    draw_tracking_chart, Drawn, Target,
};
use loyalty_analytics::metric::MetricId;

fn rfm_columns() -> Vec<Column<SegmentSize>> {
    vec![
        Column::text("Segment", |g: &SegmentSize| {
            g.segment.name(crate::i18n::lang().code()).to_string()
        }),
        Column::number("Customers", |g: &SegmentSize| Some(g.customers as f64)),
        Column::number("Share", |g: &SegmentSize| Some(g.customer_share)).percent(),
        Column::number("Revenue share", |g: &SegmentSize| g.revenue_share).percent(),
        Column::action("Export"),
    ]
}

fn top_columns() -> Vec<Column<TopCustomer>> {
    vec![
        Column::text("Customer", |t: &TopCustomer| t.customer.clone()),
        Column::number("CLV", |t: &TopCustomer| Some(t.clv)).money(),
        Column::number("CLV, 90% interval", |t: &TopCustomer| Some(t.clv))
            .money()
            .interval(|t: &TopCustomer| t.interval.and_then(|i| i.clv).map(|i| (i.low, i.high))),
        Column::number("P(alive)", |t: &TopCustomer| Some(t.p_alive)).percent(),
        Column::number("Expected purchases", |t: &TopCustomer| {
            Some(t.expected_purchases)
        })
        .decimals(2),
        Column::number("Repeat purchases", |t: &TopCustomer| Some(t.frequency)).decimals(0),
    ]
}

/// One ABC class: its customers in X, Y and Z.
#[derive(Clone, Copy, Debug, PartialEq)]
struct AbcRow {
    abc: Abc,
    customers: [u64; 3],
}

/// The 3 x 3 matrix as rows A, B, C (a cell missing from the matrix is 0).
fn abc_xyz_rows(m: &AbcXyzMatrix) -> Vec<AbcRow> {
    Abc::ALL
        .into_iter()
        .map(|abc| AbcRow {
            abc,
            customers: Xyz::ALL.map(|xyz| {
                m.cells
                    .iter()
                    .find(|c| c.abc == abc && c.xyz == xyz)
                    .map_or(0, |c| c.customers)
            }),
        })
        .collect()
}

fn abc_xyz_columns() -> Vec<Column<AbcRow>> {
    let count = |k: usize| move |r: &AbcRow| Some(r.customers[k] as f64);
    vec![
        Column::text("ABC", |r: &AbcRow| r.abc.letter().to_string()).untranslated(),
        Column::number("X (steady)", count(0)),
        Column::number("Y", count(1)).untranslated(),
        Column::number("Z (erratic)", count(2)),
    ]
}

fn abc_xyz_caption(m: &AbcXyzMatrix) -> String {
    Msg::AbcXyz {
        a: m.settings.a_share,
        b: m.settings.b_share,
        c: 1.0 - m.settings.a_share - m.settings.b_share,
        x: m.settings.x_cv,
        y: m.settings.y_cv,
    }
    .text()
}

/// The ids a search text starts, as buttons that look each one up.
/// Average P(alive) and the RFM "lost" count when both are large enough
/// to read as a contradiction (at least 90% alive beside lost customers).
fn p_alive_beside_lost(section: Option<&ClvSection>) -> Option<(f64, u64)> {
    let section = section?;
    let p_alive = section.p_alive_mean.filter(|p| *p >= 0.9)?;
    let lost = section
        .rfm
        .as_ref()?
        .segments
        .iter()
        .find(|s| s.segment == RfmSegment::Lost)?
        .customers;
    (lost > 0).then_some((p_alive, lost))
}

fn matches_view(
    id: &str,
    matches: Vec<String>,
    on_pick: Callback<String>,
) -> Option<impl IntoView> {
    (!matches.is_empty()).then(|| {
        let shown = matches.len();
        view! {
            <p class="note matches" data-testid="customer-matches">
                {Msg::CustomerMatches { query: id.trim(), shown }.text()}
                {matches.into_iter().map(|m| view! {
                    " "
                    <button type="button" class="link" data-testid="customer-match"
                        on:click={let m = m.clone(); move |_| on_pick.run(m.clone())}>{m.clone()}</button>
                }).collect_view()}
            </p>
        }
    })
}

fn card_view(id: String, card: Option<CustomerCard>, on_pick: Callback<String>) -> impl IntoView {
    match card {
        None => view! { <p class="note" data-testid="customer-card">{Msg::NoCustomer { id: &id }.text()}</p> }.into_any(),
        Some(c) => {
            let p = c.prediction;
            let matches = matches_view(&id, c.matches.clone(), on_pick);
            view! {
                {matches}
                <dl class="customer-card" data-testid="customer-card" data-customer=c.customer.clone()>
                    <dt>{tr!("Customer")}</dt><dd>{c.customer.clone()}</dd>
                    <dt>{tr!("Repeat purchases (frequency)")}</dt><dd>{grouped(c.frequency, 0)}</dd>
                    <dt>{tr!("Recency / age (T), model units")}</dt><dd>{format!("{} / {}", grouped(c.recency, 1), grouped(c.t, 1))}</dd>
                    <dt>{tr!("Average repeat spend")}</dt><dd>{c.monetary_value.map(money).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{tr!("P(alive)")}</dt><dd data-field="p_alive">{p.map(|p| percent(p.p_alive)).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{tr!("Expected purchases over the horizon")}</dt><dd>{p.map(|p| grouped(p.expected_purchases, 2)).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{tr!("Expected purchases, 90% interval")}</dt>
                    <dd data-field="expected_purchases_interval"
                        data-ci-low=c.interval.map(|i| i.expected_purchases.low.to_string())
                        data-ci-high=c.interval.map(|i| i.expected_purchases.high.to_string())>
                        {c.interval.map(|i| Msg::Interval { low: &grouped(i.expected_purchases.low, 2), high: &grouped(i.expected_purchases.high, 2) }.text()).unwrap_or_else(|| "–".into())}
                    </dd>
                    <dt>"CLV"</dt><dd data-field="clv">{p.and_then(|p| p.clv).map(money).unwrap_or_else(|| "–".into())}</dd>
                    <dt>{tr!("CLV, 90% interval")}</dt>
                    <dd data-field="clv_interval"
                        data-ci-low=c.interval.and_then(|i| i.clv).map(|i| i.low.to_string())
                        data-ci-high=c.interval.and_then(|i| i.clv).map(|i| i.high.to_string())>
                        {c.interval.and_then(|i| i.clv).map(|i| Msg::Interval { low: &money(i.low), high: &money(i.high) }.text()).unwrap_or_else(|| "–".into())}
                    </dd>
                    <dt>"RFM"</dt><dd>{c.rfm.map(|r| format!("R{} F{} M{}: {}", r.r, r.f, r.m, r.segment.name(crate::i18n::lang().code()))).unwrap_or_else(|| "–".into())}</dd>
                    <dt>"ABC/XYZ"</dt><dd>{c.abc_xyz.map(|a| format!("{:?}{:?}", a.abc, a.xyz)).unwrap_or_else(|| "–".into())}</dd>
                </dl>
            }
            .into_any()
        }
    }
}

/// What customers are worth and which segment each is in.
#[component]
pub fn ClvPage(
    /// The last analysis.
    report: Signal<Option<Report>>,
    /// Called with new CLV settings (a rerun without re-reading).
    on_settings: Callback<ClvSettings>,
    /// Asks the worker for one customer's figures.
    on_lookup: Callback<String>,
    /// The last lookup's answer: (id asked, card).
    customer: Signal<Option<(String, Option<CustomerCard>)>>,
    /// Asks the worker for a segment's customer ids as CSV.
    on_export: Callback<Segment>,
) -> impl IntoView {
    let section = crate::report_parts::section(report, |r| r.clv.clone());
    let figure = move |id: &'static str| crate::report_parts::figure(report, id);
    let interval = move |low: MetricId, high: MetricId| {
        Signal::derive(move || {
            report.with(|r| {
                let r = r.as_ref()?;
                r.metric(low.id()).zip(r.metric(high.id()))
            })
        })
    };
    let with = move |f: fn(&ClvSection) -> bool| section.with(|s| s.as_deref().is_some_and(f));
    let settings = Signal::derive(move || {
        report
            .with(|r| r.as_ref().map(|r| r.settings.clv))
            .unwrap_or_default()
    });
    let query = RwSignal::new(String::new());
    view! {
        <Show
            when=move || section.get().is_some()
            fallback=|| view! {
                <p class="empty" data-testid="no-clv">
                    {tr!("Customer lifetime value needs an orders export (customer id, date, amount) or a per-customer summary (customer_id, frequency, recency, T, monetary_value).")}
                </p>
            }
        >
            <ClvSettingsPanel settings=settings on_change=on_settings />
            // Degenerate fits are explained, in the page's language, by ClvModels.
            {move || section.get().map(|s| s.messages.clone().into_iter().filter(|m| m.code != "degenerate").map(|m| view! {
                <p class="warning" data-code=m.code.clone()>{m.note.text(crate::i18n::lang().locale())}</p>
            }).collect_view())}
            <section class="kpis" aria-label=tr!("CLV figures")>
                {kpi_cards(vec![
                    Kpi::new(MetricId::ClvTotal, figure(MetricId::ClvTotal.id())).interval(interval(MetricId::ClvTotalLow, MetricId::ClvTotalHigh), 90),
                    Kpi::new(MetricId::ClvMean, figure(MetricId::ClvMean.id())),
                    Kpi::new(MetricId::PAliveMean, figure(MetricId::PAliveMean.id())),
                    Kpi::new(MetricId::ExpectedPurchasesTotal, figure(MetricId::ExpectedPurchasesTotal.id())).interval(interval(MetricId::ExpectedPurchasesLow, MetricId::ExpectedPurchasesHigh), 90),
                ])}
            </section>
            <ClvModels section=Signal::derive(move || section.get()) settings=settings on_change=on_settings />
            {move || section.with(|s| p_alive_beside_lost(s.as_deref())).map(|(p_alive, lost)| view! {
                <p class="note" data-testid="p-alive-explained">{move || Msg::PAliveBesideLost { p_alive, lost }.text()}</p>
            })}
            <details class="model-params">
                <summary>{tr!("Model parameters (BG/NBD, Pareto/NBD, Gamma-Gamma)")}</summary>
                <section class="kpis" aria-label=tr!("Model parameters")>
                    {kpi_cards(vec![
                        Kpi::new(MetricId::BgnbdR, figure(MetricId::BgnbdR.id())),
                        Kpi::new(MetricId::BgnbdAlpha, figure(MetricId::BgnbdAlpha.id())),
                        Kpi::new(MetricId::BgnbdA, figure(MetricId::BgnbdA.id())),
                        Kpi::new(MetricId::BgnbdB, figure(MetricId::BgnbdB.id())),
                        Kpi::new(MetricId::BgnbdLl, figure(MetricId::BgnbdLl.id())),
                        Kpi::new(MetricId::PnbdR, figure(MetricId::PnbdR.id())),
                        Kpi::new(MetricId::PnbdAlpha, figure(MetricId::PnbdAlpha.id())),
                        Kpi::new(MetricId::PnbdS, figure(MetricId::PnbdS.id())),
                        Kpi::new(MetricId::PnbdBeta, figure(MetricId::PnbdBeta.id())),
                        Kpi::new(MetricId::PnbdLl, figure(MetricId::PnbdLl.id())),
                        Kpi::new(MetricId::ClvTotalLow, figure(MetricId::ClvTotalLow.id())),
                        Kpi::new(MetricId::ClvTotalHigh, figure(MetricId::ClvTotalHigh.id())),
                        Kpi::new(MetricId::ExpectedPurchasesLow, figure(MetricId::ExpectedPurchasesLow.id())),
                        Kpi::new(MetricId::ExpectedPurchasesHigh, figure(MetricId::ExpectedPurchasesHigh.id())),
                        Kpi::new(MetricId::GgP, figure(MetricId::GgP.id())),
                        Kpi::new(MetricId::GgQ, figure(MetricId::GgQ.id())),
                        Kpi::new(MetricId::GgV, figure(MetricId::GgV.id())),
                    ])}
                </section>
                {move || section.get().and_then(|s| s.bgnbd.clone()).map(|f| view! {
                    <p class="note">{Msg::FittedOn {
                        customers: f.customers as usize,
                        repeat: f.repeat_customers as usize,
                        solver: &format!("{:?}", f.solver).replace("Lbfgs", "L-BFGS").replace("NelderMead", "Nelder-Mead"),
                        errors: f.standard_errors.map(|e| [e.r, e.alpha, e.a, e.b]),
                    }.text()}</p>
                })}
            </details>
            <form class="lookup" on:submit=move |ev| { ev.prevent_default(); on_lookup.run(query.get_untracked()); }>
                <label>{tr!("Find a customer ")}
                    <input type="search" data-testid="customer-search" placeholder=tr!("customer id")
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button secondary">{tr!("Look up")}</button>
            </form>
            {move || customer.get().map(|(id, card)| card_view(id, card, Callback::new(move |m: String| {
                query.set(m.clone());
                on_lookup.run(m);
            })))}
            <Show when=move || with(|s| s.clv_distribution.is_some())>
                <CanvasChart
                    chart=ChartId::ClvDistribution
                    summary=Signal::derive(move || section.get().and_then(|s| s.clv_distribution.clone()).map(|d| Msg::ClvSpread {
                        customers: d.customers as usize, mean: &money(d.mean), median: &money(d.median), highest: &money(d.max),
                    }.text()).unwrap_or_default())
                    draw=Callback::new(move |target: Target| match section.get().and_then(|s| s.clv_distribution.clone()) {
                        Some(d) => draw_clv_distribution_chart(&target, &d, crate::i18n::lang().locale()).map_err(|e| e.to_string()),
                        None => Ok(Drawn::default()),
                    })
                />
            </Show>
            <Show when=move || with(|s| !s.clv_by_month.is_empty())>
                <CanvasChart
                    chart=ChartId::ClvByMonth
                    summary=Signal::derive(move || section.get().map(|s| {
                        let window: Vec<_> = s.clv_by_month.iter().filter(|m| m.in_window).collect();
                        let (from, to) = (window.first().map_or(0, |m| m.month), window.last().map_or(0, |m| m.month));
                        Msg::ClvMonths { months: s.clv_by_month.len(), from, to, total: &s.clv_total.map(money).unwrap_or_else(|| "–".into()) }.text()
                    }).unwrap_or_default())
                    draw=Callback::new(move |target: Target| {
                        let months = section.get().map(|s| s.clv_by_month.clone()).unwrap_or_default();
                        draw_clv_by_month_chart(&target, &months, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                    })
                />
            </Show>
            <Show when=move || with(|s| s.holdout_in_use().is_some())>
                <CanvasChart
                    chart=ChartId::ClvHoldout
                    summary=Signal::derive(move || section.get().and_then(|s| s.holdout_in_use().cloned()).map(|h| h.by_frequency.iter().map(|g| Msg::HoldoutGroup {
                        purchases: g.frequency as usize, actual: g.actual_mean, predicted: g.predicted_mean,
                    }.text()).collect::<Vec<_>>().join("; ")).unwrap_or_default())
                    draw=Callback::new(move |target: Target| match section.get().and_then(|s| s.holdout_in_use().cloned()) {
                        Some(h) => draw_holdout_chart(&target, &h.by_frequency, crate::i18n::lang().locale()).map_err(|e| e.to_string()),
                        None => Ok(Drawn::default()),
                    })
                />
                <CanvasChart
                    chart=ChartId::ClvTracking
                    summary=Signal::derive(move || section.get().and_then(|s| s.holdout_in_use().cloned()).map(|h| Msg::Tracking { week: h.calibration_end_week as usize, weeks: h.tracking.len() }.text()).unwrap_or_default())
                    draw=Callback::new(move |target: Target| match section.get().and_then(|s| s.holdout_in_use().cloned()) {
                        Some(h) => draw_tracking_chart(&target, &h.tracking, h.calibration_end_week, crate::i18n::lang().locale()).map_err(|e| e.to_string()),
                        None => Ok(Drawn::default()),
                    })
                />
            </Show>
            <Show when=move || with(|s| s.rfm.is_some())>
                <CanvasChart
                    chart=ChartId::RfmGrid
                    summary=Signal::derive(move || section.get().and_then(|s| s.rfm.clone()).map(|r| r.segments.iter().map(|g| format!(
                        "{}: {}", g.segment.name(crate::i18n::lang().code()), g.customers
                    )).collect::<Vec<_>>().join("; ")).unwrap_or_default())
                    draw=Callback::new(move |target: Target| {
                        let grid = section.get().and_then(|s| s.rfm.clone()).map(|r| r.grid).unwrap_or_default();
                        draw_rfm_grid_chart(&target, &grid, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                    })
                />
                <SortableTable
                    testid="rfm-segments"
                    class="segment-table"
                    caption=Signal::derive(|| crate::i18n::t("RFM segments").to_string())
                    columns=rfm_columns()
                    rows=Signal::derive(move || section.get().and_then(|s| s.rfm.clone()).map(|r| r.segments).unwrap_or_default())
                    file_name="rfm-segments.csv"
                    row=move |g: SegmentSize| {
                        let segment = g.segment;
                        view! {
                            <tr data-segment=segment.id()>
                                <th scope="row">{segment.name(crate::i18n::lang().code())}</th>
                                <td>{grouped(g.customers as f64, 0)}</td>
                                <td>{percent(g.customer_share)}</td>
                                <td>{g.revenue_share.map(percent).unwrap_or_else(|| "–".into())}</td>
                                <td><button type="button" class="link" data-testid="export-segment"
                                    on:click=move |_| on_export.run(Segment::Rfm(segment))>{tr!("CSV of ids")}</button></td>
                            </tr>
                        }
                    }
                />
            </Show>
            <ClvSegmentsTable section=Signal::derive(move || section.get()) />
            {move || section.get().and_then(|s| s.abc_xyz.clone()).map(|m| view! {
                <SortableTable
                    testid="abc-xyz"
                    class="segment-table"
                    caption=abc_xyz_caption(&m)
                    columns=abc_xyz_columns()
                    rows=abc_xyz_rows(&m)
                    file_name="abc-xyz-customers.csv"
                    row=|r: AbcRow| view! {
                        <tr data-abc=r.abc.letter()>
                            <th scope="row">{r.abc.letter()}</th>
                            {r.customers.into_iter().map(|n| view! {
                                <td class="num">{grouped(n as f64, 0)}</td>
                            }).collect_view()}
                        </tr>
                    }
                />
            })}
            <Show when=move || with(|s| !s.top_customers.is_empty())>
                <SortableTable
                    testid="top-customers"
                    class="segment-table"
                    caption=Signal::derive(|| crate::i18n::t("Most valuable customers").to_string())
                    columns=top_columns()
                    rows=Signal::derive(move || section.get().map(|s| s.top_customers.clone().into_iter().take(25).collect::<Vec<_>>()).unwrap_or_default())
                    file_name="top-customers.csv"
                    row=|t: TopCustomer| view! {
                        <tr>
                            <th scope="row">{t.customer}</th>
                            <td>{money(t.clv)}</td>
                            <td data-field="clv_interval"
                                data-ci-low=t.interval.and_then(|i| i.clv).map(|i| i.low.to_string())
                                data-ci-high=t.interval.and_then(|i| i.clv).map(|i| i.high.to_string())>
                                {t.interval.and_then(|i| i.clv).map(|i| Msg::Interval { low: &money(i.low), high: &money(i.high) }.text()).unwrap_or_else(|| "–".into())}
                            </td>
                            <td>{percent(t.p_alive)}</td>
                            <td>{grouped(t.expected_purchases, 2)}</td>
                            <td>{grouped(t.frequency, 0)}</td>
                        </tr>
                    }
                />
                <p class="note">
                    <button type="button" class="link" on:click=move |_| on_export.run(Segment::TopClv)>{tr!("(CSV of ids)")}</button>
                    " "
                    <button type="button" class="link" data-testid="export-predictions"
                        on:click=move |_| on_export.run(Segment::Predictions)>{tr!("Every customer's predictions with 90% intervals (CSV)")}</button>
                </p>
            </Show>
        </Show>
    }
}
