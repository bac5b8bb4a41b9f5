import { afterAll, describe, expect, it } from 'vitest';
import {
  ArraySource,
  type Clock,
  type ErpAdapter,
  ErpError,
  type ErpJob,
  type ErpJobStatus,
  JournalError,
  MappingError,
  MemoryErp,
  type MemoryErpOptions,
  mapTransaction,
  type PlatformTransaction,
  type PostOutcome,
  SyncEngine,
  type TransactionSource,
} from '../src/index.js';
import { JobErpAdapter } from './fixtures/job-adapter.ts';
import { JobLedger } from './fixtures/job-ledger.ts';
import {
  at,
  closeStores,
  events,
  fast,
  makeTransactions,
  mapping,
  memoryStore,
  syncFixture,
  thrown,
  virtualClock,
} from './helpers.js';

afterAll(closeStores);

// The engine's paths one at a time, on a virtual clock where the timing is part of the behaviour
// (backoff per attempt, Retry-After, request timeouts, job polls): what each run sends, records and
// reports, exactly.

const erpWith = (o: MemoryErpOptions = {}) =>
  new MemoryErp({ limits: { maxBatchSize: 5, maxConcurrent: 1 }, ...o });

/** Records the virtual time and the submission id of every `post` the ERP receives. */
function timePosts(erp: MemoryErp, clock: Clock) {
  const post = erp.post.bind(erp);
  const sent: Array<{ at: number; refs: string[]; submissionId: string | undefined }> = [];
  erp.post = async (entries, signal, context) => {
    sent.push({
      at: clock.now(),
      refs: entries.map((e) => e.externalRef),
      submissionId: context?.submissionId,
    });
    return post(entries, signal, context);
  };
  return sent;
}

const retries = (list: ReturnType<typeof events>['list']) =>
  list.flatMap((e) => (e.type === 'retry' ? [[e.kind, e.delayMs, e.message]] : []));

describe('pulling', () => {
  it('a failing pull fails the run with the source’s error, after what it pulled before is posted', async () => {
    const txs = makeTransactions(6, 40);
    const inner = new ArraySource(txs);
    const limits: number[] = [];
    const source: TransactionSource = {
      list: async (p) => {
        limits.push(p.limit);
        if (limits.length === 2) throw new Error('platform unavailable (503)');
        return inner.list(p);
      },
    };
    const { store, erp, engine } = await syncFixture({ adapter: erpWith(), engine: { source, pageSize: 3 } });
    await expect(engine.run()).rejects.toThrow('platform unavailable (503)');
    expect(limits).toEqual([3, 3]);
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 3, dead: 0 });
    for (const t of txs)
      expect(erp.count(t.id)).toBe(t === at(txs, 0) || t === at(txs, 1) || t === at(txs, 2) ? 1 : 0);
  });

  it('asks for pages of 500 by default, from the last page’s cursor, and stops at an empty page', async () => {
    const txs = makeTransactions(3, 41);
    const last = at(txs, 2);
    const calls: Array<[string | null, number]> = [];
    const source: TransactionSource = {
      list: async ({ after, limit }) => {
        calls.push([after?.id ?? null, limit]);
        if (calls.length > 2) throw new Error('asked for another page after an empty one');
        // a source that says "more" with an empty page must not be asked forever
        return {
          data: calls.length === 1 ? txs : [],
          nextCursor: { createdAt: last.created_at, id: last.id },
          hasMore: true,
        };
      },
    };
    const { store, ev, engine } = await syncFixture({ adapter: erpWith(), engine: { source } });
    const report = await engine.run();
    expect(calls).toEqual([
      [null, 500],
      [last.id, 500],
    ]);
    expect(ev.list.filter((e) => e.type === 'ingested')).toEqual([
      { type: 'ingested', count: 3, cursor: last.id },
      { type: 'ingested', count: 0, cursor: last.id },
    ]);
    expect(report).toMatchObject({ ingested: 3, posted: 3 });
    expect(await store.getCursor()).toEqual({ createdAt: last.created_at, id: last.id });
  });

  it('an aborted run neither pulls nor posts', async () => {
    const txs = makeTransactions(3, 42);
    let pulls = 0;
    const inner = new ArraySource(txs);
    const source: TransactionSource = {
      list: (p) => {
        pulls++;
        return inner.list(p);
      },
    };
    const { store, erp, engine } = await syncFixture({ adapter: erpWith(), engine: { source } });
    const abort = new AbortController();
    abort.abort(new Error('stopped by the user'));
    await expect(engine.run(abort.signal)).rejects.toThrow('stopped by the user');
    expect([pulls, erp.requests.length]).toEqual([0, 0]);
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 0, dead: 0 });
  });

  it('a webhook delivered during a run counts in its report', async () => {
    const txs = makeTransactions(4, 43);
    const pushed = at(txs, 3);
    const inner = new ArraySource(txs.slice(0, 3));
    const store = await memoryStore();
    const erp = erpWith();
    let engine: SyncEngine | null = null;
    const source: TransactionSource = {
      list: async (p) => {
        if (engine && !p.after) expect(await engine.ingest([pushed])).toBe(1);
        return inner.list(p);
      },
    };
    engine = new SyncEngine({ adapter: erp, store, mapping, source, retry: fast });
    const report = await engine.run();
    expect(report).toMatchObject({ ingested: 4, posted: 4 });
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });
});

