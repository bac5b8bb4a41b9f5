import { type SQL, sql } from 'drizzle-orm';
import { minorUnitExponent, USD_PER_UNIT } from '../authorization/fx';

/** How many groups a spend report keeps unless `limit` says otherwise, and the most it may ask for. */
export const DEFAULT_GROUP_LIMIT = 100;
export const MAX_GROUP_LIMIT = 1000;

/** USD per minor unit of each currency (the platform's reference rates), as an SQL `VALUES` list. */
function usdPerMinorUnit(): SQL {
  const rows = Object.entries(USD_PER_UNIT).map(
    ([currency, rate]) =>
      sql`(${currency}::text, ${String(rate)}::numeric / ${10 ** minorUnitExponent(currency)})`,
  );
  return sql`(VALUES ${sql.join(rows, sql`, `)}) AS fx(currency, usd)`;
}

/**
 * The spend report's final statement over `union` (rows of period, grp, label, currency, amount,
 * capture_count, refund_count): sums them per period, group and currency, ranks the groups by the
 * absolute value of their net spend over the whole range (valued in USD at the reference rates; ties
 * by group key in byte order, `null` last) and keeps the first `limit`; every other group is summed
 * into one row per period and currency with `other = true` and a `null` group. Each row also carries
 * `total_groups` and `other_groups`. Rows come ordered by period, `other`, group and currency.
 *
 * @example
 * await db.rows(topGroupsStatement(sql`SELECT … FROM spend_rollups …`, 100));
 */
export function topGroupsStatement(union: SQL, limit: number): SQL {
  // The group ranks are joined back by key (a hash join over the few groups); `null` never equals
  // itself, so the null group's rank is read on its own. Only the folded rows are grouped again: the
  // kept ones pass through (re-grouping all of them cost ≈ 150 ms of 700 for 146,652 card × day rows).
  return sql`WITH g AS (
      SELECT u.period, grp, max(label) AS label, currency, sum(amount) AS amount,
        sum(capture_count) AS capture_count, sum(refund_count) AS refund_count
      FROM (${union}) u
      GROUP BY u.period, grp, currency
      HAVING sum(capture_count) + sum(refund_count) > 0
    ), ranked AS (
      SELECT grp, row_number() OVER (ORDER BY abs(sum(g.amount * coalesce(fx.usd, 0))) DESC, grp COLLATE "C" NULLS LAST) AS rank
      FROM g LEFT JOIN ${usdPerMinorUnit()} ON fx.currency = g.currency
      GROUP BY grp
    ), kept AS (
      SELECT g.*, coalesce(r.rank, (SELECT rank FROM ranked WHERE grp IS NULL)) > ${limit} AS other
      FROM g LEFT JOIN ranked r ON r.grp = g.grp
    )
    SELECT to_char(period, 'YYYY-MM-DD') AS period, other, grp, label, currency, amount, capture_count, refund_count,
      (SELECT count(*) FROM ranked) AS total_groups, (SELECT count(*) FROM ranked WHERE rank > ${limit}) AS other_groups
    FROM (
      SELECT period, false AS other, grp, label, currency, amount, capture_count, refund_count FROM kept WHERE NOT other
      UNION ALL
      SELECT period, true, NULL, NULL, currency, sum(amount), sum(capture_count), sum(refund_count)
      FROM kept WHERE other GROUP BY period, currency
    ) f
    ORDER BY f.period, other, grp COLLATE "C" NULLS LAST, currency COLLATE "C"`;
}
