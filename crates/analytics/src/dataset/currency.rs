//! Money in one currency: the files' amounts are kept as read, and an
//! analysis in one currency sees the amounts of files in another as unknown
//! (their purchases still count; their value does not).

use serde::{Deserialize, Serialize};

use super::{Dataset, RecordKind, Transactions};

/// A currency a file's amounts are in (named by a header, a value's sign
/// or code, or the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Currency {
    Rub,
    Usd,
    Eur,
    Gbp,
}

impl Currency {
    pub const ALL: [Currency; 4] = [Currency::Rub, Currency::Usd, Currency::Eur, Currency::Gbp];

    /// The ISO code: RUB, USD, EUR, GBP.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Rub => "RUB",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }

    /// The currency of an ISO code, in any case ("rub", "USD").
    pub fn of_code(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// What an analysis in one currency left out of its money figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Files whose amounts (purchases, customer values, spend) became unknown.
    pub files: Vec<String>,
    /// Their return rows: a return is nothing but money, so it leaves the
    /// analysis rather than turn into a purchase of unknown value.
    pub returns: u64,
}

impl Dataset {
    /// The dataset as an analysis in `currency` sees it: the amounts of every
    /// file that names another currency unknown (`None`), that file's return
    /// rows gone; files that name none are taken to be in `currency`. `None`
    /// when no file names another currency (nothing to change).
    pub fn money_in(&self, currency: Currency) -> Option<(Dataset, LeftOut)> {
        let other: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.files[i].currency.is_some_and(|c| c != currency))
            .collect();
        if other.is_empty() {
            return None;
        }
        let mut left_out = LeftOut::default();
        let mut out = self.clone();
        let mut keep_tx = vec![true; self.transactions.len()];
        for &i in &other {
            let file = &self.files[i];
            left_out.files.push(file.file.clone());
            let rows = file.held_rows.clone();
            match file.kind {
                RecordKind::Transactions => {
                    for row in rows.clone() {
                        let amount = self.transactions.amount.get(row);
                        if amount.is_some_and(|a| a < 0.0) {
                            keep_tx[row] = false;
                            left_out.returns += 1;
                        }
                    }
                    out.transactions.amount.clear_range(rows);
                }
                RecordKind::Customers => {
                    if let Some(records) = out.customer_records.get_mut(rows) {
                        records.iter_mut().for_each(|r| r.value = None);
                    }
                }
                RecordKind::Summary => {
                    if let Some(summaries) = out.summaries.get_mut(rows) {
                        summaries.iter_mut().for_each(|s| s.monetary_value = None);
                    }
                }
                RecordKind::SurveyAnswers => {}
            }
        }
        if left_out.returns > 0 {
            let transactions = out.transactions.select(&keep_tx);
            *out.transactions = transactions;
            out.segments.keep_rows(RecordKind::Transactions, &keep_tx);
        }
        out.drop_derived();
        Some((out, left_out))
    }
}

impl Transactions {
    /// The rows whose `keep` is true, in order.
    pub(crate) fn select(&self, keep: &[bool]) -> Transactions {
        let mut out = Transactions::default();
        let rows = (0..self.len()).filter(|&i| keep.get(i).copied().unwrap_or(false));
        for i in rows {
            out.push_day(
                self.customer[i],
                self.day[i],
                self.amount.at(i),
                self.order.at(i),
            );
        }
        out
    }
}