describe('unmappable transactions', () => {
  it('are dead letters with the mapping’s message, reported once: not again when the pull brings them back', async () => {
    const [good, raw] = makeTransactions(2, 44) as [PlatformTransaction, PlatformTransaction];
    const bad = { ...raw, amount: 0 };
    const message = thrown(() => mapTransaction(mapping, bad), MappingError).message;
    const { store, ev, engine } = await syncFixture({ txs: [bad], adapter: erpWith() });
    // a webhook brings both first; the pull then brings the bad one again, which is nothing new
    expect(await engine.ingest([good, bad])).toBe(2);
    const report = await engine.run();
    expect(report).toMatchObject({ ingested: 0, posted: 1, deadLettered: 0 });
    // (the post of the good one may come before or after the pull's page: they run side by side)
    expect(ev.list.filter((e) => e.type !== 'posted')).toEqual([
      { type: 'dead', externalRef: bad.id, code: 'mapping_failed', message },
      { type: 'ingested', count: 2, cursor: null },
      { type: 'ingested', count: 0, cursor: bad.id },
    ]);
    expect(ev.list.filter((e) => e.type === 'posted')).toEqual([{ type: 'posted', count: 1 }]);
    expect(await store.deadLetters()).toEqual([
      expect.objectContaining({
        externalRef: bad.id,
        txCreatedAt: bad.created_at,
        errorCode: 'mapping_failed',
        errorMessage: message,
      }),
    ]);
  });

  it('one that comes without created_at (a malformed webhook) is a dead letter with an empty txCreatedAt', async () => {
    const [raw] = makeTransactions(1, 47) as [PlatformTransaction];
    const bad = { ...raw, amount: 0, created_at: undefined } as unknown as PlatformTransaction;
    const message = thrown(() => mapTransaction(mapping, bad), MappingError).message;
    const { store, engine } = await syncFixture({ txs: [], adapter: erpWith() });
    expect(await engine.ingest([bad])).toBe(1);
    expect(
      (await store.deadLetters()).map((d) => [d.externalRef, d.txCreatedAt, d.errorCode, d.errorMessage]),
    ).toEqual([[bad.id, '', 'mapping_failed', message]]);
  });

  it('a journal rule the mapping breaks is a dead letter with the journal’s message', async () => {
    const [tx] = makeTransactions(1, 45) as [PlatformTransaction];
    const broken = { ...mapping, liabilityAccount: '' };
    const message = thrown(() => mapTransaction(broken, tx), JournalError).message;
    const { erp, ev, engine } = await syncFixture({
      txs: [tx],
      adapter: erpWith(),
      engine: { mapping: broken },
    });
    const report = await engine.run();
    expect(report).toMatchObject({ ingested: 1, posted: 0 });
    expect(ev.list[0]).toEqual({ type: 'dead', externalRef: tx.id, code: 'mapping_failed', message });
    expect(message).toBe(`entry ${tx.id}: lines[1].account is empty — map it to a GL account`);
    expect(erp.requests).toEqual([]);
  });
});

