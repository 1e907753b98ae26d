#!/usr/bin/env python3
"""Reference figures for the Pareto/NBD tests (crates/analytics/tests/clv_pareto_nbd.rs),
computed with lifetimes' ParetoNBDFitter. Prints the Rust module pareto_nbd_lifetimes.rs beside
it, which the test includes.

Produced with (Python 3.11.7; `pip install lifetimes==0.11.3 pandas numpy scipy` installed as
it is, no older numpy/scipy/pandas needed: lifetimes 0.11.3, numpy 2.4.6, scipy 1.17.1, pandas
3.1.1, autograd 1.9.1; the script prints the versions it ran with):
    python3 -m venv /tmp/lt
    /tmp/lt/bin/pip install lifetimes==0.11.3 pandas numpy scipy
    /tmp/lt/bin/python crates/analytics/tests/reference/pareto_nbd_lifetimes.py /work/shared/data \
        > crates/analytics/tests/reference/pareto_nbd_lifetimes.rs
    cargo fmt -p loyalty-analytics

Data:
  * cdnow: CDNOW_sample.txt from the shared data folder (1/10 sample, no header; customer id
    = 1st column), 39-week calibration 1997-01-01..1997-09-30, time unit days/7
    (freq="D", freq_multiplier=7), as in tests/fixtures/clv/lifetimes_reference.py.
  * master: CDNOW_master.txt, whole period to 1998-06-30, days/7.
  * simulated: pareto_nbd_simulated.csv beside this script (frequency, recency, T in weeks),
    written by the Rust test simulated_fixture_is_the_generators_output.

The whole script takes about 30 minutes, nearly all of it the tight fit on CDNOW master
(Nelder-Mead with tol=1e-12, up to 20,000 iterations, about 20 ms per evaluation of the
likelihood on 23,570 customers); the default fit there takes 13.5 s.

Fits: ParetoNBDFitter(penalizer_coef=0). lifetimes fits Pareto/NBD by Nelder-Mead on the
natural parameters in time rescaled to max T = 1, from a random start (np.random.normal(1,
0.05); seeded here) with tol=1e-4, which stops in the 4th-5th digit. Each fit is done
twice: "default" (as a user gets it) and "tight" (Nelder-Mead again from the default estimate
with tol=1e-12 and up to 20,000 iterations). Log-likelihoods are recomputed with lifetimes'
own _conditional_log_likelihood in weeks (its stored value is in rescaled time and divided by
the mean weight), summed over the customers where it is finite; `not_finite` lists the
(x, t_x, T) where it is not: when t_x = T lifetimes' log_A_0 is a signed logsumexp of two
equal terms, which gives -inf (A_0 = 0, right) for light buyers but NaN for the heaviest one
(x = 170 in CDNOW master), where the exact values are A_0 = 0 and P(alive) = 1. P(alive) and E[Y(t)] of chosen customers use the
tight parameters (NaN where lifetimes gives NaN).
"""
import importlib.metadata as md
import sys
import warnings

import numpy as np
import pandas as pd
import scipy

warnings.filterwarnings("ignore")
import lifetimes  # noqa: E402
from lifetimes import ParetoNBDFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
HERE = __file__.rsplit("/", 1)[0]


def fit_both(s):
    np.random.seed(21)
    default = ParetoNBDFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    p = default.params_
    scale = default._scale
    start = np.array([p["r"], p["alpha"] * scale, p["s"], p["beta"] * scale])
    tight = ParetoNBDFitter(penalizer_coef=0.0).fit(
        s["frequency"], s["recency"], s["T"], tol=1e-12, initial_params=start, maxiter=20000
    )
    return default, tight


def ll_per_customer(m, s):
    p = m.params_
    return np.asarray(ParetoNBDFitter._conditional_log_likelihood(
        [float(p["r"]), float(p["alpha"]), float(p["s"]), float(p["beta"])],
        s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy()), dtype=float)


def ll(m, s):
    """Total log-likelihood over the customers where lifetimes' is finite, and the
    (x, t_x, T) of those where it is not."""
    each = ll_per_customer(m, s)
    bad = ~np.isfinite(each)
    rows = s[bad][["frequency", "recency", "T"]].to_numpy().tolist()
    return float(each[~bad].sum()), [tuple(float(v) for v in row) for row in rows]


def rust_float(v):
    v = float(v)
    return repr(v) if np.isfinite(v) else "f64::NAN"


