//! The standalone HTML report: one self-contained document with the headline
//! figures, the key tables and the charts as inline SVG, to send to
//! colleagues.
//!
//! - Only what the [`Report`] holds: aggregates, never raw rows (no file
//!   previews, no rejected-row examples, no verbatim comments, no churn call
//!   list). Customer ids appear only in the top-customers table.
//! - No script, no external resource (no font, stylesheet or image is
//!   fetched), inline CSS only, and a Content-Security-Policy that forbids
//!   everything but inline styles, so even a mistake in escaping could not
//!   run code or call home.
//! - Every text that comes from the data (file, column and segment names,
//!   reasons, customer ids, comment words) goes through [`escape`]. Chart
//!   labels go through plotters' SVG backend, which escapes `< > & " '` in
//!   text and attribute values itself.
//! - Charts are drawn by the same [`crate::chart`] functions the page draws on
//!   its canvas, on plotters' [`SVGBackend`].
//! - Pure: no clock, no file system; the same report gives the same bytes.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

use crate::chart::{
    draw_clv_distribution, draw_cohort_curves, draw_cumulative_incidence, draw_distribution,
    draw_holdout_by_frequency, draw_lifecycle, draw_loyalty_link, draw_monthly_activity,
    draw_nps_distribution, draw_nps_trend, draw_pareto, draw_reference_comparison, draw_rfm_grid,
    draw_seasonality, draw_survival, draw_tracking, ActivityLabels, ChartError, ChurnLabels,
    ClvLabels, LifecycleLabels, LinkMeasure, NpsLabels, PatternLabels, SurvivalLabels,
};
use crate::display;
use crate::ingest::{FileSummary, RecordKind, Role};
use crate::metric::MetricId;
use crate::metrics::churn_rules::ChurnCategory;
use crate::metrics::loyalty_link::{GroupBehaviour, Share};
use crate::metrics::programme::Comparison;
use crate::metrics::retention::{CohortMatrix, Period};
use crate::models::abc_xyz::{Abc, Xyz};
use crate::models::rfm::RfmSegment;
use crate::report::Report;

/// The language of the headings, labels and number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// The `<html lang>` code: "en" or "ru".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The number style, and the language of the chart words the report
    /// does not name itself (see [`crate::chart`]).
    pub fn locale(self) -> display::Locale {
        match self {
            Lang::En => display::Locale::En,
            Lang::Ru => display::Locale::Ru,
        }
    }

    /// "ru", "ru-RU", ... give Russian; anything else English.
    pub fn from_code(code: &str) -> Lang {
        if code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ru")) {
            Lang::Ru
        } else {
            Lang::En
        }
    }
}

/// Text made safe for HTML element content and quoted attribute values:
/// `& < > " '` become character references, so data cannot open a tag,
/// close an attribute or start an entity.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// `{}` of this writes the text escaped.
struct E<'a>(&'a str);

impl fmt::Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// Every fixed word of the report, in English and Russian: the one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Title,
    Files,
    DataFrom,
    PeriodLabel,
    Week,
    Month,
    Quarter,
    ChurnWindow,
    Days,
    DateFilter,
    Footer,
    Headline,
    GroupBase,
    GroupRetention,
    GroupSurveys,
    GroupClv,
    GroupChurn,
    MCustomers,
    MTransactions,
    MOrders,
    MRevenue,
    MRepeatRate,
    MRetentionM1,
    MRetentionM3,
    MRetentionM6,
    MRetentionM12,
    MRetentionRate,
    MChurnRate,
    MKmMedian,
    MResponses,
    MNps,
    MPromoters,
    MPassives,
    MDetractors,
    MCsat,
    MCes,
    MClvTotal,
    MClvMean,
    MPAliveMean,
    MExpectedPurchases,
    MChurned,
    MChurnReasons,
    MTopReasonShare,
    MControllable,
    MRevenueLost,
    Ci95,
    Answers,
    AnswersCap,
    Score,
    CapCsat,
    ChurnByProblem,
    ChurnBySatisfaction,
    MonthsUnit,
    Ces57,
    ChartFailed,
    // Sections and captions.
    SecActivity,
    CapActivity,
    CapLifecycle,
    SecRetention,
    CapCohortTable,
    CohortNote,
    Cohort,
    Customers,
    AverageWeighted,
    OffsetsCut,
    CapCohortCurves,
    RetentionBy,
    MonthN,
    SecPatterns,
    CapOrdersPerCustomer,
    CapDaysBetween,
    CapSeasonality,
    Orders,
    RepeatPurchases,
    CapSurvival,
    SurvivalBy,
    StillAfter12,
    NotReached,
    MoreColumns,
    MedianMonths,
    LogRank,
    SecSurveys,
    CapNpsDistribution,
    CapNpsTrend,
    NpsBy,
    DifferenceToRest,
    Impact,
    SignificantNote,
    CapThemes,
    Theme,
    Mentions,
    ShareDetractors,
    SharePromoters,
    NpsWith,
    CommentsNote,
    CapTopTerms,
    Group,
    Words,
    Detractors,
    Passives,
    Promoters,
    CapLoyaltyLink,
    LinkByNps,
    LinkByCsat,
    LinkByProblem,
    BoughtWithin6m,
    RevenuePerCustomer,
    SecClv,
    CapModel,
    Parameter,
    Value,
    StandardError,
    LogLikelihood,
    Horizon,
    DiscountRate,
    Margin,
    NotConverged,
    CapClvDistribution,
    CapHoldout,
    CapTracking,
    CapRfmGrid,
    CapRfmSegments,
    Segment,
    ShareOfCustomers,
    Revenue,
    ShareOfRevenue,
    CapAbcXyz,
    AbcXyzCell,
    CapTopCustomers,
    CustomerId,
    Clv,
    PAlive,
    ExpectedPurchases,
    AverageOrder,
    SecChurn,
    CapChurnCategories,
    CapChurnReasons,
    CapChurnReasonsChart,
    CapReference,
    CapIncidence,
    Category,
    Share,
    ShareOfKnown,
    Cumulative,
    RevenueLost,
    Reason,
    NoReason,
    MoreRows,
    CapFileCategories,
    FileCategory,
    ChurnBy,
    Left,
    ShareLeft,
    SecProgramme,
    BeforeAfter,
    Measure,
    Before,
    After,
    PValue,
    MembersVs,
    NonMembers,
    Members,
    DiscountOrders,
    FirstOrderFull,
    FirstOrderDiscounted,
    SecQuality,
    CapFiles,
    File,
    Kind,
    Format,
    RowsRead,
    RowsUsed,
    RowsRejected,
    Matched,
    RejectedIn,
    Rows,
    ColumnsOf,
    Column,
    Role,
    NotUsed,
    KindTransactions,
    KindSurvey,
    KindCustomers,
    KindSummary,
    ChartDays,
}