describe('backoff, Retry-After and the attempts limit', () => {
  /** An engine on a virtual clock over 5 transactions; the ERP answers as `post` says. */
  async function timed(
    post: (call: number, real: () => Promise<PostOutcome[]>) => Promise<PostOutcome[]>,
    retry = { baseMs: 400, maxMs: 400, maxAttempts: 5 },
  ) {
    const clock = virtualClock();
    const erp = erpWith();
    const real = erp.post.bind(erp);
    let calls = 0;
    erp.post = (entries, signal, context) => post(++calls, () => real(entries, signal, context));
    const sent = timePosts(erp, clock);
    const store = await memoryStore();
    const ev = events();
    const txs = makeTransactions(5, 46);
    const engine = new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      clock,
      retry,
      random: () => 0.5,
      onEvent: ev.onEvent,
    });
    expect(await engine.pull()).toBe(5);
    return { clock, erp, sent, store, ev, txs, engine };
  }

  it('a 429 without Retry-After waits the backoff, not an undefined delay', async () => {
    const t = await timed(async (call, real) => {
      if (call === 1) throw new ErpError('throttled', { kind: 'rate_limited', code: '429' });
      return real();
    });
    await t.engine.drain();
    expect(retries(t.ev.list)).toEqual([['rate_limited', 300, 'throttled']]);
    expect(t.sent.map((s) => s.at - (t.sent[0]?.at ?? 0))).toEqual([0, 300]);
  });

  it('a Retry-After on an error that is not a rate limit is not obeyed: the backoff applies', async () => {
    const t = await timed(async (call, real) => {
      if (call === 1) throw new ErpError('connection reset', { kind: 'transient', retryAfterMs: 60_000 });
      return real();
    });
    await t.engine.drain();
    expect(retries(t.ev.list)).toEqual([['transient', 300, 'connection reset']]);
    // in doubt after the failure: looked up (absent), then posted again once the backoff has passed
    expect(t.erp.finds).toBe(1);
    expect(t.sent.map((s) => s.at - (t.sent[0]?.at ?? 0))).toEqual([0, 300]);
    for (const x of t.txs) expect(t.erp.count(x.id)).toBe(1);
  });

  it('a rate-limited request waits exactly Retry-After', async () => {
    const t = await timed(async (call, real) => {
      if (call === 1) throw new ErpError('throttled', { kind: 'rate_limited', retryAfterMs: 2_500 });
      return real();
    });
    await t.engine.drain();
    expect(retries(t.ev.list)).toEqual([['rate_limited', 2_500, 'throttled']]);
    expect(t.sent.map((s) => s.at - (t.sent[0]?.at ?? 0))).toEqual([0, 2_500]);
    expect(t.erp.finds).toBe(0);
  });

  it('the backoff doubles per attempt of the entries, and the last one gives up with the ERP’s code', async () => {
    const t = await timed(
      async () => {
        throw new ErpError('connection reset', { kind: 'transient', code: 'ECONNRESET' });
      },
      { baseMs: 100, maxMs: 10_000, maxAttempts: 3 },
    );
    await t.engine.drain();
    // attempt n waits between half and all of 100·2ⁿ⁻¹ ms; random 0.5 → three quarters of it
    expect(retries(t.ev.list)).toEqual([
      ['transient', 75, 'connection reset'],
      ['transient', 150, 'connection reset'],
      ['transient', 300, 'connection reset'],
    ]);
    expect(t.sent.map((s) => s.at - (t.sent[0]?.at ?? 0))).toEqual([0, 75, 75 + 150]);
    // each attempt but the first was preceded by a lookup, and so was giving up
    expect(t.erp.finds).toBe(3);
    const dead = await t.store.deadLetters();
    expect(dead.map((d) => [d.attempts, d.errorCode, d.errorMessage])).toEqual(
      Array(5).fill([3, 'ECONNRESET', 'gave up after 3 attempts; last error: connection reset']),
    );
  });

  it('an entry a killed process sent on its last attempt, absent from the ERP, gives up with "unknown" as the last error', async () => {
    const clock = virtualClock();
    const erp = erpWith();
    const store = await memoryStore();
    const [tx] = makeTransactions(1, 48) as [PlatformTransaction];
    const options = { adapter: erp, store, mapping, source: new ArraySource([]), clock };
    expect(await new SyncEngine({ ...options, retry: fast }).ingest([tx])).toBe(1);
    // what the killed process wrote just before its request left: in doubt, one attempt, no error
    await store.markInDoubt([tx.id], clock.now(), clock.now() + 1000);
    await new SyncEngine({ ...options, retry: { ...fast, maxAttempts: 1 } }).drain();
    expect(erp.finds).toBe(1); // looked up once the lease ran out, absent
    expect(erp.requests).toEqual([]);
    const dead = await store.deadLetters();
    expect(dead.map((d) => [d.externalRef, d.attempts, d.errorCode, d.errorMessage])).toEqual([
      [tx.id, 1, 'retries_exhausted', 'gave up after 1 attempts; last error: unknown'],
    ]);
  });

  it('while in doubt, an entry carries the code and message of the request that failed', async () => {
    const t = await timed(async () => {
      throw new ErpError('connection reset', { kind: 'transient', code: 'ECONNRESET' });
    });
    t.erp.failNextFind({ kind: 'fatal' });
    await expect(t.engine.drain()).rejects.toThrow('injected: lookup failed (fatal)');
    for (const r of await t.store.all())
      expect(r).toMatchObject({
        status: 'in_doubt',
        attempts: 1,
        errorCode: 'ECONNRESET',
        errorMessage: 'connection reset',
        nextAttemptAt: (t.sent[0]?.at ?? 0) + 300,
      });
  });

  it('"still unknown" is stored as such, with the ERP’s reason', async () => {
    const t = await timed(async (call, real) => {
      if (call === 1) throw new ErpError('connection reset', { kind: 'transient' });
      return real();
    });
    t.erp.failNextFind({ kind: 'unknown', reason: 'held by job 7' });
    t.erp.failNextFind({ kind: 'fatal' });
    await expect(t.engine.drain()).rejects.toThrow('injected: lookup failed (fatal)');
    for (const r of await t.store.all())
      expect(r).toMatchObject({
        status: 'in_doubt',
        attempts: 1,
        errorCode: 'still_unknown',
        errorMessage: 'the ERP cannot tell yet: held by job 7',
      });
  });
});

