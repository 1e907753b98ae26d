//! Cell values: dates (one format decided per column) and amounts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A date layout, decided once per column from a sample of its values, so that
/// 03/04/2024 is read the same way on every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2024-01-31, optionally followed by a time (`T` or space) and zone.
    Iso,
    /// 20240131, optionally with the hour, minutes and seconds run on
    /// (2024013109, 202401310930, 20240131093000).
    Compact,
    /// 31.01.2024
    DayMonthYearDots,
    /// 01/31/2024
    MonthDayYearSlash,
    /// 31/01/2024
    DayMonthYearSlash,
    /// 2024/01/31
    YearMonthDaySlash,
    /// Seconds (10 digits) or milliseconds (13 digits) since 1970-01-01 UTC.
    UnixTime,
    /// Days since 1899-12-30, as Excel stores dates (45322 = 2024-01-31).
    ExcelSerial,
}

impl DateFormat {
    /// Candidates in order of preference when a sample fits several equally
    /// (month-first slashes win a tie, as in US exports; asking the user is the
    /// ingestion issue's job).
    pub const ALL: [DateFormat; 8] = [
        DateFormat::Iso,
        DateFormat::Compact,
        DateFormat::DayMonthYearDots,
        DateFormat::MonthDayYearSlash,
        DateFormat::DayMonthYearSlash,
        DateFormat::YearMonthDaySlash,
        DateFormat::UnixTime,
        DateFormat::ExcelSerial,
    ];

    /// Plain numbers: only trusted in a column whose header says it is a date,
    /// since ids and amounts are numbers too.
    fn is_numeric(self) -> bool {
        matches!(self, DateFormat::UnixTime | DateFormat::ExcelSerial)
    }

    fn pattern(self) -> &'static str {
        match self {
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::Compact => "%Y%m%d",
            DateFormat::DayMonthYearDots => "%d.%m.%Y",
            DateFormat::MonthDayYearSlash => "%m/%d/%Y",
            DateFormat::DayMonthYearSlash => "%d/%m/%Y",
            DateFormat::YearMonthDaySlash => "%Y/%m/%d",
            DateFormat::UnixTime | DateFormat::ExcelSerial => "",
        }
    }

    /// Reads the date part of `raw` (a time after it is ignored). Years outside
    /// 1900..=2100 are refused so that numeric ids are never taken for dates.
    pub fn parse(self, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let date_part = match self {
            DateFormat::Iso => raw
                .get(..10)
                .filter(|_| raw.len() == 10 || matches!(raw.as_bytes()[10], b'T' | b't' | b' '))?,
            DateFormat::Compact => {
                if !matches!(raw.len(), 8 | 10 | 12 | 14) || !all_digits(raw) {
                    return None;
                }
                &raw[..8]
            }
            DateFormat::UnixTime => {
                if !matches!(raw.len(), 10 | 13) || !all_digits(raw) {
                    return None;
                }
                let seconds: i64 = raw[..10].parse().ok()?;
                return chrono::DateTime::from_timestamp(seconds, 0)
                    .map(|t| t.date_naive())
                    .filter(plausible);
            }
            DateFormat::ExcelSerial => {
                let (days, fraction) = raw.split_once(['.', ',']).unwrap_or((raw, "0"));
                if !all_digits(days) || !all_digits(fraction) {
                    return None;
                }
                let days: i64 = days.parse().ok()?;
                // 1954..2119; smaller numbers are far more often counts or ids.
                if !(20_000..=80_000).contains(&days) {
                    return None;
                }
                return NaiveDate::from_ymd_opt(1899, 12, 30)?
                    .checked_add_signed(chrono::TimeDelta::try_days(days)?)
                    .filter(plausible);
            }
            _ => raw.split([' ', 'T']).next()?,
        };
        NaiveDate::parse_from_str(date_part, self.pattern())
            .ok()
            .filter(plausible)
    }

    /// The format that reads most of `samples`, if it reads at least half of
    /// the non-blank ones. `numeric` admits Unix times and Excel serials.
    pub fn detect<'a>(
        samples: impl IntoIterator<Item = &'a str> + Clone,
        numeric: bool,
    ) -> Option<DateFormat> {
        let non_blank = samples
            .clone()
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .count();
        let (format, hits) = DateFormat::ALL
            .iter()
            .filter(|f| numeric || !f.is_numeric())
            .map(|&f| {
                let hits = samples
                    .clone()
                    .into_iter()
                    .filter(|s| f.parse(s).is_some())
                    .count();
                (f, hits)
            })
            // max_by_key keeps the last maximum; reverse so the first preferred wins.
            .rev()
            .max_by_key(|&(_, hits)| hits)?;
        (hits > 0 && hits * 2 >= non_blank).then_some(format)
    }
}

