/**
 * The authorization decision, as a pure function: no I/O, no clock, no randomness. The platform
 * runs it inside the row-locked authorization transaction; the SDK's `evaluateSpendingControls`
 * reproduces it exactly from the same inputs. It follows the spec's `AuthorizationDecisionReason`.
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
 *  6  then for scope = `card`, then scope = `cardholder` (all card controls before any cardholder control):
 *     category_blocked     `{scope}.blocked_categories`         merchant category in blocked_categories (wins over allowed)
 *                          `{scope}.allowed_categories`         allowed_categories set and merchant category not in it
 *     country_blocked      `{scope}.blocked_merchant_countries` merchant country in the list (wins over allowed)
 *                          `{scope}.allowed_merchant_countries` list set and merchant country not in it
 *     velocity_limit       `{scope}.velocity`                   approved authorizations within the last window_seconds
 *                                                               (created_at > now − window) ≥ max_authorizations
 *     spending_limit       `{scope}.spending_limits[i]`         limits in array order; a limit with `categories` only
 *                                                               applies to merchants in them; per_authorization:
 *                                                               amount > limit; else spent + amount > limit
 *  7  insufficient_funds   `program.balance`                    amount > available balance in the card's currency
 *  8  (platform only, not in this module) the real-time webhook: webhook_declined / webhook_timeout /
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
import { categoryOfMcc, mccInCategories } from './categories';

export type SpendingInterval = 'per_authorization' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all_time';

export interface SpendingLimit {
  amount: number;
  interval: SpendingInterval;
  categories?: readonly string[] | null | undefined;
}

export interface SpendingControls {
  spending_limits?: readonly SpendingLimit[] | null | undefined;
  allowed_categories?: readonly string[] | null | undefined;
  blocked_categories?: readonly string[] | null | undefined;
  allowed_merchant_countries?: readonly string[] | null | undefined;
  blocked_merchant_countries?: readonly string[] | null | undefined;
  velocity?: { max_authorizations: number; window_seconds: number } | null | undefined;
}

export type DecisionReason =
  | 'approved'
  | 'spending_limit'
  | 'category_blocked'
  | 'country_blocked'
  | 'velocity_limit'
  | 'card_frozen'
  | 'card_canceled'
  | 'card_expired'
  | 'single_use_consumed'
  | 'merchant_locked'
  | 'insufficient_funds'
  | 'webhook_declined'
  | 'webhook_timeout'
  | 'webhook_error';

export interface Decision {
  approved: boolean;
  reason: DecisionReason;
  message: string;
  /** The control that fired (see the table above), or null when approved. */
  control: string | null;
}

/** Spend already used by one scope, aligned with that scope's `spending_limits`. */
export interface ScopeUsage {
  /** `limits[i]`: spend in the window of `spending_limits[i]` (ignored for per_authorization). */
  limits?: readonly number[] | undefined;
  /** Approved authorizations within `velocity.window_seconds` before now. */
  velocity_count?: number | undefined;
}

export interface ControlsInput {
  /** The authorization instant. */
  now: Date | string;
  /** Amount in the card's currency, minor units (after FX). */
  amount: number;
  merchant: { mcc: string; country: string; network_id: string };
  card: {
    status: 'active' | 'frozen' | 'canceled' | string;
    cancellation_reason?: string | null | undefined;
    usage?: 'reusable' | 'single_use' | 'merchant_locked' | string | undefined;
    exp_month: number;
    exp_year: number;
    expires_at?: string | null | undefined;
    spending_controls?: SpendingControls | null | undefined;
    /** The network_id a merchant_locked card is locked to (set by its first approved authorization). */
    locked_merchant?: string | null | undefined;
    /** Whether a single_use card already has an approved authorization that is pending or closed. */
    single_use_consumed?: boolean | undefined;
  };
  cardholder?: { status: string; spending_controls?: SpendingControls | null | undefined } | null | undefined;
  usage?: { card?: ScopeUsage | undefined; cardholder?: ScopeUsage | undefined } | undefined;
  /** Available program balance in the card's currency; omit to skip the funds check. */
  balance_available?: number | null | undefined;
}

const decline = (reason: DecisionReason, control: string, message: string): Decision => ({
  approved: false,
  reason,
  message,
  control,
});

/** Start of the spending window of `interval` containing `now` (UTC); null for per_authorization. */
export function spendingWindowStart(interval: SpendingInterval, now: Date): Date | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (interval) {
    case 'per_authorization':
      return null;
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly': {
      const dow = (now.getUTCDay() + 6) % 7; // Monday = 0
      return new Date(Date.UTC(y, m, d - dow));
    }
    case 'monthly':
      return new Date(Date.UTC(y, m, 1));
    case 'yearly':
      return new Date(Date.UTC(y, 0, 1));
    case 'all_time':
      return new Date(0);
  }
}

function fmt(amount: number): string {
  return String(amount);
}

