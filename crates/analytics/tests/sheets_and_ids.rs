//! Issue 18, points 6 and 7: a workbook with one sheet per year is read as
//! one file, each sheet accounted apart; a file with names but no customer
//! id gets its id from the names.
//!
//! tests/fixtures/orders_by_year.xlsx is SYNTHETIC, written by
//! tests/fixtures/make_multisheet.py with openpyxl (not the reader under
//! test), which prints the figures below from the rows it wrote:
//!
//! ```text
//! sheet rows_read rows_used rows_rejected customers revenue
//! 2022 13 13 0 9 1506.88
//! 2023 13 10 3 7 1225.75
//! 2024 10 9 1 8 1306.67
//! customers 11
//! transactions 32
//! orders 31
//! revenue 4039.3
//! first 2022-04-03 last 2024-12-02
//! ```
//!
//! Sheet "2023": row 1 a title, row 2 blank, row 3 the header, rows 4-13
//! orders, row 14 an order without a customer id. Sheet "2024": the header
//! with trailing spaces, rows 2-10 orders, row 11 an amount "n/a". Sheet
//! "Notes" has other columns; "Blank" is empty.

use loyalty_analytics::display::Locale;
use loyalty_analytics::ingest::{FileNote, ReadOptions, RecordKind, RejectReason, Role, SheetRows};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, IngestError, Report};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read(name: &str, bytes: &[u8], options: &ReadOptions) -> (Dataset, Report) {
    let mut ds = Dataset::default();
    ds.add_file_with(name, bytes, options, &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let report = build_report(&ds);
    (ds, report)
}

fn sheet_rows(sheet: &str, read: u64, used: u64, rejected: u64) -> SheetRows {
    SheetRows {
        sheet: sheet.into(),
        rows_read: read,
        rows_used: used,
        rows_rejected: rejected,
    }
}

#[test]
fn sheets_with_the_same_header_are_read_together() {
    let (_, report) = read(
        "orders_by_year.xlsx",
        &fixture("orders_by_year.xlsx"),
        &ReadOptions::default(),
    );
    let file = &report.files[0];
    assert_eq!(file.kind, RecordKind::Transactions);
    assert_eq!(file.sheets, ["2022", "2023", "2024", "Notes", "Blank"]);
    assert_eq!(file.sheet.as_deref(), Some("2022"));
    assert_eq!(
        file.sheets_read,
        vec![
            sheet_rows("2022", 13, 13, 0),
            sheet_rows("2023", 13, 10, 3),
            sheet_rows("2024", 10, 9, 1),
        ]
    );
    // 13 + 13 + 10 rows, 13 + 10 + 9 used.
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (36, 32, 4)
    );
    assert_eq!(file.customers, 11);
    assert_eq!(report.metric(metric::CUSTOMERS), Some(11.0));
    assert_eq!(report.metric(metric::TRANSACTIONS), Some(32.0));
    assert_eq!(report.metric(metric::ORDERS), Some(31.0));
    assert!((report.metric(metric::REVENUE).unwrap() - 4039.30).abs() < 0.005);
    assert_eq!(report.first_date, "2022-04-03".parse().ok());
    assert_eq!(report.last_date, "2024-12-02".parse().ok());

    // Each rejected row says its sheet and its row there.
    let mut found: Vec<(RejectReason, Option<&str>, u64, &str)> = file
        .rejections
        .iter()
        .flat_map(|g| {
            g.examples
                .iter()
                .map(move |e| (g.reason, e.sheet.as_deref(), e.line, e.column.as_str()))
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (RejectReason::BlankRow, Some("2023"), 2, ""),
            (
                RejectReason::MissingCustomerId,
                Some("2023"),
                14,
                "customer_id"
            ),
            (RejectReason::UnreadableAmount, Some("2024"), 11, "amount"),
            (RejectReason::TitleRow, Some("2023"), 1, ""),
        ]
    );

    // "Notes" has other columns: listed, not read, and said so; the empty
    // "Blank" is not worth a word.
    assert_eq!(
        file.notes,
        vec![FileNote::SheetsSkipped {
            sheets: vec!["Notes".into()]
        }]
    );
    let said = file.notes[0].describe_in(Locale::En);
    assert!(said.contains("'Notes'"), "{said}");
    assert!(file.notes[0].describe_in(Locale::Ru).contains("«Notes»"));
}

