import { afterAll, describe, expect, it } from 'vitest';
import {
  ArraySource,
  assertBalanced,
  type Clock,
  type JournalEntry,
  JournalError,
  MemoryErp,
  mapTransaction,
  type PlatformTransaction,
  SyncEngine,
  type TransactionSource,
} from '../src/index.js';
import { at, closeStores, fast, makeTransactions, mapping, memoryStore, syncFixture } from './helpers.js';

afterAll(closeStores);

describe('pulling and draining', () => {
  it('pulls every page, and run() returns only once everything pulled is posted', async () => {
    const txs = makeTransactions(53, 31);
    const inner = new ArraySource(txs);
    const pages: number[] = [];
    // a slow source: the drain sees an empty queue between pages and must keep waiting for the pull
    const source: TransactionSource = {
      list: async (p) => {
        await new Promise((r) => setTimeout(r, 10));
        const page = await inner.list(p);
        pages.push(page.data.length);
        return page;
      },
    };
    const erp = new MemoryErp({ limits: { maxBatchSize: 4, maxConcurrent: 2 } });
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source,
      pageSize: 10,
      retry: fast,
    }).run();
    expect(pages).toEqual([10, 10, 10, 10, 10, 3]);
    expect(report).toMatchObject({ ingested: 53, posted: 53 });
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: 53, dead: 0 });
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
    expect(await store.getCursor()).toEqual({ createdAt: at(txs, 52).created_at, id: at(txs, 52).id });
  });
  it('posts the first page while the pull goes on: a page wakes the waiting workers, their timers do not', async () => {
    // the engine's clock never runs out: a wait ends only when the engine wakes its workers
    const standing: Clock = {
      now: () => 1_000_000,
      sleep: (_ms, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    };
    const txs = makeTransactions(12, 33);
    const inner = new ArraySource(txs);
    const erp = new MemoryErp({ limits: { maxBatchSize: 4, maxConcurrent: 2 } });
    let postsBeforeLastPage = -1;
    let held = false;
    const source: TransactionSource = {
      list: async (p) => {
        // the second page waits (up to 2 s) for a post of the first
        for (let waited = 0; p.after && !held && erp.requests.length === 0 && waited < 2000; waited += 5)
          await new Promise((r) => setTimeout(r, 5));
        held ||= p.after !== null;
        const page = await inner.list(p);
        if (!page.hasMore) postsBeforeLastPage = erp.requests.length;
        return page;
      },
    };
    const { engine } = await syncFixture({
      txs,
      adapter: erp,
      engine: { source, clock: standing, pageSize: 4 },
    });
    const report = await engine.run();
    expect(report).toMatchObject({ ingested: 12, posted: 12 });
    // how many posts precede the last page depends on the interleaving; none means no page woke a worker
    expect(postsBeforeLastPage).toBeGreaterThanOrEqual(1);
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });
});

describe('in-doubt entries of a dead process', () => {
  it('are not claimable before the timeout of the request that carried them has passed', async () => {
    const store = await memoryStore();
    const [tx] = makeTransactions(1, 32);
    const t = tx as PlatformTransaction;
    await store.ingest(
      [{ externalRef: t.id, txCreatedAt: t.created_at, entry: mapTransaction(mapping, t) }],
      null,
      1000,
    );
    expect((await store.claimable(1000, 10, new Set())).map((i) => i.status)).toEqual(['pending']);
    await store.markInDoubt([t.id], 1000, 121_000); // sent at 1 s, QuickBooks may apply it until 121 s
    expect(await store.claimable(120_999, 10, new Set())).toEqual([]);
    expect(await store.nextWakeAt(new Set())).toBe(121_000);
    const [item] = await store.claimable(121_000, 10, new Set());
    expect(item).toMatchObject({ externalRef: t.id, status: 'in_doubt', attempts: 1 });
  });

  it("the engine holds a request's entries for the ERP's requestTimeoutMs from the moment it is sent", async () => {
    const erp = new MemoryErp({ limits: { maxBatchSize: 5, maxConcurrent: 1, requestTimeoutMs: 60_000 } });
    let now = 5_000;
    const clock = { now: () => now, sleep: async () => {} };
    erp.failNextPost({ kind: 'fatal', message: 'stop here' });
    const store = await memoryStore();
    const txs = makeTransactions(5, 33);
    // a post that never answers is what a killed process leaves behind: observe the mark while it is out
    const post = erp.post.bind(erp);
    let marked: Awaited<ReturnType<typeof store.all>> = [];
    erp.post = async (entries) => {
      marked = await store.all();
      now += 10;
      return post(entries);
    };
    await expect(
      new SyncEngine({
        adapter: erp,
        store,
        mapping,
        source: new ArraySource(txs),
        clock,
        retry: fast,
      }).run(),
    ).rejects.toThrow('stop here');
    expect(marked.map((i) => [i.status, i.attempts, i.nextAttemptAt])).toEqual(
      Array(5).fill(['in_doubt', 1, 65_000]),
    );
  });
});

describe('assertBalanced', () => {
  const entry = (): JournalEntry =>
    mapTransaction(mapping, makeTransactions(1, 34)[0] as PlatformTransaction);
  it('accepts the entries mapping makes', () => {
    expect(() => assertBalanced(entry())).not.toThrow();
  });
  it.each([
    ['one line', (e: JournalEntry) => e.lines.splice(1), 'needs at least two lines, got 1'],
    [
      'a zero amount',
      (e: JournalEntry) => Object.assign(e.lines[0] as object, { amount: 0 }),
      'lines[0].amount must be a positive integer in minor units, got 0',
    ],
    [
      'a fractional amount',
      (e: JournalEntry) => Object.assign(e.lines[1] as object, { amount: 1.5 }),
      'lines[1].amount must be a positive integer in minor units, got 1.5',
    ],
    [
      'an empty account',
      (e: JournalEntry) => Object.assign(e.lines[1] as object, { account: '' }),
      'lines[1].account is empty — map it to a GL account',
    ],
    [
      'unequal sides',
      (e: JournalEntry) => Object.assign(e.lines[0] as object, { amount: (e.lines[0]?.amount ?? 0) + 1 }),
      'do not equal credits',
    ],
  ])('rejects %s, naming the line', (_, spoil, message) => {
    const e = entry();
    spoil(e);
    expect(() => assertBalanced(e)).toThrow(JournalError);
    expect(() => assertBalanced(e)).toThrow(message);
  });
  it('mapTransaction refuses to make an unbalanced or unnamed entry', () => {
    const tx = makeTransactions(1, 35)[0] as PlatformTransaction;
    expect(() => mapTransaction({ ...mapping, liabilityAccount: '' }, tx)).toThrow(
      `entry ${tx.id}: lines[1].account is empty — map it to a GL account`,
    );
  });
});
