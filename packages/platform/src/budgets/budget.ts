import { type SpendingInterval, spendingWindowStart } from '@openissuing/decision-engine';
import type { CounterScope } from '../authorization/counters';

export type BudgetInterval = Exclude<SpendingInterval, 'per_authorization'>;

export interface BudgetLimit {
  amount: number;
  interval: BudgetInterval;
  categories?: string[] | undefined;
}

/** A budget as stored (the API object without its computed `usage`). */
export interface StoredBudget {
  id: string;
  object: 'budget';
  name: string;
  status: 'active' | 'inactive';
  selector: Record<string, string>;
  currency: string;
  limits: BudgetLimit[];
  alert_threshold_percent: number | null;
  metadata: Record<string, string>;
  created_at: string;
}

export interface BudgetLimitUsage {
  limit: number;
  interval: BudgetInterval;
  amount: number;
  window_start: string;
  window_end: string | null;
  spent: number;
  held: number;
  remaining: number;
  threshold_reached: boolean;
  exceeded: boolean;
}

/** The API object. */
export type Budget = StoredBudget & { usage: BudgetLimitUsage[] };

/** Per limit index: the window the alerts were sent in, and which were sent. */
export type BudgetAlerts = Record<string, { window: string; threshold?: boolean; exceeded?: boolean }>;

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/**
 * The current window of a budget limit: the same calendar windows as card limits, except that
 * `all_time` starts at the budget's creation.
 *
 * @example
 * budgetWindow('monthly', new Date('2026-11-20T10:00:00Z'), '2026-01-01T00:00:00Z')
 * // { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' }
 */
export function budgetWindow(
  interval: BudgetInterval,
  now: Date,
  createdAt: string,
): { start: string; end: string | null } {
  const start = spendingWindowStart(interval, now) as Date;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  switch (interval) {
    case 'daily':
      return { start: iso(start), end: iso(new Date(Date.UTC(y, m, d + 1))) };
    case 'weekly':
      return { start: iso(start), end: iso(new Date(Date.UTC(y, m, d + 7))) };
    case 'monthly':
      return { start: iso(start), end: iso(new Date(Date.UTC(y, m + 1, 1))) };
    case 'yearly':
      return { start: iso(start), end: iso(new Date(Date.UTC(y + 1, 0, 1))) };
    default:
      return { start: iso(new Date(createdAt)), end: null };
  }
}

/** Whether a card with these merged dimensions is governed by the budget's selector. */
export function selectorMatches(
  selector: Record<string, string>,
  dimensions: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => dimensions[k] === v);
}

/**
 * The running usage-counter scope of a budget (see authorization/counters.ts). It keeps no all-time
 * row: an `all_time` limit sums the budget's month rows, so approvals write one row fewer and a limit
 * added later still sees the whole history.
 */
export function budgetCounterScope(budget: Pick<StoredBudget, 'id' | 'currency'>): CounterScope {
  return { kind: 'budget', id: budget.id, currency: budget.currency, allTimeFromMonths: true };
}
