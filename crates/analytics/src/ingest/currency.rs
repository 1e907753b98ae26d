//! The currency a file's amounts are in, when its money columns say so
//! ("Сумма, руб.", "Total (USD)", "Price €"): files in different currencies
//! must not be read as one revenue without a word.

use serde::{Deserialize, Serialize};

use super::roles::header_words;
use crate::dataset::{FileSummary, Role};

/// A currency named in a money column's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    Rub,
    Usd,
    Eur,
    Gbp,
}

impl Currency {
    /// The ISO code: RUB, USD, EUR, GBP.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Rub => "RUB",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }

    /// The currency one word or sign of a header names.
    fn of_word(word: &str) -> Option<Currency> {
        Some(match word {
            "руб" | "рубль" | "рубли" | "рублей" | "rub" | "rur" | "₽" => {
                Currency::Rub
            }
            "usd" | "долл" | "доллар" | "долларов" | "dollar" | "dollars" | "$" => {
                Currency::Usd
            }
            "eur" | "евро" | "euro" | "euros" | "€" => Currency::Eur,
            "gbp" | "£" | "pound" | "pounds" => Currency::Gbp,
            _ => return None,
        })
    }

    /// The currency a header names, in its words or by a sign ("$", "€").
    pub fn of_header(header: &str) -> Option<Currency> {
        let signs = header
            .chars()
            .filter(|c| matches!(c, '₽' | '$' | '€' | '£'))
            .filter_map(|c| Currency::of_word(c.encode_utf8(&mut [0; 4])));
        header_words(header)
            .iter()
            .filter_map(|w| Currency::of_word(w.trim_end_matches('.')))
            .chain(signs)
            .next()
    }
}

/// Columns whose values are money.
const MONEY: [Role; 5] = [
    Role::Amount,
    Role::UnitPrice,
    Role::Value,
    Role::TotalSpend,
    Role::MonetaryValue,
];

impl FileSummary {
    /// The currency the file's money columns name, when one does.
    pub fn currency(&self) -> Option<Currency> {
        self.columns
            .iter()
            .filter(|c| c.role.is_some_and(|r| MONEY.contains(&r)))
            .find_map(|c| Currency::of_header(&c.name))
    }
}

/// Files whose money columns name different currencies: (file, currency),
/// every such file, when there are two currencies or more; empty otherwise.
pub fn mixed_currencies(files: &[FileSummary]) -> Vec<(String, Currency)> {
    let named: Vec<(String, Currency)> = files
        .iter()
        .filter_map(|f| f.currency().map(|c| (f.file.clone(), c)))
        .collect();
    let first = named.first().map(|(_, c)| *c);
    if named.iter().all(|(_, c)| Some(*c) == first) {
        return Vec::new();
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_their_currency() {
        assert_eq!(Currency::of_header("Сумма, руб."), Some(Currency::Rub));
        assert_eq!(Currency::of_header("Цена, руб"), Some(Currency::Rub));
        assert_eq!(Currency::of_header("Total (USD)"), Some(Currency::Usd));
        assert_eq!(Currency::of_header("Amount $"), Some(Currency::Usd));
        assert_eq!(Currency::of_header("price_eur"), Some(Currency::Eur));
        assert_eq!(Currency::of_header("Выручка, €"), Some(Currency::Eur));
        assert_eq!(Currency::of_header("Amount"), None);
        assert_eq!(Currency::of_header("Revenue"), None);
        // A word that merely contains a code is not one.
        assert_eq!(Currency::of_header("Europe sales"), None);
    }
}
