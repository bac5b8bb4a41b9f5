/**
 * Weekly and monthly spend rollups beside the daily ones of migration 0009, so a report per week or
 * month over a long range reads one row per period and group instead of one per day and group (a
 * year by card: 26,000 month rows instead of 730,000 day rows).
 *
 * `spend_period_rollups` holds, per `grain` (`week`: weeks from Monday; `month`), period start (a UTC
 * date), rollup `kind`, group and card currency, the same sums as `spend_rollups`. The rollup job
 * (reports/spend-rollup.ts) writes both tables in the statement that marks the transactions
 * `rolled_up`, so every period row is exactly the sum of its day rows at every snapshot. Only that job
 * writes here, one process at a time (its advisory lock), never the authorization path: no row is
 * contended. A period row is updated by every batch of its period, so pages keep room for those
 * updates to stay on the page (fillfactor 70: heap-only updates, no index entry per update). The
 * backfill below takes the job's lock so no job run interleaves with it.
 */
export const sql = /* sql */ `
CREATE TABLE spend_period_rollups (
  grain text NOT NULL CHECK (grain IN ('week', 'month')),
  kind text NOT NULL,
  period_start date NOT NULL,
  grp text NOT NULL,
  currency text NOT NULL,
  label text,
  amount bigint NOT NULL,
  capture_count bigint NOT NULL,
  refund_count bigint NOT NULL,
  PRIMARY KEY (grain, kind, period_start, grp, currency)
) WITH (fillfactor = 70);

SELECT pg_advisory_xact_lock(4242014, hashtext(current_schema()));

INSERT INTO spend_period_rollups (grain, kind, period_start, grp, currency, label, amount, capture_count, refund_count)
SELECT g.grain, r.kind, date_trunc(g.grain, r.day::timestamp)::date, r.grp, r.currency, max(r.label),
  sum(r.amount), sum(r.capture_count), sum(r.refund_count)
FROM spend_rollups r, (VALUES ('week'), ('month')) AS g (grain)
GROUP BY 1, 2, 3, 4, 5;
`;
