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
    PnbdR,
    PnbdAlpha,
    PnbdS,
    PnbdBeta,
    PnbdLl,
    GgP,
    GgQ,
    GgV,
    ClvTotal,
    ClvTotalLow,
    ClvTotalHigh,
    ClvMean,
    PAliveMean,
    ExpectedPurchasesTotal,
    ExpectedPurchasesLow,
    ExpectedPurchasesHigh,
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
    pub const ALL: [MetricId; 51] = [
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
        MetricId::PnbdR,
        MetricId::PnbdAlpha,
        MetricId::PnbdS,
        MetricId::PnbdBeta,
        MetricId::PnbdLl,
        MetricId::GgP,
        MetricId::GgQ,
        MetricId::GgV,
        MetricId::ClvTotal,
        MetricId::ClvTotalLow,
        MetricId::ClvTotalHigh,
        MetricId::ClvMean,
        MetricId::PAliveMean,
        MetricId::ExpectedPurchasesTotal,
        MetricId::ExpectedPurchasesLow,
        MetricId::ExpectedPurchasesHigh,
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
            MetricId::PnbdR => "pnbd_r",
            MetricId::PnbdAlpha => "pnbd_alpha",
            MetricId::PnbdS => "pnbd_s",
            MetricId::PnbdBeta => "pnbd_beta",
            MetricId::PnbdLl => "pnbd_ll",
            MetricId::GgP => "gg_p",
            MetricId::GgQ => "gg_q",
            MetricId::GgV => "gg_v",
            MetricId::ClvTotal => "clv_total",
            MetricId::ClvTotalLow => "clv_total_low",
            MetricId::ClvTotalHigh => "clv_total_high",
            MetricId::ClvMean => "clv_mean",
            MetricId::PAliveMean => "p_alive_mean",
            MetricId::ExpectedPurchasesTotal => "expected_purchases_total",
            MetricId::ExpectedPurchasesLow => "expected_purchases_low",
            MetricId::ExpectedPurchasesHigh => "expected_purchases_high",
            MetricId::ChurnedCustomers => "churned_customers",
            MetricId::ChurnReasons => "churn_reasons",
            MetricId::ChurnTopReasonShare => "churn_top_reason_share",
            MetricId::ChurnControllableShare => "churn_controllable_share",
            MetricId::ChurnRevenueLost => "churn_revenue_lost",
        }
    }

    /// The figure's name on a card, in the report and beside the CLI's
    /// value: (English, Russian).
    pub const fn label_pair(self) -> (&'static str, &'static str) {
        use MetricId::*;
        match self {
            RowsRead => ("Rows read", "Прочитано строк"),
            RowsUsed => ("Rows used", "Использовано строк"),
            RowsRejected => ("Rows rejected", "Отклонено строк"),
            Customers => ("Customers", "Клиенты"),
            Transactions => ("Transactions", "Строки продаж"),
            Orders => ("Orders", "Заказы"),
            Revenue => ("Revenue", "Выручка"),
            RepeatRate => ("Repeat purchase rate", "Доля повторных покупателей"),
            RetentionRate => (
                "Retention, last full period",
                "Удержание, последний полный период",
            ),
            ChurnRate => ("Churn, last full period", "Отток, последний полный период"),
            RetentionM1 => ("Back in month 1", "Вернулись в 1-й месяц"),
            RetentionM3 => ("Back in month 3", "Вернулись в 3-й месяц"),
            RetentionM6 => ("Back in month 6", "Вернулись в 6-й месяц"),
            RetentionM12 => ("Back in month 12", "Вернулись в 12-й месяц"),
            KmMedianMonths => ("Median lifetime, months", "Медианный срок жизни, мес."),
            Responses => ("Answers", "Ответы"),
            Nps => ("NPS", "NPS"),
            NpsMargin => ("Margin of error, ± points", "Погрешность, ± пунктов"),
            NpsCiLow => ("NPS, 95% low", "NPS, нижняя граница 95%"),
            NpsCiHigh => ("NPS, 95% high", "NPS, верхняя граница 95%"),
            PromotersPct => ("Promoters (9-10)", "Промоутеры (9–10)"),
            PassivesPct => ("Passives (7-8)", "Нейтралы (7–8)"),
            DetractorsPct => ("Detractors (0-6)", "Критики (0–6)"),
            Csat => ("CSAT, top two answers", "CSAT, две верхние оценки"),
            Ces => ("CES, mean effort", "CES, среднее усилие"),
            BgnbdR => ("BG/NBD r", "BG/NBD r"),
            BgnbdAlpha => ("BG/NBD α", "BG/NBD α"),
            BgnbdA => ("BG/NBD a", "BG/NBD a"),
            BgnbdB => ("BG/NBD b", "BG/NBD b"),
            BgnbdLl => ("BG/NBD log-likelihood", "BG/NBD: логарифм правдоподобия"),
            PnbdR => ("Pareto/NBD r", "Pareto/NBD r"),
            PnbdAlpha => ("Pareto/NBD α", "Pareto/NBD α"),
            PnbdS => ("Pareto/NBD s", "Pareto/NBD s"),
            PnbdBeta => ("Pareto/NBD β", "Pareto/NBD β"),
            PnbdLl => (
                "Pareto/NBD log-likelihood",
                "Pareto/NBD: логарифм правдоподобия",
            ),
            GgP => ("Gamma-Gamma p", "Gamma-Gamma p"),
            GgQ => ("Gamma-Gamma q", "Gamma-Gamma q"),
            GgV => ("Gamma-Gamma v", "Gamma-Gamma v"),
            ClvTotal => ("Total CLV over the horizon", "Суммарный CLV за горизонт"),
            ClvTotalLow => ("Total CLV, 90% low", "Суммарный CLV, нижняя граница 90%"),
            ClvTotalHigh => ("Total CLV, 90% high", "Суммарный CLV, верхняя граница 90%"),
            ClvMean => ("CLV per customer", "CLV на клиента"),
            PAliveMean => ("Average P(alive)", "Средняя P(активен)"),
            ExpectedPurchasesTotal => (
                "Expected purchases over the horizon",
                "Ожидаемые покупки за горизонт",
            ),
            ExpectedPurchasesLow => (
                "Expected purchases, 90% low",
                "Ожидаемые покупки, нижняя граница 90%",
            ),
            ExpectedPurchasesHigh => (
                "Expected purchases, 90% high",
                "Ожидаемые покупки, верхняя граница 90%",
            ),
            ChurnedCustomers => ("Customers who left", "Ушедшие клиенты"),
            ChurnReasons => ("Distinct reasons", "Разных причин"),
            ChurnTopReasonShare => ("Top reason's share", "Доля главной причины"),
            ChurnControllableShare => (
                "Controllable (competitor, product, treatment, price)",
                "Управляемые (конкурент, продукт, обслуживание, цена)",
            ),
            ChurnRevenueLost => ("Revenue lost", "Потерянная выручка"),
        }
    }

    /// [`MetricId::label_pair`] in `locale`.
    pub const fn label(self, locale: crate::display::Locale) -> &'static str {
        match locale {
            crate::display::Locale::En => self.label_pair().0,
            crate::display::Locale::Ru => self.label_pair().1,
        }
    }

    /// One line on what the figure is, as a card's "?" says it: (English,
    /// Russian). Exact definitions: docs/METRICS.md.
    pub const fn definition_pair(self) -> (&'static str, &'static str) {
        use MetricId::*;
        match self {
            RowsRead => ("Data rows in the files, headers and blank lines not counted.", "Строки данных в файлах, без заголовков и пустых строк."),
            RowsUsed => ("Rows that went into the figures.", "Строки, вошедшие в расчёт."),
            RowsRejected => ("Rows set aside, each with its reason on the Data quality page.", "Отложенные строки; причина каждой — на странице «Качество данных»."),
            Customers => ("Distinct customer ids in the data.", "Разных кодов клиентов в данных."),
            Transactions => ("Rows with a purchase, return or cancellation.", "Строки с покупкой, возвратом или отменой."),
            Orders => ("Distinct orders (by order number, else one per customer and day).", "Разных заказов (по номеру, иначе один на клиента в день)."),
            Revenue => ("Sum of all amounts, returns subtracted.", "Сумма всех сумм за вычетом возвратов."),
            RepeatRate => ("Share of customers with two or more orders.", "Доля клиентов с двумя и более заказами."),
            RetentionRate => ("Of the customers at the period's start, the share still customers at its end (retained ÷ start); never above 100%.", "Из клиентов на начало периода — доля оставшихся к его концу (удержанные ÷ на начало); не больше 100 %."),
            ChurnRate => ("Customers lost during the period ÷ customers at its start; retention + churn = 100%.", "Потерянные за период ÷ клиенты на начало; удержание + отток = 100 %."),
            RetentionM1 => ("Share of each cohort that bought again in month 1 after the first purchase, weighted by cohort size.", "Доля когорты, купившей снова в 1-й месяц после первой покупки, с весом по размеру когорты."),
            RetentionM3 => ("Share of each cohort that bought in month 3 after the first purchase, weighted by cohort size.", "Доля когорты, купившей в 3-й месяц после первой покупки, с весом по размеру когорты."),
            RetentionM6 => ("Share of each cohort that bought in month 6 after the first purchase, weighted by cohort size.", "Доля когорты, купившей в 6-й месяц после первой покупки, с весом по размеру когорты."),
            RetentionM12 => ("Share of each cohort that bought in month 12 after the first purchase, weighted by cohort size.", "Доля когорты, купившей в 12-й месяц после первой покупки, с весом по размеру когорты."),
            KmMedianMonths => ("Months until half the customers have left (Kaplan-Meier); empty while more than half stay.", "Месяцев, пока не уйдёт половина клиентов (Каплан-Мейер); пусто, пока остаётся больше половины."),
            Responses => ("Survey answers with a valid score.", "Ответы на опрос с допустимой оценкой."),
            Nps => ("Promoters (9-10) minus detractors (0-6), in points from -100 to 100.", "Промоутеры (9–10) минус критики (0–6), в пунктах от -100 до 100."),
            NpsMargin => ("Half the width of the 95% interval (adjusted Wald): the NPS may be this far off.", "Половина ширины 95%-го интервала (скорректированный метод Вальда): на столько NPS может ошибаться."),
            NpsCiLow => ("Lower end of the NPS's 95% interval.", "Нижняя граница 95%-го интервала NPS."),
            NpsCiHigh => ("Upper end of the NPS's 95% interval.", "Верхняя граница 95%-го интервала NPS."),
            PromotersPct => ("Share of answers scoring 9 or 10.", "Доля ответов с оценкой 9 или 10."),
            PassivesPct => ("Share of answers scoring 7 or 8.", "Доля ответов с оценкой 7 или 8."),
            DetractorsPct => ("Share of answers scoring 0 to 6.", "Доля ответов с оценкой от 0 до 6."),
            Csat => ("Share of answers in the top two marks of the scale (4-5 of 5).", "Доля ответов с двумя высшими оценками шкалы (4–5 из 5)."),
            Ces => ("Mean customer effort score on its scale.", "Средняя оценка усилий клиента по её шкале."),
            BgnbdR => ("BG/NBD: shape of how purchase rates vary between customers.", "BG/NBD: форма разброса частоты покупок между клиентами."),
            BgnbdAlpha => ("BG/NBD: scale of how purchase rates vary between customers.", "BG/NBD: масштаб разброса частоты покупок между клиентами."),
            BgnbdA => ("BG/NBD: with b, how likely a customer is to drop out after a purchase.", "BG/NBD: вместе с b — насколько вероятен уход клиента после покупки."),
            BgnbdB => ("BG/NBD: with a, how likely a customer is to drop out after a purchase.", "BG/NBD: вместе с a — насколько вероятен уход клиента после покупки."),
            BgnbdLl => ("BG/NBD: log-likelihood of the fit (higher fits better).", "BG/NBD: логарифм правдоподобия подгонки (чем выше, тем лучше)."),
            PnbdR => ("Pareto/NBD: shape of how purchase rates vary between customers.", "Pareto/NBD: форма разброса частоты покупок между клиентами."),
            PnbdAlpha => ("Pareto/NBD: scale of how purchase rates vary between customers.", "Pareto/NBD: масштаб разброса частоты покупок между клиентами."),
            PnbdS => ("Pareto/NBD: shape of how dropout rates vary between customers (a customer can leave at any moment).", "Pareto/NBD: форма разброса скорости ухода между клиентами (клиент может уйти в любой момент)."),
            PnbdBeta => ("Pareto/NBD: scale of how dropout rates vary; s/β is the average dropout rate per time unit.", "Pareto/NBD: масштаб разброса скорости ухода; s/β — средняя скорость ухода за единицу времени."),
            PnbdLl => ("Pareto/NBD: log-likelihood of the fit, comparable with BG/NBD's on the same data (higher fits better).", "Pareto/NBD: логарифм правдоподобия, сравним с BG/NBD на тех же данных (чем выше, тем лучше)."),
            GgP => ("Gamma-Gamma: shape of the spend per purchase.", "Gamma-Gamma: форма распределения суммы покупки."),
            GgQ => ("Gamma-Gamma: shape of how average spend varies between customers.", "Gamma-Gamma: форма разброса среднего чека между клиентами."),
            GgV => ("Gamma-Gamma: scale of how average spend varies between customers.", "Gamma-Gamma: масштаб разброса среднего чека между клиентами."),
            ClvTotal => ("Expected discounted spend of all customers over the horizon (the purchase model in use + Gamma-Gamma).", "Ожидаемые дисконтированные траты всех клиентов за горизонт (выбранная модель покупок + Gamma-Gamma)."),
            ClvTotalLow => ("Lower end of the 90% interval on total CLV, from the uncertainty of the model's parameters.", "Нижняя граница 90%-го интервала суммарного CLV, из неопределённости параметров модели."),
            ClvTotalHigh => ("Upper end of the 90% interval on total CLV, from the uncertainty of the model's parameters.", "Верхняя граница 90%-го интервала суммарного CLV, из неопределённости параметров модели."),
            ClvMean => ("Expected discounted spend per customer over the horizon.", "Ожидаемые дисконтированные траты одного клиента за горизонт."),
            PAliveMean => ("The model's average chance that a customer has not silently left; a customer who buys rarely can look alive long after the last purchase.", "Средняя по модели вероятность, что клиент не ушёл незаметно; редко покупающий клиент долго выглядит активным после последней покупки."),
            ExpectedPurchasesTotal => ("Purchases the model expects from all customers over the horizon.", "Покупки, которые модель ожидает от всех клиентов за горизонт."),
            ExpectedPurchasesLow => ("Lower end of the 90% interval on the expected purchases, from the uncertainty of the model's parameters.", "Нижняя граница 90%-го интервала ожидаемых покупок, из неопределённости параметров модели."),
            ExpectedPurchasesHigh => ("Upper end of the 90% interval on the expected purchases, from the uncertainty of the model's parameters.", "Верхняя граница 90%-го интервала ожидаемых покупок, из неопределённости параметров модели."),
            ChurnedCustomers => ("Customers who left: by the customers file, or, without one, no purchase for the churn window.", "Ушедшие клиенты: по файлу клиентов, а без него — без покупок дольше окна оттока."),
            ChurnReasons => ("Different reasons given, after merging case, spaces and typos.", "Разных причин ухода, после объединения регистра, пробелов и опечаток."),
            ChurnTopReasonShare => ("Share of leavers who gave the most frequent reason's category.", "Доля ушедших, назвавших самую частую категорию причин."),
            ChurnControllableShare => ("Share of leavers for reasons you can act on: competitor, product, treatment, price.", "Доля ушедших по причинам, на которые можно повлиять: конкурент, продукт, обслуживание, цена."),
            ChurnRevenueLost => ("Leavers' revenue in the 12 months before they left.", "Выручка ушедших клиентов за 12 месяцев до ухода."),
        }
    }

    /// [`MetricId::definition_pair`] in `locale`.
    pub const fn definition(self, locale: crate::display::Locale) -> &'static str {
        match locale {
            crate::display::Locale::En => self.definition_pair().0,
            crate::display::Locale::Ru => self.definition_pair().1,
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
            ExpectedPurchasesTotal | ExpectedPurchasesLow | ExpectedPurchasesHigh => {
                MetricKind::Count
            }
            Revenue | ClvTotal | ClvTotalLow | ClvTotalHigh | ClvMean | ChurnRevenueLost => {
                MetricKind::Money
            }
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
            BgnbdR | BgnbdAlpha | BgnbdA | BgnbdB | BgnbdLl | PnbdR | PnbdAlpha | PnbdS
            | PnbdBeta | PnbdLl | GgP | GgQ | GgV => MetricKind::Parameter,
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
            | PnbdR
            | PnbdAlpha
            | PnbdS
            | PnbdBeta
            | PnbdLl
            | GgP
            | GgQ
            | GgV
            | ClvTotal
            | ClvTotalLow
            | ClvTotalHigh
            | ClvMean
            | PAliveMean
            | ExpectedPurchasesTotal
            | ExpectedPurchasesLow
            | ExpectedPurchasesHigh => MetricArea::Clv,
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

    #[test]
    fn every_figure_is_defined_in_both_languages() {
        let cyrillic = |t: &str| {
            t.chars()
                .any(|c| ('а'..='я').contains(&c.to_ascii_lowercase()) || ('А'..='Я').contains(&c))
        };
        let mut seen = std::collections::HashSet::new();
        for m in MetricId::ALL {
            let (en, ru) = m.definition_pair();
            assert!(
                en.ends_with('.') && ru.ends_with('.'),
                "{m:?}: one sentence each"
            );
            assert!(
                !cyrillic(en),
                "{m:?}: English without Russian letters: {en}"
            );
            assert!(cyrillic(ru), "{m:?}: Russian in Russian: {ru}");
            assert!(seen.insert(en), "{m:?}: its own definition, not another's");
            assert_eq!(m.definition(crate::display::Locale::Ru), ru);
        }
    }
}
