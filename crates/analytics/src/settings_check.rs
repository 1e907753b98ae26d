//! The bounds every setting must keep, checked the same way by the page
//! (a message beside the field, the bad value not sent) and the CLI (a bad
//! flag exits with the message).

use std::fmt;

use chrono::NaiveDate;

use crate::models::section::MAX_HORIZON_MONTHS;
use crate::report::Settings;

/// Longest churn window accepted: ten years.
pub const MAX_CHURN_WINDOW_DAYS: u32 = 3650;

/// One setting out of its bounds.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsError {
    /// The date filter ends before it starts.
    FromAfterTo { from: NaiveDate, to: NaiveDate },
    /// The churn window is not 1 to [`MAX_CHURN_WINDOW_DAYS`] days.
    ChurnWindow { days: u32 },
    /// The CLV horizon is not 1 to [`MAX_HORIZON_MONTHS`] months.
    Horizon { months: u32 },
    /// The monthly discount rate is not in [0, 1).
    DiscountRate { rate: f64 },
    /// The margin is not in [0, 1].
    Margin { margin: f64 },
    /// The CLV window is not months m to n with 1 ≤ m ≤ n ≤ [`MAX_HORIZON_MONTHS`].
    Window { from: u32, to: u32 },
}

/// Which field a [`SettingsError`] belongs to (the page shows the message beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsField {
    DateRange,
    ChurnWindow,
    Horizon,
    DiscountRate,
    Margin,
    Window,
}

impl SettingsError {
    pub fn field(&self) -> SettingsField {
        match self {
            SettingsError::FromAfterTo { .. } => SettingsField::DateRange,
            SettingsError::ChurnWindow { .. } => SettingsField::ChurnWindow,
            SettingsError::Horizon { .. } => SettingsField::Horizon,
            SettingsError::DiscountRate { .. } => SettingsField::DiscountRate,
            SettingsError::Margin { .. } => SettingsField::Margin,
            SettingsError::Window { .. } => SettingsField::Window,
        }
    }
}

/// The English message (the CLI's; the page has its own in both languages).
impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::FromAfterTo { from, to } => {
                write!(f, "the start date {from} is after the end date {to}")
            }
            SettingsError::ChurnWindow { days } => write!(
                f,
                "a churn window of {days} days is out of range: use 1 to {MAX_CHURN_WINDOW_DAYS} days"
            ),
            SettingsError::Horizon { months } => write!(
                f,
                "a CLV horizon of {months} months is out of range: use 1 to {MAX_HORIZON_MONTHS} months"
            ),
            SettingsError::DiscountRate { rate } => write!(
                f,
                "a monthly discount rate of {rate} is out of range: use 0 or more and below 1"
            ),
            SettingsError::Margin { margin } => {
                write!(f, "a margin of {margin} is out of range: use 0 to 1")
            }
            SettingsError::Window { from, to } => write!(
                f,
                "a CLV window of months {from}-{to} is out of range: use months m-n with 1 <= m <= n <= {MAX_HORIZON_MONTHS}"
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// Every setting out of its bounds, in the order of the fields; `Ok`
    /// when all are in bounds.
    pub fn validate(&self) -> Result<(), Vec<SettingsError>> {
        let mut errors = Vec::new();
        if let (Some(from), Some(to)) = (self.date_from, self.date_to) {
            if from > to {
                errors.push(SettingsError::FromAfterTo { from, to });
            }
        }
        let days = self.churn_window_days;
        if !(1..=MAX_CHURN_WINDOW_DAYS).contains(&days) {
            errors.push(SettingsError::ChurnWindow { days });
        }
        let months = self.clv.horizon_months;
        if !(1..=MAX_HORIZON_MONTHS).contains(&months) {
            errors.push(SettingsError::Horizon { months });
        }
        let rate = self.clv.discount_rate;
        if !(rate.is_finite() && (0.0..1.0).contains(&rate)) {
            errors.push(SettingsError::DiscountRate { rate });
        }
        if let Some(margin) = self.clv.margin {
            if !(margin.is_finite() && (0.0..=1.0).contains(&margin)) {
                errors.push(SettingsError::Margin { margin });
            }
        }
        if let Some(w) = self.clv.window_months {
            if !w.is_valid(MAX_HORIZON_MONTHS) {
                errors.push(SettingsError::Window {
                    from: w.from,
                    to: w.to,
                });
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Settings::default().validate(), Ok(()));
    }

    #[test]
    fn each_bound_gives_its_own_error() {
        let mut s = Settings {
            date_from: Some(date("2024-03-02")),
            date_to: Some(date("2024-03-01")),
            churn_window_days: 0,
            ..Settings::default()
        };
        s.clv.horizon_months = 0;
        s.clv.discount_rate = 1.0;
        s.clv.margin = Some(1.5);
        let errors = s.validate().unwrap_err();
        let fields: Vec<SettingsField> = errors.iter().map(SettingsError::field).collect();
        assert_eq!(
            fields,
            vec![
                SettingsField::DateRange,
                SettingsField::ChurnWindow,
                SettingsField::Horizon,
                SettingsField::DiscountRate,
                SettingsField::Margin,
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            "the start date 2024-03-02 is after the end date 2024-03-01"
        );
        assert_eq!(
            errors[1].to_string(),
            "a churn window of 0 days is out of range: use 1 to 3650 days"
        );
    }

    #[test]
    fn the_edges_of_each_range() {
        let ok = |f: &dyn Fn(&mut Settings)| {
            let mut s = Settings::default();
            f(&mut s);
            s.validate().is_ok()
        };
        // The same day twice is a one-day range, not an error.
        assert!(ok(&|s| {
            s.date_from = Some(date("2024-03-01"));
            s.date_to = Some(date("2024-03-01"));
        }));
        // Only one end of the range set: nothing to compare.
        assert!(ok(&|s| s.date_from = Some(date("2030-01-01"))));
        assert!(ok(&|s| s.churn_window_days = 1));
        assert!(ok(&|s| s.churn_window_days = 3650));
        assert!(!ok(&|s| s.churn_window_days = 3651));
        assert!(ok(&|s| s.clv.horizon_months = 1));
        assert!(ok(&|s| s.clv.horizon_months = 600));
        assert!(!ok(&|s| s.clv.horizon_months = 601));
        assert!(ok(&|s| s.clv.discount_rate = 0.0));
        assert!(!ok(&|s| s.clv.discount_rate = -0.01));
        assert!(!ok(&|s| s.clv.discount_rate = f64::NAN));
        assert!(ok(&|s| s.clv.margin = Some(0.0)));
        assert!(ok(&|s| s.clv.margin = Some(1.0)));
        assert!(!ok(&|s| s.clv.margin = Some(-0.1)));
        let window = |from, to| crate::models::clv_months::MonthWindow { from, to };
        assert!(ok(&|s| s.clv.window_months = Some(window(13, 24))));
        assert!(ok(&|s| s.clv.window_months = Some(window(600, 600))));
        assert!(!ok(&|s| s.clv.window_months = Some(window(0, 12))));
        assert!(!ok(&|s| s.clv.window_months = Some(window(13, 12))));
        assert!(!ok(&|s| s.clv.window_months = Some(window(1, 601))));
    }
}
