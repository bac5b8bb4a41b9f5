import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import type { MappingConfig } from '../mapping/schema.js';
import { openPGlite, openPostgres, type SqlDriver } from '../state/driver.js';
import { StateStore } from '../state/store.js';
import type { PlatformTransaction } from '../transaction.js';

/**
 * A deterministic pseudo-random generator (mulberry32), so fault injection and kill points repeat.
 *
 * @example
 * const random = seeded(42); random(); // 0.6011…, the same every run
 */
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

/** Merchants of the sample transactions, one per common mapping rule. */
export const SAMPLE_MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', category: 'advertising' },
  { name: 'AWS', mcc: '4816', category: 'cloud_computing' },
  { name: 'Blue Bottle Coffee', mcc: '5814', category: 'restaurants' },
  { name: 'Figma', mcc: '5734', category: 'software' },
  { name: 'Shell: Station 12', mcc: '5541', category: 'fuel' },
] as const;

/** Mapping rules for the sample transactions, with the accounts every emulator seeds. */
export const sampleMapping: MappingConfig = {
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

/** What differs between the sample transactions of one connector's tests and another's. */
export interface SampleTransactionOptions {
  /** Time of the first transaction; one follows every 97 s. @default 2026-11-01T09:00:00Z */
  start?: number;
  /** @default 'usd' */
  currency?: string;
  /** The merchants' country. @default 'US' */
  country?: string;
  /** @default 'ic_general' */
  card?: string;
  /** @default 'ich_1' */
  cardholder?: string;
  /** Merchant names by category, replacing those of {@link SAMPLE_MERCHANTS} (e.g. to test escaping). */
  merchantNames?: Partial<Record<(typeof SAMPLE_MERCHANTS)[number]['category'], string>>;
}

/**
 * `n` platform-shaped transactions (31-character ids like the platform's, about 10 % refunds) over a few
 * days, deterministic for a `seed`; `options` set what a connector's tests need (currency, country,
 * card, dates, merchant names) without changing the sequence.
 *
 * @example
 * const txs = sampleTransactions(100, 7);
 * const eur = sampleTransactions(20, 7, { currency: 'eur', country: 'DE' });
 */
export function sampleTransactions(
  n: number,
  seed = 1,
  options: SampleTransactionOptions = {},
): PlatformTransaction[] {
  const rnd = seeded(seed);
  const start = options.start ?? Date.parse('2026-11-01T09:00:00Z');
  const merchants = SAMPLE_MERCHANTS.map((m) => ({
    ...m,
    name: options.merchantNames?.[m.category] ?? m.name,
  }));
  return Array.from({ length: n }, (_, i) => {
    const m = merchants[Math.floor(rnd() * merchants.length)] as (typeof merchants)[number];
    return {
      id: `itxn_01JD${String(seed).padStart(4, '0')}${String(i).padStart(8, '0')}ABCDEFGHJKMN`.slice(0, 31),
      object: 'transaction' as const,
      type: rnd() < 0.1 ? ('refund' as const) : ('capture' as const),
      amount: 100 + Math.floor(rnd() * 50_000),
      currency: options.currency ?? 'usd',
      merchant_data: { name: m.name, mcc: m.mcc, category: m.category, country: options.country ?? 'US' },
      card: options.card ?? 'ic_general',
      cardholder: options.cardholder ?? 'ich_1',
      dimensions: { department: rnd() < 0.5 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(start + i * 97_000).toISOString(),
    };
  });
}

/** The database behind {@link memoryStore}: one per test file (or per worker, see below). */
let shared: { db: Promise<SqlDriver>; schema: string | null } | null = null;
let stores = 0;

/**
 * The database of the test stores. In-memory PGlite by default. With `OPENISSUING_TEST_STATE_URL` set
 * (the mutation tests' vitest config sets it, stryker.vitest.config.ts) a schema of its own in that
 * PostgreSQL database instead, dropped by {@link closeMemoryStores}: a run of a few tests then costs
 * milliseconds to set up, where starting a PGlite costs about a second of CPU — which mutation testing
 * would pay once per mutant.
 */
function openShared(): { db: Promise<SqlDriver>; schema: string | null } {
  const url = process.env.OPENISSUING_TEST_STATE_URL;
  if (!url) return { db: openPGlite(), schema: null };
  const schema = `oi_test_${process.pid}_${threadId}_${randomBytes(3).toString('hex')}`;
  // the schema by connection option, not by `openPostgres`'s `schema` (a `set search_path` per query)
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(inSchema.href, { exclusive: false }).then(async (driver) => {
    await driver.exec(`create schema ${schema}`);
    return driver;
  });
  return { db, schema };
}

/** Tables of each store handed out, by store, so {@link releaseMemoryStore} can hand them out again. */
const tablesOf = new WeakMap<StateStore, { prefix: string; tables: string[] }>();
/** Table sets of released stores, emptied when handed out again. */
let free: { prefix: string; tables: string[] }[] = [];

/**
 * A fresh state store with its own tables in one in-memory PGlite shared by the test file (a new
 * PGlite per test would cost a second each). Call {@link closeMemoryStores} in `afterAll`.
 * The tables of a store handed back with {@link releaseMemoryStore} are emptied and reused: creating
 * a store's tables costs a dozen DDL statements, emptying them one `delete` per table.
 *
 * @example
 * afterAll(closeMemoryStores);
 * const store = await memoryStore();
 */
export async function memoryStore(): Promise<StateStore> {
  shared ??= openShared();
  const db = await shared.db;
  const reused = free.pop();
  const prefix = reused?.prefix ?? `t${++stores}`;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: prefix });
  if (reused) {
    await db.exec(reused.tables.map((t) => `delete from ${t};`).join('\n'));
    tablesOf.set(store, reused);
    return store;
  }
  await store.init();
  // every table init() made, read once: a table a later version adds is emptied too
  const { rows } = await db.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = current_schema() and tablename like $1`,
    [`${prefix}\\_%`],
  );
  tablesOf.set(store, { prefix, tables: rows.map((r) => r.name) });
  return store;
}

/**
 * Hands a store of {@link memoryStore} back once nothing uses it any more (e.g. when its test has
 * finished): the next `memoryStore()` empties its tables and reuses them. Releasing twice is a no-op.
 *
 * @example
 * const store = await memoryStore();
 * onTestFinished(() => releaseMemoryStore(store));
 */
export function releaseMemoryStore(store: StateStore): void {
  const tables = tablesOf.get(store);
  if (!tables) return;
  tablesOf.delete(store);
  free.push(tables);
}

/** Closes the database behind {@link memoryStore} (and drops its schema, on PostgreSQL). */
export async function closeMemoryStores(): Promise<void> {
  const s = shared;
  shared = null;
  free = [];
  if (!s) return;
  const db = await s.db;
  if (s.schema) await db.exec(`drop schema if exists ${s.schema} cascade`);
  await db.close();
}

/** The element at `i`, or an error naming the index (for `noUncheckedIndexedAccess` tests). */
export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`expected an element at index ${i} (length ${list.length})`);
  return v;
}

/** The value, or an error when it is null/undefined. */
export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what} to be present`);
  return v;
}
