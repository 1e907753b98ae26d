//! The simulated shop: customers arrive in monthly cohorts, buy by a
//! BG/NBD-like process (Poisson purchases at a gamma-distributed rate, a
//! geometric dropout after each repeat purchase), spend by a Gamma-Gamma
//! model, answer one post-purchase survey, and some leave with a reason.

use crate::calendar::{self, day, Day};
use crate::rng::{exp, Rng};
use crate::texts::{self, CommentContext, Group, Reason, Theme};

pub struct Region {
    pub name: &'static str,
    weight: f64,
    pub russian: bool,
    /// Shift of the latent survey score: a region the shop serves less well.
    nps_offset: f64,
    /// Extra chance of a problem with an order (far from the warehouse).
    problem_extra: f64,
}

pub const REGIONS: [Region; 9] = [
    region("Москва", 0.24, true, 0.0, 0.0),
    region("Санкт-Петербург", 0.15, true, 0.1, 0.0),
    region("Казань", 0.08, true, 0.4, -0.01),
    region("Екатеринбург", 0.08, true, -0.2, 0.03),
    region("Новосибирск", 0.06, true, -0.8, 0.07),
    region("London", 0.17, false, 0.2, 0.0),
    region("Manchester", 0.10, false, -0.4, 0.02),
    region("Birmingham", 0.07, false, 0.0, 0.01),
    region("Leeds", 0.05, false, 0.1, 0.0),
];

const fn region(
    name: &'static str,
    weight: f64,
    russian: bool,
    nps_offset: f64,
    problem_extra: f64,
) -> Region {
    Region {
        name,
        weight,
        russian,
        nps_offset,
        problem_extra,
    }
}

pub const CHANNELS: [&str; 3] = ["web", "app", "store"];
const CHANNEL_WEIGHTS: [f64; 3] = [0.45, 0.30, 0.25];
const STORE: usize = 2;

/// New customers per month, January 2024 to December 2025: a spring
/// campaign (April 2024), Black Friday and Christmas peaks, and the
/// loyalty programme launch (March 2025).
pub const COHORTS: [usize; 24] = [
    70, 62, 78, 128, 88, 76, 70, 78, 92, 104, 138, 186, //
    84, 78, 162, 118, 96, 86, 80, 88, 102, 112, 146, 164,
];

/// Purchase intensity by month of the year (thinning of the Poisson process).
pub const SEASON: [f64; 12] = [
    0.80, 0.85, 0.95, 1.0, 1.0, 0.9, 0.85, 0.9, 1.0, 1.05, 1.3, 1.7,
];
pub const SEASON_MAX: f64 = 1.7;

/// BG/NBD: purchase rate per day ~ Gamma(shape R, rate ALPHA); dropout
/// probability after each repeat purchase ~ Beta(A, B).
pub const R: f64 = 0.4;
pub const ALPHA: f64 = 30.0;
pub const A: f64 = 0.8;
pub const B: f64 = 3.2;
/// Gamma-Gamma: order value ~ Gamma(P, rate nu), nu ~ Gamma(Q, rate GAMMA);
/// the mean order is about P * GAMMA / (Q - 1) = 56.
pub const GG_P: f64 = 6.0;
pub const GG_Q: f64 = 4.0;
pub const GG_GAMMA: f64 = 28.0;

/// Members (after the launch) drop out less and buy a little more often.
pub const MEMBER_DROPOUT: f64 = 0.45;
pub const MEMBER_RATE: f64 = 1.15;
/// A problem with an order drives this share away on its own.
pub const PROBLEM_DROPOUT: f64 = 0.3;
/// Chance that a purchase brings a survey answer (one per customer).
const SURVEY_RATE: f64 = 0.28;

pub fn end() -> Day {
    day(2025, 12, 31)
}
pub fn launch() -> Day {
    day(2025, 3, 1)
}

pub struct Order {
    pub day: Day,
    /// `None`: a guest checkout in a shop, exported without a customer id.
    pub customer: Option<usize>,
    pub region: usize,
    pub channel: usize,
    pub member: bool,
    /// Percent.
    pub discount: u32,
    /// Line amounts in cents, after the discount.
    pub lines: Vec<i64>,
    /// Returned lines: (line, day of the return).
    pub returns: Vec<(usize, Day)>,
    /// A date typed by hand that the export kept as text.
    pub date_text: Option<&'static str>,
}

pub struct Answer {
    pub customer: usize,
    pub day: Day,
    pub nps: u8,
    pub csat: u8,
    pub comment: Option<String>,
    pub had_problem: bool,
}

