//! Why customers leave (docs/METRICS.md, "Churn causes"):
//! churned customers counted and shared per reason and per canonical
//! category, with the revenue lost, the reasons by month, by segment, beside
//! the cross-industry reference, the competing-risk curves over tenure, and
//! the customers still here who look like those who left ("who to call first").
//!
//! Where churn comes from:
//! - a customers / churn file: every record with a churned flag (or a status
//!   or end date that says it) is a customer; a record with none of those but
//!   a reason or category for leaving is a churner (an export of lost
//!   customers with their reasons has no status column); the rest are
//!   counted in `records_without_status` and left out;
//! - else the transactions: a customer has left when their last purchase is
//!   `churn_window_days` or more before the last date of the data (the same
//!   rule as the customer base, [`super::customer_base`]); the reason is then
//!   unknown, the end date is the last purchase.
//!
//! Revenue lost by a churned customer: the file's value column (CLTV, MRR,
//! contract value) when it has one for them, else the sum of their
//! transaction amounts (returns included) in the 12 calendar months up to and
//! including the end date (or, without one, their last purchase).

mod at_stake;
mod book;
mod call_list;
mod entries;
mod reasons;
mod revenue;
mod section;
mod segments;

pub use book::{ChurnBook, ChurnEntry, ChurnFacts, ChurnSource};
pub use call_list::TREND_DAYS;
pub use entries::ChurnEntries;
pub use section::{
    churn_section, churn_section_with, CallEntry, CallGrouping, CategoryRow, ChurnOptions,
    ChurnSection, FileCategoryRow, GroupingKey, ParetoBar, PeriodRow, ReasonRow, ReferenceRow,
    RevenueSource, RiskBasis, SegmentOf, SegmentRow,
};
pub use segments::{churn_by_customer_segment, churn_by_segment};

/// Headline metric ids of this section (README, "Figures").
/// The churn figures' Report keys (the catalogue is [`MetricId`]).
pub mod metric {
    use crate::metric::MetricId;
    pub const CHURNED_CUSTOMERS: &str = MetricId::ChurnedCustomers.id();
    pub const CHURN_REASONS: &str = MetricId::ChurnReasons.id();
    pub const CHURN_TOP_REASON_SHARE: &str = MetricId::ChurnTopReasonShare.id();
    pub const CHURN_CONTROLLABLE_SHARE: &str = MetricId::ChurnControllableShare.id();
    pub const CHURN_REVENUE_LOST: &str = MetricId::ChurnRevenueLost.id();
}

/// The call list is for people to work through; more is noise.
pub const CALL_LIST_LIMIT: usize = 100;
/// Segments smaller than this say too little about who leaves.
pub const MIN_SEGMENT_CUSTOMERS: u64 = 20;

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