impl T {
    fn text(self, lang: Lang) -> &'static str {
        let (en, ru) = match self {
            T::Title => ("Customer loyalty report", "Отчёт о лояльности клиентов"),
            T::Files => ("Files", "Файлы"),
            T::DataFrom => ("Dates covered", "Охват дат"),
            T::PeriodLabel => ("Period", "Период"),
            T::Week => ("week", "неделя"),
            T::Month => ("month", "месяц"),
            T::Quarter => ("quarter", "квартал"),
            T::ChurnWindow => ("churn window", "окно оттока"),
            T::Days => ("days", "дн."),
            T::DateFilter => ("date filter", "фильтр дат"),
            T::Footer => (
                "Computed in the browser by Loyalty Lens: the files never left the computer they were analysed on. This document holds figures, tables and charts only, no raw rows.",
                "Рассчитано в браузере программой Loyalty Lens: файлы не покидали компьютер, на котором их анализировали. В документе только показатели, таблицы и графики, без исходных строк.",
            ),
            T::Headline => ("Headline figures", "Ключевые показатели"),
            T::GroupBase => ("Customers and revenue", "Клиенты и выручка"),
            T::GroupRetention => ("Retention", "Удержание"),
            T::GroupSurveys => ("Surveys", "Опросы"),
            T::GroupClv => ("Customer lifetime value", "Ценность клиента (CLV)"),
            T::GroupChurn => ("Churn", "Отток"),
            T::MCustomers => ("Customers", "Клиенты"),
            T::MTransactions => ("Transactions", "Транзакции"),
            T::MOrders => ("Orders", "Заказы"),
            T::MRevenue => ("Revenue", "Выручка"),
            T::MRepeatRate => ("Repeat purchase rate", "Доля повторных покупателей"),
            T::MRetentionM1 => ("Retention, month 1", "Удержание, 1-й месяц"),
            T::MRetentionM3 => ("Retention, month 3", "Удержание, 3-й месяц"),
            T::MRetentionM6 => ("Retention, month 6", "Удержание, 6-й месяц"),
            T::MRetentionM12 => ("Retention, month 12", "Удержание, 12-й месяц"),
            T::MRetentionRate => ("Retention rate, last period", "Удержание за последний период"),
            T::MChurnRate => ("Churn rate, last period", "Отток за последний период"),
            T::MKmMedian => ("Median customer lifetime", "Медианный срок жизни клиента"),
            T::MResponses => ("Survey answers", "Ответы на опросы"),
            T::MNps => ("NPS", "NPS"),
            T::MPromoters => ("Promoters", "Промоутеры"),
            T::MPassives => ("Passives", "Нейтралы"),
            T::MDetractors => ("Detractors", "Критики"),
            T::MCsat => ("CSAT (satisfied)", "CSAT (довольны)"),
            T::MCes => ("CES (mean effort, 1-7)", "CES (среднее усилие, 1-7)"),
            T::MClvTotal => ("CLV, all customers", "CLV всех клиентов"),
            T::MClvMean => ("CLV per customer", "CLV на клиента"),
            T::MPAliveMean => ("Mean P(alive)", "Средняя P(активен)"),
            T::MExpectedPurchases => ("Expected purchases", "Ожидаемые покупки"),
            T::MChurned => ("Customers who left", "Ушедшие клиенты"),
            T::MChurnReasons => ("Distinct reasons", "Разных причин"),
            T::MTopReasonShare => ("Top reason's share", "Доля главной причины"),
            T::MControllable => ("Controllable share", "Доля управляемых причин"),
            T::MRevenueLost => ("Revenue lost", "Потерянная выручка"),
            T::Ci95 => ("95% CI", "95% ДИ"),
            T::Answers => ("answers", "ответов"),
            T::AnswersCap => ("Answers", "Ответы"),
            T::Score => ("Score", "Оценка"),
            T::CapCsat => ("Satisfaction answers by score", "Ответы об удовлетворённости по оценкам"),
            T::ChurnByProblem => (
                "Who left, by had a problem (customers file)",
                "Кто ушёл, по наличию проблемы (файл клиентов)",
            ),
            T::ChurnBySatisfaction => (
                "Who left, by satisfaction (customers file)",
                "Кто ушёл, по удовлетворённости (файл клиентов)",
            ),
            T::MonthsUnit => ("months", "мес."),
            T::Ces57 => ("answered 5-7", "ответили 5-7"),
            T::ChartFailed => ("The chart could not be drawn.", "График не удалось построить."),
            T::SecActivity => ("Customers and revenue over time", "Клиенты и выручка по времени"),
            T::CapActivity => (
                "Active customers and revenue per month",
                "Активные клиенты и выручка по месяцам",
            ),
            T::CapLifecycle => (
                "New, retained, returning and lost customers per period",
                "Новые, удержанные, вернувшиеся и потерянные клиенты по периодам",
            ),
            T::SecRetention => ("Retention", "Удержание"),
            T::CapCohortTable => (
                "Cohort retention, %: share of each monthly cohort active k months after its first purchase",
                "Удержание когорт, %: доля каждой месячной когорты, активная через k месяцев после первой покупки",
            ),
            T::CohortNote => (
                "Shading is relative to the highest retention after month 0; empty cells are not observable yet.",
                "Цвет относительно наибольшего удержания после месяца 0; пустые ячейки ещё не наблюдаемы.",
            ),
            T::Cohort => ("Cohort", "Когорта"),
            T::Customers => ("Customers", "Клиенты"),
            T::AverageWeighted => ("Average (by size)", "Среднее (по размеру)"),
            T::OffsetsCut => ("Months after 24 are not shown.", "Месяцы после 24-го не показаны."),
            T::CapCohortCurves => (
                "Retention curve of every cohort (grey) and their average (blue)",
                "Кривые удержания когорт (серые) и их среднее (синее)",
            ),
            T::RetentionBy => ("Retention by", "Удержание по полю"),
            T::MonthN => ("Month", "Месяц"),
            T::SecPatterns => ("Purchase patterns", "Покупательское поведение"),
            T::CapOrdersPerCustomer => ("Orders per customer", "Заказов на клиента"),
            T::CapDaysBetween => ("Days between purchases", "Дней между покупками"),
            T::CapSeasonality => (
                "Seasonality: orders (bars) and revenue (line) by month of the year, 1 = an average month",
                "Сезонность: заказы (столбцы) и выручка (линия) по месяцам года, 1 = средний месяц",
            ),
            T::Orders => ("Orders", "Заказы"),
            T::RepeatPurchases => ("Repeat purchases", "Повторные покупки"),
            T::CapSurvival => (
                "Share still a customer by months as a customer (Kaplan-Meier, 95% band)",
                "Доля оставшихся клиентов по сроку жизни (Каплан-Мейер, 95% интервал)",
            ),
            T::SurvivalBy => (
                "Customer lifetime by segment, the columns whose segments differ most first",
                "Срок жизни клиента по сегментам, сначала поля с наибольшими различиями",
            ),
            T::StillAfter12 => ("Still a customer after 12 months", "Остаются клиентами через 12 мес."),
            T::NotReached => ("not reached", "не достигнута"),
            T::MoreColumns => ("more columns not shown", "полей не показано"),
            T::MedianMonths => ("Median lifetime, months", "Медианный срок, мес."),
            T::LogRank => ("Log-rank test", "Лог-ранговый критерий"),
            T::SecSurveys => ("NPS and satisfaction", "NPS и удовлетворённость"),
            T::CapNpsDistribution => (
                "Answers by score, 0 to 10: detractors, passives, promoters",
                "Ответы по оценкам от 0 до 10: критики, нейтралы, промоутеры",
            ),
            T::CapNpsTrend => (
                "NPS by period with its 95% interval; a ring marks a significant change",
                "NPS по периодам с 95% интервалом; кольцо отмечает значимое изменение",
            ),
            T::NpsBy => ("NPS by", "NPS по полю"),
            T::DifferenceToRest => ("Difference to the rest", "Отличие от остальных"),
            T::Impact => ("Impact on NPS", "Влияние на NPS"),
            T::SignificantNote => (
                "* the difference is significant at 95%.",
                "* различие значимо на уровне 95%.",
            ),
            T::CapThemes => ("Comment themes", "Темы комментариев"),
            T::Theme => ("Theme", "Тема"),
            T::Mentions => ("Mentions", "Упоминаний"),
            T::ShareDetractors => ("Share of detractors' comments", "Доля среди комментариев критиков"),
            T::SharePromoters => ("Share of promoters' comments", "Доля среди комментариев промоутеров"),
            T::NpsWith => ("NPS of those mentioning it", "NPS упомянувших"),
            T::CommentsNote => (
                "Comments themselves are not included: they are customers' own words.",
                "Сами комментарии не включены: это слова клиентов.",
            ),
            T::CapTopTerms => ("Most used words in comments", "Самые частые слова комментариев"),
            T::Group => ("Group", "Группа"),
            T::Words => ("Words (mentions)", "Слова (упоминаний)"),
            T::Detractors => ("Detractors", "Критики"),
            T::Passives => ("Passives", "Нейтралы"),
            T::Promoters => ("Promoters", "Промоутеры"),
            T::CapLoyaltyLink => (
                "What respondents did later: share who bought twice or more, by NPS group (95% interval)",
                "Что респонденты делали потом: доля купивших дважды и больше по группам NPS (95% интервал)",
            ),
            T::LinkByNps => ("Behaviour by NPS group", "Поведение по группам NPS"),
            T::LinkByCsat => ("Behaviour by satisfaction", "Поведение по удовлетворённости"),
            T::LinkByProblem => ("Behaviour by had a problem", "Поведение по наличию проблемы"),
            T::BoughtWithin6m => ("Bought again within 6 months", "Купили снова за 6 месяцев"),
            T::RevenuePerCustomer => ("Revenue per customer", "Выручка на клиента"),
            T::SecClv => ("Customer lifetime value and segments", "Ценность клиентов и сегменты"),
            T::CapModel => (
                "BG/NBD and Gamma-Gamma model parameters",
                "Параметры моделей BG/NBD и Gamma-Gamma",
            ),
            T::Parameter => ("Parameter", "Параметр"),
            T::Value => ("Value", "Значение"),
            T::StandardError => ("Standard error", "Стандартная ошибка"),
            T::LogLikelihood => ("log-likelihood", "логарифм правдоподобия"),
            T::Horizon => ("Horizon, months", "Горизонт, мес."),
            T::DiscountRate => ("Monthly discount rate", "Месячная ставка дисконтирования"),
            T::Margin => ("Margin", "Маржа"),
            T::NotConverged => ("(fit did not converge)", "(подгонка не сошлась)"),
            T::CapClvDistribution => ("Customers by CLV", "Клиенты по CLV"),
            T::CapHoldout => (
                "Holdout check: purchases per customer, actual vs model, by calibration repeat purchases",
                "Проверка на отложенном периоде: покупки на клиента, факт и модель, по повторным покупкам в калибровке",
            ),
            T::CapTracking => (
                "Cumulative repeat purchases per week, actual vs model",
                "Повторные покупки нарастающим итогом по неделям, факт и модель",
            ),
            T::CapRfmGrid => (
                "RFM grid: customers by recency and frequency-monetary score",
                "RFM-сетка: клиенты по давности и баллу частоты и суммы",
            ),
            T::CapRfmSegments => ("RFM segments", "RFM-сегменты"),
            T::Segment => ("Segment", "Сегмент"),
            T::ShareOfCustomers => ("Share of customers", "Доля клиентов"),
            T::Revenue => ("Revenue", "Выручка"),
            T::ShareOfRevenue => ("Share of revenue", "Доля выручки"),
            T::CapAbcXyz => (
                "ABC/XYZ: customers (share of revenue) by revenue class and regularity",
                "ABC/XYZ: клиенты (доля выручки) по классу выручки и регулярности",
            ),
            T::AbcXyzCell => ("ABC \\ XYZ", "ABC \\ XYZ"),
            T::CapTopCustomers => (
                "Top customers by CLV (ids only)",
                "Лучшие клиенты по CLV (только идентификаторы)",
            ),
            T::CustomerId => ("Customer id", "ID клиента"),
            T::Clv => ("CLV", "CLV"),
            T::PAlive => ("P(alive)", "P(активен)"),
            T::ExpectedPurchases => ("Expected purchases", "Ожидаемые покупки"),
            T::AverageOrder => ("Average order", "Средний заказ"),
            T::SecChurn => ("Why customers leave", "Почему клиенты уходят"),
            T::CapChurnCategories => (
                "Churn categories, most frequent first, with the cumulative share",
                "Категории причин ухода по частоте, с накопленной долей",
            ),
            T::CapChurnReasons => (
                "Churn reasons, most frequent first, with the cumulative share",
                "Причины ухода по частоте, с накопленной долей",
            ),
            T::CapChurnReasonsChart => (
                "The 12 most frequent churn reasons, with the cumulative share of all who left",
                "12 самых частых причин ухода, с накопленной долей всех ушедших",
            ),
            T::CapReference => (
                "Your customers' reasons beside a cross-industry study (1% die, 3% move, 5% other relationships, 9% competitors, 14% product, 68% treatment)",
                "Причины ваших клиентов рядом с межотраслевым исследованием (1% смерть, 3% переезд, 5% другие связи, 9% конкуренты, 14% продукт, 68% отношение)",
            ),
            T::CapIncidence => (
                "Which reason takes customers early and which late (cumulative incidence over tenure)",
                "Какие причины уводят клиентов рано, а какие поздно (накопленная частота по сроку жизни)",
            ),
            T::Category => ("Category", "Категория"),
            T::Share => ("Share", "Доля"),
            T::ShareOfKnown => ("Share of known reasons", "Доля среди известных причин"),
            T::Cumulative => ("Cumulative", "Накопленно"),
            T::RevenueLost => ("Revenue lost", "Потерянная выручка"),
            T::Reason => ("Reason", "Причина"),
            T::NoReason => ("(no reason given)", "(причина не указана)"),
            T::MoreRows => ("more rows not shown", "строк не показано"),
            T::CapFileCategories => ("Categories as given in the file", "Категории из файла"),
            T::FileCategory => ("Category in the file", "Категория в файле"),
            T::ChurnBy => (
                "Who leaves, by segment: the columns whose segments differ most first",
                "Кто уходит, по сегментам: сначала поля с наибольшими различиями",
            ),
            T::Left => ("Left", "Ушли"),
            T::ShareLeft => ("Share who left", "Доля ушедших"),
            T::SecProgramme => ("Loyalty programme effect", "Эффект программы лояльности"),
            T::BeforeAfter => ("Before and after", "До и после"),
            T::Measure => ("Measure", "Показатель"),
            T::Before => ("Before", "До"),
            T::After => ("After", "После"),
            T::PValue => ("p-value", "p-значение"),
            T::MembersVs => ("Members vs non-members by", "Участники и не участники по полю"),
            T::NonMembers => ("Non-members", "Не участники"),
            T::Members => ("Members", "Участники"),
            T::DiscountOrders => ("Orders bought on discount", "Заказы со скидкой"),
            T::FirstOrderFull => ("First order at full price", "Первый заказ без скидки"),
            T::FirstOrderDiscounted => ("First order discounted", "Первый заказ со скидкой"),
            T::SecQuality => ("Data quality", "Качество данных"),
            T::CapFiles => ("Files read and rows used", "Прочитанные файлы и использованные строки"),
            T::File => ("File", "Файл"),
            T::Kind => ("Kind", "Тип"),
            T::Format => ("Format", "Формат"),
            T::RowsRead => ("Rows read", "Прочитано строк"),
            T::RowsUsed => ("Used", "Использовано"),
            T::RowsRejected => ("Rejected", "Отклонено"),
            T::Matched => ("Customers found in other files", "Клиентов найдено в других файлах"),
            T::RejectedIn => ("Rejected rows of", "Отклонённые строки файла"),
            T::Rows => ("Rows", "Строк"),
            T::ColumnsOf => ("Columns of", "Столбцы файла"),
            T::Column => ("Column", "Столбец"),
            T::Role => ("Read as", "Прочитан как"),
            T::NotUsed => (
                "no role (a segment when it has few values)",
                "без роли (сегмент, если значений немного)",
            ),
            T::KindTransactions => ("transactions", "транзакции"),
            T::KindSurvey => ("survey answers", "ответы на опрос"),
            T::KindCustomers => ("customers", "клиенты"),
            T::KindSummary => ("customer summary", "сводка по клиентам"),
            T::ChartDays => ("Days", "Дни"),
        };
        match lang {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// Names the core keeps in English only, translated here.
fn category_name(category: ChurnCategory, lang: Lang) -> &'static str {
    // The charts' names, so the report and the page say the same.
    ChurnLabels::for_locale(lang.locale()).categories[category.index()]
}

fn role_name(role: Role, lang: Lang) -> &'static str {
    role.label_in(lang.locale())
}

