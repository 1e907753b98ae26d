//! Every headline figure, once: its Report key (the `metrics` map, the
//! page's `data-metric`), what kind of number it is (which decides how the
//! page, the HTML report and the CLI write it) and its area. Adding a figure
//! is adding a variant here; the `match`es have no wildcard, so the
//! compiler asks for the rest. (Its words in each language are the next
//! step of issue 19: today the page and the HTML report name figures apart.)

/// A headline figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetricId {
    RowsRead,
    RowsUsed,
    RowsRejected,
    Customers,
    Transactions,
    Orders,
    Revenue,
    RepeatRate,
    RetentionRate,
    ChurnRate,
    RetentionM1,
    RetentionM3,
    RetentionM6,
    RetentionM12,
    KmMedianMonths,
    Responses,
    Nps,
    NpsMargin,
    NpsCiLow,
    NpsCiHigh,
    PromotersPct,
    PassivesPct,
    DetractorsPct,
    Csat,
    Ces,
    BgnbdR,
    BgnbdAlpha,
    BgnbdA,
    BgnbdB,
    BgnbdLl,
    GgP,
    GgQ,
    GgV,
    ClvTotal,
    ClvMean,
    PAliveMean,
    ExpectedPurchasesTotal,
    ChurnedCustomers,
    ChurnReasons,
    ChurnTopReasonShare,
    ChurnControllableShare,
    ChurnRevenueLost,
}

/// What kind of number a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Whole things: customers, rows, orders.
    Count,
    Money,
    /// A fraction in [0, 1], written as a percentage.
    Share,
    /// NPS points, -100 to 100.
    Points,
    /// A share given in points 0-100 (the promoters' share).
    PercentPoints,
    Months,
    /// An average on a scale (CES 1-7).
    Mean,
    /// A model's parameter or log-likelihood.
    Parameter,
}

/// Where a figure belongs (a page, a section of the HTML report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricArea {
    Reading,
    Base,
    Retention,
    Surveys,
    Clv,
    Churn,
}

impl MetricId {
    pub const ALL: [MetricId; 42] = [
        MetricId::RowsRead,
        MetricId::RowsUsed,
        MetricId::RowsRejected,
        MetricId::Customers,
        MetricId::Transactions,
        MetricId::Orders,
        MetricId::Revenue,
        MetricId::RepeatRate,
        MetricId::RetentionRate,
        MetricId::ChurnRate,
        MetricId::RetentionM1,
        MetricId::RetentionM3,
        MetricId::RetentionM6,
        MetricId::RetentionM12,
        MetricId::KmMedianMonths,
        MetricId::Responses,
        MetricId::Nps,
        MetricId::NpsMargin,
        MetricId::NpsCiLow,
        MetricId::NpsCiHigh,
        MetricId::PromotersPct,
        MetricId::PassivesPct,
        MetricId::DetractorsPct,
        MetricId::Csat,
        MetricId::Ces,
        MetricId::BgnbdR,
        MetricId::BgnbdAlpha,
        MetricId::BgnbdA,
        MetricId::BgnbdB,
        MetricId::BgnbdLl,
        MetricId::GgP,
        MetricId::GgQ,
        MetricId::GgV,
        MetricId::ClvTotal,
        MetricId::ClvMean,
        MetricId::PAliveMean,
        MetricId::ExpectedPurchasesTotal,
        MetricId::ChurnedCustomers,
        MetricId::ChurnReasons,
        MetricId::ChurnTopReasonShare,
        MetricId::ChurnControllableShare,
        MetricId::ChurnRevenueLost,
    ];

