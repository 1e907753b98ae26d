//! Cell values: dates (one format decided per column) and amounts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::dataset::DateFormat;

impl DateFormat {
    /// Candidates in order of preference when a sample fits several equally
    /// (month-first slashes win a tie, as in US exports; [`DateFormat::alternatives`]
    /// lists the tied ones so that the user can be asked).
    pub const ALL: [DateFormat; 10] = [
        DateFormat::Iso,
        DateFormat::Compact,
        DateFormat::DayMonthYearDots,
        DateFormat::MonthDayYearSlash,
        DateFormat::DayMonthYearSlash,
        DateFormat::YearMonthDaySlash,
        DateFormat::DayMonthNameYear,
        DateFormat::MonthNameDayYear,
        DateFormat::UnixTime,
        DateFormat::ExcelSerial,
    ];

    /// Plain numbers: only trusted in a column whose header says it is a date,
    /// since ids and amounts are numbers too.
    fn is_numeric(self) -> bool {
        matches!(self, DateFormat::UnixTime | DateFormat::ExcelSerial)
    }

    /// Reads the date part of `raw` (a time after it is ignored). Years outside
    /// 1900..=2100 are refused so that numeric ids are never taken for dates.
    pub fn parse(self, raw: &str) -> Option<NaiveDate> {
        let raw = super::text::trim(raw);
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // The first word, for the layouts chrono reads (a time may follow).
        // A word without the pattern's separator twice cannot match it; most
        // cells a column's format is tried on are not dates, and chrono
        // parses the pattern itself on every call.
        let first_word = |pattern: &str, separator: u8| {
            let word = raw.split([' ', 'T']).next()?;
            if word.bytes().filter(|&b| b == separator).count() != 2 {
                return None;
            }
            NaiveDate::parse_from_str(word, pattern).ok()
        };
        let date = match self {
            DateFormat::Iso => {
                let part = raw.get(..10).filter(|_| {
                    raw.len() == 10 || matches!(raw.as_bytes()[10], b'T' | b't' | b' ')
                })?;
                // Read by hand: this runs once per row.
                let b = part.as_bytes();
                match (
                    ascii_number(&b[..4]),
                    b[4],
                    ascii_number(&b[5..7]),
                    b[7],
                    ascii_number(&b[8..]),
                ) {
                    (Some(y), b'-', Some(m), b'-', Some(d)) => ymd(y, m, d),
                    // chrono also takes a sign or spaces before a number
                    // ("+2024-1-05", "2024- 1-05"); such rare shapes are left
                    // to it so that nothing reads differently than before.
                    _ => NaiveDate::parse_from_str(part, "%Y-%m-%d").ok(),
                }
            }
            DateFormat::Compact => {
                if !matches!(raw.len(), 8 | 10 | 12 | 14) || !all_digits(raw) {
                    return None;
                }
                let b = raw.as_bytes();
                ymd(
                    ascii_number(&b[..4])?,
                    ascii_number(&b[4..6])?,
                    ascii_number(&b[6..8])?,
                )
            }
            DateFormat::DayMonthYearDots => first_word("%d.%m.%Y", b'.'),
            DateFormat::MonthDayYearSlash => first_word("%m/%d/%Y", b'/'),
            DateFormat::DayMonthYearSlash => first_word("%d/%m/%Y", b'/'),
            DateFormat::YearMonthDaySlash => first_word("%Y/%m/%d", b'/'),
            DateFormat::DayMonthNameYear => day_month_name_year(raw),
            DateFormat::MonthNameDayYear => month_name_day_year(raw),
            DateFormat::UnixTime => {
                if !matches!(raw.len(), 10 | 13) || !all_digits(raw) {
                    return None;
                }
                let seconds: i64 = raw[..10].parse().ok()?;
                chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive())
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
                NaiveDate::from_ymd_opt(1899, 12, 30)?
                    .checked_add_signed(chrono::TimeDelta::try_days(days)?)
            }
        };
        date.filter(plausible)
    }

    /// [`DateFormat::parse`] as a day number (`NaiveDate::num_days_from_ce`),
    /// with a quick path for the plain ISO "2024-01-31" that transaction
    /// files hold on every row.
    pub(crate) fn parse_day(self, raw: &str) -> Option<i32> {
        if self == DateFormat::Iso {
            let b = super::text::trim(raw).as_bytes();
            if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
                if let (Some(y), Some(m), Some(d)) = (
                    ascii_number(&b[..4]),
                    ascii_number(&b[5..7]),
                    ascii_number(&b[8..]),
                ) {
                    return iso_day(y, m, d);
                }
            }
        }
        self.parse(raw)
            .map(|d| chrono::Datelike::num_days_from_ce(&d))
    }

    /// The format that reads most of `samples`, if it reads at least half of
    /// the non-blank ones. `numeric` admits Unix times and Excel serials.
    /// Ties go to the earlier format in [`DateFormat::ALL`]: this is always
    /// the first of [`DateFormat::alternatives`].
    pub fn detect<'a>(
        samples: impl IntoIterator<Item = &'a str> + Clone,
        numeric: bool,
    ) -> Option<DateFormat> {
        DateFormat::alternatives(samples, numeric).first().copied()
    }

    /// Every format that reads as many of `samples` as the best one, in the
    /// order of [`DateFormat::ALL`]; empty when none reads at least half of
    /// the non-blank samples. More than one means the column is ambiguous
    /// ("03/04/2024" and "05/06/2024" read month-first and day-first alike).
    pub fn alternatives<'a>(
        samples: impl IntoIterator<Item = &'a str> + Clone,
        numeric: bool,
    ) -> Vec<DateFormat> {
        let non_blank = samples
            .clone()
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .count();
        let hits: Vec<(DateFormat, usize)> = DateFormat::ALL
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
            .collect();
        let best = hits.iter().map(|&(_, h)| h).max().unwrap_or(0);
        if best == 0 || best * 2 < non_blank {
            return Vec::new();
        }
        hits.into_iter()
            .filter(|&(_, h)| h == best)
            .map(|(f, _)| f)
            .collect()
    }
}

