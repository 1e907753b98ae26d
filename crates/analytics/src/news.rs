//! What changed significantly, in a few plain facts a page opens with:
//! the latest significant NPS move, and the last full period's retention
//! against the one before when the difference is significant (two-proportion
//! z-test, 95%). Facts only, as data; the page and the report write them in
//! their language.

use serde::{Deserialize, Serialize};

use crate::metrics::customer_base::PeriodRetention;
use crate::metrics::programme::two_proportions;
use crate::metrics::surveys::NpsPeriod;
use crate::report::Report;

/// One fact worth a sentence at the top of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum News {
    /// NPS moved significantly from one period to the next (the latest such move).
    NpsChange {
        from_period: String,
        from: f64,
        period: String,
        to: f64,
    },
    /// Retention (retained / customers at the start) of the last full period
    /// differs significantly from the period before.
    RetentionChange {
        from_period: String,
        from: f64,
        period: String,
        to: f64,
        p_value: f64,
    },
}

impl News {
    /// The change, positive for a rise.
    pub fn change(&self) -> f64 {
        match self {
            News::NpsChange { from, to, .. } | News::RetentionChange { from, to, .. } => to - from,
        }
    }
}

/// Significance level of a retention change.
const ALPHA: f64 = 0.05;

/// The facts of `report`, most recent first; none when nothing changed
/// significantly.
pub fn news(report: &Report) -> Vec<News> {
    let trend = report
        .surveys
        .as_ref()
        .map_or(&[][..], |s| &s.nps_trend[..]);
    news_from(trend, &report.period_retention)
}

/// [`news`] from the NPS trend and the retention per period.
pub fn news_from(trend: &[NpsPeriod], period_retention: &[PeriodRetention]) -> Vec<News> {
    let mut out = Vec::new();
    {
        let latest = trend.windows(2).rev().find(|w| w[1].significant_change);
        if let Some([before, after]) = latest {
            out.push(News::NpsChange {
                from_period: before.label.clone(),
                from: before.summary.nps,
                period: after.label.clone(),
                to: after.summary.nps,
            });
        }
    }
    let full: Vec<_> = period_retention
        .iter()
        .filter(|p| p.complete && p.start_base > 0)
        .collect();
    if let [.., before, last] = full.as_slice() {
        if let Some(p_value) = two_proportions(
            last.retained,
            last.start_base,
            before.retained,
            before.start_base,
        ) {
            if p_value < ALPHA {
                out.push(News::RetentionChange {
                    from_period: before.period.clone(),
                    from: before.retained as f64 / before.start_base as f64,
                    period: last.period.clone(),
                    to: last.retained as f64 / last.start_base as f64,
                    p_value,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NpsScore;
    use crate::metrics::nps::NpsCounts;

    fn full(name: &str, start: u64, retained: u64, complete: bool) -> PeriodRetention {
        PeriodRetention {
            period: name.into(),
            start_base: start,
            end_base: retained,
            new: 0,
            lost: start - retained,
            returned: 0,
            retained,
            retention_rate: Some(retained as f64 / start as f64),
            churn_rate: Some(1.0 - retained as f64 / start as f64),
            complete,
        }
    }

    fn nps_period(
        label: &str,
        promoters: u8,
        detractors: u8,
        significant_change: bool,
    ) -> NpsPeriod {
        let scores = (0..promoters)
            .map(|_| "10")
            .chain((0..detractors).map(|_| "0"));
        let counts = NpsCounts::from_scores(scores.map(|s| NpsScore::try_from(s).unwrap()));
        NpsPeriod {
            label: label.into(),
            summary: counts.summary().unwrap(),
            significant_change,
            responses_for_5_points: None,
        }
    }

    #[test]
    fn a_significant_retention_drop_is_news() {
        // 80/100 then 60/100: pooled p = 0.7, se = sqrt(0.7 * 0.3 * 0.02) = 0.0648074,
        // z = 0.2 / 0.0648074 = 3.08607, two-sided p = erfc(3.08607 / sqrt 2) = 0.0020279
        // (Python: math.erfc(0.2 / math.sqrt(0.7 * 0.3 * 0.02) / math.sqrt(2))).
        let periods = [
            full("2025-10", 100, 80, true),
            full("2025-11", 100, 60, true),
            full("2025-12", 50, 10, false),
        ];
        let news = news_from(&[], &periods);
        let [News::RetentionChange {
            from_period,
            from,
            period,
            to,
            p_value,
        }] = news.as_slice()
        else {
            panic!("{news:?}");
        };
        assert_eq!(
            (from_period.as_str(), period.as_str()),
            ("2025-10", "2025-11")
        );
        assert!((from - 0.8).abs() < 1e-12 && (to - 0.6).abs() < 1e-12);
        assert!((p_value - 0.002_027_9).abs() < 1e-6, "{p_value}");
        // 80/100 then 78/100: z = 0.35, p = 0.73: no news.
        assert!(news_from(&[], &[full("a", 100, 80, true), full("b", 100, 78, true)]).is_empty());
    }

    #[test]
    fn the_latest_significant_nps_move_is_news() {
        // NPS 100 (10 promoters), then 20 (6 vs 4, flagged), then 20 (not flagged).
        let trend = [
            nps_period("Q1", 10, 0, false),
            nps_period("Q2", 6, 4, true),
            nps_period("Q3", 6, 4, false),
        ];
        let news = news_from(&trend, &[]);
        assert_eq!(
            news,
            [News::NpsChange {
                from_period: "Q1".into(),
                from: 100.0,
                period: "Q2".into(),
                to: 20.0
            }]
        );
        assert!(news[0].change() < 0.0);
        assert!(news_from(&trend[2..], &[]).is_empty());
    }
}
