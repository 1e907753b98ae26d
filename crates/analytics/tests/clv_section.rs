//! The CLV section as the Report will call it: headline ids, messages
//! instead of failures, lookups, exports, JSON round trip, extreme customers.

mod clv_support;

use clv_support::*;
use loyalty_analytics::models::rfm::RfmSegment;
use loyalty_analytics::models::section::{Level, SummarySource};
use loyalty_analytics::models::{
    clv_section, ClvAnalysis, ClvSection, ClvSettings, Segment, TimeUnit,
};
use loyalty_analytics::Dataset;

const IDS: [&str; 21] = [
    "bgnbd_r",
    "bgnbd_alpha",
    "bgnbd_a",
    "bgnbd_b",
    "bgnbd_ll",
    "pnbd_r",
    "pnbd_alpha",
    "pnbd_s",
    "pnbd_beta",
    "pnbd_ll",
    "gg_p",
    "gg_q",
    "gg_v",
    "clv_total",
    "clv_total_low",
    "clv_total_high",
    "clv_mean",
    "p_alive_mean",
    "expected_purchases_total",
    "expected_purchases_low",
    "expected_purchases_high",
];

fn round_trips(section: &ClvSection) {
    let json = serde_json::to_string(section).unwrap();
    let back: ClvSection = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, section);
    // No NaN or infinity anywhere: serde_json writes them as null, which would
    // not have read back into the f64 fields above; check the text too.
    assert!(!json.contains("NaN") && !json.contains("inf"));
}

#[test]
fn cdnow_sample_with_the_published_calibration() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let settings = ClvSettings {
        time_unit: TimeUnit::Week,
        calibration_end: Some("1997-09-30".parse().unwrap()),
        ..ClvSettings::default()
    };
    let analysis = ClvAnalysis::new(&ds, &settings);
    let section = &analysis.section;
    let metrics = section.headline_metrics();
    let ids: Vec<&str> = metrics.iter().map(|m| m.0.id()).collect();
    assert_eq!(ids, IDS);
    let get = |id: &str| metrics.iter().find(|m| m.0 == id).unwrap().1;
    // FHL 2005 and Fader & Hardie 2013 (published rounding).
    assert_abs(get("bgnbd_r"), 0.243, 0.0005, "r");
    assert_abs(get("bgnbd_alpha"), 4.414, 0.0005, "alpha");
    assert_abs(get("bgnbd_a"), 0.793, 0.0005, "a");
    assert_abs(get("bgnbd_b"), 2.426, 0.0005, "b");
    assert_abs(get("bgnbd_ll"), -9582.4, 0.05, "LL");
    assert_abs(get("gg_p"), 6.25, 0.005, "p");
    assert_abs(get("gg_q"), 3.74, 0.005, "q");
    assert_abs(get("gg_v"), 15.44, 0.005, "v");
    assert_eq!(section.source, SummarySource::Transactions);
    assert_eq!(section.customers, 2357);
    assert_eq!(section.observation_end, "1998-06-30".parse().ok());
    assert_eq!(section.horizon_units, 12.0 * 4.345);
    assert!(
        section.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        section.messages
    );
    let holdout = section.holdout.as_ref().unwrap();
    assert_eq!(holdout.customers, 2357);
    assert_eq!(holdout.by_frequency.len(), 8);
    assert_eq!(holdout.tracking.len(), 78);
    let p = get("p_alive_mean");
    assert!(p > 0.0 && p < 1.0);
    assert!(get("clv_total") > 0.0);
    // The 90% intervals hold their point estimates (tests/clv_intervals.rs
    // checks their coverage).
    for (low, total, high) in [
        ("clv_total_low", "clv_total", "clv_total_high"),
        (
            "expected_purchases_low",
            "expected_purchases_total",
            "expected_purchases_high",
        ),
    ] {
        assert!(get(low) < get(total) && get(total) < get(high), "{low}");
    }
    assert_abs(get("clv_mean") * 2357.0, get("clv_total"), 1e-6, "mean × n");
    let d = section.clv_distribution.as_ref().unwrap();
    assert_eq!(d.customers, 2357);
    assert_eq!(d.bins.iter().map(|b| b.customers).sum::<u64>(), 2357);
    assert_eq!(section.top_customers.len(), 100);
    assert!(section
        .top_customers
        .windows(2)
        .all(|w| w[0].clv >= w[1].clv));
    let rfm = section.rfm.as_ref().unwrap();
    assert_eq!(rfm.segments.iter().map(|s| s.customers).sum::<u64>(), 2357);
    let share: f64 = rfm.segments.iter().map(|s| s.revenue_share.unwrap()).sum();
    assert_abs(share, 1.0, 1e-12, "RFM revenue shares");
    let abc = section.abc_xyz.as_ref().unwrap();
    let share: f64 = abc.abc_revenue_share.iter().map(|s| s.unwrap()).sum();
    assert_abs(share, 1.0, 1e-12, "ABC shares");
    let simple = section.simple.as_ref().unwrap();
    assert!(simple.historical_clv.unwrap() > 0.0 && simple.retention_clv.unwrap() > 0.0);
    round_trips(section);

    // Customer 00004 bought on 1997-01-01, 01-18, 08-02 and 12-12: at
    // 1998-06-30 x = 3, recency = 345 days / 7, T = 545 days / 7.
    let card = analysis.customer(&ds, " 00004 ").unwrap();
    assert_eq!(card.frequency, 3.0);
    assert_abs(card.recency, 345.0 / 7.0, 1e-12, "recency");
    assert_abs(card.t, 545.0 / 7.0, 1e-12, "T");
    let prediction = card.prediction.unwrap();
    assert!((0.0..=1.0).contains(&prediction.p_alive));
    assert!(prediction.clv.unwrap() > 0.0);
    assert!(card.rfm.is_some() && card.abc_xyz.is_some());
    assert!(card.p_alive_path.len() > 50);
    assert!(card
        .p_alive_path
        .iter()
        .all(|(_, p)| (0.0..=1.0).contains(p)));
    assert!(analysis.customer(&ds, "no such id").is_none());
    // Segment exports: every RFM segment's CSV lists its customers.
    let mut listed = 0;
    for s in RfmSegment::ALL {
        let csv = analysis.segment_csv(&ds, Segment::Rfm(s));
        assert!(csv.starts_with("customer_id\n"));
        listed += csv.lines().count() - 1;
    }
    assert_eq!(listed, 2357);
    assert_eq!(
        analysis.segment_csv(&ds, Segment::TopClv).lines().count(),
        101
    );
}

