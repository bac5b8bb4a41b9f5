import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { sql } from '../src/db/sql';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

// node-postgres's pool hands out the most recently released connection, so under steady load the
// others sit idle; with its default idle timeout (10 s) they were closed, and the next burst waited
// for new backends that parse every prepared statement and load their catalog caches again (the
// open-loop p99 episodes of bench/authorizations). The platform keeps its connections open.

const schema = uniqueSchema('pool_open');
afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

it('connections opened for a burst stay open past node-postgres idle timeout and serve the next burst', async () => {
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
  try {
    // Four transactions at once, each holding its connection a moment: four backends.
    const burst = () =>
      Promise.all(
        Array.from({ length: 4 }, () =>
          db.transaction(async (tx) => {
            const [row] = await tx.rows<{ pid: number }>(
              sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.2) IS NULL AS slept`,
            );
            return Number(row?.pid);
          }),
        ),
      );
    const first = new Set(await burst());
    expect(first.size).toBe(4);

    // Longer than node-postgres's default idle timeout (10 s).
    await new Promise((resolve) => setTimeout(resolve, 11_000));

    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const alive = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])',
        [[...first]],
      );
      expect(alive.rows.map((r) => Number(r.pid)).sort()).toEqual([...first].sort());
    } finally {
      await admin.end();
    }
    // The next burst runs on the same backends: no new connection, no statement parsed again.
    expect(new Set(await burst())).toEqual(first);
  } finally {
    await db.close();
  }
}, 30_000);
