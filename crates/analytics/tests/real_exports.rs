//! The corpus of real exports nobody on the project wrote
//! (`$LOYALTY_DATA_DIR/real_exports/`, see its SOURCES.md), each read with
//! no mapping at all, as a user would drop it. Expected figures are the
//! pandas one-liners of SOURCES.md (quoted per test), or Python's csv module
//! where the test says so; the files stay in the shared folder.

mod common;

use loyalty_analytics::ingest::{FileNote, RecordKind, RejectReason, Role};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, IngestError, Report};

fn path(name: &str) -> String {
    format!("real_exports/{name}")
}

/// Reads the files into one dataset (joined on the customer id), without
/// any mapping.
fn load(names: &[&str]) -> (Dataset, Report) {
    let mut ds = Dataset::default();
    for name in names {
        if let Err(e) = ds.add_file(name, &common::read(&path(name))) {
            panic!("{name}: {e}");
        }
    }
    let report = build_report(&ds);
    (ds, report)
}

fn refusal(name: &str) -> IngestError {
    let mut ds = Dataset::default();
    match ds.add_file(name, &common::read(&path(name))) {
        Ok(summary) => panic!("{name} was read as {:?}", summary.kind),
        Err(e) => e,
    }
}

fn role_of(ds: &Dataset, file: usize, column: &str) -> Option<Role> {
    ds.files[file]
        .columns
        .iter()
        .find(|c| c.name == column)
        .and_then(|c| c.role)
}

fn metric_of(report: &Report, id: &str) -> f64 {
    report
        .metric(id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", report.metrics))
}

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} != {expected}"
    );
}

/// A Wildberries seller's export has no buyer: ФИО and phone are all '-'.
/// pandas: `pd.read_excel(...)['ФИО покупателя'].unique().tolist()` == ['-'].
/// The file is refused, and the refusal says why in the buyer's columns' words.
#[test]
fn marketplace_export_without_buyers_is_refused_by_name() {
    let err = refusal("ru_wildberries_assembly_tasks.xlsx");
    let IngestError::NoRecognisedColumns { refused, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        refused.en.matches(" was not read as ").count(),
        2,
        "{refused:?}"
    );
    let en = err.to_string();
    assert!(en.contains("'ФИО покупателя'"), "{en}");
    assert!(en.contains("'Телефон покупателя'"), "{en}");
    assert!(en.contains("blank or a dash"), "{en}");
    assert!(en.starts_with("ru_wildberries_assembly_tasks.xlsx: "));
    // The page in Russian says it in Russian, the columns' names as they are.
    let ru = err.describe_in(loyalty_analytics::display::Locale::Ru);
    assert!(ru.contains("«ФИО покупателя» не прочитан как"), "{ru}");
    assert!(ru.contains("«Телефон покупателя» не прочитан как"), "{ru}");
    assert!(!ru.contains("blank or a dash"), "{ru}");
}

/// A two-row wide sales report (years over months, products as row pairs)
/// holds no customers: refused, not turned into customer figures.
#[test]
fn wide_report_with_two_header_rows_is_refused() {
    let err = refusal("ru_sales_wide_two_header_rows.xlsx");
    assert!(
        matches!(err, IngestError::NoRecognisedColumns { .. }),
        "{err:?}"
    );
}

