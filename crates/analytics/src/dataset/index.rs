//! The transactions grouped by customer ([`CustomerIndex`]).

use super::{is_purchase, Transactions};
use crate::calendar::{month_of_day, Period};

/// The transactions grouped by customer, computed once per analysis and
/// shared by every figure that looks at customers one by one (cohorts, the
/// base over time, lifecycle, purchase patterns, base figures, inferred
/// churn): a counting sort of the rows by customer id, no hashing and no
/// sort of the whole table.
#[derive(Debug, Clone, Default)]
pub struct CustomerIndex {
    /// The first and last day of any row.
    pub(crate) day_range: Option<(i32, i32)>,
    /// Customer ids `0..customers` (the largest id in the rows, plus one).
    pub(crate) customers: usize,
    /// Customer `c`'s distinct purchase days (amount absent or >= 0),
    /// ascending: `days[day_start[c]..day_start[c + 1]]`.
    pub(crate) day_start: Vec<u32>,
    pub(crate) days: Vec<i32>,
    /// The purchase value of each of those days (rows without an amount
    /// count 0), parallel to `days`.
    pub(crate) day_totals: Vec<f64>,
    /// Net value per customer: purchases minus returns, finite amounts only.
    pub(crate) net_revenue: Vec<f64>,
    /// Whether any row has an amount.
    pub(crate) has_amounts: bool,
    /// Distinct purchase orders per customer: order ids, and the days of
    /// purchase rows without one.
    orders: Vec<u32>,
    /// The last day of any of the customer's rows (returns included);
    /// `i32::MIN` for an id without rows.
    last_any: Vec<i32>,
    /// Purchase days of rows without an order id.
    plain: PlainDays,
    /// `year * 12 + month0` of every day from `first_day` to the last day
    /// of the rows (empty when that would be too long a table).
    first_day: i32,
    months: Vec<i32>,
}

/// Longest day range given a month table (about 1,100 years, 1.6 MB).
const MONTH_TABLE_DAYS: i64 = 400_000;

/// Which purchase days have no order id.
#[derive(Debug, Clone, Default)]
enum PlainDays {
    /// No row has an order id: all of them.
    #[default]
    All,
    /// Every purchase row has an order id: none.
    None,
    /// Some: per customer, distinct and ascending (offsets as `day_start`).
    Some { start: Vec<u32>, days: Vec<i32> },
}

/// A row's class while grouping: a return, or a purchase without or with
/// an order id.
const RETURN: u8 = 0;
const PLAIN: u8 = 1;
const WITH_ORDER: u8 = 2;

