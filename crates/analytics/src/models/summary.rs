//! Per-customer purchase histories and the BTYD summary (frequency, recency,
//! T, monetary value) in the convention of lifetimes'
//! `summary_data_from_transaction_data` and `calibration_and_holdout_data`.
//!
//! A purchase is a transaction row whose amount is non-negative (or absent,
//! for files without amounts); returns never count as purchases. Purchases
//! are grouped by calendar day: a customer's "purchase periods" are the
//! distinct days with a purchase, whatever time unit the model uses. The time
//! unit only scales durations (CDNOW's published fits count days and measure
//! time in days / 7, which is lifetimes' `freq="D", freq_multiplier=7`).

use chrono::NaiveDate;
use std::borrow::Borrow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dataset::{CustomerIndex, CustomerSummary, Transactions};

/// The unit of recency, T and predicted time spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Day,
    /// 7 days, fractional: the unit of the published CDNOW fits.
    #[default]
    Week,
    /// 365.25 / 12 = 30.4375 days, fractional.
    Month,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 3] = [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month];

    /// Days in one unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.25 / 12.0,
        }
    }

    /// Units in one month of the CLV horizon. These are lifetimes' factors
    /// (`customer_lifetime_value(freq="D")` uses 30 days, `"W"` 4.345 weeks),
    /// kept so that CLV agrees with lifetimes to the digit.
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Day => 30.0,
            TimeUnit::Week => 4.345,
            TimeUnit::Month => 1.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
        }
    }

    /// "day", "week", "month" (also plural and Russian), for the CLI and UI.
    pub fn parse(text: &str) -> Option<TimeUnit> {
        match text.trim().to_lowercase().as_str() {
            "d" | "day" | "days" | "день" | "дни" | "дней" => Some(TimeUnit::Day),
            "w" | "week" | "weeks" | "неделя" | "недели" | "недель" => {
                Some(TimeUnit::Week)
            }
            "m" | "month" | "months" | "месяц" | "месяцы" | "месяцев" => {
                Some(TimeUnit::Month)
            }
            _ => None,
        }
    }
}

/// Every customer's distinct purchase days with the day's purchase value:
/// the customer index's own (shared, not copied: at 5M rows a copy held
/// 65 MB more for as long as the CLV analysis is kept), for the customers
/// with a purchase.
#[derive(Debug, Clone, Default)]
pub struct PurchaseHistories {
    /// Customers with at least one purchase, ascending id.
    pub customers: Vec<u32>,
    index: Arc<CustomerIndex>,
    /// Net value per customer (purchases minus returns), parallel to `customers`.
    pub net_revenue: Vec<f64>,
    /// Whether the rows carry amounts at all (else monetary values are absent).
    pub has_amounts: bool,
    /// First and last day of any used row, purchases and returns alike.
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
}

impl PurchaseHistories {
    /// Groups the rows by customer ([`CustomerIndex::build`]); with a
    /// dataset at hand, [`PurchaseHistories::of`] its cached
    /// `customer_index()` saves the grouping.
    pub fn from_transactions(tx: &Transactions) -> PurchaseHistories {
        PurchaseHistories::of(Arc::new(CustomerIndex::build(tx)))
    }

