//! Coverage of the 90% intervals (models/intervals.rs) on simulated shops.
//!
//! Each shop is drawn from known parameters (BG/NBD or Pareto/NBD for the
//! purchases, Gamma-Gamma for the spend, as the models define them), the
//! models are fitted, and the intervals on the total expected purchases
//! and total CLV over the next 52 weeks are computed. What they estimate is
//! the models' expectation for these customers' histories; its true value is
//! the same expectation at the true parameters. A 90% interval should hold
//! it in about 90 of 100 shops; with 100 independent shops the count is
//! Binomial(100, 0.9), 84-96 with 95% probability, so the test asks for
//! 80-97 (the asymptotic normal is an approximation). The shops are
//! seeded, so the counts are fixed; they are printed (run with
//! `--nocapture`).

mod clv_support;

use clv_support::Rng;
use loyalty_analytics::dataset::CustomerSummary;
use loyalty_analytics::models::bgnbd::{fit_bgnbd, BgNbdParams};
use loyalty_analytics::models::clv::{predict, ClvTerms, Months, PredictionTable};
use loyalty_analytics::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams};
use loyalty_analytics::models::intervals::{ParameterDraws, TOTAL_SAMPLE};
use loyalty_analytics::models::model_choice::{PurchaseParams, PurchaseProcess};
use loyalty_analytics::models::pareto_nbd::{fit_pareto_nbd, ParetoNbdParams};
use loyalty_analytics::models::summary::{TimeUnit, Triples};

const SHOPS: u64 = 100;
const CUSTOMERS: usize = 1000;
/// 12 months of 4.345 weeks: 52.14 weeks.
const TERMS: ClvTerms = ClvTerms {
    first_month: 1,
    unit: TimeUnit::Week,
    horizon_months: 12,
    discount_rate: 0.01,
    margin: 1.0,
};
/// Gamma-Gamma's truth: spend per purchase ~ Gamma(p, ν), ν ~ Gamma(q, γ).
const SPEND: GammaGammaParams = GammaGammaParams {
    p: 6.0,
    q: 4.0,
    v: 15.0,
};

/// The purchase process of one customer, the model's way.
enum Process {
    BgNbd(BgNbdParams),
    ParetoNbd(ParetoNbdParams),
}

/// `CUSTOMERS` customers observed for T uniform on [26, 78] weeks: (x, tₓ,
/// T) by the model's definition (FHL 2005 section 2; FH 2005 note section 2)
/// and the average of x spends drawn from Gamma-Gamma (Fader & Hardie 2013).
fn shop(process: &Process, seed: u64) -> Vec<CustomerSummary> {
    let mut rng = Rng(seed);
    (0..CUSTOMERS)
        .map(|i| {
            let big_t = 26.0 + 52.0 * rng.uniform();
            let (lambda, dropout, end) = match process {
                Process::BgNbd(p) => (rng.gamma(p.r) / p.alpha, rng.beta(p.a, p.b), big_t),
                Process::ParetoNbd(p) => {
                    let lambda = rng.gamma(p.r) / p.alpha;
                    let mu = rng.gamma(p.s) / p.beta;
                    (lambda, 0.0, (-rng.uniform().ln() / mu).min(big_t))
                }
            };
            let (mut t, mut x, mut t_x) = (0.0, 0u32, 0.0);
            loop {
                t += -rng.uniform().ln() / lambda;
                if t > end {
                    break;
                }
                x += 1;
                t_x = t;
                if rng.uniform() < dropout {
                    break;
                }
            }
            let nu = rng.gamma(SPEND.q) / SPEND.v;
            let spend: f64 = (0..x).map(|_| rng.gamma(SPEND.p) / nu).sum();
            CustomerSummary {
                customer: i as u32,
                frequency: f64::from(x),
                recency: t_x,
                t: big_t,
                monetary_value: (x > 0).then(|| spend / f64::from(x)),
            }
        })
        .collect()
}