fn kind_name(kind: RecordKind, lang: Lang) -> &'static str {
    match kind {
        RecordKind::Transactions => T::KindTransactions,
        RecordKind::SurveyAnswers => T::KindSurvey,
        RecordKind::Customers => T::KindCustomers,
        RecordKind::Summary => T::KindSummary,
    }
    .text(lang)
}

fn rfm_name(segment: RfmSegment, lang: Lang) -> &'static str {
    match lang {
        Lang::En => segment.name_en(),
        Lang::Ru => segment.name_ru(),
    }
}

/// Programme comparison measures by their ids; unknown ids are shown as given.
fn measure_name(id: &str, lang: Lang) -> Option<&'static str> {
    let (en, ru) = match id {
        "average_order_value" => ("Average order value", "Средний чек"),
        "orders_per_customer" => ("Orders per customer", "Заказов на клиента"),
        "repeat_share" => ("Repeat customers' share", "Доля повторных покупателей"),
        "new_customers_per_day" => ("New customers per day", "Новых клиентов в день"),
        "nps" => ("NPS", "NPS"),
        "revenue_per_customer" => ("Revenue per customer", "Выручка на клиента"),
        _ => return None,
    };
    Some(match lang {
        Lang::En => en,
        Lang::Ru => ru,
    })
}

/// Loyalty-link group ids the core uses ("promoter", "yes"...), translated.
fn group_name(group: &str, lang: Lang) -> Cow<'_, str> {
    let fixed = match group {
        "promoter" => T::Promoters,
        "passive" => T::Passives,
        "detractor" => T::Detractors,
        _ => return Cow::Borrowed(group),
    };
    Cow::Borrowed(fixed.text(lang))
}

/// Numbers and dates in the language's style: "1,234.5" / "1 234,5".
#[derive(Debug, Clone, Copy)]
struct Fmt(Lang);

impl Fmt {
    fn localise(self, text: String) -> String {
        match self.0 {
            Lang::En => text,
            Lang::Ru => text
                .chars()
                .map(|c| match c {
                    ',' => '\u{a0}',
                    '.' => ',',
                    other => other,
                })
                .collect(),
        }
    }
    fn num(self, value: f64, decimals: usize) -> String {
        self.localise(display::grouped(value, decimals))
    }
    fn count(self, value: f64) -> String {
        self.num(value, 0)
    }
    fn money(self, value: f64) -> String {
        self.localise(display::money(value))
    }
    fn pct(self, share: f64) -> String {
        format!("{}%", self.num(share * 100.0, 1))
    }
    /// A heat-map cell in percent without the sign: whole numbers, one
    /// decimal under 10.
    fn pct_short(self, share: f64) -> String {
        let decimals = if share * 100.0 < 9.95 { 1 } else { 0 };
        self.num(share * 100.0, decimals)
    }
    fn opt_pct(self, share: Option<f64>) -> String {
        share.map_or_else(|| "–".into(), |s| self.pct(s))
    }
    fn opt_money(self, value: Option<f64>) -> String {
        value.map_or_else(|| "–".into(), |v| self.money(v))
    }
    fn points(self, value: f64) -> String {
        self.num(value, 1)
    }
    fn signed(self, value: f64) -> String {
        let text = self.num(value, 1);
        if value > 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9')) {
            format!("+{text}")
        } else {
            text
        }
    }
    fn p_value(self, p: f64) -> String {
        if p < 0.001 {
            format!("< {}", self.num(0.001, 3))
        } else {
            self.num(p, 3)
        }
    }
    fn date(self, d: NaiveDate) -> String {
        match self.0 {
            Lang::En => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Lang::Ru => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
        }
    }
}

/// A table cell: text (escaped when written) or a number (right-aligned).
enum Cell {
    Text(String),
    Num(String),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(s: impl Into<String>) -> Cell {
    Cell::Num(s.into())
}

/// Chart size in SVG user units; the CSS scales it to the page width.
const CHART: (u32, u32) = (800, 400);
/// Rows of long tables (reasons, top customers) shown at most.
const MAX_ROWS: usize = 50;
/// Segment columns shown at most per breakdown.
const MAX_COLUMNS: usize = 8;
/// Labels shown at most per segment column.
const MAX_LABELS: usize = 12;
/// Bars of the reasons Pareto chart (the table lists more).
const PARETO_BARS: usize = 12;
/// Offsets of the cohort table shown at most (months 0..=24).
const MAX_OFFSETS: usize = 25;

/// Writing to a `String` cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

const CSS: &str = "\
:root{color-scheme:light}\
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}\
body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1d1d1f;background:#fff}\
header{border-bottom:3px solid #0072b2;margin-bottom:16px}\
h1{font-size:26px;margin:0 0 4px}\
h2{font-size:20px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #ddd;break-after:avoid}\
h3{font-size:15px;margin:18px 0 6px;color:#444;break-after:avoid}\
.meta{margin:2px 0;color:#555}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}\
.card{border:1px solid #ddd;border-radius:6px;padding:8px 10px;break-inside:avoid}\
.card .label{font-size:12px;color:#555}\
.card .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}\
.card .sub{font-size:11px;color:#666}\
figure{margin:12px 0;break-inside:avoid}\
figure svg{display:block;width:100%;max-width:800px;height:auto}\
figcaption{font-size:13px;color:#444;margin-top:2px}\
.scroll{overflow-x:auto}\
table{border-collapse:collapse;margin:8px 0 14px;font-size:12px;break-inside:auto}\
caption{text-align:left;font-weight:600;padding:4px 0;color:#333}\
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\
th{background:#f3f3f3}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tr{break-inside:avoid}\
table.heat td{text-align:right;padding:2px 4px;min-width:34px}\
table.heat td.k0{background:#e8e8e8}\
table.heat td.na{background:#fff}\
table.heat tr.avg td{font-weight:600;border-top:2px solid #999}\
.h0{background:#f4f9fc}.h1{background:#e0eef7}.h2{background:#c9e1f0}.h3{background:#b0d3e9}\
.h4{background:#94c3e0}.h5{background:#77b2d6}.h6{background:#589fcb}.h7{background:#3a8dc0}\
.h8{background:#1f7eb7;color:#fff}.h9{background:#0a72b0;color:#fff}.h10{background:#005a8c;color:#fff}\
.note{font-size:12px;color:#555}\
footer{margin-top:32px;padding-top:8px;border-top:1px solid #ddd;font-size:12px;color:#555}\
@page{margin:14mm}\
@media print{body{padding:0;max-width:none;font-size:10pt}.scroll{overflow:visible}section{break-inside:auto}\
table{font-size:8pt}table.heat{font-size:6.5pt}table.heat td,table.heat th{min-width:0;padding:1px 2px}}";

/// The report as one self-contained HTML document (see the module docs).
pub fn standalone_html(report: &Report, lang: Lang) -> String {
    let mut doc = Doc {
        out: String::with_capacity(256 * 1024),
        lang,
        f: Fmt(lang),
    };
    doc.head(report);
    doc.headline(report);
    doc.activity(report);
    doc.retention(report);
    doc.patterns(report);
    doc.surveys(report);
    doc.clv(report);
    doc.churn(report);
    doc.programme(report);
    doc.quality(report);
    let out = &mut doc.out;
    w!(
        out,
        "</main>\n<footer><p>{}</p></footer>\n</body>\n</html>\n",
        E(T::Footer.text(lang))
    );
    doc.out
}

struct Doc {
    out: String,
    lang: Lang,
    f: Fmt,
}

impl Doc {
    fn t(&self, key: T) -> &'static str {
        key.text(self.lang)
    }

