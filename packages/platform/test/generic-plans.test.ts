import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

// `transactionWith(…, { genericPlans: true })` (the authorization's transaction) plans each prepared
// statement once per connection: plan_cache_mode is force_generic_plan for that transaction only —
// its opening statements already see it, and nothing after it (same connection) does.

const schema = uniqueSchema('generic');
afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

describe('generic plans for one transaction (postgres)', () => {
  let db: Database;
  beforeAll(async () => {
    // One connection, so the statement after the transaction runs where the SET LOCAL ran.
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 });
  });
  afterAll(async () => {
    await db?.close();
  });
  const mode = sql`SELECT current_setting('plan_cache_mode') AS m`;

  it('forces generic plans from the opening statements on, and only in that transaction', async () => {
    const inside = await db.transactionWith(
      [mode],
      async (tx, [opening]) => ({
        opening: opening?.[0]?.m,
        later: (await tx.rows<{ m: string }>(mode))[0]?.m,
      }),
      { genericPlans: true },
    );
    expect(inside).toEqual({ opening: 'force_generic_plan', later: 'force_generic_plan' });
    expect((await db.rows<{ m: string }>(mode))[0]?.m).toBe('auto');
    const plain = await db.transactionWith([mode], async (_tx, [opening]) => opening?.[0]?.m);
    expect(plain).toBe('auto');
  });
});
