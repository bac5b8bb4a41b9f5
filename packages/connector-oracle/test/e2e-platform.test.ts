import {
  type PlatformTransaction,
  reconcile,
  SdkTransactionSource,
  SyncEngine,
  type TransactionListClient,
} from '@openissuing/connector-core';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOracleEmulator, startOracleEmulator } from '../src/testing/index.js';
import { adapterFor, closeStores, layout, mapping, memoryStore } from './helpers.js';

let platform: Awaited<ReturnType<typeof startPlatform>>;
let oracle: RunningOracleEmulator;
let client: OpenIssuing;

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'Blue Bottle Coffee', mcc: '5814', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
];

beforeAll(async () => {
  platform = await startPlatform();
  oracle = await startOracleEmulator({ jobLatency: { queuedMs: 20, runningMs: 80 } });
  // the platform books at today's date: open today's period in the emulator's calendar
  const now = new Date();
  const name = `${now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })}-${String(now.getUTCFullYear()).slice(2)}`;
  oracle.emulator.setPeriodStatus(name, 'O');
  client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
  await client.topups.create({ amount: 100_000_000, currency: 'usd' });
});
afterAll(async () => {
  await oracle?.close();
  await platform?.close();
  await closeStores();
});

describe('end to end: platform → sync → Oracle emulator', () => {
  it('imports every platform transaction once and the Oracle journals reconcile to the platform totals', async () => {
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      dimensions: { department: 'Engineering', project: 'Apollo' },
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    for (let i = 0; i < 18; i++) {
      const auth = await client.testHelpers.authorizations.create({
        card: card.id,
        amount: 1_000 + ((i * 7919) % 90_000),
        merchant_data: MERCHANTS[i % MERCHANTS.length] as (typeof MERCHANTS)[number],
      });
      await client.testHelpers.authorizations.capture(auth.id, {});
      if (i % 6 === 2) {
        const capture = (await client.transactions.list({ authorization: auth.id })).data[0];
        if (capture) await client.testHelpers.transactions.refund(capture.id, { amount: 500 });
      }
    }
    const real = adapterFor(oracle, {
      layout: { ...layout, cardLast4: {} },
      cardLast4: async (id) => (await client.cards.retrieve(id)).last4,
    });
    const source = new SdkTransactionSource(client as unknown as TransactionListClient);
    const store = await memoryStore();
    const report = await new SyncEngine({ adapter: real, store, mapping, source }).run();
    const txs: PlatformTransaction[] = [];
    for await (const t of client.transactions.list({ limit: 100 }))
      txs.push(t as unknown as PlatformTransaction);
    expect(txs.some((t) => t.type === 'refund')).toBe(true);
    expect(report.posted).toBe(txs.length);
    const booked = oracle.emulator.journalsByReference();
    const line = oracle.emulator.batches[0]?.journals[0]?.lines[0];
    expect(line?.description).toBe(`${MERCHANTS[0]?.name} card ${card.last4}`);
    expect(txs.every((t) => booked.get(t.id) === 1)).toBe(true);

    const day = (t: string) => t.slice(0, 10);
    const from = txs.map((t) => day(t.created_at)).sort()[0] as string;
    const to = txs
      .map((t) => day(t.created_at))
      .sort()
      .at(-1) as string;
    const rec = await reconcile({ source, adapter: real, mapping, from, to });
    expect(rec.issues).toEqual([]);
    expect(rec.matched).toBe(true);
    expect(rec.totals.map((t) => [t.currency, t.erp, t.erpCount])).toEqual(
      rec.totals.map((t) => [t.currency, t.platform, t.platformCount]),
    );

    // a second run on the same state imports nothing new
    const again = await new SyncEngine({ adapter: real, store, mapping, source }).run();
    expect(again.posted).toBe(0);
    expect(oracle.emulator.stats.importedJournals).toBe(txs.length);
  });
});
