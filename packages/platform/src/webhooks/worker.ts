import { openapiDocument } from '../api-spec';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { cancelExpiredCards } from '../services/cards';
import { IDEMPOTENCY_PURGE_EVERY_MS, purgeExpiredIdempotencyKeys } from '../services/idempotency-retention';
import { attemptDelivery, type ClaimedDelivery } from './attempt';

/**
 * Delays (ms) after failed attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — then the event is
 * given up for that endpoint (eight attempts in all). Read from the spec's
 * `x-webhook-retry-schedule-seconds`, which its introduction states in words: one schedule, two views.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = (
  openapiDocument['x-webhook-retry-schedule-seconds'] as number[]
).map((seconds) => seconds * 1000);

export interface WorkerOptions {
  retryScheduleMs?: readonly number[];
  /** Poll interval for due retries and deliveries enqueued by other processes. @default 1000 */
  pollIntervalMs?: number;
  /** Per-attempt HTTP timeout. @default 15000 */
  attemptTimeoutMs?: number;
  /** Attempts in flight at once to one endpoint (a hung one holds only its own slot). @default 4 */
  perEndpointConcurrency?: number;
  /** Attempts in flight at once in this process, over all endpoints. @default 64 */
  maxInFlight?: number;
  /** Also run on every poll (e.g. reloading settings another process changed). */
  onPoll?: () => Promise<void>;
}

/**
 * The outbox delivery worker: claims due rows with a lease (`FOR UPDATE SKIP LOCKED`, so several
 * processes can share one outbox), POSTs each signed event, records the attempt as a
 * webhook_delivery and schedules the retry. 2xx = succeeded; 410 disables the endpoint; anything
 * else retries. The outbox lives in the database, so deliveries survive a restart (at least once).
 *
 * Attempts run side by side: at most `perEndpointConcurrency` per endpoint and `maxInFlight` in all,
 * each bounded by the attempt timeout, and the worker claims more as soon as a slot frees — so a
 * receiver that hangs holds one slot of its own endpoint, never the others' deliveries.
 * Each poll also cancels cards whose `expires_at` has passed.
 */
export class DeliveryWorker {
  readonly #ctx: Context;
  readonly #schedule: readonly number[];
  readonly #poll: number;
  #lastIdempotencyPurge = 0;
  readonly #timeout: number;
  readonly #perEndpoint: number;
  readonly #maxInFlight: number;
  readonly #onPoll: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #lastMaintenance = 0;
  /**
   * Whether anything can be delivered: an enabled endpoint subscribed to a queued event type, or a
   * pending delivery (refreshed every poll, set on endpoint changes); kicks are ignored meanwhile.
   */
  #hasEndpoints = true;
  readonly #shutdown = new AbortController();
  /** Attempts in flight, and how many per endpoint. */
  readonly #inflight = new Set<Promise<void>>();
  readonly #perEndpointActive = new Map<string, number>();

  constructor(ctx: Context, options: WorkerOptions = {}) {
    this.#ctx = ctx;
    this.#schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.#poll = options.pollIntervalMs ?? 1000;
    this.#timeout = options.attemptTimeoutMs ?? 15_000;
    this.#perEndpoint = options.perEndpointConcurrency ?? 4;
    this.#maxInFlight = options.maxInFlight ?? 64;
    this.#onPoll = options.onPoll;
  }

  /** The per-attempt timeout and schedule, for attempts made outside the worker (manual retries). */
  get attemptOptions() {
    return { timeoutMs: this.#timeout, scheduleMs: this.#schedule, shutdown: this.#shutdown.signal };
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
    this.#shutdown.abort();
    await this.#running?.catch(() => {});
    await Promise.allSettled([...this.#inflight]);
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
          // An endpoint subscribed to `authorization.request` alone is asked synchronously and never
          // queued for: it gives the worker nothing to claim (no claim query after each authorization).
          sql`SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE status = 'enabled'
                AND data->'enabled_events' <> '["authorization.request"]'::jsonb)
            OR EXISTS (SELECT 1 FROM webhook_outbox WHERE status = 'pending') AS any`,
        );
        this.#hasEndpoints = rows[0]?.any === true;
      }
      if (!this.#hasEndpoints) return;
      for (;;) {
        if (this.#stopped) return;
        const free = this.#maxInFlight - this.#inflight.size;
        if (free <= 0) return; // a finishing attempt kicks again
        const claimed = await this.#claim(free);
        if (claimed.length === 0) return;
        for (const d of claimed) this.#start(d);
      }
    } catch {
      // The database is closing or unreachable; the next poll retries.
    }
  }

  #start(d: ClaimedDelivery): void {
    const active = this.#perEndpointActive;
    active.set(d.endpoint_id, (active.get(d.endpoint_id) ?? 0) + 1);
    const run: Promise<void> = attemptDelivery(this.#ctx, d, this.attemptOptions)
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => {
        const left = (active.get(d.endpoint_id) ?? 1) - 1;
        if (left <= 0) active.delete(d.endpoint_id);
        else active.set(d.endpoint_id, left);
        this.#inflight.delete(run);
        this.kick();
      });
    this.#inflight.add(run);
  }

  /**
   * Leases up to `limit` due rows, at most `perEndpointConcurrency` in flight per endpoint counting
   * the attempts this process already runs; endpoints already at their bound are skipped, so their
   * backlog never hides another endpoint's due rows.
   */
  #claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = this.#ctx.now().toISOString();
    const lease = new Date(this.#ctx.now().getTime() + this.#timeout + 10_000).toISOString();
    const busy = [...this.#perEndpointActive.entries()];
    const full = busy.filter(([, n]) => n >= this.#perEndpoint).map(([id]) => id);
    return this.#ctx.db.rows<ClaimedDelivery>(sql`
      WITH candidates AS (
        SELECT id, endpoint_id, next_attempt_at FROM webhook_outbox
        WHERE status = 'pending' AND next_attempt_at <= ${now}::timestamptz
          AND (locked_until IS NULL OR locked_until < ${now}::timestamptz)
          AND NOT (${JSON.stringify(full)}::jsonb ? endpoint_id)
        ORDER BY next_attempt_at LIMIT ${limit * this.#perEndpoint} FOR UPDATE SKIP LOCKED),
      busy AS (SELECT key AS endpoint_id, value::int AS active
        FROM jsonb_each_text(${JSON.stringify(Object.fromEntries(busy))}::jsonb)),
      ranked AS (
        SELECT c.id, c.next_attempt_at,
          row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at, c.id) + coalesce(b.active, 0) AS slot
        FROM candidates c LEFT JOIN busy b ON b.endpoint_id = c.endpoint_id)
      UPDATE webhook_outbox o SET locked_until = ${lease}::timestamptz
      FROM events e
      WHERE o.id IN (SELECT id FROM ranked WHERE slot <= ${this.#perEndpoint} ORDER BY next_attempt_at LIMIT ${limit})
        AND e.id = o.event_id
      RETURNING o.id, o.endpoint_id, o.event_id, e.data AS event, o.attempt_count`);
  }
}