#[test]
fn a_chosen_sheet_is_read_alone_and_several_can_be_chosen() {
    let bytes = fixture("orders_by_year.xlsx");
    let one = ReadOptions {
        sheet: Some("2023".into()),
        ..ReadOptions::default()
    };
    let (_, report) = read("orders_by_year.xlsx", &bytes, &one);
    let file = &report.files[0];
    assert_eq!(file.sheet.as_deref(), Some("2023"));
    assert_eq!(file.sheets_read, vec![sheet_rows("2023", 13, 10, 3)]);
    assert_eq!(file.notes, vec![]);
    // One sheet: its rows need no sheet name.
    assert!(file
        .rejections
        .iter()
        .all(|g| g.examples.iter().all(|e| e.sheet.is_none())));
    assert_eq!(report.metric(metric::CUSTOMERS), Some(7.0));
    assert!((report.metric(metric::REVENUE).unwrap() - 1225.75).abs() < 0.005);

    // The same through `sheets`, and two years together.
    let listed = ReadOptions {
        sheets: Some(vec!["2023".into()]),
        ..ReadOptions::default()
    };
    assert_eq!(
        read("orders_by_year.xlsx", &bytes, &listed).1.files[0].sheets_read,
        file.sheets_read
    );
    let two = ReadOptions {
        sheets: Some(vec!["2024".into(), "2022".into(), "Notes".into()]),
        ..ReadOptions::default()
    };
    let (_, report) = read("orders_by_year.xlsx", &bytes, &two);
    let file = &report.files[0];
    assert_eq!(
        file.sheets_read,
        vec![sheet_rows("2022", 13, 13, 0), sheet_rows("2024", 10, 9, 1)]
    );
    assert_eq!(
        file.notes,
        vec![FileNote::SheetsSkipped {
            sheets: vec!["Notes".into()]
        }]
    );
    assert!((report.metric(metric::REVENUE).unwrap() - (1506.88 + 1306.67)).abs() < 0.005);

    // A sheet that is not there is named with the ones that are.
    let missing = ReadOptions {
        sheets: Some(vec!["2022".into(), "2025".into()]),
        ..ReadOptions::default()
    };
    let err = Dataset::default()
        .add_file_with("orders_by_year.xlsx", &bytes, &missing, &mut |_| {})
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("there is no sheet '2025' (sheets: 2022, 2023, 2024, Notes, Blank)"),
        "{err}"
    );
}