/// Years outside 1900..=2100 are refused so that numbers are not taken for dates.
fn plausible(date: &NaiveDate) -> bool {
    (1900..=2100).contains(&chrono::Datelike::year(date))
}

/// Reads an amount as exported by spreadsheets and accounting systems:
/// currency signs and codes, spaces or apostrophes between thousands, a
/// decimal comma, and a minus or parentheses for negatives.
pub fn parse_amount(raw: &str) -> Option<f64> {
    let mut s = raw.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let mut cleaned = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' | '.' | ',' | '-' | '+' => cleaned.push(c),
            // Thousands separators and currency marks carry no value.
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '$' | '€' | '£' | '₽' | '¥' => {}
            _ if c.is_alphabetic() => {
                // A lone e/E is an exponent (Excel writes 1.2E+05); longer runs
                // of letters are currency words ("руб.", "USD").
                let mut run = String::from(c);
                while let Some(&next) = chars.peek().filter(|n| n.is_alphabetic()) {
                    run.push(next);
                    chars.next();
                }
                if run.eq_ignore_ascii_case("e") {
                    cleaned.push('e');
                } else if chars.peek() == Some(&'.') {
                    chars.next(); // the abbreviation's full stop: "руб."
                }
            }
            _ => return None,
        }
    }
    let normalised = match (cleaned.rfind('.'), cleaned.rfind(',')) {
        // Both: the later one is the decimal mark.
        (Some(dot), Some(comma)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => cleaned.replace(',', ""),
        // Only commas: one followed by exactly three digits, more than once, is
        // grouping ("1,234,567"); otherwise it is a decimal comma ("12,5").
        (None, Some(_)) if cleaned.matches(',').count() > 1 => cleaned.replace(',', ""),
        (None, Some(_)) => cleaned.replace(',', "."),
        _ => cleaned,
    };
    let value: f64 = normalised.parse().ok()?;
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// Yes/no cells: yes, no, true, false, 1, 0, y, n, да, нет.
pub fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" | "1.0" | "да" | "д" | "истина" => Some(true),
        "no" | "n" | "false" | "f" | "0" | "0.0" | "нет" | "н" | "ложь" => Some(false),
        _ => None,
    }
}

