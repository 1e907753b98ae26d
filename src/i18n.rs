//! Russian and English. The English text is the key: `t("Customers")` gives
//! "Клиенты" when the page is in Russian, and any text without a
//! translation stays in English rather than disappearing. The language is
//! one signal for the whole page, set once by the app.

use std::cell::Cell;

use leptos::prelude::*;
use loyalty_analytics::chart::ChurnLabels;
use loyalty_analytics::display::Locale;
use loyalty_analytics::metrics::churn_rules::ChurnCategory;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Some(Lang::En),
            Some("ru") => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The browser's preferred language, when it is one of ours.
    pub fn from_browser() -> Option<Lang> {
        web_sys::window()?
            .navigator()
            .language()
            .and_then(|l| Lang::from_code(&l))
    }

    pub fn locale(self) -> Locale {
        match self {
            Lang::En => Locale::En,
            Lang::Ru => Locale::Ru,
        }
    }
}

thread_local! {
    static LANG: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
}

/// Makes `signal` the page's language (called once by the app).
pub fn provide_lang(signal: RwSignal<Lang>) {
    LANG.with(|l| l.set(Some(signal)));
}

/// The page's language; reading it inside a reactive closure subscribes to it.
pub fn lang() -> Lang {
    LANG.with(|l| l.get()).map(|s| s.get()).unwrap_or(Lang::En)
}

/// `en` in the page's language.
pub fn t(en: &str) -> &str {
    match lang() {
        Lang::En => en,
        Lang::Ru => russian(en).or_else(|| russian_category(en)).unwrap_or(en),
    }
}

/// A churn category's name in the page's language, as the charts write it.
pub fn category(category: ChurnCategory) -> &'static str {
    ChurnLabels::for_locale(lang().locale()).categories[category.index()]
}

/// The Russian name of the churn category whose English name is `en` (the
/// core keeps both: the charts use them too).
fn russian_category(en: &str) -> Option<&'static str> {
    let names = ChurnLabels::for_locale(Locale::Ru).categories;
    ChurnCategory::ALL
        .into_iter()
        .find(|c| c.label() == en)
        .map(|c| names[c.index()])
}

/// A translated template with `{}` holes filled in order.
pub fn tf(template: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut rest = t(template);
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().map_or("", String::as_str));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A reactive translated text for `view!`: `{tr!("Customers")}`.
#[macro_export]
macro_rules! tr {
    ($text:literal) => {
        move || $crate::i18n::t($text).to_string()
    };
}

