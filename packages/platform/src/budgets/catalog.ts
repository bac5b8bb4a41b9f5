import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { type StoredBudget, selectorMatches } from './budget';

/**
 * The budgets an authorization counts against are matched in the process, from a cached catalog of
 * the active budgets, instead of by a query over the `budgets` table per authorization (which costs
 * a JSON containment test per active budget of the currency, twice per approval).
 *
 * The catalog is valid for one **generation**: `budget_generation.n` (migration 0010), raised in the
 * same transaction as every budget creation or change. An authorization reads `n` in its first round
 * trip — one row — and matches from the catalog when it is that current; otherwise it reloads the
 * catalog in one statement (same snapshot as its `n`). An optimistic approval re-reads `n` after
 * claiming its budgets' rooms (a fresh snapshot) and is redone locked if it moved, so a budget created
 * or changed in another process governs the next authorization at once.
 */
export interface BudgetCatalog {
  generation: number;
  /** The active budgets, in id order (as PostgreSQL orders them). */
  budgets: StoredBudget[];
}

/** Reads the budget generation (one row). */
export const generationQuery: SQL = sql`SELECT n FROM budget_generation`;

/** Raises the budget generation: run in the transaction that creates or changes a budget. */
export const bumpGenerationStatement: SQL = sql`UPDATE budget_generation SET n = n + 1`;

const catalogQuery = sql`SELECT (SELECT n FROM budget_generation) AS n,
  coalesce((SELECT jsonb_agg(data ORDER BY id) FROM budgets WHERE status = 'active'), '[]'::jsonb) AS budgets`;

const catalogs = new WeakMap<Context, BudgetCatalog>();

/**
 * The catalog at generation `atLeast` or newer: the cached one, or reloaded through `q`.
 *
 * @example
 * const catalog = await budgetCatalog(ctx, tx, Number(rows[0].n));
 * const governing = matchBudgets(catalog, 'usd', { department: 'marketing' });
 */
export async function budgetCatalog(ctx: Context, q: Queryable, atLeast: number): Promise<BudgetCatalog> {
  const cached = catalogs.get(ctx);
  if (cached && cached.generation >= atLeast) return cached;
  const rows = await q.rows<{ n: unknown; budgets: StoredBudget[] | string }>(catalogQuery);
  const raw = rows[0]?.budgets ?? [];
  const catalog: BudgetCatalog = {
    generation: Number(rows[0]?.n ?? 0),
    budgets: typeof raw === 'string' ? (JSON.parse(raw) as StoredBudget[]) : raw,
  };
  const current = catalogs.get(ctx);
  if (!current || current.generation <= catalog.generation) catalogs.set(ctx, catalog);
  return catalog;
}

/** The catalog's budgets governing a card: its currency, a selector its merged dimensions match. */
export function matchBudgets(
  catalog: BudgetCatalog,
  currency: string,
  dimensions: Record<string, string>,
): StoredBudget[] {
  return catalog.budgets.filter((b) => b.currency === currency && selectorMatches(b.selector, dimensions));
}
