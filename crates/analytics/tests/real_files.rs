//! Real exports from ../shared/data, read with no manual mapping. Expected
//! figures come from Python's csv module over the same files, not from this
//! crate; each test quotes its computation.

mod common;

use loyalty_analytics::ingest::{
    ArrivingFile, DateFormat, FileContent, FileSummary, Layout, RejectReason, Role,
};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, Report};

fn load(relative: &str) -> (FileSummary, Report) {
    let mut ds = Dataset::default();
    let name = relative.rsplit('/').next().unwrap();
    let summary = ds.add_file(name, &common::read(relative)).unwrap().clone();
    (summary, build_report(&ds))
}

fn role_of(summary: &FileSummary, column: &str) -> Option<Role> {
    summary
        .columns
        .iter()
        .find(|c| c.name == column)
        .and_then(|c| c.role)
}

fn assert_close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("metric present");
    assert!((actual - expected).abs() < 0.005, "{actual} != {expected}");
}

/// UCI Online Retail, gzip-compressed.
///   with gzip.open(...) as f: for row in csv.DictReader(f):
///     rows 541909; blank CustomerID 135080; used 406829; customers 4372;
///     revenue = fsum(Quantity*UnitPrice over used) = 8300065.81;
///     negative rows 8905 (= 'C' invoices with a customer), their sum -611342.09;
///     distinct InvoiceNo of non-negative rows 18536.
#[test]
fn uci_online_retail_accounting_and_revenue() {
    let (file, report) = load("uci_online_retail.csv.gz");
    assert!(file.gzip);
    assert_eq!(file.encoding, "UTF-8");
    assert_eq!(file.date_format, Some(DateFormat::Iso));
    assert_eq!(role_of(&file, "CustomerID"), Some(Role::CustomerId));
    assert_eq!(role_of(&file, "InvoiceNo"), Some(Role::OrderId));
    assert_eq!(role_of(&file, "Quantity"), Some(Role::Quantity));
    assert_eq!(role_of(&file, "UnitPrice"), Some(Role::UnitPrice));
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (541_909, 406_829, 135_080)
    );
    let reasons: Vec<(RejectReason, u64)> = file
        .rejections
        .iter()
        .map(|g| (g.reason, g.count))
        .collect();
    assert_eq!(reasons, vec![(RejectReason::MissingCustomerId, 135_080)]);
    assert_eq!(file.rejections[0].examples.len(), 100);
    assert_eq!(file.returns, 8_905);
    assert!((file.returns_value - -611_342.09).abs() < 0.005);
    assert_eq!(report.metric(metric::CUSTOMERS), Some(4_372.0));
    assert_close(report.metric(metric::REVENUE), 8_300_065.81);
    assert_eq!(report.metric(metric::ORDERS), Some(18_536.0));
}

/// The Russian home-goods shop in UTF-8 (YYYYMMDDHH dates, quantity x price)
/// and its Windows-1251 twin (Russian headers, ';', dd.mm.yyyy HH:MM, decimal comma).
///   csv.DictReader, fsum(quantity * price): both 7474 rows, 2451 customers, 5357944.42
#[test]
fn russian_shop_and_its_windows_1251_twin_agree() {
    let (utf8, a) = load("ru_ecom_home_goods_orders.csv");
    let (cp1251, b) = load("ru_ecom_home_goods_orders_cp1251.csv");
    assert_eq!(
        (utf8.encoding.as_str(), utf8.layout),
        ("UTF-8", Layout::Delimited(','))
    );
    assert_eq!(utf8.date_format, Some(DateFormat::Compact));
    assert_eq!(
        (cp1251.encoding.as_str(), cp1251.layout),
        ("windows-1251", Layout::Delimited(';'))
    );
    assert_eq!(cp1251.date_format, Some(DateFormat::DayMonthYearDots));
    assert_eq!(role_of(&cp1251, "ID клиента"), Some(Role::CustomerId));
    assert_eq!(role_of(&cp1251, "Цена, руб."), Some(Role::UnitPrice));
    for report in [&a, &b] {
        assert_eq!(report.metric(metric::ROWS_USED), Some(7_474.0));
        assert_eq!(report.metric(metric::CUSTOMERS), Some(2_451.0));
        assert_close(report.metric(metric::REVENUE), 5_357_944.42);
    }
    assert_eq!(a.metrics, b.metrics);
    assert_eq!(a.monthly_activity, b.monthly_activity);
}

/// The Windows-1251 twin read as the browser worker reads it: in 8 KiB
/// slices, decoded as they arrive (the raw bytes are not kept whole). Same
/// summary and same report as the file read whole.
#[test]
fn windows_1251_decoded_on_arrival_reads_as_the_whole_file() {
    let name = "ru_ecom_home_goods_orders_cp1251.csv";
    let bytes = common::read(name);
    let (whole, whole_report) = load(name);
    let mut arriving = ArrivingFile::new(bytes.len(), true);
    for slice in bytes.chunks(8 << 10) {
        arriving.push(slice);
    }
    let content = arriving.finish();
    assert!(
        matches!(content, FileContent::Text { .. }),
        "decoded on arrival"
    );
    let mut ds = Dataset::default();
    let summary = ds
        .add_content_with(name, &content, &Default::default(), &mut |_| {})
        .unwrap()
        .clone();
    assert_eq!(summary, whole);
    assert_eq!(build_report(&ds), whole_report);
}

/// Superstore order lines: "Order Date" before "Ship Date", "Customer ID"
/// before "Customer Name", Sales as the amount.
///   9994 rows, 793 customers, 5009 orders, fsum(Sales) 2297200.86, 2018-01-03..2021-12-30
#[test]
fn superstore_order_lines() {
    let (file, report) = load("prepbench_case160_superstore_orders.csv");
    assert_eq!(role_of(&file, "Order Date"), Some(Role::Date));
    assert_eq!(role_of(&file, "Ship Date"), None);
    assert_eq!(role_of(&file, "Customer ID"), Some(Role::CustomerId));
    assert_eq!(role_of(&file, "Sales"), Some(Role::Amount));
    assert_eq!(report.metric(metric::ROWS_USED), Some(9_994.0));
    assert_eq!(report.metric(metric::CUSTOMERS), Some(793.0));
    assert_eq!(report.metric(metric::ORDERS), Some(5_009.0));
    assert_close(report.metric(metric::REVENUE), 2_297_200.86);
    assert_eq!(report.first_date, "2018-01-03".parse().ok());
    assert_eq!(report.last_date, "2021-12-30".parse().ok());
}
