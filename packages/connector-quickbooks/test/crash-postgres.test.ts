import { randomBytes } from 'node:crypto';
import { openPostgres, type PlatformTransaction } from '@openissuing/connector-core';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, killRepeatedly } from './crash-helpers.js';

const url = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `oi_qbo_crash_${randomBytes(4).toString('hex')}`;
process.env.OPENISSUING_SYNC_TEST_DB = url;

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  const db = await openPostgres(url, { exclusive: false });
  await db.exec(`drop schema if exists ${schema} cascade`);
  await db.close();
});

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'Blue Bottle Coffee', mcc: '5814', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
];

describe('crash safety: platform → sync (PostgreSQL state) → QuickBooks, with 10% transient faults', () => {
  it('books every platform transaction exactly once after the sync process is SIGKILLed 4 times and resumed', async () => {
    const platform = await startPlatform();
    cleanup.push(() => platform.close());
    const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
    await client.topups.create({ amount: 100_000_000, currency: 'usd' });
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Katherine Johnson',
      email: 'kj@example.com',
      dimensions: { department: 'Engineering', project: 'Gemini' },
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    // 160 captures, 8 at a time
    for (let i = 0; i < 160; i += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, j) => {
          const auth = await client.testHelpers.authorizations.create({
            card: card.id,
            amount: 500 + (((i + j) * 7919) % 50_000),
            merchant_data: MERCHANTS[(i + j) % MERCHANTS.length] as (typeof MERCHANTS)[number],
          });
          await client.testHelpers.authorizations.capture(auth.id, {});
        }),
      );
    }
    const transactions: PlatformTransaction[] = [];
    for await (const t of client.transactions.list({ limit: 100 }))
      transactions.push(t as unknown as PlatformTransaction);
    expect(transactions).toHaveLength(160);

    const { kills, stats } = await killRepeatedly(
      'platform',
      transactions.length,
      0.1,
      { databaseUrlEnv: 'OPENISSUING_SYNC_TEST_DB', schema },
      4,
      { kind: 'platform', baseUrl: platform.url, apiKey: platform.apiKey, transactions },
    );
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(stats.faults).toBeGreaterThan(0);
  });
});
