import type { Context } from '../context';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import { notFound, stateInvalid } from '../lib/errors';
import { newId } from '../lib/ids';
import { type ListParams, listRows } from '../services/list';
import { generateWebhookSecret } from './signature';

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  description: string | null;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  /** Only in the responses of create and rotate_secret. */
  secret?: string;
  created_at: string;
}

export interface EndpointRow {
  data: WebhookEndpoint;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  /** Whether the previous secret is still inside its overlap window (computed at read time). */
  previous_valid: boolean;
}

export async function getEndpointRow(
  q: Queryable,
  id: string,
  now: Date,
  lock = false,
): Promise<EndpointRow> {
  const rows = await q.rows<EndpointRow>(sql`SELECT data, secret_encrypted, previous_secret_encrypted,
      coalesce(previous_secret_expires_at > ${now.toISOString()}::timestamptz, false) AS previous_valid
    FROM webhook_endpoints WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
  if (!rows[0]) throw notFound('webhook_endpoint', id);
  return rows[0];
}

/** At most one enabled endpoint may subscribe to authorization.request (409 state_invalid). */
async function assertSingleRealtime(q: Queryable, ep: WebhookEndpoint): Promise<void> {
  if (ep.status !== 'enabled' || !ep.enabled_events.includes('authorization.request')) return;
  const others = await q.rows<{ id: string }>(sql`SELECT id FROM webhook_endpoints
    WHERE status = 'enabled' AND data->'enabled_events' ? 'authorization.request' AND id <> ${ep.id} LIMIT 1`);
  if (others[0]) {
    throw stateInvalid(
      `enabled_events: endpoint '${others[0].id}' already answers authorization.request; disable it or remove it from its enabled_events first.`,
      'enabled_events',
    );
  }
}

export async function createEndpoint(
  ctx: Context,
  input: { url: string; enabled_events: string[]; description?: string; metadata?: Record<string, string> },
): Promise<WebhookEndpoint> {
  const secret = generateWebhookSecret();
  const ep: WebhookEndpoint = {
    id: newId('webhook_endpoint'),
    object: 'webhook_endpoint',
    url: input.url,
    enabled_events: input.enabled_events,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    status: 'enabled',
    created_at: ctx.now().toISOString(),
  };
  await ctx.db.transaction(async (tx) => {
    if (ctx.db.kind === 'postgres') await tx.rows(sql`SELECT pg_advisory_xact_lock(4242002)`);
    await assertSingleRealtime(tx, ep);
    await tx.rows(sql`INSERT INTO webhook_endpoints (id, status, created_at, secret_encrypted, data)
      VALUES (${ep.id}, ${ep.status}, ${ep.created_at}::timestamptz, ${ctx.cipher.encrypt(secret)}, ${JSON.stringify(ep)}::jsonb)`);
  });
  return { ...ep, secret };
}

export async function updateEndpoint(
  ctx: Context,
  id: string,
  input: {
    url?: string;
    enabled_events?: string[];
    status?: 'enabled' | 'disabled';
    description?: string | null;
    metadata?: Record<string, string>;
  },
): Promise<WebhookEndpoint> {
  return ctx.db.transaction(async (tx) => {
    if (ctx.db.kind === 'postgres') await tx.rows(sql`SELECT pg_advisory_xact_lock(4242002)`);
    const row = await getEndpointRow(tx, id, ctx.now(), true);
    const ep: WebhookEndpoint = { ...row.data };
    if (input.url !== undefined) ep.url = input.url;
    if (input.enabled_events !== undefined) ep.enabled_events = input.enabled_events;
    if (input.description !== undefined) ep.description = input.description;
    if (input.metadata !== undefined) ep.metadata = input.metadata;
    if (input.status !== undefined) ep.status = input.status;
    await assertSingleRealtime(tx, ep);
    await tx.rows(
      sql`UPDATE webhook_endpoints SET status = ${ep.status}, data = ${JSON.stringify(ep)}::jsonb WHERE id = ${id}`,
    );
    return ep;
  });
}

/** Deletes the endpoint with its outbox rows and delivery history. */
export async function deleteEndpoint(ctx: Context, id: string) {
  const rows = await ctx.db.rows(sql`DELETE FROM webhook_endpoints WHERE id = ${id} RETURNING id`);
  if (rows.length === 0) throw notFound('webhook_endpoint', id);
  return { id, object: 'webhook_endpoint' as const, deleted: true as const };
}

/**
 * Replaces the signing secret. The previous one stays valid for `expires_in_seconds` (default 24 h):
 * deliveries in that window carry signatures by both.
 */
export async function rotateEndpointSecret(ctx: Context, id: string, input: { expires_in_seconds?: number }) {
  const seconds = input.expires_in_seconds ?? 86_400;
  const now = ctx.now();
  const secret = generateWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    const row = await getEndpointRow(tx, id, now, true);
    const expires = seconds > 0 ? new Date(now.getTime() + seconds * 1000).toISOString() : null;
    await tx.rows(sql`UPDATE webhook_endpoints SET secret_encrypted = ${ctx.cipher.encrypt(secret)},
        previous_secret_encrypted = ${expires ? row.secret_encrypted : null},
        previous_secret_expires_at = ${expires}::timestamptz WHERE id = ${id}`);
    return { ...row.data, secret };
  });
}

/** Current signing secrets of an endpoint (new first; the previous one while its overlap lasts). */
export function endpointSecrets(ctx: Context, row: EndpointRow): string[] {
  const secrets = [ctx.cipher.decrypt(row.secret_encrypted)];
  if (row.previous_secret_encrypted && row.previous_valid)
    secrets.push(ctx.cipher.decrypt(row.previous_secret_encrypted));
  return secrets;
}

export function listEndpoints(ctx: Context, params: ListParams) {
  return listRows<WebhookEndpoint>(ctx.db, 'webhook_endpoints', params);
}

/** Every delivery attempt to an endpoint, newest first. */
export async function listDeliveries(
  ctx: Context,
  id: string,
  params: ListParams & { status?: string; event?: string },
) {
  await getEndpointRow(ctx.db, id, ctx.now());
  const where = [sql`endpoint_id = ${id}`];
  if (params.status) where.push(sql`status = ${params.status}`);
  if (params.event) where.push(sql`event_id = ${params.event}`);
  return listRows(ctx.db, 'webhook_deliveries', params, where);
}
