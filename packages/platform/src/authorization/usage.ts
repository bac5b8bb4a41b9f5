import type { ScopeUsage, SpendingControls } from '@openissuing/decision-engine';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { type CounterScope, counterSumsQuery } from './counters';

export type UsageScope = { card_id: string; currency: string } | { cardholder_id: string; currency: string };
export type Usage = ScopeUsage & { live: boolean };

/** The running-counter scope of a usage scope. */
export function counterScopeOf(scope: UsageScope): CounterScope {
  return 'card_id' in scope
    ? { kind: 'card', id: scope.card_id, currency: scope.currency }
    : { kind: 'cardholder', id: scope.cardholder_id, currency: scope.currency };
}

/**
 * The one statement that reads what a scope's controls need: each `spending_limits[i]` window's
 * spend (`l{i}`, from the running counters — a bounded number of rows whatever the history), the
 * velocity count (`v`: approved authorizations in the sliding window; bounded by
 * `max_authorizations`, since approvals stop there) and whether any approved, still-live
 * authorization exists (`live`, single-use); null when the controls need nothing. It must run
 * AFTER the scope's row lock is taken, so it sees every committed authorization.
 */
export function usageQuery(
  scope: UsageScope,
  controls: SpendingControls | null | undefined,
  now: Date,
  wantLive: boolean,
): SQL | null {
  const sums = counterSumsQuery(counterScopeOf(scope), controls?.spending_limits ?? [], now);
  const velocity = controls?.velocity;
  const owner =
    'card_id' in scope
      ? sql`card_id = ${scope.card_id}`
      : sql`cardholder_id = ${scope.cardholder_id} AND currency = ${scope.currency}`;
  const selects: SQL[] = sums ? [sql`c.*`] : [];
  if (velocity) {
    const start = new Date(now.getTime() - velocity.window_seconds * 1000);
    selects.push(sql`(SELECT count(*) FROM authorizations
      WHERE ${owner} AND approved AND created_at > ${start.toISOString()}::timestamptz) AS v`);
  }
  if (wantLive) {
    selects.push(sql`(SELECT count(*) FROM (SELECT 1 FROM authorizations
      WHERE ${owner} AND approved AND status IN ('pending', 'closed') LIMIT 1) x) AS live`);
  }
  if (selects.length === 0) return null;
  return sums
    ? sql`SELECT ${sql.join(selects, sql`, `)} FROM (${sums}) c`
    : sql`SELECT ${sql.join(selects, sql`, `)}`;
}

/** Reads the usage row of {@link usageQuery} (absent row or column = nothing used). */
export function parseUsage(
  row: Record<string, unknown> | undefined,
  controls: SpendingControls | null | undefined,
): Usage {
  const r = row ?? {};
  return {
    limits: (controls?.spending_limits ?? []).map((_, i) => Number(r[`l${i}`] ?? 0)),
    velocity_count: Number(r.v ?? 0),
    live: Number(r.live ?? 0) > 0,
  };
}

/** Runs {@link usageQuery} on `q` and parses it. */
export async function readScopeUsage(
  q: Queryable,
  scope: UsageScope,
  controls: SpendingControls | null | undefined,
  now: Date,
  wantLive: boolean,
): Promise<Usage> {
  const query = usageQuery(scope, controls, now, wantLive);
  if (!query) return parseUsage(undefined, controls);
  const rows = await q.rows<Record<string, unknown>>(query);
  return parseUsage(rows[0], controls);
}

export function needsUsage(c: SpendingControls | null | undefined): boolean {
  return Boolean(c && ((c.spending_limits && c.spending_limits.length > 0) || c.velocity));
}
