//! Writes the synthetic sample shop bundled with Loyalty Lens:
//!
//! ```text
//! cargo run -p sample-gen -- assets/sample
//! ```
//!
//! `orders.csv`, `survey.csv`, `churned.csv` and `README.md` in the given
//! folder, the same bytes on every run and platform (see `rng.rs`).

mod calendar;
mod rng;
mod shop;
mod texts;

use std::fmt::Write as _;
use std::path::PathBuf;

use calendar::iso;
use shop::{Customer, Shop, CHANNELS, REGIONS};

/// The seed of the committed sample (the last day of the data).
const SEED: u64 = 20_251_231;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: sample-gen OUTPUT_DIR   (e.g. cargo run -p sample-gen -- assets/sample)");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    for (name, text) in render(SEED) {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, text.as_bytes()) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        eprintln!("{:>9} bytes  {}", text.len(), path.display());
    }
}

/// Every file of the sample, by name.
fn render(seed: u64) -> Vec<(&'static str, String)> {
    let shop = shop::simulate(seed);
    let (orders, order_stats) = orders_csv(&shop);
    let (survey, survey_stats) = survey_csv(&shop);
    let (churned, churn_stats) = churned_csv(&shop);
    let sizes = [orders.len(), survey.len(), churned.len()];
    let readme = readme(
        seed,
        &shop,
        &order_stats,
        &survey_stats,
        &churn_stats,
        sizes,
    );
    vec![
        ("orders.csv", orders),
        ("survey.csv", survey),
        ("churned.csv", churned),
        ("README.md", readme),
    ]
}

/// A CSV field: quoted when it holds a delimiter, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Cents as `123.45` / `-7.05`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

struct OrderStats {
    /// Data rows, the flawed ones included.
    rows: usize,
    /// Purchase lines and orders of identified customers, flaws left out.
    lines: usize,
    orders: usize,
    customers: usize,
    returns: usize,
    first_order_id: u32,
    last_order_id: u32,
    members: usize,
}

fn orders_csv(shop: &Shop) -> (String, OrderStats) {
    // (day, order id, return?, line, row)
    let mut rows: Vec<(i32, u32, bool, usize, String)> = Vec::new();
    let mut returns = 0;
    let first_order_id = 100_001;
    for (i, order) in shop.orders.iter().enumerate() {
        let id = first_order_id + i as u32;
        let customer = order.customer.map(Customer::id).unwrap_or_default();
        let row = |day: i32, cents: i64| {
            let date = match order.date_text {
                Some(text) => text.to_string(),
                None => iso(day),
            };
            let discount = match order.discount {
                0 => "0".to_string(),
                d => format!("{d}%"),
            };
            format!(
                "{id},{customer},{date},{},{},{},{},{discount}\n",
                money(cents),
                CHANNELS[order.channel],
                field(REGIONS[order.region].name),
                if order.member { "yes" } else { "no" },
            )
        };
        for (line, &cents) in order.lines.iter().enumerate() {
            rows.push((order.day, id, false, line, row(order.day, cents)));
        }
        for &(line, back) in &order.returns {
            rows.push((back, id, true, line, row(back, -order.lines[line])));
            returns += 1;
        }
    }
    rows.sort_by_key(|a| (a.0, a.1, a.2, a.3));
    let total: i64 = shop
        .orders
        .iter()
        .map(|o| {
            o.lines.iter().sum::<i64>() - o.returns.iter().map(|&(l, _)| o.lines[l]).sum::<i64>()
        })
        .sum();
    let mut out = String::from(
        "order_id,customer_id,order_date,amount,channel,region,loyalty_member,discount\n",
    );
    for (.., row) in &rows {
        out.push_str(row);
    }
    // The accounting system's totals line, as 1C and Excel exports end.
    writeln!(out, ",Итого,,{},,,,", money(total)).expect("write to a String");
    let clean = || {
        shop.orders
            .iter()
            .filter(|o| o.customer.is_some() && o.date_text.is_none())
    };
    let stats = OrderStats {
        rows: rows.len() + 1,
        lines: clean().map(|o| o.lines.len()).sum(),
        orders: clean().count(),
        customers: shop.customers.len(),
        returns,
        first_order_id,
        last_order_id: first_order_id + shop.orders.len() as u32 - 1,
        members: shop
            .customers
            .iter()
            .filter(|c| c.member_since.is_some())
            .count(),
    };
    (out, stats)
}

struct SurveyStats {
    rows: usize,
    answers: usize,
    comments: usize,
    russian_comments: usize,
    problems: usize,
}

