import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { counterDeltas, counterSumsQuery, counterUpsert } from '../src/authorization/counters';
import { usageQuery } from '../src/authorization/usage';
import { budgetCountersQuery, lockBudgetShardsQuery, lockBudgetsQuery } from '../src/budgets/authorize';
import { generationQuery } from '../src/budgets/catalog';
import { claimRoomsStatements, lockShardsOfQuery, shardRowsQuery } from '../src/budgets/shards';
import { renderSql } from '../src/db/statement';
import { eventCte, eventsCte } from '../src/services/events';
import { ledgerCtes } from '../src/services/ledger';

// renderSql is the hot path's own renderer of Drizzle `sql` queries: it must give exactly what
// Drizzle's PgDialect gives, for the authorization path's real statements and for every kind of chunk.

const drizzle = new PgDialect();
const same = (query: SQL) => {
  const expected = drizzle.sqlToQuery(query);
  expect(renderSql(query)).toEqual({ sql: expected.sql, params: expected.params });
};
const now = new Date('2026-12-01T10:00:00.000Z');

describe('renderSql renders as Drizzle does', () => {
  it('the authorization path: usage, counters, events, ledger and budget statements', () => {
    const controls = {
      spending_limits: [
        { amount: 5_000, interval: 'per_authorization' as const },
        { amount: 100_000, interval: 'daily' as const },
        { amount: 900_000, interval: 'weekly' as const, categories: ['software', 'advertising'] },
        { amount: 9_000_000, interval: 'yearly' as const },
        { amount: 90_000_000, interval: 'all_time' as const },
      ],
      velocity: { max_authorizations: 10, window_seconds: 3600 },
    };
    const usage = usageQuery({ card_id: 'ic_1', currency: 'usd' }, controls, now, true);
    const holderUsage = usageQuery({ cardholder_id: 'ich_1', currency: 'usd' }, controls, now, false);
    const sums = counterSumsQuery(
      { kind: 'budget', id: 'ibgt_1', currency: 'eur' },
      controls.spending_limits,
      now,
    );
    const upsert = counterUpsert(
      counterDeltas(
        [
          { kind: 'card', id: 'ic_1', currency: 'usd' },
          { kind: 'cardholder', id: 'ich_1', currency: 'usd', shard: 3 },
        ],
        now.toISOString(),
        '7311',
        1234,
      ),
    );
    const event = eventCte(
      'authorization.created',
      { id: 'iauth_1', amount: 1, nested: { a: [1, 'b'] } },
      now,
    );
    const eventFromSql = eventCte(
      'balance.updated',
      sql`jsonb_build_object('available', ${5}::bigint)`,
      now,
      { available: 1 },
      sql`FROM b`,
      'bu',
    );
    const ledger = ledgerCtes('usd', [{ type: 'hold', amount: -1234, source: 'iauth_1' }], now, 3);
    for (const q of [usage, holderUsage, sums, upsert, ledger]) {
      expect(q).not.toBeNull();
      same(q as SQL);
    }
    same(sql`WITH ${event.cte}, ${eventFromSql.cte} SELECT 1`);
    // The final statement's one events INSERT for several events, a question among them.
    const several = eventsCte([
      { type: 'authorization.created', object: sql`a.data`, now, from: sql`FROM a` },
      { type: 'authorization.request', object: { id: 'iauth_1' }, now },
      { type: 'card.updated', object: { id: 'ic_1' }, now, previous_attributes: { locked_merchant: null } },
    ]);
    expect(several.ids).toHaveLength(3);
    same(sql`WITH ${several.cte} SELECT 1`);
    same(lockBudgetsQuery('usd', { department: 'ads', project: "o'brien" }));
    same(lockBudgetShardsQuery('usd', { department: 'ads' }));
    same(generationQuery);
    const budget = {
      id: 'ibgt_1',
      currency: 'usd',
      limits: [{ amount: 1_000, interval: 'monthly' as const, categories: ['software'] }],
    };
    const other = { ...budget, id: 'ibgt_2', limits: [{ amount: 5_000, interval: 'daily' as const }] };
    for (const budgets of [[budget], [budget, other]] as never[][]) {
      same(shardRowsQuery(budgets, 3));
      same(lockShardsOfQuery(budgets) as SQL);
      for (const q of claimRoomsStatements(budgets, 7, 3, 500, '5734', now)) same(q);
    }
    same(budgetCountersQuery([budget as never], now) as SQL);
  });

  it('every kind of chunk: values, lists, identifiers, nesting, raw text', () => {
    same(sql`SELECT ${1}, ${'a'}, ${null}, ${true}, ${10n}, ${now}, ${undefined}`);
    same(sql`SELECT * FROM t WHERE id IN ${['a', 'b', sql`lower(${'C'})`]}`);
    same(sql`SELECT ${sql.identifier('l0')}, ${sql.identifier('we"ird')} FROM ${sql.identifier('t')}`);
    same(sql`SELECT ${sql.join([sql`${1}`, sql`${2}::int`, sql.raw('3')], sql`, `)} ${sql.empty()}`);
    same(sql.join([sql`a = ${'x'}`, sql`b = ${'y'}`], sql` AND `));
    same(sql`${sql`${sql`${sql`deep ${42}`}`}`}`);
    same(sql.raw(`interval '24 hours'`));
  });

  it('leaves what it does not render to Drizzle, with the same result', () => {
    same(sql`SELECT ${sql.param('x')}, ${sql.param(5, { mapToDriverValue: (v: unknown) => Number(v) * 2 })}`);
    same(sql`SELECT ${sql.placeholder('p')}`);
    same(sql`SELECT ${{ a: 1 }}::jsonb`);
    same(sql`SELECT ${'x'}, ${sql`${'y'}`.inlineParams()}`);
  });
});
