import type { Restriction } from '../access/enforce';
import { isSupportedCurrency } from '../authorization/fx';
import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import { ApiError, invalid, notFound, stateInvalid } from '../lib/errors';
import { newId } from '../lib/ids';
import {
  type ApprovalStep,
  DEFAULT_CARD_REQUEST_POLICY,
  requestedAmount,
  requiredSteps,
} from './approval-policy';
import { getCardholder, previousAttributes } from './cardholders';
import { type Card, getCardRow, issueCardIn, saveCard } from './cards';
import { mergedDimensions } from './dimensions';
import { emitEvent } from './events';
import { type ListParams, listRows } from './list';

export interface CardRequestApproval {
  step: ApprovalStep;
  status: 'pending' | 'approved' | 'rejected';
  api_key: string | null;
  comment: string | null;
  decided_at: string | null;
}

export interface CardRequestHistoryEntry {
  action: 'created' | 'approved' | 'rejected' | 'canceled' | 'fulfilled';
  step: ApprovalStep | null;
  api_key: string | null;
  comment: string | null;
  created_at: string;
}

/** The spec's CardRequest. */
export interface CardRequest {
  id: string;
  object: 'card_request';
  type: 'new_card' | 'limit_increase';
  status: 'pending' | 'approved' | 'rejected' | 'canceled';
  cardholder: string;
  card: string | null;
  card_type: Card['type'] | null;
  usage: Card['usage'] | null;
  currency: string;
  spending_controls: Card['spending_controls'];
  dimensions: Record<string, string>;
  reason: string;
  requested_amount: number | null;
  approvals: CardRequestApproval[];
  history: CardRequestHistoryEntry[];
  metadata: Record<string, string>;
  created_at: string;
  decided_at: string | null;
}

export interface CardRequestInput {
  type: CardRequest['type'];
  cardholder?: string;
  card?: string;
  card_type?: Card['type'];
  usage?: Card['usage'];
  currency?: string;
  spending_controls: Card['spending_controls'];
  dimensions?: Record<string, string>;
  reason: string;
  metadata?: Record<string, string>;
}

/** Who acts on a request: the key's id and, for a restricted key, its restriction. */
export interface Actor {
  keyId: string;
  restricted?: Restriction | undefined;
}

const NEW_CARD_ONLY = ['card_type', 'usage', 'currency', 'dimensions'] as const;

async function getRow(q: Queryable, id: string, lock: boolean): Promise<CardRequest> {
  const rows = await q.rows<{ data: CardRequest }>(
    lock
      ? sql`SELECT data FROM card_requests WHERE id = ${id} FOR UPDATE`
      : sql`SELECT data FROM card_requests WHERE id = ${id}`,
  );
  if (!rows[0]) throw notFound('card_request', id);
  return rows[0].data;
}

export function getCardRequest(ctx: Context, id: string): Promise<CardRequest> {
  return getRow(ctx.db, id, false);
}

export function listCardRequests(
  ctx: Context,
  params: ListParams & { status?: string; type?: string; cardholder?: string; card?: string },
) {
  const where = [];
  if (params.status) where.push(sql`status = ${params.status}`);
  if (params.type) where.push(sql`type = ${params.type}`);
  if (params.cardholder) where.push(sql`cardholder_id = ${params.cardholder}`);
  if (params.card) where.push(sql`card_id = ${params.card}`);
  return listRows<CardRequest>(ctx.db, 'card_requests', params, where);
}

