//! RFM scores and segments, ABC/XYZ classes, on small data whose expected
//! values are worked out by hand in the comments (not taken from the code).

use loyalty_analytics::models::abc_xyz::{Abc, AbcXyzSettings, Xyz};
use loyalty_analytics::models::rfm::{quintile_scores, RfmSegment};
use loyalty_analytics::models::{ClvAnalysis, ClvSettings, Segment};
use loyalty_analytics::Dataset;

#[test]
fn quintiles_of_distinct_and_tied_values() {
    assert_eq!(
        quintile_scores(&[10.0, 20.0, 30.0, 40.0, 50.0]),
        [1, 2, 3, 4, 5]
    );
    // Position p of n scores 1 + ⌊5p/n⌋; 10 values: 1 + ⌊p/2⌋.
    let ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(quintile_scores(&ten), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Six tied lowest values take positions 0..5: all score as position 0, 1.
    // Then positions 6..9: 1 + ⌊3⌋, ⌊3.5⌋, ⌊4⌋, ⌊4.5⌋ = 4, 4, 5, 5.
    let tied = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    assert_eq!(quintile_scores(&tied), [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    // Input order does not matter.
    let shuffled = [5.0, 1.0, 3.0, 1.0, 1.0, 4.0, 1.0, 2.0, 1.0, 1.0];
    assert_eq!(quintile_scores(&shuffled), [5, 1, 4, 1, 1, 5, 1, 4, 1, 1]);
    // Everyone equal: all at position 0.
    assert_eq!(quintile_scores(&[7.0; 4]), [1, 1, 1, 1]);
    assert!(quintile_scores(&[]).is_empty());
}

use proptest::strategy::Strategy as _;

proptest::proptest! {
    /// The definition, counted naively: 1 + ⌊5 · (values below) / n⌋, below
    /// by `f64::total_cmp` (NaN, infinities and both zeros included), with
    /// many ties (values drawn from a handful) or none.
    #[test]
    fn quintiles_are_the_counted_rank(
        values in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::num::f64::ANY,
                (0u8..4).prop_map(f64::from),
                proptest::strategy::Just(-0.0),
            ],
            0..120,
        ),
    ) {
        let n = values.len();
        let expected: Vec<u8> = values
            .iter()
            .map(|v| {
                let below = values.iter().filter(|w| w.total_cmp(v).is_lt()).count();
                (1 + 5 * below / n) as u8
            })
            .collect();
        proptest::prop_assert_eq!(quintile_scores(&values), expected);
    }
}

#[test]
fn the_segment_grid_as_documented() {
    use RfmSegment::*;
    let cases = [
        ((5, 5), Champions),
        ((4, 5), Champions),
        ((5, 1), New),
        ((5, 2), PotentialLoyalist),
        ((4, 3), PotentialLoyalist),
        ((4, 1), Promising),
        ((4, 4), Loyal),
        ((3, 5), Loyal),
        ((3, 1), AboutToSleep),
        ((3, 3), NeedAttention),
        ((2, 3), AtRisk),
        ((1, 4), AtRisk),
        ((2, 5), CantLose),
        ((1, 5), CantLose),
        ((2, 1), Hibernating),
        ((1, 3), Hibernating),
        ((1, 1), Lost),
        ((1, 2), Lost),
    ];
    for ((r, fm), segment) in cases {
        assert_eq!(RfmSegment::from_scores(r, fm), segment, "R{r} FM{fm}");
    }
    for s in RfmSegment::ALL {
        assert!(!s.name_en().is_empty() && !s.name_ru().is_empty());
        assert_eq!(RfmSegment::from_id(s.id()), Some(s));
    }
    assert_eq!(RfmSegment::CantLose.name("ru"), "Нельзя потерять");
    assert_eq!(RfmSegment::CantLose.name("en"), "Can't lose them");
}

fn dataset(csv: &str) -> Dataset {
    let mut ds = Dataset::default();
    ds.add_file("t.csv", csv.as_bytes()).unwrap();
    ds
}

/// Observation end 2024-03-31 (B's purchase).
///   A: 02-01, 03-01, 03-30 at 100 → recency 1, F 3, M 300
///   B: 03-31 at 50               → recency 0, F 1, M 50
///   C: 01-10, 01-20 at 500       → recency 71, F 2, M 1000
///   D: 2023-12-01 at 20          → recency 121, F 1, M 20
///   E: 03-15 at 80, return 03-20 of 30 → recency 16, F 1, M 50 (net)
const FIVE: &str = "customer_id,date,amount
A,2024-02-01,100
A,2024-03-01,100
A,2024-03-30,100
B,2024-03-31,50
C,2024-01-10,500
C,2024-01-20,500
D,2023-12-01,20
E,2024-03-15,80
E,2024-03-20,-30
";

#[test]
fn rfm_scores_and_segments_of_five_customers() {
    let ds = dataset(FIVE);
    let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());
    let by = |name: &str| {
        analysis
            .rfm_rows()
            .iter()
            .find(|r| ds.customers.name(r.customer) == Some(name))
            .unwrap()
            .clone()
    };
    // Score = 1 + ⌊5i/5⌋ = 1 + i with i the lowest sorted position of the value.
    // R on −recency: D, C, E, A, B at positions 0..4 → 1..5.
    // F: B, D, E tied at 0..2 → 1; C (3) → 4; A (4) → 5.
    // M: D (0) → 1; B, E tied at 1..2 → 2; A (3) → 4; C (4) → 5.
    // FM = ⌈(F+M)/2⌉: A 5, B 2, C 5, D 1, E 2.
    let expected = [
        ("A", 1, 3, 300.0, 4, 5, 4, 5, RfmSegment::Champions),
        ("B", 0, 1, 50.0, 5, 1, 2, 2, RfmSegment::PotentialLoyalist),
        ("C", 71, 2, 1000.0, 2, 4, 5, 5, RfmSegment::CantLose),
        ("D", 121, 1, 20.0, 1, 1, 1, 1, RfmSegment::Lost),
        ("E", 16, 1, 50.0, 3, 1, 2, 2, RfmSegment::NeedAttention),
    ];
    for (name, recency, frequency, monetary, r, f, m, fm, segment) in expected {
        let got = by(name);
        assert_eq!(
            (
                got.recency_days,
                got.frequency,
                got.r,
                got.f,
                got.m,
                got.fm,
                got.segment
            ),
            (recency, frequency, r, f, m, fm, segment),
            "{name}"
        );
        assert!((got.monetary - monetary).abs() < 1e-9, "{name}");
    }
    let summary = analysis.section.rfm.as_ref().unwrap();
    assert_eq!(summary.customers, 5);
    assert_eq!(summary.segments.len(), 11);
    assert_eq!(summary.segments.iter().map(|s| s.customers).sum::<u64>(), 5);
    let champions = summary
        .segments
        .iter()
        .find(|s| s.segment == RfmSegment::Champions)
        .unwrap();
    assert_eq!(champions.customers, 1);
    assert!((champions.revenue_share.unwrap() - 300.0 / 1420.0).abs() < 1e-12);
    assert!((champions.customer_share - 0.2).abs() < 1e-12);
    assert_eq!(summary.grid.len(), 25);
    // The CSV of a segment.
    assert_eq!(
        analysis.segment_csv(&ds, Segment::Rfm(RfmSegment::CantLose)),
        "customer_id\nC\n"
    );
    assert_eq!(
        analysis.segment_csv(&ds, Segment::Rfm(RfmSegment::Loyal)),
        "customer_id\n"
    );
}

