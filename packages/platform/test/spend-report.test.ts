import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { rollUpSpend } from '../src/reports/spend-rollup';
import { authorize, type Client, type Json, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

const schema = uniqueSchema('spend');
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let db: Database;

beforeAll(async () => {
  // The platform's own rollup job is slowed right down: the test rolls up itself, at chosen moments.
  ({ platform, api } = await start({
    databaseUrl: TEST_DATABASE_URL,
    schema,
    apiKey: 'sk_test_spend_report_suite',
    spendRollupIntervalMs: 3_600_000,
  }));
  db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 });
});
afterAll(async () => {
  await platform?.close();
  await db?.close();
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

async function card(department: string | null, currency = 'usd', project?: string) {
  const dims: Record<string, string> = {};
  if (department) dims.department = department;
  const h = await api.post('/cardholders', {
    type: 'individual',
    name: 'A',
    email: 'a@example.com',
    dimensions: dims,
  });
  const c = await api.post('/cards', {
    cardholder: h.body.id,
    type: 'virtual',
    currency,
    ...(project ? { dimensions: { project } } : {}),
  });
  expect(c.status).toBe(201);
  return c.body.id as string;
}

async function spend(cardId: string, amount: number, mcc: string, name: string, refund = 0) {
  const a = await authorize(api, cardId, amount, { mcc, name, country: 'US' }, { currency: undefined });
  expect(a.body.approved, JSON.stringify(a.body.decision)).toBe(true);
  const cap = await api.post(`/test_helpers/authorizations/${a.body.id}/capture`, {});
  expect(cap.status).toBe(200);
  if (refund > 0) {
    const txn = cap.body.transactions[0];
    expect((await api.post(`/test_helpers/transactions/${txn}/refund`, { amount: refund })).status).toBe(200);
  }
}

/** What the report must say, computed from GET /transactions: net per group and currency. */
async function expected(group: (t: Json) => string | null) {
  const all: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = (await api.get(`/transactions?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body;
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  const out = new Map<string, { amount: number; capture_count: number; refund_count: number }>();
  for (const t of all) {
    const key = `${group(t)}|${t.currency}`;
    const e = out.get(key) ?? { amount: 0, capture_count: 0, refund_count: 0 };
    e.amount += t.type === 'capture' ? t.amount : -t.amount;
    if (t.type === 'capture') e.capture_count++;
    else e.refund_count++;
    out.set(key, e);
  }
  return Object.fromEntries([...out].sort());
}

const asMap = (rows: Json[]) =>
  Object.fromEntries(
    rows
      .map((r) => [
        `${r.group}|${r.currency}`,
        { amount: r.amount, capture_count: r.capture_count, refund_count: r.refund_count },
      ])
      .sort(),
  );

describe('GET /reports/spend (PostgreSQL)', () => {
  const range = () => {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    return `created_gte=${from}&created_lt=${to}`;
  };

  it('sums captures net of refunds per group, the same before and after the rollup job, and in the reporting currency', async () => {
    await api.post('/topups', { amount: 10_000_000, currency: 'usd' });
    await api.post('/topups', { amount: 10_000_000, currency: 'eur' });
    const mkt = await card('marketing');
    const eng = await card('engineering', 'usd', 'platform');
    const none = await card(null);
    const eurMkt = await card('marketing', 'eur');
    await spend(mkt, 12_000, '7311', 'Google Ads');
    await spend(mkt, 8_000, '7311', 'Meta Ads', 3_000);
    await spend(eng, 50_000, '7374', 'AWS');
    await spend(none, 1_500, '5812', 'Cafe');
    await spend(eurMkt, 10_000, '7311', 'Google Ads');

    const byDept = async () =>
      (await api.get(`/reports/spend?group_by=dimension&dimension=department&interval=month&${range()}`))
        .body;
    const want = await expected((t) => t.dimensions.department ?? null);
    const before = await byDept();
    expect(asMap(before.rows)).toEqual(want);
    expect(want['marketing|usd']).toEqual({ amount: 17_000, capture_count: 2, refund_count: 1 });

    // Roll everything up; the report must not change.
    while ((await rollUpSpend(db, 3)) > 0) {}
    const [row] = await db.rows<{ n: unknown }>(
      sql`SELECT count(*) AS n FROM transactions WHERE NOT rolled_up`,
    );
    expect(Number(row?.n)).toBe(0);
    const after = await byDept();
    expect(after).toEqual(before);

    // EUR converted into the program's reporting currency (usd) at the sandbox rate 1.08.
    const eurRow = after.rows.find((r: Json) => r.currency === 'eur');
    expect(eurRow).toMatchObject({ group: 'marketing', amount: 10_000, reporting_amount: 10_800 });
    expect(after.reporting_total).toBe(17_000 + 50_000 + 1_500 + 10_800);
    expect(after.totals).toEqual([
      { currency: 'eur', amount: 10_000, capture_count: 1, refund_count: 0, reporting_amount: 10_800 },
      { currency: 'usd', amount: 68_500, capture_count: 4, refund_count: 1, reporting_amount: 68_500 },
    ]);

    // Half rolled up, half live: new spend after the rollup still counts.
    await spend(mkt, 2_000, '7311', 'Google Ads');
    const mixed = await byDept();
    expect(asMap(mixed.rows)).toEqual(await expected((t) => t.dimensions.department ?? null));

    for (const [groupBy, key] of [
      ['category', (t: Json) => t.merchant_data.category],
      ['merchant', (t: Json) => t.merchant_data.network_id],
      ['card', (t: Json) => t.card],
      ['cardholder', (t: Json) => t.cardholder],
      ['none', () => null],
    ] as const) {
      const r = (await api.get(`/reports/spend?group_by=${groupBy}&interval=day&${range()}`)).body;
      const perGroup: Json = {};
      for (const row of r.rows) {
        const k = `${row.group}|${row.currency}`;
        const e = perGroup[k] ?? { amount: 0, capture_count: 0, refund_count: 0 };
        e.amount += row.amount;
        e.capture_count += row.capture_count;
        e.refund_count += row.refund_count;
        perGroup[k] = e;
      }
      expect(Object.fromEntries(Object.entries(perGroup).sort()), groupBy).toEqual(await expected(key));
    }
    const merchants = (await api.get(`/reports/spend?group_by=merchant&${range()}`)).body.rows;
    expect(merchants.map((r: Json) => r.label)).toContain('Google Ads');

    const eurOnly = (await api.get(`/reports/spend?currency=eur&${range()}`)).body;
    expect(eurOnly.rows.every((r: Json) => r.currency === 'eur')).toBe(true);
  });

  it('a range starting and ending inside a day counts only that part of the day', async () => {
    const now = Date.now();
    const from = new Date(now - 60_000).toISOString();
    const c = await card('sales');
    await spend(c, 4_200, '5734', 'Figma');
    const to = new Date(Date.now() + 1).toISOString();
    while ((await rollUpSpend(db)) > 0) {}
    const r = (
      await api.get(
        `/reports/spend?group_by=dimension&dimension=department&created_gte=${from}&created_lt=${to}`,
      )
    ).body;
    expect(r.rows.filter((x: Json) => x.group === 'sales')).toHaveLength(1);
    expect(r.rows.find((x: Json) => x.group === 'sales').amount).toBe(4_200);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const cases: [string, string][] = [
      ['group_by=dimension', 'dimension'],
      ['group_by=card&dimension=department', 'dimension'],
      ['interval=day&created_gte=2020-01-01T00:00:00Z&created_lt=2026-01-01T00:00:00Z', 'interval'],
      ['created_gte=2026-02-01T00:00:00Z&created_lt=2026-01-01T00:00:00Z', 'created_lt'],
      ['group_by=region', 'group_by'],
    ];
    for (const [q, param] of cases) {
      const base = q.includes('created_gte') ? '' : `&${range()}`;
      const res = await api.get(`/reports/spend?${q}${base}`);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body), q).toContain(param);
    }
    const missing = await api.get('/reports/spend?group_by=card');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('parameter_missing');
  });
});
