//! NPS & CSAT: the surveys section and the loyalty link.

use crate::chart::{
    draw_loyalty_link, draw_nps_distribution, draw_nps_trend, LinkMeasure, NpsLabels,
};
use crate::metric::MetricId;
use crate::metrics::loyalty_link::{GroupBehaviour, Share};
use crate::report::Report;

use super::doc::{num, text, Cell, Doc, MAX_COLUMNS};
use super::words::{group_name, T};
use crate::chart::ChartId;

impl Doc {
    pub(super) fn surveys(&mut self, report: &Report) {
        let Some(s) = &report.surveys else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let nps_labels = NpsLabels::for_locale(lang.locale());
        let csat = s.csat.as_ref().filter(|c| c.responses > 0);
        let by_answer = s
            .churn_by_answer
            .as_ref()
            .filter(|c| !c.by_problem.is_empty() || !c.by_satisfaction.is_empty());
        let has_content = (s.nps.is_some() && s.nps_distribution.iter().sum::<u64>() > 0)
            || !s.nps_trend.is_empty()
            || s.nps_segments.iter().any(|t| !t.rows.is_empty())
            || csat.is_some()
            || s.comments.as_ref().is_some_and(|c| !c.themes.is_empty())
            || s.loyalty_link.is_some()
            || by_answer.is_some();
        if !has_content {
            return;
        }
        self.section("surveys", T::SecSurveys);
        if s.nps.is_some() && s.nps_distribution.iter().sum::<u64>() > 0 {
            self.chart(ChartId::NpsDistribution, |area| {
                draw_nps_distribution(area, &s.nps_distribution, &nps_labels)
            });
        }
        if !s.nps_trend.is_empty() {
            self.chart(ChartId::NpsTrend, |area| {
                draw_nps_trend(area, &s.nps_trend, &nps_labels)
            });
        }
        let mut any_significant = false;
        for table in s.nps_segments.iter().take(MAX_COLUMNS) {
            if table.rows.is_empty() {
                continue;
            }
            let caption = format!("{} {}", self.t(T::NpsBy), table.column);
            let head = [
                table.column.as_str(),
                self.t(T::Answers),
                MetricId::Nps.label(self.f.0.locale()),
                self.t(T::Ci95),
                self.t(T::DifferenceToRest),
                self.t(T::Impact),
            ];
            let rows: Vec<Vec<Cell>> = table
                .rows
                .iter()
                .map(|r| {
                    any_significant |= r.significant;
                    let diff = r.difference_to_rest.map_or_else(
                        || "–".into(),
                        |d| {
                            let mark = if r.significant { " *" } else { "" };
                            format!("{}{mark}", f.signed(d))
                        },
                    );
                    vec![
                        text(&r.label),
                        num(f.count(r.summary.responses as f64)),
                        num(f.points(r.summary.nps)),
                        num(format!(
                            "{} … {}",
                            f.points(r.summary.ci_low),
                            f.points(r.summary.ci_high)
                        )),
                        num(diff),
                        num(r.impact.map_or_else(|| "–".into(), |v| f.signed(v))),
                    ]
                })
                .collect();
            self.table("nps_segments", &caption, &head, &rows);
        }
        if any_significant {
            self.note(self.t(T::SignificantNote));
        }
        if let Some(c) = csat {
            // One column per score: answers and their share.
            let scores: Vec<String> = (0..c.distribution.len())
                .map(|i| (usize::from(c.scale.min) + i).to_string())
                .collect();
            let mut head = vec![self.t(T::Score)];
            head.extend(scores.iter().map(String::as_str));
            let total = c.distribution.iter().sum::<u64>().max(1) as f64;
            let mut answers = vec![text(self.t(T::AnswersCap))];
            answers.extend(c.distribution.iter().map(|&n| num(f.count(n as f64))));
            let mut shares = vec![text(self.t(T::Share))];
            shares.extend(c.distribution.iter().map(|&n| num(f.pct(n as f64 / total))));
            self.table(
                "csat_distribution",
                self.t(T::CapCsat),
                &head,
                &[answers, shares],
            );
        }
        if let Some(c) = s.comments.as_ref().filter(|c| !c.themes.is_empty()) {
            let head = [
                self.t(T::Theme),
                self.t(T::Mentions),
                self.t(T::ShareDetractors),
                self.t(T::SharePromoters),
                self.t(T::NpsWith),
                self.t(T::Impact),
            ];
            let rows: Vec<Vec<Cell>> = c
                .themes
                .iter()
                .map(|t| {
                    vec![
                        text(&t.theme),
                        num(f.count(t.mentions as f64)),
                        num(f.opt_pct(t.share_detractors)),
                        num(f.opt_pct(t.share_promoters)),
                        num(t.nps_with.map_or_else(|| "–".into(), |v| f.points(v))),
                        num(t.impact.map_or_else(|| "–".into(), |v| f.signed(v))),
                    ]
                })
                .collect();
            self.table("comment_themes", self.t(T::CapThemes), &head, &rows);
            let terms: Vec<Vec<Cell>> = c
                .top_terms
                .iter()
                .filter(|g| !g.terms.is_empty())
                .map(|g| {
                    let group = match g.group {
                        crate::metrics::nps::NpsGroup::Detractor => T::Detractors,
                        crate::metrics::nps::NpsGroup::Passive => T::Passives,
                        crate::metrics::nps::NpsGroup::Promoter => T::Promoters,
                    };
                    let words = g
                        .terms
                        .iter()
                        .map(|(w, n)| format!("{w} ({n})"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![text(group.text(lang)), text(words)]
                })
                .collect();
            if !terms.is_empty() {
                let head = [self.t(T::Group), self.t(T::Words)];
                self.table("comment_terms", self.t(T::CapTopTerms), &head, &terms);
            }
            self.note(self.t(T::CommentsNote));
        }
        if let Some(link) = &s.loyalty_link {
            if link.by_nps_group.iter().any(|g| g.repeat_rate.is_some()) {
                self.chart(ChartId::LoyaltyLink, |area| {
                    draw_loyalty_link(
                        area,
                        &link.by_nps_group,
                        LinkMeasure::RepeatRate,
                        &nps_labels,
                    )
                });
            }
            for (key, groups) in [
                (T::LinkByNps, &link.by_nps_group),
                (T::LinkByCsat, &link.by_csat),
                (T::LinkByProblem, &link.by_problem),
            ] {
                if groups.is_empty() {
                    continue;
                }
                self.link_table(self.t(key), groups);
            }
        }
        if let Some(c) = by_answer {
            let head = [
                self.t(T::Group),
                self.t(T::Customers),
                self.t(T::Left),
                self.t(T::ShareLeft),
                self.t(T::Ci95),
            ];
            for (key, groups) in [
                (T::ChurnByProblem, &c.by_problem),
                (T::ChurnBySatisfaction, &c.by_satisfaction),
            ] {
                if groups.is_empty() {
                    continue;
                }
                let rows: Vec<Vec<Cell>> = groups
                    .iter()
                    .map(|g| {
                        vec![
                            text(group_name(&g.group, lang)),
                            num(f.count(g.churn.of as f64)),
                            num(f.count(g.churn.count as f64)),
                            num(f.pct(g.churn.share)),
                            num(format!(
                                "{} … {}",
                                f.pct(g.churn.ci_low),
                                f.pct(g.churn.ci_high)
                            )),
                        ]
                    })
                    .collect();
                self.table("churn_by_answer", self.t(key), &head, &rows);
            }
        }
        self.end_section();
    }

    fn link_table(&mut self, caption: &str, groups: &[GroupBehaviour]) {
        let (lang, f) = (self.lang, self.f);
        let share = |s: &Option<Share>| s.as_ref().map_or_else(|| "–".into(), |s| f.pct(s.share));
        let head = [
            self.t(T::Group),
            self.t(T::Customers),
            MetricId::RepeatRate.label(self.f.0.locale()),
            self.t(T::BoughtWithin6m),
            self.t(T::RevenuePerCustomer),
        ];
        let rows: Vec<Vec<Cell>> = groups
            .iter()
            .map(|g| {
                vec![
                    text(group_name(&g.group, lang)),
                    num(f.count(g.customers as f64)),
                    num(share(&g.repeat_rate)),
                    num(share(&g.bought_within_6m)),
                    num(g
                        .revenue_per_customer
                        .as_ref()
                        .map_or_else(|| "–".into(), |m| f.money(m.mean))),
                ]
            })
            .collect();
        self.table("loyalty_link", caption, &head, &rows);
    }
}
