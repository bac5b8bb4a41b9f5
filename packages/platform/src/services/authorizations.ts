import { createHash } from 'node:crypto';
import {
  type BudgetState,
  type Decision,
  evaluateControls,
  insufficientFundsDecline,
} from '@openissuing/decision-engine';
import { categoryOfMcc } from '../authorization/categories';
import { type CounterScope, counterDeltas, counterUpsert, shardOf } from '../authorization/counters';
import { convert, isSupportedCurrency } from '../authorization/fx';
import { needsUsage, parseUsage, readScopeUsage, type Usage, usageQuery } from '../authorization/usage';
import {
  BUDGET_RECHECK_SQLSTATE,
  BudgetRecheckError,
  budgetAlertCtes,
  type LockedBudget,
} from '../budgets/authorize';
import { budgetCounterScope } from '../budgets/budget';
import {
  type BudgetPlan,
  budgetFirstStatements,
  keepsShardRooms,
  planBudgets,
  resolveBudgets,
} from '../budgets/resolve';
import { claimRoomsStatements, lockedRoomCtes, type ShardRow } from '../budgets/shards';
import type { Context } from '../context';
import { type Queryable, retriesConflict, sqlState } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { invalid, notFound, stateInvalid } from '../lib/errors';
import { newId } from '../lib/ids';
import type { Cardholder } from './cardholders';
import type { Card } from './cards';
import { mergedDimensions } from './dimensions';
import { type EventSpec, emitEvent, eventsCte } from './events';
import { InsufficientFundsError, ledgerParts, randomSlot, reserveSlot, runFinal } from './ledger';
import { type ListParams, listRows } from './list';

export interface MerchantData {
  name: string;
  network_id: string;
  mcc: string;
  category: string;
  city: string | null;
  country: string;
}

export interface Authorization {
  id: string;
  object: 'authorization';
  card: string;
  cardholder: string;
  amount: number;
  currency: string;
  merchant_amount: number;
  merchant_currency: string;
  exchange_rate: number;
  merchant_data: MerchantData;
  status: 'pending' | 'closed' | 'reversed' | 'expired';
  approved: boolean;
  /** As the contract declares it (`AuthorizationDecision`): the outcome itself is `approved` above. */
  decision: AuthorizationDecision;
  pending_amount: number;
  captured_amount: number;
  transactions: string[];
  dimensions: Record<string, string>;
  created_at: string;
}

export interface AuthorizationRequest {
  card: string;
  amount: number;
  currency?: string | undefined;
  merchant_data: { name: string; network_id?: string; mcc: string; city?: string; country: string };
}

/** The real-time authorization webhook's answer. */
export type RealtimeOutcome =
  | { kind: 'answered'; approved: boolean; reason?: string | undefined }
  | { kind: 'timeout' }
  | { kind: 'error'; detail: string };

/** Sends one `authorization.request` event (already recorded with `eventId`) and awaits the answer. */
export type RealtimeCall = (
  event: { id: string; created_at: string },
  auth: Authorization,
) => Promise<RealtimeOutcome>;

/**
 * Resolves, BEFORE the authorization transaction opens, whether an endpoint subscribes to
 * `authorization.request` (null when none), so no other query runs beside the transaction.
 */
export type RealtimeHook = () => Promise<RealtimeCall | null>;

const networkIds = new Map<string, string>();

/** Deterministic network id for a merchant name (so repeated names reach the same merchant). Memoised. */
export function networkIdFor(name: string): string {
  let id = networkIds.get(name);
  if (id === undefined) {
    const digest = createHash('sha256').update(name.trim().toLowerCase()).digest();
    id = `1${(digest.readBigUInt64BE(0) % 10n ** 14n).toString().padStart(14, '0')}`;
    if (networkIds.size >= 10_000) networkIds.clear();
    networkIds.set(name, id);
  }
  return id;
}

type AuthorizationDecision = Omit<Decision, 'approved'>;

/** The decision as the contract declares it: reason, message and control (no undeclared fields). */
function contractDecision(d: Decision): AuthorizationDecision {
  return { reason: d.reason, message: d.message, control: d.control };
}

