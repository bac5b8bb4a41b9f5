import { onTestFinished } from 'vitest';
import {
  ArraySource,
  type Clock,
  type ErpAdapter,
  type MappingConfig,
  MemoryErp,
  type MemoryErpOptions,
  type PlatformTransaction,
  type StateStore,
  SyncEngine,
  type SyncEngineOptions,
  type SyncEvent,
} from '../src/index.js';
import {
  at,
  closeMemoryStores,
  must,
  memoryStore as newStore,
  releaseMemoryStore,
  seeded,
} from '../src/testing/fixtures.js';

export { at, must, seeded };
/** Closes the database of the test file's stores (and drops its schema): `afterAll(closeStores)`. */
export const closeStores = closeMemoryStores;

/**
 * A fresh state store for the running test (src/testing/fixtures.ts `memoryStore`); once the test
 * has passed, a later test empties its tables and reuses them. The tables of a failed test are never
 * reused: an engine it left running (a mutant that loops, under mutation testing) may still write.
 * Call it inside a test.
 */
export async function memoryStore(): Promise<StateStore> {
  const store = await newStore();
  onTestFinished((ctx) => {
    if (ctx.task.result?.state === 'pass') releaseMemoryStore(store);
  });
  return store;
}

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

/** Fast engine retries for tests: 1–5 ms backoff. */
export const fast = { baseMs: 1, maxMs: 5, maxAttempts: 50 };

/** Collects an engine's events. */
export function events(): { list: SyncEvent[]; onEvent: (e: SyncEvent) => void } {
  const list: SyncEvent[] = [];
  return { list, onEvent: (e) => void list.push(e) };
}

/** The error of class `type` that `fn` throws (fails the test when it throws nothing or another error). */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

/**
 * A clock for tests that never waits: `sleep(ms)` lets pending work run (one macrotask turn), then
 * moves time on to the sleep's end — unless it is aborted first, when it rejects like the wall clock.
 * `sleeps` lists every sleep asked for, in order.
 */
export function virtualClock(start = 1_000_000): Clock & { t: number; sleeps: number[] } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        c.sleeps.push(ms);
        if (signal?.aborted) return reject(signal.reason);
        const until = c.t + Math.max(0, ms);
        setImmediate(() => {
          if (signal?.aborted) return reject(signal.reason);
          c.t = Math.max(c.t, until);
          resolve();
        });
      }),
  };
  return c;
}

/** What {@link syncFixture} builds around the engine. */
export interface SyncFixtureOptions<A extends ErpAdapter> {
  /** The source's transactions: a count (`makeTransactions(n, seed)`) or the list. Omitted: no source. */
  txs?: number | PlatformTransaction[];
  /** Seed of the generated transactions. @default 1 */
  seed?: number;
  /** The ERP adapter; omitted, a new MemoryErp with `erp`'s options. */
  adapter?: A;
  erp?: MemoryErpOptions;
  /** The other engine options; `retry` defaults to {@link fast} (and is merged with it). */
  engine?: Partial<Omit<SyncEngineOptions, 'adapter' | 'store'>>;
}

/**
 * The parts of one engine test: transactions, an ERP, a fresh state store (released when the test
 * finishes), the engine over them (mapping {@link mapping}, `fast` retries) and its events. Call it
 * inside a test.
 *
 * @example
 * const { txs, erp, engine } = await syncFixture({ txs: 5, seed: 2, erp: { limits: { maxBatchSize: 5 } } });
 * await engine.run();
 * for (const t of txs) expect(erp.count(t.id)).toBe(1);
 */
export async function syncFixture<A extends ErpAdapter = MemoryErp>(
  options: SyncFixtureOptions<A> = {},
): Promise<{
  txs: PlatformTransaction[];
  erp: A;
  store: StateStore;
  engine: SyncEngine;
  ev: ReturnType<typeof events>;
}> {
  const txs =
    typeof options.txs === 'number' ? makeTransactions(options.txs, options.seed ?? 1) : (options.txs ?? []);
  const erp = options.adapter ?? (new MemoryErp(options.erp) as unknown as A);
  const store = await memoryStore();
  const ev = events();
  const { retry, ...rest } = options.engine ?? {};
  const engine = new SyncEngine({
    adapter: erp,
    store,
    mapping,
    ...(options.txs === undefined ? {} : { source: new ArraySource(txs) }),
    onEvent: ev.onEvent,
    ...rest,
    retry: { ...fast, ...retry },
  });
  return { txs, erp, store, engine, ev };
}
