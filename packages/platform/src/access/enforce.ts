import type { Queryable } from '../db/database';
import { ApiError } from '../lib/errors';
import { allows, permissionOf } from './permissions';
import { checkInScope, type DimensionScope, scopeAllowsResource, scopeWrittenDimensions } from './scope';

/** What a restricted key may do: its permissions and its dimension scope (null: the whole program). */
export interface Restriction {
  permissions: readonly string[];
  scope: DimensionScope | null;
}

const describe = (scope: DimensionScope) =>
  Object.entries(scope)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * Applies a restricted key to one request, after the request was validated against the spec:
 * 403 when a permission is missing or the resource is program-wide and the key is scoped; 404 (as
 * for a missing object) when a path parameter or body reference lies outside the scope; 400 when
 * written dimensions disagree with the scope (missing pairs are filled in where that decides scope).
 * Mutates `body` only to fill dimensions.
 */
export async function enforceRestriction(
  q: Queryable,
  r: Restriction,
  method: string,
  template: string,
  params: Record<string, string>,
  body: Record<string, unknown>,
): Promise<void> {
  const needed = permissionOf(method, template);
  if (needed.resource === 'api_keys') {
    throw new ApiError(
      403,
      'insufficient_permissions',
      'Authorization: only the secret key (sk_test_…) manages API keys; a restricted key cannot.',
      'Authorization',
    );
  }
  if (!allows(r.permissions, needed)) {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `Authorization: this restricted key lacks '${needed.resource}:${needed.access}', which ${method.toUpperCase()} ${template} needs; create a key that has it.`,
      'Authorization',
    );
  }
  const scope = r.scope;
  if (!scope) return;
  if (!scopeAllowsResource(needed.resource)) {
    throw new ApiError(
      403,
      'insufficient_permissions',
      `Authorization: ${method.toUpperCase()} ${template} is program-wide (its objects belong to no department or other dimension), so a key scoped to ${describe(scope)} cannot use it even with '${needed.resource}:${needed.access}'; use a restricted key without dimension_scope.`,
      'Authorization',
    );
  }
  for (const [name, id] of Object.entries(params)) await checkInScope(q, scope, name, id);
  for (const [name, value] of Object.entries(body)) await checkInScope(q, scope, name, value);
  const isCreate = method === 'post' && template === `/${needed.resource}`;
  if (method !== 'get') scopeWrittenDimensions(needed.resource, scope, body, isCreate);
}
