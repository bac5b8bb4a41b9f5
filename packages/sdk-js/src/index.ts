export * from './authorization-handler/index';
export { OpenIssuing, OpenIssuing as default } from './client';
export type { APIPromise, WithResponse } from './core/api-promise';
export type { ClientOptions } from './core/client-options';
export * from './core/errors/index';
export { type ListEnvelope, Page, type PagePromise } from './core/pagination';
export type { RequestOptions } from './core/request-options';
export type { AuthorizationListParams, Authorizations } from './resources/authorizations';
export type { BalanceResource, LedgerEntries, LedgerEntryListParams } from './resources/balance';
export type { CardholderListParams, Cardholders } from './resources/cardholders';
export type { CardListParams, Cards } from './resources/cards';
export type { EphemeralKeys } from './resources/ephemeral-keys';
export type { EventListParams, Events } from './resources/events';
export type { ListParams, Query } from './resources/params';
export type { ProgramResource } from './resources/program';
export type { SpendingCategories } from './resources/spending-categories';
export type { TestAuthorizations, TestHelpers, TestTransactions } from './resources/test-helpers';
export type { Topups } from './resources/topups';
export type { TransactionListParams, Transactions } from './resources/transactions';
export type { WebhookEndpoints } from './resources/webhook-endpoints';
export * from './schemas/index';
export * from './spend-controls/index';
export type * from './types';
export { API_VERSION } from './version';
export type { HeadersLike } from './webhooks/headers';
export {
  WebhookVerificationError,
  type WebhookVerificationReason,
} from './webhooks/webhook-verification-error';
export {
  type RawBody,
  type TestHeadersInput,
  type VerifyOptions,
  type WebhookHeaders,
  type WebhookSecret,
  Webhooks,
  type WebhooksOptions,
  webhooks,
} from './webhooks/webhooks';
