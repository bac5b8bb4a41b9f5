import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from './clock.js';
import { previewSync, type SyncPreview } from './engine/preview.js';
import { type DelayFor, type SettledOutcomes, settleJob, settleOutcomes } from './engine/settle.js';
import {
  type ErpAdapter,
  type ErpJobStatus,
  isJobSubmitted,
  isPosting,
  type PostOutcome,
  type StillUnknown,
} from './erp.js';
import { asErpError, ErpError } from './errors.js';
import type { JournalEntry } from './journal.js';
import { MappingError, mapTransaction } from './mapping/map.js';
import type { MappingConfig } from './mapping/schema.js';
import { backoffMs, defaultRetryPolicy, type RetryPolicy } from './retry.js';
import type { TransactionSource } from './source.js';
import type { IngestItem, ItemRecord, ItemStatus, JobRecord, StateStore } from './state/store.js';
import type { PlatformTransaction } from './transaction.js';

/** Progress and outcome notifications, e.g. for progress bars or logs. Never contains secrets. */
export type SyncEvent =
  | { type: 'ingested'; count: number; cursor: string | null }
  | { type: 'posted'; count: number }
  | { type: 'found_existing'; count: number }
  | { type: 'dead'; externalRef: string; code: string; message: string }
  | { type: 'retry'; count: number; kind: ErpError['kind']; message: string; delayMs: number }
  | { type: 'job_submitted'; jobId: string; count: number }
  | { type: 'job_ended'; jobId: string; state: 'succeeded' | 'failed'; count: number };

/** How often the engine asks the ERP about a running job: `baseMs`, doubling per poll up to `maxMs`. */
export interface JobPollPolicy {
  /** @default 1000 */
  baseMs: number;
  /** @default 60000 */
  maxMs: number;
}

export interface SyncEngineOptions {
  adapter: ErpAdapter;
  store: StateStore;
  mapping: MappingConfig;
  /** Where to pull transactions from; optional when only webhooks feed the engine. */
  source?: TransactionSource;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Polling of asynchronous ERP jobs. */
  jobPoll?: Partial<JobPollPolicy>;
  /** Transactions per pull page. @default 500 */
  pageSize?: number;
  /** Batches in flight at once. @default adapter.limits.maxConcurrent */
  concurrency?: number;
  onEvent?: (event: SyncEvent) => void;
  random?: () => number;
}

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

/** The documented default for `ErpLimits.requestTimeoutMs`. */
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * The exactly-once sync engine: pulls transactions from a cursor (or takes them from webhooks),
 * maps them to journal entries, posts them in batches (or submits them as ERP jobs and follows the
 * jobs to their end), retries transient faults, records every outcome durably and, before re-posting
 * anything whose outcome is unknown, looks it up in the ERP.
 *
 * The guarantees rest on three rules: an entry is marked in doubt (and its attempt counted) just
 * before the request carrying it leaves, and is not looked up before that request's timeout has
 * passed; an in-doubt entry is looked up before any re-post; an entry held by an unfinished job is
 * never submitted again.
 *
 * @example
 * const engine = new SyncEngine({ source, adapter, store, mapping });
 * const report = await engine.run();
 * console.log(report.posted, report.deadLettered);
 */
export class SyncEngine {
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly jobPoll: JobPollPolicy;
  /** Entries claimed by this process and not yet settled. */
  private readonly inflight = new Set<string>();
  private queue: ItemRecord[] = [];
  private claimLock: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private producers = 0;
  private activeBatches = 0;
  /** Unfinished jobs (loaded from the store when a drain starts). */
  private jobs = new Map<string, JobRecord>();
  private readonly polling = new Set<string>();
  private stats = { ingested: 0, posted: 0, foundExisting: 0, deadLettered: 0, retries: 0 };

