import * as schemas from '../generated/zod/zod.gen';
import { formatPath, ValidationError } from '../spend-controls/validation-error';
import type { WebhookEvent } from '../types';

/**
 * Checks that a value is a webhook event exactly as the spec declares it (zod schema generated from
 * `openapi/openissuing.yaml`), and returns it typed; throws a {@link ValidationError} naming each field
 * that does not match. `webhooks.unwrap` only verifies the signature and the envelope; use this at the
 * edge when you want the whole payload checked too.
 *
 * @example
 * const event = parseWebhookEvent(await webhooks.unwrap(body, headers, secret));
 */
export function parseWebhookEvent(value: unknown): WebhookEvent {
  const result = schemas.zWebhookEvent.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      'webhook event',
      result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return result.data as WebhookEvent;
}

/** Every zod (mini) schema generated from the spec, e.g. `schemas.zCardCreateParams`. */
export { schemas };
