import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNumberFor } from '../src/index.js';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import {
  ArraySource,
  adapterFor,
  at,
  bookings,
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
    expect(refund.DepartmentRef).toBeDefined();
    // one vendor per merchant, created once; the colon in "Shell: Station 12" was replaced
    const vendors = server.emulator.company.list('Vendor').map((v) => v.DisplayName);
    expect(new Set(vendors).size).toBe(vendors.length);
    expect(vendors).toContain('Shell Station 12');
    for (const n of bookings(purchases).values()) expect(n).toBe(1);
    await store.close();
  });
});
