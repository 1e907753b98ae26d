//! A file read in slices (as the worker pool reads it: the first part by
//! one worker, each later slice apart by another, then joined) gives what
//! reading it whole gives: the same rows, ids, accounting, file summary and
//! Report. The expected side is the file read whole by the same reader,
//! which the rest of the suite checks against independent figures.

mod common;
mod slices_support;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// [`slices_support::same_either_way`] inside a proptest case.
fn same_either_way(
    before: Option<&[u8]>,
    bytes: &[u8],
    at: &[usize],
    head: usize,
) -> Result<bool, TestCaseError> {
    slices_support::same_either_way(before, bytes, at, head, true).map_err(TestCaseError::fail)
}

/// A line of an export of orders, sometimes the kind of mess exports hold.
fn line() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        6 => (0u32..400).prop_map(|n| n.to_string()),
        2 => "[a-c][0-9]{1,2}",
        1 => Just(String::new()),
        1 => Just("Итого".to_string()),
    ];
    let date = prop_oneof![
        8 => (2019i32..2025, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => Just("2024-02-30".to_string()),
        1 => Just(String::new()),
    ];
    let amount = prop_oneof![
        8 => (-2000i64..50_000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        1 => Just("n/a".to_string()),
        1 => Just("12,5".to_string()),
    ];
    let order =
        prop_oneof![3 => (0u32..900).prop_map(|n| format!("o{n}")), 1 => Just(String::new())];
    let channel = prop_oneof![Just("web"), Just("shop"), Just("app"), Just("")];
    let ending = prop_oneof![6 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\n\n")];
    prop_oneof![
        30 => (id, date, amount, order, channel, ending.clone())
            .prop_map(|(i, d, a, o, c, e)| format!("{i},{d},{a},{o},{c}{e}")),
        1 => ending.clone().prop_map(|e| format!("customer_id,date,amount,order_id,channel{e}")),
        1 => ending.prop_map(|e| format!(",,,,{e}")),
        1 => Just("short\n".to_string()),
    ]
}

/// The header, enough clean rows for the whole sample the table is decided
/// on, then `lines`.
fn export(lines: &[String], clean: usize) -> Vec<u8> {
    let mut text = String::from("customer_id,date,amount,order_id,channel\n");
    for i in 0..clean {
        text.push_str(&format!(
            "{},2020-{:02}-{:02},{}.50,o{},{}\n",
            i % 97,
            i % 12 + 1,
            i % 28 + 1,
            i % 50,
            i,
            ["web", "shop"][i % 2]
        ));
    }
    for l in lines {
        text.push_str(l);
    }
    text.into_bytes()
}

/// Generated exports cut at random places, with and without an earlier
/// file: the same as whole every time the slices are accepted, and they
/// are accepted often enough to mean something (the runner is seeded, so
/// the count is the same on every run).
#[test]
fn generated_exports_read_the_same_in_slices() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 100,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let accepted = std::cell::Cell::new(0u32);
    let cases = std::cell::Cell::new(0u32);
    let strategy = (
        prop::collection::vec(line(), 0..400),
        200usize..260,
        prop::collection::vec(-0.05f64..1.0, 1..5),
        prop::bool::ANY,
        prop_oneof![3 => Just(usize::MAX), 1 => 0usize..20_000],
    );
    runner
        .run(&strategy, |(lines, clean, cuts, earlier, head)| {
            let bytes = export(&lines, clean);
            // Mostly after the sample (cuts within it are refused), where
            // the generated lines are.
            let sample_end = export(&[], clean).len() - 1;
            let at: Vec<usize> = cuts
                .iter()
                .map(|f| sample_end + (f * (bytes.len() - sample_end) as f64) as usize)
                .collect();
            let before = earlier.then_some(slices_support::EARLIER);
            cases.set(cases.get() + 1);
            if same_either_way(before, &bytes, &at, head)? {
                accepted.set(accepted.get() + 1);
            }
            Ok(())
        })
        .expect("slices read as the whole file");
    eprintln!(
        "{} of {} generated exports read in slices",
        accepted.get(),
        cases.get()
    );
    assert_eq!(cases.get(), 100);
    assert!(accepted.get() >= 80, "only {} accepted", accepted.get());
}

/// CDNOW's master file (whitespace columns, 69,659 rows), cut in 2 to 6
/// slices: the same rows and Report.
#[test]
fn cdnow_reads_the_same_in_slices() {
    let bytes = common::read("cdnow/CDNOW_master.txt");
    for parts in 2..=6usize {
        let at: Vec<usize> = (1..parts).map(|k| bytes.len() * k / parts).collect();
        let accepted = same_either_way(None, &bytes, &at, 1 << 20).expect("same either way");
        assert!(accepted, "{parts} slices refused");
    }
}

/// What the slices cannot read the same is refused, and the dataset is
/// left as it was: quoted fields (a line feed could be inside one), a head
/// too short for the sample, text in another encoding, a workbook.
#[test]
fn what_may_read_differently_is_refused() {
    let quoted = common::read("prepbench_case160_superstore_orders.csv");
    let half = [quoted.len() / 2];
    assert!(!same_either_way(None, &quoted, &half, usize::MAX).expect("untouched"));

    let clean: Vec<u8> = export(&[], 600);
    let cut = [clean.len() / 2];
    assert!(same_either_way(None, &clean, &cut, usize::MAX).expect("same"));
    // A head of 50 lines holds less than the sample of 200 records.
    assert!(!same_either_way(None, &clean, &cut, 2_000).expect("untouched"));
    // Cut within the sample: the first part holds less than it.
    assert!(!same_either_way(None, &clean, &[3_000], usize::MAX).expect("untouched"));

    let cp1251 = common::read("ru_ecom_home_goods_orders_cp1251.csv");
    assert!(!same_either_way(None, &cp1251, &[cp1251.len() / 2], usize::MAX).expect("untouched"));

    // A second half that is not UTF-8: reading whole would decode the file
    // as a legacy encoding.
    let mut mixed = clean.clone();
    mixed.extend_from_slice("7,2021-01-02,1.00,o1,caf\u{e9}\n".as_bytes());
    let at = mixed.len() - 3;
    mixed[at] = 0xe9;
    mixed.truncate(at + 1);
    mixed.push(b'\n');
    assert!(!same_either_way(None, &mixed, &[clean.len() - 10], usize::MAX).expect("untouched"));

    // Within the first part, which arrives in pieces, past the sample: a
    // quote or a byte of another encoding is refused; a byte order mark at
    // a line's start reads as reading whole reads it, or is refused.
    let rows = &clean[clean.iter().position(|&b| b == b'\n').expect("a header") + 1..];
    let odd: [(&[u8], bool); 3] = [
        (b"8,2021-01-03,\"1.00\",o2,web\n", false),
        (b"8,2021-01-03,1.00,o2,caf\xe9\n", false),
        ("\u{feff}8,2021-01-03,1.00,o2,web\n".as_bytes(), true),
    ];
    for (line, may_read) in odd {
        let text = [&clean[..], line, rows].concat();
        let cut = [text.len() - rows.len() / 2];
        for head in [usize::MAX, 9_000] {
            let read = same_either_way(None, &text, &cut, head).expect("same, or untouched");
            assert!(may_read || !read, "{line:?}");
        }
    }

    // A byte order mark at the file's start (Excel's "CSV UTF-8"): read in
    // slices, and as it arrives, the same as whole.
    let marked = ["\u{feff}".as_bytes(), &clean[..]].concat();
    for head in [usize::MAX, 9_000] {
        let read = same_either_way(None, &marked, &[marked.len() / 2], head).expect("same");
        assert!(read, "a file with a byte order mark was refused");
    }
}