/** Checks the fields that depend on `type` and resolves the cardholder, card and effective dimensions. */
async function resolveTarget(q: Queryable, input: CardRequestInput) {
  if (input.type === 'new_card') {
    if (input.card !== undefined) {
      throw invalid(
        'card',
        'card: a new_card request issues a new card; leave card out, or use type limit_increase.',
      );
    }
    if (input.cardholder === undefined) {
      throw invalid(
        'cardholder',
        'cardholder: a new_card request needs the cardholder to issue the card to.',
        'parameter_missing',
      );
    }
    const currency = input.currency ?? 'usd';
    if (!isSupportedCurrency(currency)) {
      throw invalid(
        'currency',
        `currency: '${currency}' is not supported by the sandbox; use e.g. usd, eur or gbp.`,
      );
    }
    const holder = await getCardholder(q, input.cardholder, false, 'cardholder');
    if (holder.status !== 'active') {
      throw stateInvalid(
        `cardholder: '${holder.id}' is ${holder.status}; cards can only be issued to active cardholders.`,
        'cardholder',
      );
    }
    return {
      cardholder: holder.id,
      card: null,
      currency,
      effective: mergedDimensions({ dimensions: input.dimensions ?? {} }, holder),
    };
  }
  for (const field of [...NEW_CARD_ONLY, 'cardholder'] as const) {
    if (input[field] !== undefined) {
      throw invalid(
        field,
        `${field}: a limit_increase request changes an existing card's spending_controls only; leave ${field} out.`,
      );
    }
  }
  if (input.card === undefined) {
    throw invalid(
      'card',
      'card: a limit_increase request needs the card whose limits should change.',
      'parameter_missing',
    );
  }
  const card = (await getCardRow(q, input.card, false, 'card')).data;
  if (card.status === 'canceled')
    throw stateInvalid(`card: '${card.id}' is canceled; request a new card instead.`, 'card');
  const holder = await getCardholder(q, card.cardholder, false, 'cardholder');
  return {
    cardholder: holder.id,
    card: card.id,
    currency: card.currency,
    effective: mergedDimensions(card, holder),
  };
}

/**
 * Creates a card request; the program's policy decides its approvals. A request that needs none is
 * approved and fulfilled in the same transaction. Emits card_request.created (and .approved).
 */
export async function createCardRequest(
  ctx: Context,
  input: CardRequestInput,
  actor: Actor,
): Promise<CardRequest> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.transaction(async (tx) => {
    const target = await resolveTarget(tx, input);
    const steps = requiredSteps(ctx.program().card_request_policy ?? DEFAULT_CARD_REQUEST_POLICY, {
      currency: target.currency,
      spending_controls: input.spending_controls,
    });
    const created: CardRequest = {
      id: newId('card_request'),
      object: 'card_request',
      type: input.type,
      status: 'pending',
      cardholder: target.cardholder,
      card: target.card,
      card_type: input.type === 'new_card' ? (input.card_type ?? 'virtual') : null,
      usage: input.type === 'new_card' ? (input.usage ?? 'reusable') : null,
      currency: target.currency,
      spending_controls: input.spending_controls,
      dimensions: target.effective,
      reason: input.reason,
      requested_amount: requestedAmount(input.spending_controls),
      approvals: steps.map((step) => ({
        step,
        status: 'pending',
        api_key: null,
        comment: null,
        decided_at: null,
      })),
      history: [
        { action: 'created', step: null, api_key: actor.keyId, comment: input.reason, created_at: at },
      ],
      metadata: input.metadata ?? {},
      created_at: at,
      decided_at: null,
    };
    const request = steps.length === 0 ? await fulfil(ctx, tx, created, actor, now) : created;
    await tx.rows(sql`INSERT INTO card_requests (id, type, status, cardholder_id, card_id, dimensions, created_at, data)
      VALUES (${request.id}, ${request.type}, ${request.status}, ${request.cardholder}, ${request.card},
              ${JSON.stringify(target.effective)}::jsonb, ${at}::timestamptz, ${JSON.stringify(request)}::jsonb)`);
    await emitEvent(tx, 'card_request.created', created, now);
    if (request.status === 'approved') await emitEvent(tx, 'card_request.approved', request, now);
    return request;
  });
  ctx.notifyOutbox();
  return result;
}

/** Issues the card or replaces its controls, and marks the request approved (inside `tx`). */
async function fulfil(
  ctx: Context,
  tx: Queryable,
  request: CardRequest,
  actor: Actor,
  now: Date,
): Promise<CardRequest> {
  let card = request.card;
  if (request.type === 'new_card') {
    const issued = await issueCardIn(
      ctx,
      tx,
      {
        cardholder: request.cardholder,
        type: request.card_type ?? 'virtual',
        usage: request.usage ?? 'reusable',
        currency: request.currency,
        spending_controls: request.spending_controls,
        dimensions: request.dimensions,
        metadata: { card_request: request.id },
      },
      now,
    );
    card = issued.id;
  } else {
    const before = (await getCardRow(tx, request.card ?? '', true, 'card')).data;
    if (before.status === 'canceled') {
      throw stateInvalid(
        `card: '${before.id}' was canceled while the request was pending; reject or cancel the request.`,
        'card',
      );
    }
    await saveCard(tx, before, { ...before, spending_controls: request.spending_controls }, now);
  }
  const at = now.toISOString();
  return {
    ...request,
    card,
    status: 'approved',
    decided_at: at,
    history: [
      ...request.history,
      { action: 'fulfilled', step: null, api_key: actor.keyId, comment: null, created_at: at },
    ],
  };
}

