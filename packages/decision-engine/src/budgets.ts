import { decline } from './decline';
import { formatAmount } from './money';
import type { LimitBreach, LimitScope } from './scopes';
import type { BudgetState, Decision } from './types';

/**
 * The decline of a budget limit: reason `budget_exceeded`, `control` naming the budget and the
 * limit (`budget.<id>.limits[i]`), and a message with what remains of the limit in its window.
 *
 * @example
 * // Budget 'Marketing' (ibgt_1) has 400.00 USD left of its monthly limit of 20000.00 USD; 500.00 USD would exceed it.
 */
export function budgetDecline(
  budget: BudgetState,
  { index, limit, spent, amount, currency }: LimitBreach,
): Decision {
  const money = (minor: number) => formatAmount(minor, budget.currency ?? currency);
  const remaining = Math.max(0, limit.amount - spent);
  return decline(
    'budget_exceeded',
    `budget.${budget.id}.limits[${index}]`,
    `Budget '${budget.name}' (${budget.id}) has ${money(remaining)} left of its ${limit.interval} limit of ${money(limit.amount)}; ${money(amount)} would exceed it.`,
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
