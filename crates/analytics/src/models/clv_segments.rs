//! CLV by segment: for each segment column of the data (region, channel,
//! plan…: `crate::segments`), the customers of its largest labels with their
//! total and mean CLV, expected purchases, average P(alive) and the 90%
//! intervals on both totals ([`super::intervals`]), with a CSV export.
//!
//! A customer's label in a transactions column is the one on their earliest
//! labelled purchase row (as the retention breakdown has it); in a
//! customers-file column, the one of their first record with a label.

use serde::{Deserialize, Serialize};

use super::clv::{Months, PredictionTable};
use super::intervals::{Interval, ParameterDraws};
use super::section::SummaryView;
use super::summary::Triples;
use crate::dataset::{CustomerSummary, Dataset, RecordKind};
use crate::segments::{SegmentColumn, NO_SEGMENT};

/// Labels shown per column, the largest by customers.
pub const MAX_CLV_SEGMENTS: usize = 8;

/// Distinct histories each segment's intervals are recomputed on per draw
/// (all of them up to this many; see `ParameterDraws::totals_on_sample`).
pub const SEGMENT_SAMPLE: usize = 60;

/// One label's customers and what they are worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvSegment {
    pub label: String,
    /// Customers with a prediction.
    pub customers: u64,
    pub clv_total: Option<f64>,
    pub clv_mean: Option<f64>,
    pub clv_interval: Option<Interval>,
    pub expected_purchases: f64,
    pub expected_purchases_interval: Option<Interval>,
    pub p_alive_mean: Option<f64>,
}

/// One segment column's labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvByColumn {
    pub column: String,
    /// Where the column comes from: a transactions or a customers file.
    pub kind: RecordKind,
    /// The largest labels by customers (at most [`MAX_CLV_SEGMENTS`]), largest first.
    pub segments: Vec<ClvSegment>,
    /// Predicted customers with another label, and with none.
    pub other_customers: u64,
    pub unlabelled_customers: u64,
}

/// Each interned customer's label code in `column` ([`NO_SEGMENT`] for none).
fn labels_of(dataset: &Dataset, column: &SegmentColumn) -> Vec<u16> {
    let customers = dataset.customers.len();
    let mut label = vec![NO_SEGMENT; customers];
    match column.kind {
        RecordKind::Transactions => {
            let tx = &dataset.transactions;
            let mut first_day = vec![i32::MAX; customers];
            for (i, &code) in column.rows.iter().enumerate().take(tx.len()) {
                let c = tx.customer[i] as usize;
                if code != NO_SEGMENT && c < customers && tx.day[i] < first_day[c] {
                    first_day[c] = tx.day[i];
                    label[c] = code;
                }
            }
        }
        RecordKind::Customers => {
            for (record, &code) in dataset.customer_records.iter().zip(&column.rows) {
                if let Some(c) = record.customer.map(|c| c as usize) {
                    if code != NO_SEGMENT && c < customers && label[c] == NO_SEGMENT {
                        label[c] = code;
                    }
                }
            }
        }
        _ => {}
    }
    label
}

/// What the per-segment figures are computed from.
pub(super) struct SegmentInputs<'a> {
    pub dataset: &'a Dataset,
    pub summaries: SummaryView<'a>,
    pub predictions: &'a PredictionTable,
    pub draws: Option<&'a ParameterDraws>,
    pub months: &'a Months,
    pub margin: f64,
}

/// CLV by every transactions and customers segment column with two labels
/// or more among the predicted customers.
pub(super) fn clv_by_segment(inputs: &SegmentInputs) -> Vec<ClvByColumn> {
    let segments = &inputs.dataset.segments;
    segments
        .of_kind(RecordKind::Transactions)
        .chain(segments.of_kind(RecordKind::Customers))
        .filter_map(|column| by_column(inputs, column))
        .collect()
}

