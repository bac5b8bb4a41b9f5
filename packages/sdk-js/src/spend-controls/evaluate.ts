import {
  type ScopeUsage as EngineScopeUsage,
  spendingWindowStart as engineWindowStart,
  evaluateControls,
} from '@openissuing/decision-engine';
import type { AuthorizationDecisionReason, SpendingControls, SpendingLimitInterval } from '../types';

/**
 * Local prediction of the platform's authorization decision. It runs the platform's own decision
 * engine (@openissuing/decision-engine) — the FIRST failing check decides, and `control` names what
 * fired:
 *
 *  1 canceled card: card_expired (`card.expires_at`, when canceled for expiry), single_use_consumed
 *    (`card.usage`, when canceled after its use), else card_canceled (`card.status`)
 *  2 single_use_consumed (`card.usage`)  3 card_expired (`card.expires_at`, then `card.exp_year`)
 *  4 card_frozen (`card.status`, then `cardholder.status`)  5 merchant_locked (`card.locked_merchant`)
 *  6 for the card, then the cardholder: category_blocked (`{scope}.blocked_categories` before
 *    `{scope}.allowed_categories`), country_blocked (blocked before allowed), velocity_limit
 *    (`{scope}.velocity`), spending_limit (`{scope}.spending_limits[i]`, in array order)
 *  7 insufficient_funds (`program.balance`)
 *
 * The real-time webhook step (webhook_declined / webhook_timeout / webhook_error) comes after and is
 * not predicted.
 */

/** Controls as accepted by the evaluator (readonly arrays and nulls allowed). */
export type SpendingControlsLike = {
  [K in keyof SpendingControls]?: SpendingControls[K] extends readonly (infer E)[] | undefined
    ? readonly E[] | null
    : SpendingControls[K] | null;
};

/**
 * The decision, in the same shape as an authorization's `decision` plus `approved`. (The engine's
 * reasons must be ones the contract declares: `evaluateSpendingControls` does not compile otherwise.)
 */
export interface SpendingDecision {
  approved: boolean;
  reason: AuthorizationDecisionReason;
  message: string;
  /** The control that fired, e.g. `card.spending_controls.spending_limits[0]`; null when approved. */
  control: string | null;
}

/** Spend already used by one scope, aligned with that scope's `spending_limits`. */
export type ScopeUsage = EngineScopeUsage;

/** Everything the decision depends on. Only `amount` and `merchant` are required. */
export interface SpendingControlsInput {
  /** The authorization instant. @default new Date() */
  now?: Date | string;
  /** Amount in the card's currency, minor units. */
  amount: number;
  /** The card's currency: messages then show amounts as `40.00 USD` (without it: in minor units). */
  currency?: string;
  merchant: { mcc: string; country: string; network_id?: string };
  /** Card state. @default an active reusable card far from expiry, without controls */
  card?: {
    status?: string;
    /** Why a canceled card was canceled (`expired`, `single_use_consumed`, …). */
    cancellation_reason?: string | null;
    usage?: string;
    exp_month?: number;
    exp_year?: number;
    expires_at?: string | null;
    spending_controls?: SpendingControlsLike | null;
    /** The network_id a merchant_locked card is locked to. */
    locked_merchant?: string | null;
    /** Whether a single_use card already has an approved, live authorization. */
    single_use_consumed?: boolean;
  };
  cardholder?: { status: string; spending_controls?: SpendingControlsLike | null } | null;
  usage?: { card?: ScopeUsage; cardholder?: ScopeUsage };
  /** Available program balance in the card's currency; omit to skip the funds check. */
  balance_available?: number | null;
}

/**
 * Predicts the platform's decision for an authorization, with the same `reason`, `control` and
 * message. Pass the card's controls and the authorization, or the full input (card and cardholder
 * state, usage in the current windows, balance).
 *
 * @example
 * evaluateSpendingControls(card.spending_controls, { amount: 5000, merchant_data: { mcc: '5812', country: 'US' } });
 * // { approved: false, reason: 'spending_limit', control: 'card.spending_limits[0]', … }
 *
 * @example
 * evaluateSpendingControls({
 *   amount: 5000, merchant: { mcc: '7311', country: 'US' },
 *   card: { spending_controls: card.spending_controls },
 *   cardholder: { status: 'active', spending_controls: cardholder.spending_controls },
 *   usage: { card: { limits: [42_000] } },
 * });
 */
export function evaluateSpendingControls(input: SpendingControlsInput): SpendingDecision;
export function evaluateSpendingControls(
  controls: SpendingControlsLike | null | undefined,
  authorization: {
    amount: number;
    currency?: string;
    merchant_data: { mcc: string; country: string; network_id?: string };
    created_at?: string;
  },
): SpendingDecision;
export function evaluateSpendingControls(
  first: SpendingControlsInput | SpendingControlsLike | null | undefined,
  authorization?: {
    amount: number;
    currency?: string;
    merchant_data: { mcc: string; country: string; network_id?: string };
    created_at?: string;
  },
): SpendingDecision {
  const input: SpendingControlsInput = authorization
    ? {
        amount: authorization.amount,
        ...(authorization.currency ? { currency: authorization.currency } : {}),
        merchant: authorization.merchant_data,
        card: { spending_controls: first as SpendingControlsLike | null },
        ...(authorization.created_at ? { now: authorization.created_at } : {}),
      }
    : (first as SpendingControlsInput);
  return evaluateControls({ ...input, now: input.now ?? new Date() });
}

/**
 * Start of the spending window of `interval` containing `now` (UTC), or null for per_authorization:
 * daily from 00:00, weekly from Monday 00:00, monthly from the 1st, yearly from 1 January,
 * all_time from the epoch. Use it to compute `usage` from your own authorization history.
 *
 * @example spendingWindowStart('weekly', new Date('2026-11-25T10:00:00Z')) // 2026-11-23T00:00:00Z (Monday)
 */
export const spendingWindowStart: (interval: SpendingLimitInterval, now: Date) => Date | null =
  engineWindowStart;