/// The true totals: expected purchases and CLV of these customers at the
/// true parameters.
fn truth(model: &PurchaseParams, rows: &[CustomerSummary]) -> (f64, f64) {
    predict(model, Some(&SPEND), rows, &TERMS)
        .iter()
        .map(|p| p.expect("predicted at the truth"))
        .fold((0.0, 0.0), |(e, c), p| {
            (e + p.expected_purchases, c + p.clv.unwrap())
        })
}

/// Shops whose intervals hold the truth, for expected purchases and CLV.
fn coverage(process: &Process) -> (u32, u32) {
    let true_model = match process {
        Process::BgNbd(p) => PurchaseParams::BgNbd(*p),
        Process::ParetoNbd(p) => PurchaseParams::ParetoNbd(*p),
    };
    let months = Months::new(&TERMS);
    let (mut purchases, mut clv) = (0, 0);
    for seed in 1..=SHOPS {
        let rows = shop(process, seed * 0x9E37_79B9);
        let (model, covariance) = match process {
            Process::BgNbd(_) => {
                let fit = fit_bgnbd(&rows).unwrap();
                (
                    PurchaseParams::BgNbd(fit.params),
                    fit.log_covariance.unwrap(),
                )
            }
            Process::ParetoNbd(_) => {
                let fit = fit_pareto_nbd(&rows).unwrap();
                (
                    PurchaseParams::ParetoNbd(fit.params),
                    fit.log_covariance.unwrap(),
                )
            }
        };
        let repeat: Vec<&CustomerSummary> = rows.iter().filter(|s| s.frequency > 0.0).collect();
        let x: Vec<f64> = repeat.iter().map(|s| s.frequency).collect();
        let m: Vec<f64> = repeat.iter().map(|s| s.monetary_value.unwrap()).collect();
        let gg = fit_gamma_gamma(&x, &m).unwrap();
        let draws = ParameterDraws::new(
            &model,
            &covariance,
            Some((&gg.params, gg.log_covariance.as_deref().unwrap())),
        )
        .unwrap();
        let predictions: PredictionTable = predict(&model, Some(&gg.params), &rows, &TERMS)
            .into_iter()
            .collect();
        let total_e: f64 = predictions
            .iter()
            .map(|p| p.unwrap().expected_purchases)
            .sum();
        let total_clv: f64 = predictions.iter().map(|p| p.unwrap().clv.unwrap()).sum();
        let triples = Triples::new(&rows);
        let intervals = draws.totals_on_sample(
            &months,
            1.0,
            (&rows, &triples, triples.by_x_and_t()),
            &predictions,
            (Some(total_e), Some(total_clv)),
            TOTAL_SAMPLE,
        );
        let (true_e, true_clv) = truth(&true_model, &rows);
        let e = intervals.expected_purchases.unwrap();
        let c = intervals.clv.unwrap();
        purchases += u32::from(e.low <= true_e && true_e <= e.high);
        clv += u32::from(c.low <= true_clv && true_clv <= c.high);
        // The truth's expectation is a model quantity, not the purchases to come.
        assert!(true_model.p_alive(0.0, 0.0, 10.0).is_some());
    }
    (purchases, clv)
}

#[test]
fn bgnbd_intervals_hold_the_truth_about_90_times_in_100() {
    let process = Process::BgNbd(BgNbdParams {
        r: 0.25,
        alpha: 4.0,
        a: 0.8,
        b: 2.5,
    });
    let (purchases, clv) = coverage(&process);
    eprintln!("BG/NBD: expected purchases {purchases}/{SHOPS}, CLV {clv}/{SHOPS}");
    assert!((80..=97).contains(&purchases), "{purchases}");
    assert!((80..=97).contains(&clv), "{clv}");
}

#[test]
fn pareto_nbd_intervals_hold_the_truth_about_90_times_in_100() {
    let process = Process::ParetoNbd(ParetoNbdParams {
        r: 0.55,
        alpha: 10.5,
        s: 0.6,
        beta: 12.0,
    });
    let (purchases, clv) = coverage(&process);
    eprintln!("Pareto/NBD: expected purchases {purchases}/{SHOPS}, CLV {clv}/{SHOPS}");
    assert!((80..=97).contains(&purchases), "{purchases}");
    assert!((80..=97).contains(&clv), "{clv}");
}

