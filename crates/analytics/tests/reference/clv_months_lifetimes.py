#!/usr/bin/env python3
"""Reference figures for CLV per month and over a window (crates/analytics/tests/clv_months.rs),
computed with the lifetimes package. Prints the Rust module clv_months_lifetimes.rs beside it,
which the test includes.

Produced with (the environment of pareto_nbd_lifetimes.py beside this script):
    python3 -m venv /tmp/lt
    /tmp/lt/bin/pip install lifetimes==0.11.3 pandas numpy scipy
    /tmp/lt/bin/python crates/analytics/tests/reference/clv_months_lifetimes.py /work/shared/data \
        > crates/analytics/tests/reference/clv_months_lifetimes.rs
    cargo fmt -p loyalty-analytics
It takes about a minute.

Data: CDNOW_sample.txt (1/10 sample, no header; customer id = 1st column), the whole period
to 1998-06-30, time unit days/7 (freq="D", freq_multiplier=7), monetary value = lifetimes'
mean of the repeat purchase days' totals.

Fits (penalizer 0), "tight" as in the other reference scripts: BG/NBD by BFGS from the default
fit with tol=1e-12, Pareto/NBD by Nelder-Mead from the (seeded) default fit with tol=1e-12,
Gamma-Gamma on the repeat customers by BFGS with tol=1e-12.

Per month i = 1..24 of 4.345 weeks (lifetimes' factor for weekly data) and over all 2,357
customers, as lifetimes' _customer_lifetime_value computes each month's term:
  * expected purchases: sum of predict(4.345 i) - predict(4.345 (i-1));
  * CLV: sum of spend x that difference / 1.01^i, spend = Gamma-Gamma's
    conditional_expected_average_profit (the population mean for customers without repeat
    purchases).
And the window of months 13-24 as lifetimes gives it: customer_lifetime_value(time=24) -
customer_lifetime_value(time=12), summed over customers.
"""
import contextlib
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
import lifetimes  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
MONTHS = 24
FACTOR = 4.345


def summary():
    df = pd.read_csv(f"{DATA}/cdnow/CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["customer_id", "sample_id", "date", "cds", "dollars"],
                     dtype={"customer_id": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return summary_data_from_transaction_data(df, "customer_id", "date", monetary_value_col="dollars",
                                              observation_period_end="1998-06-30", freq="D",
                                              freq_multiplier=7)


def fit_bgnbd(s):
    default = BetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    start = np.log(default.params_.to_numpy()).copy()
    start[1] += np.log(default._scale)
    try:
        return BetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"],
                                                     tol=1e-12, initial_params=start)
    except lifetimes.utils.ConvergenceError:
        return default


def fit_pareto(s):
    np.random.seed(21)
    default = ParetoNBDFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    p = default.params_
    start = np.array([p["r"], p["alpha"] * default._scale, p["s"], p["beta"] * default._scale])
    return ParetoNBDFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"], tol=1e-12,
                                                   initial_params=start, maxiter=20000)


def fit_gg(s):
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    default = GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary_value"])
    try:
        return GammaGammaFitter(penalizer_coef=0.0).fit(
            rep["frequency"], rep["monetary_value"], tol=1e-12,
            initial_params=np.log(default.params_.to_numpy()))
    except lifetimes.utils.ConvergenceError:
        return default


def block(name, model, gg, s):
    x, tx, T = s["frequency"], s["recency"], s["T"]
    spend = gg.conditional_expected_average_profit(x, s["monetary_value"])
    months = []
    for i in range(1, MONTHS + 1):
        inc = model.predict(FACTOR * i, x, tx, T) - model.predict(FACTOR * (i - 1), x, tx, T)
        months.append((float(np.sum(inc)), float(np.sum(spend * inc / 1.01 ** i))))
    clv = lambda time: gg.customer_lifetime_value(model, x, tx, T, s["monetary_value"], time=time,
                                                  discount_rate=0.01, freq="W")
    window = float((clv(24) - clv(12)).sum())
    p = [float(v) for v in model.params_.values]
    print(f"pub const {name}: MonthsReference = MonthsReference {{")
    print(f"    params: [{', '.join(repr(v) for v in p)}],")
    print(f"    months: &[{', '.join(f'({e!r}, {c!r})' for e, c in months)}],")
    print(f"    window_13_24_clv: {window!r},")
    print("};")


def main():
    s = summary()
    with contextlib.redirect_stdout(sys.stderr):
        bg, pareto, gg = fit_bgnbd(s), fit_pareto(s), fit_gg(s)
    print("//! lifetimes' CLV per month for clv_months.rs, printed by clv_months_lifetimes.py")
    print("//! beside this file (see its header for the command) and formatted by cargo fmt.")
    print("//! Do not edit by hand.")
    print(f"//! lifetimes {lifetimes.__version__}, numpy {np.__version__}, pandas {pd.__version__}")
    print()
    print("use super::MonthsReference;")
    print()
    print(f"pub const CUSTOMERS: usize = {len(s)};")
    g = [float(v) for v in gg.params_.values]
    print(f"pub const GAMMA_GAMMA: [f64; 3] = [{', '.join(repr(v) for v in g)}];")
    block("BGNBD", bg, gg, s)
    block("PARETO_NBD", pareto, gg, s)


if __name__ == "__main__":
    main()
