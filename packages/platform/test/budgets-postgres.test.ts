import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, ledgerSum } from './concurrency-shared';
import { type Client, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { startSecondProcess } from './second-process';

const schema = uniqueSchema('budgets_pg');
const apiKey = 'sk_test_budgets_postgres_suite';
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let other: Client;
let stopOther: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey, poolSize: 10 }));
  const second = await startSecondProcess(schema, apiKey);
  other = second.api;
  stopOther = second.stop;
});
afterAll(async () => {
  await stopOther?.();
  await platform?.close();
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe('a budget shared by many cards, two platform processes on one PostgreSQL', () => {
  it('is never overspent, and declines only what would not fit', async () => {
    await api.post('/topups', { amount: 100_000_000, currency: 'usd' });
    const budget = (
      await api.post('/budgets', {
        name: 'Shared',
        selector: { department: 'shared' },
        currency: 'usd',
        limits: [{ amount: 100_000, interval: 'monthly' }],
      })
    ).body;
    // 20 cards in the department: half through the cardholder's dimensions, half through the card's.
    const cards: string[] = [];
    for (let i = 0; i < 20; i++) {
      const h = await api.post('/cardholders', {
        type: 'individual',
        name: `P${i}`,
        email: `p${i}@example.com`,
        dimensions: i % 2 ? { department: 'shared' } : {},
      });
      const c = await api.post('/cards', {
        cardholder: h.body.id,
        type: 'virtual',
        currency: 'usd',
        dimensions: i % 2 ? {} : { department: 'shared' },
      });
      cards.push(c.body.id);
    }
    // Warm both processes' plan caches, then a burst of 400 × 1,000 from both processes at once.
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        (i % 2 ? other : api).post('/test_helpers/authorizations', {
          card: cards[i % cards.length],
          amount: 1_000,
          merchant_data: { name: `M${i % 5}`, mcc: '7311', country: 'US' },
        }),
      ),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const approved = results.filter((r) => r.body.approved);
    expect(approved.length).toBe(100);
    const reasons = new Set(results.filter((r) => !r.body.approved).map((r) => r.body.decision.reason));
    expect([...reasons]).toEqual(['budget_exceeded']);
    expect((await other.get(`/budgets/${budget.id}`)).body.usage[0]).toMatchObject({
      held: 100_000,
      remaining: 0,
    });

    // Reverse 10 of them in the other process: exactly 10 more fit, from either process.
    for (const r of approved.slice(0, 10)) {
      expect((await other.post(`/test_helpers/authorizations/${r.body.id}/reverse`, {})).status).toBe(200);
    }
    const again = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? api : other).post('/test_helpers/authorizations', {
          card: cards[(i * 7) % cards.length],
          amount: 1_000,
          merchant_data: { name: 'Again', mcc: '7311', country: 'US' },
        }),
      ),
    );
    expect(again.filter((r) => r.body.approved).length).toBe(10);
    expect((await api.get(`/budgets/${budget.id}`)).body.usage[0].remaining).toBe(0);
    expect(await ledgerSum(api, 'usd')).toBe(await available(other, 'usd'));
    // One budget.exceeded for the window, whichever process declined first.
    const exceeded = (await api.get('/events?type=budget.exceeded')).body.data;
    expect(exceeded).toHaveLength(1);
  });

  it('a budget created in one process governs authorizations in the other at once', async () => {
    const h = await api.post('/cardholders', {
      type: 'individual',
      name: 'Late',
      email: 'late@example.com',
      dimensions: { department: 'late' },
    });
    const c = (await api.post('/cards', { cardholder: h.body.id, type: 'virtual', currency: 'usd' })).body;
    const auth = (body: number) =>
      other.post('/test_helpers/authorizations', {
        card: c.id,
        amount: body,
        merchant_data: { name: 'X', mcc: '5734', country: 'US' },
      });
    expect((await auth(5_000)).body.approved).toBe(true); // the other process caches a plan without budgets
    const b = (
      await api.post('/budgets', {
        name: 'Late',
        selector: { department: 'late' },
        currency: 'usd',
        limits: [{ amount: 2_000, interval: 'daily' }],
      })
    ).body;
    expect((await auth(2_001)).body.decision.control).toBe(`budget.${b.id}.limits[0]`);
    expect((await auth(2_000)).body.approved).toBe(true);
  });
});