pub struct Customer {
    pub region: usize,
    pub first_day: Day,
    pub member_since: Option<Day>,
    /// The purchase after which the customer silently dropped out.
    pub dropped_at: Option<Day>,
    pub dropped_after_problem: bool,
    pub answered: bool,
    /// Net revenue (returns included) in cents and number of orders.
    pub revenue: i64,
    pub orders: u32,
}

impl Customer {
    pub fn id(index: usize) -> String {
        format!("C{:04}", index + 1)
    }
}

pub struct Churned {
    pub customer: usize,
    pub left: Option<Day>,
    pub plan: &'static str,
    /// Cents per month.
    pub monthly_value: i64,
    pub reason: String,
}

pub struct Shop {
    pub customers: Vec<Customer>,
    pub orders: Vec<Order>,
    pub answers: Vec<Answer>,
    pub churn: Vec<Churned>,
}

/// One customer's hidden traits.
struct Traits {
    region: usize,
    channel: usize,
    /// Latent satisfaction, standard normal: raises the survey score and the
    /// purchase rate, lowers the dropout.
    happiness: f64,
    rate: f64,
    dropout: f64,
    /// Rate of the gamma of order values.
    nu: f64,
}

struct Sim<'a> {
    rng: Rng,
    traits: Traits,
    index: usize,
    customer: &'a mut Customer,
    orders: &'a mut Vec<Order>,
    answers: &'a mut Vec<Answer>,
}

impl Sim<'_> {
    /// One purchase on `d`; returns whether something went wrong with it.
    fn purchase(&mut self, d: Day, first: bool) -> bool {
        let rng = &mut self.rng;
        let t = &self.traits;
        if self.customer.member_since.is_none()
            && d >= launch()
            && rng.chance(if first { 0.35 } else { 0.25 })
        {
            self.customer.member_since = Some(d);
        }
        let member = self.customer.member_since.is_some_and(|s| d >= s);
        let channel = if rng.chance(0.8) {
            t.channel
        } else {
            rng.weighted(&CHANNEL_WEIGHTS)
        };
        let month = calendar::month_of(d);
        let discount = if member {
            if rng.chance(0.5) {
                [5, 10, 15][rng.weighted(&[0.5, 0.35, 0.15])]
            } else {
                0
            }
        } else if month >= 11 && rng.chance(0.25) {
            [10, 15, 20, 25][rng.weighted(&[0.3, 0.3, 0.25, 0.15])]
        } else if rng.chance(0.07) {
            [10, 15][rng.below(2)]
        } else {
            0
        };
        let gift = if month == 12 { 1.15 } else { 1.0 };
        let gross = rng.gamma(GG_P, 1.0 / t.nu) * gift;
        let net = gross * f64::from(100 - discount) / 100.0;
        let total = ((net * 100.0).round() as i64).max(150);
        let lines = split_lines(rng, total);

        let store = channel == STORE;
        let region = &REGIONS[t.region];
        let problem_rate = if store { 0.05 } else { 0.08 }
            + region.problem_extra
            + if t.happiness < -1.0 { 0.05 } else { 0.0 };
        let problem = rng
            .chance(problem_rate)
            .then(|| texts::problem_theme(rng, store));
        let return_rate = if problem == Some(Theme::Quality) {
            0.35
        } else {
            0.012
        };
        let mut returns = Vec::new();
        for line in 0..lines.len() {
            if rng.chance(return_rate) {
                let back = d + rng.between(3, 28);
                if back <= end() {
                    returns.push((line, back));
                }
            }
        }
        let kept: i64 =
            lines.iter().sum::<i64>() - returns.iter().map(|&(l, _)| lines[l]).sum::<i64>();
        self.customer.revenue += kept;
        self.customer.orders += 1;

        if !self.customer.answered && rng.chance(SURVEY_RATE) {
            let answered_on = d + rng.between(1, 9);
            if answered_on <= end() {
                self.customer.answered = true;
                let latent = 8.2 + 1.3 * t.happiness + region.nps_offset
                    - if problem.is_some() { 3.2 } else { 0.0 }
                    + if member { 0.3 } else { 0.0 }
                    + 0.9 * rng.normal();
                let nps = latent.round().clamp(0.0, 10.0) as u8;
                let csat = (1.0 + 0.4 * latent + 0.5 * rng.normal())
                    .round()
                    .clamp(1.0, 5.0) as u8;
                let ctx = CommentContext {
                    russian: if region.russian {
                        rng.chance(0.94)
                    } else {
                        rng.chance(0.04)
                    },
                    group: Group::of(nps),
                    store,
                    problem,
                };
                let comment = texts::comment(rng, &ctx);
                self.answers.push(Answer {
                    customer: self.index,
                    day: answered_on,
                    nps,
                    csat,
                    comment,
                    had_problem: problem.is_some(),
                });
            }
        }
        self.orders.push(Order {
            day: d,
            customer: Some(self.index),
            region: t.region,
            channel,
            member,
            discount,
            lines,
            returns,
            date_text: None,
        });
        problem.is_some()
    }

    /// Purchases from the first one until dropout or the end of the data.
    fn run(&mut self) {
        let first = self.customer.first_day;
        let mut problem = self.purchase(first, true);
        let mut t = f64::from(first) + self.rng.unit();
        let horizon = f64::from(end() + 1);
        let envelope = self.traits.rate * SEASON_MAX * MEMBER_RATE;
        loop {
            // The first purchase is a birth, not a repeat: no BG/NBD dropout
            // after it, only the problem-driven one.
            let member_now = self.customer.member_since.is_some();
            let mut p = if self.customer.orders > 1 {
                self.traits.dropout * if member_now { MEMBER_DROPOUT } else { 1.0 }
            } else {
                0.0
            };
            if problem {
                p += (1.0 - p) * PROBLEM_DROPOUT;
            }
            if self.rng.chance(p) {
                let last = self.orders.last().map_or(first, |o| o.day);
                self.customer.dropped_at = Some(last);
                self.customer.dropped_after_problem = problem;
                return;
            }
            // Next purchase by thinning: candidates at the envelope rate,
            // kept with the season's and membership's share of it.
            loop {
                t += self.rng.exponential(envelope);
                if t >= horizon {
                    return;
                }
                let d = t as Day;
                let member = self.customer.member_since.is_some_and(|s| d >= s);
                let keep = SEASON[calendar::month_of(d) as usize - 1] / SEASON_MAX
                    * if member { 1.0 } else { 1.0 / MEMBER_RATE };
                if self.rng.chance(keep) {
                    problem = self.purchase(d, false);
                    break;
                }
            }
        }
    }
}