/// Whether a status text says the customer has left: "Churned", "Cancelled",
/// "Inactive", "Ушел" do; "Active", "Stayed", "Joined" do not; anything else
/// says nothing.
pub fn status_means_churned(status: &str) -> Option<bool> {
    let s = status.to_lowercase();
    let left = [
        "churn",
        "left",
        "cancel",
        "exited",
        "inactive",
        "lost",
        "closed",
        "terminated",
        "ушел",
        "ушёл",
        "отток",
        "расторг",
        "закрыт",
        "неактив",
        "отказ",
    ];
    let stayed = [
        "active",
        "stayed",
        "joined",
        "current",
        "new",
        "активн",
        "действ",
        "новый",
    ];
    if left.iter().any(|w| s.contains(w)) {
        Some(true)
    } else if stayed.iter().any(|w| s.contains(w)) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_each_format() {
        assert_eq!(
            DateFormat::Iso.parse("2011-12-09 12:50:00"),
            Some(ymd(2011, 12, 9))
        );
        assert_eq!(
            DateFormat::Iso.parse("2011-12-09T12:50:00Z"),
            Some(ymd(2011, 12, 9))
        );
        assert_eq!(DateFormat::Compact.parse("19970101"), Some(ymd(1997, 1, 1)));
        assert_eq!(
            DateFormat::DayMonthYearDots.parse("01.10.2018 00:00"),
            Some(ymd(2018, 10, 1))
        );
        assert_eq!(
            DateFormat::MonthDayYearSlash.parse("11/1/2019 8:51:12"),
            Some(ymd(2019, 11, 1))
        );
        assert_eq!(
            DateFormat::DayMonthYearSlash.parse("31/01/2024"),
            Some(ymd(2024, 1, 31))
        );
        assert_eq!(
            DateFormat::YearMonthDaySlash.parse("2024/01/31"),
            Some(ymd(2024, 1, 31))
        );
    }

    #[test]
    fn reads_runs_of_digits_and_numeric_dates() {
        assert_eq!(
            DateFormat::Compact.parse("2018100100"),
            Some(ymd(2018, 10, 1))
        );
        assert_eq!(
            DateFormat::Compact.parse("20181001093000"),
            Some(ymd(2018, 10, 1))
        );
        // date -u -d @1706659200 -> Wed Jan 31 00:00:00 UTC 2024
        assert_eq!(
            DateFormat::UnixTime.parse("1706659200"),
            Some(ymd(2024, 1, 31))
        );
        assert_eq!(
            DateFormat::UnixTime.parse("1706659200123"),
            Some(ymd(2024, 1, 31))
        );
        // Excel: =DATE(2024,1,31) is 45322; a time of day is the fraction.
        assert_eq!(
            DateFormat::ExcelSerial.parse("45322"),
            Some(ymd(2024, 1, 31))
        );
        assert_eq!(
            DateFormat::ExcelSerial.parse("45322.75"),
            Some(ymd(2024, 1, 31))
        );
        assert_eq!(DateFormat::ExcelSerial.parse("1234"), None);
    }

    #[test]
    fn refuses_non_dates() {
        assert_eq!(DateFormat::Compact.parse("00004"), None);
        assert_eq!(DateFormat::Compact.parse("12345678"), None); // month 56
        assert_eq!(DateFormat::Iso.parse("2024-02-30"), None);
        assert_eq!(DateFormat::Iso.parse("someday"), None);
        assert_eq!(DateFormat::Iso.parse("2024-01-311"), None);
    }

    #[test]
    fn detects_the_column_format_from_the_whole_sample() {
        // 03/04 alone is ambiguous; 13/04 settles day-first for the column.
        let days_first = ["03/04/2024", "13/04/2024", "01/05/2024"];
        assert_eq!(
            DateFormat::detect(days_first, false),
            Some(DateFormat::DayMonthYearSlash)
        );
        let months_first = ["03/04/2024", "04/13/2024"];
        assert_eq!(
            DateFormat::detect(months_first, false),
            Some(DateFormat::MonthDayYearSlash)
        );
        assert_eq!(DateFormat::detect(["someday", "later"], true), None);
        assert_eq!(DateFormat::detect(["00001", "00002"], true), None);
        // Numbers are dates only where the header says so.
        assert_eq!(DateFormat::detect(["45322", "45323"], false), None);
        assert_eq!(
            DateFormat::detect(["45322", "45323"], true),
            Some(DateFormat::ExcelSerial)
        );
        // YYYYMMDDHH is also a valid Unix time (in 2033): the calendar reading wins.
        assert_eq!(
            DateFormat::detect(["2018100100", "2018100209"], true),
            Some(DateFormat::Compact)
        );
    }

    #[test]
    fn flags_and_statuses() {
        assert_eq!(parse_flag("Yes"), Some(true));
        assert_eq!(parse_flag(" 0 "), Some(false));
        assert_eq!(parse_flag("Да"), Some(true));
        assert_eq!(parse_flag("maybe"), None);
        assert_eq!(status_means_churned("Churned"), Some(true));
        assert_eq!(status_means_churned("Inactive"), Some(true));
        assert_eq!(status_means_churned("Stayed"), Some(false));
        assert_eq!(status_means_churned("Joined"), Some(false));
        assert_eq!(status_means_churned("Ушёл к конкуренту"), Some(true));
        assert_eq!(status_means_churned("Gold"), None);
    }

    #[test]
    fn reads_exported_amounts() {
        let cases = [
            ("11.77", 11.77),
            ("1 234,50", 1234.5),
            ("1\u{a0}234,50 ₽", 1234.5),
            ("$1,234.50", 1234.5),
            ("1.234,50 €", 1234.5),
            ("1'234.50", 1234.5),
            ("1,234,567", 1_234_567.0),
            ("12,5", 12.5),
            ("(12.00)", -12.0),
            ("-3", -3.0),
            ("142,0 руб.", 142.0),
            ("EUR 12,50", 12.5),
            ("12 USD", 12.0),
            ("1.2E+05", 120_000.0),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_amount(raw), Some(expected), "{raw}");
        }
        for bad in ["", "abc", "12#", "NaN", "inf"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
