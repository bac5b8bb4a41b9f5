import {
  ArraySource,
  isJobSubmitted,
  type JournalEntry,
  type MappingConfig,
  mapTransaction,
  openPGlite,
  type PlatformTransaction,
  type PostOutcome,
  StateStore,
  SyncEngine,
} from '@openissuing/connector-core';
import { basicAuth, type JournalLayout, OracleAdapter, type OracleAdapterOptions } from '../src/index.js';
import type { RunningOracleEmulator } from '../src/testing/index.js';

export const mapping: MappingConfig = {
  liabilityAccount: 'OpenIssuing Card',
  defaultAccount: 'Uncategorized Expense',
  rules: [
    { category: 'advertising', account: 'Advertising' },
    { category: 'cloud_computing', account: 'Cloud Services' },
    { mcc: '5811-5814', account: 'Meals' },
    { category: 'software', account: 'Software' },
    { category: 'fuel', account: 'Fuel' },
  ],
  dimensions: { department: 'department', project: 'project' },
  homeCurrency: 'USD',
  exchangeRates: { EUR: 1.08 },
};

/** Company.Cost Center.Account.Product.Intercompany, as the emulator's default pod. */
export const layout: JournalLayout = {
  ledger: { id: '300000046975971', currency: 'USD' },
  journalSource: 'OpenIssuing Card',
  journalCategory: 'Card Expense',
  segments: [
    { name: 'Company', value: '101' },
    {
      name: 'Cost Center',
      dimension: 'department',
      values: { Marketing: '110', Engineering: '120' },
      default: '000',
      liability: '000',
    },
    { name: 'Account', account: true },
    { name: 'Product', dimension: 'project', values: { Apollo: '100' }, default: '000' },
    { name: 'Intercompany', value: '000' },
  ],
  accounts: {
    'OpenIssuing Card': '2150',
    Advertising: '6100',
    'Cloud Services': '6200',
    Meals: '6300',
    Software: '6400',
    Fuel: '6600',
    'Uncategorized Expense': '6900',
  },
  cardLast4: { ic_general: '4242' },
};

/** Deterministic pseudo-random numbers (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', category: 'advertising' },
  { name: 'AWS', mcc: '4816', category: 'cloud_computing' },
  { name: 'Blue Bottle Coffee', mcc: '5814', category: 'restaurants' },
  { name: 'Figma, Inc.', mcc: '5734', category: 'software' },
  { name: 'Shell "Station 12"', mcc: '5541', category: 'fuel' },
];

/** Platform-shaped transactions in November 2026 (an open period of the default pod). */
export function makeTransactions(
  n: number,
  seed = 1,
  start = Date.parse('2026-11-02T09:00:00Z'),
): PlatformTransaction[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const m = MERCHANTS[Math.floor(rnd() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
    return {
      id: `itxn_01JD${String(seed).padStart(4, '0')}${String(i).padStart(8, '0')}ABCDEFGHJKMN`.slice(0, 31),
      object: 'transaction' as const,
      type: rnd() < 0.1 ? ('refund' as const) : ('capture' as const),
      amount: 100 + Math.floor(rnd() * 50_000),
      currency: 'usd',
      merchant_data: { name: m.name, mcc: m.mcc, category: m.category, country: 'US' },
      card: 'ic_general',
      cardholder: 'ich_1',
      dimensions: { department: rnd() < 0.5 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(start + i * 97_000).toISOString(),
    };
  });
}

export function entriesFor(txs: PlatformTransaction[]): JournalEntry[] {
  return txs.map((t) => mapTransaction(mapping, t));
}

export function adapterFor(
  server: RunningOracleEmulator,
  extra: Partial<OracleAdapterOptions> = {},
): OracleAdapter {
  return new OracleAdapter({
    baseUrl: server.url,
    auth: basicAuth('integration.user', 'emulator-password'),
    layout,
    jobTimeoutMs: 10_000,
    ...extra,
  });
}

/**
 * Posts entries as one upload and follows its job to the end, as the engine would — one job only:
 * re-grouping and bisection after a rejected group are the engine's (see {@link syncAll}).
 */
export async function postToEnd(adapter: OracleAdapter, entries: JournalEntry[]): Promise<PostOutcome[]> {
  const result = await adapter.post(entries);
  if (!isJobSubmitted(result)) return result;
  for (;;) {
    const status = await adapter.jobs.status(result.submitted);
    if (status.state !== 'running') return adapter.jobs.outcomes(result.submitted, status);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the sync engine over `txs` with fast job polling; returns the report and the state store. */
export async function syncAll(
  adapter: OracleAdapter,
  txs: PlatformTransaction[],
  extra: { retry?: { baseMs: number; maxMs: number; maxAttempts?: number } } = {},
) {
  const store = await memoryStore();
  const report = await new SyncEngine({
    adapter,
    store,
    mapping,
    source: new ArraySource(txs),
    retry: extra.retry ?? { baseMs: 10, maxMs: 100 },
    jobPoll: { baseMs: 20, maxMs: 100 },
  }).run();
  return { report, store };
}

let shared: ReturnType<typeof openPGlite> | null = null;
let stores = 0;

/** A fresh state store with its own tables in the test file's one in-memory PGlite. */
export async function memoryStore(): Promise<StateStore> {
  shared ??= openPGlite();
  const db = await shared;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: `s${++stores}` });
  await store.init();
  return store;
}

export async function closeStores(): Promise<void> {
  if (shared) await (await shared).close();
  shared = null;
}