function realtimeDecision(outcome: RealtimeOutcome, fallback: 'approve' | 'decline'): Decision | null {
  const control = 'program.authorization_webhook';
  if (outcome.kind === 'answered') {
    if (outcome.approved) return null;
    return {
      approved: false,
      reason: 'webhook_declined',
      message: outcome.reason || 'Declined by the authorization webhook.',
      control,
    };
  }
  const reason = outcome.kind === 'timeout' ? 'webhook_timeout' : 'webhook_error';
  const what = outcome.kind === 'timeout' ? 'did not answer in time' : `failed (${outcome.detail})`;
  return fallback === 'approve'
    ? {
        approved: true,
        reason,
        message: `The authorization webhook ${what}; approved by the program's fallback.`,
        control,
      }
    : {
        approved: false,
        reason,
        message: `The authorization webhook ${what}; declined by the program's fallback.`,
        control,
      };
}

function resolveAmounts(req: AuthorizationRequest, card: Card) {
  const merchantCurrency = req.currency ?? card.currency;
  if (!isSupportedCurrency(merchantCurrency)) {
    throw invalid(
      'currency',
      `currency: '${merchantCurrency}' has no sandbox exchange rate; use e.g. usd, eur, gbp or jpy.`,
    );
  }
  const fx = convert(req.amount, merchantCurrency, card.currency);
  return {
    amount: fx.amount,
    merchant_amount: req.amount,
    merchant_currency: merchantCurrency,
    exchange_rate: fx.exchange_rate,
  };
}

/**
 * Creates an authorization as the card network would and decides it atomically: the card row (and,
 * when it has aggregate controls, the cardholder row) is locked FOR UPDATE, usage is read, controls
 * are evaluated and the hold written — all in one transaction, so no interleaving of concurrent
 * authorizations (in any number of processes) can exceed a limit. A real-time webhook is asked
 * between two such transactions, holding no lock or connection, and the second decides with its
 * answer.
 * The balance can never go negative: the hold takes a random balance slot, each with
 * CHECK (available >= 0). If that slot cannot cover it, the transaction rolls back and the
 * authorization is redone once with the slots reserved: before its hold it locks them all, sees the
 * exact sum and refills its slot from the others ({@link reserveSlot}), holding those locks to its
 * commit — so it is decided exactly, however many holds race it; only a sum too low makes it an
 * `insufficient_funds` decline.
 */
export async function createAuthorization(
  ctx: Context,
  req: AuthorizationRequest,
  realtime?: RealtimeHook,
): Promise<Authorization> {
  let call = realtime ? await realtime() : null;
  const slot = randomSlot();
  // After a hold found its slot dry: redo it with every slot locked and its own refilled (exact).
  let reserve = false;
  let fixed: FixedIdentity | undefined;
  if (call) {
    // The webhook (up to 2 s) is never awaited inside the transaction: that would hold the card's
    // lock (every other authorization of the card waits) and a pool connection (embedded: the only
    // one, so every request waits) for as long. Decide, roll back at the webhook, ask it outside,
    // then decide again under the lock with its answer (a limit used up meanwhile still declines:
    // never overspent), which retries reuse instead of asking again.
    const ask = call;
    fixed = { id: newId('authorization'), now: ctx.now() };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await authorizeOnce(ctx, req, deferRealtime, false, slot, true, fixed);
        ctx.notifyOutbox();
        return result; // decided before the webhook (a decline): written as usual
      } catch (error) {
        if (retriesConflict(error, attempt)) continue;
        if (!(error instanceof RealtimeDeferred)) throw error;
        const outcome = await ask(error.event, error.asked);
        fixed.asked = { eventId: error.event.id, auth: error.asked };
        call = async () => outcome;
        break;
      }
    }
  }
  // Budgets are decided optimistically on PostgreSQL (see budgets/authorize.ts), except after a
  // real-time webhook was asked (its answer is for this decision: taken under the budgets' locks),
  // and locked after any recheck.
  let lockBudgets = ctx.db.kind !== 'postgres' || call !== null;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await authorizeOnce(ctx, req, call, reserve, slot, lockBudgets, fixed);
      ctx.notifyOutbox();
      return result;
    } catch (error) {
      if (error instanceof InsufficientFundsError) {
        // Reserved, the hold cannot fail for funds (reserveSlot declines exactly): this is a bug.
        if (reserve) throw error;
        reserve = true;
        // Budget rows are then locked in the first round trip, before the slots (one lock order).
        lockBudgets = true;
        continue;
      }
      const state = sqlState(error);
      if (!lockBudgets && (error instanceof BudgetRecheckError || state === BUDGET_RECHECK_SQLSTATE)) {
        lockBudgets = true;
        continue;
      }
      if (retriesConflict(error, attempt)) continue;
      throw error;
    }
  }
}

