//! The churn causes page: why customers leave, how much it costs, which
//! reason takes them early and which late, and who to call first.

use crate::fmt::{grouped, money, percent};
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::chart::ChartId;
use loyalty_analytics::chart::ChurnLabels;
use loyalty_analytics::metrics::churn_causes::{
    CategoryRow, ChurnSection, ChurnSource, GroupingKey, PeriodRow, SegmentRow,
};
use loyalty_analytics::metrics::churn_rules::{ChurnCategory, ChurnRules};
use loyalty_analytics::Report;

use super::call_list::CallList;
use super::canvas_chart::CanvasChart;
use super::churn_reasons_table::ChurnReasonsTable;
use super::churn_rules_editor::ChurnRulesEditor;
use super::kpi_card::{kpi_cards, Kpi};
use super::sortable_table::{slug, Column, SortableTable};
use crate::charts::{draw_incidence_chart, draw_pareto_chart, draw_reference_chart, Drawn, Target};
use crate::i18n::tf;
use loyalty_analytics::metric::MetricId;

fn category_columns() -> Vec<Column<CategoryRow>> {
    vec![
        Column::text("Category", |c: &CategoryRow| {
            crate::i18n::category(c.category).to_string()
        }),
        Column::number("Customers who left", |c: &CategoryRow| {
            Some(c.customers as f64)
        }),
        Column::number("Share", |c: &CategoryRow| Some(c.share)).percent(),
        Column::number("Revenue lost", |c: &CategoryRow| c.revenue_lost).money(),
        Column::number(
            "Value at stake among active customers",
            |c: &CategoryRow| c.value_at_stake,
        )
        .money(),
    ]
}

/// Leavers of one category in one month.
fn month_count(p: &PeriodRow, category: ChurnCategory) -> u64 {
    p.counts.get(category.index()).copied().unwrap_or(0)
}

/// Month, one column per category that occurs, then the month's total.
fn month_columns(used: &[ChurnCategory]) -> Vec<Column<PeriodRow>> {
    let mut columns = vec![Column::text("Month", |p: &PeriodRow| p.month.clone())];
    columns.extend(used.iter().map(|&c| {
        Column::number(c.label(), move |p: &PeriodRow| {
            Some(month_count(p, c) as f64)
        })
    }));
    columns.push(Column::number("Customers who left", |p: &PeriodRow| {
        Some(p.total as f64)
    }));
    columns
}

/// The segment column's own name as the first heading, then the figures.
fn segment_columns(column: &str) -> Vec<Column<SegmentRow>> {
    vec![
        Column::text(column, |r: &SegmentRow| r.segment.clone()).untranslated(),
        Column::number("Customers", |r: &SegmentRow| Some(r.customers as f64)),
        Column::number("Left", |r: &SegmentRow| Some(r.churned as f64)),
        Column::number("Share who left", |r: &SegmentRow| Some(r.churn_share)).percent(),
        Column::number("Revenue lost", |r: &SegmentRow| r.revenue_lost).money(),
    ]
}

fn source_text(s: &ChurnSection) -> String {
    match s.source {
        ChurnSource::CustomerRecords => tf(
            "{} of {} customers in the customers file have left.",
            &[grouped(s.churned as f64, 0), grouped(s.customers as f64, 0)],
        ),
        ChurnSource::Transactions => tf(
            "No customers file with reasons: {} of {} customers count as lost because they have not bought for {} days before the data's last date (reason unknown).",
            &[
                grouped(s.churned as f64, 0),
                grouped(s.customers as f64, 0),
                s.churn_window_days.to_string(),
            ],
        ),
    }
}

