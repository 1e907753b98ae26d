//! Charts and figures of the overview as sentences: what a screen reader
//! says for a chart, and the short texts beside the figures.

use crate::fmt::percent;
use crate::messages::Msg;
use loyalty_analytics::metrics::base::MonthlyActivity;
use loyalty_analytics::metrics::lifecycle::LifecyclePeriod;
use loyalty_analytics::metrics::purchase_patterns::{Bucket, PurchasePatterns};
use loyalty_analytics::metrics::survival::SurvivalCurve;
use loyalty_analytics::report::NaiveDate;

/// The activity chart as a sentence, for screen readers.
pub(crate) fn activity_summary(months: &[MonthlyActivity]) -> String {
    match (months.first(), months.last()) {
        (Some(first), Some(last)) => Msg::ActivitySummary {
            from: &first.month,
            to: &last.month,
            months: months.len(),
        }
        .text(),
        _ => Msg::NoMonths.text(),
    }
}

pub(crate) fn lifecycle_summary(periods: &[LifecyclePeriod]) -> String {
    match periods.last() {
        Some(p) => Msg::LifecycleSummary {
            period: &p.period,
            new: p.new,
            retained: p.retained,
            back: p.resurrected,
            lost: p.lost,
            net: p.net_growth(),
        }
        .text(),
        None => String::new(),
    }
}

pub(crate) fn survival_summary(curve: Option<&SurvivalCurve>) -> String {
    let Some(curve) = curve else {
        return String::new();
    };
    let at = |m: f64| curve.at(m).map_or("–".to_string(), percent);
    Msg::SurvivalSummary {
        at_6: &at(6.0),
        at_12: &at(12.0),
        median_months: curve.median_months,
    }
    .text()
}

/// Median and 90th percentile of the gaps between purchases, and the time
/// to the second purchase, in a sentence.
pub(crate) fn gaps_text(p: &PurchasePatterns) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &p.days_between_purchases {
        parts.push(
            Msg::GapsBetween {
                median: d.median,
                p90: d.p90,
            }
            .text(),
        );
    }
    if let Some(d) = &p.time_to_second_purchase {
        parts.push(
            Msg::SecondPurchase {
                median: d.median,
                p90: d.p90,
            }
            .text(),
        );
    }
    for (days, share, of) in &p.second_purchase_within {
        parts.push(
            Msg::BoughtAgainWithin {
                share: *share,
                days: *days,
                observable: *of as usize,
            }
            .text(),
        );
    }
    parts.join(" ")
}

pub(crate) fn buckets_text(buckets: &[Bucket]) -> String {
    buckets
        .iter()
        .map(|b| format!("{}: {}", b.label, b.count))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}
