import { openapiDocument } from '../src/api-spec';
import { SpecValidator } from '../src/http/validation';

type Json = Record<string, unknown>;

/**
 * A copy of the spec in which every object schema that declares `properties` and says nothing about
 * other properties is closed (`additionalProperties: false`), so a response or event carrying a field
 * the contract does not declare fails validation. Schemas that allow extra fields on purpose
 * (`additionalProperties: true` or a map schema) are left as they are.
 */
export function closeObjects<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n)) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json))
    out[k] = k === 'examples' || k === 'example' ? v : closeObjects(v);
  const type = out.type;
  const isObject = type === 'object' || (Array.isArray(type) && type.includes('object'));
  if (isObject && out.properties && typeof out.properties === 'object' && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out as T;
}

/** Validates responses and events strictly: undeclared fields are failures. */
export const strictValidator = new SpecValidator(closeObjects(openapiDocument));

const eventSchema = strictValidator.ajv.compile({ $ref: 'openapi.json#/components/schemas/WebhookEvent' });

/** Problems of an event (a webhook body or an element of `/events`) against the contract, strictly. */
export function eventProblems(event: unknown): string[] {
  if (eventSchema(event)) return [];
  return (eventSchema.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