/// An employee survey whose "Готов рекомендовать" is Да/Нет/Не знаю, not a
/// 0-10 score: no NPS is computed from it; the refusal names the column.
/// pandas: value_counts == {Да: 164, Нет: 115, Не знаю: 67, NaN: 1}.
#[test]
fn yes_no_recommend_question_is_no_nps() {
    let err = refusal("ru_employee_survey_cp1251.csv");
    let IngestError::NoRecognisedColumns { refused, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(
        refused.ru.contains("«Готов рекомендовать» не прочитан как"),
        "{refused:?}"
    );
    let en = err.to_string();
    assert!(en.contains("'Готов рекомендовать' was not read as"), "{en}");
    assert!(en.contains("NPS"), "{en}");
}

/// Singapore broadband NPS verbatims.
///   pandas: NPS -26.62 (5,077 / 7,109 / 11,341 of 23,527); ID.nunique() 20,674;
///   by Region: Central -29.58, East -25.15, North -26.58, North-East -27.32, West -25.61.
///   Comments: pandas counts 399 NaN (98 blank + NA 222, None 56, N/A 19,
///   n/a 4); we also take '-' (30), 'none' (7) and '?' (4) for no comment
///   (Python csv: Counter of stripped values), so 23,527 - 440 = 23,087.
#[test]
fn broadband_nps_survey() {
    let (ds, report) = load(&["sg_broadband_nps_feedback.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::SurveyAnswers);
    assert_eq!(role_of(&ds, 0, "NPS"), Some(Role::NpsScore));
    assert_eq!(role_of(&ds, 0, "ID"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, 0, "Customer Feedback"), Some(Role::Comment));
    close(metric_of(&report, "nps"), -26.62, 0.005);
    assert_eq!(metric_of(&report, "responses"), 23_527.0);
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 20_674.0);
    let surveys = report.surveys.as_ref().unwrap();
    let counts = surveys.nps.unwrap().counts;
    assert_eq!(
        (counts.promoters, counts.passives, counts.detractors),
        (5_077, 7_109, 11_341)
    );
    assert_eq!(surveys.comments.as_ref().unwrap().comments, 23_087);
    let regions = surveys
        .nps_segments
        .iter()
        .find(|s| s.column == "Region")
        .expect("NPS by Region");
    for (label, nps) in [
        ("Central", -29.58),
        ("East", -25.15),
        ("North", -26.58),
        ("North-East", -27.32),
        ("West", -25.61),
    ] {
        let row = regions.rows.iter().find(|r| r.label == label).unwrap();
        close(row.summary.nps, nps, 0.005);
    }
}

/// The broadband customer table: one row per NPS answer, so 2,853 rows are
/// exact duplicates; churn as 0.0/1.0.
///   pandas: ID.nunique() 20,674; drop_duplicates('ID').Churned.sum() 493.
#[test]
fn broadband_customers_with_duplicated_rows_count_each_customer_once() {
    let (ds, report) = load(&["sg_broadband_customers_churn.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, 0, "Churned"), Some(Role::Churned));
    assert_eq!(role_of(&ds, 0, "Tenure"), Some(Role::TenureMonths));
    assert_eq!(
        (ds.files[0].rows_read, ds.files[0].rows_used),
        (23_527, 23_527)
    );
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 20_674.0);
    assert_eq!(metric_of(&report, "churned_customers"), 493.0);
    // Tenure (fractional months) beside the flag gives the survival curve.
    assert!(report.survival.is_some());
}

/// The two broadband files are meant to be joined on ID.
///   Python csv: len(set(churn IDs) & set(NPS IDs)) == 20,674.
#[test]
fn broadband_pair_joins_on_id() {
    let (ds, report) = load(&[
        "sg_broadband_nps_feedback.csv",
        "sg_broadband_customers_churn.csv",
    ]);
    assert_eq!(
        report
            .files
            .iter()
            .map(|f| f.customers_matched)
            .collect::<Vec<_>>(),
        vec![Some(20_674), Some(20_674)]
    );
    assert_eq!(ds.files.len(), 2);
    assert_eq!(metric_of(&report, "churned_customers"), 493.0);
    close(metric_of(&report, "nps"), -26.62, 0.005);
}

/// A Google Forms export: numbered questions as headers, 'GMT+8' stamps, a
/// 1-5 "How likely ... choose Starbucks for meetings" that is not NPS.
///   pandas: Q17 (service) mean 3.7459, share 4-5 = 60.66 % of 122.
#[test]
fn google_forms_survey_gives_csat_and_no_nps() {
    let (ds, report) = load(&["my_starbucks_google_forms_survey.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::SurveyAnswers);
    assert_eq!(role_of(&ds, 0, "Timestamp"), Some(Role::Date));
    let csat = report.surveys.as_ref().unwrap().csat.as_ref().unwrap();
    assert_eq!((csat.responses, csat.satisfied), (122, 74));
    close(csat.mean, 3.7459, 0.00005);
    close(metric_of(&report, "csat"), 0.6066, 0.00005);
    assert_eq!(report.metric("nps"), None);
}

/// BankChurners: a second header row of descriptions (partly Indonesian),
/// churn as a label ("Attrited Customer").
///   pandas (skiprows=[1]): 10,127 rows; Attrition_Flag: Existing 8,500, Attrited 1,627.
#[test]
fn description_row_under_the_header_and_attrition_labels() {
    let (ds, report) = load(&["bankchurners_with_description_row.csv"]);
    let file = &ds.files[0];
    assert_eq!(file.kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, 0, "CLIENTNUM"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, 0, "Attrition_Flag"), Some(Role::Churned));
    let rejected: Vec<(RejectReason, u64)> = file
        .rejections
        .iter()
        .map(|g| (g.reason, g.count))
        .collect();
    assert_eq!(rejected, vec![(RejectReason::DescriptionRow, 1)]);
    assert_eq!(file.rejections[0].examples[0].line, 2);
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 10_127.0);
    assert_eq!(metric_of(&report, "churned_customers"), 1_627.0);
}

/// RavenStack churn events (synthetic): 600 events of 352 accounts, some
/// accounts churning more than once.
///   pandas: account_id.nunique() 352; reason_code 6 distinct.
///   Per account, the latest event's reason (Python csv, latest churn_date,
///   later row on a tie): features 67, budget 62, support 62,
///   competitor 56, unknown 55, pricing 50.
#[test]
fn churn_event_log_counts_accounts_by_their_latest_reason() {
    let (ds, report) = load(&["ravenstack_churn_events.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, 0, "reason_code"), Some(Role::ChurnReason));
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 352.0);
    assert_eq!(metric_of(&report, "churned_customers"), 352.0);
    // Six codes, one of them "unknown", which states no reason: five.
    assert_eq!(metric_of(&report, "churn_reasons"), 5.0);
    let churn = report.churn.as_ref().unwrap();
    let mut reasons: Vec<(String, u64)> = churn
        .reasons
        .iter()
        .map(|r| (r.reason.clone().unwrap_or_default(), r.customers))
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            ("budget", 62),
            ("competitor", 56),
            ("features", 67),
            ("pricing", 50),
            ("support", 62),
            ("unknown", 55)
        ]
        .map(|(r, n)| (r.to_string(), n))
    );
}

/// RavenStack subscriptions: 2-19 per account, blank end = active.
///   pandas: account_id.nunique() 500; churn_flag.sum() 486.
///   Python csv: no account has all its subscriptions ended, so no account
///   has left (each has one still open).
#[test]
fn subscriptions_table_is_read_per_account() {
    let (ds, report) = load(&["ravenstack_subscriptions.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 500.0);
    let flagged = ds
        .customer_records
        .iter()
        .filter(|r| r.churned == Some(true))
        .count();
    assert_eq!(flagged, 486);
    assert_eq!(metric_of(&report, "churned_customers"), 0.0);
}

/// The RavenStack pair joins on account_id: every churned account is a subscriber.
#[test]
fn subscriptions_and_churn_events_join() {
    let (_, report) = load(&[
        "ravenstack_subscriptions.csv",
        "ravenstack_churn_events.csv",
    ]);
    assert_eq!(report.files[1].customers, 352);
    assert_eq!(report.files[1].customers_matched, Some(352));
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 500.0);
}

/// Airline loyalty members: enrolment and cancellation split into year and
/// month columns (blank = still a member), CLV per member.
///   pandas: 16,737 rows; 'Cancellation Year'.notna().sum() 2,067;
///   CLV.sum() 133,710,161.32; Loyalty Card: Star 7,637, Nova 5,671, Aurora 3,429.
#[test]
fn loyalty_members_with_year_and_month_columns() {
    let (ds, report) = load(&["airline_loyalty_history.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, 0, "Loyalty_Number"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, 0, "Cancellation Year"), Some(Role::EndDate));
    assert_eq!(role_of(&ds, 0, "CLV"), Some(Role::Value));
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 16_737.0);
    assert_eq!(metric_of(&report, "churned_customers"), 2_067.0);
    let clv: f64 = ds.customer_records.iter().filter_map(|r| r.value).sum();
    close(clv, 133_710_161.32, 0.01);
    // 2018 Promotion member 100140: enrolled 2018-04, still a member
    // (line of that member in the file).
    let ends: Vec<_> = ds.customer_records.iter().filter_map(|r| r.end).collect();
    assert_eq!(ends.len(), 2_067);
    assert!(ends.iter().all(|d| chrono::Datelike::day(d) == 1));
    let card = ds
        .segments
        .columns
        .iter()
        .find(|c| c.name == "Loyalty Card")
        .expect("the card tier is a segment");
    let mut tiers: Vec<(String, usize)> = card
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let n = card.rows.iter().filter(|&&c| c as usize == i).count();
            (l.clone(), n)
        })
        .collect();
    tiers.sort();
    assert_eq!(
        tiers,
        [("Aurora", 3_429), ("Nova", 5_671), ("Star", 7_637)].map(|(t, n)| (t.to_string(), n))
    );
}

/// iFood marketing: customer-since as Excel serial days, spend and
/// purchases split over several columns.
///   pandas: 2,240 rows; Dt_Customer (origin 1899-12-30) 2012-07-30..2014-06-29;
///   Complain.sum() 21 (Python csv).
#[test]
fn customer_since_as_excel_serial_days() {
    let (ds, report) = load(&["ifood_marketing_campaign_excel_serial_dates.csv"]);
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, 0, "Dt_Customer"), Some(Role::StartDate));
    assert_eq!(role_of(&ds, 0, "Complain"), Some(Role::HadProblem));
    assert_eq!(metric_of(&report, metric::CUSTOMERS), 2_240.0);
    let starts: Vec<_> = ds.customer_records.iter().filter_map(|r| r.start).collect();
    assert_eq!(starts.len(), 2_240);
    let date = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(starts.iter().min(), Some(&date("2012-07-30")));
    assert_eq!(starts.iter().max(), Some(&date("2014-06-29")));
    let complaints = ds
        .customer_records
        .iter()
        .filter(|r| r.had_problem == Some(true))
        .count();
    assert_eq!(complaints, 21);
}

/// Every file of the corpus is either read or refused with a message that
/// names it, and a read file has no role its values refused left in place.
#[test]
fn every_corpus_file_is_read_or_refused_by_name() {
    let sources = common::data_file("real_exports/SOURCES.md");
    let dir = sources.parent().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SOURCES.md")
        .collect();
    names.sort();
    assert_eq!(names.len(), 11, "{names:?}");
    for name in &names {
        let mut ds = Dataset::default();
        match ds.add_file(name, &common::read(&path(name))) {
            Ok(summary) => {
                assert_eq!(
                    summary.rows_read,
                    summary.rows_used + summary.rows_rejected,
                    "{name}"
                );
                for note in &summary.notes {
                    if let FileNote::RoleRefused { column, .. } = note {
                        let c = summary.columns.iter().find(|c| &c.name == column);
                        assert_eq!(c.and_then(|c| c.role), None, "{name}: {column}");
                    }
                }
            }
            Err(e) => assert!(e.to_string().starts_with(&format!("{name}: ")), "{e}"),
        }
    }
}