/// The totals' intervals on a large base come from a sample of
/// [`TOTAL_SAMPLE`] histories: on CDNOW master (23,570 customers, 11,104
/// distinct histories, weeks, BG/NBD and Gamma-Gamma fitted on everything)
/// each end is within 2% of the interval's width of the one recomputed on
/// every history, and the exact interval holds the point estimate.
#[test]
fn sampled_totals_match_the_exact_ones() {
    let ds = clv_support::load("cdnow/CDNOW_master.txt");
    let h =
        loyalty_analytics::models::summary::PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), TimeUnit::Week);
    let fit = fit_bgnbd(&rows).unwrap();
    let model = PurchaseParams::BgNbd(fit.params);
    let repeat: Vec<&CustomerSummary> = rows
        .iter()
        .filter(|s| s.frequency > 0.0 && s.monetary_value.unwrap() > 0.0)
        .collect();
    let x: Vec<f64> = repeat.iter().map(|s| s.frequency).collect();
    let m: Vec<f64> = repeat.iter().map(|s| s.monetary_value.unwrap()).collect();
    let gg = fit_gamma_gamma(&x, &m).unwrap();
    let cov = fit.log_covariance.unwrap();
    let draws = ParameterDraws::new(
        &model,
        &cov,
        Some((&gg.params, gg.log_covariance.as_deref().unwrap())),
    )
    .unwrap();
    let predictions: PredictionTable = predict(&model, Some(&gg.params), &rows, &TERMS)
        .into_iter()
        .collect();
    let total_e: f64 = predictions
        .iter()
        .flatten()
        .map(|p| p.expected_purchases)
        .sum();
    let total_clv: f64 = predictions.iter().flatten().filter_map(|p| p.clv).sum();
    let triples = Triples::new(&rows);
    let months = Months::new(&TERMS);
    let data = || (&rows[..], &triples, triples.by_x_and_t());
    let totals = (Some(total_e), Some(total_clv));
    let exact = draws.totals_on_sample(&months, 1.0, data(), &predictions, totals, usize::MAX);
    let sampled = draws.totals_on_sample(&months, 1.0, data(), &predictions, totals, TOTAL_SAMPLE);
    assert_eq!(exact.histories, 11_104);
    assert_eq!(
        sampled.histories as usize,
        TOTAL_SAMPLE.min(sampled.histories as usize)
    );
    eprintln!("exact {exact:?}\nsampled {sampled:?}\npoint {total_e} {total_clv}");
    for (e, s, point) in [
        (
            exact.expected_purchases.unwrap(),
            sampled.expected_purchases.unwrap(),
            total_e,
        ),
        (exact.clv.unwrap(), sampled.clv.unwrap(), total_clv),
    ] {
        let width = e.high - e.low;
        assert!(e.low < point && point < e.high);
        assert!((e.low - s.low).abs() < 0.02 * width, "{e:?} vs {s:?}");
        assert!((e.high - s.high).abs() < 0.02 * width, "{e:?} vs {s:?}");
    }
}