impl CustomerIndex {
    pub fn build(tx: &Transactions) -> CustomerIndex {
        let n = tx.len();
        let customers = tx.customer.iter().max().map_or(0, |&c| c as usize + 1);
        // Counting sort by customer, stable (load order within a customer).
        let mut start = vec![0u32; customers + 1];
        for &c in &tx.customer {
            start[c as usize + 1] += 1;
        }
        for c in 0..customers {
            start[c + 1] += start[c];
        }
        let has_order_ids = tx.order.any();
        let mut class = vec![RETURN; n];
        let mut day = vec![0i32; n];
        let mut order = vec![0u32; if has_order_ids { n } else { 0 }];
        let mut amount = vec![0.0f64; n];
        let mut any_plain = false;
        {
            let mut next = start.clone();
            for i in 0..n {
                let c = tx.customer[i] as usize;
                let at = next[c] as usize;
                next[c] += 1;
                day[at] = tx.day[i];
                // Left at 0 when not finite, which adds nothing to the
                // net revenue below.
                if let Some(a) = tx.amount.at(i).filter(|a| a.is_finite()) {
                    amount[at] = a;
                }
                class[at] = match (is_purchase(tx.amount.at(i)), tx.order.at(i)) {
                    (false, _) => RETURN,
                    (true, None) => {
                        any_plain = true;
                        PLAIN
                    }
                    (true, Some(o)) => {
                        order[at] = o;
                        WITH_ORDER
                    }
                };
            }
        }
        let mixed = has_order_ids && any_plain;
        let mut index = CustomerIndex {
            day_range: tx
                .day
                .iter()
                .min()
                .zip(tx.day.iter().max())
                .map(|(a, b)| (*a, *b)),
            customers,
            day_start: Vec::with_capacity(customers + 1),
            days: Vec::new(),
            day_totals: Vec::new(),
            net_revenue: Vec::with_capacity(customers),
            has_amounts: tx.amount.any(),
            orders: Vec::with_capacity(customers),
            last_any: Vec::with_capacity(customers),
            plain: match (has_order_ids, any_plain) {
                (false, _) => PlainDays::All,
                (true, false) => PlainDays::None,
                (true, true) => PlainDays::Some {
                    start: Vec::with_capacity(customers + 1),
                    days: Vec::new(),
                },
            },
            first_day: 0,
            months: Vec::new(),
        };
        index.day_start.push(0);
        if let PlainDays::Some { start, .. } = &mut index.plain {
            start.push(0);
        }
        if let Some((min, max)) = index.day_range {
            if i64::from(max) - i64::from(min) < MONTH_TABLE_DAYS {
                index.first_day = min;
                index.months = (min..=max)
                    .map(|d| month_of_day(d).unwrap_or(i32::MIN))
                    .collect();
            }
        }
        let mut keys: Vec<u64> = Vec::new();
        let mut plain: Vec<i32> = Vec::new();
        let mut by_day: Vec<(i32, f64)> = Vec::new();
        // Each customer's distinct purchase days are written over the rows
        // sorted by customer, in place: a customer's days start at or
        // before its rows and never pass the row being read. Two more
        // arrays of every row took 12 bytes a row at the index's peak.
        let mut write = 0;
        for c in 0..customers {
            let rows = start[c] as usize..start[c + 1] as usize;
            // What reads the rows as loaded comes before they are written over.
            let last_any = rows.clone().map(|r| day[r]).max().unwrap_or(i32::MIN);
            // Summed here, over the customer's rows in load order (the sort
            // is stable), rather than per row above: there the sum was a
            // read and a write at a random place of an 8-byte-a-customer
            // array, a fifth of the index's time at 20M rows (`perf`).
            let net = rows.clone().fold(0.0, |sum, r| sum + amount[r]);
            let with_order = rows.clone().any(|r| class[r] == WITH_ORDER);
            let keyed_orders = with_order.then(|| {
                // Order ids and plain days as keys, as `order_key` makes them.
                keys.clear();
                keys.extend(rows.clone().filter_map(|r| match class[r] {
                    PLAIN => Some(day[r] as u32 as u64),
                    WITH_ORDER => Some((1 << 32) | u64::from(order[r])),
                    _ => None,
                }));
                keys.sort_unstable();
                keys.dedup();
                keys.len()
            });
            if mixed {
                plain.clear();
                plain.extend(rows.clone().filter(|&r| class[r] == PLAIN).map(|r| day[r]));
                plain.sort_unstable();
                plain.dedup();
                if let PlainDays::Some { start, days } = &mut index.plain {
                    days.extend_from_slice(&plain);
                    start.push(days.len() as u32);
                }
            }
            let first = write;
            for r in rows {
                if class[r] != RETURN {
                    day[write] = day[r];
                    amount[write] = amount[r];
                    write += 1;
                }
            }
            if !day[first..write].is_sorted() {
                // Stable, so one day's amounts add up in load order.
                by_day.clear();
                by_day.extend(
                    day[first..write]
                        .iter()
                        .copied()
                        .zip(amount[first..write].iter().copied()),
                );
                by_day.sort_by_key(|d| d.0);
                for (k, (d, v)) in by_day.iter().enumerate() {
                    day[first + k] = *d;
                    amount[first + k] = *v;
                }
            }
            let distinct = merge_equal_days(&mut day[first..write], &mut amount[first..write]);
            write = first + distinct;
            index.day_start.push(write as u32);
            index.orders.push(keyed_orders.unwrap_or(distinct) as u32);
            index.last_any.push(last_any);
            index.net_revenue.push(net);
        }
        drop((class, order));
        day.truncate(write);
        amount.truncate(write);
        day.shrink_to_fit();
        amount.shrink_to_fit();
        index.days = day;
        index.day_totals = amount;
        index
    }

