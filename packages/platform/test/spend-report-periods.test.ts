import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../src/authorization/fx';
import { type Database, openDatabase } from '../src/db/database';
import { migrate, splitStatements } from '../src/db/migrate';
import * as m0011 from '../src/db/migrations/0011_spend_period_rollups';
import type { SpendGroupBy } from '../src/reports/spend-groups';
import { type SpendInterval, spendPieces } from '../src/reports/spend-pieces';
import { spendReport } from '../src/reports/spend-report';
import { rollUpSpend } from '../src/reports/spend-rollup';
import { createAuthorization } from '../src/services/authorizations';
import { createCardholder } from '../src/services/cardholders';
import { createCard } from '../src/services/cards';
import { createTopup } from '../src/services/topups';
import { captureAuthorization, refundTransaction } from '../src/services/transactions';
import { type Json, TEST_DATABASE_URL, testContext, uniqueSchema } from './helpers';
import { rankedGroups } from './spend-rank';

// The report against the transactions themselves, per period, group and currency, for ranges that
// start and end inside days, weeks and months, across a year boundary, with the transactions
// rolled up not at all, partly, and completely — on PGlite and on PostgreSQL, each in a session time
// zone far from UTC (the report's periods are UTC whatever the session says).

type Row = {
  period_start: string;
  group: string | null;
  currency: string;
  amount: number;
  capture_count: number;
  refund_count: number;
};

const MERCHANTS = [
  ['Google Ads', '7311'],
  ['AWS', '7374'],
  ['Figma', '5734'],
  ['Cafe', '5812'],
  ['Hotel', '7011'],
] as const;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
/** The UTC period start (`YYYY-MM-DD`) of an instant, computed here independently of the report. */
function periodOf(at: Date, interval: SpendInterval): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (interval === 'month')
    return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)).toISOString().slice(0, 10);
  if (interval === 'week')
    return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
  return day.toISOString().slice(0, 10);
}

type Txn = { created_at: Date; type: string; data: Json };
function groupKey(t: Txn, groupBy: SpendGroupBy, dimension?: string): string | null {
  switch (groupBy) {
    case 'dimension':
      return t.data.dimensions?.[dimension as string] ?? null;
    case 'category':
      return t.data.merchant_data.category;
    case 'merchant':
      return t.data.merchant_data.network_id;
    case 'card':
      return t.data.card;
    case 'cardholder':
      return t.data.cardholder;
    default:
      return null;
  }
}

/** What the report must say, from the raw transactions, in the report's row order. */
function expected(
  txns: Txn[],
  from: Date,
  to: Date,
  groupBy: SpendGroupBy,
  interval: SpendInterval,
  dimension?: string,
) {
  const out = new Map<string, Row>();
  for (const t of txns) {
    if (t.created_at < from || t.created_at >= to) continue;
    const row: Row = {
      period_start: `${periodOf(t.created_at, interval)}T00:00:00Z`,
      group: groupKey(t, groupBy, dimension),
      currency: t.data.currency,
      amount: 0,
      capture_count: 0,
      refund_count: 0,
    };
    const key = `${row.period_start}|${row.group}|${row.currency}`;
    const e = out.get(key) ?? row;
    e.amount += t.type === 'capture' ? t.data.amount : -t.data.amount;
    if (t.type === 'capture') e.capture_count++;
    else e.refund_count++;
    out.set(key, e);
  }
  return inOrder([...out.values()]);
}

/** Rows by period, group (nulls last), currency, in code-unit order (the report's byte order for ASCII). */
const inOrder = (rows: Row[]) => {
  const order = (r: Row) => `${r.period_start}|${r.group ?? '\uffff'}|${r.currency}`;
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
};

