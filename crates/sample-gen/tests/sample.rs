//! The committed sample (assets/sample) is exactly what the generator
//! writes, and the real core reads every file of it as intended.

use std::path::{Path, PathBuf};
use std::process::Command;

use loyalty_analytics::ingest::{
    DateFormat, FileNote, FileSummary, RecordKind, RejectReason, Role,
};
use loyalty_analytics::{build_report, Dataset};

const FILES: [&str; 4] = ["orders.csv", "survey.csv", "churned.csv", "README.md"];

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/sample")
}

fn read(name: &str) -> Vec<u8> {
    let path = sample_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    match a
        .lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
    {
        Some((i, (x, y))) => format!("line {}:\n  committed: {x}\n  generated: {y}", i + 1),
        None => format!(
            "{} lines committed, {} generated",
            a.lines().count(),
            b.lines().count()
        ),
    }
}

#[test]
fn committed_sample_is_what_the_generator_writes() {
    let out = std::env::temp_dir().join(format!("loyalty-sample-gen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_sample-gen"))
        .arg(&out)
        .output()
        .expect("run sample-gen");
    assert!(
        run.status.success(),
        "sample-gen failed: {}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("output folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(
        written, expected,
        "the generator writes exactly these files"
    );
    for name in FILES {
        let generated = std::fs::read(out.join(name)).expect("generated file");
        let committed = read(name);
        assert!(
            generated == committed,
            "assets/sample/{name} differs from the generator's output; run \
             `cargo run -p sample-gen -- assets/sample` and commit the result.\n{}",
            first_difference(&committed, &generated)
        );
    }
    std::fs::remove_dir_all(&out).expect("remove the temporary folder");
}

#[test]
fn generator_refuses_a_missing_output_folder_argument() {
    let out = Command::new(env!("CARGO_BIN_EXE_sample-gen"))
        .output()
        .expect("run sample-gen");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}

fn roles(file: &FileSummary) -> Vec<(&str, Option<Role>)> {
    file.columns
        .iter()
        .map(|c| (c.name.as_str(), c.role))
        .collect()
}

fn rejected(file: &FileSummary) -> Vec<(RejectReason, u64)> {
    file.rejections
        .iter()
        .map(|g| (g.reason, g.count))
        .collect()
}

#[test]
fn every_file_loads_cleanly_through_the_core() {
    let mut dataset = Dataset::default();
    for name in ["orders.csv", "survey.csv", "churned.csv"] {
        dataset
            .add_file(name, &read(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let report = build_report(&dataset);
    let [orders, survey, churned] = &report.files[..] else {
        panic!("three files, got {}", report.files.len());
    };

    // Orders: every column understood, only the documented flaws rejected.
    assert_eq!(orders.kind, RecordKind::Transactions);
    assert_eq!(orders.encoding, "UTF-8");
    // ISO dates: one reading only, nothing to ask the user.
    assert_eq!(orders.date_format, Some(DateFormat::Iso));
    assert_eq!(orders.date_alternatives, [DateFormat::Iso]);
    assert_eq!(
        roles(orders),
        [
            ("order_id", Some(Role::OrderId)),
            ("customer_id", Some(Role::CustomerId)),
            ("order_date", Some(Role::Date)),
            ("amount", Some(Role::Amount)),
            ("channel", None),
            ("region", None),
            ("loyalty_member", None),
            ("discount", None),
        ]
    );
    assert_eq!(
        rejected(orders),
        [
            (RejectReason::TotalsRow, 1),
            (RejectReason::MissingCustomerId, 3),
            (RejectReason::UnreadableDate, 1),
        ]
    );
    assert_eq!(orders.rows_read, orders.rows_used + 5);
    let bad_date = &orders.rejections[2].examples[0];
    assert_eq!(
        (bad_date.column.as_str(), bad_date.value.as_str()),
        ("order_date", "2025-02-29")
    );
    assert!(
        (11_000..13_500).contains(&orders.rows_used),
        "{}",
        orders.rows_used
    );
    assert!(
        (2_300..2_700).contains(&orders.customers),
        "{}",
        orders.customers
    );
    // Returns: about 2% of the lines, negative amounts.
    let return_share = orders.returns as f64 / orders.rows_used as f64;
    assert!((0.012..0.03).contains(&return_share), "{return_share}");
    assert!(orders.returns_value < 0.0);

    // Survey answers: two documented flaws.
    assert_eq!(survey.kind, RecordKind::SurveyAnswers);
    assert_eq!(
        roles(survey),
        [
            ("customer_id", Some(Role::CustomerId)),
            ("response_date", Some(Role::Date)),
            ("nps", Some(Role::NpsScore)),
            ("csat", Some(Role::Csat)),
            ("comment", Some(Role::Comment)),
            ("had_problem", Some(Role::HadProblem)),
            ("region", None),
        ]
    );
    // The answer without scores is rejected; the one with NPS 11 beside a
    // CSAT of 5 keeps its CSAT, and the 11 is left blank with a note.
    assert_eq!(rejected(survey), [(RejectReason::MissingScore, 1)]);
    assert!(
        matches!(
            &survey.notes[..],
            [FileNote::CellsLeftBlank { column, count: 1, value, .. }]
                if column == "nps" && value == "11"
        ),
        "{:?}",
        survey.notes
    );
    // Every respondent is a customer of the orders file.
    assert_eq!(survey.customers_matched, Some(survey.customers));

    // Customers: nothing rejected, every id a buyer.
    assert_eq!(churned.kind, RecordKind::Customers);
    assert_eq!(
        roles(churned),
        [
            ("customer_id", Some(Role::CustomerId)),
            ("customer_since", Some(Role::StartDate)),
            ("churn_date", Some(Role::EndDate)),
            ("plan", None),
            ("mrr", Some(Role::Value)),
            ("reason", Some(Role::ChurnReason)),
        ]
    );
    assert_eq!(churned.rows_rejected, 0);
    assert_eq!(churned.customers_matched, Some(churned.customers));
    let left = dataset
        .customer_records
        .iter()
        .filter(|r| r.churned == Some(true))
        .count();
    let active = dataset
        .customer_records
        .iter()
        .filter(|r| r.churned == Some(false))
        .count();
    assert!((550..650).contains(&left), "{left} left");
    assert!((1_300..1_500).contains(&active), "{active} active");
    assert!(dataset
        .customer_records
        .iter()
        .all(|r| r.start.is_some() && r.value.is_some()));

    // Segment columns of every kind.
    let segment_names = |kind| -> Vec<&str> {
        dataset
            .segments
            .of_kind(kind)
            .map(|c| c.name.as_str())
            .collect()
    };
    assert_eq!(
        segment_names(RecordKind::Transactions),
        ["channel", "region", "loyalty_member", "discount"]
    );
    assert_eq!(segment_names(RecordKind::SurveyAnswers), ["region"]);
    assert_eq!(segment_names(RecordKind::Customers), ["plan"]);

    // The survey page: NPS, CSAT, segments, themes and the loyalty link.
    let surveys = report.surveys.as_ref().expect("survey section");
    let nps = surveys.nps.as_ref().expect("NPS");
    assert!(nps.responses > 1000, "{} responses", nps.responses);
    assert!((0.0..50.0).contains(&nps.nps), "NPS {}", nps.nps);
    assert!(surveys.csat.is_some());
    assert!(
        surveys.nps_trend.len() >= 20,
        "{} months",
        surveys.nps_trend.len()
    );
    assert_eq!(surveys.undated_answers, 0);
    assert_eq!(surveys.nps_segments.len(), 1);
    assert!(surveys.nps_segments[0].rows.len() >= 9);
    let comments = surveys.comments.as_ref().expect("comment themes");
    for theme in [
        "delivery",
        "price",
        "quality",
        "staff",
        "support",
        "website and app",
    ] {
        let figures = comments
            .themes
            .iter()
            .find(|t| t.theme == theme)
            .unwrap_or_else(|| panic!("theme {theme}"));
        assert!(figures.mentions >= 20, "{theme}: {}", figures.mentions);
    }
    let link = surveys.loyalty_link.as_ref().expect("loyalty link");
    assert!(link.matched > 1000, "{} matched", link.matched);
    assert_eq!(link.unmatched, 0);
    let bought_6m = |group: &str| {
        link.by_nps_group
            .iter()
            .find(|g| g.group == group)
            .and_then(|g| g.bought_within_6m)
            .unwrap_or_else(|| panic!("{group}"))
            .share
    };
    // Loyalty is behaviour: promoters buy again more than detractors.
    assert!(
        bought_6m("promoter") > bought_6m("detractor") + 0.1,
        "promoters {} vs detractors {}",
        bought_6m("promoter"),
        bought_6m("detractor")
    );
    let problem = |flag: &str| {
        link.by_problem
            .iter()
            .find(|g| g.group == flag)
            .and_then(|g| g.repeat_rate)
            .unwrap_or_else(|| panic!("{flag}"))
            .share
    };
    assert!(problem("yes") < problem("no"));

    // The retention and churn pages.
    let survival = report.survival.as_ref().expect("survival curve");
    assert_eq!(survival.without_duration, 0);
    assert!(survival.events.iter().sum::<u64>() as usize == left);
    for id in [
        "customers",
        "revenue",
        "repeat_rate",
        "retention_m1",
        "retention_m3",
        "retention_m6",
        "retention_m12",
        "retention_rate",
        "churn_rate",
        "nps",
        "csat",
    ] {
        assert!(report.metric(id).is_some(), "metric {id}");
    }
    // Cohorts of different sizes, every month a cohort.
    let sizes: Vec<u64> = report.cohorts.cohorts.iter().map(|c| c.size).collect();
    assert_eq!(sizes.len(), 24);
    assert!(sizes.iter().max() > Some(&(2 * sizes.iter().min().copied().unwrap_or(0))));
    // December is the busiest month.
    let activity = &report.monthly_activity;
    let busiest = activity.iter().max_by_key(|m| m.orders).expect("months");
    assert!(busiest.month.ends_with("-12"), "{}", busiest.month);

    // For a look with --nocapture.
    for (k, v) in &report.metrics {
        eprintln!("{k} = {v}");
    }
    for g in link
        .by_nps_group
        .iter()
        .chain(&link.by_csat)
        .chain(&link.by_problem)
    {
        let share = |s: Option<loyalty_analytics::metrics::loyalty_link::Share>| {
            s.map_or("-".to_string(), |s| format!("{:.2}", s.share))
        };
        eprintln!(
            "{:>9}: {} customers, repeat {}, bought within 3/6/12 months {} {} {}",
            g.group,
            g.customers,
            share(g.repeat_rate),
            share(g.bought_within_3m),
            share(g.bought_within_6m),
            share(g.bought_within_12m),
        );
    }
}
