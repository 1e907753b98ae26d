//! What a rerun with other settings can reuse: results that depend on the
//! data alone, and one-slot caches of results that depend on a few settings
//! (kept while those settings stay the same). Kept beside the [`Dataset`]
//! (in its slot for derived values) and dropped with it or when a file is
//! added; used only while the dataset's [`Dataset::stamp`] is the one it was
//! made for, so no change to the data, by a method or by hand, is missed. A
//! date-filtered dataset ([`Dataset::within`]) is a new dataset with caches
//! of its own.

use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;

use crate::dataset::{Dataset, Stamp};
use crate::ingest::FileSummary;
use crate::metrics::base::{BaseFigures, MonthlyActivity};
use crate::metrics::programme::{Order, ProgrammeEffect};
use crate::metrics::purchase_patterns::PurchasePatterns;
use crate::metrics::retention::CohortMatrix;
use crate::metrics::segment_breakdown::{SegmentRetention, SegmentSurvival};
use crate::metrics::survival::SurvivalCurve;

/// One value kept while its key stays the same.
pub(crate) struct Keyed<K, V>(Mutex<Option<(K, Arc<V>)>>);

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed(Mutex::new(None))
    }
}

impl<K: PartialEq, V> Keyed<K, V> {
    /// The kept value when it was made for `key`.
    pub(crate) fn get(&self, key: &K) -> Option<Arc<V>> {
        let slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| Arc::clone(v))
    }

    /// Keeps `value`, made for `key`, in place of what was kept.
    pub(crate) fn put(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, Arc::clone(&value)));
        value
    }

    /// The kept value when it was made for `key`, else `make()` (kept in
    /// its place).
    pub(crate) fn get_or(&self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        // Made without the lock held: `make` may use other caches.
        self.get(&key).unwrap_or_else(|| self.put(key, make()))
    }
}

/// What the results were computed from: the dataset's [`Dataset::stamp`].
pub(crate) type Fingerprint = [Stamp; 9];

/// The report's reusable parts (see [`crate::report::analyse_timed`]).
#[derive(Default)]
pub(crate) struct ReportCache {
    pub fingerprint: Fingerprint,
    /// The Report's money note and the dataset in the last currency asked
    /// for (`None`: no file in another currency).
    pub currency: Keyed<crate::dataset::Currency, (super::Money, Option<Dataset>)>,
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
    pub clv_by_customer: Keyed<crate::models::ClvSettings, super::ClvByCustomer>,
    pub churn: Keyed<super::ChurnKey, super::ChurnPart>,
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

/// The rerun cache of `dataset` (see [`crate::report::analyse_timed`]);
/// `None` when the dataset's contents changed since it was made (other than
/// by adding files, which drops it).
pub(crate) fn of(dataset: &Dataset) -> Option<&ReportCache> {
    let now = dataset.stamp();
    let cache = dataset.derived(|| ReportCache::new(now))?;
    (cache.fingerprint == now).then_some(cache)
}
