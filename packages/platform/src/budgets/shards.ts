import { createHash } from 'node:crypto';
import { type BudgetState, mccInCategories } from '@openissuing/decision-engine';
import { COUNTER_SHARDS } from '../db/migrations/0007_counter_shards';
import { type SQL, sql } from '../db/sql';
import { type BudgetAlerts, type BudgetLimit, budgetWindow, type StoredBudget } from './budget';

/**
 * Budget shards: a budget's remaining allowance spread over `COUNTER_SHARDS` rows of
 * `budget_shards` (migration 0010), so that the approvals of all the cards under one budget do not
 * queue on one row lock. The ONE place that reads and writes that table.
 *
 * Each row `(budget, shard)` holds, per limit, the **room** that shard may still approve in the
 * limit's current window, valid under a **key** ({@link roomKey}: the limits, the alert threshold
 * and every limit's window start). The invariant, for each limit `i` and its current window:
 *
 *     used_i + Σ_shards room_i  ≤  cap_i  ≤  limit_i
 *
 * where `used_i` is the spend the usage counters hold for the window (summed over their shards) and
 * `cap_i` is the limit — or, while the limit's threshold alert has not been sent in the window, one
 * unit below the threshold amount (so an approval that reaches the threshold always goes the locked
 * way, which sends the alert).
 *
 * - **Fast (optimistic) approval**: reads its card's shard row unlocked, lets the engine see
 *   `limit − room` as the spend (so it approves only what fits the shard's room), and in its final
 *   round trip claims the room — `UPDATE … SET rooms[i] = rooms[i] − amount WHERE key = … AND
 *   rooms[i] ≥ amount` ({@link claimRoomsStatements}), which waits for and re-checks a row another
 *   approval holds — and adds the same amount to the counters. Both sides of the invariant move by
 *   the same amount. No matching row (room short, new window, changed budget) raises `OIB01`.
 * - **Locked decision** (`OIB01`, a budget decline, an alert, real-time webhooks): locks the budget
 *   rows and then every shard row, reads the exact counters after the locks, decides, and either
 *   takes the amount from its own shard's room (when it fits and the key holds) or rewrites every
 *   shard from the exact figures ({@link shardRooms}: `cap − used` split evenly).
 * - **PGlite** keeps no rooms: it runs one transaction at a time and decides every authorization
 *   locked on the exact counters, so no room is ever read there (budgets/resolve.ts).
 * - **Releases** (reversal, expiry) lower the counters only; the freed amount comes back as room at
 *   the next rewrite. That only lowers the left side.
 *
 * So no interleaving in any number of processes overspends a budget: every approval that counts
 * against it either decrements a room it holds locked or decides with all its shards locked, and the
 * rewrite sees every committed approval (the ones in flight hold a shard row it waits for). Nothing
 * is held back wrongly: a shard with too little room never declines — the authorization is redone
 * locked and decided on the exact sum.
 */

/** A `budget_shards` row as read. */
export interface ShardRow {
  budget_id: string;
  shard?: number | string;
  key: string;
  rooms: ReadonlyArray<number | string | bigint>;
}

/** Whether a purchase in `mcc` counts against `limit` (a limit naming categories counts only those). */
export function limitApplies(limit: BudgetLimit, mcc: string): boolean {
  return !limit.categories?.length || mccInCategories(mcc, limit.categories);
}

/**
 * The key a budget's rooms are valid under at `now`: a digest of its limits, its alert threshold and
 * the start of each limit's current window. Any change of these makes every row's room void.
 *
 * @example
 * roomKey(budget, new Date('2026-12-01T10:00:00Z')) // 'k3Yx…' (27 characters)
 */
export function roomKey(budget: StoredBudget, now: Date): string {
  const parts = budget.limits.map((l) => [
    l.amount,
    l.interval,
    [...(l.categories ?? [])].sort(),
    budgetWindow(l.interval, now, budget.created_at).start,
  ]);
  return createHash('sha1')
    .update(JSON.stringify([parts, budget.alert_threshold_percent]))
    .digest('base64url');
}

/** The smallest usage that reaches `percent` % of `amount` (what sends the threshold alert). */
export function thresholdAmount(amount: number, percent: number): number {
  let t = Math.ceil((amount * percent) / 100);
  while (t > 0 && (t - 1) * 100 >= amount * percent) t--;
  while (t * 100 < amount * percent) t++;
  return t;
}

