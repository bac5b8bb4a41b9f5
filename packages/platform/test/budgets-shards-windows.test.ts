import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget, getBudget } from '../src/budgets/service';
import type { Context } from '../src/context';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { createAuthorization } from '../src/services/authorizations';
import { createCardholder } from '../src/services/cardholders';
import { createCard } from '../src/services/cards';
import { createTopup } from '../src/services/topups';
import { TEST_DATABASE_URL, testContext, uniqueSchema } from './helpers';

// A budget's shard rooms are valid for the current window of each limit only (their key names the
// window starts): across midnight a daily limit starts again from its full amount while a monthly
// limit of the same budget carries on — decided on PostgreSQL's optimistic path, with a clock the
// test moves.

const schema = uniqueSchema('budget_windows');
let db: Database;
let clock = new Date('2026-12-01T23:58:00Z');
let ctx: Context;

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 8 });
  await migrate(db);
  ctx = testContext({ db, now: () => new Date(clock), program: { created_at: '2026-01-01T00:00:00Z' } });
});
afterAll(async () => {
  await db?.close();
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe('budget shard rooms across a window boundary (PostgreSQL)', () => {
  it('a daily limit starts again at midnight, the monthly limit of the same budget does not', async () => {
    await createTopup(ctx, { amount: 100_000_000, currency: 'usd' });
    const budget = await createBudget(ctx, {
      name: 'Ops',
      selector: { department: 'ops' },
      currency: 'usd',
      limits: [
        { amount: 10_000, interval: 'daily' },
        { amount: 15_000, interval: 'monthly' },
      ],
      alert_threshold_percent: null,
    });
    const holder = await createCardholder(ctx, {
      type: 'company',
      name: 'Ops',
      email: 'ops@example.com',
      dimensions: { department: 'ops' },
    });
    const cards: string[] = [];
    for (let i = 0; i < 8; i++) {
      cards.push((await createCard(ctx, { cardholder: holder.id, type: 'virtual', currency: 'usd' })).id);
    }
    const burst = async (n: number) => {
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          createAuthorization(ctx, {
            card: cards[i % cards.length] as string,
            amount: 1_000,
            merchant_data: { name: 'Cloud', mcc: '4816', country: 'US' },
          }),
        ),
      );
      return results.filter((a) => a.approved).length;
    };
    expect(await burst(14)).toBe(10); // the daily limit
    clock = new Date('2026-12-02T00:00:30Z');
    expect(await burst(14)).toBe(5); // a new day, but only 5,000 left of the month
    const usage = (await getBudget(ctx, budget.id)).usage;
    expect(usage.map((u) => u.held)).toEqual([5_000, 15_000]);
    expect(usage.map((u) => u.remaining)).toEqual([5_000, 0]);
    clock = new Date('2027-01-01T00:00:10Z');
    expect(await burst(14)).toBe(10); // a new month and day: both limits start again
  });
});