    /// Every customer's purchase days with their values, as the CLV models
    /// read them (one grouping of the rows serves both).
    pub fn of(index: Arc<CustomerIndex>) -> PurchaseHistories {
        let mut h = PurchaseHistories {
            has_amounts: index.has_amounts,
            first_day: index.day_range.map(|r| r.0),
            last_day: index.day_range.map(|r| r.1),
            ..PurchaseHistories::default()
        };
        for c in 0..index.customers {
            if !index.days(c).is_empty() {
                h.customers.push(c as u32);
                h.net_revenue.push(index.net_revenue[c]);
            }
        }
        h.index = index;
        h
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// The i-th customer's distinct purchase days (ascending) and day totals.
    pub fn purchases(&self, i: usize) -> (&[i32], &[f64]) {
        match self.customers.get(i) {
            Some(&c) => self.index.purchases(c as usize),
            None => (&[], &[]),
        }
    }

    /// Position of a customer id in `customers`.
    pub fn index_of(&self, customer: u32) -> Option<usize> {
        self.customers.binary_search(&customer).ok()
    }

    /// The summary of one customer over purchases up to and including
    /// `end_day`; `None` when the first purchase is after it.
    pub fn summary_of(&self, i: usize, end_day: i32, unit: TimeUnit) -> Option<CustomerSummary> {
        let (days, totals) = self.purchases(i);
        // Mostly the observation end is the data's last day: every day counts.
        let until = match days.last() {
            Some(&last) if last <= end_day => days.len(),
            _ => days.partition_point(|&d| d <= end_day),
        };
        let first = *days.first()?;
        if until == 0 {
            return None;
        }
        let last = days[until - 1];
        let repeats = until - 1;
        let monetary_value = self.has_amounts.then(|| {
            if repeats == 0 {
                0.0
            } else {
                totals[1..until].iter().sum::<f64>() / repeats as f64
            }
        });
        Some(CustomerSummary {
            customer: self.customers[i],
            frequency: repeats as f64,
            recency: f64::from(last - first) / unit.days(),
            t: f64::from(end_day - first) / unit.days(),
            monetary_value,
        })
    }

    /// Summaries of every customer whose first purchase is on or before `end_day`.
    pub fn summaries(&self, end_day: i32, unit: TimeUnit) -> Vec<CustomerSummary> {
        // At most one a customer, allocated once: grown by doubling, 200k
        // of them passed through 18 MB (a 6 and a 12 MB block) on the way.
        let mut rows = Vec::with_capacity(self.len());
        rows.extend((0..self.len()).filter_map(|i| self.summary_of(i, end_day, unit)));
        rows
    }
}

/// Days since 0001-01-01, the dataset's day numbers.
pub fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

/// The date of a day number.
pub fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// lifetimes' `summary_data_from_transaction_data`: per customer with a
/// purchase on or before the observation end (default: the last day of the
/// data), over the purchases up to it.
pub fn summary_from_transactions(
    tx: &Transactions,
    observation_end: Option<NaiveDate>,
    unit: TimeUnit,
) -> Vec<CustomerSummary> {
    let h = PurchaseHistories::from_transactions(tx);
    match observation_end.map(day_number).or(h.last_day) {
        Some(end) => h.summaries(end, unit),
        None => Vec::new(),
    }
}

/// lifetimes' `calibration_and_holdout_data`: the calibration summary up to
/// the split date and, per calibration customer, the purchases (distinct
/// days) after it up to the observation end.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationHoldout {
    pub calibration: Vec<CustomerSummary>,
    /// Parallel to `calibration`.
    pub holdout_purchases: Vec<u32>,
    /// Holdout value per customer (sum of purchases), parallel; `None` without amounts.
    pub holdout_value: Vec<Option<f64>>,
    /// Length of the holdout period in units.
    pub holdout_length: f64,
    pub calibration_end: i32,
    pub observation_end: i32,
}

impl PurchaseHistories {
    /// The calibration/holdout split at `calibration_end` (inclusive in the
    /// calibration), holdout up to `observation_end` (inclusive).
    pub fn calibration_holdout(
        &self,
        calibration_end: i32,
        observation_end: i32,
        unit: TimeUnit,
    ) -> CalibrationHoldout {
        let mut out = CalibrationHoldout {
            calibration: Vec::new(),
            holdout_purchases: Vec::new(),
            holdout_value: Vec::new(),
            holdout_length: f64::from(observation_end - calibration_end).max(0.0) / unit.days(),
            calibration_end,
            observation_end,
        };
        for i in 0..self.len() {
            let Some(summary) = self.summary_of(i, calibration_end, unit) else {
                continue;
            };
            let (days, totals) = self.purchases(i);
            let from = days.partition_point(|&d| d <= calibration_end);
            let to = days.partition_point(|&d| d <= observation_end);
            let span = from..to.max(from);
            out.calibration.push(summary);
            out.holdout_purchases.push(span.len() as u32);
            out.holdout_value
                .push(self.has_amounts.then(|| totals[span].iter().sum()));
        }
        out
    }
}

/// Summaries that the models cannot use, counted by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRejections {
    /// Frequency negative, fractional or not finite.
    pub bad_frequency: u64,
    /// Recency or T negative or not finite, or recency > T.
    pub bad_times: u64,
    /// Frequency 0 with a recency above 0 (lifetimes refuses these too).
    pub inconsistent: u64,
}

impl SummaryRejections {
    pub fn total(&self) -> u64 {
        self.bad_frequency + self.bad_times + self.inconsistent
    }
}

/// Why a summary row cannot be used ([`usable_summaries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    BadFrequency,
    BadTimes,
    Inconsistent,
}

