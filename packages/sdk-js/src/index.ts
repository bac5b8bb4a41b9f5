export * from './access/index';
export * from './authorization-handler/index';
export { BudgetBuilder, budget } from './budgets/builder';
export { OpenIssuing, OpenIssuing as default } from './client';
export type { APIPromise, WithResponse } from './core/api-promise';
export type { ClientOptions } from './core/client-options';
export * from './core/errors/index';
export type { Logger, LogLevel } from './core/logger';
export { type ListEnvelope, Page, type PagePromise } from './core/pagination';
export type { RequestOptions } from './core/request-options';
export type {
  ApiKeys,
  Authorizations,
  BalanceResource,
  Cardholders,
  CardRequests,
  Cards,
  EphemeralKeys,
  Events,
  LedgerEntries,
  ProgramResource,
  Resources,
  SpendingCategories,
  TestHelpers,
  TestHelpersAuthorizations,
  TestHelpersAuthorizations as TestAuthorizations,
  TestHelpersTransactions,
  TestHelpersTransactions as TestTransactions,
  Topups,
  Transactions,
  WebhookEndpoints,
} from './generated/resources';
export type {
  AuthorizationListParams,
  CardholderListParams,
  CardListParams,
  EventListParams,
  LedgerEntryListParams,
  ListParams,
  Query,
  TransactionListParams,
} from './resources/params';
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
