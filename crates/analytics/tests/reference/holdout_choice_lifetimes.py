#!/usr/bin/env python3
"""Reference figures for the holdout model choice (crates/analytics/tests/clv_model_choice.rs):
BG/NBD and Pareto/NBD fitted by lifetimes on the CDNOW 1/10 sample's calibration period,
each scored on the holdout. Prints the Rust module holdout_choice_lifetimes.rs beside it,
which the test includes.

Produced with (the environment of pareto_nbd_lifetimes.py beside this script):
    python3 -m venv /tmp/lt
    /tmp/lt/bin/pip install lifetimes==0.11.3 pandas numpy scipy
    /tmp/lt/bin/python crates/analytics/tests/reference/holdout_choice_lifetimes.py /work/shared/data \
        > crates/analytics/tests/reference/holdout_choice_lifetimes.rs
    cargo fmt -p loyalty-analytics
It takes about a minute.

Data: CDNOW_sample.txt (1/10 sample, no header; customer id = 1st column), calibration
1997-01-01..1997-09-30, holdout to 1998-06-30, time unit days/7 (freq="D",
freq_multiplier=7): lifetimes' calibration_and_holdout_data. Holdout purchases are distinct
purchase days after the calibration end.

Fits (penalizer 0), each twice as in the other reference scripts: the default fit, then a
"tight" refit from it (BG/NBD: BFGS tol=1e-12; Pareto/NBD: Nelder-Mead tol=1e-12, up to 20,000
iterations; lifetimes' Pareto/NBD starts from a random point, seeded here). The scores use
the tight fits:
  * predicted = conditional_expected_number_of_purchases_up_to_time(holdout length, x, t_x,
    T) per calibration customer;
  * MAE per customer = mean |holdout purchases - predicted|; totals of both;
  * by calibration frequency 0..7+ the mean prediction (the paper's figure);
  * tracking: per 7-day week from the first purchase day of any customer, the sum over
    customers who had made their first purchase by the week's last day of
    expected_number_of_purchases_up_to_time(age in weeks), as in lifetimes_reference.py.
Where lifetimes' Pareto/NBD gives NaN for a customer (t_x = T for a heavy buyer, see
pareto_nbd_lifetimes.py) the count of such customers is printed; on this sample it is 0.
"""
import contextlib
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
import lifetimes  # noqa: E402
from lifetimes import BetaGeoFitter, ParetoNBDFitter  # noqa: E402
from lifetimes.utils import calibration_and_holdout_data  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
CAL_END = "1997-09-30"
OBS_END = "1998-06-30"


def read_cdnow_sample():
    df = pd.read_csv(f"{DATA}/cdnow/CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["customer_id", "sample_id", "date", "cds", "dollars"],
                     dtype={"customer_id": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return df


def fit_bgnbd(x, tx, T):
    default = BetaGeoFitter(penalizer_coef=0.0).fit(x, tx, T)
    start = np.log(default.params_.to_numpy()).copy()
    start[1] += np.log(default._scale)
    try:
        return BetaGeoFitter(penalizer_coef=0.0).fit(x, tx, T, tol=1e-12, initial_params=start)
    except lifetimes.utils.ConvergenceError:
        return default


def fit_pareto(x, tx, T):
    np.random.seed(21)
    default = ParetoNBDFitter(penalizer_coef=0.0).fit(x, tx, T)
    p = default.params_
    scale = default._scale
    start = np.array([p["r"], p["alpha"] * scale, p["s"], p["beta"] * scale])
    return ParetoNBDFitter(penalizer_coef=0.0).fit(x, tx, T, tol=1e-12, initial_params=start,
                                                   maxiter=20000)


def tracking(model, df):
    days = df[["customer_id", "date"]].drop_duplicates()
    firsts = days.groupby("customer_id")["date"].min()
    start = days["date"].min()
    end = pd.Timestamp(OBS_END)
    out = []
    for w in range(0, 78):
        last = min(start + pd.Timedelta(days=7 * (w + 1) - 1), end)
        ages = ((last - firsts[firsts <= last]).dt.days / 7.0).to_numpy()
        out.append(float(np.sum(model.expected_number_of_purchases_up_to_time(ages))))
    return out


def score(name, model, ch, df):
    length = float(ch["duration_holdout"].iloc[0])
    pred = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
        length, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]), dtype=float)
    nan = int(np.isnan(pred).sum())
    actual = ch["frequency_holdout"].to_numpy(dtype=float)
    ok = ~np.isnan(pred)
    grp = np.minimum(ch["frequency_cal"].to_numpy(), 7)
    by_freq = [float(pred[ok & (grp == k)].mean()) for k in range(8)]
    p = {k: float(v) for k, v in model.params_.items()}
    print(f"/// lifetimes {name}: {nan} customers with a NaN prediction (left out of the sums).")
    print(f"pub const {name}: ModelScore = ModelScore {{")
    print(f"    params: [{', '.join(repr(p[k]) for k in p)}],")
    print(f"    actual_total: {float(actual[ok].sum())!r},")
    print(f"    predicted_total: {float(pred[ok].sum())!r},")
    print(f"    mae_per_customer: {float(np.abs(actual[ok] - pred[ok]).mean())!r},")
    print(f"    predicted_by_frequency: [{', '.join(repr(v) for v in by_freq)}],")
    print(f"    tracking: &[{', '.join(repr(v) for v in tracking(model, df))}],")
    print("};")


def main():
    df = read_cdnow_sample()
    ch = calibration_and_holdout_data(df, "customer_id", "date", calibration_period_end=CAL_END,
                                      monetary_value_col="dollars",
                                      observation_period_end=OBS_END, freq="D", freq_multiplier=7)
    x, tx, T = ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    print("//! lifetimes' holdout scores for clv_model_choice.rs, printed by")
    print("//! holdout_choice_lifetimes.py beside this file (see its header for the command) and")
    print("//! formatted by cargo fmt. Do not edit by hand.")
    print(f"//! lifetimes {lifetimes.__version__}, numpy {np.__version__}, pandas {pd.__version__}")
    print()
    print("use super::ModelScore;")
    print()
    print(f"pub const CUSTOMERS: usize = {len(ch)};")
    print(f"pub const HOLDOUT_WEEKS: f64 = {float(ch['duration_holdout'].iloc[0])!r};")
    # lifetimes prints the optimiser's report when the tight BFGS refit stops with "precision
    # loss" (the default estimate is then kept): to stderr, not into the module.
    with contextlib.redirect_stdout(sys.stderr):
        bg, pareto = fit_bgnbd(x, tx, T), fit_pareto(x, tx, T)
    score("BGNBD", bg, ch, df)
    score("PARETO_NBD", pareto, ch, df)


if __name__ == "__main__":
    main()
