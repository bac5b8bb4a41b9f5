/** The minimal SQL surface the state store needs; PGlite and node-postgres both provide it. */
export interface SqlDriver {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Pick<SqlDriver, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the embedded PGlite database (in memory, or persisted in `dataDir`).
 *
 * @example
 * const driver = await openPGlite('./.openissuing-sync');
 */
export async function openPGlite(dataDir?: string): Promise<SqlDriver> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  return {
    query: async (sql, params) => {
      const r = await db.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as never[] };
    },
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) =>
      db.transaction(async (tx) =>
        fn({
          query: async (sql, params) => {
            const r = await tx.query(sql, params as unknown[] | undefined);
            return { rows: r.rows as never[] };
          },
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: () => db.close(),
  };
}

/**
 * Opens a PostgreSQL connection pool (`postgres://…`). With `schema`, every session uses that
 * schema (created if missing).
 *
 * @example
 * const driver = await openPostgres(process.env.DATABASE_URL!, { schema: 'openissuing_sync' });
 */
export async function openPostgres(
  url: string,
  options: { schema?: string; max?: number } = {},
): Promise<SqlDriver> {
  const pg = await import('pg');
  const Pool = (pg.default?.Pool ??
    (pg as unknown as { Pool: typeof import('pg').Pool }).Pool) as typeof import('pg').Pool;
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`schema "${schema}" must be a lowercase SQL identifier ([a-z_][a-z0-9_]*)`);
  }
  const pool = new Pool({ connectionString: url, max: options.max ?? 4 });
  if (schema) {
    await pool.query(`create schema if not exists ${schema}`);
    pool.on('connect', (client) => {
      client.query(`set search_path to ${schema}`).catch(() => undefined);
    });
  }
  const withSearchPath = async <T>(fn: (c: import('pg').PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`set search_path to ${schema}`);
      return await fn(client);
    } finally {
      client.release();
    }
  };
  return {
    query: (sql, params) => withSearchPath(async (c) => ({ rows: (await c.query(sql, params)).rows })),
    exec: (sql) =>
      withSearchPath(async (c) => {
        await c.query(sql);
      }),
    transaction: (fn) =>
      withSearchPath(async (c) => {
        await c.query('begin');
        try {
          const out = await fn({
            query: async (sql, params) => ({ rows: (await c.query(sql, params)).rows }),
            exec: async (sql) => {
              await c.query(sql);
            },
          });
          await c.query('commit');
          return out;
        } catch (err) {
          await c.query('rollback').catch(() => undefined);
          throw err;
        }
      }),
    close: () => pool.end(),
  };
}
