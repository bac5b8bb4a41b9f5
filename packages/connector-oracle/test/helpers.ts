import {
  ArraySource,
  isJobSubmitted,
  type JournalEntry,
  type MappingConfig,
  mapTransaction,
  type PlatformTransaction,
  type PostOutcome,
  SyncEngine,
} from '@openissuing/connector-core';
import { memoryStore, sampleMapping, sampleTransactions } from '@openissuing/connector-core/testing';
import { basicAuth, type JournalLayout, OracleAdapter, type OracleAdapterOptions } from '../src/index.js';
import type { RunningOracleEmulator } from '../src/testing/index.js';

/** The shared sample mapping, with Oracle's project segment and a home currency. */
export const mapping: MappingConfig = {
  ...sampleMapping,
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

/** Sample transactions in November 2026 (an open period of the default pod), with merchant names that need CSV quoting. */
export function makeTransactions(
  n: number,
  seed = 1,
  start = Date.parse('2026-11-02T09:00:00Z'),
): PlatformTransaction[] {
  return sampleTransactions(n, seed, {
    start,
    merchantNames: { software: 'Figma, Inc.', fuel: 'Shell "Station 12"' },
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

export {
  closeMemoryStores as closeStores,
  memoryStore,
  seeded,
} from '@openissuing/connector-core/testing';
