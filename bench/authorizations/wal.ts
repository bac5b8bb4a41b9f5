/**
 * Load-independent database work per operation, for `cpu.ts --wal`: the WAL this database's
 * transactions wrote (from `pg_walinspect`, so other databases on a shared server do not count),
 * by relation, and the rows and buffers its backends touched (`pg_stat_database`). Needs
 * `CREATE EXTENSION pg_walinspect` in the database (superuser, once). Not a test.
 *
 * @example
 * const mark = await walMark(admin);
 * // … run n authorizations …
 * const w = await walSince(admin, mark); // { bytes, records, fpiBytes, byRelation, rows… }
 */
import type pg from 'pg';

/** Where a measurement starts: the WAL insert position and this database's counters. */
export interface WalMark {
  lsn: string;
  stats: DbStats;
}

interface DbStats {
  blks_hit: number;
  blks_read: number;
  tup_inserted: number;
  tup_updated: number;
  tup_deleted: number;
  tup_fetched: number;
  tup_returned: number;
  xact_commit: number;
}

/** WAL and database counters between a {@link WalMark} and now. */
export interface WalDelta {
  /** WAL bytes of records that touch this database's relations, plus its transactions' commit records. */
  bytes: number;
  records: number;
  /** Of `bytes`: full-page images (the first change to a page after a checkpoint). */
  fpiBytes: number;
  /** WAL bytes by relation name (commit records under `(commit)`), largest first. */
  byRelation: Array<{ relation: string; bytes: number; records: number }>;
  stats: DbStats;
}

async function dbStats(c: pg.Client): Promise<DbStats> {
  const r = await c.query<Record<keyof DbStats, string>>(
    `SELECT blks_hit, blks_read, tup_inserted, tup_updated, tup_deleted, tup_fetched, tup_returned, xact_commit
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  const row = r.rows[0] as Record<keyof DbStats, string>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as DbStats;
}

/** Marks the start of a measurement. */
export async function walMark(c: pg.Client): Promise<WalMark> {
  const lsn = (await c.query<{ l: string }>('SELECT pg_current_wal_flush_lsn()::text AS l')).rows[0]?.l;
  return { lsn: lsn as string, stats: await dbStats(c) };
}

/**
 * What happened in this database since `mark`. Backends publish their row and buffer counters when
 * idle (at most 1 s late while busy, up to 10 s once idle), so call it ≥ 11 s after the work ended.
 */
export async function walSince(c: pg.Client, mark: WalMark, schema: string): Promise<WalDelta> {
  const end = (await c.query<{ l: string }>('SELECT pg_current_wal_flush_lsn()::text AS l')).rows[0]?.l;
  const rows = await c.query<{ relation: string; bytes: string; records: string; fpi: string }>(
    `WITH db AS (SELECT oid FROM pg_database WHERE datname = current_database()),
     r AS (SELECT w.*, (regexp_match(w.block_ref, 'rel \\d+/(\\d+)/(\\d+)')) AS m
           FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) w),
     mine AS (SELECT r.* FROM r, db WHERE r.m[1]::oid = db.oid),
     xids AS (SELECT DISTINCT xid FROM mine WHERE xid <> '0'::xid),
     commits AS (SELECT r.* FROM r WHERE r.resource_manager = 'Transaction' AND r.xid IN (SELECT xid FROM xids))
     SELECT coalesce(cl.relname, 'relfilenode ' || mine.m[2]) AS relation,
            sum(record_length) AS bytes, count(*) AS records, sum(fpi_length) AS fpi
       FROM mine LEFT JOIN pg_class cl ON cl.relfilenode = mine.m[2]::oid
         AND cl.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ($3, 'pg_catalog', 'pg_toast'))
       GROUP BY 1
     UNION ALL
     SELECT '(commit)', sum(record_length), count(*), 0 FROM commits
     ORDER BY 2 DESC NULLS LAST`,
    [mark.lsn, end, schema],
  );
  const byRelation = rows.rows
    .filter((r) => r.bytes !== null)
    .map((r) => ({ relation: r.relation, bytes: Number(r.bytes), records: Number(r.records) }));
  const after = await dbStats(c);
  const stats = Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, v - mark.stats[k as keyof DbStats]]),
  ) as unknown as DbStats;
  return {
    bytes: byRelation.reduce((s, r) => s + r.bytes, 0),
    records: byRelation.reduce((s, r) => s + r.records, 0),
    fpiBytes: rows.rows.reduce((s, r) => s + Number(r.fpi ?? 0), 0),
    byRelation,
    stats,
  };
}
