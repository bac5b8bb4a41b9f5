import type { Restriction } from '../access/enforce';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { hashSecret } from '../lib/crypto';
import { ApiError, notFound } from '../lib/errors';
import { newId, randomToken } from '../lib/ids';
import { getCardRow } from './cards';

/** Who sends a request. A restricted key (`rk_test_…`) is a secret-key principal with a `restricted` set. */
export type Principal =
  | { kind: 'secret'; keyId: string; restricted?: Restriction }
  | { kind: 'ephemeral'; keyId: string; card: string };

/** Ephemeral keys live 15 minutes (spec: EphemeralKey.expires_at). */
export const EPHEMERAL_KEY_TTL_SECONDS = 15 * 60;

/** Generates a sandbox secret key: `sk_test_` + 32 random url-safe chars. */
export function generateSecretKey(): string {
  return `sk_test_${randomToken(24)}`;
}

/** Stores the hash of a secret key (never the key itself). Idempotent. */
export async function registerSecretKey(ctx: Context, secret: string): Promise<void> {
  await ctx.db.rows(sql`INSERT INTO api_keys (id, secret_hash, kind) VALUES (${newId('api_key')}, ${hashSecret(secret)}, 'secret')
    ON CONFLICT (secret_hash) DO NOTHING`);
}

/**
 * Resolves a bearer credential to a principal, or throws 401 saying what is wrong.
 * Secret-key lookups are cached in memory by hash (secret keys are never revoked in the sandbox);
 * restricted keys are looked up on every request, so a revocation holds at once in every process.
 */
export async function authenticate(
  ctx: Context,
  token: string,
  cache?: Map<string, Principal>,
): Promise<Principal> {
  const hash = hashSecret(token);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const rows = await ctx.db.rows<{
    id: string;
    kind: string;
    card_id: string | null;
    expired: boolean;
    data: { permissions: string[]; dimension_scope: Record<string, string> | null } | null;
  }>(
    sql`SELECT id, kind, card_id, data,
          (revoked OR (expires_at IS NOT NULL AND expires_at <= ${ctx.now().toISOString()}::timestamptz)) AS expired
        FROM api_keys WHERE secret_hash = ${hash}`,
  );
  const row = rows[0];
  if (!row) {
    const hint = /^(sk|rk|ek)_/.test(token)
      ? ''
      : ' Keys start with sk_test_ (server), rk_test_ (restricted) or ek_test_ (ephemeral).';
    throw new ApiError(
      401,
      'api_key_invalid',
      `Authorization: the key is not valid.${hint}`,
      'Authorization',
    );
  }
  if (row.kind === 'restricted') {
    if (row.expired) {
      throw new ApiError(
        401,
        'api_key_invalid',
        'Authorization: this restricted key was revoked; ask for a new one (POST /api_keys with the secret key).',
        'Authorization',
      );
    }
    return {
      kind: 'secret',
      keyId: row.id,
      restricted: { permissions: row.data?.permissions ?? [], scope: row.data?.dimension_scope ?? null },
    };
  }
  if (row.expired) {
    throw new ApiError(
      401,
      'ephemeral_key_expired',
      'Authorization: the ephemeral key has expired or was revoked; create a new one with POST /ephemeral_keys.',
      'Authorization',
    );
  }
  if (row.kind === 'secret') {
    const p: Principal = { kind: 'secret', keyId: row.id };
    cache?.set(hash, p);
    return p;
  }
  return { kind: 'ephemeral', keyId: row.id, card: row.card_id ?? '' };
}

export interface EphemeralKey {
  id: string;
  object: 'ephemeral_key';
  card: string;
  secret: string;
  expires_at: string;
  created_at: string;
}

/** Creates a 15-minute key scoped to one card (for the browser). A canceled card answers 409 card_not_active. */
export async function createEphemeralKey(ctx: Context, input: { card: string }): Promise<EphemeralKey> {
  const card = (await getCardRow(ctx.db, input.card, false, 'card')).data;
  if (card.status === 'canceled') {
    throw new ApiError(
      409,
      'card_not_active',
      `card: '${card.id}' is canceled; its details can no longer be shown.`,
      'card',
    );
  }
  const now = ctx.now();
  const key: EphemeralKey = {
    id: newId('ephemeral_key'),
    object: 'ephemeral_key',
    card: input.card,
    secret: `ek_test_${randomToken(24).replace(/[-_]/g, '')}`,
    expires_at: new Date(now.getTime() + ctx.ephemeralKeyTtlSeconds * 1000).toISOString(),
    created_at: now.toISOString(),
  };
  await ctx.db.rows(sql`INSERT INTO api_keys (id, secret_hash, kind, card_id, expires_at, created_at)
    VALUES (${key.id}, ${hashSecret(key.secret)}, 'ephemeral', ${key.card}, ${key.expires_at}::timestamptz, ${key.created_at}::timestamptz)`);
  return key;
}

/** Revokes an ephemeral key before it expires; later use answers 401 ephemeral_key_expired. */
export async function revokeEphemeralKey(ctx: Context, id: string) {
  const rows = await ctx.db.rows(
    sql`UPDATE api_keys SET revoked = true WHERE id = ${id} AND kind = 'ephemeral' RETURNING id`,
  );
  if (rows.length === 0) throw notFound('ephemeral_key', id);
  return { id, object: 'ephemeral_key' as const, deleted: true as const };
}
