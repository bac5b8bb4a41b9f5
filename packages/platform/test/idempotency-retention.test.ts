import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { purgeExpiredIdempotencyKeys } from '../src/services/idempotency-retention';
import { type Client, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Keys are kept 24 hours (spec: Idempotency). Rows are aged from outside, on a real PostgreSQL.
const schema = uniqueSchema('idem');
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let admin: pg.Client;

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 }));
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
});
afterAll(async () => {
  await platform?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

const age = (key: string, hours: number) =>
  admin.query(
    `UPDATE ${schema}.idempotency_keys SET created_at = now() - make_interval(hours => $2) WHERE key = $1`,
    [key, hours],
  );

const holder = (name: string) => ({ type: 'individual', name, email: 'ada@example.com' });

describe('Idempotency-Key retention', () => {
  it('replays within 24 hours and frees the key after them', async () => {
    const key = `retention-${Date.now()}`;
    const first = await api.post('/cardholders', holder('Ada'), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);

    await age(key, 23);
    const replay = await api.post('/cardholders', holder('Ada'), { 'Idempotency-Key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const reused = await api.post('/cardholders', holder('Grace'), { 'Idempotency-Key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');

    await age(key, 25);
    const fresh = await api.post('/cardholders', holder('Grace'), { 'Idempotency-Key': key });
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(fresh.body.name).toBe('Grace');
    const replayOfFresh = await api.post('/cardholders', holder('Grace'), { 'Idempotency-Key': key });
    expect(replayOfFresh.body.id).toBe(fresh.body.id);
  });

  it('purges keys past the retention window and keeps the others', async () => {
    const old = `old-${Date.now()}`;
    const recent = `recent-${Date.now()}`;
    expect((await api.post('/cardholders', holder('Old'), { 'Idempotency-Key': old })).status).toBe(201);
    expect((await api.post('/cardholders', holder('New'), { 'Idempotency-Key': recent })).status).toBe(201);
    await age(old, 30);

    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 });
    try {
      expect(await purgeExpiredIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
      expect(await purgeExpiredIdempotencyKeys(db)).toBe(0);
    } finally {
      await db.close();
    }
    const left = await admin.query(`SELECT key FROM ${schema}.idempotency_keys WHERE key = ANY($1)`, [
      [old, recent],
    ]);
    expect(left.rows.map((r) => r.key)).toEqual([recent]);
  });
});
