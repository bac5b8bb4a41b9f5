import type { BudgetState } from '@openissuing/decision-engine';
import { counterSumsQuery } from '../authorization/counters';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { eventCte } from '../services/events';
import { type BudgetAlerts, budgetCounterScope, budgetWindow, type StoredBudget } from './budget';
import { selectsDimensions } from './currency-rule';
import { limitApplies, lockShardsQuery } from './shards';
import { readBudgetUsage } from './usage';

/**
 * Budgets in the authorization path. An authorization counts against every ACTIVE budget in the
 * card's currency whose selector matches the card's merged dimensions (currency-rule.ts keeps every
 * card an active budget selects in that budget's currency, so none escapes); their spend is the running
 * usage counters of scope kind `budget` (sharded by card), and their remaining allowance is spread
 * over the budget's shard rows (budgets/shards.ts). Two ways to make that atomic:
 *
 * - **locked** (PGlite, real-time webhooks, and every redo): the budget rows and then all their
 *   shard rows are locked FOR UPDATE in the first round trip (after the card and cardholder rows,
 *   before the balance) and held while the decision is made; the counters are read after the locks,
 *   so the decision is exact, and the shard rooms are kept (or rewritten) from it.
 * - **optimistic** (PostgreSQL, the default): no budget row is locked. The budgets are matched from
 *   the process's catalog (budgets/catalog.ts) and the card's shard row of each is read without a
 *   lock, with the budget generation; the engine decides on that shard's room, and only an approval
 *   claims the room — in its final round trip, one conditional UPDATE of that one shard row per
 *   budget, which raises `OIB01` if a room is short or void or the budget generation moved. The
 *   authorization is then redone locked. So the approvals of the cards under one budget queue only
 *   when they share a shard, for the server-side execution of the last round trip. A budget
 *   decline, or an alert that is due, is always confirmed locked.
 *
 * Either way no interleaving of authorizations in any number of processes can overspend a budget.
 */
/** The guard found a budget changed since the unlocked read: redo the authorization locked. */
export const BUDGET_RECHECK_SQLSTATE = 'OIB01';

/** Thrown in optimistic mode when a decision must be confirmed with the budget rows locked. */
export class BudgetRecheckError extends Error {
  override readonly name = 'BudgetRecheckError';
}

/** A budget row as the authorization reads it. */
export interface LockedBudget {
  data: StoredBudget;
  alerts: BudgetAlerts;
}

const matches = (currency: string, dimensions: Record<string, string>) =>
  sql`status = 'active' AND currency = ${currency} AND ${selectsDimensions(sql`${JSON.stringify(dimensions)}::jsonb`)}`;

/** Locks the budgets governing a card (merged dimensions, currency), in id order. */
export function lockBudgetsQuery(currency: string, dimensions: Record<string, string>): SQL {
  return sql`SELECT data, alerts FROM budgets WHERE ${matches(currency, dimensions)} ORDER BY id FOR UPDATE`;
}

/** Locks every shard row of the budgets governing a card, after {@link lockBudgetsQuery}. */
export function lockBudgetShardsQuery(currency: string, dimensions: Record<string, string>): SQL {
  return lockShardsQuery(matches(currency, dimensions));
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
 * Also returns, per budget id, its alert state after the authorization and whether a threshold alert
 * was sent (the budget's shard rooms depend on both: budgets/shards.ts).
 */
export async function budgetAlertCtes(
  tx: Queryable,
  locked: readonly LockedBudget[],
  states: readonly BudgetState[],
  outcome: { approved: boolean; control: string | null; amount: number; mcc: string },
  now: Date,
): Promise<{ ctes: SQL[]; after: Map<string, { alerts: BudgetAlerts; thresholdSent: boolean }> }> {
  const ctes: SQL[] = [];
  const after = new Map<string, { alerts: BudgetAlerts; thresholdSent: boolean }>();
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
      const counts = limitApplies(limit, outcome.mcc);
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
    after.set(budget.id, { alerts, thresholdSent: false });
    if (due.length === 0) continue;
    const next: BudgetAlerts = { ...alerts };
    for (const { index, kind } of due) {
      const window = budgetWindow(budget.limits[index]?.interval ?? 'all_time', now, budget.created_at).start;
      const prev = next[String(index)]?.window === window ? next[String(index)] : { window };
      next[String(index)] = { ...prev, window, [kind]: true };
    }
    after.set(budget.id, { alerts: next, thresholdSent: due.some((d) => d.kind === 'threshold') });
    const full = await readBudgetUsage(tx, budget, next, now);
    if (outcome.approved) {
      // The payload shows the budget with this authorization's hold in it.
      full.usage = full.usage.map((u) => {
        const limit = budget.limits[u.limit];
        const counts = !limit || limitApplies(limit, outcome.mcc);
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
  return { ctes, after };
}
