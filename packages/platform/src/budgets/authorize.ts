import { type BudgetState, mccInCategories } from '@openissuing/decision-engine';
import { type SQL, sql } from 'drizzle-orm';
import { counterSumsQuery } from '../authorization/counters';
import type { Queryable } from '../db/database';
import { eventCte } from '../services/events';
import { type BudgetAlerts, budgetCounterScope, budgetWindow, type StoredBudget } from './budget';
import { readBudgetUsage } from './usage';

/**
 * Budgets in the authorization path. An authorization counts against every ACTIVE budget in the
 * card's currency whose selector matches the card's merged dimensions. Those budget rows are locked
 * FOR UPDATE (in id order, after the card and cardholder rows, before the balance) for the whole
 * authorization, and their spend is read from the running usage counters (scope kind `budget`)
 * after the lock — so, as for a card's own limits, no interleaving of authorizations in any number
 * of processes can overspend a budget shared by many cards.
 */

/** A budget row as the authorization reads it. */
export interface LockedBudget {
  data: StoredBudget;
  alerts: BudgetAlerts;
}

const matches = (currency: string, dimensions: Record<string, string>) =>
  sql`status = 'active' AND currency = ${currency} AND selector <@ ${JSON.stringify(dimensions)}::jsonb`;

/** Locks the budgets governing a card (merged dimensions, currency), in id order. */
export function lockBudgetsQuery(currency: string, dimensions: Record<string, string>): SQL {
  return sql`SELECT data, alerts FROM budgets WHERE ${matches(currency, dimensions)} ORDER BY id FOR UPDATE`;
}

/** Reads the budgets governing a card without locking them (for the per-process plan cache). */
export function findBudgetsQuery(currency: string, dimensions: Record<string, string>): SQL {
  return sql`SELECT data, alerts FROM budgets WHERE ${matches(currency, dimensions)} ORDER BY id`;
}

/**
 * One statement reading each budget's counted spend per limit window from the running counters:
 * one row, column `u` = `{ "<budget id>": { "l0": …, "l1": … } }`. Null when there are no budgets.
 */
export function budgetCountersQuery(budgets: readonly StoredBudget[], now: Date): SQL | null {
  const parts = budgets.flatMap((b) => {
    const sums = counterSumsQuery(budgetCounterScope(b), b.limits, now);
    return sums ? [sql`${b.id}::text, (SELECT to_jsonb(c) FROM (${sums}) c)`] : [];
  });
  if (parts.length === 0) return null;
  return sql`SELECT jsonb_build_object(${sql.join(parts, sql`, `)}) AS u`;
}

/** The engine's view of the locked budgets, with their spend from {@link budgetCountersQuery}'s row. */
export function budgetStates(
  budgets: readonly StoredBudget[],
  row: Record<string, unknown> | undefined,
): BudgetState[] {
  const u = (row?.u ?? {}) as Record<string, Record<string, unknown> | null>;
  return budgets.map((b) => ({
    id: b.id,
    name: b.name,
    currency: b.currency,
    limits: b.limits,
    usage: { limits: b.limits.map((_, i) => Number(u[b.id]?.[`l${i}`] ?? 0)) },
  }));
}

/** The plan's budgets are still the ones locked (same ids, same limits and status). */
export function sameBudgets(a: readonly StoredBudget[], b: readonly StoredBudget[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.id === b[i]?.id && JSON.stringify(x.limits) === JSON.stringify(b[i]?.limits))
  );
}

/**
 * The alert events an authorization triggers, as CTEs for its final statement: `budget.exceeded` the
 * first time a budget declines in a limit's window, `budget.threshold_reached` the first time an
 * approval takes a limit to its `alert_threshold_percent` — each at most once per window, recorded in
 * the budget's `alerts`. Reads the budget's usage for the event payload (only when an event is due).
 */
export async function budgetAlertCtes(
  tx: Queryable,
  locked: readonly LockedBudget[],
  states: readonly BudgetState[],
  outcome: { approved: boolean; control: string | null; amount: number; mcc: string },
  now: Date,
): Promise<SQL[]> {
  const ctes: SQL[] = [];
  let n = 0;
  for (const [k, { data: budget, alerts }] of locked.entries()) {
    const due: { index: number; kind: 'threshold' | 'exceeded' }[] = [];
    budget.limits.forEach((limit, index) => {
      const window = budgetWindow(limit.interval, now, budget.created_at).start;
      const sent = alerts[String(index)]?.window === window ? alerts[String(index)] : undefined;
      if (
        !outcome.approved &&
        outcome.control === `budget.${budget.id}.limits[${index}]` &&
        !sent?.exceeded
      ) {
        due.push({ index, kind: 'exceeded' });
      }
      const counts = !limit.categories?.length || mccInCategories(outcome.mcc, limit.categories);
      const threshold = budget.alert_threshold_percent;
      const used = (states[k]?.usage?.limits?.[index] ?? 0) + outcome.amount;
      if (
        outcome.approved &&
        counts &&
        threshold !== null &&
        used * 100 >= limit.amount * threshold &&
        !sent?.threshold
      ) {
        due.push({ index, kind: 'threshold' });
      }
    });
    if (due.length === 0) continue;
    const next: BudgetAlerts = { ...alerts };
    for (const { index, kind } of due) {
      const window = budgetWindow(budget.limits[index]?.interval ?? 'all_time', now, budget.created_at).start;
      const prev = next[String(index)]?.window === window ? next[String(index)] : { window };
      next[String(index)] = { ...prev, window, [kind]: true };
    }
    const full = await readBudgetUsage(tx, budget, next, now);
    if (outcome.approved) {
      // The payload shows the budget with this authorization's hold in it.
      full.usage = full.usage.map((u) => {
        const limit = budget.limits[u.limit];
        const counts = !limit?.categories?.length || mccInCategories(outcome.mcc, limit.categories);
        return counts
          ? { ...u, held: u.held + outcome.amount, remaining: Math.max(0, u.remaining - outcome.amount) }
          : u;
      });
    }
    ctes.push(
      sql`${sql.identifier(`ba${n}`)} AS (UPDATE budgets SET alerts = ${JSON.stringify(next)}::jsonb WHERE id = ${budget.id})`,
    );
    for (const kind of new Set(due.map((d) => d.kind))) {
      const type = kind === 'exceeded' ? 'budget.exceeded' : 'budget.threshold_reached';
      ctes.push(eventCte(type, full, now, undefined, sql``, `bev${n}_${kind}`).cte);
    }
    n++;
  }
  return ctes;
}
