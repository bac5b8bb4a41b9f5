import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { type BatchStatement, canBatch, sendBatch } from './batch';
import { dropTemplate, loadTemplate, saveTemplate } from './pglite-template';
import { namedStatement } from './statement';

/** Transaction control as prepared statements, so a batch's BEGIN and COMMIT cost a Bind + Execute. */
const BEGIN: BatchStatement = { name: 'oi_begin', text: 'BEGIN', values: [], rows: false };
const COMMIT: BatchStatement = { name: 'oi_commit', text: 'COMMIT', values: [], rows: false };
const SYNC_COMMIT_OFF: BatchStatement = {
  name: 'oi_sync_commit_off',
  text: 'SET LOCAL synchronous_commit = off',
  values: [],
  rows: false,
};
/**
 * Plan each prepared statement of the transaction once per connection (its generic plan), never
 * per execution: the authorization's statements are key lookups and inserts whose plan no value
 * changes, and PostgreSQL's default would still re-plan some of them on every Bind (custom plans:
 * ~8 % of the backends' CPU per authorization in a `perf` profile).
 */
const GENERIC_PLANS: BatchStatement = {
  name: 'oi_generic_plans',
  text: 'SET LOCAL plan_cache_mode = force_generic_plan',
  values: [],
  rows: false,
};

/** A row as returned by the driver; normalise numbers with `Number()` (drivers differ on int8/numeric). */
export type Row = Record<string, unknown>;

/** Something that can run a Drizzle `sql` query: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement and returns its rows. */
  rows<T extends object = Row>(query: SQL): Promise<T[]>;
  /**
   * Inside a transaction: runs the transaction's LAST statement and commits in the same network
   * round trip (PostgreSQL), so row locks it takes are released as soon as the server is done —
   * nothing may run on this transaction afterwards. Elsewhere the same as `rows`.
   */
  rowsAndCommit?<T extends object = Row>(query: SQL): Promise<T[]>;
}

/** The platform's database: PGlite (embedded, default) or PostgreSQL, behind the same Drizzle queries. */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Whether this in-memory PGlite started from the migrated template (nothing to migrate). */
  readonly fromTemplate?: boolean;
  /** In-memory PGlite only: snapshots the just-migrated, still empty database as the template. */
  saveTemplate?(): Promise<void>;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Like `transaction`, but first runs `first` — statements executed in order, each seeing what the
   * previous ones locked — and on PostgreSQL sends BEGIN and all of them in ONE round trip.
   * `fn` receives their rows.
   */
  transactionWith<T>(
    first: ReadonlyArray<SQL | null>,
    fn: (tx: Queryable, results: Row[][]) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  close(): Promise<void>;
}

