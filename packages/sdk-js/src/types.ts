/**
 * Public model types. Interim hand-written shapes that follow the architecture contract; they are
 * replaced by re-exports of the generated `components['schemas']` once openapi/ lands.
 */
export type Metadata = Record<string, string>;
export type Dimensions = Record<string, string>;
export type SpendingInterval = 'per_authorization' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all_time';

export interface SpendingLimit {
  amount: number;
  interval: SpendingInterval;
  categories?: string[] | null;
}

export interface SpendingControls {
  spending_limits?: SpendingLimit[] | null;
  allowed_categories?: string[] | null;
  blocked_categories?: string[] | null;
  allowed_merchant_countries?: string[] | null;
  blocked_merchant_countries?: string[] | null;
  velocity?: { max_authorizations: number; window_seconds: number } | null;
}

export interface Cardholder {
  id: string;
  object?: 'cardholder';
  type: 'individual' | 'company';
  name: string;
  email?: string | null;
  status: 'active' | 'inactive' | 'blocked';
  spending_controls?: SpendingControls | null;
  dimensions?: Dimensions;
  metadata?: Metadata;
  created_at: string;
  [key: string]: unknown;
}

export interface Card {
  id: string;
  object?: 'card';
  cardholder: string;
  type: 'virtual' | 'physical';
  usage?: 'reusable' | 'single_use' | 'merchant_locked';
  status: 'active' | 'frozen' | 'canceled';
  brand?: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  currency: string;
  spending_controls?: SpendingControls | null;
  expires_at?: string | null;
  dimensions?: Dimensions;
  metadata?: Metadata;
  created_at: string;
  [key: string]: unknown;
}

export interface MerchantData {
  name?: string;
  network_id?: string;
  mcc: string;
  category?: string;
  city?: string;
  country: string;
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

export interface Authorization {
  id: string;
  object?: 'authorization';
  card: string;
  cardholder?: string;
  amount: number;
  currency: string;
  merchant_amount?: number;
  merchant_currency?: string;
  exchange_rate?: number;
  merchant_data: MerchantData;
  status: 'pending' | 'closed' | 'reversed' | 'expired';
  approved: boolean;
  decision?: { reason: DecisionReason; message?: string; control?: string | null };
  created_at: string;
  [key: string]: unknown;
}

export interface Transaction {
  id: string;
  object?: 'transaction';
  type: 'capture' | 'refund';
  amount: number;
  currency: string;
  authorization?: string | null;
  card: string;
  cardholder?: string;
  dimensions?: Dimensions;
  created_at: string;
  [key: string]: unknown;
}

export interface Event {
  id: string;
  object?: 'event';
  type: string;
  created_at: string;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> | null };
  [key: string]: unknown;
}

export type AnyObject = Record<string, unknown>;

type Params = Record<string, unknown>;
export type CardholderCreateParams = Params;
export type CardholderUpdateParams = Params;
export type CardCreateParams = Params;
export type CardUpdateParams = Params;
export type CardCancelParams = Params;
export interface CardDetails {
  number: string;
  cvc: string;
  exp_month: number;
  exp_year: number;
  [key: string]: unknown;
}
export type SpendingCategoryList = { data: AnyObject[] } & AnyObject;
export type Balance = AnyObject;
export type LedgerEntry = AnyObject;
export type Topup = AnyObject;
export type TopupCreateParams = Params;
export type Program = AnyObject;
export type ProgramUpdateParams = Params;
export type WebhookEvent = Event;
export type WebhookEndpoint = AnyObject;
export type WebhookEndpointCreateParams = Params;
export type WebhookEndpointUpdateParams = Params;
export type WebhookEndpointRotateSecretParams = Params;
export type DeletedWebhookEndpoint = AnyObject;
export type WebhookDelivery = AnyObject;
export interface EphemeralKey {
  id: string;
  secret: string;
  expires_at: string;
  [key: string]: unknown;
}
export type EphemeralKeyCreateParams = { card: string } & Params;
export type DeletedEphemeralKey = AnyObject;
export type TestAuthorizationCreateParams = Params;
export type TestAuthorizationCaptureParams = Params;
export type TestAuthorizationReverseParams = Params;
export type TestTransactionRefundParams = Params;
export type AuthorizationRequestResponse = { approved: boolean; reason?: string };
