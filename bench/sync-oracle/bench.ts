/**
 * bench/sync-oracle — journals per second, end to end, from platform transactions to journals in the
 * Oracle Fusion emulator over loopback HTTP, with job latency shaped like a real pod's (an ESS request
 * waits in the queue, then Import Journals runs for a fixed time plus a little per journal), scaled
 * by --scale so a run takes seconds instead of minutes.
 *
 *   node bench/sync-oracle/bench.ts [--journals 2000] [--naive 6] [--runs 3] [--scale 0.1]
 *
 * Ours: the sync engine (PGlite state in memory) with the Oracle adapter: 500 journals per upload,
 * 2 uploads in flight, status polled with backoff. Peer, in the same run: the naive loop — one upload
 * per journal, each awaited to its end (what a hand-written "post one journal" integration does).
 * At scale 1 the latency is queue 10 s + run 20 s + 5 ms per journal; both sides poll ESS from 10 s,
 * doubling up to 60 s (the engine's jobPoll backoff; the naive loop copies it).
 */
import { parseArgs } from 'node:util';
import {
  ArraySource,
  isJobSubmitted,
  type MappingConfig,
  mapTransaction,
  openPGlite,
  type PlatformTransaction,
  StateStore,
  SyncEngine,
} from '@openissuing/connector-core';
import { basicAuth, type JournalLayout, OracleAdapter } from '@openissuing/connector-oracle';
import { startOracleEmulator } from '@openissuing/connector-oracle/testing';

const { values } = parseArgs({
  options: {
    journals: { type: 'string', default: '2000' },
    naive: { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
    scale: { type: 'string', default: '0.1' },
  },
});
const N = Number(values.journals);
const NAIVE = Number(values.naive);
const RUNS = Number(values.runs);
const S = Number(values.scale);
const latency = { queuedMs: 10_000 * S, runningMs: 20_000 * S, perJournalMs: 5 * S };
/** How both sides poll ESS: every 10 s, doubling to 60 s (scaled), as the engine's `jobPoll` does. */
const jobPoll = { baseMs: 10_000 * S, maxMs: 60_000 * S };

const mapping: MappingConfig = {
  liabilityAccount: 'OpenIssuing Card',
  defaultAccount: 'Uncategorized Expense',
  rules: [
    { category: 'advertising', account: 'Advertising' },
    { category: 'cloud_computing', account: 'Cloud Services' },
  ],
};
const layout: JournalLayout = {
  ledger: { id: '300000046975971', currency: 'USD' },
  journalSource: 'OpenIssuing Card',
  journalCategory: 'Card Expense',
  segments: [
    { value: '101' },
    {
      dimension: 'department',
      values: { Marketing: '110', Engineering: '120' },
      default: '000',
      liability: '000',
    },
    { account: true },
    { value: '000' },
    { value: '000' },
  ],
  accounts: {
    'OpenIssuing Card': '2150',
    Advertising: '6100',
    'Cloud Services': '6200',
    'Uncategorized Expense': '6900',
  },
};

function transactions(n: number, run: number): PlatformTransaction[] {
  const start = Date.parse('2026-11-02T09:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    id: `itxn_${String(run).padStart(3, '0')}${String(i).padStart(23, '0')}`,
    type: 'capture' as const,
    amount: 1000 + ((i * 7919) % 90_000),
    currency: 'usd',
    merchant_data: {
      name: i % 2 ? 'Google Ads' : 'AWS',
      category: i % 2 ? 'advertising' : 'cloud_computing',
    },
    card: 'ic_bench',
    dimensions: { department: i % 3 ? 'Marketing' : 'Engineering' },
    created_at: new Date(start + i * 1000).toISOString(),
  }));
}

async function ours(run: number): Promise<number> {
  const server = await startOracleEmulator({ jobLatency: latency });
  const adapter = new OracleAdapter({
    baseUrl: server.url,
    auth: basicAuth('integration.user', 'emulator-password'),
    layout,
    maxBatchSize: 500,
    maxConcurrent: 2,
  });
  const store = new StateStore(await openPGlite());
  const txs = transactions(N, run);
  const t0 = performance.now();
  const report = await new SyncEngine({
    source: new ArraySource(txs),
    adapter,
    store,
    mapping,
    jobPoll,
  }).run();
  const s = (performance.now() - t0) / 1000;
  if (report.counts.posted !== N || server.emulator.stats.importedJournals !== N)
    throw new Error(
      `ours: ${report.counts.posted} posted, ${server.emulator.stats.importedJournals} imported of ${N}`,
    );
  await store.close();
  await server.close();
  return N / s;
}

async function naive(run: number): Promise<number> {
  const server = await startOracleEmulator({ jobLatency: latency });
  const adapter = new OracleAdapter({
    baseUrl: server.url,
    auth: basicAuth('integration.user', 'emulator-password'),
    layout,
  });
  const entries = transactions(NAIVE, 500 + run).map((t) => mapTransaction(mapping, t));
  const t0 = performance.now();
  for (const e of entries) {
    // upload one journal, then poll its job with the same backoff until it ends
    const result = await adapter.post([e]);
    if (!isJobSubmitted(result)) throw new Error('naive: the journal was not uploaded');
    let status = { state: 'running' } as Awaited<ReturnType<typeof adapter.jobs.status>>;
    for (let poll = 0; status.state === 'running'; poll++) {
      await new Promise((r) =>
        setTimeout(r, poll === 0 ? jobPoll.baseMs : Math.min(jobPoll.maxMs, jobPoll.baseMs * 2 ** poll)),
      );
      status = await adapter.jobs.status(result.submitted);
    }
    const [o] = await adapter.jobs.outcomes(result.submitted, status);
    if (!o?.ok) throw new Error('naive: a journal was not imported');
  }
  const s = (performance.now() - t0) / 1000;
  await server.close();
  return NAIVE / s;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] as number, median: s[Math.floor(s.length / 2)] as number, max: s.at(-1) as number };
};
const fmt = (x: { min: number; median: number; max: number }, d = 1) =>
  `min ${x.min.toFixed(d)} / median ${x.median.toFixed(d)} / max ${x.max.toFixed(d)}`;

console.log(
  `Oracle sync bench: ${N} journals (ours) vs ${NAIVE} (naive), ${RUNS} runs, job latency queue ${latency.queuedMs} ms + run ${latency.runningMs} ms + ${latency.perJournalMs} ms/journal (scale ${S})`,
);
const a: number[] = [];
const b: number[] = [];
const r: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const x = await ours(run);
  const y = await naive(run);
  a.push(x);
  b.push(y);
  r.push(x / y);
  console.log(
    `run ${run + 1}: ours ${x.toFixed(1)} journals/s, naive ${y.toFixed(2)} journals/s, ratio ${(x / y).toFixed(0)}×`,
  );
}
console.log(`ours  (engine, 500/upload, 2 in flight): ${fmt(stats(a))} journals/s`);
console.log(`naive (one upload per journal, awaited):  ${fmt(stats(b), 2)} journals/s`);
console.log(`ratio ours/naive: ${fmt(stats(r), 0)}`);