/** The group of a transaction row in SQL, written here independently of the report's rollups. */
function groupSql(groupBy: SpendGroupBy, dimension?: string) {
  switch (groupBy) {
    case 'dimension':
      return sql`data->'dimensions'->>${dimension as string}::text`;
    case 'category':
      return sql`data->'merchant_data'->>'category'`;
    case 'merchant':
      return sql`data->'merchant_data'->>'network_id'`;
    case 'card':
      return sql`data->>'card'`;
    case 'cardholder':
      return sql`data->>'cardholder'`;
    default:
      return sql`NULL::text`;
  }
}

/**
 * What a report with `limit` must say: the top `limit` groups of `rows` (ranked independently, see
 * spend-rank.ts) as they are, the rest summed per period and currency into `other` rows.
 */
function folded(rows: Row[], limit: number) {
  const order = rankedGroups(rows);
  const kept = new Set(order.slice(0, limit));
  const other = new Map<string, Row>();
  for (const r of rows.filter((r) => !kept.has(r.group))) {
    const key = `${r.period_start}|${r.currency}`;
    const e = other.get(key) ?? { ...r, group: null, amount: 0, capture_count: 0, refund_count: 0 };
    e.amount += r.amount;
    e.capture_count += r.capture_count;
    e.refund_count += r.refund_count;
    other.set(key, e);
  }
  const all = [
    ...rows.filter((r) => kept.has(r.group)).map((r) => ({ ...r, other: false })),
    ...[...other.values()].map((r) => ({ ...r, other: true })),
  ];
  const key = (r: Row & { other: boolean }) =>
    `${r.period_start}|${r.other ? 1 : 0}|${r.group ?? '\uffff'}|${r.currency}`;
  return {
    rows: all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
    total_groups: order.length,
    other_groups: Math.max(0, order.length - limit),
  };
}

const GROUPINGS: [SpendGroupBy, string | undefined, string | undefined][] = [
  ['none', undefined, undefined],
  ['dimension', 'department', undefined],
  ['dimension', 'project', undefined],
  ['category', undefined, undefined],
  ['merchant', undefined, undefined],
  ['card', undefined, undefined],
  ['cardholder', undefined, undefined],
  ['dimension', 'department', 'eur'],
  ['merchant', undefined, 'usd'],
];
const INTERVALS: SpendInterval[] = ['day', 'week', 'month'];

/** Report ranges at the edges: whole and partial months, weeks, days, a year boundary, 1 ms. */
function ranges(rand: () => number): [string, string][] {
  const fixed: [string, string][] = [
    ['2026-11-01T00:00:00Z', '2027-03-01T00:00:00Z'],
    ['2026-11-14T09:30:00Z', '2027-02-14T09:30:00Z'],
    ['2026-11-30T23:59:59.999Z', '2027-01-01T00:00:00.001Z'],
    ['2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2026-12-28T00:00:00Z', '2027-01-04T00:00:00Z'],
    ['2026-12-27T12:00:00Z', '2027-01-05T12:00:00Z'],
    ['2026-12-31T00:00:00Z', '2027-01-02T00:00:00Z'],
    ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00.001Z'],
    ['2026-12-15T01:00:00Z', '2026-12-15T05:00:00Z'],
    ['2026-12-14T00:00:00Z', '2026-12-15T00:00:00Z'],
  ];
  const start = Date.parse('2026-11-10T00:00:00Z');
  const span = 110 * DAY;
  for (let i = 0; i < 6; i++) {
    const a = start + Math.floor(rand() * span);
    const b = a + 1 + Math.floor(rand() * (span / 2));
    fixed.push([new Date(a).toISOString(), new Date(b).toISOString()]);
  }
  return fixed;
}

