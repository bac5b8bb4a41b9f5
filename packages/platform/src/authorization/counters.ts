import { type SpendingInterval, spendingWindowStart } from '@openissuing/decision-engine';
import { COUNTER_SHARDS } from '../db/migrations/0007_counter_shards';
import { type SQL, sql } from '../db/sql';
import { categoryOfMcc } from './categories';

/**
 * Running usage counters: the ONE place that reads and updates the `usage_counters` table
 * (migration 0003). Spend-limit checks read a bounded number of counter rows — never the
 * authorization history — so a card with thousands of authorizations today is checked as fast as
 * a fresh one.
 *
 * A counter row is keyed by **scope** (`kind` + `id` + `currency`), **period bucket**, spending
 * **category** and **shard**:
 *
 *  - scope `card` / card id, `cardholder` / cardholder id (in the card's currency). Any other
 *    aggregate — e.g. a department budget — is one more scope kind: give it a `kind` of its own
 *    (`'budget'`), its id, and add its {@link CounterScope} to {@link counterDeltas} wherever an
 *    approval or release touches it; read it with {@link counterSumsQuery}. Nothing else changes.
 *  - period `day` (UTC date), `month` (first of the UTC month) and `all` (one row). A window is
 *    summed from the rows of its period whose start is ≥ the window start: daily = the day rows
 *    from today, weekly = the day rows from Monday (≤ 7), monthly = the month row, yearly = the
 *    month rows from January (≤ 12), all_time = the `all` row (or, for a scope kept without one,
 *    every month row). That is exactly the old
 *    `created_at >= window start` filter, for any clock.
 *  - category: the catalog group of the MCC (`other` when none lists it; each MCC is in at most one
 *    group), so a limit naming categories sums only their rows.
 *  - shard: a scope shared by many cards (cardholder, budget) takes each card's writes on one of
 *    `COUNTER_SHARDS` rows ({@link shardOf} the card id), so a company's hundreds of cards do not
 *    queue on one counter row; reads sum the shards. A card's own counters use shard 0.
 *
 * What a counter holds is "spent" as the decision engine defines it: the approved amount, less
 * what was later reversed or expired, booked in the buckets of the authorization's `created_at`.
 * So the counters change in exactly two places, in the same transaction as the change itself:
 * an approval (+amount) and a reversal or expiry (−released amount). A capture leaves spend as it
 * is (the captured amount was already counted when approved; releasing an uncaptured rest on
 * capture does not restore it) and a refund does not restore spend either — both are deliberately
 * no-ops here, like the `spend_amount` column they replace for reads.
 *
 * Concurrency: callers update counters inside the transaction that holds the scope's row lock
 * (card row, or cardholder row when the cardholder has aggregate controls) and read them after
 * taking it, so no interleaving — in any number of processes — can overspend. The upsert takes the
 * counter rows' locks in a fixed order (scope order given, then day, month, all), the same order
 * everywhere, ahead of the balance row.
 *
 * @example
 * // Inside the approval's final statement:
 * const cte = counterUpsert(counterDeltas(
 *   [{ kind: 'card', id: 'ic_1', currency: 'usd' }, { kind: 'budget', id: 'bdg_1', currency: 'usd' }],
 *   '2026-12-01T10:00:00.000Z', '7311', 5_000,
 * ));
 * // sql`WITH uc AS (${cte}) SELECT 1`
 */

/** Who a counter belongs to: `card`, `cardholder`, or any further aggregate kind (e.g. `budget`). */
export interface CounterScope {
  kind: string;
  id: string;
  /** Counters never mix currencies: the card's currency. */
  currency: string;
  /** Which shard this write goes to (writes only; reads sum every shard). @default 0 */
  shard?: number | undefined;
  /**
   * Keep no `all` row for this scope: its all_time window is the sum of its month rows, which exist
   * only from the scope's creation. Budgets use it (an `all_time` limit may be added to a budget
   * later, and its month rows already hold the history), so an approval writes one row fewer per
   * budget. @default false
   */
  allTimeFromMonths?: boolean | undefined;
}

/**
 * The shard of a shared scope's counters that a card writes (FNV-1a of its id): stable per card,
 * spread over `COUNTER_SHARDS`.
 */
export function shardOf(cardId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < cardId.length; i++) h = Math.imul(h ^ cardId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % COUNTER_SHARDS;
}

/** A spend window to read: the limit's interval and, optionally, the categories it names. */
export interface CounterWindow {
  interval: SpendingInterval;
  categories?: readonly string[] | null | undefined;
}

type Period = 'day' | 'month' | 'all';

/** One counter change: `amount` added to each bucket row of `scope` for that instant and category. */
export interface CounterDelta {
  scope: CounterScope;
  period: Period;
  periodStart: string;
  category: string;
  amount: number;
}

