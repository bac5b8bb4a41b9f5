import { afterAll, describe, expect, it } from 'vitest';
import { ArraySource, SyncEngine } from '../src/index.js';
import { JobErpAdapter } from './fixtures/job-adapter.ts';
import { JobLedger, type JobLedgerOptions } from './fixtures/job-ledger.ts';
import { at, closeStores, fast, makeTransactions, mapping, memoryStore, syncFixture } from './helpers.js';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await closeStores();
});

function inProcess(ledger: JobLedger, limits: { maxBatchSize?: number; maxConcurrent?: number } = {}) {
  return new JobErpAdapter(
    {
      submit: async (e) => ledger.submit(e),
      status: async (id) => ledger.status(id),
      outcomes: async (id) => ledger.outcomes(id),
      find: async (refs) => ledger.find(refs),
      list: async (range) => ledger.list(range),
    },
    limits,
  );
}

async function syncJobs(n: number, seed: number, options: JobLedgerOptions, bad: number[] = []) {
  const txs = makeTransactions(n, seed);
  const badRefs = new Set(bad.map((i) => at(txs, i).id));
  const ledger = new JobLedger({
    reject: (e) =>
      badRefs.has(e.externalRef) ? `EP01: the account combination of ${e.externalRef} is not valid` : null,
    ...options,
  });
  const { store, ev, engine } = await syncFixture({
    txs,
    adapter: inProcess(ledger, { maxBatchSize: 32, maxConcurrent: 1 }),
    engine: { jobPoll: { baseMs: 1, maxMs: 4 } },
  });
  const report = await engine.run();
  return { txs, ledger, store, report, ev, badRefs };
}

describe('job-based posting', () => {
  it('records the job, polls it to the end and books every entry once', async () => {
    const { txs, ledger, report, ev, store } = await syncJobs(70, 1, { pollsToFinish: 3 });
    expect(report.posted).toBe(70);
    expect(ledger.uploads.map((u) => u.length)).toEqual([32, 32, 6]);
    for (const t of txs) expect([ledger.count(t.id), ledger.submissions(t.id)]).toEqual([1, 1]);
    expect(ev.list.filter((e) => e.type === 'job_submitted')).toHaveLength(3);
    expect(
      ev.list.filter((e) => e.type === 'job_ended').map((e) => e.type === 'job_ended' && e.state),
    ).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await store.openJobs()).toEqual([]);
  });

  it('isolates one bad entry in a group of 32 with one re-upload when the job names it', async () => {
    const { txs, ledger, report, store, badRefs } = await syncJobs(32, 2, {}, [13]);
    expect(ledger.uploads.map((u) => u.length)).toEqual([32, 31]);
    expect(report).toMatchObject({ posted: 31, deadLettered: 1 });
    const [dead] = await store.deadLetters();
    expect(dead).toMatchObject({
      externalRef: at(txs, 13).id,
      errorCode: 'EP01',
      errorMessage: `EP01: the account combination of ${at(txs, 13).id} is not valid`,
    });
    for (const t of txs) expect(ledger.count(t.id)).toBe(badRefs.has(t.id) ? 0 : 1);
    // re-submission after a failed group is not the good entries' fault: no attempt is counted for it
    expect((await store.get([at(txs, 0).id]))[0]?.attempts).toBe(1);
  });

  it('bisects when the failed job names no entry: at most 2·log₂(32) = 10 extra uploads for one bad entry', async () => {
    const { txs, ledger, report, store, badRefs } = await syncJobs(32, 3, { nameCulprits: false }, [21]);
    expect(ledger.uploads.length - 1).toBeLessThanOrEqual(10);
    expect(ledger.uploads.length - 1).toBe(10);
    expect(report).toMatchObject({ posted: 31, deadLettered: 1 });
    const [dead] = await store.deadLetters();
    expect(dead).toMatchObject({
      externalRef: at(txs, 21).id,
      errorCode: 'job_failed',
      errorMessage: 'Journal import completed with errors: the group was rejected',
    });
    for (const t of txs) expect(ledger.count(t.id)).toBe(badRefs.has(t.id) ? 0 : 1);
  });

  it('resumes a job recorded by a stopped process and never submits its entries again', async () => {
    const txs = makeTransactions(20, 4);
    const ledger = new JobLedger({ pollsToFinish: 1_000_000 });
    const store = await memoryStore();
    const abort = new AbortController();
    const first = new SyncEngine({
      adapter: inProcess(ledger),
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
      jobPoll: { baseMs: 1, maxMs: 2 },
      onEvent: (e) => {
        if (e.type === 'job_submitted') abort.abort(new Error('stopped'));
      },
    });
    await expect(first.run(abort.signal)).rejects.toThrow('stopped');
    const [job] = await store.openJobs();
    expect(job?.externalRefs).toHaveLength(20);
    expect(ledger.uploads).toHaveLength(1);

    // the job finishes while nobody watches; a new process picks it up
    ledger.options.pollsToFinish = 0;
    const report = await new SyncEngine({
      adapter: inProcess(ledger),
      store,
      mapping,
      source: new ArraySource(txs),
      retry: fast,
      jobPoll: { baseMs: 1, maxMs: 2 },
    }).run();
    expect(report.posted).toBe(20);
    expect(ledger.uploads).toHaveLength(1);
    for (const t of txs) expect(ledger.count(t.id)).toBe(1);
  });

  it('keeps an entry of a still-running job in doubt: the lookup says "unknown", not "absent"', async () => {
    const txs = makeTransactions(3, 5);
    const ledger = new JobLedger({ pollsToFinish: 1_000_000 });
    const store = await memoryStore();
    await store.ingest(
      txs.map((t) => ({ externalRef: t.id, txCreatedAt: t.created_at, entry: null })),
      null,
    );
    const adapter = inProcess(ledger);
    ledger.submit([
      { externalRef: at(txs, 0).id, date: '2026-11-01', amount: 1, currency: 'USD', account: 'x' },
    ]);
    const found = await adapter.find([at(txs, 0).id, at(txs, 1).id]);
    expect(found.get(at(txs, 0).id)).toEqual({
      externalRef: at(txs, 0).id,
      unknown: true,
      reason: 'held by a running job',
    });
    expect(found.has(at(txs, 1).id)).toBe(false);
  });
});
