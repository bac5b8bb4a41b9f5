import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ArraySource, MemoryErp, openPostgres, StateStore, SyncEngine } from '../src/index.js';
import { makeTransactions, mapping, seeded } from './helpers.js';

const url = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `oi_core_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  const db = await openPostgres(url, { exclusive: false });
  await db.exec(`drop schema if exists ${schema} cascade`);
  await db.close();
});

describe('PostgreSQL state store', () => {
  it('syncs exactly once with faults, and admits one sync process per store at a time', async () => {
    const db = await openPostgres(url, { schema });
    await expect(openPostgres(url, { schema })).rejects.toThrow(/in use by another openissuing-sync process/);

    const store = new StateStore(db);
    await store.init();
    const txs = makeTransactions(200, 77);
    const erp = new MemoryErp({ transientRate: 0.15, random: seeded(5), limits: { maxBatchSize: 20 } });
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: { baseMs: 1, maxMs: 5, maxAttempts: 50 },
    }).run();
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: 200, dead: 0 });
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
    await store.close();

    // released on close: the next process gets it
    const next = await openPostgres(url, { schema });
    expect(await new StateStore(next).counts()).toMatchObject({ posted: 200 });
    await next.close();
  });
});