function checkCategories(
  scope: string,
  c: SpendingControls | null | undefined,
  mcc: string,
): Decision | null {
  if (!c) return null;
  const category = categoryOfMcc(mcc);
  if (c.blocked_categories && c.blocked_categories.length > 0 && mccInCategories(mcc, c.blocked_categories)) {
    return decline(
      'category_blocked',
      `${scope}.blocked_categories`,
      `Merchant category ${category} (MCC ${mcc}) is blocked for this ${scope}.`,
    );
  }
  if (
    c.allowed_categories &&
    c.allowed_categories.length > 0 &&
    !mccInCategories(mcc, c.allowed_categories)
  ) {
    return decline(
      'category_blocked',
      `${scope}.allowed_categories`,
      `Merchant category ${category} is not in the ${scope}'s allowed categories.`,
    );
  }
  return null;
}

function checkCountries(
  scope: string,
  c: SpendingControls | null | undefined,
  country: string,
): Decision | null {
  if (!c) return null;
  const cc = country.toUpperCase();
  const has = (list: readonly string[]) => list.some((x) => x.toUpperCase() === cc);
  if (
    c.blocked_merchant_countries &&
    c.blocked_merchant_countries.length > 0 &&
    has(c.blocked_merchant_countries)
  ) {
    return decline(
      'country_blocked',
      `${scope}.blocked_merchant_countries`,
      `Merchant country ${cc} is blocked for this ${scope}.`,
    );
  }
  if (
    c.allowed_merchant_countries &&
    c.allowed_merchant_countries.length > 0 &&
    !has(c.allowed_merchant_countries)
  ) {
    return decline(
      'country_blocked',
      `${scope}.allowed_merchant_countries`,
      `Merchant country ${cc} is not in the ${scope}'s allowed countries.`,
    );
  }
  return null;
}

function checkVelocity(
  scope: string,
  c: SpendingControls | null | undefined,
  u: ScopeUsage | undefined,
): Decision | null {
  const v = c?.velocity;
  if (!v) return null;
  const count = u?.velocity_count ?? 0;
  if (count >= v.max_authorizations) {
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
  c: SpendingControls | null | undefined,
  u: ScopeUsage | undefined,
  amount: number,
  mcc: string,
): Decision | null {
  const limits = c?.spending_limits;
  if (!limits) return null;
  for (let i = 0; i < limits.length; i++) {
    const limit = limits[i];
    if (!limit) continue;
    if (limit.categories && limit.categories.length > 0 && !mccInCategories(mcc, limit.categories)) continue;
    const spent = limit.interval === 'per_authorization' ? 0 : (u?.limits?.[i] ?? 0);
    if (spent + amount > limit.amount) {
      const what =
        limit.interval === 'per_authorization'
          ? `exceeds the ${scope}'s per-authorization limit of ${fmt(limit.amount)}`
          : `would bring the ${scope}'s ${limit.interval} spend to ${fmt(spent + amount)}, over its limit of ${fmt(limit.amount)}`;
      return decline('spending_limit', `${scope}.spending_limits[${i}]`, `Amount ${fmt(amount)} ${what}.`);
    }
  }
  return null;
}

function checkScope(
  scope: 'card' | 'cardholder',
  c: SpendingControls | null | undefined,
  u: ScopeUsage | undefined,
  amount: number,
  merchant: ControlsInput['merchant'],
): Decision | null {
  return (
    checkCategories(scope, c, merchant.mcc) ??
    checkCountries(scope, c, merchant.country) ??
    checkVelocity(scope, c, u) ??
    checkLimits(scope, c, u, amount, merchant.mcc)
  );
}

/**
 * Decides an authorization from card state, spending controls, usage and balance.
 *
 * @example
 * evaluateControls({
 *   now: '2026-01-01T00:00:00Z', amount: 5000,
 *   merchant: { mcc: '5812', country: 'US', network_id: 'm1' },
 *   card: { status: 'active', exp_month: 12, exp_year: 2030,
 *           spending_controls: { spending_limits: [{ amount: 2500, interval: 'per_authorization' }] } },
 * }) // { approved: false, reason: 'spending_limit', control: 'card.spending_controls.spending_limits[0]', … }
 */
export function evaluateControls(input: ControlsInput): Decision {
  const now = typeof input.now === 'string' ? new Date(input.now) : input.now;
  const { card, cardholder, merchant, amount } = input;

  if (card.status === 'canceled') {
    if (card.cancellation_reason === 'expired')
      return decline('card_expired', 'card.expires_at', 'The card expired and was canceled.');
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
  if (now.getTime() >= Date.UTC(card.exp_year, card.exp_month, 1)) {
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
  const controls =
    checkScope('card', card.spending_controls, input.usage?.card, amount, merchant) ??
    checkScope('cardholder', cardholder?.spending_controls, input.usage?.cardholder, amount, merchant);
  if (controls) return controls;
  if (
    input.balance_available !== undefined &&
    input.balance_available !== null &&
    amount > input.balance_available
  ) {
    return decline(
      'insufficient_funds',
      'program.balance',
      `The program balance (${fmt(input.balance_available)} available) cannot cover ${fmt(amount)}.`,
    );
  }
  return { approved: true, reason: 'approved', message: 'Approved.', control: null };
}
