import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

/** A row as returned by the driver; normalise numbers with `Number()` (drivers differ on int8/numeric). */
export type Row = Record<string, unknown>;

/** Something that can run a Drizzle `sql` query: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement and returns its rows. */
  rows<T extends object = Row>(query: SQL): Promise<T[]>;
}

/** The platform's database: PGlite (embedded, default) or PostgreSQL, behind the same Drizzle queries. */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; when absent (and no databaseUrl) the database lives in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves with it. */
  schema?: string | undefined;
  /** Pool size for PostgreSQL. @default 20 */
  poolSize?: number | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: Drizzle's database and transaction types differ per driver.
type AnyDrizzle = { execute(q: SQL): Promise<any>; transaction<T>(fn: (tx: any) => Promise<T>): Promise<T> };

function wrap(db: AnyDrizzle): Queryable {
  return {
    async rows<T extends object>(query: SQL) {
      const result = await db.execute(query);
      return (Array.isArray(result) ? result : result.rows) as T[];
    },
  };
}

/**
 * Opens the platform database.
 *
 * @example
 * const db = await openDatabase({}); // in-memory PGlite
 * const db2 = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`schema: "${schema}" is not a plain identifier`);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const db = drizzleNodePg({ client: pool }) as unknown as AnyDrizzle;
    const base = wrap(db);
    return {
      kind: 'postgres',
      rows: base.rows,
      transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
      close: () => pool.end(),
    };
  }
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite({ client }) as unknown as AnyDrizzle;
  const base = wrap(db);
  return {
    kind: 'pglite',
    rows: base.rows,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => client.close(),
  };
}

/** The PostgreSQL SQLSTATE of a driver error, through Drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}
