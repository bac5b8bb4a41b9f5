import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
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
  const { sql: text, params } = dialect.sqlToQuery(query);
  let name = names.get(text);
  if (!name) {
    name = `oi_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    // Statement shapes are bounded (controls shapes × a few statements); the cap only guards misuse.
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}
