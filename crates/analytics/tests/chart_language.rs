//! Every chart drawn in Russian: its words are Russian, no English chart
//! word is left (in the SVG or in its readouts), and its tick numbers are
//! written the Russian way. The Russian words are spelled here as the
//! page's own translation table (src/i18n.rs) has them, not taken from the
//! labels under test.

use loyalty_analytics::chart::{
    draw_clv_distribution, draw_cohort_curves, draw_cumulative_incidence, draw_distribution,
    draw_holdout_by_frequency, draw_lifecycle, draw_loyalty_link, draw_monthly_activity,
    draw_nps_distribution, draw_nps_trend, draw_pareto, draw_reference_comparison, draw_rfm_grid,
    draw_seasonality, draw_survival, draw_tracking, ActivityLabels, ChartError, ChurnLabels,
    ClvLabels, HoverMap, LifecycleLabels, LinkMeasure, NpsLabels, PatternLabels, SurvivalLabels,
};
use loyalty_analytics::display::Locale;
use loyalty_analytics::models::holdout::{FrequencyGroup, TrackingPoint};
use plotters::coord::Shift;
use plotters::prelude::*;

const RU: Locale = Locale::Ru;

/// A chart drawn in SVG: the text of its `<text>` elements and its readouts.
struct Drawn {
    texts: Vec<String>,
    readouts: Vec<String>,
}

impl Drawn {
    fn has(&self, word: &str) -> bool {
        self.texts.iter().any(|t| t.contains(word))
    }
    fn reads(&self, word: &str) -> bool {
        self.readouts.iter().any(|t| t.contains(word))
    }
}

fn draw(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<HoverMap, ChartError>,
) -> Drawn {
    let mut svg = String::new();
    let hover = {
        let area = SVGBackend::with_string(&mut svg, (960, 360)).into_drawing_area();
        draw(&area).unwrap()
    };
    let mut texts = Vec::new();
    let mut rest = svg.as_str();
    while let Some(start) = rest.find("<text") {
        let open = start + rest[start..].find('>').unwrap() + 1;
        let close = open + rest[open..].find("</text>").unwrap();
        texts.push(rest[open..close].trim().to_string());
        rest = &rest[close..];
    }
    let readouts = hover
        .points
        .iter()
        .map(|p| p.text(RU, &|s| s.to_string()))
        .collect();
    Drawn { texts, readouts }
}

/// Words of two or more Latin letters in the chart, but for the names
/// that stay as they are in Russian (NPS, CLV, the RFM letters).
fn english_words(drawn: &Drawn) -> Vec<String> {
    let mut found = Vec::new();
    for text in drawn.texts.iter().chain(&drawn.readouts) {
        for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if word.len() >= 2 && !["NPS", "CLV", "FM"].contains(&word) {
                found.push(format!("{word} (in {text:?})"));
            }
        }
    }
    found
}

/// Russian tick numbers: a decimal comma, never a point between digits.
fn decimal_points(drawn: &Drawn) -> Vec<String> {
    drawn
        .texts
        .iter()
        .filter(|t| {
            t.as_bytes()
                .windows(3)
                .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
        })
        .cloned()
        .collect()
}

fn assert_russian(name: &str, drawn: &Drawn, words: &[&str]) {
    for word in words {
        assert!(
            drawn.has(word) || drawn.reads(word),
            "{name}: no {word:?} in {:?} / {:?}",
            drawn.texts,
            drawn.readouts
        );
    }
    assert_eq!(english_words(drawn), Vec::<String>::new(), "{name}");
    assert_eq!(decimal_points(drawn), Vec::<String>::new(), "{name}");
}

/// The bundled sample shop: orders, survey answers and churned customers.
fn shop_report() -> loyalty_analytics::Report {
    let mut ds = loyalty_analytics::Dataset::default();
    for name in ["orders.csv", "survey.csv", "churned.csv"] {
        let path = format!("{}/../../assets/sample/{name}", env!("CARGO_MANIFEST_DIR"));
        ds.add_file(name, &std::fs::read(path).unwrap()).unwrap();
    }
    loyalty_analytics::build_report(&ds)
}

#[test]
fn purchase_charts_speak_russian() {
    let report = shop_report();
    let activity = draw(|a| {
        draw_monthly_activity(a, &report.monthly_activity, &ActivityLabels::for_locale(RU))
    });
    assert_russian(
        "activity",
        &activity,
        &["Активные клиенты", "Выручка", "Неполный месяц"],
    );
    // Revenue ticks in thousands, the Russian way.
    assert!(activity.has("\u{a0}тыс."), "{:?}", activity.texts);
    let m = &report.monthly_activity[0];
    assert!(
        activity.readouts[0].starts_with(&format!("{}: Активные клиенты ", m.month)),
        "{:?}",
        activity.readouts[0]
    );

    let lifecycle =
        draw(|a| draw_lifecycle(a, &report.lifecycle, &LifecycleLabels::for_locale(RU)));
    assert_russian(
        "lifecycle",
        &lifecycle,
        &[
            "Клиенты",
            "Новые",
            "Удержанные",
            "Вернувшиеся",
            "Потерянные",
            "Чистый прирост",
        ],
    );

    let patterns = report.purchase_patterns.as_ref().unwrap();
    let labels = PatternLabels::for_locale(RU);
    let orders = draw(|a| {
        draw_distribution(
            a,
            &patterns.orders_per_customer,
            "Заказы",
            "Клиенты",
            &labels,
        )
    });
    assert_russian(
        "orders per customer",
        &orders,
        &["Заказы", "Клиенты", "Доля"],
    );
    let seasonality = draw(|a| draw_seasonality(a, &patterns.seasonality, &labels));
    assert_russian(
        "seasonality",
        &seasonality,
        &["янв", "июн", "дек", "Индекс заказов", "Индекс выручки"],
    );
    let cohorts = draw(|a| draw_cohort_curves(a, &report.cohorts, &labels));
    assert_russian(
        "cohort curves",
        &cohorts,
        &[
            "Периодов после первой покупки",
            "Снова активны (в среднем)",
            "Когорт",
        ],
    );
    // Percent ticks with a no-break space before the sign.
    assert!(cohorts.texts.iter().any(|t| t.ends_with("\u{a0}%")));

    let curve = report.survival.as_ref().unwrap();
    let survival = draw(|a| draw_survival(a, curve, &SurvivalLabels::for_locale(RU)));
    assert_russian(
        "survival",
        &survival,
        &["Месяцев клиентом", "Всё ещё клиент", "50\u{a0}%"],
    );
}

