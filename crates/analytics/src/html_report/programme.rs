//! The loyalty programme: before and after its marks.

use crate::metrics::programme::Comparison;
use crate::report::Report;

use super::doc::{num, text, Cell, Doc};
use super::words::{measure_name, T};

impl Doc {
    fn comparison_rows(&self, comparisons: &[Comparison]) -> Vec<Vec<Cell>> {
        let (lang, f) = (self.lang, self.f);
        comparisons
            .iter()
            .map(|c| {
                let value = |v: Option<f64>| {
                    v.map_or_else(
                        || "–".into(),
                        |v| match c.measure.as_str() {
                            "repeat_share" => f.pct(v),
                            "nps" => f.points(v),
                            "average_order_value" | "revenue_per_customer" => f.money(v),
                            _ => f.num(v, 2),
                        },
                    )
                };
                vec![
                    text(measure_name(&c.measure, lang).unwrap_or(&c.measure)),
                    num(format!(
                        "{} (n = {})",
                        value(c.before),
                        f.count(c.n_before as f64)
                    )),
                    num(format!(
                        "{} (n = {})",
                        value(c.after),
                        f.count(c.n_after as f64)
                    )),
                    num(c.p_value.map_or_else(|| "–".into(), |p| f.p_value(p))),
                ]
            })
            .collect()
    }

    pub(super) fn programme(&mut self, report: &Report) {
        let p = &report.programme;
        if p.is_empty() {
            return;
        }
        let f = self.f;
        self.section("programme", T::SecProgramme);
        for mark in &p.marks {
            let caption = format!(
                "{} {} ({}, ± {} {})",
                self.t(T::BeforeAfter),
                mark.mark.label,
                f.date(mark.mark.date),
                mark.window_days,
                self.t(T::Days)
            );
            let head = [
                self.t(T::Measure),
                self.t(T::Before),
                self.t(T::After),
                self.t(T::PValue),
            ];
            let rows = self.comparison_rows(&mark.comparisons);
            self.table("programme_mark", &caption, &head, &rows);
        }
        if let Some(m) = &p.members {
            let caption = format!("{} {}", self.t(T::MembersVs), m.column);
            let head = [
                self.t(T::Measure),
                self.t(T::NonMembers),
                self.t(T::Members),
                self.t(T::PValue),
            ];
            let rows = self.comparison_rows(&m.comparisons);
            self.table("programme_members", &caption, &head, &rows);
        }
        if let Some(d) = &p.discount {
            let caption = format!(
                "{} ({}): {} / {} = {}",
                self.t(T::DiscountOrders),
                d.column,
                f.count(d.discounted_orders as f64),
                f.count(d.orders as f64),
                f.pct(d.share)
            );
            match &d.repeat_after_first_order {
                Some(c) => {
                    let head = [
                        self.t(T::Measure),
                        self.t(T::FirstOrderFull),
                        self.t(T::FirstOrderDiscounted),
                        self.t(T::PValue),
                    ];
                    let rows = self.comparison_rows(std::slice::from_ref(c));
                    self.table("programme_discount", &caption, &head, &rows);
                }
                None => self.note(&caption),
            }
        }
        self.end_section();
    }
}
