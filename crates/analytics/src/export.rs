//! CSV text for the tables and segment exports the user downloads. Cells
//! that a spreadsheet would run as a formula (= + - @, tab, carriage
//! return first) get a leading apostrophe, so an exported customer id or
//! comment cannot execute in Excel (OWASP "CSV injection").

use std::borrow::Cow;

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
}
