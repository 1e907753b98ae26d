//! NPS, CSAT and CES with their 95% intervals (docs/METRICS.md).

use serde::{Deserialize, Serialize};

use crate::dataset::NpsScore;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.96;

/// Which group a 0-10 answer falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsGroup {
    Detractor,
    Passive,
    Promoter,
}

impl NpsGroup {
    pub fn of(score: NpsScore) -> Self {
        match score.get() {
            9..=10 => NpsGroup::Promoter,
            7..=8 => NpsGroup::Passive,
            _ => NpsGroup::Detractor,
        }
    }

    pub const ALL: [NpsGroup; 3] = [NpsGroup::Promoter, NpsGroup::Passive, NpsGroup::Detractor];
}

/// Counts of the three groups; everything else derives from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsCounts {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsCounts {
    pub fn add(&mut self, score: NpsScore) {
        match NpsGroup::of(score) {
            NpsGroup::Promoter => self.promoters += 1,
            NpsGroup::Passive => self.passives += 1,
            NpsGroup::Detractor => self.detractors += 1,
        }
    }

    pub fn from_scores(scores: impl IntoIterator<Item = NpsScore>) -> Self {
        let mut counts = NpsCounts::default();
        scores.into_iter().for_each(|s| counts.add(s));
        counts
    }

    pub fn responses(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// The answers of `self` that are not in `part` (the rest of a total).
    pub fn minus(&self, part: &NpsCounts) -> NpsCounts {
        NpsCounts {
            promoters: self.promoters.saturating_sub(part.promoters),
            passives: self.passives.saturating_sub(part.passives),
            detractors: self.detractors.saturating_sub(part.detractors),
        }
    }

    /// NPS with its interval; `None` without answers (never NaN).
    pub fn summary(&self) -> Option<NpsSummary> {
        let n = self.responses();
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let pct = |k: u64| 100.0 * k as f64 / nf;
        let interval = nps_interval(self);
        Some(NpsSummary {
            responses: n,
            counts: *self,
            nps: pct(self.promoters) - pct(self.detractors),
            promoters_pct: pct(self.promoters),
            passives_pct: pct(self.passives),
            detractors_pct: pct(self.detractors),
            margin: interval.margin,
            ci_low: interval.low,
            ci_high: interval.high,
            standard_error: interval.standard_error,
        })
    }
}

/// The headline NPS figures, in points (-100..100; shares 0..100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsSummary {
    pub responses: u64,
    pub counts: NpsCounts,
    /// Unadjusted: %promoters - %detractors.
    pub nps: f64,
    pub promoters_pct: f64,
    pub passives_pct: f64,
    pub detractors_pct: f64,
    /// Half-width of the adjusted-Wald 95% interval.
    pub margin: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Adjusted-Wald standard error, for significance tests.
    pub standard_error: f64,
}

/// An interval in NPS points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsInterval {
    pub low: f64,
    pub high: f64,
    pub margin: f64,
    pub standard_error: f64,
    /// var = p' + d' - (p' - d')^2 of the adjusted proportions.
    pub variance: f64,
}

/// Adjusted-Wald 95% interval (Rocks 2016): three pseudo-answers, 0.75 each
/// to promoters and detractors (and 1.5 to passives), so that the interval
/// is honest for small samples and never collapses at 100% promoters.
/// The interval is centred on the adjusted NPS', as Rocks prescribes, and
/// clipped to [-100, 100].
pub fn nps_interval(counts: &NpsCounts) -> NpsInterval {
    let n_adj = counts.responses() as f64 + 3.0;
    let p = (counts.promoters as f64 + 0.75) / n_adj;
    let d = (counts.detractors as f64 + 0.75) / n_adj;
    let centre = p - d;
    let variance = p + d - centre * centre;
    let standard_error = (variance / n_adj).sqrt();
    let margin = Z95 * standard_error;
    NpsInterval {
        low: 100.0 * (centre - margin).max(-1.0),
        high: 100.0 * (centre + margin).min(1.0),
        margin: 100.0 * margin,
        standard_error: 100.0 * standard_error,
        variance,
    }
}

