import { categoryForMcc } from '../generated/spending-categories';
import type { AuthorizationDecisionReason, SpendingControls, SpendingLimitInterval } from '../types';

/**
 * Local prediction of the platform's authorization decision. Mirrors the platform's pure evaluator
 * (packages/platform/src/authorization/evaluate-controls.ts) check for check — the FIRST failing
 * check decides, and `control` names what fired:
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

/** The decision, in the same shape as an authorization's `decision` plus `approved`. */
export interface SpendingDecision {
  approved: boolean;
  reason: AuthorizationDecisionReason;
  message: string;
  /** The control that fired, e.g. `card.spending_controls.spending_limits[0]`; null when approved. */
  control: string | null;
}

/** Spend already used by one scope, aligned with that scope's `spending_limits`. */
export interface ScopeUsage {
  /** `limits[i]`: approved spend in the current window of `spending_limits[i]` (ignored for per_authorization). */
  limits?: readonly number[];
  /** Approved authorizations within `velocity.window_seconds` before now. */
  velocity_count?: number;
}

/** Everything the decision depends on. Only `amount` and `merchant` are required. */
export interface SpendingControlsInput {
  /** The authorization instant. @default new Date() */
  now?: Date | string;
  /** Amount in the card's currency, minor units. */
  amount: number;
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

const decline = (
  reason: AuthorizationDecisionReason,
  control: string,
  message: string,
): SpendingDecision => ({
  approved: false,
  reason,
  message,
  control,
});

function checkCategories(scope: string, c: SpendingControlsLike | null | undefined, mcc: string) {
  const category = categoryForMcc(mcc);
  if (c?.blocked_categories?.length && c.blocked_categories.includes(category)) {
    return decline(
      'category_blocked',
      `${scope}.blocked_categories`,
      `Merchant category ${category} (MCC ${mcc}) is blocked for this ${scope}.`,
    );
  }
  if (c?.allowed_categories?.length && !c.allowed_categories.includes(category)) {
    return decline(
      'category_blocked',
      `${scope}.allowed_categories`,
      `Merchant category ${category} is not in the ${scope}'s allowed categories.`,
    );
  }
  return null;
}

function checkCountries(scope: string, c: SpendingControlsLike | null | undefined, country: string) {
  const cc = country.toUpperCase();
  const has = (list: readonly string[]) => list.some((x) => x.toUpperCase() === cc);
  if (c?.blocked_merchant_countries?.length && has(c.blocked_merchant_countries)) {
    return decline(
      'country_blocked',
      `${scope}.blocked_merchant_countries`,
      `Merchant country ${cc} is blocked for this ${scope}.`,
    );
  }
  if (c?.allowed_merchant_countries?.length && !has(c.allowed_merchant_countries)) {
    return decline(
      'country_blocked',
      `${scope}.allowed_merchant_countries`,
      `Merchant country ${cc} is not in the ${scope}'s allowed countries.`,
    );
  }
  return null;
}

function checkVelocity(scope: string, c: SpendingControlsLike | null | undefined, u: ScopeUsage | undefined) {
  const v = c?.velocity;
  const count = u?.velocity_count ?? 0;
  if (v && count >= v.max_authorizations) {
    return decline(
      'velocity_limit',
      `${scope}.velocity`,
      `The ${scope} already has ${count} approved authorizations in the last ${v.window_seconds} s (at most ${v.max_authorizations}).`,
    );
  }
  return null;
}

function checkLimits(
  scope: string,
  c: SpendingControlsLike | null | undefined,
  u: ScopeUsage | undefined,
  amount: number,
  mcc: string,
) {
  const limits = c?.spending_limits ?? [];
  const category = categoryForMcc(mcc);
  for (let i = 0; i < limits.length; i++) {
    const limit = limits[i];
    if (!limit || (limit.categories?.length && !limit.categories.includes(category))) continue;
    const perAuthorization = limit.interval === 'per_authorization';
    const spent = perAuthorization ? 0 : (u?.limits?.[i] ?? 0);
    if (spent + amount > limit.amount) {
      const what = perAuthorization
        ? `exceeds the ${scope}'s per-authorization limit of ${limit.amount}`
        : `would bring the ${scope}'s ${limit.interval} spend to ${spent + amount}, over its limit of ${limit.amount}`;
      return decline('spending_limit', `${scope}.spending_limits[${i}]`, `Amount ${amount} ${what}.`);
    }
  }
  return null;
}

function checkScope(
  scope: 'card' | 'cardholder',
  c: SpendingControlsLike | null | undefined,
  u: ScopeUsage | undefined,
  amount: number,
  merchant: SpendingControlsInput['merchant'],
) {
  return (
    checkCategories(scope, c, merchant.mcc) ??
    checkCountries(scope, c, merchant.country) ??
    checkVelocity(scope, c, u) ??
    checkLimits(scope, c, u, amount, merchant.mcc)
  );
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
    merchant_data: { mcc: string; country: string; network_id?: string };
    created_at?: string;
  },
): SpendingDecision;
export function evaluateSpendingControls(
  first: SpendingControlsInput | SpendingControlsLike | null | undefined,
  authorization?: {
    amount: number;
    merchant_data: { mcc: string; country: string; network_id?: string };
    created_at?: string;
  },
): SpendingDecision {
  const input: SpendingControlsInput = authorization
    ? {
        amount: authorization.amount,
        merchant: authorization.merchant_data,
        card: { spending_controls: first as SpendingControlsLike | null },
        ...(authorization.created_at ? { now: authorization.created_at } : {}),
      }
    : (first as SpendingControlsInput);
  const now = new Date(input.now ?? Date.now());
  const { merchant, amount } = input;
  const card = input.card ?? {};
  const cardholder = input.cardholder;

  if (card.status === 'canceled') {
    if (card.cancellation_reason === 'expired') {
      return decline('card_expired', 'card.expires_at', 'The card expired and was canceled.');
    }
    if (card.cancellation_reason === 'single_use_consumed') {
      return decline('single_use_consumed', 'card.usage', 'The single-use card has already been used.');
    }
    return decline('card_canceled', 'card.status', 'The card is canceled.');
  }
  if (card.usage === 'single_use' && card.single_use_consumed) {
    return decline('single_use_consumed', 'card.usage', 'The single-use card has already been used.');
  }
  if (card.expires_at && now.getTime() >= new Date(card.expires_at).getTime()) {
    return decline('card_expired', 'card.expires_at', `The card expired at ${card.expires_at}.`);
  }
  if (
    card.exp_year !== undefined &&
    card.exp_month !== undefined &&
    now.getTime() >= Date.UTC(card.exp_year, card.exp_month, 1)
  ) {
    const mm = String(card.exp_month).padStart(2, '0');
    return decline('card_expired', 'card.exp_year', `The card expired at the end of ${mm}/${card.exp_year}.`);
  }
  if (card.status === 'frozen') return decline('card_frozen', 'card.status', 'The card is frozen.');
  if (cardholder && cardholder.status !== 'active') {
    return decline('card_frozen', 'cardholder.status', `The cardholder is ${cardholder.status}.`);
  }
  if (
    card.usage === 'merchant_locked' &&
    card.locked_merchant &&
    card.locked_merchant !== merchant.network_id
  ) {
    return decline(
      'merchant_locked',
      'card.locked_merchant',
      `The card is locked to merchant ${card.locked_merchant}; ${merchant.network_id} is a different merchant.`,
    );
  }
  const decided =
    checkScope('card', card.spending_controls, input.usage?.card, amount, merchant) ??
    checkScope('cardholder', cardholder?.spending_controls, input.usage?.cardholder, amount, merchant);
  if (decided) return decided;
  if (input.balance_available != null && amount > input.balance_available) {
    return decline(
      'insufficient_funds',
      'program.balance',
      `The program balance (${input.balance_available} available) cannot cover ${amount}.`,
    );
  }
  return { approved: true, reason: 'approved', message: 'Approved.', control: null };
}

/**
 * Start of the spending window of `interval` containing `now` (UTC), or null for per_authorization:
 * daily from 00:00, weekly from Monday 00:00, monthly from the 1st, yearly from 1 January,
 * all_time from the epoch. Use it to compute `usage` from your own authorization history.
 *
 * @example spendingWindowStart('weekly', new Date('2026-11-25T10:00:00Z')) // 2026-11-23T00:00:00Z (Monday)
 */
export function spendingWindowStart(interval: SpendingLimitInterval, now: Date): Date | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (interval) {
    case 'per_authorization':
      return null;
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly':
      return new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7)));
    case 'monthly':
      return new Date(Date.UTC(y, m, 1));
    case 'yearly':
      return new Date(Date.UTC(y, 0, 1));
    default:
      return new Date(0);
  }
}
