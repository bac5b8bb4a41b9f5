import pg from 'pg';
import type { PlatformOptions } from '../src/index';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

/** The two databases the access tests run on: embedded PGlite and a real PostgreSQL schema. */
export const BACKENDS: {
  name: string;
  options: () => PlatformOptions;
  drop: (o: PlatformOptions) => Promise<void>;
}[] = [
  { name: 'PGlite', options: () => ({}), drop: async () => {} },
  {
    name: 'PostgreSQL',
    options: () => ({ databaseUrl: TEST_DATABASE_URL, schema: uniqueSchema('access') }),
    drop: async (o) => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${o.schema} CASCADE`);
      await c.end();
    },
  },
];

/** Every row of a PostgreSQL schema's api_keys table, as text (to search for secrets at rest). */
export async function apiKeyRowsText(schema: string): Promise<string> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT row_to_json(k)::text AS t FROM ${schema}.api_keys k`);
    return r.rows.map((x: { t: string }) => x.t).join('\n');
  } finally {
    await c.end();
  }
}