describe('the request', () => {
  it('is held for the documented 120 s when the adapter names no request timeout', async () => {
    const clock = virtualClock();
    const erp = new MemoryErp({ limits: { maxBatchSize: 5, maxConcurrent: 1, requestTimeoutMs: undefined } });
    const store = await memoryStore();
    let held: Array<[string, number, number]> = [];
    erp.post = async () => {
      held = (await store.all()).map((i) => [i.status, i.attempts, i.nextAttemptAt - clock.now()]);
      throw new ErpError('stop here', { kind: 'fatal' });
    };
    await expect(
      new SyncEngine({
        adapter: erp,
        store,
        mapping,
        source: new ArraySource(makeTransactions(2, 47)),
        clock,
        retry: fast,
      }).run(),
    ).rejects.toThrow('stop here');
    expect(held).toEqual(Array(2).fill(['in_doubt', 1, 120_000]));
  });

  it('carries a new submission id each time it is sent', async () => {
    const clock = virtualClock();
    const erp = erpWith();
    erp.failNextPost({ kind: 'transient', applied: false });
    const sent = timePosts(erp, clock);
    const store = await memoryStore();
    await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(makeTransactions(3, 48)),
      clock,
      retry: fast,
    }).run();
    const ids = sent.map((s) => s.submissionId);
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
  });

  describe('prepare (what an adapter does before sending: look up vendors, accounts…)', () => {
    async function prepared(fail: (call: number) => ErpError | null) {
      const erp = erpWith();
      let calls = 0;
      (erp as ErpAdapter).prepare = async () => {
        const e = fail(++calls);
        if (e) throw e;
      };
      const store = await memoryStore();
      const ev = events();
      const txs = makeTransactions(3, 49);
      const engine = new SyncEngine({
        adapter: erp,
        store,
        mapping,
        source: new ArraySource(txs),
        retry: fast,
        random: () => 0.5,
        onEvent: ev.onEvent,
      });
      return { erp, store, ev, txs, engine, calls: () => calls };
    }

    it('a transient failure sends nothing and counts no attempt: the entries go again', async () => {
      const p = await prepared((n) =>
        n === 1 ? new ErpError('vendor list timed out', { kind: 'transient' }) : null,
      );
      const report = await p.engine.run();
      expect(report).toMatchObject({ posted: 3, retries: 3, foundExisting: 0 });
      expect([p.calls(), p.erp.requests.length, p.erp.finds]).toEqual([2, 1, 0]);
      expect(retries(p.ev.list)).toEqual([['transient', 1, 'vendor list timed out']]);
      for (const r of await p.store.all()) expect(r).toMatchObject({ status: 'posted', attempts: 1 });
    });

    it('a permanent failure dead-letters the entries with its message, nothing sent', async () => {
      const p = await prepared(
        () => new ErpError('Vendor "Figma" is inactive', { kind: 'permanent', code: '610' }),
      );
      const report = await p.engine.run();
      expect(report).toMatchObject({ posted: 0, deadLettered: 3, retries: 0 });
      expect(p.erp.requests).toEqual([]);
      expect((await p.store.deadLetters()).map((d) => [d.errorCode, d.errorMessage, d.attempts])).toEqual(
        Array(3).fill(['610', 'Vendor "Figma" is inactive', 0]),
      );
    });

    it('a fatal failure stops the run, nothing sent, the entries pending', async () => {
      const p = await prepared(() => new ErpError('invalid_grant', { kind: 'fatal' }));
      await expect(p.engine.run()).rejects.toThrow(/^invalid_grant$/);
      expect(p.erp.requests).toEqual([]);
      expect((await p.store.all()).map((r) => [r.status, r.attempts])).toEqual(Array(3).fill(['pending', 0]));
    });
  });
});