/**
 * The first pending step `actor` may decide. A secret key decides any step; a restricted key needs
 * `card_requests:approve`, decides `department` when scoped to the request's department (or unscoped
 * when the request has none) and `finance` when unscoped, and never two steps of one request.
 */
function stepFor(request: CardRequest, effective: Record<string, string>, actor: Actor): CardRequestApproval {
  const pending = request.approvals.filter((a) => a.status === 'pending');
  const r = actor.restricted;
  if (!r) {
    const first = pending[0];
    if (first) return first;
  } else {
    if (request.approvals.some((a) => a.api_key === actor.keyId)) {
      throw forbidden(
        'this key already decided a step of this request; another approver must decide the rest.',
      );
    }
    const department = effective.department;
    const found = pending.find((a) =>
      a.step === 'finance'
        ? r.scope === null
        : department === undefined
          ? r.scope === null
          : r.scope?.department === department,
    );
    if (found) return found;
  }
  const open = pending.map((a) => a.step).join(' and ');
  throw forbidden(
    `no pending step of '${request.id}' can be decided by this key (pending: ${open}); the ${open} approver must decide it.`,
  );
}

const forbidden = (why: string) =>
  new ApiError(403, 'insufficient_permissions', `Authorization: ${why}`, 'Authorization');

/** Records one decision; on the last approval the card is issued or changed in the same transaction. */
async function decide(
  ctx: Context,
  id: string,
  actor: Actor,
  decision: 'approved' | 'rejected' | 'canceled',
  comment: string | null,
): Promise<CardRequest> {
  const now = ctx.now();
  const at = now.toISOString();
  const result = await ctx.db.transaction(async (tx) => {
    const before = await getRow(tx, id, true);
    if (before.status !== 'pending') {
      throw stateInvalid(
        `card_request: '${id}' is ${before.status}; only a pending request can be ${decision}.`,
        'card_request',
      );
    }
    const effective =
      (
        await tx.rows<{ dimensions: Record<string, string> }>(
          sql`SELECT dimensions FROM card_requests WHERE id = ${id}`,
        )
      )[0]?.dimensions ?? {};
    let after: CardRequest;
    if (decision === 'canceled') {
      after = {
        ...before,
        status: 'canceled',
        decided_at: at,
        history: [
          ...before.history,
          { action: 'canceled', step: null, api_key: actor.keyId, comment, created_at: at },
        ],
      };
    } else {
      const step = stepFor(before, effective, actor);
      const approvals = before.approvals.map((a) =>
        a === step ? { ...a, status: decision, api_key: actor.keyId, comment, decided_at: at } : a,
      );
      after = {
        ...before,
        approvals,
        history: [
          ...before.history,
          { action: decision, step: step.step, api_key: actor.keyId, comment, created_at: at },
        ],
      };
      if (decision === 'rejected') after = { ...after, status: 'rejected', decided_at: at };
      else if (approvals.every((a) => a.status === 'approved'))
        after = await fulfil(ctx, tx, after, actor, now);
    }
    await tx.rows(sql`UPDATE card_requests SET status = ${after.status}, card_id = ${after.card},
      data = ${JSON.stringify(after)}::jsonb WHERE id = ${id}`);
    const type =
      after.status === 'approved'
        ? 'card_request.approved'
        : after.status === 'rejected'
          ? 'card_request.rejected'
          : 'card_request.updated';
    await emitEvent(
      tx,
      type,
      after,
      now,
      type === 'card_request.updated' ? previousAttributes(before, after) : undefined,
    );
    return after;
  });
  ctx.notifyOutbox();
  return result;
}

export const approveCardRequest = (ctx: Context, id: string, actor: Actor, comment?: string) =>
  decide(ctx, id, actor, 'approved', comment ?? null);
export const rejectCardRequest = (ctx: Context, id: string, actor: Actor, comment: string) =>
  decide(ctx, id, actor, 'rejected', comment);
export const cancelCardRequest = (ctx: Context, id: string, actor: Actor, comment?: string) =>
  decide(ctx, id, actor, 'canceled', comment ?? null);