/// Years outside 1900..=2100 are refused so that numbers are not taken for dates.
fn plausible(date: &NaiveDate) -> bool {
    (1900..=2100).contains(&chrono::Datelike::year(date))
}

/// The value of `digits` when there are one to nine and all are ASCII digits.
fn ascii_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// The day number of a valid date with a plausible year (as `parse` reads
/// it), computed directly.
fn iso_day(year: u32, month: u32, day: u32) -> Option<i32> {
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    const BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    const LENGTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let extra = u32::from(leap && month == 2);
    if day > LENGTH[month as usize - 1] + extra {
        return None;
    }
    let y = year - 1;
    let ordinal = BEFORE[month as usize - 1] + u32::from(leap && month > 2) + day;
    Some((365 * y + y / 4 - y / 100 + y / 400 + ordinal) as i32)
}

fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Month names and abbreviations as 1C, Excel and CRMs write them, in lower
/// case, by month: English short and full; Russian short, nominative and
/// genitive. A full stop after a short name is skipped with the separators.
const MONTH_NAMES: [&[&str]; 12] = [
    &["jan", "january", "янв", "январь", "января"],
    &["feb", "february", "фев", "февр", "февраль", "февраля"],
    &["mar", "march", "мар", "март", "марта"],
    &["apr", "april", "апр", "апрель", "апреля"],
    &["may", "май", "мая"],
    &["jun", "june", "июн", "июнь", "июня"],
    &["jul", "july", "июл", "июль", "июля"],
    &["aug", "august", "авг", "август", "августа"],
    &[
        "sep",
        "sept",
        "september",
        "сен",
        "сент",
        "сентябрь",
        "сентября",
    ],
    &["oct", "october", "окт", "октябрь", "октября"],
    &["nov", "november", "ноя", "нояб", "ноябрь", "ноября"],
    &["dec", "december", "дек", "декабрь", "декабря"],
];

/// The month (1..=12) that `word` names, in any case.
fn month_from_name(word: &str) -> Option<u32> {
    let mut buf = [0; WORD_BYTES];
    let word = lowercase_name(word, &mut buf)?;
    (1..)
        .zip(MONTH_NAMES)
        .find_map(|(month, names)| names.iter().any(|n| n.as_bytes() == word).then_some(month))
}

/// Room for the longest name looked up ("сентября" is 16 bytes).
const WORD_BYTES: usize = 24;

/// `word` in lower case, written into `buf`, when it is made of English and
/// Russian letters (А-Я, а-я) only and fits: other words name no month.
/// Comparing through `char::to_lowercase` (a search of Unicode's tables for
/// every character of every name tried) made "31 января 2024" take about
/// 550 ns instead of 60, and this runs once per row.
fn lowercase_name<'b>(word: &str, buf: &'b mut [u8; WORD_BYTES]) -> Option<&'b [u8]> {
    let mut len = 0;
    for c in word.chars() {
        let lower = match c {
            'a'..='z' | 'а'..='я' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            // The Cyrillic capitals are 32 code points below their small letters.
            'А'..='Я' => char::from_u32(u32::from(c) + 32)?,
            _ => return None,
        };
        let end = len + lower.len_utf8();
        lower.encode_utf8(buf.get_mut(len..end)?);
        len = end;
    }
    Some(&buf[..len])
}

/// `s` split after its leading ASCII digits.
fn split_digits(s: &str) -> (&str, &str) {
    s.split_at(
        s.bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(s.len()),
    )
}

/// `s` split after its leading letters.
fn split_letters(s: &str) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|&(_, c)| !is_letter(c))
        .map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

/// `char::is_alphabetic`, quicker for Russian letters.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('А'..='я').contains(&c) || (!c.is_ascii() && c.is_alphabetic())
}

/// `s` without the spaces, dashes, dots, slashes and commas that part a
/// date's day, month name and year (there may be none: "31JAN2024").
fn skip_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | '/' | ','))
}

