//! Churn records from the two sources: a customers file with end dates and
//! free-text reasons (revenue lost from its transactions), checked against
//! figures computed by hand in the comments; and churn inferred from
//! transactions on the Russian home-goods orders, checked against pandas
//! (tests/fixtures/churn/churn_reference.py, "ru_ecom" in its JSON output).

mod common;

use loyalty_analytics::metrics::churn_causes::{
    churn_by_customer_segment, churn_by_segment, churn_section, metric, ChurnBook, ChurnSource,
    RevenueSource,
};
use loyalty_analytics::metrics::churn_rules::{ChurnCategory, ChurnRules, ReasonOverrides};
use loyalty_analytics::Dataset;

const CUSTOMERS: &str = "\
customer_id,start date,end date,churn reason
a,2023-01-10,2023-03-05,Слишком дорого
b,2023-01-15,2023-03-20,ушёл к конкуренту
c,2023-02-01,2023-05-10,слишком  ДОРОГО
d,2023-02-01,,
e,2023-03-01,2023-05-31,
f,2023-03-01,,
";

const ORDERS: &str = "\
customer_id,date,amount
a,2022-03-05,100
a,2022-03-06,10
a,2023-03-01,5
b,2023-01-20,50
b,2023-03-21,999
c,2023-04-01,20
c,2023-04-02,-5
d,2023-06-01,70
f,2023-05-01,30
";

fn small() -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file("customers.csv", CUSTOMERS.as_bytes()).unwrap();
    ds.add_file("orders.csv", ORDERS.as_bytes()).unwrap();
    ds
}

fn rules() -> ChurnRules {
    ChurnRules::default()
}

#[test]
fn customers_file_with_end_dates_and_revenue_from_transactions() {
    let ds = small();
    let s = churn_section(&ds, &rules(), &ReasonOverrides::default(), 90).unwrap();
    // By hand: a blank end date is a customer still here (d, f); a, b, c, e left.
    assert_eq!(s.source, ChurnSource::CustomerRecords);
    assert_eq!((s.customers, s.churned, s.active), (6, 4, 2));
    // Reasons: "Слишком дорого" twice (case and spacing ignored), first spelling kept.
    assert_eq!(s.reasons.len(), 3);
    assert_eq!(s.reasons[0].reason.as_deref(), Some("Слишком дорого"));
    assert_eq!(s.reasons[0].customers, 2);
    assert_eq!(s.reasons[0].category, ChurnCategory::Price);
    assert_eq!(s.reasons[0].share, 0.5);
    assert_eq!(s.reasons[1].reason.as_deref(), Some("ушёл к конкуренту"));
    assert_eq!(s.reasons[2].reason, None);
    assert_eq!(s.distinct_reasons, 2);
    assert_eq!(s.top_reason_share, Some(0.5));
    // Revenue in the 12 months up to the end date, returns included:
    // a: 2022-03-05 is exactly 12 months before 2023-03-05, so out; 10 + 5 = 15.
    // b: 50 (the 999 is after b left). c: 20 - 5 = 15. e: no transactions.
    assert_eq!(s.revenue_source, Some(RevenueSource::Transactions12Months));
    assert_eq!(s.reasons[0].revenue_lost, Some(30.0));
    assert_eq!(s.reasons[1].revenue_lost, Some(50.0));
    assert_eq!(s.reasons[2].revenue_lost, None);
    assert_eq!(s.revenue_lost, Some(80.0));
    // Known categories: price 2, competitor 1 -> all controllable; e is unknown, left out.
    assert_eq!(s.controllable_share, Some(1.0));
    let cat = |c| s.categories.iter().find(|r| r.category == c).unwrap();
    assert_eq!(cat(ChurnCategory::Price).share_of_known, Some(2.0 / 3.0));
    assert_eq!(cat(ChurnCategory::Unknown).share_of_known, None);
    // By month of the end date, empty months included.
    let months: Vec<(&str, u64)> = s
        .by_period
        .iter()
        .map(|p| (p.month.as_str(), p.total))
        .collect();
    assert_eq!(months, [("2023-03", 2), ("2023-04", 0), ("2023-05", 2)]);
    let may = &s.by_period[2].counts;
    assert_eq!(may[ChurnCategory::Price.index()], 1);
    assert_eq!(may[ChurnCategory::Unknown.index()], 1);
    // Tenure from the dates; the active ones up to the last date the file
    // mentions (2023-05-31): d 119 days. a left after 54 days.
    let risks = s.competing_risks.as_ref().unwrap();
    assert_eq!(risks.months[1], 54.0 / (365.25 / 12.0));
    assert_eq!(risks.at_risk[1], 6);
    assert_eq!(
        risks.incidence_at(ChurnCategory::Price, 1.8),
        Some(1.0 / 6.0)
    );
    let metrics = s.headline_metrics();
    assert!(metrics
        .iter()
        .any(|&(id, v)| id == metric::CHURN_REVENUE_LOST && v == 80.0));
}

