//! The Pareto/NBD fit made by a helper worker while the rest of the analysis
//! goes on (issue 20): once its answer is filled in, the Report is the one
//! a single worker computes, to the byte of its JSON; so is it when no
//! answer comes (fitted in line then), and so are reruns that reuse the
//! kept analysis.

mod clv_support;

use clv_support::{load, shop, Rng};
use loyalty_analytics::models::late_fit::{fit_for_helper, HelperFit};
use loyalty_analytics::models::pareto_nbd::FitInput;
use loyalty_analytics::models::{FitHelper, LocalFuture, ModelChoice, ParetoNbdSource, TimeUnit};
use loyalty_analytics::{analyse, analyse_with, Dataset, Settings};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// What the helper does in a run.
#[derive(Clone, Copy, PartialEq)]
enum Helper {
    /// Takes the input and answers with its fit.
    Answers,
    /// Takes it and never answers (a worker that died): fitted in line.
    Silent,
}

/// A helper in the same thread: it fits when offered, and its answer is
/// ready when asked for.
struct TestHelper {
    mode: Helper,
    offered: bool,
    /// Asked for its answer while the analysis ran (the model in use
    /// waited for it).
    asked: bool,
    fit: Option<HelperFit>,
}

impl FitHelper for TestHelper {
    fn offer(&mut self, input: &FitInput) -> bool {
        self.offered = true;
        self.fit = (self.mode == Helper::Answers).then(|| fit_for_helper(input));
        true
    }

    fn answer(&mut self) -> LocalFuture<'_, Option<HelperFit>> {
        self.asked = true;
        Box::pin(std::future::ready(self.fit.take()))
    }
}

/// How a run with a helper went.
struct Run {
    json: String,
    /// The input was offered to the helper.
    offered: bool,
    /// The CLV section waited for the helper's fit before choosing the
    /// model in use.
    waited_to_choose: bool,
    /// The analysis came back without the fit, and was completed with it.
    completed_later: bool,
}

/// The value of `future`, which waits for nothing here (the test helper's
/// answers are ready).
fn now<T>(future: impl std::future::Future<Output = T>) -> T {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the analysis waited for a ready answer"),
    }
}

fn with_helper(ds: &Dataset, settings: &Settings, mode: Helper) -> Run {
    let mut helper = TestHelper {
        mode,
        offered: false,
        asked: false,
        fit: None,
    };
    let (mut analysis, _) = now(analyse_with(
        ds,
        settings,
        &mut || 0.0,
        &mut ParetoNbdSource::Helper(&mut helper),
    ));
    let completed_later = analysis.late_pareto_nbd().is_some();
    if let Some(late) = analysis.late_pareto_nbd() {
        assert!(!helper.asked, "asked twice");
        if let Some(fit) = helper.fit.take() {
            late.answer(fit);
        }
    }
    analysis.complete_pareto_nbd();
    assert!(analysis.late_pareto_nbd().is_none());
    Run {
        json: serde_json::to_string(&analysis.report).unwrap(),
        offered: helper.offered,
        waited_to_choose: helper.asked,
        completed_later,
    }
}

fn in_line(ds: &Dataset, settings: &Settings) -> String {
    serde_json::to_string(&analyse(ds, settings).report).unwrap()
}

fn read(text: &str) -> Option<Dataset> {
    let mut ds = Dataset::default();
    ds.add_file("shop.csv", text.as_bytes()).ok()?;
    Some(ds)
}

/// A shop whose customers buy as BG/NBD says (each with a purchase rate and
/// a chance of leaving after a purchase of their own), so that the fits
/// mostly succeed:
/// between 50 and 250 customers, from `seed`; the same shape as [`shop`]'s.
fn btyd_shop() -> impl Strategy<Value = (String, u8, u32, Option<u32>)> {
    (
        50usize..250,
        7u32..60,
        3u32..40,
        any::<u64>(),
        0u8..3,
        0u32..40,
        prop::option::of(100u32..500),
    )
        .prop_map(
            |(customers, mean_gap, leave_percent, seed, unit, horizon, calibration)| {
                let mut rng = Rng(seed | 1);
                let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
                let mut text = String::from("customer_id,date,amount\n");
                for c in 0..customers {
                    let gap = f64::from(mean_gap) * (0.2 + 2.0 * rng.uniform());
                    // Customers differ in their chance of leaving too (else
                    // BG/NBD runs off to its no-heterogeneity limit).
                    let leave = f64::from(leave_percent) * 2.0 * rng.uniform();
                    let mut day = rng.uniform() * 300.0;
                    while day < 600.0 {
                        let date = start + chrono::Duration::days(day as i64);
                        text.push_str(&format!("c{c},{date},{:.2}\n", 5.0 + 50.0 * rng.uniform()));
                        if rng.uniform() * 100.0 < leave {
                            break;
                        }
                        day += 1.0 - rng.uniform().ln() * gap;
                    }
                }
                (text, unit, horizon, calibration)
            },
        )
}

