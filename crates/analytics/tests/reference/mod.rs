//! The analyses as they were before the customer index (commit 49f6e56),
//! kept as references: on generated transactions (returns, order ids on
//! some rows and not others, segment columns) the optimised code must give
//! the same results to the last bit.

#![allow(clippy::all)]

use chrono::{Datelike, NaiveDate};
use loyalty_analytics::dataset::Transactions;
use loyalty_analytics::ingest::RecordKind;
use loyalty_analytics::metrics::base::{BaseFigures, MonthlyActivity};
use loyalty_analytics::metrics::customer_base::PeriodRetention;
use loyalty_analytics::metrics::lifecycle::LifecyclePeriod;
use loyalty_analytics::metrics::purchase_patterns::{
    quantile, Bucket, DaysDistribution, PurchasePatterns, SeasonalMonth,
};
use loyalty_analytics::metrics::retention::{CohortMatrix, CohortRow, Period};
use loyalty_analytics::metrics::segment_breakdown::{SegmentCurve, SegmentRetention, MAX_SEGMENTS};
use loyalty_analytics::segments::{SegmentColumn, Segments, NO_SEGMENT};

fn is_purchase(amount: Option<f64>) -> bool {
    amount.is_none_or(|a| a >= 0.0)
}

/// A key that is the same for two rows of the same order: the interned order
/// id, or the day when there is none (so one customer's lines on one day are
/// one order).
fn order_key(order: Option<u32>, day: i32) -> u64 {
    match order {
        Some(o) => (1 << 32) | u64::from(o),
        None => day as u32 as u64,
    }
}

/// Neumaier's compensated sum: cents stay exact over millions of rows.
fn exact_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

pub fn ref_base_figures(tx: &Transactions) -> BaseFigures {
    let n = tx.len();
    let mut customers: Vec<u32> = tx.customer.clone();
    customers.sort_unstable();
    customers.dedup();

    // (customer, order key) of every purchase row; order ids are global, so
    // for counting orders an id-keyed order is not tied to a customer.
    let mut customer_orders: Vec<(u32, u64)> = Vec::with_capacity(n);
    let mut global_orders: Vec<(u32, u64)> = Vec::with_capacity(n);
    for i in 0..n {
        if !is_purchase(tx.amount.at(i)) {
            continue;
        }
        let key = order_key(tx.order.at(i), tx.day[i]);
        customer_orders.push((tx.customer[i], key));
        global_orders.push((
            if tx.order.at(i).is_some() {
                u32::MAX
            } else {
                tx.customer[i]
            },
            key,
        ));
    }
    customer_orders.sort_unstable();
    customer_orders.dedup();
    global_orders.sort_unstable();
    global_orders.dedup();
    let repeaters = customer_orders
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|orders| orders.len() >= 2)
        .count() as u64;

    let amounts: Vec<f64> = tx.amount.iter().flatten().collect();
    BaseFigures {
        customers: customers.len() as u64,
        transactions: n as u64,
        orders: global_orders.len() as u64,
        revenue: (!amounts.is_empty()).then(|| exact_sum(amounts)),
        repeat_rate: (!customers.is_empty()).then(|| repeaters as f64 / customers.len() as f64),
        first_date: tx.day.iter().min().and_then(|&d| date_of(d)),
        last_date: tx.day.iter().max().and_then(|&d| date_of(d)),
    }
}

fn month_index(day: i32) -> i32 {
    let d = date_of(day).unwrap_or_default();
    d.year() * 12 + d.month0() as i32
}

