import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, type Client, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Budgets keep no all-time counter row: an approval writes the day and month rows only, and an
// all_time limit (also one added later) sums the month rows. On PostgreSQL, to read the rows.
const schema = uniqueSchema('budget_all_time');
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
const db = new pg.Client({ connectionString: TEST_DATABASE_URL });

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema }));
  await db.connect();
});
afterAll(async () => {
  await platform?.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.end();
});

/** Counter rows per scope kind and period, e.g. { 'budget/day': 1, 'card/all': 1 }. */
async function counterRows(): Promise<Record<string, number>> {
  const r = await db.query<{ k: string; n: string }>(
    `SELECT scope_kind || '/' || period AS k, count(*) AS n FROM ${schema}.usage_counters
     WHERE spent <> 0 OR scope_kind = 'budget' GROUP BY 1`,
  );
  return Object.fromEntries(r.rows.map((row) => [row.k, Number(row.n)]));
}

describe('budget counters without an all-time row', () => {
  it('approvals and releases write no all-time budget row; an all_time limit added later sees the whole history', async () => {
    const budget = (
      await api.post('/budgets', {
        name: 'Research',
        selector: { department: 'research' },
        currency: 'usd',
        limits: [{ amount: 1_000_000, interval: 'monthly' }],
      })
    ).body;
    const { card } = await seedCard(api, {}, { dimensions: { department: 'research' } });
    const auths = [];
    for (const amount of [1_000, 2_000, 3_000]) {
      const a = await authorize(api, card.id, amount);
      expect(a.body.approved, JSON.stringify(a.body.decision)).toBe(true);
      auths.push(a.body);
    }
    expect((await api.post(`/test_helpers/authorizations/${auths[1].id}/reverse`, {})).status).toBe(200);

    const rows = await counterRows();
    expect(rows['budget/all']).toBeUndefined();
    expect(rows['budget/day']).toBeGreaterThan(0);
    expect(rows['budget/month']).toBeGreaterThan(0);
    expect(rows['card/all']).toBe(1); // card limits keep theirs
    // Still held (not captured): used = spent + held.
    expect((await api.get(`/budgets/${budget.id}`)).body.usage[0]).toMatchObject({ spent: 0, held: 4_000 });

    const updated = await api.patch(`/budgets/${budget.id}`, {
      limits: [
        { amount: 1_000_000, interval: 'monthly' },
        { amount: 5_000, interval: 'all_time' },
      ],
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.usage[1]).toMatchObject({ interval: 'all_time', held: 4_000, remaining: 1_000 });

    const over = await authorize(api, card.id, 1_001);
    expect(over.body.decision).toMatchObject({
      reason: 'budget_exceeded',
      control: `budget.${budget.id}.limits[1]`,
    });
    expect(over.body.decision.message).toContain('has 10.00 USD left of its all_time limit of 50.00 USD');
    expect((await authorize(api, card.id, 1_000)).body.approved).toBe(true);
    expect((await api.get(`/budgets/${budget.id}`)).body.usage[1]).toMatchObject({
      held: 5_000,
      remaining: 0,
    });
    expect((await counterRows())['budget/all']).toBeUndefined();
  });
});
