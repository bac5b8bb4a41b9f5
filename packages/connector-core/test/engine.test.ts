import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArraySource,
  createWebhookConsumer,
  MemoryErp,
  openPGlite,
  type PlatformEvent,
  StateStore,
  SyncEngine,
} from '../src/index.js';
import { at, makeTransactions, mapping, must, seeded } from './helpers.js';

const fast = { baseMs: 1, maxMs: 5, maxAttempts: 50 };
const dirs: string[] = [];
const shared = openPGlite();
let n = 0;
afterAll(async () => {
  await (await shared).close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A fresh store in the file's shared in-memory PGlite (own tables per test). */
async function memoryStore() {
  const db = await shared;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: `t${++n}` });
  await store.init();
  return store;
}

describe('SyncEngine', () => {
  it('posts every transaction exactly once and records the outcomes', async () => {
    const txs = makeTransactions(120);
    const erp = new MemoryErp();
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    }).run();
    expect(report.posted).toBe(120);
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: 120, dead: 0 });
    for (const tx of txs) expect(erp.count(tx.id)).toBe(1);
    // a second run finds nothing new and posts nothing
    const again = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    }).run();
    expect(again).toMatchObject({ ingested: 0, posted: 0 });
    await store.close();
  });

  it('stays exactly-once under 10% transient faults, including responses lost after the ERP applied the entry', async () => {
    const txs = makeTransactions(300, 7);
    const erp = new MemoryErp({ transientRate: 0.1, random: seeded(42), limits: { maxBatchSize: 10 } });
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
      random: seeded(3),
      concurrency: 1, // one request at a time: the seeded faults land on the same requests every run
    }).run();
    // seeded: 5 of the 30 batch requests fail — 2 after the ERP applied them (20 entries, found by
    // lookup, not re-posted), 3 before (their 30 entries looked up, absent, posted again: 33 requests)
    expect(report.retries).toBe(50);
    expect(report.foundExisting).toBe(20);
    expect([erp.requests.length, erp.finds]).toEqual([33, 5]);
    expect(report.counts.posted).toBe(300);
    for (const tx of txs) expect(erp.count(tx.id)).toBe(1);
    await store.close();
  });

  it('dead-letters permanent rejections with the ERP message and syncs the rest', async () => {
    const txs = makeTransactions(50, 3);
    const bad = at(txs, 17).id;
    const erp = new MemoryErp({ reject: (e) => (e.externalRef === bad ? 'Account is inactive' : null) });
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    }).run();
    expect(report.counts).toMatchObject({ posted: 49, dead: 1 });
    const dead = await store.deadLetters();
    expect(dead).toEqual([
      expect.objectContaining({ externalRef: bad, errorMessage: 'Account is inactive' }),
    ]);
    expect(erp.count(bad)).toBe(0);
    // fixing the cause and requeueing posts it
    expect(await store.requeueDead([bad])).toBe(1);
    const fixed = new MemoryErp();
    await new SyncEngine({ adapter: fixed, store, mapping, retry: fast }).run();
    expect(fixed.count(bad)).toBe(1);
    await store.close();
  });

  it('dead-letters unmappable transactions without blocking others', async () => {
    const txs = makeTransactions(5, 9);
    txs[2] = { ...at(txs, 2), amount: 0 };
    const store = await memoryStore();
    const erp = new MemoryErp();
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    }).run();
    expect(report.counts).toMatchObject({ posted: 4, dead: 1 });
    expect((await store.deadLetters())[0]).toMatchObject({
      errorCode: 'mapping_failed',
      errorMessage: expect.stringMatching(/amount/),
    });
  });

  it('resumes from a persisted PGlite store: in-doubt items are looked up, not re-posted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oi-sync-'));
    dirs.push(dir);
    const txs = makeTransactions(40, 5);
    const erp = new MemoryErp();
    // first process: ingest, then "crash" after the ERP applied a batch but before recording it
    let store = new StateStore(await openPGlite(dir));
    await store.init();
    const engine = new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    });
    await engine.pull();
    const first = await store.claimable(Date.now(), 10, new Set());
    await store.markInDoubt(first.map((i) => i.externalRef));
    await erp.post(first.map((i) => must(i.entry, 'entry'))); // applied; the process dies before markPosted
    await store.close();

    store = new StateStore(await openPGlite(dir));
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
    }).run();
    expect(report.foundExisting).toBe(10);
    expect(report.posted).toBe(30);
    for (const tx of txs) expect(erp.count(tx.id)).toBe(1);
    await store.close();
  });

  it('consumes transaction.created webhooks and ignores redeliveries', async () => {
    const txs = makeTransactions(3, 11);
    const store = await memoryStore();
    const erp = new MemoryErp();
    const engine = new SyncEngine({ adapter: erp, store, mapping, retry: fast });
    const consume = createWebhookConsumer({
      engine,
      unwrap: (body) => JSON.parse(body) as PlatformEvent,
    });
    for (const tx of [...txs, at(txs, 0)]) {
      await consume(
        JSON.stringify({ id: `evt_${tx.id}`, type: 'transaction.created', data: { object: tx } }),
        {},
      );
    }
    expect(
      await consume(JSON.stringify({ id: 'evt_x', type: 'card.created', data: { object: {} } }), {}),
    ).toEqual({
      type: 'card.created',
      ingested: 0,
    });
    await engine.drain();
    expect(erp.all()).toHaveLength(3);
    await store.close();
  });
});

describe('PGlite data directory lock', () => {
  it('refuses a second live process and takes over a lock left by a dead one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oi-lock-'));
    dirs.push(dir);
    const { writeFile } = await import('node:fs/promises');
    // a live process (our parent) holds it
    await writeFile(`${dir}/state.lock`, String(process.ppid));
    await expect(openPGlite(`${dir}/state`)).rejects.toThrow(/in use by process \d+/);
    // a dead process held it (pid far beyond pid_max)
    await writeFile(`${dir}/state.lock`, '999999999');
    const db = await openPGlite(`${dir}/state`);
    await db.close();
  });
});
