//! The currency of the money figures: files in roubles and files in dollars
//! are not added up. The analysis is in one currency (the user's choice, or
//! that of the files holding the most rows); the amounts of files in another
//! are left out of revenue, CLV and revenue lost, and the Report says which.

use serde::{Deserialize, Serialize};

use crate::dataset::{Currency, Dataset, FileSummary};

/// One file's currency, as read or set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCurrency {
    pub file: String,
    pub currency: Currency,
}

/// The currency of the Report's money figures, when any file names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The currency every money figure is in.
    pub currency: Currency,
    /// Each file that names a currency (files that name none are taken to
    /// be in `currency`).
    pub files: Vec<FileCurrency>,
    /// Files in another currency: their amounts are not in any money figure
    /// (their customers and purchases still count everywhere else).
    pub left_out: Vec<String>,
    /// Their return rows, left out of the analysis (a return is only money).
    pub returns_left_out: u64,
}

impl Money {
    /// The currencies named by the files, each once, in load order: the
    /// choices a user has.
    pub fn currencies(&self) -> Vec<Currency> {
        let mut out: Vec<Currency> = Vec::new();
        for f in &self.files {
            if !out.contains(&f.currency) {
                out.push(f.currency);
            }
        }
        out
    }
}

/// The currency of the analysis: `chosen` when a file names it (a choice
/// kept from other files must not empty the money figures), else the one
/// whose files hold the most used rows (the first loaded on a tie); `None`
/// when no file names one.
pub(crate) fn currency_of_analysis(
    files: &[FileSummary],
    chosen: Option<Currency>,
) -> Option<Currency> {
    let named: Vec<(Currency, u64)> = files
        .iter()
        .filter_map(|f| f.currency.map(|c| (c, f.rows_used)))
        .collect();
    if named.is_empty() {
        return None;
    }
    chosen
        .filter(|c| named.iter().any(|(n, _)| n == c))
        .or_else(|| {
            let mut totals: Vec<(Currency, u64)> = Vec::new();
            for (c, rows) in named {
                match totals.iter_mut().find(|(t, _)| *t == c) {
                    Some((_, total)) => *total += rows,
                    None => totals.push((c, rows)),
                }
            }
            // `max_by_key` keeps the last of equals: reverse for the first loaded.
            totals
                .iter()
                .rev()
                .max_by_key(|(_, rows)| *rows)
                .map(|(c, _)| *c)
        })
}

/// The Report's [`Money`] for `dataset` in `currency`, with the dataset the
/// analysis reads (`None`: the dataset as it is, every amount in `currency`).
pub(crate) fn in_currency(dataset: &Dataset, currency: Currency) -> (Money, Option<Dataset>) {
    let files = dataset
        .files
        .iter()
        .filter_map(|f| {
            f.currency.map(|c| FileCurrency {
                file: f.file.clone(),
                currency: c,
            })
        })
        .collect();
    let (left_out, returns_left_out, view) = match dataset.money_in(currency) {
        Some((view, left)) => (left.files, left.returns, Some(view)),
        None => (Vec::new(), 0, None),
    };
    (
        Money {
            currency,
            files,
            left_out,
            returns_left_out,
        },
        view,
    )
}

impl Money {
    /// What was left out of the money figures, in one sentence ("Money
    /// figures are in RUB; not in them, being in another currency:
    /// us.csv (USD) ..."); `None` when nothing was. The page, the HTML
    /// report and the CLI say it so.
    pub fn describe_in(&self, locale: crate::display::Locale) -> Option<String> {
        use crate::display::Locale;
        if self.left_out.is_empty() {
            return None;
        }
        let code = self.currency.code();
        let files = self
            .left_out
            .iter()
            .map(|file| {
                let theirs = self.files.iter().find(|f| &f.file == file);
                match theirs {
                    Some(f) => format!("{file} ({})", f.currency.code()),
                    None => file.clone(),
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let returns = self.returns_left_out;
        Some(match locale {
            Locale::En => {
                let returns = match returns {
                    0 => String::new(),
                    1 => " Its 1 return is left out.".to_string(),
                    n => format!(" Their {n} returns are left out."),
                };
                format!("Money figures are in {code}. Revenue, CLV and revenue lost leave out the amounts of {files}, in another currency; their customers and purchases still count.{returns}")
            }
            Locale::Ru => {
                let returns = match returns {
                    0 => String::new(),
                    n => format!(" Возвраты в другой валюте не учтены: {n}."),
                };
                format!("Денежные показатели — в {code}. Выручка, CLV и потерянная выручка не включают суммы файлов в другой валюте: {files}; их клиенты и покупки учтены.{returns}")
            }
        })
    }
}
