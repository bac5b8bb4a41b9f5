import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sqlState } from '../db/database';
import { BALANCE_SLOTS } from '../db/migrations/0017_wider_balance_slots';
import { type SQL, sql } from '../db/sql';
import { newId } from '../lib/ids';
import { type EventSpec, eventsCte } from './events';
import { type ListParams, listRows } from './list';

/** One signed change to the available balance (the spec's LedgerEntry). */
export interface LedgerMove {
  type: 'topup' | 'hold' | 'hold_release' | 'capture' | 'refund';
  /** Signed change to `available`. */
  amount: number;
  /** The object that caused it: tu_…, iauth_… or itxn_…. */
  source: string;
}

/** Thrown when a change would take a balance slot's `available` (or `pending`) below zero; the transaction rolls back. */
export class InsufficientFundsError extends Error {
  override readonly name = 'InsufficientFundsError';
}

/**
 * Which balance row(s) a change touches. The balance of a currency is spread over
 * {@link BALANCE_SLOTS} rows (`balance_slots`, migrations 0006 and 0017) so concurrent approvals lock
 * different rows instead of queueing on one:
 *  - a number: that slot only — an approval's hold takes a random slot and the authorization
 *    records it, so its capture and releases settle on the same row (each slot's `pending` is
 *    then exactly the holds it carries, never below zero); refunds take any slot;
 *  - `'spread'`: the change is split evenly over every slot there is (top-ups), locking them in slot order.
 * Every slot keeps CHECK (available ≥ 0), so the balance — the sum — can never go negative, in
 * any number of processes. A slot too low for a hold while the sum would cover it is refilled
 * from the others by {@link reserveSlot}, in the hold's own transaction; only a sum too low declines.
 */
export type BalanceTarget = number | 'spread';

/** A random slot for a new hold or refund. */
export function randomSlot(): number {
  return Math.floor(Math.random() * BALANCE_SLOTS);
}

/**
 * Applies moves to the balance slot(s) of `currency`, writes their ledger entries (with
 * `balance_after`) and the `balance.updated` event in ONE statement, as the transaction's LAST
 * statement: the slot row's lock must be held as briefly as possible — on PostgreSQL this
 * statement and COMMIT travel in one round trip (`rowsAndCommit`). The held amount changes by
 * −(sum of hold and hold_release amounts).
 */
export async function applyLedger(
  tx: Queryable,
  currency: string,
  moves: LedgerMove[],
  now: Date,
  target: BalanceTarget,
): Promise<void> {
  const parts = ledgerCtes(currency, moves, now, target);
  if (!parts) return;
  await runFinal(tx, sql`WITH ${parts} SELECT id FROM l`);
}

/**
 * The CTEs `b` (balance slot UPDATE), `l` (ledger entries) and the balance.updated event, for
 * composing into a transaction's final statement; null when every move is zero.
 *
 * `balance_after` and the event's balance are the sum of the slots as this statement sees them:
 * its own (locked, updated) slots plus the others as last committed. Alone, that is the balance
 * after the entry exactly; with approvals committing at the same instant on other slots, it does
 * not include theirs (each entry still counts every change committed before it). `available`,
 * `pending` and the ledger sum are always exact.
 */
export function ledgerCtes(
  currency: string,
  moves: LedgerMove[],
  now: Date,
  target: BalanceTarget,
): SQL | null {
  const parts = ledgerParts(currency, moves, now, target);
  return parts && sql`${parts.ctes}, ${eventsCte([parts.event], 'bal').cte}`;
}

/**
 * {@link ledgerCtes} without its event: the CTEs `b`, `ball`, `t` and `l`, and the balance.updated
 * event (written once, from `t`) for the caller to record with its own events in ONE events INSERT
 * ({@link eventsCte}). Null when every move is zero.
 *
 * @example
 * const ledger = ledgerParts('usd', [{ type: 'hold', amount: -500, source: auth.id }], now, slot);
 * const events = eventsCte([{ type: 'authorization.created', object: sql`a.data`, now, from: sql`FROM a` }, ledger.event]);
 * // sql`WITH a AS (…), ${ledger.ctes}, ${events.cte} SELECT 1`
 */
