#!/usr/bin/env python3
"""Proves the warehouse SQL recipes give the dashboard's figures.

For each real data set, the raw transactions go two ways:

  raw file  --------------------------------> loyalty report --json   (A)
  raw file -> DuckDB table -> recipes -> summary.csv -> loyalty report --json   (B)
                                      -> cohort_activity

and the test checks, with the same observation end and time unit on both
sides, that

  * (B) reads the summary kind with no rejected row and as many customers as (A);
  * the CLV headline figures agree, relative differences at most
      1e-12  bgnbd_ll (the maximised log-likelihood: the same inputs reach
             the same maximum; any changed frequency, recency or T moves it),
      1e-8   p_alive_mean, expected_purchases_total, clv_total, clv_mean,
      1e-6   bgnbd_r/alpha/a/b, gg_p/q/v: the fitted parameters agree up to
             where the optimisers stop; the customers' order differs (the
             core keeps first appearance in the file, the SQL sorts by id)
             and monetary_value is a sum whose order of addition differs
             (last binary digit), which moves the stopping point slightly
             along flat directions of the likelihood;
  * the top-100 CLV customers of (A) have the summary rows and CLV of (B);
  * the cohort activity counts equal (A)'s `cohorts` exactly (cohorts,
    sizes, active customers per cohort and month, the observable cells),
    and the revenue per cell relative to month 0 agrees to 1e-9.

With --spark the Spark SQL recipes run in pyspark's local mode on the same
rows, through sql/spark/export.py (the spark-submit job) and Spark's CSV
writer, and their outputs go through the same checks.

Exit status 0 when everything agrees, 1 on a mismatch, 2 when the data, the
CLI or a Python package is missing. Settings:
  LOYALTY_DATA_DIR  the shared data folder (default ../shared/data from the repository root)
  LOYALTY_CLI       the `loyalty` binary (default $CARGO_TARGET_DIR/debug/loyalty,
                    else target/debug/loyalty)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CDNOW = "cdnow/CDNOW_master.txt"
UCI = "uci_online_retail.csv.gz"
DATASETS = ["cdnow", "uci", "uci-no-amounts"]

# Relative tolerances (see the module docstring and README.md).
TOLERANCES = [
    # The maximised log-likelihood: identical inputs reach the same maximum.
    (1e-12, ["bgnbd_ll"]),
    # Aggregate predictions over every customer.
    (1e-8, ["p_alive_mean", "expected_purchases_total", "clv_total", "clv_mean"]),
    # Fitted parameters: equal up to where the optimiser stops (flat directions).
    (1e-6, ["bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b", "gg_p", "gg_q", "gg_v"]),
]
CLV_TOLERANCE = 1e-6  # one top customer's CLV


class Missing(Exception):
    """Something the test needs is not there (exit status 2)."""


class Checks:
    """Collects mismatches instead of stopping at the first."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.count = 0

    def expect(self, ok: bool, what: str) -> bool:
        self.count += 1
        if not ok:
            self.failures.append(what)
            print(f"    MISMATCH: {what}")
        return ok


