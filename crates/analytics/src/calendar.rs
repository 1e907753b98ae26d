//! Days and calendar periods: day numbers (days since 0001-01-01, as
//! `NaiveDate::num_days_from_ce`) turned into months and periods fast.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Calendar periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// ISO weeks, Monday to Sunday.
    Week,
    #[default]
    Month,
    Quarter,
}

impl Period {
    /// A running number of the period holding `date` (consecutive periods differ by 1).
    pub fn index(self, date: NaiveDate) -> i32 {
        match self {
            // Days since 0001-01-01 (a Monday) divided into weeks.
            Period::Week => (date.num_days_from_ce() - 1).div_euclid(7),
            Period::Month => date.year() * 12 + date.month0() as i32,
            Period::Quarter => date.year() * 4 + date.month0() as i32 / 3,
        }
    }

    /// [`Period::index`] of day number `day` (`NaiveDate::num_days_from_ce`),
    /// without building the date; `None` where chrono has no such date.
    pub(crate) fn index_of_day(self, day: i32) -> Option<i32> {
        match self {
            Period::Week => NaiveDate::from_num_days_from_ce_opt(day)
                .is_some()
                .then(|| (day - 1).div_euclid(7)),
            Period::Month => month_of_day(day),
            Period::Quarter => year_month0(day).map(|(y, m)| y * 4 + m as i32 / 3),
        }
    }

    /// The first day of period `index`.
    pub fn first_day(self, index: i32) -> NaiveDate {
        let date = match self {
            Period::Week => NaiveDate::from_num_days_from_ce_opt(index * 7 + 1),
            Period::Month => {
                NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
            }
            Period::Quarter => {
                NaiveDate::from_ymd_opt(index.div_euclid(4), index.rem_euclid(4) as u32 * 3 + 1, 1)
            }
        };
        date.unwrap_or_default()
    }

    /// The last day of period `index`.
    pub fn last_day(self, index: i32) -> NaiveDate {
        self.first_day(index + 1).pred_opt().unwrap_or_default()
    }

    /// "2024-01", "2024-Q1", or the Monday of the week "2024-01-01".
    pub fn label(self, index: i32) -> String {
        match self {
            Period::Week => NaiveDate::from_num_days_from_ce_opt(index * 7 + 1)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Period::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Period::Quarter => format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
        }
    }
}

/// Chrono's day numbers (`NaiveDate::num_days_from_ce`) that chrono can
/// turn back into a date; the fast calendar below is exact within them.
const CALENDAR_DAYS: std::ops::RangeInclusive<i32> = -95_000_000..=95_000_000;

/// Year and zero-based month of day number `day` (days since 0001-01-01,
/// day 1 being that date), as `NaiveDate::from_num_days_from_ce_opt(day)`
/// would give them, without building the date: the analyses turn a day
/// into its month once per row. `None` where chrono has no such date.
/// (Howard Hinnant's `civil_from_days`.)
pub(crate) fn year_month0(day: i32) -> Option<(i32, u32)> {
    if !CALENDAR_DAYS.contains(&day) {
        return NaiveDate::from_num_days_from_ce_opt(day)
            .map(|d| (chrono::Datelike::year(&d), chrono::Datelike::month0(&d)));
    }
    // Days since 0000-03-01 (proleptic Gregorian).
    let z = i64::from(day) + 305;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month0 = if mp < 10 { mp + 2 } else { mp - 10 };
    let year = yoe + era * 400 + i64::from(month0 <= 1);
    Some((year as i32, month0 as u32))
}

/// `year * 12 + month0` of day number `day`; `None` where chrono has no date.
pub(crate) fn month_of_day(day: i32) -> Option<i32> {
    year_month0(day).map(|(y, m)| y * 12 + m as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_calendar_agrees_with_chrono() {
        let check = |day: i32| {
            let expected =
                NaiveDate::from_num_days_from_ce_opt(day).map(|d| (d.year(), d.month0()));
            assert_eq!(year_month0(day), expected, "day {day}");
        };
        // Every day from 1600 to 2400 (leap centuries), then a wide sweep
        // and the edges of chrono's range.
        for day in 583_700..876_600 {
            check(day);
        }
        for day in (-96_000_000..96_000_000).step_by(9_973) {
            check(day);
        }
        for edge in [
            i32::MIN,
            -95_000_001,
            -95_000_000,
            0,
            1,
            95_000_000,
            95_000_001,
            i32::MAX,
        ] {
            check(edge);
        }
    }
}