export function ledgerParts(
  currency: string,
  moves: LedgerMove[],
  now: Date,
  target: BalanceTarget,
): { ctes: SQL; event: EventSpec } | null {
  const nonZero = moves.filter((m) => m.amount !== 0);
  if (nonZero.length === 0) return null;
  const createdAt = now.toISOString();
  const total = nonZero.reduce((s, m) => s + m.amount, 0);
  const pendingDelta = -nonZero
    .filter((m) => m.type === 'hold' || m.type === 'hold_release')
    .reduce((s, m) => s + m.amount, 0);
  const offsets = nonZero.map((_, i) => nonZero.slice(i + 1).reduce((s, m) => s + m.amount, 0));
  const values = nonZero.map((m, i) => {
    const id = newId('ledger_entry');
    const data = {
      id,
      object: 'ledger_entry',
      type: m.type,
      amount: m.amount,
      currency,
      source: m.source,
      created_at: createdAt,
    };
    return sql`(${id}, ${m.type}, ${m.amount}::bigint, ${offsets[i] ?? 0}::bigint, ${JSON.stringify(data)}::jsonb)`;
  });
  let update: SQL;
  if (target === 'spread') {
    if (total < 0 || pendingDelta !== 0)
      throw new Error('ledgerCtes: only credits can be spread over the slots');
    // Each of the N slots the statement locks gets floor(total / N); the first (total mod N) in
    // slot order get one unit more. N is counted, not assumed, so the credit is exact whatever
    // number of slots the currency has.
    update = sql`UPDATE balance_slots s SET available = s.available + ${total}::bigint / k.n
        + (CASE WHEN k.i <= ${total}::bigint % k.n THEN 1 ELSE 0 END)
      FROM (SELECT slot, row_number() OVER (ORDER BY slot) AS i, count(*) OVER () AS n
        FROM (SELECT slot FROM balance_slots WHERE currency = ${currency} ORDER BY slot FOR UPDATE) l) k
      WHERE s.currency = ${currency} AND s.slot = k.slot
      RETURNING s.currency, s.slot, s.available, s.pending`;
  } else {
    update = sql`UPDATE balance_slots SET available = available + ${total}::bigint, pending = pending + ${pendingDelta}::bigint
      WHERE currency = ${currency} AND slot = ${target}::smallint RETURNING currency, slot, available, pending`;
  }
  // Every currency's balance as this statement sees it, in ONE scan of the slots: each slot as last
  // committed, or as `b` just updated it (a data-modifying CTE's rows are not visible to the scan).
  const all = sql`(SELECT o.currency, sum(coalesce(b.available, o.available))::bigint AS available,
      sum(coalesce(b.pending, o.pending))::bigint AS pending
    FROM balance_slots o LEFT JOIN b ON b.currency = o.currency AND b.slot = o.slot GROUP BY o.currency)`;
  // This currency's: only when a slot was updated (else the statement writes nothing).
  const after = sql`(SELECT available, pending FROM ball WHERE currency = ${currency} AND EXISTS (SELECT 1 FROM b))`;
  const balanceSql = sql`(SELECT jsonb_build_object('object', 'balance',
      'available', jsonb_agg(jsonb_build_object('amount', x.available, 'currency', x.currency) ORDER BY x.currency),
      'pending', jsonb_agg(jsonb_build_object('amount', x.pending, 'currency', x.currency) ORDER BY x.currency))
    FROM ball x)`;
  const event: EventSpec = {
    type: 'balance.updated',
    object: balanceSql,
    now,
    from: sql`FROM t`,
    id: newId('event'),
  };
  const ctes = sql`b AS (${update}),
    ball AS ${all},
    t AS ${after},
    l AS (
      INSERT INTO ledger_entries (id, currency, type, amount, created_at, data)
      SELECT v.id, ${currency}, v.type, v.amount, ${createdAt}::timestamptz,
             v.data || jsonb_build_object('balance_after', t.available - v.after_offset)
      FROM t, (VALUES ${sql.join(values, sql`, `)}) AS v(id, type, amount, after_offset, data)
      RETURNING id
    )`;
  return { ctes, event };
}

