//! CLV month by month, and over a window of months (issue 21; PyMC-Marketing
//! issues 218 and 1097): "what are customers worth in their second year"
//! is months 13-24.
//!
//! Month i (1-based) of the horizon is the i-th period of
//! [`super::summary::TimeUnit::per_month`] units after the observation end;
//! its expected purchases are E[Y(i)] − E[Y(i−1)] and its CLV their
//! expected spend discounted by (1 + d)^−i, as in lifetimes'
//! `customer_lifetime_value`. A window (m, n) keeps months m..=n: its CLV is
//! still in today's money (discounted from now, not from month m).

use serde::{Deserialize, Serialize};

/// Months `from` to `to` of the horizon, both included, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonthWindow {
    pub from: u32,
    pub to: u32,
}

impl MonthWindow {
    /// "13-24" (also "13..24", "13–24"); a single "12" is months 1-12.
    pub fn parse(text: &str) -> Option<MonthWindow> {
        let text = text.trim();
        let parts: Vec<&str> = text
            .split(['-', '–', '—'])
            .flat_map(|p| p.split(".."))
            .map(str::trim)
            .collect();
        let number = |s: &str| s.parse::<u32>().ok();
        match parts[..] {
            [to] => Some(MonthWindow {
                from: 1,
                to: number(to)?,
            }),
            [from, to] => Some(MonthWindow {
                from: number(from)?,
                to: number(to)?,
            }),
            _ => None,
        }
    }

    /// 1 ≤ from ≤ to ≤ `max`.
    pub fn is_valid(&self, max: u32) -> bool {
        1 <= self.from && self.from <= self.to && self.to <= max
    }

    pub fn contains(&self, month: u32) -> bool {
        (self.from..=self.to).contains(&month)
    }

    /// Months in the window.
    pub fn len(&self) -> u32 {
        self.to.saturating_sub(self.from) + 1
    }

    pub fn is_empty(&self) -> bool {
        self.to < self.from
    }
}

/// One month of the horizon: what all customers are expected to buy in it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthValue {
    /// 1-based month after the observation end.
    pub month: u32,
    /// Expected purchases of all predicted customers in this month.
    pub expected_purchases: f64,
    /// Their expected spend in this month, discounted to today (× the
    /// margin); `None` without a spend model.
    pub clv: Option<f64>,
    /// Whether the month is in the CLV window (every month when no window
    /// is set).
    pub in_window: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_check() {
        let w = MonthWindow { from: 13, to: 24 };
        for text in ["13-24", " 13 - 24 ", "13..24", "13–24"] {
            assert_eq!(MonthWindow::parse(text), Some(w), "{text}");
        }
        assert_eq!(
            MonthWindow::parse("12"),
            Some(MonthWindow { from: 1, to: 12 })
        );
        for bad in ["", "a-b", "1-2-3", "-5", "13-"] {
            assert_eq!(MonthWindow::parse(bad), None, "{bad}");
        }
        assert!(w.is_valid(600) && !w.is_valid(20));
        assert!(!MonthWindow { from: 0, to: 3 }.is_valid(600));
        assert!(!MonthWindow { from: 5, to: 3 }.is_valid(600));
        assert_eq!(w.len(), 12);
        assert!(w.contains(13) && w.contains(24) && !w.contains(12));
    }
}
