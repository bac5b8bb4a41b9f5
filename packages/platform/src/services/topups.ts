import { isSupportedCurrency } from '../authorization/fx';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { invalid, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { emitEvent } from './events';
import { applyLedger, ensureBalance } from './ledger';
import { type ListParams, listRows } from './list';

export interface Topup {
  id: string;
  object: 'topup';
  amount: number;
  currency: string;
  description: string | null;
  status: 'succeeded';
  created_at: string;
}

/** Moves money into the program balance (sandbox: succeeds at once). Emits topup.created, balance.updated. */
export async function createTopup(
  ctx: Context,
  input: { amount: number; currency: string; description?: string },
): Promise<Topup> {
  if (!isSupportedCurrency(input.currency)) {
    throw invalid(
      'currency',
      `currency: '${input.currency}' is not supported by the sandbox; use e.g. usd, eur or gbp.`,
    );
  }
  const now = ctx.now();
  const topup: Topup = {
    id: newId('topup'),
    object: 'topup',
    amount: input.amount,
    currency: input.currency,
    description: input.description ?? null,
    status: 'succeeded',
    created_at: now.toISOString(),
  };
  await ctx.db.transaction(async (tx) => {
    await ensureBalance(tx, topup.currency);
    await tx.rows(sql`INSERT INTO topups (id, status, created_at, data)
      VALUES (${topup.id}, ${topup.status}, ${topup.created_at}::timestamptz, ${JSON.stringify(topup)}::jsonb)`);
    await emitEvent(tx, 'topup.created', topup, now);
    await applyLedger(
      tx,
      topup.currency,
      [{ type: 'topup', amount: topup.amount, source: topup.id }],
      now,
      'spread',
    );
  });
  ctx.notifyOutbox();
  return topup;
}

export function listTopups(ctx: Context, params: ListParams) {
  return listRows<Topup>(ctx.db, 'topups', params);
}

export async function getTopup(ctx: Context, id: string): Promise<Topup> {
  const rows = await ctx.db.rows<{ data: Topup }>(sql`SELECT data FROM topups WHERE id = ${id}`);
  if (!rows[0]) throw notFound('topup', id);
  return rows[0].data;
}
