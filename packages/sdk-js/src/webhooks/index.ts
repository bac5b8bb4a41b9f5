export type { HeadersLike } from './headers';
export { WebhookVerificationError, type WebhookVerificationReason } from './webhook-verification-error';
export {
  type RawBody,
  type TestHeadersInput,
  type VerifyOptions,
  type WebhookHeaders,
  type WebhookSecret,
  Webhooks,
  type WebhooksOptions,
  webhooks,
} from './webhooks';
