import { type Clock, systemClock } from './clock.js';
import type { ErpAdapter, PostOutcome } from './erp.js';
import { ErpError } from './errors.js';
import type { JournalEntry } from './journal.js';
import { MappingError, mapTransaction } from './mapping/map.js';
import type { MappingConfig } from './mapping/schema.js';
import { backoffMs, defaultRetryPolicy, type RetryPolicy } from './retry.js';
import type { TransactionSource } from './source.js';
import type { IngestItem, ItemRecord, ItemStatus, StateStore } from './state/store.js';
import type { PlatformTransaction } from './transaction.js';

/** Progress and outcome notifications, e.g. for progress bars or logs. Never contains secrets. */
export type SyncEvent =
  | { type: 'ingested'; count: number; cursor: string | null }
  | { type: 'posted'; count: number }
  | { type: 'found_existing'; count: number }
  | { type: 'dead'; externalRef: string; code: string; message: string }
  | { type: 'retry'; count: number; kind: ErpError['kind']; message: string; delayMs: number };

export interface SyncEngineOptions {
  adapter: ErpAdapter;
  store: StateStore;
  mapping: MappingConfig;
  /** Where to pull transactions from; optional when only webhooks feed the engine. */
  source?: TransactionSource;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Posted outcomes written to the store per group. @default 300 */
  postedFlushSize?: number;
  /** Transactions per pull page. @default 500 */
  pageSize?: number;
  /** Batches in flight at once. @default adapter.limits.maxConcurrent */
  concurrency?: number;
  onEvent?: (event: SyncEvent) => void;
  random?: () => number;
}

type Claimed = ItemRecord & { previousStatus: ItemStatus };

/** Totals of one `run()`. */
export interface SyncReport {
  ingested: number;
  posted: number;
  foundExisting: number;
  deadLettered: number;
  retries: number;
  counts: Record<ItemStatus, number>;
  durationMs: number;
}

/**
 * The exactly-once sync engine: pulls transactions from a cursor (or takes them from webhooks),
 * maps them to journal entries, posts them in batches, retries transient faults, records every
 * outcome durably and, before re-posting anything whose outcome is unknown, looks it up in the ERP.
 *
 * @example
 * const engine = new SyncEngine({ source, adapter, store, mapping });
 * const report = await engine.run();
 * console.log(report.posted, report.deadLettered);
 */
export class SyncEngine {
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly inflight = new Set<string>();
  private queue: Claimed[] = [];
  private unflushed: { externalRef: string; erpId: string }[] = [];
  private readonly unflushedRefs = new Set<string>();
  private claimLock: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private producers = 0;
  private activeBatches = 0;
  private stats = { ingested: 0, posted: 0, foundExisting: 0, deadLettered: 0, retries: 0 };

  constructor(private readonly options: SyncEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
  }

