//! Activity, retention (cohorts, survival by segment) and order patterns.

use std::fmt::Write as _;

use crate::chart::{
    draw_cohort_curves, draw_distribution, draw_lifecycle, draw_monthly_activity, draw_seasonality,
    draw_survival, ActivityLabels, LifecycleLabels, PatternLabels, SurvivalLabels,
};
use crate::metrics::retention::CohortMatrix;
use crate::report::Report;

use super::doc::{num, text, Cell, Doc, MAX_COLUMNS, MAX_OFFSETS};
use super::words::T;
use super::{Lang, E};
use crate::chart::ChartId;

impl Doc {
    pub(super) fn activity(&mut self, report: &Report) {
        if report.monthly_activity.is_empty() && report.lifecycle.is_empty() {
            return;
        }
        let lang = self.lang;
        self.section("activity", T::SecActivity);
        if !report.monthly_activity.is_empty() {
            let labels = ActivityLabels::for_locale(lang.locale());
            self.chart(ChartId::MonthlyActivity, |area| {
                draw_monthly_activity(area, &report.monthly_activity, &labels)
            });
        }
        if !report.lifecycle.is_empty() {
            self.chart(ChartId::Lifecycle, |area| {
                draw_lifecycle(
                    area,
                    &report.lifecycle,
                    &LifecycleLabels::for_locale(lang.locale()),
                )
            });
        }
        self.end_section();
    }

    pub(super) fn retention(&mut self, report: &Report) {
        let has_cohorts = !report.cohorts.cohorts.is_empty();
        if !has_cohorts && report.survival.is_none() && report.segment_retention.is_empty() {
            return;
        }
        let f = self.f;
        let lang = self.lang;
        self.section("retention", T::SecRetention);
        if has_cohorts {
            self.cohort_table(&report.cohorts);
            if report.cohorts.average_on.len() >= 2 {
                self.chart(ChartId::CohortCurves, |area| {
                    draw_cohort_curves(
                        area,
                        &report.cohorts,
                        &PatternLabels::for_locale(lang.locale()),
                    )
                });
            }
        }
        for seg in report.segment_retention.iter().take(MAX_COLUMNS) {
            if seg.segments.is_empty() {
                continue;
            }
            let caption = format!("{} {}", self.t(T::RetentionBy), seg.column);
            let month = self.t(T::MonthN);
            let heads: Vec<String> = [1, 3, 6, 12]
                .iter()
                .map(|k| format!("{month} {k}"))
                .collect();
            let mut head = vec![seg.column.as_str(), self.t(T::Customers)];
            head.extend(heads.iter().map(String::as_str));
            let rows: Vec<Vec<Cell>> = seg
                .segments
                .iter()
                .map(|s| {
                    let mut row = vec![text(&s.label), num(f.count(s.customers as f64))];
                    row.extend(s.at_months.iter().map(|v| num(f.opt_pct(*v))));
                    row
                })
                .collect();
            self.table("segment_retention", &caption, &head, &rows);
        }
        if let Some(curve) = &report.survival {
            let labels = SurvivalLabels::for_locale(lang.locale());
            self.chart(ChartId::Survival, |area| {
                draw_survival(area, curve, &labels)
            });
        }
        self.segment_survival(report);
        self.end_section();
    }

    /// Kaplan-Meier by customers segment columns in one table: the columns
    /// whose segments differ most (smallest log-rank p) first, at most
    /// [`MAX_COLUMNS`] of them.
    fn segment_survival(&mut self, report: &Report) {
        let f = self.f;
        let mut columns: Vec<_> = report
            .segment_survival
            .iter()
            .filter(|s| !s.curves.is_empty())
            .collect();
        if columns.is_empty() {
            return;
        }
        let p_of = |s: &&crate::metrics::segment_breakdown::SegmentSurvival| {
            s.log_rank.map_or(f64::INFINITY, |lr| lr.p_value)
        };
        columns.sort_by(|a, b| p_of(a).total_cmp(&p_of(b)));
        let left_out = columns.len().saturating_sub(MAX_COLUMNS);
        let not_reached = self.t(T::NotReached);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for seg in columns.iter().take(MAX_COLUMNS) {
            let test = seg.log_rank.map_or_else(
                || "–".to_string(),
                |lr| {
                    let p = f.p_value(lr.p_value);
                    let p = if p.starts_with('<') {
                        format!("p {p}")
                    } else {
                        format!("p = {p}")
                    };
                    format!(
                        "χ² = {}, df = {}, {p}",
                        f.num(lr.chi_square, 1),
                        lr.degrees_of_freedom
                    )
                },
            );
            for (i, (label, c)) in seg.curves.iter().enumerate() {
                let observed_12 = c.months.last().is_some_and(|&m| m >= 12.0);
                rows.push(vec![
                    text(if i == 0 { seg.column.as_str() } else { "" }),
                    text(label),
                    num(f.count(c.at_risk.first().copied().unwrap_or(0) as f64)),
                    num(c
                        .at(12.0)
                        .filter(|_| observed_12)
                        .map_or_else(|| "–".into(), |v| f.pct(v))),
                    num(c
                        .median_months
                        .map_or_else(|| not_reached.into(), |m| f.num(m, 1))),
                    text(if i == 0 { test.as_str() } else { "" }),
                ]);
            }
        }
        let head = [
            self.t(T::Column),
            self.t(T::Segment),
            self.t(T::Customers),
            self.t(T::StillAfter12),
            self.t(T::MedianMonths),
            self.t(T::LogRank),
        ];
        self.table("segment_survival", self.t(T::SurvivalBy), &head, &rows);
        if left_out > 0 {
            let note = format!("{} {}", left_out, self.t(T::MoreColumns));
            self.note(&note);
        }
    }

