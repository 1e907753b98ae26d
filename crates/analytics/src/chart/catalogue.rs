//! Every chart once: its id (`canvas[data-chart]` on the page, `figure[data-chart]`
//! in the HTML report, the download's file name) and its caption in English
//! and Russian. The page's `CanvasChart` and the report's `Doc::chart` take a
//! [`ChartId`], so a chart has one name and one caption wherever it is drawn.

use crate::display::Locale;

/// One chart of the page and/or the HTML report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartId {
    MonthlyActivity,
    Lifecycle,
    CohortCurves,
    OrdersPerCustomer,
    DaysBetweenPurchases,
    Seasonality,
    Survival,
    NpsDistribution,
    NpsTrend,
    LoyaltyLink,
    ClvDistribution,
    ClvHoldout,
    ClvTracking,
    ClvByMonth,
    RfmGrid,
    ChurnPareto,
    /// The most frequent stated reasons (the HTML report's; the page lists
    /// them in a table).
    ChurnReasons,
    ChurnReference,
    ChurnIncidence,
}

impl ChartId {
    pub const ALL: [ChartId; 19] = [
        ChartId::MonthlyActivity,
        ChartId::Lifecycle,
        ChartId::CohortCurves,
        ChartId::OrdersPerCustomer,
        ChartId::DaysBetweenPurchases,
        ChartId::Seasonality,
        ChartId::Survival,
        ChartId::NpsDistribution,
        ChartId::NpsTrend,
        ChartId::LoyaltyLink,
        ChartId::ClvDistribution,
        ChartId::ClvHoldout,
        ChartId::ClvTracking,
        ChartId::ClvByMonth,
        ChartId::RfmGrid,
        ChartId::ChurnPareto,
        ChartId::ChurnReasons,
        ChartId::ChurnReference,
        ChartId::ChurnIncidence,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            ChartId::MonthlyActivity => "monthly_activity",
            ChartId::Lifecycle => "lifecycle",
            ChartId::CohortCurves => "cohort_curves",
            ChartId::OrdersPerCustomer => "orders_per_customer",
            ChartId::DaysBetweenPurchases => "days_between_purchases",
            ChartId::Seasonality => "seasonality",
            ChartId::Survival => "survival",
            ChartId::NpsDistribution => "nps_distribution",
            ChartId::NpsTrend => "nps_trend",
            ChartId::LoyaltyLink => "loyalty_link",
            ChartId::ClvDistribution => "clv_distribution",
            ChartId::ClvHoldout => "clv_holdout",
            ChartId::ClvTracking => "clv_tracking",
            ChartId::ClvByMonth => "clv_by_month",
            ChartId::RfmGrid => "rfm_grid",
            ChartId::ChurnPareto => "churn_pareto",
            ChartId::ChurnReasons => "churn_reasons",
            ChartId::ChurnReference => "churn_reference",
            ChartId::ChurnIncidence => "churn_incidence",
        }
    }

    /// The caption above the chart: (English, Russian).
    pub const fn caption_pair(self) -> (&'static str, &'static str) {
        match self {
            ChartId::MonthlyActivity => ("Active customers and revenue per month", "Активные клиенты и выручка по месяцам"),
            ChartId::Lifecycle => ("Where each period's customers come from, and who was lost", "Откуда клиенты каждого периода и кого потеряли"),
            ChartId::CohortCurves => (
                "Monthly cohorts: each cohort's retention (grey) and the size-weighted average (blue)",
                "Месячные когорты: удержание каждой (серым) и среднее, взвешенное по размеру (синим)",
            ),
            ChartId::OrdersPerCustomer => ("Customers by number of orders", "Клиенты по числу заказов"),
            ChartId::DaysBetweenPurchases => ("Days between one purchase and the next", "Дней между покупками"),
            ChartId::Seasonality => (
                "Seasonality: orders (bars) and revenue (line) per calendar month, 1 = an average month",
                "Сезонность: заказы (столбцы) и выручка (линия) по месяцам года, 1 = средний месяц",
            ),
            ChartId::Survival => ("How long customers stay (Kaplan-Meier, 95% band)", "Как долго остаются клиенты (Каплан–Мейер, 95% интервал)"),
            ChartId::NpsDistribution => ("Answers per score: detractors, passives, promoters", "Ответы по оценкам: критики, нейтралы, промоутеры"),
            ChartId::NpsTrend => (
                "NPS per period with its 95% interval (rings: significant change)",
                "NPS по периодам с 95% интервалом (кольца — значимое изменение)",
            ),
            ChartId::LoyaltyLink => (
                "Loyalty is behaviour: who bought again, by NPS group (95% intervals)",
                "Лояльность — это поведение: кто купил снова, по группам NPS (95% интервалы)",
            ),
            ChartId::ClvDistribution => ("How CLV is spread over customers", "Распределение CLV по клиентам"),
            ChartId::ClvHoldout => (
                "Model check: holdout purchases, actual vs predicted, by purchases in the calibration period",
                "Проверка модели: покупки в контрольном периоде, факт и прогноз, по числу покупок в калибровке",
            ),
            ChartId::ClvTracking => ("Cumulative purchases per week, actual vs model", "Накопленные покупки по неделям, факт и модель"),
            ChartId::ClvByMonth => (
                "What customers are worth month by month (the CLV window in blue)",
                "Ценность клиентов по месяцам (окно CLV — синим)",
            ),
            ChartId::RfmGrid => (
                "RFM: recency (rows) by frequency-and-spend (columns), coloured by segment",
                "RFM: давность (строки) на частоту и сумму (столбцы), цвет — сегмент",
            ),
            ChartId::ChurnPareto => (
                "Why customers leave: categories, most frequent first, with the cumulative share",
                "Почему уходят клиенты: категории по частоте с накопленной долей",
            ),
            ChartId::ChurnReasons => (
                "The 12 most frequent churn reasons, with the cumulative share of all who left",
                "12 самых частых причин ухода, с накопленной долей всех ушедших",
            ),
            ChartId::ChurnReference => (
                "Your customers' reasons beside a cross-industry study (1% die, 3% move, 5% other relationships, 9% competitors, 14% product, 68% treatment)",
                "Причины ваших клиентов рядом с межотраслевым исследованием (1% умирают, 3% переезжают, 5% другие связи, 9% конкуренты, 14% продукт, 68% отношение)",
            ),
            ChartId::ChurnIncidence => (
                "Which reason takes customers early and which late (cumulative incidence over tenure, Aalen-Johansen)",
                "Какая причина уводит рано, а какая поздно (накопленная частота по сроку, Аален–Йохансен)",
            ),
        }
    }

    /// [`ChartId::caption_pair`] in `locale`.
    pub const fn caption(self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.caption_pair().0,
            Locale::Ru => self.caption_pair().1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_captions_are_distinct() {
        let mut ids = std::collections::HashSet::new();
        let mut captions = std::collections::HashSet::new();
        for c in ChartId::ALL {
            assert!(ids.insert(c.id()), "{c:?}");
            assert!(captions.insert(c.caption(Locale::En)), "{c:?}");
            assert!(captions.insert(c.caption(Locale::Ru)), "{c:?}");
            assert!(
                c.caption(Locale::Ru)
                    .chars()
                    .any(|ch| ('а'..='я').contains(&ch)),
                "{c:?}"
            );
        }
    }
}
