/** How long a spending limit's window is. Windows are calendar windows in UTC (see `spendingWindowStart`). */
export type SpendingInterval = 'per_authorization' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all_time';

/** One spending limit: at most `amount` (minor units) per `interval`, optionally only for some categories. */
export interface SpendingLimit {
  amount: number;
  interval: SpendingInterval;
  /** When set, the limit applies to, and counts, only merchants in these spending categories. */
  categories?: readonly string[] | null | undefined;
}

/** The spending controls of a card or a cardholder, as in the API's `SpendingControls`. */
export interface SpendingControls {
  spending_limits?: readonly SpendingLimit[] | null | undefined;
  allowed_categories?: readonly string[] | null | undefined;
  blocked_categories?: readonly string[] | null | undefined;
  allowed_merchant_countries?: readonly string[] | null | undefined;
  blocked_merchant_countries?: readonly string[] | null | undefined;
  velocity?: { max_authorizations: number; window_seconds: number } | null | undefined;
}

/** Every reason an authorization decision can carry (the spec's `AuthorizationDecisionReason`). */
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
  | 'webhook_error'
  | 'budget_exceeded';

/** An authorization decision: the authorization's `decision` plus `approved`. */
export interface Decision {
  approved: boolean;
  reason: DecisionReason;
  message: string;
  /** The control that fired (e.g. `card.spending_limits[0]`), or null when approved. */
  control: string | null;
}

/** Spend already used by one scope, aligned with that scope's `spending_limits`. */
export interface ScopeUsage {
  /** `limits[i]`: approved spend in the current window of `spending_limits[i]` (ignored for per_authorization). */
  limits?: readonly number[] | undefined;
  /** Approved authorizations within `velocity.window_seconds` before now. */
  velocity_count?: number | undefined;
}

/** Card state the decision reads. Omitted fields are those of an active reusable card without controls. */
export interface CardState {
  status?: 'active' | 'frozen' | 'canceled' | (string & {}) | undefined;
  /** Why a canceled card was canceled (`expired`, `single_use_consumed`, …). */
  cancellation_reason?: string | null | undefined;
  usage?: 'reusable' | 'single_use' | 'merchant_locked' | (string & {}) | undefined;
  /** Printed expiry; the card is expired from the first instant after this month (UTC). Omit both to skip. */
  exp_month?: number | undefined;
  exp_year?: number | undefined;
  /** The instant the card auto-cancels (RFC 3339). */
  expires_at?: string | null | undefined;
  spending_controls?: SpendingControls | null | undefined;
  /** The network_id a merchant_locked card is locked to (set by its first approved authorization). */
  locked_merchant?: string | null | undefined;
  /** Whether a single_use card already has an approved authorization that is pending or closed. */
  single_use_consumed?: boolean | undefined;
}

/**
 * A budget that governs the card (its selector matches the card's merged dimensions, same currency,
 * active), with its spend so far aligned with `limits`.
 */
export interface BudgetState {
  id: string;
  name: string;
  /** Named in the decline message. */
  currency?: string | undefined;
  limits: readonly SpendingLimit[];
  usage?: ScopeUsage | undefined;
}

/** Everything one authorization decision depends on. Pure data: no clock, no I/O. */
export interface DecisionInput {
  /** The authorization instant (a Date or an RFC 3339 string). */
  now: Date | string;
  /** Amount in the card's currency, minor units (after FX). */
  amount: number;
  /**
   * The card's currency (ISO 4217, any case). Decline messages show amounts in it (`40.00 USD`,
   * `4000 JPY`); without it they say the amount is in minor units.
   */
  currency?: string | undefined;
  merchant: { mcc: string; country: string; network_id?: string | undefined };
  card?: CardState | undefined;
  cardholder?: { status: string; spending_controls?: SpendingControls | null | undefined } | null | undefined;
  /** Spend and velocity already used by each scope. */
  usage?: { card?: ScopeUsage | undefined; cardholder?: ScopeUsage | undefined } | undefined;
  /** The budgets that govern the card, checked after the cardholder's controls, in this order. */
  budgets?: readonly BudgetState[] | null | undefined;
  /** Available program balance in the card's currency; omit (or null) to skip the funds check. */
  balance_available?: number | null | undefined;
}
