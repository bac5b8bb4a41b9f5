import { type SpendingInterval, spendingWindowStart } from '@openissuing/decision-engine';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPENDING_CATEGORIES } from '../src/authorization/categories';
import { type CounterWindow, counterSumsQuery } from '../src/authorization/counters';
import { type Database, openDatabase } from '../src/db/database';
import { migrate, splitStatements } from '../src/db/migrate';
import * as m0003 from '../src/db/migrations/0003_usage_counters';
import { createAuthorization } from '../src/services/authorizations';
import { createCardholder } from '../src/services/cardholders';
import { createCard } from '../src/services/cards';
import { createTopup } from '../src/services/topups';
import {
  captureAuthorization,
  expireAuthorization,
  refundTransaction,
  reverseAuthorization,
} from '../src/services/transactions';
import { testContext } from './helpers';

// The running counters against the definition they replace: for every scope, interval and
// category filter, the counter sum must equal the old query over the authorization history
// (sum of spend_amount of approved authorizations created at or after the window start).

let db: Database;
let clock = new Date('2026-12-27T22:00:00Z'); // a Sunday: the run crosses a week, month and year
const ctx = () => testContext({ db, now: () => new Date(clock) });

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

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

const INTERVALS: SpendingInterval[] = ['daily', 'weekly', 'monthly', 'yearly', 'all_time'];
const FILTERS: Array<readonly string[] | undefined> = [undefined, ['software'], ['advertising', 'other']];
const MCCS = ['5734', '7311', '7374', '5812', '9999'];

/** The pre-counter definition: a scan over the authorization history. */
function historySum(owner: SQL, w: CounterWindow, now: Date): SQL {
  const start = spendingWindowStart(w.interval, now) as Date;
  const conds: SQL[] = [owner, sql`approved`, sql`created_at >= ${start.toISOString()}::timestamptz`];
  if (w.categories) {
    const named = w.categories
      .filter((c) => c !== 'other')
      .flatMap((c) => SPENDING_CATEGORIES[c]?.mccs ?? []);
    const listed = Object.values(SPENDING_CATEGORIES).flatMap((c) => c.mccs);
    const parts: SQL[] = [];
    if (named.length)
      parts.push(
        sql`mcc IN (${sql.join(
          named.map((m) => sql`${m}`),
          sql`, `,
        )})`,
      );
    if (w.categories.includes('other'))
      parts.push(
        sql`mcc NOT IN (${sql.join(
          listed.map((m) => sql`${m}`),
          sql`, `,
        )})`,
      );
    conds.push(sql`(${sql.join(parts, sql` OR `)})`);
  }
  return sql`SELECT coalesce(sum(spend_amount), 0)::bigint AS s FROM authorizations WHERE ${sql.join(conds, sql` AND `)}`;
}

async function compareAll(cards: { id: string; cardholder: string }[]) {
  const windows: CounterWindow[] = INTERVALS.flatMap((interval) =>
    FILTERS.map((categories) => ({ interval, categories })),
  );
  const scopes = [
    ...cards.map((c) => ({
      scope: { kind: 'card', id: c.id, currency: 'usd' },
      owner: sql`card_id = ${c.id}`,
    })),
    {
      scope: { kind: 'cardholder', id: cards[0]?.cardholder as string, currency: 'usd' },
      owner: sql`cardholder_id = ${cards[0]?.cardholder as string} AND currency = 'usd'`,
    },
  ];
  const now = new Date(clock);
  for (const { scope, owner } of scopes) {
    const [row] = await db.rows<Record<string, unknown>>(counterSumsQuery(scope, windows, now) as SQL);
    for (const [i, w] of windows.entries()) {
      const [expected] = await db.rows<{ s: unknown }>(historySum(owner, w, now));
      expect(
        Number(row?.[`l${i}`]),
        `${scope.kind} ${w.interval} ${w.categories ?? 'all'} at ${now.toISOString()}`,
      ).toBe(Number(expected?.s));
    }
  }
}

describe('usage counters', () => {
  it('equal the authorization-history sums through approvals, captures, reversals, expiries and refunds', async () => {
    const c = ctx();
    await createTopup(c, { amount: 100_000_000, currency: 'usd' });
    const holder = await createCardholder(c, { type: 'individual', name: 'Ada', email: 'ada@example.com' });
    const cards = await Promise.all(
      [0, 1].map(() => createCard(c, { cardholder: holder.id, type: 'virtual', currency: 'usd' })),
    );
    const rand = prng(15);
    const pending: string[] = [];
    const captures: string[] = [];
    let approvedSeen = 0;
    for (let step = 0; step < 160; step++) {
      clock = new Date(clock.getTime() + Math.floor(rand() * 3 * 3600_000)); // up to 3 h per step
      const roll = rand();
      if (roll < 0.5 || pending.length === 0) {
        const card = cards[Math.floor(rand() * cards.length)] as { id: string };
        const auth = await createAuthorization(c, {
          card: card.id,
          amount: 1 + Math.floor(rand() * 5_000),
          merchant_data: { name: 'M', mcc: MCCS[Math.floor(rand() * MCCS.length)] as string, country: 'US' },
        });
        if (auth.approved) {
          approvedSeen++;
          pending.push(auth.id);
        }
      } else {
        const id = pending.splice(Math.floor(rand() * pending.length), 1)[0] as string;
        if (roll < 0.65) {
          const after = await captureAuthorization(c, id, rand() < 0.5 ? { amount: 1 } : {});
          captures.push(after.transactions.at(-1) as string);
        } else if (roll < 0.8) {
          const after = await reverseAuthorization(c, id, rand() < 0.5 ? { amount: 1 } : {});
          if (after.status === 'pending') pending.push(id);
        } else if (roll < 0.9) {
          await expireAuthorization(c, id);
        } else if (captures.length > 0) {
          await refundTransaction(c, captures.shift() as string, {});
        }
      }
      if (step % 20 === 19) await compareAll(cards);
    }
    expect(approvedSeen).toBeGreaterThan(40);
    expect(clock.getUTCFullYear()).toBe(2027);
    await compareAll(cards);
  });

  it('the migration backfill rebuilds the same counters from the history', async () => {
    // Summed over shards: the backfill writes shard 0 only, live writes spread a cardholder's.
    const snapshot = sql`SELECT scope_kind, scope_id, currency, period, period_start::text AS period_start, category, sum(spent)::bigint AS spent
      FROM usage_counters GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(spent) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`;
    const live = await db.rows(snapshot);
    expect(live.length).toBeGreaterThan(10);
    const backfill = splitStatements(m0003.sql).find((s) => s.startsWith('INSERT INTO usage_counters'));
    expect(backfill).toBeDefined();
    await db.transaction(async (tx) => {
      await tx.rows(sql`DELETE FROM usage_counters`);
      await tx.rows(sql.raw(backfill as string));
    });
    expect(await db.rows(snapshot)).toEqual(live);
  });
});