#[test]
fn summary_rows_fit_like_the_transactions_they_came_from() {
    // The warehouse path: the calibration summary written as a summary file.
    let ds = load("cdnow/CDNOW_sample.txt");
    let h =
        loyalty_analytics::models::summary::PurchaseHistories::from_transactions(&ds.transactions);
    let cal = h.summaries(
        loyalty_analytics::models::summary::day_number("1997-09-30".parse().unwrap()),
        TimeUnit::Week,
    );
    let mut text = String::from("customer_id,frequency,recency,T,monetary_value\n");
    for s in &cal {
        text.push_str(&format!(
            "{},{},{},{},{}\n",
            ds.customers.name(s.customer).unwrap(),
            s.frequency,
            s.recency,
            s.t,
            s.monetary_value.unwrap()
        ));
    }
    let mut warehouse = Dataset::default();
    warehouse.add_file("summary.csv", text.as_bytes()).unwrap();
    assert_eq!(warehouse.summaries.len(), 2357);
    let section = clv_section(&warehouse, &ClvSettings::default());
    assert_eq!(section.source, SummarySource::Summaries);
    let m = section.headline_metrics();
    let get = |id: &str| m.iter().find(|x| x.0 == id).unwrap().1;
    assert_abs(get("bgnbd_r"), 0.243, 0.0005, "r");
    assert_abs(get("bgnbd_ll"), -9582.4, 0.05, "LL");
    assert_abs(get("gg_p"), 6.25, 0.005, "p");
    assert!(section.rfm.is_none() && section.holdout.is_none());
    round_trips(&section);
}

#[test]
fn too_little_data_says_why_instead_of_failing() {
    let mut ds = Dataset::default();
    ds.add_file(
        "t.csv",
        b"customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,5\na,2024-02-01,7\n",
    )
    .unwrap();
    let section = clv_section(&ds, &ClvSettings::default());
    assert!(section.bgnbd.is_none() && section.gamma_gamma.is_none());
    assert!(section.headline_metrics().is_empty());
    let codes: Vec<&str> = section.messages.iter().map(|m| m.code.as_str()).collect();
    assert!(codes.contains(&"too_few_customers"), "{codes:?}");
    assert!(
        section.messages[0].text.contains("2"),
        "{:?}",
        section.messages
    );
    // RFM and ABC/XYZ need no model.
    assert_eq!(section.rfm.as_ref().unwrap().customers, 2);
    round_trips(&section);

    // Nothing loaded at all.
    let empty = clv_section(&Dataset::default(), &ClvSettings::default());
    assert_eq!(empty.source, SummarySource::None);
    assert!(empty.headline_metrics().is_empty());
    round_trips(&empty);
}