/// FIVE plus F (steady: 60, 60, 66 in Jan-Mar) and G (100, 80, 120).
///   monthly series from the first purchase month to 2024-03:
///   A [100, 200] CV 50/150 = 0.33 → Z; B one month → Z;
///   C [1000, 0, 0] CV 1.41 → Z; D [20, 0, 0, 0] CV 1.73 → Z; E one month → Z;
///   F [60, 60, 66] mean 62, sd √8 = 2.83, CV 0.046 → X;
///   G [100, 80, 120] mean 100, sd 16.3, CV 0.163 → Y.
///   ABC, total 1906, descending C 1000, A 300, G 300 (A first: earlier id),
///   F 186, B 50, E 50, D 20; share before each: 0, .525, .682, .839, .937,
///   .963, .990 → A A A B B C C.
#[test]
fn abc_xyz_classes_and_matrix() {
    let csv = format!(
        "{FIVE}F,2024-01-05,60\nF,2024-02-05,60\nF,2024-03-05,66\nG,2024-01-07,100\nG,2024-02-07,80\nG,2024-03-07,120\n"
    );
    let ds = dataset(&csv);
    let analysis = ClvAnalysis::new(&ds, &ClvSettings::default());
    let class = |name: &str| {
        let rows = analysis.abc_xyz_rows();
        let c = rows
            .iter()
            .find(|r| ds.customers.name(r.customer) == Some(name))
            .unwrap();
        (c.abc, c.xyz)
    };
    use Abc::*;
    use Xyz::*;
    assert_eq!(class("C"), (A, Z));
    assert_eq!(class("A"), (A, Z));
    assert_eq!(class("G"), (A, Y));
    assert_eq!(class("F"), (B, X));
    assert_eq!(class("B"), (B, Z));
    assert_eq!(class("E"), (C, Z));
    assert_eq!(class("D"), (C, Z));
    let f_cv = analysis
        .abc_xyz_rows()
        .iter()
        .find(|r| ds.customers.name(r.customer) == Some("F"))
        .unwrap()
        .cv
        .unwrap();
    assert!((f_cv - 8f64.sqrt() / 62.0).abs() < 1e-12);
    let m = analysis.section.abc_xyz.as_ref().unwrap();
    let cell = |a: Abc, x: Xyz| {
        m.cells
            .iter()
            .find(|c| c.abc == a && c.xyz == x)
            .unwrap()
            .customers
    };
    assert_eq!(
        (cell(A, Y), cell(A, Z), cell(B, X), cell(B, Z), cell(C, Z)),
        (1, 2, 1, 1, 2)
    );
    assert_eq!(m.cells.iter().map(|c| c.customers).sum::<u64>(), 7);
    let share = m.abc_revenue_share.map(Option::unwrap);
    assert!((share[0] - 1600.0 / 1906.0).abs() < 1e-12);
    assert!((share[1] - 236.0 / 1906.0).abs() < 1e-12);
    assert!((share[2] - 70.0 / 1906.0).abs() < 1e-12);
    assert_eq!(
        analysis.segment_csv(&ds, Segment::AbcXyz(B, X)),
        "customer_id\nF\n"
    );

    // Thresholds are settings: X up to 20% makes G an X; A only up to 50%
    // (C alone: the share before A is 0.525) and B to 65% (A; G's 0.682 is C).
    let settings = ClvSettings {
        abc_xyz: AbcXyzSettings {
            a_share: 0.5,
            b_share: 0.15,
            x_cv: 0.2,
            y_cv: 0.25,
        },
        ..ClvSettings::default()
    };
    let analysis = ClvAnalysis::new(&ds, &settings);
    let class = |name: &str| {
        let rows = analysis.abc_xyz_rows();
        let c = rows
            .iter()
            .find(|r| ds.customers.name(r.customer) == Some(name))
            .unwrap();
        (c.abc, c.xyz)
    };
    assert_eq!(class("C"), (A, Z));
    assert_eq!(class("A"), (B, Z));
    assert_eq!(class("G"), (C, X));
}