fn survey_csv(shop: &Shop) -> (String, SurveyStats) {
    let answers = &shop.answers;
    let mut out = String::from("customer_id,response_date,nps,csat,comment,had_problem,region\n");
    // Two flawed answers, as survey tools export them: one respondent left
    // both scores empty, one typed 11 into a free-form field.
    let flawed_at = [answers.len() / 3, answers.len() * 2 / 3];
    let mut spare = (0..shop.customers.len()).filter(|&c| !shop.customers[c].answered);
    let mut rows = 0;
    for (i, a) in answers.iter().enumerate() {
        if let Some(k) = flawed_at.iter().position(|&at| at == i) {
            let customer = spare
                .by_ref()
                .find(|&c| shop.customers[c].first_day < a.day)
                .expect("a customer who never answered");
            let region = field(REGIONS[shop.customers[customer].region].name);
            let row = if k == 0 {
                "Не хочу ставить оценку,no"
            } else {
                "\"Super, 11 out of 10!\",no"
            };
            let scores = if k == 0 { "," } else { "11,5" };
            writeln!(
                out,
                "{},{},{scores},{row},{region}",
                Customer::id(customer),
                iso(a.day)
            )
            .expect("write to a String");
            rows += 1;
        }
        let customer = &shop.customers[a.customer];
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            Customer::id(a.customer),
            iso(a.day),
            a.nps,
            a.csat,
            field(a.comment.as_deref().unwrap_or("")),
            if a.had_problem { "yes" } else { "no" },
            field(REGIONS[customer.region].name),
        )
        .expect("write to a String");
        rows += 1;
    }
    let comments: Vec<&str> = answers
        .iter()
        .filter_map(|a| a.comment.as_deref())
        .collect();
    let stats = SurveyStats {
        rows,
        answers: answers.len(),
        comments: comments.len(),
        russian_comments: comments
            .iter()
            .filter(|c| {
                c.chars()
                    .any(|ch| ('а'..='я').contains(&ch.to_lowercase().next().unwrap_or(ch)))
            })
            .count(),
        problems: answers.iter().filter(|a| a.had_problem).count(),
    };
    (out, stats)
}

struct ChurnStats {
    left: usize,
    active: usize,
    blank_reasons: usize,
}

fn churned_csv(shop: &Shop) -> (String, ChurnStats) {
    let mut out = String::from("customer_id,customer_since,churn_date,plan,mrr,reason\n");
    for r in &shop.churn {
        writeln!(
            out,
            "{},{},{},{},{},{}",
            Customer::id(r.customer),
            iso(shop.customers[r.customer].first_day),
            r.left.map(iso).unwrap_or_default(),
            r.plan,
            money(r.monthly_value),
            field(&r.reason),
        )
        .expect("write to a String");
    }
    let left = shop.churn.iter().filter(|r| r.left.is_some()).count();
    let stats = ChurnStats {
        left,
        active: shop.churn.len() - left,
        blank_reasons: shop
            .churn
            .iter()
            .filter(|r| r.left.is_some() && r.reason.is_empty())
            .count(),
    };
    (out, stats)
}

