"""Runs the Spark SQL recipes and writes their outputs as CSV: the job for
spark-submit on a cluster (see ../README.md, "Running it"):

  spark-submit --master yarn sql/spark/export.py \\
      --transactions "SELECT client_no AS customer_id, ... FROM sales.invoice_lines" \\
      --time-unit week --out hdfs:///exports/summary

--transactions is a table or view name, or a SELECT giving the columns
customer_id, date, amount[, order_id] (../README.md, "The input table");
without it a `transactions` view must exist in the session.
--out gets customer_summary.sql's rows as one CSV with a header
(`part-*.csv`: the file the dashboard takes, with the same time unit on its
CLV page); --cohorts-out gets cohort_activity.sql's rows. sql/test_recipes.py
calls run() with such arguments in its own session.
In client mode (spark-submit's default) the driver reads the .sql files
beside this one; the output folders are on the cluster's file system.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNITS = ["day", "week", "month"]


def recipe(name: str, observation_end: str | None = None, time_unit: str | None = None) -> str:
    """The recipe's text with its PARAM literals set (None: the file's default)."""
    text = (HERE / name).read_text()
    if observation_end is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", observation_end):
            raise ValueError(f"observation_end must be YYYY-MM-DD, not {observation_end!r}")
        text, n = re.subn(
            r"CAST\(NULL AS DATE\)(\s+AS observation_end,\s+-- PARAM observation_end)",
            f"DATE'{observation_end}'\\1",
            text,
        )
        assert n == 1, "the PARAM observation_end line of the Spark recipe changed"
    if time_unit is not None:
        if time_unit not in UNITS:
            raise ValueError(f"time_unit must be day, week or month, not {time_unit!r}")
        text, n = re.subn(
            r"'week'(\s+AS time_unit\s+-- PARAM time_unit)", f"'{time_unit}'\\1", text
        )
        assert n == 1, "the PARAM time_unit line of the Spark recipe changed"
    return text


def write_csv(spark, view: str, folder: str) -> None:
    """One CSV part file with a header (coalesce(1): the rows are small)."""
    spark.table(view).coalesce(1).write.mode("overwrite").option("header", True).csv(folder)


def run(spark, argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="export.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", help="a table or view name, or a SELECT query")
    parser.add_argument("--observation-end", help="YYYY-MM-DD (default: the last date in transactions)")
    parser.add_argument("--time-unit", choices=UNITS, default="week")
    parser.add_argument("--out", help="folder for customer_summary's CSV")
    parser.add_argument("--cohorts-out", help="folder for cohort_activity's CSV")
    args = parser.parse_args(argv)
    if not (args.out or args.cohorts_out):
        parser.error("give --out, --cohorts-out or both")
    source = (args.transactions or "").strip()
    if re.fullmatch(r"[\w.`]+", source):
        spark.table(source).createOrReplaceTempView("transactions")
    elif source:
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW transactions AS {source}")
    if args.out:
        spark.sql(recipe("customer_summary.sql", args.observation_end, args.time_unit))
        write_csv(spark, "customer_summary", args.out)
    if args.cohorts_out:
        spark.sql(recipe("cohort_activity.sql"))
        write_csv(spark, "cohort_activity", args.cohorts_out)


def main() -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("loyalty-lens-sql-recipes").getOrCreate()
    try:
        run(spark, sys.argv[1:])
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
