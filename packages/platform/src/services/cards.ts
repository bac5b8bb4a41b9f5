import type { SpendingControls } from '@openissuing/decision-engine';
import { isSupportedCurrency } from '../authorization/fx';
import { checkCardAgainstBudgets } from '../budgets/currency-rule';
import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import { ApiError, invalid, notFound, stateInvalid } from '../lib/errors';
import { newId } from '../lib/ids';
import { getCardholder, previousAttributes } from './cardholders';
import { mergedDimensions } from './dimensions';
import { refreshEventDimensions } from './event-dimensions';
import { emitEvent } from './events';
import { ensureBalance } from './ledger';
import { type ListParams, listRows } from './list';
import { generateCvc, generatePan } from './pan';

export type CancellationReason = 'requested' | 'lost' | 'stolen' | 'expired' | 'single_use_consumed';

export interface Card {
  id: string;
  object: 'card';
  cardholder: string;
  type: 'virtual' | 'physical';
  usage: 'reusable' | 'single_use' | 'merchant_locked';
  locked_merchant: string | null;
  status: 'active' | 'frozen' | 'canceled';
  cancellation_reason: CancellationReason | null;
  brand: 'visa' | 'mastercard';
  last4: string;
  exp_month: number;
  exp_year: number;
  currency: string;
  spending_controls: SpendingControls;
  expires_at: string | null;
  dimensions: Record<string, string>;
  /** The cardholder's dimensions merged with the card's (read-only; see services/dimensions.ts). */
  effective_dimensions: Record<string, string>;
  metadata: Record<string, string>;
  created_at: string;
}

export interface CardRow {
  data: Card;
  pan_encrypted: string;
  cvc_encrypted: string;
}

export async function getCardRow(q: Queryable, id: string, lock = false, param = 'card'): Promise<CardRow> {
  const rows = await q.rows<CardRow>(
    lock
      ? sql`SELECT data, pan_encrypted, cvc_encrypted FROM cards WHERE id = ${id} FOR UPDATE`
      : sql`SELECT data, pan_encrypted, cvc_encrypted FROM cards WHERE id = ${id}`,
  );
  if (!rows[0]) throw notFound('card', id, param);
  return rows[0];
}

export async function getCard(q: Queryable, id: string): Promise<Card> {
  return (await getCardRow(q, id)).data;
}

export interface CardInput {
  cardholder?: string;
  type?: Card['type'];
  usage?: Card['usage'];
  brand?: Card['brand'];
  currency?: string;
  spending_controls?: SpendingControls;
  expires_at?: string | null;
  dimensions?: Record<string, string>;
  metadata?: Record<string, string>;
}

function checkFuture(ctx: Context, expiresAt: string | null | undefined): void {
  if (expiresAt && new Date(expiresAt).getTime() <= ctx.now().getTime()) {
    throw invalid(
      'expires_at',
      `expires_at: ${expiresAt} is not in the future; give a later RFC 3339 time, or leave it out.`,
    );
  }
}

/** Issues a card to an active cardholder. Emits card.created. */
export async function createCard(ctx: Context, input: CardInput): Promise<Card> {
  const now = ctx.now();
  const { card, pan } = buildCard(ctx, input, now);
  await ctx.db.transaction((tx) => insertCard(ctx, tx, card, pan, now));
  ctx.notifyOutbox();
  return card;
}

/**
 * Issues a card inside the caller's transaction (the caller calls `ctx.notifyOutbox()` after
 * commit). Used where issuing is one step of a larger change, such as an approved card request.
 */
export async function issueCardIn(ctx: Context, tx: Queryable, input: CardInput, now: Date): Promise<Card> {
  const { card, pan } = buildCard(ctx, input, now);
  await insertCard(ctx, tx, card, pan, now);
  return card;
}

function buildCard(ctx: Context, input: CardInput, now: Date): { card: Card; pan: string } {
  checkFuture(ctx, input.expires_at);
  const currency = input.currency ?? 'usd';
  if (!isSupportedCurrency(currency)) {
    throw invalid(
      'currency',
      `currency: '${currency}' is not supported by the sandbox; use e.g. usd, eur or gbp.`,
    );
  }
  const pan = generatePan(input.brand ?? 'visa');
  const card: Card = {
    id: newId('card'),
    object: 'card',
    cardholder: input.cardholder ?? '',
    type: input.type ?? 'virtual',
    usage: input.usage ?? 'reusable',
    locked_merchant: null,
    status: 'active',
    cancellation_reason: null,
    brand: input.brand ?? 'visa',
    last4: pan.slice(-4),
    exp_month: now.getUTCMonth() + 1,
    exp_year: now.getUTCFullYear() + 3,
    currency,
    spending_controls: input.spending_controls ?? {},
    expires_at: input.expires_at ?? null,
    dimensions: input.dimensions ?? {},
    effective_dimensions: input.dimensions ?? {}, // merged with the cardholder's in insertCard
    metadata: input.metadata ?? {},
    created_at: now.toISOString(),
  };
  return { card, pan };
}

