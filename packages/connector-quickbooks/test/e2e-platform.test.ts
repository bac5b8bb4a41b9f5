import {
  type PlatformTransaction,
  reconcile,
  renderReconciliationHtml,
  SdkTransactionSource,
  type TransactionListClient,
} from '@openissuing/connector-core';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { adapterFor, bookings, closeStores, mapping, memoryStore, must, SyncEngine } from './helpers.js';

let platform: Awaited<ReturnType<typeof startPlatform>>;
let qbo: RunningEmulator;
let client: OpenIssuing;

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'Blue Bottle Coffee', mcc: '5814', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
  { name: 'Shell', mcc: '5541', country: 'US' },
];

beforeAll(async () => {
  platform = await startPlatform();
  qbo = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
  client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
  await client.topups.create({ amount: 100_000_000, currency: 'usd' });
});
afterAll(async () => {
  await qbo?.close();
  await platform?.close();
  await closeStores();
});

/** Spends on the platform the way a card network would: authorize, capture, sometimes refund. */
async function spend(cardId: string, count: number, offset: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const m = MERCHANTS[(i + offset) % MERCHANTS.length] as (typeof MERCHANTS)[number];
    const auth = await client.testHelpers.authorizations.create({
      card: cardId,
      amount: 1_000 + ((i * 7919 + offset) % 90_000),
      merchant_data: m,
    });
    expect(auth.approved).toBe(true);
    await client.testHelpers.authorizations.capture(auth.id, {});
    if (i % 7 === 3) {
      const capture = must((await client.transactions.list({ authorization: auth.id })).data[0], 'capture');
      await client.testHelpers.transactions.refund(capture.id, { amount: 500 });
    }
  }
}

async function platformTransactions(): Promise<PlatformTransaction[]> {
  const all: PlatformTransaction[] = [];
  for await (const t of client.transactions.list({ limit: 100 }))
    all.push(t as unknown as PlatformTransaction);
  return all;
}

describe('end to end: platform → sync → QuickBooks emulator', () => {
  it('books every platform transaction once and the QuickBooks ledger equals the platform totals', async () => {
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      dimensions: { department: 'Marketing', project: 'Apollo' },
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    await spend(card.id, 24, 0);

    const store = await memoryStore();
    const adapter = adapterFor(qbo);
    const source = new SdkTransactionSource(client as unknown as TransactionListClient);
    const first = await new SyncEngine({ adapter, store, mapping, source }).run();

    const txs = await platformTransactions();
    expect(txs.some((t) => t.type === 'refund')).toBe(true);
    expect(first.counts).toEqual({ pending: 0, in_doubt: 0, posted: txs.length, dead: 0 });

    // more spend later: only the new transactions are pulled from the cursor and booked
    await spend(card.id, 10, 3);
    const second = await new SyncEngine({ adapter, store, mapping, source }).run();
    const all = await platformTransactions();
    expect(second.ingested).toBe(all.length - txs.length);

    const booked = bookings(qbo.emulator.purchases());
    for (const t of all) expect(booked.get(t.id), t.id).toBe(1);
    expect(booked.size).toBe(all.length);

    // ledger totals (per expense account and overall) equal the platform's
    const signed = (t: PlatformTransaction) => (t.type === 'refund' ? -t.amount : t.amount);
    const platformTotal = all.reduce((s, t) => s + signed(t), 0);
    const ledgerTotal = qbo.emulator
      .purchases()
      .reduce((s, p) => s + Math.round(Number(p.TotalAmt) * 100) * (p.Credit ? -1 : 1), 0);
    expect(ledgerTotal).toBe(platformTotal);

    const today = new Date().toISOString().slice(0, 10);
    const report = await reconcile({ source, adapter, mapping, store, from: '2000-01-01', to: today });
    expect(report.issues).toEqual([]);
    expect(report.matched).toBe(true);
    expect(report.totals).toEqual([
      {
        currency: 'USD',
        platform: platformTotal,
        erp: platformTotal,
        difference: 0,
        platformCount: all.length,
        erpCount: all.length,
      },
    ]);
    expect(new Set(report.rows.map((r) => r.account))).toEqual(
      new Set(['Advertising', 'Cloud Services', 'Meals', 'Software', 'Fuel']),
    );
    expect(renderReconciliationHtml(report)).toContain('matched');
    // dimensions went to QuickBooks' class and department
    // (every transaction is Ada's: department Marketing, project Apollo)
    const idOf = (entity: 'Department' | 'Class', name: string) =>
      must(
        qbo.emulator.company.list(entity).find((e) => e.Name === name),
        `${entity} ${name}`,
      ).Id;
    for (const p of qbo.emulator.purchases()) {
      expect(p.DepartmentRef).toEqual({ value: idOf('Department', 'Marketing') });
      for (const line of p.Line as Array<{ AccountBasedExpenseLineDetail: Record<string, unknown> }>)
        expect(line.AccountBasedExpenseLineDetail.ClassRef).toEqual({ value: idOf('Class', 'Apollo') });
    }
    await store.close();
  });
});
