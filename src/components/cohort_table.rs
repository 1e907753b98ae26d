//! The cohort triangle as a heat-map table: one row per first-purchase month,
//! one column per month after it; the colour says the share, the title the count.

use crate::fmt::percent;
use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::metrics::retention::{CohortMatrix, CohortRow};

use super::sortable_table::{Column, SortableTable};

/// Which retention the cells show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum View {
    On,
    OnOrAfter,
    Revenue,
}

impl View {
    fn cells(self, row: &CohortRow) -> &[f64] {
        match self {
            View::On => &row.on,
            View::OnOrAfter => &row.on_or_after,
            View::Revenue => &row.revenue,
        }
    }
}

/// A light-to-dark blue for a share in [0, 1] (revenue retention may exceed 1: capped).
fn shade(share: f64) -> String {
    let t = share.clamp(0.0, 1.0);
    let mix = |light: f64, dark: f64| (light + (dark - light) * t).round() as u8;
    // White text on the dark half of the scale, dark text on the light half.
    let ink = if t > 0.55 { "#fff" } else { "#1d232b" };
    format!(
        "background-color: rgb({}, {}, {}); color: {ink}",
        mix(240.0, 0.0),
        mix(246.0, 90.0),
        mix(252.0, 160.0)
    )
}

/// Cohort, size, then one column per month after the first; cells not yet
/// observable sort last and are empty in the CSV.
fn columns_of(kind: View, width: usize) -> Vec<Column<CohortRow>> {
    let mut columns = vec![
        Column::text("Cohort", |r: &CohortRow| r.cohort.clone()),
        Column::number("Customers", |r: &CohortRow| Some(r.size as f64)),
    ];
    columns.extend((0..width).map(|k| {
        Column::number(&k.to_string(), move |r: &CohortRow| {
            kind.cells(r).get(k).copied()
        })
        .untranslated()
        .percent()
    }));
    columns
}

/// The triangle with a switch between the three retentions.
#[component]
pub fn CohortTable(
    /// The monthly cohort matrix of the report.
    matrix: Signal<CohortMatrix>,
) -> impl IntoView {
    let view_kind = RwSignal::new(View::On);
    let width = move || matrix.get().cohorts.first().map_or(0, |c| c.on.len());
    let switch = move |kind: View, label: &'static str| {
        view! {
            <button
                type="button"
                class="button secondary"
                class:active=move || view_kind.get() == kind
                aria-pressed=move || (view_kind.get() == kind).to_string()
                on:click=move |_| view_kind.set(kind)
            >
                {move || crate::i18n::t(label).to_string()}
            </button>
        }
    };
    let columns = Signal::derive(move || columns_of(view_kind.get(), width()));
    let row = move |row: CohortRow| {
        let kind = view_kind.get();
        let cells: Vec<_> = kind
            .cells(&row)
            .iter()
            .enumerate()
            .map(|(k, &share)| {
                let title = match kind {
                    View::Revenue => Msg::CohortRevenueCell { cohort: &row.cohort, share, k }.text(),
                    _ => Msg::CohortCell { cohort: &row.cohort, active: row.active.get(k).copied().unwrap_or(0) as usize, size: row.size as usize, k }.text(),
                };
                view! { <td class="num cell" style=shade(share) title=title data-k=k>{percent(share)}</td> }
            })
            .collect();
        view! {
            <tr>
                <th scope="row">{row.cohort.clone()}</th>
                <td class="num">{row.size}</td>
                {cells}
            </tr>
        }
    };
    view! {
        <section class="cohorts" data-testid="cohort-table" aria-label=tr!("Cohort retention")>
            <h2>{tr!("Cohort retention by month of first purchase")}</h2>
            <div class="switch" role="group" aria-label=tr!("Retention shown")>
                {switch(View::On, "Active in month k")}
                {switch(View::OnOrAfter, "Active in month k or later")}
                {switch(View::Revenue, "Revenue vs first month")}
            </div>
            <div class="cohort-scroll">
                <SortableTable
                    testid="cohort-matrix"
                    caption=Signal::derive(move || crate::i18n::t(match view_kind.get() {
                        View::On => "Active in month k",
                        View::OnOrAfter => "Active in month k or later",
                        View::Revenue => "Revenue vs first month",
                    }).to_string())
                    columns=columns
                    rows=Signal::derive(move || matrix.get().cohorts)
                    file_name="cohorts.csv"
                    row=row
                />
            </div>
        </section>
    }
}