/// An order's total in 1-3 lines of at least 0.50 each.
fn split_lines(rng: &mut Rng, total: i64) -> Vec<i64> {
    let n = [1, 2, 3][rng.weighted(&[0.68, 0.23, 0.09])];
    if n == 1 {
        return vec![total];
    }
    let weights: Vec<f64> = (0..n).map(|_| rng.gamma(2.0, 1.0)).collect();
    let sum: f64 = weights.iter().sum();
    let mut lines: Vec<i64> = weights[..n - 1]
        .iter()
        .map(|w| (total as f64 * w / sum).floor() as i64)
        .collect();
    lines.push(total - lines.iter().sum::<i64>());
    if lines.iter().any(|&l| l < 50) {
        vec![total]
    } else {
        lines
    }
}

pub fn simulate(seed: u64) -> Shop {
    // First purchase days, cohort by cohort, uniform within the month.
    let mut rng = Rng::stream(seed, 1);
    let mut first_days: Vec<Day> = Vec::new();
    for (month, &size) in COHORTS.iter().enumerate() {
        let from = calendar::month_start(month);
        let to = calendar::month_start(month + 1) - 1;
        first_days.extend((0..size).map(|_| rng.between(from, to)));
    }
    // Customer ids follow the first purchase: C0001 bought first.
    first_days.sort_unstable();

    let mut customers = Vec::with_capacity(first_days.len());
    let mut orders = Vec::new();
    let mut answers = Vec::new();
    for (index, &first_day) in first_days.iter().enumerate() {
        let mut rng = Rng::stream(seed, 1000 + index as u64);
        let happiness = rng.normal();
        let traits = Traits {
            region: rng.weighted(&REGIONS.map(|r| r.weight)),
            channel: rng.weighted(&CHANNEL_WEIGHTS),
            happiness,
            rate: rng.gamma(R, 1.0 / ALPHA) * exp(0.3 * happiness),
            dropout: (rng.beta(A, B) * exp(-0.9 * happiness)).min(0.95),
            nu: rng.gamma(GG_Q, 1.0 / GG_GAMMA),
        };
        let mut customer = Customer {
            region: traits.region,
            first_day,
            member_since: None,
            dropped_at: None,
            dropped_after_problem: false,
            answered: false,
            revenue: 0,
            orders: 0,
        };
        Sim {
            rng,
            traits,
            index,
            customer: &mut customer,
            orders: &mut orders,
            answers: &mut answers,
        }
        .run();
        customers.push(customer);
    }
    let churn = churn_file(seed, &customers);
    let mut shop = Shop {
        customers,
        orders,
        answers,
        churn,
    };
    add_export_defects(seed, &mut shop);
    shop.orders
        .sort_by_key(|o| (o.day, o.customer.unwrap_or(usize::MAX)));
    shop.answers.sort_by_key(|a| (a.day, a.customer));
    shop
}