/// Answers needed for a margin of `margin_points` at the spread seen so far
/// (the adjusted variance): n' >= var * (1.96 / margin)^2, n = n' - 3.
pub fn responses_for_margin(counts: &NpsCounts, margin_points: f64) -> u64 {
    let variance = nps_interval(counts).variance;
    let n_adj = variance * (Z95 / (margin_points / 100.0)).powi(2);
    (n_adj.ceil() - 3.0).max(1.0) as u64
}

/// Two NPS figures differ significantly (95%) when
/// |NPS1 - NPS2| / sqrt(SE1^2 + SE2^2) > 1.96; the z value is returned.
pub fn nps_difference_z(a: &NpsSummary, b: &NpsSummary) -> Option<f64> {
    let se = (a.standard_error.powi(2) + b.standard_error.powi(2)).sqrt();
    (se > 0.0).then(|| (a.nps - b.nps) / se)
}

pub fn is_significant(z: Option<f64>) -> bool {
    z.is_some_and(|z| z.abs() > Z95)
}

/// Wilson score 95% interval of a proportion `k / n`.
pub fn wilson_interval(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 or 1 one bound is exactly 0 or 1; computed, it can miss by
    // a rounding and leave the estimate outside its own interval.
    let low = if k == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// A satisfaction scale: the lowest and highest answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
}

impl Scale {
    pub const ONE_TO_FIVE: Scale = Scale { min: 1, max: 5 };
    pub const ONE_TO_SEVEN: Scale = Scale { min: 1, max: 7 };
    pub const ONE_TO_TEN: Scale = Scale { min: 1, max: 10 };
    pub const ZERO_TO_TEN: Scale = Scale { min: 0, max: 10 };

    /// The smallest of the usual scales that holds every answer; `None`
    /// when an answer is not a whole number within 0-10.
    pub fn detect(values: impl IntoIterator<Item = f64>) -> Option<Scale> {
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if v.fract() != 0.0 || !(0.0..=10.0).contains(&v) {
                return None;
            }
            low = low.min(v);
            high = high.max(v);
        }
        if low > high {
            return None;
        }
        [
            Scale::ONE_TO_FIVE,
            Scale::ONE_TO_SEVEN,
            Scale::ONE_TO_TEN,
            Scale::ZERO_TO_TEN,
        ]
        .into_iter()
        .find(|s| low >= s.min as f64 && high <= s.max as f64)
    }

    /// The top two answers ("satisfied" and "very satisfied" on 1-5).
    pub fn is_top_two(self, value: f64) -> bool {
        value >= (self.max - 1) as f64
    }
}

/// CSAT: share of top-two answers (4-5 on 1-5) with a Wilson interval, and
/// the mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsatSummary {
    pub scale: Scale,
    pub responses: u64,
    pub satisfied: u64,
    /// Fraction of answers in the top two.
    pub csat: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub mean: f64,
    /// Answers per score, from `scale.min` up.
    pub distribution: Vec<u64>,
}

/// `scale`: the user's, or detected from the answers when `None`.
pub fn csat_summary(values: &[f64], scale: Option<Scale>) -> Option<CsatSummary> {
    let scale = scale.or_else(|| Scale::detect(values.iter().copied()))?;
    let in_scale: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| (scale.min as f64..=scale.max as f64).contains(v))
        .collect();
    let n = in_scale.len() as u64;
    if n == 0 {
        return None;
    }
    let satisfied = in_scale.iter().filter(|&&v| scale.is_top_two(v)).count() as u64;
    let (ci_low, ci_high) = wilson_interval(satisfied, n)?;
    let mut distribution = vec![0u64; (scale.max - scale.min) as usize + 1];
    for v in &in_scale {
        if let Some(slot) =
            distribution.get_mut((v.round() as usize).saturating_sub(scale.min as usize))
        {
            *slot += 1;
        }
    }
    Some(CsatSummary {
        scale,
        responses: n,
        satisfied,
        csat: satisfied as f64 / n as f64,
        ci_low,
        ci_high,
        mean: in_scale.iter().sum::<f64>() / n as f64,
        distribution,
    })
}

