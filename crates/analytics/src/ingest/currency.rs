//! The currency a file's amounts are in, when its money columns say so
//! ("Сумма, руб.", "Total (USD)", "Price €"): files in different currencies
//! must not be read as one revenue without a word.

use super::roles::header_words;
pub use crate::dataset::Currency;
use crate::dataset::{ColumnInfo, Role};

impl Currency {
    /// The currency one word or sign of a header names.
    fn of_word(word: &str) -> Option<Currency> {
        Some(match word {
            "руб" | "р" | "рубль" | "рубли" | "рублей" | "рублях" | "rub" | "rur" | "₽" => {
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

/// The currency a file's money columns name: in a header, else in the
/// values of the first rows ("1 200 руб.", "$12.50").
pub(crate) fn currency_of(columns: &[ColumnInfo], preview: &[Vec<String>]) -> Option<Currency> {
    let money: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].role.is_some_and(|r| MONEY.contains(&r)))
        .collect();
    money
        .iter()
        .find_map(|&i| Currency::of_header(&columns[i].name))
        .or_else(|| {
            preview
                .iter()
                .flat_map(|row| money.iter().filter_map(|&i| row.get(i)))
                .find_map(|cell| Currency::of_header(cell))
        })
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
        // Values name theirs the same way.
        assert_eq!(Currency::of_header("1 200,50 руб."), Some(Currency::Rub));
        assert_eq!(Currency::of_header("$12.50"), Some(Currency::Usd));
        assert_eq!(Currency::of_header("12,50 €"), Some(Currency::Eur));
        assert_eq!(Currency::of_header("1200.5"), None);
    }
}