/// The flaws a real export has, kept few and documented in the README so
/// the data quality page has something to show: three guest checkouts in
/// shops (no customer id) and one order whose date was typed as 29 February
/// 2025. The survey's two flawed rows are written with the survey.
fn add_export_defects(seed: u64, shop: &mut Shop) {
    let mut rng = Rng::stream(seed, 2);
    for (d, region) in [
        (day(2024, 6, 15), 0),
        (day(2025, 1, 18), 2),
        (day(2025, 8, 9), 5),
    ] {
        let total = (rng.gamma(GG_P, 10.0) * 100.0).round() as i64;
        shop.orders.push(Order {
            day: d,
            customer: None,
            region,
            channel: STORE,
            member: false,
            discount: 0,
            lines: vec![total],
            returns: Vec::new(),
            date_text: None,
        });
    }
    let typed = day(2025, 2, 28);
    let customer = (1000..shop.customers.len())
        .find(|&c| shop.customers[c].first_day < typed && shop.customers[c].dropped_at.is_none())
        .expect("an early customer who is still active");
    shop.orders.push(Order {
        day: typed,
        customer: Some(customer),
        region: shop.customers[customer].region,
        channel: STORE,
        member: false,
        discount: 0,
        lines: vec![(rng.gamma(GG_P, 10.0) * 100.0).round() as i64],
        returns: Vec::new(),
        date_text: Some("2025-02-29"),
    });
}

/// ~600 customers who left (with a reason) and ~1,400 who have not, from
/// the shop's CRM: ids, since when, when they left, plan, monthly value.
fn churn_file(seed: u64, customers: &[Customer]) -> Vec<Churned> {
    const LEFT: usize = 600;
    const ACTIVE: usize = 1400;
    let mut rng = Rng::stream(seed, 3);
    // Those who dropped out and later told the shop (closed the account,
    // cancelled the card) some weeks after their last purchase.
    let mut leavers: Vec<(usize, Day)> = Vec::new();
    let mut silent = Vec::new();
    let mut alive = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        match c.dropped_at {
            Some(last) => {
                let left = last + rng.between(30, 150);
                if left <= end() {
                    leavers.push((i, left));
                } else {
                    silent.push(i);
                }
            }
            None => alive.push(i),
        }
    }
    shuffle(&mut rng, &mut leavers);
    let rest: Vec<(usize, Day)> = leavers.split_off(LEFT.min(leavers.len()));
    shuffle(&mut rng, &mut alive);
    // Dropouts the shop has not noticed stay "active": silent churn.
    silent.extend(rest.iter().map(|&(i, _)| i));
    shuffle(&mut rng, &mut silent);
    let active: Vec<usize> = alive.into_iter().chain(silent).take(ACTIVE).collect();

    let mut rows: Vec<Churned> = leavers
        .iter()
        .map(|&(i, left)| (i, Some(left)))
        .chain(active.iter().map(|&i| (i, None)))
        .map(|(i, left)| {
            let c = &customers[i];
            let until = left.unwrap_or(end());
            let member = c.member_since.is_some_and(|s| s <= until);
            let average_order = c.revenue as f64 / f64::from(c.orders.max(1)) / 100.0;
            let plan = match (member, average_order > 70.0) {
                (false, _) => "standard",
                (true, false) => "club",
                (true, true) => "premium",
            };
            let months = (f64::from(until - c.first_day + 1) / 30.4375).max(1.0);
            let monthly_value = ((c.revenue as f64 / months).round() as i64).max(0);
            let reason = match left {
                None => String::new(),
                Some(_) => {
                    let reason = texts::reason(&mut rng, c.dropped_after_problem);
                    let russian = if REGIONS[c.region].russian {
                        rng.chance(0.92)
                    } else {
                        rng.chance(0.03)
                    };
                    if reason == Reason::Blank {
                        String::new()
                    } else {
                        texts::reason_text(&mut rng, reason, russian)
                    }
                }
            };
            Churned {
                customer: i,
                left,
                plan,
                monthly_value,
                reason,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.customer);
    rows
}

/// Fisher-Yates.
fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}
