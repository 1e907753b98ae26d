//! Monthly cohort retention against pandas, cell by cell. The expected counts
//! are in tests/fixtures/<name>_cohort_active.csv, written by
//! tests/fixtures/cohorts_reference.py (pandas groupby/nunique over the same
//! files; see its docstring for the definitions).

mod common;

use std::collections::BTreeMap;

use loyalty_analytics::metrics::retention::{cohort_matrix, CohortMatrix, Period};
use loyalty_analytics::report::metric;
use loyalty_analytics::{build_report, Dataset};

/// (cohort, k) -> (active, size) from the pandas output.
fn pandas_cells(name: &str) -> BTreeMap<(String, usize), (u64, u64)> {
    let path = format!(
        "{}/../../tests/fixtures/{name}_cohort_active.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (
                (f[0].to_string(), f[1].parse().unwrap()),
                (f[2].parse().unwrap(), f[3].parse().unwrap()),
            )
        })
        .collect()
}

/// Every pandas cell is ours, and every non-empty cell of ours is pandas'.
fn assert_matches_pandas(m: &CohortMatrix, name: &str) {
    let expected = pandas_cells(name);
    let mut ours = BTreeMap::new();
    for row in &m.cohorts {
        for (k, &active) in row.active.iter().enumerate() {
            assert_eq!(row.on[k], active as f64 / row.size as f64);
            if active > 0 {
                ours.insert((row.cohort.clone(), k), (active, row.size));
            }
        }
    }
    assert_eq!(ours, expected, "{name}");
}

fn load(relative: &str) -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative)).unwrap();
    ds
}

#[test]
fn uci_monthly_cohorts_equal_pandas() {
    let ds = load("uci_online_retail.csv.gz");
    let m = cohort_matrix(&ds.transactions, Period::Month);
    assert_matches_pandas(&m, "uci");
    // 13 cohorts from 2010-12 to 2011-12; 4,339 of the 4,372 customers made a
    // purchase (33 only returned goods).
    assert_eq!(m.cohorts.len(), 13);
    assert_eq!(m.cohorts.iter().map(|c| c.size).sum::<u64>(), 4_339);
    // Triangle: the first cohort has 13 cells, the last one 1; unobserved cells are absent.
    let lengths: Vec<usize> = m.cohorts.iter().map(|c| c.on.len()).collect();
    assert_eq!(lengths, (1..=13).rev().collect::<Vec<_>>());
}

#[test]
fn cdnow_cohorts_sizes_and_retention_months_1_to_17() {
    let ds = load("cdnow/CDNOW_master.txt");
    let m = cohort_matrix(&ds.transactions, Period::Month);
    assert_matches_pandas(&m, "cdnow");
    let sizes: Vec<(&str, u64)> = m
        .cohorts
        .iter()
        .map(|c| (c.cohort.as_str(), c.size))
        .collect();
    let expected = pandas_cells("cdnow");
    let size_of = |c: &str| expected[&(c.to_string(), 0)].1;
    assert_eq!(
        sizes,
        vec![
            ("1997-01", size_of("1997-01")),
            ("1997-02", size_of("1997-02")),
            ("1997-03", size_of("1997-03"))
        ]
    );
    assert_eq!(sizes.iter().map(|s| s.1).sum::<u64>(), 23_570);
    // The January cohort is observed for 18 months (k = 0..=17).
    assert_eq!(m.cohorts[0].on.len(), 18);
}

#[test]
fn headline_retention_is_the_size_weighted_average() {
    let ds = load("uci_online_retail.csv.gz");
    let report = build_report(&ds);
    // From the pandas cells: sum of active at k over cohorts that reached k,
    // divided by the sum of their sizes.
    let cells = pandas_cells("uci");
    let mut sizes: BTreeMap<&str, u64> = BTreeMap::new();
    for ((c, _), (_, size)) in &cells {
        sizes.insert(c, *size);
    }
    let last_month_index = 12; // 2010-12 .. 2011-12
    for (id, k) in [
        (metric::RETENTION_M1, 1usize),
        (metric::RETENTION_M3, 3),
        (metric::RETENTION_M6, 6),
        (metric::RETENTION_M12, 12),
    ] {
        let reached: Vec<&str> = sizes
            .keys()
            .take(last_month_index + 1 - k)
            .copied()
            .collect();
        let active: u64 = reached
            .iter()
            .map(|c| cells.get(&(c.to_string(), k)).map_or(0, |v| v.0))
            .sum();
        let size: u64 = reached.iter().map(|c| sizes[c]).sum();
        assert_eq!(report.metric(id), Some(active as f64 / size as f64), "{id}");
    }
}
