export { OpenIssuing, OpenIssuing as default } from './client';
export type { WithResponse } from './core/api-promise';
export { APIPromise } from './core/api-promise';
export type { ClientOptions } from './core/client-options';
export * from './core/errors/index';
export type { ListEnvelope } from './core/pagination';
export { Page, PagePromise } from './core/pagination';
export type { RequestOptions } from './core/request-options';
export type { AuthorizationListParams } from './resources/authorizations';
export type { CardholderListParams } from './resources/cardholders';
export type { CardDetails, CardListParams } from './resources/cards';
export type { EphemeralKey } from './resources/ephemeral-keys';
export type { EventListParams } from './resources/events';
export type { ListParams } from './resources/params';
export type { TransactionListParams } from './resources/transactions';
export type * from './types';
export { API_VERSION, SDK_VERSION } from './version';
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
