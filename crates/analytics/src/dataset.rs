//! The in-memory, columnar form of everything loaded: customer and order ids
//! interned to `u32`, dates as day numbers, one vector per field.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::ingest::{self, FileSummary, ReadOptions, ReadProgress, RecordKind};
use crate::metrics::retention::Period;
use crate::models::summary::PurchaseHistories;
use crate::segments::Segments;
use crate::IngestError;

/// Maps each distinct text id to a dense `u32`, first seen first.
///
/// The names are kept once, end to end in one string; the table maps a
/// name's 64-bit hash to its id (the name itself is compared on a hit), and
/// the rare name whose hash another name already has goes to a small second
/// table. No allocation per name, and a third of the memory of a
/// `HashMap<String, u32>` beside a `Vec<String>`.
///
/// Most exports number their customers and orders ("17850", "536365"):
/// such a name is looked up by its value, which is exact, so the hit needs
/// no second and third memory access to compare the text (the table of a
/// million rows does not fit in the cache, and those accesses were most of
/// the parse).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Value of a name in canonical decimal form -> its id.
    by_number: FxHashMap<u64, u32>,
    /// Hash of any other name -> the first id interned with that hash.
    by_hash: FxHashMap<u64, u32>,
    /// Names whose hash belongs to an earlier, different name.
    collided: FxHashMap<String, u32>,
    text: String,
    /// End of each name in `text`.
    ends: Vec<u32>,
}

fn name_hash(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(name.as_bytes());
    hasher.finish()
}

