//! CSV text for the tables and segment exports the user downloads. Cells
//! that a spreadsheet would run as a formula (= + - @, tab, carriage
//! return first) get a leading apostrophe, so an exported customer id or
//! comment cannot execute in Excel (OWASP "CSV injection").

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::display::Locale;

/// How a CSV file is written for the spreadsheet of the page's language.
/// Excel reads a UTF-8 file as UTF-8 only when it opens with a byte-order
/// mark, and a Russian Excel splits lines on ';' and reads '1,5' as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    pub separator: char,
    pub decimal_comma: bool,
}

impl CsvDialect {
    pub fn for_locale(locale: Locale) -> CsvDialect {
        match locale {
            Locale::En => CsvDialect {
                separator: ',',
                decimal_comma: false,
            },
            Locale::Ru => CsvDialect {
                separator: ';',
                decimal_comma: true,
            },
        }
    }
}

/// One CSV cell: neutralised against formula injection, quoted when needed
/// (on ',' or ';', so it reads the same in either dialect).
pub fn csv_cell(field: &str) -> Cow<'_, str> {
    csv_cell_with(field, &[',', ';'])
}

/// One cell of a `dialect` table: quoted only where its separator, a quote
/// or a line break would split it, so "0,25" stays a number for Excel.
fn csv_cell_in(field: &str, dialect: CsvDialect) -> Cow<'_, str> {
    csv_cell_with(field, &[dialect.separator])
}

fn csv_cell_with<'f>(field: &'f str, separators: &[char]) -> Cow<'f, str> {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // A negative number is data, not a formula: leave "-12.5" (or "-12,5"
    // with a decimal comma) as it is.
    let number = field.replacen(',', ".", 1).parse::<f64>().is_ok();
    let field: Cow<str> = if formula && !number {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    };
    let special = |c: char| separators.contains(&c) || matches!(c, '"' | '\n' | '\r');
    if field.contains(special) || field.starts_with(' ') || field.ends_with(' ') {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        field
    }
}

/// A whole table as `dialect` writes it: a byte-order mark, the header,
/// then one line per row.
pub fn csv_table<R, C>(header: &[&str], rows: R, dialect: CsvDialect) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::from('\u{feff}');
    let separator = dialect.separator.to_string();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        let cells: Vec<String> = cells
            .map(|c| csv_cell_in(&c, dialect).into_owned())
            .collect();
        out.push_str(&cells.join(&separator));
        out.push('\n');
    };
    line(&mut out, &mut header.iter().map(|h| h.to_string()));
    for row in rows {
        line(&mut out, &mut row.into_iter());
    }
    out
}

/// What a table cell sorts by: numbers as numbers (never their formatted
/// text), text without regard to case; empty cells ("–") always last.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Number(f64),
    Text(String),
    Empty,
}

impl SortKey {
    /// A number, or [`SortKey::Empty`] when absent or not finite.
    pub fn number(value: Option<f64>) -> SortKey {
        match value {
            Some(v) if v.is_finite() => SortKey::Number(v),
            _ => SortKey::Empty,
        }
    }

    pub fn text(value: impl Into<String>) -> SortKey {
        SortKey::Text(value.into())
    }

    /// The key as a CSV cell: numbers plain ('.' decimal, no grouping, full
    /// precision), text as it is, empty as nothing.
    pub fn csv_text(&self) -> String {
        self.csv_text_in(CsvDialect::for_locale(Locale::En))
    }

    /// [`SortKey::csv_text`] with `dialect`'s decimal mark.
    pub fn csv_text_in(&self, dialect: CsvDialect) -> String {
        match self {
            SortKey::Number(v) => Rounding::Full.csv_number(*v, dialect),
            SortKey::Text(t) => t.clone(),
            SortKey::Empty => String::new(),
        }
    }

    /// [`SortKey::csv_text_in`] with numbers rounded as `rounding` says.
    pub fn csv_rounded(&self, dialect: CsvDialect, rounding: Rounding) -> String {
        match self {
            SortKey::Number(v) => rounding.csv_number(*v, dialect),
            other => other.csv_text_in(dialect),
        }
    }
}

/// How far a number is rounded in a CSV cell: as the page shows it, so the
/// spreadsheet holds the figures on screen (the JSON report keeps full
/// precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Every digit (ids, counts, anything not rounded on screen).
    #[default]
    Full,
    /// A fixed number of decimals.
    Decimals(usize),
    /// A share shown as a percentage with one decimal: the fraction with
    /// three decimals (48.9% is 0.489).
    Percent,
    /// An amount as [`crate::display::money`] shows it: cents below 10,000,
    /// whole units from there on.
    Money,
}

impl Rounding {
    /// The decimals `value` is written with; `None`: every digit.
    fn decimals(self, value: f64) -> Option<usize> {
        match self {
            Rounding::Full => None,
            Rounding::Decimals(d) => Some(d),
            Rounding::Percent => Some(3),
            Rounding::Money if value.abs() >= 10_000.0 => Some(0),
            Rounding::Money => Some(2),
        }
    }