def rel_diff(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


# ---------------------------------------------------------------- settings


def data_dir() -> Path:
    setting = os.environ.get("LOYALTY_DATA_DIR")
    return Path(setting) if setting else ROOT.parent / "shared" / "data"


def data_file(relative: str) -> Path:
    folder = data_dir()
    path = folder / relative
    if not path.is_file():
        raise Missing(
            f"data set {relative} not found: set LOYALTY_DATA_DIR to the shared data "
            f"folder (now {folder})"
        )
    return path


def cli_path(given: str | None) -> Path:
    if given:
        path = Path(given)
    elif os.environ.get("LOYALTY_CLI"):
        path = Path(os.environ["LOYALTY_CLI"])
    elif os.environ.get("CARGO_TARGET_DIR"):
        path = Path(os.environ["CARGO_TARGET_DIR"]) / "debug" / "loyalty"
    else:
        path = ROOT / "target" / "debug" / "loyalty"
    if not path.is_file():
        raise Missing(
            f"the loyalty CLI is not at {path}: run `cargo build -p loyalty-cli` "
            "or set LOYALTY_CLI to the binary"
        )
    return path


def report(cli: Path, files: list[Path], time_unit: str | None) -> dict:
    args = [str(cli), "report", *map(str, files), "--json"]
    if time_unit:
        args += ["--time-unit", time_unit]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


# ---------------------------------------------------------------- raw data


def load_transactions(con, dataset: str, out: Path) -> Path:
    """The raw file as a `transactions` table (customer_id, date, amount,
    order_id), the way a warehouse would hold it; returns the file the CLI
    reads for the same rows."""
    if dataset == "uci-no-amounts":
        # The table without amounts (`NULL AS amount`) and, for the CLI, the
        # same rows as a file without an amount column (blank ids included:
        # the CLI rejects them, the recipes leave them out).
        load_transactions(con, "uci", out)
        path = out / "uci_no_amounts.csv"
        con.execute(f"COPY (SELECT customer_id, date FROM transactions) TO '{path}' (HEADER)")
        con.execute(
            "CREATE OR REPLACE TABLE transactions AS "
            "SELECT customer_id, date, CAST(NULL AS DOUBLE) AS amount, order_id FROM transactions"
        )
        return path
    if dataset == "cdnow":
        path = data_file(CDNOW)
        # Whitespace-separated with a header: customer_id date(YYYYMMDD) cds dollars.
        con.execute(
            f"""
            CREATE OR REPLACE TABLE transactions AS
            SELECT s[1] AS customer_id,
                   strptime(s[2], '%Y%m%d')::DATE AS date,
                   CAST(s[4] AS DOUBLE) AS amount,
                   CAST(NULL AS VARCHAR) AS order_id
            FROM (SELECT regexp_split_to_array(trim(line), '\\s+') AS s
                  FROM read_csv('{path}', header = false, skip = 1, delim = '\\t',
                                quote = '', escape = '', columns = {{'line': 'VARCHAR'}})
                  WHERE trim(line) <> '')
            """
        )
    else:
        path = data_file(UCI)
        # InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country;
        # amount = Quantity x UnitPrice, blank CustomerID = NULL (the CLI rejects those rows).
        con.execute(
            f"""
            CREATE OR REPLACE TABLE transactions AS
            SELECT nullif(trim(CustomerID), '') AS customer_id,
                   CAST(substr(InvoiceDate, 1, 10) AS DATE) AS date,
                   CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount,
                   InvoiceNo AS order_id
            FROM read_csv('{path}', header = true, all_varchar = true)
            """
        )
    return path


# ---------------------------------------------------------------- recipes


def run_duckdb_summary(con, observation_end: str, time_unit: str, out: Path) -> None:
    con.execute(f"SET VARIABLE observation_end = DATE '{observation_end}'")
    con.execute(f"SET VARIABLE time_unit = '{time_unit}'")
    con.execute((HERE / "duckdb" / "customer_summary.sql").read_text())
    con.execute(f"COPY customer_summary TO '{out}' (HEADER, DELIMITER ',')")


def run_duckdb_cohorts(con) -> list[tuple]:
    con.execute((HERE / "duckdb" / "cohort_activity.sql").read_text())
    return con.execute(
        "SELECT cohort, months_since_first, cohort_size, active_customers, revenue "
        "FROM cohort_activity ORDER BY cohort, months_since_first"
    ).fetchall()


class SparkRunner:
    """The Spark SQL recipes in pyspark's local mode, run through
    sql/spark/export.py (the job README.md gives to spark-submit) with the
    arguments a user would pass, in one session for every case."""

    def __init__(self, workdir: Path) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as e:
            raise Missing(f"--spark needs pyspark in this Python ({sys.executable}): {e}")
        sys.path.insert(0, str(HERE / "spark"))
        import export

        self.export = export
        started = time.time()
        builder = (
            SparkSession.builder.master("local[2]")
            .appName("loyalty-sql-recipes")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "2g")
            # Many small queries in a short run: the JVM's C1 compiler alone
            # and the serial collector took the Spark part from about 50 s to
            # 30 s on 2 cores (less time compiling code that is soon done with).
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        )
        try:
            self.spark = builder.getOrCreate()
        except Exception as e:  # no Java, or one too old: the JVM does not start
            raise Missing(
                f"--spark could not start Spark ({type(e).__name__}: {e}); it needs Java 17 "
                "or newer (JAVA_HOME, else java on PATH): `cargo xtask setup` installs "
                "Debian's openjdk-17-jre-headless"
            )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.workdir = workdir
        self.started = started

    def load(self, con) -> None:
        """The rows as Parquet, read as the table `parquet_rows`."""
        parquet = self.workdir / "transactions.parquet"
        con.execute(f"COPY transactions TO '{parquet}' (FORMAT PARQUET)")
        self.spark.read.parquet(str(parquet)).createOrReplaceTempView("parquet_rows")

    def part_file(self, folder: Path) -> Path:
        parts = sorted(folder.glob("part-*.csv"))
        assert len(parts) == 1, f"expected one CSV part file in {folder}, found {parts}"
        return parts[0]

    def summary(self, observation_end: str, time_unit: str, out: Path) -> None:
        """customer_summary.sql, written by Spark's own CSV writer (one part
        file with a header), copied to `out`; `transactions` as a query."""
        folder = out.with_suffix(".spark")
        self.export.run(self.spark, [
            "--transactions", "SELECT * FROM parquet_rows",
            "--observation-end", observation_end, "--time-unit", time_unit,
            "--out", str(folder),
        ])
        shutil.copyfile(self.part_file(folder), out)
        shutil.rmtree(folder)

    def cohorts(self) -> list[tuple]:
        """cohort_activity.sql's CSV, read back; `transactions` as a table name."""
        folder = self.workdir / "cohort_activity.spark"
        self.export.run(self.spark, ["--transactions", "parquet_rows", "--cohorts-out", str(folder)])
        with self.part_file(folder).open(newline="") as f:
            rows = [
                (r["cohort"], int(r["months_since_first"]), int(r["cohort_size"]),
                 int(r["active_customers"]), float(r["revenue"]) if r["revenue"] else None)
                for r in csv.DictReader(f)
            ]
        shutil.rmtree(folder)
        return sorted(rows, key=lambda r: (r[0], r[1]))

    def stop(self) -> None:
        self.spark.stop()


