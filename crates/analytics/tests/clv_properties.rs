//! Invariants of the CLV models over generated parameters and histories.

use loyalty_analytics::models::bgnbd::BgNbdParams;
use loyalty_analytics::models::summary::{PurchaseHistories, TimeUnit};
use loyalty_analytics::models::{ClvAnalysis, ClvSection, ClvSettings};
use loyalty_analytics::Dataset;
use proptest::prelude::*;

fn params() -> impl Strategy<Value = BgNbdParams> {
    (0.01f64..20.0, 0.01f64..500.0, 0.01f64..20.0, 0.01f64..50.0)
        .prop_map(|(r, alpha, a, b)| BgNbdParams { r, alpha, a, b })
}

/// (x, tₓ, T) with 0 ≤ tₓ ≤ T and tₓ = 0 when x = 0.
fn history() -> impl Strategy<Value = (f64, f64, f64)> {
    (0u32..500, 0.0f64..1.0, 0.0f64..2000.0).prop_map(|(x, share, t)| {
        let t_x = if x == 0 { 0.0 } else { share * t };
        (f64::from(x), t_x, t)
    })
}

fn transactions() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0u8..12,
            0i64..700,
            prop_oneof![4 => 0i64..50_000, 1 => -5_000i64..0],
        ),
        1..80,
    )
    .prop_map(|rows| {
        let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let mut text = String::from("customer_id,date,amount\n");
        for (c, d, cents) in rows {
            let date = start + chrono::Duration::days(d);
            text.push_str(&format!(
                "c{c},{date},{}.{:02}\n",
                cents / 100,
                (cents % 100).abs()
            ));
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn p_alive_is_a_probability(p in params(), (x, t_x, t) in history()) {
        let alive = p.p_alive(x, t_x, t);
        prop_assert!((0.0..=1.0).contains(&alive), "{alive}");
    }

    #[test]
    fn expected_purchases_are_non_negative_and_grow_with_time(
        p in params(),
        (x, t_x, t) in history(),
        horizons in prop::collection::vec(0.0f64..400.0, 1..6),
    ) {
        let mut horizons = horizons;
        horizons.sort_by(f64::total_cmp);
        let mut previous = 0.0;
        for h in horizons {
            // The series may refuse (no convergence within its budget); it
            // never returns a wrong number.
            if let Ok(e) = p.expected_purchases(h, x, t_x, t) {
                prop_assert!(e.is_finite() && e >= 0.0, "{e}");
                prop_assert!(e >= previous * (1.0 - 1e-9) - 1e-12, "E fell from {previous} to {e} at t = {h}");
                previous = e;
            }
        }
    }

    #[test]
    fn summaries_segments_and_shares_hold_together(text in transactions()) {
        let mut ds = Dataset::default();
        prop_assume!(ds.add_file("gen.csv", text.as_bytes()).is_ok());
        let h = PurchaseHistories::from_transactions(&ds.transactions);
        let end = h.last_day.unwrap_or(0);
        for unit in TimeUnit::ALL {
            for (i, s) in h.summaries(end, unit).iter().enumerate() {
                let (days, _) = h.purchases(i);
                prop_assert_eq!(s.frequency, (days.len() - 1) as f64);
                prop_assert!(s.recency >= 0.0 && s.recency <= s.t);
            }
        }
        let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());
        let section = &analysis.section;
        if let Some(rfm) = &section.rfm {
            let sizes: u64 = rfm.segments.iter().map(|s| s.customers).sum();
            prop_assert_eq!(sizes, h.len() as u64);
            prop_assert_eq!(rfm.grid.iter().map(|c| c.customers).sum::<u64>(), h.len() as u64);
        }
        if let Some(m) = &section.abc_xyz {
            prop_assert_eq!(m.cells.iter().map(|c| c.customers).sum::<u64>(), h.len() as u64);
            if m.abc_revenue_share.iter().all(Option::is_some) {
                let total: f64 = m.abc_revenue_share.iter().flatten().sum();
                prop_assert!((total - 1.0).abs() < 1e-9, "{total}");
            }
        }
        prop_assert!(section.headline_metrics().iter().all(|(_, v)| v.is_finite()));
        let json = serde_json::to_string(section).unwrap();
        let back: ClvSection = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, section);
    }
}