    /// `value` as a plain CSV number in `dialect`: no grouping, rounded.
    pub fn csv_number(self, value: f64, dialect: CsvDialect) -> String {
        if !value.is_finite() {
            return String::new();
        }
        let mut text = match self.decimals(value) {
            Some(d) => format!("{value:.d$}"),
            None => value.to_string(),
        };
        // "-0.0" is a rounded small negative number: zero.
        if text.starts_with('-') && text[1..].bytes().all(|b| matches!(b, b'0' | b'.')) {
            text.remove(0);
        }
        if dialect.decimal_comma {
            text = text.replace('.', ",");
        }
        text
    }
}

/// Ascending order of two non-empty keys: numbers before text.
fn ascending(a: &SortKey, b: &SortKey) -> Ordering {
    match (a, b) {
        (SortKey::Number(x), SortKey::Number(y)) => x.total_cmp(y),
        (SortKey::Text(x), SortKey::Text(y)) => x
            .to_lowercase()
            .cmp(&y.to_lowercase())
            .then_with(|| x.cmp(y)),
        (SortKey::Number(_), _) => Ordering::Less,
        (_, SortKey::Number(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// The row indices of `keys` sorted ascending or descending; stable (equal
/// keys keep their order) and with empty keys last either way.
pub fn sort_order(keys: &[SortKey], descending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&i, &j| match (&keys[i], &keys[j]) {
        (SortKey::Empty, SortKey::Empty) => Ordering::Equal,
        (SortKey::Empty, _) => Ordering::Greater,
        (_, SortKey::Empty) => Ordering::Less,
        (a, b) if descending => ascending(b, a),
        (a, b) => ascending(a, b),
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+7 900"), "'+7 900");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-12.5"), "-12.5");
        assert_eq!(csv_cell("C0001"), "C0001");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
    }

    #[test]
    fn tables_have_a_header_and_one_line_per_row() {
        let text = csv_table(
            &["id", "note"],
            vec![vec!["1".to_string(), "=1+1".to_string()]],
            CsvDialect::for_locale(Locale::En),
        );
        assert_eq!(text, "\u{feff}id,note\n1,'=1+1\n");
    }

    #[test]
    fn russian_tables_use_semicolons_and_decimal_commas() {
        let ru = CsvDialect::for_locale(Locale::Ru);
        let cell = SortKey::number(Some(0.25)).csv_text_in(ru);
        assert_eq!(cell, "0,25");
        let rows = vec![vec!["цена; дорого".to_string(), cell, "-0,5".to_string()]];
        let text = csv_table(&["Причина", "Доля", "Изменение"], rows, ru);
        // Only the cell holding the separator is quoted; "0,25" stays a
        // number, and "-0,5" is a negative number, not a formula.
        assert_eq!(
            text,
            "\u{feff}Причина;Доля;Изменение\n\"цена; дорого\";0,25;-0,5\n"
        );
    }

    #[test]
    fn numbers_sort_as_numbers_and_empty_cells_stay_last() {
        let keys = [
            SortKey::Number(10.0),
            SortKey::Empty,
            SortKey::Number(9.5),
            SortKey::Number(100.0),
            SortKey::Number(-3.0),
        ];
        // As text "10" < "100" < "9.5"; as numbers -3 < 9.5 < 10 < 100.
        assert_eq!(sort_order(&keys, false), vec![4, 2, 0, 3, 1]);
        assert_eq!(sort_order(&keys, true), vec![3, 0, 2, 4, 1]);
    }

    #[test]
    fn text_sorts_without_case_and_ties_keep_their_order() {
        let keys: Vec<SortKey> = ["beta", "Alpha", "alpha", "Gamma", "beta"]
            .into_iter()
            .map(SortKey::text)
            .collect();
        assert_eq!(sort_order(&keys, false), vec![1, 2, 0, 4, 3]);
        assert_eq!(sort_order(&keys, true), vec![3, 0, 4, 2, 1]);
        assert!(sort_order(&[], true).is_empty());
    }

    #[test]
    fn numbers_are_rounded_as_the_page_shows_them() {
        let en = CsvDialect::for_locale(Locale::En);
        let ru = CsvDialect::for_locale(Locale::Ru);
        let key = SortKey::number(Some(0.488_58));
        // The page shows 48.9%: the cell holds 0.489 (0,489 in Russian).
        assert_eq!(key.csv_rounded(en, Rounding::Percent), "0.489");
        assert_eq!(key.csv_rounded(ru, Rounding::Percent), "0,489");
        assert_eq!(key.csv_rounded(en, Rounding::Full), "0.48858");
        // Money: cents below 10,000, whole units above (as money() shows).
        assert_eq!(Rounding::Money.csv_number(1234.567, en), "1234.57");
        assert_eq!(Rounding::Money.csv_number(12345.678, ru), "12346");
        assert_eq!(Rounding::Decimals(1).csv_number(-12.26, ru), "-12,3");
        assert_eq!(Rounding::Decimals(1).csv_number(-0.04, en), "0.0");
        assert_eq!(Rounding::Decimals(0).csv_number(f64::NAN, en), "");
        assert_eq!(
            SortKey::text("a.b").csv_rounded(ru, Rounding::Percent),
            "a.b"
        );
    }

    #[test]
    fn keys_give_plain_csv_cells() {
        assert_eq!(SortKey::number(Some(1234.5)).csv_text(), "1234.5");
        assert_eq!(SortKey::number(Some(f64::NAN)), SortKey::Empty);
        assert_eq!(SortKey::number(None).csv_text(), "");
        assert_eq!(SortKey::text("=cmd").csv_text(), "=cmd");
    }
}