  private emit(event: SyncEvent): void {
    this.options.onEvent?.(event);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  private changed(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve();
      };
      const timer = new AbortController();
      const onAbort = () => timer.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        timer.abort();
        finish();
      });
      this.clock
        .sleep(timeoutMs, timer.signal)
        .then(finish, finish)
        .finally(() => signal?.removeEventListener('abort', onAbort));
    });
  }

  /** Maps transactions to ingest items; unmappable ones become dead letters with the reason. */
  private toItems(txs: PlatformTransaction[]): IngestItem[] {
    return txs.map((tx) => {
      try {
        return {
          externalRef: tx.id,
          txCreatedAt: tx.created_at,
          entry: mapTransaction(this.options.mapping, tx),
        };
      } catch (err) {
        const message = err instanceof MappingError || err instanceof Error ? err.message : String(err);
        return {
          externalRef: tx.id,
          txCreatedAt: tx.created_at ?? '',
          entry: null,
          dead: { code: 'mapping_failed', message },
        };
      }
    });
  }

  /**
   * Records transactions pushed by webhooks (`transaction.created`). Duplicates are ignored.
   * Returns how many were new.
   */
  async ingest(txs: PlatformTransaction[]): Promise<number> {
    const items = this.toItems(txs);
    const n = await this.options.store.ingest(items, null, this.clock.now());
    this.stats.ingested += n;
    for (const it of items) if (it.dead) this.emit({ type: 'dead', externalRef: it.externalRef, ...it.dead });
    this.emit({ type: 'ingested', count: n, cursor: null });
    this.wake();
    return n;
  }

  /** Pulls every transaction after the stored cursor from the source into the state store. */
  async pull(signal?: AbortSignal): Promise<number> {
    const source = this.options.source;
    if (!source) return 0;
    this.producers++;
    let total = 0;
    try {
      let cursor = await this.options.store.getCursor();
      for (;;) {
        signal?.throwIfAborted();
        const page = await source.list({ after: cursor, limit: this.options.pageSize ?? 500, signal });
        const items = this.toItems(page.data);
        const n = await this.options.store.ingest(items, page.nextCursor, this.clock.now());
        total += n;
        this.stats.ingested += n;
        for (const it of items)
          if (it.dead && n > 0) this.emit({ type: 'dead', externalRef: it.externalRef, ...it.dead });
        cursor = page.nextCursor;
        this.emit({ type: 'ingested', count: n, cursor: cursor ? cursor.id : null });
        this.wake();
        if (!page.hasMore || page.data.length === 0) break;
      }
    } finally {
      this.producers--;
      this.wake();
    }
    return total;
  }

  /**
   * Takes the next batch. Claims are read from the store several batches at a time into a local
   * queue (all of it counted as in flight) so the store is not queried once per batch.
   */
  private async claim(limit: number, prefetch: number): Promise<Claimed[]> {
    const prev = this.claimLock;
    let release = () => {};
    this.claimLock = new Promise<void>((r) => {
      release = r;
    });
    await prev;
    try {
      if (this.queue.length < limit) {
        const more = await this.options.store.claim(this.clock.now(), prefetch, this.inflight);
        for (const it of more) this.inflight.add(it.externalRef);
        this.queue.push(...more);
      }
      return this.queue.splice(0, limit);
    } finally {
      release();
    }
  }

  private delayFor(attempt: number, err: ErpError): number {
    if (err.kind === 'rate_limited' && err.retryAfterMs !== undefined) return err.retryAfterMs;
    return backoffMs(attempt, this.retry, this.options.random);
  }

  private async retryLater(
    items: ItemRecord[],
    status: 'pending' | 'in_doubt',
    err: ErpError,
  ): Promise<void> {
    if (items.length === 0) return;
    const attempt = Math.max(1, ...items.map((i) => i.attempts));
    const delay = this.delayFor(attempt, err);
    const now = this.clock.now();
    await this.options.store.markRetry(
      items.map((i) => i.externalRef),
      status,
      now + delay,
      { ...(err.code ? { code: err.code } : {}), message: err.message },
      now,
    );
    this.stats.retries += items.length;
    this.emit({ type: 'retry', count: items.length, kind: err.kind, message: err.message, delayMs: delay });
  }

  /**
   * Records posted outcomes. They are written in groups: losing unwritten ones in a crash only means
   * the items are still in doubt and get looked up (and found) in the ERP — never posted twice.
   */
  private async posted(items: { externalRef: string; erpId: string }[], force = false): Promise<void> {
    for (const i of items) {
      this.unflushed.push(i);
      this.unflushedRefs.add(i.externalRef);
    }
    this.stats.posted += items.length;
    if (items.length) this.emit({ type: 'posted', count: items.length });
    if (force || this.unflushed.length >= (this.options.postedFlushSize ?? 300)) await this.flushPosted();
  }

  private async flushPosted(): Promise<void> {
    if (this.unflushed.length === 0) return;
    const items = this.unflushed;
    this.unflushed = [];
    await this.options.store.markPosted(items, this.clock.now());
    for (const i of items) {
      this.unflushedRefs.delete(i.externalRef);
      this.inflight.delete(i.externalRef);
    }
  }

  private async dead(items: { externalRef: string; code: string; message: string }[]): Promise<void> {
    if (items.length === 0) return;
    await this.options.store.markDead(items, this.clock.now());
    this.stats.deadLettered += items.length;
    for (const d of items) this.emit({ type: 'dead', ...d });
  }

  private asErpError(err: unknown): ErpError {
    if (err instanceof ErpError) return err;
    return new ErpError(err instanceof Error ? err.message : String(err), { kind: 'transient', cause: err });
  }

  /** Resolves in-doubt items by looking their external references up in the ERP. */
  private async resolveDoubt(items: ItemRecord[], signal?: AbortSignal): Promise<ItemRecord[]> {
    if (items.length === 0) return [];
    let found: Map<string, { erpId: string }>;
    try {
      found = await this.options.adapter.find(
        items.map((i) => i.externalRef),
        signal,
      );
    } catch (err) {
      const e = this.asErpError(err);
      if (e.kind === 'fatal') throw e;
      await this.retryLater(items, 'in_doubt', e);
      return [];
    }
    const exists = items.filter((i) => found.has(i.externalRef));
    await this.options.store.markPosted(
      exists.map((i) => ({
        externalRef: i.externalRef,
        erpId: (found.get(i.externalRef) as { erpId: string }).erpId,
      })),
      this.clock.now(),
    );
    this.stats.foundExisting += exists.length;
    if (exists.length) this.emit({ type: 'found_existing', count: exists.length });
    return items.filter((i) => !found.has(i.externalRef));
  }

  private async processBatch(batch: Claimed[], signal?: AbortSignal): Promise<void> {
    const { adapter } = this.options;
    // everything claimed is already durably `in_doubt`; only items that were in doubt before this
    // claim may exist in the ERP, so only they are looked up
    const doubt = batch.filter((i) => i.previousStatus === 'in_doubt');
    let toPost: ItemRecord[] = batch.filter((i) => i.previousStatus !== 'in_doubt');
    toPost = toPost.concat(await this.resolveDoubt(doubt, signal));
    if (toPost.length === 0) return;

    const exhausted = toPost.filter((i) => i.attempts > this.retry.maxAttempts);
    await this.dead(
      exhausted.map((i) => ({
        externalRef: i.externalRef,
        code: i.errorCode ?? 'retries_exhausted',
        message: `gave up after ${i.attempts - 1} attempts; last error: ${i.errorMessage ?? 'unknown'}`,
      })),
    );
    toPost = toPost.filter((i) => i.attempts <= this.retry.maxAttempts && i.entry);
    if (toPost.length === 0) return;
    const entries = toPost.map((i) => i.entry as JournalEntry);

    if (adapter.prepare) {
      try {
        await adapter.prepare(entries, signal);
      } catch (err) {
        const e = this.asErpError(err);
        if (e.kind === 'fatal') throw e;
        if (e.kind === 'permanent') {
          await this.dead(
            toPost.map((i) => ({
              externalRef: i.externalRef,
              code: e.code ?? 'rejected',
              message: e.message,
            })),
          );
        } else {
          // nothing was posted yet: the items are pending again
          await this.retryLater(toPost, 'pending', e);
        }
        return;
      }
    }

    let outcomes: PostOutcome[];
    try {
      outcomes = await adapter.post(entries, signal);
    } catch (err) {
      const e = this.asErpError(err);
      if (e.kind === 'fatal') throw e;
      if (e.kind === 'permanent') {
        await this.dead(
          toPost.map((i) => ({ externalRef: i.externalRef, code: e.code ?? 'rejected', message: e.message })),
        );
      } else {
        // rate limited: the ERP applied nothing; otherwise the outcome is unknown
        await this.retryLater(toPost, e.kind === 'rate_limited' ? 'pending' : 'in_doubt', e);
      }
      return;
    }
    const byRef = new Map(toPost.map((i) => [i.externalRef, i]));
    const posted: { externalRef: string; erpId: string }[] = [];
    const dead: { externalRef: string; code: string; message: string }[] = [];
    const retry: Record<'pending' | 'in_doubt', { items: ItemRecord[]; err: ErpError | null }> = {
      pending: { items: [], err: null },
      in_doubt: { items: [], err: null },
    };
    for (const o of outcomes) {
      if (o.ok) posted.push({ externalRef: o.externalRef, erpId: o.erpId });
      else if (o.error.kind === 'permanent' || o.error.kind === 'fatal')
        dead.push({ externalRef: o.externalRef, code: o.error.code ?? 'rejected', message: o.error.message });
      else {
        const bucket = retry[o.error.kind === 'rate_limited' ? 'pending' : 'in_doubt'];
        const item = byRef.get(o.externalRef);
        if (item) bucket.items.push(item);
        bucket.err = o.error;
      }
      byRef.delete(o.externalRef);
    }
    // anything without an outcome is in doubt
    if (byRef.size > 0) {
      retry.in_doubt.items.push(...byRef.values());
      retry.in_doubt.err ??= new ErpError('the ERP returned no outcome for this entry', {
        kind: 'transient',
      });
    }
    await this.posted(posted);
    await this.dead(dead);
    for (const status of ['pending', 'in_doubt'] as const) {
      const b = retry[status];
      if (b.items.length && b.err) await this.retryLater(b.items, status, b.err);
    }
  }

  /** Posts everything pending until nothing is left to do (or only dead letters remain). */
  async drain(signal?: AbortSignal): Promise<void> {
    const concurrency = Math.max(1, this.options.concurrency ?? this.options.adapter.limits.maxConcurrent);
    const batchSize = Math.max(1, this.options.adapter.limits.maxBatchSize);
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (failure) return;
        signal?.throwIfAborted();
        const batch = await this.claim(batchSize, batchSize * concurrency);
        if (batch.length === 0) {
          await this.flushPosted();
          const wakeAt = await this.options.store.nextWakeAt(this.inflight);
          if (wakeAt === null && this.activeBatches === 0 && this.producers === 0) {
            this.wake();
            return;
          }
          const wait = wakeAt === null ? 1000 : Math.max(1, wakeAt - this.clock.now());
          await this.changed(Math.min(wait, 1000), signal);
          continue;
        }
        this.activeBatches++;
        try {
          await this.processBatch(batch, signal);
        } catch (err) {
          failure = err;
          throw err;
        } finally {
          this.activeBatches--;
          for (const it of batch)
            if (!this.unflushedRefs.has(it.externalRef)) this.inflight.delete(it.externalRef);
          this.wake();
        }
      }
    };
    const results = await Promise.allSettled(Array.from({ length: concurrency }, () => worker()));
    await this.flushPosted();
    // a failed drain leaves claimed-but-unprocessed items; they are simply claimed again next time
    for (const it of this.queue) this.inflight.delete(it.externalRef);
    this.queue = [];
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (rejected) throw rejected.reason;
  }

  /**
   * One full sync: pull everything after the cursor while posting, until nothing is left.
   * Safe to re-run at any time, including after a crash.
   */
  async run(signal?: AbortSignal): Promise<SyncReport> {
    const started = this.clock.now();
    this.stats = { ingested: 0, posted: 0, foundExisting: 0, deadLettered: 0, retries: 0 };
    await this.options.store.init();
    this.producers++; // drain must not finish before the pull has started
    const pulling = this.pull(signal).finally(() => {
      this.producers--;
      this.wake();
    });
    const draining = this.drain(signal);
    const [p, d] = await Promise.allSettled([pulling, draining]);
    if (p.status === 'rejected') throw p.reason;
    if (d.status === 'rejected') throw d.reason;
    return {
      ...this.stats,
      counts: await this.options.store.counts(),
      durationMs: this.clock.now() - started,
    };
  }
}