fn by_column(inputs: &SegmentInputs, column: &SegmentColumn) -> Option<ClvByColumn> {
    let labels = labels_of(inputs.dataset, column);
    let code_of = |customer: u32| labels.get(customer as usize).copied().unwrap_or(NO_SEGMENT);
    let mut counts = vec![0u64; column.labels.len()];
    let mut unlabelled = 0u64;
    for (s, p) in inputs.summaries.into_iter().zip(inputs.predictions.iter()) {
        if p.is_none() {
            continue;
        }
        match counts.get_mut(code_of(s.customer) as usize) {
            Some(n) => *n += 1,
            None => unlabelled += 1,
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    if order.len() < 2 {
        return None;
    }
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    order.truncate(MAX_CLV_SEGMENTS);
    let shown: u64 = order.iter().map(|&c| counts[c]).sum();
    let segments = order
        .iter()
        .map(|&code| {
            let rows: Vec<usize> = (0..inputs.summaries.len())
                .filter(|&i| {
                    inputs.predictions.get(i).is_some()
                        && inputs
                            .summaries
                            .customer_at(i)
                            .is_some_and(|c| code_of(c) as usize == code)
                })
                .collect();
            segment(inputs, &column.labels[code], &rows)
        })
        .collect();
    Some(ClvByColumn {
        column: column.name.clone(),
        kind: column.kind,
        segments,
        other_customers: counts.iter().sum::<u64>() - shown,
        unlabelled_customers: unlabelled,
    })
}

/// One label's figures over the summary rows `rows` (all predicted).
fn segment(inputs: &SegmentInputs, label: &str, rows: &[usize]) -> ClvSegment {
    let summaries: Vec<CustomerSummary> = rows
        .iter()
        .filter_map(|&i| inputs.summaries.at(i))
        .collect();
    let predictions: PredictionTable = rows.iter().map(|&i| inputs.predictions.get(i)).collect();
    let predicted = predictions.iter().flatten();
    let n = rows.len();
    let expected_purchases = predicted.clone().fold(0.0, |s, p| s + p.expected_purchases);
    let clvs: Vec<f64> = predicted.clone().filter_map(|p| p.clv).collect();
    let clv_total = (!clvs.is_empty()).then(|| clvs.iter().fold(0.0, |s, v| s + v));
    let p_alive = predicted.fold(0.0, |s, p| s + p.p_alive);
    let intervals = inputs.draws.map(|d| {
        let triples = Triples::new(&summaries);
        let data = (&summaries[..], &triples, triples.by_x_and_t());
        let totals = (Some(expected_purchases), clv_total);
        d.totals_on_sample(
            inputs.months,
            inputs.margin,
            data,
            &predictions,
            totals,
            SEGMENT_SAMPLE,
        )
    });
    ClvSegment {
        label: label.to_string(),
        customers: n as u64,
        clv_total,
        clv_mean: clv_total.map(|t| t / clvs.len() as f64),
        clv_interval: intervals.and_then(|i| i.clv),
        expected_purchases,
        expected_purchases_interval: intervals.and_then(|i| i.expected_purchases),
        p_alive_mean: (n > 0).then(|| p_alive / n as f64),
    }
}

/// The header of [`clv_by_segment_csv`].
pub const SEGMENTS_HEADER: &str = "column,segment,customers,clv_total,clv_low,clv_high,clv_mean,\
expected_purchases,expected_purchases_low,expected_purchases_high,p_alive_mean";

/// The CLV-by-segment table as CSV: one line per shown label of every
/// column, empty cells where a figure is not computed.
pub fn clv_by_segment_csv(columns: &[ClvByColumn]) -> String {
    let mut out = String::from(SEGMENTS_HEADER);
    out.push('\n');
    let number = |v: Option<f64>| {
        v.filter(|v| v.is_finite())
            .map(|v| format!("{}", v + 0.0))
            .unwrap_or_default()
    };
    for column in columns {
        for s in &column.segments {
            let cells = [
                crate::export::csv_cell(&column.column).into_owned(),
                crate::export::csv_cell(&s.label).into_owned(),
                s.customers.to_string(),
                number(s.clv_total),
                number(s.clv_interval.map(|i| i.low)),
                number(s.clv_interval.map(|i| i.high)),
                number(s.clv_mean),
                number(Some(s.expected_purchases)),
                number(s.expected_purchases_interval.map(|i| i.low)),
                number(s.expected_purchases_interval.map(|i| i.high)),
                number(s.p_alive_mean),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}
