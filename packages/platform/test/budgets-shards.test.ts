import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type Json, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { startSecondProcess } from './second-process';

// A budget's allowance is spread over shard rows (budgets/shards.ts): a card approves against its
// shard's room, a short room is decided again with every shard locked. These tests drive that from
// two platform processes at once and check it is exact to the last unit, never holds back what the
// budget still covers, and keeps the invariant used + Σ rooms ≤ limit in the database itself.

const schema = uniqueSchema('budget_shards');
const apiKey = 'sk_test_budget_shards_suite';
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let other: Client;
let stopOther: (() => Promise<void>) | undefined;
let db: pg.Client;

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey, poolSize: 10 }));
  const second = await startSecondProcess(schema, apiKey);
  other = second.api;
  stopOther = second.stop;
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  await db.query(`SET search_path = ${schema}`);
  await api.post('/topups', { amount: 1_000_000_000, currency: 'usd' });
});
afterAll(async () => {
  await stopOther?.();
  await platform?.close();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db?.end();
});

let seq = 0;
/** A budget selecting a department of its own, and `count` cards in it (spread over the shards). */
async function budgetWithCards(limits: Json[], alert_threshold_percent: number | null, count: number) {
  const department = `dept${++seq}`;
  const budget = (
    await api.post('/budgets', {
      name: `Budget ${seq}`,
      selector: { department },
      currency: 'usd',
      limits,
      alert_threshold_percent,
    })
  ).body;
  expect(budget.id).toMatch(/^ibgt_/);
  const h = await api.post('/cardholders', {
    type: 'company',
    name: `Dept ${seq}`,
    email: `d${seq}@example.com`,
    dimensions: { department },
  });
  const cards: string[] = [];
  for (let i = 0; i < count; i++) {
    cards.push(
      (await api.post('/cards', { cardholder: h.body.id, type: 'virtual', currency: 'usd' })).body.id,
    );
  }
  return { budget, cards };
}

const auth = (via: Client, card: string, amount: number, mcc = '7311') =>
  via.post('/test_helpers/authorizations', {
    card,
    amount,
    merchant_data: { name: 'Ads', mcc, country: 'US' },
  });

/** `count` authorizations of `amount` at once, alternating processes and cards. */
async function burst(cards: string[], count: number, amount: number) {
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      auth(i % 2 ? other : api, cards[i % cards.length] as string, amount),
    ),
  );
  for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
  return {
    approved: results.filter((r) => r.body.approved),
    reasons: new Set(results.filter((r) => !r.body.approved).map((r) => r.body.decision.reason)),
  };
}

/** Limit i's used amount (spent + held) as the API reports it. */
async function used(budgetId: string, i = 0): Promise<number> {
  const u = (await other.get(`/budgets/${budgetId}`)).body.usage[i];
  return u.spent + u.held;
}

/** The database invariant: for every limit, its used amount plus the rooms of the shards (per key) ≤ limit. */
async function expectInvariant(budget: Json) {
  const rows = (
    await db.query<{ key: string; rooms: string[] }>(
      'SELECT key, rooms FROM budget_shards WHERE budget_id = $1',
      [budget.id],
    )
  ).rows;
  expect(rows).toHaveLength(8);
  for (const [i, limit] of (budget.limits as Json[]).entries()) {
    const u = await used(budget.id, i);
    expect(u).toBeLessThanOrEqual(limit.amount);
    const byKey = new Map<string, number>();
    for (const r of rows) byKey.set(r.key, (byKey.get(r.key) ?? 0) + Number(r.rooms[i] ?? 0));
    for (const rooms of byKey.values()) expect(u + rooms).toBeLessThanOrEqual(limit.amount);
  }
}