#[test]
fn segments_by_record_and_by_customer() {
    let ds = small();
    let book = ChurnBook::build(&ds, &rules(), &ReasonOverrides::default(), 90).unwrap();
    // A segment from the record: started in January vs later.
    let rows = churn_by_segment(&ds, &book, |_, r| {
        r.start.map(|d| {
            if d.to_string().as_str() < "2023-02-01" {
                "jan"
            } else {
                "later"
            }
            .into()
        })
    });
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].segment.as_str(), rows[0].customers, rows[0].churned),
        ("later", 4, 2)
    );
    assert_eq!(
        (rows[1].segment.as_str(), rows[1].customers, rows[1].churned),
        ("jan", 2, 2)
    );
    assert_eq!(rows[1].churn_share, 1.0);
    assert_eq!(rows[1].categories[ChurnCategory::Competitor.index()], 1);
    assert_eq!(rows[1].revenue_lost, Some(65.0));
    // Per interned customer id (a..f were interned in file order: 0..5).
    let labels: Vec<Option<String>> = ["x", "x", "y", "y"]
        .iter()
        .map(|s| Some(s.to_string()))
        .chain([None, None])
        .collect();
    let rows = churn_by_customer_segment(&book, &labels);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.customers == 2));
    let y = rows.iter().find(|r| r.segment == "y").unwrap();
    assert_eq!((y.churned, y.churn_share), (1, 0.5));
}

#[test]
fn no_customers_file_and_no_transactions_means_no_section() {
    let mut ds = Dataset::default();
    ds.add_file("answers.csv", b"nps\n9\n10\n3\n").unwrap();
    assert!(churn_section(&ds, &rules(), &ReasonOverrides::default(), 90).is_none());
    assert!(churn_section(
        &Dataset::default(),
        &rules(),
        &ReasonOverrides::default(),
        90
    )
    .is_none());
}