/// tests/fixtures/receipts_by_name.csv, by hand:
///
/// ```text
/// R1 Anna Ivanova 100.00     R5 " Boris "," Petrov " 20.00 (trimmed: Boris Petrov)
/// R2 Anna Smirnova 50.00     R6 no name 15.00 -> rejected, no customer id
/// R3 Boris Petrov 70.50      R7 Cher (no last name) 40.00
/// R4 Anna Ivanova 30.00      R8 Ivan Petrov 25.00
/// ```
///
/// Customers: Anna Ivanova, Anna Smirnova, Boris Petrov, Cher, Ivan Petrov
/// = 5 (two Annas, two Petrovs, Anna Ivanova and Boris Petrov twice).
/// 8 rows, 7 used; 7 orders; revenue 100 + 50 + 70.5 + 30 + 20 + 40 + 25
/// = 335.50; repeat rate 2 / 5 = 0.4.
#[test]
fn first_and_last_names_make_the_customer_id() {
    let (ds, report) = read(
        "receipts_by_name.csv",
        &fixture("receipts_by_name.csv"),
        &ReadOptions::default(),
    );
    let file = &report.files[0];
    assert_eq!(file.kind, RecordKind::Transactions);
    assert_eq!(
        (file.rows_read, file.rows_used, file.rows_rejected),
        (8, 7, 1)
    );
    assert_eq!(file.customers, 5);
    assert_eq!(report.metric(metric::CUSTOMERS), Some(5.0));
    assert_eq!(report.metric(metric::ORDERS), Some(7.0));
    assert!((report.metric(metric::REVENUE).unwrap() - 335.50).abs() < 0.005);
    assert_eq!(report.metric(metric::REPEAT_RATE), Some(0.4));
    let mut names: Vec<&str> = (0..ds.customers.len() as u32)
        .filter_map(|id| ds.customers.name(id))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Anna Ivanova",
            "Anna Smirnova",
            "Boris Petrov",
            "Cher",
            "Ivan Petrov"
        ]
    );
    let roles: Vec<(&str, Option<Role>)> = file
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("Receipt", Some(Role::OrderId)),
            ("Date", Some(Role::Date)),
            ("First Name", Some(Role::CustomerId)),
            ("Last Name", Some(Role::CustomerId)),
            ("Total", Some(Role::Amount)),
        ]
    );
    assert_eq!(
        file.notes,
        vec![FileNote::IdFromColumns {
            columns: vec!["First Name".into(), "Last Name".into()]
        }]
    );
    assert_eq!(
        file.notes[0].describe_in(Locale::En),
        "the customer id is 'First Name' + 'Last Name' joined with a space"
    );
    let read_as = file.read_as(Locale::En);
    assert!(
        read_as.contains("Customer id ← First Name + Last Name"),
        "{read_as}"
    );
    let rejected = &file.rejections[0];
    assert_eq!(rejected.reason, RejectReason::MissingCustomerId);
    assert_eq!(
        (
            rejected.examples[0].line,
            rejected.examples[0].column.as_str()
        ),
        (7, "First Name + Last Name")
    );
}

/// The same receipts with the id columns chosen by position give the same
/// summary; choosing them wins over an id column the file has.
#[test]
fn id_columns_chosen_by_position() {
    let bytes = fixture("receipts_by_name.csv");
    let chosen = ReadOptions {
        id_columns: Some(vec![2, 3]),
        ..ReadOptions::default()
    };
    let auto = read("receipts_by_name.csv", &bytes, &ReadOptions::default()).1;
    let by_hand = read("receipts_by_name.csv", &bytes, &chosen).1;
    assert_eq!(auto.files, by_hand.files);
    assert_eq!(auto.metrics, by_hand.metrics);

    // With an id column too: the chosen parts are the id, the other column
    // loses the role. Ids "a1".."a3" would make three customers; the names
    // make two.
    let text = "Client ID,First Name,Last Name,Date,Amount\n\
                a1,Anna,Ivanova,2024-01-01,10\n\
                a2,Anna,Ivanova,2024-01-02,20\n\
                a3,Boris,Petrov,2024-01-03,30\n";
    let plain = read("ids.csv", text.as_bytes(), &ReadOptions::default()).1;
    assert_eq!(plain.metric(metric::CUSTOMERS), Some(3.0));
    assert_eq!(plain.files[0].notes, vec![]);
    let names = ReadOptions {
        id_columns: Some(vec![1, 2]),
        ..ReadOptions::default()
    };
    let joined = read("ids.csv", text.as_bytes(), &names).1;
    assert_eq!(joined.metric(metric::CUSTOMERS), Some(2.0));
    assert_eq!(joined.files[0].columns[0].role, None);

    // Several columns mapped as the customer id (the mapping panel sends
    // roles so) are joined as well.
    let roles = ReadOptions {
        roles: Some(vec![
            None,
            Some(Role::CustomerId),
            Some(Role::CustomerId),
            Some(Role::Date),
            Some(Role::Amount),
        ]),
        ..ReadOptions::default()
    };
    assert_eq!(
        read("ids.csv", text.as_bytes(), &roles)
            .1
            .metric(metric::CUSTOMERS),
        Some(2.0)
    );

    // A column that is not there is an error naming the file, not a panic.
    let beyond = ReadOptions {
        id_columns: Some(vec![1, 9]),
        ..ReadOptions::default()
    };
    let err = Dataset::default()
        .add_file_with("ids.csv", text.as_bytes(), &beyond, &mut |_| {})
        .unwrap_err();
    assert!(matches!(
        err,
        IngestError::NoSuchColumn {
            column: 10,
            columns: 5,
            ..
        }
    ));
    assert!(err.to_string().starts_with("ids.csv: column 10"), "{err}");
}

