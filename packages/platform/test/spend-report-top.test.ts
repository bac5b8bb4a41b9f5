import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, type Client, type Json, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { rankedGroups } from './spend-rank';

// GET /reports/spend?limit=N keeps the top N groups and sums the rest into `other` rows — on the real
// server over PGlite and over PostgreSQL.
const schema = uniqueSchema('spendtop');
const backends: [string, () => Parameters<typeof start>[0]][] = [
  ['PGlite', () => ({ apiKey: 'sk_test_spend_top_pglite' })],
  [
    'PostgreSQL',
    () => ({ databaseUrl: TEST_DATABASE_URL, schema, apiKey: 'sk_test_spend_top_postgres', poolSize: 2 }),
  ],
];

const range = () => {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  return `created_gte=${from}&created_lt=${to}`;
};

/** Rows summed per period and currency: what the `other` rows must hold for the given groups. */
function sumPerPeriod(rows: Json[]) {
  const out: Record<string, { amount: number; capture_count: number; refund_count: number }> = {};
  for (const r of rows) {
    const k = `${r.period_start}|${r.currency}`;
    const e = out[k] ?? { amount: 0, capture_count: 0, refund_count: 0 };
    e.amount += r.amount;
    e.capture_count += r.capture_count;
    e.refund_count += r.refund_count;
    out[k] = e;
  }
  return out;
}

describe.each(backends)('GET /reports/spend limit (%s)', (name, options) => {
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;

  beforeAll(async () => {
    ({ platform, api } = await start({ ...options(), spendRollupIntervalMs: 3_600_000 }));
  });
  afterAll(async () => {
    await platform?.close();
    if (name !== 'PostgreSQL') return;
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  async function card(currency: string, department?: string) {
    const h = await api.post('/cardholders', {
      type: 'individual',
      name: 'A',
      email: 'a@example.com',
      dimensions: department ? { department } : {},
    });
    const c = await api.post('/cards', { cardholder: h.body.id, type: 'virtual', currency });
    expect(c.status).toBe(201);
    return c.body.id as string;
  }

  async function spend(cardId: string, amount: number, refund = 0) {
    const a = await authorize(api, cardId, amount, { mcc: '5734', name: 'Shop', country: 'US' });
    expect(a.body.approved, JSON.stringify(a.body.decision)).toBe(true);
    const cap = await api.post(`/test_helpers/authorizations/${a.body.id}/capture`, {});
    expect(cap.status).toBe(200);
    if (refund > 0)
      expect(
        (await api.post(`/test_helpers/transactions/${cap.body.transactions[0]}/refund`, { amount: refund }))
          .status,
      ).toBe(200);
  }

  it('keeps exactly the top N groups, folds the rest into other rows, and the totals stay the same', async () => {
    await api.post('/topups', { amount: 10_000_000, currency: 'usd' });
    await api.post('/topups', { amount: 10_000_000, currency: 'eur' });
    // Net USD value per card: 50,000; 30,000 (two captures); two tied at 20,000; a refund leaving
    // 1,000; 500; and an EUR card worth 27,000 (25,000 € at 1.08). EUR amounts convert exactly, so
    // the reporting totals match too.
    const amounts: [string, number[], number][] = [
      ['usd', [50_000], 0],
      ['usd', [10_000, 20_000], 0],
      ['usd', [20_000], 0],
      ['usd', [20_000], 0],
      ['usd', [9_000], 8_000],
      ['usd', [500], 0],
      ['eur', [25_000], 0],
    ];
    for (const [currency, captures, refund] of amounts) {
      const id = await card(currency, currency === 'eur' ? 'sales' : undefined);
      for (const [i, amount] of captures.entries()) await spend(id, amount, i === 0 ? refund : 0);
    }

    const report = async (q: string) => {
      const res = await api.get(`/reports/spend?${q}&${range()}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const full = await report('group_by=card&interval=day');
    expect(full).toMatchObject({ limit: 10, total_groups: 7, other_groups: 0 });
    expect(full.rows.some((r: Json) => r.other)).toBe(false);
    const order = rankedGroups(full.rows);
    expect(order).toHaveLength(7);

    for (const limit of [1, 3, 4, 6, 7]) {
      const top = await report(`group_by=card&interval=day&limit=${limit}`);
      expect(top).toMatchObject({ limit, total_groups: 7, other_groups: 7 - limit });
      const kept = top.rows.filter((r: Json) => !r.other);
      expect(new Set(kept.map((r: Json) => r.group)), `limit=${limit}`).toEqual(
        new Set(order.slice(0, limit)),
      );
      // Kept groups' rows are the unlimited report's rows, untouched.
      expect(kept).toEqual(full.rows.filter((r: Json) => order.slice(0, limit).includes(r.group)));
      const other = top.rows.filter((r: Json) => r.other);
      expect(other.every((r: Json) => r.group === null && r.label === null)).toBe(true);
      expect(sumPerPeriod(other), `limit=${limit}`).toEqual(
        sumPerPeriod(full.rows.filter((r: Json) => !order.slice(0, limit).includes(r.group))),
      );
      expect(other.length > 0).toBe(limit < 7);
      expect(top.totals).toEqual(full.totals);
      expect(top.reporting_total).toBe(full.reporting_total);
      // Other rows come after the kept rows of their period.
      for (const period of new Set(top.rows.map((r: Json) => r.period_start))) {
        const flags = top.rows.filter((r: Json) => r.period_start === period).map((r: Json) => r.other);
        expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
      }
    }
    // The tie at 20,000 (third and fourth after the EUR card) is broken by the card id's bytes, the same way every time.
    const tied = order.slice(3, 5);
    expect(tied).toEqual(
      [...tied].sort((a, b) => Buffer.compare(Buffer.from(a ?? ''), Buffer.from(b ?? ''))),
    );

    // Few groups: nothing changes; the null group (spend without the department) is a group too.
    const depts = await report('group_by=dimension&dimension=department&interval=month');
    expect(depts).toMatchObject({ total_groups: 2, other_groups: 0 });
    const oneDept = await report('group_by=dimension&dimension=department&interval=month&limit=1');
    expect(oneDept).toMatchObject({ total_groups: 2, other_groups: 1 });
    expect(oneDept.rows.filter((r: Json) => !r.other).map((r: Json) => r.group)).toEqual([null]);
    expect(oneDept.totals).toEqual(depts.totals);
  });

  it('refuses a limit that is not a whole number from 1 to 1000 with a 400 naming limit', async () => {
    for (const limit of ['0', '1001', '2.5', 'ten', '-3']) {
      const res = await api.get(`/reports/spend?group_by=card&limit=${limit}&${range()}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.code, limit).toBe('parameter_invalid');
      expect(JSON.stringify(res.body), limit).toContain('limit');
    }
    expect((await api.get(`/reports/spend?group_by=card&limit=1000&${range()}`)).status).toBe(200);
  });
});
