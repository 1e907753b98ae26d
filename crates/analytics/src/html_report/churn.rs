//! Churn: reasons, categories and churn by segment.

use crate::chart::{
    draw_cumulative_incidence, draw_pareto, draw_reference_comparison, ChurnLabels,
};
use crate::metrics::churn_rules::ChurnCategory;
use crate::report::Report;

use super::doc::{num, text, Cell, Doc, MAX_COLUMNS, MAX_LABELS, MAX_ROWS, PARETO_BARS};
use super::words::{category_name, T};
use crate::chart::ChartId;

impl Doc {
    pub(super) fn churn(&mut self, report: &Report) {
        let Some(c) = &report.churn else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let labels = ChurnLabels::for_locale(lang.locale());
        self.section("churn", T::SecChurn);
        if c.categories
            .iter()
            .any(|r| r.category != ChurnCategory::Unknown)
        {
            let bars = c.category_pareto(|cat| category_name(cat, lang).to_string());
            self.chart(ChartId::ChurnPareto, |area| {
                draw_pareto(area, &bars, &labels)
            });
        }
        if c.reasons.iter().any(|r| r.reason.is_some()) {
            let bars: Vec<_> = c
                .reason_pareto(self.t(T::NoReason))
                .into_iter()
                .take(PARETO_BARS)
                .collect();
            self.chart(ChartId::ChurnReasons, |area| {
                draw_pareto(area, &bars, &labels)
            });
        }
        if c.reference.iter().any(|r| r.user_share.is_some()) {
            self.chart(ChartId::ChurnReference, |area| {
                draw_reference_comparison(area, &c.reference, &labels)
            });
        }
        if let Some(risks) = c.competing_risks.as_ref().filter(|r| !r.curves.is_empty()) {
            self.chart(ChartId::ChurnIncidence, |area| {
                draw_cumulative_incidence(area, risks, &labels)
            });
        }
        if !c.categories.is_empty() {
            let head = [
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::ShareOfKnown),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .categories
                .iter()
                .map(|r| {
                    vec![
                        text(category_name(r.category, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.opt_pct(r.share_of_known)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table(
                "churn_categories",
                self.t(T::CapChurnCategories),
                &head,
                &rows,
            );
        }
        if c.reasons.iter().any(|r| r.reason.is_some()) {
            let head = [
                self.t(T::Reason),
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::Cumulative),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .reasons
                .iter()
                .take(MAX_ROWS)
                .map(|r| {
                    vec![
                        text(r.reason.as_deref().unwrap_or(self.t(T::NoReason))),
                        text(category_name(r.category, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.pct(r.cumulative_share)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table("churn_reasons", self.t(T::CapChurnReasons), &head, &rows);
            if c.reasons.len() > MAX_ROWS {
                let note = format!(
                    "{} {}",
                    f.count((c.reasons.len() - MAX_ROWS) as f64),
                    self.t(T::MoreRows)
                );
                self.note(&note);
            }
        }
        if !c.file_categories.is_empty() {
            let head = [
                self.t(T::FileCategory),
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .file_categories
                .iter()
                .take(MAX_ROWS)
                .map(|r| {
                    vec![
                        text(r.category.as_deref().unwrap_or(self.t(T::NoReason))),
                        text(category_name(r.canonical, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table(
                "churn_file_categories",
                self.t(T::CapFileCategories),
                &head,
                &rows,
            );
        }
        self.churn_by_segment(report);
        self.end_section();
    }

    /// Churn by customers segment columns in one table: the columns whose
    /// segments' churn shares spread most first, at most [`MAX_COLUMNS`].
    fn churn_by_segment(&mut self, report: &Report) {
        let f = self.f;
        let spread = |s: &&crate::report::ChurnBySegment| {
            let shares = s.rows.iter().map(|r| r.churn_share);
            shares.clone().fold(f64::MIN, f64::max) - shares.fold(f64::MAX, f64::min)
        };
        let mut columns: Vec<_> = report
            .churn_by_segment
            .iter()
            .filter(|s| !s.rows.is_empty())
            .collect();
        if columns.is_empty() {
            return;
        }
        columns.sort_by(|a, b| spread(b).total_cmp(&spread(a)));
        let left_out = columns.len().saturating_sub(MAX_COLUMNS);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for seg in columns.iter().take(MAX_COLUMNS) {
            for (i, r) in seg.rows.iter().take(MAX_LABELS).enumerate() {
                rows.push(vec![
                    text(if i == 0 { seg.column.as_str() } else { "" }),
                    text(&r.segment),
                    num(f.count(r.customers as f64)),
                    num(f.count(r.churned as f64)),
                    num(f.pct(r.churn_share)),
                    num(f.opt_money(r.revenue_lost)),
                ]);
            }
        }
        let head = [
            self.t(T::Column),
            self.t(T::Segment),
            self.t(T::Customers),
            self.t(T::Left),
            self.t(T::ShareLeft),
            self.t(T::RevenueLost),
        ];
        self.table("churn_by_segment", self.t(T::ChurnBy), &head, &rows);
        if left_out > 0 {
            let note = format!("{} {}", left_out, self.t(T::MoreColumns));
            self.note(&note);
        }
    }
}
