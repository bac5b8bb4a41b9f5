import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNumberFor } from '../src/index.js';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import {
  ArraySource,
  adapterFor,
  at,
  bookings,
  closeStores,
  makeTransactions,
  mapping,
  memoryStore,
  must,
  SyncEngine,
} from './helpers.js';

let server: RunningEmulator;
beforeAll(async () => {
  server = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
});
afterAll(async () => {
  await server.close();
  await closeStores();
});

describe('QuickBooksAdapter against the emulator', () => {
  it('books each transaction as one Purchase with the documented fields', async () => {
    const txs = makeTransactions(45, 2);
    txs[0] = { ...at(txs, 0), type: 'refund' };
    const store = await memoryStore();
    const report = await new SyncEngine({
      adapter: adapterFor(server),
      store,
      mapping,
      source: new ArraySource(txs),
    }).run();
    expect(report.counts).toMatchObject({ posted: 45, dead: 0 });
    const purchases = server.emulator.purchases();
    expect(purchases).toHaveLength(45);
    const refund = must(purchases.find((p) => p.DocNumber === docNumberFor(at(txs, 0).id)));
    const acct = (name: string) =>
      must(server.emulator.company.list('Account').find((a) => a.Name === name)).Id;
    expect(refund).toMatchObject({
      PaymentType: 'CreditCard',
      Credit: true,
      AccountRef: { value: acct('OpenIssuing Card') },
      EntityRef: { type: 'Vendor' },
      TxnDate: at(txs, 0).created_at.slice(0, 10),
      TotalAmt: at(txs, 0).amount / 100,
    });
    expect(String(refund.DocNumber).length).toBeLessThanOrEqual(21);
    expect(refund.PrivateNote).toContain(at(txs, 0).id);
    const line = at(refund.Line as Array<Record<string, unknown>>, 0);
    expect(line).toMatchObject({
      DetailType: 'AccountBasedExpenseLineDetail',
      Amount: at(txs, 0).amount / 100,
    });
    expect((line.AccountBasedExpenseLineDetail as Record<string, unknown>).ClassRef).toEqual({
      value: must(server.emulator.company.list('Class').find((c) => c.Name === 'Apollo')).Id,
    });
    const department = must(
      server.emulator.company.list('Department').find((d) => d.Name === at(txs, 0).dimensions?.department),
    );
    expect(refund.DepartmentRef).toEqual({ value: department.Id });
    // one vendor per merchant, created once; the colon in "Shell: Station 12" was replaced
    const vendors = server.emulator.company.list('Vendor').map((v) => v.DisplayName);
    expect(new Set(vendors).size).toBe(vendors.length);
    expect(vendors).toContain('Shell Station 12');
    for (const n of bookings(purchases).values()) expect(n).toBe(1);
    await store.close();
  });
});

describe('QuickBooksAdapter resilience', () => {
  it('refreshes an expired access token and reports the rotated tokens', async () => {
    const rotated: string[] = [];
    const adapter = adapterFor(server, { onTokens: (t) => void rotated.push(t.refreshToken) });
    const store = await memoryStore();
    await new SyncEngine({
      adapter,
      store,
      mapping,
      source: new ArraySource(makeTransactions(10, 30)),
    }).run();
    server.emulator.expireAccessTokens();
    const report = await new SyncEngine({
      adapter,
      store,
      mapping,
      source: new ArraySource(makeTransactions(20, 31, { start: Date.parse('2026-11-02T09:00:00Z') })),
    }).run();
    expect(report.posted).toBe(20);
    expect(rotated).toHaveLength(1);
    await store.close();
  });

  it('stops with a clear error when the refresh token is refused', async () => {
    const adapter = adapterFor(server, { tokens: { accessToken: 'stale', refreshToken: 'revoked' } });
    const store = await memoryStore();
    await expect(
      new SyncEngine({ adapter, store, mapping, source: new ArraySource(makeTransactions(3, 32)) }).run(),
    ).rejects.toThrow(/refused to refresh the access token \(invalid_grant\)/);
    // nothing was lost: the transactions wait in the store for the next run
    expect((await store.counts()).pending + (await store.counts()).in_doubt).toBe(3);
    await store.close();
  });

  it('honours 429s from QuickBooks when client-side pacing is off, still exactly once', async () => {
    const tight = await startQuickBooksEmulator({
      limits: { windowMs: 300, batchesPerWindow: 3, requestsPerWindow: 8 },
    });
    const adapter = adapterFor(tight, { throttle: false, limits: { windowMs: 300 } });
    const store = await memoryStore();
    const txs = makeTransactions(200, 33);
    const report = await new SyncEngine({
      adapter,
      store,
      mapping,
      source: new ArraySource(txs),
      retry: { baseMs: 20, maxMs: 200, maxAttempts: 200 },
    }).run();
    expect(tight.emulator.stats.throttled).toBeGreaterThan(0);
    expect(report.counts.posted).toBe(200);
    const booked = bookings(tight.emulator.purchases());
    for (const t of txs) expect(booked.get(t.id)).toBe(1);
    await store.close();
    await tight.close();
  });

  it('books foreign-currency spend with CurrencyRef and ExchangeRate when multicurrency is on', async () => {
    const multi = await startQuickBooksEmulator({ multiCurrency: true });
    const eurCard = multi.emulator.company.createNameList('Account', {
      Name: 'EUR Card',
      AccountType: 'Credit Card',
      CurrencyRef: { value: 'EUR' },
    });
    const adapter = adapterFor(multi, { multiCurrency: true });
    const store = await memoryStore();
    const tx = {
      ...at(makeTransactions(1, 34), 0),
      type: 'capture' as const,
      currency: 'eur',
      amount: 4200,
      merchant_amount: 3600,
      merchant_currency: 'gbp',
      exchange_rate: 1.1667,
    };
    await new SyncEngine({
      adapter,
      store,
      mapping: {
        ...mapping,
        liabilityAccount: 'EUR Card',
        homeCurrency: 'USD',
        exchangeRates: { EUR: 1.08 },
      },
      source: new ArraySource([tx]),
    }).run();
    const [p] = multi.emulator.purchases();
    expect(p).toMatchObject({
      CurrencyRef: { value: 'EUR' },
      ExchangeRate: 1.08,
      TotalAmt: 42,
      AccountRef: { value: eurCard.Id },
    });
    expect(p?.PrivateNote).toContain('Original 36 GBP at 1.1667');
    await store.close();
    await multi.close();
  });

  it('single posts carry a requestid: a retry after a lost response is replayed, not booked twice', async () => {
    const single = await startQuickBooksEmulator();
    const adapter = adapterFor(single, { batch: false });
    const store = await memoryStore();
    // one merchant, known after the first run: the next request after it is a Purchase create
    const txs = makeTransactions(4, 35).map((t) => ({
      ...t,
      merchant_data: { name: 'Figma', mcc: '5734', category: 'software' },
    }));
    await new SyncEngine({ adapter, store, mapping, source: new ArraySource(txs.slice(0, 1)) }).run();
    single.emulator.failNext('reset'); // applies the next create, then drops the connection
    const report = await new SyncEngine({ adapter, store, mapping, source: new ArraySource(txs) }).run();
    expect(report.posted).toBe(3);
    expect(single.emulator.stats.replays).toBe(1);
    const booked = bookings(single.emulator.purchases());
    for (const t of txs) expect(booked.get(t.id)).toBe(1);
    await store.close();
    await single.close();
  });
});