    /// The date range of the data: transactions first, else the date filter,
    /// else the survey trend's first and last periods.
    fn date_range(&self, report: &Report) -> Option<String> {
        let f = self.f;
        let from_dates = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
            (Some(a), Some(b)) => Some(format!("{} – {}", f.date(a), f.date(b))),
            (Some(a), None) => Some(format!("{} –", f.date(a))),
            (None, Some(b)) => Some(format!("– {}", f.date(b))),
            (None, None) => None,
        };
        from_dates(report.first_date, report.last_date)
            .or_else(|| from_dates(report.settings.date_from, report.settings.date_to))
            .or_else(|| {
                let trend = &report.surveys.as_ref()?.nps_trend;
                let (first, last) = (trend.first()?, trend.last()?);
                Some(if first.label == last.label {
                    first.label.clone()
                } else {
                    format!("{} – {}", first.label, last.label)
                })
            })
    }

    fn head(&mut self, report: &Report) {
        let lang = self.lang;
        let title = self.t(T::Title);
        let range = self.date_range(report);
        let files: Vec<&str> = report.files.iter().map(|f| f.file.as_str()).collect();
        let mut full_title = match &range {
            Some(r) => format!("{title}, {r}"),
            None => title.to_string(),
        };
        if !files.is_empty() {
            let shown = files.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            let more = files.len().saturating_sub(3);
            if more > 0 {
                w!(full_title, " ({shown} +{more})");
            } else {
                w!(full_title, " ({shown})");
            }
        }
        let period = match report.settings.period {
            Period::Week => T::Week,
            Period::Month => T::Month,
            Period::Quarter => T::Quarter,
        };
        let mut settings = format!(
            "{}: {}; {}: {} {}",
            self.t(T::PeriodLabel),
            self.t(period),
            self.t(T::ChurnWindow),
            report.settings.churn_window_days,
            self.t(T::Days)
        );
        if report.settings.date_from.is_some() || report.settings.date_to.is_some() {
            let f = self.f;
            let side = |d: Option<NaiveDate>| d.map_or_else(|| "…".into(), |d| f.date(d));
            w!(
                settings,
                "; {}: {} – {}",
                self.t(T::DateFilter),
                side(report.settings.date_from),
                side(report.settings.date_to)
            );
        }
        let out = &mut self.out;
        w!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <meta name=\"generator\" content=\"Loyalty Lens\">\n\
             <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
            lang.code(),
            E(&full_title),
            CSS,
            E(title)
        );
        if let Some(r) = &range {
            w!(
                out,
                "<p class=\"meta\" data-testid=\"date-range\">{}: {}</p>\n",
                E(T::DataFrom.text(lang)),
                E(r)
            );
        }
        if !files.is_empty() {
            w!(
                out,
                "<p class=\"meta\" data-testid=\"files\">{}: ",
                E(T::Files.text(lang))
            );
            for (i, name) in files.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                w!(out, "<span class=\"file\">{}</span>", E(name));
            }
            out.push_str("</p>\n");
        }
        w!(
            out,
            "<p class=\"meta\">{}</p>\n</header>\n<main>\n",
            E(&settings)
        );
    }

    fn section(&mut self, id: &str, heading: T) {
        let heading = self.t(heading);
        w!(
            self.out,
            "<section data-section=\"{}\">\n<h2>{}</h2>\n",
            E(id),
            E(heading)
        );
    }

    fn end_section(&mut self) {
        self.out.push_str("</section>\n");
    }

    fn h3(&mut self, text: &str) {
        w!(self.out, "<h3>{}</h3>\n", E(text));
    }

    fn note(&mut self, text: &str) {
        w!(self.out, "<p class=\"note\">{}</p>\n", E(text));
    }

    /// One chart drawn by a [`crate::chart`] function on the SVG backend,
    /// inlined as `<figure data-chart=id><svg>…</svg><figcaption>`.
    fn chart<H>(
        &mut self,
        id: &str,
        caption: &str,
        draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<H, ChartError>,
    ) {
        let mut svg = String::new();
        let drawn = {
            let area = SVGBackend::with_string(&mut svg, CHART).into_drawing_area();
            draw(&area)
        };
        let body = match drawn {
            Ok(_) => inline_svg(&svg, CHART, caption),
            Err(_) => None,
        };
        match body {
            Some(body) => w!(
                self.out,
                "<figure data-chart=\"{}\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                E(id),
                body,
                E(caption)
            ),
            None => {
                let failed = self.t(T::ChartFailed);
                w!(
                    self.out,
                    "<p class=\"note\" data-chart-failed=\"{}\">{}: {}</p>\n",
                    E(id),
                    E(caption),
                    E(failed)
                );
            }
        }
    }

    /// A table; every cell is escaped. `head` cells after the first are
    /// right-aligned when the first row's cell is a number.
    fn table(&mut self, testid: &str, caption: &str, head: &[&str], rows: &[Vec<Cell>]) {
        let out = &mut self.out;
        w!(
            out,
            "<div class=\"scroll\"><table data-table=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
            E(testid),
            E(caption)
        );
        for (i, h) in head.iter().enumerate() {
            let numeric = rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(|c| matches!(c, Cell::Num(_)));
            let class = if numeric { " class=\"n\"" } else { "" };
            w!(out, "<th scope=\"col\"{class}>{}</th>", E(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for cell in row {
                match cell {
                    Cell::Text(s) => w!(out, "<td>{}</td>", E(s)),
                    Cell::Num(s) => w!(out, "<td class=\"n\">{}</td>", E(s)),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table></div>\n");
    }

    fn headline(&mut self, report: &Report) {
        #[derive(Clone, Copy)]
        enum Kind {
            Count,
            Money,
            Share,
            Points,
            Months,
            Mean,
        }
        use Kind::*;
        type Card = (&'static str, T, Kind);
        let groups: [(T, &[Card]); 5] = [
            (
                T::GroupBase,
                &[
                    (MetricId::Customers.id(), T::MCustomers, Count),
                    (MetricId::Transactions.id(), T::MTransactions, Count),
                    (MetricId::Orders.id(), T::MOrders, Count),
                    (MetricId::Revenue.id(), T::MRevenue, Money),
                    (MetricId::RepeatRate.id(), T::MRepeatRate, Share),
                ],
            ),
            (
                T::GroupRetention,
                &[
                    (MetricId::RetentionM1.id(), T::MRetentionM1, Share),
                    (MetricId::RetentionM3.id(), T::MRetentionM3, Share),
                    (MetricId::RetentionM6.id(), T::MRetentionM6, Share),
                    (MetricId::RetentionM12.id(), T::MRetentionM12, Share),
                    (MetricId::RetentionRate.id(), T::MRetentionRate, Share),
                    (MetricId::ChurnRate.id(), T::MChurnRate, Share),
                    (MetricId::KmMedianMonths.id(), T::MKmMedian, Months),
                ],
            ),
            (
                T::GroupSurveys,
                &[
                    (MetricId::Nps.id(), T::MNps, Points),
                    (MetricId::Responses.id(), T::MResponses, Count),
                    (MetricId::PromotersPct.id(), T::MPromoters, Points),
                    (MetricId::PassivesPct.id(), T::MPassives, Points),
                    (MetricId::DetractorsPct.id(), T::MDetractors, Points),
                    (MetricId::Csat.id(), T::MCsat, Share),
                    (MetricId::Ces.id(), T::MCes, Mean),
                ],
            ),
            (
                T::GroupClv,
                &[
                    (MetricId::ClvTotal.id(), T::MClvTotal, Money),
                    (MetricId::ClvMean.id(), T::MClvMean, Money),
                    (MetricId::PAliveMean.id(), T::MPAliveMean, Share),
                    (
                        MetricId::ExpectedPurchasesTotal.id(),
                        T::MExpectedPurchases,
                        Count,
                    ),
                ],
            ),
            (
                T::GroupChurn,
                &[
                    (MetricId::ChurnedCustomers.id(), T::MChurned, Count),
                    (MetricId::ChurnReasons.id(), T::MChurnReasons, Count),
                    (
                        MetricId::ChurnTopReasonShare.id(),
                        T::MTopReasonShare,
                        Share,
                    ),
                    (
                        MetricId::ChurnControllableShare.id(),
                        T::MControllable,
                        Share,
                    ),
                    (MetricId::ChurnRevenueLost.id(), T::MRevenueLost, Money),
                ],
            ),
        ];
        if !groups
            .iter()
            .any(|(_, ids)| ids.iter().any(|(id, _, _)| report.metric(id).is_some()))
        {
            return;
        }
        let f = self.f;
        self.section("headline", T::Headline);
        let surveys = report.surveys.as_ref();
        for (group, ids) in groups {
            if !ids.iter().any(|(id, _, _)| report.metric(id).is_some()) {
                continue;
            }
            self.h3(self.t(group));
            self.out.push_str("<div class=\"cards\">\n");
            for &(id, label, kind) in ids {
                let Some(value) = report.metric(id) else {
                    continue;
                };
                let shown = match kind {
                    Count => f.count(value),
                    Money => f.money(value),
                    Share => f.pct(value),
                    Points => {
                        if id == "nps" {
                            f.points(value)
                        } else {
                            format!("{}%", f.points(value))
                        }
                    }
                    Months => format!("{} {}", f.num(value, 1), self.t(T::MonthsUnit)),
                    Mean => f.num(value, 2),
                };
                // The interval and its plain-number attributes.
                let (ci, sub) = match id {
                    "nps" => {
                        match (
                            report.metric(MetricId::NpsCiLow.id()),
                            report.metric(MetricId::NpsCiHigh.id()),
                            report.metric(MetricId::NpsMargin.id()),
                        ) {
                            (Some(low), Some(high), Some(margin)) => (
                                Some((low, high)),
                                Some(format!(
                                    "{}: {} … {} (± {}); n = {}",
                                    self.t(T::Ci95),
                                    f.points(low),
                                    f.points(high),
                                    f.points(margin),
                                    f.count(report.metric(MetricId::Responses.id()).unwrap_or(0.0))
                                )),
                            ),
                            _ => (None, None),
                        }
                    }
                    "csat" => match surveys.and_then(|s| s.csat.as_ref()) {
                        Some(c) => (
                            Some((c.ci_low, c.ci_high)),
                            Some(format!(
                                "{}: {} … {}; n = {}",
                                self.t(T::Ci95),
                                f.pct(c.ci_low),
                                f.pct(c.ci_high),
                                f.count(c.responses as f64)
                            )),
                        ),
                        None => (None, None),
                    },
                    "ces" => match surveys.and_then(|s| s.ces.as_ref()) {
                        Some(c) => (
                            None,
                            Some(format!(
                                "{} {}; n = {}",
                                f.pct(c.share_5_to_7),
                                self.t(T::Ces57),
                                f.count(c.responses as f64)
                            )),
                        ),
                        None => (None, None),
                    },
                    _ => (None, None),
                };
                let out = &mut self.out;
                w!(
                    out,
                    "<div class=\"card\" data-metric=\"{}\" data-value=\"{}\"",
                    E(id),
                    value
                );
                if let Some((low, high)) = ci.filter(|(l, h)| l.is_finite() && h.is_finite()) {
                    w!(out, " data-ci-low=\"{low}\" data-ci-high=\"{high}\"");
                }
                w!(
                    out,
                    "><div class=\"label\">{}</div><div class=\"value\">{}</div>",
                    E(label.text(f.0)),
                    E(&shown)
                );
                if let Some(sub) = sub {
                    w!(out, "<div class=\"sub\">{}</div>", E(&sub));
                }
                out.push_str("</div>\n");
            }
            self.out.push_str("</div>\n");
        }
        self.end_section();
    }

    fn activity(&mut self, report: &Report) {
        if report.monthly_activity.is_empty() && report.lifecycle.is_empty() {
            return;
        }
        let lang = self.lang;
        self.section("activity", T::SecActivity);
        if !report.monthly_activity.is_empty() {
            let labels = ActivityLabels::for_locale(lang.locale());
            self.chart("activity", self.t(T::CapActivity), |area| {
                draw_monthly_activity(area, &report.monthly_activity, &labels)
            });
        }
        if !report.lifecycle.is_empty() {
            self.chart("lifecycle", self.t(T::CapLifecycle), |area| {
                draw_lifecycle(
                    area,
                    &report.lifecycle,
                    &LifecycleLabels::for_locale(lang.locale()),
                )
            });
        }
        self.end_section();
    }

    fn retention(&mut self, report: &Report) {
        let has_cohorts = !report.cohorts.cohorts.is_empty();
        if !has_cohorts && report.survival.is_none() && report.segment_retention.is_empty() {
            return;
        }
        let f = self.f;
        let lang = self.lang;
        self.section("retention", T::SecRetention);
        if has_cohorts {
            self.cohort_table(&report.cohorts);
            if report.cohorts.average_on.len() >= 2 {
                self.chart("cohort_curves", self.t(T::CapCohortCurves), |area| {
                    draw_cohort_curves(
                        area,
                        &report.cohorts,
                        &PatternLabels::for_locale(lang.locale()),
                    )
                });
            }
        }
        for seg in report.segment_retention.iter().take(MAX_COLUMNS) {
            if seg.segments.is_empty() {
                continue;
            }
            let caption = format!("{} {}", self.t(T::RetentionBy), seg.column);
            let month = self.t(T::MonthN);
            let heads: Vec<String> = [1, 3, 6, 12]
                .iter()
                .map(|k| format!("{month} {k}"))
                .collect();
            let mut head = vec![seg.column.as_str(), self.t(T::Customers)];
            head.extend(heads.iter().map(String::as_str));
            let rows: Vec<Vec<Cell>> = seg
                .segments
                .iter()
                .map(|s| {
                    let mut row = vec![text(&s.label), num(f.count(s.customers as f64))];
                    row.extend(s.at_months.iter().map(|v| num(f.opt_pct(*v))));
                    row
                })
                .collect();
            self.table("segment_retention", &caption, &head, &rows);
        }
        if let Some(curve) = &report.survival {
            let labels = SurvivalLabels::for_locale(lang.locale());
            self.chart("survival", self.t(T::CapSurvival), |area| {
                draw_survival(area, curve, &labels)
            });
        }
        self.segment_survival(report);
        self.end_section();
    }

    /// Kaplan-Meier by customers segment columns in one table: the columns
    /// whose segments differ most (smallest log-rank p) first, at most
    /// [`MAX_COLUMNS`] of them.
    fn segment_survival(&mut self, report: &Report) {
        let f = self.f;
        let mut columns: Vec<_> = report
            .segment_survival
            .iter()
            .filter(|s| !s.curves.is_empty())
            .collect();
        if columns.is_empty() {
            return;
        }
        let p_of = |s: &&crate::metrics::segment_breakdown::SegmentSurvival| {
            s.log_rank.map_or(f64::INFINITY, |lr| lr.p_value)
        };
        columns.sort_by(|a, b| p_of(a).total_cmp(&p_of(b)));
        let left_out = columns.len().saturating_sub(MAX_COLUMNS);
        let not_reached = self.t(T::NotReached);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for seg in columns.iter().take(MAX_COLUMNS) {
            let test = seg.log_rank.map_or_else(
                || "–".to_string(),
                |lr| {
                    let p = f.p_value(lr.p_value);
                    let p = if p.starts_with('<') {
                        format!("p {p}")
                    } else {
                        format!("p = {p}")
                    };
                    format!(
                        "χ² = {}, df = {}, {p}",
                        f.num(lr.chi_square, 1),
                        lr.degrees_of_freedom
                    )
                },
            );
            for (i, (label, c)) in seg.curves.iter().enumerate() {
                let observed_12 = c.months.last().is_some_and(|&m| m >= 12.0);
                rows.push(vec![
                    text(if i == 0 { seg.column.as_str() } else { "" }),
                    text(label),
                    num(f.count(c.at_risk.first().copied().unwrap_or(0) as f64)),
                    num(c
                        .at(12.0)
                        .filter(|_| observed_12)
                        .map_or_else(|| "–".into(), |v| f.pct(v))),
                    num(c
                        .median_months
                        .map_or_else(|| not_reached.into(), |m| f.num(m, 1))),
                    text(if i == 0 { test.as_str() } else { "" }),
                ]);
            }
        }
        let head = [
            self.t(T::Column),
            self.t(T::Segment),
            self.t(T::Customers),
            self.t(T::StillAfter12),
            self.t(T::MedianMonths),
            self.t(T::LogRank),
        ];
        self.table("segment_survival", self.t(T::SurvivalBy), &head, &rows);
        if left_out > 0 {
            let note = format!("{} {}", left_out, self.t(T::MoreColumns));
            self.note(&note);
        }
    }

    /// The cohort triangle as a heat map: one row per cohort, one column per
    /// month since the first purchase.
    fn cohort_table(&mut self, matrix: &CohortMatrix) {
        let f = self.f;
        let offsets = matrix
            .cohorts
            .iter()
            .map(|c| c.on.len())
            .chain(std::iter::once(matrix.average_on.len()))
            .max()
            .unwrap_or(0);
        let shown = offsets.min(MAX_OFFSETS);
        // Shade relative to the best retention after month 0.
        let top = matrix
            .cohorts
            .iter()
            .flat_map(|c| c.on.iter().take(shown).skip(1).copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let shade = |v: f64| -> usize {
            if top <= 0.0 || !v.is_finite() {
                0
            } else {
                ((v / top).clamp(0.0, 1.0) * 10.0).round() as usize
            }
        };
        let cell = |out: &mut String, k: usize, v: Option<f64>| match v {
            None => out.push_str("<td class=\"na\"></td>"),
            Some(v) if k == 0 => w!(out, "<td class=\"k0\">{}</td>", E(&f.pct_short(v))),
            Some(v) => w!(
                out,
                "<td class=\"h{}\">{}</td>",
                shade(v),
                E(&f.pct_short(v))
            ),
        };
        let (cap, cohort, customers, average) = (
            self.t(T::CapCohortTable),
            self.t(T::Cohort),
            self.t(T::Customers),
            self.t(T::AverageWeighted),
        );
        let out = &mut self.out;
        w!(
            out,
            "<div class=\"scroll\"><table class=\"heat\" data-table=\"cohorts\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th>",
            E(cap),
            E(cohort),
            E(customers)
        );
        for k in 0..shown {
            w!(out, "<th scope=\"col\" class=\"n\">{k}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &matrix.cohorts {
            w!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td>",
                E(&row.cohort),
                E(&f.count(row.size as f64))
            );
            for k in 0..shown {
                cell(out, k, row.on.get(k).copied());
            }
            out.push_str("</tr>\n");
        }
        let total: u64 = matrix.cohorts.iter().map(|c| c.size).sum();
        w!(
            out,
            "<tr class=\"avg\"><th scope=\"row\">{}</th><td>{}</td>",
            E(average),
            E(&f.count(total as f64))
        );
        for k in 0..shown {
            cell(out, k, matrix.average_on.get(k).copied());
        }
        out.push_str("</tr>\n</tbody>\n</table></div>\n");
        let mut note = self.t(T::CohortNote).to_string();
        if offsets > shown {
            note.push(' ');
            note.push_str(self.t(T::OffsetsCut));
        }
        self.note(&note);
    }

    fn patterns(&mut self, report: &Report) {
        let Some(p) = &report.purchase_patterns else {
            return;
        };
        let days = p
            .days_between_purchases
            .as_ref()
            .filter(|d| !d.buckets.is_empty());
        let seasonal = p
            .seasonality
            .iter()
            .any(|m| m.orders_index.is_some() || m.revenue_index.is_some());
        if p.orders_per_customer.is_empty() && days.is_none() && !seasonal {
            return;
        }
        let (lang, f) = (self.lang, self.f);
        let patterns = PatternLabels::for_locale(lang.locale());
        self.section("patterns", T::SecPatterns);
        if !p.orders_per_customer.is_empty() {
            self.chart(
                "orders_per_customer",
                self.t(T::CapOrdersPerCustomer),
                |area| {
                    draw_distribution(
                        area,
                        &p.orders_per_customer,
                        T::Orders.text(lang),
                        T::Customers.text(lang),
                        &patterns,
                    )
                },
            );
        }
        if let Some(d) = days {
            let caption = format!(
                "{} (median {}, 90th percentile {})",
                self.t(T::CapDaysBetween),
                f.num(d.median, 0),
                f.num(d.p90, 0)
            );
            let caption = match lang {
                Lang::En => caption,
                Lang::Ru => format!(
                    "{} (медиана {}, 90-й перцентиль {})",
                    self.t(T::CapDaysBetween),
                    f.num(d.median, 0),
                    f.num(d.p90, 0)
                ),
            };
            self.chart("days_between_purchases", &caption, |area| {
                draw_distribution(
                    area,
                    &d.buckets,
                    T::ChartDays.text(lang),
                    T::RepeatPurchases.text(lang),
                    &patterns,
                )
            });
        }
        if seasonal {
            self.chart("seasonality", self.t(T::CapSeasonality), |area| {
                draw_seasonality(area, &p.seasonality, &patterns)
            });
        }
        self.end_section();
    }

    fn surveys(&mut self, report: &Report) {
        let Some(s) = &report.surveys else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let nps_labels = NpsLabels::for_locale(lang.locale());
        let csat = s.csat.as_ref().filter(|c| c.responses > 0);
        let by_answer = s
            .churn_by_answer
            .as_ref()
            .filter(|c| !c.by_problem.is_empty() || !c.by_satisfaction.is_empty());
        let has_content = (s.nps.is_some() && s.nps_distribution.iter().sum::<u64>() > 0)
            || !s.nps_trend.is_empty()
            || s.nps_segments.iter().any(|t| !t.rows.is_empty())
            || csat.is_some()
            || s.comments.as_ref().is_some_and(|c| !c.themes.is_empty())
            || s.loyalty_link.is_some()
            || by_answer.is_some();
        if !has_content {
            return;
        }
        self.section("surveys", T::SecSurveys);
        if s.nps.is_some() && s.nps_distribution.iter().sum::<u64>() > 0 {
            self.chart("nps_distribution", self.t(T::CapNpsDistribution), |area| {
                draw_nps_distribution(area, &s.nps_distribution, &nps_labels)
            });
        }
        if !s.nps_trend.is_empty() {
            self.chart("nps_trend", self.t(T::CapNpsTrend), |area| {
                draw_nps_trend(area, &s.nps_trend, &nps_labels)
            });
        }
        let mut any_significant = false;
        for table in s.nps_segments.iter().take(MAX_COLUMNS) {
            if table.rows.is_empty() {
                continue;
            }
            let caption = format!("{} {}", self.t(T::NpsBy), table.column);
            let head = [
                table.column.as_str(),
                self.t(T::Answers),
                self.t(T::MNps),
                self.t(T::Ci95),
                self.t(T::DifferenceToRest),
                self.t(T::Impact),
            ];
            let rows: Vec<Vec<Cell>> = table
                .rows
                .iter()
                .map(|r| {
                    any_significant |= r.significant;
                    let diff = r.difference_to_rest.map_or_else(
                        || "–".into(),
                        |d| {
                            let mark = if r.significant { " *" } else { "" };
                            format!("{}{mark}", f.signed(d))
                        },
                    );
                    vec![
                        text(&r.label),
                        num(f.count(r.summary.responses as f64)),
                        num(f.points(r.summary.nps)),
                        num(format!(
                            "{} … {}",
                            f.points(r.summary.ci_low),
                            f.points(r.summary.ci_high)
                        )),
                        num(diff),
                        num(r.impact.map_or_else(|| "–".into(), |v| f.signed(v))),
                    ]
                })
                .collect();
            self.table("nps_segments", &caption, &head, &rows);
        }
        if any_significant {
            self.note(self.t(T::SignificantNote));
        }
        if let Some(c) = csat {
            // One column per score: answers and their share.
            let scores: Vec<String> = (0..c.distribution.len())
                .map(|i| (usize::from(c.scale.min) + i).to_string())
                .collect();
            let mut head = vec![self.t(T::Score)];
            head.extend(scores.iter().map(String::as_str));
            let total = c.distribution.iter().sum::<u64>().max(1) as f64;
            let mut answers = vec![text(self.t(T::AnswersCap))];
            answers.extend(c.distribution.iter().map(|&n| num(f.count(n as f64))));
            let mut shares = vec![text(self.t(T::Share))];
            shares.extend(c.distribution.iter().map(|&n| num(f.pct(n as f64 / total))));
            self.table(
                "csat_distribution",
                self.t(T::CapCsat),
                &head,
                &[answers, shares],
            );
        }
        if let Some(c) = s.comments.as_ref().filter(|c| !c.themes.is_empty()) {
            let head = [
                self.t(T::Theme),
                self.t(T::Mentions),
                self.t(T::ShareDetractors),
                self.t(T::SharePromoters),
                self.t(T::NpsWith),
                self.t(T::Impact),
            ];
            let rows: Vec<Vec<Cell>> = c
                .themes
                .iter()
                .map(|t| {
                    vec![
                        text(&t.theme),
                        num(f.count(t.mentions as f64)),
                        num(f.opt_pct(t.share_detractors)),
                        num(f.opt_pct(t.share_promoters)),
                        num(t.nps_with.map_or_else(|| "–".into(), |v| f.points(v))),
                        num(t.impact.map_or_else(|| "–".into(), |v| f.signed(v))),
                    ]
                })
                .collect();
            self.table("comment_themes", self.t(T::CapThemes), &head, &rows);
            let terms: Vec<Vec<Cell>> = c
                .top_terms
                .iter()
                .filter(|g| !g.terms.is_empty())
                .map(|g| {
                    let group = match g.group {
                        crate::metrics::nps::NpsGroup::Detractor => T::Detractors,
                        crate::metrics::nps::NpsGroup::Passive => T::Passives,
                        crate::metrics::nps::NpsGroup::Promoter => T::Promoters,
                    };
                    let words = g
                        .terms
                        .iter()
                        .map(|(w, n)| format!("{w} ({n})"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![text(group.text(lang)), text(words)]
                })
                .collect();
            if !terms.is_empty() {
                let head = [self.t(T::Group), self.t(T::Words)];
                self.table("comment_terms", self.t(T::CapTopTerms), &head, &terms);
            }
            self.note(self.t(T::CommentsNote));
        }
        if let Some(link) = &s.loyalty_link {
            if link.by_nps_group.iter().any(|g| g.repeat_rate.is_some()) {
                self.chart("loyalty_link", self.t(T::CapLoyaltyLink), |area| {
                    draw_loyalty_link(
                        area,
                        &link.by_nps_group,
                        LinkMeasure::RepeatRate,
                        &nps_labels,
                    )
                });
            }
            for (key, groups) in [
                (T::LinkByNps, &link.by_nps_group),
                (T::LinkByCsat, &link.by_csat),
                (T::LinkByProblem, &link.by_problem),
            ] {
                if groups.is_empty() {
                    continue;
                }
                self.link_table(self.t(key), groups);
            }
        }
        if let Some(c) = by_answer {
            let head = [
                self.t(T::Group),
                self.t(T::Customers),
                self.t(T::Left),
                self.t(T::ShareLeft),
                self.t(T::Ci95),
            ];
            for (key, groups) in [
                (T::ChurnByProblem, &c.by_problem),
                (T::ChurnBySatisfaction, &c.by_satisfaction),
            ] {
                if groups.is_empty() {
                    continue;
                }
                let rows: Vec<Vec<Cell>> = groups
                    .iter()
                    .map(|g| {
                        vec![
                            text(group_name(&g.group, lang)),
                            num(f.count(g.churn.of as f64)),
                            num(f.count(g.churn.count as f64)),
                            num(f.pct(g.churn.share)),
                            num(format!(
                                "{} … {}",
                                f.pct(g.churn.ci_low),
                                f.pct(g.churn.ci_high)
                            )),
                        ]
                    })
                    .collect();
                self.table("churn_by_answer", self.t(key), &head, &rows);
            }
        }
        self.end_section();
    }

    fn link_table(&mut self, caption: &str, groups: &[GroupBehaviour]) {
        let (lang, f) = (self.lang, self.f);
        let share = |s: &Option<Share>| s.as_ref().map_or_else(|| "–".into(), |s| f.pct(s.share));
        let head = [
            self.t(T::Group),
            self.t(T::Customers),
            self.t(T::MRepeatRate),
            self.t(T::BoughtWithin6m),
            self.t(T::RevenuePerCustomer),
        ];
        let rows: Vec<Vec<Cell>> = groups
            .iter()
            .map(|g| {
                vec![
                    text(group_name(&g.group, lang)),
                    num(f.count(g.customers as f64)),
                    num(share(&g.repeat_rate)),
                    num(share(&g.bought_within_6m)),
                    num(g
                        .revenue_per_customer
                        .as_ref()
                        .map_or_else(|| "–".into(), |m| f.money(m.mean))),
                ]
            })
            .collect();
        self.table("loyalty_link", caption, &head, &rows);
    }

    fn clv(&mut self, report: &Report) {
        let Some(c) = &report.clv else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let labels = ClvLabels::for_locale(lang.locale());
        self.section("clv", T::SecClv);
        // Model parameters with their standard errors.
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let se = |v: Option<f64>| v.map_or_else(|| "–".into(), |v| f.num(v, 4));
        if let Some(bg) = &c.bgnbd {
            let e = bg.standard_errors;
            let mark = if bg.converged {
                ""
            } else {
                self.t(T::NotConverged)
            };
            for (name, value, err) in [
                ("BG/NBD r", bg.params.r, e.map(|e| e.r)),
                ("BG/NBD α", bg.params.alpha, e.map(|e| e.alpha)),
                ("BG/NBD a", bg.params.a, e.map(|e| e.a)),
                ("BG/NBD b", bg.params.b, e.map(|e| e.b)),
            ] {
                rows.push(vec![
                    text(format!("{name} {mark}").trim_end()),
                    num(f.num(value, 4)),
                    num(se(err)),
                ]);
            }
            rows.push(vec![
                text(format!("BG/NBD {}", self.t(T::LogLikelihood))),
                num(f.num(bg.log_likelihood, 2)),
                num("–"),
            ]);
        }
        if let Some(gg) = &c.gamma_gamma {
            let e = gg.standard_errors;
            let mark = if gg.converged {
                ""
            } else {
                self.t(T::NotConverged)
            };
            for (name, value, err) in [
                ("Gamma-Gamma p", gg.params.p, e.map(|e| e.p)),
                ("Gamma-Gamma q", gg.params.q, e.map(|e| e.q)),
                ("Gamma-Gamma v", gg.params.v, e.map(|e| e.v)),
            ] {
                rows.push(vec![
                    text(format!("{name} {mark}").trim_end()),
                    num(f.num(value, 4)),
                    num(se(err)),
                ]);
            }
        }
        if !rows.is_empty() {
            rows.push(vec![
                text(self.t(T::Horizon)),
                num(c.settings.horizon_months.to_string()),
                num("–"),
            ]);
            rows.push(vec![
                text(self.t(T::DiscountRate)),
                num(f.pct(c.settings.discount_rate)),
                num("–"),
            ]);
            if let Some(m) = c.settings.margin {
                rows.push(vec![text(self.t(T::Margin)), num(f.pct(m)), num("–")]);
            }
            let head = [
                self.t(T::Parameter),
                self.t(T::Value),
                self.t(T::StandardError),
            ];
            self.table("clv_model", self.t(T::CapModel), &head, &rows);
        }
        for m in &c.messages {
            self.note(&m.text);
        }
        if let Some(d) = c.clv_distribution.as_ref().filter(|d| !d.bins.is_empty()) {
            self.chart("clv_distribution", self.t(T::CapClvDistribution), |area| {
                draw_clv_distribution(area, d, &labels)
            });
        }
        if let Some(h) = &c.holdout {
            if !h.by_frequency.is_empty() {
                self.chart("clv_holdout", self.t(T::CapHoldout), |area| {
                    draw_holdout_by_frequency(area, &h.by_frequency, &labels)
                });
            }
            if !h.tracking.is_empty() {
                self.chart("clv_tracking", self.t(T::CapTracking), |area| {
                    draw_tracking(area, &h.tracking, h.calibration_end_week, &labels)
                });
            }
        }
        if let Some(rfm) = &c.rfm {
            if !rfm.grid.is_empty() {
                self.chart("rfm_grid", self.t(T::CapRfmGrid), |area| {
                    draw_rfm_grid(area, &rfm.grid, &labels)
                });
            }
            let rows: Vec<Vec<Cell>> = rfm
                .segments
                .iter()
                .filter(|s| s.customers > 0)
                .map(|s| {
                    vec![
                        text(rfm_name(s.segment, lang)),
                        num(f.count(s.customers as f64)),
                        num(f.pct(s.customer_share)),
                        num(f.money(s.revenue)),
                        num(f.opt_pct(s.revenue_share)),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                let head = [
                    self.t(T::Segment),
                    self.t(T::Customers),
                    self.t(T::ShareOfCustomers),
                    self.t(T::Revenue),
                    self.t(T::ShareOfRevenue),
                ];
                self.table("rfm_segments", self.t(T::CapRfmSegments), &head, &rows);
            }
        }
        if let Some(m) = c.abc_xyz.as_ref().filter(|m| !m.cells.is_empty()) {
            let total: f64 = m.cells.iter().map(|c| c.revenue).sum();
            let rows: Vec<Vec<Cell>> = Abc::ALL
                .iter()
                .map(|&abc| {
                    let mut row = vec![text(abc.letter())];
                    for xyz in Xyz::ALL {
                        let cell = m.cells.iter().find(|c| c.abc == abc && c.xyz == xyz);
                        row.push(num(cell.map_or_else(
                            || "–".into(),
                            |c| {
                                if total != 0.0 && total.is_finite() {
                                    format!(
                                        "{} ({})",
                                        f.count(c.customers as f64),
                                        f.pct(c.revenue / total)
                                    )
                                } else {
                                    f.count(c.customers as f64)
                                }
                            },
                        )));
                    }
                    row
                })
                .collect();
            let head = [self.t(T::AbcXyzCell), "X", "Y", "Z"];
            self.table("abc_xyz", self.t(T::CapAbcXyz), &head, &rows);
        }
        if !c.top_customers.is_empty() {
            let head = [
                self.t(T::CustomerId),
                self.t(T::Clv),
                self.t(T::PAlive),
                self.t(T::ExpectedPurchases),
                self.t(T::RepeatPurchases),
                self.t(T::AverageOrder),
            ];
            let rows: Vec<Vec<Cell>> = c
                .top_customers
                .iter()
                .take(MAX_ROWS)
                .map(|t| {
                    vec![
                        text(&t.customer),
                        num(f.money(t.clv)),
                        num(f.pct(t.p_alive)),
                        num(f.num(t.expected_purchases, 2)),
                        num(f.count(t.frequency)),
                        num(f.opt_money(t.monetary_value)),
                    ]
                })
                .collect();
            self.table("top_customers", self.t(T::CapTopCustomers), &head, &rows);
        }
        self.end_section();
    }

    fn churn(&mut self, report: &Report) {
        let Some(c) = &report.churn else {
            return;
        };
        let (lang, f) = (self.lang, self.f);
        let labels = ChurnLabels::for_locale(lang.locale());
        self.section("churn", T::SecChurn);
        if c.categories
            .iter()
            .any(|r| r.category != ChurnCategory::Unknown)
        {
            let bars = c.category_pareto(|cat| category_name(cat, lang).to_string());
            self.chart("churn_categories", self.t(T::CapChurnCategories), |area| {
                draw_pareto(area, &bars, &labels)
            });
        }
        if c.reasons.iter().any(|r| r.reason.is_some()) {
            let bars: Vec<_> = c
                .reason_pareto(self.t(T::NoReason))
                .into_iter()
                .take(PARETO_BARS)
                .collect();
            self.chart("churn_reasons", self.t(T::CapChurnReasonsChart), |area| {
                draw_pareto(area, &bars, &labels)
            });
        }
        if c.reference.iter().any(|r| r.user_share.is_some()) {
            self.chart("churn_reference", self.t(T::CapReference), |area| {
                draw_reference_comparison(area, &c.reference, &labels)
            });
        }
        if let Some(risks) = c.competing_risks.as_ref().filter(|r| !r.curves.is_empty()) {
            self.chart("churn_incidence", self.t(T::CapIncidence), |area| {
                draw_cumulative_incidence(area, risks, &labels)
            });
        }
        if !c.categories.is_empty() {
            let head = [
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::ShareOfKnown),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .categories
                .iter()
                .map(|r| {
                    vec![
                        text(category_name(r.category, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.opt_pct(r.share_of_known)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table(
                "churn_categories",
                self.t(T::CapChurnCategories),
                &head,
                &rows,
            );
        }
        if c.reasons.iter().any(|r| r.reason.is_some()) {
            let head = [
                self.t(T::Reason),
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::Cumulative),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .reasons
                .iter()
                .take(MAX_ROWS)
                .map(|r| {
                    vec![
                        text(r.reason.as_deref().unwrap_or(self.t(T::NoReason))),
                        text(category_name(r.category, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.pct(r.cumulative_share)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table("churn_reasons", self.t(T::CapChurnReasons), &head, &rows);
            if c.reasons.len() > MAX_ROWS {
                let note = format!(
                    "{} {}",
                    f.count((c.reasons.len() - MAX_ROWS) as f64),
                    self.t(T::MoreRows)
                );
                self.note(&note);
            }
        }
        if !c.file_categories.is_empty() {
            let head = [
                self.t(T::FileCategory),
                self.t(T::Category),
                self.t(T::Customers),
                self.t(T::Share),
                self.t(T::RevenueLost),
            ];
            let rows: Vec<Vec<Cell>> = c
                .file_categories
                .iter()
                .take(MAX_ROWS)
                .map(|r| {
                    vec![
                        text(r.category.as_deref().unwrap_or(self.t(T::NoReason))),
                        text(category_name(r.canonical, lang)),
                        num(f.count(r.customers as f64)),
                        num(f.pct(r.share)),
                        num(f.opt_money(r.revenue_lost)),
                    ]
                })
                .collect();
            self.table(
                "churn_file_categories",
                self.t(T::CapFileCategories),
                &head,
                &rows,
            );
        }
        self.churn_by_segment(report);
        self.end_section();
    }

    /// Churn by customers segment columns in one table: the columns whose
    /// segments' churn shares spread most first, at most [`MAX_COLUMNS`].
    fn churn_by_segment(&mut self, report: &Report) {
        let f = self.f;
        let spread = |s: &&crate::report::ChurnBySegment| {
            let shares = s.rows.iter().map(|r| r.churn_share);
            shares.clone().fold(f64::MIN, f64::max) - shares.fold(f64::MAX, f64::min)
        };
        let mut columns: Vec<_> = report
            .churn_by_segment
            .iter()
            .filter(|s| !s.rows.is_empty())
            .collect();
        if columns.is_empty() {
            return;
        }
        columns.sort_by(|a, b| spread(b).total_cmp(&spread(a)));
        let left_out = columns.len().saturating_sub(MAX_COLUMNS);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for seg in columns.iter().take(MAX_COLUMNS) {
            for (i, r) in seg.rows.iter().take(MAX_LABELS).enumerate() {
                rows.push(vec![
                    text(if i == 0 { seg.column.as_str() } else { "" }),
                    text(&r.segment),
                    num(f.count(r.customers as f64)),
                    num(f.count(r.churned as f64)),
                    num(f.pct(r.churn_share)),
                    num(f.opt_money(r.revenue_lost)),
                ]);
            }
        }
        let head = [
            self.t(T::Column),
            self.t(T::Segment),
            self.t(T::Customers),
            self.t(T::Left),
            self.t(T::ShareLeft),
            self.t(T::RevenueLost),
        ];
        self.table("churn_by_segment", self.t(T::ChurnBy), &head, &rows);
        if left_out > 0 {
            let note = format!("{} {}", left_out, self.t(T::MoreColumns));
            self.note(&note);
        }
    }

    fn comparison_rows(&self, comparisons: &[Comparison]) -> Vec<Vec<Cell>> {
        let (lang, f) = (self.lang, self.f);
        comparisons
            .iter()
            .map(|c| {
                let value = |v: Option<f64>| {
                    v.map_or_else(
                        || "–".into(),
                        |v| match c.measure.as_str() {
                            "repeat_share" => f.pct(v),
                            "nps" => f.points(v),
                            "average_order_value" | "revenue_per_customer" => f.money(v),
                            _ => f.num(v, 2),
                        },
                    )
                };
                vec![
                    text(measure_name(&c.measure, lang).unwrap_or(&c.measure)),
                    num(format!(
                        "{} (n = {})",
                        value(c.before),
                        f.count(c.n_before as f64)
                    )),
                    num(format!(
                        "{} (n = {})",
                        value(c.after),
                        f.count(c.n_after as f64)
                    )),
                    num(c.p_value.map_or_else(|| "–".into(), |p| f.p_value(p))),
                ]
            })
            .collect()
    }

    fn programme(&mut self, report: &Report) {
        let p = &report.programme;
        if p.is_empty() {
            return;
        }
        let f = self.f;
        self.section("programme", T::SecProgramme);
        for mark in &p.marks {
            let caption = format!(
                "{} {} ({}, ± {} {})",
                self.t(T::BeforeAfter),
                mark.mark.label,
                f.date(mark.mark.date),
                mark.window_days,
                self.t(T::Days)
            );
            let head = [
                self.t(T::Measure),
                self.t(T::Before),
                self.t(T::After),
                self.t(T::PValue),
            ];
            let rows = self.comparison_rows(&mark.comparisons);
            self.table("programme_mark", &caption, &head, &rows);
        }
        if let Some(m) = &p.members {
            let caption = format!("{} {}", self.t(T::MembersVs), m.column);
            let head = [
                self.t(T::Measure),
                self.t(T::NonMembers),
                self.t(T::Members),
                self.t(T::PValue),
            ];
            let rows = self.comparison_rows(&m.comparisons);
            self.table("programme_members", &caption, &head, &rows);
        }
        if let Some(d) = &p.discount {
            let caption = format!(
                "{} ({}): {} / {} = {}",
                self.t(T::DiscountOrders),
                d.column,
                f.count(d.discounted_orders as f64),
                f.count(d.orders as f64),
                f.pct(d.share)
            );
            match &d.repeat_after_first_order {
                Some(c) => {
                    let head = [
                        self.t(T::Measure),
                        self.t(T::FirstOrderFull),
                        self.t(T::FirstOrderDiscounted),
                        self.t(T::PValue),
                    ];
                    let rows = self.comparison_rows(std::slice::from_ref(c));
                    self.table("programme_discount", &caption, &head, &rows);
                }
                None => self.note(&caption),
            }
        }
        self.end_section();
    }

    fn quality(&mut self, report: &Report) {
        if report.files.is_empty() {
            return;
        }
        let (lang, f) = (self.lang, self.f);
        self.section("quality", T::SecQuality);
        let head = [
            self.t(T::File),
            self.t(T::Kind),
            self.t(T::Format),
            self.t(T::RowsRead),
            self.t(T::RowsUsed),
            self.t(T::RowsRejected),
            self.t(T::Customers),
            self.t(T::Matched),
        ];
        let format_of = |file: &FileSummary| {
            let mut s = if file.format == "text" {
                format!("{}, {}", file.format, file.encoding)
            } else {
                match &file.sheet {
                    Some(sheet) => format!("{} ({sheet})", file.format),
                    None => file.format.clone(),
                }
            };
            if file.gzip {
                s.push_str(", gzip");
            }
            s
        };
        let rows: Vec<Vec<Cell>> = report
            .files
            .iter()
            .map(|file| {
                vec![
                    text(&file.file),
                    text(kind_name(file.kind, lang)),
                    text(format_of(file)),
                    num(f.count(file.rows_read as f64)),
                    num(f.count(file.rows_used as f64)),
                    num(f.count(file.rows_rejected as f64)),
                    num(f.count(file.customers as f64)),
                    num(file
                        .customers_matched
                        .map_or_else(|| "–".into(), |m| f.count(m as f64))),
                ]
            })
            .collect();
        self.table("files", self.t(T::CapFiles), &head, &rows);
        for file in &report.files {
            // What the file was read as and the reader's notes, as the page
            // says them on its overview.
            w!(
                self.out,
                "<p class=\"note\" data-testid=\"read-as\" data-file=\"{}\">{} — {}</p>\n",
                E(&file.file),
                E(&file.file),
                E(&file.read_as(lang.locale()))
            );
            for note in &file.notes {
                w!(
                    self.out,
                    "<p class=\"note\" data-testid=\"file-note\" data-file=\"{}\">{}</p>\n",
                    E(&file.file),
                    E(&note.describe_in(lang.locale()))
                );
            }
            if !file.rejections.is_empty() {
                let caption = format!("{} {}", self.t(T::RejectedIn), file.file);
                let head = [self.t(T::Reason), self.t(T::Rows)];
                let rows: Vec<Vec<Cell>> = file
                    .rejections
                    .iter()
                    .map(|g| {
                        vec![
                            text(g.reason.describe_in(lang.locale())),
                            num(f.count(g.count as f64)),
                        ]
                    })
                    .collect();
                self.table("rejections", &caption, &head, &rows);
            }
            if !file.columns.is_empty() {
                let caption = format!("{} {}", self.t(T::ColumnsOf), file.file);
                let head = [self.t(T::Column), self.t(T::Role)];
                let rows: Vec<Vec<Cell>> = file
                    .columns
                    .iter()
                    .map(|c| {
                        vec![
                            text(&c.name),
                            text(c.role.map_or(self.t(T::NotUsed), |r| role_name(r, lang))),
                        ]
                    })
                    .collect();
                self.table("columns", &caption, &head, &rows);
            }
        }
        self.end_section();
    }
}

/// Plotters' SVG document made fit to inline in HTML: the opening tag
/// (with its XML namespace URL, not needed inside HTML) is replaced by one
/// that scales with the page and carries the caption as its accessible name.
fn inline_svg(svg: &str, (w, h): (u32, u32), label: &str) -> Option<String> {
    let rest = svg.strip_prefix("<svg")?;
    let body = &rest[rest.find('>')? + 1..];
    if !body.trim_end().ends_with("</svg>") {
        return None;
    }
    Some(format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">{body}",
        E(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Fmt(Lang::En).num(1234.5, 1), "1,234.5");
        assert_eq!(Fmt(Lang::Ru).num(1234.5, 1), "1\u{a0}234,5");
        assert_eq!(Fmt(Lang::Ru).pct(0.125), "12,5%");
        let d = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap();
        assert_eq!(Fmt(Lang::En).date(d), "2024-03-09");
        assert_eq!(Fmt(Lang::Ru).date(d), "09.03.2024");
        assert_eq!(Fmt(Lang::En).signed(2.04), "+2.0");
        assert_eq!(Fmt(Lang::En).signed(-0.01), "0.0");
    }

    #[test]
    fn the_svg_opening_tag_loses_its_namespace_url() {
        let svg = "<svg width=\"800\" height=\"400\" viewBox=\"0 0 800 400\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n";
        let inlined = inline_svg(svg, (800, 400), "a \"b\" <c>").unwrap();
        assert!(!inlined.contains("http"));
        assert!(inlined.starts_with("<svg viewBox=\"0 0 800 400\""));
        assert!(inlined.contains("aria-label=\"a &quot;b&quot; &lt;c&gt;\""));
        assert!(inline_svg("<svg><rect/>", (1, 1), "").is_none());
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
    }
}
