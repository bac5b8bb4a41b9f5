import type { ZodMiniType } from 'zod/mini';
import type { components } from '../generated/openapi';
import * as generated from '../generated/zod/zod.gen';
import { ValidationError, validationIssues } from '../spend-controls/validation-error';
import type { WebhookEvent } from '../types';

type Schemas = components['schemas'];

/**
 * One zod (mini) schema per schema of the spec, named `z<Schema>` (`zCard`, `zCardCreateParams`, …)
 * and typed by the spec's own type. The declared type is deliberately this short mapped type, not
 * the schemas' inferred zod types: those are ~540 kB of `.d.ts` that every consumer's type check
 * would have to read.
 */
export type SpecSchemas = { readonly [K in keyof Schemas as `z${K & string}`]: ZodMiniType<Schemas[K]> };

/**
 * Every zod (mini) schema generated from the spec, e.g. `schemas.zCardCreateParams.safeParse(body)`.
 *
 * @example
 * const result = schemas.zCardCreateParams.safeParse(input);
 * if (!result.success) console.log(result.error.issues);
 */
export const schemas: SpecSchemas = generated as unknown as SpecSchemas;

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
  const result = generated.zWebhookEvent.safeParse(value);
  if (!result.success) {
    throw new ValidationError('webhook event', validationIssues(result.error.issues, value));
  }
  return result.data as WebhookEvent;
}
