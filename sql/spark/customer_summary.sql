-- Loyalty Lens: per-customer BTYD summary (lifetimes' format) in Spark SQL.
-- A line-by-line translation of ../duckdb/customer_summary.sql (same CTEs,
-- same definitions); read that file's header for the rules.
--
-- Input : a table or view named `transactions` with
--           customer_id  any type (read as a string; NULL or blank ids are left out)
--           date         DATE, TIMESTAMP or 'yyyy-MM-dd' string (the calendar day is used)
--           amount       DOUBLE line value; negative = return. A table without
--                        amounts passes `CAST(NULL AS DOUBLE) AS amount` on every row.
--           order_id     optional, not used: purchases are counted per day.
-- Output: temporary view `customer_summary` (customer_id, frequency, recency,
--         T, monetary_value); write it out as one CSV with a header, e.g.
--           spark.table("customer_summary").coalesce(1).write
--                .option("header", True).csv("summary_csv")
--         and drop the part-*.csv file on the dashboard.
--
-- ============================ PARAMETERS ============================
-- Edit the two literals marked PARAM in the `params` CTE below:
--   observation_end  CAST(NULL AS DATE) = the last date in `transactions`
--                    (returns included), what the dashboard uses for raw
--                    rows; or a date such as DATE'1998-06-30'.
--   time_unit        'day' (1 day), 'week' (7 days, the default) or
--                    'month' (365.25 / 12 days); choose the same time unit
--                    on the dashboard's CLV page (CLI: --time-unit).
-- ====================================================================

CREATE OR REPLACE TEMPORARY VIEW customer_summary AS
WITH params AS (
    SELECT
        CAST(NULL AS DATE) AS observation_end,   -- PARAM observation_end
        'week' AS time_unit                      -- PARAM time_unit
),
units AS (
    SELECT
        observation_end,
        CASE lower(time_unit)
            WHEN 'day' THEN CAST(1 AS DOUBLE)
            WHEN 'week' THEN CAST(7 AS DOUBLE)
            WHEN 'month' THEN CAST(365.25 AS DOUBLE) / CAST(12 AS DOUBLE)
            ELSE CAST(raise_error('time_unit must be day, week or month') AS DOUBLE)
        END AS unit_days
    FROM params
),
has_amounts AS (
    -- A table where every amount is NULL has no amounts (like a file
    -- without an amount column); otherwise a NULL amount is a rejected row.
    SELECT count(amount) > 0 AS has_amounts FROM transactions
),
used AS (
    -- The rows the dashboard would use.
    SELECT
        CAST(t.customer_id AS STRING) AS customer_id,
        CAST(t.date AS DATE) AS day,
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
bounds AS (
    SELECT
        coalesce(p.observation_end, (SELECT max(day) FROM used)) AS end_day,
        p.unit_days
    FROM units p
),
purchase_days AS (
    -- One row per customer and purchase day up to the observation end,
    -- with the day's purchase total (returns left out).
    SELECT u.customer_id, u.day, sum(coalesce(u.amount, CAST(0 AS DOUBLE))) AS day_total
    FROM used u CROSS JOIN bounds b
    WHERE (u.amount IS NULL OR u.amount >= 0)
      AND u.day <= b.end_day
    GROUP BY u.customer_id, u.day
),
with_first AS (
    SELECT
        customer_id,
        day,
        day_total,
        min(day) OVER (PARTITION BY customer_id) AS first_day
    FROM purchase_days
),
per_customer AS (
    SELECT
        customer_id,
        min(day) AS first_day,
        max(day) AS last_day,
        count(*) - 1 AS repeat_days,
        sum(CASE WHEN day > first_day THEN day_total END) AS repeat_total
    FROM with_first
    GROUP BY customer_id
)
SELECT
    c.customer_id,
    c.repeat_days AS frequency,
    datediff(c.last_day, c.first_day) / b.unit_days AS recency,
    datediff(b.end_day, c.first_day) / b.unit_days AS T,
    CASE
        WHEN NOT h.has_amounts THEN CAST(NULL AS DOUBLE)
        WHEN c.repeat_days = 0 THEN CAST(0 AS DOUBLE)
        ELSE c.repeat_total / c.repeat_days
    END AS monetary_value
FROM per_customer c CROSS JOIN bounds b CROSS JOIN has_amounts h
ORDER BY c.customer_id