/// Whether the models can use `s`, made as they use it (recency at most T,
/// a monetary value only when finite): the rule of [`usable_summaries`],
/// one row at a time.
pub fn usable(s: &mut CustomerSummary) -> Result<(), Unusable> {
    let x = s.frequency;
    if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0) {
        Err(Unusable::BadFrequency)
    } else if !(s.recency.is_finite()
        && s.t.is_finite()
        && s.recency >= 0.0
        && s.recency <= s.t * (1.0 + 1e-9))
    {
        Err(Unusable::BadTimes)
    } else if x == 0.0 && s.recency > 0.0 {
        Err(Unusable::Inconsistent)
    } else {
        s.recency = s.recency.min(s.t);
        s.monetary_value = s.monetary_value.filter(|m| m.is_finite());
        Ok(())
    }
}

/// Keeps the summary rows the models can use: whole non-negative frequency,
/// 0 ≤ recency ≤ T (with a 1e-9 relative slack for rounding in exports),
/// recency 0 when frequency is 0.
///
/// Filtered in place: at a million customers a copy beside the rows would
/// be 46 MB more while the models are fitted.
pub fn usable_summaries(
    mut rows: Vec<CustomerSummary>,
) -> (Vec<CustomerSummary>, SummaryRejections) {
    let mut rejected = SummaryRejections::default();
    rows.retain_mut(|s| match usable(s) {
        Ok(()) => true,
        Err(Unusable::BadFrequency) => {
            rejected.bad_frequency += 1;
            false
        }
        Err(Unusable::BadTimes) => {
            rejected.bad_times += 1;
            false
        }
        Err(Unusable::Inconsistent) => {
            rejected.inconsistent += 1;
            false
        }
    });
    rows.shrink_to_fit();
    (rows, rejected)
}

/// [`Triples::by_x_and_t`]: the triples' indices by (x, T), cut into runs
/// of equal (x, T).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByXAndT {
    order: Vec<usize>,
    runs: Vec<std::ops::Range<usize>>,
}

impl ByXAndT {
    /// Each run of equal (x, T): the indices of its triples, in index order.
    pub fn groups(&self) -> impl Iterator<Item = &[usize]> {
        self.runs.iter().map(|r| &self.order[r.clone()])
    }

    /// Every index, by (x, T, tₓ) (`t_x` the triples' tₓ): each run
    /// sorted by tₓ, ties by index as in a stable sort. Distinct triples
    /// differ in tₓ within a run, so this is the order of sorting them all
    /// by the three keys, for the cost of sorting the runs.
    pub fn by_t_x_within(mut self, t_x: &[f64]) -> Vec<usize> {
        for run in &self.runs {
            self.order[run.clone()].sort_unstable_by_key(|&k| (total_order_key(t_x[k]), k));
        }
        self.order
    }
}

/// An integer in f64::total_cmp's order (−0 before 0, NaN last): sorting
/// by it compares integers instead of floats behind an index.
pub(crate) fn total_order_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// Customers with the same (frequency, recency, T) share every BG/NBD
/// quantity, so the likelihood and the predictions are computed once per
/// distinct triple with its count as weight (lifetimes does the same).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triples {
    pub x: Vec<f64>,
    pub t_x: Vec<f64>,
    pub t: Vec<f64>,
    pub weight: Vec<f64>,
    /// For each input row, the index of its triple.
    pub of_row: Vec<u32>,
}

impl Triples {
    /// The distinct histories of `rows` (held summaries, or summaries read
    /// as they come: nothing here needs them twice).
    pub fn new<S: Borrow<CustomerSummary>>(rows: impl IntoIterator<Item = S>) -> Triples {
        // Distinct (x, tₓ, T) by their bits (as `FloatKey`s compare), first
        // met first, found through an open-addressing table of triple
        // numbers hashed and compared through the triples' own columns: 4
        // bytes a slot, at most half full. A map of the keys took 32 bytes
        // a slot and, as it grew, held the old table beside the new (12 MB
        // at 200k customers, 48 MB at 1M); std offers no table of bare
        // numbers hashed and compared through other data.
        let rows = rows.into_iter();
        let expected = rows.size_hint().1.unwrap_or(rows.size_hint().0);
        let mut table = TripleTable::with_room_for(expected);
        let mut out = Triples {
            of_row: Vec::with_capacity(expected),
            ..Triples::default()
        };
        for s in rows {
            let s = s.borrow();
            let key = (s.frequency.to_bits(), s.recency.to_bits(), s.t.to_bits());
            let triple = table.find_or_add(key, &mut out);
            out.of_row.push(triple);
        }
        // The columns grew by doubling: spare capacity would be held for
        // as long as the analysis is.
        out.weight = vec![0.0; out.x.len()];
        for &k in &out.of_row {
            out.weight[k as usize] += 1.0;
        }
        out.x.shrink_to_fit();
        out.t_x.shrink_to_fit();
        out.t.shrink_to_fit();
        out.of_row.shrink_to_fit();
        out
    }

