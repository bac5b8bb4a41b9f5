import { type SQL as DrizzleSQL, sql as drizzleSql, SQL, StringChunk, Table } from 'drizzle-orm';

/**
 * The platform's `sql` tag: Drizzle's `sql` — same API (`sql\`…\``, `sql.join`, `sql.identifier`,
 * `sql.raw`, `sql.param`, `sql.empty`), same {@link SQL} objects, rendered by the same renderers
 * (`db/statement.ts`, or Drizzle's own dialect) — with a fraction of the allocations.
 *
 * Why not Drizzle's tag itself: an authorization's statements are a few hundred `sql` fragments.
 * Drizzle's tag makes an iterator, and a `StringChunk` with its one-element array for every literal
 * part, on every call, and its SQL constructor walks each chunk's prototype chain looking for
 * tables. That tag was over a third of all the platform allocated per authorization (≈ 58 of
 * ≈ 145 kB, `bench/authorizations/cpu.ts --alloc`); this one allocates ≈ 8 kB of ≈ 96 kB.
 * It makes the literal parts' `StringChunk`s once per call site (a template's strings array is the
 * same object every time the call site runs, and a `StringChunk` is never changed after it is made)
 * and checks the values for tables with one `instanceof`: the platform names tables in the SQL text,
 * never as Drizzle table objects, and a fragment that holds one is built by Drizzle's own
 * constructor, so its `usedTables` stay Drizzle's.
 *
 * @example
 * import { sql } from '../db/sql';
 * const q = sql`SELECT data FROM cards WHERE id = ${id} AND ${sql.join([sql`a`, sql`b`], sql` OR `)}`;
 * namedStatement(q); // { name: 'oi_…', text: 'SELECT data FROM cards WHERE id = $1 AND a OR b', values: [id] }
 */
export const sql = Object.assign(template, {
  join,
  identifier: drizzleSql.identifier,
  raw: drizzleSql.raw,
  param: drizzleSql.param,
  empty: drizzleSql.empty,
});

export type { DrizzleSQL as SQL };

/** Each call site's literal parts as `StringChunk`s, made the first time it runs. */
const literalChunks = new WeakMap<TemplateStringsArray, StringChunk[]>();

function template(strings: TemplateStringsArray, ...params: unknown[]): SQL {
  let literals = literalChunks.get(strings);
  if (!literals) {
    literals = strings.map((s) => new StringChunk(s));
    literalChunks.set(strings, literals);
  }
  const chunks: unknown[] = new Array(params.length * 2 + 1);
  chunks[0] = literals[0];
  for (let i = 0; i < params.length; i++) {
    chunks[2 * i + 1] = params[i];
    chunks[2 * i + 2] = literals[i + 1];
  }
  return fromChunks(chunks, params);
}

/** `chunks` joined by `separator`, like Drizzle's `sql.join`. */
function join(chunks: readonly unknown[], separator?: SQL): SQL {
  const out: unknown[] = [];
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && separator !== undefined) out.push(separator);
    out.push(chunks[i]);
  }
  return fromChunks(out, chunks);
}

const NO_CHUNKS: never[] = [];

/**
 * An {@link SQL} of `chunks`. Drizzle's constructor only records the tables among the chunks; with
 * none among `values` (the only chunks not made here), the same object is made without that scan.
 */
function fromChunks(chunks: unknown[], values: readonly unknown[]): SQL {
  for (let i = 0; i < values.length; i++) {
    if (values[i] instanceof Table) return new SQL(chunks as ConstructorParameters<typeof SQL>[0]);
  }
  const q = new SQL(NO_CHUNKS);
  (q as { queryChunks: unknown[] }).queryChunks = chunks;
  return q;
}
