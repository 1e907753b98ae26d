//! The currency of a file's amounts, read off its money columns' headers,
//! and files in different currencies named. Expected by reading the headers
//! ("Цена, руб." in the cp1251 export's header line, as SOURCES.md lists it).

mod common;

use loyalty_analytics::ingest::Currency;
use loyalty_analytics::report::{analyse, metric, Settings};
use loyalty_analytics::Dataset;

#[test]
fn a_russian_export_in_roubles_beside_a_shop_in_dollars_is_named() {
    let mut ds = Dataset::default();
    let rub = ds
        .add_file(
            "ru.csv",
            &common::read("ru_ecom_home_goods_orders_cp1251.csv"),
        )
        .unwrap()
        .clone();
    assert_eq!(rub.currency, Some(Currency::Rub));
    // The original export's header says no currency ("price").
    let plain = ds
        .add_file("plain.csv", &common::read("ru_ecom_home_goods_orders.csv"))
        .unwrap()
        .clone();
    assert_eq!(plain.currency, None);
    let money = analyse(&ds, &Settings::default()).report.money;
    let money = money.expect("one file names roubles");
    assert_eq!(
        (money.currency, money.currencies().len()),
        (Currency::Rub, 1)
    );
    assert!(money.left_out.is_empty(), "one currency named");

    let usd =
        b"customer_id,order_date,Order total (USD)\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\n";
    let usd = ds.add_file("us.csv", usd).unwrap().clone();
    assert_eq!(usd.currency, Some(Currency::Usd));
    let money = analyse(&ds, &Settings::default()).report.money;
    let named: Vec<(String, Currency)> = money
        .expect("files name currencies")
        .files
        .into_iter()
        .map(|f| (f.file, f.currency))
        .collect();
    assert_eq!(
        named,
        [
            ("ru.csv".to_string(), Currency::Rub),
            ("us.csv".to_string(), Currency::Usd)
        ]
    );
}

/// A shop in dollars, hand-summed: purchases 12.50 + 30.00 + 8.00 = 50.50,
/// one return of 5.00, so revenue in dollars is 45.50.
const USD_SHOP: &[u8] = b"customer_id,order_date,Order total (USD)\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\nA1,2024-03-01,8.00\nA2,2024-03-09,-5.00\n";

#[test]
fn money_figures_are_in_one_currency_and_say_which_files_were_left_out() {
    let roubles = common::read("ru_ecom_home_goods_orders_cp1251.csv");
    let mut alone = Dataset::default();
    alone.add_file("ru.csv", &roubles).unwrap();
    let alone = analyse(&alone, &Settings::default()).report;
    let mut both = Dataset::default();
    both.add_file("ru.csv", &roubles).unwrap();
    both.add_file("us.csv", USD_SHOP).unwrap();

    // By default the currency of the files holding the most rows: roubles.
    let in_roubles = analyse(&both, &Settings::default()).report;
    let money = in_roubles.money.as_ref().expect("files name currencies");
    assert_eq!(money.currency, Currency::Rub);
    assert_eq!(money.left_out, ["us.csv"]);
    assert_eq!(money.returns_left_out, 1);
    assert_eq!(money.currencies(), [Currency::Rub, Currency::Usd]);
    // Revenue is the roubles file's alone; the dollar purchases still count
    // as purchases and their customers as customers (the return is gone).
    assert_eq!(
        in_roubles.metric(metric::REVENUE),
        alone.metric(metric::REVENUE)
    );
    let count = |r: &loyalty_analytics::Report, id| r.metric(id).unwrap_or(f64::NAN);
    assert_eq!(
        count(&in_roubles, metric::CUSTOMERS),
        count(&alone, metric::CUSTOMERS) + 2.0
    );
    assert_eq!(
        count(&in_roubles, metric::TRANSACTIONS),
        count(&alone, metric::TRANSACTIONS) + 3.0
    );

    // The HTML report says it too, in both languages.
    use loyalty_analytics::html_report::{standalone_html, Lang};
    let html = standalone_html(&in_roubles, Lang::En);
    assert!(html.contains("Money figures are in RUB."), "English note");
    assert!(html.contains("us.csv (USD)"));
    let html = standalone_html(&in_roubles, Lang::Ru);
    assert!(
        html.contains("Денежные показатели — в RUB."),
        "Russian note"
    );

    // In dollars: the hand sum, and the roubles file is the one left out.
    let settings = Settings {
        currency: Some(Currency::Usd),
        ..Settings::default()
    };
    let in_dollars = analyse(&both, &settings).report;
    let money = in_dollars.money.as_ref().expect("files name currencies");
    assert_eq!(money.currency, Currency::Usd);
    assert_eq!(money.left_out, ["ru.csv"]);
    assert_eq!(money.returns_left_out, 0);
    let revenue = in_dollars.metric(metric::REVENUE).expect("revenue");
    assert!((revenue - 45.50).abs() < 1e-9, "{revenue}");

    // A choice no file names (kept from other files) is not used: euros
    // would leave every amount out.
    let settings = Settings {
        currency: Some(Currency::Eur),
        ..Settings::default()
    };
    let report = analyse(&both, &settings).report;
    assert_eq!(
        report.money.as_ref().map(|m| m.currency),
        Some(Currency::Rub)
    );
    assert_eq!(
        report.metric(metric::REVENUE),
        in_roubles.metric(metric::REVENUE)
    );
    assert_eq!(
        count(&in_dollars, metric::TRANSACTIONS),
        count(&alone, metric::TRANSACTIONS) + 4.0
    );
}

#[test]
fn values_name_the_currency_when_the_header_does_not_and_the_user_can_say() {
    let mut ds = Dataset::default();
    let by_values = b"client;date;total\nB1;05.01.2024;1 200,50 \xd1\x80\xd1\x83\xd0\xb1.\nB2;07.02.2024;300 \xd1\x80\xd1\x83\xd0\xb1.\n";
    let summary = ds.add_file("rub_values.csv", by_values).unwrap();
    assert_eq!(summary.currency, Some(Currency::Rub));
    let unnamed = b"customer_id,order_date,amount\nA1,2024-01-05,12.50\n";
    assert_eq!(ds.add_file("plain.csv", unnamed).unwrap().currency, None);
    let options = loyalty_analytics::ingest::ReadOptions {
        currency: Some(Currency::Eur),
        ..Default::default()
    };
    let set = ds
        .add_file_with("eur.csv", unnamed, &options, &mut |_| {})
        .unwrap();
    assert_eq!(set.currency, Some(Currency::Eur));
}
