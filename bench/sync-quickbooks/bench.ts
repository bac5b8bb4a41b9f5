/**
 * bench/sync-quickbooks — throughput of the OpenIssuing → QuickBooks Online sync against the
 * QuickBooks emulator over real loopback HTTP.
 *
 *   node bench/sync-quickbooks/bench.ts [--window-ms 1000] [--windows 8] [--off-count 20000]
 *
 * 1. throttling ON: the emulator enforces QuickBooks' limits (500 requests, 40 batch requests per
 *    window, 10 concurrent) on a window of --window-ms (60000 = the real minute). The ceiling those
 *    limits allow is 40 batches × 30 items per window; admitted within an elapsed time T that is at most
 *    1200 × (T / W + 1) transactions (the +1 is the burst a sliding window admits at t = 0). We report
 *    posted / ceiling(T).
 * 2. throttling OFF (emulator and client): pipeline overhead — mapping, state store, HTTP, emulator.
 * Peer, in the same run: the "naive loop" most hand-written integrations use — one awaited
 * node-quickbooks createPurchase per transaction, no batching, no state.
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
  type SqlDriver,
  StateStore,
  SyncEngine,
} from '@openissuing/connector-core';
import { call, createNodeQuickBooks, QuickBooksAdapter, toPurchase } from '@openissuing/connector-quickbooks';

interface EmulatorHandle {
  endpoint: string;
  tokenUrl: string;
  realmId: string;
  clientId: string;
  clientSecret: string;
  tokens: { accessToken: string; refreshToken: string; expiresAt: number };
  vendor: string;
  accounts: Record<string, string>;
  stats(): Promise<{
    purchases: number;
    stats: { requests: number; batches: number; throttled: number };
    /** CPU time of the emulator's thread so far (µs). */
    cpuMicros: number;
  }>;
  close(): Promise<void>;
}

/** Starts the emulator on a worker thread. */
function startEmulator(throttling: boolean): Promise<EmulatorHandle> {
  const worker = new Worker(new URL('./emulator-worker.ts', import.meta.url), {
    workerData: { throttling, windowMs: W },
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
    worker.once('message', (m: Omit<EmulatorHandle, 'stats' | 'close'>) =>
      resolve({
        ...m,
        stats: () => ask('stats', 'purchases'),
        close: async () => {
          await ask('close', 'closed');
          await worker.terminate();
        },
      }),
    );
  });
}

const { values } = parseArgs({
  options: {
    'window-ms': { type: 'string', default: '1000' },
    windows: { type: 'string', default: '8' },
    'off-count': { type: 'string', default: '20000' },
    'peer-count': { type: 'string', default: '2000' },
    only: { type: 'string' },
    store: { type: 'string', default: 'pglite-dir' },
  },
});
const W = Number(values['window-ms']);
const K = Number(values.windows);
const OFF = Number(values['off-count']);
const PEER = Number(values['peer-count']);

/** Counts the statements (and transactions) the engine sends to the state store. */
function counted(db: SqlDriver) {
  const n = { statements: 0, transactions: 0 };
  const counting = (tx: Pick<SqlDriver, 'query' | 'exec'>): Pick<SqlDriver, 'query' | 'exec'> => ({
    query: (sql, params) => {
      n.statements++;
      return tx.query(sql, params);
    },
    exec: (sql) => {
      n.statements++;
      return tx.exec(sql);
    },
  });
  const driver: SqlDriver = {
    ...db,
    ...counting(db),
    transaction: (fn) => {
      n.transactions++;
      return db.transaction((tx) => fn(counting(tx)));
    },
  };
  return { driver, n };
}

/** CPU time of the calling thread (µs); the process's on Node versions without `threadCpuUsage`. */
function threadCpuMicros(): number {
  const u = process.threadCpuUsage?.() ?? process.cpuUsage();
  return u.user + u.system;
}

/** The state store under test: PGlite on disk (the CLI default), PGlite in memory, or PostgreSQL. */
async function openStore(): Promise<SqlDriver> {
  if (values.store === 'memory') return openPGlite();
  if (values.store === 'postgres') {
    return openPostgres(
      process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'oi-bench-'));
  const db = await openPGlite(dir);
  return {
    ...db,
    close: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const mapping: MappingConfig = {
  liabilityAccount: 'OpenIssuing Card',
  defaultAccount: 'Uncategorized Expense',
  rules: [
    { category: 'advertising', account: 'Advertising' },
    { category: 'cloud_computing', account: 'Cloud Services' },
    { mcc: '5811-5814', account: 'Meals' },
    { category: 'software', account: 'Software' },
  ],
  dimensions: { department: 'department', class: 'project' },
};
const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', category: 'advertising' },
  { name: 'AWS', mcc: '4816', category: 'cloud_computing' },
  { name: 'Blue Bottle Coffee', mcc: '5814', category: 'restaurants' },
  { name: 'Figma', mcc: '5734', category: 'software' },
];

function transactions(n: number, tag: string): PlatformTransaction[] {
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const m = MERCHANTS[i % MERCHANTS.length] as (typeof MERCHANTS)[number];
    return {
      id: `itxn_${tag}${String(i).padStart(10, '0')}BENCHBENCHBENCH`.slice(0, 31),
      object: 'transaction',
      type: i % 10 === 9 ? 'refund' : 'capture',
      amount: 100 + ((i * 7919) % 100_000),
      currency: 'usd',
      merchant_data: { name: m.name, mcc: m.mcc, category: m.category, country: 'US' },
      card: 'ic_bench',
      cardholder: 'ich_bench',
      dimensions: { department: i % 2 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(start + i * 1000).toISOString(),
    } as PlatformTransaction;
  });
}

