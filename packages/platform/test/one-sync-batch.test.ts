import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canBatch, sendBatch } from '../src/db/batch';
import { type Database, openDatabase, sqlState } from '../src/db/database';
import { namedStatement } from '../src/db/statement';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

// A transaction's opening statements (and its final statement + COMMIT) travel with ONE Sync. The
// server then skips everything after a failing statement until that Sync: these tests pin that the
// failing statement's own error surfaces, the transaction rolls back, and the connection — with its
// record of which statements are prepared — stays right for the next transaction.

const schema = uniqueSchema('batch');
afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

// PostgreSQL sends each round trip with one Sync; embedded PGlite (no socket) keeps a Sync per
// statement — the same semantics are pinned on both.
describe.each([
  {
    mode: 'postgres' as const,
    open: () => openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 }),
  },
  { mode: 'pglite' as const, open: () => openDatabase({}) },
])('transactions with one round trip per phase ($mode)', ({ mode, open }) => {
  let db: Database;
  beforeAll(async () => {
    // One connection: every transaction below reuses the connection the failure happened on.
    db = await open();
    await db.rows(sql`CREATE TABLE IF NOT EXISTS batch_t (id int PRIMARY KEY, note text)`);
  });
  afterAll(async () => {
    await db?.close();
  });

  const ids = async () =>
    (await db.rows<{ id: number }>(sql`SELECT id FROM batch_t ORDER BY id`)).map((r) => Number(r.id));

  it('a failing opening statement in the middle rolls back and surfaces ITS error; the connection stays usable', async () => {
    // Each shape is new on the connection, so this batch sends a Parse for each of them.
    const opening = (id: number, divisor: number, tag: string) => [
      sql`INSERT INTO batch_t (id, note) VALUES (${id}, ${'first'}) RETURNING id`,
      sql`SELECT (10 / ${divisor}::int) AS q, ${tag}::text AS tag`,
      sql`INSERT INTO batch_t (id, note) VALUES (${id + 1}, ${'third'}) RETURNING id, note`,
    ];
    const failure = await db
      .transactionWith(opening(1, 0, 'a'), async () => 'unreachable')
      .catch((error: unknown) => error);
    expect(sqlState(failure)).toBe('22012'); // division_by_zero: the second statement's own error
    // One Sync: the batch says which statement failed (after BEGIN and the insert).
    expect((failure as { statementIndex?: number }).statementIndex).toBe(mode === 'postgres' ? 2 : undefined);
    expect(await ids()).toEqual([]); // the first INSERT was rolled back

    // The same shapes again on the same connection: those parsed before the failure are not parsed
    // twice (42P05 would say so) and the one the server skipped is parsed now (26000 otherwise).
    const done = await db.transactionWith(opening(1, 5, 'b'), async (_tx, results) => results);
    expect(done[0]).toEqual([{ id: 1 }]);
    expect(done[1]).toEqual([{ q: 2, tag: 'b' }]);
    expect(done[2]).toEqual([{ id: 2, note: 'third' }]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('a statement that fails to parse is not recorded as prepared, nor are the ones skipped after it', async () => {
    const bad = sql`SELECT no_such_column FROM batch_t WHERE id = ${1}`;
    const after = sql`SELECT count(*)::int AS n FROM batch_t WHERE id > ${-5}`;
    const failure = await db
      .transactionWith([sql`SELECT 1 AS one WHERE ${1}::int = 1`, bad, after], async () => 'unreachable')
      .catch((error: unknown) => error);
    expect(sqlState(failure)).toBe('42703'); // undefined_column, from the Parse itself
    const ok = await db.transactionWith([after], async (_tx, [rows]) => rows);
    expect(ok).toEqual([{ n: 2 }]);
  });

  it('a failing final statement + COMMIT rolls back what the transaction wrote and surfaces its error', async () => {
    const failure = await db
      .transactionWith([sql`SELECT 1 AS one`], async (tx) => {
        await tx.rows(sql`INSERT INTO batch_t (id, note) VALUES (${10}, ${'in tx'})`);
        // Duplicate key: the final statement fails, so COMMIT (same Sync) is skipped.
        return (tx.rowsAndCommit ?? tx.rows)(
          sql`INSERT INTO batch_t (id, note) VALUES (${1}, ${'dup'}) RETURNING id`,
        );
      })
      .catch((error: unknown) => error);
    expect(sqlState(failure)).toBe('23505');
    expect(await ids()).toEqual([1, 2]);
    const committed = await db.transactionWith([], (tx) =>
      (tx.rowsAndCommit ?? tx.rows)(sql`INSERT INTO batch_t (id, note) VALUES (${11}, ${'ok'}) RETURNING id`),
    );
    expect(committed).toEqual([{ id: 11 }]);
    expect(await ids()).toEqual([1, 2, 11]);
  });
});

describe('sendBatch', () => {
  it('sends a batch with exactly one Sync, describes each statement once, and a value it cannot send fails before anything is written', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, pipeline: true });
    await client.connect();
    try {
      const pc = client as unknown as pg.PoolClient;
      expect(canBatch(pc)).toBe(true);
      // Count what goes on the wire: every frontend message is a type byte and an int32 length.
      const stream = (client as unknown as { connection: { stream: { write(b: Buffer): boolean } } })
        .connection.stream;
      const write = stream.write.bind(stream);
      let writes = 0;
      let syncs = 0;
      let describes = 0;
      stream.write = (b: Buffer) => {
        writes++;
        for (let at = 0; at < b.length; at += 1 + b.readInt32BE(at + 1)) {
          if (b[at] === 0x53) syncs++; // 'S' Sync
          if (b[at] === 0x44) describes++; // 'D' Describe
        }
        return write(b);
      };
      const out = await sendBatch(pc, [
        namedStatement(sql`SELECT ${1}::int AS a`),
        namedStatement(sql`SELECT ${'x'}::text AS b, ${null}::text AS c`),
        namedStatement(sql`SELECT generate_series(1, ${3}::int) AS n`),
      ]);
      expect(syncs).toBe(1);
      expect(writes).toBe(1); // the whole batch in one socket write
      expect(out.map((r) => r.rows)).toEqual([
        [{ a: 1 }],
        [{ b: 'x', c: null }],
        [{ n: 1 }, { n: 2 }, { n: 3 }],
      ]);

      // The row shape is asked for once per statement and connection: later executions send
      // Bind + Execute only, and their rows are still parsed by type.
      describes = 0;
      const typed = (n: number) =>
        namedStatement(
          sql`SELECT ${n}::int AS n, ${{ k: n }}::jsonb AS j, ${'2026-12-01T10:00:00.000Z'}::timestamptz AS t, NULL::text AS z`,
        );
      const noRows = (n: number) => namedStatement(sql`SELECT 1 WHERE ${n}::int < 0`);
      const first = await sendBatch(pc, [typed(1), noRows(1)]);
      expect(describes).toBe(2);
      const second = await sendBatch(pc, [typed(2), noRows(2), typed(3)]);
      expect(describes).toBe(2);
      const at = new Date('2026-12-01T10:00:00.000Z');
      expect(first.map((r) => r.rows)).toEqual([[{ n: 1, j: { k: 1 }, t: at, z: null }], []]);
      expect(second.map((r) => r.rows)).toEqual([
        [{ n: 2, j: { k: 2 }, t: at, z: null }],
        [],
        [{ n: 3, j: { k: 3 }, t: at, z: null }],
      ]);
      expect(syncs).toBe(3);
      expect(writes).toBe(3);

      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const refused = await sendBatch(pc, [namedStatement(sql`SELECT ${circular}::jsonb AS j`)]).catch(
        (error: unknown) => error,
      );
      expect(String(refused)).toMatch(/circular/i);
      expect(syncs).toBe(3); // nothing was sent for the refused batch
      expect(writes).toBe(3);
      const again = await sendBatch(pc, [namedStatement(sql`SELECT ${2}::int AS a`)]);
      expect(again[0]?.rows).toEqual([{ a: 2 }]);
    } finally {
      await client.end();
    }
  });
});