/**
 * Resolves (on real time, up to 2 s) once the entries of a failed request, named by `failed()` when it
 * has failed, are pending again — its failure is recorded — and 20 ms more for the worker to see it.
 */
async function failureRecorded(store: Awaited<ReturnType<typeof memoryStore>>, failed: () => string[]) {
  for (let i = 0; i < 400; i++) {
    const refs = failed();
    if (refs.length > 0 && (await store.get(refs)).every((r) => r.status === 'pending')) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 20));
}

describe('batches in flight', () => {
  /** The first `expected` posts wait (up to 6 s: a busy machine) until all of them are out, so the peak shows. */
  async function peak(
    limits: { maxBatchSize: number; maxConcurrent: number },
    concurrency?: number,
    expected = 1,
  ) {
    const erp = new MemoryErp({ limits });
    const post = erp.post.bind(erp);
    let active = 0;
    let started = 0;
    let most = 0;
    erp.post = async (entries, signal, context) => {
      active++;
      most = Math.max(most, active);
      if (++started <= expected)
        for (let i = 0; i < 1200 && started < expected; i++) await new Promise((r) => setTimeout(r, 5));
      try {
        return await post(entries, signal, context);
      } finally {
        active--;
      }
    };
    const store = await memoryStore();
    const txs = makeTransactions(12, 50);
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
      ...(concurrency === undefined ? {} : { concurrency }),
    }).run();
    expect(report.posted).toBe(12);
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
    return { most, sizes: erp.requests.map((r) => r.length) };
  }

  it('as many as the ERP allows at once (maxConcurrent), or as the concurrency option says', async () => {
    expect(await peak({ maxBatchSize: 2, maxConcurrent: 3 }, undefined, 3)).toEqual({
      most: 3,
      sizes: Array(6).fill(2),
    });
    expect((await peak({ maxBatchSize: 2, maxConcurrent: 3 }, 2, 2)).most).toBe(2);
  });

  it('after one batch fails fatally, the other workers stop once the batch they are on is done', async () => {
    const erp = new MemoryErp({ limits: { maxBatchSize: 2, maxConcurrent: 2 } });
    const store = await memoryStore();
    const post = erp.post.bind(erp);
    let failed: string[] = [];
    let calls = 0;
    erp.post = async (entries, signal, context) => {
      calls++;
      if (failed.length === 0) {
        failed = entries.map((e) => e.externalRef);
        throw new ErpError('invalid_client', { kind: 'fatal' });
      }
      // the batch sent beside the failing one answers once the failure is recorded
      await failureRecorded(store, () => failed);
      return post(entries, signal, context);
    };
    const txs = makeTransactions(20, 54);
    const engine = new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    });
    await engine.pull(); // both workers find a batch at once
    await expect(engine.drain()).rejects.toThrow(/^invalid_client$/);
    // the failing request and the one beside it; nothing after
    expect(calls).toBe(2);
    expect(erp.requests).toHaveLength(1);
    expect(await store.counts()).toEqual({ pending: 18, in_doubt: 0, posted: 2, dead: 0 });
    for (const ref of erp.requests[0] ?? []) expect(erp.count(ref)).toBe(1);
  });

  it('entries claimed but not sent when a drain fails are sent by the next drain of the same engine', async () => {
    const erp = new MemoryErp({ limits: { maxBatchSize: 2, maxConcurrent: 2 } });
    const store = await memoryStore();
    const post = erp.post.bind(erp);
    let calls = 0;
    let failed: string[] = [];
    let broken = true;
    erp.post = async (entries, signal, context) => {
      const call = ++calls;
      if (broken && call === 1) {
        // the first request answers only once the third has failed and its failure is recorded
        await failureRecorded(store, () => failed);
      }
      if (broken && call === 3) {
        failed = entries.map((e) => e.externalRef);
        throw new ErpError('invalid_client', { kind: 'fatal' });
      }
      return post(entries, signal, context);
    };
    const txs = makeTransactions(8, 55);
    const engine = new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    });
    await engine.pull();
    // two workers take the first 4 (prefetch 2 × 2); the one answered first claims the next 4, sends
    // 2 of them (the third request, which fails) and leaves 2 claimed in the engine's queue
    await expect(engine.drain()).rejects.toThrow(/^invalid_client$/);
    expect(calls).toBe(3);
    expect(await store.counts()).toEqual({ pending: 4, in_doubt: 0, posted: 4, dead: 0 });
    broken = false;
    await engine.drain();
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 8, dead: 0 });
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });

  it('at least one batch of at least one entry, whatever the limits say', async () => {
    const r = await peak({ maxBatchSize: 0, maxConcurrent: 0 });
    expect(r).toEqual({ most: 1, sizes: Array(12).fill(1) });
  });
});

