#!/usr/bin/env python3
"""The DuckDB recipes natively on a large transactions CSV: time and memory.

Usage:  python sql/bench_duckdb.py TX.csv [--threads N] [--out DIR]

Reads the file into `transactions` (customer_id, date, amount: the layout of
shared/bench/anchors/gen.py), then runs duckdb/customer_summary.sql (weeks) and
duckdb/cohort_activity.sql as sql/README.md describes, and writes the summary
with COPY, timing each step. Peak memory: run it under `/usr/bin/time -v`
(maximum resident set size). This is the path past the browser (issue 20):
the summary it writes is what the dashboard reads instead of the raw rows.
"""

import argparse
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("--threads", type=int, default=0, help="0: DuckDB's default (every core)")
    p.add_argument("--out", default="/tmp")
    a = p.parse_args()
    con = duckdb.connect()
    if a.threads:
        con.execute(f"SET threads = {a.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"duckdb {duckdb.__version__}, {threads} threads, {a.csv}")
    steps = []

    def step(name, sql):
        t = time.perf_counter()
        con.execute(sql)
        steps.append((name, time.perf_counter() - t))
        print(f"{name}: {steps[-1][1]:.2f} s", flush=True)

    step(
        "load CSV into transactions",
        f"""CREATE OR REPLACE TABLE transactions AS
            SELECT customer_id::VARCHAR AS customer_id, date::DATE AS date, amount::DOUBLE AS amount
            FROM read_csv('{a.csv}', header = true,
                          columns = {{'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'}})""",
    )
    rows = con.execute("SELECT count(*) FROM transactions").fetchone()[0]
    step("customer_summary.sql (weeks)", (HERE / "duckdb" / "customer_summary.sql").read_text())
    customers = con.execute("SELECT count(*) FROM customer_summary").fetchone()[0]
    summary = Path(a.out) / "customer_summary.csv"
    step("COPY customer_summary TO csv", f"COPY customer_summary TO '{summary}' (HEADER)")
    step("cohort_activity.sql", (HERE / "duckdb" / "cohort_activity.sql").read_text())
    cells = con.execute("SELECT count(*) FROM cohort_activity").fetchone()[0]
    total = sum(s for _, s in steps)
    print(f"{rows} rows, {customers} customers, {cells} cohort cells; total {total:.2f} s; summary {summary} ({summary.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
