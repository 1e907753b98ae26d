#!/bin/sh
# The SQL recipes' test, as `cargo xtask test` runs it (with --spark, after
# the native tests, which build target/debug/loyalty). Extra arguments go to
# test_recipes.py (--spark, --datasets cdnow, --out DIR).
#
#   LOYALTY_SQL_PYTHON  a Python with duckdb, and pyspark for --spark (default:
#                       target/sql-venv/bin/python, the venv `cargo xtask setup` makes)
#   LOYALTY_CLI         the loyalty binary (default: target/debug/loyalty)
#   LOYALTY_DATA_DIR    the shared data folder (default: ../shared/data)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${LOYALTY_SQL_PYTHON:-$root/target/sql-venv/bin/python}
if [ ! -x "$python" ]; then
    echo "sql/run_tests.sh: no Python at $python: run \`cargo xtask setup\` (it makes target/sql-venv with duckdb and pyspark) or set LOYALTY_SQL_PYTHON" >&2
    exit 2
fi
exec "$python" "$here/test_recipes.py" "$@"
