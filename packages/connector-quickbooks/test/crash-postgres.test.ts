import { randomBytes } from 'node:crypto';
import { openPostgres } from '@openissuing/connector-core';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, killRepeatedly } from './crash-helpers.js';

const url = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `oi_qbo_crash_${randomBytes(4).toString('hex')}`;
process.env.OPENISSUING_SYNC_TEST_DB = url;

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  const db = await openPostgres(url);
  await db.exec(`drop schema if exists ${schema} cascade`);
  await db.close();
});

describe('crash safety with the PostgreSQL state store and 10% transient faults', () => {
  it('books every transaction exactly once after the sync process is SIGKILLed 4 times and resumed', async () => {
    const { kills, stats } = await killRepeatedly('postgres', 600, 0.1, {
      databaseUrlEnv: 'OPENISSUING_SYNC_TEST_DB',
      schema,
    });
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(stats.faults).toBeGreaterThan(0);
  });
});
