//! Numbers as people read them on the dashboard: grouped thousands, fixed
//! decimals, shares as percentages, in English or Russian style.

/// The reader's language: how numbers are written, "2,500,315.63"
/// (English) or "2 500 315,63" (Russian, with no-break spaces so a number
/// never wraps), and which words the charts draw (see [`crate::chart`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    fn separators(self) -> (char, char) {
        match self {
            Locale::En => (',', '.'),
            Locale::Ru => ('\u{a0}', ','),
        }
    }
}

/// `2500315.634` with 2 decimals -> "2,500,315.63"; negative values keep a minus.
pub fn grouped(value: f64, decimals: usize) -> String {
    grouped_in(value, decimals, Locale::En)
}

/// [`grouped`] in a locale: Russian groups with no-break spaces and a comma.
pub fn grouped_in(value: f64, decimals: usize, locale: Locale) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let (thousands, decimal) = locale.separators();
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(text.len() + int_part.len() / 3 + 1);
    if value < 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.push('-');
    }
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(digit);
    }
    if let Some(frac) = frac_part {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// A share in [0, 1] as a percentage with one decimal, in a locale.
pub fn percent_in(share: f64, locale: Locale) -> String {
    let number = grouped_in(share * 100.0, 1, locale);
    match locale {
        Locale::En => format!("{number}%"),
        // Russian typography puts a (no-break) space before the sign.
        Locale::Ru => format!("{number}\u{a0}%"),
    }
}

/// [`money`] in a locale.
pub fn money_in(value: f64, locale: Locale) -> String {
    grouped_in(value, if value.abs() >= 10_000.0 { 0 } else { 2 }, locale)
}

/// A share in [0, 1] as a percentage with one decimal: 0.48858 -> "48.9%".
pub fn percent(share: f64) -> String {
    format!("{}%", grouped(share * 100.0, 1))
}

/// An amount for a card: cents while they matter, whole units from 10,000 on.
pub fn money(value: f64) -> String {
    grouped(value, if value.abs() >= 10_000.0 { 0 } else { 2 })
}

/// An axis tick: 400000 -> "400k", 1250000 -> "1.25M", 12 -> "12".
pub fn compact(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, "B")
    } else if magnitude >= 1e6 {
        (value / 1e6, "M")
    } else if magnitude >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// [`compact`] in a locale: Russian writes "400 тыс.", "1,25 млн" (the
/// abbreviations of Russian typography, after a no-break space).
pub fn compact_in(value: f64, locale: Locale) -> String {
    if locale == Locale::En {
        return compact(value);
    }
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, "\u{a0}млрд")
    } else if magnitude >= 1e6 {
        (value / 1e6, "\u{a0}млн")
    } else if magnitude >= 1e3 {
        (value / 1e3, "\u{a0}тыс.")
    } else {
        (value, "")
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{}{suffix}", text.replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_axis_ticks() {
        assert_eq!(money(2_500_315.63), "2,500,316");
        assert_eq!(money(9_999.5), "9,999.50");
        assert_eq!(compact(400_000.0), "400k");
        assert_eq!(compact(1_250_000.0), "1.25M");
        assert_eq!(compact(12.0), "12");
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(-2_500.0), "-2.5k");
    }

    #[test]
    fn russian_style() {
        assert_eq!(
            grouped_in(2_500_315.634, 2, Locale::Ru),
            "2\u{a0}500\u{a0}315,63"
        );
        assert_eq!(percent_in(0.48858, Locale::Ru), "48,9\u{a0}%");
        assert_eq!(money_in(9_999.5, Locale::Ru), "9\u{a0}999,50");
        assert_eq!(compact_in(400_000.0, Locale::Ru), "400\u{a0}тыс.");
        assert_eq!(compact_in(1_250_000.0, Locale::Ru), "1,25\u{a0}млн");
        assert_eq!(compact_in(-2_500.0, Locale::Ru), "-2,5\u{a0}тыс.");
        assert_eq!(compact_in(12.5, Locale::Ru), "12,5");
        assert_eq!(compact_in(3e9, Locale::Ru), "3\u{a0}млрд");
        assert_eq!(compact_in(1_250_000.0, Locale::En), "1.25M");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(2_500_315.634, 2), "2,500,315.63");
        assert_eq!(grouped(23_570.0, 0), "23,570");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(1000.0, 0), "1,000");
        assert_eq!(grouped(-1234.5, 1), "-1,234.5");
        assert_eq!(grouped(-0.001, 2), "0.00");
        assert_eq!(grouped(f64::NAN, 2), "–");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(11_516.0 / 23_570.0), "48.9%");
        assert_eq!(percent(1.0), "100.0%");
    }
}