# ---------------------------------------------------------------- checks


def compare_clv(checks: Checks, raw: dict, summ: dict, label: str, amounts: bool) -> None:
    rc, sc = raw["clv"], summ["clv"]
    # Nothing passes by being absent on both sides.
    needed = ["bgnbd_ll", "clv_total", "gg_p"] if amounts else ["bgnbd_ll"]
    for mid in needed:
        checks.expect(mid in raw["metrics"], f"{label}: the raw report has no {mid}")
    files = summ["files"]
    checks.expect(
        len(files) == 1 and files[0]["kind"] == "summary" and files[0]["rows_rejected"] == 0,
        f"{label}: the summary file is read as the summary kind with no rejected row "
        f"(kind {files[0]['kind'] if files else None}, rejected "
        f"{files[0]['rows_rejected'] if files else None})",
    )
    checks.expect(
        (rc["source"], sc["source"]) == ("transactions", "summaries"),
        f"{label}: sources {rc['source']} / {sc['source']}",
    )
    checks.expect(
        sum(sc["summary_rejections"].values()) == 0,
        f"{label}: summary rows rejected by the models: {sc['summary_rejections']}",
    )
    print(f"    customers with a summary: raw {rc['customers']}, SQL summary {sc['customers']}")
    checks.expect(rc["customers"] == sc["customers"], f"{label}: customer counts differ")
    rm, sm = raw["metrics"], summ["metrics"]
    print(f"    {'metric':<26}{'from raw transactions':>24}{'from the SQL summary':>24}"
          f"{'rel. diff':>11}{'tolerance':>11}")
    for tolerance, ids in TOLERANCES:
        for mid in ids:
            a, b = rm.get(mid), sm.get(mid)
            if a is None or b is None:
                print(f"    {mid:<26}{a!s:>24}{b!s:>24}")
                checks.expect(a is None and b is None, f"{label}: {mid} on one side only ({a} / {b})")
                continue
            d = rel_diff(a, b)
            print(f"    {mid:<26}{a:>24.15g}{b:>24.15g}{d:>11.1e}{tolerance:>11.0e}")
            checks.expect(d <= tolerance, f"{label}: {mid} {a} vs {b} (rel. diff {d:.2e} > {tolerance})")
    clv_ids = {m for _, ids in TOLERANCES for m in ids}
    extra = sorted(
        k for k in set(rm) ^ set(sm)
        if k in clv_ids or k.startswith(("bgnbd_", "gg_", "clv_"))
    )
    checks.expect(not extra, f"{label}: CLV metrics present on one side only: {extra}")

    # The top customers: same summary rows and CLV per customer.
    rtop = {t["customer"]: t for t in rc["top_customers"]}
    stop = {t["customer"]: t for t in sc["top_customers"]}
    worst = 0.0
    for cid in rtop.keys() & stop.keys():
        a, b = rtop[cid], stop[cid]
        same_rows = (
            a["frequency"] == b["frequency"]
            and rel_diff(a["recency"], b["recency"]) <= 1e-15
            and rel_diff(a["t"], b["t"]) <= 1e-15
            and rel_diff(a["monetary_value"] or 0.0, b["monetary_value"] or 0.0) <= 1e-12
        )
        checks.expect(same_rows, f"{label}: customer {cid} summary differs: {a} vs {b}")
        worst = max(worst, rel_diff(a["clv"], b["clv"]))
    checks.expect(worst <= CLV_TOLERANCE, f"{label}: a top customer's CLV differs by {worst:.1e}")
    # A customer in one top list only must be a near tie at the list's end.
    for one, other, side in ((rtop, stop, "raw"), (stop, rtop, "summary")):
        floor = min((t["clv"] for t in other.values()), default=0.0)
        for cid in one.keys() - other.keys():
            checks.expect(
                rel_diff(one[cid]["clv"], floor) <= CLV_TOLERANCE,
                f"{label}: customer {cid} is in the {side} top list only (CLV {one[cid]['clv']})",
            )
    print(f"    top {len(rtop)} CLV customers: {len(rtop.keys() & stop.keys())} in both lists, "
          f"summary rows equal, largest CLV rel. diff {worst:.1e}")