/** How {@link Database.transactionWith} runs its statements. */
export interface TransactionOptions {
  /**
   * PostgreSQL over a socket: use each prepared statement's generic plan (`plan_cache_mode =
   * force_generic_plan` for this transaction only), so no statement is planned again per
   * execution. Only for statements whose best plan does not depend on their values (key lookups,
   * inserts); not for range reports. @default false
   */
  genericPlans?: boolean | undefined;
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
  /**
   * PostgreSQL only: commit without waiting for the WAL flush (`synchronous_commit = off` per
   * transaction). Row locks — above all the balance row — are then released sooner, which multiplies
   * authorization throughput; the price is that a PostgreSQL crash can lose the last fraction of a
   * second of acknowledged transactions (never consistency). @default false
   */
  asyncCommit?: boolean | undefined;
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
    // Pipeline mode: queries issued without awaiting the previous one go out together, so a
    // transaction's opening statements (and its final statement + COMMIT) cost ONE round trip
    // while each stays a named prepared statement.
    // Connections stay open once made (no idle timeout): node-postgres's pool reuses the most
    // recently released connection, so under steady load the rest sit idle and its default would
    // close them after 10 s — and a burst then waits for new backends, each parsing every
    // prepared statement and loading its catalog caches again, exactly when it is slowest.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      idleTimeoutMillis: 0,
      pipeline: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return { kind: 'postgres', ...poolDatabase(pool, options.asyncCommit === true), close: () => pool.end() };
  }
  let client: PGlite | undefined;
  let fromTemplate = false;
  if (!options.dataDir) {
    const template = await loadTemplate();
    if (template) {
      try {
        client = new PGlite({ loadDataDir: template });
        await client.waitReady;
        fromTemplate = true;
      } catch {
        dropTemplate();
        client = undefined;
      }
    }
  }
  if (!client) {
    // PGlite creates only the last folder of the path; make the parents (e.g. `.openissuing/data`).
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
    await client.waitReady;
  }
  const pglite = client;
  // The embedded database speaks the PostgreSQL protocol to node-postgres through PGlite's own
  // adapter, over ONE connection (the pool of 1 queues requests in order, a transaction holds it
  // to its end). So embedded mode runs the same code as PostgreSQL mode — above all NAMED prepared
  // statements: each statement shape is parsed and planned once, where PGlite's `query` parses and
  // plans every statement on every call (3/4 of the embedded authorization's database time).
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, pipeline: true });
  pool.on('error', () => {});
  return {
    kind: 'pglite',
    fromTemplate,
    ...(options.dataDir || fromTemplate ? {} : { saveTemplate: () => saveTemplate(pglite) }),
    ...poolDatabase(pool, false, true),
    close: async () => {
      await pool.end();
      await pglite.close();
    },
  };
}

/**
 * Queries and transactions over a node-postgres pool (PostgreSQL, or PGlite through its adapter):
 * named prepared statements, pipelined openings and final statement + COMMIT.
 */
