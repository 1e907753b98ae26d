//! NPS, CSAT and churn-by-answer on real files, against hand computations of
//! the docs/METRICS.md formulas and pandas. The counts were taken with pandas:
//!   s = pd.read_csv(f); n = len(x); P = (x >= 9).sum(); D = (x <= 6).sum()
//! and the interval written out below from those counts:
//!   n' = n + 3, p' = (P + .75)/n', d' = (D + .75)/n',
//!   margin = 1.96 sqrt((p' + d' - (p' - d')^2) / n'), CI = 100 (p' - d' +/- margin).

mod common;

use loyalty_analytics::metrics::nps::NpsSummary;
use loyalty_analytics::{build_report, Dataset, Report};

fn report_of(relative: &str) -> Report {
    let mut ds = Dataset::default();
    ds.add_file(relative, &common::read(relative)).unwrap();
    build_report(&ds)
}

fn close(a: f64, b: f64, tolerance: f64) {
    assert!((a - b).abs() < tolerance, "{a} vs {b}");
}

fn check(s: &NpsSummary, n: u64, promoters: u64, detractors: u64, nps: f64, low: f64, high: f64) {
    assert_eq!(s.responses, n);
    assert_eq!(s.counts.promoters, promoters);
    assert_eq!(s.counts.detractors, detractors);
    close(s.nps, nps, 1e-9);
    close(s.ci_low, low, 1e-6);
    close(s.ci_high, high, 1e-6);
    close(s.margin, (high - low) / 2.0, 1e-9);
}

#[test]
fn sudzilla_nps_by_hand() {
    // 39 answers: 8 promoters, 9 passives, 22 detractors. NPS = (8 - 22)/39 = -35.897.
    // n' = 42, p' = 8.75/42 = 0.208333, d' = 22.75/42 = 0.541667, NPS' = -0.333333,
    // var = 0.75 - 0.111111 = 0.638889, margin = 1.96 sqrt(0.638889/42) = 0.241738.
    let report = report_of("prepbench_case040_sudzilla_nps_survey.csv");
    let s = report.surveys.as_ref().unwrap().nps.unwrap();
    check(
        &s,
        39,
        8,
        22,
        -35.897_435_897_435_9,
        -57.507_087_083,
        -9.159_579_583,
    );
    assert_eq!(report.metric("nps"), Some(s.nps));
    assert_eq!(report.metric("nps_margin"), Some(s.margin));
    assert_eq!(report.metric("responses"), Some(39.0));
    close(report.metric("promoters_pct").unwrap(), 800.0 / 39.0, 1e-9);
    close(report.metric("passives_pct").unwrap(), 900.0 / 39.0, 1e-9);
    close(
        report.metric("detractors_pct").unwrap(),
        2200.0 / 39.0,
        1e-9,
    );
    // The "...why?" column holds the comments.
    let comments = report.surveys.as_ref().unwrap().comments.as_ref().unwrap();
    assert!(comments.comments > 30, "{}", comments.comments);
}

#[test]
fn airline_nps_and_segments_by_hand() {
    // 5,723 answers: 2,069 promoters, 2,096 passives, 1,558 detractors.
    let report = report_of("prepbench_case122_airline_nps_other_airlines.csv");
    let surveys = report.surveys.as_ref().unwrap();
    check(
        &surveys.nps.unwrap(),
        5723,
        2069,
        1558,
        8.928_883_452_734_58,
        6.875_299_973_660_513,
        10.973_110_784_285_696,
    );
    let table = surveys
        .nps_segments
        .iter()
        .find(|t| t.column == "Airline")
        .expect("the airline column splits the answers");
    // 98 airlines (pandas: a.Airline.nunique()).
    assert_eq!(table.rows.len(), 98);
    let row = |name: &str| table.rows.iter().find(|r| r.label == name).unwrap();
    // Gutkowski LLC: n 40, P 23, D 5 -> NPS 45, n' 43, p' = 23.75/43, d' = 5.75/43.
    check(
        &row("Gutkowski LLC").summary,
        40,
        23,
        5,
        45.0,
        20.497_852_306_616_306,
        63.223_077_925_941_83,
    );
    // The rest: 5,683 answers, P 2,046, D 1,553 -> NPS = 493/5683 = 8.6750.
    close(
        row("Gutkowski LLC").difference_to_rest.unwrap(),
        45.0 - 100.0 * 493.0 / 5683.0,
        1e-9,
    );
    // Zulauf, Wehner and Goodwin: n 37, P 9, D 20.
    check(
        &row("Zulauf, Wehner and Goodwin").summary,
        37,
        9,
        20,
        -29.729_729_729_729_73,
        -53.184_134_207_716_64,
        -1.815_865_792_283_366_5,
    );
    let impacts: Vec<f64> = table.rows.iter().map(|r| r.impact.unwrap().abs()).collect();
    assert!(impacts.windows(2).all(|w| w[0] >= w[1]), "sorted by impact");
}