/// Why customers leave.
#[component]
pub fn ChurnPage(
    /// The last analysis.
    report: Signal<Option<Report>>,
    /// Called when the user re-maps a reason to another category.
    on_remap: Callback<(String, ChurnCategory)>,
    /// Called with edited rules (`None`: the built-in ones).
    on_rules: Callback<Option<ChurnRules>>,
    /// Called with the call list's grouping (`None`: the best separating).
    on_grouping: Callback<Option<GroupingKey>>,
) -> impl IntoView {
    let section = crate::report_parts::section(report, |r| r.churn.clone());
    let figure = move |id: &'static str| crate::report_parts::figure(report, id);
    let with = move |f: fn(&ChurnSection) -> bool| section.with(|s| s.as_deref().is_some_and(f));
    // One segment column at a time: customers files often have dozens.
    let segment_column = RwSignal::new(String::new());
    view! {
        <Show
            when=move || section.get().is_some()
            fallback=|| view! {
                <p class="empty" data-testid="no-churn">
                    {tr!("Drop a customers file with a status or end date and a reason column (or an orders export, to infer who stopped buying) to see why customers leave.")}
                </p>
            }
        >
            <p class="note">{move || section.get().map(|s| source_text(&s))}</p>
            <section class="kpis" aria-label=tr!("Churn figures")>
                {kpi_cards(vec![
                    Kpi::new(MetricId::ChurnedCustomers, figure(MetricId::ChurnedCustomers.id())),
                    Kpi::new(MetricId::ChurnReasons, figure(MetricId::ChurnReasons.id())),
                    Kpi::new(MetricId::ChurnTopReasonShare, figure(MetricId::ChurnTopReasonShare.id())),
                    Kpi::new(MetricId::ChurnControllableShare, figure(MetricId::ChurnControllableShare.id())),
                    Kpi::new(MetricId::ChurnRevenueLost, figure(MetricId::ChurnRevenueLost.id())),
                ])}
            </section>
            <Show when=move || with(|s| !s.has_stated_reasons())>
                <p class="note" data-testid="no-stated-reasons">
                    {tr!("No reason is stated for anyone who left: the charts of reasons and the comparison with the study are left out.")}
                </p>
            </Show>
            <Show when=move || with(ChurnSection::has_stated_reasons)>
            <CanvasChart
                chart=ChartId::ChurnPareto
                summary=Signal::derive(move || section.get().map(|s| s.categories.iter().map(|c| format!(
                    "{}: {} ({})", crate::i18n::category(c.category), c.customers, percent(c.share)
                )).collect::<Vec<_>>().join("; ")).unwrap_or_default())
                draw=Callback::new(move |target: Target| {
                    // The category names the chart's other words are in.
                    let names = ChurnLabels::for_locale(crate::i18n::lang().locale());
                    let bars = section.get().map(|s| s.category_pareto(|c| names.category(c).to_string())).unwrap_or_default();
                    draw_pareto_chart(&target, &bars, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                })
            />
            <CanvasChart
                chart=ChartId::ChurnReference
                summary=Signal::derive(move || section.get().map(|s| s.reference.iter().map(|r| Msg::ReferenceShare {
                    category: crate::i18n::category(r.category),
                    yours: &r.user_share.map_or("–".into(), percent),
                    reference: &r.reference_share.map_or("–".into(), percent),
                }.text()).collect::<Vec<_>>().join("; ")).unwrap_or_default())
                draw=Callback::new(move |target: Target| {
                    let rows = section.get().map(|s| s.reference.clone()).unwrap_or_default();
                    draw_reference_chart(&target, &rows, crate::i18n::lang().locale()).map_err(|e| e.to_string())
                })
            />
            </Show>
            <Show when=move || with(|s| s.competing_risks.is_some() && s.has_stated_reasons())>
                <CanvasChart
                    chart=ChartId::ChurnIncidence
                    summary=Signal::derive(move || section.get().and_then(|s| s.competing_risks.clone()).map(|r| Msg::CategoriesOverTenure {
                        categories: r.curves.len(), months: r.months.last().copied().unwrap_or(0.0).round() as usize,
                    }.text()).unwrap_or_default())
                    draw=Callback::new(move |target: Target| match section.get().and_then(|s| s.competing_risks.clone()) {
                        Some(risks) => draw_incidence_chart(&target, &risks, crate::i18n::lang().locale()).map_err(|e| e.to_string()),
                        None => Ok(Drawn::default()),
                    })
                />
            </Show>
            {move || section.get().filter(|s| s.has_stated_reasons()).map(|s| view! {
                <SortableTable
                    testid="churn-categories"
                    class="segment-table"
                    caption=Signal::derive(|| crate::i18n::t("Categories").to_string())
                    columns=category_columns()
                    rows=s.categories.clone()
                    file_name="churn-categories.csv"
                    row=|c: CategoryRow| view! {
                        <tr data-category=c.category.id()>
                            <th scope="row">{crate::i18n::category(c.category)}</th>
                            <td>{grouped(c.customers as f64, 0)}</td>
                            <td>{percent(c.share)}</td>
                            <td>{c.revenue_lost.map(money).unwrap_or_else(|| "–".into())}</td>
                            <td>{c.value_at_stake.map(money).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }
                />
            })}
            {move || report.with(|r| r.as_ref().filter(|_| with(ChurnSection::has_stated_reasons)).map(|r| r.settings.churn.rules.clone())).map(|rules| view! {
                <ChurnRulesEditor rules=rules.unwrap_or_default() on_change=on_rules />
            })}
            {move || section.get().filter(|s| s.has_stated_reasons()).map(|s| view! { <ChurnReasonsTable reasons=s.reasons.clone() on_remap=on_remap /> })}
            {move || section.get().filter(|s| !s.by_period.is_empty()).map(|s| {
                let used: Vec<ChurnCategory> = ChurnCategory::ALL
                    .into_iter()
                    .filter(|&c| s.by_period.iter().any(|p| month_count(p, c) > 0))
                    .collect();
                let columns = month_columns(&used);
                view! {
                    <SortableTable
                        testid="churn-by-month"
                        class="segment-table"
                        caption=Signal::derive(|| crate::i18n::t("Who left, by month and category").to_string())
                        columns=columns
                        rows=s.by_period.clone()
                        file_name="churn-by-month.csv"
                        row=move |p: PeriodRow| view! {
                            <tr data-month=p.month.clone()>
                                <th scope="row">{p.month.clone()}</th>
                                {used.iter().map(|c| view! {
                                    <td class="num" data-category=c.id()>{month_count(&p, *c)}</td>
                                }).collect_view()}
                                <td class="num">{p.total}</td>
                            </tr>
                        }
                    />
                }
            })}
            {move || report.with(|r| r.as_ref().map(|r| r.churn_by_segment.iter().map(|s| s.column.clone()).collect::<Vec<String>>())).filter(|c| !c.is_empty()).map(|columns| {
                // Unchosen, the table shows the first column: so does the select.
                let first = columns.first().cloned().unwrap_or_default();
                let shown = move || Some(segment_column.get()).filter(|c| !c.is_empty()).unwrap_or_else(|| first.clone());
                view! {
                    <label class="segment-choice">{tr!("Who leaves, by ")}
                        <select data-testid="churn-segment-column"
                            on:change=move |ev| segment_column.set(event_target_value(&ev))>
                            {columns.into_iter().map(|c| {
                                let shown = shown.clone();
                                view! { <option value=c.clone() selected=move || shown() == c>{c.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                }
            })}
            {move || {
                let chosen = segment_column.get();
                report.with(|r| {
                    let segments = &r.as_ref()?.churn_by_segment;
                    segments.iter().find(|s| s.column == chosen).or(segments.first()).cloned()
                }).map(|seg| view! {
                <SortableTable
                    testid="churn-by-segment"
                    class="segment-table"
                    column=seg.column.clone()
                    caption=Signal::derive({
                        let column = seg.column.clone();
                        move || format!("{}{}", crate::i18n::t("Who leaves, by "), column)
                    })
                    columns=segment_columns(&seg.column)
                    rows=seg.rows
                    file_name=format!("churn-by-{}.csv", slug(&seg.column))
                    row=|row: SegmentRow| view! {
                        <tr data-segment=row.segment.clone()>
                            <th scope="row">{row.segment.clone()}</th>
                            <td class="num">{grouped(row.customers as f64, 0)}</td>
                            <td class="num">{grouped(row.churned as f64, 0)}</td>
                            <td class="num">{percent(row.churn_share)}</td>
                            <td class="num">{row.revenue_lost.map(money).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }
                />
            })
            }}
            {move || section.get().map(|s| view! {
                <CallList
                    section=s
                    chosen=report.with(|r| r.as_ref().and_then(|r| r.settings.churn.call_grouping.clone()))
                    on_grouping=on_grouping
                />
            })}
        </Show>
    }
}
