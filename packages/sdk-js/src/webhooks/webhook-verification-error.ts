import { OpenIssuingError } from '../core/errors/openissuing-error';

/** Why a webhook failed verification; stable strings you can branch on. */
export type WebhookVerificationReason =
  | 'payload_not_raw'
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_secret'
  | 'no_matching_signature'
  | 'invalid_payload';

/**
 * A delivery did not verify, or was used wrongly. `reason` says which check failed and the message
 * says how to fix it. Answer such requests with 400 and do not process them.
 *
 * @example
 * try {
 *   const event = await webhooks.unwrap(body, request.headers, secret);
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response(error.message, { status: 400 });
 *   throw error;
 * }
 */
export class WebhookVerificationError extends OpenIssuingError {
  override name = 'WebhookVerificationError' as const;
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
