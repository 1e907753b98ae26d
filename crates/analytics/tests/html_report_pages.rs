//! The standalone HTML report, page by page: built from real files (the
//! bundled sample shop and CDNOW sample, and the shared data sets), checked
//! for one `<svg>` per chart the data allows, for the sections the data feeds
//! and for the headline figures as formatted text (the checks are in
//! `html_support`).

mod common;
mod html_support;

use std::path::PathBuf;

use loyalty_analytics::display::grouped;
use loyalty_analytics::html_report::{escape, standalone_html, Lang};
use loyalty_analytics::metrics::programme::Mark;
use loyalty_analytics::{build_report, build_report_with, Settings};

use html_support::*;

#[test]
fn sample_shop_report_has_every_section_and_chart() {
    let ds = sample_shop();
    // With a calibration end (for the holdout charts) and a programme mark.
    let mut settings = Settings::default();
    settings.clv.calibration_end = Some(date("2025-06-30"));
    settings.marks = vec![Mark {
        date: date("2025-03-01"),
        label: "Loyalty programme launch".into(),
    }];
    let report = build_report_with(&ds, &settings);
    let (html, tags) = render_and_check(&report);
    assert_eq!(
        expected_charts(&report).len(),
        19,
        "the sample covers every chart: {:?}",
        expected_charts(&report)
    );
    assert_eq!(tags.iter().filter(|t| t.name == "svg").count(), 19);
    assert_eq!(html.matches("<svg").count(), 19);
    assert_eq!(
        sections_in(&tags),
        [
            "headline",
            "activity",
            "retention",
            "patterns",
            "surveys",
            "clv",
            "churn",
            "programme",
            "quality"
        ]
    );
    // Title: the date range and the file names.
    let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
    assert_eq!(
        title,
        "<title>Customer loyalty report, 2024-01-01 – 2025-12-31 (orders.csv, survey.csv, churned.csv)"
    );
    for name in ["orders.csv", "survey.csv", "churned.csv"] {
        assert!(html.contains(&format!("<span class=\"file\">{name}</span>")));
    }
    // The key tables.
    for table in [
        "cohorts",
        "nps_segments",
        "churn_reasons",
        "churn_categories",
        "rfm_segments",
        "top_customers",
        "files",
        "programme_mark",
    ] {
        assert!(
            tags.iter().any(|t| t.attr("data-table") == Some(table)),
            "table {table}"
        );
    }
    // The cohort heat map: one row per cohort plus the average, month 0 at 100%.
    let heat = &html[html.find("data-table=\"cohorts\"").unwrap()..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(
        heat.matches("<tr>").count() + heat.matches("<tr class=\"avg\">").count(),
        1 + report.cohorts.cohorts.len() + 1
    );
    assert!(heat.contains("<td class=\"k0\">100</td>"));
    assert!(
        heat.contains("class=\"h10\""),
        "the best cell is the darkest"
    );
    // No raw rows: no comment text, no rejected-row examples, no previews.
    let survey = report
        .files
        .iter()
        .find(|f| f.file == "survey.csv")
        .unwrap();
    let comment_column = survey
        .columns
        .iter()
        .position(|c| c.name == "comment")
        .unwrap();
    let long_comments: Vec<&String> = survey
        .preview
        .iter()
        .filter_map(|row| row.get(comment_column))
        .filter(|c| c.chars().count() > 20)
        .collect();
    assert!(!long_comments.is_empty());
    for comment in long_comments {
        assert!(!html.contains(&*escape(comment)), "comment {comment} shown");
    }
    let ru = standalone_html(&report, Lang::Ru);
    eprintln!(
        "sample shop report: {} bytes (en), {} bytes (ru)",
        html.len(),
        ru.len()
    );
    // For a look in a browser: LOYALTY_HTML_OUT=/some/folder.
    if let Some(dir) = std::env::var_os("LOYALTY_HTML_OUT") {
        let dir = PathBuf::from(dir);
        std::fs::write(dir.join("sample_shop_en.html"), &html).unwrap();
        std::fs::write(dir.join("sample_shop_ru.html"), &ru).unwrap();
    }
    assert!(html.len() < 1_500_000, "{} bytes", html.len());
}

#[test]
fn default_settings_leave_out_only_the_holdout_charts() {
    let report = build_report(&sample_shop());
    let (_, tags) = render_and_check(&report);
    let charts = charts_in(&tags);
    assert_eq!(charts.len(), 17, "{charts:?}");
    assert!(!charts
        .iter()
        .any(|c| c == "clv_holdout" || c == "clv_tracking"));
}

#[test]
fn cdnow_sample_transactions_only() {
    let ds = dataset(&[("cdnow_sample.txt", asset("cdnow_sample.txt"))]);
    let mut settings = Settings::default();
    settings.clv.calibration_end = Some(date("1997-09-30"));
    let report = build_report_with(&ds, &settings);
    let (html, tags) = render_and_check(&report);
    let sections = sections_in(&tags);
    assert!(sections.contains(&"retention".to_string()));
    assert!(sections.contains(&"clv".to_string()));
    assert!(!sections.contains(&"surveys".to_string()));
    assert!(html.contains("1997-01-01 – 1998-06-30"));
    let charts = charts_in(&tags);
    for id in [
        "monthly_activity",
        "cohort_curves",
        "clv_holdout",
        "clv_tracking",
        "rfm_grid",
    ] {
        assert!(charts.iter().any(|c| c == id), "{id} in {charts:?}");
    }
    // The published CDNOW calibration fit appears in the model table.
    let bg = report.clv.as_ref().unwrap().bgnbd.as_ref().unwrap();
    assert!(html.contains(&format!("<td class=\"n\">{}</td>", grouped(bg.params.r, 4))));
}

#[test]
fn survey_only_report_has_no_purchase_sections() {
    let name = "prepbench_case040_sudzilla_nps_survey.csv";
    let report = build_report(&dataset(&[(name, common::read(name))]));
    let (html, tags) = render_and_check(&report);
    assert_eq!(sections_in(&tags), ["headline", "surveys", "quality"]);
    assert!(!html.contains("data-table=\"cohorts\""));
    let charts = charts_in(&tags);
    assert!(charts.iter().any(|c| c == "nps_distribution"), "{charts:?}");
    assert!(report.metric("nps").is_some());
}

#[test]
fn shared_data_sets_render() {
    for name in [
        "ibm_telco_v11_merged.csv",
        "pysurvival_saas_churn_csat.csv",
        "prepbench_case160_superstore_orders.csv",
        "prepbench_case122_airline_nps_other_airlines.csv",
        "ru_ecom_home_goods_orders_cp1251.csv",
        "bank_churn_records_satisfaction_points.csv",
    ] {
        let report = build_report(&dataset(&[(name, common::read(name))]));
        let (html, tags) = render_and_check(&report);
        assert!(html.contains(&format!("<span class=\"file\">{name}</span>")));
        if let Some(dir) = std::env::var_os("LOYALTY_HTML_OUT") {
            std::fs::write(PathBuf::from(dir).join(format!("{name}.html")), &html).unwrap();
        }
        eprintln!(
            "{name}: {} bytes, sections {:?}, charts {}",
            html.len(),
            sections_in(&tags),
            charts_in(&tags).len()
        );
    }
}

#[test]
fn telco_churn_reasons_and_segments() {
    let name = "ibm_telco_v11_merged.csv";
    let report = build_report(&dataset(&[(name, common::read(name))]));
    let (html, tags) = render_and_check(&report);
    let churn = report.churn.as_ref().expect("churn section");
    let charts = charts_in(&tags);
    for id in ["churn_pareto", "churn_reasons", "churn_reference"] {
        assert!(charts.iter().any(|c| c == id), "{id} in {charts:?}");
    }
    // Each listed reason is a table row, escaped.
    for r in churn.reasons.iter().take(50) {
        if let Some(reason) = &r.reason {
            assert!(
                html.contains(&format!("<td>{}</td>", escape(reason))),
                "{reason}"
            );
        }
    }
    assert!(!report.churn_by_segment.is_empty());
    assert!(tags
        .iter()
        .any(|t| t.attr("data-table") == Some("churn_by_segment")));
}