/// CDNOW's 1/10 sample, weekly, fitted on everything: the analysis comes
/// back without the helper's fit, and once it is filled in the Report equals
/// the single worker's; with a calibration end (the holdout chooses between
/// the models) or Pareto/NBD asked for by name, the CLV section waits for
/// the helper's fit before it chooses, with the same Report.
#[test]
fn cdnow_with_a_helper_equals_one_worker() {
    let ds = load("cdnow/CDNOW_sample.txt");
    let mut settings = Settings::default();
    settings.clv.time_unit = TimeUnit::Week;
    let expected = in_line(&load("cdnow/CDNOW_sample.txt"), &settings);
    assert!(expected.contains("\"pnbd_r\""));
    let run = with_helper(&ds, &settings, Helper::Answers);
    assert!(run.offered && run.completed_later && !run.waited_to_choose);
    assert_eq!(run.json, expected);
    // A rerun with another period reuses the kept CLV analysis, answered.
    let mut other = settings.clone();
    other.churn_window_days = 120;
    assert_eq!(
        in_line(&ds, &other),
        in_line(&load("cdnow/CDNOW_sample.txt"), &other)
    );

    for change in [
        |s: &mut Settings| s.clv.calibration_end = chrono::NaiveDate::from_ymd_opt(1997, 9, 30),
        |s: &mut Settings| s.clv.model = ModelChoice::ParetoNbd,
    ] {
        let mut s = settings.clone();
        change(&mut s);
        let expected = in_line(&load("cdnow/CDNOW_sample.txt"), &s);
        for mode in [Helper::Answers, Helper::Silent] {
            // A dataset of its own: a rerun would reuse the kept analysis.
            let run = with_helper(&load("cdnow/CDNOW_sample.txt"), &s, mode);
            assert!(run.offered && run.waited_to_choose && !run.completed_later);
            assert_eq!(run.json, expected);
        }
    }
}

/// Runs `cases` shops from `shops` with a helper that answers or one that
/// never does, with the settings `settings` draws, and checks that the Report
/// is the single worker's, and so is a rerun on the same dataset; returns
/// the shops read, those where the helper's Pareto/NBD fit was used (or
/// waited for in vain), among those the ones where it failed or was
/// degenerate (its messages then go in among BG/NBD's), and those where the
/// CLV section waited for it to choose the model.
fn check_shops(
    cases: u32,
    shops: impl Strategy<Value = (String, u8, u32, Option<u32>)>,
    models: &[ModelChoice],
    calibrated: bool,
) -> [u32; 5] {
    // Seeded: the counts the tests assert on are the same on every run.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let counts = std::cell::RefCell::new([0u32; 5]);
    runner
        .run(
            &(shops, 0..models.len(), any::<bool>()),
            |((text, unit, horizon, calibration), model, silent)| {
                let Some(ds) = read(&text) else {
                    return Ok(());
                };
                let mut settings = Settings::default();
                settings.clv.time_unit = TimeUnit::ALL[usize::from(unit)];
                settings.clv.horizon_months = horizon;
                settings.clv.model = models[model];
                settings.clv.calibration_end = calibration.filter(|_| calibrated).map(|d| {
                    chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
                        + chrono::Duration::days(i64::from(d))
                });
                let helper = if silent {
                    Helper::Silent
                } else {
                    Helper::Answers
                };
                let run = with_helper(&ds, &settings, helper);
                let expected = in_line(&read(&text).unwrap(), &settings);
                if run.json != expected {
                    return Err(TestCaseError::fail(format!(
                        "helper {}\n one worker {}",
                        run.json, expected
                    )));
                }
                let mut other = settings.clone();
                other.churn_window_days = 30;
                if in_line(&ds, &other) != in_line(&read(&text).unwrap(), &other) {
                    return Err(TestCaseError::fail("rerun differs"));
                }
                let mut c = counts.borrow_mut();
                c[0] += 1;
                if run.waited_to_choose {
                    c[4] += 1;
                }
                if run.completed_later || run.waited_to_choose {
                    c[1] += 1;
                    if !expected.contains("\"pnbd_r\"") {
                        c[2] += 1;
                    } else if expected.contains("Pareto/NBD: the fit is degenerate") {
                        c[3] += 1;
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    let counts = *counts.borrow();
    counts
}

/// Shops that buy as BG/NBD says, fitted on everything with the model
/// chosen automatically or BG/NBD asked for: where the helper's fit is
/// waited for, the Report is the single worker's; the run counts those
/// cases, and the ones where Pareto/NBD failed or was degenerate, so the
/// property is seen to hold where it matters.
#[test]
fn shops_waiting_for_the_helper_equal_one_worker() {
    let [read_cases, waited, failed, degenerate, _] = check_shops(
        64,
        btyd_shop(),
        &[ModelChoice::Auto, ModelChoice::BgNbd],
        false,
    );
    eprintln!(
        "{read_cases} shops read, {waited} waited for the helper: Pareto/NBD failed in \
         {failed}, degenerate in {degenerate}"
    );
    assert!(read_cases >= 60, "{read_cases}");
    assert!(waited >= 40, "{waited}");
    assert!(failed + degenerate >= 2, "{failed} + {degenerate}");
}

/// Random shops (fits that fail, run off to a limit, or have nothing to
/// fit) with a holdout or not and any model asked for: with or without the
/// helper, the same Report.
#[test]
fn random_shops_with_a_helper_equal_one_worker() {
    let models = [
        ModelChoice::Auto,
        ModelChoice::BgNbd,
        ModelChoice::ParetoNbd,
    ];
    let [read_cases, waited, .., to_choose] =
        check_shops(48, prop_oneof![shop(), btyd_shop()], &models, true);
    eprintln!(
        "{read_cases} shops read, {waited} used the helper's fit, {to_choose} of them waited \
         for it to choose the model"
    );
    assert!(read_cases >= 40, "{read_cases}");
    assert!(to_choose >= 15, "{to_choose}");
}
