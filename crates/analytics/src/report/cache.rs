//! What a rerun with other settings can reuse: results that depend on the
//! data alone, and one-slot caches of results that depend on a few settings
//! (kept while those settings stay the same). Held by the [`Dataset`] and
//! dropped with it or when a file is added; a date-filtered dataset
//! ([`Dataset::within`]) is a new dataset with caches of its own.

use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;

use crate::ingest::FileSummary;
use crate::metrics::base::{BaseFigures, MonthlyActivity};
use crate::metrics::programme::{Order, ProgrammeEffect};
use crate::metrics::purchase_patterns::PurchasePatterns;
use crate::metrics::retention::CohortMatrix;
use crate::metrics::segment_breakdown::{SegmentRetention, SegmentSurvival};
use crate::metrics::survival::SurvivalCurve;
use crate::Dataset;

/// One value kept while its key stays the same.
pub(crate) struct Keyed<K, V>(Mutex<Option<(K, Arc<V>)>>);

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed(Mutex::new(None))
    }
}

impl<K: PartialEq, V> Keyed<K, V> {
    /// The kept value when it was made for `key`, else `make()` (kept in
    /// its place).
    pub(crate) fn get_or(&self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        {
            let slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((k, v)) = slot.as_ref() {
                if *k == key {
                    return Arc::clone(v);
                }
            }
        }
        // Made without the lock held: `make` may use other caches.
        let value = Arc::new(make());
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, Arc::clone(&value)));
        value
    }
}

/// Sizes of what the results were computed from: the dataset's fields are
/// public, so a cache made for other contents is not used.
pub(crate) type Fingerprint = [usize; 7];

pub(crate) fn fingerprint(d: &Dataset) -> Fingerprint {
    [
        d.files.len(),
        d.transactions.len(),
        d.survey_answers.len(),
        d.customer_records.len(),
        d.summaries.len(),
        d.customers.len(),
        d.segments.columns.len(),
    ]
}

/// The report's reusable parts (see [`crate::report::analyse_timed`]).
#[derive(Default)]
pub(crate) struct ReportCache {
    pub fingerprint: Fingerprint,
    /// The dataset within the last date range asked for.
    pub within: Keyed<(Option<NaiveDate>, Option<NaiveDate>), Dataset>,
    pub base: OnceLock<BaseFigures>,
    pub cohorts: OnceLock<CohortMatrix>,
    /// The last date the customers files mention, and their survival curve.
    pub survival: OnceLock<(Option<NaiveDate>, Option<SurvivalCurve>)>,
    pub files: OnceLock<Vec<FileSummary>>,
    pub monthly_activity: OnceLock<Vec<MonthlyActivity>>,
    pub purchase_patterns: OnceLock<Option<PurchasePatterns>>,
    pub segment_retention: OnceLock<Vec<SegmentRetention>>,
    pub segment_survival: OnceLock<Vec<SegmentSurvival>>,
    /// The programme's orders (a sort of every purchase row).
    pub orders: OnceLock<Vec<Order>>,
    pub clv: Keyed<crate::models::ClvSettings, Option<crate::models::ClvAnalysis>>,
    pub clv_by_customer: Keyed<crate::models::ClvSettings, crate::report::ClvByCustomer>,
    pub churn: Keyed<crate::report::ChurnKey, crate::report::ChurnPart>,
    pub programme: Keyed<Vec<crate::metrics::programme::Mark>, ProgrammeEffect>,
}

impl ReportCache {
    pub(crate) fn new(fingerprint: Fingerprint) -> Self {
        ReportCache {
            fingerprint,
            ..Default::default()
        }
    }
}

/// The dataset's slot for its [`ReportCache`]; a clone of the dataset
/// starts with an empty one.
#[derive(Default)]
pub(crate) struct CacheSlot(pub OnceLock<ReportCache>);

impl Clone for CacheSlot {
    fn clone(&self) -> Self {
        CacheSlot::default()
    }
}

impl std::fmt::Debug for CacheSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheSlot")
    }
}
