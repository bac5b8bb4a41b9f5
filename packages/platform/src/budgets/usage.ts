import { SPENDING_CATEGORIES } from '../authorization/categories';
import { counterSumsQuery } from '../authorization/counters';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import {
  type Budget,
  type BudgetAlerts,
  budgetCounterScope,
  budgetWindow,
  type StoredBudget,
} from './budget';

/** SQL condition: the authorization's MCC is in one of these catalog categories (`other` = unlisted). */
function inCategories(categories: readonly string[] | undefined): SQL | null {
  if (!categories || categories.length === 0) return null;
  const parts: SQL[] = [];
  const mccs = categories.filter((c) => c !== 'other').flatMap((c) => SPENDING_CATEGORIES[c]?.mccs ?? []);
  if (mccs.length)
    parts.push(
      sql`mcc IN (${sql.join(
        mccs.map((m) => sql`${m}`),
        sql`, `,
      )})`,
    );
  if (categories.includes('other')) {
    const listed = Object.values(SPENDING_CATEGORIES).flatMap((c) => c.mccs);
    parts.push(
      sql`mcc NOT IN (${sql.join(
        listed.map((m) => sql`${m}`),
        sql`, `,
      )})`,
    );
  }
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

/**
 * One statement reading, for each limit of `budget`, the spend counted in its current window
 * (`l<i>`: approved amounts less what was reversed or expired, from the running usage counters of
 * scope `budget`, like card limits) and what of it is still held (`h<i>`: the pending amounts of the
 * authorizations that counted against the budget).
 */
export function budgetUsageQuery(budget: StoredBudget, now: Date): SQL {
  const held: SQL[] = [];
  let earliest = '9999';
  budget.limits.forEach((limit, i) => {
    const { start } = budgetWindow(limit.interval, now, budget.created_at);
    if (start < earliest) earliest = start;
    const conds: SQL[] = [sql`created_at >= ${start}::timestamptz`];
    const cat = inCategories(limit.categories);
    if (cat) conds.push(cat);
    held.push(
      sql`coalesce(sum((data->>'pending_amount')::bigint) FILTER (WHERE ${sql.join(conds, sql` AND `)}), 0) AS ${sql.identifier(`h${i}`)}`,
    );
  });
  const holds = sql`SELECT ${sql.join(held, sql`, `)} FROM authorizations
    WHERE status = 'pending' AND budget_ids @> ARRAY[${budget.id}]::text[] AND created_at >= ${earliest}::timestamptz`;
  const sums = counterSumsQuery(budgetCounterScope(budget), budget.limits, now);
  return sums ? sql`SELECT c.*, h.* FROM (${sums}) c, (${holds}) h` : holds;
}

/** Turns the row of {@link budgetUsageQuery} and the budget's alert state into the API's `usage`. */
export function budgetUsage(
  budget: StoredBudget,
  row: Record<string, unknown> | undefined,
  alerts: BudgetAlerts,
  now: Date,
): Budget['usage'] {
  return budget.limits.map((limit, i) => {
    const window = budgetWindow(limit.interval, now, budget.created_at);
    const used = Number(row?.[`l${i}`] ?? 0);
    const held = Number(row?.[`h${i}`] ?? 0);
    const alert = alerts[String(i)];
    const current = alert?.window === window.start;
    return {
      limit: i,
      interval: limit.interval,
      amount: limit.amount,
      window_start: window.start,
      window_end: window.end,
      spent: Math.max(0, used - held),
      held,
      remaining: Math.max(0, limit.amount - used),
      threshold_reached: Boolean(current && alert?.threshold),
      exceeded: Boolean(current && alert?.exceeded),
    };
  });
}

/** Reads the usage of one budget. */
export async function readBudgetUsage(
  q: Queryable,
  budget: StoredBudget,
  alerts: BudgetAlerts,
  now: Date,
): Promise<Budget> {
  const rows = await q.rows<Record<string, unknown>>(budgetUsageQuery(budget, now));
  return { ...budget, usage: budgetUsage(budget, rows[0], alerts, now) };
}
