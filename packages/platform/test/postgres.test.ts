import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { splitStatements } from '../src/db/migrate';
import * as m0003 from '../src/db/migrations/0003_usage_counters';
import { available, burst, ledgerSum } from './concurrency-shared';
import { authorize, type Client, client, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

const schema = uniqueSchema('pg');
const apiKey = 'sk_test_postgres_suite_key';
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema, apiKey, poolSize: 10 }));
});
afterAll(async () => {
  await platform?.close();
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

/**
 * Writes `count` approved authorizations of `amount` for a card, created today (UTC midnight + i ms),
 * then rebuilds the usage counters with the migration's own backfill statement.
 */
async function seedHistory(card: string, holder: string, count: number, amount: number) {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const backfill = splitStatements(m0003.sql).find((s) => s.startsWith('INSERT INTO usage_counters'));
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO authorizations (id, card_id, cardholder_id, status, approved, currency, amount, mcc, spend_amount, created_at, data)
       SELECT 'iauth_seed' || i || '_' || $1, $1, $2, 'closed', true, 'usd', $3, '5734', $3,
              date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + i * interval '1 millisecond', '{}'::jsonb
       FROM generate_series(1, $4::int) AS i`,
      [card, holder, amount, count],
    );
    await c.query('DELETE FROM usage_counters');
    await c.query(backfill as string);
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
}

describe('PostgreSQL mode', () => {
  it('runs the same flow as PGlite: hold, capture, refund; the ledger sums to the balance', async () => {
    const { card } = await seedCard(api, {}, {}, 100_000);
    const auth = await authorize(api, card.id, 4_000);
    expect(auth.body.approved).toBe(true);
    await api.post(`/test_helpers/authorizations/${auth.body.id}/capture`, { amount: 3_000 });
    const txn = (await api.get(`/transactions?authorization=${auth.body.id}`)).body.data[0];
    await api.post(`/test_helpers/transactions/${txn.id}/refund`, { amount: 1_000 });
    expect(await available(api, 'usd')).toBe(100_000 - 3_000 + 1_000);
    expect(await ledgerSum(api, 'usd')).toBe(await available(api, 'usd'));
  });

  it('500 parallel authorizations on one card: approved spend equals the limit exactly', async () => {
    const { card } = await seedCard(
      api,
      { spending_controls: { spending_limits: [{ amount: 25_000, interval: 'daily' }] } },
      {},
      1_000_000,
    );
    const { approvedSum, approvedCount, reasons } = await burst([api], card.id, 500, 100);
    expect(approvedSum).toBe(25_000);
    expect(approvedCount).toBe(250);
    expect([...reasons]).toEqual(['spending_limit']);
  });

  it('parallel authorizations across cards never take the balance below zero', async () => {
    await api.post('/topups', { amount: 10_000, currency: 'chf' });
    const cards = await Promise.all(
      Array.from({ length: 5 }, () => seedCard(api, { currency: 'chf' }, {}, 0)),
    );
    const results = await Promise.all(cards.map(({ card }) => burst([api], card.id, 40, 100)));
    const approved = results.reduce((s, r) => s + r.approvedSum, 0);
    expect(approved).toBe(10_000);
    expect(await available(api, 'chf')).toBe(0);
    expect(await ledgerSum(api, 'chf')).toBe(0);
    expect(results.flatMap((r) => [...r.reasons])).toContain('insufficient_funds');
  });

  it('holds racing a small balance whose funds sit in one slot are approved up to its exact sum', async () => {
    // Every slot but one dry: almost every hold finds its slot empty and must be refilled while
    // the others race it. A refill that another hold can drain before this one's hold (a refill in
    // a transaction of its own) declines holds the balance covers; reserved, each is exact.
    await api.post('/topups', { amount: 1_000, currency: 'sek' });
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      await c.query(
        `UPDATE balance_slots SET available = CASE WHEN slot = 0 THEN 1000 ELSE 0 END WHERE currency = 'sek'`,
      );
    } finally {
      await c.end();
    }
    const cards = await Promise.all(
      Array.from({ length: 12 }, () => seedCard(api, { currency: 'sek' }, {}, 0)),
    );
    const results = await Promise.all(cards.map(({ card }) => burst([api], card.id, 10, 100)));
    expect(results.reduce((s, r) => s + r.approvedSum, 0)).toBe(1_000);
    expect(await available(api, 'sek')).toBe(0);
    expect(await ledgerSum(api, 'sek')).toBe(0);
    expect(new Set(results.flatMap((r) => [...r.reasons]))).toEqual(new Set(['insufficient_funds']));
  });

  it('asyncCommit turns synchronous_commit off per transaction only', async () => {
    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1, asyncCommit: true });
    try {
      const inside = await db.transaction((tx) =>
        tx.rows<{ synchronous_commit: string }>(sql`SHOW synchronous_commit`),
      );
      expect(inside[0]?.synchronous_commit).toBe('off');
      const outside = await db.rows<{ synchronous_commit: string }>(sql`SHOW synchronous_commit`);
      expect(outside[0]?.synchronous_commit).toBe('on');
    } finally {
      await db.close();
    }
  });

  it('two platform processes on one PostgreSQL never overspend a limit', async () => {
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
      env: { ...process.env, DATABASE_URL: url.toString(), OPENISSUING_API_KEY: apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const otherUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.stderr?.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.once('exit', (code) => reject(new Error(`second process exited (${code}): ${out}`)));
      });
      const other = client({ url: otherUrl, apiKey, close: async () => {} });
      const { card, cardholder } = await seedCard(
        api,
        { spending_controls: { spending_limits: [{ amount: 30_000, interval: 'monthly' }] } },
        { spending_controls: { velocity: { max_authorizations: 10_000, window_seconds: 60 } } },
        1_000_000,
      );
      expect((await other.get(`/cards/${card.id}`)).body.cardholder).toBe(cardholder.id);
      const { approvedSum, reasons } = await burst([api, other], card.id, 500, 100);
      expect(approvedSum).toBe(30_000);
      expect([...reasons]).toEqual(['spending_limit']);
      expect(await ledgerSum(api, 'usd')).toBe(await available(other, 'usd'));

      // A busy card: 2,500 approved authorizations already today (seeded in SQL, counters rebuilt by
      // the migration's backfill), then a burst from both processes at its daily limit.
      const busy = await seedCard(
        api,
        { spending_controls: { spending_limits: [{ amount: 30_000, interval: 'daily' }] } },
        {},
        0,
      );
      await seedHistory(busy.card.id, busy.cardholder.id, 2_500, 10);
      const second = await burst([api, other], busy.card.id, 120, 100);
      expect(second.approvedSum).toBe(30_000 - 25_000);
      expect(second.approvedCount).toBe(50);
      expect([...second.reasons]).toEqual(['spending_limit']);

      // The balance (spread over slots) from both processes: approvals stop at its exact sum.
      await api.post('/topups', { amount: 7_000, currency: 'eur' });
      const eurCards = await Promise.all(
        Array.from({ length: 4 }, () => seedCard(api, { currency: 'eur' }, {}, 0)),
      );
      const eur = await Promise.all(eurCards.map(({ card }) => burst([api, other], card.id, 30, 100)));
      expect(eur.reduce((s, r) => s + r.approvedSum, 0)).toBe(7_000);
      expect(await available(other, 'eur')).toBe(0);
      expect(await ledgerSum(api, 'eur')).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