/// The value of a name written as a decimal number without a sign or
/// leading zeros ("0", "17850"; not "007" or "+5", which stay text), so
/// that two names have the same value only when they are the same text.
fn canonical_number(name: &str) -> Option<u64> {
    let bytes = name.as_bytes();
    // 19 digits always fit in a u64.
    if bytes.is_empty() || bytes.len() > 19 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    bytes.iter().try_fold(0u64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u64::from(b - b'0'))
    })
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        let id = self.ends.len() as u32;
        if let Some(number) = canonical_number(name) {
            match self.by_number.entry(number) {
                std::collections::hash_map::Entry::Occupied(slot) => return *slot.get(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(id);
                }
            }
            return self.push_name(name);
        }
        let hash = name_hash(name);
        match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                let known = *slot.get();
                if self.name(known) == Some(name) {
                    return known;
                }
                if let Some(&id) = self.collided.get(name) {
                    return id;
                }
                self.collided.insert(name.to_owned(), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
        }
        self.push_name(name)
    }

    /// Keeps a new name's text; its id is the next one.
    fn push_name(&mut self, name: &str) -> u32 {
        let id = self.ends.len() as u32;
        self.text.push_str(name);
        self.ends.push(self.text.len() as u32);
        id
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        let end = *self.ends.get(id as usize)? as usize;
        let start = match id {
            0 => 0,
            _ => self.ends[id as usize - 1] as usize,
        };
        Some(&self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Purchase and return lines, one entry per used row, in load order.
#[derive(Debug, Default, Clone)]
pub struct Transactions {
    /// Interned customer id.
    pub customer: Vec<u32>,
    /// Days since 0001-01-01 (`NaiveDate::num_days_from_ce`).
    pub day: Vec<i32>,
    /// Line value; negative for returns; `None` when the file has no amount.
    pub amount: Vec<Option<f64>>,
    /// Interned order id, when the file has one.
    pub order: Vec<Option<u32>>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// The reader pushes day numbers ([`Transactions::push_day`]); tests push dates.
    #[allow(dead_code)]
    pub(crate) fn push(
        &mut self,
        customer: u32,
        date: NaiveDate,
        amount: Option<f64>,
        order: Option<u32>,
    ) {
        let day = chrono::Datelike::num_days_from_ce(&date);
        self.push_day(customer, day, amount, order);
    }

    /// [`Transactions::push`] with the date as its day number.
    pub(crate) fn push_day(
        &mut self,
        customer: u32,
        day: i32,
        amount: Option<f64>,
        order: Option<u32>,
    ) {
        self.customer.push(customer);
        self.day.push(day);
        self.amount.push(amount);
        self.order.push(order);
    }

    /// Room for `additional` more rows, so that a large file is not copied
    /// over and over as its columns grow (and does not end in columns up to
    /// twice as long as needed).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.customer.reserve_exact(additional);
        self.day.reserve_exact(additional);
        self.amount.reserve_exact(additional);
        self.order.reserve_exact(additional);
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.customer.truncate(len);
        self.day.truncate(len);
        self.amount.truncate(len);
        self.order.truncate(len);
    }
}

/// Whether a transaction row is a purchase: returns (negative amounts) are not.
pub(crate) fn is_purchase(amount: Option<f64>) -> bool {
    amount.is_none_or(|a| a >= 0.0)
}

/// Chrono's day numbers (`NaiveDate::num_days_from_ce`) that chrono can
/// turn back into a date; the fast calendar below is exact within them.
const CALENDAR_DAYS: std::ops::RangeInclusive<i32> = -95_000_000..=95_000_000;

/// Year and zero-based month of day number `day` (days since 0001-01-01,
/// day 1 being that date), as `NaiveDate::from_num_days_from_ce_opt(day)`
/// would give them, without building the date: the analyses turn a day
/// into its month once per row. `None` where chrono has no such date.
/// (Howard Hinnant's `civil_from_days`.)
pub(crate) fn year_month0(day: i32) -> Option<(i32, u32)> {
    if !CALENDAR_DAYS.contains(&day) {
        return NaiveDate::from_num_days_from_ce_opt(day)
            .map(|d| (chrono::Datelike::year(&d), chrono::Datelike::month0(&d)));
    }
    // Days since 0000-03-01 (proleptic Gregorian).
    let z = i64::from(day) + 305;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month0 = if mp < 10 { mp + 2 } else { mp - 10 };
    let year = yoe + era * 400 + i64::from(month0 <= 1);
    Some((year as i32, month0 as u32))
}

/// `year * 12 + month0` of day number `day`; `None` where chrono has no date.
pub(crate) fn month_of_day(day: i32) -> Option<i32> {
    year_month0(day).map(|(y, m)| y * 12 + m as i32)
}

/// The transactions grouped by customer, computed once per analysis and
/// shared by every figure that looks at customers one by one (cohorts, the
/// base over time, lifecycle, purchase patterns, base figures, inferred
/// churn): a counting sort of the rows by customer id, no hashing and no
/// sort of the whole table.
#[derive(Debug, Clone, Default)]
pub struct CustomerIndex {
    /// Rows of the transactions it was built from.
    rows: usize,
    /// The first and last day of any row.
    day_range: Option<(i32, i32)>,
    /// Customer ids `0..customers` (the largest id in the rows, plus one).
    customers: usize,
    /// Customer `c`'s distinct purchase days (amount absent or >= 0),
    /// ascending: `days[day_start[c]..day_start[c + 1]]`.
    day_start: Vec<u32>,
    days: Vec<i32>,
    /// The purchase value of each of those days (rows without an amount
    /// count 0), parallel to `days`.
    day_totals: Vec<f64>,
    /// Net value per customer: purchases minus returns, finite amounts only.
    net_revenue: Vec<f64>,
    /// Whether any row has an amount.
    has_amounts: bool,
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
        let has_order_ids = tx.order.iter().any(Option::is_some);
        let mut class = vec![RETURN; n];
        let mut day = vec![0i32; n];
        let mut order = vec![0u32; if has_order_ids { n } else { 0 }];
        let mut amount = vec![0.0f64; n];
        let mut net_revenue = vec![0.0f64; customers];
        let mut any_plain = false;
        {
            let mut next = start.clone();
            for i in 0..n {
                let c = tx.customer[i] as usize;
                let at = next[c] as usize;
                next[c] += 1;
                day[at] = tx.day[i];
                if let Some(a) = tx.amount[i].filter(|a| a.is_finite()) {
                    amount[at] = a;
                    net_revenue[c] += a;
                }
                class[at] = match (is_purchase(tx.amount[i]), tx.order[i]) {
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
            rows: n,
            day_range: tx
                .day
                .iter()
                .min()
                .zip(tx.day.iter().max())
                .map(|(a, b)| (*a, *b)),
            customers,
            day_start: Vec::with_capacity(customers + 1),
            days: Vec::with_capacity(n),
            day_totals: Vec::with_capacity(n),
            net_revenue,
            has_amounts: tx.amount.iter().any(Option::is_some),
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
        for c in 0..customers {
            let rows = start[c] as usize..start[c + 1] as usize;
            let first = index.days.len();
            let mut last_any = i32::MIN;
            let mut with_order = false;
            for r in rows.clone() {
                last_any = last_any.max(day[r]);
                if class[r] != RETURN {
                    index.days.push(day[r]);
                    index.day_totals.push(amount[r]);
                    with_order |= class[r] == WITH_ORDER;
                }
            }
            if !index.days[first..].is_sorted() {
                // Stable, so one day's amounts add up in load order.
                by_day.clear();
                by_day.extend(
                    index.days[first..]
                        .iter()
                        .copied()
                        .zip(index.day_totals[first..].iter().copied()),
                );
                by_day.sort_by_key(|d| d.0);
                for (k, (d, v)) in by_day.iter().enumerate() {
                    index.days[first + k] = *d;
                    index.day_totals[first + k] = *v;
                }
            }
            let distinct = merge_equal_days(&mut index.days, &mut index.day_totals, first);
            let orders = if !with_order {
                distinct
            } else {
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
            };
            if mixed {
                plain.clear();
                plain.extend(rows.filter(|&r| class[r] == PLAIN).map(|r| day[r]));
                plain.sort_unstable();
                plain.dedup();
                if let PlainDays::Some { start, days } = &mut index.plain {
                    days.extend_from_slice(&plain);
                    start.push(days.len() as u32);
                }
            }
            index.day_start.push(index.days.len() as u32);
            index.orders.push(orders as u32);
            index.last_any.push(last_any);
        }
        index.days.shrink_to_fit();
        index.day_totals.shrink_to_fit();
        index
    }

    /// Every customer's purchase days with their values, as the CLV models
    /// read them (one grouping of the rows serves both).
    pub fn purchase_histories(&self) -> PurchaseHistories {
        let mut h = PurchaseHistories {
            has_amounts: self.has_amounts,
            first_day: self.day_range.map(|r| r.0),
            last_day: self.day_range.map(|r| r.1),
            days: self.days.clone(),
            totals: self.day_totals.clone(),
            offsets: vec![0],
            ..PurchaseHistories::default()
        };
        for c in 0..self.customers {
            let end = self.day_start[c + 1] as usize;
            if end > self.day_start[c] as usize {
                h.customers.push(c as u32);
                h.offsets.push(end);
                h.net_revenue.push(self.net_revenue[c]);
            }
        }
        h
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

/// Merges repeats in the sorted tail `days[from..]`, adding up their
/// `totals`; returns the tail's new length.
fn merge_equal_days(days: &mut Vec<i32>, totals: &mut Vec<f64>, from: usize) -> usize {
    let len = days.len();
    if len - from < 2 {
        return len - from;
    }
    let mut write = from + 1;
    for read in from + 1..len {
        if days[read] != days[write - 1] {
            days[write] = days[read];
            totals[write] = totals[read];
            write += 1;
        } else {
            totals[write - 1] += totals[read];
        }
    }
    days.truncate(write);
    totals.truncate(write);
    write - from
}

/// A likelihood-to-recommend answer, 0 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NpsScore(u8);

impl NpsScore {
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<&str> for NpsScore {
    type Error = ();

    /// Whole numbers 0-10 ("9", "9.0", " 10 "); anything else is refused.
    fn try_from(raw: &str) -> Result<Self, ()> {
        let value: f64 = raw.trim().replace(',', ".").parse().map_err(|_| ())?;
        if value.fract() == 0.0 && (0.0..=10.0).contains(&value) {
            Ok(NpsScore(value as u8))
        } else {
            Err(())
        }
    }
}

/// One survey answer. Scores the survey did not ask are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAnswer {
    pub customer: Option<u32>,
    pub date: Option<NaiveDate>,
    pub nps: Option<NpsScore>,
    /// On the survey's own scale (1-5 usually; detected by the survey analysis).
    pub csat: Option<f64>,
    pub ces: Option<f64>,
    pub comment: Option<String>,
    pub had_problem: Option<bool>,
}

/// One customer from a customers / churn file.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    /// `None` for files without an id column (survival data sets).
    pub customer: Option<u32>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub tenure_months: Option<f64>,
    /// From the churn flag, else from the status text, else from an end date.
    pub churned: Option<bool>,
    pub status: Option<String>,
    pub reason: Option<String>,
    pub category: Option<String>,
    pub value: Option<f64>,
    pub csat: Option<f64>,
    pub had_problem: Option<bool>,
}

/// One customer in the BTYD summary form (lifetimes' column names).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    pub customer: u32,
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    pub monetary_value: Option<f64>,
}

/// Everything loaded for one analysis: files joined on the customer id.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Vec<FileSummary>,
    pub transactions: Transactions,
    pub survey_answers: Vec<SurveyAnswer>,
    pub customer_records: Vec<CustomerRecord>,
    pub summaries: Vec<CustomerSummary>,
    pub customers: Interner,
    pub orders: Interner,
    /// Per loaded file (parallel to `files`): its distinct customer ids, sorted.
    pub file_customers: Vec<Vec<u32>>,
    /// Extra low-cardinality text columns (region, channel, plan...).
    pub segments: Segments,
    /// The transactions by customer, built by the first analysis and kept
    /// for reruns with other settings; dropped when a file is added.
    customer_index: OnceLock<CustomerIndex>,
    /// Results of the first analysis that a rerun with other settings can
    /// reuse; dropped when a file is added.
    report_cache: crate::cache::CacheSlot,
}

impl Dataset {
    /// The data within a date range (either end open), for the page's date
    /// filter: transactions and dated survey answers inside it (undated
    /// answers kept), customers whose time as a customer overlaps it. Files,
    /// ids and row accounting stay as read.
    pub fn within(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Dataset {
        use chrono::Datelike;
        let (lo, hi) = (
            from.map_or(i32::MIN, |d| d.num_days_from_ce()),
            to.map_or(i32::MAX, |d| d.num_days_from_ce()),
        );
        let inside = |d: NaiveDate| (lo..=hi).contains(&d.num_days_from_ce());
        let keep_tx: Vec<bool> = self
            .transactions
            .day
            .iter()
            .map(|d| (lo..=hi).contains(d))
            .collect();
        let keep_answers: Vec<bool> = self
            .survey_answers
            .iter()
            .map(|a| a.date.is_none_or(inside))
            .collect();
        let keep_records: Vec<bool> = self
            .customer_records
            .iter()
            .map(|r| {
                r.start.is_none_or(|s| s.num_days_from_ce() <= hi)
                    && r.end.is_none_or(|e| e.num_days_from_ce() >= lo)
            })
            .collect();
        let pick = |keep: &[bool], i: usize| keep.get(i).copied().unwrap_or(false);
        let mut transactions = Transactions::default();
        for i in (0..self.transactions.len()).filter(|&i| keep_tx[i]) {
            transactions.customer.push(self.transactions.customer[i]);
            transactions.day.push(self.transactions.day[i]);
            transactions.amount.push(self.transactions.amount[i]);
            transactions.order.push(self.transactions.order[i]);
        }
        let mut segments = self.segments.clone();
        for column in &mut segments.columns {
            let keep: &[bool] = match column.kind {
                RecordKind::Transactions => &keep_tx,
                RecordKind::SurveyAnswers => &keep_answers,
                RecordKind::Customers => &keep_records,
                RecordKind::Summary => continue,
            };
            column.rows = column
                .rows
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(keep, *i))
                .map(|(_, &c)| c)
                .collect();
        }
        Dataset {
            files: self.files.clone(),
            transactions,
            survey_answers: self
                .survey_answers
                .iter()
                .zip(&keep_answers)
                .filter(|(_, k)| **k)
                .map(|(a, _)| a.clone())
                .collect(),
            customer_records: self
                .customer_records
                .iter()
                .zip(&keep_records)
                .filter(|(_, k)| **k)
                .map(|(r, _)| r.clone())
                .collect(),
            summaries: self.summaries.clone(),
            customers: self.customers.clone(),
            orders: self.orders.clone(),
            file_customers: self.file_customers.clone(),
            segments,
            // Built on first use from the filtered transactions.
            customer_index: OnceLock::new(),
            report_cache: Default::default(),
        }
    }

    /// Rows held for one record kind.
    pub fn rows_of(&self, kind: RecordKind) -> usize {
        match kind {
            RecordKind::Transactions => self.transactions.len(),
            RecordKind::SurveyAnswers => self.survey_answers.len(),
            RecordKind::Customers => self.customer_records.len(),
            RecordKind::Summary => self.summaries.len(),
        }
    }

    /// [`CustomerIndex`] of the transactions, built once and shared by every
    /// analysis and every rerun. (Should the transactions have been changed
    /// other than by adding files, a fresh index is built.)
    pub fn customer_index(&self) -> Cow<'_, CustomerIndex> {
        let index = self
            .customer_index
            .get_or_init(|| CustomerIndex::build(&self.transactions));
        if index.rows == self.transactions.len() {
            Cow::Borrowed(index)
        } else {
            Cow::Owned(CustomerIndex::build(&self.transactions))
        }
    }

    /// The rerun cache of [`crate::report::analyse_timed`]; `None` when the
    /// dataset's contents changed since it was made (other than by adding
    /// files, which drops it).
    pub(crate) fn report_cache(&self) -> Option<&crate::cache::ReportCache> {
        let now = crate::cache::fingerprint(self);
        let cache = self
            .report_cache
            .0
            .get_or_init(|| crate::cache::ReportCache::new(now));
        (cache.fingerprint == now).then_some(cache)
    }

    /// Reads one exported file into the dataset. On error the dataset is left
    /// as it was, so the other files keep working.
    pub fn add_file(&mut self, file: &str, bytes: &[u8]) -> Result<&FileSummary, IngestError> {
        self.add_file_with(file, bytes, &ReadOptions::default(), &mut |_| {})
    }

    /// [`Dataset::add_file`] with the user's reading options, reporting
    /// progress every 65,536 rows and at the end.
    pub fn add_file_with(
        &mut self,
        file: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Result<&FileSummary, IngestError> {
        self.add_read(|dataset| ingest::read_file(dataset, file, bytes, options, progress))
    }

    /// [`Dataset::add_file_with`] of a file read in slices
    /// ([`ingest::ArrivingFile`]): its bytes, or the text decoded on arrival.
    pub fn add_content_with(
        &mut self,
        file: &str,
        content: &ingest::FileContent,
        options: &ReadOptions,
        progress: &mut dyn FnMut(ReadProgress),
    ) -> Result<&FileSummary, IngestError> {
        match content {
            ingest::FileContent::Bytes(bytes) => self.add_file_with(file, bytes, options, progress),
            ingest::FileContent::Text { text, encoding } => self.add_read(|dataset| {
                ingest::read_text(dataset, file, text, encoding, options, progress)
            }),
        }
    }

    /// Runs `read`, keeping its summary, or on failure removing the rows it
    /// added, so a bad file leaves the dataset as it was.
    fn add_read(
        &mut self,
        read: impl FnOnce(&mut Dataset) -> Result<FileSummary, IngestError>,
    ) -> Result<&FileSummary, IngestError> {
        self.customer_index = OnceLock::new();
        self.report_cache = Default::default();
        let before = (
            self.transactions.len(),
            self.survey_answers.len(),
            self.customer_records.len(),
            self.summaries.len(),
        );
        match read(self) {
            Ok(summary) => {
                self.files.push(summary);
                Ok(self.files.last().expect("just pushed"))
            }
            Err(e) => {
                self.transactions.truncate(before.0);
                self.survey_answers.truncate(before.1);
                self.customer_records.truncate(before.2);
                self.summaries.truncate(before.3);
                self.file_customers.truncate(self.files.len());
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn interned_ids_are_dense_first_seen_first_and_name_back() {
        let mut ids = Interner::default();
        let names = ["c1", "", "Иван", "c1", "c2", "", "c10", "c2"];
        let got: Vec<u32> = names.iter().map(|n| ids.intern(n)).collect();
        assert_eq!(got, [0, 1, 2, 0, 3, 1, 4, 3]);
        assert_eq!(ids.len(), 5);
        assert_eq!(
            (0..6).map(|i| ids.name(i)).collect::<Vec<_>>(),
            [
                Some("c1"),
                Some(""),
                Some("Иван"),
                Some("c2"),
                Some("c10"),
                None
            ]
        );
        // Names whose hashes collide still get ids of their own.
        let mut ids = Interner::default();
        ids.by_hash.insert(name_hash("a"), 0);
        ids.by_hash.insert(name_hash("b"), 0);
        ids.text.push('a');
        ids.ends.push(1);
        assert_eq!(
            (ids.intern("b"), ids.intern("b"), ids.intern("a")),
            (1, 1, 0)
        );
        assert_eq!(ids.name(1), Some("b"));
    }

    proptest::proptest! {
        /// Same id exactly for the same text, first seen first, text back.
        #[test]
        fn interning_is_a_bijection(names in proptest::collection::vec("[0-9]{0,3}|[0-9a]{1,3}", 0..60)) {
            let mut ids = Interner::default();
            let mut seen: Vec<&str> = Vec::new();
            for name in &names {
                let id = ids.intern(name);
                let expected = seen.iter().position(|s| s == name).unwrap_or_else(|| {
                    seen.push(name);
                    seen.len() - 1
                });
                proptest::prop_assert_eq!(id as usize, expected);
                proptest::prop_assert_eq!(ids.name(id), Some(name.as_str()));
            }
            proptest::prop_assert_eq!(ids.len(), seen.len());
        }
    }

    #[test]
    fn numbered_names_keep_their_text() {
        // Numbers and text mixed: "7", "007" and "7.0" are three customers,
        // as in the file; the largest 19-digit number and a 20-digit one too.
        let mut ids = Interner::default();
        let names = [
            "7",
            "007",
            "7.0",
            "0",
            "00",
            "9999999999999999999",
            "18446744073709551616",
            "7",
            "c7",
            "0",
            "9999999999999999999",
            "18446744073709551616",
            "-7",
        ];
        let got: Vec<u32> = names.iter().map(|n| ids.intern(n)).collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 5, 6, 0, 7, 3, 5, 6, 8]);
        let back: Vec<&str> = (0..ids.len() as u32).filter_map(|i| ids.name(i)).collect();
        assert_eq!(
            back,
            [
                "7",
                "007",
                "7.0",
                "0",
                "00",
                "9999999999999999999",
                "18446744073709551616",
                "c7",
                "-7"
            ]
        );
        assert_eq!(canonical_number("17850"), Some(17_850));
        assert_eq!(canonical_number(""), None);
        assert_eq!(canonical_number("1 000"), None);
    }

    #[test]
    fn fast_calendar_agrees_with_chrono() {
        let check = |day: i32| {
            let expected =
                NaiveDate::from_num_days_from_ce_opt(day).map(|d| (d.year(), d.month0()));
            assert_eq!(year_month0(day), expected, "day {day}");
        };
        // Every day from 1600 to 2400 (leap centuries), then a wide sweep
        // and the edges of chrono's range.
        for day in 583_700..876_600 {
            check(day);
        }
        for day in (-96_000_000..96_000_000).step_by(9_973) {
            check(day);
        }
        for edge in [
            i32::MIN,
            -95_000_001,
            -95_000_000,
            0,
            1,
            95_000_000,
            95_000_001,
            i32::MAX,
        ] {
            check(edge);
        }
    }
}
