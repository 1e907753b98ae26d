//! Loyalty is behaviour, not a survey answer: what respondents of each NPS
//! group, CSAT level and had-a-problem flag later did (repeat purchases,
//! purchases within 3, 6 and 12 months of answering, revenue), and, for
//! customers files, who left.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::nps::{wilson_interval, NpsGroup, Scale};
use crate::dataset::{CustomerRecord, SurveyAnswer, Transactions};

/// A share with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Share {
    pub fn new(count: u64, of: u64) -> Option<Share> {
        let (ci_low, ci_high) = wilson_interval(count, of)?;
        Some(Share {
            count,
            of,
            share: count as f64 / of as f64,
            ci_low,
            ci_high,
        })
    }
}

/// A mean with its normal-approximation 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mean {
    pub n: u64,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Mean {
    pub fn of(values: &[f64]) -> Option<Mean> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let half = if n > 1 {
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            1.96 * (var / n as f64).sqrt()
        } else {
            0.0
        };
        Some(Mean {
            n: n as u64,
            mean,
            ci_low: mean - half,
            ci_high: mean + half,
        })
    }
}

/// What one group of respondents did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBehaviour {
    /// "promoter", "passive", "detractor"; "5", "4", "1-3"; "yes", "no".
    pub group: String,
    /// Respondents in the group matched to a customer with purchases.
    pub customers: u64,
    /// 2+ distinct orders over the whole data.
    pub repeat_rate: Option<Share>,
    /// Bought again within 3, 6 and 12 months after answering (or after the
    /// first purchase when the answer has no date), among respondents whose
    /// window ends before the data does.
    pub bought_within_3m: Option<Share>,
    pub bought_within_6m: Option<Share>,
    pub bought_within_12m: Option<Share>,
    /// Revenue per customer over the whole data.
    pub revenue_per_customer: Option<Mean>,
    /// Model CLV per customer over the horizon, when the CLV model ran.
    #[serde(default)]
    pub clv_per_customer: Option<Mean>,
}

/// Churn share per group, for customers files (complaint flag, satisfaction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupChurn {
    pub group: String,
    pub churn: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyLink {
    /// Answers with a customer id.
    pub respondents_with_id: u64,
    /// Of those, ids with at least one purchase in the transactions.
    pub matched: u64,
    pub unmatched: u64,
    pub by_nps_group: Vec<GroupBehaviour>,
    pub by_csat: Vec<GroupBehaviour>,
    pub by_problem: Vec<GroupBehaviour>,
}

/// Per customer: purchase days (sorted), distinct orders, revenue.
struct History {
    days: Vec<i32>,
    orders: u64,
    revenue: f64,
}

fn histories(tx: &Transactions, wanted: &[bool]) -> BTreeMap<u32, History> {
    let mut by_customer = BTreeMap::<u32, (Vec<i32>, Vec<(i32, Option<u32>)>, f64)>::new();
    for i in 0..tx.len() {
        let c = tx.customer[i];
        if !wanted.get(c as usize).copied().unwrap_or(false) {
            continue;
        }
        let entry = by_customer.entry(c).or_default();
        let amount = tx.amount.at(i);
        entry.2 += amount.unwrap_or(0.0);
        if amount.is_none_or(|a| a >= 0.0) {
            entry.0.push(tx.day[i]);
            entry.1.push((tx.day[i], tx.order.at(i)));
        }
    }
    by_customer
        .into_iter()
        .filter(|(_, (days, _, _))| !days.is_empty())
        .map(|(c, (mut days, mut orders, revenue))| {
            days.sort_unstable();
            // Distinct order ids, or distinct days when there are none.
            orders.sort_unstable();
            orders.dedup_by(|a, b| match (a.1, b.1) {
                (Some(x), Some(y)) => x == y,
                _ => a.0 == b.0,
            });
            let orders = orders.len() as u64;
            (
                c,
                History {
                    days,
                    orders,
                    revenue,
                },
            )
        })
        .collect()
}

