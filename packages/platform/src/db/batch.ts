import pg from 'pg';
import { serialize } from 'pg-protocol';
import type { NamedStatement } from './statement';

/** A statement of a batch: a named prepared statement; `rows: false` when it returns none (BEGIN, COMMIT). */
export interface BatchStatement extends NamedStatement {
  rows?: boolean;
}

/** A failure inside a batch: the server's error for the statement at `statementIndex`. */
export type BatchError = Error & { statementIndex?: number };

/** What node-postgres's Connection keeps of the statements it has prepared (not public API). */
interface Connection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  stream: { writable: boolean; write(buffer: Buffer): boolean };
  on(event: 'parseComplete', listener: () => void): void;
}

interface Field {
  name: string;
  dataTypeID: number;
}

type Row = Record<string, unknown>;

/** A statement's rows, in order. */
export interface BatchResult {
  rows: Row[];
}

/** What a batch knows of a prepared statement's rows on one connection: names and text parsers. */
interface Shape {
  names: string[];
  parsers: Array<(value: string) => unknown>;
}

/** node-postgres's type registry of a client (`client.getTypeParser` reads it). */
interface Types {
  getTypeParser(oid: number, format: 'text'): (value: string) => unknown;
}

const runtime = pg as unknown as {
  Query: new (text: string) => object;
  utils: { prepareValue(value: unknown): unknown };
};

/** The Execute (unnamed portal, all rows) and Sync messages: the same bytes every time. */
const EXECUTE = serialize.execute();
const SYNC = serialize.sync();
/** Bind + Execute of statements without parameters (BEGIN, COMMIT, SET LOCAL …), serialized once. */
const constantBindExecute = new Map<string, Buffer>();

/** The shape of a statement that returns no rows. */
const NO_ROWS: Shape = { names: [], parsers: [] };

/** Appends the Bind + Execute of `name` with already prepared `values` to `parts`. */
function pushBindExecute(parts: Buffer[], name: string, values: unknown[]): void {
  if (values.length > 0) {
    parts.push(serialize.bind({ statement: name, values }), EXECUTE);
    return;
  }
  let bytes = constantBindExecute.get(name);
  if (!bytes) {
    // Such statements are a handful (BEGIN, COMMIT, SET LOCAL …); the cap only guards misuse.
    if (constantBindExecute.size >= 1_000) constantBindExecute.clear();
    bytes = Buffer.concat([serialize.bind({ statement: name, values: [] }), EXECUTE]);
    constantBindExecute.set(name, bytes);
  }
  parts.push(bytes);
}

const tracked = new WeakSet<object>();
/** Per connection: the row shape (fields) of each prepared statement, learnt once by a Describe. */
const shapes = new WeakMap<object, Map<string, Shape>>();

/**
 * Sends `statements` as ONE extended-protocol round trip with ONE Sync: Parse and Describe (first
 * use on this connection only: the row shape is remembered), Bind and Execute for each, then a
 * single Sync — so the server flushes
 * and reports ReadyForQuery once, not once per statement as `client.query` does in node-postgres's
 * pipeline mode. The messages are serialized by node-postgres's own protocol library into ONE
 * socket write (Bind + Execute of a statement without parameters are bytes cached once); rows
 * are built with the statement's type parsers, looked up once per connection. Resolves with each statement's rows, in order. On an error the server skips the
 * rest until the Sync, so the promise rejects with THAT statement's error (`statementIndex` says
 * which); inside a transaction block the transaction is then aborted and must be rolled back.
 *
 * Needs node-postgres's JavaScript client over a socket (`client.connection`); the caller keeps
 * the per-statement path for anything else (see `canBatch`).
 *
 * @example
 * const [, rows] = await sendBatch(client, [
 *   { name: 'oi_begin', text: 'BEGIN', values: [], rows: false },
 *   namedStatement(sql`SELECT 1 AS one`),
 * ]); // rows.rows → [{ one: 1 }]
 */
export function sendBatch(
  client: pg.PoolClient,
  statements: ReadonlyArray<BatchStatement>,
): Promise<BatchResult[]> {
  return new Promise((resolve, reject) => {
    const internal = client as unknown as { _activeQuery?: unknown; connection: Connection };
    trackParses(internal);
    const batch = new StatementBatch(statements, (error, results) =>
      error ? reject(error) : resolve(results as BatchResult[]),
    );
    client.query(batch as unknown as pg.Submittable);
  });
}

/** Whether `client` is node-postgres's JavaScript client on a real socket, which `sendBatch` needs. */
export function canBatch(client: pg.PoolClient): boolean {
  const connection = (client as unknown as { connection?: { stream?: { cork?: unknown } } }).connection;
  return typeof connection?.stream?.cork === 'function';
}

/**
 * node-postgres records a statement as prepared when ITS active query's ParseComplete arrives; a
 * batch has several, so the batch that is active counts them itself (once per connection).
 */
function trackParses(client: { _activeQuery?: unknown; connection: Connection }): void {
  if (tracked.has(client.connection)) return;
  tracked.add(client.connection);
  client.connection.on('parseComplete', () => {
    const active = client._activeQuery;
    if (active instanceof StatementBatch) active.parsed();
  });
}

/**
 * A node-postgres Query (so pipeline mode accepts it) that writes several statements and one Sync
 * and collects a result per statement from the messages node-postgres routes to it.
 */
