//! Parts of the report for the pages, read in place: a `report.get()` would
//! clone the whole Report (call list, competing risks, CLV tables) each time
//! a signal that reads it runs.

use std::sync::Arc;

use leptos::prelude::*;
use loyalty_analytics::Report;

/// One section of the report, shared rather than cloned by its readers.
pub fn section<T>(
    report: Signal<Option<Report>>,
    of: fn(&Report) -> Option<T>,
) -> Memo<Option<Arc<T>>>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| report.with(|r| r.as_ref().and_then(of).map(Arc::new)))
}

/// A headline figure of the report (`MetricId::id`).
pub fn figure(report: Signal<Option<Report>>, id: &'static str) -> Signal<Option<f64>> {
    Signal::derive(move || report.with(|r| r.as_ref().and_then(|r| r.metric(id))))
}
