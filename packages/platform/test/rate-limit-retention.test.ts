import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { PostgresTokenStore } from '../src/http/postgres-token-store';
import { purgeIdleRateLimitBuckets } from '../src/http/rate-limit-retention';
import { startPlatform } from '../src/index';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { eventually } from './receiver';

// Issue #12 follow-up: the PostgreSQL rate-limit buckets (one row per API key, migration 0008) were
// never deleted, so every key that ever called kept a row. Idle buckets — full again, the same as
// no row — are now purged in bounded batches by the maintenance loop, not on the request path.

const schema = uniqueSchema('rl_purge');
let db: Awaited<ReturnType<typeof openDatabase>>;

const bucket = (key: string, idleSeconds: number) => sql`
  INSERT INTO rate_limit_buckets (key, tokens, granted, updated_at)
  VALUES (${key}, 3, 1, clock_timestamp() - make_interval(secs => ${idleSeconds}::float8))`;
const keys = async () =>
  (await db.rows<{ key: string }>(sql`SELECT key FROM rate_limit_buckets ORDER BY key`)).map((r) => r.key);

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema });
  await migrate(db);
});
afterAll(async () => {
  await db.close();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('purging idle rate-limit buckets (PostgreSQL)', () => {
  it('deletes only buckets idle past the threshold, at most a batch per call', async () => {
    await db.rows(sql`DELETE FROM rate_limit_buckets`);
    for (const key of ['idle_a', 'idle_b', 'idle_c']) await db.rows(bucket(key, 3600));
    await db.rows(bucket('recent', 5));
    expect(await purgeIdleRateLimitBuckets(db, 600, 2)).toBe(2);
    expect((await keys()).filter((k) => k.startsWith('idle_'))).toHaveLength(1);
    expect(await purgeIdleRateLimitBuckets(db, 600, 2)).toBe(1);
    expect(await keys()).toEqual(['recent']);
    expect(await purgeIdleRateLimitBuckets(db, 600, 2)).toBe(0);
  });

  it('a purged bucket counts as full again, as it would have refilled', async () => {
    await db.rows(sql`DELETE FROM rate_limit_buckets`);
    const store = new PostgresTokenStore(db);
    expect(await store.take('key_purged', 10, 1, 10)).toEqual({ granted: 10, tokens: 0 });
    await db.rows(
      sql`UPDATE rate_limit_buckets SET updated_at = clock_timestamp() - interval '1 hour' WHERE key = 'key_purged'`,
    );
    expect(await purgeIdleRateLimitBuckets(db, 600)).toBe(1);
    expect(await store.take('key_purged', 10, 1, 10)).toEqual({ granted: 10, tokens: 0 });
  });

  it("runs in the platform's maintenance loop", async () => {
    await db.rows(sql`DELETE FROM rate_limit_buckets`);
    await db.rows(bucket('idle_since_yesterday', 86_400));
    await db.rows(bucket('in_use', 1));
    const platform = await startPlatform({
      databaseUrl: TEST_DATABASE_URL,
      schema,
      webhookPollIntervalMs: 100,
    });
    try {
      await eventually(async () => !(await keys()).includes('idle_since_yesterday'));
      expect(await keys()).toContain('in_use');
    } finally {
      await platform.close();
    }
  });
});