fn readme(
    seed: u64,
    shop: &Shop,
    o: &OrderStats,
    s: &SurveyStats,
    c: &ChurnStats,
    sizes: [usize; 3],
) -> String {
    use shop::{A, ALPHA, B, GG_GAMMA, GG_P, GG_Q, MEMBER_DROPOUT, MEMBER_RATE, R, SEASON};
    let kb = |bytes: usize| format!("{:.0} KB", bytes as f64 / 1024.0);
    let min_cohort = shop::COHORTS.iter().min().copied().unwrap_or(0);
    let max_cohort = shop::COHORTS.iter().max().copied().unwrap_or(0);
    let mean_order = GG_P * GG_GAMMA / (GG_Q - 1.0);
    let december = SEASON[11] / SEASON[0];
    let member_dropout = (1.0 - MEMBER_DROPOUT) * 100.0;
    let member_rate = (MEMBER_RATE - 1.0) * 100.0;
    let problem_dropout = shop::PROBLEM_DROPOUT * 100.0;
    let (orders, survey, churned) = (kb(sizes[0]), kb(sizes[1]), kb(sizes[2]));
    let customers = shop.churn.len();
    format!(
        r#"# Sample shop (synthetic data)

**Every row in this folder is invented.** No person, order or answer is
real: the customer ids, amounts, comments and reasons were made up by a
program. Together the three files fill every page of Loyalty Lens: load
them at once.

They are written by the generator in `crates/sample-gen`, with the fixed
seed {seed}:

```
cargo run -p sample-gen -- assets/sample
```

Its random numbers come from SplitMix64 and its own `ln` and `exp` (built
only from exactly rounded IEEE operations), so the output is the same bytes
on every platform. The test `crates/sample-gen/tests/sample.rs` regenerates
the files, compares them with the ones committed here, and loads them
through the real core. Do not edit these files by hand: change the
generator and run the command again.

## The shop

A retailer selling online (web, app) and in its shops, in Russian and
English cities, from 2024-01-01 to 2025-12-31. A loyalty programme starts
on 2025-03-01: members get discounts, buy {member_rate:.0}% more often and
drop out {member_dropout:.0}% less often after each purchase.

- Customers arrive in monthly cohorts of different sizes ({min_cohort} to
  {max_cohort} new customers a month): a spring campaign in April 2024,
  Black Friday and Christmas every year, the programme launch in March
  2025.
- Purchases follow the BG/NBD story (Fader, Hardie & Lee 2005): each
  customer buys at their own rate, gamma-distributed across customers
  (r = {R}, alpha = {ALPHA} days), and after each repeat purchase drops out
  for good with their own probability, beta-distributed (a = {A}, b = {B}).
  The rate is thinned by the season: December is the peak, {december:.1}
  times January. Order values follow the Gamma-Gamma model (p = {GG_P},
  q = {GG_Q}, gamma = {GG_GAMMA}: about {mean_order:.0} per order), 15%
  higher in December, less the discount.
- Each customer has a hidden satisfaction that raises their survey score
  and their purchase rate and lowers their dropout: promoters really do
  buy again more. A problem with an order (late delivery, a broken item, a
  rude shop assistant; more often far from the warehouse, in Новосибирск
  and Екатеринбург) lowers the score by about 3 points and drives
  {problem_dropout:.0}% of those customers away at once.
- Satisfaction, the programme, problems and the season move each customer
  away from the parameters above, so a BG/NBD fit finds values near them,
  not equal to them.

## Files

| file | data rows | size | what it is |
|---|---|---|---|
| `orders.csv` | {o_rows} | {orders} | order lines (transactions) |
| `survey.csv` | {s_rows} | {survey} | post-purchase survey answers |
| `churned.csv` | {customers} | {churned} | customers who left and who stayed |

### orders.csv

`order_id,customer_id,order_date,amount,channel,region,loyalty_member,discount`

- {o_orders} orders of {o_customers} customers in {o_lines} lines (order ids
  {o_first} to {o_last}, in date order); an order has one to three lines.
- {o_returns} more lines are returns: the returned line again, with a
  negative amount, on the day it came back (3 to 28 days later).
- `amount` is after the discount; `discount` is `0` or a percentage;
  `loyalty_member` says whether the customer was a member when ordering
  ({o_members} customers joined).
- `channel`, `region`, `loyalty_member` and `discount` are segment columns.

Exercises: the overview figures, monthly cohorts of different sizes,
period retention and lifecycle, purchase patterns and seasonality, the
BG/NBD and Gamma-Gamma fits (CLV page), RFM, returns.

Deliberate flaws, for the data quality page (5 rejected rows):
- three guest checkouts in shops with a blank `customer_id` (the customer
  id is blank);
- one order dated `2025-02-29`, a day that does not exist (the date cannot
  be read);
- the accounting system's `Итого` totals line at the end (a totals line,
  not a transaction).

### survey.csv

`customer_id,response_date,nps,csat,comment,had_problem,region`

- {s_answers} answers, each from a different customer of `orders.csv`, one
  to nine days after one of their purchases: NPS 0-10 and CSAT 1-5.
- {s_comments} comments ({s_russian} in Russian, the rest in English; the
  other answers have none) from templates about delivery / доставка,
  price / цена, quality / качество, staff / персонал, support / поддержка
  and the website / сайт, with the occasional typo, lower case or second
  line.
- `had_problem`: whether that order went wrong ({s_problems} did).
- `region` is the respondent's city, a segment column.

Exercises: NPS with its interval, distribution and monthly trend, CSAT,
the NPS segment table by region, comment themes in both languages, and the
loyalty link (later purchases by NPS group, CSAT level and problem flag).

Deliberate flaws (2 rejected rows): one answer with both scores empty (the
answer has no score) and one NPS of `11` (the score is not on its scale).

### churned.csv

`customer_id,customer_since,churn_date,plan,mrr,reason`

- {c_left} customers who left, on a day 30 to 150 days after their last
  purchase, with a free-text reason in Russian or English: moved away /
  переезд, competitor / конкурент, price / дорого, product quality /
  качество, staff attitude / грубость персонала, other relationships,
  died / умер (rare), other; {c_blank} left blank. Customers whose dropout
  followed a problem mostly name the product or the staff.
- {c_active} customers still active, with an empty `churn_date`, so that
  survival curves are censored (some of them have in fact stopped buying
  without telling the shop).
- `customer_since` is the first purchase; `plan` is `standard`, or `club`
  or `premium` for programme members; `mrr` is the customer's net spend
  per month.

Exercises: Kaplan-Meier survival with censoring (and by plan), churn
reasons and their categories, revenue lost per reason.
"#,
        o_rows = o.rows,
        s_rows = s.rows,
        o_orders = o.orders,
        o_first = o.first_order_id,
        o_last = o.last_order_id,
        o_customers = o.customers,
        o_lines = o.lines,
        o_returns = o.returns,
        o_members = o.members,
        s_answers = s.answers,
        s_comments = s.comments,
        s_russian = s.russian_comments,
        s_problems = s.problems,
        c_left = c.left,
        c_blank = c.blank_reasons,
        c_active = c.active,
    )
}
