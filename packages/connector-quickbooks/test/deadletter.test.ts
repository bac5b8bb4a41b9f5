import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import {
  ArraySource,
  adapterFor,
  bookings,
  closeStores,
  makeTransactions,
  mapping,
  memoryStore,
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

describe('dead-letter list', () => {
  it("holds permanently rejected transactions with QuickBooks' own message while the rest syncs", async () => {
    const txs = makeTransactions(120, 5);
    const fuel = txs.filter((t) => t.merchant_data?.category === 'fuel').map((t) => t.id);
    expect(fuel).toHaveLength(22); // seeded: 22 of the 120 are fuel
    server.emulator.deactivate('Account', 'Fuel'); // someone made the account inactive in QuickBooks

    const store = await memoryStore();
    const adapter = adapterFor(server);
    const report = await new SyncEngine({ adapter, store, mapping, source: new ArraySource(txs) }).run();
    expect(report.counts).toEqual({
      pending: 0,
      in_doubt: 0,
      posted: txs.length - fuel.length,
      dead: fuel.length,
    });

    const dead = await store.deadLetters();
    expect(dead.map((d) => d.externalRef).sort()).toEqual([...fuel].sort());
    for (const d of dead) {
      expect(d.errorCode).toBe('610');
      expect(d.errorMessage).toBe(
        "Object Not Found: Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (code 610, element AccountBasedExpenseLineDetail.AccountRef)",
      );
    }
    const booked = bookings(server.emulator.purchases());
    for (const t of txs) expect(booked.get(t.id) ?? 0).toBe(fuel.includes(t.id) ? 0 : 1);

    // the fix: reactivate the account, requeue, run again — each is looked up, then posted once
    const account = server.emulator.company.list('Account').find((a) => a.Name === 'Fuel');
    if (account) account.Active = true;
    expect(await store.requeueDead()).toBe(fuel.length);
    const again = await new SyncEngine({ adapter, store, mapping, source: new ArraySource(txs) }).run();
    expect(again.posted).toBe(fuel.length);
    const after = bookings(server.emulator.purchases());
    for (const t of txs) expect(after.get(t.id)).toBe(1);
    await store.close();
  });
});
