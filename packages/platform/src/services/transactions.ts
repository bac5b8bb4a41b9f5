import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import { invalid, notFound, stateInvalid } from '../lib/errors';
import { newId } from '../lib/ids';
import {
  type Authorization,
  getAuthorization,
  getHeldAuthorization,
  requirePending,
  saveAuthorization,
} from './authorizations';
import { type Card, getCardRow, saveCard } from './cards';
import { emitEvent } from './events';
import { applyLedger, randomSlot } from './ledger';
import { type ListParams, listRows } from './list';

export interface Transaction {
  id: string;
  object: 'transaction';
  type: 'capture' | 'refund';
  amount: number;
  currency: string;
  merchant_amount: number;
  merchant_currency: string;
  exchange_rate: number;
  merchant_data: Authorization['merchant_data'];
  authorization: string;
  card: string;
  cardholder: string;
  dimensions: Record<string, string>;
  created_at: string;
}

/** The merchant-currency share of `amount` (card currency), proportional to the authorization. */
function merchantShare(total: number, merchantTotal: number, amount: number): number {
  if (total === 0) return 0;
  return Math.round((merchantTotal * amount) / total);
}

async function insertTransaction(tx: Queryable, t: Transaction): Promise<void> {
  await tx.rows(sql`INSERT INTO transactions (id, type, card_id, cardholder_id, authorization_id, created_at, data)
    VALUES (${t.id}, ${t.type}, ${t.card}, ${t.cardholder}, ${t.authorization}, ${t.created_at}::timestamptz, ${JSON.stringify(t)}::jsonb)`);
}

/**
 * Captures a pending authorization (all of `pending_amount` by default, or part of it), creating a
 * `capture` transaction; the rest of the hold is released and the authorization closes. A
 * single-use card is canceled by its first capture.
 */
export async function captureAuthorization(ctx: Context, id: string, input: { amount?: number | undefined }) {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    // Lock order everywhere: card → authorization → balance, so concurrent operations cannot deadlock.
    const peek = await getAuthorization(tx, id);
    const cardRow = await getCardRow(tx, peek.card, true);
    const { auth: before, slot } = await getHeldAuthorization(tx, id);
    requirePending(before, 'captured');
    const amount = input.amount ?? before.pending_amount;
    if (amount > before.pending_amount) {
      throw invalid(
        'amount',
        `amount: ${amount} is more than the pending amount ${before.pending_amount}; capture at most that.`,
      );
    }
    const txn: Transaction = {
      id: newId('transaction'),
      object: 'transaction',
      type: 'capture',
      amount,
      currency: before.currency,
      merchant_amount: merchantShare(before.amount, before.merchant_amount, amount),
      merchant_currency: before.merchant_currency,
      exchange_rate: before.exchange_rate,
      merchant_data: before.merchant_data,
      authorization: before.id,
      card: before.card,
      cardholder: before.cardholder,
      dimensions: before.dimensions,
      created_at: now.toISOString(),
    };
    const after: Authorization = {
      ...before,
      status: 'closed',
      captured_amount: before.captured_amount + amount,
      pending_amount: 0,
      transactions: [...before.transactions, txn.id],
    };
    await insertTransaction(tx, txn);
    await emitEvent(tx, 'transaction.created', txn, now);
    await saveAuthorization(tx, before, after, now);
    if (cardRow.data.usage === 'single_use' && cardRow.data.status !== 'canceled') {
      const card: Card = { ...cardRow.data, status: 'canceled', cancellation_reason: 'single_use_consumed' };
      await saveCard(tx, cardRow.data, card, now);
    }
    await applyLedger(
      tx,
      before.currency,
      [
        { type: 'capture', amount: -amount, source: txn.id },
        { type: 'hold_release', amount: before.pending_amount, source: before.id },
      ],
      now,
      slot,
    );
    return after;
  });
  ctx.notifyOutbox();
  return result;
}