describe('ending', () => {
  it('a run does not end before the page its pull was ingesting is posted, however the store’s answers interleave', async () => {
    // On PostgreSQL, queries run on a pool: a worker's "anything waiting?" can be answered before the
    // pull's last page lands and be read after the pull has ended. Forced here: the page is ingested
    // only once that answer (nothing waiting) is in, and the answer is handed over only after the pull ended.
    const store = await memoryStore();
    let answered = (): void => undefined;
    const queried = new Promise<void>((resolve) => {
      answered = resolve;
    });
    let landed = (): void => undefined;
    const ingested = new Promise<void>((resolve) => {
      landed = resolve;
    });
    const ingest = store.ingest.bind(store);
    store.ingest = async (...args) => {
      await queried;
      const n = await ingest(...args);
      landed();
      return n;
    };
    const nextWakeAt = store.nextWakeAt.bind(store);
    let first = true;
    store.nextWakeAt = async (exclude) => {
      const at = await nextWakeAt(exclude);
      if (first) {
        first = false;
        answered();
        await ingested;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return at;
    };
    const erp = erpWith();
    const txs = makeTransactions(5, 54);
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      clock: virtualClock(),
      retry: fast,
    }).run();
    expect(report).toMatchObject({ ingested: 5, posted: 5 });
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 5, dead: 0 });
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });
});

describe('the report', () => {
  it('times the run on the engine’s clock', async () => {
    let t = 5_000;
    // time passes only while the ERP works: 250 ms per request
    const clock: Clock = { now: () => t, sleep: () => new Promise((r) => setImmediate(r)) };
    const erp = erpWith();
    const post = erp.post.bind(erp);
    erp.post = async (entries, signal, context) => {
      t += 250;
      return post(entries, signal, context);
    };
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(makeTransactions(8, 51)),
      clock,
      retry: fast,
    }).run();
    expect(report).toMatchObject({ posted: 8, durationMs: 500 });
  });
});

