//! Files that share few customers with the others: their figures are not
//! joined with the rest, and the overview says so before anyone reads a
//! "revenue lost" that belongs to another shop.

use crate::messages::Msg;
use leptos::prelude::*;
use loyalty_analytics::ingest::FileSummary;
use loyalty_analytics::Report;

/// Below this share of its customers found in the other files, a file's
/// join is worth a warning (a survey answered by a few buyers is normal at
/// 30-60%; a churn list that matches nobody is not).
const WEAK_JOIN: f64 = 0.2;

/// The files, among several, whose customers are mostly not in the others:
/// (file name, customers found elsewhere, its customers).
pub fn weak_joins(files: &[FileSummary]) -> Vec<(String, u64, u64)> {
    files
        .iter()
        .filter_map(|f| {
            let matched = f.customers_matched?;
            (f.customers > 0 && (matched as f64) < WEAK_JOIN * f.customers as f64)
                .then(|| (f.file.clone(), matched, f.customers))
        })
        .collect()
}

/// One warning per file that hardly shares a customer with the others.
#[component]
pub fn JoinWarning(
    /// The report whose files to check.
    report: Memo<Option<Report>>,
) -> impl IntoView {
    let weak =
        move || report.with(|r| r.as_ref().map(|r| weak_joins(&r.files)).unwrap_or_default());
    view! {
        <Show when=move || !weak().is_empty()>
            <div class="warning" role="status" data-testid="join-warning">
                {move || {
                    weak()
                        .into_iter()
                        .map(|(file, matched, customers)| {
                            view! {
                                <p data-file=file.clone()>
                                    {Msg::WeakJoin { file: &file, matched, customers }.text()}
                                </p>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </Show>
    }
}