/// One entry per calendar month from the first to the last transaction,
/// months without activity included (as zeros), so the chart's time axis is true.
pub fn ref_monthly_activity(tx: &Transactions) -> Vec<MonthlyActivity> {
    let months: Vec<i32> = tx.day.iter().map(|&d| month_index(d)).collect();
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return Vec::new();
    };
    let first_day = tx.day.iter().min().and_then(|&d| date_of(d));
    let last_day = tx.day.iter().max().and_then(|&d| date_of(d));
    let starts_on_first = first_day.is_some_and(|d| d.day() == 1);
    let ends_on_last = last_day.is_some_and(|d| d.succ_opt().is_none_or(|next| next.day() == 1));
    let span = (last - first + 1) as usize;
    let mut active: Vec<(i32, u32)> = Vec::new();
    let mut orders: Vec<(i32, u32, u64)> = Vec::new();
    let mut revenue: Vec<Vec<f64>> = vec![Vec::new(); span];
    for (i, &m) in months.iter().enumerate() {
        if let Some(a) = tx.amount.at(i) {
            revenue[(m - first) as usize].push(a);
        }
        if is_purchase(tx.amount.at(i)) {
            active.push((m, tx.customer[i]));
            let owner = if tx.order.at(i).is_some() {
                u32::MAX
            } else {
                tx.customer[i]
            };
            orders.push((m, owner, order_key(tx.order.at(i), tx.day[i])));
        }
    }
    active.sort_unstable();
    active.dedup();
    orders.sort_unstable();
    orders.dedup();
    let count_by_month = |months: &mut dyn Iterator<Item = i32>| {
        let mut counts = vec![0u64; span];
        for m in months {
            counts[(m - first) as usize] += 1;
        }
        counts
    };
    let active_counts = count_by_month(&mut active.iter().map(|a| a.0));
    let order_counts = count_by_month(&mut orders.iter().map(|o| o.0));
    (0..span)
        .map(|k| {
            let m = first + k as i32;
            MonthlyActivity {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                active_customers: active_counts[k],
                orders: order_counts[k],
                revenue: exact_sum(revenue[k].iter().copied()),
                complete: (m != first || starts_on_first) && (m != last || ends_on_last),
            }
        })
        .collect()
}