fn russian(en: &str) -> Option<&'static str> {
    Some(match en {
        // Header, navigation, intake
        "Loyalty Lens" => "Loyalty Lens",
        "Retention, value and loyalty from your exports. Nothing leaves this browser." => "Удержание, ценность и лояльность по вашим выгрузкам. Данные не покидают браузер.",
        "Pages" => "Разделы",
        "Overview" => "Обзор",
        "Retention" => "Удержание",
        "NPS & CSAT" => "NPS и CSAT",
        "CLV & segments" => "CLV и сегменты",
        "Churn causes" => "Причины оттока",
        "Data quality" => "Качество данных",
        "Language" => "Язык",
        "Drop exported files here" => "Перетащите сюда выгрузки",
        "Drop your exports here" => "Перетащите сюда выгрузки",
        "Choose files…" => "Выбрать файлы…",
        "Load data" => "Загрузка данных",
        "Load sample data" => "Загрузить пример",
        "Orders, survey answers (NPS, CSAT, CES), customer and churn lists, per-customer summaries: CSV, TSV, text or Excel, as your system exports them. Columns are recognised by their names and values; several files at once are joined on the customer id." => "Заказы, ответы на опросы (NPS, CSAT, CES), списки клиентов и ушедших, сводки по клиентам: CSV, TSV, текст или Excel — как их выгружает ваша система. Столбцы распознаются по названиям и значениям; несколько файлов объединяются по коду клиента.",
        "Sample: a synthetic shop (invented data): 2,486 customers' orders 2024–2025, 1,202 survey answers, 2,000 customers with reasons for leaving." => "Пример: вымышленный магазин (данные сгенерированы): заказы 2486 клиентов за 2024–2025, 1202 ответа на опрос, 2000 клиентов с причинами ухода.",
        "Drop any export: orders (customer id, date, amount), survey answers (NPS, CSAT), a customer or churn list, or a per-customer summary; or load the sample to see the figures." => "Перетащите любую выгрузку: заказы (код клиента, дата, сумма), ответы на опрос (NPS, CSAT), список клиентов или ушедших, сводку по клиентам — или загрузите пример.",
        // The loaded set
        "Loaded files" => "Загруженные файлы",
        "Remove" => "Убрать",
        "Clear all" => "Убрать все",
        "Keep my files on this computer" => "Хранить мои файлы на этом компьютере",
        "Forget my files" => "Забыть мои файлы",
        "This browser does not let the page store files, so they cannot be kept." => "Этот браузер не даёт странице хранить файлы, поэтому их нельзя сохранить.",
        "They stay in this browser only and are never sent anywhere." => "Они хранятся только в этом браузере и никуда не отправляются.",
        "not read" => "не прочитан",
        "; drop more to add them." => "; перетащите ещё, чтобы добавить их.",
        // How the files were read
        "How the files were read" => "Как прочитаны файлы",
        "Change columns" => "Изменить столбцы",
        "Files that need their columns named" => "Файлы, в которых нужно указать столбцы",
        "Nothing to compute yet beyond the number of customers: pick a column with a date (orders), a score (survey answers), or a churn flag, status, end date or tenure (customers)." => "Пока нечего считать, кроме числа клиентов: укажите столбец с датой (заказы), оценкой (ответы на опрос) или признаком ухода, статусом, датой ухода либо сроком (клиенты).",
        "Nothing to compute yet beyond the number of customers: besides the start date, pick the column that says who left (a churn flag, status, end date or tenure), or one with a score (survey answers)." => "Пока нечего считать, кроме числа клиентов: кроме даты начала, укажите столбец, из которого видно, кто ушёл (признак ухода, статус, дата ухода или срок), или столбец с оценкой (ответы на опрос).",
        "Nothing to compute yet: pick the column with the customer id and one with a date (orders), a score (survey answers), or a churn flag, status or tenure (customers)." => "Пока нечего считать: укажите столбец с кодом клиента и столбец с датой (заказы), оценкой (ответы на опрос) или признаком ухода, статусом либо сроком (клиенты).",
        "{}: columns and reading options" => "{}: столбцы и параметры чтения",
        " · the dates can be read two ways: please choose" => " · даты можно прочитать двумя способами: выберите",
        "Reading…" => "Чтение…",
        "Cancel" => "Отмена",
        "Settings" => "Настройки",
        "Period " => "Период ",
        "Week" => "Неделя",
        "Month" => "Месяц",
        "Quarter" => "Квартал",
        "Day" => "День",
        "Churn window, days " => "Окно оттока, дней ",
        "From " => "С ",
        "To " => "По ",
        "Timings of the last analysis" => "Время последнего анализа",
        "Analysis by section" => "Анализ по разделам",
        // Overview
        "Headline figures" => "Главные показатели",
        "Customers" => "Клиенты",
        "Orders" => "Заказы",
        "Retention, last full week" => "Удержание, последняя полная неделя",
        "Retention, last full month" => "Удержание, последний полный месяц",
        "Retention, last full quarter" => "Удержание, последний полный квартал",
        "Churn, last full week" => "Отток, последняя полная неделя",
        "Churn, last full month" => "Отток, последний полный месяц",
        "Churn, last full quarter" => "Отток, последний полный квартал",
        "First date" => "Первая дата",
        "Last date" => "Последняя дата",
        "No orders loaded: purchase figures, retention and cohorts need an orders export (customer id, date, amount)." => "Заказы не загружены: для показателей покупок, удержания и когорт нужна выгрузка заказов (код клиента, дата, сумма).",
        // Retention
        "Cohort retention" => "Удержание когорт",
        "Back in month 1" => "Вернулись в 1-й месяц",
        "Back in month 3" => "Вернулись в 3-й месяц",
        "Back in month 6" => "Вернулись в 6-й месяц",
        "Back in month 12" => "Вернулись в 12-й месяц",
        "Cohort retention by month of first purchase" => "Удержание когорт по месяцу первой покупки",
        "Cohort" => "Когорта",
        "Retention shown" => "Показатель",
        "Active in month k" => "Активны в месяц k",
        "Active in month k or later" => "Активны в месяц k или позже",
        "Revenue vs first month" => "Выручка к первому месяцу",
        "Customer lifetime" => "Срок жизни клиента",
        "Median lifetime, months" => "Медианный срок жизни, мес.",
        "Retention needs an orders export (customer id, date) or a customers file with start and end dates or tenure." => "Для удержания нужна выгрузка заказов (код клиента, дата) или файл клиентов с датами начала и ухода либо сроком.",
        // Surveys
        "Survey figures" => "Показатели опросов",
        "Answers" => "Ответы",
        "NPS" => "NPS",
        // Loyalty-link groups (data keys of the core)
        "promoter" => "промоутер",
        "passive" => "нейтрал",
        "detractor" => "критик",
        "CSAT, top two answers" => "CSAT, две верхние оценки",
        "What respondents did" => "Что сделали респонденты",
        "NPS group" => "Группа NPS",
        "Satisfaction" => "Удовлетворённость",
        "Had a problem" => "Была проблема",
        "Bought twice or more" => "Купили два раза и более",
        "Bought within 3 months" => "Купили в течение 3 месяцев",
        "Within 6 months" => "В течение 6 месяцев",
        "Within 12 months" => "В течение 12 месяцев",
        "Revenue per customer" => "Выручка на клиента",
        "Complained" => "Жаловались",
        "Satisfaction score" => "Оценка удовлетворённости",
        "Left" => "Ушли",
        "95% interval" => "95% интервал",
        "low" => "нижняя граница",
        "high" => "верхняя граница",
        "Enter a number." => "Введите число.",
        "No reason is stated for anyone who left: the charts of reasons and the comparison with the study are left out." => "Ни у кого из ушедших не указана причина: графики причин и сравнение с исследованием не показаны.",
        "vs the rest" => "к остальным",
        "Impact on total" => "Влияние на итог",
        "Theme" => "Тема",
        "Comments" => "Комментарии",
        "Of detractors' comments" => "Доля в комментариях критиков",
        "Of promoters' comments" => "Доля в комментариях промоутеров",
        "Impact on NPS" => "Влияние на NPS",
        "Comment themes" => "Темы комментариев",
        "Who left, by answer" => "Кто ушёл, по ответам",
        "No survey answers loaded. Drop a survey export with a 0-10 \"likelihood to recommend\" column (and, if you have them, customer id, date, comment, CSAT 1-5 or CES 1-7) to see NPS with its margin of error." => "Ответы на опросы не загружены. Перетащите выгрузку опроса с оценкой «готовность рекомендовать» 0–10 (и, если есть, кодом клиента, датой, комментарием, CSAT 1–5 или CES 1–7), чтобы увидеть NPS с погрешностью.",
        // CLV
        "CLV settings" => "Настройки CLV",
        "Time unit " => "Единица времени ",
        "Calibration ends " => "Конец калибровки ",
        "Horizon, months " => "Горизонт, месяцев ",
        "Monthly discount rate " => "Месячная ставка дисконтирования ",
        "Margin (0-1, blank = revenue) " => "Маржа (0–1, пусто = выручка) ",
        "CLV figures" => "Показатели CLV",
        "Total CLV over the horizon" => "Суммарный CLV за горизонт",
        "CLV per customer" => "CLV на клиента",
        "Average P(alive)" => "Средняя P(активен)",
        "Expected purchases over the horizon" => "Ожидаемые покупки за горизонт",
        "Model parameters (BG/NBD, Pareto/NBD, Gamma-Gamma)" => "Параметры моделей (BG/NBD, Pareto/NBD, Gamma-Gamma)",
        "Only months (e.g. 13-24, blank = the whole horizon) " => "Только месяцы (например, 13-24; пусто = весь горизонт) ",
        "Purchase models" => "Модели покупок",
        "Purchase model " => "Модель покупок ",
        "The better on the holdout" => "Лучшая на контрольном периоде",
        "Both models on the holdout: purchases predicted per customer against what happened" => "Обе модели на контрольном периоде: прогноз покупок против того, что было",
        "Predicted purchases" => "Прогноз покупок",
        "Actual purchases" => "Фактические покупки",
        "Error of the total" => "Ошибка итога",
        "Mean absolute error per customer" => "Средняя абсолютная ошибка на клиента",
        "in use" => "используется",
        "CLV, 90% interval" => "CLV, 90% интервал",
        "Expected purchases, 90% interval" => "Ожидаемые покупки, 90% интервал",
        "CLV by segment column " => "CLV по сегментам, поле ",
        "CLV by segment, with 90% intervals" => "CLV по сегментам, с 90% интервалами",
        "Every customer's predictions with 90% intervals (CSV)" => "Прогнозы по каждому клиенту с 90% интервалами (CSV)",
        "Model parameters" => "Параметры моделей",
        "Find a customer " => "Найти клиента ",
        "Look up" => "Найти",
        "RFM segments" => "Сегменты RFM",
        "Segment" => "Сегмент",
        "Share" => "Доля",
        "Revenue share" => "Доля выручки",
        "Export" => "Выгрузка",
        "CSV of ids" => "CSV с кодами",
        "(CSV of ids)" => "(CSV с кодами)",
        "Most valuable customers " => "Самые ценные клиенты ",
        "Most valuable customers" => "Самые ценные клиенты",
        "Customer" => "Клиент",
        "Expected purchases" => "Ожидаемые покупки",
        "Repeat purchases" => "Повторные покупки",
        "Days" => "Дни",
        "X (steady)" => "X (стабильные)",
        "Z (erratic)" => "Z (нерегулярные)",
        "Customer lifetime value needs an orders export (customer id, date, amount) or a per-customer summary (customer_id, frequency, recency, T, monetary_value)." => "Для CLV нужна выгрузка заказов (код клиента, дата, сумма) или сводка по клиентам (customer_id, frequency, recency, T, monetary_value).",
        // Churn
        "Churn figures" => "Показатели оттока",
        "Customers who left" => "Ушедшие клиенты",
        "Top reason's share" => "Доля главной причины",
        "Revenue lost" => "Потерянная выручка",
        "Reasons given, most frequent first (change a category to re-map that reason)" => "Названные причины по частоте (смените категорию, чтобы переназначить причину)",
        "Reason" => "Причина",
        "Cumulative" => "Накопленно",
        "Category" => "Категория",
        "Share who left" => "Доля ушедших",
        "Likely reason" => "Вероятная причина",
        "Value" => "Ценность",
        "Value at risk" => "Под угрозой",
        "Who to call first" => "Кому позвонить первым",
        "tenure < 6 m" => "срок < 6 мес.",
        "tenure 6-12 m" => "срок 6–12 мес.",
        "tenure 12-24 m" => "срок 12–24 мес.",
        "tenure 24-48 m" => "срок 24–48 мес.",
        "tenure 48+ m" => "срок 48+ мес.",
        "no problem" => "без проблем",
        "Last purchase" => "Последняя покупка",
        "Days since" => "Дней прошло",
        "Usual gap, days" => "Обычный перерыв, дней",
        "P(alive) change, 30 days" => "Изменение P(активен) за 30 дней",
        "Risk of leaving" => "Риск ухода",
        "model: 1 − P(alive)" => "модель: 1 − P(активен)",
        "similar customers" => "похожие клиенты",
        "Similar customers" => "Похожие клиенты",
        "Their share who left" => "Доля ушедших среди них",
        "all customers" => "все клиенты",
        "Expected value (CLV)" => "Ожидаемая ценность (CLV)",
        "tenure band, CSAT, had a problem" => "срок с нами, CSAT, была проблема",
        "Similar customers by " => "Похожие клиенты по ",
        "what separates leavers best" => "тому, что лучше всего отделяет ушедших",
        "No active customer is riskier than average." => "Нет активных клиентов с риском выше среднего.",
        "Who to call first: active customers riskier than average, by value at risk (similar customers: same {})" => "Кому позвонить первым: активные клиенты с риском выше среднего, по ценности под риском (похожие клиенты: тот же {})",
        "Risk of leaving: 1 − P(alive) where the purchase model has one, else the share who left among similar customers; P(alive) change: against {} days ago." => "Риск ухода: 1 − P(активен), где есть модель покупок, иначе доля ушедших среди похожих клиентов; изменение P(активен): по сравнению с состоянием {} дней назад.",
        "Drop a customers file with a status or end date and a reason column (or an orders export, to infer who stopped buying) to see why customers leave." => "Перетащите файл клиентов со статусом или датой ухода и причиной (или выгрузку заказов, чтобы найти переставших покупать), чтобы увидеть причины ухода.",
        // Data quality
        "Download report (JSON)" => "Скачать отчёт (JSON)",
        "Download HTML report" => "Скачать HTML-отчёт",
        "Files read" => "Прочитанные файлы",
        "File" => "Файл",
        "Rows read" => "Прочитано строк",
        "Used" => "Использовано",
        "Rejected" => "Отклонено",
        "Returns" => "Возвраты",
        "Files" => "Файлы",
        "Columns and reading options" => "Столбцы и параметры чтения",
        "Every row was used." => "Использованы все строки.",
        "Cell" => "Ячейка",
        "(first {} shown)" => "(показаны первые {})",
        "Line" => "Строка",
        "Column" => "Столбец",
        "Apply and re-read" => "Применить и перечитать",
        "Role of this column" => "Роль столбца",
        "— not used" => "— не используется",
        "Sheet " => "Лист ",
        "Every area at a glance" => "Все разделы вкратце",
        "Sheets read together " => "Листы, читаемые вместе ",
        "Sheet {}: {} rows read, {} used, {} rejected" => "Лист {}: строк прочитано {}, использовано {}, отклонено {}",
        "Encoding " => "Кодировка ",
        "Dates " => "Даты ",
        "Decimal mark " => "Десятичный разделитель ",
        "Currency " => "Валюта ",
        "usually every {} days" => "обычно раз в {} дн.",
        "{} days ago" => "{} дн. назад",
        "{} in {} days" => "{} за {} дн.",
        "{} left" => "ушли {}",
        "Money figures in " => "Денежные показатели в ",
        "not named in the file" => "в файле не указана",
        "Header row " => "Строка заголовков ",
        "detected per value" => "по значению",
        "yes" => "да",
        "no" => "нет",
        "Programme effect" => "Эффект программы",
        "Segments" => "Сегменты",
        "Retention by" => "Удержание по",
        "How long customers stay, by" => "Как долго остаются клиенты, по",
        "customers in other or no segment" => "клиентов в других сегментах или без сегмента",
        "Still a customer after 12 months" => "Остались через 12 месяцев",
        "Mark a date " => "Отметить дату ",
        "What happened " => "Что произошло ",
        "programme launch" => "запуск программы",
        "Add mark" => "Добавить отметку",
        "Remove marks" => "Убрать отметки",
        "Before and after" => "До и после",
        "days" => "дней",
        "Before" => "До",
        "After" => "После",
        "p-value (* < 0.05)" => "p-значение (* < 0,05)",
        "Members vs non-members" => "Участники и не участники",
        "members" => "участников",
        "non-members" => "не участников",
        "Non-members" => "Не участники",
        "Members" => "Участники",
        "Orders bought on discount" => "Заказы со скидкой",
        "Do discounts train customers to wait? Repeat purchases after a first order without and with a discount" => "Приучают ли скидки ждать? Повторные покупки после первого заказа без скидки и со скидкой",
        "First order at full price" => "Первый заказ по полной цене",
        "First order on discount" => "Первый заказ со скидкой",
        "Average order value" => "Средний чек",
        "Orders per active customer" => "Заказов на активного клиента",
        "New customers per day" => "Новых клиентов в день",
        "Figure" => "Показатель",
        "Categories" => "Категории",
        "Value at stake among active customers" => "Ценность активных клиентов под угрозой",
        "Who left, by month and category" => "Кто ушёл, по месяцам и категориям",
        "CSAT scale " => "Шкала CSAT ",
        "detected" => "определена автоматически",
        "Comment themes (one per line: theme: stem, stem, …)" => "Темы комментариев (по одной в строке: тема: основа, основа, …)",
        "Apply themes" => "Применить темы",
        "Built-in themes" => "Встроенные темы",
        "CLV per customer (model)" => "CLV на клиента (модель)",
        "PNG" => "PNG",
        "SVG" => "SVG",
        "CSV" => "CSV",
        // Chart readouts (hover and keyboard)
        "Active customers" => "Активные клиенты",
        "New" => "Новые",
        "Retained" => "Удержанные",
        "Back after a gap" => "Вернувшиеся",
        "Lost" => "Потерянные",
        "Net growth" => "Чистый прирост",
        "Months as a customer" => "Месяцев клиентом",
        "Still a customer" => "Всё ещё клиент",
        "Cumulative share" => "Накопленная доля",
        "Actual" => "Факт",
        "Model" => "Модель",
        "CLV" => "CLV",
        "Periods after the first purchase" => "Периодов после первой покупки",
        "Active again (average)" => "Снова активны (в среднем)",
        "Cohorts" => "Когорт",
        "Orders index" => "Индекс заказов",
        "Revenue index" => "Индекс выручки",
        "Bought again within 6 months" => "Купили снова в течение 6 месяцев",
        "Your customers" => "Ваши клиенты",
        "Cross-industry reference" => "Межотраслевое исследование",
        "Death" => "Смерть",
        "Moved away" => "Переезд",
        "Other relationships" => "Другие отношения",
        "Competitor" => "Конкурент",
        "Product dissatisfaction" => "Недовольство продуктом",
        "Treatment / attitude" => "Отношение / обслуживание",
        "Price" => "Цена",
        "Other" => "Другое",
        "Unknown" => "Неизвестно",
        "Retention by " => "Удержание по ",
        "How long customers stay, by " => "Как долго остаются клиенты, по ",
        "Who leaves, by " => "Кто уходит, по ",
        "What {} comments talk about" => "О чём говорят {} комментариев",
        "{} comments match no theme." => "Комментариев без темы: {}.",
        "Rules that map reasons to categories" => "Правила сопоставления причин и категорий",
        "Apply rules" => "Применить правила",
        "Built-in rules" => "Встроенные правила",
        "{} of {} customers in the customers file have left." => "Ушли {} из {} клиентов в файле.",
        "No customers file with reasons: {} of {} customers count as lost because they have not bought for {} days before the data's last date (reason unknown)." => "Файла клиентов с причинами нет: {} из {} клиентов считаются ушедшими, так как не покупали {} дней до последней даты данных (причина неизвестна).",
        "Too few answers for a ±5 point margin in {} of {} periods: {}." => "Слишком мало ответов для погрешности ±5 пунктов в {} из {} периодов: {}.",
        "{} of {} respondents with a customer id match a customer with purchases; {} do not and are left out below." => "{} из {} респондентов с кодом клиента найдены среди покупателей; {} не найдены и не учтены ниже.",
        // Words and labels of the typed sentences' neighbours
        "Promoters" => "Промоутеры",
        "Passives" => "Нейтралы",
        "Detractors" => "Критики",
        "* significant at 95%" => "* значимо на уровне 95%",
        "Total NPS minus NPS without this group" => "NPS в целом минус NPS без этой группы",
        "NPS minus NPS of the answers without this theme" => "NPS минус NPS ответов без этой темы",
        "(no reason given)" => "(причина не указана)",
        "row" => "строка",
        "tenure band" => "срок с нами",
        "had a problem" => "была проблема",
        "segment" => "сегмент",
        "(month first)" => "(сначала месяц)",
        "(day first)" => "(сначала день)",
        "(Unix time)" => "(время Unix)",
        "(Excel serial)" => "(номер дня в Excel)",
        "fits" => "подходит",
        "point" => "точка",
        "comma" => "запятая",
        "tab-separated" => "разделитель — табуляция",
        "space-separated" => "разделитель — пробелы",
        "header" => "с заголовком",
        "no header" => "без заголовка",
        " rows read · " => " строк прочитано · ",
        " used · " => " использовано · ",
        " rejected" => " отклонено",
        "Rows with a negative amount: returns and cancellations" => "Строки с отрицательной суммой: возвраты и отмены",
        "Repeat purchases (frequency)" => "Повторные покупки (частота)",
        "Recency / age (T), model units" => "Давность / возраст (T), в единицах модели",
        "Average repeat spend" => "Средний чек повторных покупок",
        "P(alive)" => "P(активен)",
        "customer id" => "код клиента",
        "reading" => "чтение",
        "analysis" => "расчёт",
        "charts" => "графики",
        "file accounting" => "учёт строк",
        "date filter" => "фильтр дат",
        "customer index" => "указатель клиентов",
        "headline figures" => "главные показатели",
        "monthly activity" => "активность по месяцам",
        "retention per period" => "удержание по периодам",
        "cohorts" => "когорты",
        "customer flows" => "потоки клиентов",
        "purchase patterns" => "ритм покупок",
        "customer lifetime" => "срок жизни клиента",
        "retention by segment" => "удержание по сегментам",
        "lifetime by segment" => "срок жизни по сегментам",
        "programme effect" => "эффект программы",
        "surveys" => "опросы",
        "CLV model" => "модель CLV",
        "CLV segments" => "сегменты CLV",
        "RFM, ABC/XYZ and simple CLV" => "RFM, ABC/XYZ и простой CLV",
        "churn causes" => "причины оттока",
        "assembling the report" => "сборка отчёта",
        "waiting for the helper's Pareto/NBD fit" => "ожидание подбора Pareto/NBD от второго обработчика",
        "Pareto/NBD fit filled in" => "подбор Pareto/NBD вписан в отчёт",
        "price" => "цена",
        "delivery" => "доставка",
        "quality" => "качество",
        "staff" => "персонал",
        "support" => "поддержка",
        "waiting" => "ожидание",
        "range" => "ассортимент",
        "website and app" => "сайт и приложение",
        "food" => "еда",
        "BG/NBD alpha" => "BG/NBD α",
        "What is this figure?" => "Что это за показатель?",
        _ => return None,
    })
}
