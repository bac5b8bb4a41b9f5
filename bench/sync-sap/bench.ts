/**
 * bench/sync-sap — throughput of the OpenIssuing → SAP S/4HANA sync against the SAP emulator with a
 * realistic server latency, over real loopback HTTP, compared in the same run with the naive loop.
 *
 *   node bench/sync-sap/bench.ts [--count 1000] [--peer-count 100] [--runs 3]
 *                                [--latency-ms 250] [--per-entry-ms 15] [--batch 50] [--concurrency 2]
 *                                [--store pglite-dir|memory|postgres]
 *
 * Ours: the sync engine + SapAdapter through @sap/cds — bulk SOAP requests of --batch entries,
 * --concurrency in flight, every outcome in the durable state store.
 * Peer: what a hand-written integration does — one JournalEntryCreateRequest per SOAP call, awaited
 * one after the other, plain fetch, no state store. Same emulator, same latency, same payloads.
 * Figures: entries/s of each and the ratio, per run, then min/median/max over the runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  ArraySource,
  type MappingConfig,
  mapTransaction,
  openPGlite,
  openPostgres,
  type PlatformTransaction,
  StateStore,
  SyncEngine,
} from '@openissuing/connector-core';
import {
  bulkRequestEnvelope,
  parseBulkConfirmation,
  parseEnvelope,
  renderEntryRequest,
  SapAdapter,
  type SapAdapterOptions,
  sapMappingSchema,
  soapRequestHeaders,
} from '@openissuing/connector-sap';
import cds from '@sap/cds';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    'peer-count': { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    'latency-ms': { type: 'string', default: '250' },
    'per-entry-ms': { type: 'string', default: '15' },
    batch: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '2' },
    store: { type: 'string', default: 'pglite-dir' },
  },
});
const COUNT = Number(values.count);
const PEER = Number(values['peer-count']);
const RUNS = Number(values.runs);
const LATENCY = Number(values['latency-ms']);
const PER_ENTRY = Number(values['per-entry-ms']);
process.env.CDS_LOG_LEVELS_REMOTE = 'error';

interface Emulator {
  url: string;
  soapUrl: string;
  username: string;
  password: string;
  stats(): Promise<{ documents: number; stats: { posts: number; entries: number } }>;
  close(): Promise<void>;
}

function startEmulator(): Promise<Emulator> {
  const worker = new Worker(new URL('./emulator-worker.ts', import.meta.url), {
    workerData: { latencyMs: LATENCY, perEntryLatencyMs: PER_ENTRY },
  });
  const ask = <T>(cmd: string, key: string) =>
    new Promise<T>((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (key in m) {
          worker.off('message', on);
          resolve(m as T);
        }
      };
      worker.on('message', on);
      worker.postMessage({ cmd });
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: Omit<Emulator, 'stats' | 'close'>) =>
      resolve({
        ...m,
        stats: () => ask('stats', 'documents'),
        close: async () => {
          await ask('close', 'closed');
          await worker.terminate();
        },
      }),
    );
  });
}

const mapping: MappingConfig & { sap: unknown } = {
  liabilityAccount: '21900000',
  defaultAccount: '61009000',
  rules: [
    { category: 'advertising', account: '61003000' },
    { category: 'cloud_computing', account: '61004000' },
    { category: 'software', account: '61006000' },
  ],
  sap: {
    companyCode: '1010',
    costCenter: { dimension: 'department', values: { Marketing: '10101301', Engineering: '10101101' } },
    wbsElement: { dimension: 'project', values: { Apollo: 'P-APOLLO' } },
  },
};
const sap = sapMappingSchema.parse(mapping.sap);
const MERCHANTS = [
  ['Google Ads', '7311', 'advertising'],
  ['AWS', '4816', 'cloud_computing'],
  ['Figma', '5734', 'software'],
] as const;

function transactions(n: number, run: number, offset: number): PlatformTransaction[] {
  return Array.from({ length: n }, (_, i) => {
    const [name, mcc, category] = MERCHANTS[i % 3] as (typeof MERCHANTS)[number];
    return {
      id: `itxn_${String(run).padStart(3, '0')}${String(offset + i).padStart(8, '0')}BENCHSAPSYNC0000`.slice(
        0,
        31,
      ),
      type: 'capture',
      amount: 100 + ((i * 7919) % 50_000),
      currency: 'eur',
      merchant_data: { name, mcc, category, country: 'DE' },
      card: 'ic_bench',
      cardholder: 'ich_bench',
      dimensions: { department: i % 2 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(Date.parse('2026-11-02T09:00:00Z') + (offset + i) * 1000).toISOString(),
    };
  });
}

async function openStore(): Promise<{ store: StateStore; cleanup: () => Promise<void> }> {
  if (values.store === 'postgres') {
    const url = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `bench_sap_${process.pid}_${Date.now()}`;
    const store = new StateStore(await openPostgres(url, { schema }));
    await store.init();
    return {
      store,
      cleanup: async () => {
        await store.close();
        const db = await openPostgres(url, { exclusive: false });
        await db.exec(`drop schema if exists ${schema} cascade`);
        await db.close();
      },
    };
  }
  const dir = values.store === 'memory' ? undefined : await mkdtemp(join(tmpdir(), 'oi-bench-sap-'));
  const store = new StateStore(await openPGlite(dir));
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ours(emu: Emulator, run: number): Promise<number> {
  const adapter = new SapAdapter({
    connection: { url: emu.url, username: emu.username, password: emu.password },
    mapping: sap,
    accounts: {
      liability: mapping.liabilityAccount,
      expense: [mapping.defaultAccount, ...mapping.rules.map((r) => r.account)],
    },
    maxBatchSize: Number(values.batch),
    maxConcurrent: Number(values.concurrency),
    cds: cds as unknown as SapAdapterOptions['cds'],
  });
  const { store, cleanup } = await openStore();
  const engine = new SyncEngine({
    adapter,
    store,
    mapping,
    source: new ArraySource(transactions(COUNT, run, 0)),
  });
  const t0 = performance.now();
  const report = await engine.run();
  const seconds = (performance.now() - t0) / 1000;
  await cleanup();
  if (report.posted !== COUNT) throw new Error(`posted ${report.posted} of ${COUNT}`);
  return COUNT / seconds;
}

async function naive(emu: Emulator, run: number): Promise<number> {
  const auth = `Basic ${Buffer.from(`${emu.username}:${emu.password}`).toString('base64')}`;
  const txs = transactions(PEER, run, COUNT);
  const t0 = performance.now();
  for (const tx of txs) {
    const xml = bulkRequestEnvelope('1.1', [
      renderEntryRequest(mapTransaction(mapping, tx), { mapping: sap, createdByUser: 'BENCH' }),
    ]);
    const res = await fetch(emu.soapUrl, {
      method: 'POST',
      headers: { ...soapRequestHeaders('1.1'), authorization: auth },
      body: xml,
    });
    const confirmation = parseBulkConfirmation(parseEnvelope(await res.text()).payload as never);
    if (!confirmation.entries[0]?.accountingDocument) throw new Error('naive post was rejected');
  }
  return PEER / ((performance.now() - t0) / 1000);
}

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] as number, median: s[Math.floor(s.length / 2)] as number, max: s.at(-1) as number };
};

const emu = await startEmulator();
const rows: { ours: number; peer: number; ratio: number }[] = [];
console.log(
  `SAP sync bench: ${COUNT} entries (ours) / ${PEER} (naive) per run, latency ${LATENCY} ms + ${PER_ENTRY} ms per entry, batch ${values.batch}, concurrency ${values.concurrency}, store ${values.store}`,
);
for (let run = 1; run <= RUNS; run++) {
  const o = await ours(emu, run);
  const p = await naive(emu, run);
  rows.push({ ours: o, peer: p, ratio: o / p });
  console.log(
    `run ${run}: ours ${o.toFixed(1)} entries/s · naive loop ${p.toFixed(2)} entries/s · ratio ${(o / p).toFixed(1)}×`,
  );
}
const fmt = (s: ReturnType<typeof stat>, d: number) =>
  `${s.min.toFixed(d)} / ${s.median.toFixed(d)} / ${s.max.toFixed(d)}`;
console.log(`ours entries/s   min/median/max: ${fmt(stat(rows.map((r) => r.ours)), 1)}`);
console.log(`naive entries/s  min/median/max: ${fmt(stat(rows.map((r) => r.peer)), 2)}`);
console.log(`ratio            min/median/max: ${fmt(stat(rows.map((r) => r.ratio)), 1)}×`);
// the ceiling the emulated latency allows: `concurrency` requests of `batch` entries in flight
const ceiling =
  (Number(values.concurrency) * Number(values.batch)) / ((LATENCY + Number(values.batch) * PER_ENTRY) / 1000);
console.log(
  `ceiling at this latency: ${ceiling.toFixed(1)} entries/s → ours at ${fmt(stat(rows.map((r) => (100 * r.ours) / ceiling)), 0)} % (min/median/max)`,
);
const s = await emu.stats();
console.log(`emulator: ${s.documents} documents in ${s.stats.posts} SOAP calls`);
await emu.close();
