-- Loyalty Lens: per-customer BTYD summary (lifetimes' format) in DuckDB.
--
-- Input : a table or view named `transactions` with
--           customer_id  any type (read as text; NULL or blank ids are left out)
--           date         DATE or TIMESTAMP (the calendar day is used)
--           amount       DOUBLE line value; negative = return. A table without
--                        amounts passes `NULL AS amount` on every row.
--           order_id     optional, not used: purchases are counted per day.
-- Output: table `customer_summary` (customer_id, frequency, recency, T,
--         monetary_value), one row per customer with a purchase on or before
--         the observation end; save it with
--           COPY customer_summary TO 'summary.csv' (HEADER);
--         and drop summary.csv on the dashboard (or `loyalty report summary.csv`).
--
-- The same numbers as the dashboard computes from the raw rows
-- (crates/analytics/src/models/summary.rs):
--   * a purchase is a row with amount >= 0 (or NULL in a table without
--     amounts); returns never count as purchases;
--   * purchases are grouped by calendar day: frequency = distinct purchase
--     days after the first one, up to the observation end;
--   * recency = (last purchase day - first purchase day) / unit days,
--     T = (observation end - first purchase day) / unit days;
--   * monetary_value = mean of the repeat days' totals (all purchase lines
--     of the day summed; the first day is left out), 0 without repeats,
--     NULL when the table has no amounts.
--
-- ============================ PARAMETERS ============================
-- Set them before running this file; unset means the default.
--
--   SET VARIABLE observation_end = DATE '1998-06-30';
--       Default (unset or NULL): the last date in `transactions`, returns
--       included -- what the dashboard uses for the raw rows.
--   SET VARIABLE time_unit = 'week';
--       'day' (1 day), 'week' (7 days, the default and the unit of the
--       published CDNOW fits) or 'month' (365.25 / 12 days). Choose the same
--       time unit on the dashboard's CLV page (CLI: --time-unit).
-- ====================================================================

CREATE OR REPLACE TABLE customer_summary AS
WITH params AS (
    SELECT
        CAST(getvariable('observation_end') AS DATE) AS observation_end,
        CASE lower(coalesce(CAST(getvariable('time_unit') AS VARCHAR), 'week'))
            WHEN 'day' THEN 1.0
            WHEN 'week' THEN 7.0
            WHEN 'month' THEN 365.25 / 12.0
            ELSE error('time_unit must be day, week or month')
        END::DOUBLE AS unit_days
),
has_amounts AS (
    -- A table where every amount is NULL has no amounts (like a file
    -- without an amount column); otherwise a NULL amount is a rejected row.
    SELECT count(amount) > 0 AS has_amounts FROM transactions
),
used AS (
    -- The rows the dashboard would use.
    SELECT
        CAST(t.customer_id AS VARCHAR) AS customer_id,
        CAST(t.date AS DATE) AS day,
        CAST(t.amount AS DOUBLE) AS amount
    FROM transactions t CROSS JOIN has_amounts h
    WHERE t.customer_id IS NOT NULL
      AND trim(CAST(t.customer_id AS VARCHAR)) <> ''
      AND t.date IS NOT NULL
      AND (CASE WHEN h.has_amounts THEN isfinite(CAST(t.amount AS DOUBLE)) ELSE true END)
),
bounds AS (
    SELECT
        coalesce(p.observation_end, (SELECT max(day) FROM used)) AS end_day,
        p.unit_days
    FROM params p
),
purchase_days AS (
    -- One row per customer and purchase day up to the observation end,
    -- with the day's purchase total (returns left out).
    SELECT u.customer_id, u.day, sum(coalesce(u.amount, 0.0)) AS day_total
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
    date_diff('day', c.first_day, c.last_day) / b.unit_days AS recency,
    date_diff('day', c.first_day, b.end_day) / b.unit_days AS T,
    CASE
        WHEN NOT h.has_amounts THEN NULL
        WHEN c.repeat_days = 0 THEN 0.0
        ELSE c.repeat_total / c.repeat_days
    END AS monetary_value
FROM per_customer c CROSS JOIN bounds b CROSS JOIN has_amounts h
ORDER BY c.customer_id;
