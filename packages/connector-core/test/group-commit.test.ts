import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGlite, type SqlDriver, StateStore } from '../src/index.js';

let shared: SqlDriver;
let stores = 0;
beforeAll(async () => {
  shared = await openPGlite();
});
afterAll(async () => {
  await shared.close();
});

/** A store with its own tables, counting the update statements it sends. */
async function countingStore(refs: string[]) {
  const updates: string[] = [];
  const count = (q: SqlDriver['query']): SqlDriver['query'] => {
    return (sql, params) => {
      if (/^\s*update/i.test(sql)) updates.push(sql);
      return q(sql, params);
    };
  };
  const driver: SqlDriver = {
    query: count(shared.query),
    exec: shared.exec,
    transaction: (fn) => shared.transaction((tx) => fn({ query: count(tx.query), exec: tx.exec })),
    close: async () => {},
  };
  const store = new StateStore(driver, { tablePrefix: `gc${++stores}` });
  await store.init();
  await store.ingest(
    refs.map((r, i) => ({ externalRef: r, txCreatedAt: `2026-11-01T00:00:0${i}Z`, entry: null })),
    null,
    1,
  );
  updates.length = 0;
  return { store, updates };
}

const state = async (store: StateStore, ref: string) => {
  const [item] = await store.get([ref]);
  return item && { status: item.status, attempts: item.attempts, erpId: item.erpId };
};

describe('group commit of the state store', () => {
  it('writes the marks and outcomes of requests handed in together in one statement', async () => {
    const { store, updates } = await countingStore(['a', 'b', 'c']);
    await store.markInDoubt(['b'], 10, 20);
    expect(updates).toHaveLength(1);
    updates.length = 0;

    const durable: string[] = [];
    await Promise.all([
      store
        .markInDoubt(['a'], 30, 40)
        .then(async () => durable.push(`a:${(await state(store, 'a'))?.status}`)),
      store
        .settle({ posted: [{ externalRef: 'b', erpId: '7' }] }, 31)
        .then(async () => durable.push(`b:${(await state(store, 'b'))?.status}`)),
      store
        .markInDoubt(['c'], 32, 42)
        .then(async () => durable.push(`c:${(await state(store, 'c'))?.status}`)),
    ]);
    expect(updates).toHaveLength(1);
    // each write had reached the database when its promise resolved
    expect(durable.sort()).toEqual(['a:in_doubt', 'b:posted', 'c:in_doubt']);
    expect(await state(store, 'a')).toEqual({ status: 'in_doubt', attempts: 1, erpId: null });
    expect(await state(store, 'b')).toEqual({ status: 'posted', attempts: 1, erpId: '7' });
    const [c] = await store.get(['c']);
    expect(c).toMatchObject({ nextAttemptAt: 42, updatedAt: 32, errorMessage: null });
  });

  it('applies a second change of the same item after the first, as separate writes would', async () => {
    const { store, updates } = await countingStore(['x', 'y']);
    await Promise.all([
      store.markInDoubt(['x'], 1, 2),
      store.settle({ posted: [{ externalRef: 'x', erpId: '9' }] }, 3),
      store.settle({ dead: [{ externalRef: 'y', code: 'bad', message: 'no' }] }, 3),
      store.settle({ retry: [{ refs: ['y'], status: 'pending', at: 5, error: { message: 'later' } }] }, 4),
    ]);
    expect(updates).toHaveLength(3); // mark x | post x, dead-letter y | retry y
    expect(await state(store, 'x')).toEqual({ status: 'posted', attempts: 1, erpId: '9' });
    // a retry never revives a dead letter, nor does a dead letter replace a posting
    expect(await state(store, 'y')).toEqual({ status: 'dead', attempts: 0, erpId: null });
    await store.settle({ dead: [{ externalRef: 'x', code: 'bad', message: 'no' }] }, 5);
    expect(await state(store, 'x')).toEqual({ status: 'posted', attempts: 1, erpId: '9' });
  });

  it("does not fail a write for a neighbour's failure in the same group", async () => {
    const { store } = await countingStore(['p', 'q']);
    const [bad, good] = await Promise.allSettled([
      store.markInDoubt(['p'], 1, Number.NaN), // not a valid bigint: the database refuses it
      store.settle({ posted: [{ externalRef: 'q', erpId: '3' }] }, 2),
    ]);
    expect(bad.status).toBe('rejected');
    expect(good.status).toBe('fulfilled');
    expect(await state(store, 'p')).toEqual({ status: 'pending', attempts: 0, erpId: null });
    expect(await state(store, 'q')).toEqual({ status: 'posted', attempts: 0, erpId: '3' });
  });

  it('close waits for the writes still being written', async () => {
    const db = await openPGlite();
    const store = new StateStore(db);
    await store.init();
    await store.ingest([{ externalRef: 'z', txCreatedAt: '2026-11-01', entry: null }], null, 1);
    const writing = store.markInDoubt(['z'], 2, 3);
    const closing = store.close();
    await expect(writing).resolves.toBeUndefined();
    await expect(closing).resolves.toBeUndefined();
  });
});