/// 12 customers, 4 of them repeat buyers, with no amount column.
#[test]
fn without_amounts_the_purchase_model_still_fits() {
    let mut text = String::from("customer_id,date\n");
    for c in 0..12 {
        text.push_str(&format!("c{c},2024-01-{:02}\n", c + 1));
        if c % 3 == 0 {
            text.push_str(&format!("c{c},2024-03-{:02}\n", c + 2));
            text.push_str(&format!("c{c},2024-05-{:02}\n", c + 3));
        }
    }
    let mut ds = Dataset::default();
    ds.add_file("t.csv", text.as_bytes()).unwrap();
    let section = clv_section(&ds, &ClvSettings::default());
    assert!(section.bgnbd.is_some(), "{:?}", section.messages);
    assert!(section.gamma_gamma.is_none() && section.clv_total.is_none());
    assert!(section.messages.iter().any(|m| m.code == "no_amounts"));
    // 4 repeat buyers: the fit is there, with a note that it is rough.
    let few = section
        .messages
        .iter()
        .find(|m| m.code == "few_repeat_customers")
        .expect("a note on the few repeat customers");
    assert!(few.text.starts_with("only 4 customers"), "{}", few.text);
    let ids: Vec<&str> = section
        .headline_metrics()
        .iter()
        .map(|m| m.0.id())
        .collect();
    assert_eq!(
        ids,
        [
            "bgnbd_r",
            "bgnbd_alpha",
            "bgnbd_a",
            "bgnbd_b",
            "bgnbd_ll",
            "pnbd_r",
            "pnbd_alpha",
            "pnbd_s",
            "pnbd_beta",
            "pnbd_ll",
            "p_alive_mean",
            "expected_purchases_total"
        ]
    );
    assert!(!section.rfm.as_ref().unwrap().has_monetary);
    round_trips(&section);
}

/// A customer with 400 purchase days, one with 400 purchases in the last
/// 400 days then silence, customers whose first and only purchase is on the
/// last day (T = 0), and ordinary ones: every number finite.
#[test]
fn extreme_customers_give_finite_numbers() {
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut text = String::from("customer_id,date,amount\n");
    let day = |k: i64| start + chrono::Duration::days(k);
    for k in 0..400 {
        text.push_str(&format!("heavy,{},{}\n", day(k * 2), 10 + k % 7));
        text.push_str(&format!("burst,{},{}\n", day(k), 5));
    }
    for c in 0..30 {
        text.push_str(&format!("n{c},{},{}\n", day(c * 20), 20 + c));
        if c % 2 == 0 {
            text.push_str(&format!("n{c},{},{}\n", day(c * 20 + 35), 25));
        }
    }
    for c in 0..5 {
        text.push_str(&format!("last{c},{},{}\n", day(900), 30));
    }
    let mut ds = Dataset::default();
    ds.add_file("t.csv", text.as_bytes()).unwrap();
    for unit in TimeUnit::ALL {
        let settings = ClvSettings {
            time_unit: unit,
            horizon_months: 120,
            ..ClvSettings::default()
        };
        let analysis = ClvAnalysis::new(&ds, &settings);
        assert!(
            analysis.section.bgnbd.is_some(),
            "{unit:?} {:?}",
            analysis.section.messages
        );
        for p in analysis.predictions.iter() {
            let p = p.expect("every customer predicted");
            assert!((0.0..=1.0).contains(&p.p_alive));
            assert!(p.expected_purchases.is_finite() && p.expected_purchases >= 0.0);
            assert!(p.clv.is_none_or(f64::is_finite));
        }
        let heavy = analysis.customer(&ds, "heavy").unwrap();
        assert_eq!(heavy.frequency, 399.0);
        round_trips(&analysis.section);
    }
}

/// From transactions the analysis reads its summaries again from the
/// purchase histories rather than keeping them: they are lifetimes'
/// summary of the transactions (`summary_from_transactions`, held to
/// lifetimes in clv_summary tests), row for row, and a customer's card
/// shows their own.
#[test]
fn summaries_read_again_from_the_histories_are_the_transactions_summary() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());
    let expected = loyalty_analytics::models::summary::summary_from_transactions(
        &ds.transactions,
        None,
        ClvSettings::default().time_unit,
    );
    let got: Vec<_> = analysis.summaries().collect();
    assert_eq!(analysis.summary_count(), expected.len());
    assert_eq!(got, expected);
    let s = &expected[expected.len() / 2];
    let name = ds.customers.name(s.customer).unwrap();
    let card = analysis.customer(&ds, name).unwrap();
    assert_eq!(card.customer, name);
    assert_eq!(
        (card.frequency, card.recency, card.t, card.monetary_value),
        (s.frequency, s.recency, s.t, s.monetary_value)
    );
}