/// Russian receipts: Фамилия, Имя, Отчество joined in column order. By hand:
/// Иванова Анна Петровна twice (one customer), Иванова Анна Сергеевна
/// (another: same surname and name), Петров Борис (no patronymic) = 3
/// customers, 4 rows, revenue 1000 + 500 + 700 + 300 = 2500.
#[test]
fn russian_name_columns_make_the_customer_id() {
    let text = "Фамилия;Имя;Отчество;Дата;Сумма\n\
                Иванова;Анна;Петровна;01.02.2024;1000\n\
                Иванова;Анна;Сергеевна;02.02.2024;500\n\
                Петров;Борис;;03.02.2024;700\n\
                Иванова;Анна;Петровна;04.03.2024;300\n";
    let (ds, report) = read("чеки.csv", text.as_bytes(), &ReadOptions::default());
    assert_eq!(report.metric(metric::CUSTOMERS), Some(3.0));
    assert_eq!(report.metric(metric::REVENUE), Some(2500.0));
    assert_eq!(ds.customers.name(0), Some("Иванова Анна Петровна"));
    assert_eq!(ds.customers.name(2), Some("Петров Борис"));
    let file = &report.files[0];
    assert_eq!(
        file.notes[0].describe_in(Locale::Ru),
        "Код клиента составлен из «Фамилия» + «Имя» + «Отчество» через пробел"
    );
}

/// Names beside an id column change nothing: the id stays the id.
#[test]
fn names_beside_an_id_are_not_the_id() {
    let text = "customer_id,first_name,last_name,order_date,amount\n\
                1,Anna,Ivanova,2024-01-01,10\n\
                2,Anna,Ivanova,2024-01-02,20\n";
    let (_, report) = read("orders.csv", text.as_bytes(), &ReadOptions::default());
    assert_eq!(report.metric(metric::CUSTOMERS), Some(2.0));
    assert_eq!(report.files[0].notes, vec![]);
    let roles: Vec<Option<Role>> = report.files[0].columns.iter().map(|c| c.role).collect();
    assert_eq!(roles[..3], [Some(Role::CustomerId), None, None]);
}

/// Summaries and options saved before these fields existed still load.
#[test]
fn older_json_without_the_new_fields_still_reads() {
    let (_, report) = read(
        "orders_by_year.xlsx",
        &fixture("orders_by_year.xlsx"),
        &ReadOptions::default(),
    );
    let mut json = serde_json::to_value(&report.files[0]).unwrap();
    json.as_object_mut().unwrap().remove("sheets_read");
    for group in json["rejections"].as_array_mut().unwrap() {
        for example in group["examples"].as_array_mut().unwrap() {
            example.as_object_mut().unwrap().remove("sheet");
        }
    }
    let old: loyalty_analytics::ingest::FileSummary = serde_json::from_value(json).unwrap();
    assert!(old.sheets_read.is_empty());
    assert_eq!(old.rows_read, 36);
    let options: ReadOptions = serde_json::from_str(
        r#"{"sheet":"2023","encoding":null,"has_header":null,"roles":null,"date_format":null}"#,
    )
    .unwrap();
    assert_eq!((options.sheets, options.id_columns), (None, None));
    // Rows of sheets read together name their sheet; a text file's rows
    // say nothing of sheets, as before.
    let text = serde_json::to_string(&report.files[0].rejections).unwrap();
    assert!(text.contains(r#""sheet":"2023""#), "{text}");
    let (_, csv) = read(
        "receipts_by_name.csv",
        &fixture("receipts_by_name.csv"),
        &ReadOptions::default(),
    );
    let text = serde_json::to_string(&csv.files[0].rejections).unwrap();
    assert!(!text.contains("sheet"), "{text}");
}
