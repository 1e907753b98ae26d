//! Invariants over generated input.

use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset, Report};
use proptest::prelude::*;

/// A cell that is sometimes right and sometimes the kind of mess exports hold.
fn date_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (2000i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => Just(String::new()),
        1 => "[a-z ]{1,8}",
        1 => Just("2024-02-30".to_string()),
    ]
}

fn amount_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-1000i64..100_000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        1 => Just("n/a".to_string()),
        1 => Just(String::new()),
    ]
}

fn row() -> impl Strategy<Value = (String, String, String)> {
    (
        prop_oneof![4 => "[a-d][0-9]{1,2}", 1 => Just(String::new())],
        date_cell(),
        amount_cell(),
    )
}

proptest! {
    #[test]
    fn every_row_is_used_or_rejected(rows in prop::collection::vec(row(), 1..60)) {
        let mut text = String::from("customer_id,date,amount\n");
        for (c, d, a) in &rows {
            text.push_str(&format!("{c},{d},{a}\n"));
        }
        let mut ds = Dataset::default();
        if let Ok(file) = ds.add_file("gen.csv", text.as_bytes()) {
            prop_assert_eq!(file.rows_read, rows.len() as u64);
            prop_assert_eq!(file.rows_read, file.rows_used + file.rows_rejected);
            let grouped: u64 = file.rejections.iter().map(|g| g.count).sum();
            prop_assert_eq!(grouped, file.rows_rejected);
            let report = build_report(&ds);
            let share = report.metric(metric::REPEAT_RATE).unwrap();
            prop_assert!((0.0..=1.0).contains(&share));
            prop_assert!(report.metrics.values().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut ds = Dataset::default();
        let _ = ds.add_file("noise.bin", &bytes);
        let _ = build_report(&ds);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[a-z0-9,;.|\"/ \t\n-]{0,300}") {
        let mut ds = Dataset::default();
        let _ = ds.add_file("noise.csv", text.as_bytes());
        let _ = build_report(&ds);
    }

    #[test]
    fn report_json_round_trips(rows in prop::collection::vec(row(), 1..30)) {
        let mut text = String::from("customer_id,date,amount\n");
        for (c, d, a) in &rows {
            text.push_str(&format!("{c},{d},{a}\n"));
        }
        let mut ds = Dataset::default();
        let _ = ds.add_file("gen.csv", text.as_bytes());
        let report = build_report(&ds);
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, report);
    }
}

proptest! {
    /// Shares in [0, 1], the first cell 1, "on or after" never below "on",
    /// cohort sizes adding up to the customers who bought something.
    #[test]
    fn cohort_triangle_invariants(rows in prop::collection::vec((0u32..40, 0i64..400, -50i64..500), 1..200)) {
        use loyalty_analytics::dataset::Transactions;
        use loyalty_analytics::metrics::retention::{cohort_matrix, Period};
        let start = loyalty_analytics::report::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let mut text = String::from("customer_id,date,amount\n");
        for (c, day, cents) in &rows {
            let date = start + chrono_days(*day);
            text.push_str(&format!("c{c},{date},{}\n", *cents as f64 / 100.0));
        }
        let mut ds = Dataset::default();
        ds.add_file("gen.csv", text.as_bytes()).unwrap();
        let tx: &Transactions = &ds.transactions;
        for period in [Period::Week, Period::Month, Period::Quarter] {
            let m = cohort_matrix(tx, period);
            let buyers: std::collections::BTreeSet<u32> = (0..tx.len())
                .filter(|&i| tx.amount.at(i).is_none_or(|a| a >= 0.0))
                .map(|i| tx.customer[i])
                .collect();
            prop_assert_eq!(m.cohorts.iter().map(|c| c.size).sum::<u64>(), buyers.len() as u64);
            for row in &m.cohorts {
                prop_assert_eq!(row.on[0], 1.0);
                for k in 0..row.on.len() {
                    prop_assert!((0.0..=1.0).contains(&row.on[k]));
                    prop_assert!(row.on_or_after[k] >= row.on[k]);
                    prop_assert!(k == 0 || row.on_or_after[k] <= row.on_or_after[k - 1]);
                }
            }
            prop_assert!(m.average_on.iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }
}

fn chrono_days(days: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::days(days)
}

proptest! {
    /// active = new + retained + resurrected; the active base moves by net growth.
    #[test]
    fn lifecycle_identity(rows in prop::collection::vec((0u32..30, 0i64..500), 1..150)) {
        use loyalty_analytics::metrics::lifecycle::lifecycle;
        use loyalty_analytics::metrics::retention::Period;
        let start = loyalty_analytics::report::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let mut text = String::from("customer_id,date\n");
        for (c, day) in &rows {
            text.push_str(&format!("c{c},{}\n", start + chrono_days(*day)));
        }
        let mut ds = Dataset::default();
        ds.add_file("gen.csv", text.as_bytes()).unwrap();
        for period in [Period::Week, Period::Month, Period::Quarter] {
            let life = lifecycle(&ds.transactions, period);
            for (i, r) in life.iter().enumerate() {
                prop_assert_eq!(r.active, r.new + r.retained + r.resurrected);
                if i > 0 {
                    prop_assert_eq!(r.active as i64, life[i - 1].active as i64 + r.net_growth());
                }
            }
        }
    }
}

proptest! {
    /// NPS stays within [-100, 100], its interval too and around the
    /// adjusted figure; the three shares sum to 100; CSAT is a fraction
    /// inside its Wilson interval.
    #[test]
    fn survey_figures_stay_in_range(
        answers in prop::collection::vec((0u8..=10, 1u8..=5, prop::option::of("[a-z ]{0,12}")), 1..120)
    ) {
        let mut text = String::from("nps,csat,comment\n");
        for (nps, csat, comment) in &answers {
            text.push_str(&format!("{nps},{csat},{}\n", comment.clone().unwrap_or_default()));
        }
        let mut ds = Dataset::default();
        ds.add_file("survey.csv", text.as_bytes()).unwrap();
        let report = build_report(&ds);
        let s = report.surveys.as_ref().unwrap();
        let nps = s.nps.unwrap();
        prop_assert_eq!(nps.responses as usize, answers.len());
        prop_assert!((-100.0..=100.0).contains(&nps.nps));
        prop_assert!(-100.0 <= nps.ci_low && nps.ci_low < nps.ci_high && nps.ci_high <= 100.0);
        let shares = nps.promoters_pct + nps.passives_pct + nps.detractors_pct;
        prop_assert!((shares - 100.0).abs() < 1e-9);
        prop_assert_eq!(s.nps_distribution.iter().sum::<u64>() as usize, answers.len());
        let csat = s.csat.as_ref().unwrap();
        prop_assert!((0.0..=1.0).contains(&csat.csat));
        prop_assert!(csat.ci_low <= csat.csat && csat.csat <= csat.ci_high);
        prop_assert!(report.metrics.values().all(|v| v.is_finite()));
    }
}