describe('spendPieces', () => {
  it('covers every instant of the range exactly once, and uses whole periods of the interval only', () => {
    const rand = prng(11);
    for (const [f, t] of ranges(rand)) {
      for (const interval of INTERVALS) {
        const from = new Date(f);
        const to = new Date(t);
        const p = spendPieces(from, to, interval);
        const spans = [...(p.periods ? [p.periods] : []), ...p.days].map(
          (r) => [Date.parse(`${r.from}T00:00:00Z`), Date.parse(`${r.to}T00:00:00Z`)] as const,
        );
        const all = [...spans, ...p.live.map((r) => [Date.parse(r.from), Date.parse(r.to)] as const)].sort(
          (a, b) => a[0] - b[0],
        );
        expect(all[0]?.[0], `${f} ${t} ${interval}`).toBe(from.getTime());
        expect(all.at(-1)?.[1], `${f} ${t} ${interval}`).toBe(to.getTime());
        for (let i = 1; i < all.length; i++) expect(all[i]?.[0]).toBe(all[i - 1]?.[1]);
        for (const [a, b] of all) expect(b).toBeGreaterThan(a);
        if (p.periods) {
          expect(interval).not.toBe('day');
          const a = new Date(`${p.periods.from}T00:00:00Z`);
          const b = new Date(`${p.periods.to}T00:00:00Z`);
          expect(periodOf(a, interval as SpendInterval)).toBe(p.periods.from);
          expect(periodOf(b, interval as SpendInterval)).toBe(p.periods.to);
        }
        if (p.unrolled) {
          expect(Math.min(...spans.map((x) => x[0]))).toBe(Date.parse(`${p.unrolled.from}T00:00:00Z`));
          expect(Math.max(...spans.map((x) => x[1]))).toBe(Date.parse(`${p.unrolled.to}T00:00:00Z`));
        } else expect(spans).toEqual([]);
      }
    }
    expect(spendPieces(new Date('2027-01-14T09:30:00Z'), new Date('2027-04-14T09:30:00Z'), 'month')).toEqual({
      periods: { from: '2027-02-01', to: '2027-04-01' },
      days: [
        { from: '2027-01-15', to: '2027-02-01' },
        { from: '2027-04-01', to: '2027-04-14' },
      ],
      live: [
        { from: '2027-01-14T09:30:00.000Z', to: '2027-01-15T00:00:00.000Z' },
        { from: '2027-04-14T00:00:00.000Z', to: '2027-04-14T09:30:00.000Z' },
      ],
      unrolled: { from: '2027-01-15', to: '2027-04-14' },
    });
  });
});

