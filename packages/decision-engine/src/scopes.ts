import { budgetScopes } from './budgets';
import type { Decision, DecisionInput, ScopeUsage, SpendingControls, SpendingLimit } from './types';

/** A spending limit an authorization would break, as handed to {@link LimitScope.declineLimit}. */
export interface LimitBreach {
  scope: LimitScope;
  /** Index of the limit in `scope.controls.spending_limits`. */
  index: number;
  limit: SpendingLimit;
  /** Spend already used in the limit's window (0 for per_authorization). */
  spent: number;
  /** The authorization's amount. */
  amount: number;
  /** The card's currency (`DecisionInput.currency`), for the message's amounts. */
  currency?: string | undefined;
}

/**
 * One scope whose controls an authorization must pass: today the card, then the cardholder.
 *
 * This is the engine's extension point for further limit scopes (budgets by department or project):
 * a new kind is one more entry in {@link limitScopes}, placed where its checks run, with its own
 * `name` (the prefix of `decision.control` and the noun used in messages), its controls (a budget
 * has only `spending_limits`), its usage aligned with those limits and, when its limits decline with
 * their own reason and message, a `declineLimit`.
 */
export interface LimitScope {
  /** Prefix of `decision.control` and the noun in messages: `card`, `cardholder`. */
  name: string;
  controls: SpendingControls | null | undefined;
  usage: ScopeUsage | undefined;
  /** The decline for a broken spending limit of this scope. @default a `spending_limit` decline */
  declineLimit?: ((breach: LimitBreach) => Decision) | undefined;
}

/**
 * The scopes in the order they are checked: every card control before any cardholder control, then
 * each matching budget's limits.
 */
export function limitScopes(input: DecisionInput): LimitScope[] {
  return [
    { name: 'card', controls: input.card?.spending_controls, usage: input.usage?.card },
    { name: 'cardholder', controls: input.cardholder?.spending_controls, usage: input.usage?.cardholder },
    ...budgetScopes(input.budgets),
  ];
}