    /// The triples' indices ordered by (x, T), and the runs of that order
    /// with equal (x, T): the predictions share what depends on (x, T)
    /// alone (E[Y | alive], Pareto/NBD's integral at T).
    pub fn by_x_and_t(&self) -> ByXAndT {
        // Sorted with the index beside the keys: no indirection in the
        // comparisons (a third of the time).
        let n = self.len();
        let mut keyed: Vec<(i64, i64, usize)> = (0..n)
            .map(|k| (total_order_key(self.x[k]), total_order_key(self.t[k]), k))
            .collect();
        keyed.sort_unstable();
        let mut runs = Vec::new();
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && keyed[end].0 == keyed[start].0 && keyed[end].1 == keyed[start].1 {
                end += 1;
            }
            runs.push(start..end);
            start = end;
        }
        ByXAndT {
            order: keyed.into_iter().map(|(_, _, k)| k).collect(),
            runs,
        }
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}

/// [`Triples::new`]'s open-addressing table: triple numbers, found by
/// the bits of (x, tₓ, T) as the triples' columns hold them.
struct TripleTable {
    slots: Vec<u32>,
}

impl TripleTable {
    const EMPTY: u32 = u32::MAX;

    fn with_room_for(triples: usize) -> TripleTable {
        TripleTable {
            slots: vec![Self::EMPTY; (triples * 2).next_power_of_two().max(16)],
        }
    }

    fn slot_of(&self, key: (u64, u64, u64)) -> usize {
        let mix = crate::float_key::mix_bits;
        let hash = mix(key.0) ^ mix(key.1).rotate_left(21) ^ mix(key.2).rotate_left(42);
        hash as usize & (self.slots.len() - 1)
    }

    /// The number of the triple with these bits, added to `triples` when new.
    fn find_or_add(&mut self, key: (u64, u64, u64), triples: &mut Triples) -> u32 {
        let bits_of =
            |t: &Triples, k: usize| (t.x[k].to_bits(), t.t_x[k].to_bits(), t.t[k].to_bits());
        let mask = self.slots.len() - 1;
        let mut at = self.slot_of(key);
        loop {
            match self.slots[at] {
                Self::EMPTY => break,
                k if bits_of(triples, k as usize) == key => return k,
                _ => at = (at + 1) & mask,
            }
        }
        let k = triples.x.len() as u32;
        triples.x.push(f64::from_bits(key.0));
        triples.t_x.push(f64::from_bits(key.1));
        triples.t.push(f64::from_bits(key.2));
        self.slots[at] = k;
        // At most half full (more rows came than the iterator told): twice
        // the slots, every triple placed again.
        if triples.x.len() * 2 > self.slots.len() {
            *self = TripleTable::with_room_for(triples.x.len());
            for k in 0..triples.x.len() {
                let mut at = self.slot_of(bits_of(triples, k));
                while self.slots[at] != Self::EMPTY {
                    at = (at + 1) & (self.slots.len() - 1);
                }
                self.slots[at] = k as u32;
            }
        }
        k
    }
}

/// Calendar month (year·12 + month − 1) of every day in a range, computed
/// once: a calendar conversion per purchase day would cost more than the
/// analyses that need the months.
#[derive(Debug, Clone)]
pub struct MonthOfDay {
    first: i32,
    months: Vec<i64>,
}

impl MonthOfDay {
    /// The table for days `first..=last` (empty when last < first).
    pub fn new(first: i32, last: i32) -> MonthOfDay {
        let span = (i64::from(last) - i64::from(first) + 1).clamp(0, 1 << 20) as usize;
        MonthOfDay {
            first,
            months: (0..span).map(|k| Self::compute(first + k as i32)).collect(),
        }
    }

    fn compute(day: i32) -> i64 {
        date_of(day).map_or(0, |d| {
            i64::from(chrono::Datelike::year(&d)) * 12 + i64::from(chrono::Datelike::month0(&d))
        })
    }

