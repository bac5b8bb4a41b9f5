import { currencyExponent } from '@openissuing/decision-engine';
import { USD_PER_UNIT } from '../authorization/fx';
import { type SQL, sql } from '../db/sql';
import spec from '../generated/openapi.json';
import type { SpendSourceParts } from './spend-sources';

/**
 * How many groups a spend report keeps unless `limit` says otherwise (10: about what a stacked chart
 * shows legibly), and the most it may ask for — the spec's `ReportGroupLimit`, the one place they are set.
 */
export const DEFAULT_GROUP_LIMIT: number = spec.components.parameters.ReportGroupLimit.schema.default;
export const MAX_GROUP_LIMIT: number = spec.components.parameters.ReportGroupLimit.schema.maximum;

/** USD per minor unit of each currency (the platform's reference rates), as an SQL `VALUES` list. */
function usdPerMinorUnit(): SQL {
  const rows = Object.entries(USD_PER_UNIT).map(
    ([currency, rate]) =>
      sql`(${currency}::text, ${String(rate)}::numeric / ${10 ** currencyExponent(currency)})`,
  );
  return sql`(VALUES ${sql.join(rows, sql`, `)}) AS fx(currency, usd)`;
}

/**
 * Ranks the groups of `union` (rows of grp, currency, amount, capture_count, refund_count covering
 * the report's whole range, at any granularity: the ranking needs only each group's total) by the
 * absolute value of their net spend over the range, valued in USD at the reference rates, ties by
 * group key in byte order with `null` last. A group counts if it has a capture or refund in the
 * range. Returns the first `limit` groups (grp, rank) with `total_groups` on each row, or no row at
 * all when there are no groups.
 *
 * @example
 * await db.rows(rankGroupsStatement(spendSources(spendPieces(from, to, 'month'), 'month', …), 100));
 */
export function rankGroupsStatement(union: SQL, limit: number): SQL {
  return sql`WITH g AS (
      SELECT grp, currency, sum(amount) AS amount, sum(capture_count) + sum(refund_count) AS n
      FROM (${union}) u GROUP BY grp, currency
    ), ranked AS (
      SELECT grp, row_number() OVER (ORDER BY abs(sum(g.amount * coalesce(fx.usd, 0))) DESC, grp COLLATE "C" NULLS LAST) AS rank
      FROM g LEFT JOIN ${usdPerMinorUnit()} ON fx.currency = g.currency
      GROUP BY grp HAVING sum(g.n) > 0
    )
    SELECT grp, rank, (SELECT count(*) FROM ranked) AS total_groups FROM ranked WHERE rank <= ${limit} ORDER BY rank`;
}

/**
 * The spend report's rows: `kept` (rows of period, grp, label, currency, amount, capture_count,
 * refund_count for the kept groups only, from `spendSourceParts`) summed per period, group and
 * currency; and, when groups were folded, one `other = true` row per period and currency with a `null`
 * group holding `all` (the same rows of every group, grp null: the report's totals per period) less
 * the kept groups. Rows without a capture or refund are left out. Ordered by period, `other`, group
 * bytes (`null` last), currency.
 *
 * `kept.unique` rows are one per key already, so only `kept.rest` is grouped and the two are matched
 * by key (a hash full join: in a rolled-up report the rest is a few rows, where grouping the 36,500
 * day rows of 100 cards cost about as much as reading them). Sums are `bigint` (amounts are integer
 * minor units, and `sum(bigint)` is an exact `numeric`, cast back: an overflow is an error, never a
 * rounded amount).
 *
 * @example
 * await db.rows(spendRowsStatement(spendSourceParts(pieces, options), totalUnion)); // totalUnion null: nothing folded
 */
export function spendRowsStatement(kept: SpendSourceParts, all: SQL | null): SQL {
  const sums = sql`sum(amount)::bigint AS amount, sum(capture_count)::bigint AS capture_count, sum(refund_count)::bigint AS refund_count`;
  const other = all
    ? sql`UNION ALL
      SELECT t.period, true, NULL, NULL, t.currency, t.amount - coalesce(k.amount, 0),
        t.capture_count - coalesce(k.capture_count, 0), t.refund_count - coalesce(k.refund_count, 0)
      FROM (SELECT period, currency, ${sums} FROM (${all}) a GROUP BY period, currency) t
      LEFT JOIN (SELECT period, currency, ${sums} FROM g GROUP BY period, currency) k ON k.period = t.period AND k.currency = t.currency
      WHERE t.capture_count - coalesce(k.capture_count, 0) + t.refund_count - coalesce(k.refund_count, 0) > 0`
    : sql``;
  const grouped = (rows: SQL) => sql`SELECT u.period, grp, max(label) AS label, currency, ${sums}
      FROM (${rows}) u GROUP BY u.period, grp, currency`;
  const counted = sql`capture_count + refund_count > 0`;
  const g = !kept.unique
    ? sql`SELECT * FROM (${grouped(kept.rest ?? sql`SELECT NULL::timestamp AS period, NULL::text AS grp, NULL::text AS label, NULL::text AS currency, 0::bigint AS amount, 0::bigint AS capture_count, 0::bigint AS refund_count WHERE false`)}) r WHERE ${counted}`
    : !kept.rest
      ? sql`SELECT period, grp, label, currency, amount::bigint AS amount, capture_count::bigint AS capture_count, refund_count::bigint AS refund_count
          FROM (${kept.unique}) u WHERE ${counted}`
      : sql`SELECT * FROM (
          SELECT coalesce(u.period, r.period) AS period, coalesce(u.grp, r.grp) AS grp, greatest(u.label, r.label) AS label,
            coalesce(u.currency, r.currency) AS currency, coalesce(u.amount, 0) + coalesce(r.amount, 0) AS amount,
            coalesce(u.capture_count, 0) + coalesce(r.capture_count, 0) AS capture_count,
            coalesce(u.refund_count, 0) + coalesce(r.refund_count, 0) AS refund_count
          FROM (${kept.unique}) u FULL JOIN (${grouped(kept.rest)}) r
            ON r.period = u.period AND coalesce(r.grp, '') = coalesce(u.grp, '') AND r.currency = u.currency
        ) m WHERE ${counted}`;
  return sql`WITH g AS (${g})
    SELECT to_char(period, 'YYYY-MM-DD') AS period, other, grp, label, currency, amount, capture_count, refund_count
    FROM (
      SELECT period, false AS other, grp, label, currency, amount, capture_count, refund_count FROM g
      ${other}
    ) f
    ORDER BY f.period, other, grp COLLATE "C" NULLS LAST, currency COLLATE "C"`;
}
