import { afterAll, describe, expect, it } from 'vitest';
import { MemoryErp, type MemoryErpOptions } from '../src/index.js';
import { closeStores, syncFixture } from './helpers.js';

afterAll(closeStores);

async function sync(n: number, seed: number, erp: MemoryErp) {
  const f = await syncFixture({ txs: n, seed, adapter: erp, engine: { random: () => 0.5 } });
  return { ...f, progress: () => f.ev.list.filter((e) => e.type !== 'ingested') };
}
const erpWith = (o: MemoryErpOptions) =>
  new MemoryErp({ limits: { maxBatchSize: 5, maxConcurrent: 1 }, ...o });

// The progress events and stored errors of the engine's exactly-once paths, exactly (a reporter and
// the CLI's `status` rely on them).
describe('what the engine reports on its exactly-once paths', () => {
  it('a lost response: one retry of the request, then the lookup finds every entry', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: true });
    const { engine, progress } = await sync(5, 1, erp);
    await engine.run();
    expect(progress()).toEqual([
      {
        type: 'retry',
        count: 5,
        kind: 'transient',
        message: 'injected: transient failure after applying',
        delayMs: 1,
      },
      { type: 'found_existing', count: 5 },
    ]);
  });

  it('a failed lookup keeps the entries in doubt with "lookup failed: …" as their error', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: true });
    erp.failNextFind({ kind: 'transient' });
    erp.failNextFind({ kind: 'fatal' });
    const { engine, progress, store, txs } = await sync(5, 2, erp);
    await expect(engine.run()).rejects.toMatchObject({ kind: 'fatal' });
    expect(progress()).toEqual([
      {
        type: 'retry',
        count: 5,
        kind: 'transient',
        message: 'injected: transient failure after applying',
        delayMs: 1,
      },
      {
        type: 'retry',
        count: 5,
        kind: 'transient',
        message: 'injected: lookup failed (transient)',
        delayMs: 1,
      },
    ]);
    for (const record of await store.get(txs.map((t) => t.id))) {
      expect(record).toMatchObject({
        status: 'in_doubt',
        attempts: 1,
        errorCode: null,
        errorMessage: 'lookup failed: injected: lookup failed (transient)',
      });
      expect(record?.nextAttemptAt).toBeGreaterThanOrEqual(record?.updatedAt ?? Number.POSITIVE_INFINITY);
    }
  });

  it('"still unknown" is retried with its reason; then posts and a rejection are reported', async () => {
    const erp = erpWith({
      reject: (e) => (e.externalRef === 'itxn_000000013' ? 'Account is inactive' : null),
    });
    erp.failNextPost({ kind: 'transient', applied: false });
    erp.failNextFind({ kind: 'unknown', reason: 'held by job 7' });
    const { engine, progress } = await sync(5, 3, erp);
    await engine.run();
    expect(progress()).toEqual([
      { type: 'retry', count: 5, kind: 'transient', message: 'injected: transient failure', delayMs: 1 },
      {
        type: 'retry',
        count: 5,
        kind: 'transient',
        message: 'the ERP cannot tell yet: held by job 7',
        delayMs: 1,
      },
      { type: 'posted', count: 4 },
      { type: 'dead', externalRef: 'itxn_000000013', code: 'rejected', message: 'Account is inactive' },
    ]);
  });
});