  constructor(private readonly options: SyncEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.jobPoll = { baseMs: 1000, maxMs: 60_000, ...options.jobPoll };
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
   * Takes the next batch. Claimable items are read from the store several batches at a time into a
   * local queue so the store is not queried once per batch; nothing is marked in the store until a
   * request is about to leave. Entries that must be re-submitted together (after a failed job) form a
   * batch of their own.
   */
  private async claim(limit: number, prefetch: number): Promise<ItemRecord[]> {
    const prev = this.claimLock;
    let release = () => {};
    this.claimLock = new Promise<void>((r) => {
      release = r;
    });
    await prev;
    try {
      if (this.queue.length < limit) {
        const more = await this.options.store.claimable(this.clock.now(), prefetch, this.inflight);
        for (const it of more) this.inflight.add(it.externalRef);
        this.queue.push(...more);
      }
      const key = this.queue[0]?.batchKey ?? null;
      const batch: ItemRecord[] = [];
      const rest: ItemRecord[] = [];
      for (const it of this.queue) {
        if (batch.length < limit && it.batchKey === key) batch.push(it);
        else rest.push(it);
      }
      this.queue = rest;
      return batch;
    } finally {
      release();
    }
  }

  private readonly delayFor: DelayFor = (attempt, err) => {
    if (err.kind === 'rate_limited' && err.retryAfterMs !== undefined) return err.retryAfterMs;
    return backoffMs(attempt, this.retry, this.options.random);
  };

  /** Writes a settlement and reports it. */
  private async record(settled: SettledOutcomes, jobId?: string): Promise<void> {
    const now = this.clock.now();
    if (jobId === undefined) await this.options.store.settle(settled.settlement, now);
    else await this.options.store.completeJob(jobId, settled.settlement, now);
    this.stats.posted += settled.posted;
    if (settled.posted) this.emit({ type: 'posted', count: settled.posted });
    this.stats.deadLettered += settled.dead.length;
    for (const d of settled.dead) this.emit({ type: 'dead', ...d });
    for (const r of settled.retried) {
      this.stats.retries += r.count;
      this.emit({
        type: 'retry',
        count: r.count,
        kind: r.error.kind,
        message: r.error.message,
        delayMs: r.delayMs,
      });
    }
  }

  /** One retry group for all of `items`, with `err` as the recorded error. */
  private retryAll(
    items: ItemRecord[],
    status: 'pending' | 'in_doubt',
    err: ErpError,
    message = err.message,
  ): SettledOutcomes {
    const delayMs = this.delayFor(Math.max(1, ...items.map((i) => i.attempts)), err);
    return {
      settlement: {
        retry: [
          {
            refs: items.map((i) => i.externalRef),
            status,
            at: this.clock.now() + delayMs,
            error: { ...(err.code ? { code: err.code } : {}), message },
          },
        ],
      },
      posted: 0,
      dead: [],
      retried: [{ count: items.length, error: err, delayMs }],
      fatal: null,
    };
  }

  /**
   * Settles the entries of a request that failed as a whole: a transient failure leaves them in doubt
   * (the ERP may have applied the request); rate-limited and fatal ones were refused (pending, the
   * attempt not counted); a permanent one dead-letters every entry with the ERP's message.
   */
  private failedRequest(items: ItemRecord[], err: ErpError): SettledOutcomes {
    if (err.kind === 'transient') return this.retryAll(items, 'in_doubt', err);
    return settleOutcomes(
      items,
      items.map((i) => ({ externalRef: i.externalRef, ok: false, error: err })),
      this.clock.now(),
      this.delayFor,
    );
  }

  /** Resolves in-doubt items by looking their external references up in the ERP. */
  private async resolveDoubt(items: ItemRecord[], signal?: AbortSignal): Promise<ItemRecord[]> {
    if (items.length === 0) return [];
    const now = this.clock.now();
    let found: Awaited<ReturnType<ErpAdapter['find']>>;
    try {
      found = await this.options.adapter.find(
        items.map((i) => i.externalRef),
        signal,
      );
    } catch (err) {
      const e = asErpError(err);
      if (e.kind === 'fatal') throw e;
      // a failed lookup proves nothing: the entries stay in doubt and are looked up again later
      await this.record(this.retryAll(items, 'in_doubt', e, `lookup failed: ${e.message}`));
      return [];
    }
    const exists: { externalRef: string; erpId: string }[] = [];
    const unknown: ItemRecord[] = [];
    const absent: ItemRecord[] = [];
    for (const i of items) {
      const hit = found.get(i.externalRef);
      if (isPosting(hit)) exists.push({ externalRef: i.externalRef, erpId: hit.erpId });
      else if (hit) unknown.push(i);
      else absent.push(i);
    }
    await this.options.store.settle({ posted: exists }, now);
    if (unknown.length > 0) {
      const hit = found.get((unknown[0] as ItemRecord).externalRef) as StillUnknown;
      const e = new ErpError(`the ERP cannot tell yet: ${hit.reason}`, {
        kind: 'transient',
        code: 'still_unknown',
      });
      await this.record(this.retryAll(unknown, 'in_doubt', e));
    }
    this.stats.foundExisting += exists.length;
    if (exists.length) this.emit({ type: 'found_existing', count: exists.length });
    return absent;
  }

  private async processBatch(batch: ItemRecord[], signal?: AbortSignal): Promise<void> {
    const { adapter, store } = this.options;
    // only entries that were in doubt may exist in the ERP, so only they are looked up
    const doubt = batch.filter((i) => i.status === 'in_doubt');
    let toPost = batch.filter((i) => i.status !== 'in_doubt');
    toPost = toPost.concat(await this.resolveDoubt(doubt, signal));
    if (toPost.length === 0) return;

    const exhausted = toPost
      .filter((i) => i.attempts >= this.retry.maxAttempts)
      .map((i) => ({
        externalRef: i.externalRef,
        code: i.errorCode ?? 'retries_exhausted',
        message: `gave up after ${i.attempts} attempts; last error: ${i.errorMessage ?? 'unknown'}`,
      }));
    if (exhausted.length > 0) {
      await this.record({
        settlement: { dead: exhausted },
        posted: 0,
        dead: exhausted,
        retried: [],
        fatal: null,
      });
    }
    toPost = toPost.filter((i) => i.attempts < this.retry.maxAttempts && i.entry);
    if (toPost.length === 0) return;
    const entries = toPost.map((i) => i.entry as JournalEntry);

    if (adapter.prepare) {
      try {
        await adapter.prepare(entries, signal);
      } catch (err) {
        // nothing was sent yet: the entries are pending (or dead, for a permanent fault)
        const e = asErpError(err);
        if (e.kind === 'fatal') throw e;
        await this.record(
          e.kind === 'permanent'
            ? settleOutcomes(
                toPost,
                toPost.map((i) => ({ externalRef: i.externalRef, ok: false, error: e })),
                this.clock.now(),
                this.delayFor,
              )
            : this.retryAll(toPost, 'pending', e),
        );
        return;
      }
    }

    // the request is about to leave: mark its entries in doubt, count the attempt, and hold them
    // until the ERP's request timeout so no successor can look them up while it may still be applied
    const sentAt = this.clock.now();
    const refs = toPost.map((i) => i.externalRef);
    await store.markInDoubt(
      refs,
      sentAt,
      sentAt + (adapter.limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    );
    const sent = toPost.map((i) => ({ ...i, status: 'in_doubt' as const, attempts: i.attempts + 1 }));
    let result: Awaited<ReturnType<ErpAdapter['post']>>;
    try {
      result = await adapter.post(entries, signal, { submissionId: randomUUID() });
    } catch (err) {
      const settled = this.failedRequest(sent, asErpError(err));
      await this.record(settled);
      if (settled.fatal) throw settled.fatal;
      return;
    }
    if (isJobSubmitted(result)) {
      const now = this.clock.now();
      const record: JobRecord = {
        job: result.submitted,
        externalRefs: refs,
        submittedAt: now,
        nextPollAt: now + this.jobPoll.baseMs,
        polls: 0,
      };
      await store.recordJob(record.job, refs, now, record.nextPollAt);
      this.jobs.set(record.job.id, record);
      this.emit({ type: 'job_submitted', jobId: record.job.id, count: refs.length });
      return;
    }
    const settled = settleOutcomes(sent, result, this.clock.now(), this.delayFor);
    await this.record(settled);
    if (settled.fatal) throw settled.fatal;
  }

  /** When to ask about a running job again: after the wait the ERP asked for, else base·2ⁿ⁺¹ up to the cap. */
  private pollDelay(polls: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return retryAfterMs;
    return Math.min(this.jobPoll.maxMs, this.jobPoll.baseMs * 2 ** Math.min(30, polls + 1));
  }

  /** Asks the ERP about one due job; settles it when it has ended. Returns false when none was due. */
  private async pollDueJob(signal?: AbortSignal): Promise<boolean> {
    const jobs = this.options.adapter.jobs;
    if (!jobs) return false;
    const now = this.clock.now();
    const due = [...this.jobs.values()].find((j) => j.nextPollAt <= now && !this.polling.has(j.job.id));
    if (!due) return false;
    this.polling.add(due.job.id);
    try {
      let status: ErpJobStatus;
      let outcomes: PostOutcome[] = [];
      try {
        status = await jobs.status(due.job, signal);
        if (status.state !== 'running') outcomes = await jobs.outcomes(due.job, status, signal);
      } catch (err) {
        const e = asErpError(err);
        if (e.kind === 'fatal') throw e;
        status = { state: 'running' }; // could not tell: ask again later
      }
      if (status.state === 'running') {
        due.nextPollAt = this.clock.now() + this.pollDelay(due.polls, status.retryAfterMs);
        due.polls++;
        await this.options.store.deferJob(due.job.id, due.nextPollAt);
        return true;
      }
      const items = (await this.options.store.get(due.externalRefs)).filter((i) => i.jobId === due.job.id);
      const settled = settleJob(due.job.id, items, status, outcomes, this.clock.now(), this.delayFor);
      await this.record(settled, due.job.id);
      this.jobs.delete(due.job.id);
      this.emit({ type: 'job_ended', jobId: due.job.id, state: status.state, count: items.length });
      if (settled.fatal) throw settled.fatal;
      return true;
    } finally {
      this.polling.delete(due.job.id);
    }
  }

  /** Whether nothing is being pulled, posted or polled: no work can appear but from the store. */
  private quiet(): boolean {
    return this.activeBatches === 0 && this.producers === 0 && this.polling.size === 0;
  }

  /** Earliest time a job is due for a poll, or null when none is open. */
  private nextJobPollAt(): number | null {
    let at: number | null = null;
    for (const j of this.jobs.values())
      if (!this.polling.has(j.job.id)) at = Math.min(at ?? j.nextPollAt, j.nextPollAt);
    return at;
  }

  /**
   * Posts everything pending and follows every open job until nothing is left to do (or only dead
   * letters remain). Jobs recorded by an earlier (possibly killed) process are resumed.
   */
  async drain(signal?: AbortSignal): Promise<void> {
    const { adapter, store } = this.options;
    const concurrency = Math.max(1, this.options.concurrency ?? adapter.limits.maxConcurrent);
    const batchSize = Math.max(1, adapter.limits.maxBatchSize);
    if (adapter.jobs) this.jobs = new Map((await store.openJobs()).map((j) => [j.job.id, j]));
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (failure) return;
        signal?.throwIfAborted();
        let batch: ItemRecord[] = [];
        // read before the store is asked: a pull or batch that ends while the questions below are in
        // flight has written its work by then, but the answers (on a pool, PostgreSQL) may predate it
        const quietBefore = this.quiet();
        try {
          if (await this.pollDueJob(signal)) continue;
          // jobs open, and batches on their way to becoming jobs, count against the concurrency
          const canSubmit = !adapter.jobs || this.jobs.size + this.activeBatches < concurrency;
          if (canSubmit) batch = await this.claim(batchSize, batchSize * concurrency);
          if (batch.length === 0) {
            const wakeAt = canSubmit ? await store.nextWakeAt(this.inflight) : null;
            const jobAt = this.nextJobPollAt();
            if (wakeAt === null && this.jobs.size === 0 && this.quiet()) {
              // something ended while the store was asked: ask again, its writes are in now
              if (!quietBefore) continue;
              this.wake();
              return;
            }
            const next = Math.min(wakeAt ?? Number.POSITIVE_INFINITY, jobAt ?? Number.POSITIVE_INFINITY);
            const wait = Number.isFinite(next) ? Math.max(1, next - this.clock.now()) : 1000;
            await this.changed(Math.min(wait, 1000), signal);
            continue;
          }
          this.activeBatches++;
          try {
            await this.processBatch(batch, signal);
          } finally {
            this.activeBatches--;
          }
        } catch (err) {
          failure = err;
          throw err;
        } finally {
          for (const it of batch) this.inflight.delete(it.externalRef);
          this.wake();
        }
      }
    };
    const results = await Promise.allSettled(Array.from({ length: concurrency }, () => worker()));
    // a failed drain leaves claimed-but-unprocessed items; they are simply claimed again next time
    for (const it of this.queue) this.inflight.delete(it.externalRef);
    this.queue = [];
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (rejected) throw rejected.reason;
  }

  /**
   * What a run would send, without sending it: every request the adapter would make for the waiting
   * entries and the transactions after the cursor, rendered exactly (`adapter.render`). Posts nothing,
   * writes nothing to the state store and leaves the cursor where it is.
   *
   * @example
   * const { requests } = await engine.preview();
   * for (const r of requests) await writeFile(join(dir, r.fileName), r.body);
   */
  async preview(signal?: AbortSignal): Promise<SyncPreview> {
    const { adapter, store, mapping, source, pageSize } = this.options;
    return previewSync({
      adapter,
      store,
      mapping,
      ...(source ? { source } : {}),
      ...(pageSize ? { pageSize } : {}),
      ...(signal ? { signal } : {}),
    });
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