    /// The Report's key and the page's `data-metric`.
    pub const fn id(self) -> &'static str {
        match self {
            MetricId::RowsRead => "rows_read",
            MetricId::RowsUsed => "rows_used",
            MetricId::RowsRejected => "rows_rejected",
            MetricId::Customers => "customers",
            MetricId::Transactions => "transactions",
            MetricId::Orders => "orders",
            MetricId::Revenue => "revenue",
            MetricId::RepeatRate => "repeat_rate",
            MetricId::RetentionRate => "retention_rate",
            MetricId::ChurnRate => "churn_rate",
            MetricId::RetentionM1 => "retention_m1",
            MetricId::RetentionM3 => "retention_m3",
            MetricId::RetentionM6 => "retention_m6",
            MetricId::RetentionM12 => "retention_m12",
            MetricId::KmMedianMonths => "km_median_months",
            MetricId::Responses => "responses",
            MetricId::Nps => "nps",
            MetricId::NpsMargin => "nps_margin",
            MetricId::NpsCiLow => "nps_ci_low",
            MetricId::NpsCiHigh => "nps_ci_high",
            MetricId::PromotersPct => "promoters_pct",
            MetricId::PassivesPct => "passives_pct",
            MetricId::DetractorsPct => "detractors_pct",
            MetricId::Csat => "csat",
            MetricId::Ces => "ces",
            MetricId::BgnbdR => "bgnbd_r",
            MetricId::BgnbdAlpha => "bgnbd_alpha",
            MetricId::BgnbdA => "bgnbd_a",
            MetricId::BgnbdB => "bgnbd_b",
            MetricId::BgnbdLl => "bgnbd_ll",
            MetricId::GgP => "gg_p",
            MetricId::GgQ => "gg_q",
            MetricId::GgV => "gg_v",
            MetricId::ClvTotal => "clv_total",
            MetricId::ClvMean => "clv_mean",
            MetricId::PAliveMean => "p_alive_mean",
            MetricId::ExpectedPurchasesTotal => "expected_purchases_total",
            MetricId::ChurnedCustomers => "churned_customers",
            MetricId::ChurnReasons => "churn_reasons",
            MetricId::ChurnTopReasonShare => "churn_top_reason_share",
            MetricId::ChurnControllableShare => "churn_controllable_share",
            MetricId::ChurnRevenueLost => "churn_revenue_lost",
        }
    }

    /// The figure with this Report key.
    pub fn from_id(id: &str) -> Option<MetricId> {
        MetricId::ALL.into_iter().find(|m| m.id() == id)
    }

    pub const fn kind(self) -> MetricKind {
        use MetricId::*;
        match self {
            RowsRead | RowsUsed | RowsRejected | Customers | Transactions | Orders | Responses
            | ChurnedCustomers | ChurnReasons => MetricKind::Count,
            // Expected purchases are a model's sum: not whole, but counted.
            ExpectedPurchasesTotal => MetricKind::Count,
            Revenue | ClvTotal | ClvMean | ChurnRevenueLost => MetricKind::Money,
            RepeatRate
            | RetentionRate
            | ChurnRate
            | RetentionM1
            | RetentionM3
            | RetentionM6
            | RetentionM12
            | Csat
            | PAliveMean
            | ChurnTopReasonShare
            | ChurnControllableShare => MetricKind::Share,
            Nps | NpsMargin | NpsCiLow | NpsCiHigh => MetricKind::Points,
            PromotersPct | PassivesPct | DetractorsPct => MetricKind::PercentPoints,
            KmMedianMonths => MetricKind::Months,
            Ces => MetricKind::Mean,
            BgnbdR | BgnbdAlpha | BgnbdA | BgnbdB | BgnbdLl | GgP | GgQ | GgV => {
                MetricKind::Parameter
            }
        }
    }

    pub const fn area(self) -> MetricArea {
        use MetricId::*;
        match self {
            RowsRead | RowsUsed | RowsRejected => MetricArea::Reading,
            Customers | Transactions | Orders | Revenue | RepeatRate => MetricArea::Base,
            RetentionRate | ChurnRate | RetentionM1 | RetentionM3 | RetentionM6 | RetentionM12
            | KmMedianMonths => MetricArea::Retention,
            Responses | Nps | NpsMargin | NpsCiLow | NpsCiHigh | PromotersPct | PassivesPct
            | DetractorsPct | Csat | Ces => MetricArea::Surveys,
            BgnbdR
            | BgnbdAlpha
            | BgnbdA
            | BgnbdB
            | BgnbdLl
            | GgP
            | GgQ
            | GgV
            | ClvTotal
            | ClvMean
            | PAliveMean
            | ExpectedPurchasesTotal => MetricArea::Clv,
            ChurnedCustomers
            | ChurnReasons
            | ChurnTopReasonShare
            | ChurnControllableShare
            | ChurnRevenueLost => MetricArea::Churn,
        }
    }

    /// The figure written for the command line (plain ASCII, no grouping):
    /// shares as percentages, counts whole, the rest with two decimals.
    pub fn plain_text(self, value: f64) -> String {
        match self.kind() {
            MetricKind::Share => format!("{:.1}%", value * 100.0),
            MetricKind::Count if value.fract() == 0.0 => format!("{value:.0}"),
            _ => format!("{value:.2}"),
        }
    }
}

/// A figure equals its Report key: `metric == "nps"`.
impl PartialEq<&str> for MetricId {
    fn eq(&self, key: &&str) -> bool {
        self.id() == *key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_round_trip() {
        let mut ids: Vec<&str> = MetricId::ALL.iter().map(|m| m.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), MetricId::ALL.len());
        for m in MetricId::ALL {
            assert_eq!(MetricId::from_id(m.id()), Some(m));
            assert!(m == m.id());
        }
        assert_eq!(MetricId::from_id("parse_ms"), None);
    }

    #[test]
    fn plain_text_by_kind() {
        assert_eq!(MetricId::RepeatRate.plain_text(0.489), "48.9%");
        assert_eq!(MetricId::Customers.plain_text(23_570.0), "23570");
        assert_eq!(MetricId::Nps.plain_text(-26.6178), "-26.62");
        assert_eq!(
            MetricId::ExpectedPurchasesTotal.plain_text(1337.744),
            "1337.74"
        );
    }
}
