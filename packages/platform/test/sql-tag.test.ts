import { sql as drizzleSql, type SQL } from 'drizzle-orm';
import { PgDialect, pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql';
import { renderSql } from '../src/db/statement';

// The platform's `sql` tag (db/sql.ts) must build what Drizzle's tag builds: the same text and
// parameters from Drizzle's own renderer and from the hot path's renderer, for every kind of chunk.

const dialect = new PgDialect();
type Tag = typeof drizzleSql;

/** One query of every kind of chunk, built with `tag`. */
function sample(tag: Tag, v: { id: string; n: number; at: Date; list: string[] }): SQL {
  const rows = v.list.map((x, i) => tag`(${x}, ${i}::int)`);
  return tag`WITH a AS (SELECT ${tag.identifier('l0')} FROM t WHERE id = ${v.id} AND n > ${v.n})
    SELECT ${tag.raw('1')}, ${v.at}::timestamptz, ${tag.param(v.n)}, ${tag.join(rows, tag`, `)},
      ${tag.join([tag`x`, tag`y`])}, ${tag.empty()}, ${tag``}, ${null}, ${v.list} FROM a`;
}

describe('sql (db/sql.ts) builds what Drizzle’s tag builds', () => {
  const values = { id: 'ic_1', n: 42, at: new Date('2026-12-01T10:00:00.000Z'), list: ['a', 'b', 'c'] };

  it('renders to the same text and parameters, by Drizzle and by renderSql', () => {
    const ours = sample(sql as unknown as Tag, values);
    const theirs = sample(drizzleSql, values);
    expect(dialect.sqlToQuery(ours)).toEqual(dialect.sqlToQuery(theirs));
    expect(renderSql(ours)).toEqual(renderSql(theirs));
    expect(renderSql(ours).params).toEqual([
      'ic_1',
      42,
      values.at,
      42,
      'a',
      0,
      'b',
      1,
      'c',
      2,
      null,
      'a',
      'b',
      'c',
    ]);
  });

  it('a call site run again with other values keeps each run’s own values (literal parts are shared, values are not)', () => {
    const build = (id: string, n: number) => sql`SELECT ${id}, ${n}`;
    const first = build('ic_1', 1);
    const second = build('ic_2', 2);
    expect(renderSql(first)).toEqual({ sql: 'SELECT $1, $2', params: ['ic_1', 1] });
    expect(renderSql(second)).toEqual({ sql: 'SELECT $1, $2', params: ['ic_2', 2] });
  });

  it('sql.join with and without a separator, and of nothing', () => {
    const parts = [sql`a`, sql`${1}`, sql`c`];
    expect(dialect.sqlToQuery(sql.join(parts, sql` OR `))).toEqual(
      dialect.sqlToQuery(drizzleSql.join([drizzleSql`a`, drizzleSql`${1}`, drizzleSql`c`], drizzleSql` OR `)),
    );
    expect(renderSql(sql.join(parts))).toEqual({ sql: 'a$1c', params: [1] });
    expect(renderSql(sql.join([], sql`, `))).toEqual({ sql: '', params: [] });
  });

  it('a fragment holding a Drizzle table records it as Drizzle does', () => {
    const cards = pgTable('cards', { id: text('id') });
    const ours = sql`SELECT * FROM ${cards} WHERE id = ${'ic_1'}`;
    const theirs = drizzleSql`SELECT * FROM ${cards} WHERE id = ${'ic_1'}`;
    const tables = (q: SQL) => (q as unknown as { usedTables: string[] }).usedTables;
    expect(tables(ours)).toEqual(['cards']);
    expect(tables(ours)).toEqual(tables(theirs));
    expect(dialect.sqlToQuery(ours)).toEqual(dialect.sqlToQuery(theirs));
  });

  it('inlined parameters still render as Drizzle does', () => {
    const ours = sql`SELECT ${'x'}, ${3}`.inlineParams();
    expect(renderSql(ours)).toEqual(dialect.sqlToQuery(drizzleSql`SELECT ${'x'}, ${3}`.inlineParams()));
  });
});
