//! The optimised analyses against their earlier, plainer versions
//! (`reference/`): equal results, float for float, on generated
//! transactions with returns, order ids on some rows only, several files
//! and a segment column, for every period and several churn windows.

mod reference;

use loyalty_analytics::metrics::base::{base_figures, monthly_activity};
use loyalty_analytics::metrics::customer_base::period_retention;
use loyalty_analytics::metrics::lifecycle::lifecycle;
use loyalty_analytics::metrics::purchase_patterns::purchase_patterns;
use loyalty_analytics::metrics::retention::{cohort_matrix, Period};
use loyalty_analytics::metrics::segment_breakdown::segment_retention;
use loyalty_analytics::report::NaiveDate;
use loyalty_analytics::Dataset;
use proptest::prelude::*;
use reference::*;

/// (customer, day offset, cents, order id or none, channel)
type Row = (u32, i64, i64, Option<u32>, u8);

fn rows(customers: u32, days: i64) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0..customers,
            0..days,
            prop_oneof![6 => 1i64..50_000, 1 => -5_000i64..0, 1 => Just(0i64)],
            prop_oneof![2 => Just(None), 1 => (0u32..60).prop_map(Some)],
            0u8..4,
        ),
        1..300,
    )
}

/// The rows as one or two CSV files (with and without an order id column).
fn dataset(rows: &[Row], start: NaiveDate, split: usize) -> Dataset {
    let mut ds = Dataset::default();
    let split = split.min(rows.len());
    for (n, part) in [&rows[..split], &rows[split..]].into_iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let with_orders = n == 0;
        let mut text = String::from(if with_orders {
            "customer_id,date,amount,order_id,channel\n"
        } else {
            "customer_id,date,amount,channel\n"
        });
        for &(c, day, cents, order, channel) in part {
            let date = start + chrono::TimeDelta::days(day);
            let amount = format!(
                "{}{}.{:02}",
                if cents < 0 { "-" } else { "" },
                cents.abs() / 100,
                cents.abs() % 100
            );
            let channel = ["web", "app", "shop", ""][channel as usize];
            if with_orders {
                let order = order.map(|o| format!("o{o}")).unwrap_or_default();
                text.push_str(&format!("c{c},{date},{amount},{order},{channel}\n"));
            } else {
                text.push_str(&format!("c{c},{date},{amount},{channel}\n"));
            }
        }
        ds.add_file(&format!("part{n}.csv"), text.as_bytes())
            .unwrap();
    }
    ds
}

fn check(ds: &Dataset) -> Result<(), TestCaseError> {
    let tx = &ds.transactions;
    prop_assert_eq!(base_figures(tx), ref_base_figures(tx));
    prop_assert_eq!(monthly_activity(tx), ref_monthly_activity(tx));
    prop_assert_eq!(purchase_patterns(tx), ref_purchase_patterns(tx));
    for period in [Period::Week, Period::Month, Period::Quarter] {
        prop_assert_eq!(cohort_matrix(tx, period), ref_cohort_matrix(tx, period));
        prop_assert_eq!(lifecycle(tx, period), ref_lifecycle(tx, period));
        for window in [0, 1, 7, 30, 90, 365, u32::MAX] {
            let base = period_retention(tx, period, window);
            prop_assert_eq!(
                &base,
                &ref_period_retention(tx, period, window),
                "{:?} {}",
                period,
                window
            );
            // Retention cannot pass 100%, and with churn it makes the whole base.
            for p in &base {
                if let (Some(crr), Some(churn)) = (p.retention_rate, p.churn_rate) {
                    prop_assert!((0.0..=1.0).contains(&crr), "{:?}", p);
                    prop_assert!((crr + churn - 1.0).abs() < 1e-12, "{:?}", p);
                }
            }
        }
    }
    let customers = ds.customers.len();
    prop_assert_eq!(
        segment_retention(tx, &ds.segments, customers),
        ref_segment_retention(tx, &ds.segments, customers)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Two years of days, a few dozen customers.
    #[test]
    fn same_results_as_before(rows in rows(40, 800), split in 0usize..300) {
        let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        check(&dataset(&rows, start, split))?;
    }

    /// Many purchases per customer over a short time, starting mid-month.
    #[test]
    fn same_results_dense(rows in rows(6, 120), split in 0usize..300) {
        let start = NaiveDate::from_ymd_opt(2024, 2, 17).unwrap();
        check(&dataset(&rows, start, split))?;
    }

    /// Sparse customers over more than a decade (seasonality, long gaps).
    #[test]
    fn same_results_sparse(rows in rows(200, 5000), split in 0usize..300) {
        let start = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        check(&dataset(&rows, start, split))?;
    }
}