#[test]
fn bank_churn_by_complaint_and_satisfaction_equals_pandas() {
    // b.groupby('Complain')['Exited'].agg(['sum', 'count']):
    //   0: 4 of 7,956; 1: 2,034 of 2,044
    // b.groupby('Satisfaction_Score')['Exited'].agg(['sum', 'count']):
    //   1: 387/1932, 2: 439/2014, 3: 401/2042, 4: 414/2008, 5: 397/2004
    let report = report_of("bank_churn_records_satisfaction_points.csv");
    let churn = report
        .surveys
        .as_ref()
        .and_then(|s| s.churn_by_answer.as_ref())
        .expect("churn by answer");
    let got: Vec<(&str, u64, u64)> = churn
        .by_problem
        .iter()
        .map(|g| (g.group.as_str(), g.churn.count, g.churn.of))
        .collect();
    assert_eq!(got, [("yes", 2034, 2044), ("no", 4, 7956)]);
    let got: Vec<(&str, u64, u64)> = churn
        .by_satisfaction
        .iter()
        .map(|g| (g.group.as_str(), g.churn.count, g.churn.of))
        .collect();
    assert_eq!(
        got,
        [
            ("1", 387, 1932),
            ("2", 439, 2014),
            ("3", 401, 2042),
            ("4", 414, 2008),
            ("5", 397, 2004)
        ]
    );
}

#[test]
fn a_survey_without_answers_to_score_has_no_nps_never_nan() {
    let mut ds = Dataset::default();
    ds.add_file("csat.csv", b"customer_id,csat\na,5\nb,4\nc,2\nd,5\n")
        .unwrap();
    let report = build_report(&ds);
    let s = report.surveys.as_ref().unwrap();
    assert!(s.nps.is_none());
    assert!(report.metric("nps").is_none());
    // CSAT 3 of 4 in the top two of 1-5.
    assert_eq!(report.metric("csat"), Some(0.75));
    assert!(report.metrics.values().all(|v| v.is_finite()));
}

#[test]
fn loyalty_link_joins_answers_to_purchases() {
    // Three respondents; a promoter who bought three times, a detractor
    // who bought once, and one id with no purchases (unmatched).
    let mut ds = Dataset::default();
    ds.add_file(
        "orders.csv",
        b"customer_id,date,amount\n\
          p,2024-01-05,10\np,2024-02-10,20\np,2024-09-01,30\n\
          d,2024-01-07,50\nx,2024-12-31,1\n",
    )
    .unwrap();
    ds.add_file(
        "nps.csv",
        b"customer_id,date,nps\np,2024-01-20,10\nd,2024-01-20,3\nz,2024-01-20,9\n",
    )
    .unwrap();
    let report = build_report(&ds);
    let link = report
        .surveys
        .as_ref()
        .and_then(|s| s.loyalty_link.as_ref())
        .unwrap();
    assert_eq!(
        (link.respondents_with_id, link.matched, link.unmatched),
        (3, 2, 1)
    );
    let promoter = &link.by_nps_group[0];
    assert_eq!(promoter.group, "promoter");
    assert_eq!(promoter.repeat_rate.unwrap().share, 1.0);
    // Answered 2024-01-20, bought 2024-02-10: within 3 months; the data ends
    // 2024-12-31 so the 3, 6 and 12-month windows (to 2025-01-20) are
    // observable for 3 and 6 months only.
    assert_eq!(promoter.bought_within_3m.unwrap().share, 1.0);
    assert_eq!(promoter.bought_within_6m.unwrap().share, 1.0);
    assert!(promoter.bought_within_12m.is_none());
    assert_eq!(promoter.revenue_per_customer.unwrap().mean, 60.0);
    let detractor = &link.by_nps_group[1];
    assert_eq!(detractor.group, "detractor");
    assert_eq!(detractor.repeat_rate.unwrap().share, 0.0);
    assert_eq!(detractor.bought_within_3m.unwrap().share, 0.0);
}