/**
 * What every shard may approve per limit after a locked decision: `cap − used` (see the invariant
 * above) split evenly over the shards, the remainder on the first ones. `used` is the exact spend
 * per limit including this authorization; `alerts` the budget's alert state after it.
 *
 * @example
 * shardRooms(budget, [4_000], {}, now) // [[750, 750, …], …] for a 10,000 limit at 80 % with 8 shards
 */
export function shardRooms(
  budget: StoredBudget,
  used: readonly number[],
  alerts: BudgetAlerts,
  now: Date,
): number[][] {
  const perLimit = budget.limits.map((limit, i) => {
    const window = budgetWindow(limit.interval, now, budget.created_at).start;
    const sent = alerts[String(i)]?.window === window && alerts[String(i)]?.threshold;
    const percent = budget.alert_threshold_percent;
    const cap = percent !== null && !sent ? thresholdAmount(limit.amount, percent) - 1 : limit.amount;
    return Math.max(0, cap - (used[i] ?? 0));
  });
  return Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
    perLimit.map((room) => Math.floor(room / COUNTER_SHARDS) + (shard < room % COUNTER_SHARDS ? 1 : 0)),
  );
}

const ids = (budgets: readonly StoredBudget[]) =>
  sql.join(
    budgets.map((b) => sql`${b.id}`),
    sql`, `,
  );

/**
 * Reads (unlocked) the row of `shard` of each budget, for a fast decision, with the budget
 * generation (`n`, budgets/catalog.ts) on every row — one row with only `n` when there are none.
 */
export function shardRowsQuery(budgets: readonly StoredBudget[], shard: number): SQL {
  if (budgets.length === 0) return sql`SELECT n FROM budget_generation`;
  return sql`SELECT g.n, s.budget_id, s.key, s.rooms FROM budget_generation g
    LEFT JOIN budget_shards s ON s.budget_id IN (${ids(budgets)}) AND s.shard = ${shard}::smallint`;
}

/** Locks every shard row of the budgets `matching` selects, in (budget, shard) order. */
export function lockShardsQuery(matching: SQL): SQL {
  return sql`SELECT budget_id, shard, key, rooms FROM budget_shards
    WHERE budget_id IN (SELECT id FROM budgets WHERE ${matching}) ORDER BY budget_id, shard FOR UPDATE`;
}

/** Locks every shard row of these budgets, in (budget, shard) order. */
export function lockShardsOfQuery(budgets: readonly StoredBudget[]): SQL | null {
  if (budgets.length === 0) return null;
  return sql`SELECT budget_id, shard, key, rooms FROM budget_shards
    WHERE budget_id IN (${ids(budgets)}) ORDER BY budget_id, shard FOR UPDATE`;
}

/**
 * The engine's view of the budgets in a fast decision: each limit's spend seen as `limit − room` of
 * the card's shard, so the engine approves exactly what the shard can claim. Null when a row is
 * missing or its key is void (the decision must be made locked).
 */
export function fastBudgetStates(
  budgets: readonly StoredBudget[],
  rows: readonly ShardRow[],
  now: Date,
): BudgetState[] | null {
  const byId = new Map(rows.map((r) => [r.budget_id, r]));
  const states: BudgetState[] = [];
  for (const b of budgets) {
    const row = byId.get(b.id);
    if (!row || row.key !== roomKey(b, now) || row.rooms.length !== b.limits.length) return null;
    states.push({
      id: b.id,
      name: b.name,
      currency: b.currency,
      limits: b.limits,
      usage: { limits: b.limits.map((l, i) => l.amount - Number(row.rooms[i])) },
    });
  }
  return states;
}

const roomArray = (rooms: readonly number[]) =>
  rooms.length
    ? sql`ARRAY[${sql.join(
        rooms.map((r) => sql`${r}::bigint`),
        sql`, `,
      )}]`
    : sql`'{}'::bigint[]`;

/**
 * The fast approval's claim, run after the decision in its final round trip: takes `amount` from the
 * room of every limit it counts in, on the card's shard of each budget, and raises `OIB01` unless
 * every row had the room under the expected key and the budget generation is still `generation` (no
 * budget created or changed since they were matched). Under two or more budgets the rows are first
 * locked in budget-id order — the order a locked decision takes them in, so the two never deadlock
 * (an UPDATE locks rows in whatever order its plan reads them).
 */
