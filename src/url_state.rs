//! The view in the address: `#retention&period=quarter&window=60&from=2024-01-01`.
//! A link reopens the same page with the same settings once the same files
//! are dropped. Only plain settings travel in the link; edited rules and
//! re-mapped reasons stay in local storage.

use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::models::{ModelChoice, MonthWindow, TimeUnit};
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::Settings;

fn period_id(p: Period) -> &'static str {
    match p {
        Period::Week => "week",
        Period::Month => "month",
        Period::Quarter => "quarter",
    }
}

/// `base` with whatever the hash (after the page id) sets; unknown or
/// malformed parts are ignored.
pub fn settings_from_hash(hash: &str, mut base: Settings) -> Settings {
    for part in hash.trim_start_matches('#').split('&').skip(1) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key {
            "period" => {
                if let Some(p) = [Period::Week, Period::Month, Period::Quarter]
                    .into_iter()
                    .find(|p| period_id(*p) == value)
                {
                    base.period = p;
                }
            }
            "window" => {
                if let Some(d) = value.parse::<u32>().ok().filter(|d| (1..=3650).contains(d)) {
                    base.churn_window_days = d;
                }
            }
            "from" => base.date_from = value.parse::<NaiveDate>().ok(),
            "to" => base.date_to = value.parse::<NaiveDate>().ok(),
            "unit" => {
                if let Some(u) = TimeUnit::parse(value) {
                    base.clv.time_unit = u;
                }
            }
            "calibration" => base.clv.calibration_end = value.parse::<NaiveDate>().ok(),
            "horizon" => {
                if let Some(m) = value.parse::<u32>().ok().filter(|m| (1..=120).contains(m)) {
                    base.clv.horizon_months = m;
                }
            }
            "discount" => {
                if let Some(r) = value.parse::<f64>().ok().filter(|r| (0.0..1.0).contains(r)) {
                    base.clv.discount_rate = r;
                }
            }
            "model" => {
                if let Some(m) = ModelChoice::parse(value) {
                    base.clv.model = m;
                }
            }
            "months" => {
                base.clv.window_months = MonthWindow::parse(value).filter(|w| w.is_valid(600))
            }
            "margin" => {
                base.clv.margin = value
                    .parse::<f64>()
                    .ok()
                    .filter(|m| (0.0..=1.0).contains(m))
            }
            _ => {}
        }
    }
    base
}

/// The hash for a page and the settings that differ from the defaults.
pub fn hash_for(page: &str, s: &Settings) -> String {
    let d = Settings::default();
    let mut out = format!("#{page}");
    let mut put = |k: &str, v: String| {
        out.push('&');
        out.push_str(k);
        out.push('=');
        out.push_str(&v);
    };
    if s.period != d.period {
        put("period", period_id(s.period).into());
    }
    if s.churn_window_days != d.churn_window_days {
        put("window", s.churn_window_days.to_string());
    }
    if let Some(f) = s.date_from {
        put("from", f.to_string());
    }
    if let Some(t) = s.date_to {
        put("to", t.to_string());
    }
    if s.clv.time_unit != d.clv.time_unit {
        put("unit", format!("{:?}", s.clv.time_unit).to_lowercase());
    }
    if let Some(c) = s.clv.calibration_end {
        put("calibration", c.to_string());
    }
    if s.clv.horizon_months != d.clv.horizon_months {
        put("horizon", s.clv.horizon_months.to_string());
    }
    if s.clv.discount_rate != d.clv.discount_rate {
        put("discount", s.clv.discount_rate.to_string());
    }
    if let Some(m) = s.clv.margin {
        put("margin", m.to_string());
    }
    if s.clv.model != d.clv.model {
        put("model", s.clv.model.as_str().to_string());
    }
    if let Some(w) = s.clv.window_months {
        put("months", format!("{}-{}", w.from, w.to));
    }
    out
}
