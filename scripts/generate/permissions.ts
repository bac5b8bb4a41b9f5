/**
 * The permission every operation needs from a restricted key, written once from the contract for
 * both sides: the platform's table (`METHOD /template` → permission), which it enforces, and the
 * SDK's (`sdk.method` → permission, plus the union of grantable resources), which its API-key builder
 * types and fills from. The rule lives here only.
 */
import type { SdkOperation } from './spec-walk.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'patch', 'delete', 'put'] as const;

/**
 * The rule: `x-permission` when the operation declares one (approve and reject declare
 * `card_requests:approve`), else the first path segment with `read` for GET and `write` otherwise
 * (`POST /test_helpers/authorizations` → `test_helpers:write`).
 */
export function operationPermission(template: string, method: string, op: Json): string {
  const declared = op['x-permission'];
  if (typeof declared === 'string') {
    if (!/^[a-z_]+:(read|write|approve)$/.test(declared))
      throw new Error(
        `openapi/openissuing.yaml: ${method.toUpperCase()} ${template} has x-permission '${declared}'; write <resource>:read|write|approve.`,
      );
    return declared;
  }
  return `${template.split('/')[1] ?? ''}:${method === 'get' ? 'read' : 'write'}`;
}

function everyOperation(spec: Json): { template: string; method: string; permission: string }[] {
  const out: { template: string; method: string; permission: string }[] = [];
  for (const [template, item] of Object.entries((spec.paths ?? {}) as Json)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (op) out.push({ template, method, permission: operationPermission(template, method, op) });
    }
  }
  return out;
}

/** The platform's table: `'get /cards/{card}'` → `'cards:read'`, for every operation of the spec. */
export function platformPermissionsModule(banner: string, spec: Json): string {
  const table = Object.fromEntries(
    everyOperation(spec).map((o) => [`${o.method} ${o.template}`, o.permission]),
  );
  return `${banner}
/** The permission each operation (\`method /template\`) needs from a restricted key. */
export const OPERATION_PERMISSIONS: Readonly<Record<string, string>> = ${JSON.stringify(table, null, 2)};
`;
}

/** The SDK's table: `'cards.freeze'` → `'cards:write'`, and the resources a key may be granted. */
export function sdkPermissionsModule(banner: string, spec: Json, sdk: SdkOperation[]): string {
  const resources = [
    ...new Set(
      everyOperation(spec)
        .map((o) => o.permission.split(':')[0] as string)
        .filter((r) => r !== 'api_keys'),
    ),
  ].sort();
  const paths = spec.paths as Record<string, Json>;
  const byMethod = Object.fromEntries(
    sdk
      // Operations that take an ephemeral key (card details) or no key are not a restricted key's.
      .filter((o) => o.security === 'bearerAuth')
      .map((o) => [
        [...o.resource, o.name].join('.'),
        operationPermission(o.path, o.method, paths[o.path]?.[o.method] as Json),
      ])
      .filter(([, permission]) => !String(permission).startsWith('api_keys:')),
  );
  return `${banner}
/** The resources a restricted key may be granted (\`api_keys\` is the secret key's alone). */
export const API_KEY_RESOURCES = ${JSON.stringify(resources)} as const;

/** A resource a restricted key may be granted, such as \`'cards'\`. */
export type ApiKeyResource = (typeof API_KEY_RESOURCES)[number];

/** The permission each SDK method needs from a restricted key. */
export const METHOD_PERMISSIONS = ${JSON.stringify(byMethod, null, 2)} as const;

/** An SDK method a restricted key can be allowed to call, such as \`'cards.freeze'\`. */
export type SdkMethodName = keyof typeof METHOD_PERMISSIONS;
`;
}