const backends: [string, () => Promise<{ db: Database; drop(): Promise<void> }>][] = [
  [
    'PGlite',
    async () => {
      const db = await openDatabase({});
      await db.rows(sql`SET TimeZone = 'Pacific/Kiritimati'`);
      return { db, drop: async () => {} };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const schema = uniqueSchema('spendp');
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      // Every pooled connection in a session time zone 10 hours behind UTC.
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${schema} -c TimeZone=Pacific/Honolulu`);
      const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
      return {
        db,
        async drop() {
          const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  ],
];

describe.each(backends)('GET /reports/spend periods (%s)', (_name, open) => {
  let db: Database;
  let drop: () => Promise<void>;
  let clock = new Date('2026-11-10T00:00:00Z');
  const ctx = () => testContext({ db, now: () => new Date(clock) });

  beforeAll(async () => {
    ({ db, drop } = await open());
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const transactions = async (): Promise<Txn[]> =>
    (await db.rows<Txn>(sql`SELECT created_at, type, data FROM transactions`)).map((t) => ({
      ...t,
      created_at: new Date(t.created_at as unknown as string),
    }));

  async function compareAll(state: string) {
    const txns = await transactions();
    const rand = prng(7);
    let compared = 0;
    let folds = 0;
    for (const [f, t] of ranges(rand)) {
      for (const [groupBy, dimension, currency] of GROUPINGS) {
        for (const interval of INTERVALS) {
          const params = { group_by: groupBy, dimension, interval, created_gte: f, created_lt: t, currency };
          const report = await spendReport(ctx(), params);
          const got = report.rows.map(({ other: _, label: __, reporting_amount: ___, ...r }) => r);
          const want = expected(txns, new Date(f), new Date(t), groupBy, interval, dimension).filter(
            (r) => !currency || r.currency === currency,
          );
          const what = `${state}: ${groupBy}${dimension ? `:${dimension}` : ''} × ${interval}${currency ? ` in ${currency}` : ''} over [${f}, ${t})`;
          expect(got, what).toEqual(want);
          compared += want.length;
          // The same report keeping only the top 1–3 groups, against a direct SQL sum over the
          // transactions folded here: the kept groups' rows unchanged, the rest in `other` rows.
          const sums =
            await db.rows<Row>(sql`SELECT to_char(date_trunc(${interval}, created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') || 'T00:00:00Z' AS period_start,
                ${groupSql(groupBy, dimension)} AS "group", data->>'currency' AS currency,
                sum(CASE WHEN type = 'capture' THEN (data->>'amount')::bigint ELSE -(data->>'amount')::bigint END)::int AS amount,
                (count(*) FILTER (WHERE type = 'capture'))::int AS capture_count, (count(*) FILTER (WHERE type = 'refund'))::int AS refund_count
              FROM transactions WHERE created_at >= ${f}::timestamptz AND created_at < ${t}::timestamptz
                AND (${currency ?? null}::text IS NULL OR data->>'currency' = ${currency ?? null}::text)
              GROUP BY 1, 2, 3`);
          expect(inOrder(sums), `${what}: the test's own SQL sums`).toEqual(want);
          const limit = 1 + Math.floor(rand() * 3);
          const top = await spendReport(ctx(), { ...params, limit });
          expect(
            {
              rows: top.rows.map(({ label: _, reporting_amount: __, ...r }) => r),
              total_groups: top.total_groups,
              other_groups: top.other_groups,
            },
            `${what}, limit ${limit}`,
          ).toEqual(folded(sums, limit));
          // Totals in the card currency are the same whatever the limit; in the reporting currency
          // each row is converted on its own (rounded per row), so the reporting figures are per row.
          const native = (ts: typeof report.totals) => ts.map(({ reporting_amount: _, ...t }) => t);
          expect(native(top.totals), `${what}, limit ${limit}: totals`).toEqual(native(report.totals));
          for (const r of top.rows) {
            const converted = convert(Math.abs(r.amount), r.currency, 'usd').amount;
            expect(r.reporting_amount, `${what}, limit ${limit}: reporting amount`).toBe(
              r.amount < 0 ? -converted : converted,
            );
          }
          expect(top.reporting_total).toBe(top.rows.reduce((s, r) => s + r.reporting_amount, 0));
          if (top.other_groups > 0) folds++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(folds).toBeGreaterThan(100);
  }

  it('equals the transactions per period for every grouping, interval and edge range, rolled up or not', async () => {
    const c = ctx();
    await createTopup(c, { amount: 1_000_000_000, currency: 'usd' });
    await createTopup(c, { amount: 1_000_000_000, currency: 'eur' });
    const holders = await Promise.all(
      ([{ department: 'marketing' }, { department: 'engineering' }, {}] as Record<string, string>[]).map(
        (dimensions, i) =>
          createCardholder(c, { type: 'individual', name: `H${i}`, email: `h${i}@example.com`, dimensions }),
      ),
    );
    const cards = await Promise.all(
      [
        [0, 'usd', { project: 'apollo' }],
        [0, 'eur', {}],
        [1, 'usd', { project: 'gemini' }],
        [2, 'usd', {}],
      ].map(([h, currency, dimensions]) =>
        createCard(c, {
          cardholder: holders[h as number]?.id as string,
          type: 'virtual',
          currency: currency as string,
          dimensions: dimensions as Record<string, string>,
        }),
      ),
    );
    const rand = prng(14);
    const captures: string[] = [];
    const buy = async () => {
      const card = cards[Math.floor(rand() * cards.length)] as { id: string };
      const [name, mcc] = MERCHANTS[Math.floor(rand() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
      const auth = await createAuthorization(c, {
        card: card.id,
        amount: 100 + Math.floor(rand() * 9_000),
        merchant_data: { name, mcc, country: 'US' },
      });
      expect(auth.approved, JSON.stringify(auth.decision)).toBe(true);
      const after = await captureAuthorization(c, auth.id, {});
      captures.push(after.transactions.at(-1) as string);
      if (rand() < 0.15) {
        const txn = captures[Math.floor(rand() * captures.length)] as string;
        await refundTransaction(c, txn, { amount: 1 + Math.floor(rand() * 50) });
      }
    };
    // Spend on the instants either side of a month, week (Sunday/Monday) and year boundary…
    const edges = [
      '2026-11-30T23:59:59.999Z',
      '2026-12-01T00:00:00Z',
      '2026-12-27T23:59:59.999Z',
      '2026-12-28T00:00:00Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00Z',
      '2027-01-01T00:00:00.001Z',
      '2026-12-15T01:00:00Z',
    ];
    for (const at of edges) {
      clock = new Date(at);
      await buy();
    }
    // …and every few hours from 10 November to the end of February.
    clock = new Date('2026-11-10T00:00:00Z');
    while (clock < new Date('2027-02-28T00:00:00Z')) {
      clock = new Date(clock.getTime() + Math.floor(rand() * 30 * 3600_000));
      await buy();
    }
    await compareAll('nothing rolled up');

    const [all] = await db.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM transactions`);
    const total = Number(all?.n);
    // Roll up batches of 50 until the seeded coin says stop (same draws as before: rand() only after n > 0).
    let calls = 0;
    let rolled = 0;
    for (;;) {
      const n = await rollUpSpend(db, 50);
      calls++;
      rolled += n;
      if (!(n > 0 && rand() < 0.6)) break;
    }
    expect(rolled).toBe(Math.min(50 * calls, total));
    const [unrolled] = await db.rows<{ n: unknown }>(
      sql`SELECT count(*) AS n FROM transactions WHERE NOT rolled_up`,
    );
    expect(Number(unrolled?.n)).toBe(total - rolled);
    expect(total - rolled).toBeGreaterThan(0); // the seed stops part-way, so "partly rolled up" is tested
    await compareAll('partly rolled up');

    while ((await rollUpSpend(db, 50)) > 0) {}
    await compareAll('all rolled up');

    // New spend after the rollup (and refunds of rolled-up captures) is read from the transactions.
    clock = new Date('2026-12-20T10:00:00Z');
    for (let i = 0; i < 12; i++) await buy();
    await compareAll('rolled up, then new spend');
  }, 600_000);

  it('keeps each period rollup the sum of its day rollups, and the migration backfill rebuilds them', async () => {
    while ((await rollUpSpend(db)) > 0) {}
    const fromDays = sql`SELECT g.grain, kind, date_trunc(g.grain, day::timestamp)::date::text AS period_start, grp, currency,
        sum(amount)::bigint AS amount, sum(capture_count)::bigint AS capture_count, sum(refund_count)::bigint AS refund_count
      FROM spend_rollups, (VALUES ('week'), ('month')) AS g (grain) GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
    const periods = sql`SELECT grain, kind, period_start::text AS period_start, grp, currency,
        amount::bigint AS amount, capture_count::bigint AS capture_count, refund_count::bigint AS refund_count
      FROM spend_period_rollups ORDER BY 1, 2, 3, 4, 5`;
    const live = await db.rows(periods);
    expect(live.length).toBeGreaterThan(50);
    expect(live).toEqual(await db.rows(fromDays));
    const backfill = splitStatements(m0011.sql).find((s) =>
      s.trim().startsWith('INSERT INTO spend_period_rollups'),
    );
    expect(backfill).toBeDefined();
    await db.transaction(async (tx) => {
      await tx.rows(sql`DELETE FROM spend_period_rollups`);
      await tx.rows(sql.raw(backfill as string));
    });
    expect(await db.rows(periods)).toEqual(live);
  });
});