export function claimRoomsStatements(
  budgets: readonly StoredBudget[],
  generation: number,
  shard: number,
  amount: number,
  mcc: string,
  now: Date,
): SQL[] {
  const claim = claimRoomsStatement(budgets, generation, shard, amount, mcc, now);
  if (budgets.length < 2) return [claim];
  return [
    sql`SELECT 1 FROM budget_shards WHERE budget_id IN (${ids(budgets)}) AND shard = ${shard}::smallint
      ORDER BY budget_id FOR UPDATE`,
    claim,
  ];
}

function claimRoomsStatement(
  budgets: readonly StoredBudget[],
  generation: number,
  shard: number,
  amount: number,
  mcc: string,
  now: Date,
): SQL {
  const set: SQL[] = [];
  const ok: SQL[] = [];
  for (const b of budgets) {
    const conds: SQL[] = [sql`key = ${roomKey(b, now)}`];
    const next = b.limits.map((limit, i) => {
      const at = sql.raw(String(i + 1));
      if (!limitApplies(limit, mcc)) return sql`rooms[${at}]`;
      conds.push(sql`rooms[${at}] >= ${amount}::bigint`);
      return sql`rooms[${at}] - ${amount}::bigint`;
    });
    set.push(
      sql`WHEN ${b.id} THEN ${next.length ? sql`ARRAY[${sql.join(next, sql`, `)}]` : sql`'{}'::bigint[]`}`,
    );
    ok.push(sql`WHEN ${b.id} THEN ${sql.join(conds, sql` AND `)}`);
  }
  return sql`WITH c AS (UPDATE budget_shards SET rooms = CASE budget_id ${sql.join(set, sql` `)} END
      WHERE budget_id IN (${ids(budgets)}) AND shard = ${shard}::smallint AND CASE budget_id ${sql.join(ok, sql` `)} END
      RETURNING 1)
    SELECT CASE WHEN (SELECT count(*) FROM c) = ${budgets.length}
      AND (SELECT n FROM budget_generation) = ${generation}::bigint THEN 0 ELSE oi_budget_recheck() END AS claimed`;
}

/**
 * After a LOCKED decision (every shard row of the budget held): the CTEs that keep the invariant.
 * An approval whose own shard has the room under a valid key takes it there; otherwise — or when
 * the key is void, or this authorization sent a threshold alert (the cap rises to the limit) — every
 * shard is rewritten from the exact spend ({@link shardRooms}). A decline under valid rows writes
 * nothing.
 */
export function lockedRoomCtes(
  budget: StoredBudget,
  rows: readonly ShardRow[],
  state: BudgetState | undefined,
  outcome: { approved: boolean; amount: number; mcc: string; alertsAfter: BudgetAlerts; alertSent: boolean },
  shard: number,
  now: Date,
  name: string,
): SQL[] {
  const key = roomKey(budget, now);
  const take = budget.limits.map((l) =>
    outcome.approved && limitApplies(l, outcome.mcc) ? outcome.amount : 0,
  );
  const own = rows.find((r) => Number(r.shard) === shard);
  const valid = rows.length === COUNTER_SHARDS && rows.every((r) => r.key === key);
  if (valid && !outcome.alertSent) {
    if (!outcome.approved) return [];
    const rooms = own?.rooms.map(Number) ?? [];
    if (rooms.length === take.length && rooms.every((r, i) => r >= (take[i] ?? 0))) {
      return [
        sql`${sql.identifier(name)} AS (UPDATE budget_shards SET rooms = ${roomArray(rooms.map((r, i) => r - (take[i] ?? 0)))}
          WHERE budget_id = ${budget.id} AND shard = ${shard}::smallint)`,
      ];
    }
  }
  const used = budget.limits.map((_, i) => (state?.usage?.limits?.[i] ?? 0) + (take[i] ?? 0));
  const rooms = shardRooms(budget, used, outcome.alertsAfter, now);
  const cases = rooms.map((r, s) => sql`WHEN ${sql.raw(String(s))} THEN ${roomArray(r)}`);
  return [
    sql`${sql.identifier(name)} AS (UPDATE budget_shards SET key = ${key}, rooms = CASE shard ${sql.join(cases, sql` `)} END
      WHERE budget_id = ${budget.id})`,
  ];
}

/** The rows a new budget starts with (void key: its first authorization is decided locked). */
export function insertShardsStatement(budgetId: string): SQL {
  return sql`INSERT INTO budget_shards (budget_id, shard)
    SELECT ${budgetId}, g FROM generate_series(0, ${COUNTER_SHARDS - 1}::int) AS g`;
}
