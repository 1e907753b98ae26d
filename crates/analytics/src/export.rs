//! CSV text for the tables and segment exports the user downloads. Cells
//! that a spreadsheet would run as a formula (= + - @, tab, carriage
//! return first) get a leading apostrophe, so an exported customer id or
//! comment cannot execute in Excel (OWASP "CSV injection").

use std::borrow::Cow;
use std::cmp::Ordering;

/// One CSV cell: neutralised against formula injection, quoted when needed.
pub fn csv_cell(field: &str) -> Cow<'_, str> {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // A negative number is data, not a formula: leave "-12.5" as it is.
    let number = field.parse::<f64>().is_ok();
    let field: Cow<str> = if formula && !number {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    };
    if field.contains([',', ';', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ')
    {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        field
    }
}

/// A whole table: the header, then one line per row.
pub fn csv_table<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        let cells: Vec<String> = cells.map(|c| csv_cell(&c).into_owned()).collect();
        out.push_str(&cells.join(","));
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
        match self {
            SortKey::Number(v) => v.to_string(),
            SortKey::Text(t) => t.clone(),
            SortKey::Empty => String::new(),
        }
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
        );
        assert_eq!(text, "id,note\n1,'=1+1\n");
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
    fn keys_give_plain_csv_cells() {
        assert_eq!(SortKey::number(Some(1234.5)).csv_text(), "1234.5");
        assert_eq!(SortKey::number(Some(f64::NAN)), SortKey::Empty);
        assert_eq!(SortKey::number(None).csv_text(), "");
        assert_eq!(SortKey::text("=cmd").csv_text(), "=cmd");
    }
}
