// The engine groups' tests keep their state stores in PostgreSQL, a schema per test worker
// (`oi_test_<pid>_<thread>_<random>`, packages/connector-core/src/testing/fixtures.ts) that the worker
// drops when its tests end. A worker Stryker kills (a mutant that hangs) cannot: this drops the
// schemas whose process is gone.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by `npm run mutation`, never in a turbo task
const url = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Drops the test schemas left by dead processes; returns how many. */
export async function dropDeadTestSchemas() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "select schema_name from information_schema.schemata where schema_name like 'oi\\_test\\_%'",
    );
    let dropped = 0;
    for (const { schema_name: name } of rows) {
      const pid = Number(/^oi_test_(\d+)_/.exec(name)?.[1]);
      if (!pid || alive(pid)) continue;
      await client.query(`drop schema if exists ${name} cascade`);
      dropped++;
    }
    return dropped;
  } finally {
    await client.end();
  }
}