/** Inserts a built card inside the caller's transaction (checks the cardholder, emits card.created). */
async function insertCard(ctx: Context, tx: Queryable, card: Card, pan: string, now: Date): Promise<void> {
  const holder = await getCardholder(tx, card.cardholder, false, 'cardholder');
  if (holder.status !== 'active') {
    throw stateInvalid(
      `cardholder: '${holder.id}' is ${holder.status}; cards can only be issued to active cardholders.`,
      'cardholder',
    );
  }
  card.effective_dimensions = mergedDimensions(card, holder);
  await checkCardAgainstBudgets(tx, card, 'currency');
  await ensureBalance(tx, card.currency);
  await tx.rows(sql`INSERT INTO cards (id, cardholder_id, status, created_at, pan_encrypted, cvc_encrypted, expires_at, data)
    VALUES (${card.id}, ${card.cardholder}, ${card.status}, ${card.created_at}::timestamptz,
            ${ctx.cipher.encrypt(pan)}, ${ctx.cipher.encrypt(generateCvc())}, ${card.expires_at}::timestamptz,
            ${JSON.stringify(card)}::jsonb)`);
  await emitEvent(tx, 'card.created', card, now);
}

/** Saves a card inside a transaction and emits `card.updated` with the previous values (if any changed). */
export async function saveCard(tx: Queryable, before: Card, after: Card, now: Date): Promise<void> {
  const previous = previousAttributes(before, after);
  if (Object.keys(previous).length === 0) return;
  await tx.rows(sql`UPDATE cards SET status = ${after.status}, expires_at = ${after.expires_at}::timestamptz,
      data = ${JSON.stringify(after)}::jsonb WHERE id = ${after.id}`);
  await emitEvent(tx, 'card.updated', after, now, previous);
}

async function changeCard(
  ctx: Context,
  id: string,
  change: (card: Card) => Card,
  verify?: (tx: Queryable, before: Card, after: Card) => Promise<void>,
): Promise<Card> {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const before = (await getCardRow(tx, id, true)).data;
    const after = change({ ...before });
    await verify?.(tx, before, after);
    await saveCard(tx, before, after, now);
    return after;
  });
  ctx.notifyOutbox();
  return result;
}

/** PATCH /cards/{card}: spending_controls, dimensions, metadata (replaced whole) and expires_at. */
export function updateCard(ctx: Context, id: string, input: CardInput): Promise<Card> {
  if (input.expires_at !== undefined) checkFuture(ctx, input.expires_at);
  return changeCard(
    ctx,
    id,
    (card) => {
      if (card.status === 'canceled')
        throw stateInvalid(`card: '${id}' is canceled; a canceled card cannot be updated.`, 'card');
      if (input.spending_controls !== undefined) card.spending_controls = input.spending_controls;
      if (input.dimensions !== undefined) card.dimensions = input.dimensions;
      if (input.metadata !== undefined) card.metadata = input.metadata;
      if (input.expires_at !== undefined) card.expires_at = input.expires_at;
      return card;
    },
    async (tx, _before, after) => {
      if (input.dimensions === undefined) return;
      after.effective_dimensions = mergedDimensions(after, await getCardholder(tx, after.cardholder));
      await checkCardAgainstBudgets(tx, after, 'dimensions');
      for (const q of refreshEventDimensions({ card: after.id, effective: after.effective_dimensions }))
        await tx.rows(q);
    },
  );
}

export function freezeCard(ctx: Context, id: string): Promise<Card> {
  return changeCard(ctx, id, (card) => {
    if (card.status === 'canceled')
      throw stateInvalid(`card: '${id}' is canceled; a canceled card cannot be frozen.`, 'card');
    card.status = 'frozen';
    return card;
  });
}

export function unfreezeCard(ctx: Context, id: string): Promise<Card> {
  return changeCard(ctx, id, (card) => {
    if (card.status === 'canceled')
      throw stateInvalid(`card: '${id}' is canceled; a canceled card cannot be unfrozen.`, 'card');
    card.status = 'active';
    return card;
  });
}

export function cancelCard(
  ctx: Context,
  id: string,
  reason: CancellationReason = 'requested',
): Promise<Card> {
  return changeCard(ctx, id, (card) => {
    if (card.status === 'canceled') throw stateInvalid(`card: '${id}' is already canceled.`, 'card');
    card.status = 'canceled';
    card.cancellation_reason = reason;
    return card;
  });
}

/** Cancels (reason `expired`) every card whose `expires_at` has passed. Returns how many. */
export async function cancelExpiredCards(ctx: Context): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db.rows<{ id: string }>(sql`SELECT id FROM cards
    WHERE expires_at IS NOT NULL AND status <> 'canceled' AND expires_at <= ${now.toISOString()}::timestamptz LIMIT 100`);
  for (const { id } of due) {
    await changeCard(ctx, id, (card) => {
      if (card.status !== 'canceled') {
        card.status = 'canceled';
        card.cancellation_reason = 'expired';
      }
      return card;
    });
  }
  return due.length;
}

/** The card's number and CVC, for its ephemeral key only. A canceled card answers 409 card_not_active. */
export async function revealCard(ctx: Context, id: string) {
  const row = await getCardRow(ctx.db, id);
  if (row.data.status === 'canceled') {
    throw new ApiError(
      409,
      'card_not_active',
      `card: '${id}' is canceled; its details are no longer available.`,
      'card',
    );
  }
  return {
    object: 'card_details' as const,
    card: row.data.id,
    number: ctx.cipher.decrypt(row.pan_encrypted),
    cvc: ctx.cipher.decrypt(row.cvc_encrypted),
    exp_month: row.data.exp_month,
    exp_year: row.data.exp_year,
  };
}

export function listCards(
  ctx: Context,
  params: ListParams & { cardholder?: string; status?: string; type?: string },
) {
  const where = [];
  if (params.cardholder) where.push(sql`cardholder_id = ${params.cardholder}`);
  if (params.status) where.push(sql`status = ${params.status}`);
  if (params.type) where.push(sql`data->>'type' = ${params.type}`);
  return listRows<Card>(ctx.db, 'cards', params, where);
}
