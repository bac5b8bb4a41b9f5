import { API_VERSION } from '../api-spec';
import type { Context } from '../context';
import { sql } from '../db/sql';
import type { RealtimeCall, RealtimeHook, RealtimeOutcome } from '../services/authorizations';
import { type EndpointRow, endpointSecrets } from './endpoints';
import { webhookHeaders } from './signature';

/**
 * The real-time authorization webhook: the one enabled endpoint subscribed to
 * `authorization.request` receives the event (Standard Webhooks signed) and must answer 2xx
 * `{"approved": boolean, "reason"?: string}` within the program's timeout (≤ 2 s). Sent once, never
 * retried. The endpoint lookup is cached for `cacheMs` (invalidated on endpoint changes here). In
 * the `cacheMs` after that, the cached answer still serves while ONE lookup refreshes it in the
 * background: under load the lookup waits for a pool connection behind the authorizations, and
 * every authorization that found the cache stale used to wait with it (a stall once per `cacheMs`).
 * A change made by another process is thus seen within `cacheMs` plus one lookup, at most 2 × `cacheMs`.
 */
export function realtimeHook(ctx: Context, cacheMs = 1000): RealtimeHook & { invalidate(): void } {
  let cached: { at: number; rows: EndpointRow[] } | undefined;
  // One lookup at a time, shared by every request that finds the cache stale, and dated when it
  // answers: on a busy embedded database a lookup waits its turn on the one connection, and dated
  // at its start it came back already stale, so every authorization looked it up again.
  let loading: { generation: number; rows: Promise<EndpointRow[]> } | undefined;
  let generation = 0;
  const load = () => {
    if (loading?.generation !== generation) {
      const mine = generation;
      const rows = ctx.db
        .rows<EndpointRow>(sql`SELECT data, secret_encrypted, previous_secret_encrypted,
          coalesce(previous_secret_expires_at > now(), false) AS previous_valid
        FROM webhook_endpoints WHERE status = 'enabled' AND data->'enabled_events' ? 'authorization.request'
        ORDER BY created_at LIMIT 1`)
        .then((found) => {
          if (mine === generation) cached = { at: Date.now(), rows: found };
          return found;
        })
        .finally(() => {
          if (loading?.rows === rows) loading = undefined;
        });
      loading = { generation: mine, rows };
    }
    return loading.rows;
  };
  const hook = async (): Promise<RealtimeCall | null> => {
    const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
    if (cached && age > cacheMs && age <= 2 * cacheMs) load().catch(() => {}); // refreshed meanwhile
    const rows = cached && age <= 2 * cacheMs ? cached.rows : await load();
    const endpoint = rows[0];
    if (!endpoint) return null;
    return (event, auth) => callEndpoint(ctx, endpoint, event, auth);
  };
  return Object.assign(hook, {
    invalidate() {
      generation++;
      cached = undefined;
    },
  });
}

async function callEndpoint(
  ctx: Context,
  endpoint: EndpointRow,
  event: { id: string; created_at: string },
  auth: unknown,
): Promise<RealtimeOutcome> {
  const body = JSON.stringify({
    id: event.id,
    object: 'event',
    type: 'authorization.request',
    created_at: event.created_at,
    api_version: API_VERSION,
    data: { object: auth },
  });
  const headers = webhookHeaders(
    endpointSecrets(ctx, endpoint),
    event.id,
    Math.floor(Date.now() / 1000),
    body,
  );
  const timeoutMs = ctx.program().authorization_webhook_timeout_ms;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(endpoint.data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'OpenIssuing-Webhooks/1.0', ...headers },
      body,
      signal: controller.signal,
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300)
      return { kind: 'error', detail: `endpoint answered ${res.status}` };
    let answer: { approved?: unknown; reason?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      return { kind: 'error', detail: 'the answer is not JSON' };
    }
    if (typeof answer?.approved !== 'boolean')
      return { kind: 'error', detail: 'the answer has no boolean "approved"' };
    return {
      kind: 'answered',
      approved: answer.approved,
      reason: typeof answer.reason === 'string' && answer.reason ? answer.reason.slice(0, 200) : undefined,
    };
  } catch (e) {
    if (controller.signal.aborted) return { kind: 'timeout' };
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return {
      kind: 'error',
      detail: code === 'ECONNREFUSED' ? 'connection refused' : (code ?? 'network error'),
    };
  } finally {
    clearTimeout(timer);
  }
}
