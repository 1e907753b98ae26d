//! Sentences with figures in them, one typed message each, every language
//! beside the other. The match has no wildcard, so a message without its
//! Russian does not compile; numbers go through `crate::fmt`, so they take
//! the page's decimal comma or point. Plain labels stay in `i18n::t`.

use crate::fmt::{grouped, percent};
use crate::i18n::{lang, Lang};
use loyalty_analytics::models::degenerate::Limit;
use loyalty_analytics::models::model_choice::{ChoiceReason, PurchaseModel};
use loyalty_analytics::settings_check::SettingsError;

mod clv;
mod errors;
mod settings;

/// A sentence of the page; `text()` writes it in the page's language.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg<'a> {
    /// A 95% interval's two ends, already formatted.
    Interval {
        low: &'a str,
        high: &'a str,
    },
    /// The overview's NPS line.
    NpsLine {
        nps: f64,
        low: f64,
        high: f64,
        answers: usize,
    },
    /// The activity chart for screen readers.
    ActivitySummary {
        from: &'a str,
        to: &'a str,
        months: usize,
    },
    NoMonths,
    /// The last period's customer flows.
    LifecycleSummary {
        period: &'a str,
        new: u64,
        retained: u64,
        back: u64,
        lost: u64,
        net: i64,
    },
    /// Kaplan-Meier at 6 and 12 months and the median.
    SurvivalSummary {
        at_6: &'a str,
        at_12: &'a str,
        median_months: Option<f64>,
    },
    GapsBetween {
        median: f64,
        p90: f64,
    },
    SecondPurchase {
        median: f64,
        p90: f64,
    },
    BoughtAgainWithin {
        share: f64,
        days: u32,
        observable: usize,
    },
    /// The cohort curves chart: (period k, share).
    CohortAverage {
        shares: &'a [(usize, f64)],
    },
    /// Seasonality indices per calendar month.
    Seasonality {
        months: &'a [(u32, Option<f64>)],
    },
    /// A cohort cell's title.
    CohortCell {
        cohort: &'a str,
        active: usize,
        size: usize,
        k: usize,
    },
    CohortRevenueCell {
        cohort: &'a str,
        share: f64,
        k: usize,
    },
    /// The log-rank test under a survival table.
    LogRank {
        chi_square: f64,
        df: usize,
        p_value: f64,
    },
    /// A p-value as a table shows it.
    PValue {
        p: f64,
    },
    NpsTrend {
        first: &'a str,
        first_nps: f64,
        last: &'a str,
        last_nps: f64,
        periods: usize,
        significant: usize,
    },
    ThinPeriod {
        label: &'a str,
        answers: usize,
        margin: f64,
        needed: usize,
    },
    CsatScale {
        min: u8,
        max: u8,
        satisfied: usize,
        answers: usize,
        mean: f64,
    },
    AnswersPerScore {
        counts: &'a [usize],
    },
    /// "promoter: 81.8% bought twice or more"
    BoughtTwice {
        group: &'a str,
        share: Option<f64>,
    },
    NpsBy {
        column: &'a str,
    },
    CommentsAbout {
        theme: &'a str,
    },
    FittedOn {
        customers: usize,
        repeat: usize,
        solver: &'a str,
        errors: Option<[f64; 4]>,
    },
    ClvSpread {
        customers: usize,
        mean: &'a str,
        median: &'a str,
        highest: &'a str,
    },
    /// A high average P(alive) beside customers RFM calls lost: why both.
    PAliveBesideLost {
        p_alive: f64,
        lost: u64,
    },
    HoldoutGroup {
        purchases: usize,
        actual: f64,
        predicted: f64,
    },
    Tracking {
        week: usize,
        weeks: usize,
    },
    /// Which purchase model predicts and why; both holdout MAEs when compared.
    ClvModelInUse {
        model: PurchaseModel,
        reason: ChoiceReason,
        errors: Option<(f64, f64)>,
    },
    /// A purchase model's fit runs off to limits of the model.
    ClvDegenerate {
        model: PurchaseModel,
        limits: &'a [Limit],
    },
    /// The CLV-per-month chart for screen readers.
    ClvMonths {
        months: usize,
        from: u32,
        to: u32,
        total: &'a str,
    },
    AbcXyz {
        a: f64,
        b: f64,
        c: f64,
        x: f64,
        y: f64,
    },
    NoCustomer {
        id: &'a str,
    },
    /// Several customer ids start with the search text: the first few.
    CustomerMatches {
        query: &'a str,
        shown: usize,
    },
    /// Keeping the loaded files on this computer, or reading them back, failed.
    KeepFailed {
        error: &'a str,
    },
    /// A run could not use a file (named), or could not run.
    RunError {
        error: &'a crate::protocol::RunError,
    },
    /// The page could not hand the files to the analysis worker.
    FilesNotHanded {
        error: &'a str,
    },
    /// A question about the last analysis, after the worker lost it.
    AnalysisGone,
    /// The analysis worker could not be started.
    WorkerNotStarted {
        error: &'a str,
    },
    /// A file of the sample shop could not be fetched from the site.
    SampleMissing {
        file: &'a str,
        detail: &'a str,
    },
    /// A document to download could not be saved.
    ExportNotSaved {
        error: &'a str,
    },
    /// The analysis worker stopped (out of memory, a reader's panic):
    /// while reading `file` of `bytes` bytes, or while analysing.
    WorkerStopped {
        file: Option<(&'a str, u64)>,
        detail: &'a str,
    },
    /// A setting out of its bounds, beside its field.
    SettingsProblem {
        error: &'a SettingsError,
    },
    /// Reasons beside the reference study: (category, yours, reference).
    ReferenceShare {
        category: &'a str,
        yours: &'a str,
        reference: &'a str,
    },
    CategoriesOverTenure {
        categories: usize,
        months: usize,
    },
    Separated {
        separator: char,
    },
    /// NPS moved significantly between two periods.
    NpsChanged {
        from_period: &'a str,
        from: f64,
        period: &'a str,
        to: f64,
        rose: bool,
    },
    /// Retention (a share) of the last full period against the one before.
    RetentionChanged {
        from_period: &'a str,
        from: f64,
        period: &'a str,
        to: f64,
        rose: bool,
    },
    /// A file whose customers are mostly not in the other files.
    WeakJoin {
        file: &'a str,
        matched: u64,
        customers: u64,
    },
    Milliseconds {
        ms: f64,
        decimals: usize,
    },
    /// A loaded file's line: what it was read as (already in the page's
    /// language) and its rows.
    FileRead {
        kind: &'a str,
        rows: u64,
    },
    /// The drop zone's title once files are loaded (their names follow).
    FilesLoaded {
        files: usize,
    },
}