    /// The cohort triangle as a heat map: one row per cohort, one column per
    /// month since the first purchase.
    fn cohort_table(&mut self, matrix: &CohortMatrix) {
        let f = self.f;
        let offsets = matrix
            .cohorts
            .iter()
            .map(|c| c.on.len())
            .chain(std::iter::once(matrix.average_on.len()))
            .max()
            .unwrap_or(0);
        let shown = offsets.min(MAX_OFFSETS);
        // Shade relative to the best retention after month 0.
        let top = matrix
            .cohorts
            .iter()
            .flat_map(|c| c.on.iter().take(shown).skip(1).copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let shade = |v: f64| -> usize {
            if top <= 0.0 || !v.is_finite() {
                0
            } else {
                ((v / top).clamp(0.0, 1.0) * 10.0).round() as usize
            }
        };
        let cell = |out: &mut String, k: usize, v: Option<f64>| match v {
            None => out.push_str("<td class=\"na\"></td>"),
            Some(v) if k == 0 => w!(out, "<td class=\"k0\">{}</td>", E(&f.pct_short(v))),
            Some(v) => w!(
                out,
                "<td class=\"h{}\">{}</td>",
                shade(v),
                E(&f.pct_short(v))
            ),
        };
        let (cap, cohort, customers, average) = (
            self.t(T::CapCohortTable),
            self.t(T::Cohort),
            self.t(T::Customers),
            self.t(T::AverageWeighted),
        );
        let out = &mut self.out;
        w!(
            out,
            "<div class=\"scroll\"><table class=\"heat\" data-table=\"cohorts\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th>",
            E(cap),
            E(cohort),
            E(customers)
        );
        for k in 0..shown {
            w!(out, "<th scope=\"col\" class=\"n\">{k}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &matrix.cohorts {
            w!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td>",
                E(&row.cohort),
                E(&f.count(row.size as f64))
            );
            for k in 0..shown {
                cell(out, k, row.on.get(k).copied());
            }
            out.push_str("</tr>\n");
        }
        let total: u64 = matrix.cohorts.iter().map(|c| c.size).sum();
        w!(
            out,
            "<tr class=\"avg\"><th scope=\"row\">{}</th><td>{}</td>",
            E(average),
            E(&f.count(total as f64))
        );
        for k in 0..shown {
            cell(out, k, matrix.average_on.get(k).copied());
        }
        out.push_str("</tr>\n</tbody>\n</table></div>\n");
        let mut note = self.t(T::CohortNote).to_string();
        if offsets > shown {
            note.push(' ');
            note.push_str(self.t(T::OffsetsCut));
        }
        self.note(&note);
    }

    pub(super) fn patterns(&mut self, report: &Report) {
        let Some(p) = &report.purchase_patterns else {
            return;
        };
        let days = p
            .days_between_purchases
            .as_ref()
            .filter(|d| !d.buckets.is_empty());
        let seasonal = p
            .seasonality
            .iter()
            .any(|m| m.orders_index.is_some() || m.revenue_index.is_some());
        if p.orders_per_customer.is_empty() && days.is_none() && !seasonal {
            return;
        }
        let (lang, f) = (self.lang, self.f);
        let patterns = PatternLabels::for_locale(lang.locale());
        self.section("patterns", T::SecPatterns);
        if !p.orders_per_customer.is_empty() {
            self.chart(ChartId::OrdersPerCustomer, |area| {
                draw_distribution(
                    area,
                    &p.orders_per_customer,
                    T::Orders.text(lang),
                    T::Customers.text(lang),
                    &patterns,
                )
            });
        }
        if let Some(d) = days {
            // The chart's caption is the catalogue's; its median and 90th
            // percentile follow as a note.
            let note = match lang {
                Lang::En => format!(
                    "Median {} days, 90th percentile {}.",
                    f.num(d.median, 0),
                    f.num(d.p90, 0)
                ),
                Lang::Ru => format!(
                    "Медиана {} дн., 90-й перцентиль {}.",
                    f.num(d.median, 0),
                    f.num(d.p90, 0)
                ),
            };
            self.chart(ChartId::DaysBetweenPurchases, |area| {
                draw_distribution(
                    area,
                    &d.buckets,
                    T::ChartDays.text(lang),
                    T::RepeatPurchases.text(lang),
                    &patterns,
                )
            });
            self.note(&note);
        }
        if seasonal {
            self.chart(ChartId::Seasonality, |area| {
                draw_seasonality(area, &p.seasonality, &patterns)
            });
        }
        self.end_section();
    }
}