fn day_of(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn add_months(day: i32, months: u32) -> Option<i32> {
    NaiveDate::from_num_days_from_ce_opt(day)?
        .checked_add_months(Months::new(months))
        .map(day_of)
}

#[derive(Default)]
struct Tally {
    customers: u64,
    repeaters: u64,
    /// (eligible, bought) per window 3, 6, 12 months.
    windows: [(u64, u64); 3],
    revenue: Vec<f64>,
    clv: Vec<f64>,
}

impl Tally {
    fn add(&mut self, history: &History, anchor: i32, last_day: i32, clv: Option<f64>) {
        self.customers += 1;
        self.clv.extend(clv.filter(|v| v.is_finite()));
        self.repeaters += u64::from(history.orders >= 2);
        self.revenue.push(history.revenue);
        for (slot, months) in self.windows.iter_mut().zip([3, 6, 12]) {
            let Some(end) = add_months(anchor, months) else {
                continue;
            };
            if end > last_day {
                continue;
            }
            slot.0 += 1;
            slot.1 += u64::from(history.days.iter().any(|&d| d > anchor && d <= end));
        }
    }

    fn behaviour(self, group: String) -> GroupBehaviour {
        GroupBehaviour {
            group,
            customers: self.customers,
            repeat_rate: Share::new(self.repeaters, self.customers),
            bought_within_3m: Share::new(self.windows[0].1, self.windows[0].0),
            bought_within_6m: Share::new(self.windows[1].1, self.windows[1].0),
            bought_within_12m: Share::new(self.windows[2].1, self.windows[2].0),
            revenue_per_customer: Mean::of(&self.revenue),
            clv_per_customer: Mean::of(&self.clv),
        }
    }
}

/// The label of a CSAT answer: each of the top two answers on its own
/// ("very satisfied" vs "somewhat satisfied" is the gap the seeds point at),
/// the rest together.
fn csat_level(scale: Scale, value: f64) -> String {
    if scale.is_top_two(value) {
        format!("{value}")
    } else {
        format!("{}-{}", scale.min, scale.max - 2)
    }
}

/// `None` when no answer carries a customer id.
pub fn loyalty_link(
    answers: &[SurveyAnswer],
    tx: &Transactions,
    customers: usize,
    csat_scale: Option<Scale>,
    clv_by_customer: Option<&[f64]>,
) -> Option<LoyaltyLink> {
    let with_id: Vec<&SurveyAnswer> = answers.iter().filter(|a| a.customer.is_some()).collect();
    if with_id.is_empty() || tx.is_empty() {
        return None;
    }
    let mut wanted = vec![false; customers];
    for a in &with_id {
        if let Some(slot) = a.customer.and_then(|c| wanted.get_mut(c as usize)) {
            *slot = true;
        }
    }
    let histories = histories(tx, &wanted);
    let last_day = tx.day.iter().copied().max()?;
    let mut by_nps = BTreeMap::<NpsGroup, Tally>::new();
    let mut by_csat = BTreeMap::<String, Tally>::new();
    let mut by_problem = BTreeMap::<bool, Tally>::new();
    let mut matched = 0;
    for a in &with_id {
        let Some(history) = a.customer.and_then(|c| histories.get(&c)) else {
            continue;
        };
        matched += 1;
        let clv = a
            .customer
            .and_then(|c| clv_by_customer.and_then(|v| v.get(c as usize)).copied());
        let anchor = a
            .date
            .map(day_of)
            .or_else(|| history.days.first().copied())
            .unwrap_or(last_day);
        if let Some(score) = a.nps {
            by_nps
                .entry(NpsGroup::of(score))
                .or_default()
                .add(history, anchor, last_day, clv);
        }
        if let (Some(value), Some(scale)) = (a.csat, csat_scale) {
            if (scale.min as f64..=scale.max as f64).contains(&value) {
                by_csat
                    .entry(csat_level(scale, value))
                    .or_default()
                    .add(history, anchor, last_day, clv);
            }
        }
        if let Some(flag) = a.had_problem {
            by_problem
                .entry(flag)
                .or_default()
                .add(history, anchor, last_day, clv);
        }
    }
    let group_name = |g: NpsGroup| match g {
        NpsGroup::Promoter => "promoter",
        NpsGroup::Passive => "passive",
        NpsGroup::Detractor => "detractor",
    };
    Some(LoyaltyLink {
        respondents_with_id: with_id.len() as u64,
        matched,
        unmatched: with_id.len() as u64 - matched,
        by_nps_group: NpsGroup::ALL
            .iter()
            .filter_map(|g| Some(by_nps.remove(g)?.behaviour(group_name(*g).into())))
            .collect(),
        // Best level first.
        by_csat: by_csat
            .into_iter()
            .rev()
            .map(|(level, t)| t.behaviour(level))
            .collect(),
        by_problem: by_problem
            .into_iter()
            .rev()
            .map(|(flag, t)| t.behaviour(if flag { "yes" } else { "no" }.into()))
            .collect(),
    })
}

/// Churn share by complaint flag and by satisfaction score, from customers
/// files that carry them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnByAnswer {
    pub by_problem: Vec<GroupChurn>,
    pub by_satisfaction: Vec<GroupChurn>,
}

pub fn churn_by_answer(records: &[CustomerRecord]) -> Option<ChurnByAnswer> {
    let mut by_problem = BTreeMap::<bool, (u64, u64)>::new();
    let mut by_satisfaction = BTreeMap::<i64, (u64, u64)>::new();
    for r in records {
        let Some(churned) = r.churned else { continue };
        if let Some(flag) = r.had_problem {
            let e = by_problem.entry(flag).or_default();
            e.0 += u64::from(churned);
            e.1 += 1;
        }
        if let Some(score) = r.csat.filter(|v| v.fract() == 0.0 && v.abs() < 1e6) {
            let e = by_satisfaction.entry(score as i64).or_default();
            e.0 += u64::from(churned);
            e.1 += 1;
        }
    }
    if by_problem.is_empty() && by_satisfaction.is_empty() {
        return None;
    }
    Some(ChurnByAnswer {
        by_problem: by_problem
            .into_iter()
            .rev()
            .filter_map(|(flag, (k, n))| {
                Some(GroupChurn {
                    group: if flag { "yes" } else { "no" }.into(),
                    churn: Share::new(k, n)?,
                })
            })
            .collect(),
        by_satisfaction: by_satisfaction
            .into_iter()
            .filter_map(|(score, (k, n))| {
                Some(GroupChurn {
                    group: score.to_string(),
                    churn: Share::new(k, n)?,
                })
            })
            .collect(),
    })
}