/// CES on 1-7: mean effort and the share of 5-7.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CesSummary {
    pub responses: u64,
    pub mean: f64,
    /// Fraction of answers 5-7 ("easy" when the question is worded so).
    pub share_5_to_7: f64,
}

pub fn ces_summary(values: &[f64]) -> Option<CesSummary> {
    let answers: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| (1.0..=7.0).contains(v))
        .collect();
    let n = answers.len();
    (n > 0).then(|| CesSummary {
        responses: n as u64,
        mean: answers.iter().sum::<f64>() / n as f64,
        share_5_to_7: answers.iter().filter(|&&v| v >= 5.0).count() as f64 / n as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(promoters: u64, passives: u64, detractors: u64) -> NpsCounts {
        NpsCounts {
            promoters,
            passives,
            detractors,
        }
    }

    #[test]
    fn interval_by_hand() {
        // 50 promoters, 30 passives, 20 detractors: NPS = 30.
        // n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456,
        // NPS' = 0.291262, var = 0.694175 - 0.084834 = 0.609341,
        // margin = 1.96 * sqrt(0.609341/103) = 1.96 * 0.076915 = 0.150753.
        let s = counts(50, 30, 20).summary().unwrap();
        assert!((s.nps - 30.0).abs() < 1e-12);
        assert!((s.margin - 15.0753).abs() < 1e-3, "{}", s.margin);
        assert!((s.ci_low - (29.1262 - 15.0753)).abs() < 1e-3);
        assert!((s.ci_high - (29.1262 + 15.0753)).abs() < 1e-3);
    }

    #[test]
    fn edge_cases_have_finite_intervals_or_no_data() {
        assert!(counts(0, 0, 0).summary().is_none());
        let all_promoters = counts(10, 0, 0).summary().unwrap();
        assert_eq!(all_promoters.nps, 100.0);
        assert!(all_promoters.ci_high <= 100.0 && all_promoters.ci_low < 100.0);
        let all_detractors = counts(0, 0, 10).summary().unwrap();
        assert_eq!(all_detractors.nps, -100.0);
        assert!(all_detractors.ci_low >= -100.0);
        let one = counts(1, 0, 0).summary().unwrap();
        assert!(one.margin.is_finite() && one.margin > 50.0);
    }

    #[test]
    fn wilson_by_hand() {
        // 8 of 10: centre = (0.8 + 0.19208) / 1.38416 = 0.716738,
        // half = 1.96/1.38416 * sqrt(0.016 + 0.009604) = 1.416021 * 0.160012 = 0.226580.
        let (low, high) = wilson_interval(8, 10).unwrap();
        assert!((low - 0.490158).abs() < 1e-5, "{low}");
        assert!((high - 0.943318).abs() < 1e-5, "{high}");
    }

    #[test]
    fn scales_are_the_smallest_that_hold_every_answer() {
        assert_eq!(Scale::detect([1.0, 5.0, 3.0]), Some(Scale::ONE_TO_FIVE));
        assert_eq!(Scale::detect([2.0, 6.0]), Some(Scale::ONE_TO_SEVEN));
        assert_eq!(Scale::detect([5.0, 10.0]), Some(Scale::ONE_TO_TEN));
        assert_eq!(Scale::detect([0.0, 3.0]), Some(Scale::ZERO_TO_TEN));
        assert_eq!(Scale::detect([4.5]), None);
    }

    #[test]
    fn answers_needed_for_five_points() {
        // By hand for 50/30/20 (var 0.609341 above): n' = 0.609341 * (1.96/0.05)^2
        // = 0.609341 * 1536.64 = 936.34 -> 937 pseudo-answers -> 934 answers.
        assert_eq!(responses_for_margin(&counts(50, 30, 20), 5.0), 934);
    }
}
