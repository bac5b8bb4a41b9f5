import { GRANTABLE_RESOURCES } from '../access/permissions';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { hashSecret } from '../lib/crypto';
import { invalid, notFound, stateInvalid } from '../lib/errors';
import { newId, randomToken } from '../lib/ids';
import { type ListParams, listRows } from './list';

/** A restricted API key as the API returns it (the spec's ApiKey); `secret` only on create. */
export interface ApiKey {
  id: string;
  object: 'api_key';
  name: string;
  status: 'active' | 'revoked';
  permissions: string[];
  dimension_scope: Record<string, string> | null;
  secret?: string;
  redacted_secret: string;
  metadata: Record<string, string>;
  created_at: string;
  revoked_at: string | null;
}

export interface ApiKeyInput {
  name: string;
  permissions: string[];
  dimension_scope?: Record<string, string>;
  metadata?: Record<string, string>;
}

/** Refuses permissions that name no resource of the API, `api_keys`, or `approve` outside card requests. */
function checkPermissions(permissions: string[]): void {
  permissions.forEach((p, i) => {
    const [resource = '', access] = p.split(':');
    const at = `permissions[${i}]`;
    if (resource === 'api_keys') {
      throw invalid(at, `${at}: 'api_keys' cannot be granted; only the secret key manages API keys.`);
    }
    if (!GRANTABLE_RESOURCES.has(resource)) {
      throw invalid(
        at,
        `${at}: '${resource}' is not a resource of the API; use one of ${[...GRANTABLE_RESOURCES].sort().join(', ')}.`,
      );
    }
    if (access === 'approve' && resource !== 'card_requests') {
      throw invalid(
        at,
        `${at}: only card_requests has 'approve'; use '${resource}:read' or '${resource}:write'.`,
      );
    }
  });
}

/**
 * Creates a restricted key (`rk_test_…`). Only its hash is stored; the secret is in this result alone.
 *
 * @example
 * await createApiKey(ctx, { name: 'Marketing', permissions: ['cards:read'], dimension_scope: { department: 'marketing' } });
 */
export async function createApiKey(ctx: Context, input: ApiKeyInput): Promise<ApiKey> {
  checkPermissions(input.permissions);
  const secret = `rk_test_${randomToken(24).replace(/[-_]/g, '')}`;
  const key: ApiKey = {
    id: newId('api_key'),
    object: 'api_key',
    name: input.name,
    status: 'active',
    permissions: input.permissions,
    dimension_scope: input.dimension_scope ?? null,
    redacted_secret: `rk_test_…${secret.slice(-4)}`,
    metadata: input.metadata ?? {},
    created_at: ctx.now().toISOString(),
    revoked_at: null,
  };
  await ctx.db.rows(sql`INSERT INTO api_keys (id, secret_hash, kind, created_at, data)
    VALUES (${key.id}, ${hashSecret(secret)}, 'restricted', ${key.created_at}::timestamptz, ${JSON.stringify(key)}::jsonb)`);
  return { ...key, secret };
}

export async function getApiKey(ctx: Context, id: string): Promise<ApiKey> {
  const rows = await ctx.db.rows<{ data: ApiKey }>(
    sql`SELECT data FROM api_keys WHERE id = ${id} AND kind = 'restricted'`,
  );
  if (!rows[0]) throw notFound('api_key', id);
  return rows[0].data;
}

export function listApiKeys(ctx: Context, params: ListParams & { status?: string }) {
  const where = [sql`kind = 'restricted'`];
  if (params.status) where.push(sql`data->>'status' = ${params.status}`);
  return listRows<ApiKey>(ctx.db, 'api_keys', params, where);
}

/** Revokes a restricted key; it answers 401 from the next request on, in every process. */
export async function revokeApiKey(ctx: Context, id: string): Promise<ApiKey> {
  const now = ctx.now().toISOString();
  const rows = await ctx.db.rows<{ data: ApiKey }>(sql`UPDATE api_keys SET revoked = true,
      data = data || jsonb_build_object('status', 'revoked', 'revoked_at', ${now}::text)
    WHERE id = ${id} AND kind = 'restricted' AND NOT revoked RETURNING data`);
  if (rows[0]) return rows[0].data;
  const existing = await getApiKey(ctx, id);
  throw stateInvalid(`api_key: '${existing.id}' is already revoked.`, 'api_key');
}