async function release(ctx: Context, id: string, kind: 'reverse' | 'expire', requested?: number) {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const { auth: before, slot } = await getHeldAuthorization(tx, id);
    requirePending(before, kind === 'reverse' ? 'reversed' : 'expired');
    const amount = kind === 'expire' ? before.pending_amount : (requested ?? before.pending_amount);
    if (amount > before.pending_amount) {
      throw invalid(
        'amount',
        `amount: ${amount} is more than the pending amount ${before.pending_amount}; reverse at most that.`,
      );
    }
    const pending = before.pending_amount - amount;
    const after: Authorization = {
      ...before,
      pending_amount: pending,
      status: pending > 0 ? 'pending' : kind === 'reverse' ? 'reversed' : 'expired',
    };
    await saveAuthorization(tx, before, after, now, -amount);
    await applyLedger(tx, before.currency, [{ type: 'hold_release', amount, source: before.id }], now, slot);
    return after;
  });
  ctx.notifyOutbox();
  return result;
}

/** Releases all (default) or part of a pending authorization's hold. */
export function reverseAuthorization(ctx: Context, id: string, input: { amount?: number | undefined }) {
  return release(ctx, id, 'reverse', input.amount);
}

/** Expires a pending authorization: the hold is released and stops counting against limits. */
export function expireAuthorization(ctx: Context, id: string) {
  return release(ctx, id, 'expire');
}

export async function getTransaction(q: Queryable, id: string, param = 'transaction'): Promise<Transaction> {
  const rows = await q.rows<{ data: Transaction }>(sql`SELECT data FROM transactions WHERE id = ${id}`);
  if (!rows[0]) throw notFound('transaction', id, param);
  return rows[0].data;
}

/** Refunds all (default) or part of what remains of a capture, creating a `refund` transaction. */
export async function refundTransaction(ctx: Context, id: string, input: { amount?: number | undefined }) {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const rows = await tx.rows<{ data: Transaction; refunded_amount: unknown }>(
      sql`SELECT data, refunded_amount FROM transactions WHERE id = ${id} FOR UPDATE`,
    );
    const row = rows[0];
    if (!row) throw notFound('transaction', id);
    const capture = row.data;
    if (capture.type !== 'capture') {
      throw stateInvalid(`transaction: '${id}' is a refund; only a capture can be refunded.`, 'transaction');
    }
    const auth = await getAuthorization(tx, capture.authorization, true);
    const remaining = capture.amount - Number(row.refunded_amount);
    const amount = input.amount ?? remaining;
    if (remaining === 0) throw stateInvalid(`transaction: '${id}' is already fully refunded.`, 'transaction');
    if (amount > remaining) {
      throw invalid(
        'amount',
        `amount: ${amount} is more than what remains refundable on ${id} (${remaining}).`,
      );
    }
    const refund: Transaction = {
      ...capture,
      id: newId('transaction'),
      type: 'refund',
      amount,
      merchant_amount: merchantShare(capture.amount, capture.merchant_amount, amount),
      created_at: now.toISOString(),
    };
    await tx.rows(
      sql`UPDATE transactions SET refunded_amount = refunded_amount + ${amount} WHERE id = ${id}`,
    );
    await insertTransaction(tx, refund);
    await emitEvent(tx, 'transaction.created', refund, now);
    await saveAuthorization(tx, auth, { ...auth, transactions: [...auth.transactions, refund.id] }, now);
    await applyLedger(
      tx,
      capture.currency,
      [{ type: 'refund', amount, source: refund.id }],
      now,
      randomSlot(),
    );
    return refund;
  });
  ctx.notifyOutbox();
  return result;
}

export function listTransactions(
  ctx: Context,
  params: ListParams & { card?: string; cardholder?: string; authorization?: string; type?: string },
) {
  const where = [];
  if (params.card) where.push(sql`card_id = ${params.card}`);
  if (params.cardholder) where.push(sql`cardholder_id = ${params.cardholder}`);
  if (params.authorization) where.push(sql`authorization_id = ${params.authorization}`);
  if (params.type) where.push(sql`type = ${params.type}`);
  return listRows<Transaction>(ctx.db, 'transactions', params, where);
}
