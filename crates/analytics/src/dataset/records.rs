//! The rows of each record kind, as the analyses read them.

use chrono::NaiveDate;

use super::OptionalColumn;

/// Purchase and return lines, one entry per used row, in load order.
#[derive(Debug, Default, Clone)]
pub struct Transactions {
    /// Interned customer id.
    pub customer: Vec<u32>,
    /// Days since 0001-01-01 (`NaiveDate::num_days_from_ce`).
    pub day: Vec<i32>,
    /// Line value; negative for returns; `None` when the file has no amount.
    pub amount: OptionalColumn<f64>,
    /// Interned order id, when the file has one.
    pub order: OptionalColumn<u32>,
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

    /// Appends `other`'s rows, its customer and order ids through the maps
    /// (`other`'s id as index).
    pub(crate) fn append_mapped(
        &mut self,
        other: &Transactions,
        customers: &[u32],
        orders: &[u32],
    ) {
        self.customer
            .extend(other.customer.iter().map(|&c| customers[c as usize]));
        self.day.extend_from_slice(&other.day);
        self.amount.extend_mapped(&other.amount, |a| a);
        self.order
            .extend_mapped(&other.order, |o| orders[o as usize]);
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