/**
 * Inside the caller's transaction, locks every balance slot of `currency` (in slot order) and
 * makes `slot` hold at least `amount` by moving available funds from the others; returns the exact
 * sum of the slots. When that sum is below `amount` nothing moves — the one case an approval is
 * declined for funds. The locks last until the caller commits, so no concurrent hold can drain the
 * slot between this refill and the caller's hold: an approval that reaches this point is decided
 * exactly, never starved. The sum, the ledger and `pending` do not change (no ledger entry: money
 * only moves between rows of the same balance).
 *
 * Lock order: the caller holds its card (and cardholder, budget) rows first, as every
 * authorization does; an ordinary hold locks its one slot last, in its final statement.
 *
 * @example
 * const total = await reserveSlot(tx, 'usd', slot, 500);
 * if (total < 500) decision = insufficientFundsDecline(500, total, 'usd');
 */
export async function reserveSlot(
  tx: Queryable,
  currency: string,
  slot: number,
  amount: number,
): Promise<number> {
  const rows = await tx.rows<{ slot: unknown; available: unknown }>(
    sql`SELECT slot, available FROM balance_slots WHERE currency = ${currency} ORDER BY slot FOR UPDATE`,
  );
  const total = rows.reduce((s, r) => s + Number(r.available), 0);
  if (total < amount || rows.length === 0) return total;
  // The target gets `amount` plus an even share of the rest; the other slots share the rest.
  const share = Math.floor((total - amount) / rows.length);
  const extra = total - amount - share * rows.length;
  const target = rows.map((r) => {
    const k = Number(r.slot);
    return sql`(${k}::smallint, ${k === slot ? amount + share + extra : share}::bigint)`;
  });
  await tx.rows(sql`UPDATE balance_slots s SET available = v.available
    FROM (VALUES ${sql.join(target, sql`, `)}) AS v(slot, available)
    WHERE s.currency = ${currency} AND s.slot = v.slot`);
  return total;
}

/**
 * Runs a transaction's final statement (and, on PostgreSQL, its COMMIT in the same round trip).
 * A CHECK violation on a balance slot becomes {@link InsufficientFundsError}.
 */
export async function runFinal(tx: Queryable, statement: SQL): Promise<unknown[]> {
  try {
    const run = tx.rowsAndCommit ?? tx.rows;
    return await run.call(tx, statement);
  } catch (error) {
    if (sqlState(error) === '23514') throw new InsufficientFundsError('balance would go negative');
    throw error;
  }
}

/** Ensures the zero balance slots exist for `currency` (idempotent). */
export async function ensureBalance(q: Queryable, currency: string): Promise<void> {
  await q.rows(sql`INSERT INTO balance_slots (currency, slot)
    SELECT ${currency}, g FROM generate_series(0, ${BALANCE_SLOTS - 1}::int) AS g ON CONFLICT (currency, slot) DO NOTHING`);
}

export async function getBalance(ctx: Context) {
  const rows = await ctx.db.rows<{ currency: string; available: unknown; pending: unknown }>(
    sql`SELECT currency, available, pending FROM balances ORDER BY currency`,
  );
  return {
    object: 'balance' as const,
    available: rows.map((r) => ({ amount: Number(r.available), currency: r.currency })),
    pending: rows.map((r) => ({ amount: Number(r.pending), currency: r.currency })),
  };
}

export function listLedgerEntries(ctx: Context, params: ListParams & { currency?: string; type?: string }) {
  const where = [];
  if (params.currency) where.push(sql`currency = ${params.currency}`);
  if (params.type) where.push(sql`type = ${params.type}`);
  return listRows(ctx.db, 'ledger_entries', params, where);
}