    /// The first and last day of the transactions (returns included).
    pub fn day_range(&self) -> Option<(i32, i32)> {
        self.day_range
    }

    /// Customer ids `0..customers()`; some may have no rows.
    pub fn customers(&self) -> usize {
        self.customers
    }

    /// Whether customer `c` has any row (a return counts).
    #[inline(always)]
    pub fn has_rows(&self, c: usize) -> bool {
        self.last_any[c] != i32::MIN
    }

    /// Customer `c`'s distinct purchase days, ascending (empty: no purchase).
    #[inline(always)]
    pub fn days(&self, c: usize) -> &[i32] {
        &self.days[self.day_start[c] as usize..self.day_start[c + 1] as usize]
    }

    /// Customer `c`'s distinct purchase days, ascending, with each day's
    /// purchase value.
    #[inline(always)]
    pub fn purchases(&self, c: usize) -> (&[i32], &[f64]) {
        let span = self.day_start[c] as usize..self.day_start[c + 1] as usize;
        (&self.days[span.clone()], &self.day_totals[span])
    }

    /// Distinct purchase orders of customer `c` (order ids, and days of
    /// purchases without an order id).
    #[inline(always)]
    pub fn orders(&self, c: usize) -> u32 {
        self.orders[c]
    }

    /// The last day of any of customer `c`'s rows, returns included.
    pub fn last_day_any(&self, c: usize) -> Option<i32> {
        Some(self.last_any[c]).filter(|&d| d != i32::MIN)
    }

    /// Customer `c`'s distinct purchase days of rows without an order id.
    #[inline(always)]
    pub fn plain_days(&self, c: usize) -> &[i32] {
        match &self.plain {
            PlainDays::All => self.days(c),
            PlainDays::None => &[],
            PlainDays::Some { start, days } => &days[start[c] as usize..start[c + 1] as usize],
        }
    }

    /// `year * 12 + month0` of day number `day`, as [`month_of_day`].
    #[inline(always)]
    pub(crate) fn month_of(&self, day: i32) -> Option<i32> {
        match self
            .months
            .get(day.wrapping_sub(self.first_day) as u32 as usize)
        {
            Some(&m) if m != i32::MIN => Some(m),
            _ => month_of_day(day),
        }
    }

    /// [`Period::index_of_day`], by the month table.
    #[inline(always)]
    pub(crate) fn period_of(&self, period: Period, day: i32) -> Option<i32> {
        match self
            .months
            .get(day.wrapping_sub(self.first_day) as u32 as usize)
        {
            Some(&m) if m != i32::MIN => Some(match period {
                Period::Week => (day - 1).div_euclid(7),
                Period::Month => m,
                // year * 4 + month0 / 3, as 12 * year divides by 3.
                Period::Quarter => m.div_euclid(3),
            }),
            _ => period.index_of_day(day),
        }
    }

    /// Whether every purchase row lacks an order id.
    pub fn no_order_ids(&self) -> bool {
        matches!(self.plain, PlainDays::All)
    }
}

/// Merges repeats in the sorted `days`, adding up their `totals` (moved to
/// the front); returns how many distinct days there are.
fn merge_equal_days(days: &mut [i32], totals: &mut [f64]) -> usize {
    let len = days.len();
    if len < 2 {
        return len;
    }
    let mut write = 1;
    for read in 1..len {
        if days[read] != days[write - 1] {
            days[write] = days[read];
            totals[write] = totals[read];
            write += 1;
        } else {
            totals[write - 1] += totals[read];
        }
    }
    write
}
