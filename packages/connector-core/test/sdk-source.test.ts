import { type Platform, startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryErp,
  openPGlite,
  type PlatformTransaction,
  SdkTransactionSource,
  StateStore,
  SyncEngine,
  type TransactionListClient,
} from '../src/index.js';
import { mapping } from './helpers.js';

const fast = { baseMs: 1, maxMs: 5, maxAttempts: 50 };
const TOTAL = 23;
let platform: Platform;
let client: OpenIssuing;
const shared = openPGlite();
let n = 0;
const created: string[] = [];

type Query = Parameters<TransactionListClient['transactions']['list']>[0];

/** The real SDK client, recording every list request and the size of every page it returned. */
function recording(sdk: OpenIssuing) {
  const calls: Array<{ query: Query; returned: number }> = [];
  const listClient: TransactionListClient = {
    transactions: {
      list: async (query) => {
        const page = await sdk.transactions.list(query);
        calls.push({ query: { ...query }, returned: page.data.length });
        return page as unknown as Awaited<ReturnType<TransactionListClient['transactions']['list']>>;
      },
    },
  };
  return { listClient, calls };
}

async function memoryStore() {
  const db = await shared;
  const store = new StateStore({ ...db, close: async () => {} }, { tablePrefix: `sdk${++n}` });
  await store.init();
  return store;
}

beforeAll(async () => {
  platform = await startPlatform();
  client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
  await client.topups.create({ amount: 10_000_000, currency: 'usd' });
  const holder = await client.cardholders.create({
    type: 'individual',
    name: 'Ada',
    email: 'ada@example.com',
  });
  const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
  for (let i = 0; i < TOTAL; i++) {
    const auth = await client.testHelpers.authorizations.create({
      card: card.id,
      amount: 1_000 + i,
      merchant_data: { name: 'Figma', mcc: '5734', city: 'Berlin', country: 'DE' },
    });
    const captured = await client.testHelpers.authorizations.capture(auth.id);
    created.push(...(captured.transactions as string[]));
  }
  expect(created).toHaveLength(TOTAL);
});
afterAll(async () => {
  await (await shared).close();
  await platform?.close();
});

describe('SdkTransactionSource against the real platform', () => {
  it('pages forward lazily: one API page per list call, oldest first, never the whole history', async () => {
    const { listClient, calls } = recording(client);
    const source = new SdkTransactionSource(listClient, { pageSize: 5 });

    const first = await source.list({ after: null, limit: 500 });
    expect(first.data.map((t) => t.id)).toEqual(created.slice(0, 5));
    expect(first.hasMore).toBe(true);
    // one request, for one page: nothing beyond it was fetched or buffered
    expect(calls).toEqual([{ query: { limit: 5, order: 'asc' }, returned: 5 }]);

    const second = await source.list({ after: first.nextCursor, limit: 500 });
    expect(second.data.map((t) => t.id)).toEqual(created.slice(5, 10));
    expect(calls).toHaveLength(2);
    // continued with the API's forward cursor, from the same created_gte
    expect(calls[1]?.query).toMatchObject({
      order: 'asc',
      limit: 5,
      created_gte: first.nextCursor?.createdAt,
    });
    expect(calls[1]?.query.cursor).toEqual(expect.any(String));
  });

  it('starts a fresh walk from a stored cursor (e.g. after a restart), skipping what it already has', async () => {
    const { listClient, calls } = recording(client);
    const all: PlatformTransaction[] = [];
    for await (const t of client.transactions.list({ order: 'asc', limit: 100 })) all.push(t);
    const at = all[10] as PlatformTransaction;
    const source = new SdkTransactionSource(listClient, { pageSize: 4 });
    let after = { createdAt: at.created_at, id: at.id };
    const seen: string[] = [];
    for (;;) {
      const page = await source.list({ after, limit: 500 });
      expect(page.data.length).toBeLessThanOrEqual(4);
      seen.push(...page.data.map((t) => t.id));
      if (!page.hasMore) break;
      after = page.nextCursor as typeof after;
    }
    // everything after the stored cursor, once, in order — and the cursor's own transaction skipped
    expect(seen).toEqual(created.slice(11));
    expect(calls[0]?.query).toEqual({ limit: 4, order: 'asc', created_gte: at.created_at });
    expect(calls.slice(1).every((c) => typeof c.query.cursor === 'string')).toBe(true);
  });

  it('syncs more transactions than one page exactly once, holding one page at a time', async () => {
    const { listClient, calls } = recording(client);
    const erp = new MemoryErp();
    const store = await memoryStore();
    const ingested: number[] = [];
    const report = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new SdkTransactionSource(listClient, { pageSize: 5 }),
      retry: fast,
      onEvent: (e) => {
        if (e.type === 'ingested') ingested.push(e.count);
      },
    }).run();
    expect(report.counts).toEqual({ pending: 0, in_doubt: 0, posted: TOTAL, dead: 0 });
    for (const id of created) expect(erp.count(id)).toBe(1);
    // ceil(23 / 5) = 5 pages, each ingested as it arrived; no request asked for more than a page
    expect(calls.map((c) => c.returned)).toEqual([5, 5, 5, 5, 3]);
    expect(calls.every((c) => c.query.order === 'asc' && c.query.limit === 5)).toBe(true);
    expect(ingested).toEqual([5, 5, 5, 5, 3]);
    expect(await store.getCursor()).toMatchObject({ id: created[TOTAL - 1] });

    // a second run asks from the stored cursor and finds nothing new
    const again = await new SyncEngine({
      adapter: erp,
      store,
      mapping,
      source: new SdkTransactionSource(listClient, { pageSize: 5 }),
      retry: fast,
    }).run();
    expect(again).toMatchObject({ ingested: 0, posted: 0 });
    expect(calls.at(-1)?.query).toMatchObject({ order: 'asc', created_gte: expect.any(String) });
  });
});
