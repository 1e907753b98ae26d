//! What the page says about how a file was read: whether it feeds any figure,
//! and, when it does not, what the user should point out in the mapping
//! panel. Plain functions over the core's summaries; the words are English
//! keys that `i18n::t` translates.

use loyalty_analytics::ingest::{FileSummary, RecordKind, Role};
use loyalty_analytics::report::metric;
use loyalty_analytics::Report;

/// Figures every file gives, whatever it holds: they say it was read, not
/// that anything was computed from it.
const READING_ONLY: [&str; 4] = [
    metric::ROWS_READ,
    metric::ROWS_USED,
    metric::ROWS_REJECTED,
    metric::CUSTOMERS,
];

/// Roles of a customers file that feed a figure of their own: churn
/// (flag, status, end date, reasons), survival (tenure, start date), surveys
/// (scores) and the loyalty link (complaints).
const CUSTOMER_FIGURE_ROLES: [Role; 11] = [
    Role::Churned,
    Role::Status,
    Role::EndDate,
    Role::ChurnReason,
    Role::ChurnCategory,
    Role::TenureMonths,
    Role::StartDate,
    Role::Csat,
    Role::NpsScore,
    Role::Ces,
    Role::HadProblem,
];

/// The file was read but gives no figure beyond the reading's own (rows
/// read, used, rejected, customers). When the whole report has nothing else,
/// that is every file; otherwise a customers file counts when none of its
/// columns has a role that feeds a figure (orders, survey answers and
/// summaries always feed theirs).
pub fn feeds_no_figure(file: &FileSummary, report: &Report) -> bool {
    if report
        .metrics
        .keys()
        .all(|id| READING_ONLY.contains(&id.as_str()))
    {
        return true;
    }
    file.kind == RecordKind::Customers
        && !file
            .columns
            .iter()
            .any(|c| c.role.is_some_and(|r| CUSTOMER_FIGURE_ROLES.contains(&r)))
}

/// What a file that feeds no figure lacks, in words a user knows (an English
/// key for `i18n::t`), from its columns' roles.
pub fn missing_text(roles: &[Option<Role>]) -> &'static str {
    let has = |role: Role| roles.contains(&Some(role));
    if has(Role::CustomerId) && has(Role::StartDate) {
        "Nothing to compute yet beyond the number of customers: besides the start date, pick the column that says who left (a churn flag, status, end date or tenure), or one with a score (survey answers)."
    } else if has(Role::CustomerId) {
        "Nothing to compute yet beyond the number of customers: pick a column with a date (orders), a score (survey answers), or a churn flag, status, end date or tenure (customers)."
    } else {
        "Nothing to compute yet: pick the column with the customer id and one with a date (orders), a score (survey answers), or a churn flag, status or tenure (customers)."
    }
}
