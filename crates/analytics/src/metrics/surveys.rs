//! The survey section of the report: NPS with its interval, distribution,
//! trend, segments, CSAT and CES, comment themes and the loyalty link.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metric::MetricId;

use super::comment_themes::{comment_analysis, CommentAnalysis, ThemeDictionary};
use super::loyalty_link::{churn_by_answer, loyalty_link, ChurnByAnswer, LoyaltyLink};
use super::nps::{
    ces_summary, csat_summary, is_significant, nps_difference_z, responses_for_margin, CesSummary,
    CsatSummary, NpsCounts, NpsSummary, Scale,
};
use super::retention::Period;
use crate::ingest::RecordKind;
use crate::segments::NO_SEGMENT;
use crate::Dataset;

/// A period's margin above this many points earns a warning.
pub const TARGET_MARGIN: f64 = 5.0;

/// What the user chose for surveys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SurveySettings {
    /// The CSAT scale when the detected one is wrong.
    pub csat_scale: Option<Scale>,
    /// Comment themes; the built-in dictionary when `None`.
    pub themes: Option<ThemeDictionary>,
}

/// NPS in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsPeriod {
    pub label: String,
    pub summary: NpsSummary,
    /// The change from the previous period with answers is significant (95%).
    pub significant_change: bool,
    /// Answers that would give a +/-5 point margin, when the period has fewer.
    pub responses_for_5_points: Option<u64>,
}

