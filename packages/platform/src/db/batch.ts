import pg from 'pg';
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
  parse(config: { name: string; text: string }): void;
  bind(config: { statement: string; values: unknown[] }): void;
  describe(config: { type: 'S' | 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): void;
}

interface Field {
  name: string;
  dataTypeID: number;
  format: string;
}

/** node-postgres's Result (exported at runtime, not in its types). */
interface Result {
  rows: Row[];
  fields?: Field[];
  command: string | null;
  rowCount: number | null;
  addFields(fields: Field[]): void;
  parseRow(fields: unknown[]): Row;
  addRow(row: Row): void;
  addCommandComplete(msg: unknown): void;
}
type Row = Record<string, unknown>;

const runtime = pg as unknown as {
  Query: new (config: object) => object;
  Result: new (rowMode: undefined, types: unknown) => Result;
  utils: { prepareValue(value: unknown): unknown };
};

const tracked = new WeakSet<object>();
/** Per connection: the row shape (fields) of each prepared statement, learnt once by a Describe. */
const shapes = new WeakMap<object, Map<string, Field[]>>();

/**
 * Sends `statements` as ONE extended-protocol round trip with ONE Sync: Parse and Describe (first
 * use on this connection only: the row shape is remembered), Bind and Execute for each, then a
 * single Sync — so the server flushes
 * and reports ReadyForQuery once, not once per statement as `client.query` does in node-postgres's
 * pipeline mode. Resolves with each statement's rows, in order. On an error the server skips the
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
): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const internal = client as unknown as { _activeQuery?: unknown; connection: Connection };
    trackParses(internal);
    const batch = new StatementBatch(statements, (error, results) =>
      error ? reject(error) : resolve(results as Result[]),
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
  config: object,
) => {
  _result: { _types: unknown };
  callback: unknown;
}) {
  private readonly results: Result[] = [];
  /** Indexes of the statements whose Parse this batch sent, and how many of them completed. */
  private readonly parses: number[] = [];
  /** Statements whose row shape this batch asked for (to be remembered at their CommandComplete). */
  private readonly describing = new Set<number>();
  private shapes: Map<string, Field[]> | undefined;
  private parsedCount = 0;
  private current = 0;
  private failure: Error | undefined;
  private connection: Connection | undefined;
  private finished = false;

  constructor(
    private readonly statements: ReadonlyArray<BatchStatement>,
    private readonly done: (error: Error | null, results?: Result[]) => void,
  ) {
    super({ text: '' });
    // node-postgres calls `callback` on errors it raises itself (connection lost, not queryable).
    this.callback = (error: Error | null) => this.finish(error ?? new Error('batch ended without results'));
  }

  submit(connection: Connection): Error | null {
    // Map every value first: a value that cannot be sent fails the batch before anything is written.
    const values: unknown[][] = [];
    try {
      for (const s of this.statements) values.push(s.values.map((v) => runtime.utils.prepareValue(v)));
    } catch (error) {
      return error as Error;
    }
    for (const s of this.statements) {
      const known = connection.parsedStatements[s.name] ?? connection.submittedNamedStatements[s.name];
      if (known !== undefined && known !== s.text)
        return new Error(
          `Prepared statements must be unique - '${s.name}' was used for a different statement`,
        );
    }
    this.connection = connection;
    const types = this._result._types;
    const known = shapes.get(connection) ?? new Map<string, Field[]>();
    shapes.set(connection, known);
    this.shapes = known;
    const stream = (connection as unknown as { stream: { cork(): void; uncork(): void } }).stream;
    stream.cork();
    try {
      this.statements.forEach((s, i) => {
        if (
          connection.parsedStatements[s.name] === undefined &&
          connection.submittedNamedStatements[s.name] === undefined
        ) {
          connection.parse({ name: s.name, text: s.text });
          connection.submittedNamedStatements[s.name] = s.text;
          this.parses.push(i);
        }
        // The row shape is asked for once per connection (it cannot change without the server
        // refusing the cached plan); later executions are Bind + Execute only.
        const shape = s.rows === false ? [] : known.get(s.name);
        if (!shape) connection.describe({ type: 'S', name: s.name });
        connection.bind({ statement: s.name, values: values[i] ?? [] });
        connection.execute({ portal: '' });
        const result = new runtime.Result(undefined, types);
        if (shape) result.addFields(shape);
        else this.describing.add(i);
        this.results.push(result);
      });
      connection.sync();
    } finally {
      stream.uncork();
    }
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
    this.results[this.current]?.addFields(msg.fields);
  }

  handleDataRow(msg: { fields: unknown[] }): void {
    const result = this.results[this.current];
    if (!result || this.failure) return;
    try {
      result.addRow(result.parseRow(msg.fields));
    } catch (error) {
      this.failure = error as Error;
    }
  }

  handleCommandComplete(msg: unknown): void {
    const result = this.results[this.current];
    result?.addCommandComplete(msg);
    const s = this.statements[this.current];
    if (s && result && this.describing.has(this.current)) this.shapes?.set(s.name, result.fields ?? []);
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
