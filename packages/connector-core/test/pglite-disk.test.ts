import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArraySource, MemoryErp, openPGlite, StateStore, SyncEngine } from '../src/index.js';
import { fast, makeTransactions, mapping, must } from './helpers.js';

// The state store on disk: a PGlite data directory outlives the process that wrote it, and one process
// at a time holds it. (These open PGlite on disk, a few seconds each: they are not in the mutation
// tests' fast config, stryker.vitest.config.ts; the engine's own crash paths are in engine-faults.)
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('SyncEngine on a PGlite data directory', () => {
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
});

describe('PGlite data directory lock', () => {
  it('refuses a second live process and takes over a lock left by a dead one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oi-lock-'));
    dirs.push(dir);
    // a live process (our parent) holds it
    await writeFile(`${dir}/state.lock`, String(process.ppid));
    await expect(openPGlite(`${dir}/state`)).rejects.toThrow(/in use by process \d+/);
    // a dead process held it (pid far beyond pid_max)
    await writeFile(`${dir}/state.lock`, '999999999');
    const db = await openPGlite(`${dir}/state`);
    await db.close();
  });
});
