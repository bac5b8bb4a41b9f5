import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, type Client, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Issue #15: an authorization's card lock no longer sends the card's and cardholder's JSON when
// their row version (migration 0013) is still the one the process cached. A change made by ANOTHER
// platform on the same PostgreSQL — which this process's cache knows nothing of — must still be
// honoured by the very next authorization here. Two platforms, one schema, real HTTP.

const schema = uniqueSchema('versions');
const apiKey = 'sk_test_card_plan_versions';
let a: Awaited<ReturnType<typeof start>>;
let b: Awaited<ReturnType<typeof start>>;

beforeAll(async () => {
  a = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey, poolSize: 4 });
  b = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey, poolSize: 4 });
});
afterAll(async () => {
  await a?.platform.close();
  await b?.platform.close();
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

/** Authorizes on `api` and returns its decision reason (`approved` when approved). */
async function reason(api: Client, card: string, amount: number, merchant: Record<string, unknown> = {}) {
  const r = await authorize(api, card, amount, merchant);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.approved ? 'approved' : r.body.decision.reason;
}

describe('card plan cache against row versions (two platforms, one PostgreSQL)', () => {
  it('honours a freeze, a new limit and an unfreeze made by the other platform at once', async () => {
    const { card } = await seedCard(a.api, {}, {}, 1_000_000);
    expect(await reason(a.api, card.id, 1_000)).toBe('approved');
    expect(await reason(a.api, card.id, 1_000)).toBe('approved'); // served from A's cached plan

    expect((await b.api.post(`/cards/${card.id}/freeze`)).status).toBe(200);
    expect(await reason(a.api, card.id, 1_000)).toBe('card_frozen');
    expect((await b.api.post(`/cards/${card.id}/unfreeze`)).status).toBe(200);
    expect(await reason(a.api, card.id, 1_000)).toBe('approved');

    const patched = await b.api.patch(`/cards/${card.id}`, {
      spending_controls: { spending_limits: [{ amount: 500, interval: 'per_authorization' }] },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await reason(a.api, card.id, 1_000)).toBe('spending_limit');
    expect(await reason(a.api, card.id, 400)).toBe('approved');
  });

  it("honours the cardholder's controls and status changed by the other platform", async () => {
    const { card, cardholder } = await seedCard(a.api, {}, {}, 1_000_000);
    expect(await reason(a.api, card.id, 1_000, { mcc: '7311' })).toBe('approved');

    const blocked = await b.api.patch(`/cardholders/${cardholder.id}`, {
      spending_controls: { blocked_categories: ['advertising'] },
    });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    expect(await reason(a.api, card.id, 1_000, { mcc: '7311' })).toBe('category_blocked');

    // A daily limit on the cardholder (1,000 of it already spent today): A must now lock the
    // cardholder and read its usage.
    const limited = await b.api.patch(`/cardholders/${cardholder.id}`, {
      spending_controls: { spending_limits: [{ amount: 2_500, interval: 'daily' }] },
    });
    expect(limited.status).toBe(200);
    expect(await reason(a.api, card.id, 1_000, { mcc: '7311' })).toBe('approved');
    expect(await reason(a.api, card.id, 1_000, { mcc: '7311' })).toBe('spending_limit');

    expect((await b.api.patch(`/cardholders/${cardholder.id}`, { status: 'inactive' })).status).toBe(200);
    const inactive = await authorize(a.api, card.id, 100);
    expect(inactive.body.approved).toBe(false);
    expect(inactive.body.decision.control).toMatch(/^cardholder\./);
  });

  it('honours a change written straight to the table by any writer (the version is a trigger)', async () => {
    const { card } = await seedCard(a.api, {}, {}, 1_000_000);
    expect(await reason(a.api, card.id, 1_000)).toBe('approved');
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      const before = await c.query('SELECT version FROM cards WHERE id = $1', [card.id]);
      await c.query(
        `UPDATE cards SET data = jsonb_set(data, '{spending_controls}', '{"blocked_categories": ["software"]}') WHERE id = $1`,
        [card.id],
      );
      const after = await c.query('SELECT version FROM cards WHERE id = $1', [card.id]);
      expect(Number(after.rows[0].version)).toBe(Number(before.rows[0].version) + 1);
    } finally {
      await c.end();
    }
    expect(await reason(a.api, card.id, 1_000, { mcc: '5734' })).toBe('category_blocked');
    expect(await reason(b.api, card.id, 1_000, { mcc: '5734' })).toBe('category_blocked');
  });
});