class StatementBatch extends (runtime.Query as new (
  text: string,
) => {
  _result: { _types: Types };
  callback: unknown;
}) {
  private readonly results: BatchResult[] = [];
  /** Per statement: how its rows are built (undefined until its RowDescription, when described). */
  private readonly rowShapes: Array<Shape | undefined> = [];
  /** Indexes of the statements whose Parse this batch sent, and how many of them completed. */
  private readonly parses: number[] = [];
  /** Statements whose row shape this batch asked for (remembered when their RowDescription comes). */
  private readonly describing = new Set<number>();
  private shapes: Map<string, Shape> | undefined;
  private parsedCount = 0;
  private current = 0;
  private failure: Error | undefined;
  private connection: Connection | undefined;
  private finished = false;

  constructor(
    private readonly statements: ReadonlyArray<BatchStatement>,
    private readonly done: (error: Error | null, results?: BatchResult[]) => void,
  ) {
    // A string, not a config object: node-postgres copies a config object property by property
    // (`cloneQueryConfig`, ~1 % of the platform's CPU when done per batch).
    super('');
    // node-postgres calls `callback` on errors it raises itself (connection lost, not queryable).
    this.callback = (error: Error | null) => this.finish(error ?? new Error('batch ended without results'));
  }

  submit(connection: Connection): Error | null {
    // Serialize every message first: a value that cannot be sent fails the batch before anything
    // is written (and before any statement is recorded as submitted).
    const statements = this.statements;
    for (const s of statements) {
      const known = connection.parsedStatements[s.name] ?? connection.submittedNamedStatements[s.name];
      if (known !== undefined && known !== s.text)
        return new Error(
          `Prepared statements must be unique - '${s.name}' was used for a different statement`,
        );
    }
    const known = shapes.get(connection) ?? new Map<string, Shape>();
    shapes.set(connection, known);
    const parts: Buffer[] = [];
    const parses: number[] = [];
    const newlyParsed = new Set<string>();
    try {
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i] as BatchStatement;
        if (
          connection.parsedStatements[s.name] === undefined &&
          connection.submittedNamedStatements[s.name] === undefined &&
          !newlyParsed.has(s.name)
        ) {
          parts.push(serialize.parse({ name: s.name, text: s.text }));
          newlyParsed.add(s.name);
          parses.push(i);
        }
        // The row shape is asked for once per connection (it cannot change without the server
        // refusing the cached plan); later executions are Bind + Execute only.
        const shape = s.rows === false ? NO_ROWS : known.get(s.name);
        if (!shape) {
          parts.push(serialize.describe({ type: 'S', name: s.name }));
          this.describing.add(i);
        }
        this.rowShapes.push(shape);
        const values = s.values.length ? s.values.map((v) => runtime.utils.prepareValue(v)) : s.values;
        pushBindExecute(parts, s.name, values);
        this.results.push({ rows: [] });
      }
    } catch (error) {
      return error as Error;
    }
    parts.push(SYNC);
    if (!connection.stream.writable) return new Error('the database connection is closed; retry the request');
    for (const i of parses) {
      const s = statements[i] as BatchStatement;
      connection.submittedNamedStatements[s.name] = s.text;
    }
    this.parses.push(...parses);
    this.connection = connection;
    this.shapes = known;
    connection.stream.write(Buffer.concat(parts));
    return null;
  }

  /** One of this batch's Parse messages completed (they complete in order). */
  parsed(): void {
    const index = this.parses[this.parsedCount++];
    const s = index === undefined ? undefined : this.statements[index];
    if (s && this.connection) {
      this.connection.parsedStatements[s.name] = s.text;
      delete this.connection.submittedNamedStatements[s.name];
    }
  }

  handleRowDescription(msg: { fields: Field[] }): void {
    const i = this.current;
    const types = this._result._types;
    const shape: Shape = {
      names: msg.fields.map((f) => f.name),
      parsers: msg.fields.map((f) => types.getTypeParser(f.dataTypeID, 'text')),
    };
    this.rowShapes[i] = shape;
    const s = this.statements[i];
    if (s && this.describing.has(i)) this.shapes?.set(s.name, shape);
  }

  handleDataRow(msg: { fields: Array<string | null> }): void {
    const result = this.results[this.current];
    const shape = this.rowShapes[this.current];
    if (!result || !shape || this.failure) return;
    try {
      const { names, parsers } = shape;
      const raw = msg.fields;
      const row: Row = {};
      for (let k = 0; k < raw.length; k++) {
        const value = raw[k] as string | null;
        row[names[k] as string] = value === null ? null : (parsers[k] as (v: string) => unknown)(value);
      }
      result.rows.push(row);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  handleCommandComplete(): void {
    // A described statement that returned no rows and no RowDescription (NoData) has no shape yet.
    const i = this.current;
    const s = this.statements[i];
    if (s && this.describing.has(i) && !this.shapes?.has(s.name)) this.shapes?.set(s.name, NO_ROWS);
    this.current++;
  }

  handleEmptyQuery(): void {
    this.current++;
  }

  handlePortalSuspended(): void {}

  handleError(error: BatchError): void {
    // The server skipped everything after the failing statement: Parses it never ran did not
    // create their statements, so forget them (those that completed were recorded by `parsed`).
    if (this.connection) {
      for (const i of this.parses.slice(this.parsedCount)) {
        const s = this.statements[i];
        if (s) delete this.connection.submittedNamedStatements[s.name];
      }
    }
    if (error && typeof error === 'object' && error.statementIndex === undefined)
      error.statementIndex = this.current;
    this.finish(error);
  }

  handleReadyForQuery(): void {
    if (this.failure) this.handleError(this.failure);
    else this.finish(null);
  }

  private finish(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.done(error, this.results);
  }
}
