import {
  type MappingConfig,
  openPGlite,
  type PlatformTransaction,
  StateStore,
  type SyncEvent,
} from '../src/index.js';

export const mapping: MappingConfig = {
  liabilityAccount: 'OpenIssuing Card',
  defaultAccount: 'Uncategorized Expense',
  rules: [
    { category: 'advertising', account: 'Advertising' },
    { category: 'cloud_computing', account: 'Cloud Services' },
    { mcc: '5811-5814', account: 'Meals' },
    { merchant: 'Figma', account: 'Design Software' },
    { card: 'ic_marketing', category: 'advertising', account: 'Marketing Ads' },
  ],
  dimensions: { department: 'department', class: 'project' },
};

/** A deterministic pseudo-random generator (mulberry32) so tests are repeatable. */
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
  { name: 'Shell', mcc: '5541', category: 'fuel' },
];

/** `n` transactions over a few days, some refunds, ids sortable like the platform's. */
export function makeTransactions(
  n: number,
  seed = 1,
  start = Date.parse('2026-11-01T09:00:00Z'),
): PlatformTransaction[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const m = MERCHANTS[Math.floor(rnd() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
    return {
      id: `itxn_${String(i).padStart(8, '0')}${seed}`,
      object: 'transaction' as const,
      type: rnd() < 0.1 ? ('refund' as const) : ('capture' as const),
      amount: 100 + Math.floor(rnd() * 100_000),
      currency: 'usd',
      merchant_amount: null,
      merchant_currency: null,
      merchant_data: { name: m.name, mcc: m.mcc, category: m.category, country: 'US' },
      card: rnd() < 0.2 ? 'ic_marketing' : 'ic_general',
      cardholder: 'ich_1',
      dimensions: { department: rnd() < 0.5 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(start + i * 97_000).toISOString(),
    };
  });
}

/** The element at `i`, or a test failure naming the index. */
export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`expected an element at index ${i} (length ${list.length})`);
  return v;
}

/** The value, or a test failure when it is null/undefined. */
export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what} to be present`);
  return v;
}

/** Fast engine retries for tests: 1–5 ms backoff. */
export const fast = { baseMs: 1, maxMs: 5, maxAttempts: 50 };

let sharedDb: ReturnType<typeof openPGlite> | null = null;
let stores = 0;

/** A fresh state store with its own tables in the test file's one in-memory PGlite. */
export async function memoryStore(): Promise<StateStore> {
  sharedDb ??= openPGlite();
  const db = await sharedDb;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: `t${++stores}` });
  await store.init();
  return store;
}

/** Closes the test file's PGlite (call in afterAll). */
export async function closeStores(): Promise<void> {
  if (sharedDb) await (await sharedDb).close();
  sharedDb = null;
}

/** Collects an engine's events. */
export function events(): { list: SyncEvent[]; onEvent: (e: SyncEvent) => void } {
  const list: SyncEvent[] = [];
  return { list, onEvent: (e) => void list.push(e) };
}