/// One label of a segment column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsSegmentRow {
    pub label: String,
    pub summary: NpsSummary,
    /// NPS of this label minus NPS of all other answers, and whether the
    /// difference is significant (95%).
    pub difference_to_rest: Option<f64>,
    pub significant: bool,
    /// NPS of all answers minus NPS without this label: how many points the
    /// label adds to (or takes from) the total.
    pub impact: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsSegmentTable {
    pub column: String,
    /// Sorted by |impact|, largest first.
    pub rows: Vec<NpsSegmentRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySection {
    /// Answers of every survey file.
    pub answers: u64,
    pub nps: Option<NpsSummary>,
    /// Answers per score 0..=10.
    pub nps_distribution: Vec<u64>,
    pub nps_trend: Vec<NpsPeriod>,
    /// Answers without a date are left out of the trend.
    pub undated_answers: u64,
    pub nps_segments: Vec<NpsSegmentTable>,
    pub csat: Option<CsatSummary>,
    pub ces: Option<CesSummary>,
    pub comments: Option<CommentAnalysis>,
    pub loyalty_link: Option<LoyaltyLink>,
    pub churn_by_answer: Option<ChurnByAnswer>,
}

impl SurveySection {
    /// The survey figures the data supports.
    pub fn headline_metrics(&self) -> Vec<(MetricId, f64)> {
        let mut out = Vec::new();
        if let Some(n) = &self.nps {
            out.extend([
                (MetricId::Responses, n.responses as f64),
                (MetricId::Nps, n.nps),
                (MetricId::NpsMargin, n.margin),
                (MetricId::NpsCiLow, n.ci_low),
                (MetricId::NpsCiHigh, n.ci_high),
                (MetricId::PromotersPct, n.promoters_pct),
                (MetricId::PassivesPct, n.passives_pct),
                (MetricId::DetractorsPct, n.detractors_pct),
            ]);
        }
        if let Some(c) = &self.csat {
            out.push((MetricId::Csat, c.csat));
            if self.nps.is_none() {
                out.push((MetricId::Responses, c.responses as f64));
            }
        }
        if let Some(c) = &self.ces {
            out.push((MetricId::Ces, c.mean));
        }
        out.retain(|(_, v)| v.is_finite());
        out
    }
}

/// `None` when there are neither survey answers nor customers files with
/// complaint or satisfaction columns.
/// `clv_by_customer`: the CLV model's value per customer id (NaN for none),
/// for the loyalty link.
pub fn survey_section(
    dataset: &Dataset,
    period: Period,
    settings: &SurveySettings,
    clv_by_customer: Option<&[f64]>,
) -> Option<SurveySection> {
    let answers = &dataset.survey_answers;
    let churn_by_answer = churn_by_answer(&dataset.customer_records);
    if answers.is_empty() && churn_by_answer.is_none() {
        return None;
    }
    let counts = NpsCounts::from_scores(answers.iter().filter_map(|a| a.nps));
    let mut nps_distribution = vec![0u64; 11];
    for score in answers.iter().filter_map(|a| a.nps) {
        nps_distribution[score.get() as usize] += 1;
    }
    let csat_values: Vec<f64> = answers.iter().filter_map(|a| a.csat).collect();
    let csat = csat_summary(&csat_values, settings.csat_scale);
    let ces_values: Vec<f64> = answers.iter().filter_map(|a| a.ces).collect();
    let dictionary = settings.themes.clone().unwrap_or_default();
    Some(SurveySection {
        answers: answers.len() as u64,
        nps: counts.summary(),
        nps_distribution,
        nps_trend: nps_trend(dataset, period),
        undated_answers: answers
            .iter()
            .filter(|a| a.nps.is_some() && a.date.is_none())
            .count() as u64,
        nps_segments: nps_segments(dataset, &counts),
        loyalty_link: loyalty_link(
            answers,
            &dataset.transactions,
            dataset.customers.len(),
            csat.as_ref().map(|c| c.scale),
            clv_by_customer,
        ),
        csat,
        ces: ces_summary(&ces_values),
        comments: comment_analysis(answers, &dictionary),
        churn_by_answer,
    })
}

fn nps_trend(dataset: &Dataset, period: Period) -> Vec<NpsPeriod> {
    let mut by_period = BTreeMap::<i32, NpsCounts>::new();
    for a in &dataset.survey_answers {
        if let (Some(score), Some(date)) = (a.nps, a.date) {
            by_period.entry(period.index(date)).or_default().add(score);
        }
    }
    let mut trend: Vec<NpsPeriod> = Vec::with_capacity(by_period.len());
    for (index, counts) in by_period {
        let Some(summary) = counts.summary() else {
            continue;
        };
        let significant_change = trend
            .last()
            .is_some_and(|prev| is_significant(nps_difference_z(&summary, &prev.summary)));
        trend.push(NpsPeriod {
            label: period.label(index),
            significant_change,
            responses_for_5_points: (summary.margin > TARGET_MARGIN)
                .then(|| responses_for_margin(&counts, TARGET_MARGIN)),
            summary,
        });
    }
    trend
}

fn nps_segments(dataset: &Dataset, total: &NpsCounts) -> Vec<NpsSegmentTable> {
    let all = total.summary();
    dataset
        .segments
        .of_kind(RecordKind::SurveyAnswers)
        .filter_map(|column| {
            let mut per_label = vec![NpsCounts::default(); column.labels.len()];
            for (answer, &code) in dataset.survey_answers.iter().zip(&column.rows) {
                if let (Some(score), false) = (answer.nps, code == NO_SEGMENT) {
                    if let Some(c) = per_label.get_mut(code as usize) {
                        c.add(score);
                    }
                }
            }
            let mut rows: Vec<NpsSegmentRow> = column
                .labels
                .iter()
                .zip(&per_label)
                .filter_map(|(label, counts)| {
                    let summary = counts.summary()?;
                    let rest = total.minus(counts).summary();
                    let z = rest.as_ref().and_then(|r| nps_difference_z(&summary, r));
                    Some(NpsSegmentRow {
                        label: label.clone(),
                        difference_to_rest: rest.as_ref().map(|r| summary.nps - r.nps),
                        significant: is_significant(z),
                        impact: all.zip(rest).map(|(a, r)| a.nps - r.nps),
                        summary,
                    })
                })
                .collect();
            if rows.is_empty() {
                return None;
            }
            rows.sort_by(|a, b| {
                let key = |r: &NpsSegmentRow| r.impact.map_or(0.0, f64::abs);
                key(b)
                    .total_cmp(&key(a))
                    .then_with(|| a.label.cmp(&b.label))
            });
            Some(NpsSegmentTable {
                column: column.name.clone(),
                rows,
            })
        })
        .collect()
}
