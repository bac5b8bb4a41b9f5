/**
 * The shapes the widgets render. They are the subset of the OpenIssuing API objects (see
 * `openapi/openissuing.yaml`) that the widgets read, so objects returned by `@openissuing/sdk` or by
 * your own backend (as long as it forwards the API's JSON) fit without conversion.
 */

/** Integer amount in minor units plus a lowercase ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

import type {
  Budget as SdkBudget,
  SpendingControls as SdkSpendingControls,
  SpendingLimit as SdkSpendingLimit,
  SpendReport as SdkSpendReport,
  SpendingLimitInterval,
} from '@openissuing/sdk';

export type CardStatus = 'active' | 'frozen' | 'canceled';
/** The API's budget with its usage (`@openissuing/sdk`'s generated type). */
export type Budget = SdkBudget;
/** The API's spend report (`GET /reports/spend`, `@openissuing/sdk`'s generated type). */
export type SpendReport = SdkSpendReport;
export type SpendingInterval = SpendingLimitInterval;
/** The API's spending limit (`@openissuing/sdk`'s generated type). */
export type SpendingLimit = SdkSpendingLimit;
/** The API's spending controls (`@openissuing/sdk`'s generated type). */
export type SpendingControls = SdkSpendingControls;
/** A spending category name from the spec's catalog (`advertising`, `cloud_computing`, …). */
export type SpendingCategory = NonNullable<SpendingControls['blocked_categories']>[number];

export interface Card {
  id: string;
  object?: 'card';
  type?: 'virtual' | 'physical';
  usage?: 'reusable' | 'single_use' | 'merchant_locked';
  status: CardStatus;
  brand?: string | null;
  last4: string;
  exp_month: number;
  exp_year: number;
  currency: string;
  cardholder?: string | { id: string; name?: string } | null;
  spending_controls?: SpendingControls | null;
  metadata?: Record<string, string> | null;
  /** The dimensions set on the card itself. */
  dimensions?: Record<string, string> | null;
  /** The dimensions that govern the card: its cardholder's merged with its own (read-only). */
  effective_dimensions?: Record<string, string> | null;
  created_at?: string;
}

/** What `GET /cards/{card}/details` returns to an ephemeral key scoped to the card. */
export interface CardDetails {
  number: string;
  cvc: string;
  exp_month: number;
  exp_year: number;
}

export interface MerchantData {
  name?: string | null;
  network_id?: string | null;
  mcc?: string | null;
  category?: string | null;
  city?: string | null;
  country?: string | null;
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
  | 'webhook_error'
  | 'budget_exceeded'
  | (string & {});

export interface Authorization {
  id: string;
  object: 'authorization';
  amount: number;
  currency: string;
  merchant_amount?: number;
  merchant_currency?: string;
  merchant_data?: MerchantData | null;
  status: 'pending' | 'closed' | 'reversed' | 'expired';
  approved: boolean;
  decision?: { reason: DecisionReason; message?: string | null; control?: string | null } | null;
  card?: string | { id: string };
  created_at: string;
}

export interface Transaction {
  id: string;
  object: 'transaction';
  type: 'capture' | 'refund';
  amount: number;
  currency: string;
  merchant_amount?: number;
  merchant_currency?: string;
  merchant_data?: MerchantData | null;
  authorization?: string | null;
  card?: string | { id: string };
  created_at: string;
}

/** One row of `<TransactionList>`: a transaction, or an authorization (approved, pending or declined). */
export type Activity = Authorization | Transaction;

/** A page of a cursor-paginated API list. */
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  next_cursor?: string | null;
}

export interface BalanceEntry {
  currency: string;
  available: number;
  pending?: number;
}

/** The program's funding balance, one entry per currency. */
export interface Balance {
  available: Money[];
  pending?: Money[];
}

/** What `fetchEphemeralKey` resolves to: the JSON `POST /ephemeral_keys` returns. */
export interface EphemeralKey {
  secret: string;
  /** RFC 3339 timestamp or Unix seconds. */
  expires_at: string | number;
}
