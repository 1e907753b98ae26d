-- Loyalty Lens: monthly cohort activity in Spark SQL.
-- A line-by-line translation of ../duckdb/cohort_activity.sql (same CTEs,
-- same definitions); read that file's header for the rules.
--
-- Input : the same `transactions` table or view as customer_summary.sql
--         (customer_id, date, amount[, order_id]; negative amount = return).
-- Output: temporary view `cohort_activity`, one row per cohort and month
--         since the cohort's first month, up to the last month of the data:
--           cohort              'yyyy-MM', the month of the customers' first purchase
--           cohort_month        that month's first day (DATE)
--           months_since_first  k = 0, 1, 2, ...
--           cohort_size         customers in the cohort
--           active_customers    cohort customers with a purchase in month cohort + k
--           revenue             sum of the cohort's amounts in month cohort + k,
--                               returns included (NULL without amounts)
--
-- No parameters: every row of `transactions` is used.

CREATE OR REPLACE TEMPORARY VIEW cohort_activity AS
WITH has_amounts AS (
    SELECT count(amount) > 0 AS has_amounts FROM transactions
),
used AS (
    -- The rows the dashboard would use, with a running month number
    -- (year * 12 + month - 1: consecutive months differ by 1).
    SELECT
        CAST(t.customer_id AS STRING) AS customer_id,
        year(CAST(t.date AS DATE)) * 12 + month(CAST(t.date AS DATE)) - 1 AS month_index,
        CAST(t.amount AS DOUBLE) AS amount
    FROM transactions t CROSS JOIN has_amounts h
    WHERE t.customer_id IS NOT NULL
      AND trim(CAST(t.customer_id AS STRING)) <> ''
      AND t.date IS NOT NULL
      AND (CASE WHEN h.has_amounts
                THEN NOT isnan(CAST(t.amount AS DOUBLE))
                     AND abs(CAST(t.amount AS DOUBLE)) < CAST('Infinity' AS DOUBLE)
                ELSE true END)
),
purchases AS (
    SELECT customer_id, month_index
    FROM used
    WHERE amount IS NULL OR amount >= 0
),
cohort_of AS (
    SELECT customer_id, min(month_index) AS cohort_index
    FROM purchases
    GROUP BY customer_id
),
sizes AS (
    SELECT cohort_index, count(*) AS cohort_size
    FROM cohort_of
    GROUP BY cohort_index
),
latest AS (
    SELECT max(month_index) AS latest_index FROM used
),
grid AS (
    -- Every observable cell: k = 0 .. latest month - cohort month.
    SELECT s.cohort_index, s.cohort_size,
           explode(sequence(0, l.latest_index - s.cohort_index)) AS k
    FROM sizes s CROSS JOIN latest l
),
active AS (
    SELECT c.cohort_index, p.month_index - c.cohort_index AS k,
           count(DISTINCT p.customer_id) AS active_customers
    FROM purchases p
    JOIN cohort_of c ON c.customer_id = p.customer_id
    GROUP BY c.cohort_index, p.month_index - c.cohort_index
),
revenue AS (
    SELECT c.cohort_index, u.month_index - c.cohort_index AS k,
           sum(u.amount) AS revenue
    FROM used u
    JOIN cohort_of c ON c.customer_id = u.customer_id
    WHERE u.month_index >= c.cohort_index
    GROUP BY c.cohort_index, u.month_index - c.cohort_index
)
SELECT
    date_format(make_date(CAST(g.cohort_index div 12 AS INT), CAST(g.cohort_index % 12 + 1 AS INT), 1), 'yyyy-MM') AS cohort,
    make_date(CAST(g.cohort_index div 12 AS INT), CAST(g.cohort_index % 12 + 1 AS INT), 1) AS cohort_month,
    CAST(g.k AS INT) AS months_since_first,
    g.cohort_size,
    coalesce(a.active_customers, 0) AS active_customers,
    CASE WHEN h.has_amounts THEN coalesce(r.revenue, CAST(0 AS DOUBLE)) END AS revenue
FROM grid g
CROSS JOIN has_amounts h
LEFT JOIN active a ON a.cohort_index = g.cohort_index AND a.k = g.k
LEFT JOIN revenue r ON r.cohort_index = g.cohort_index AND r.k = g.k
ORDER BY g.cohort_index, g.k