#[test]
fn churn_inferred_from_transactions_equals_pandas() {
    let path = format!(
        "{}/../../tests/fixtures/churn/churn_reference.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let expected = &reference["ru_ecom"];
    let name = "ru_ecom_home_goods_orders.csv";
    let mut ds = Dataset::default();
    let file = ds.add_file(name, &common::read(name)).unwrap();
    assert_eq!(file.rows_rejected, 0);
    let s = churn_section(&ds, &rules(), &ReasonOverrides::default(), 90).unwrap();
    assert_eq!(s.source, ChurnSource::Transactions);
    assert_eq!(s.customers, expected["customers"].as_u64().unwrap());
    assert_eq!(s.churned, expected["churned"].as_u64().unwrap());
    assert_eq!(s.revenue_source, Some(RevenueSource::Transactions12Months));
    let lost = expected["revenue_lost"].as_f64().unwrap();
    assert!((s.revenue_lost.unwrap() - lost).abs() < 1e-6 * lost);
    // Every churner's reason is unknown: one row, no stated reasons, no
    // controllable share, no top reason.
    assert_eq!(s.reasons.len(), 1);
    assert_eq!(s.reasons[0].reason, None);
    assert_eq!(s.controllable_share, None);
    let ids: Vec<&str> = s.headline_metrics().iter().map(|m| m.0.id()).collect();
    assert_eq!(ids, [metric::CHURNED_CUSTOMERS, metric::CHURN_REVENUE_LOST]);
    // Churners per month of their last purchase.
    let by_month = expected["churned_by_month"].as_object().unwrap();
    let ours: Vec<(String, u64)> = s
        .by_period
        .iter()
        .map(|p| (p.month.clone(), p.total))
        .collect();
    let theirs: Vec<(String, u64)> = by_month
        .iter()
        .map(|(m, n)| (m.clone(), n.as_u64().unwrap()))
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn a_longer_window_finds_fewer_churners() {
    let name = "ru_ecom_home_goods_orders.csv";
    let mut ds = Dataset::default();
    ds.add_file(name, &common::read(name)).unwrap();
    let churned = |w| {
        churn_section(&ds, &rules(), &ReasonOverrides::default(), w)
            .unwrap()
            .churned
    };
    assert!(churned(30) >= churned(90) && churned(90) >= churned(365));
}

#[test]
fn a_list_of_lost_customers_with_reasons_needs_no_status_column() {
    // No churned flag, status or end date: a row with a reason is a churner,
    // a row without one says nothing and is counted as such.
    let text = "customer_id,причина ухода,ltv\nx1,Переехал,100\nx2,хамство менеджера,250\nx3,,40\n";
    let mut ds = Dataset::default();
    ds.add_file("lost.csv", text.as_bytes()).unwrap();
    let s = churn_section(&ds, &rules(), &ReasonOverrides::default(), 90).unwrap();
    assert_eq!(
        (s.customers, s.churned, s.records_without_status),
        (2, 2, 1)
    );
    assert_eq!(s.revenue_lost, Some(350.0));
    assert_eq!(s.revenue_source, Some(RevenueSource::ValueColumn));
    // Treatment is controllable, moving away is not: 1 of 2.
    assert_eq!(s.controllable_share, Some(0.5));
}

/// Files without reasons still give the counts and, with a duration, the
/// competing-risk curve of the one "unknown" cause, which is then 1 - KM.
/// pandas: bank Exited.sum() = 2038 of 10,000; pysurvival churned.sum() = 932
/// of 2,000. KM at 3 and 6 months of pysurvival from lifelines 0.30.3 (as in
/// tests/survival.rs): 0.6132535097564267, 0.47778900825170056.
#[test]
fn files_without_reasons() {
    let load = |name: &str| {
        let mut ds = Dataset::default();
        ds.add_file(name, &common::read(name)).unwrap();
        churn_section(&ds, &rules(), &ReasonOverrides::default(), 90).unwrap()
    };
    let bank = load("bank_churn_records_satisfaction_points.csv");
    assert_eq!((bank.churned, bank.customers), (2038, 10_000));
    assert_eq!(bank.categories.len(), 1);
    assert_eq!(bank.categories[0].category, ChurnCategory::Unknown);
    // No value column and no transactions: nothing lost is known, nobody to rank.
    assert_eq!(bank.revenue_lost, None);
    assert!(bank.call_list.is_empty());
    // Its "Tenure" (whole years 0-10) is a duration: the one "unknown"
    // cause's incidence is 1 - KM, reaching the churned share by year 10.
    let risks = bank.competing_risks.as_ref().unwrap();
    let unknown = risks.incidence_at(ChurnCategory::Unknown, 120.0).unwrap();
    assert!(unknown > 0.2 && unknown < 1.0, "{unknown}");
    let ids: Vec<&str> = bank.headline_metrics().iter().map(|m| m.0.id()).collect();
    assert_eq!(ids, [metric::CHURNED_CUSTOMERS]);

    let saas = load("pysurvival_saas_churn_csat.csv");
    assert_eq!((saas.churned, saas.customers), (932, 2000));
    let risks = saas.competing_risks.as_ref().unwrap();
    for (month, km) in [
        (3.0, 0.613_253_509_756_426_7),
        (6.0, 0.477_789_008_251_700_56),
    ] {
        let unknown = risks.incidence_at(ChurnCategory::Unknown, month).unwrap();
        assert!((unknown - (1.0 - km)).abs() < 1e-12, "{unknown} at {month}");
    }
}