def pick(s, n_each=3):
    """Customers over the frequency range: the most frequent, middle repeaters, one-timers."""
    s = s.sort_values(["frequency", "recency", "T"], ascending=False)
    rows = list(s.index[:n_each])
    mid = s[s["frequency"] > 0]
    rows += list(mid.index[len(mid) // 2: len(mid) // 2 + n_each])
    rows += list(mid.index[-n_each:])
    zero = s[s["frequency"] == 0]
    rows += list(zero.index[:1]) + list(zero.index[-1:])
    return list(dict.fromkeys(rows))


def rust_params(p):
    r, alpha, s, beta = (float(p[k]) for k in ("r", "alpha", "s", "beta"))
    return f"params({r!r}, {alpha!r}, {s!r}, {beta!r})"


def rust_fit(name, s):
    default, tight = fit_both(s)
    tight_ll, not_finite = ll(tight, s)
    print(f"/// default: LL {ll(default, s)[0]!r}")
    print(f"pub const {name}: LifetimesFit = LifetimesFit {{")
    print(f"    default: {rust_params(default.params_)},")
    print(f"    tight: {rust_params(tight.params_)},")
    print(f"    tight_log_likelihood: {tight_ll!r},")
    print(f"    not_finite: &{[list(r) for r in not_finite]!r},".replace("[[", "[(").replace("]]", ")]")
          .replace("], [", "), (").replace("&[]", "&[]"))
    print("    customers: &[")
    for i in pick(s):
        x, tx, T = (float(s.loc[i, c]) for c in ("frequency", "recency", "T"))
        alive = float(tight.conditional_probability_alive(x, tx, T))
        e10 = float(tight.conditional_expected_number_of_purchases_up_to_time(10.0, x, tx, T))
        e52 = float(tight.conditional_expected_number_of_purchases_up_to_time(52.0, x, tx, T))
        print(f"        customer({x!r}, {tx!r}, {T!r}, {rust_float(alive)}, {rust_float(e10)}, "
              f"{rust_float(e52)}),")
    print("    ],")
    print("};")


def rust_extreme():
    """lifetimes' P(alive) and E[Y(t)] at parameters where one scale is many times the other
    (z near 1 in Fader and Hardie's 2F1: our quadrature route), no fit."""
    print("pub const LIFETIMES_EXTREME: &[(ParetoNbdParams, Reference)] = &[")
    for (r, alpha, s, beta) in [(0.8, 0.5, 0.9, 40.0), (1.6, 90.0, 0.4, 0.2), (0.3, 0.05, 2.5, 300.0)]:
        m = ParetoNBDFitter()
        m.params_ = pd.Series({"r": r, "alpha": alpha, "s": s, "beta": beta})
        for (x, tx, T) in [(0.0, 0.0, 30.0), (1.0, 0.5, 30.0), (4.0, 2.0, 52.0), (12.0, 40.0, 52.0)]:
            alive = m.conditional_probability_alive(x, tx, T)
            e10 = m.conditional_expected_number_of_purchases_up_to_time(10.0, x, tx, T)
            e52 = m.conditional_expected_number_of_purchases_up_to_time(52.0, x, tx, T)
            print(f"    (params({r!r}, {alpha!r}, {s!r}, {beta!r}), customer({x!r}, {tx!r}, {T!r}, "
                  f"{rust_float(alive)}, {rust_float(e10)}, {rust_float(e52)})),")
    print("];")


def cdnow(path, header, cal_end):
    if header:
        df = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    else:
        df = pd.read_csv(path, sep=r"\s+", header=None,
                         names=["customer_id", "sample_id", "date", "cds", "dollar_value"],
                         dtype={"customer_id": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    cal = df[df["date"] <= cal_end]
    return summary_data_from_transaction_data(cal, "customer_id", "date",
                                              observation_period_end=cal_end,
                                              freq="D", freq_multiplier=7)


def main():
    print("//! lifetimes' figures for clv_pareto_nbd.rs, printed by pareto_nbd_lifetimes.py beside")
    print("//! this file (see its header for the command and the environment; it takes about 30")
    print("//! minutes) and formatted by cargo fmt. Do not edit by hand.")
    print(f"//! lifetimes {lifetimes.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"pandas {pd.__version__}, autograd {md.version('autograd')}")
    print()
    print("use super::{customer, params, LifetimesFit, Reference};")
    print("use loyalty_analytics::models::pareto_nbd::ParetoNbdParams;")
    print()
    rust_extreme()
    rust_fit("LIFETIMES_CDNOW", cdnow(f"{DATA}/cdnow/CDNOW_sample.txt", False, "1997-09-30"))
    rust_fit("LIFETIMES_MASTER", cdnow(f"{DATA}/cdnow/CDNOW_master.txt", True, "1998-06-30"))
    rust_fit("LIFETIMES_SIMULATED", pd.read_csv(f"{HERE}/pareto_nbd_simulated.csv"))


if __name__ == "__main__":
    main()