/// Per customer on the CDNOW sample (39 + 39 weeks, Pareto/NBD chosen by
/// the holdout): the top customers shown, the customer card and the CSV
/// export carry the same intervals (the same draws), each holding its
/// point prediction.
#[test]
fn customer_intervals_in_the_table_the_card_and_the_csv() {
    use loyalty_analytics::models::section::{PREDICTIONS_HEADER, TOP_INTERVALS};
    use loyalty_analytics::models::{ClvAnalysis, ClvSettings};
    let ds = clv_support::load("cdnow/CDNOW_sample.txt");
    let settings = ClvSettings {
        time_unit: TimeUnit::Week,
        calibration_end: Some("1997-09-30".parse().unwrap()),
        ..ClvSettings::default()
    };
    let analysis = ClvAnalysis::new(&ds, &settings);
    let section = &analysis.section;
    let csv = analysis.predictions_csv(&ds);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(PREDICTIONS_HEADER));
    let by_id: std::collections::HashMap<&str, Vec<&str>> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0], cells)
        })
        .collect();
    assert_eq!(by_id.len(), 2357);
    let num = |s: &str| s.parse::<f64>().unwrap();
    for (rank, top) in section.top_customers.iter().enumerate() {
        let Some(i) = top.interval else {
            assert!(rank >= TOP_INTERVALS);
            continue;
        };
        let card = analysis.customer(&ds, &top.customer).unwrap();
        assert_eq!(card.interval, Some(i), "{}", top.customer);
        let e = i.expected_purchases;
        assert!(e.low <= top.expected_purchases && top.expected_purchases <= e.high);
        let c = i.clv.unwrap();
        assert!(c.low <= top.clv && top.clv <= c.high, "{c:?} {}", top.clv);
        let row = &by_id[top.customer.as_str()];
        assert_eq!(num(row[7]), e.low);
        assert_eq!(num(row[8]), e.high);
        assert_eq!(num(row[9]), top.clv);
        assert_eq!((num(row[10]), num(row[11])), (c.low, c.high));
    }
    // Every customer has both intervals in the export.
    assert!(by_id.values().all(|r| r[7..].iter().all(|c| !c.is_empty())));
}

/// The draws' figures come from an expansion of each history's figures in
/// the log parameters (models/intervals.rs, `Expansion`) instead of the
/// model recomputed at each of the 200 draws. On CDNOW master (weeks, 12
/// months), for every 37th of its distinct histories, with BG/NBD and with
/// Pareto/NBD fitted on all of it: the 90% interval's ends of the expected
/// purchases from the expansion are within 1% of the interval's width (and
/// 1e-6 of the value, for the narrowest) of those recomputed at every draw.
/// Measured 2026-12-05: at most 0.15% of the width for BG/NBD (a first-order
/// expansion, or one without the mixed second derivatives, was off by up to
/// 3%).
#[test]
fn expanded_draws_match_the_model_recomputed_at_every_draw() {
    let ds = clv_support::load("cdnow/CDNOW_master.txt");
    let h =
        loyalty_analytics::models::summary::PurchaseHistories::from_transactions(&ds.transactions);
    let rows = h.summaries(h.last_day.unwrap(), TimeUnit::Week);
    let triples = Triples::new(&rows);
    let months = Months::new(&TERMS);
    let bg = fit_bgnbd(&rows).unwrap();
    let pnbd = fit_pareto_nbd(&rows).unwrap();
    let fits = [
        (PurchaseParams::BgNbd(bg.params), bg.log_covariance.unwrap()),
        (
            PurchaseParams::ParetoNbd(pnbd.params),
            pnbd.log_covariance.unwrap(),
        ),
    ];
    for (model, cov) in fits {
        let draws = ParameterDraws::new(&model, &cov, None).unwrap();
        let mut compared = 0;
        let mut worst = 0.0f64;
        for k in (0..triples.len()).step_by(37) {
            let (x, t_x, t) = (triples.x[k], triples.t_x[k], triples.t[k]);
            let interval = |d: loyalty_analytics::models::intervals::HistoryDraws| {
                d.customer(&draws, x, None, 1.0).unwrap().expected_purchases
            };
            let expanded = interval(draws.history(&months, x, t_x, t));
            let exact = interval(draws.history_exact(&months, x, t_x, t));
            let tolerance = 0.01 * (exact.high - exact.low) + 1e-6 * exact.high;
            let share = ((expanded.low - exact.low)
                .abs()
                .max((expanded.high - exact.high).abs()))
                / (exact.high - exact.low);
            worst = worst.max(share);
            if std::env::var("SHOW").is_ok() {
                continue;
            }
            assert!(
                (expanded.low - exact.low).abs() <= tolerance
                    && (expanded.high - exact.high).abs() <= tolerance,
                "{model:?} history ({x}, {t_x}, {t}): {expanded:?} vs {exact:?}"
            );
            compared += 1;
        }
        eprintln!(
            "{model:?}: the largest difference is {:.3}% of the interval's width",
            100.0 * worst
        );
        assert_eq!(compared, triples.len().div_ceil(37));
    }
}