async function syncRun(opts: { n: number; throttling: boolean; tag: string }) {
  const emu = await startEmulator(opts.throttling);
  const adapter = new QuickBooksAdapter({
    realmId: emu.realmId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    tokens: emu.tokens,
    endpoint: emu.endpoint,
    tokenUrl: emu.tokenUrl,
    throttle: opts.throttling,
    limits: { windowMs: W },
  });
  const db = counted(await openStore());
  const store = new StateStore(db.driver, { tablePrefix: `bench_${opts.tag.toLowerCase()}_${process.pid}` });
  await store.init();
  const txs = transactions(opts.n, opts.tag);
  // warm up reference data and vendors so both modes measure steady posting
  await adapter.prepare(txs.slice(0, MERCHANTS.length).map((t) => mapTransaction(mapping, t)));
  // let the warm-up requests leave the throttling window
  if (opts.throttling) await new Promise((r) => setTimeout(r, W + 50));
  const emuCpu0 = (await emu.stats()).cpuMicros;
  db.n.statements = 0;
  db.n.transactions = 0;
  const cpu0 = threadCpuMicros();
  const t0 = performance.now();
  const report = await new SyncEngine({
    adapter,
    store,
    mapping,
    source: new ArraySource(txs),
    pageSize: 1000,
  }).run();
  const ms = performance.now() - t0;
  const cpuMs = (threadCpuMicros() - cpu0) / 1000;
  const { purchases: posted, stats, cpuMicros } = await emu.stats();
  const store_ = { ...db.n };
  await store.close();
  await emu.close();
  return { ms, cpuMs, emulatorCpuMs: (cpuMicros - emuCpu0) / 1000, posted, report, stats, store: store_ };
}

async function peerRun(opts: { n: number; throttling: boolean }) {
  const emu = await startEmulator(opts.throttling);
  const qbo = createNodeQuickBooks({
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    accessToken: emu.tokens.accessToken,
    refreshToken: emu.tokens.refreshToken,
    realmId: emu.realmId,
    endpoint: emu.endpoint,
    minorVersion: 75,
  });
  const id = (name: string) => String(emu.accounts[name]);
  const vendor = emu.vendor;
  const txs = transactions(opts.n, 'P');
  const t0 = performance.now();
  let posted = 0;
  let throttled = 0;
  for (const tx of txs) {
    const e = mapTransaction(mapping, tx);
    const purchase = toPurchase(
      e,
      {
        liabilityAccountId: id('OpenIssuing Card'),
        expenseAccountId: id(e.lines[0]?.account ?? ''),
        vendorId: vendor,
      },
      { multiCurrency: false, homeCurrency: 'USD' },
    );
    for (;;) {
      try {
        await call((cb) => qbo.createPurchase(purchase, cb));
        posted++;
        break;
      } catch (err) {
        if ((err as { status?: number }).status !== 429) throw err;
        throttled++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  const ms = performance.now() - t0;
  await emu.close();
  return { ms, posted, throttled };
}

const perWindow = 40 * 30;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

console.log(
  `# sync-quickbooks bench — node ${process.version}, state store ${values.store}, window ${W} ms${W === 60_000 ? ' (real minute)' : ' (scaled minute)'}`,
);

// 1. throttling on
if (values.only !== 'off') {
  const nOn = perWindow * K;
  const on = await syncRun({ n: nOn, throttling: true, tag: 'A' });
  const ceilingOn = perWindow * (on.ms / W + 1);
  const rateOn = (on.posted / on.ms) * 1000;
  console.log(
    `throttling ON : ${on.posted}/${nOn} posted in ${fmt(on.ms)} ms = ${fmt(rateOn)} tx/s; ceiling for that time ${fmt(ceilingOn)} tx ` +
      `(${fmt((perWindow / W) * 1000)} tx/s steady) → ${fmt((on.posted / ceilingOn) * 100)} % of ceiling; ` +
      `${on.stats.batches} batch requests, ${on.stats.requests} requests, ${on.stats.throttled} answered 429`,
  );
  const peerOn = await peerRun({ n: Math.min(PEER, 500 * 2), throttling: true });
  const peerOnRate = (peerOn.posted / peerOn.ms) * 1000;
  console.log(
    `  peer naive loop (throttled): ${peerOn.posted} in ${fmt(peerOn.ms)} ms = ${fmt(peerOnRate)} tx/s (${peerOn.throttled} × 429) → sync is ${fmt(rateOn / peerOnRate)}× faster`,
  );
}

// 2. throttling off
if (values.only !== 'on') {
  const off = await syncRun({ n: OFF, throttling: false, tag: 'B' });
  const rateOff = (off.posted / off.ms) * 1000;
  console.log(
    `throttling OFF: ${off.posted}/${OFF} posted in ${fmt(off.ms)} ms = ${fmt(rateOff)} tx/s (goal ≥ 2,000) — ${off.stats.batches} batch requests`,
  );
  console.log(
    `  CPU of the sync (main thread): ${fmt(off.cpuMs)} ms = ${fmt((off.cpuMs * 1000) / off.posted)} µs/tx; ` +
      `emulator thread ${fmt(off.emulatorCpuMs)} ms; state store: ${off.store.statements} statements ` +
      `(${fmt((off.store.statements * 1000) / off.posted)} per 1,000 tx), ${off.store.transactions} transactions`,
  );
  const peerOff = await peerRun({ n: PEER, throttling: false });
  const peerOffRate = (peerOff.posted / peerOff.ms) * 1000;
  console.log(
    `  peer naive loop (unthrottled): ${peerOff.posted} in ${fmt(peerOff.ms)} ms = ${fmt(peerOffRate)} tx/s → sync is ${fmt(rateOff / peerOffRate)}× faster`,
  );
}
