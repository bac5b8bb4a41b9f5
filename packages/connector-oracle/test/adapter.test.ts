import { type Clock, type ErpError, isJobSubmitted, isPosting } from '@openissuing/connector-core';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningOracleEmulator, startOracleEmulator } from '../src/testing/index.js';
import {
  adapterFor,
  closeStores,
  entriesFor,
  layout,
  makeTransactions,
  postToEnd,
  syncAll,
} from './helpers.js';

/** A clock that moves only when the test says (`t += ms`), shared by the adapter and the emulator. */
function standingClock(): Clock & { t: number } {
  const c = { t: Date.parse('2026-11-20T09:00:00Z'), now: () => c.t, sleep: async () => undefined };
  return c;
}

const servers: RunningOracleEmulator[] = [];
async function emulator(opts: Parameters<typeof startOracleEmulator>[0] = {}) {
  const s = await startOracleEmulator({ jobLatency: { queuedMs: 20, runningMs: 60 }, ...opts });
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.close();
  await closeStores();
});

/** 31 good journals and one whose natural account Oracle does not know, in one group of 32. */
function groupOf32WithOneBad() {
  const txs = makeTransactions(64, 5);
  const bad = txs.find((t) => t.merchant_data?.category === 'software') as (typeof txs)[number];
  const good = txs.filter((t) => t.merchant_data?.category !== 'software').slice(0, 31);
  const group = [...good.slice(0, 13), bad, ...good.slice(13)].sort((a, b) =>
    a.created_at.localeCompare(b.created_at),
  );
  return { bad, good, group };
}
const badSoftware = { layout: { ...layout, accounts: { ...layout.accounts, Software: '9999' } } };

