import type { SpendingControls } from '@openissuing/decision-engine';
import { checkCardholderAgainstBudgets } from '../budgets/currency-rule';
import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import { notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { refreshCardsOfCardholder } from './dimensions';
import { refreshEventDimensions } from './event-dimensions';
import { emitEvent } from './events';
import { type ListParams, listRows } from './list';

export interface Cardholder {
  id: string;
  object: 'cardholder';
  type: 'individual' | 'company';
  name: string;
  email: string;
  phone_number: string | null;
  status: 'active' | 'inactive' | 'blocked';
  billing_address: Record<string, unknown> | null;
  spending_controls: SpendingControls;
  dimensions: Record<string, string>;
  metadata: Record<string, string>;
  created_at: string;
}

type CardholderInput = Partial<Omit<Cardholder, 'id' | 'object' | 'created_at'>>;

export async function getCardholder(
  q: Queryable,
  id: string,
  lock = false,
  param = 'cardholder',
): Promise<Cardholder> {
  const rows = await q.rows<{ data: Cardholder }>(
    lock
      ? sql`SELECT data FROM cardholders WHERE id = ${id} FOR UPDATE`
      : sql`SELECT data FROM cardholders WHERE id = ${id}`,
  );
  if (!rows[0]) throw notFound('cardholder', id, param);
  return rows[0].data;
}

/** Creates a cardholder (validated against CardholderCreateParams). Emits cardholder.created. */
export async function createCardholder(ctx: Context, input: CardholderInput): Promise<Cardholder> {
  const now = ctx.now();
  const holder: Cardholder = {
    id: newId('cardholder'),
    object: 'cardholder',
    type: input.type ?? 'individual',
    name: input.name ?? '',
    email: input.email ?? '',
    phone_number: input.phone_number ?? null,
    status: 'active',
    billing_address: input.billing_address ?? null,
    spending_controls: input.spending_controls ?? {},
    dimensions: input.dimensions ?? {},
    metadata: input.metadata ?? {},
    created_at: now.toISOString(),
  };
  await ctx.db.transaction(async (tx) => {
    await tx.rows(sql`INSERT INTO cardholders (id, status, created_at, data)
      VALUES (${holder.id}, ${holder.status}, ${holder.created_at}::timestamptz, ${JSON.stringify(holder)}::jsonb)`);
    await emitEvent(tx, 'cardholder.created', holder, now);
  });
  ctx.notifyOutbox();
  return holder;
}

/** The top-level fields of `before` that differ in `after`, with their previous values. */
export function previousAttributes<T extends object>(before: T, after: T): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(before)) {
    if (JSON.stringify(v) !== JSON.stringify((after as Record<string, unknown>)[k])) previous[k] = v;
  }
  return previous;
}

/** Partial update; maps and objects are replaced whole. Emits cardholder.updated when something changed. */
export async function updateCardholder(
  ctx: Context,
  id: string,
  input: CardholderInput,
): Promise<Cardholder> {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const before = await getCardholder(tx, id, true);
    const after: Cardholder = { ...before };
    for (const key of [
      'name',
      'email',
      'phone_number',
      'status',
      'billing_address',
      'spending_controls',
      'dimensions',
      'metadata',
    ] as const) {
      if (input[key] !== undefined) (after as unknown as Record<string, unknown>)[key] = input[key];
    }
    const previous = previousAttributes(before, after);
    if (Object.keys(previous).length === 0) return after;
    if (previous.dimensions !== undefined)
      await checkCardholderAgainstBudgets(tx, id, after.dimensions ?? {}, 'dimensions');
    await tx.rows(
      sql`UPDATE cardholders SET status = ${after.status}, data = ${JSON.stringify(after)}::jsonb WHERE id = ${id}`,
    );
    if (previous.dimensions !== undefined) {
      await tx.rows(refreshCardsOfCardholder(id, after.dimensions ?? {}));
      for (const q of refreshEventDimensions({ cardholder: id, dimensions: after.dimensions ?? {} }))
        await tx.rows(q);
    }
    await emitEvent(tx, 'cardholder.updated', after, now, previous);
    return after;
  });
  ctx.notifyOutbox();
  return result;
}

export function listCardholders(ctx: Context, params: ListParams & { status?: string }) {
  const where = [];
  if (params.status) where.push(sql`status = ${params.status}`);
  return listRows<Cardholder>(ctx.db, 'cardholders', params, where);
}
