import { createHash } from 'node:crypto';
import { Name, SQL, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** A query as PostgreSQL's extended protocol takes it: a statement name, its text and parameters. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

const dialect = new PgDialect();
const names = new Map<string, string>();

/**
 * Renders a Drizzle query as a NAMED prepared statement: parameters stay `$n` placeholders (never
 * inlined literals) and the name is derived from the text, so each distinct statement shape is
 * parsed once per connection and its plan cached by PostgreSQL — the hot authorization statements
 * are a handful of shapes whatever the values.
 *
 * @example
 * const s = namedStatement(sql`SELECT data FROM cards WHERE id = ${id}`);
 * await client.query(s); // { name: 'oi_…', text: 'SELECT data FROM cards WHERE id = $1', values: [id] }
 */
export function namedStatement(query: SQL): NamedStatement {
  const { sql: text, params } = renderSql(query);
  let name = names.get(text);
  if (!name) {
    name = `oi_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    // Statement shapes are bounded (controls shapes × a few statements); the cap only guards misuse.
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}

/**
 * The text and parameters of a Drizzle `sql` query, exactly as `PgDialect.sqlToQuery` renders them
 * (`$1…` placeholders, `"quoted"` identifiers). The platform's queries are `sql` templates of text,
 * values, nested `sql`, `sql.join` and `sql.identifier`; those are rendered here in one pass — a
 * tenth of the allocations of Drizzle's general renderer, which was ~9 % of the platform's CPU per
 * authorization. Anything else (tables, columns, `sql.param` encoders, placeholders, inlined
 * params) is left to Drizzle's own renderer, so the result is always Drizzle's.
 *
 * @example
 * renderSql(sql`SELECT ${sql.identifier('l0')} FROM t WHERE id = ${'x'}`)
 * // { sql: 'SELECT "l0" FROM t WHERE id = $1', params: ['x'] }
 */
export function renderSql(query: SQL): { sql: string; params: unknown[] } {
  const out: Rendered = { sql: '', params: [] };
  if (renderChunks(query, out)) return out;
  const drizzle = dialect.sqlToQuery(query);
  return { sql: drizzle.sql, params: drizzle.params };
}

interface Rendered {
  sql: string;
  params: unknown[];
}

/** Appends `query` to `out`; false when it holds something only Drizzle's renderer knows. */
function renderChunks(query: SQL, out: Rendered): boolean {
  // `.inlineParams()` asks for literals: Drizzle's renderer does that.
  if ((query as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
  for (const chunk of query.queryChunks as unknown[]) {
    if (!renderChunk(chunk, out)) return false;
  }
  return true;
}

function renderChunk(chunk: unknown, out: Rendered): boolean {
  if (chunk instanceof StringChunk) {
    const v = chunk.value;
    out.sql += v.length === 1 ? v[0] : v.join('');
    return true;
  }
  if (chunk instanceof SQL) return renderChunks(chunk, out);
  if (chunk instanceof Name) {
    out.sql += `"${chunk.value.replace(/"/g, '""')}"`;
    return true;
  }
  if (chunk === undefined) return true;
  if (Array.isArray(chunk)) {
    // As Drizzle: a parenthesised, comma-separated list of its elements.
    out.sql += '(';
    for (let i = 0; i < chunk.length; i++) {
      if (i > 0) out.sql += ', ';
      if (!renderChunk(chunk[i], out)) return false;
    }
    out.sql += ')';
    return true;
  }
  if (chunk !== null && typeof chunk === 'object' && !(chunk instanceof Date)) {
    // Drizzle's Param, Placeholder, Table, Column, View, Subquery and SQL wrappers; plain objects.
    return false;
  }
  out.params.push(chunk);
  out.sql += `$${out.params.length}`;
  return true;
}