describe('OracleAdapter on the engine’s job interface, against the emulator over loopback HTTP', () => {
  it('post answers the ESS request as a job; status follows it; outcomes read every journal back', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(12, 4));
    server.emulator.stickNextJobs(1); // running until released, however slow the machine
    const submitted = await adapter.post(entries);
    expect(isJobSubmitted(submitted)).toBe(true);
    if (!isJobSubmitted(submitted)) return;
    expect(submitted.submitted.id).toMatch(/^\d+$/);
    expect(submitted.submitted.data).toMatchObject({
      groupId: expect.stringMatching(/^\d{16}$/),
      refs: entries.map((e) => e.externalRef),
      lines: entries.map(() => 2),
      unmapped: [],
    });
    // the job is running: its references are still unknown, never absent
    const early = await adapter.find([entries[0]?.externalRef as string]);
    expect(early.get(entries[0]?.externalRef as string)).toMatchObject({
      unknown: true,
      reason: expect.stringMatching(/^held by Oracle import job \d+ \(group \d+\), still (WAIT|RUNNING)$/),
    });
    expect(await adapter.jobs.status(submitted.submitted)).toEqual({ state: 'running' });
    server.emulator.releaseStuckJobs();
    let status = await adapter.jobs.status(submitted.submitted);
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      status = await adapter.jobs.status(submitted.submitted);
    }
    expect(status).toEqual({ state: 'succeeded' });
    const outcomes = await adapter.jobs.outcomes(submitted.submitted, status);
    expect(outcomes.map((o) => [o.externalRef, o.ok])).toEqual(entries.map((e) => [e.externalRef, true]));
    expect(server.emulator.stats.uploads).toBe(1);
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect(found.size).toBe(12);
    const e0 = entries[0];
    const p0 = found.get(e0?.externalRef ?? '');
    if (!isPosting(p0)) throw new Error('expected a posting');
    expect(p0.account).toBe(e0?.lines.find((l) => l.role === 'expense')?.account);
    expect(p0.amount).toBe((e0?.kind === 'refund' ? -1 : 1) * (e0?.lines[0]?.amount ?? 0));
    expect(p0.date).toBe(e0?.date);
    const batch = server.emulator.batches[0];
    expect(batch?.name).toMatch(/^OI-itxn_\S+ OpenIssuing Card A \d+ \d+ N$/);
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(listed.map((p) => p.externalRef).sort()).toEqual(entries.map((e) => e.externalRef).sort());
    expect(await adapter.find(['itxn_never_posted_0000000000000'])).toEqual(new Map());
  });

  it('find never answers "absent" for a job that ends while it reads: it asks the job first, then journalBatches', async () => {
    let t = Date.parse('2026-11-20T10:00:00Z');
    const server = await emulator({ now: () => t, jobLatency: { queuedMs: 1000, runningMs: 1000 } });
    // the job ends right after each journalBatches read: a find that read first and asked the job
    // after would see it ended and call its journals absent
    const endJobAfterRead: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/journalBatches')) t += 10_000;
      return res;
    };
    const adapter = adapterFor(server, {
      fetch: endJobAfterRead,
      clock: { now: () => t, sleep: async () => {} },
    });
    const entries = entriesFor(makeTransactions(3, 14));
    const submitted = await adapter.post(entries);
    if (!isJobSubmitted(submitted)) throw new Error('expected a job');
    const first = await adapter.find(entries.map((e) => e.externalRef));
    expect([...first.values()].map((v) => 'unknown' in v)).toEqual([true, true, true]);
    const second = await adapter.find(entries.map((e) => e.externalRef));
    expect([...second.values()].map((v) => isPosting(v))).toEqual([true, true, true]);
    expect(server.emulator.stats.uploads).toBe(1);
  });

  it('one bad journal in a group of 32: the engine dead-letters it with Oracle’s code and text, the other 31 import on one re-upload', async () => {
    const server = await emulator();
    const adapter = adapterFor(server, { ...badSoftware, maxBatchSize: 32 });
    const { bad, group } = groupOf32WithOneBad();
    const { report, store } = await syncAll(adapter, group);
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: 31, dead: 1 });
    const dead = await store.deadLetters();
    expect(dead.map((d) => [d.externalRef, d.errorCode, d.errorMessage])).toEqual([
      [
        bad.id,
        'EF04',
        'Oracle Journal Import EF04: FLEX-VALUE DOES NOT EXIST (SEGMENT=Account) (VALUESET=Corporate Account) (VALUE=9999)',
      ],
    ]);
    expect(server.emulator.stats.uploads).toBe(2);
    expect(server.emulator.stats.rejectedGroups).toBe(1);
    // the first group's lines stay in GL_INTERFACE: the bad one with its code, the rest held as P
    const held = server.emulator.interfaceTable.filter((r) => r.status !== 'NEW');
    expect(held.filter((r) => r.status === 'EF04')).toHaveLength(1);
    expect(held.filter((r) => r.status === 'P')).toHaveLength(63);
    const booked = server.emulator.journalsByReference();
    expect(group.filter((t) => t.id !== bad.id).every((t) => booked.get(t.id) === 1)).toBe(true);
    expect(booked.has(bad.id)).toBe(false);
  });

  it('a rejected group whose report names no journal is bisected by the engine: ≤ 2·log₂(32) extra uploads, 31 import', async () => {
    const server = await emulator({ executionReport: 'summary', rejectedGroupStatus: 'WARNING' });
    const adapter = adapterFor(server, { ...badSoftware, maxBatchSize: 32 });
    const { bad, group } = groupOf32WithOneBad();
    const { report, store } = await syncAll(adapter, group);
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: 31, dead: 1 });
    const dead = await store.deadLetters();
    expect(dead.map((d) => [d.externalRef, d.errorCode])).toEqual([[bad.id, 'WARNING']]);
    expect(dead[0]?.errorMessage).toMatch(/^Import Journals request \d+ ended WARNING$/);
    expect(server.emulator.stats.uploads - 1).toBeGreaterThanOrEqual(2);
    expect(server.emulator.stats.uploads - 1).toBeLessThanOrEqual(10);
    const booked = server.emulator.journalsByReference();
    expect([...booked.values()].every((n) => n === 1)).toBe(true);
    expect(booked.size).toBe(31);
  });

  it('renders the exact upload for --dry-run — the zip holding GlInterface.csv — without sending it', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(3, 12));
    const files = await adapter.render(entries);
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file?.name).toMatch(/^GlInterface_\d{16}\.zip$/);
    expect(file?.externalRefs).toEqual(entries.map((e) => e.externalRef));
    expect(file?.description).toMatch(
      /^POST erpintegrations importBulkData \/oracle\/apps\/ess\/financials\/generalLedger\/programs\/common,JournalImportLauncher ParameterList #NULL,OpenIssuing Card,300000046975971,\d{16},N,N,N: 3 journal\(s\), 6 GL_INTERFACE row\(s\) in GlInterface_\d{16}\.zip$/,
    );
    const zip = unzipSync(file?.body as Uint8Array);
    expect(Object.keys(zip)).toEqual(['GlInterface.csv']);
    expect(server.emulator.stats.requests).toBe(0);
  });

  it('closed period: every journal gets EP01 with Oracle’s text', async () => {
    const server = await emulator();
    server.emulator.setPeriodStatus('Nov-26', 'C');
    const adapter = adapterFor(server);
    const outcomes = await postToEnd(adapter, entriesFor(makeTransactions(3, 6)));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['EP01', 'EP01', 'EP01']);
    expect((outcomes[0] as { error: Error }).error.message).toBe(
      'Oracle Journal Import EP01: This date is not in any open or future enterable period.',
    );
  });

  it('an entry the segment layout cannot express is rejected with the reason; the rest go in the job', async () => {
    const server = await emulator();
    const adapter = adapterFor(server, {
      layout: {
        ...layout,
        segments: layout.segments.map((s) =>
          s.dimension === 'department' ? { ...s, default: undefined } : s,
        ),
      },
    });
    const txs = makeTransactions(4, 13).map((t, i) =>
      i === 1 ? { ...t, dimensions: { department: 'Legal', project: 'Apollo' } } : t,
    );
    const outcomes = await postToEnd(adapter, entriesFor(txs));
    expect(outcomes.filter((o) => o.ok).map((o) => o.externalRef)).toEqual(
      txs.filter((_, i) => i !== 1).map((t) => t.id),
    );
    const failed = outcomes.find((o) => !o.ok) as { externalRef: string; error: ErpError };
    expect(failed.externalRef).toBe(txs[1]?.id);
    expect(failed.error.kind).toBe('permanent');
    expect(failed.error.message).toMatch(/no segment value for department "Legal"/);
    // nothing to upload at all: answered at once, no upload
    const only = await adapter.post(entriesFor([txs[1] as (typeof txs)[number]]));
    expect(Array.isArray(only) && only.map((o) => o.ok)).toEqual([false]);
    expect(server.emulator.stats.uploads).toBe(1);
  });

  it('a job stuck in RUNNING is reported once and kept: its journals stay unknown, never uploaded again', async () => {
    const clock = standingClock();
    const server = await emulator({ now: clock.now });
    const stuck: ErpError[] = [];
    const adapter = adapterFor(server, { clock, jobTimeoutMs: 150, onStuckJob: (e) => stuck.push(e) });
    const entries = entriesFor(makeTransactions(4, 7));
    server.emulator.stickNextJobs(1);
    const submitted = await adapter.post(entries);
    if (!isJobSubmitted(submitted)) throw new Error('expected a job');
    clock.t += 149;
    // 1 ms short of the job timeout: running, not reported yet
    expect(await adapter.jobs.status(submitted.submitted)).toEqual({ state: 'running' });
    expect(stuck).toEqual([]);
    clock.t += 1;
    expect(await adapter.jobs.status(submitted.submitted)).toEqual({ state: 'running' });
    expect(await adapter.jobs.status(submitted.submitted)).toEqual({ state: 'running' });
    expect(stuck.map((e) => [e.code, e.kind])).toEqual([['job_stuck', 'transient']]);
    expect(stuck[0]?.message).toMatch(
      /^Oracle job \d+ for group \d+ is still RUNNING after 0 min: check Scheduled Processes in Fusion\. Its journals are not uploaded again while it may run\.$/,
    );
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect([...found.values()].every((v) => !isPosting(v))).toBe(true);
    expect(found.size).toBe(4);
    expect(server.emulator.stats.uploads).toBe(1);
    server.emulator.releaseStuckJobs();
    expect(await adapter.jobs.status(submitted.submitted)).toEqual({ state: 'succeeded' });
    const after = await adapter.find(entries.map((e) => e.externalRef));
    expect([...after.values()].every((v) => isPosting(v))).toBe(true);
  });

  it('an upload whose answer is lost: still unknown until the job timeout, then found — never uploaded twice', async () => {
    const clock = standingClock();
    const server = await emulator({ now: clock.now });
    const adapter = adapterFor(server, { clock, jobTimeoutMs: 400 });
    const entries = entriesFor(makeTransactions(3, 8));
    server.emulator.failNext('lost');
    const err = await adapter.post(entries).catch((e: unknown) => e);
    expect((err as ErpError).kind).toBe('transient');
    const early = await adapter.find(entries.map((e) => e.externalRef));
    expect([...early.values()].map((v) => ('unknown' in v ? v.reason : 'posted'))).toEqual(
      entries.map(() =>
        expect.stringMatching(/^the upload of group \d+ got no answer 0 s ago; its job may still import it$/),
      ),
    );
    clock.t += 400; // the job timeout: the upload's job has run by then (emulator latency 80 ms)
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect([...found.values()].every((v) => isPosting(v))).toBe(true);
    expect(server.emulator.stats.uploads).toBe(1);
  });

  it('duplicate guard: Oracle imports a second upload of the same journal; the engine’s lookup prevents it', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(2, 10));
    await postToEnd(adapter, entries);
    await postToEnd(adapter, entries); // what a connector without a lookup would do
    expect(server.emulator.journalsByReference().get(entries[0]?.externalRef ?? '')).toBe(2);
    // find still answers one posting (the oldest batch)
    const found = await adapter.find([entries[0]?.externalRef ?? '']);
    const hit = found.get(entries[0]?.externalRef ?? '');
    expect(isPosting(hit) && hit.erpId).toBe(String(server.emulator.batches[0]?.id));
    // list shows both, so reconciliation reports the duplicate
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(listed.filter((p) => p.externalRef === entries[0]?.externalRef)).toHaveLength(2);

    // the engine: after a lost answer it looks up before re-posting, so nothing is imported twice
    const server2 = await emulator();
    const adapter2 = adapterFor(server2, { jobTimeoutMs: 300 });
    const txs = makeTransactions(20, 11);
    server2.emulator.failNext('lost');
    const { report } = await syncAll(adapter2, txs, { retry: { baseMs: 100, maxMs: 200, maxAttempts: 50 } });
    expect(report.counts.posted).toBe(20);
    expect(report.foundExisting).toBe(20); // the one upload of all 20 was applied; its answer was lost
    expect(server2.emulator.journalsByReference().size).toBe(20);
    expect([...server2.emulator.journalsByReference().values()].every((n) => n === 1)).toBe(true);
  });
});
