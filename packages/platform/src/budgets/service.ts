import { isSupportedCurrency } from '../authorization/fx';
import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { invalid, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { previousAttributes } from '../services/cardholders';
import { emitEvent } from '../services/events';
import { type ListParams, listRows } from '../services/list';
import type { Budget, BudgetAlerts, BudgetLimit, StoredBudget } from './budget';
import { bumpGenerationStatement } from './catalog';
import { checkBudgetAgainstCards } from './currency-rule';
import { insertShardsStatement } from './shards';
import { readBudgetUsage } from './usage';

export interface BudgetCreateInput {
  name: string;
  selector: Record<string, string>;
  currency: string;
  limits: BudgetLimit[];
  alert_threshold_percent?: number | null | undefined;
  metadata?: Record<string, string> | undefined;
}

export type BudgetUpdateInput = Partial<
  Pick<StoredBudget, 'name' | 'status' | 'limits' | 'alert_threshold_percent' | 'metadata'>
>;

interface BudgetRow {
  data: StoredBudget;
  alerts: BudgetAlerts;
}

function checkCurrency(currency: string): void {
  if (!isSupportedCurrency(currency))
    throw invalid(
      'currency',
      `currency: '${currency}' is not supported by the sandbox; use e.g. usd, eur, gbp or jpy.`,
    );
}

async function getBudgetRow(q: Queryable, id: string, lock = false): Promise<BudgetRow> {
  const rows = await q.rows<BudgetRow>(
    lock
      ? sql`SELECT data, alerts FROM budgets WHERE id = ${id} FOR UPDATE`
      : sql`SELECT data, alerts FROM budgets WHERE id = ${id}`,
  );
  if (!rows[0]) throw notFound('budget', id);
  return rows[0];
}

/** A budget with its current usage. */
export async function getBudget(ctx: Context, id: string): Promise<Budget> {
  const row = await getBudgetRow(ctx.db, id);
  return readBudgetUsage(ctx.db, row.data, row.alerts, ctx.now());
}

/** Creates a budget (validated against BudgetCreateParams). Emits budget.created. */
export async function createBudget(ctx: Context, input: BudgetCreateInput): Promise<Budget> {
  checkCurrency(input.currency);
  const now = ctx.now();
  const budget: StoredBudget = {
    id: newId('budget'),
    object: 'budget',
    name: input.name,
    status: 'active',
    selector: input.selector,
    currency: input.currency,
    limits: input.limits,
    alert_threshold_percent: input.alert_threshold_percent === undefined ? 80 : input.alert_threshold_percent,
    metadata: input.metadata ?? {},
    created_at: now.toISOString(),
  };
  const result = await ctx.db.transaction(async (tx) => {
    await checkBudgetAgainstCards(tx, budget, 'selector');
    await tx.rows(sql`INSERT INTO budgets (id, status, currency, selector, created_at, data)
      VALUES (${budget.id}, ${budget.status}, ${budget.currency}, ${JSON.stringify(budget.selector)}::jsonb,
              ${budget.created_at}::timestamptz, ${JSON.stringify(budget)}::jsonb)`);
    await tx.rows(insertShardsStatement(budget.id));
    await tx.rows(bumpGenerationStatement);
    const full = await readBudgetUsage(tx, budget, {}, now);
    await emitEvent(tx, 'budget.created', full, now);
    return full;
  });
  ctx.notifyOutbox();
  return result;
}

/** Partial update; `limits` and `metadata` are replaced whole. Emits budget.updated when something changed. */
export async function updateBudget(ctx: Context, id: string, input: BudgetUpdateInput): Promise<Budget> {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const row = await getBudgetRow(tx, id, true);
    const before = row.data;
    const after: StoredBudget = { ...before };
    for (const key of ['name', 'status', 'limits', 'alert_threshold_percent', 'metadata'] as const) {
      if (input[key] !== undefined) (after as unknown as Record<string, unknown>)[key] = input[key];
    }
    const previous = previousAttributes(before, after);
    if (before.status !== 'active' && after.status === 'active')
      await checkBudgetAgainstCards(tx, after, 'status');
    // New limits start with fresh alert state: index i may now be a different limit.
    const alerts = previous.limits ? {} : row.alerts;
    const full = await readBudgetUsage(tx, after, alerts, now);
    if (Object.keys(previous).length === 0) return full;
    await tx.rows(sql`UPDATE budgets SET status = ${after.status}, alerts = ${JSON.stringify(alerts)}::jsonb,
      data = ${JSON.stringify(after)}::jsonb WHERE id = ${id}`);
    await tx.rows(bumpGenerationStatement);
    await emitEvent(tx, 'budget.updated', full, now, previous);
    return full;
  });
  ctx.notifyOutbox();
  return result;
}

/** Lists budgets with their usage, newest first. */
export async function listBudgets(ctx: Context, params: ListParams & { status?: string; currency?: string }) {
  const where: SQL[] = [];
  if (params.status) where.push(sql`status = ${params.status}`);
  if (params.currency) where.push(sql`currency = ${params.currency}`);
  const page = await listRows<StoredBudget>(ctx.db, 'budgets', params, where);
  const alerts = new Map<string, BudgetAlerts>();
  if (page.data.length) {
    const rows = await ctx.db.rows<{ id: string; alerts: BudgetAlerts }>(
      sql`SELECT id, alerts FROM budgets WHERE id IN (${sql.join(
        page.data.map((b) => sql`${b.id}`),
        sql`, `,
      )})`,
    );
    for (const r of rows) alerts.set(r.id, r.alerts);
  }
  const now = ctx.now();
  const data = await Promise.all(
    page.data.map((b) => readBudgetUsage(ctx.db, b, alerts.get(b.id) ?? {}, now)),
  );
  return { ...page, data };
}
