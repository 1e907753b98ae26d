//! Reruns with other settings reuse the dataset's caches (the customer
//! index, settings-independent sections, CLV per CLV settings, the dataset
//! within a date range): each rerun must give exactly the report of a fresh
//! analysis with its settings, byte for byte as JSON.

mod common;

use loyalty_analytics::metrics::programme::Mark;
use loyalty_analytics::metrics::retention::Period;
use loyalty_analytics::models::TimeUnit;
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::{analyse, analyse_timed, Dataset, Settings};

fn load(files: &[&str]) -> Dataset {
    let mut ds = Dataset::default();
    for name in files {
        ds.add_file(name, &common::read(name)).expect("file loads");
    }
    ds
}

fn json(ds: &Dataset, settings: &Settings) -> String {
    serde_json::to_string(&analyse(ds, settings).report).expect("serialisable")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn settings_sequence() -> Vec<Settings> {
    let d = Settings::default;
    let mut list = vec![
        d(),
        Settings {
            period: Period::Week,
            ..d()
        },
        Settings {
            period: Period::Week,
            churn_window_days: 60,
            ..d()
        },
        Settings {
            churn_window_days: 30,
            ..d()
        },
        Settings {
            date_from: Some(date("1997-03-01")),
            date_to: Some(date("2011-06-30")),
            ..d()
        },
        Settings {
            date_from: Some(date("1997-03-01")),
            date_to: Some(date("2011-06-30")),
            period: Period::Quarter,
            ..d()
        },
        Settings {
            date_from: Some(date("2010-12-01")),
            ..d()
        },
        Settings {
            marks: vec![Mark {
                date: date("1997-06-01"),
                label: "launch".into(),
            }],
            ..d()
        },
    ];
    let mut clv = d();
    clv.clv.horizon_months = 24;
    clv.clv.time_unit = TimeUnit::Day;
    list.push(clv.clone());
    clv.churn_window_days = 120;
    list.push(clv);
    let mut cal = d();
    cal.clv.calibration_end = Some(date("1997-09-30"));
    list.push(cal);
    list.push(d());
    list
}

#[test]
fn reruns_equal_fresh_analyses() {
    let files = [
        "cdnow/CDNOW_sample.txt",
        "uci_online_retail.csv.gz",
        "pysurvival_saas_churn_csat.csv",
        "prepbench_case040_sudzilla_nps_survey.csv",
    ];
    let kept = load(&files);
    for (i, settings) in settings_sequence().iter().enumerate() {
        let rerun = json(&kept, settings);
        let fresh = json(&load(&files), settings);
        assert!(
            rerun == fresh,
            "settings #{i} ({settings:?}): rerun differs"
        );
    }
}

#[test]
fn a_changed_dataset_is_not_served_from_the_cache() {
    let mut ds = load(&["cdnow/CDNOW_sample.txt"]);
    let before = json(&ds, &Settings::default());
    ds.add_file(
        "more.csv",
        b"customer_id,date,amount\nx1,1998-01-02,10\nx1,1998-03-02,12\n",
    )
    .expect("file loads");
    let after = json(&ds, &Settings::default());
    assert_ne!(before, after);
    let fresh = {
        let mut fresh = load(&["cdnow/CDNOW_sample.txt"]);
        fresh
            .add_file(
                "more.csv",
                b"customer_id,date,amount\nx1,1998-01-02,10\nx1,1998-03-02,12\n",
            )
            .expect("file loads");
        json(&fresh, &Settings::default())
    };
    assert_eq!(after, fresh);
    // A field changed by hand (they are public): recomputed, not cached.
    ds.summaries.clear();
    ds.customer_records
        .push(loyalty_analytics::dataset::CustomerRecord {
            customer: Some(0),
            start: Some(date("1997-01-01")),
            end: Some(date("1997-05-01")),
            tenure_months: None,
            churned: Some(true),
            status: None,
            reason: Some("price".into()),
            category: None,
            value: None,
            csat: None,
            had_problem: None,
        });
    let changed = json(&ds, &Settings::default());
    assert_ne!(changed, after);
    let again = ds.clone();
    assert_eq!(changed, json(&again, &Settings::default()));
}

/// Edits that keep every length (the old cache key was the fields'
/// lengths): each rerun gives the report of a fresh copy, with and without
/// a date filter (whose filtered dataset is cached too).
#[test]
fn edits_of_equal_length_give_a_fresh_report() {
    let mut ds = load(&["cdnow/CDNOW_sample.txt"]);
    let filtered = Settings {
        date_from: Some(date("1997-01-01")),
        date_to: Some(date("1997-12-31")),
        ..Settings::default()
    };
    let before = (json(&ds, &Settings::default()), json(&ds, &filtered));
    let fresh = |ds: &Dataset| {
        let copy = ds.clone();
        (json(&copy, &Settings::default()), json(&copy, &filtered))
    };
    // One amount a hundred times larger.
    let amount = ds.transactions.amount.at(0).expect("an amount");
    ds.transactions.amount.set(0, Some(amount * 100.0));
    let first_edit = (json(&ds, &Settings::default()), json(&ds, &filtered));
    assert_ne!(first_edit, before);
    assert_eq!(first_edit, fresh(&ds));
    // Then the same row a month later: again every length stays.
    ds.transactions.day[0] += 30;
    let second_edit = (json(&ds, &Settings::default()), json(&ds, &filtered));
    assert_ne!(second_edit, first_edit);
    assert_eq!(second_edit, fresh(&ds));
}

#[test]
fn timings_name_every_section_once() {
    let ds = load(&["cdnow/CDNOW_sample.txt"]);
    let mut t = 0.0;
    let mut clock = || {
        t += 1.0;
        t
    };
    let (analysis, timings) = analyse_timed(&ds, &Settings::default(), &mut clock);
    let names: Vec<&str> = timings.iter().map(|t| t.section.as_ref()).collect();
    for section in [
        "base",
        "cohorts",
        "period_retention",
        "lifecycle",
        "survival",
        "clv",
        "clv_segments",
        "history_segments",
        "surveys",
        "churn",
        "purchase_patterns",
        "programme",
        "files",
        "monthly_activity",
    ] {
        assert_eq!(
            names.iter().filter(|n| **n == section).count(),
            1,
            "{section}"
        );
    }
    // One tick of the clock per part: `clv` is timed before and after the
    // sections that do not need its figures, and its parts are added up.
    for t in &timings {
        let parts = if t.section == "clv" { 2.0 } else { 1.0 };
        assert_eq!(t.ms, parts, "{}", t.section);
    }
    assert_eq!(
        serde_json::to_string(&analysis.report).unwrap(),
        json(&ds, &Settings::default())
    );
}
