//! The reading patterns that failed real users (issue 18), each on a real
//! file from the shared data folder, changed only the way the issue
//! describes. Expected figures: Python's csv module over the original file
//! (quoted per test), never this crate.

mod common;

use loyalty_analytics::ingest::{FileNote, Misfit, RecordKind, RejectReason, Role};
use loyalty_analytics::{build_report, Dataset, Report};

fn read(name: &str, bytes: &[u8]) -> (Dataset, Report) {
    let mut ds = Dataset::default();
    if let Err(e) = ds.add_file(name, bytes) {
        panic!("{name}: {e}");
    }
    let report = build_report(&ds);
    (ds, report)
}

fn role_of(ds: &Dataset, column: &str) -> Option<Role> {
    ds.files[0]
        .columns
        .iter()
        .find(|c| c.name == column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .role
}

/// `original` with its header line replaced by `header` (the data lines
/// are kept byte for byte).
fn with_header(original: &str, header: &str) -> String {
    let (_, rest) = original.split_once('\n').unwrap();
    format!("{header}\n{rest}")
}

/// Pattern 1: the telco churn list with the header cells run together, with
/// trailing spaces, a UTF-8 BOM and CRLF line ends. Its fourth line holds
/// "Churned" beside numbers and ids: it must not be taken for the header.
///   csv: 7,043 rows; Churn Label == 'Yes' 1,869.
#[test]
fn run_together_header_with_a_bom_is_the_header() {
    let original = String::from_utf8(common::read("ibm_telco_v11_merged.csv")).unwrap();
    let header = original
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(|name| {
            let joined: String = name.split(' ').collect::<Vec<_>>().concat();
            let mut chars = joined.chars();
            let first = chars.next().unwrap().to_uppercase().collect::<String>();
            format!("{first}{} ", chars.as_str().to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(",");
    assert!(header.starts_with("Customerid ,Gender ,"));
    assert!(header.contains("Customerstatus ,Churnlabel ,"));
    let text = format!("\u{feff}{}", with_header(&original, &header)).replace('\n', "\r\n");
    let (ds, report) = read("churn list.csv", text.as_bytes());
    let file = &ds.files[0];
    assert_eq!(file.kind, RecordKind::Customers);
    assert_eq!((file.rows_read, file.rows_used), (7_043, 7_043));
    assert!(file.rejections.is_empty(), "{:?}", file.rejections);
    assert_eq!(role_of(&ds, "Customerid"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, "Customerstatus"), Some(Role::Status));
    assert_eq!(role_of(&ds, "Churnlabel"), Some(Role::Churned));
    assert_eq!(role_of(&ds, "Churncategory"), Some(Role::ChurnCategory));
    assert_eq!(role_of(&ds, "Churnreason"), Some(Role::ChurnReason));
    assert_eq!(role_of(&ds, "Tenureinmonths"), Some(Role::TenureMonths));
    assert_eq!(report.metric("churned_customers"), Some(1_869.0));
}

/// Pattern 2: camelCase and run-together spellings of the same header.
#[test]
fn camel_case_and_run_together_names_keep_their_roles() {
    let original = String::from_utf8(common::read("ibm_telco_v11_merged.csv")).unwrap();
    let header = original
        .lines()
        .next()
        .unwrap()
        .replace("Customer ID", "customerId")
        .replace("Churn Label", "churnLabel")
        .replace("Tenure in Months", "Tenureinmonths")
        .replace("Satisfaction Score", "satisfactionScore");
    let (ds, report) = read("telco.csv", with_header(&original, &header).as_bytes());
    assert_eq!(role_of(&ds, "customerId"), Some(Role::CustomerId));
    assert_eq!(role_of(&ds, "churnLabel"), Some(Role::Churned));
    assert_eq!(role_of(&ds, "Tenureinmonths"), Some(Role::TenureMonths));
    assert_eq!(role_of(&ds, "satisfactionScore"), Some(Role::Csat));
    assert_eq!(report.metric("churned_customers"), Some(1_869.0));
}

/// Pattern 3: a credit score named `score` (300-850) in a customers table
/// and in an orders export: each is read without it, with a note.
///   csv: bank 10,000 customers, Exited == '1' 2,038; superstore 9,994
///   rows, 793 customers (as tests/real_files.rs).
#[test]
fn a_score_column_of_credit_scores_costs_only_itself() {
    let bank =
        String::from_utf8(common::read("bank_churn_records_satisfaction_points.csv")).unwrap();
    let header = bank.lines().next().unwrap().replace("CreditScore", "score");
    let (ds, report) = read("bank.csv", with_header(&bank, &header).as_bytes());
    assert_eq!(ds.files[0].kind, RecordKind::Customers);
    assert_eq!(role_of(&ds, "score"), None);
    let note = ds.files[0]
        .notes
        .iter()
        .find(|n| matches!(n, FileNote::RoleRefused { column, .. } if column == "score"))
        .expect("a note on 'score'");
    assert!(matches!(
        note,
        FileNote::RoleRefused {
            role: Role::NpsScore,
            misfit: Misfit::OffScale,
            ..
        }
    ));
    assert_eq!(report.metric("customers"), Some(10_000.0));
    assert_eq!(report.metric("churned_customers"), Some(2_038.0));

    let orders =
        String::from_utf8(common::read("prepbench_case160_superstore_orders.csv")).unwrap();
    let header = orders.lines().next().unwrap().replace("Discount", "score");
    let (ds, report) = read("orders.csv", with_header(&orders, &header).as_bytes());
    // Discounts (0-0.8) are no 0-10 whole numbers either.
    assert_eq!(ds.files[0].kind, RecordKind::Transactions);
    assert_eq!(role_of(&ds, "score"), None);
    assert_eq!(ds.files[0].rows_used, 9_994);
    assert_eq!(report.metric("customers"), Some(793.0));
    assert!(!ds.files[0].notes.is_empty());
}

/// Pattern 4: a customers file carries every figure it can feed.
///   csv (bank): Satisfaction_Score >= 4: 4,012 of 10,000 (CSAT 0.4012);
///   Complain == '1': 2,044, of whom Exited 2,034; Complain == '0': 7,956,
///   of whom Exited 4. 10,000 customers.
///   broadband: plain 'Tenure' (fractional months) beside 'Churned' gives
///   the survival curve.
#[test]
fn a_customers_file_gives_csat_complaints_survival_and_customers() {
    let (_, report) = read(
        "bank.csv",
        &common::read("bank_churn_records_satisfaction_points.csv"),
    );
    assert_eq!(report.metric("csat"), Some(0.4012));
    assert_eq!(report.metric("customers"), Some(10_000.0));
    let link = report
        .surveys
        .as_ref()
        .and_then(|s| s.churn_by_answer.as_ref())
        .expect("churn by complaint");
    let groups: Vec<(&str, u64, u64)> = link
        .by_problem
        .iter()
        .map(|g| (g.group.as_str(), g.churn.count, g.churn.of))
        .collect();
    assert_eq!(groups, vec![("yes", 2_034, 2_044), ("no", 4, 7_956)]);

    let (_, report) = read(
        "broadband.csv",
        &common::read("real_exports/sg_broadband_customers_churn.csv"),
    );
    assert!(report.survival.is_some());
    assert_eq!(report.metric("customers"), Some(20_674.0));
}

/// Pattern 5: one row per customer with a first date, a last date and a
/// count is a summary, not one purchase per row. Made from CDNOW master's
/// transactions by this test (per customer: first and last purchase day,
/// distinct purchase days, total spend), the members file must give the
/// same repeat rate and the same BG/NBD and Gamma-Gamma fits as the
/// transactions themselves (both observed until CDNOW's last day,
/// 1998-06-30, in weeks).
#[test]
fn first_last_count_summary_fits_like_its_transactions() {
    use std::collections::BTreeMap;
    let text = String::from_utf8(common::read("cdnow/CDNOW_master.txt")).unwrap();
    // customer -> (distinct days, spend)
    let mut customers: BTreeMap<String, (Vec<String>, f64)> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let entry = customers.entry(f[0].to_string()).or_default();
        entry.0.push(f[1].to_string());
        entry.1 += f[3].parse::<f64>().unwrap();
    }
    let mut members =
        String::from("Member ID,First Purchase,Last Purchase,Purchases,Total Spend\n");
    let mut repeat = 0;
    for (id, (mut days, spend)) in customers.clone() {
        days.sort();
        days.dedup();
        repeat += usize::from(days.len() >= 2);
        members.push_str(&format!(
            "{id},{},{},{},{spend:.2}\n",
            days[0],
            days[days.len() - 1],
            days.len()
        ));
    }
    let (ds, summary) = read("members.csv", members.as_bytes());
    assert_eq!(ds.files[0].kind, RecordKind::Summary);
    let (_, transactions) = read("CDNOW_master.txt", text.as_bytes());
    assert_eq!(
        summary.metric("repeat_rate"),
        Some(repeat as f64 / customers.len() as f64)
    );
    assert_eq!(summary.metric("customers"), Some(customers.len() as f64));
    for id in ["bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b"] {
        let (a, b) = (
            summary.metric(id).unwrap(),
            transactions.metric(id).unwrap(),
        );
        assert!((a - b).abs() <= 1e-6 * b.abs(), "{id}: {a} vs {b}");
    }
}

/// Pattern 1 again, the other way: a report title above a header whose
/// names are all known still counts as a title, and a description line
/// under the header is rejected as one (BankChurners, line 2).
#[test]
fn titles_above_and_descriptions_below_the_header() {
    let bank =
        String::from_utf8(common::read("bank_churn_records_satisfaction_points.csv")).unwrap();
    let text = format!("Customer churn, Q4 2024\n\n{bank}");
    let (ds, report) = read("titled.csv", text.as_bytes());
    let reasons: Vec<(RejectReason, u64)> = ds.files[0]
        .rejections
        .iter()
        .map(|g| (g.reason, g.count))
        .collect();
    assert_eq!(reasons, vec![(RejectReason::TitleRow, 1)]);
    assert_eq!(report.metric("churned_customers"), Some(2_038.0));

    let (ds, _) = read(
        "bankchurners.csv",
        &common::read("real_exports/bankchurners_with_description_row.csv"),
    );
    let described = &ds.files[0].rejections;
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].reason, RejectReason::DescriptionRow);
    assert_eq!(described[0].examples[0].line, 2);
}
