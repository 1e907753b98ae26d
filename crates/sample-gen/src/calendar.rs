//! Civil dates as day numbers (days since 1970-01-01), after Howard
//! Hinnant's `days_from_civil` / `civil_from_days`.

pub type Day = i32;

pub fn day(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil(day: Day) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

/// `YYYY-MM-DD`.
pub fn iso(day: Day) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Month of the year, 1-12.
pub fn month_of(day: Day) -> u32 {
    civil(day).1
}

/// The first day of month `index` (0 = 2024-01).
pub fn month_start(index: usize) -> Day {
    day(2024 + (index / 12) as i32, (index % 12) as u32 + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(2024, 2, 29) + 1, day(2024, 3, 1));
        assert_eq!(iso(day(2025, 12, 31)), "2025-12-31");
        for d in day(2023, 12, 1)..day(2026, 2, 1) {
            let (y, m, dd) = civil(d);
            assert_eq!(day(y, m, dd), d);
        }
        assert_eq!(month_start(14), day(2025, 3, 1));
    }
}
