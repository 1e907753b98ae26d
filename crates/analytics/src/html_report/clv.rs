//! Customer lifetime value.

use crate::chart::{
    draw_clv_by_month, draw_clv_distribution, draw_holdout_by_frequency, draw_rfm_grid,
    draw_tracking, ClvLabels,
};
use crate::models::abc_xyz::{Abc, Xyz};
use crate::models::model_choice::ChoiceReason;
use crate::models::ClvSection;
use crate::report::Report;

use super::doc::{num, text, Cell, Doc, MAX_ROWS};
use super::words::{rfm_name, T};
use crate::chart::ChartId;

impl Doc {
    pub(super) fn clv(&mut self, report: &Report) {
        let Some(c) = &report.clv else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let labels = ClvLabels::for_locale(lang.locale());
        self.section("clv", T::SecClv);
        // Model parameters with their standard errors.
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let se = |v: Option<f64>| v.map_or_else(|| "–".into(), |v| f.num(v, 4));
        if let Some(bg) = &c.bgnbd {
            let e = bg.standard_errors;
            let mark = if bg.converged {
                ""
            } else {
                self.t(T::NotConverged)
            };
            for (name, value, err) in [
                ("BG/NBD r", bg.params.r, e.map(|e| e.r)),
                ("BG/NBD α", bg.params.alpha, e.map(|e| e.alpha)),
                ("BG/NBD a", bg.params.a, e.map(|e| e.a)),
                ("BG/NBD b", bg.params.b, e.map(|e| e.b)),
            ] {
                rows.push(vec![
                    text(format!("{name} {mark}").trim_end()),
                    num(f.num(value, 4)),
                    num(se(err)),
                ]);
            }
            rows.push(vec![
                text(format!("BG/NBD {}", self.t(T::LogLikelihood))),
                num(f.num(bg.log_likelihood, 2)),
                num("–"),
            ]);
        }
        if let Some(p) = &c.pareto_nbd {
            let e = p.standard_errors;
            let mark = if p.converged {
                ""
            } else {
                self.t(T::NotConverged)
            };
            for (name, value, err) in [
                ("Pareto/NBD r", p.params.r, e.map(|e| e.r)),
                ("Pareto/NBD α", p.params.alpha, e.map(|e| e.alpha)),
                ("Pareto/NBD s", p.params.s, e.map(|e| e.s)),
                ("Pareto/NBD β", p.params.beta, e.map(|e| e.beta)),
            ] {
                rows.push(vec![
                    text(format!("{name} {mark}").trim_end()),
                    num(f.num(value, 4)),
                    num(se(err)),
                ]);
            }
            rows.push(vec![
                text(format!("Pareto/NBD {}", self.t(T::LogLikelihood))),
                num(f.num(p.log_likelihood, 2)),
                num("–"),
            ]);
        }
        if let Some(gg) = &c.gamma_gamma {
            let e = gg.standard_errors;
            let mark = if gg.converged {
                ""
            } else {
                self.t(T::NotConverged)
            };
            for (name, value, err) in [
                ("Gamma-Gamma p", gg.params.p, e.map(|e| e.p)),
                ("Gamma-Gamma q", gg.params.q, e.map(|e| e.q)),
                ("Gamma-Gamma v", gg.params.v, e.map(|e| e.v)),
            ] {
                rows.push(vec![
                    text(format!("{name} {mark}").trim_end()),
                    num(f.num(value, 4)),
                    num(se(err)),
                ]);
            }
        }
        if !rows.is_empty() {
            rows.push(vec![
                text(self.t(T::Horizon)),
                num(c.settings.horizon_months.to_string()),
                num("–"),
            ]);
            rows.push(vec![
                text(self.t(T::DiscountRate)),
                num(f.pct(c.settings.discount_rate)),
                num("–"),
            ]);
            if let Some(m) = c.settings.margin {
                rows.push(vec![text(self.t(T::Margin)), num(f.pct(m)), num("–")]);
            }
            let head = [
                self.t(T::Parameter),
                self.t(T::Value),
                self.t(T::StandardError),
            ];
            self.table("clv_model", self.t(T::CapModel), &head, &rows);
        }
        for m in &c.messages {
            self.note(&m.note.text(lang.locale()));
        }
        self.model_choice(c);
        if let Some(d) = c.clv_distribution.as_ref().filter(|d| !d.bins.is_empty()) {
            self.chart(ChartId::ClvDistribution, |area| {
                draw_clv_distribution(area, d, &labels)
            });
        }
        if let Some(h) = c.holdout_in_use() {
            if !h.by_frequency.is_empty() {
                self.chart(ChartId::ClvHoldout, |area| {
                    draw_holdout_by_frequency(area, &h.by_frequency, &labels)
                });
            }
            if !h.tracking.is_empty() {
                self.chart(ChartId::ClvTracking, |area| {
                    draw_tracking(area, &h.tracking, h.calibration_end_week, &labels)
                });
            }
        }
        if !c.clv_by_month.is_empty() {
            self.chart(ChartId::ClvByMonth, |area| {
                draw_clv_by_month(area, &c.clv_by_month, &labels)
            });
        }
        self.clv_by_segment(c);
        if let Some(rfm) = &c.rfm {
            if !rfm.grid.is_empty() {
                self.chart(ChartId::RfmGrid, |area| {
                    draw_rfm_grid(area, &rfm.grid, &labels)
                });
            }
            let rows: Vec<Vec<Cell>> = rfm
                .segments
                .iter()
                .filter(|s| s.customers > 0)
                .map(|s| {
                    vec![
                        text(rfm_name(s.segment, lang)),
                        num(f.count(s.customers as f64)),
                        num(f.pct(s.customer_share)),
                        num(f.money(s.revenue)),
                        num(f.opt_pct(s.revenue_share)),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                let head = [
                    self.t(T::Segment),
                    self.t(T::Customers),
                    self.t(T::ShareOfCustomers),
                    self.t(T::Revenue),
                    self.t(T::ShareOfRevenue),
                ];
                self.table("rfm_segments", self.t(T::CapRfmSegments), &head, &rows);
            }
        }
        if let Some(m) = c.abc_xyz.as_ref().filter(|m| !m.cells.is_empty()) {
            let total: f64 = m.cells.iter().map(|c| c.revenue).sum();
            let rows: Vec<Vec<Cell>> = Abc::ALL
                .iter()
                .map(|&abc| {
                    let mut row = vec![text(abc.letter())];
                    for xyz in Xyz::ALL {
                        let cell = m.cells.iter().find(|c| c.abc == abc && c.xyz == xyz);
                        row.push(num(cell.map_or_else(
                            || "–".into(),
                            |c| {
                                if total != 0.0 && total.is_finite() {
                                    format!(
                                        "{} ({})",
                                        f.count(c.customers as f64),
                                        f.pct(c.revenue / total)
                                    )
                                } else {
                                    f.count(c.customers as f64)
                                }
                            },
                        )));
                    }
                    row
                })
                .collect();
            let head = [self.t(T::AbcXyzCell), "X", "Y", "Z"];
            self.table("abc_xyz", self.t(T::CapAbcXyz), &head, &rows);
        }
        if !c.top_customers.is_empty() {
            let head = [
                self.t(T::CustomerId),
                self.t(T::Clv),
                self.t(T::PAlive),
                self.t(T::ExpectedPurchases),
                self.t(T::RepeatPurchases),
                self.t(T::AverageOrder),
            ];
            let rows: Vec<Vec<Cell>> = c
                .top_customers
                .iter()
                .take(MAX_ROWS)
                .map(|t| {
                    vec![
                        text(&t.customer),
                        num(f.money(t.clv)),
                        num(f.pct(t.p_alive)),
                        num(f.num(t.expected_purchases, 2)),
                        num(f.count(t.frequency)),
                        num(f.opt_money(t.monetary_value)),
                    ]
                })
                .collect();
            self.table("top_customers", self.t(T::CapTopCustomers), &head, &rows);
        }
        self.end_section();
    }

    /// Both purchase models' holdout scores side by side, and the model in use.
    fn model_choice(&mut self, c: &ClvSection) {
        let f = self.f;
        if let Some((model, reason)) = c.clv_model.zip(c.clv_model_reason) {
            let why = match reason {
                ChoiceReason::Holdout => T::ChoiceHoldout,
                ChoiceReason::User => T::ChoiceUser,
                ChoiceReason::OnlyOneFitted => T::ChoiceOnlyOne,
                ChoiceReason::NoHoldout => T::ChoiceNoHoldout,
                ChoiceReason::NotDegenerate => T::ChoiceNotDegenerate,
            };
            let line = format!("{}: {} ({})", self.t(T::Model), model.name(), self.t(why));
            self.note(&line);
        }
        if c.holdout_scores.is_empty() {
            return;
        }
        let rows: Vec<Vec<Cell>> = c
            .holdout_scores
            .iter()
            .map(|s| {
                let name = if Some(s.model) == c.clv_model {
                    format!("{} ({})", s.model.name(), self.t(T::InUse))
                } else {
                    s.model.name().to_string()
                };
                vec![
                    text(name),
                    num(f.num(s.predicted_total, 1)),
                    num(f.count(s.actual_total)),
                    num(s.total_error.map_or_else(|| "–".into(), |e| f.pct(e))),
                    num(f.num(s.mae_per_customer, 4)),
                ]
            })
            .collect();
        let head = [
            self.t(T::Model),
            self.t(T::PredictedPurchases),
            self.t(T::ActualPurchases),
            self.t(T::TotalError),
            self.t(T::MaePerCustomer),
        ];
        self.table("clv_model_choice", self.t(T::CapModelChoice), &head, &rows);
    }

    /// Each segment column's labels with CLV, its interval and expected purchases.
    fn clv_by_segment(&mut self, c: &ClvSection) {
        let f = self.f;
        let rows: Vec<Vec<Cell>> = c
            .clv_by_segment
            .iter()
            .flat_map(|column| {
                column.segments.iter().map(move |s| {
                    let (low, high) = s.clv_interval.map_or(("–".into(), "–".into()), |i| {
                        (f.money(i.low), f.money(i.high))
                    });
                    vec![
                        text(format!("{}: {}", column.column, s.label)),
                        num(f.count(s.customers as f64)),
                        num(f.opt_money(s.clv_total)),
                        num(low),
                        num(high),
                        num(f.opt_money(s.clv_mean)),
                        num(f.num(s.expected_purchases, 1)),
                        num(s.p_alive_mean.map_or_else(|| "–".into(), |p| f.pct(p))),
                    ]
                })
            })
            .take(MAX_ROWS)
            .collect();
        if rows.is_empty() {
            return;
        }
        let head = [
            self.t(T::Segment),
            self.t(T::Customers),
            self.t(T::Clv),
            self.t(T::Interval90Low),
            self.t(T::Interval90High),
            self.t(T::ClvMean),
            self.t(T::ExpectedPurchases),
            self.t(T::PAlive),
        ];
        self.table("clv_by_segment", self.t(T::CapClvBySegment), &head, &rows);
    }
}