#[test]
fn survey_charts_speak_russian() {
    let report = shop_report();
    let surveys = report.surveys.as_ref().unwrap();
    let labels = NpsLabels::for_locale(RU);
    let distribution = draw(|a| draw_nps_distribution(a, &surveys.nps_distribution, &labels));
    assert_russian(
        "nps distribution",
        &distribution,
        &["Промоутеры", "Нейтралы", "Критики", "Ответы", "Доля"],
    );
    // The share bar: "Промоутеры 41 %".
    assert!(
        distribution
            .texts
            .iter()
            .any(|t| t.starts_with("Промоутеры ") && t.ends_with("\u{a0}%")),
        "{:?}",
        distribution.texts
    );
    let trend = draw(|a| draw_nps_trend(a, &surveys.nps_trend, &labels));
    assert_russian("nps trend", &trend, &["NPS", "Ответы"]);
    let link = surveys.loyalty_link.as_ref().unwrap();
    let behaviour =
        draw(|a| draw_loyalty_link(a, &link.by_nps_group, LinkMeasure::RepeatRate, &labels));
    assert_russian(
        "loyalty link",
        &behaviour,
        &[
            "Промоутеры",
            "Критики",
            "Купили два раза и более",
            "Клиенты",
        ],
    );
}

#[test]
fn clv_charts_speak_russian() {
    let report = shop_report();
    let clv = report.clv.as_ref().unwrap();
    let labels = ClvLabels::for_locale(RU);
    let grid = &clv.rfm.as_ref().unwrap().grid;
    let rfm = draw(|a| draw_rfm_grid(a, grid, &labels));
    assert_russian("rfm", &rfm, &["Давность", "Частота", "Клиенты", "Выручка"]);
    if let Some(d) = &clv.clv_distribution {
        let spread = draw(|a| draw_clv_distribution(a, d, &labels));
        assert_russian("clv distribution", &spread, &["CLV", "Клиенты"]);
    }
    // The holdout charts need a calibration split; small made-up series do.
    let groups: Vec<FrequencyGroup> = (0..8)
        .map(|f| FrequencyGroup {
            frequency: f,
            customers: 10,
            actual_mean: 0.5 + f64::from(f) / 4.0,
            predicted_mean: 0.4 + f64::from(f) / 4.0,
        })
        .collect();
    let holdout = draw(|a| draw_holdout_by_frequency(a, &groups, &labels));
    assert_russian("holdout", &holdout, &["Факт", "Модель", "Клиенты"]);
    let points: Vec<TrackingPoint> = (0..78)
        .map(|w| TrackingPoint {
            week: w,
            actual: f64::from(w) * 50.0,
            predicted: f64::from(w) * 48.0,
        })
        .collect();
    let tracking = draw(|a| draw_tracking(a, &points, 38, &labels));
    assert_russian(
        "tracking",
        &tracking,
        &["Факт", "Модель", "Неделя", "конец калибровки"],
    );
}

#[test]
fn churn_charts_speak_russian() {
    let report = shop_report();
    let churn = report.churn.as_ref().unwrap();
    let labels = ChurnLabels::for_locale(RU);
    let bars = churn.category_pareto(|c| labels.category(c).to_string());
    let pareto = draw(|a| draw_pareto(a, &bars, &labels));
    assert_russian("pareto", &pareto, &["Ушедшие клиенты", "Накопленная доля"]);
    let reference = draw(|a| draw_reference_comparison(a, &churn.reference, &labels));
    assert_russian(
        "reference",
        &reference,
        &["Ваши клиенты", "Межотраслевое исследование", "Конкурент"],
    );
    if let Some(risks) = &churn.competing_risks {
        let incidence = draw(|a| draw_cumulative_incidence(a, risks, &labels));
        assert_russian("incidence", &incidence, &["Месяцев клиентом"]);
    }
}

#[test]
fn english_stays_the_default() {
    // The labels the English tests draw with are the English set.
    let en = LifecycleLabels::default();
    assert_eq!(
        [en.new, en.retained, en.resurrected, en.lost, en.net_growth],
        ["New", "Retained", "Back after a gap", "Lost", "Net growth"]
    );
    assert_eq!(PatternLabels::default().months[0], "Jan");
    assert_eq!(NpsLabels::default().promoters, "Promoters");
    assert_eq!(ActivityLabels::default().locale, Locale::En);
}
