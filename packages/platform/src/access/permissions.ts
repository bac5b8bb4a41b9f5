import { openapiDocument } from '../api-spec';

/** What an operation needs from a restricted key: `<resource>:read|write|approve`. */
export interface OperationPermission {
  resource: string;
  access: 'read' | 'write' | 'approve';
}

type Operations = Record<string, Record<string, { 'x-permission'?: string } | unknown>>;

const METHODS = ['get', 'post', 'patch', 'delete', 'put'] as const;

/**
 * The permission an operation needs, derived from the spec: the resource is the first segment of
 * the path (`/test_helpers/authorizations` → `test_helpers`), the access is `read` for GET and
 * `write` otherwise, unless the operation names another in `x-permission` (approve and reject say
 * `card_requests:approve`). Every operation added to the spec is covered without a line here.
 *
 * @example
 * permissionOf('post', '/cards/{card}/freeze'); // { resource: 'cards', access: 'write' }
 */
export function permissionOf(method: string, template: string): OperationPermission {
  const declared = (
    (openapiDocument.paths as Operations)[template]?.[method] as { 'x-permission'?: string } | undefined
  )?.['x-permission'];
  if (declared) {
    const [resource, access] = declared.split(':') as [string, OperationPermission['access']];
    return { resource, access };
  }
  return { resource: template.split('/')[1] ?? '', access: method === 'get' ? 'read' : 'write' };
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
