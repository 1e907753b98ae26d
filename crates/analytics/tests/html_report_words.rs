//! The standalone HTML report's words: Russian headings, number and date
//! formats and category names, and what each file was read as, with its
//! notes, in both languages.

mod html_support;

use loyalty_analytics::build_report;
use loyalty_analytics::chart::ChurnLabels;
use loyalty_analytics::display::grouped;
use loyalty_analytics::html_report::{escape, standalone_html, Lang};
use loyalty_analytics::report::{build_report_with, Settings};

use html_support::*;

#[test]
fn sample_shop_in_russian() {
    let report = build_report(&sample_shop());
    let html = standalone_html(&report, Lang::Ru);
    check_document(&html, Lang::Ru);
    assert!(html.contains("<h1>Отчёт о лояльности клиентов</h1>"));
    assert!(html.contains("01.01.2024 – 31.12.2025"));
    assert!(html.contains("<h2>Почему клиенты уходят</h2>"));
    // Decimal comma and no-break-space grouping.
    let nps = report.metric("nps").unwrap();
    let (_, shown, sub) = card(&html, "nps").unwrap();
    assert_eq!(shown, grouped(nps, 1).replace('.', ","));
    assert!(sub.unwrap().starts_with("95% ДИ: "));
    let customers = report.metric("customers").unwrap();
    assert!(customers >= 1000.0);
    let (_, shown, _) = card(&html, "customers").unwrap();
    assert_eq!(shown, grouped(customers, 0).replace(',', "\u{a0}"));
    // RFM segment names and churn categories in Russian.
    assert!(html.contains("Чемпионы"));
    assert!(html.contains("Недовольство продуктом") || html.contains("Цена"));
    // The report's words are the page's: every churn category of the
    // sample in the charts' Russian, and the Russian chart axis words.
    let churn = report.churn.as_ref().unwrap();
    let names = ChurnLabels::for_locale(loyalty_analytics::display::Locale::Ru);
    for c in &churn.categories {
        let name = escape(names.category(c.category));
        assert!(html.contains(&*name), "category {:?} as {name}", c.category);
    }
    for word in [
        names.customers,
        names.cumulative,
        names.yours,
        names.reference,
    ] {
        assert!(html.contains(word), "{word}");
    }
}

#[test]
fn each_file_says_what_it_was_read_as_with_its_notes() {
    // A customers list whose `score` is a credit score (300-850): not an NPS
    // answer, a note; the file is read without it.
    let mut text = String::from("CustomerId,score,Exited,Satisfaction_Score\n");
    for i in 0..60 {
        text.push_str(&format!(
            "{},{},{},{}\n",
            1000 + i,
            400 + i * 7,
            i % 3 == 0,
            1 + i % 5
        ));
    }
    let report = build_report(&dataset(&[("bank & co.csv", text.into_bytes())]));
    let file = &report.files[0];
    assert!(!file.notes.is_empty(), "{:?}", file.columns);
    for lang in [Lang::En, Lang::Ru] {
        let html = standalone_html(&report, lang);
        let tags = check_document(&html, lang);
        let read_as = format!(
            "{} — {}",
            escape(&file.file),
            escape(&file.read_as(lang.locale()))
        );
        assert!(html.contains(&read_as), "{read_as}");
        for note in &file.notes {
            assert!(html.contains(&*escape(&note.describe_in(lang.locale()))));
        }
        assert!(tags.iter().any(|t| t.attr("data-testid") == Some("read-as")
            && t.attr("data-file") == Some(&*escape("bank & co.csv"))));
    }
}

/// The CLV section's notes are said in the report's language: a horizon
/// past the cap and a calibration end after the data give two notes, in
/// Russian on the Russian report (the English text stays in the Report's
/// `text` for the CLI and JSON readers).
#[test]
fn clv_notes_in_russian() {
    let mut settings = Settings::default();
    settings.clv.horizon_months = 1000;
    settings.clv.calibration_end = "2030-01-01".parse().ok();
    let report = build_report_with(&sample_shop(), &settings);
    let clv = report.clv.as_ref().unwrap();
    let codes: Vec<&str> = clv.messages.iter().map(|m| m.code.as_str()).collect();
    assert!(
        codes.contains(&"horizon_capped") && codes.contains(&"calibration_end_outside_data"),
        "{codes:?}"
    );
    let ru = standalone_html(&report, Lang::Ru);
    let en = standalone_html(&report, Lang::En);
    assert!(ru.contains("горизонт ограничен"), "Russian horizon note");
    assert!(ru.contains("конец калибровки не раньше последнего дня данных"));
    assert!(
        !ru.contains("the horizon is capped") && !ru.contains("the calibration end is not before")
    );
    assert!(en.contains("the horizon is capped at"));
}
