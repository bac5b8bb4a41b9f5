import { ArraySource, ErpError, SyncEngine } from '@openissuing/connector-core';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningOracleEmulator, startOracleEmulator } from '../src/testing/index.js';
import {
  adapterFor,
  closeStores,
  entriesFor,
  layout,
  makeTransactions,
  mapping,
  memoryStore,
} from './helpers.js';

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

describe('OracleAdapter against the emulator over loopback HTTP', () => {
  it('imports a group, follows the job to SUCCEEDED and reads every journal back by its reference', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(12, 4));
    const outcomes = await adapter.post(entries);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.emulator.stats.uploads).toBe(1);
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect(found.size).toBe(12);
    const e0 = entries[0];
    const p0 = found.get(e0?.externalRef ?? '');
    expect(p0?.account).toBe(e0?.lines.find((l) => l.role === 'expense')?.account);
    expect(p0?.amount).toBe((e0?.kind === 'refund' ? -1 : 1) * (e0?.lines[0]?.amount ?? 0));
    expect(p0?.date).toBe(e0?.date);
    const batch = server.emulator.batches[0];
    expect(batch?.name).toMatch(/^OI-itxn_\S+ OpenIssuing Card A \d+ \d+ N$/);
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(listed.map((p) => p.externalRef).sort()).toEqual(entries.map((e) => e.externalRef).sort());
    expect(await adapter.find(['itxn_never_posted_0000000000000'])).toEqual(new Map());
  });

  it('one bad journal in a group of 32: Oracle rejects the group, the other 31 import on one re-upload', async () => {
    const server = await emulator();
    const adapter = adapterFor(server, {
      layout: { ...layout, accounts: { ...layout.accounts, Software: '9999' } },
    });
    const txs = makeTransactions(64, 5);
    const bad = txs.find((t) => t.merchant_data?.category === 'software') as (typeof txs)[number];
    const good = txs.filter((t) => t.merchant_data?.category !== 'software').slice(0, 31);
    const outcomes = await adapter.post(entriesFor([...good.slice(0, 10), bad, ...good.slice(10)]));
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed.map((o) => o.externalRef)).toEqual([bad.id]);
    const err = (failed[0] as { error: ErpError }).error;
    expect(err.kind).toBe('permanent');
    expect(err.code).toBe('EF04');
    expect(err.message).toBe(
      'Oracle Journal Import EF04: FLEX-VALUE DOES NOT EXIST (SEGMENT=Account) (VALUESET=Corporate Account) (VALUE=9999)',
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(31);
    expect(server.emulator.stats.uploads).toBe(2);
    expect(server.emulator.stats.rejectedGroups).toBe(1);
    // the first group's lines stay in GL_INTERFACE: the bad ones with their code, the rest held as P
    const held = server.emulator.interfaceTable.filter((r) => r.status !== 'NEW');
    expect(held.filter((r) => r.status === 'EF04')).toHaveLength(1);
    expect(held.filter((r) => r.status === 'P')).toHaveLength(63);
    expect([...server.emulator.journalsByReference().values()].every((n) => n === 1)).toBe(true);
  });

  it('a rejected group whose report names no journal is bisected: ≤ 2·log₂(32) extra uploads, 31 import', async () => {
    const server = await emulator({ executionReport: 'summary', rejectedGroupStatus: 'WARNING' });
    const adapter = adapterFor(server, {
      layout: { ...layout, accounts: { ...layout.accounts, Software: '9999' } },
    });
    const txs = makeTransactions(64, 5);
    const bad = txs.find((t) => t.merchant_data?.category === 'software') as (typeof txs)[number];
    const good = txs.filter((t) => t.merchant_data?.category !== 'software').slice(0, 31);
    const outcomes = await adapter.post(entriesFor([...good.slice(0, 20), bad, ...good.slice(20)]));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(31);
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed.map((o) => o.externalRef)).toEqual([bad.id]);
    expect((failed[0] as { error: ErpError }).error.kind).toBe('permanent');
    expect(server.emulator.stats.uploads - 1).toBeLessThanOrEqual(10);
    expect([...server.emulator.journalsByReference().values()].every((n) => n === 1)).toBe(true);
  });

  it('renders the exact upload for --dry-run without sending it', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const files = await adapter.render(entriesFor(makeTransactions(3, 12)));
    expect(files.map((f) => f.contentType)).toEqual(['application/zip', 'application/json']);
    expect(files[0]?.name).toMatch(/^GlInterface_\d+\.zip$/);
    const body = JSON.parse(String(files[1]?.body)) as Record<string, string>;
    expect(Buffer.from(body.DocumentContent as string, 'base64')).toEqual(
      Buffer.from(files[0]?.body as Uint8Array),
    );
    expect(body.ParameterList).toMatch(/^#NULL,OpenIssuing Card,300000046975971,\d+,N,N,N$/);
    expect(server.emulator.stats.requests).toBe(0);
  });

  it('closed period: every journal gets EP01 with Oracle text', async () => {
    const server = await emulator();
    server.emulator.setPeriodStatus('Nov-26', 'C');
    const adapter = adapterFor(server);
    const outcomes = await adapter.post(entriesFor(makeTransactions(3, 6)));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['EP01', 'EP01', 'EP01']);
    expect((outcomes[0] as { error: Error }).error.message).toBe(
      'Oracle Journal Import EP01: This date is not in any open or future enterable period.',
    );
  });

  it('a job stuck in RUNNING is reported, and its journals stay unknown — never uploaded again while it runs', async () => {
    const server = await emulator();
    const adapter = adapterFor(server, { jobTimeoutMs: 300 });
    const entries = entriesFor(makeTransactions(4, 7));
    server.emulator.stickNextJobs(1);
    const err = await adapter.post(entries).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErpError);
    expect((err as ErpError).code).toBe('job_stuck');
    expect((err as ErpError).message).toMatch(
      /is still (WAIT|RUNNING) after 0 min: check Scheduled Processes/,
    );
    const again = await adapter.find(entries.map((e) => e.externalRef)).catch((e: unknown) => e);
    expect((again as ErpError).code).toBe('job_stuck');
    expect(server.emulator.stats.uploads).toBe(1);
    server.emulator.releaseStuckJobs();
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect(found.size).toBe(4);
  });

  it('an upload whose answer is lost: unknown until the job timeout, then found — not uploaded twice', async () => {
    const server = await emulator();
    const adapter = adapterFor(server, { jobTimeoutMs: 400 });
    const entries = entriesFor(makeTransactions(3, 8));
    server.emulator.failNext('lost');
    const err = await adapter.post(entries).catch((e: unknown) => e);
    expect((err as ErpError).kind).toBe('transient');
    const early = await adapter.find(entries.map((e) => e.externalRef)).catch((e: unknown) => e);
    expect((early as ErpError).code).toBe('job_unknown');
    await new Promise((r) => setTimeout(r, 450));
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect(found.size).toBe(3);
    expect(server.emulator.stats.uploads).toBe(1);
  });

  it('duplicate guard: Oracle imports a second upload of the same journal; the engine’s lookup prevents it', async () => {
    const server = await emulator();
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(2, 10));
    await adapter.post(entries);
    await adapter.post(entries); // what a connector without a lookup would do
    expect(server.emulator.journalsByReference().get(entries[0]?.externalRef ?? '')).toBe(2);
    // find still answers one posting (the oldest batch)
    const found = await adapter.find([entries[0]?.externalRef ?? '']);
    expect(found.get(entries[0]?.externalRef ?? '')?.erpId).toBe(String(server.emulator.batches[0]?.id));
    // list shows both, so reconciliation reports the duplicate
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(listed.filter((p) => p.externalRef === entries[0]?.externalRef)).toHaveLength(2);

    // the engine: after a lost answer it looks up before re-posting, so nothing is imported twice
    const server2 = await emulator();
    const adapter2 = adapterFor(server2, { jobTimeoutMs: 300 });
    const txs = makeTransactions(20, 11);
    server2.emulator.failNext('lost');
    const engine = new SyncEngine({
      source: new ArraySource(txs),
      adapter: adapter2,
      store: await memoryStore(),
      mapping,
      retry: { baseMs: 100, maxMs: 200, maxAttempts: 50 },
    });
    const report = await engine.run();
    expect(report.counts.posted).toBe(20);
    expect(report.foundExisting).toBeGreaterThan(0);
    expect(server2.emulator.journalsByReference().size).toBe(20);
    expect([...server2.emulator.journalsByReference().values()].every((n) => n === 1)).toBe(true);
  });
});
