//! Axis tick text in the chart's language. English is exactly what the
//! charts always drew (so English SVGs do not change); Russian follows the
//! page: a decimal comma, no-break spaces between thousands and before "%".

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;

use crate::display::Locale;

/// plotters' own text for a tick of an `f64` axis, in `locale`'s style.
pub(crate) fn plain(value: &f64, locale: Locale) -> String {
    let text = RangedCoordf64::format(value);
    match locale {
        Locale::En => text,
        Locale::Ru => russian_number(&text),
    }
}

/// A share in [0, 1] as a whole percentage: "50%" / "50 %".
pub(crate) fn whole_percent(share: f64, locale: Locale) -> String {
    whole_points(share * 100.0, locale)
}

/// Percentage points as a whole percentage: 49.6 -> "50%" / "50 %".
pub(crate) fn whole_points(points: f64, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{points:.0}%"),
        Locale::Ru => format!("{points:.0}\u{a0}%"),
    }
}

/// "-12345.5" -> "-12 345,5": digits grouped by three with no-break spaces,
/// the decimal point a comma.
fn russian_number(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if !int_part.bytes().all(|b| b.is_ascii_digit()) {
        // Not a plain number (plotters never gives one): leave it as it is.
        return text.to_string();
    }
    let mut out = String::from(sign);
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_ticks_use_a_decimal_comma_and_grouped_thousands() {
        assert_eq!(russian_number("0.25"), "0,25");
        assert_eq!(russian_number("12345.5"), "12\u{a0}345,5");
        assert_eq!(russian_number("-1000"), "-1\u{a0}000");
        assert_eq!(russian_number("999"), "999");
        assert_eq!(whole_percent(0.5, Locale::Ru), "50\u{a0}%");
        assert_eq!(whole_percent(0.5, Locale::En), "50%");
    }

    #[test]
    fn english_ticks_are_plotters_own() {
        for v in [0.0, 0.2, 1.5, 40.0, 1234.0] {
            assert_eq!(plain(&v, Locale::En), RangedCoordf64::format(&v));
        }
    }
}
