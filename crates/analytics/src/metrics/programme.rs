//! Does the loyalty programme work? Figures before and after dates the user
//! marks (programme launch, price change, new service standard), members
//! against non-members, and how many orders are bought on discount (the
//! seeds warn that discounts teach customers to wait for them).

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::nps::{nps_difference_z, NpsCounts};
use crate::dataset::{SurveyAnswer, Transactions};
use crate::ingest::{parse_amount, parse_flag, RecordKind};
use crate::segments::{SegmentColumn, Segments, NO_SEGMENT};

/// A date the user marks on every trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub date: NaiveDate,
    pub label: String,
}

/// One measure before and after, or for two groups, with a two-sided p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// "average_order_value", "orders_per_customer", "repeat_share",
    /// "new_customers_per_day", "nps", "revenue_per_customer".
    pub measure: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Observations behind each side (orders, customers, answers, days).
    pub n_before: u64,
    pub n_after: u64,
    pub p_value: Option<f64>,
}

impl Comparison {
    pub fn significant(&self) -> bool {
        self.p_value.is_some_and(|p| p < 0.05)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkEffect {
    pub mark: Mark,
    /// Days compared on each side: the shorter of the data before and after
    /// the mark, at most a year, so both sides have the same length.
    pub window_days: u32,
    pub comparisons: Vec<Comparison>,
}

/// Members ("before") against non-members ("after" holds the members, to
/// reuse [`Comparison`]: before = non-members, after = members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberComparison {
    pub column: String,
    pub members: u64,
    pub non_members: u64,
    pub comparisons: Vec<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscountShare {
    pub column: String,
    pub orders: u64,
    pub discounted_orders: u64,
    pub share: f64,
    /// (month "YYYY-MM", share of that month's orders bought on discount).
    pub by_month: Vec<(String, f64)>,
    /// Repeat share of customers whose first order was not discounted
    /// ("before") against those whose first order was ("after").
    pub repeat_after_first_order: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProgrammeEffect {
    pub marks: Vec<MarkEffect>,
    pub members: Option<MemberComparison>,
    pub discount: Option<DiscountShare>,
}

impl ProgrammeEffect {
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.members.is_none() && self.discount.is_none()
    }
}

/// Two-sided p-value of a standard normal z.
fn normal_p(z: f64) -> Option<f64> {
    z.is_finite()
        .then(|| statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// Welch's t-test of two samples' means (two-sided).
fn welch(a: &[f64], b: &[f64]) -> Option<f64> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let stats = |v: &[f64]| {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let ((n1, m1, v1), (n2, m2, v2)) = (stats(a), stats(b));
    let (s1, s2) = (v1 / n1, v2 / n2);
    let se = (s1 + s2).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return None;
    }
    let t = (m1 - m2) / se;
    let df = (s1 + s2).powi(2) / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(2.0 * (1.0 - dist.cdf(t.abs())))
}

/// Two-proportion z-test (pooled), two-sided.
pub(crate) fn two_proportions(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let p = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    (se > 0.0).then(|| normal_p((p1 - p2) / se)).flatten()
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn compare_means(measure: &str, before: &[f64], after: &[f64]) -> Comparison {
    Comparison {
        measure: measure.into(),
        before: mean(before),
        after: mean(after),
        n_before: before.len() as u64,
        n_after: after.len() as u64,
        p_value: welch(before, after),
    }
}

fn compare_shares(measure: &str, (k1, n1): (u64, u64), (k2, n2): (u64, u64)) -> Comparison {
    Comparison {
        measure: measure.into(),
        before: (n1 > 0).then(|| k1 as f64 / n1 as f64),
        after: (n2 > 0).then(|| k2 as f64 / n2 as f64),
        n_before: n1,
        n_after: n2,
        p_value: two_proportions(k1, n1, k2, n2),
    }
}

/// An order: (customer, first day, value, first row).
pub(crate) type Order = (u32, i32, f64, usize);

/// Orders: (customer, first day, value) per distinct order (order id, or
/// customer-day), purchases only, by customer, day and row.
pub(crate) fn orders(tx: &Transactions) -> Vec<Order> {
    let mut by_key: FxHashMap<(u32, u64), (i32, f64, usize)> = FxHashMap::default();
    for i in 0..tx.len() {
        if tx.amount.at(i).is_some_and(|a| a < 0.0) {
            continue;
        }
        let key = match tx.order.at(i) {
            Some(o) => (u32::MAX, u64::from(o)),
            None => (tx.customer[i], tx.day[i] as u32 as u64),
        };
        let e = by_key.entry(key).or_insert((tx.day[i], 0.0, i));
        e.0 = e.0.min(tx.day[i]);
        e.1 += tx.amount.at(i).unwrap_or(0.0);
    }
    let mut out: Vec<(u32, i32, f64, usize)> = by_key
        .into_values()
        .map(|(day, value, row)| (tx.customer[row], day, value, row))
        .collect();
    out.sort_unstable_by_key(|o| (o.0, o.1, o.3));
    out
}

pub fn programme_effect(
    tx: &Transactions,
    answers: &[SurveyAnswer],
    segments: &Segments,
    marks: &[Mark],
) -> ProgrammeEffect {
    let orders = std::cell::OnceCell::new();
    programme_effect_with(tx, answers, segments, marks, || {
        orders.get_or_init(|| self::orders(tx))
    })
}

/// [`programme_effect`] with the orders of `tx` ([`orders`]) from a cache.
pub(crate) fn programme_effect_with<'o>(
    tx: &Transactions,
    answers: &[SurveyAnswer],
    segments: &Segments,
    marks: &[Mark],
    orders: impl FnOnce() -> &'o [Order],
) -> ProgrammeEffect {
    if tx.is_empty() && answers.is_empty() {
        return ProgrammeEffect::default();
    }
    let members = segments
        .of_kind(RecordKind::Transactions)
        .find(|c| names_membership(&c.name));
    let discount = segments
        .of_kind(RecordKind::Transactions)
        .find(|c| names_discount(&c.name));
    if marks.is_empty() && members.is_none() && discount.is_none() {
        // Nothing to compare: the orders (a hash and a sort of every row)
        // are not needed.
        return ProgrammeEffect::default();
    }
    let orders = orders();
    let has_amounts = tx.amount.any();
    ProgrammeEffect {
        marks: marks
            .iter()
            .filter_map(|m| mark_effect(orders, has_amounts, answers, tx, m))
            .collect(),
        members: members.and_then(|c| member_comparison(tx, orders, has_amounts, c)),
        discount: discount.and_then(|c| discount_share(orders, c)),
    }
}

fn normalised(name: &str) -> String {
    name.to_lowercase().replace(['_', '-'], " ")
}

fn names_membership(name: &str) -> bool {
    let n = normalised(name);
    [
        "member",
        "loyalty",
        "programme",
        "program",
        "участник",
        "программ",
        "лояльн",
        "клуб",
    ]
    .iter()
    .any(|k| n.contains(k))
}

fn names_discount(name: &str) -> bool {
    let n = normalised(name);
    ["discount", "promo", "coupon", "скидк", "промо", "купон"]
        .iter()
        .any(|k| n.contains(k))
}

fn mark_effect(
    orders: &[(u32, i32, f64, usize)],
    has_amounts: bool,
    answers: &[SurveyAnswer],
    tx: &Transactions,
    mark: &Mark,
) -> Option<MarkEffect> {
    let at = mark.date.num_days_from_ce();
    let first = tx.day.iter().copied().min()?;
    let last = tx.day.iter().copied().max()?;
    let window = (at - first).min(last - at + 1).min(365);
    if window < 7 {
        return None;
    }
    let before_range = at - window..at;
    let after_range = at..at + window;
    let mut comparisons = Vec::new();
    if has_amounts {
        let values = |r: &std::ops::Range<i32>| -> Vec<f64> {
            orders
                .iter()
                .filter(|o| r.contains(&o.1))
                .map(|o| o.2)
                .collect()
        };
        comparisons.push(compare_means(
            "average_order_value",
            &values(&before_range),
            &values(&after_range),
        ));
    }
    // Per customer active in the window: its orders there, and whether it
    // bought twice or more.
    let per_customer = |r: &std::ops::Range<i32>| -> Vec<f64> {
        let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
        for o in orders.iter().filter(|o| r.contains(&o.1)) {
            *counts.entry(o.0).or_default() += 1;
        }
        counts.into_values().map(|n| n as f64).collect()
    };
    let (before, after) = (per_customer(&before_range), per_customer(&after_range));
    comparisons.push(compare_means("orders_per_customer", &before, &after));
    let repeaters = |v: &[f64]| {
        (
            v.iter().filter(|&&n| n >= 2.0).count() as u64,
            v.len() as u64,
        )
    };
    comparisons.push(compare_shares(
        "repeat_share",
        repeaters(&before),
        repeaters(&after),
    ));
    // New customers per day: first orders in each window, a Poisson rate test.
    let mut first_day: FxHashMap<u32, i32> = FxHashMap::default();
    for o in orders {
        first_day.entry(o.0).or_insert(o.1);
    }
    let new_in =
        |r: &std::ops::Range<i32>| first_day.values().filter(|d| r.contains(d)).count() as f64;
    let (a, b, t) = (
        new_in(&before_range),
        new_in(&after_range),
        f64::from(window),
    );
    comparisons.push(Comparison {
        measure: "new_customers_per_day".into(),
        before: Some(a / t),
        after: Some(b / t),
        n_before: window as u64,
        n_after: window as u64,
        p_value: (a + b > 0.0)
            .then(|| normal_p((a - b) / (a + b).sqrt()))
            .flatten(),
    });
    let nps = |r: &std::ops::Range<i32>| {
        NpsCounts::from_scores(answers.iter().filter_map(|a| {
            let day = a.date?.num_days_from_ce();
            r.contains(&day).then_some(a.nps).flatten()
        }))
        .summary()
    };
    if let (Some(b), Some(a)) = (nps(&before_range), nps(&after_range)) {
        comparisons.push(Comparison {
            measure: "nps".into(),
            before: Some(b.nps),
            after: Some(a.nps),
            n_before: b.responses,
            n_after: a.responses,
            p_value: nps_difference_z(&a, &b).and_then(normal_p),
        });
    }
    Some(MarkEffect {
        mark: mark.clone(),
        window_days: window as u32,
        comparisons,
    })
}

/// A customer is a member when any of their rows says so.
fn member_comparison(
    tx: &Transactions,
    orders: &[(u32, i32, f64, usize)],
    has_amounts: bool,
    column: &SegmentColumn,
) -> Option<MemberComparison> {
    let truthy: Vec<Option<bool>> = column.labels.iter().map(|l| parse_flag(l)).collect();
    if truthy.iter().all(Option::is_none) {
        return None;
    }
    let mut member: BTreeMap<u32, bool> = BTreeMap::new();
    for (i, &code) in column.rows.iter().enumerate().take(tx.len()) {
        let flag = (code != NO_SEGMENT)
            .then(|| truthy.get(code as usize).copied().flatten())
            .flatten()
            .unwrap_or(false);
        *member.entry(tx.customer[i]).or_default() |= flag;
    }
    // Ordered by customer: sums then add up in the same order on every
    // platform (a hash map's order depends on the pointer width).
    let mut stats: BTreeMap<u32, (u64, f64)> = BTreeMap::new();
    for o in orders {
        let e = stats.entry(o.0).or_default();
        e.0 += 1;
        e.1 += o.2;
    }
    let (mut m_orders, mut n_orders, mut m_rev, mut n_rev) = (vec![], vec![], vec![], vec![]);
    for (customer, (count, revenue)) in &stats {
        if member.get(customer).copied().unwrap_or(false) {
            m_orders.push(*count as f64);
            m_rev.push(*revenue);
        } else {
            n_orders.push(*count as f64);
            n_rev.push(*revenue);
        }
    }
    if m_orders.is_empty() || n_orders.is_empty() {
        return None;
    }
    let repeat = |v: &[f64]| {
        (
            v.iter().filter(|&&n| n >= 2.0).count() as u64,
            v.len() as u64,
        )
    };
    let mut comparisons = vec![
        compare_shares("repeat_share", repeat(&n_orders), repeat(&m_orders)),
        compare_means("orders_per_customer", &n_orders, &m_orders),
    ];
    if has_amounts {
        comparisons.push(compare_means("revenue_per_customer", &n_rev, &m_rev));
    }
    Some(MemberComparison {
        column: column.name.clone(),
        members: m_orders.len() as u64,
        non_members: n_orders.len() as u64,
        comparisons,
    })
}

/// A discount cell means a discount when it is a number above zero ("10",
/// "10%", "0.1") or a yes flag.
fn is_discount(label: &str) -> bool {
    parse_flag(label).unwrap_or_else(|| {
        parse_amount(label.trim().trim_end_matches('%')).is_some_and(|v| v > 0.0)
    })
}

fn discount_share(
    orders: &[(u32, i32, f64, usize)],
    column: &SegmentColumn,
) -> Option<DiscountShare> {
    let discounted_label: Vec<bool> = column.labels.iter().map(|l| is_discount(l)).collect();
    let discounted = |row: usize| {
        column
            .rows
            .get(row)
            .and_then(|&c| discounted_label.get(c as usize))
            .copied()
            .unwrap_or(false)
    };
    if orders.is_empty() {
        return None;
    }
    let mut by_month: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    let mut total = 0;
    // (first order discounted?, customer has 2+ orders?) per customer.
    let mut first: FxHashMap<u32, (bool, u64)> = FxHashMap::default();
    for o in orders {
        let d = discounted(o.3);
        total += u64::from(d);
        let month = NaiveDate::from_num_days_from_ce_opt(o.1)
            .map(|date| format!("{:04}-{:02}", date.year(), date.month()))
            .unwrap_or_default();
        let e = by_month.entry(month).or_default();
        e.0 += u64::from(d);
        e.1 += 1;
        // Orders are sorted by customer and day: the first seen is the first.
        let f = first.entry(o.0).or_insert((d, 0));
        f.1 += 1;
    }
    let tally = |want: bool| {
        first
            .values()
            .filter(|(d, _)| *d == want)
            .fold((0u64, 0u64), |(k, n), (_, count)| {
                (k + u64::from(*count >= 2), n + 1)
            })
    };
    Some(DiscountShare {
        column: column.name.clone(),
        orders: orders.len() as u64,
        discounted_orders: total,
        share: total as f64 / orders.len() as f64,
        by_month: by_month
            .into_iter()
            .map(|(m, (k, n))| (m, k as f64 / n as f64))
            .collect(),
        repeat_after_first_order: Some(compare_shares("repeat_share", tally(false), tally(true))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_by_hand() {
        // a = [1, 2, 3, 4], b = [2, 4, 6, 8]: means 2.5, 5; variances 5/3, 20/3;
        // se = sqrt(5/12 + 20/12) = 1.443376; t = -1.732051;
        // df = (25/12)^2 / ((5/12)^2/3 + (20/12)^2/3) = 4.340278 / 0.983796 = 4.411765.
        // scipy.stats.ttest_ind(a, b, equal_var=False).pvalue = 0.15158050484530375
        let p = welch(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0]).unwrap();
        assert!((p - 0.151_580_504_845_303_75).abs() < 1e-9, "{p}");
    }

    #[test]
    fn two_proportions_by_hand() {
        // 30/100 vs 45/100: pooled 0.375, se = sqrt(0.375*0.625*0.02) = 0.068465,
        // z = -0.15/0.068465 = -2.19089, p = erfc(2.19089/sqrt 2) = 0.0284597 (Python math.erfc).
        let p = two_proportions(30, 100, 45, 100).unwrap();
        assert!((p - 0.028_459_7).abs() < 1e-6, "{p}");
    }

    #[test]
    fn discount_cells() {
        assert!(is_discount("10%"));
        assert!(is_discount("0.15"));
        assert!(is_discount("yes"));
        assert!(!is_discount("0"));
        assert!(!is_discount("no"));
        assert!(!is_discount(""));
    }
}
