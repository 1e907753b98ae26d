//! Survey, customers/churn and summary files are recognised by their columns
//! and read into checked records. Expected figures: Python's csv module over
//! the same files (each test quotes its computation).

mod common;

use std::collections::BTreeMap;

use loyalty_analytics::ingest::{DateFormat, RecordKind, RejectReason, Role};
use loyalty_analytics::Dataset;

fn load(relative: &str) -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative)).unwrap();
    ds
}

fn role_of(ds: &Dataset, column: &str) -> Option<Role> {
    ds.files[0]
        .columns
        .iter()
        .find(|c| c.name == column)
        .and_then(|c| c.role)
}

/// bank: 10000 rows, 10000 CustomerId, Exited=='1' 2038, Complain=='1' 2044,
/// fsum(Satisfaction_Score) 30138
#[test]
fn bank_churn_is_a_customers_file() {
    let ds = load("bank_churn_records_satisfaction_points.csv");
    let file = &ds.files[0];
    assert_eq!(file.kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, "Exited"), Some(Role::Churned));
    assert_eq!(role_of(&ds, "Complain"), Some(Role::HadProblem));
    assert_eq!(role_of(&ds, "Satisfaction_Score"), Some(Role::Csat));
    assert_eq!((file.rows_read, file.rows_used), (10_000, 10_000));
    let records = &ds.customer_records;
    assert_eq!(
        records.iter().filter(|r| r.churned == Some(true)).count(),
        2_038
    );
    assert_eq!(
        records
            .iter()
            .filter(|r| r.had_problem == Some(true))
            .count(),
        2_044
    );
    assert_eq!(records.iter().filter_map(|r| r.csat).sum::<f64>(), 30_138.0);
    assert_eq!(ds.customers.len(), 10_000);
}

/// telco: 7043 rows; Churn Label=='Yes' 1869, all with a Churn Reason;
/// fsum(CLTV of churned) 7755256; fsum(Tenure in Months) 228100;
/// Churn Category: Competitor 841, Attitude 314, Dissatisfaction 303, Price 211, Other 200
#[test]
fn telco_is_a_customers_file_with_reasons() {
    let ds = load("ibm_telco_v11_merged.csv");
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, "Customer ID"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, "Churn Label"), Some(Role::Churned));
    assert_eq!(role_of(&ds, "Churn Reason"), Some(Role::ChurnReason));
    assert_eq!(role_of(&ds, "Churn Category"), Some(Role::ChurnCategory));
    assert_eq!(role_of(&ds, "CLTV"), Some(Role::Value));
    assert_eq!(role_of(&ds, "Tenure in Months"), Some(Role::TenureMonths));
    assert_eq!(role_of(&ds, "Customer Status"), Some(Role::Status));
    let records = &ds.customer_records;
    assert_eq!(records.len(), 7_043);
    let churned: Vec<_> = records.iter().filter(|r| r.churned == Some(true)).collect();
    assert_eq!(churned.len(), 1_869);
    assert!(churned.iter().all(|r| r.reason.is_some()));
    assert_eq!(
        churned.iter().filter_map(|r| r.value).sum::<f64>(),
        7_755_256.0
    );
    assert_eq!(
        records.iter().filter_map(|r| r.tenure_months).sum::<f64>(),
        228_100.0
    );
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        if let Some(c) = &r.category {
            *categories.entry(c).or_default() += 1;
        }
    }
    let expected = [
        ("Attitude", 314),
        ("Competitor", 841),
        ("Dissatisfaction", 303),
        ("Other", 200),
        ("Price", 211),
    ];
    assert_eq!(
        categories.into_iter().collect::<Vec<_>>(),
        expected.to_vec()
    );
}

/// pysurvival: 2000 rows, no id column; churned 1.0 x932 / 0.0 x1068; fsum(months_active) 7759
#[test]
fn survival_data_without_ids_is_a_customers_file() {
    let ds = load("pysurvival_saas_churn_csat.csv");
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    let records = &ds.customer_records;
    assert_eq!(records.len(), 2_000);
    assert!(records.iter().all(|r| r.customer.is_none()));
    assert_eq!(
        records.iter().filter(|r| r.churned == Some(true)).count(),
        932
    );
    assert_eq!(
        records.iter().filter(|r| r.churned == Some(false)).count(),
        1_068
    );
    assert_eq!(
        records.iter().filter_map(|r| r.tenure_months).sum::<f64>(),
        7_759.0
    );
}

fn nps_histogram(ds: &Dataset) -> BTreeMap<u8, usize> {
    let mut counts = BTreeMap::new();
    for a in &ds.survey_answers {
        *counts.entry(a.nps.expect("score").get()).or_default() += 1;
    }
    counts
}

