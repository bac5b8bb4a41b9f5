import type { Context } from '../context';
import { sql } from '../db/sql';
import { newId } from '../lib/ids';
import { type EndpointRow, endpointSecrets, getEndpointRow } from './endpoints';
import { webhookHeaders } from './signature';

/** An outbox row claimed (leased) for one attempt. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event: unknown;
  attempt_count: number;
  /** The retry already scheduled (a manual retry keeps it when it fails too). */
  next_attempt_at?: string | null;
  status?: string;
}

/** The spec's WebhookDelivery object: one recorded attempt. */
export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  event: string;
  endpoint: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: string | null;
  created_at: string;
}

export interface AttemptOptions {
  /** Per-attempt HTTP timeout (the spec: 15 s). */
  timeoutMs: number;
  /** Delays after failed attempt 1, 2, … (the spec's schedule). */
  scheduleMs: readonly number[];
  /** Aborted when the platform shuts down: the attempt is then not recorded (its lease expires). */
  shutdown?: AbortSignal;
  /**
   * A retry asked for through the API: a failure keeps the outbox row's schedule as it was
   * (pending with its next retry, or given up) instead of advancing it.
   */
  manual?: boolean;
}

/**
 * Makes one signed delivery attempt of `d` and records it: the webhook_delivery row, the outbox row's
 * next state (succeeded, the next retry of the schedule, or failed), and — on `410 Gone` — the
 * endpoint disabled. Returns the recorded attempt, or `undefined` when the endpoint was deleted
 * meanwhile or the platform is shutting down.
 *
 * @example
 * const delivery = await attemptDelivery(ctx, claimed, { timeoutMs: 15_000, scheduleMs: RETRY_SCHEDULE_MS });
 */
export async function attemptDelivery(
  ctx: Context,
  d: ClaimedDelivery,
  options: AttemptOptions,
): Promise<WebhookDelivery | undefined> {
  const started = ctx.now();
  let endpoint: EndpointRow;
  try {
    endpoint = await getEndpointRow(ctx.db, d.endpoint_id, started);
  } catch {
    return undefined; // deleted meanwhile; its outbox rows went with it
  }
  const body = JSON.stringify(d.event);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.shutdown ? AbortSignal.any([timeout, options.shutdown]) : timeout;
  let status: number | null = null;
  let error: string | null = null;
  try {
    const headers = webhookHeaders(
      endpointSecrets(ctx, endpoint),
      d.event_id,
      Math.floor(started.getTime() / 1000),
      body,
    );
    const res = await fetch(endpoint.data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'OpenIssuing-Webhooks/1.0', ...headers },
      body,
      signal,
      redirect: 'manual',
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (status < 200 || status >= 300) error = `endpoint answered ${status}`;
  } catch (e) {
    if (options.shutdown?.aborted) return undefined;
    const code = (e as { cause?: { code?: string } }).cause?.code;
    error = timeout.aborted
      ? `timeout after ${options.timeoutMs} ms`
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'connection reset'
          : (code ?? (e as Error).message).slice(0, 500);
  }
  const finished = ctx.now();
  const attempt = d.attempt_count + 1;
  const ok = error === null;
  const gone = status === 410;
  let next: string | null;
  let outboxStatus: string;
  if (ok) {
    next = null;
    outboxStatus = 'succeeded';
  } else if (options.manual) {
    next = d.status === 'pending' ? (d.next_attempt_at ?? null) : null;
    outboxStatus = gone ? 'failed' : (d.status ?? 'failed');
    if (gone) next = null;
  } else {
    const delay = options.scheduleMs[attempt - 1];
    next = gone || delay === undefined ? null : new Date(finished.getTime() + delay).toISOString();
    outboxStatus = next ? 'pending' : 'failed';
  }
  ctx.log[ok ? 'info' : 'warn'](
    {
      event: d.event_id,
      endpoint: d.endpoint_id,
      attempt,
      response_status: status,
      error,
      next_attempt_at: next,
    },
    ok ? 'webhook delivered' : 'webhook delivery failed',
  );
  const delivery: WebhookDelivery = {
    id: newId('webhook_delivery'),
    object: 'webhook_delivery',
    event: d.event_id,
    endpoint: d.endpoint_id,
    attempt,
    status: ok ? 'succeeded' : 'failed',
    response_status: status,
    error,
    duration_ms: finished.getTime() - started.getTime(),
    next_attempt_at: next,
    created_at: started.toISOString(),
  };
  await ctx.db
    .transaction(async (tx) => {
      await tx.rows(sql`UPDATE webhook_outbox SET status = ${outboxStatus}, attempt_count = ${attempt},
          next_attempt_at = ${next}::timestamptz, locked_until = NULL WHERE id = ${d.id}`);
      await tx.rows(sql`INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, created_at, data)
        SELECT ${delivery.id}, ${d.endpoint_id}, ${d.event_id}, ${delivery.status}, ${delivery.created_at}::timestamptz,
               ${JSON.stringify(delivery)}::jsonb
        WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ${d.endpoint_id})`);
      if (gone) {
        const ep = { ...endpoint.data, status: 'disabled' };
        await tx.rows(
          sql`UPDATE webhook_endpoints SET status = 'disabled', data = ${JSON.stringify(ep)}::jsonb WHERE id = ${d.endpoint_id}`,
        );
        await tx.rows(sql`UPDATE webhook_outbox SET status = 'failed', next_attempt_at = NULL
          WHERE endpoint_id = ${d.endpoint_id} AND status = 'pending'`);
      }
    })
    .catch(() => {});
  return delivery;
}