/// "31 января 2024", "31-Jan-2024", "31.янв.2024", "31JAN2024".
fn day_month_name_year(s: &str) -> Option<NaiveDate> {
    let (day, s) = split_digits(s);
    let (month, s) = split_letters(skip_separators(s));
    let (year, tail) = split_digits(skip_separators(s));
    named_month_date(year, month_from_name(month)?, day, tail)
}

/// "Jan 31, 2024", "January 31 2024".
fn month_name_day_year(s: &str) -> Option<NaiveDate> {
    let (month, s) = split_letters(s);
    let (day, s) = split_digits(skip_separators(s));
    let (year, tail) = split_digits(skip_separators(s));
    named_month_date(year, month_from_name(month)?, day, tail)
}

/// A date from a day of one or two digits and a year of four, when what
/// follows the year may end a date.
fn named_month_date(year: &str, month: u32, day: &str, tail: &str) -> Option<NaiveDate> {
    if year.len() != 4 || !matches!(day.len(), 1 | 2) || !ends_a_date(tail) {
        return None;
    }
    ymd(
        ascii_number(year.as_bytes())?,
        month,
        ascii_number(day.as_bytes())?,
    )
}

/// What may follow the year of a date with a month name: nothing, the
/// Russian "г."/"г"/"года" ("year"), then nothing or a time (or any text)
/// after a space or a comma.
fn ends_a_date(tail: &str) -> bool {
    let (word, after) = split_letters(tail.trim_start());
    let mut buf = [0; WORD_BYTES];
    let word = lowercase_name(word, &mut buf);
    let tail = if word == Some("г".as_bytes()) || word == Some("года".as_bytes()) {
        after.strip_prefix('.').unwrap_or(after)
    } else {
        tail
    };
    tail.is_empty() || tail.starts_with(|c: char| c.is_whitespace() || c == ',')
}

/// Which character parts an amount's whole units from its fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// Decided per value, as [`parse_amount`] does: of '.' and ',' the later
    /// one; a comma alone is decimal unless it appears more than once.
    #[default]
    Auto,
    /// 1,234.5: ',' groups thousands, like spaces and apostrophes.
    Point,
    /// 1.234,5: '.' groups thousands, like spaces and apostrophes.
    Comma,
}

/// Reads an amount as exported by spreadsheets and accounting systems:
/// currency signs and codes, spaces or apostrophes between thousands, a
/// decimal comma, and a minus or parentheses for negatives.
pub fn parse_amount(raw: &str) -> Option<f64> {
    parse_amount_with(raw, DecimalMark::Auto)
}

/// [`parse_amount`] with the decimal mark given instead of guessed, for a
/// column the guess gets wrong ("1,234" is 1.234 to [`DecimalMark::Auto`]).
/// The grouping mark is refused after the decimal one: "1.234,5" is no
/// amount with [`DecimalMark::Point`]. Group sizes are not checked
/// ("12,5" is 125 with [`DecimalMark::Point`]).
pub fn parse_amount_with(raw: &str, mark: DecimalMark) -> Option<f64> {
    let s = super::text::trim(raw);
    if mark != DecimalMark::Comma {
        if let Some(value) = plain_amount(s) {
            return value;
        }
    }
    parse_amount_general(s, mark)
}

