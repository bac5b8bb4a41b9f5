/**
 * The authorization decision, as a pure function: no I/O, no clock, no randomness. The platform
 * runs it inside the row-locked authorization transaction; the SDK's `evaluateSpendingControls`
 * runs the same function on the caller's side, so the two can never disagree.
 *
 * Precedence — the FIRST failing check decides:
 *
 *  #  reason               `decision.control`                   fails when
 *  1  card_expired         `card.expires_at`                    card canceled with cancellation_reason `expired`
 *     single_use_consumed  `card.usage`                         card canceled with cancellation_reason `single_use_consumed`
 *     card_canceled        `card.status`                        any other canceled card
 *  2  single_use_consumed  `card.usage`                         single_use card that already has an approved authorization
 *                                                               that is pending or closed (captured) — one use per card
 *  3  card_expired         `card.expires_at`                    now ≥ card.expires_at
 *                          `card.exp_year`                      now ≥ first instant after the printed exp_month/exp_year (UTC)
 *  4  card_frozen          `card.status`                        card.status = frozen
 *                          `cardholder.status`                  cardholder.status ≠ active
 *  5  merchant_locked      `card.locked_merchant`               merchant_locked card locked to another merchant network_id
 *  6  then for each limit scope in order (`limitScopes`: card, then cardholder — every card control
 *     before any cardholder control):
 *     category_blocked     `{scope}.blocked_categories`         merchant category in blocked_categories (wins over allowed)
 *                          `{scope}.allowed_categories`         allowed_categories set and merchant category not in it
 *     country_blocked      `{scope}.blocked_merchant_countries` merchant country in the list (wins over allowed)
 *                          `{scope}.allowed_merchant_countries` list set and merchant country not in it
 *     velocity_limit       `{scope}.velocity`                   approved authorizations within the last window_seconds
 *                                                               (created_at > now − window) ≥ max_authorizations
 *     spending_limit       `{scope}.spending_limits[i]`         limits in array order; a limit with `categories` only
 *                                                               applies to merchants in them; per_authorization:
 *                                                               amount > limit; else spent + amount > limit
 *     then each budget in `budgets` (in order): its `limits` as spending limits, declining with
 *     budget_exceeded      `budget.<id>.limits[i]`              spent + amount > limit (message: what remains)
 *  7  insufficient_funds   `program.balance`                    amount > available balance in the card's currency
 *  8  (platform only, not in this package) the real-time webhook: webhook_declined / webhook_timeout /
 *     webhook_error with control `program.authorization_webhook`.
 *
 * The merchant category is the spending-category catalog's group of the MCC (`other` when none lists it).
 * Windows (UTC): daily from 00:00, weekly from Monday 00:00, monthly from the 1st, yearly from
 * 1 January, all_time from the epoch. "spent" is the sum, over approved authorizations created in the
 * window (for the cardholder: over their cards in the card's currency; for a limit with categories:
 * only authorizations in those categories), of `amount` less what was later reversed or expired.
 * Refunds do not restore it. The caller supplies it in `usage`, aligned with `spending_limits`.
 * Country codes compare case-insensitively.
 */
import { checkCardState } from './card-state';
import { approved } from './decline';
import { insufficientFundsDecline } from './funds';
import { checkScope } from './scope-checks';
import { limitScopes } from './scopes';
import type { Decision, DecisionInput } from './types';

/**
 * Decides an authorization from card state, spending controls, usage and balance.
 *
 * @example
 * evaluateControls({
 *   now: '2026-01-01T00:00:00Z', amount: 5000,
 *   merchant: { mcc: '5812', country: 'US', network_id: 'm1' },
 *   card: { status: 'active', exp_month: 12, exp_year: 2030,
 *           spending_controls: { spending_limits: [{ amount: 2500, interval: 'per_authorization' }] } },
 * }) // { approved: false, reason: 'spending_limit', control: 'card.spending_limits[0]', … }
 */
export function evaluateControls(input: DecisionInput): Decision {
  const now = new Date(input.now);
  const stateDecline = checkCardState(input, now);
  if (stateDecline) return stateDecline;
  for (const scope of limitScopes(input)) {
    const scopeDecline = checkScope(scope, input);
    if (scopeDecline) return scopeDecline;
  }
  const { amount, balance_available: available } = input;
  if (available != null && amount > available) {
    return insufficientFundsDecline(amount, available, input.currency);
  }
  return approved();
}