/// Sudzilla: 39 answers; scores 3 x8, 8 x5, 0/2/10/7/9 x4, 5/4 x2, 6/1 x1;
/// 37 non-blank "...why?"; timestamps m/d/yyyy from 11/1/2019 to 11/4/2019
#[test]
fn sudzilla_survey() {
    let ds = load("prepbench_case040_sudzilla_nps_survey.csv");
    let file = &ds.files[0];
    assert_eq!(file.kind, RecordKind::SurveyAnswers);
    assert_eq!(file.date_format, Some(DateFormat::MonthDayYearSlash));
    assert_eq!(
        role_of(&ds, "On a scale of 0-10, how would you rate Sudzilla?"),
        Some(Role::NpsScore)
    );
    assert_eq!(role_of(&ds, "...why?"), Some(Role::Comment));
    let expected: BTreeMap<u8, usize> = [
        (0, 4),
        (1, 1),
        (2, 4),
        (3, 8),
        (4, 2),
        (5, 2),
        (6, 1),
        (7, 4),
        (8, 5),
        (9, 4),
        (10, 4),
    ]
    .into();
    assert_eq!(nps_histogram(&ds), expected);
    assert_eq!(
        ds.survey_answers
            .iter()
            .filter(|a| a.comment.is_some())
            .count(),
        37
    );
    let dates: Vec<_> = ds.survey_answers.iter().filter_map(|a| a.date).collect();
    assert_eq!(
        dates.iter().min().map(|d| d.to_string()),
        Some("2019-11-01".into())
    );
    assert_eq!(
        dates.iter().max().map(|d| d.to_string()),
        Some("2019-11-04".into())
    );
}

/// Airline: 5723 answers from 5723 customers; 7 x1065, 10 x1040, 8 x1031,
/// 9 x1029, 4 x238, 3 x230, 0 x229, 6 x220, 2 x217, 5 x214, 1 x210
#[test]
fn airline_survey() {
    let ds = load("prepbench_case122_airline_nps_other_airlines.csv");
    assert_eq!(ds.files[0].kind, RecordKind::SurveyAnswers);
    assert_eq!(
        role_of(&ds, "How likely are you to recommend this airline?"),
        Some(Role::NpsScore)
    );
    let expected: BTreeMap<u8, usize> = [
        (0, 229),
        (1, 210),
        (2, 217),
        (3, 230),
        (4, 238),
        (5, 214),
        (6, 220),
        (7, 1_065),
        (8, 1_031),
        (9, 1_029),
        (10, 1_040),
    ]
    .into();
    assert_eq!(nps_histogram(&ds), expected);
    assert_eq!(ds.customers.len(), 5_723);
}

#[test]
fn survey_scores_off_the_scale_are_rejected_with_their_lines() {
    let text = "client,nps,comment\na,9,great\nb,11,too high\nc,,no score\nd,7.5,half\ne,0,bad\n";
    let mut ds = Dataset::default();
    let file = ds.add_file("nps.csv", text.as_bytes()).unwrap();
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (5, 2, 3)
    );
    let found: Vec<(RejectReason, u64, String)> = file
        .rejections
        .iter()
        .flat_map(|g| {
            g.examples
                .iter()
                .map(move |e| (g.reason, e.line, e.value.clone()))
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (RejectReason::MissingScore, 4, String::new()),
            (RejectReason::ScoreOutOfRange, 3, "11".into()),
            (RejectReason::ScoreOutOfRange, 5, "7.5".into()),
        ]
    );
}

#[test]
fn lifetimes_summary_file() {
    let text = "customer_id,frequency,recency,T,monetary_value\n1,2,30.43,38.86,22.35\n2,1,1.71,38.86,11.77\n3,0,0,38.86,0\n";
    let mut ds = Dataset::default();
    let file = ds.add_file("summary.csv", text.as_bytes()).unwrap();
    assert_eq!(file.kind, RecordKind::Summary);
    assert_eq!(ds.summaries.len(), 3);
    assert_eq!(ds.summaries[0].recency, 30.43);
    assert_eq!(ds.summaries[1].monetary_value, Some(11.77));
}

#[test]
fn churn_file_with_dates_and_russian_headers() {
    let text = "Клиент;Дата регистрации;Дата ухода;Причина ухода\n\
                k1;01.02.2023;15.03.2024;Переехал в другой город\n\
                k2;05.06.2023;;\n";
    let mut ds = Dataset::default();
    assert_eq!(
        ds.add_file("отток.csv", text.as_bytes()).unwrap().kind,
        RecordKind::Customers
    );
    let r = &ds.customer_records;
    assert_eq!(r[0].churned, Some(true));
    assert_eq!(r[0].end.map(|d| d.to_string()), Some("2024-03-15".into()));
    assert_eq!(r[0].reason.as_deref(), Some("Переехал в другой город"));
    // A blank end date: still a customer.
    assert_eq!(r[1].churned, Some(false));
}

