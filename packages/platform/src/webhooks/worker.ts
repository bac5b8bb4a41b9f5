import { sql } from 'drizzle-orm';
import type { Context } from '../context';
import { newId } from '../lib/ids';
import { cancelExpiredCards } from '../services/cards';
import { IDEMPOTENCY_PURGE_EVERY_MS, purgeExpiredIdempotencyKeys } from '../services/idempotency-retention';
import { type EndpointRow, endpointSecrets, getEndpointRow } from './endpoints';
import { webhookHeaders } from './signature';

/**
 * Delays (ms) before retry 1, 2, …: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — then given up
 * (nine attempts in all), as the spec's introduction documents.
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

export interface WorkerOptions {
  retryScheduleMs?: readonly number[];
  /** Poll interval for due retries and deliveries enqueued by other processes. @default 1000 */
  pollIntervalMs?: number;
  /** Per-attempt HTTP timeout. @default 15000 */
  attemptTimeoutMs?: number;
  /** Deliveries claimed per batch. @default 20 */
  batchSize?: number;
  /** Also run on every poll (e.g. reloading settings another process changed). */
  onPoll?: () => Promise<void>;
}

interface Claimed {
  id: string;
  endpoint_id: string;
  event_id: string;
  event: unknown;
  attempt_count: number;
}

/**
 * The outbox delivery worker: claims due rows with a lease (`FOR UPDATE SKIP LOCKED`, so several
 * processes can share one outbox), POSTs each signed event, records the attempt as a
 * webhook_delivery and schedules the retry. 2xx = succeeded; 410 disables the endpoint; anything
 * else retries. The outbox lives in the database, so deliveries survive a restart (at least once).
 * Each poll also cancels cards whose `expires_at` has passed.
 */
export class DeliveryWorker {
  readonly #ctx: Context;
  readonly #schedule: readonly number[];
  readonly #poll: number;
  #lastIdempotencyPurge = 0;
  readonly #timeout: number;
  readonly #batch: number;
  readonly #onPoll: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #lastMaintenance = 0;
  /** Whether any endpoint is enabled (refreshed every poll); kicks are ignored while there is none. */
  #hasEndpoints = true;
  readonly #inflight = new Set<AbortController>();

  constructor(ctx: Context, options: WorkerOptions = {}) {
    this.#ctx = ctx;
    this.#schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.#poll = options.pollIntervalMs ?? 1000;
    this.#timeout = options.attemptTimeoutMs ?? 15_000;
    this.#batch = options.batchSize ?? 20;
    this.#onPoll = options.onPoll;
  }

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** An endpoint was created or enabled here: deliver on the next kick without waiting for a poll. */
  endpointsChanged(): void {
    this.#hasEndpoints = true;
  }

  /**
   * Runs a delivery pass now (coalesced with one already running). Ignored while no endpoint is
   * enabled, so a busy program without webhooks costs nothing; the next poll still looks.
   */
  kick(): void {
    if (this.#stopped) return;
    if (!this.#hasEndpoints && Date.now() - this.#lastMaintenance < this.#poll) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.kick();
      } else {
        this.#timer = setTimeout(() => this.kick(), this.#poll);
        this.#timer.unref?.();
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const c of this.#inflight) c.abort();
    await this.#running?.catch(() => {});
  }

  async #loop(): Promise<void> {
    try {
      if (Date.now() - this.#lastMaintenance >= this.#poll) {
        this.#lastMaintenance = Date.now();
        await this.#onPoll?.();
        await cancelExpiredCards(this.#ctx);
        if (Date.now() - this.#lastIdempotencyPurge >= IDEMPOTENCY_PURGE_EVERY_MS) {
          this.#lastIdempotencyPurge = Date.now();
          await purgeExpiredIdempotencyKeys(this.#ctx.db);
        }
        const rows = await this.#ctx.db.rows<{ any: boolean }>(
          sql`SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE status = 'enabled') AS any`,
        );
        this.#hasEndpoints = rows[0]?.any === true;
      }
      if (!this.#hasEndpoints) return;
      for (;;) {
        if (this.#stopped) return;
        const claimed = await this.#claim();
        if (claimed.length === 0) return;
        await Promise.all(claimed.map((d) => this.#deliver(d)));
      }
    } catch {
      // The database is closing or unreachable; the next poll retries.
    }
  }

  #claim(): Promise<Claimed[]> {
    const now = this.#ctx.now().toISOString();
    const lease = new Date(this.#ctx.now().getTime() + this.#timeout + 10_000).toISOString();
    return this.#ctx.db.rows<Claimed>(sql`
      UPDATE webhook_outbox o SET locked_until = ${lease}::timestamptz
      FROM events e
      WHERE o.id IN (
        SELECT id FROM webhook_outbox
        WHERE status = 'pending' AND next_attempt_at <= ${now}::timestamptz
          AND (locked_until IS NULL OR locked_until < ${now}::timestamptz)
        ORDER BY next_attempt_at LIMIT ${this.#batch} FOR UPDATE SKIP LOCKED)
        AND e.id = o.event_id
      RETURNING o.id, o.endpoint_id, o.event_id, e.data AS event, o.attempt_count`);
  }

  async #deliver(d: Claimed): Promise<void> {
    const ctx = this.#ctx;
    const started = ctx.now();
    let endpoint: EndpointRow;
    try {
      endpoint = await getEndpointRow(ctx.db, d.endpoint_id, started);
    } catch {
      return; // deleted meanwhile; its outbox rows went with it
    }
    const body = JSON.stringify(d.event);
    const controller = new AbortController();
    this.#inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.#timeout);
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
        signal: controller.signal,
        redirect: 'manual',
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) error = `endpoint answered ${status}`;
    } catch (e) {
      if (this.#stopped) return; // interrupted by shutdown: the lease expires and it is retried
      const code = (e as { cause?: { code?: string } }).cause?.code;
      error = controller.signal.aborted
        ? `timeout after ${this.#timeout} ms`
        : code === 'ECONNREFUSED'
          ? 'connection refused'
          : (code ?? (e as Error).message).slice(0, 500);
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(controller);
    }
    const finished = ctx.now();
    const attempt = d.attempt_count + 1;
    const ok = error === null;
    const gone = status === 410;
    const delay = this.#schedule[attempt - 1];
    const next =
      ok || gone || delay === undefined ? null : new Date(finished.getTime() + delay).toISOString();
    const outboxStatus = ok ? 'succeeded' : next ? 'pending' : 'failed';
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
    const delivery = {
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
  }
}
