//! Every customer's prediction with its 90% intervals, as CSV.

use std::fmt::Write;

use super::ClvAnalysis;
use crate::dataset::{CustomerSummary, Dataset};
use crate::models::intervals::{CustomerInterval, HistoryDraws};
use crate::models::summary::Triples;

/// Each draw's (x, T) figures ([`crate::models::intervals::ParameterDraws::alive_parts`]).
type AliveParts = Vec<Option<(f64, f64)>>;

/// The header of [`ClvAnalysis::predictions_csv`].
pub const PREDICTIONS_HEADER: &str = "customer_id,frequency,recency,T,monetary_value,p_alive,\
expected_purchases,expected_purchases_low,expected_purchases_high,clv,clv_low,clv_high";

fn push_number(out: &mut String, value: Option<f64>) {
    out.push(',');
    if let Some(v) = value.filter(|v| v.is_finite()) {
        // + 0.0: never "-0".
        let _ = write!(out, "{}", v + 0.0);
    }
}

impl ClvAnalysis {
    /// Every predicted customer's intervals, parallel to the summaries,
    /// the draws computed once per distinct history.
    fn intervals_by_row(&self, summaries: &[CustomerSummary]) -> Vec<Option<CustomerInterval>> {
        let mut out = vec![None; summaries.len()];
        let Some(draws) = self.draws.as_deref() else {
            return out;
        };
        let triples = Triples::new(summaries);
        let mut rows: Vec<usize> = (0..summaries.len())
            .filter(|&i| self.predictions.get(i).is_some())
            .collect();
        // By (x, T), then history: the draws' (x, T) figures, the expensive
        // part, once per pair; P(alive) once per history.
        rows.sort_by(|&a, &b| {
            let (sa, sb) = (&summaries[a], &summaries[b]);
            sa.frequency
                .total_cmp(&sb.frequency)
                .then(sa.t.total_cmp(&sb.t))
                .then(triples.of_row[a].cmp(&triples.of_row[b]))
        });
        let mut pair: Option<((f64, f64), AliveParts)> = None;
        let mut history: Option<(u32, HistoryDraws)> = None;
        for i in rows {
            let s = &summaries[i];
            let key = (s.frequency, s.t);
            let parts = match &pair {
                Some((k, parts)) if *k == key => parts,
                _ => {
                    history = None;
                    &pair
                        .insert((key, draws.alive_parts(&self.months, key.0, key.1)))
                        .1
                }
            };
            let k = triples.of_row[i];
            let draws_here = match &history {
                Some((h, d)) if *h == k => d,
                _ => {
                    let d = draws.history_from(parts, s.frequency, s.recency, s.t);
                    &history.insert((k, d)).1
                }
            };
            out[i] = draws_here.customer(draws, s.frequency, s.monetary_value, self.margin);
        }
        out
    }

    /// Every customer with a usable summary, in the order of the summaries
    /// (first appearance in the data), with P(alive), expected purchases and
    /// CLV over the horizon and their 90% intervals ([`crate::models::intervals`]);
    /// empty cells where a figure is not computed. Header:
    /// [`PREDICTIONS_HEADER`]. Customers sharing a history (x, tₓ, T) share
    /// the draws' expected purchases, so they are computed once per history.
    pub fn predictions_csv(&self, dataset: &Dataset) -> String {
        // Held for the export only.
        let mut summaries: Vec<CustomerSummary> = Vec::with_capacity(self.summary_count());
        summaries.extend(self.summaries());
        let mut out = String::with_capacity(summaries.len() * 96 + 128);
        out.push_str(PREDICTIONS_HEADER);
        out.push('\n');
        let intervals = self.intervals_by_row(&summaries);
        for ((s, p), interval) in summaries.iter().zip(self.predictions.iter()).zip(intervals) {
            let name = dataset.customers.name(s.customer).unwrap_or_default();
            out.push_str(&crate::export::csv_cell(name));
            for v in [s.frequency, s.recency, s.t] {
                push_number(&mut out, Some(v));
            }
            push_number(&mut out, s.monetary_value);
            push_number(&mut out, p.map(|p| p.p_alive));
            push_number(&mut out, p.map(|p| p.expected_purchases));
            let purchases = interval.map(|i| i.expected_purchases);
            push_number(&mut out, purchases.map(|i| i.low));
            push_number(&mut out, purchases.map(|i| i.high));
            push_number(&mut out, p.and_then(|p| p.clv));
            let clv = interval.and_then(|i| i.clv);
            push_number(&mut out, clv.map(|i| i.low));
            push_number(&mut out, clv.map(|i| i.high));
            out.push('\n');
        }
        out
    }
}
