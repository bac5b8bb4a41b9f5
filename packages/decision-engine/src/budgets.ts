import { decline } from './decline';
import type { LimitBreach, LimitScope } from './scopes';
import type { BudgetState, Decision } from './types';

/**
 * The decline of a budget limit: reason `budget_exceeded`, `control` naming the budget and the
 * limit (`budget.<id>.limits[i]`), and a message with what remains of the limit in its window.
 *
 * @example
 * // Budget 'Marketing' (ibgt_1) has 40000 usd left of its monthly limit of 2000000; 50000 would exceed it.
 */
export function budgetDecline(budget: BudgetState, { index, limit, spent, amount }: LimitBreach): Decision {
  const remaining = Math.max(0, limit.amount - spent);
  const currency = budget.currency ? ` ${budget.currency}` : '';
  return decline(
    'budget_exceeded',
    `budget.${budget.id}.limits[${index}]`,
    `Budget '${budget.name}' (${budget.id}) has ${remaining}${currency} left of its ${limit.interval} limit of ${limit.amount}; ${amount} would exceed it.`,
  );
}

/** One limit scope per matching budget, in the order given (the platform passes them by id). */
export function budgetScopes(budgets: readonly BudgetState[] | null | undefined): LimitScope[] {
  return (budgets ?? []).map((budget) => ({
    name: 'budget',
    controls: { spending_limits: budget.limits },
    usage: budget.usage,
    declineLimit: (breach: LimitBreach) => budgetDecline(budget, breach),
  }));
}