/** The id and time an authorization asked of a real-time webhook keeps across its two transactions (see createAuthorization). */
interface FixedIdentity {
  id: string;
  now: Date;
  /**
   * The `authorization.request` event as sent to the webhook (its id and object). It is recorded
   * with the authorization whatever the second decision — also when that declines before the
   * webhook's answer counts (a limit used up, the card frozen meanwhile): the question was asked.
   */
  asked?: { eventId: string; auth: Authorization };
}

/** Thrown at the webhook inside an authorization's first transaction, to roll it back. */
class RealtimeDeferred extends Error {
  constructor(
    readonly event: { id: string; created_at: string },
    readonly asked: Authorization,
  ) {
    super('real-time webhook deferred until the transaction is rolled back');
  }
}

const deferRealtime: RealtimeCall = async (event, asked) => {
  throw new RealtimeDeferred(event, asked);
};

/** What the lock and usage statements of a card need to know, cached per process and re-checked under the lock. */
interface CardPlan {
  card: Card;
  holder: Cardholder;
  /**
   * The row versions (migration 0013) `card` and `holder` were read at: the lock statement sends a
   * row's JSON only when its version moved, so an unchanged card costs no JSON on the wire.
   */
  cardVersion: string;
  holderVersion: string;
  /** The active budgets governing the card, and the budget generation they were matched at (re-checked). */
  budgets: BudgetPlan;
}
const plans = new WeakMap<Context, Map<string, CardPlan>>();

function planCache(ctx: Context): Map<string, CardPlan> {
  let m = plans.get(ctx);
  if (!m) {
    m = new Map();
    plans.set(ctx, m);
  }
  return m;
}

