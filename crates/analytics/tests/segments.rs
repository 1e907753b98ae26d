//! Segment breakdowns on real files against pandas and lifelines.

mod common;

use loyalty_analytics::{build_report, Dataset, Report};

fn report_of(relative: &str) -> Report {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative)).unwrap();
    build_report(&ds)
}

/// Superstore by Segment, monthly cohorts, pandas:
///   s['m'] = year*12 + month-1; c = first m per customer; k = m - c
///   per segment: sum over cohorts with c + k <= last month of customers
///   active in c + k, over the sum of those cohorts' sizes.
#[test]
fn superstore_retention_by_segment_equals_pandas() {
    let report = report_of("prepbench_case160_superstore_orders.csv");
    let by_segment = report
        .segment_retention
        .iter()
        .find(|s| s.column == "Segment")
        .expect("the Segment column splits the customers");
    let expected = [
        (
            "Consumer",
            409,
            [
                0.107_579_462_102_689_48,
                0.093_366_093_366_093_36,
                0.111_111_111_111_111_1,
                0.119_402_985_074_626_86,
            ],
        ),
        (
            "Corporate",
            236,
            [
                0.101_694_915_254_237_3,
                0.114_406_779_661_016_95,
                0.119_148_936_170_212_77,
                0.107_296_137_339_055_8,
            ],
        ),
        (
            "Home Office",
            148,
            [
                0.074_324_324_324_324_33,
                0.081_632_653_061_224_48,
                0.081_632_653_061_224_48,
                0.122_448_979_591_836_73,
            ],
        ),
    ];
    assert_eq!(by_segment.segments.len(), 3);
    for (segment, (label, customers, at)) in by_segment.segments.iter().zip(expected) {
        assert_eq!(
            (segment.label.as_str(), segment.customers),
            (label, customers)
        );
        for (got, want) in segment.at_months.iter().zip(at) {
            assert!(
                (got.unwrap() - want).abs() < 1e-12,
                "{label}: {got:?} vs {want}"
            );
        }
    }
}

/// Telco, lifelines 0.30.3 multivariate_logrank_test(Tenure in Months,
/// group, Churn Label == 'Yes'), rows with a blank group left out (as the
/// page leaves unlabelled customers out of the split):
///   Contract: 2768.9949943102583, p 0.0
///   Internet Type: 174.61766972026487, p 1.2085226625844508e-38
///   Offer: 2473.322386807131, p 0.0
#[test]
fn telco_log_rank_equals_lifelines() {
    let report = report_of("ibm_telco_v11_merged.csv");
    let test = |column: &str| {
        report
            .segment_survival
            .iter()
            .find(|s| s.column == column)
            .unwrap_or_else(|| panic!("{column} is a segment"))
            .log_rank
            .unwrap()
    };
    let contract = test("Contract");
    assert!((contract.chi_square - 2_768.994_994_310_258_3).abs() < 1e-6);
    assert_eq!(contract.degrees_of_freedom, 2);
    assert!(contract.p_value < 1e-300);
    let internet = test("Internet Type");
    assert!((internet.chi_square - 174.617_669_720_264_87).abs() < 1e-6);
    assert!((internet.p_value / 1.208_522_662_584_450_8e-38 - 1.0).abs() < 1e-6);
    let offer = test("Offer");
    assert!((offer.chi_square - 2_473.322_386_807_131).abs() < 1e-6);
    assert_eq!(offer.degrees_of_freedom, 4);
}
