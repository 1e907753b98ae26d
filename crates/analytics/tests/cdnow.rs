//! CDNOW, read as exported (whitespace separated, YYYYMMDD dates, CRLF).
//!
//! Expected figures come from awk over the raw file, not from this crate:
//!   awk 'NR>1 {rows++; rev+=$4; c[$1]=1; cd[$1" "$2]=1} END {...}' CDNOW_master.txt
//!     -> rows=69659 customers=23570 revenue=2500315.63 orders(customer-days)=67591
//!   awk 'NR>1 {cd[$1" "$2]=1} END {count customers with >= 2 customer-days}'
//!     -> repeaters=11516 of 23570
//!   awk 'NR>1 && $4>=0 {m=substr($2,1,6); distinct (m,$1) -> a[m]; r[m]+=$4}'
//!     -> 199701 7846 299060.17 / 199702 9633 379590.03 / 199703 9524 393155.27
//!        ... 199806 1506 76109.30 (18 months)
//!   awk '{rows++; rev+=$5; c[$1]=1}' CDNOW_sample.txt
//!     -> rows=6919 customers=2357 revenue=244091.94
//! Rows and customer counts also match SOURCES.md (69,659 / 23,570; 6,919 / 2,357).

mod common;

use loyalty_analytics::ingest::{DateFormat, Layout, Role};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset};

fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
    let actual = actual.expect("metric present");
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} differs from {expected} by more than {tolerance}"
    );
}

#[test]
fn cdnow_master_headline_figures() {
    let mut ds = Dataset::default();
    let summary = ds
        .add_file("CDNOW_master.txt", &common::read("cdnow/CDNOW_master.txt"))
        .unwrap();
    assert_eq!(summary.layout, Layout::Whitespace);
    assert!(summary.has_header);
    assert_eq!(summary.date_format, Some(DateFormat::Compact));
    let roles: Vec<_> = summary.columns.iter().map(|c| c.role).collect();
    assert_eq!(
        roles,
        vec![
            Some(Role::CustomerId),
            Some(Role::Date),
            None,
            Some(Role::Amount)
        ]
    );

    let report = build_report(&ds);
    assert_eq!(report.metric(metric::ROWS_READ), Some(69_659.0));
    assert_eq!(report.metric(metric::ROWS_USED), Some(69_659.0));
    assert_eq!(report.metric(metric::ROWS_REJECTED), Some(0.0));
    assert_eq!(report.metric(metric::CUSTOMERS), Some(23_570.0));
    assert_eq!(report.metric(metric::TRANSACTIONS), Some(69_659.0));
    assert_eq!(report.metric(metric::ORDERS), Some(67_591.0));
    close(report.metric(metric::REVENUE), 2_500_315.63, 0.005);
    close(
        report.metric(metric::REPEAT_RATE),
        11_516.0 / 23_570.0,
        1e-12,
    );
    assert_eq!(report.first_date, "1997-01-01".parse().ok());
    assert_eq!(report.last_date, "1998-06-30".parse().ok());

    let months = &report.monthly_activity;
    assert_eq!(months.len(), 18);
    let expected = [
        ("1997-01", 7846, 299_060.17),
        ("1997-02", 9633, 379_590.03),
        ("1997-03", 9524, 393_155.27),
        ("1998-06", 1506, 76_109.30),
    ];
    for (month, active, revenue) in expected {
        let m = months
            .iter()
            .find(|m| m.month == month)
            .expect("month present");
        assert_eq!(m.active_customers, active, "{month}");
        close(Some(m.revenue), revenue, 0.005);
    }
}

#[test]
fn cdnow_sample_without_header_is_read_by_values() {
    // The bundled sample of the web app: no header, five columns.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/cdnow_sample.txt"
    ))
    .unwrap();
    let mut ds = Dataset::default();
    let summary = ds.add_file("cdnow_sample.txt", &bytes).unwrap();
    assert!(!summary.has_header);
    let roles: Vec<_> = summary.columns.iter().map(|c| c.role).collect();
    assert_eq!(
        roles,
        vec![
            Some(Role::CustomerId),
            None,
            Some(Role::Date),
            None,
            Some(Role::Amount)
        ]
    );
    let report = build_report(&ds);
    assert_eq!(report.metric(metric::ROWS_READ), Some(6_919.0));
    assert_eq!(report.metric(metric::CUSTOMERS), Some(2_357.0));
    close(report.metric(metric::REVENUE), 244_091.94, 0.005);
    // The bundled copy is byte-identical to the shared one.
    assert_eq!(bytes, common::read("cdnow/CDNOW_sample.txt"));
}

/// Purchase patterns on CDNOW master against pandas (purchase days, since the
/// file has no order id):
///   d = pd.read_csv(f, sep=r'\s+', dtype=str-ids); d = d[d.dollar_value >= 0]
///   u = d[['customer_id', 'day']].drop_duplicates().sort_values([...])
///   orders = u.groupby('customer_id').size()
///     -> 1..10: 12054, 4040, 2205, 1436, 991, 643, 470, 378, 279, 182; 11+: 892
///   gaps = u.groupby('customer_id').day.diff().dropna().dt.days
///     -> 44,021 gaps, median 34, p90 200 (np.percentile), mean 72.21398877808319
///   second - first per customer with two days -> 11,516, median 57, p90 307
#[test]
fn purchase_patterns_equal_pandas() {
    let mut ds = Dataset::default();
    ds.add_file("CDNOW_master.txt", &common::read("cdnow/CDNOW_master.txt"))
        .unwrap();
    let p = loyalty_analytics::build_report(&ds)
        .purchase_patterns
        .unwrap();
    let counts: Vec<u64> = p.orders_per_customer.iter().map(|b| b.count).collect();
    assert_eq!(
        counts,
        [12054, 4040, 2205, 1436, 991, 643, 470, 378, 279, 182, 892]
    );
    let gaps = p.days_between_purchases.unwrap();
    assert_eq!((gaps.count, gaps.median, gaps.p90), (44_021, 34.0, 200.0));
    assert!((gaps.mean - 72.213_988_778_083_19).abs() < 1e-9);
    let second = p.time_to_second_purchase.unwrap();
    assert_eq!(
        (second.count, second.median, second.p90),
        (11_516, 57.0, 307.0)
    );
}