def compare_cohorts(checks: Checks, raw: dict, rows: list[tuple], label: str) -> None:
    expected = raw["cohorts"]["cohorts"]
    checks.expect(bool(expected), f"{label}: the raw report has no cohorts")
    by_cohort: dict[str, list[tuple]] = {}
    for cohort, k, size, active, revenue in rows:
        by_cohort.setdefault(cohort, []).append((k, size, active, revenue))
    checks.expect(
        list(by_cohort) == [c["cohort"] for c in expected],
        f"{label}: cohorts {list(by_cohort)} vs {[c['cohort'] for c in expected]}",
    )
    cells = active_total = 0
    worst = 0.0
    for c in expected:
        got = by_cohort.get(c["cohort"], [])
        ks = [g[0] for g in got]
        ok = checks.expect(
            ks == list(range(len(c["active"]))),
            f"{label}: cohort {c['cohort']} cells k={ks} vs {len(c['active'])} in the report",
        )
        checks.expect(
            all(g[1] == c["size"] for g in got),
            f"{label}: cohort {c['cohort']} size {[g[1] for g in got][:1]} vs {c['size']}",
        )
        actives = [g[2] for g in got]
        checks.expect(
            actives == c["active"],
            f"{label}: cohort {c['cohort']} active {actives} vs {c['active']}",
        )
        if ok:
            cells += len(got)
            active_total += sum(actives)
            base = got[0][3] if got else None
            if c["revenue"]:
                for g, ratio in zip(got, c["revenue"]):
                    d = abs(g[3] / base - ratio) / max(1.0, abs(ratio))
                    worst = max(worst, d)
                checks.expect(
                    worst <= 1e-9,
                    f"{label}: cohort {c['cohort']} revenue relative to month 0 differs by {worst:.1e}",
                )
            else:
                checks.expect(
                    base is None or base <= 0.0,
                    f"{label}: cohort {c['cohort']} has no revenue curve in the report "
                    f"but month-0 revenue {base}",
                )
    first = expected[0] if expected else None
    print(f"    {len(expected)} cohorts, {cells} cells, {active_total} active customer-months: "
          f"equal; revenue vs month 0: largest diff {worst:.1e} (tolerance 1e-9)")
    if first:
        print(f"    e.g. cohort {first['cohort']}: size {first['size']}, active "
              f"{first['active'][:8]}{' ...' if len(first['active']) > 8 else ''}")


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", help="the loyalty binary (default: LOYALTY_CLI, target/debug/loyalty)")
    parser.add_argument(
        "--datasets", default=",".join(DATASETS),
        help="comma-separated: cdnow (CDNOW_master.txt, units week/day/month), "
             "uci (UCI Online Retail with its returns, week), uci-no-amounts (its "
             "customer ids and dates only) [default: all]",
    )
    parser.add_argument("--spark", action="store_true",
                        help="also run the Spark SQL recipes in pyspark's local mode")
    parser.add_argument("--out", help="folder for the CSV outputs (default: a temporary folder)")
    args = parser.parse_args()

    try:
        import duckdb
    except ImportError as e:
        raise Missing(
            f"the duckdb Python package is missing in {sys.executable} ({e}): "
            "run `cargo xtask setup` or pip install duckdb"
        )
    cli = cli_path(args.cli)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    for d in datasets:
        if d not in DATASETS:
            raise Missing(f"unknown data set {d!r}: use {', '.join(DATASETS)}")
        data_file(CDNOW if d == "cdnow" else UCI)  # fail early, naming the setting

    tmp = tempfile.TemporaryDirectory(prefix="loyalty-sql-")
    out = Path(args.out) if args.out else Path(tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    checks = Checks()
    print(f"duckdb {duckdb.__version__}; CLI {cli}; data {data_dir()}; outputs in {out}")
    spark = None
    engines = ["duckdb"]
    if args.spark:
        spark = SparkRunner(Path(tmp.name))
        print(f"pyspark {spark.spark.version} local[2] started in {time.time() - spark.started:.1f} s")
        engines.append("spark")
    started = time.time()
    try:
        for dataset in datasets:
            # One thread: DuckDB's parallel sums of DOUBLEs add in a
            # different order from run to run, and the Gamma-Gamma fit (flat
            # along a ridge of p, q, v) turns last-bit differences in the
            # spend means into parameter differences near 1e-6. One thread
            # makes the comparison the same every run.
            con = duckdb.connect(config={"threads": 1})
            raw_path = load_transactions(con, dataset, out)
            n, last = con.execute("SELECT count(*), max(date) FROM transactions").fetchone()
            units = ["week", "day", "month"] if dataset == "cdnow" else ["week"]
            raw_reports = {u: report(cli, [raw_path], u) for u in units}
            base = raw_reports["week"]
            # The core's observation end for raw transactions: the last day of
            # any used row (returns included). Pass the same to the SQL.
            obs = base["clv"]["observation_end"]
            print(f"\n== {raw_path.name}: {n} rows in the transactions table; the CLI's "
                  f"observation end {obs} ==")
            last_used = con.execute(
                "SELECT max(date) FROM transactions WHERE customer_id IS NOT NULL"
            ).fetchone()[0]
            checks.expect(str(last_used) == obs,
                          f"{dataset}: the last date of the used rows {last_used} is not the "
                          f"CLI's observation end {obs}")
            if spark:
                spark.load(con)
            for engine in engines:
                for unit in units:
                    label = f"{dataset}/{engine}/{unit}"
                    csv_path = out / f"{dataset}_{engine}_{unit}_summary.csv"
                    t = time.time()
                    if engine == "duckdb":
                        run_duckdb_summary(con, obs, unit, csv_path)
                    else:
                        spark.summary(obs, unit, csv_path)
                    took = time.time() - t
                    print(f"\n  [{label}] {engine} customer_summary.sql (observation_end {obs}, "
                          f"time_unit {unit}) in {took:.1f} s -> {csv_path.name}; "
                          f"loyalty report {csv_path.name} --time-unit {unit} --json")
                    summ = report(cli, [csv_path], unit)
                    compare_clv(checks, raw_reports[unit], summ, label,
                                amounts=dataset != "uci-no-amounts")
                label = f"{dataset}/{engine}"
                t = time.time()
                rows = run_duckdb_cohorts(con) if engine == "duckdb" else spark.cohorts()
                took = time.time() - t
                if args.out:
                    with (out / f"{dataset}_{engine}_cohort_activity.csv").open("w", newline="") as f:
                        w = csv.writer(f)
                        w.writerow(["cohort", "months_since_first", "cohort_size",
                                    "active_customers", "revenue"])
                        w.writerows(rows)
                print(f"\n  [{label}] {engine} cohort_activity.sql in {took:.1f} s: "
                      f"{len(rows)} rows vs the CLI report's `cohorts`")
                compare_cohorts(checks, base, rows, label)
            con.close()
    finally:
        if spark:
            spark.stop()
    print(f"\n{checks.count} checks in {time.time() - started:.0f} s, "
          f"{len(checks.failures)} mismatches")
    if checks.failures:
        for f in checks.failures:
            print(f"  FAILED: {f}")
        return 1
    print("SQL recipes agree with the dashboard")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Missing as e:
        print(f"sql/test_recipes.py: {e}", file=sys.stderr)
        sys.exit(2)