fn pick(en: impl FnOnce() -> String, ru: impl FnOnce() -> String) -> String {
    match lang() {
        Lang::En => en(),
        Lang::Ru => ru(),
    }
}

fn num(v: f64, decimals: usize) -> String {
    grouped(v, decimals)
}

/// 31.01.2024, as Russian dates are written (by hand: chrono's strftime
/// formatter would cost the page's wasm 8 KB for this one use).
fn dotted(date: loyalty_analytics::report::NaiveDate) -> String {
    // ISO "2024-01-31" read backwards.
    date.to_string().rsplit('-').collect::<Vec<_>>().join(".")
}

fn count(n: usize) -> String {
    grouped(n as f64, 0)
}

impl Msg<'_> {
    pub fn text(&self) -> String {
        match *self {
            Msg::Interval { low, high } => {
                pick(|| format!("{low} to {high}"), || format!("{low} – {high}"))
            }
            Msg::NpsLine {
                nps,
                low,
                high,
                answers,
            } => {
                let i = Msg::Interval {
                    low: &num(low, 1),
                    high: &num(high, 1),
                }
                .text();
                pick(
                    || {
                        format!(
                            "NPS {} (95%: {i}) from {} answers",
                            num(nps, 1),
                            count(answers)
                        )
                    },
                    || {
                        format!(
                            "NPS {} (95%: {i}), ответов: {}",
                            num(nps, 1),
                            count(answers)
                        )
                    },
                )
            }
            Msg::ActivitySummary { from, to, months } => {
                pick(
                    || {
                        format!("Active customers and revenue per month, {from} to {to}, {months} months.")
                    },
                    || {
                        format!("Активные клиенты и выручка по месяцам, с {from} по {to}, месяцев: {months}.")
                    },
                )
            }
            Msg::NoMonths => pick(
                || "No months to show.".into(),
                || "Нет месяцев для показа.".into(),
            ),
            Msg::LifecycleSummary {
                period,
                new,
                retained,
                back,
                lost,
                net,
            } => pick(
                || {
                    format!("In {period}: {new} new, {retained} retained, {back} back after a gap, {lost} lost; net growth {net}.")
                },
                || {
                    format!("{period}: новых {new}, удержано {retained}, вернулись после перерыва {back}, потеряно {lost}; чистый прирост {net}.")
                },
            ),
            Msg::SurvivalSummary {
                at_6,
                at_12,
                median_months,
            } => {
                let median = median_months.map(|m| num(m, 1));
                pick(
                    || {
                        format!(
                        "Share of customers still with you after 6 months: {at_6}; after 12: {at_12}; median lifetime: {}.",
                        median.as_ref().map_or("not reached".into(), |m| format!("{m} months"))
                    )
                    },
                    || {
                        format!(
                        "Доля клиентов, оставшихся через 6 месяцев: {at_6}; через 12: {at_12}; медиана срока жизни: {}.",
                        median.as_ref().map_or("не достигнута".into(), |m| format!("{m} мес."))
                    )
                    },
                )
            }
            Msg::GapsBetween { median, p90 } => pick(
                || {
                    format!(
                        "Between two purchases: median {} days, 90% within {} days.",
                        num(median, 0),
                        num(p90, 0)
                    )
                },
                || {
                    format!(
                        "Между двумя покупками: медиана {} дн., 90% — в пределах {} дн.",
                        num(median, 0),
                        num(p90, 0)
                    )
                },
            ),
            Msg::SecondPurchase { median, p90 } => {
                pick(
                    || {
                        format!(
                            "Second purchase after a median of {} days (90% within {}).",
                            num(median, 0),
                            num(p90, 0)
                        )
                    },
                    || {
                        format!("Вторая покупка — в среднем (медиана) через {} дн. (90% — в пределах {}).", num(median, 0), num(p90, 0))
                    },
                )
            }
            Msg::BoughtAgainWithin {
                share,
                days,
                observable,
            } => pick(
                || {
                    format!(
                        "{} of customers bought again within {days} days (of {} observable).",
                        percent(share),
                        count(observable)
                    )
                },
                || {
                    format!("{} клиентов купили снова в течение {days} дн. (из {}, за кем можно проследить).", percent(share), count(observable))
                },
            ),
            Msg::CohortAverage { shares } => {
                let list = |word: &str| {
                    shares
                        .iter()
                        .map(|(k, v)| format!("{word} {k} {}", percent(*v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                pick(
                    || {
                        format!(
                            "Average share of a cohort active again: {}.",
                            list("period")
                        )
                    },
                    || format!("Средняя доля когорты, снова активной: {}.", list("период")),
                )
            }
            Msg::Seasonality { months } => {
                let list = |word: &str| {
                    months
                        .iter()
                        .map(|(m, v)| {
                            format!("{word} {m}: {}", v.map_or("–".into(), |v| num(v, 2)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                pick(|| list("month"), || list("месяц"))
            }
            Msg::CohortCell {
                cohort,
                active,
                size,
                k,
            } => pick(
                || format!("{cohort}: {active} of {size} customers in month {k}"),
                || format!("{cohort}: {active} из {size} клиентов в месяце {k}"),
            ),
            Msg::CohortRevenueCell { cohort, share, k } => pick(
                || {
                    format!(
                        "{cohort}: revenue in month {k} is {} of month 0",
                        percent(share)
                    )
                },
                || {
                    format!(
                        "{cohort}: выручка в месяце {k} — {} от месяца 0",
                        percent(share)
                    )
                },
            ),
            Msg::LogRank {
                chi_square,
                df,
                p_value,
            } => {
                let p = Msg::PValue { p: p_value }.text();
                pick(
                    || format!("log-rank χ² = {}, df = {df}, p {p}", num(chi_square, 1)),
                    || {
                        format!(
                            "лог-ранговый критерий: χ² = {}, степеней свободы {df}, p {p}",
                            num(chi_square, 1)
                        )
                    },
                )
            }
            Msg::PValue { p } => {
                if p < 1e-4 {
                    format!("< {}", num(0.0001, 4))
                } else {
                    num(p, 4)
                }
            }
            Msg::NpsTrend {
                first,
                first_nps,
                last,
                last_nps,
                periods,
                significant,
            } => pick(
                || {
                    format!(
                    "NPS from {first} ({}) to {last} ({}), {periods} periods; {significant} significant changes.",
                    num(first_nps, 1),
                    num(last_nps, 1)
                )
                },
                || {
                    format!(
                    "NPS с {first} ({}) по {last} ({}), периодов: {periods}; значимых изменений: {significant}.",
                    num(first_nps, 1),
                    num(last_nps, 1)
                )
                },
            ),
            Msg::ThinPeriod {
                label,
                answers,
                margin,
                needed,
            } => pick(
                || {
                    format!(
                        "{label} ({answers} answers, ±{}; ~{needed} needed)",
                        num(margin, 0)
                    )
                },
                || {
                    format!(
                        "{label} (ответов {answers}, ±{}; нужно ~{needed})",
                        num(margin, 0)
                    )
                },
            ),
            Msg::CsatScale {
                min,
                max,
                satisfied,
                answers,
                mean,
            } => pick(
                || {
                    format!(
                    "CSAT on a {min}-{max} scale (detected from the answers): {} of {} answers in the top two, mean {}.",
                    count(satisfied),
                    count(answers),
                    num(mean, 2)
                )
                },
                || {
                    format!(
                    "CSAT по шкале {min}–{max} (определена по ответам): {} из {} ответов — две высшие оценки, среднее {}.",
                    count(satisfied),
                    count(answers),
                    num(mean, 2)
                )
                },
            ),
            Msg::AnswersPerScore { counts } => {
                let list = counts
                    .iter()
                    .map(|n| count(*n))
                    .collect::<Vec<_>>()
                    .join("; ");
                pick(
                    || format!("Answers per score 0 to 10: {list}."),
                    || format!("Ответов на каждую оценку от 0 до 10: {list}."),
                )
            }
            Msg::BoughtTwice { group, share } => {
                let share = share.map_or("–".into(), percent);
                pick(
                    || format!("{group}: {share} bought twice or more"),
                    || format!("{group}: {share} купили два раза и более"),
                )
            }
            Msg::NpsBy { column } => pick(
                || format!("NPS by {column}"),
                || format!("NPS по столбцу «{column}»"),
            ),
            Msg::CommentsAbout { theme } => pick(
                || format!("Comments about {theme}"),
                || format!("Комментарии на тему «{theme}»"),
            ),
            Msg::FittedOn {
                customers,
                repeat,
                solver,
                errors,
            } => {
                let e = |i: usize| errors.map_or("–".into(), |e| num(e[i], 4));
                pick(
                    || {
                        format!(
                        "Fitted on {customers} customers ({repeat} repeat) by {solver}; standard errors r {}, α {}, a {}, b {}.",
                        e(0), e(1), e(2), e(3)
                    )
                    },
                    || {
                        format!(
                        "Подобрано по {customers} клиентам ({repeat} с повторными покупками) методом {solver}; стандартные ошибки r {}, α {}, a {}, b {}.",
                        e(0), e(1), e(2), e(3)
                    )
                    },
                )
            }
            Msg::ClvSpread {
                customers,
                mean,
                median,
                highest,
            } => pick(
                || {
                    format!(
                        "{} customers, mean {mean}, median {median}, highest {highest}.",
                        count(customers)
                    )
                },
                || {
                    format!(
                        "Клиентов: {}, среднее {mean}, медиана {median}, наибольшее {highest}.",
                        count(customers)
                    )
                },
            ),
            Msg::PAliveBesideLost { p_alive, lost } => {
                let share = crate::fmt::percent(p_alive);
                pick(
                    || {
                        format!("Average P(alive) is {share} while RFM counts {lost} customers as lost: the model judges each customer by their own rhythm, so one who has bought once or rarely still looks alive, while RFM's \"lost\" is simply the lowest recency and value scores. For who to call, see the churn page's call list.")
                    },
                    || {
                        format!("Средняя P(активен) {share}, а RFM относит {lost} клиентов к ушедшим: модель судит о каждом клиенте по его собственному ритму, поэтому купивший один раз или редко всё ещё выглядит активным, а «ушедшие» в RFM — просто самые низкие оценки давности и ценности. Кому звонить — в списке на странице оттока.")
                    },
                )
            }
            Msg::HoldoutGroup {
                purchases,
                actual,
                predicted,
            } => pick(
                || {
                    format!(
                        "{purchases} purchases: actual {}, predicted {}",
                        num(actual, 2),
                        num(predicted, 2)
                    )
                },
                || {
                    format!(
                        "{purchases} покупок: факт {}, прогноз {}",
                        num(actual, 2),
                        num(predicted, 2)
                    )
                },
            ),
            Msg::ClvModelInUse {
                model,
                reason,
                errors,
            } => clv::model_in_use(model, reason, errors),
            Msg::ClvDegenerate { model, limits } => clv::degenerate(model, limits),
            Msg::ClvMonths {
                months,
                from,
                to,
                total,
            } => clv::months_summary(months, from, to, total),
            Msg::Tracking { week, weeks } => {
                pick(
                    || format!("Calibration ends in week {week}; {weeks} weeks tracked."),
                    || {
                        format!("Калибровка заканчивается на неделе {week}; прослежено недель: {weeks}.")
                    },
                )
            }
            Msg::AbcXyz { a, b, c, x, y } => {
                let p = |v: f64| num(v * 100.0, 0);
                pick(
                    || {
                        format!(
                        "ABC (revenue {}/{}/{}%) by XYZ (variation of monthly purchases {}%/{}%): customers",
                        p(a), p(b), p(c), p(x), p(y)
                    )
                    },
                    || {
                        format!(
                        "ABC (выручка {}/{}/{}%) и XYZ (разброс покупок по месяцам {}%/{}%): клиенты",
                        p(a), p(b), p(c), p(x), p(y)
                    )
                    },
                )
            }
            Msg::CustomerMatches { query, shown } => pick(
                || format!("Several customer ids start with \"{query}\"; the first {shown}:"),
                || format!("С «{query}» начинаются коды нескольких клиентов; первые {shown}:"),
            ),
            Msg::KeepFailed { error } => pick(
                || format!("Your files could not be kept on this computer: {error}"),
                || format!("Не удалось сохранить файлы на этом компьютере: {error}"),
            ),
            Msg::SettingsProblem { error } => settings::settings_problem(error),
            Msg::WorkerStopped { file, detail } => errors::worker_stopped(file, detail),
            Msg::RunError { error } => errors::run_error(error),
            Msg::FilesNotHanded { error } => errors::files_not_handed(error),
            Msg::AnalysisGone => errors::analysis_gone(),
            Msg::WorkerNotStarted { error } => errors::worker_not_started(error),
            Msg::SampleMissing { file, detail } => errors::sample_missing(file, detail),
            Msg::ExportNotSaved { error } => errors::export_not_saved(error),
            Msg::NoCustomer { id } => pick(
                || format!("No customer with id \"{id}\"."),
                || format!("Клиент с кодом «{id}» не найден."),
            ),
            Msg::ReferenceShare {
                category,
                yours,
                reference,
            } => pick(
                || format!("{category}: yours {yours}, reference {reference}"),
                || format!("{category}: у вас {yours}, в исследовании {reference}"),
            ),
            Msg::CategoriesOverTenure { categories, months } => pick(
                || format!("{categories} categories over {months} months of tenure."),
                || format!("Категорий: {categories}, срок жизни до {months} мес."),
            ),
            Msg::NpsChanged {
                from_period,
                from,
                period,
                to,
                rose,
            } => {
                let (a, b) = (num(from, 0), num(to, 0));
                pick(
                    || {
                        format!(
                        "NPS {} from {a} in {from_period} to {b} in {period}: a significant {}.",
                        if rose { "rose" } else { "fell" },
                        if rose { "rise" } else { "drop" }
                    )
                    },
                    || {
                        format!(
                            "NPS {} с {a} ({from_period}) до {b} ({period}): {}.",
                            if rose { "вырос" } else { "упал" },
                            if rose {
                                "значимый рост"
                            } else {
                                "значимое падение"
                            }
                        )
                    },
                )
            }
            Msg::RetentionChanged {
                from_period,
                from,
                period,
                to,
                rose,
            } => {
                let (a, b) = (percent(from), percent(to));
                pick(
                    || {
                        format!(
                        "Retention {} from {a} in {from_period} to {b} in {period}: a significant {}.",
                        if rose { "rose" } else { "fell" },
                        if rose { "rise" } else { "drop" }
                    )
                    },
                    || {
                        format!(
                            "Удержание {} с {a} ({from_period}) до {b} ({period}): {}.",
                            if rose { "выросло" } else { "упало" },
                            if rose {
                                "значимый рост"
                            } else {
                                "значимое падение"
                            }
                        )
                    },
                )
            }
            Msg::WeakJoin {
                file,
                matched,
                customers,
            } => {
                let (m, c) = (count(matched as usize), count(customers as usize));
                pick(
                    || {
                        format!(
                        "{file}: {m} of {c} customers found in the other files. Its figures are not joined with theirs: check that the files come from the same system and use the same customer ids."
                    )
                    },
                    || {
                        format!(
                        "{file}: в других файлах найдено {m} из {c} клиентов. Его данные не связаны с остальными: проверьте, что файлы из одной системы и коды клиентов в них одни и те же."
                    )
                    },
                )
            }
            Msg::Separated { separator } => pick(
                || format!("'{separator}'-separated"),
                || format!("разделитель '{separator}'"),
            ),
            Msg::Milliseconds { ms, decimals } => pick(
                || format!("{} ms", num(ms, decimals)),
                || format!("{} мс", num(ms, decimals)),
            ),
            Msg::FileRead { kind, rows } => pick(
                || {
                    let s = if rows == 1 { "" } else { "s" };
                    format!("{kind}, {} row{s}", count(rows as usize))
                },
                || format!("{kind}, строк: {}", count(rows as usize)),
            ),
            Msg::FilesLoaded { files } => pick(
                || {
                    let s = if files == 1 { "" } else { "s" };
                    format!("{files} file{s} loaded:")
                },
                || format!("Загружено файлов: {files} —"),
            ),
        }
    }
}
