//! The currency of a file's amounts, read off its money columns' headers,
//! and files in different currencies named. Expected by reading the headers
//! ("Цена, руб." in the cp1251 export's header line, as SOURCES.md lists it).

mod common;

use loyalty_analytics::ingest::{mixed_currencies, Currency};
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
    assert_eq!(rub.currency(), Some(Currency::Rub));
    // The original export's header says no currency ("price").
    let plain = ds
        .add_file("plain.csv", &common::read("ru_ecom_home_goods_orders.csv"))
        .unwrap()
        .clone();
    assert_eq!(plain.currency(), None);
    assert!(mixed_currencies(&ds.files).is_empty(), "one currency named");

    let usd =
        b"customer_id,order_date,Order total (USD)\nA1,2024-01-05,12.50\nA2,2024-02-07,30.00\n";
    let usd = ds.add_file("us.csv", usd).unwrap().clone();
    assert_eq!(usd.currency(), Some(Currency::Usd));
    let mixed = mixed_currencies(&ds.files);
    assert_eq!(
        mixed,
        [
            ("ru.csv".to_string(), Currency::Rub),
            ("us.csv".to_string(), Currency::Usd)
        ]
    );
}
