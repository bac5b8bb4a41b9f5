import type { BudgetState } from '@openissuing/decision-engine';
import type { SQL } from 'drizzle-orm';
import type { Context } from '../context';
import type { Queryable, Row } from '../db/database';
import {
  BudgetRecheckError,
  budgetCountersQuery,
  budgetStates,
  type LockedBudget,
  lockBudgetShardsQuery,
  lockBudgetsQuery,
  sameBudgets,
} from './authorize';
import type { StoredBudget } from './budget';
import { budgetCatalog, generationQuery, matchBudgets } from './catalog';
import { fastBudgetStates, lockShardsOfQuery, type ShardRow, shardRowsQuery } from './shards';

/** The budgets a card's cached plan counts against, and the budget generation they were matched at. */
export interface BudgetPlan {
  budgets: StoredBudget[];
  generation: number;
}

/** The budgets governing a card whose plan is being made (from the process's catalog). */
export async function planBudgets(
  ctx: Context,
  currency: string,
  dimensions: Record<string, string>,
): Promise<BudgetPlan> {
  const catalog = await budgetCatalog(ctx, ctx.db, 0);
  return { budgets: matchBudgets(catalog, currency, dimensions), generation: catalog.generation };
}

/**
 * Whether a database keeps budget shard rooms: PostgreSQL, where approvals are decided optimistically
 * on them. The embedded PGlite runs one transaction at a time and always decides locked, on the exact
 * counters, so nothing there ever reads a room — keeping them would only cost every approval 8 row
 * locks per budget.
 */
export function keepsShardRooms(db: { kind: 'pglite' | 'postgres' }): boolean {
  return db.kind === 'postgres';
}

/**
 * The budget statements of an authorization's first round trip (after the card and cardholder
 * locks), always four entries (null: nothing to run). Optimistic: the card's shard row of each
 * planned budget with the budget generation, one statement. Locked: the generation, then the
 * governing budget rows, all their shard rows (where {@link keepsShardRooms}) and the exact counters.
 */
export function budgetFirstStatements(
  rooms: boolean,
  lock: boolean,
  currency: string,
  dimensions: Record<string, string>,
  planned: BudgetPlan,
  shard: number,
  now: Date,
): (SQL | null)[] {
  if (!lock) return [shardRowsQuery(planned.budgets, shard), null, null, null];
  return [
    generationQuery,
    lockBudgetsQuery(currency, dimensions),
    rooms ? lockBudgetShardsQuery(currency, dimensions) : null,
    budgetCountersQuery(planned.budgets, now),
  ];
}

/** The budgets an authorization decides with: its new plan, the rows, the engine's view, the shard rows. */
export interface ResolvedBudgets {
  plan: BudgetPlan;
  budgets: LockedBudget[];
  states: BudgetState[];
  shardRows: ShardRow[];
}

/**
 * Resolves the governing budgets from {@link budgetFirstStatements}' results, with the card as locked.
 * `moved`: the card's currency or merged dimensions differ from the plan's. Optimistic, it matches
 * from the catalog when the generation moved, and throws {@link BudgetRecheckError} when a shard room
 * is void (decide locked).
 */
export async function resolveBudgets(
  ctx: Context,
  tx: Queryable,
  results: readonly (Row[] | undefined)[],
  args: {
    lock: boolean;
    /** Whether the database keeps shard rooms ({@link keepsShardRooms}). */
    rooms: boolean;
    planned: BudgetPlan;
    moved: boolean;
    currency: string;
    dimensions: Record<string, string>;
    shard: number;
    now: Date;
  },
): Promise<ResolvedBudgets> {
  const { lock, rooms, planned, moved, currency, dimensions, shard, now } = args;
  // Read before the budget rows: a change committed in between makes the plan look stale, never current.
  const generation = Number(results[0]?.[0]?.n ?? 0);
  let shardRows = ((lock ? results[2] : results[0]) ?? []) as unknown as ShardRow[];
  if (lock) {
    let locked = (results[1] ?? []) as unknown as LockedBudget[];
    if (moved) {
      locked = await tx.rows<LockedBudget>(lockBudgetsQuery(currency, dimensions));
      const q = rooms ? lockShardsOfQuery(locked.map((b) => b.data)) : null;
      shardRows = q ? await tx.rows<ShardRow>(q) : [];
    }
    const budgets = locked.map((b) => b.data);
    let usageRow = results[3]?.[0];
    if (!sameBudgets(budgets, planned.budgets)) {
      const q = budgetCountersQuery(budgets, now);
      usageRow = q ? (await tx.rows(q))[0] : undefined;
    }
    return {
      plan: { budgets, generation },
      budgets: locked,
      states: budgetStates(budgets, usageRow),
      shardRows,
    };
  }
  let plan = planned;
  if (moved || generation !== planned.generation) {
    const catalog = await budgetCatalog(ctx, tx, generation);
    plan = { budgets: matchBudgets(catalog, currency, dimensions), generation: catalog.generation };
  }
  if (plan.budgets.length === 0) return { plan, budgets: [], states: [], shardRows: [] };
  if (moved || !sameBudgets(plan.budgets, planned.budgets)) {
    shardRows = await tx.rows<ShardRow>(shardRowsQuery(plan.budgets, shard));
  }
  const states = fastBudgetStates(plan.budgets, shardRows, now);
  if (!states) throw new BudgetRecheckError('a shard room is void: decide with the shards locked');
  return { plan, budgets: plan.budgets.map((data) => ({ data, alerts: {} })), states, shardRows };
}
