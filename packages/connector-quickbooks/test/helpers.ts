import {
  ArraySource,
  type MappingConfig,
  openPGlite,
  type PlatformTransaction,
  StateStore,
  SyncEngine,
} from '@openissuing/connector-core';
import { QuickBooksAdapter, type QuickBooksAdapterOptions } from '../src/index.js';
import type { RunningEmulator } from '../src/testing/index.js';

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
  dimensions: { department: 'department', class: 'project' },
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
  { name: 'Figma', mcc: '5734', category: 'software' },
  { name: 'Shell: Station 12', mcc: '5541', category: 'fuel' },
];

/** Platform-shaped transactions with 31-character ids like the platform's. */
export function makeTransactions(
  n: number,
  seed = 1,
  start = Date.parse('2026-11-01T09:00:00Z'),
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

export function adapterFor(
  server: RunningEmulator,
  extra: Partial<QuickBooksAdapterOptions> = {},
): QuickBooksAdapter {
  const emu = server.emulator;
  const tokens = emu.issueTokens();
  return new QuickBooksAdapter({
    realmId: emu.realmId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    tokens,
    endpoint: server.endpoint,
    tokenUrl: server.tokenUrl,
    limits: { windowMs: emu.limits.windowMs },
    ...extra,
  });
}

let shared: ReturnType<typeof openPGlite> | null = null;
let stores = 0;

/** A fresh state store with its own tables in the test file's one in-memory PGlite (fast to create). */
export async function memoryStore(): Promise<StateStore> {
  shared ??= openPGlite();
  const db = await shared;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: `s${++stores}` });
  await store.init();
  return store;
}

/** Closes the shared PGlite (call in afterAll). */
export async function closeStores(): Promise<void> {
  if (shared) await (await shared).close();
  shared = null;
}

export { ArraySource, SyncEngine };

export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`expected an element at index ${i} (length ${list.length})`);
  return v;
}

export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what} to be present`);
  return v;
}

/** Purchases in the emulator per external reference (via the PrivateNote marker). */
export function bookings(purchases: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of purchases) {
    const ref = /\[openissuing:([^\]]+)\]/.exec(String(p.PrivateNote ?? ''))?.[1];
    if (ref) out.set(ref, (out.get(ref) ?? 0) + 1);
  }
  return out;
}
