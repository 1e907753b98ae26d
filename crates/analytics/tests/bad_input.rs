//! Bad input: whole-file errors name the file (and line and column where there
//! is one); bad rows are counted, grouped and located, never dropped silently.

use loyalty_analytics::ingest::RejectReason;
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, IngestError};

fn load(name: &str, text: &[u8]) -> (Dataset, Result<(), IngestError>) {
    let mut ds = Dataset::default();
    let result = ds.add_file(name, text).map(|_| ());
    (ds, result)
}

#[test]
fn empty_file() {
    let err = load("empty.csv", b"").1.unwrap_err();
    assert_eq!(
        err,
        IngestError::Empty {
            file: "empty.csv".into()
        }
    );
    assert!(err.to_string().starts_with("empty.csv: the file is empty"));
}

#[test]
fn binary_file() {
    // The first bytes of a PNG image.
    let err = load("photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
        .1
        .unwrap_err();
    assert!(
        matches!(err, IngestError::Binary { offset: 6, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("photo.csv"));
}

#[test]
fn no_recognisable_columns() {
    let err = load("notes.csv", b"colour,size\nred,1\nblue,2\n")
        .1
        .unwrap_err();
    assert_eq!(
        err,
        IngestError::NoRecognisedColumns {
            file: "notes.csv".into(),
            found: "colour, size".into(),
            refused: Default::default(),
            columns: vec!["colour".into(), "size".into()],
            preview: vec![
                vec!["red".into(), "1".into()],
                vec!["blue".into(), "2".into()],
            ],
        }
    );
    // Plain prose: one column, nothing to recognise.
    let err = load(
        "letter.txt",
        "Dear team,\nplease find attached.\n".as_bytes(),
    )
    .1
    .unwrap_err();
    assert!(
        matches!(err, IngestError::NoRecognisedColumns { .. }),
        "{err:?}"
    );
}

#[test]
fn dates_that_cannot_be_read() {
    let text = b"customer_id,date,amount\n1,someday,10\n2,next week,5\n";
    let err = load("orders.csv", text).1.unwrap_err();
    assert_eq!(
        err,
        IngestError::UnreadableDates {
            file: "orders.csv".into(),
            line: 2,
            column: "date".into(),
            value: "someday".into()
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("orders.csv: line 2, column 'date'"),
        "{message}"
    );
}

#[test]
fn bad_rows_are_rejected_with_their_lines_and_the_rest_is_used() {
    let text = "customer_id;date;amount\n\
                a;2024-01-05;10,50\n\
                ;2024-01-06;3\n\
                b;2024-13-01;4\n\
                c;2024-01-07;lots\n\
                d;2024-01-08\n\
                e;2024-02-01;1 000,00\n";
    let (ds, result) = load("mixed.csv", text.as_bytes());
    result.unwrap();
    let file = &ds.files[0];
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (6, 2, 4)
    );
    let found: Vec<(RejectReason, u64, &str, &str)> = file
        .rejections
        .iter()
        .flat_map(|g| {
            g.examples
                .iter()
                .map(move |e| (g.reason, e.line, e.column.as_str(), e.value.as_str()))
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (RejectReason::MissingFields, 6, "amount", ""),
            (RejectReason::MissingCustomerId, 3, "customer_id", ""),
            (RejectReason::UnreadableDate, 4, "date", "2024-13-01"),
            (RejectReason::UnreadableAmount, 5, "amount", "lots"),
        ]
    );
    let report = build_report(&ds);
    assert_eq!(report.metric(metric::REVENUE), Some(1010.5));
    assert_eq!(report.metric(metric::ROWS_REJECTED), Some(4.0));
}

#[test]
fn a_failed_file_leaves_the_others_intact() {
    let mut ds = Dataset::default();
    ds.add_file("good.csv", b"client,date\nx,2024-01-01\ny,2024-01-02\n")
        .unwrap();
    ds.add_file("bad.csv", b"client,date\nz,never\n")
        .unwrap_err();
    assert_eq!(ds.transactions.len(), 2);
    assert_eq!(ds.files.len(), 1);
    assert_eq!(build_report(&ds).metric(metric::CUSTOMERS), Some(2.0));
}

#[test]
fn russian_headers_and_values() {
    let text = "Дата заказа;ID клиента;Номер заказа;Товар;Количество;Цена, руб.\n\
                01.10.2018 00:00;k1;68477;Алое Вера, d12;1;142,0\n\
                01.10.2018 00:00;k1;68477;Кофе Арабика;2;194,0\n\
                02.11.2018 10:00;k2;68478;Радермахера;1;112,5\n";
    let (ds, result) = load("заказы.csv", text.as_bytes());
    result.unwrap();
    let report = build_report(&ds);
    // 1*142 + 2*194 + 1*112.5
    assert_eq!(report.metric(metric::REVENUE), Some(642.5));
    assert_eq!(report.metric(metric::ORDERS), Some(2.0));
    assert_eq!(report.metric(metric::CUSTOMERS), Some(2.0));
}

#[test]
fn repeated_headers_and_totals_lines_are_recognised() {
    // Two exports glued together, with an "Итого" line under each.
    let text = "Клиент;Дата;Сумма\n\
                a;01.02.2024;10\n\
                Итого:;;10\n\
                Клиент;Дата;Сумма\n\
                b;02.02.2024;5\n\
                Total;;5\n";
    let (ds, result) = load("glued.csv", text.as_bytes());
    result.unwrap();
    let file = &ds.files[0];
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (5, 2, 3)
    );
    let reasons: Vec<(RejectReason, u64)> = file
        .rejections
        .iter()
        .map(|g| (g.reason, g.count))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (RejectReason::RepeatedHeader, 1),
            (RejectReason::TotalsRow, 2)
        ]
    );
    assert_eq!(build_report(&ds).metric(metric::REVENUE), Some(15.0));
}

#[test]
fn excel_serial_dates_in_a_date_column() {
    // =DATE(2024,1,31) is 45322 in Excel; 45323 the day after.
    let (ds, result) = load(
        "serials.csv",
        b"customer,order date,amount\nx,45322,1\ny,45323.5,2\n",
    );
    result.unwrap();
    let report = build_report(&ds);
    assert_eq!(report.first_date, "2024-01-31".parse().ok());
    assert_eq!(report.last_date, "2024-02-01".parse().ok());
}
