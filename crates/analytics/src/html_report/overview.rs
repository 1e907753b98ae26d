//! The headline figures: the overview of every area the data feeds.

use std::fmt::Write as _;

use crate::metric::MetricId;
use crate::report::Report;

use super::doc::Doc;
use super::words::T;
use super::E;

impl Doc {
    pub(super) fn headline(&mut self, report: &Report) {
        #[derive(Clone, Copy)]
        enum Kind {
            Count,
            Money,
            Share,
            Points,
            Months,
            Mean,
        }
        use Kind::*;
        type Card = (MetricId, Kind);
        let groups: [(T, &[Card]); 5] = [
            (
                T::GroupBase,
                &[
                    (MetricId::Customers, Count),
                    (MetricId::Transactions, Count),
                    (MetricId::Orders, Count),
                    (MetricId::Revenue, Money),
                    (MetricId::RepeatRate, Share),
                ],
            ),
            (
                T::GroupRetention,
                &[
                    (MetricId::RetentionM1, Share),
                    (MetricId::RetentionM3, Share),
                    (MetricId::RetentionM6, Share),
                    (MetricId::RetentionM12, Share),
                    (MetricId::RetentionRate, Share),
                    (MetricId::ChurnRate, Share),
                    (MetricId::KmMedianMonths, Months),
                ],
            ),
            (
                T::GroupSurveys,
                &[
                    (MetricId::Nps, Points),
                    (MetricId::Responses, Count),
                    (MetricId::PromotersPct, Points),
                    (MetricId::PassivesPct, Points),
                    (MetricId::DetractorsPct, Points),
                    (MetricId::Csat, Share),
                    (MetricId::Ces, Mean),
                ],
            ),
            (
                T::GroupClv,
                &[
                    (MetricId::ClvTotal, Money),
                    (MetricId::ClvMean, Money),
                    (MetricId::PAliveMean, Share),
                    (MetricId::ExpectedPurchasesTotal, Count),
                ],
            ),
            (
                T::GroupChurn,
                &[
                    (MetricId::ChurnedCustomers, Count),
                    (MetricId::ChurnReasons, Count),
                    (MetricId::ChurnTopReasonShare, Share),
                    (MetricId::ChurnControllableShare, Share),
                    (MetricId::ChurnRevenueLost, Money),
                ],
            ),
        ];
        if !groups
            .iter()
            .any(|(_, ids)| ids.iter().any(|(m, _)| report.metric(m.id()).is_some()))
        {
            return;
        }
        let f = self.f;
        self.section("headline", T::Headline);
        // Money figures from files in several currencies: which one, and what was left out.
        if let Some(note) = report
            .money
            .as_ref()
            .and_then(|m| m.describe_in(self.lang.locale()))
        {
            self.note(&note);
        }
        let surveys = report.surveys.as_ref();
        for (group, ids) in groups {
            if !ids.iter().any(|(m, _)| report.metric(m.id()).is_some()) {
                continue;
            }
            self.h3(self.t(group));
            self.out.push_str("<div class=\"cards\">\n");
            for &(metric, kind) in ids {
                let id = metric.id();
                let Some(value) = report.metric(id) else {
                    continue;
                };
                let shown = match kind {
                    Count => f.count(value),
                    Money => f.money(value),
                    Share => f.pct(value),
                    Points => {
                        if id == "nps" {
                            f.points(value)
                        } else {
                            format!("{}%", f.points(value))
                        }
                    }
                    Months => format!("{} {}", f.num(value, 1), self.t(T::MonthsUnit)),
                    Mean => f.num(value, 2),
                };
                // The interval and its plain-number attributes.
                let (ci, sub) = match id {
                    "nps" => {
                        match (
                            report.metric(MetricId::NpsCiLow.id()),
                            report.metric(MetricId::NpsCiHigh.id()),
                            report.metric(MetricId::NpsMargin.id()),
                        ) {
                            (Some(low), Some(high), Some(margin)) => (
                                Some((low, high)),
                                Some(format!(
                                    "{}: {} … {} (± {}); n = {}",
                                    self.t(T::Ci95),
                                    f.points(low),
                                    f.points(high),
                                    f.points(margin),
                                    f.count(report.metric(MetricId::Responses.id()).unwrap_or(0.0))
                                )),
                            ),
                            _ => (None, None),
                        }
                    }
                    "csat" => match surveys.and_then(|s| s.csat.as_ref()) {
                        Some(c) => (
                            Some((c.ci_low, c.ci_high)),
                            Some(format!(
                                "{}: {} … {}; n = {}",
                                self.t(T::Ci95),
                                f.pct(c.ci_low),
                                f.pct(c.ci_high),
                                f.count(c.responses as f64)
                            )),
                        ),
                        None => (None, None),
                    },
                    "ces" => match surveys.and_then(|s| s.ces.as_ref()) {
                        Some(c) => (
                            None,
                            Some(format!(
                                "{} {}; n = {}",
                                f.pct(c.share_5_to_7),
                                self.t(T::Ces57),
                                f.count(c.responses as f64)
                            )),
                        ),
                        None => (None, None),
                    },
                    "clv_total" | "expected_purchases_total" => {
                        let (low_id, high_id) = if id == "clv_total" {
                            (MetricId::ClvTotalLow, MetricId::ClvTotalHigh)
                        } else {
                            (
                                MetricId::ExpectedPurchasesLow,
                                MetricId::ExpectedPurchasesHigh,
                            )
                        };
                        match (report.metric(low_id.id()), report.metric(high_id.id())) {
                            (Some(low), Some(high)) => {
                                let write = |v: f64| {
                                    if id == "clv_total" {
                                        f.money(v)
                                    } else {
                                        f.count(v)
                                    }
                                };
                                let sub = format!(
                                    "{}: {} … {}",
                                    self.t(T::Ci90),
                                    write(low),
                                    write(high)
                                );
                                (Some((low, high)), Some(sub))
                            }
                            _ => (None, None),
                        }
                    }
                    _ => (None, None),
                };
                let out = &mut self.out;
                w!(
                    out,
                    "<div class=\"card\" data-metric=\"{}\" data-value=\"{}\"",
                    E(id),
                    value
                );
                if let Some((low, high)) = ci.filter(|(l, h)| l.is_finite() && h.is_finite()) {
                    w!(out, " data-ci-low=\"{low}\" data-ci-high=\"{high}\"");
                }
                w!(
                    out,
                    "><div class=\"label\" title=\"{}\">{}</div><div class=\"value\">{}</div>",
                    E(metric.definition(f.0.locale())),
                    E(metric.label(f.0.locale())),
                    E(&shown)
                );
                if let Some(sub) = sub {
                    w!(out, "<div class=\"sub\">{}</div>", E(&sub));
                }
                out.push_str("</div>\n");
            }
            self.out.push_str("</div>\n");
        }
        self.end_section();
    }
}
