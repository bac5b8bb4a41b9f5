import type { Database } from '../db/database';
import { sql } from '../db/sql';
import { FACT_COLUMNS, FIXED_KINDS, groupOf } from './spend-groups';

/**
 * Moves up to `batch` unrolled transactions into the daily spend rollups and the weekly and monthly
 * ones (`spend_period_rollups`) and marks them rolled up, in one statement, so a report statement sees
 * each transaction exactly once and every period row equals the sum of its day rows. Several
 * processes may run it at once: a transaction-scoped advisory lock (per schema) lets one roll up at a time (the
 * others return 0), and rows locked by a refund in progress are skipped until the next run.
 * Returns how many transactions were rolled up.
 *
 * @example
 * while ((await rollUpSpend(db, 10_000)) > 0) {} // catch up completely
 */
export async function rollUpSpend(db: Database, batch = 5000): Promise<number> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') {
      const [lock] = await tx.rows<{ ok: boolean }>(
        sql`SELECT pg_try_advisory_xact_lock(4242014, hashtext(current_schema())) AS ok`,
      );
      if (!lock?.ok) return 0;
    }
    const fixed = FIXED_KINDS.map((kind) => {
      const { group, label } = groupOf(kind);
      return sql`SELECT day, ${kind}::text AS kind, coalesce(${group}, '') AS grp, ${label} AS label, currency, amount, capture_count, refund_count FROM facts`;
    });
    const rows = await tx.rows<{ n: unknown }>(sql`
      WITH batch AS (
        UPDATE transactions SET rolled_up = true
        WHERE id IN (SELECT id FROM transactions WHERE NOT rolled_up ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING created_at, type, data
      ), facts AS (
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, data->>'currency' AS currency, data, ${FACT_COLUMNS}
        FROM batch
      ), keyed AS (
        ${sql.join(fixed, sql` UNION ALL `)}
        UNION ALL
        SELECT day, 'dim:' || d.key, d.value, NULL::text, currency, amount, capture_count, refund_count
        FROM facts, jsonb_each_text(facts.data->'dimensions') d
      ), deltas AS (
        SELECT kind, day, grp, currency, max(label) AS label, sum(amount) AS amount,
          sum(capture_count) AS capture_count, sum(refund_count) AS refund_count
        FROM keyed GROUP BY kind, day, grp, currency
      ), upserted AS (
        INSERT INTO spend_rollups (kind, day, grp, currency, label, amount, capture_count, refund_count)
        SELECT kind, day, grp, currency, label, amount, capture_count, refund_count
        FROM deltas ORDER BY kind, day, grp, currency
        ON CONFLICT (kind, day, grp, currency) DO UPDATE SET
          amount = spend_rollups.amount + EXCLUDED.amount,
          capture_count = spend_rollups.capture_count + EXCLUDED.capture_count,
          refund_count = spend_rollups.refund_count + EXCLUDED.refund_count,
          label = coalesce(EXCLUDED.label, spend_rollups.label)
        RETURNING 1
      ), periods AS (
        INSERT INTO spend_period_rollups (grain, kind, period_start, grp, currency, label, amount, capture_count, refund_count)
        SELECT g.grain, kind, date_trunc(g.grain, day::timestamp)::date, grp, currency, max(label), sum(amount), sum(capture_count), sum(refund_count)
        FROM deltas, (VALUES ('week'), ('month')) AS g (grain)
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (grain, kind, period_start, grp, currency) DO UPDATE SET
          amount = spend_period_rollups.amount + EXCLUDED.amount,
          capture_count = spend_period_rollups.capture_count + EXCLUDED.capture_count,
          refund_count = spend_period_rollups.refund_count + EXCLUDED.refund_count,
          label = coalesce(EXCLUDED.label, spend_period_rollups.label)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM batch) AS n, (SELECT count(*) FROM upserted) AS u, (SELECT count(*) FROM periods) AS p`);
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * Runs {@link rollUpSpend} every `intervalMs` until stopped. Failures are logged by the caller's
 * `onError` and retried on the next tick; the report stays correct meanwhile (it reads what is not
 * rolled up yet from the transactions themselves).
 */
export function startSpendRollups(
  db: Database,
  options: { intervalMs?: number; batch?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped && (await rollUpSpend(db, options.batch ?? 5000)) >= (options.batch ?? 5000)) {}
      } catch (error) {
        options.onError?.(error);
      }
      if (!stopped) {
        timer = setTimeout(tick, options.intervalMs ?? 2000);
        timer.unref?.();
      }
    })();
  };
  timer = setTimeout(tick, options.intervalMs ?? 2000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
