import { openapiDocument } from '../api-spec';
import { OPERATION_PERMISSIONS } from '../generated/permissions';

/** What an operation needs from a restricted key: `<resource>:read|write|approve`. */
export interface OperationPermission {
  resource: string;
  access: 'read' | 'write' | 'approve';
}

type Operations = Record<string, Record<string, unknown>>;

const METHODS = ['get', 'post', 'patch', 'delete', 'put'] as const;

/**
 * The permission an operation needs, from the table `npm run generate` writes from the spec
 * (scripts/generate/permissions.ts holds the rule): `x-permission` where the operation declares one
 * (approve and reject say `card_requests:approve`), else the first segment of the path
 * (`/test_helpers/authorizations` → `test_helpers`) with `read` for GET and `write` otherwise. Every
 * operation added to the spec is covered without a line here.
 *
 * @example
 * permissionOf('post', '/cards/{card}/freeze'); // { resource: 'cards', access: 'write' }
 */
export function permissionOf(method: string, template: string): OperationPermission {
  const permission = OPERATION_PERMISSIONS[`${method} ${template}`];
  if (!permission) throw new Error(`${method.toUpperCase()} ${template} is not an operation of the spec.`);
  const [resource, access] = permission.split(':') as [string, OperationPermission['access']];
  return { resource, access };
}

/** Every operation of the spec with its path template and permission (for tests and key validation). */
export function specOperations(): { method: string; template: string; permission: OperationPermission }[] {
  const out: { method: string; template: string; permission: OperationPermission }[] = [];
  for (const [template, item] of Object.entries(openapiDocument.paths as Operations)) {
    for (const method of METHODS) {
      if (item[method]) out.push({ method, template, permission: permissionOf(method, template) });
    }
  }
  return out;
}

/** Resources a restricted key may be granted (`api_keys` is the secret key's alone). */
export const GRANTABLE_RESOURCES: ReadonlySet<string> = new Set(
  specOperations()
    .map((o) => o.permission.resource)
    .filter((r) => r !== 'api_keys'),
);

/**
 * Whether `permissions` allow `needed`; `write` includes `read`. `approve` is granted only by itself.
 *
 * @example
 * allows(['cards:write'], { resource: 'cards', access: 'read' }); // true
 */
export function allows(permissions: readonly string[], needed: OperationPermission): boolean {
  if (permissions.includes(`${needed.resource}:${needed.access}`)) return true;
  return needed.access === 'read' && permissions.includes(`${needed.resource}:write`);
}