function poolDatabase(
  pool: pg.Pool,
  asyncCommit: boolean,
  yieldBetween = false,
): Omit<Database, 'kind' | 'close'> {
  // Queries are built by Drizzle and sent as NAMED prepared statements (db/statement.ts), so
  // PostgreSQL parses and plans each hot statement once per connection.
  // Over a socket they go through db/batch.ts, which asks each statement's row shape once per
  // connection (Bind + Execute afterwards, no Describe per execution).
  // Plain functions returning the driver's promise (no async frame of their own): one statement
  // is three per authorization, and each `async` layer costs a promise and a microtask.
  const run = <T extends object>(client: pg.PoolClient, query: SQL): Promise<T[]> =>
    canBatch(client)
      ? sendBatch(client, [namedStatement(query)]).then(firstRows<T>)
      : client.query(namedStatement(query)).then((result) => result.rows as T[]);
  const runOnPool = async <T extends object>(query: SQL): Promise<T[]> => {
    const client = await pool.connect();
    try {
      const rows = await run<T>(client, query);
      client.release();
      return rows;
    } catch (error) {
      // As pool.query: a client that failed other than by a server error is discarded.
      client.release(sqlState(error) === undefined ? (error as Error) : undefined);
      throw error;
    }
  };
  const runAndCommit = <T extends object>(client: pg.PoolClient, query: SQL): Promise<T[]> =>
    canBatch(client)
      ? sendBatch(client, [namedStatement(query), COMMIT]).then(firstRows<T>)
      : settleInOrder(
          corked(client, () => [client.query(namedStatement(query)), client.query('COMMIT')]),
        ).then(([result]) => (result?.rows ?? []) as T[]);
  return {
    rows: (query) => runOnPool(query),
    transaction: (fn) => pgTransaction([], (tx) => fn(tx)),
    transactionWith: (first, fn, options) => pgTransaction(first, fn, options?.genericPlans === true),
  };

  /**
   * BEGIN and the opening statements in ONE round trip, each a prepared statement; their rows in
   * order (none for a `null`). Over a socket they go with one Sync (db/batch.ts); otherwise (PGlite's
   * adapter) pipelined with a Sync each.
   */
  async function openTransaction(
    client: pg.PoolClient,
    first: ReadonlyArray<SQL | null>,
    genericPlans: boolean,
  ): Promise<Row[][]> {
    if (canBatch(client)) {
      const begin = [
        BEGIN,
        ...(asyncCommit ? [SYNC_COMMIT_OFF] : []),
        ...(genericPlans ? [GENERIC_PLANS] : []),
      ];
      const statements = first.flatMap((q) => (q === null ? [] : [namedStatement(q)]));
      const out = await sendBatch(client, [...begin, ...statements]);
      let next = begin.length;
      return first.map((q) => (q === null ? [] : (out[next++]?.rows ?? [])));
    }
    const begin = asyncCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN';
    const out = await settleInOrder(
      corked(client, () => [
        client.query(begin),
        ...first.map((q) => (q === null ? null : client.query(namedStatement(q)))),
      ]),
    );
    return first.map((_, k) => (out[k + 1]?.rows ?? []) as Row[]);
  }

  async function pgTransaction<T>(
    first: ReadonlyArray<SQL | null>,
    fn: (tx: Queryable, results: Row[][]) => Promise<T>,
    genericPlans = false,
  ): Promise<T> {
    const client = await pool.connect();
    // Embedded: the one connection passes from transaction to transaction in promise callbacks, so
    // a queue of them would run back to back without the event loop reading a socket or firing a
    // timer (seconds on a busy machine: webhook answers then arrive "late" and time out). One turn
    // of the event loop before each transaction keeps I/O flowing between them.
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
    let committed = false;
    try {
      const results = await openTransaction(client, first, genericPlans);
      const result = await fn(
        {
          rows: (query) => {
            if (committed) throw new Error('transaction already committed by rowsAndCommit');
            return run(client, query);
          },
          rowsAndCommit: async (query) => {
            const rows = await runAndCommit(client, query);
            committed = true;
            return rows as never;
          },
        },
        results,
      );
      if (!committed) await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The rows of a batch's first statement. */
function firstRows<T extends object>(results: ReadonlyArray<{ rows: Row[] }>): T[] {
  return (results[0]?.rows ?? []) as T[];
}

/**
 * Issues pipelined queries with the connection's socket corked, so their protocol messages leave
 * in ONE write instead of one system call per message (node-postgres writes each Parse, Bind,
 * Describe, Execute and Sync separately). Reaches into the client's socket, which node-postgres
 * does not expose publicly; without one it simply sends uncorked.
 */
function corked<T>(client: pg.PoolClient, send: () => T): T {
  const stream = (
    client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }
  ).connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}

/**
 * Awaits pipelined queries and returns their results in order; if any failed, throws the FIRST
 * failure (the ones after it only report the aborted transaction).
 */
async function settleInOrder(
  queries: ReadonlyArray<Promise<pg.QueryResult> | null>,
): Promise<Array<pg.QueryResult | null>> {
  const settled = await Promise.allSettled(queries.map((q) => q ?? Promise.resolve(null)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult | null>).value);
}

/** How many times a transaction lost to a deadlock or a serialization failure is run again. */
const CONFLICT_RETRIES = 5;

/**
 * Whether a transaction that failed with `error` on its `attempt`-th run (from 0) should simply be
 * run again: PostgreSQL chose it as a deadlock's victim (40P01) or could not serialize it (40001),
 * and it has not yet been retried {@link CONFLICT_RETRIES} times.
 *
 * @example
 * for (let attempt = 0; ; attempt++) {
 *   try { return await work(); }
 *   catch (error) { if (retriesConflict(error, attempt)) continue; throw error; }
 * }
 */
export function retriesConflict(error: unknown, attempt: number): boolean {
  const state = sqlState(error);
  return (state === '40P01' || state === '40001') && attempt < CONFLICT_RETRIES;
}

/** The PostgreSQL SQLSTATE of a driver error, through Drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}