describe('budget shards on PostgreSQL, two processes', () => {
  it('approve exactly to the last unit of the limit, and a released unit fits again exactly', async () => {
    const { budget, cards } = await budgetWithCards([{ amount: 100_003, interval: 'monthly' }], null, 16);
    const { approved, reasons } = await burst(cards, 300, 1_000);
    expect(approved).toHaveLength(100);
    expect([...reasons]).toEqual(['budget_exceeded']);
    await expectInvariant(budget);

    const four = await auth(other, cards[3] as string, 4);
    expect(four.body.decision).toMatchObject({
      reason: 'budget_exceeded',
      control: `budget.${budget.id}.limits[0]`,
    });
    expect(four.body.decision.message).toContain('has 0.03 USD left');
    expect((await auth(api, cards[5] as string, 3)).body.approved).toBe(true);
    expect((await auth(other, cards[6] as string, 1)).body.approved).toBe(false);
    expect(await used(budget.id)).toBe(100_003);

    const first = approved[0]?.body.id;
    expect((await api.post(`/test_helpers/authorizations/${first}/reverse`, {})).status).toBe(200);
    expect((await auth(other, cards[7] as string, 1_001)).body.approved).toBe(false);
    const again = await burst(cards, 12, 1_000);
    expect(again.approved).toHaveLength(1);
    expect(await used(budget.id)).toBe(100_003);
    await expectInvariant(budget);
  });

  it('never holds back what the budget covers: a purchase larger than its shard’s room is approved', async () => {
    const { budget, cards } = await budgetWithCards([{ amount: 80_000, interval: 'monthly' }], null, 4);
    expect((await auth(api, cards[0] as string, 1_000)).body.approved).toBe(true);
    // Each shard now has about 79,000 / 8 of room; 70,000 fits the budget, not one shard.
    const big = await auth(other, cards[1] as string, 70_000);
    expect(big.body.approved, JSON.stringify(big.body.decision)).toBe(true);
    await expectInvariant(budget);
    // 9,000 remain: of ten 9,000s from both processes at once, exactly one fits.
    const { approved, reasons } = await burst(cards, 10, 9_000);
    expect(approved).toHaveLength(1);
    expect([...reasons]).toEqual(['budget_exceeded']);
    expect(await used(budget.id)).toBe(80_000);
    await expectInvariant(budget);
  });

  it('two budgets over the same cards: each exact, the tighter one declines', async () => {
    const { budget: wide, cards } = await budgetWithCards(
      [{ amount: 1_000_000, interval: 'monthly' }],
      null,
      12,
    );
    const tight = (
      await api.post('/budgets', {
        name: 'Tight',
        selector: (await api.get(`/budgets/${wide.id}`)).body.selector,
        currency: 'usd',
        limits: [{ amount: 30_005, interval: 'monthly' }],
        alert_threshold_percent: 50,
      })
    ).body;
    const { approved, reasons } = await burst(cards, 90, 500);
    expect(approved).toHaveLength(60);
    expect([...reasons]).toEqual(['budget_exceeded']);
    const declined = await auth(other, cards[0] as string, 6);
    expect(declined.body.decision.control).toBe(`budget.${tight.id}.limits[0]`);
    expect((await auth(api, cards[1] as string, 5)).body.approved).toBe(true);
    expect(await used(tight.id)).toBe(30_005);
    expect(await used(wide.id)).toBe(30_005);
    await expectInvariant(wide);
    await expectInvariant(tight);
  });

  it('a category limit counts only its category, on the same shards', async () => {
    const { budget, cards } = await budgetWithCards(
      [
        { amount: 1_000_000, interval: 'monthly' },
        { amount: 20_000, interval: 'weekly', categories: ['advertising'] },
      ],
      null,
      8,
    );
    const ads = await burst(cards, 40, 1_000); // MCC 7311: advertising
    expect(ads.approved).toHaveLength(20);
    const software = await Promise.all(
      Array.from({ length: 20 }, (_, i) => auth(i % 2 ? api : other, cards[i % 8] as string, 1_000, '5734')),
    );
    expect(software.filter((r) => r.body.approved)).toHaveLength(20);
    expect(await used(budget.id, 0)).toBe(40_000);
    expect(await used(budget.id, 1)).toBe(20_000);
    await expectInvariant(budget);
  });

  it('sends the threshold alert exactly once, from the approval that reaches it', async () => {
    const { budget, cards } = await budgetWithCards([{ amount: 10_000, interval: 'monthly' }], 50, 8);
    const { approved } = await burst(cards, 140, 100);
    expect(approved).toHaveLength(100);
    const events = (await api.get('/events?type=budget.threshold_reached&limit=100')).body.data.filter(
      (e: Json) => e.data.object.id === budget.id,
    );
    expect(events).toHaveLength(1);
    // The payload shows the budget with that approval's hold: it took the spend from 4,900 to 5,000.
    expect(events[0].data.object.usage[0]).toMatchObject({ held: 5_000, threshold_reached: true });
    await expectInvariant(budget);
  });

  it('a limit changed in one process binds the other process’s cached plan at once', async () => {
    const { budget, cards } = await budgetWithCards([{ amount: 100_000, interval: 'monthly' }], null, 8);
    const warm = await burst(cards, 10, 1_000);
    expect(warm.approved).toHaveLength(10);
    const lowered = await api.patch(`/budgets/${budget.id}`, {
      limits: [{ amount: 12_000, interval: 'monthly' }],
    });
    expect(lowered.status).toBe(200);
    const after = await burst(cards, 6, 1_000);
    expect(after.approved).toHaveLength(2);
    const raised = await other.patch(`/budgets/${budget.id}`, {
      limits: [{ amount: 20_000, interval: 'monthly' }],
    });
    expect(raised.status).toBe(200);
    const more = await burst(cards, 12, 1_000);
    expect(more.approved).toHaveLength(8);
    expect(await used(budget.id)).toBe(20_000);
    await expectInvariant(raised.body);
  });
});