describe('jobs', () => {
  /** An ERP whose posts become jobs (test/fixtures/job-ledger.ts), on a virtual clock; `status` as given. */
  async function jobsOn(
    ledger: JobLedger,
    status: (call: number, real: () => Promise<ErpJobStatus>) => Promise<ErpJobStatus>,
    { n = 4, maxBatchSize = 10, maxConcurrent = 1 } = {},
  ) {
    const clock = virtualClock();
    const adapter = new JobErpAdapter(
      {
        submit: async (e) => ledger.submit(e),
        status: async (id) => ledger.status(id),
        outcomes: async (id) => ledger.outcomes(id),
        find: async (refs) => ledger.find(refs),
        list: async (range) => ledger.list(range),
      },
      { maxBatchSize, maxConcurrent },
    );
    const realStatus = adapter.jobs.status;
    const asked: number[] = [];
    adapter.jobs.status = async (job: ErpJob) => {
      asked.push(clock.now());
      return status(asked.length, () => realStatus(job));
    };
    const post = adapter.post.bind(adapter);
    const submitted: number[] = [];
    /** Jobs still running at each submission. */
    const running: number[] = [];
    adapter.post = async (entries) => {
      submitted.push(clock.now());
      running.push([...ledger.jobs.values()].filter((job) => !job.result).length);
      return post(entries);
    };
    const store = await memoryStore();
    const txs = makeTransactions(n, 52);
    const ev = events();
    const engine = new SyncEngine({
      adapter,
      store,
      mapping,
      source: new ArraySource(txs),
      clock,
      retry: fast,
      jobPoll: { baseMs: 1000, maxMs: 5000 },
      onEvent: ev.onEvent,
    });
    await engine.pull();
    const since = () => asked.map((t) => t - (submitted[0] ?? 0));
    return { engine, store, txs, ev, since, submitted, running, asked, adapter, clock };
  }

  it('polls a running job after base·2ⁿ up to the cap, when the ERP says, and again after a failed status check', async () => {
    const ledger = new JobLedger({ pollsToFinish: 3 });
    const j = await jobsOn(ledger, async (call, real) => {
      if (call === 2) throw new ErpError('gateway timeout', { kind: 'transient' });
      const s = await real();
      return call === 3 ? { state: 'running', retryAfterMs: 2_500 } : s;
    });
    await j.engine.drain();
    // 1 s after submission; then 2 s; 4 s after the failed check; the 2.5 s the ERP asked for; 5 s (cap)
    expect(j.since()).toEqual([1_000, 3_000, 7_000, 9_500, 14_500]);
    expect(j.submitted).toHaveLength(1);
    expect(j.ev.list.filter((e) => e.type === 'job_submitted' || e.type === 'job_ended')).toEqual([
      { type: 'job_submitted', jobId: expect.any(String), count: 4 },
      { type: 'job_ended', jobId: expect.any(String), state: 'succeeded', count: 4 },
    ]);
    for (const t of j.txs) expect(ledger.count(t.id)).toBe(1);
    expect(await j.store.openJobs()).toEqual([]);
    expect(await j.store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 4, dead: 0 });
  });

  it('holds no more jobs open than the concurrency: the next upload waits for a job to end', async () => {
    const ledger = new JobLedger({ pollsToFinish: 1 });
    const j = await jobsOn(ledger, (_, real) => real(), { n: 9, maxBatchSize: 3, maxConcurrent: 2 });
    await j.engine.drain();
    expect(ledger.uploads.map((u) => u.length)).toEqual([3, 3, 3]);
    // the second goes while the first runs; the third only once one of them has ended
    expect(j.running.slice(0, 2)).toEqual([0, 1]);
    expect(Math.max(...j.running)).toBe(1);
    for (const t of j.txs) expect(ledger.count(t.id)).toBe(1);
  });

  it('asks about each due job from one worker at a time', async () => {
    const ledger = new JobLedger({ pollsToFinish: 2 });
    const j = await jobsOn(ledger, (_, real) => real(), { n: 6, maxBatchSize: 3, maxConcurrent: 2 });
    await j.engine.drain();
    // each job: running, running, then done — three questions, however many workers are free
    expect(j.asked).toHaveLength(6);
    for (const t of j.txs) expect(ledger.count(t.id)).toBe(1);
    expect(await j.store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 6, dead: 0 });
  });

  it('while one worker asks about a job, an idle worker sleeps until woken (up to 1 s), not 1 ms at a time', async () => {
    const ledger = new JobLedger({ pollsToFinish: 1 });
    /** The sleeps asked for while the first status check is in flight. */
    const during: number[] = [];
    let asking = false;
    let slept = (): void => undefined;
    const j = await jobsOn(
      ledger,
      async (call, real) => {
        if (call === 1) {
          // held until the other worker has gone to sleep: the job it sees is being asked about
          asking = true;
          await new Promise<void>((resolve) => {
            slept = resolve;
          });
          asking = false;
        }
        return real();
      },
      { n: 3, maxBatchSize: 3, maxConcurrent: 2 },
    );
    const sleep = j.clock.sleep;
    j.clock.sleep = (ms, signal) => {
      if (asking) {
        during.push(ms);
        slept();
      }
      return sleep(ms, signal);
    };
    await j.engine.drain();
    // the job being asked about is no reason to wake early: nothing else is due, so the idle worker
    // waits for the poll to end (it wakes the others) or 1 s, instead of asking the store every 1 ms
    expect(during).toEqual([1_000]);
    expect(j.asked).toHaveLength(2); // running, then succeeded
    for (const t of j.txs) expect(ledger.count(t.id)).toBe(1);
    expect(await j.store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 3, dead: 0 });
  });

  it('a fatal outcome in a finished job stops the run after recording the job’s other outcomes', async () => {
    const ledger = new JobLedger({ pollsToFinish: 0 });
    const j = await jobsOn(ledger, (_, real) => real());
    const outcomes = j.adapter.jobs.outcomes;
    const target = at(j.txs, 1).id;
    j.adapter.jobs.outcomes = async (job) =>
      (await outcomes(job)).map((o) =>
        o.externalRef === target
          ? { externalRef: target, ok: false, error: new ErpError('token revoked', { kind: 'fatal' }) }
          : o,
      );
    await expect(j.engine.drain()).rejects.toThrow(/^token revoked$/);
    expect(await j.store.openJobs()).toEqual([]);
    const records = await j.store.all();
    expect(records.map((r) => [r.externalRef, r.status])).toEqual(
      j.txs.map((t) => [t.id, t.id === target ? 'pending' : 'posted']),
    );
  });

  it('a fatal status check stops the run; the job stays recorded, its entries held', async () => {
    const ledger = new JobLedger({ pollsToFinish: 3 });
    const j = await jobsOn(ledger, async () => {
      throw new ErpError('token revoked', { kind: 'fatal' });
    });
    await expect(j.engine.drain()).rejects.toThrow(/^token revoked$/);
    expect(j.since()).toEqual([1_000]);
    const [job] = await j.store.openJobs();
    expect(job?.externalRefs).toEqual(j.txs.map((t) => t.id));
    expect((await j.store.all()).map((r) => r.status)).toEqual(Array(4).fill('in_doubt'));
  });
});

describe('stopping', () => {
  it('a stop signal ends a run that is waiting out a Retry-After at once, not when the wait is over', async () => {
    const abort = new AbortController();
    let t = 0;
    // a clock whose sleeps end only when aborted: the ERP asked for a wait longer than any test
    const clock: Clock = {
      now: () => t,
      sleep: (_ms, signal) =>
        new Promise<void>((_, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          setImmediate(() => abort.abort(new Error('stopped by the user')));
        }),
    };
    const erp = erpWith();
    erp.failNextPost({ kind: 'rate_limited', retryAfterMs: 3_600_000 });
    const store = await memoryStore();
    const engine = new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(makeTransactions(3, 53)),
      clock,
      retry: fast,
    });
    await engine.pull();
    t = 10;
    await expect(engine.drain(abort.signal)).rejects.toThrow('stopped by the user');
    expect(erp.requests).toHaveLength(1);
    expect((await store.all()).map((r) => [r.status, r.attempts, r.nextAttemptAt])).toEqual(
      Array(3).fill(['pending', 0, 10 + 3_600_000]),
    );
  });
});
