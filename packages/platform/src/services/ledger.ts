import { type SQL, sql } from 'drizzle-orm';
import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sqlState } from '../db/database';
import { newId } from '../lib/ids';
import { eventCte } from './events';
import { type ListParams, listRows } from './list';

/** One signed change to the available balance (the spec's LedgerEntry). */
export interface LedgerMove {
  type: 'topup' | 'hold' | 'hold_release' | 'capture' | 'refund';
  /** Signed change to `available`. */
  amount: number;
  /** The object that caused it: tu_…, iauth_… or itxn_…. */
  source: string;
}

/** Thrown when a change would take `available` (or `pending`) below zero; the transaction rolls back. */
export class InsufficientFundsError extends Error {
  override readonly name = 'InsufficientFundsError';
}

/**
 * Applies moves to the balance row of `currency`, writes their ledger entries (with
 * `balance_after`) and the `balance.updated` event in ONE statement, as the transaction's LAST
 * statement: the balance row is the program's one hot row, so its lock must be held as briefly as
 * possible — on PostgreSQL this statement and COMMIT travel in one round trip (`rowsAndCommit`).
 * The held amount changes by −(sum of hold and hold_release amounts). The balance row's
 * CHECK (available ≥ 0, pending ≥ 0) makes an overdraft impossible even across processes: the
 * UPDATE takes the row lock and fails instead of going negative.
 */
export async function applyLedger(
  tx: Queryable,
  currency: string,
  moves: LedgerMove[],
  now: Date,
): Promise<void> {
  const parts = ledgerCtes(currency, moves, now);
  if (!parts) return;
  await runFinal(tx, sql`WITH ${parts} SELECT id FROM l`);
}

/**
 * The CTEs `b` (balance UPDATE), `l` (ledger entries) and the balance.updated event, for
 * composing into a transaction's final statement; null when every move is zero.
 */
export function ledgerCtes(currency: string, moves: LedgerMove[], now: Date): SQL | null {
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
  // The Balance object after this change: this currency from the UPDATE, the others as committed.
  const balanceSql = sql`(SELECT jsonb_build_object('object', 'balance',
      'available', jsonb_agg(jsonb_build_object('amount', x.available, 'currency', x.currency) ORDER BY x.currency),
      'pending', jsonb_agg(jsonb_build_object('amount', x.pending, 'currency', x.currency) ORDER BY x.currency))
    FROM (SELECT currency, available, pending FROM balances WHERE currency <> b.currency
          UNION ALL SELECT b.currency, b.available, b.pending) x)`;
  const event = eventCte('balance.updated', balanceSql, now, undefined, sql`FROM b`, 'bal');
  return sql`b AS (
      UPDATE balances SET available = available + ${total}, pending = pending + ${pendingDelta}
      WHERE currency = ${currency} RETURNING currency, available, pending
    ),
    l AS (
      INSERT INTO ledger_entries (id, currency, type, amount, created_at, data)
      SELECT v.id, ${currency}, v.type, v.amount, ${createdAt}::timestamptz,
             v.data || jsonb_build_object('balance_after', b.available - v.after_offset)
      FROM b, (VALUES ${sql.join(values, sql`, `)}) AS v(id, type, amount, after_offset, data)
      RETURNING id
    ),
    ${event.cte}`;
}

/**
 * Runs a transaction's final statement (and, on PostgreSQL, its COMMIT in the same round trip).
 * A CHECK violation on the balance row becomes {@link InsufficientFundsError}.
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

/** Ensures a zero balance row exists for `currency` (idempotent). */
export async function ensureBalance(q: Queryable, currency: string): Promise<void> {
  await q.rows(sql`INSERT INTO balances (currency) VALUES (${currency}) ON CONFLICT (currency) DO NOTHING`);
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
