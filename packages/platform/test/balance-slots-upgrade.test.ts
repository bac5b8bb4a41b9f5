import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { available, ledgerSum } from './concurrency-shared';
import { authorize, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Migration 0017 widens each balance from 8 slots to 32. A database written with 8 (the shape
// migration 0006 leaves, with funds spread unevenly and a hold outstanding) must upgrade with its
// balance, pending amounts and ledger unchanged, and the hold must settle on its own slot after.

const schema = uniqueSchema('slots_upgrade');
const apiKey = 'sk_test_slots_upgrade_key';

async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe('migration 0017: 8 balance slots to 32', () => {
  it('keeps the balance, the pending holds and the ledger; the hold settles on its slot after', async () => {
    const first = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey });
    const { card } = await seedCard(first.api, {}, {}, 10_000);
    const hold = await authorize(first.api, card.id, 3_000);
    expect(hold.body.approved).toBe(true);
    await first.platform.close();

    // Back to 0006's shape: 8 slots, the hold on slot (its slot mod 8), every slot's funds uneven.
    await query(`BEGIN;
      UPDATE authorizations SET balance_slot = balance_slot % 8;
      CREATE TEMP TABLE eight AS
        SELECT currency, slot % 8 AS slot, sum(available) AS available, sum(pending) AS pending
        FROM balance_slots GROUP BY currency, slot % 8;
      DELETE FROM balance_slots;
      INSERT INTO balance_slots (currency, slot, available, pending) SELECT currency, slot, 0, pending FROM eight;
      UPDATE balance_slots s SET available = t.total FROM (SELECT currency, sum(available) AS total FROM eight GROUP BY currency) t
        WHERE s.currency = t.currency AND s.slot = 7;
      DELETE FROM schema_migrations WHERE id = '0017_wider_balance_slots';
      COMMIT`);
    expect(await query(`SELECT count(*)::int AS n FROM balance_slots WHERE currency = 'usd'`)).toEqual([
      { n: 8 },
    ]);

    const second = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey });
    try {
      const api = second.api;
      const slots = await query<{ slot: number; available: string; pending: string }>(
        `SELECT slot, available, pending FROM balance_slots WHERE currency = 'usd' ORDER BY slot`,
      );
      expect(slots.map((s) => s.slot)).toEqual(Array.from({ length: 32 }, (_, i) => i));
      // 7,000 over 32 slots: 219 in the first 24, 218 in the last 8.
      expect(slots.map((s) => Number(s.available))).toEqual([...Array(24).fill(219), ...Array(8).fill(218)]);
      const [heldOn] = await query<{ balance_slot: number }>(
        `SELECT balance_slot FROM authorizations WHERE id = '${hold.body.id}'`,
      );
      expect(slots.filter((s) => Number(s.pending) > 0)).toEqual([
        { slot: heldOn?.balance_slot, available: expect.any(String), pending: '3000' },
      ]);
      expect(await available(api, 'usd')).toBe(7_000);
      expect(await ledgerSum(api, 'usd')).toBe(7_000);

      // The hold captures and releases on its own slot; the ledger still sums to the balance.
      const captured = await api.post(`/test_helpers/authorizations/${hold.body.id}/capture`, {
        amount: 2_000,
      });
      expect(captured.status, JSON.stringify(captured.body)).toBe(200);
      expect(await available(api, 'usd')).toBe(8_000);
      const pending = await query<{ pending: string }>(
        `SELECT sum(pending)::text AS pending FROM balance_slots WHERE currency = 'usd'`,
      );
      expect(pending).toEqual([{ pending: '0' }]);

      // A top-up spreads over all 32; the exact balance is approved whole, a unit more is declined.
      expect((await api.post('/topups', { amount: 33, currency: 'usd' })).status).toBe(201);
      expect(await available(api, 'usd')).toBe(8_033);
      const all = await authorize(api, card.id, 8_033);
      expect(all.body.approved, JSON.stringify(all.body.decision)).toBe(true);
      const over = await authorize(api, card.id, 1);
      expect(over.body.decision.reason).toBe('insufficient_funds');
      expect(await ledgerSum(api, 'usd')).toBe(0);
    } finally {
      await second.platform.close();
    }
  });
});
