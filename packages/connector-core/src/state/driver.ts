import { dropStateTemplate, loadStateTemplate, saveStateTemplate } from './pglite-template.js';

/** The minimal SQL surface the state store needs; PGlite and node-postgres both provide it. */
export interface SqlDriver {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Pick<SqlDriver, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite allows one process per data directory. Takes `<dataDir>.lock` (holding our pid); a lock left
 * by a process that no longer exists — e.g. one killed with SIGKILL — is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const { open, readFile, rm, mkdir } = await import('node:fs/promises');
  const { dirname, resolve } = await import('node:path');
  const path = `${resolve(dataDir)}.lock`;
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && processAlive(pid)) {
        throw new Error(
          `the state store ${dataDir} is in use by process ${pid} (another openissuing-sync?); PGlite allows one process per data directory — stop it, or use PostgreSQL to run several`,
        );
      }
      await rm(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`cannot lock the state store ${dataDir} (${path})`);
}

/** True when `dir` holds no PostgreSQL data directory yet (missing or empty). */
async function isNewDataDir(dir: string): Promise<boolean> {
  const { readdir } = await import('node:fs/promises');
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * A ready PGlite: a new database starts from the initialised template when one matches the installed
 * PGlite (≈ 1 s instead of 4–12 s of `initdb`); without one, it is created the slow way once and a
 * template is left for the next.
 */
async function createPGlite(
  PGlite: typeof import('@electric-sql/pglite').PGlite,
  dataDir: string | undefined,
): Promise<InstanceType<typeof import('@electric-sql/pglite').PGlite>> {
  const fresh = dataDir === undefined || (await isNewDataDir(dataDir));
  if (fresh) {
    const template = await loadStateTemplate();
    if (template) {
      try {
        const db = dataDir
          ? new PGlite({ dataDir, loadDataDir: template })
          : new PGlite({ loadDataDir: template });
        await db.waitReady;
        return db;
      } catch {
        dropStateTemplate();
        if (dataDir) {
          const { rm } = await import('node:fs/promises');
          await rm(dataDir, { recursive: true, force: true });
        }
      }
    }
  }
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  if (fresh) await saveStateTemplate(await db.dumpDataDir('gzip'));
  return db;
}

/**
 * Opens the embedded PGlite database (in memory, or persisted in `dataDir`, locked to this process).
 *
 * @example
 * const driver = await openPGlite('./.openissuing-sync');
 */
export async function openPGlite(dataDir?: string): Promise<SqlDriver> {
  const { PGlite } = await import('@electric-sql/pglite');
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => {};
  let db: InstanceType<typeof PGlite>;
  try {
    db = await createPGlite(PGlite, dataDir);
  } catch (err) {
    await unlock();
    throw err;
  }
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
    close: async () => {
      await db.close();
      await unlock();
    },
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
  options: {
    schema?: string;
    max?: number;
    /**
     * Hold a session advisory lock so only one sync process uses this store at a time (PostgreSQL
     * releases it when the session ends, including when the process is killed). @default true
     */
    exclusive?: boolean;
  } = {},
): Promise<SqlDriver> {
  const pg = await import('pg');
  const Pool = (pg.default?.Pool ??
    (pg as unknown as { Pool: typeof import('pg').Pool }).Pool) as typeof import('pg').Pool;
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`schema "${schema}" must be a lowercase SQL identifier ([a-z_][a-z0-9_]*)`);
  }
  const pool = new Pool({ connectionString: url, max: Math.max(2, options.max ?? 4) });
  let holder: import('pg').PoolClient | null = null;
  /** The session advisory lock's key: one sync process per store. */
  const lockKey = `openissuing-sync:${schema ?? 'public'}`;
  if (options.exclusive ?? true) {
    holder = await pool.connect();
    const { rows } = await holder.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
      lockKey,
    ]);
    if (!rows[0]?.ok) {
      holder.release();
      await pool.end();
      throw new Error(
        `the state store (schema ${schema ?? 'public'}) is in use by another openissuing-sync process; run one sync per store`,
      );
    }
  }
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
    close: async () => {
      // Unlock before disconnecting: a closed session's locks are released only when its backend
      // has exited, which can lag behind the disconnect — a sync started right after this one
      // closed would find the store still "in use".
      if (holder) {
        await holder.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined); // the session is gone: so is its lock
        holder.release();
      }
      await pool.end();
    },
  };
}
