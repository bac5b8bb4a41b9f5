import { type SQL, sql } from '../db/sql';
import { FACT_COLUMNS, groupOf, type SpendGroupBy } from './spend-groups';
import type { DayRange, SpendInterval, SpendPieces } from './spend-pieces';

/** What a report's source rows are read for (see {@link spendSources}). */
export interface SpendSourceOptions {
  /** The report's grouping, and its rollup kind (`rollupKind`). */
  groupBy: SpendGroupBy;
  kind: string;
  /** The interval the pieces were split for (`spendPieces`) and the rows' `period` is truncated to. */
  interval: SpendInterval;
  /** Only this card currency, if given. */
  currency?: string | undefined;
  /** Extra condition on the transactions read live (a scoped key's dimensions), or empty. */
  scoped: SQL;
  /**
   * Only these groups (`null`: the group without a key), or every group when absent. The report reads
   * the kept groups' rows only, once it has ranked them (reports/spend-top.ts).
   */
  only?: ReadonlyArray<string | null> | undefined;
}

/**
 * The rows (period, grp, label, currency, amount, capture_count, refund_count) that sum to the
 * report over `pieces`, as one `UNION ALL`: period rollups of the interval for whole periods, the
 * daily rollups for the other whole days, the transactions for partial days and for whatever is not
 * rolled up yet (reports/spend-pieces.ts says which part covers what). Summed per period, group and
 * currency they are exact; several rows may share a key.
 *
 * @example
 * const union = spendSources(spendPieces(from, to, 'month'),
 *   { groupBy: 'card', kind: 'card', interval: 'month', scoped: sql`` });
 */
export function spendSources(pieces: SpendPieces, options: SpendSourceOptions): SQL {
  const { unique, rest } = spendSourceParts(pieces, options);
  return sql.join(
    [unique, rest].filter((p): p is SQL => p !== null),
    sql` UNION ALL `,
  );
}

/** {@link spendSources}'s rows in two `UNION ALL`s (either `null` when empty); see there. */
export interface SpendSourceParts {
  /** Rows with at most one row per period, group and currency (the rollups of the interval's own grain). */
  unique: SQL | null;
  /** Every other row (other rollups, the transactions): several may share a key, and a key of `unique`. */
  rest: SQL | null;
}

/**
 * {@link spendSources}, split so the report can leave the rollup rows that are already one per
 * period, group and currency as they are, and group only the rest: the period rollups of a week or
 * month report, or the day rollups of a daily one (its day ranges are disjoint).
 *
 * @example
 * const { unique, rest } = spendSourceParts(spendPieces(from, to, 'day'),
 *   { groupBy: 'card', kind: 'card', interval: 'day', scoped: sql`` });
 */
export function spendSourceParts(pieces: SpendPieces, options: SpendSourceOptions): SpendSourceParts {
  const { groupBy, kind, interval, only } = options;
  const trunc = sql.raw(`'${interval}'`);
  const cur = options.currency ? sql` AND currency = ${options.currency}` : sql``;
  // Rollups store the group without a key as ''; the report shows it as null.
  const keptKeys = only
    ? [...only.filter((g): g is string => g !== null && g !== ''), ...(only.includes(null) ? [''] : [])]
    : null;
  const nullKept = only ? only.includes(null) : true;
  const parts: SQL[] = [];
  const uniqueParts: SQL[] = [];
  // One rollup source (the period rollups of the grain, or the daily ones) over whole days.
  const rollups = (range: DayRange, source: 'period' | 'day') => {
    const read = (k: string, sign: 1 | -1, asNull: boolean, filtered: boolean) => {
      const columns = sql`${asNull ? sql`NULL::text` : sql`nullif(grp, '')`} AS grp, ${asNull ? sql`NULL::text` : sql`label`} AS label, currency,
        ${sign} * amount AS amount, ${sign} * capture_count AS capture_count, ${sign} * refund_count AS refund_count`;
      const keys =
        filtered && keptKeys
          ? sql` AND grp = ANY(${`{${keptKeys.map(quoteArray).join(',')}}`}::text[])`
          : sql``;
      return source === 'period'
        ? sql`SELECT period_start::timestamp AS period, ${columns} FROM spend_period_rollups
            WHERE grain = ${interval} AND kind = ${k}${keys} AND period_start >= ${range.from}::date AND period_start < ${range.to}::date${cur}`
        : sql`SELECT date_trunc(${trunc}, day::timestamp) AS period, ${columns} FROM spend_rollups
            WHERE kind = ${k}${keys} AND day >= ${range.from}::date AND day < ${range.to}::date${cur}`;
    };
    // Rollups only hold the dimension's present values; spend without it is the total less those.
    // One row per key of its own grain: the period rollups, or the day rollups of a daily report.
    const own = source === 'period' || interval === 'day' ? uniqueParts : parts;
    if (groupBy === 'dimension') {
      if (nullKept) parts.push(read('none', 1, true, false), read(kind, -1, true, false));
      own.push(read(kind, 1, false, true));
    } else own.push(read(kind, 1, groupBy === 'none', true));
  };
  if (pieces.periods) rollups(pieces.periods, 'period');
  for (const range of pieces.days) rollups(range, 'day');
  // Live part: the partial days at the ends, and the transactions of whole days not rolled up yet.
  const { group, label } = groupOf(kind);
  const liveKeys = only
    ? sql` AND (${group} = ANY(${`{${only
        .filter((g) => g !== null)
        .map(quoteArray)
        .join(',')}}`}::text[])${nullKept ? sql` OR ${group} IS NULL` : sql``})`
    : sql``;
  const live = (where: SQL) =>
    sql`SELECT date_trunc(${trunc}, created_at AT TIME ZONE 'UTC') AS period, ${group} AS grp, ${label} AS label, data->>'currency' AS currency, ${FACT_COLUMNS}
      FROM transactions WHERE ${where}${options.scoped}${liveKeys}${options.currency ? sql` AND data->>'currency' = ${options.currency}` : sql``}`;
  for (const range of pieces.live)
    parts.push(live(sql`created_at >= ${range.from}::timestamptz AND created_at < ${range.to}::timestamptz`));
  if (pieces.unrolled)
    parts.push(
      live(
        sql`NOT rolled_up AND created_at >= ${`${pieces.unrolled.from}T00:00:00Z`}::timestamptz AND created_at < ${`${pieces.unrolled.to}T00:00:00Z`}::timestamptz`,
      ),
    );
  const union = (list: SQL[]) => (list.length > 0 ? sql.join(list, sql` UNION ALL `) : null);
  return { unique: union(uniqueParts), rest: union(parts) };
}

/** One element of a PostgreSQL array literal, quoted (any text, commas and quotes included). */
function quoteArray(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