/// The fast path, without allocating, for text of ASCII digits with at most
/// one '.' and an optional leading '-' ("1234.5", "-12"): its value (`None`
/// when that is not a finite number, as for "." or "-"). The outer `None`
/// says the text has some other shape. Read with '.' as the decimal mark,
/// so not for [`DecimalMark::Comma`].
fn plain_amount(s: &str) -> Option<Option<f64>> {
    let body = s.strip_prefix('-').unwrap_or(s);
    // Digits and at most one '.', read as they go: the value of the digits
    // as a whole number, their count, and the count after the '.'.
    let (mut mantissa, mut digits, mut decimals) = (0u64, 0u32, None::<u32>);
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
                digits += 1;
                if let Some(d) = &mut decimals {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    // Up to 15 digits the whole number and the power of ten are exact
    // doubles, so one division is the correctly rounded value: the same
    // double as `str::parse` gives (Clinger's fast path).
    if digits > 0 && digits <= 15 {
        let value = mantissa as f64 / POWERS_OF_TEN[decimals.unwrap_or(0) as usize];
        return Some(Some(if body.len() < s.len() { -value } else { value }));
    }
    Some(s.parse::<f64>().ok().filter(|v| v.is_finite()))
}

/// 10^0 .. 10^15, all exact doubles.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The general path of [`parse_amount_with`]: any text, any mark.
fn parse_amount_general(raw: &str, mark: DecimalMark) -> Option<f64> {
    let mut s = raw.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let mut cleaned = String::with_capacity(s.len());
    let mut decimal_seen = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' | '-' | '+' => cleaned.push(c),
            '.' | ',' => match (mark, c) {
                (DecimalMark::Auto, _) => cleaned.push(c),
                (DecimalMark::Point, '.') | (DecimalMark::Comma, ',') => {
                    decimal_seen = true;
                    cleaned.push('.');
                }
                // A grouping mark in the fraction: the other convention.
                _ if decimal_seen => return None,
                _ => {}
            },
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
    let normalised = match (mark, cleaned.rfind('.'), cleaned.rfind(',')) {
        // Point and Comma have already left '.' as the only mark.
        (DecimalMark::Point | DecimalMark::Comma, _, _) => cleaned,
        // Both: the later one is the decimal mark.
        (_, Some(dot), Some(comma)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
        (_, Some(_), Some(_)) => cleaned.replace(',', ""),
        // Only commas: one followed by exactly three digits, more than once, is
        // grouping ("1,234,567"); otherwise it is a decimal comma ("12,5").
        (_, None, Some(_)) if cleaned.matches(',').count() > 1 => cleaned.replace(',', ""),
        (_, None, Some(_)) => cleaned.replace(',', "."),
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
        "attrit",
    ];
    let stayed = [
        "active",
        "stayed",
        "joined",
        "current",
        "existing",
        "retained",
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

    #[test]
    fn iso_day_numbers_as_chrono_reads_them() {
        use chrono::Datelike;
        for y in 1890..=2110u32 {
            for m in 0..=13u32 {
                for d in 0..=32u32 {
                    let text = format!("{y:04}-{m:02}-{d:02}");
                    let expected = DateFormat::Iso.parse(&text).map(|d| d.num_days_from_ce());
                    assert_eq!(DateFormat::Iso.parse_day(&text), expected, "{text}");
                }
            }
        }
        for text in [
            " 2024-01-31 ",
            "2024-01-31T10:00",
            "2024-1-31",
            "+2024-01-31",
            "2024-01-3x",
        ] {
            let expected = DateFormat::Iso.parse(text).map(|d| d.num_days_from_ce());
            assert_eq!(DateFormat::Iso.parse_day(text), expected, "{text}");
        }
    }

    #[test]
    fn plain_amounts_read_as_str_parse() {
        let check = |s: &str| {
            let expected = s.parse::<f64>().ok().filter(|v| v.is_finite());
            let got = plain_amount(s).expect("a plain amount");
            assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits), "{s:?}");
        };
        for s in [
            "0",
            "-0",
            "0.0",
            "-0.00",
            "5.",
            ".5",
            "-.5",
            "",
            "-",
            ".",
            "123.45",
            "0.1",
            "0.3",
            "999999999999999",
            "9999999999999999",
            "1234567890.12345",
            "12345678901234567890.5",
            "0.000000000000001",
            "00000000000000000001",
            "4.35",
            "1.005",
            "-17.99",
        ] {
            check(s);
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = 1 + seed % 17;
            let whole = (seed >> 8) % 10u64.pow(digits.min(18) as u32);
            let point = (seed >> 40) % (digits + 2);
            let mut text = format!("{whole:0width$}", width = digits as usize);
            if point <= digits {
                text.insert(point as usize, '.');
            }
            if seed & 1 == 1 {
                text.insert(0, '-');
            }
            check(&text);
        }
    }

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

    #[test]
    fn reads_day_month_name_year() {
        let f = DateFormat::DayMonthNameYear;
        let jan31 = Some(ymd(2024, 1, 31));
        for raw in [
            "31 января 2024",
            "31 январь 2024",
            "31 янв 2024",
            "31 янв. 2024",
            "31.янв.2024",
            "31-Jan-2024",
            "31 Jan 2024",
            "31 JANUARY 2024",
            "31 ЯНВАРЯ 2024г.",
            "31JAN2024",                // SAS DATE9
            "31\u{a0}января\u{a0}2024", // 1C puts no-break spaces
            "31 января 2024 г.",
            "31 января 2024 г",
            "31 января 2024 года",
            "31 января 2024 г. 10:15",
            "31-Jan-2024 10:15:00",
            "  31 Jan 2024  ",
        ] {
            assert_eq!(f.parse(raw), jan31, "{raw}");
        }
        let cases = [
            ("1 мая 2024", ymd(2024, 5, 1)),
            ("1 май 2024", ymd(2024, 5, 1)),
            ("07-Mar-2024", ymd(2024, 3, 7)),
            ("15 сентября 2023 г.", ymd(2023, 9, 15)),
            ("15 сент. 2023", ymd(2023, 9, 15)),
            ("15 Sept 2023", ymd(2023, 9, 15)),
            ("3 февр. 2020", ymd(2020, 2, 3)),
            ("29 февраля 2024", ymd(2024, 2, 29)), // 2024 is a leap year
            ("30 нояб. 1999", ymd(1999, 11, 30)),
            ("31 Dec 2100", ymd(2100, 12, 31)),
            ("1 Jan 1900", ymd(1900, 1, 1)),
        ];
        for (raw, expected) in cases {
            assert_eq!(f.parse(raw), Some(expected), "{raw}");
        }
    }

    #[test]
    fn reads_month_name_day_year() {
        let f = DateFormat::MonthNameDayYear;
        let jan31 = Some(ymd(2024, 1, 31));
        for raw in [
            "Jan 31, 2024",
            "Jan. 31, 2024",
            "January 31 2024",
            "january 31, 2024",
            "JAN 31 2024",
            "Jan 31, 2024 10:15 AM",
            "Jan 31, 2024, 10:15 AM",
            "Jan-31-2024",
        ] {
            assert_eq!(f.parse(raw), jan31, "{raw}");
        }
        assert_eq!(f.parse("May 5 2024"), Some(ymd(2024, 5, 5)));
        assert_eq!(f.parse("SEPT 5, 2023"), Some(ymd(2023, 9, 5)));
        assert_eq!(f.parse("Dec 1, 1999 11:59 PM"), Some(ymd(1999, 12, 1)));
    }

    #[test]
    fn refuses_bad_month_name_dates() {
        let dmy = DateFormat::DayMonthNameYear;
        let mdy = DateFormat::MonthNameDayYear;
        for raw in [
            "29 февраля 2023",   // 2023 is not a leap year
            "31 апреля 2024",    // April has 30 days
            "0 января 2024",     // no day 0
            "31 Foo 2024",       // not a month
            "31 январяя 2024",   // not a month either: the whole word must match
            "31 января 1899",    // before 1900
            "1 января 2101",     // after 2100
            "31 января 24",      // two-digit years are not read
            "31 января 02024",   // nor five-digit ones
            "131 января 2024",   // three-digit day
            "31 января 2024abc", // glued text after the year
            "31 января 2024 г.x",
            "31 января",
            "января 2024",
            "2024 января 31",
            "Jan 31, 2024", // month first: the other format
            "31.01.2024",
            "",
        ] {
            assert_eq!(dmy.parse(raw), None, "{raw}");
        }
        for raw in [
            "Feb 29, 2023",
            "Jan 2024",
            "Jan 312024",
            "Jan 31, 24",
            "Foo 31, 2024",
            "31 Jan 2024", // day first: the other format
            "2024-01-31",
        ] {
            assert_eq!(mdy.parse(raw), None, "{raw}");
        }
        // The numeric formats do not take month names.
        for f in DateFormat::ALL {
            if !matches!(
                f,
                DateFormat::DayMonthNameYear | DateFormat::MonthNameDayYear
            ) {
                assert_eq!(f.parse("31 Jan 2024"), None, "{f:?}");
                assert_eq!(f.parse("Jan 31, 2024"), None, "{f:?}");
            }
        }
    }

    #[test]
    fn every_month_name_in_every_case_and_layout() {
        let title = |name: &str| -> String {
            let mut c = name.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        };
        for (month, names) in (1u32..).zip(MONTH_NAMES) {
            for name in names.iter().copied() {
                for written in [name.to_string(), name.to_uppercase(), title(name)] {
                    for day in [1, 28] {
                        let expected = Some(ymd(2024, month, day));
                        for raw in [
                            format!("{day} {written} 2024"),
                            format!("{day:02}-{written}-2024"),
                            format!("{day}.{written}.2024"),
                            format!("{day} {written}. 2024 г. 10:15"),
                        ] {
                            let read = DateFormat::DayMonthNameYear.parse(&raw);
                            assert_eq!(read, expected, "{raw}");
                        }
                        for raw in [
                            format!("{written} {day}, 2024"),
                            format!("{written}. {day} 2024 10:15 AM"),
                        ] {
                            let read = DateFormat::MonthNameDayYear.parse(&raw);
                            assert_eq!(read, expected, "{raw}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn month_lookup_is_unicode_case_insensitive() {
        // The quick lowercasing against the standard one on every name in
        // three cases and on words that are no month names.
        let slow = |word: &str| {
            (1..).zip(MONTH_NAMES).find_map(|(month, names)| {
                let lower: String = word.chars().flat_map(char::to_lowercase).collect();
                names.contains(&lower.as_str()).then_some(month)
            })
        };
        let mut words = vec![
            "",
            "Mai",
            "ЯНВ",
            "яНвАрЯ",
            "\u{212A}",
            "Ёлка",
            "İ",
            "straße",
            "janu",
            "мая.",
            "ma y",
            "сентябряя",
        ];
        let written: Vec<String> = MONTH_NAMES
            .iter()
            .flat_map(|names| names.iter())
            .flat_map(|n| [n.to_uppercase(), n.to_string()])
            .collect();
        words.extend(written.iter().map(String::as_str));
        for word in words {
            assert_eq!(month_from_name(word), slow(word), "{word:?}");
        }
        assert_eq!(month_from_name("МАЯ"), Some(5));
        assert_eq!(month_from_name("Sept"), Some(9));
    }

    #[test]
    fn detects_month_name_columns() {
        assert_eq!(
            DateFormat::detect(["31 января 2024 г.", "1 февраля 2024 г.", ""], false),
            Some(DateFormat::DayMonthNameYear)
        );
        assert_eq!(
            DateFormat::detect(["Jan 31, 2024", "Feb 1, 2024 9:00 AM"], false),
            Some(DateFormat::MonthNameDayYear)
        );
        // One of three reads: less than half.
        assert_eq!(
            DateFormat::detect(["31 Jan 2024", "later", "soon"], false),
            None
        );
    }

    #[test]
    fn date_format_names() {
        let name = |f: DateFormat| serde_json::to_string(&f).unwrap();
        assert_eq!(
            name(DateFormat::DayMonthNameYear),
            "\"day_month_name_year\""
        );
        assert_eq!(
            name(DateFormat::MonthNameDayYear),
            "\"month_name_day_year\""
        );
        assert_eq!(name(DateFormat::Iso), "\"iso\"");
        for f in DateFormat::ALL {
            assert_eq!(serde_json::from_str::<DateFormat>(&name(f)).unwrap(), f);
        }
        let marks = [DecimalMark::Auto, DecimalMark::Point, DecimalMark::Comma];
        let names: Vec<String> = marks
            .iter()
            .map(|m| serde_json::to_string(m).unwrap())
            .collect();
        assert_eq!(names, ["\"auto\"", "\"point\"", "\"comma\""]);
        assert_eq!(DecimalMark::default(), DecimalMark::Auto);
    }

    #[test]
    fn lists_equally_good_formats() {
        use DateFormat::*;
        // 03/04 and 05/06 read both ways; ISO and the rest read neither.
        assert_eq!(
            DateFormat::alternatives(["03/04/2024", "05/06/2024"], false),
            [MonthDayYearSlash, DayMonthYearSlash]
        );
        // 13/04 has no month 13: day first only.
        assert_eq!(
            DateFormat::alternatives(["03/04/2024", "13/04/2024"], false),
            [DayMonthYearSlash]
        );
        // One each of two layouts: 1 of 2 non-blank is half, enough for both.
        assert_eq!(
            DateFormat::alternatives(["2024-01-05", "05.01.2024", " "], false),
            [Iso, DayMonthYearDots]
        );
        // 2018100100 is YYYYMMDDHH and also a Unix time (2033-12-...).
        assert_eq!(
            DateFormat::alternatives(["2018100100", "2018100209"], true),
            [Compact, UnixTime]
        );
        assert_eq!(
            DateFormat::alternatives(["45322", "45323"], true),
            [ExcelSerial]
        );
        assert!(DateFormat::alternatives(["45322", "45323"], false).is_empty());
        assert!(DateFormat::alternatives(["someday", "later"], true).is_empty());
        assert!(DateFormat::alternatives(["", " "], true).is_empty());
        assert!(DateFormat::alternatives([], true).is_empty());
        // 1 of 3 non-blank reads: under half.
        assert!(DateFormat::alternatives(["03/04/2024", "x", "y"], false).is_empty());
    }

    #[test]
    fn detect_is_the_first_alternative() {
        let samples: [&[&str]; 9] = [
            &["03/04/2024", "05/06/2024"],
            &["03/04/2024", "13/04/2024", "01/05/2024"],
            &["03/04/2024", "04/13/2024"],
            &["2024-01-05", "05.01.2024"],
            &["2018100100", "2018100209"],
            &["45322", "45323"],
            &["31 января 2024", "Jan 31, 2024", "31-Jan-2024"],
            &["someday", ""],
            &[],
        ];
        for sample in samples {
            for numeric in [false, true] {
                let sample = sample.iter().copied();
                assert_eq!(
                    DateFormat::detect(sample.clone(), numeric),
                    DateFormat::alternatives(sample.clone(), numeric)
                        .first()
                        .copied(),
                    "{:?}",
                    sample.collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn reads_amounts_with_a_given_decimal_mark() {
        let point = [
            ("1,234", 1234.0),
            ("1,234.5", 1234.5),
            ("1,234,567.89", 1_234_567.89),
            ("1 234.50", 1234.5),
            ("1\u{a0}234.50", 1234.5),
            ("1'234.50", 1234.5),
            ("$1,234.50", 1234.5),
            ("(1,234.50)", -1234.5),
            ("-1,234", -1234.0),
            ("12.5", 12.5),
            ("12,5", 125.0), // grouping is not checked
            ("1.2E+05", 120_000.0),
            ("142.0 руб.", 142.0),
        ];
        for (raw, expected) in point {
            let read = parse_amount_with(raw, DecimalMark::Point);
            assert_eq!(read, Some(expected), "{raw}");
        }
        let comma = [
            ("1.234", 1234.0),
            ("1.234,5", 1234.5),
            ("12,5", 12.5),
            ("1.234.567,89", 1_234_567.89),
            ("1 234,50 ₽", 1234.5),
            ("1\u{a0}234,50", 1234.5),
            ("142,0 руб.", 142.0),
            ("(12,00)", -12.0),
            ("-3", -3.0),
            ("12.50", 1250.0), // '.' only groups
            ("1,2E+05", 120_000.0),
        ];
        for (raw, expected) in comma {
            let read = parse_amount_with(raw, DecimalMark::Comma);
            assert_eq!(read, Some(expected), "{raw}");
        }
        // A grouping mark after the decimal one is the other convention.
        assert_eq!(parse_amount_with("1.234,5", DecimalMark::Point), None);
        assert_eq!(parse_amount_with("1,234.5", DecimalMark::Comma), None);
        // Two decimal marks.
        assert_eq!(parse_amount_with("1.2.3", DecimalMark::Point), None);
        assert_eq!(parse_amount_with("1,2,3", DecimalMark::Comma), None);
        for mark in [DecimalMark::Point, DecimalMark::Comma] {
            for bad in ["", "abc", "12#", "NaN", "inf", "-", ".", ","] {
                assert_eq!(parse_amount_with(bad, mark), None, "{bad} {mark:?}");
            }
        }
        // Auto is parse_amount; it reads "1,234" as 1.234 (a lone comma).
        assert_eq!(parse_amount_with("1,234", DecimalMark::Auto), Some(1.234));
        assert_eq!(parse_amount("1,234"), Some(1.234));
    }

    /// `DateFormat::parse` for Iso and Compact as it was before the fast
    /// paths (chrono's `parse_from_str`), to check that they change nothing.
    fn old_parse(format: DateFormat, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (date_part, pattern) = match format {
            DateFormat::Iso => (
                raw.get(..10).filter(|_| {
                    raw.len() == 10 || matches!(raw.as_bytes()[10], b'T' | b't' | b' ')
                })?,
                "%Y-%m-%d",
            ),
            DateFormat::Compact => {
                if !matches!(raw.len(), 8 | 10 | 12 | 14) || !all_digits(raw) {
                    return None;
                }
                (&raw[..8], "%Y%m%d")
            }
            _ => unreachable!("only Iso and Compact have fast paths"),
        };
        NaiveDate::parse_from_str(date_part, pattern)
            .ok()
            .filter(plausible)
    }

    /// `parse_amount` as it was before `DecimalMark` and the fast path.
    fn old_parse_amount(raw: &str) -> Option<f64> {
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
                ' ' | '\u{a0}' | '\u{202f}' | '\'' | '$' | '€' | '£' | '₽' | '¥' => {}
                _ if c.is_alphabetic() => {
                    let mut run = String::from(c);
                    while let Some(&next) = chars.peek().filter(|n| n.is_alphabetic()) {
                        run.push(next);
                        chars.next();
                    }
                    if run.eq_ignore_ascii_case("e") {
                        cleaned.push('e');
                    } else if chars.peek() == Some(&'.') {
                        chars.next();
                    }
                }
                _ => return None,
            }
        }
        let normalised = match (cleaned.rfind('.'), cleaned.rfind(',')) {
            (Some(dot), Some(comma)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
            (Some(_), Some(_)) => cleaned.replace(',', ""),
            (None, Some(_)) if cleaned.matches(',').count() > 1 => cleaned.replace(',', ""),
            (None, Some(_)) => cleaned.replace(',', "."),
            _ => cleaned,
        };
        let value: f64 = normalised.parse().ok()?;
        value
            .is_finite()
            .then_some(if negative { -value } else { value })
    }

    /// The fast paths against the general ones (and the code before them),
    /// bit for bit.
    fn check_same(raw: &str) {
        for f in [DateFormat::Iso, DateFormat::Compact] {
            assert_eq!(f.parse(raw), old_parse(f, raw), "{f:?} {raw:?}");
        }
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        assert_eq!(
            bits(parse_amount(raw)),
            bits(old_parse_amount(raw)),
            "{raw:?}"
        );
        for mark in [DecimalMark::Auto, DecimalMark::Point, DecimalMark::Comma] {
            assert_eq!(
                bits(parse_amount_with(raw, mark)),
                bits(parse_amount_general(raw, mark)),
                "{mark:?} {raw:?}"
            );
        }
    }

    #[test]
    fn fast_paths_read_as_the_general_paths() {
        let long_digits = "9".repeat(400); // overflows f64 to infinity: refused
        let tricky = [
            // Dates. 9 characters: too short for Iso, and not 8/10/12/14 digits.
            "2024-1-05",
            "2024-01-5",
            "2024-13-01",
            "0000-01-01", // year 0 is a valid chrono date, refused as implausible
            "2024-02-29",
            "2023-02-29",
            "20240229",
            "20230229",
            "00000101",
            "20241301",
            "20240100",
            "2024022912",
            "20240229123000",
            "202402291", // 9 digits
            "19000101",
            "18991231",
            "21001231",
            "21010101",
            "2024-01-31T10:00:00Z",
            "2024-01-31t10:00",
            "2024-01-31 10:00",
            "2024-01-31x",
            "2024-01-311",
            "2024-00-10",
            "2024-01-00",
            "2024-01-0a",
            "2024/01/31",
            "1899-12-31",
            "2100-12-31",
            "2101-01-01",
            // chrono's leniencies, which the fast path leaves to chrono: a sign
            // before the year, spaces before the month or day.
            "+2024-1-05",
            "+2024-01-5",
            "2024- 1-05",
            "2024-01- 5",
            "2024-\u{a0}1-5",
            "-2024-1-05",
            "2024-1-05 10:00",
            "2024-1-5  10:00",
            "２０２４-01-01", // full-width digits: byte 10 is inside a character
            // Amounts.
            "12.50",
            "-0.5",
            ".5",
            "5.",
            "1e3",
            "+3",
            "00012",
            "-0",
            "0",
            "",
            "-",
            ".",
            "-.",
            "1..2",
            "--1",
            "1-",
            " 12.5 ",
            "1.2.3",
            "1,5",
            "(5.5)",
            long_digits.as_str(),
            "١٢", // Arabic-Indic digits
        ];
        for raw in tricky {
            check_same(raw);
        }
        // Which of them take the fast amount path.
        for plain in ["12.50", "-0.5", ".5", "5.", "00012", "-0", "", "-", "."] {
            assert!(plain_amount(plain).is_some(), "{plain:?}");
        }
        for other in ["1e3", "+3", "1..2", "--1", "1-", "1,5", "(5.5)", "١٢"] {
            assert!(plain_amount(other).is_none(), "{other:?}");
        }
        // Its values, worked out by hand.
        assert_eq!(parse_amount("12.50"), Some(12.5));
        assert_eq!(parse_amount("-0.5"), Some(-0.5));
        assert_eq!(parse_amount(".5"), Some(0.5));
        assert_eq!(parse_amount("5."), Some(5.0));
        assert_eq!(parse_amount("1e3"), Some(1000.0));
        assert_eq!(parse_amount("+3"), Some(3.0));
        assert_eq!(parse_amount("00012"), Some(12.0));
        assert_eq!(parse_amount(&long_digits), None);
        assert_eq!(DateFormat::Iso.parse("2024-02-29"), Some(ymd(2024, 2, 29)));
        assert_eq!(DateFormat::Iso.parse("2023-02-29"), None);
        assert_eq!(DateFormat::Iso.parse("0000-01-01"), None);
        assert_eq!(
            DateFormat::Compact.parse("20240229"),
            Some(ymd(2024, 2, 29))
        );
        // chrono reads "+2024-1-05" as 2024-01-05, and so do we still.
        assert_eq!(DateFormat::Iso.parse("+2024-1-05"), Some(ymd(2024, 1, 5)));
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        const DATE_PIECES: &[&str] = &[
            "2024", "2023", "1899", "2101", "0000", "20", "01", "1", "02", "2", "12", "13", "29",
            "30", "31", "00", "-", "+", " ", "T", "t", ":", "\u{a0}", "x", "9",
        ];
        const AMOUNT_PIECES: &[&str] = &[
            "1", "12", "234", "0", "-", "+", ".", ",", "e", "E", " ", "(", ")", "€", "руб", "'",
            "\u{a0}", "x", "5",
        ];

        fn glued(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(pieces), 0..10).prop_map(|p| p.concat())
        }

        /// Year, separator, month, separator, day, then maybe a time: mostly
        /// the ISO shape, valid or nearly.
        fn near_iso() -> impl Strategy<Value = String> {
            let year = prop::sample::select(
                &[
                    "2024", "2023", "1900", "2100", "1899", "+2024", "0000", "202",
                ][..],
            );
            let sep = prop::sample::select(&["-", "-", "-", "- ", "", "/"][..]);
            let part = prop::sample::select(
                &[
                    "01", "1", " 1", "02", "12", "13", "29", "30", "31", "00", "0a",
                ][..],
            );
            let tail = prop::sample::select(&["", "T10:00", " 10:00", "x", "  1"][..]);
            (year, sep.clone(), part.clone(), sep, part, tail)
                .prop_map(|(y, s1, m, s2, d, t)| format!("{y}{s1}{m}{s2}{d}{t}"))
        }

        proptest! {
            #[test]
            fn dates_read_as_before(raw in glued(DATE_PIECES)) {
                check_same(&raw);
            }

            #[test]
            fn near_iso_dates_read_as_before(raw in near_iso()) {
                check_same(&raw);
            }

            #[test]
            fn digit_runs_read_as_before(raw in "(19|20|21)[0-9]{5,13}") {
                check_same(&raw);
            }

            #[test]
            fn plain_numbers_read_as_before(raw in "-?[0-9]{0,8}[.]?[0-9]{0,6}") {
                check_same(&raw);
            }

            #[test]
            fn printed_floats_read_back(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
                check_same(&x.to_string());
                prop_assert_eq!(parse_amount(&x.to_string()), Some(x));
            }

            #[test]
            fn amounts_read_as_before(raw in glued(AMOUNT_PIECES)) {
                check_same(&raw);
            }
        }
    }
}