#[test]
fn several_files_say_how_many_customer_ids_they_share() {
    let mut ds = Dataset::default();
    ds.add_file(
        "orders.csv",
        b"client,date\na,2024-01-01\nb,2024-01-02\nc,2024-01-03\n",
    )
    .unwrap();
    ds.add_file("survey.csv", b"client,nps\nb,9\nc,3\nd,10\nd,8\n")
        .unwrap();
    let report = loyalty_analytics::build_report(&ds);
    let view: Vec<(u64, Option<u64>)> = report
        .files
        .iter()
        .map(|f| (f.customers, f.customers_matched))
        .collect();
    // orders: a, b, c (b and c answered); survey: b, c, d (d bought nothing).
    assert_eq!(view, vec![(3, Some(2)), (3, Some(2))]);
}

/// Header names the sample generator first used and ingest did not know:
/// answered_on (survey date), left_on (end date), monthly_value (value).
#[test]
fn survey_and_churn_header_synonyms() {
    use loyalty_analytics::ingest::Role;
    let mut ds = loyalty_analytics::Dataset::default();
    let survey = ds
        .add_file("s.csv", b"customer_id,answered_on,nps\na,2024-01-02,9\n")
        .unwrap()
        .clone();
    assert!(survey
        .columns
        .iter()
        .any(|c| c.name == "answered_on" && c.role == Some(Role::Date)));
    let churn = ds
        .add_file(
            "c.csv",
            b"customer_id,customer_since,left_on,monthly_value,reason\na,2023-01-01,2024-01-01,10,price\n",
        )
        .unwrap()
        .clone();
    let role = |name: &str| {
        churn
            .columns
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.role)
    };
    assert_eq!(role("left_on"), Some(Role::EndDate));
    assert_eq!(role("monthly_value"), Some(Role::Value));
}

/// A members list with one row per customer: first and last flight and
/// the number of flights (issue 18, pattern 5) is a per-customer summary,
/// not one purchase per row. By hand, observed until the latest last
/// flight (2024-12-31):
///   M1: 2024-01-01 .. 2024-06-30, 5 flights -> frequency 4,
///       recency 181 days = 25.857 weeks, T 365 days = 52.143 weeks,
///       average spend 1000 / 5 = 200
///   M2: one flight -> frequency 0 (no average of repeat purchases)
///   M3: 2023-12-01 .. 2024-12-31, 10 flights -> recency = T = 396 days
///   M4: 2024-05-05 .. 2024-11-30, 2 flights
/// repeat rate = 3 of 4 = 0.75 (the airline's members gave 0 when each row
/// was read as one purchase).
#[test]
fn first_last_and_count_per_customer_is_a_summary() {
    let text = "Loyalty Number,First Flight,Last Date Flown,Number of Flights,Total Spend\n\
                M1,2024-01-01,2024-06-30,5,1000\n\
                M2,2024-03-01,2024-03-01,1,200\n\
                M3,2023-12-01,2024-12-31,10,5000\n\
                M4,2024-05-05,2024-11-30,2,300\n";
    let mut ds = Dataset::default();
    let file = ds.add_file("members.csv", text.as_bytes()).unwrap().clone();
    assert_eq!(file.kind, RecordKind::Summary);
    assert_eq!((file.rows_read, file.rows_used), (4, 4));
    let s = &ds.summaries;
    assert_eq!(s.len(), 4);
    let week = 7.0;
    assert_eq!(s[0].frequency, 4.0);
    assert!((s[0].recency - 181.0 / week).abs() < 1e-12);
    assert!((s[0].t - 365.0 / week).abs() < 1e-12);
    assert_eq!(s[0].monetary_value, Some(200.0));
    assert_eq!((s[1].frequency, s[1].monetary_value), (0.0, None));
    assert!((s[2].recency - 396.0 / week).abs() < 1e-12 && s[2].recency == s[2].t);
    let report = loyalty_analytics::build_report(&ds);
    assert_eq!(report.metric("repeat_rate"), Some(0.75));
    assert_eq!(report.metric("customers"), Some(4.0));
    // The same list in another house style reads the same.
    let styled = text.replacen(
        "Loyalty Number,First Flight,Last Date Flown,Number of Flights,Total Spend",
        "loyaltyNumber,FIRST_FLIGHT,lastdateflown ,number-of-flights,Total  Spend",
        1,
    );
    let mut again = Dataset::default();
    again.add_file("members2.csv", styled.as_bytes()).unwrap();
    assert_eq!(again.summaries, ds.summaries);
}
