//! CLV by segment: the CDNOW sample with a region column (and a customers
//! file with a plan), each label's totals against the per-customer figures
//! added up by hand, intervals around them, and the CSV export.

mod clv_support;

use clv_support::*;
use loyalty_analytics::dataset::RecordKind;
use loyalty_analytics::models::clv_segments::{clv_by_segment_csv, SEGMENTS_HEADER};
use loyalty_analytics::models::{ClvAnalysis, ClvSettings, TimeUnit};
use loyalty_analytics::Dataset;

/// A customer's region: by the last digit of the id (0-2 north, 3-5 south,
/// 6-9 west), the rule the test adds up by.
fn region(id: &str) -> &'static str {
    match id.bytes().last().unwrap() - b'0' {
        0..=2 => "north",
        3..=5 => "south",
        _ => "west",
    }
}

/// CDNOW_sample.txt as a CSV with a region on every row.
fn cdnow_with_regions() -> Dataset {
    let text = std::fs::read_to_string(format!(
        "{}/cdnow/CDNOW_sample.txt",
        std::env::var("LOYALTY_DATA_DIR").unwrap_or_else(|_| "/work/shared/data".into())
    ))
    .unwrap();
    let mut csv = String::from("customer_id,date,amount,region\n");
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        csv.push_str(&format!("{},{},{},{}\n", f[0], f[2], f[4], region(f[0])));
    }
    let mut ds = Dataset::default();
    ds.add_file("cdnow_regions.csv", csv.as_bytes()).unwrap();
    ds
}

#[test]
fn each_region_adds_up_its_customers() {
    let ds = cdnow_with_regions();
    let settings = ClvSettings {
        time_unit: TimeUnit::Week,
        calibration_end: Some("1997-09-30".parse().unwrap()),
        ..ClvSettings::default()
    };
    let analysis = ClvAnalysis::new(&ds, &settings);
    let section = &analysis.section;
    assert_eq!(
        section.clv_by_segment.len(),
        1,
        "{:?}",
        ds.segments
            .columns
            .iter()
            .map(|c| &c.name)
            .collect::<Vec<_>>()
    );
    let column = &section.clv_by_segment[0];
    assert_eq!(
        (column.column.as_str(), column.kind),
        ("region", RecordKind::Transactions)
    );
    assert_eq!(
        (column.other_customers, column.unlabelled_customers),
        (0, 0)
    );
    // By hand: every customer's prediction added to their region's sums.
    let mut by_hand: std::collections::HashMap<&str, (u64, f64, f64, f64)> = Default::default();
    for (s, p) in analysis.summaries().zip(analysis.predictions.iter()) {
        let p = p.unwrap();
        let e = by_hand
            .entry(region(ds.customers.name(s.customer).unwrap()))
            .or_default();
        *e = (
            e.0 + 1,
            e.1 + p.clv.unwrap(),
            e.2 + p.expected_purchases,
            e.3 + p.p_alive,
        );
    }
    assert_eq!(column.segments.len(), 3);
    let labels: Vec<&str> = column.segments.iter().map(|s| s.label.as_str()).collect();
    // Largest first: west has 4 of 10 last digits.
    assert_eq!(labels[0], "west");
    for s in &column.segments {
        let (n, clv, e, alive) = by_hand[s.label.as_str()];
        assert_eq!(s.customers, n, "{}", s.label);
        assert_rel(s.clv_total.unwrap(), clv, 1e-12, "CLV");
        assert_rel(s.clv_mean.unwrap(), clv / n as f64, 1e-12, "CLV mean");
        assert_rel(s.expected_purchases, e, 1e-12, "purchases");
        assert_rel(s.p_alive_mean.unwrap(), alive / n as f64, 1e-12, "P(alive)");
        let (c, p) = (
            s.clv_interval.unwrap(),
            s.expected_purchases_interval.unwrap(),
        );
        assert!(c.low < clv && clv < c.high, "{c:?} {clv}");
        assert!(p.low < e && e < p.high, "{p:?} {e}");
    }
    // The regions add up to the whole.
    let total: f64 = column.segments.iter().map(|s| s.clv_total.unwrap()).sum();
    assert_rel(total, section.clv_total.unwrap(), 1e-12, "Σ regions");
    // The export: a header and one line per region.
    let csv = clv_by_segment_csv(&section.clv_by_segment);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], SEGMENTS_HEADER);
    assert_eq!(lines.len(), 4);
    let west: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        &west[..3],
        ["region", "west", &column.segments[0].customers.to_string()]
    );
    assert_eq!(
        west[3].parse::<f64>().unwrap(),
        column.segments[0].clv_total.unwrap()
    );
    assert_eq!(
        west[4].parse::<f64>().unwrap(),
        column.segments[0].clv_interval.unwrap().low
    );
}

/// A customers file's plan column (ids 00001-01500: 137 of the sample's
/// customers) splits the CLV of the customers it names; the customers it
/// does not name are unlabelled.
#[test]
fn a_customers_file_column_splits_too() {
    let mut ds = cdnow_with_regions();
    let mut customers = String::from("customer_id,start date,end date,plan\n");
    for i in 1..=1500 {
        let plan = if i % 3 == 0 { "gold" } else { "basic" };
        customers.push_str(&format!("{i:05},1996-12-01,,{plan}\n"));
    }
    ds.add_file("plans.csv", customers.as_bytes()).unwrap();
    let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());
    let section = &analysis.section;
    let plan = section
        .clv_by_segment
        .iter()
        .find(|c| c.column == "plan")
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                section
                    .clv_by_segment
                    .iter()
                    .map(|c| &c.column)
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(plan.kind, RecordKind::Customers);
    // By hand: the sample's customers with an id up to 1500, a third of
    // them (ids divisible by 3) gold.
    let ids: Vec<u32> = analysis
        .summaries()
        .filter_map(|s| ds.customers.name(s.customer)?.parse().ok())
        .filter(|&id| id <= 1500)
        .collect();
    let named: u64 = plan.segments.iter().map(|s| s.customers).sum();
    assert_eq!(named, ids.len() as u64);
    assert_eq!(plan.unlabelled_customers, 2357 - named);
    let gold = plan.segments.iter().find(|s| s.label == "gold").unwrap();
    assert_eq!(
        gold.customers,
        ids.iter().filter(|&&id| id % 3 == 0).count() as u64
    );
}
