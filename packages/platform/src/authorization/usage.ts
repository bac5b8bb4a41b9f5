import { type ScopeUsage, type SpendingControls, spendingWindowStart } from '@openissuing/decision-engine';
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database';
import { SPENDING_CATEGORIES } from './categories';

export type UsageScope = { card_id: string } | { cardholder_id: string; currency: string };
export type Usage = ScopeUsage & { live: boolean };

/**
 * The one statement that reads the spend and velocity counts a scope's controls need (aligned with
 * `spending_limits`), plus whether any approved, still-live authorization exists (single-use);
 * null when the controls need nothing. It must run AFTER the scope's row lock is taken, so it sees
 * every committed authorization.
 */
export function usageQuery(
  scope: UsageScope,
  controls: SpendingControls | null | undefined,
  now: Date,
  wantLive: boolean,
): SQL | null {
  const limits = controls?.spending_limits ?? [];
  const velocity = controls?.velocity;
  const selects: SQL[] = [];
  let earliest: Date | null = null;
  const note = (d: Date) => {
    if (!earliest || d < earliest) earliest = d;
  };
  limits.forEach((limit, i) => {
    // Category membership uses the catalog; `other` is every MCC no group lists.
    const start = spendingWindowStart(limit.interval, now);
    if (!start) {
      selects.push(sql`0 AS ${sql.identifier(`l${i}`)}`);
      return;
    }
    note(start);
    const conds: SQL[] = [sql`created_at >= ${start.toISOString()}::timestamptz`];
    if (limit.categories && limit.categories.length > 0) {
      const named = limit.categories.filter((c) => c !== 'other');
      const mccs = named.flatMap((c) => SPENDING_CATEGORIES[c]?.mccs ?? []);
      const parts: SQL[] = [];
      if (mccs.length)
        parts.push(
          sql`mcc IN (${sql.join(
            mccs.map((m) => sql`${m}`),
            sql`, `,
          )})`,
        );
      if (limit.categories.includes('other')) {
        const listed = Object.values(SPENDING_CATEGORIES).flatMap((c) => c.mccs);
        parts.push(
          sql`mcc NOT IN (${sql.join(
            listed.map((m) => sql`${m}`),
            sql`, `,
          )})`,
        );
      }
      conds.push(parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`);
    }
    selects.push(
      sql`coalesce(sum(spend_amount) FILTER (WHERE ${sql.join(conds, sql` AND `)}), 0) AS ${sql.identifier(`l${i}`)}`,
    );
  });
  if (velocity) {
    const start = new Date(now.getTime() - velocity.window_seconds * 1000);
    note(start);
    selects.push(sql`count(*) FILTER (WHERE created_at > ${start.toISOString()}::timestamptz) AS v`);
  }
  if (wantLive) {
    earliest = new Date(0);
    selects.push(sql`count(*) FILTER (WHERE status IN ('pending', 'closed')) AS live`);
  }
  if (selects.length === 0) return null;
  const since = (earliest as Date | null)?.toISOString() ?? new Date(0).toISOString();
  const where =
    'card_id' in scope
      ? sql`card_id = ${scope.card_id}`
      : sql`cardholder_id = ${scope.cardholder_id} AND currency = ${scope.currency}`;
  return sql`SELECT ${sql.join(selects, sql`, `)} FROM authorizations
    WHERE ${where} AND approved AND created_at >= ${since}::timestamptz`;
}

/** Reads the usage row of {@link usageQuery} (absent row = nothing used). */
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