    pub fn get(&self, day: i32) -> i64 {
        usize::try_from(i64::from(day) - i64::from(self.first))
            .ok()
            .and_then(|k| self.months.get(k).copied())
            .unwrap_or_else(|| Self::compute(day))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// One summary per (x, tₓ, T) of indices into `values`.
    fn summaries_of(values: &[f64], picks: &[(usize, usize, usize)]) -> Vec<CustomerSummary> {
        picks
            .iter()
            .enumerate()
            .map(|(i, &(x, t_x, t))| CustomerSummary {
                customer: i as u32,
                frequency: values[x],
                recency: values[t_x],
                t: values[t],
                monetary_value: None,
            })
            .collect()
    }

    proptest::proptest! {
        /// The distinct triples are those a map of the values' bits finds,
        /// in the order first met, each row pointing at its own and the
        /// weights counting the rows (few values, so triples repeat; −0 is
        /// not 0 and NaN is itself, as `FloatKey`s compare).
        #[test]
        fn triples_are_the_distinct_bits_first_met_first(
            rows in proptest::collection::vec(
                (0usize..6, 0usize..6, 0usize..6),
                0..400,
            )
        ) {
            let values = [0.0, -0.0, 1.5, f64::NAN, 2.0, 1e300];
            let rows = summaries_of(&values, &rows);
            let triples = Triples::new(&rows);
            let mut expected: Vec<(u64, u64, u64)> = Vec::new();
            let mut expected_of_row = Vec::new();
            for r in &rows {
                let key = (r.frequency.to_bits(), r.recency.to_bits(), r.t.to_bits());
                let k = expected.iter().position(|&e| e == key).unwrap_or_else(|| {
                    expected.push(key);
                    expected.len() - 1
                });
                expected_of_row.push(k as u32);
            }
            let bits = |t: &Triples| -> Vec<(u64, u64, u64)> {
                (0..t.len())
                    .map(|k| (t.x[k].to_bits(), t.t_x[k].to_bits(), t.t[k].to_bits()))
                    .collect()
            };
            proptest::prop_assert_eq!(bits(&triples), expected);
            proptest::prop_assert_eq!(&triples.of_row, &expected_of_row);
            for (k, w) in triples.weight.iter().enumerate() {
                let n = expected_of_row.iter().filter(|&&o| o as usize == k).count();
                proptest::prop_assert_eq!(*w, n as f64);
            }
            // Rows from an iterator that does not tell how many: the table
            // starts at 16 slots and is rebuilt as it fills.
            let mut unsized_rows = rows.iter();
            let unsized_rows = std::iter::from_fn(|| unsized_rows.next());
            let again = Triples::new(unsized_rows);
            proptest::prop_assert_eq!(bits(&again), bits(&triples));
            proptest::prop_assert_eq!(&again.of_row, &triples.of_row);
            proptest::prop_assert_eq!(&again.weight, &triples.weight);
        }
    }

    proptest::proptest! {
        /// [`ByXAndT::by_t_x_within`] is the order of a plain sort of the
        /// distinct triples by (x, T, tₓ) in f64::total_cmp's order (few
        /// values, so runs of equal (x, T) are long; −0, NaN and infinities
        /// among them).
        #[test]
        fn runs_sorted_by_t_x_are_the_full_sort(
            rows in proptest::collection::vec((0usize..5, 0usize..7, 0usize..5), 0..300)
        ) {
            let values = [-0.0, 0.0, 1.5, f64::NAN, 2.0, f64::INFINITY, 7.0];
            let rows = summaries_of(&values, &rows);
            let triples = Triples::new(&rows);
            let mut expected: Vec<usize> = (0..triples.len()).collect();
            expected.sort_by(|&a, &b| {
                triples.x[a].total_cmp(&triples.x[b])
                    .then(triples.t[a].total_cmp(&triples.t[b]))
                    .then(triples.t_x[a].total_cmp(&triples.t_x[b]))
            });
            let order = triples.by_x_and_t().by_t_x_within(&triples.t_x);
            proptest::prop_assert_eq!(order, expected);
        }
    }

    /// The runs of [`Triples::by_x_and_t`] are the groups of equal (x, T) in
    /// f64::total_cmp's order (−0 before 0), each in index order.
    #[test]
    fn runs_of_equal_x_and_t() {
        let triples = Triples {
            x: vec![2.0, 0.0, 2.0, 1.0, 0.0, 2.0, 1.0, -0.0],
            t_x: vec![5.0, 0.0, 3.0, 1.0, 0.0, 4.0, 2.0, 0.0],
            t: vec![10.0, 9.0, 10.0, 10.0, 0.5, 10.0, 9.5, 9.0],
            weight: vec![1.0; 8],
            of_row: vec![],
        };
        let by_x_and_t = triples.by_x_and_t();
        let groups: Vec<&[usize]> = by_x_and_t.groups().collect();
        assert_eq!(groups, [&[7][..], &[4], &[1], &[6], &[3], &[0, 2, 5]]);
    }

    #[test]
    fn total_order_key_orders_as_total_cmp() {
        let values = [
            f64::NEG_INFINITY,
            -3.5,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            0.5,
            2.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in values {
            for b in values {
                assert_eq!(
                    total_order_key(a).cmp(&total_order_key(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }
}