pub fn ref_cohort_matrix(tx: &Transactions, period: Period) -> CohortMatrix {
    let period_of =
        |i: usize| NaiveDate::from_num_days_from_ce_opt(tx.day[i]).map_or(0, |d| period.index(d));
    let periods: Vec<i32> = (0..tx.len()).map(period_of).collect();
    let customers = tx.customer.iter().max().map_or(0, |&c| c as usize + 1);
    // First and last purchase period of each customer.
    let mut first = vec![i32::MAX; customers];
    let mut last = vec![i32::MIN; customers];
    for ((&customer, amount), &p) in tx.customer.iter().zip(tx.amount.iter()).zip(&periods) {
        if is_purchase(amount) {
            let c = customer as usize;
            first[c] = first[c].min(p);
            last[c] = last[c].max(p);
        }
    }
    // Cells are observable up to the last date in the data, a return included.
    let latest = periods.iter().copied().max().unwrap_or(i32::MIN);
    let Some(start) = first.iter().copied().filter(|&p| p != i32::MAX).min() else {
        return CohortMatrix {
            period,
            ..CohortMatrix::default()
        };
    };
    let span = (latest - start + 1) as usize;
    // Per cohort (by offset from `start`): size, active counts per offset,
    // customers whose last purchase is k periods after the first, revenue.
    let mut size = vec![0u64; span];
    let mut last_offset = vec![vec![0u64; span]; span];
    for c in 0..customers {
        if first[c] != i32::MAX {
            let cohort = (first[c] - start) as usize;
            size[cohort] += 1;
            last_offset[cohort][(last[c] - first[c]) as usize] += 1;
        }
    }
    let mut pairs: Vec<(u32, i32)> = (0..tx.len())
        .filter(|&i| is_purchase(tx.amount.at(i)))
        .map(|i| (tx.customer[i], periods[i]))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut active = vec![vec![0u64; span]; span];
    for (c, p) in pairs {
        let f = first[c as usize];
        active[(f - start) as usize][(p - f) as usize] += 1;
    }
    let mut revenue = vec![vec![0.0f64; span]; span];
    let mut has_amount = false;
    for i in 0..tx.len() {
        let f = first[tx.customer[i] as usize];
        if let (Some(a), true) = (tx.amount.at(i), f != i32::MAX) {
            if periods[i] >= f {
                revenue[(f - start) as usize][(periods[i] - f) as usize] += a;
                has_amount = true;
            }
        }
    }

    let mut rows = Vec::new();
    let mut reached_active = vec![0u64; span];
    let mut reached_after = vec![0u64; span];
    let mut reached_size = vec![0u64; span];
    for cohort in 0..span {
        if size[cohort] == 0 {
            continue;
        }
        let observable = span - cohort;
        let n = size[cohort] as f64;
        let mut still = size[cohort];
        let mut on_or_after = Vec::with_capacity(observable);
        for k in 0..observable {
            on_or_after.push(still as f64 / n);
            reached_after[k] += still;
            reached_active[k] += active[cohort][k];
            reached_size[k] += size[cohort];
            still -= last_offset[cohort][k];
        }
        let base = revenue[cohort][0];
        rows.push(CohortRow {
            cohort: period.label(start + cohort as i32),
            size: size[cohort],
            active: active[cohort][..observable].to_vec(),
            on: active[cohort][..observable]
                .iter()
                .map(|&a| a as f64 / n)
                .collect(),
            on_or_after,
            revenue: if has_amount && base > 0.0 {
                revenue[cohort][..observable]
                    .iter()
                    .map(|r| r / base)
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    let average = |counts: &[u64]| -> Vec<f64> {
        counts
            .iter()
            .zip(&reached_size)
            .map(|(&a, &n)| a as f64 / n as f64)
            .collect()
    };
    CohortMatrix {
        period,
        average_on: average(&reached_active),
        average_on_or_after: average(&reached_after),
        cohorts: rows,
    }
}

fn in_base(days: &[i32], t: i32, window: i32) -> bool {
    let upto = days.partition_point(|&d| d <= t);
    upto > 0 && t - days[upto - 1] < window
}

fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub fn ref_period_retention(
    tx: &Transactions,
    period: Period,
    churn_window_days: u32,
) -> Vec<PeriodRetention> {
    let window = churn_window_days.max(1) as i32;
    let mut purchases: Vec<(u32, i32)> = (0..tx.len())
        .filter(|&i| tx.amount.at(i).is_none_or(|a| a >= 0.0))
        .map(|i| (tx.customer[i], tx.day[i]))
        .collect();
    purchases.sort_unstable();
    purchases.dedup();
    let (Some(first_day), Some(&last_day)) =
        (purchases.iter().map(|p| p.1).min(), tx.day.iter().max())
    else {
        return Vec::new();
    };
    let date = |d: i32| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default();
    let (first, last) = (period.index(date(first_day)), period.index(date(last_day)));
    let span = (last - first + 1) as usize;
    let bounds: Vec<(i32, i32)> = (first..=last)
        .map(|p| {
            (
                day_number(period.first_day(p)),
                day_number(period.last_day(p)),
            )
        })
        .collect();
    let (mut s, mut e, mut n) = (vec![0u64; span], vec![0u64; span], vec![0u64; span]);
    let (mut lost, mut returned) = (vec![0u64; span], vec![0u64; span]);
    for customer in purchases.chunk_by(|a, b| a.0 == b.0) {
        let days: Vec<i32> = customer.iter().map(|p| p.1).collect();
        let acquired = period.index(date(days[0])) - first;
        // Before the first purchase a customer is in no count.
        for k in acquired.max(0) as usize..span {
            let (start, end) = bounds[k];
            let at_start = in_base(&days, start - 1, window);
            let at_end = in_base(&days, end, window);
            s[k] += u64::from(at_start);
            e[k] += u64::from(at_end);
            let new = (start..=end).contains(&days[0]);
            n[k] += u64::from(new);
            lost[k] += u64::from(at_start && !at_end);
            returned[k] += u64::from(at_end && !at_start && !new);
        }
    }
    (0..span)
        .map(|k| {
            let rate = |x: f64| (s[k] > 0).then(|| x / s[k] as f64);
            PeriodRetention {
                period: period.label(first + k as i32),
                start_base: s[k],
                end_base: e[k],
                new: n[k],
                lost: lost[k],
                returned: returned[k],
                // In the base at the start and at the end, counted one by
                // one above: S - lost.
                retained: s[k] - lost[k],
                retention_rate: rate((s[k] - lost[k]) as f64),
                churn_rate: rate(lost[k] as f64),
                complete: bounds[k].1 <= last_day,
            }
        })
        .collect()
}

pub fn ref_lifecycle(tx: &Transactions, period: Period) -> Vec<LifecyclePeriod> {
    let index =
        |d: i32| NaiveDate::from_num_days_from_ce_opt(d).map_or(0, |date| period.index(date));
    let mut active: Vec<(u32, i32)> = (0..tx.len())
        .filter(|&i| tx.amount.at(i).is_none_or(|a| a >= 0.0))
        .map(|i| (tx.customer[i], index(tx.day[i])))
        .collect();
    active.sort_unstable();
    active.dedup();
    let (Some(first), Some(last)) = (
        active.iter().map(|a| a.1).min(),
        active.iter().map(|a| a.1).max(),
    ) else {
        return Vec::new();
    };
    let mut rows: Vec<LifecyclePeriod> = (first..=last)
        .map(|p| LifecyclePeriod {
            period: period.label(p),
            active: 0,
            new: 0,
            retained: 0,
            resurrected: 0,
            lost: 0,
        })
        .collect();
    let at = |p: i32| (p - first) as usize;
    for customer in active.chunk_by(|a, b| a.0 == b.0) {
        let mut previous: Option<i32> = None;
        for &(_, p) in customer {
            let row = &mut rows[at(p)];
            row.active += 1;
            match previous {
                None => row.new += 1,
                Some(q) if q == p - 1 => row.retained += 1,
                Some(q) => {
                    row.resurrected += 1;
                    rows[at(q + 1)].lost += 1;
                }
            }
            previous = Some(p);
        }
        if let Some(q) = previous.filter(|&q| q < last) {
            rows[at(q + 1)].lost += 1;
        }
    }
    rows
}

const DAY_BUCKETS: [(u32, &str); 8] = [
    (7, "0-7"),
    (14, "8-14"),
    (30, "15-30"),
    (60, "31-60"),
    (90, "61-90"),
    (180, "91-180"),
    (365, "181-365"),
    (u32::MAX, "366+"),
];

fn ref_days_distribution(mut days: Vec<f64>) -> Option<DaysDistribution> {
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let mut buckets: Vec<Bucket> = DAY_BUCKETS
        .iter()
        .map(|(_, label)| Bucket {
            label: (*label).into(),
            count: 0,
        })
        .collect();
    for &d in &days {
        let i = DAY_BUCKETS
            .iter()
            .position(|(upper, _)| d <= *upper as f64)
            .unwrap_or(DAY_BUCKETS.len() - 1);
        buckets[i].count += 1;
    }
    Some(DaysDistribution {
        count: days.len() as u64,
        median: quantile(&days, 0.5)?,
        p90: quantile(&days, 0.9)?,
        mean: days.iter().sum::<f64>() / days.len() as f64,
        buckets,
    })
}

pub fn ref_purchase_patterns(tx: &Transactions) -> PurchasePatterns {
    // (customer, day, order key) of purchases, sorted: one pass per customer.
    let mut rows: Vec<(u32, i32, u64)> = (0..tx.len())
        .filter(|&i| tx.amount.at(i).is_none_or(|a| a >= 0.0))
        .map(|i| {
            let key = match tx.order.at(i) {
                Some(o) => (1 << 32) | u64::from(o),
                None => tx.day[i] as u32 as u64,
            };
            (tx.customer[i], tx.day[i], key)
        })
        .collect();
    rows.sort_unstable();
    // The data's end: its last row of any kind (returns too).
    let last_day = tx.day.iter().copied().max();
    let mut per_customer_orders: Vec<u64> = Vec::new();
    let mut gaps = Vec::new();
    let mut to_second = Vec::new();
    let windows = [30u32, 90, 180, 365];
    let mut within = [(0u64, 0u64); 4];
    let mut start = 0;
    while start < rows.len() {
        let customer = rows[start].0;
        let end = start + rows[start..].partition_point(|r| r.0 == customer);
        let mut keys: Vec<u64> = rows[start..end].iter().map(|r| r.2).collect();
        keys.sort_unstable();
        keys.dedup();
        per_customer_orders.push(keys.len() as u64);
        let mut days: Vec<i32> = rows[start..end].iter().map(|r| r.1).collect();
        days.dedup();
        gaps.extend(days.windows(2).map(|w| f64::from(w[1] - w[0])));
        if let Some(second) = days.get(1) {
            to_second.push(f64::from(second - days[0]));
        }
        if let Some(last) = last_day {
            for (slot, window) in within.iter_mut().zip(windows) {
                if days[0] + window as i32 <= last {
                    slot.0 += 1;
                    slot.1 += u64::from(days.get(1).is_some_and(|d| d - days[0] <= window as i32));
                }
            }
        }
        start = end;
    }
    let mut orders_per_customer: Vec<Bucket> = (1..=11)
        .map(|k| Bucket {
            label: if k == 11 { "11+".into() } else { k.to_string() },
            count: 0,
        })
        .collect();
    for n in per_customer_orders {
        orders_per_customer[(n.clamp(1, 11) - 1) as usize].count += 1;
    }
    PurchasePatterns {
        orders_per_customer,
        days_between_purchases: ref_days_distribution(gaps),
        time_to_second_purchase: ref_days_distribution(to_second),
        second_purchase_within: windows
            .iter()
            .zip(within)
            .filter(|(_, (n, _))| *n > 0)
            .map(|(&w, (n, k))| (w, k as f64 / n as f64, n))
            .collect(),
        seasonality: ref_seasonality(tx),
    }
}

/// Orders and revenue per complete calendar month, averaged per month of
/// the year, over the average of the twelve.
fn ref_seasonality(tx: &Transactions) -> Vec<SeasonalMonth> {
    let (Some(&first), Some(&last)) = (tx.day.iter().min(), tx.day.iter().max()) else {
        return Vec::new();
    };
    let (Some(first), Some(last)) = (
        NaiveDate::from_num_days_from_ce_opt(first),
        NaiveDate::from_num_days_from_ce_opt(last),
    ) else {
        return Vec::new();
    };
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    // Months cut by the data's first or last day are not complete.
    let first_full = month_index(first) + i32::from(first.day() != 1);
    let last_full =
        month_index(last) - i32::from(last.succ_opt().is_some_and(|n| n.month() == last.month()));
    if last_full - first_full + 1 < 12 {
        return Vec::new();
    }
    let span = (last_full - first_full + 1) as usize;
    let mut orders = vec![0u64; span];
    let mut revenue = vec![0f64; span];
    let mut seen = std::collections::HashSet::new();
    for i in 0..tx.len() {
        let Some(date) = NaiveDate::from_num_days_from_ce_opt(tx.day[i]) else {
            continue;
        };
        let m = month_index(date);
        if m < first_full || m > last_full {
            continue;
        }
        let slot = (m - first_full) as usize;
        revenue[slot] += tx.amount.at(i).unwrap_or(0.0);
        if tx.amount.at(i).is_none_or(|a| a >= 0.0) {
            let key = match tx.order.at(i) {
                Some(o) => (1u64 << 63) | u64::from(o),
                None => (u64::from(tx.customer[i]) << 32) | tx.day[i] as u32 as u64,
            };
            orders[slot] += u64::from(seen.insert(key));
        }
    }
    let has_amounts = tx.amount.any();
    let mut per_month = [(0u32, 0f64, 0f64); 12];
    for slot in 0..span {
        let m = ((first_full + slot as i32) % 12) as usize;
        per_month[m].0 += 1;
        per_month[m].1 += orders[slot] as f64;
        per_month[m].2 += revenue[slot];
    }
    let mean = |f: fn(&(u32, f64, f64)) -> f64| {
        per_month
            .iter()
            .map(|m| f(m) / f64::from(m.0))
            .collect::<Vec<f64>>()
    };
    let order_means = mean(|m| m.1);
    let revenue_means = mean(|m| m.2);
    let overall = |v: &[f64]| v.iter().sum::<f64>() / 12.0;
    let (order_avg, revenue_avg) = (overall(&order_means), overall(&revenue_means));
    (0..12)
        .map(|m| SeasonalMonth {
            month: m as u32 + 1,
            years: per_month[m].0,
            orders_index: (order_avg > 0.0).then(|| order_means[m] / order_avg),
            revenue_index: (has_amounts && revenue_avg > 0.0)
                .then(|| revenue_means[m] / revenue_avg),
        })
        .collect()
}

/// Each customer's segment: the label of their earliest labelled row.
fn customer_labels(tx: &Transactions, column: &SegmentColumn, customers: usize) -> Vec<u16> {
    let mut label = vec![NO_SEGMENT; customers];
    let mut first_day = vec![i32::MAX; customers];
    for (i, &code) in column.rows.iter().enumerate().take(tx.len()) {
        if code == NO_SEGMENT {
            continue;
        }
        let c = tx.customer[i] as usize;
        if c < customers && tx.day[i] < first_day[c] {
            first_day[c] = tx.day[i];
            label[c] = code;
        }
    }
    label
}

/// The largest labels by count, at most [`MAX_SEGMENTS`].
fn largest(counts: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    order.truncate(MAX_SEGMENTS);
    order
}

pub fn ref_segment_retention(
    tx: &Transactions,
    segments: &Segments,
    customers: usize,
) -> Vec<SegmentRetention> {
    segments
        .of_kind(RecordKind::Transactions)
        .filter_map(|column| {
            let labels = customer_labels(tx, column, customers);
            let mut counts = vec![0u64; column.labels.len()];
            let mut unlabelled = 0u64;
            let mut seen = vec![false; customers];
            for &c in &tx.customer {
                let c = c as usize;
                if c >= customers || std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                match counts.get_mut(labels[c] as usize) {
                    Some(n) => *n += 1,
                    None => unlabelled += 1,
                }
            }
            let shown = largest(&counts);
            if shown.len() < 2 {
                return None;
            }
            let segments = shown
                .iter()
                .map(|&code| {
                    let mut subset = Transactions::default();
                    for i in 0..tx.len() {
                        if labels.get(tx.customer[i] as usize) == Some(&(code as u16)) {
                            subset.customer.push(tx.customer[i]);
                            subset.day.push(tx.day[i]);
                            subset.amount.push(tx.amount.at(i));
                            subset.order.push(tx.order.at(i));
                        }
                    }
                    let matrix = ref_cohort_matrix(&subset, Period::Month);
                    let at = |k: usize| matrix.average_on.get(k).copied();
                    SegmentCurve {
                        label: column.labels[code].clone(),
                        customers: counts[code],
                        at_months: [at(1), at(3), at(6), at(12)],
                        average_on: matrix.average_on,
                    }
                })
                .collect();
            let shown_total: u64 = shown.iter().map(|&c| counts[c]).sum();
            Some(SegmentRetention {
                column: column.name.clone(),
                segments,
                other_customers: counts.iter().sum::<u64>() - shown_total,
                unlabelled_customers: unlabelled,
            })
        })
        .collect()
}