const EPOCH_DATE = '1970-01-01';

/** The UTC date `YYYY-MM-DD` of an instant. */
function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Which period's rows make up a window, and from which bucket start; null: nothing to read. */
function windowRows(
  interval: SpendingInterval,
  now: Date,
  allTimeFromMonths: boolean,
): { period: Period; since: string } | null {
  const start = spendingWindowStart(interval, now);
  if (!start) return null;
  switch (interval) {
    case 'daily':
    case 'weekly':
      return { period: 'day', since: utcDate(start) };
    case 'monthly':
    case 'yearly':
      return { period: 'month', since: utcDate(start) };
    default:
      return { period: allTimeFromMonths ? 'month' : 'all', since: EPOCH_DATE };
  }
}

/**
 * The counter changes an approval (positive `amount`) or a release (negative) makes: every scope ×
 * the day, month and all-time buckets of `createdAt` (no all-time bucket for a scope with
 * `allTimeFromMonths`), in the category of `mcc`. Zero → none.
 */
export function counterDeltas(
  scopes: readonly CounterScope[],
  createdAt: string | Date,
  mcc: string,
  amount: number,
): CounterDelta[] {
  if (amount === 0) return [];
  const at = new Date(createdAt);
  const day = utcDate(at);
  const month = `${day.slice(0, 7)}-01`;
  const category = categoryOfMcc(mcc);
  return scopes.flatMap((scope): CounterDelta[] => {
    const rows: CounterDelta[] = [
      { scope, period: 'day', periodStart: day, category, amount },
      { scope, period: 'month', periodStart: month, category, amount },
    ];
    if (!scope.allTimeFromMonths)
      rows.push({ scope, period: 'all', periodStart: EPOCH_DATE, category, amount });
    return rows;
  });
}

/**
 * One INSERT … ON CONFLICT statement applying `deltas` (use it as a CTE of a larger statement, or
 * alone); null when there is nothing to apply. Rows are locked in the order given.
 */
export function counterUpsert(deltas: readonly CounterDelta[]): SQL | null {
  if (deltas.length === 0) return null;
  const values = deltas.map(
    (d) =>
      sql`(${d.scope.kind}, ${d.scope.id}, ${d.scope.currency}, ${d.period}, ${d.periodStart}::date, ${d.category}, ${d.scope.shard ?? 0}::smallint, ${d.amount}::bigint)`,
  );
  return sql`INSERT INTO usage_counters (scope_kind, scope_id, currency, period, period_start, category, shard, spent)
    VALUES ${sql.join(values, sql`, `)}
    ON CONFLICT (scope_kind, scope_id, currency, period, period_start, category, shard)
    DO UPDATE SET spent = usage_counters.spent + EXCLUDED.spent`;
}

/**
 * A subquery (one row, columns `l0…l{n-1}`, aligned with `windows`) summing each window's spend of
 * `scope` from its counter rows: O(buckets × categories) rows whatever the history. Null when no
 * window needs a sum (none, or only per_authorization); such columns are then absent (= 0).
 */
export function counterSumsQuery(
  scope: CounterScope,
  windows: readonly CounterWindow[],
  now: Date,
): SQL | null {
  const selects: SQL[] = [];
  const since = new Map<Period, string>();
  windows.forEach((w, i) => {
    const rows = windowRows(w.interval, now, scope.allTimeFromMonths === true);
    const column = sql.identifier(`l${i}`);
    if (!rows) {
      selects.push(sql`0::bigint AS ${column}`);
      return;
    }
    const earliest = since.get(rows.period);
    if (earliest === undefined || rows.since < earliest) since.set(rows.period, rows.since);
    const conds: SQL[] = [sql`period = ${rows.period}`];
    if (rows.period !== 'all') conds.push(sql`period_start >= ${rows.since}::date`);
    if (w.categories && w.categories.length > 0) {
      conds.push(
        sql`category IN (${sql.join(
          w.categories.map((c) => sql`${c}`),
          sql`, `,
        )})`,
      );
    }
    selects.push(
      sql`coalesce(sum(spent) FILTER (WHERE ${sql.join(conds, sql` AND `)}), 0)::bigint AS ${column}`,
    );
  });
  if (since.size === 0) return null;
  const periods = [...since].map(([period, from]) =>
    period === 'all' ? sql`period = 'all'` : sql`(period = ${period} AND period_start >= ${from}::date)`,
  );
  return sql`SELECT ${sql.join(selects, sql`, `)} FROM usage_counters
    WHERE scope_kind = ${scope.kind} AND scope_id = ${scope.id} AND currency = ${scope.currency}
      AND (${sql.join(periods, sql` OR `)})`;
}