/** The card lock's row: each JSON is null when that row's version is still the plan's. */
interface LockRow {
  card: Card | null;
  card_version: string;
  holder: Cardholder | null;
  holder_version: string;
  available: unknown;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One authorization attempt. The statements that lock the card (and cardholder) and read usage
 * are prepared from a cached snapshot of the card's controls and sent with BEGIN in one round
 * trip; the snapshot is verified under the lock (a stale one costs one more statement). The
 * authorization, its events, the hold, the ledger entries and COMMIT then go in one final round trip.
 */
async function authorizeOnce(
  ctx: Context,
  req: AuthorizationRequest,
  realtime: RealtimeCall | null,
  reserve: boolean,
  slot: number,
  lockBudgets: boolean,
  fixed?: FixedIdentity,
) {
  const now = fixed?.now ?? ctx.now();
  const cache = planCache(ctx);
  let plan = cache.get(req.card);
  if (!plan) {
    const rows = await ctx.db.rows<{ card: Card; holder: Cardholder; cv: unknown; hv: unknown }>(sql`
      SELECT c.data AS card, h.data AS holder, c.version AS cv, h.version AS hv
      FROM cards c JOIN cardholders h ON h.id = c.cardholder_id WHERE c.id = ${req.card}`);
    if (!rows[0]) throw notFound('card', req.card);
    const { card, holder } = rows[0];
    plan = {
      card,
      holder,
      cardVersion: String(rows[0].cv),
      holderVersion: String(rows[0].hv),
      budgets: await planBudgets(ctx, card.currency, mergedDimensions(card, holder)),
    };
    if (cache.size > 50_000) cache.clear();
    cache.set(req.card, plan);
  }
  const planned = plan;
  const holderLocked = needsUsage(planned.holder.spending_controls);
  const plannedDims = mergedDimensions(planned.card, planned.holder);
  // The shard of the budgets' rooms (and counters) this card draws on (budgets/shards.ts).
  const shard = shardOf(req.card);
  const first = [
    // The JSON of a row whose version is still the plan's is not sent (null): the plan's copy is it.
    sql`SELECT CASE WHEN c.version = ${planned.cardVersion}::bigint THEN NULL ELSE c.data END AS card,
        c.version AS card_version,
        CASE WHEN h.id = ${planned.holder.id} AND h.version = ${planned.holderVersion}::bigint THEN NULL ELSE h.data END AS holder,
        h.version AS holder_version, b.available
      FROM cards c JOIN cardholders h ON h.id = c.cardholder_id
        CROSS JOIN LATERAL (SELECT sum(available) AS available FROM balance_slots WHERE currency = c.data->>'currency') b
      WHERE c.id = ${req.card} FOR UPDATE OF c`,
    holderLocked ? sql`SELECT 1 FROM cardholders WHERE id = ${planned.holder.id} FOR UPDATE` : null,
    usageQuery(
      { card_id: req.card, currency: planned.card.currency },
      planned.card.spending_controls,
      now,
      planned.card.usage === 'single_use',
    ),
    holderLocked
      ? usageQuery(
          { cardholder_id: planned.holder.id, currency: planned.card.currency },
          planned.holder.spending_controls,
          now,
          false,
        )
      : null,
    // Budgets (four statements): locked, the governing rows, all their shards and the exact counters;
    // optimistic, the budget generation and the card's shard row of each planned budget.
    ...budgetFirstStatements(
      keepsShardRooms(ctx.db),
      lockBudgets,
      planned.card.currency,
      plannedDims,
      planned.budgets,
      shard,
      now,
    ),
  ];
  return ctx.db.transactionWith(
    first,
    async (tx, [lockRows, , cardUsageRows, holderUsageRows, ...budgetResults]) => {
      const row = lockRows?.[0] as LockRow | undefined;
      if (!row) throw notFound('card', req.card);
      const card = row.card ?? planned.card;
      const holder = row.holder ?? planned.holder;
      const unchanged = card === planned.card && holder === planned.holder;
      // The budgets that govern the card now: the planned ones unless the card or a budget changed.
      const dims = unchanged ? plannedDims : mergedDimensions(card, holder);
      const resolved = await resolveBudgets(ctx, tx, budgetResults, {
        lock: lockBudgets,
        rooms: keepsShardRooms(ctx.db),
        planned: planned.budgets,
        moved: !unchanged && (!sameJson(dims, plannedDims) || card.currency !== planned.card.currency),
        currency: card.currency,
        dimensions: dims,
        shard,
        now,
      });
      cache.set(req.card, {
        card,
        holder,
        cardVersion: String(row.card_version),
        holderVersion: String(row.holder_version),
        budgets: resolved.plan,
      });
      const cardUsage =
        card === planned.card ||
        (sameJson(planned.card.spending_controls, card.spending_controls) &&
          planned.card.usage === card.usage)
          ? parseUsage(cardUsageRows?.[0], card.spending_controls)
          : await readScopeUsage(
              tx,
              { card_id: card.id, currency: card.currency },
              card.spending_controls,
              now,
              card.usage === 'single_use',
            );
      let holderUsage: Usage | undefined;
      if (needsUsage(holder.spending_controls)) {
        if (
          holderLocked &&
          (holder === planned.holder ||
            (planned.holder.id === holder.id &&
              sameJson(planned.holder.spending_controls, holder.spending_controls)))
        ) {
          holderUsage = parseUsage(holderUsageRows?.[0], holder.spending_controls);
        } else {
          if (!holderLocked || planned.holder.id !== holder.id) {
            await tx.rows(sql`SELECT 1 FROM cardholders WHERE id = ${holder.id} FOR UPDATE`);
          }
          holderUsage = await readScopeUsage(
            tx,
            { cardholder_id: holder.id, currency: card.currency },
            holder.spending_controls,
            now,
            false,
          );
        }
      }
      const locked = {
        card,
        holder,
        available: Number(row.available ?? 0),
        budgets: resolved.budgets,
        budgetStates: resolved.states,
        budgetsLocked: lockBudgets,
        shardRows: resolved.shardRows,
        shard,
        generation: resolved.plan.generation,
      };
      return decideAndWrite(
        ctx,
        tx,
        req,
        locked,
        cardUsage,
        holderUsage,
        realtime,
        reserve,
        now,
        slot,
        fixed,
      );
    },
    // Key lookups and inserts only: planned once per connection, never per execution.
    { genericPlans: true },
  );
}

async function decideAndWrite(
  ctx: Context,
  tx: Queryable,
  req: AuthorizationRequest,
  locked: {
    card: Card;
    holder: Cardholder;
    available: number;
    budgets: LockedBudget[];
    budgetStates: BudgetState[];
    /** False in optimistic mode: the budget rows are not locked yet (budgets/authorize.ts). */
    budgetsLocked: boolean;
    /** Locked: every shard row of the budgets; optimistic: the card's shard row of each. */
    shardRows: ShardRow[];
    /** The shard of the budgets this card draws on. */
    shard: number;
    /** The budget generation the budgets were matched at (budgets/catalog.ts). */
    generation: number;
  },
  cardUsage: Usage,
  holderUsage: Usage | undefined,
  realtime: RealtimeCall | null,
  /** Lock every balance slot and refill this one before the hold: decided exactly (see createAuthorization). */
  reserve: boolean,
  now: Date,
  slot: number,
  fixed?: FixedIdentity,
): Promise<Authorization> {
  const { card, holder } = locked;
  const amounts = resolveAmounts(req, card);
  const md = req.merchant_data;
  const merchant: MerchantData = {
    name: md.name,
    network_id: md.network_id ?? networkIdFor(md.name),
    mcc: md.mcc,
    category: categoryOfMcc(md.mcc),
    city: md.city ?? null,
    country: md.country,
  };
  let decision: Decision = evaluateControls({
    now,
    amount: amounts.amount,
    currency: card.currency,
    merchant,
    card: {
      status: card.status,
      cancellation_reason: card.cancellation_reason,
      usage: card.usage,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      expires_at: card.expires_at,
      spending_controls: card.spending_controls,
      locked_merchant: card.locked_merchant,
      single_use_consumed: cardUsage.live,
    },
    cardholder: { status: holder.status, spending_controls: holder.spending_controls },
    usage: { card: cardUsage, cardholder: holderUsage },
    budgets: locked.budgetStates,
    balance_available: locked.available,
  });
  const optimistic = !locked.budgetsLocked && locked.budgets.length > 0;
  if (optimistic && decision.reason === 'budget_exceeded')
    throw new BudgetRecheckError('confirm the decline locked');
  const auth: Authorization = {
    id: fixed?.id ?? newId('authorization'),
    object: 'authorization',
    card: card.id,
    cardholder: holder.id,
    amount: amounts.amount,
    currency: card.currency,
    merchant_amount: amounts.merchant_amount,
    merchant_currency: amounts.merchant_currency,
    exchange_rate: amounts.exchange_rate,
    merchant_data: merchant,
    status: 'closed',
    approved: decision.approved,
    decision: contractDecision(decision),
    pending_amount: 0,
    captured_amount: 0,
    transactions: [],
    dimensions: mergedDimensions(card, holder),
    created_at: now.toISOString(),
  };
  if (decision.approved && realtime) {
    const asked: Authorization = fixed?.asked?.auth ?? {
      ...auth,
      status: 'pending',
      pending_amount: auth.amount,
    };
    // The first decision writes nothing: it only names the question, asked after ROLLBACK.
    if (realtime === deferRealtime)
      throw new RealtimeDeferred({ id: newId('event'), created_at: now.toISOString() }, asked);
    const event = await emitEvent(tx, 'authorization.request', asked, now, undefined, fixed?.asked?.eventId);
    const override = realtimeDecision(
      await realtime(event, asked),
      ctx.program().authorization_webhook_fallback,
    );
    if (override) decision = override;
    auth.decision = contractDecision(decision);
    auth.approved = decision.approved;
  } else if (fixed?.asked) {
    // The webhook was asked outside the transaction, and this decision (under the lock) declines
    // before its answer counts. The question it was sent is recorded all the same: every question
    // the webhook receives is an event.
    await emitEvent(tx, 'authorization.request', fixed.asked.auth, now, undefined, fixed.asked.eventId);
  }
  if (auth.approved && reserve) {
    // The slot ran dry in an earlier attempt: lock them all, refill this one, and hold to commit.
    const total = await reserveSlot(tx, auth.currency, slot, auth.amount);
    if (total < auth.amount) {
      decision = insufficientFundsDecline(auth.amount, total, auth.currency);
      auth.decision = contractDecision(decision);
      auth.approved = false;
    }
  }
  if (auth.approved) {
    auth.status = 'pending';
    auth.pending_amount = auth.amount;
  }
  // The final statement: the authorization, its event, the merchant lock, the hold with its ledger
  // entry and balance.updated — then COMMIT, in one round trip on PostgreSQL.
  const budgetIds = auth.approved && locked.budgets.length ? locked.budgets.map((b) => b.data.id) : null;
  const budgetIdsSql = budgetIds
    ? sql`ARRAY[${sql.join(
        budgetIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::text[]`
    : sql`NULL`;
  const ctes: SQL[] = [
    sql`a AS (INSERT INTO authorizations
      (id, card_id, cardholder_id, status, approved, currency, amount, mcc, spend_amount, balance_slot, created_at, budget_ids, data)
      VALUES (${auth.id}, ${card.id}, ${holder.id}, ${auth.status}, ${auth.approved}, ${auth.currency}, ${auth.amount},
              ${merchant.mcc}, ${auth.approved ? auth.amount : 0}, ${slot}::smallint, ${auth.created_at}::timestamptz,
              ${budgetIdsSql}, ${JSON.stringify(auth)}::jsonb) RETURNING data)`,
  ];
  // Every event of the final statement goes into ONE events INSERT (and one outbox INSERT).
  // authorization.created carries the row's own jsonb: the authorization is serialised and parsed once.
  const events: EventSpec[] = [
    { type: 'authorization.created', object: sql`a.data`, now, from: sql`FROM a`, id: newId('event') },
  ];
  // Locked: alerts, and the shard rooms kept or rewritten from the exact spend (budgets/shards.ts).
  // Optimistic: neither — an approval that fits its shard's room reaches no pending threshold.
  if (locked.budgets.length && locked.budgetsLocked) {
    const alerts = await budgetAlertCtes(
      tx,
      locked.budgets,
      locked.budgetStates,
      { approved: auth.approved, control: decision.control, amount: auth.amount, mcc: merchant.mcc },
      now,
    );
    ctes.push(...alerts.ctes);
    for (const [k, { data: budget }] of keepsShardRooms(ctx.db) ? locked.budgets.entries() : []) {
      const after = alerts.after.get(budget.id);
      ctes.push(
        ...lockedRoomCtes(
          budget,
          locked.shardRows.filter((r) => r.budget_id === budget.id),
          locked.budgetStates[k],
          {
            approved: auth.approved,
            amount: auth.amount,
            mcc: merchant.mcc,
            alertsAfter: after?.alerts ?? {},
            alertSent: after?.thresholdSent ?? false,
          },
          locked.shard,
          now,
          `bs${k}`,
        ),
      );
    }
  }
  if (auth.approved) {
    if (card.usage === 'merchant_locked' && !card.locked_merchant) {
      const after: Card = { ...card, locked_merchant: merchant.network_id };
      ctes.push(sql`cu AS (UPDATE cards SET data = ${JSON.stringify(after)}::jsonb WHERE id = ${card.id})`);
      events.push({
        type: 'card.updated',
        object: after,
        now,
        previous_attributes: { locked_merchant: null },
        id: newId('event'),
      });
      planCache(ctx).delete(card.id);
    }
    const counters = counterUpsert(
      counterDeltas(spendScopes(auth, budgetIds), auth.created_at, merchant.mcc, auth.amount),
    );
    if (counters) ctes.push(sql`uc AS (${counters})`);
    const ledger = ledgerParts(
      auth.currency,
      [{ type: 'hold', amount: -auth.amount, source: auth.id }],
      now,
      slot,
    );
    if (ledger) {
      ctes.push(ledger.ctes);
      events.push(ledger.event);
    }
  }
  ctes.push(eventsCte(events, 'ev').cte);
  // The guard claims the budgets' rooms on the card's shard, or raises OIB01 (budgets/shards.ts).
  const guard =
    optimistic && auth.approved
      ? claimRoomsStatements(
          locked.budgets.map((b) => b.data),
          locked.generation,
          locked.shard,
          auth.amount,
          merchant.mcc,
          now,
        )
      : [];
  // The guard is pipelined with the final statement and COMMIT: lock, check, write — one round trip.
  // A failed guard aborts the transaction, so its error (OIB01: redo locked) is the one to report.
  const guardRuns = guard.map((q) => tx.rows(q));
  for (const g of guardRuns) g.catch(() => {});
  try {
    await runFinal(tx, sql`WITH ${sql.join(ctes, sql`, `)} SELECT 1`);
  } catch (error) {
    for (const g of guardRuns) await g;
    throw error;
  }
  await Promise.all(guardRuns);
  return auth;
}

/** Locks an authorization and returns it with the balance slot that carries its hold. */
export async function getHeldAuthorization(
  q: Queryable,
  id: string,
  param = 'authorization',
): Promise<{ auth: Authorization; slot: number }> {
  const rows = await q.rows<{ data: Authorization; balance_slot: unknown }>(
    sql`SELECT data, balance_slot FROM authorizations WHERE id = ${id} FOR UPDATE`,
  );
  if (!rows[0]) throw notFound('authorization', id, param);
  return { auth: rows[0].data, slot: Number(rows[0].balance_slot) };
}

export async function getAuthorization(
  q: Queryable,
  id: string,
  lock = false,
  param = 'authorization',
): Promise<Authorization> {
  const rows = await q.rows<{ data: Authorization }>(
    lock
      ? sql`SELECT data FROM authorizations WHERE id = ${id} FOR UPDATE`
      : sql`SELECT data FROM authorizations WHERE id = ${id}`,
  );
  if (!rows[0]) throw notFound('authorization', id, param);
  return rows[0].data;
}

/**
 * The usage-counter scopes an authorization's spend counts in: its card, its cardholder and the
 * budgets it counted against when approved (`budget_ids`; shared scopes write the card's shard).
 */
function spendScopes(auth: Authorization, budgetIds: readonly string[] | null = null): CounterScope[] {
  return [
    { kind: 'card', id: auth.card, currency: auth.currency },
    { kind: 'cardholder', id: auth.cardholder, currency: auth.currency, shard: shardOf(auth.card) },
    ...(budgetIds ?? []).map((id) => ({
      ...budgetCounterScope({ id, currency: auth.currency }),
      shard: shardOf(auth.card),
    })),
  ];
}

/**
 * Persists a changed authorization and emits `authorization.updated`. `spendDelta` lowers the
 * spend counted against limits (reversals and expiries): the `spend_amount` column and the usage
 * counters of the authorization's buckets, in the same statement.
 */
export async function saveAuthorization(
  tx: Queryable,
  before: Authorization,
  after: Authorization,
  now: Date,
  spendDelta = 0,
) {
  let budgetIds: string[] | null = null;
  if (spendDelta !== 0) {
    const rows = await tx.rows<{ budget_ids: string[] | null }>(
      sql`SELECT budget_ids FROM authorizations WHERE id = ${before.id}`,
    );
    budgetIds = rows[0]?.budget_ids ?? null;
  }
  const counters = counterUpsert(
    counterDeltas(spendScopes(before, budgetIds), before.created_at, before.merchant_data.mcc, spendDelta),
  );
  const update = sql`UPDATE authorizations SET status = ${after.status}, spend_amount = spend_amount + ${spendDelta},
      data = ${JSON.stringify(after)}::jsonb WHERE id = ${after.id}`;
  await tx.rows(counters ? sql`WITH u AS (${update}), uc AS (${counters}) SELECT 1` : update);
  const previous: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(before)) {
    if (JSON.stringify(v) !== JSON.stringify((after as unknown as Record<string, unknown>)[k]))
      previous[k] = v;
  }
  await emitEvent(tx, 'authorization.updated', after, now, previous);
}

export function requirePending(auth: Authorization, action: string): void {
  if (auth.status !== 'pending') {
    throw stateInvalid(
      `authorization: '${auth.id}' is ${auth.approved ? auth.status : 'declined'}; only a pending authorization can be ${action}.`,
      'authorization',
    );
  }
}

export function listAuthorizations(
  ctx: Context,
  params: ListParams & { card?: string; cardholder?: string; status?: string },
) {
  const where = [];
  if (params.card) where.push(sql`card_id = ${params.card}`);
  if (params.cardholder) where.push(sql`cardholder_id = ${params.cardholder}`);
  if (params.status) where.push(sql`status = ${params.status}`);
  return listRows<Authorization>(ctx.db, 'authorizations', params, where);
}
