import { type SQL, sql } from 'drizzle-orm';
import { currentScope } from '../access/scope';
import { convert } from '../authorization/fx';
import type { Context } from '../context';
import { invalid } from '../lib/errors';
import { FACT_COLUMNS, groupOf, rollupKind, type SpendGroupBy } from './spend-groups';

export type SpendInterval = 'day' | 'week' | 'month';

export interface SpendReportParams {
  group_by?: SpendGroupBy | undefined;
  dimension?: string | undefined;
  interval?: SpendInterval | undefined;
  created_gte: string;
  created_lt: string;
  currency?: string | undefined;
}

export interface SpendReportRow {
  period_start: string;
  group: string | null;
  label: string | null;
  currency: string;
  amount: number;
  capture_count: number;
  refund_count: number;
  reporting_amount: number;
}

const MAX_PERIODS = 400;
const DAY_MS = 86_400_000;

const startOfDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);

function periodCount(from: Date, to: Date, interval: SpendInterval): number {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (interval === 'day') return Math.ceil(days) + 1;
  if (interval === 'week') return Math.ceil(days / 7) + 1;
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
}

/** Signed conversion (rounding symmetric around zero). */
function toReporting(amount: number, from: string, to: string): number {
  const converted = convert(Math.abs(amount), from, to).amount;
  return amount < 0 ? -converted : converted;
}

/**
 * Captured spend net of refunds per period and group over `[created_gte, created_lt)`. Whole UTC days
 * come from the daily rollups; the partial days at either end and every transaction not rolled up
 * yet come from the transactions table. It is ONE statement, so it reads one snapshot: the rollup job
 * moves a transaction and marks it in the same database transaction, so it is counted exactly once.
 *
 * @example
 * await spendReport(ctx, { group_by: 'dimension', dimension: 'department', interval: 'month',
 *   created_gte: '2026-01-01T00:00:00Z', created_lt: '2027-01-01T00:00:00Z' });
 */
export async function spendReport(ctx: Context, params: SpendReportParams) {
  const groupBy = params.group_by ?? 'none';
  const interval = params.interval ?? 'month';
  if (groupBy === 'dimension' && !params.dimension)
    throw invalid(
      'dimension',
      'dimension: group_by=dimension needs the dimension key to group by, e.g. dimension=department.',
      'parameter_missing',
    );
  if (groupBy !== 'dimension' && params.dimension)
    throw invalid(
      'dimension',
      `dimension: only allowed with group_by=dimension (group_by is ${groupBy}); remove it or set group_by=dimension.`,
    );
  const from = new Date(params.created_gte);
  const to = new Date(params.created_lt);
  if (!(to > from))
    throw invalid(
      'created_lt',
      'created_lt: must be after created_gte; the report covers [created_gte, created_lt).',
    );
  const periods = periodCount(from, to, interval);
  if (periods > MAX_PERIODS)
    throw invalid(
      'interval',
      `interval: ${interval} over this range makes ${periods} periods, more than ${MAX_PERIODS}; use a longer interval or a shorter range.`,
    );

  const kind = rollupKind(groupBy, params.dimension);
  // Whole days inside the range: [firstDay, lastDay).
  const firstDay =
    startOfDay(from).getTime() === from.getTime() ? from : new Date(startOfDay(from).getTime() + DAY_MS);
  const lastDay = startOfDay(to);
  const wholeDays = lastDay > firstDay;
  const iso = (d: Date) => d.toISOString();
  const trunc = sql.raw(`'${interval}'`);
  const cur = params.currency ? sql` AND currency = ${params.currency}` : sql``;

  // A key scoped to dimensions sees only its transactions: the rollups mix every department, so a
  // scoped report reads the transactions themselves (bounded by the date range's index).
  const scope = currentScope();
  const scoped = scope ? sql` AND data->'dimensions' @> ${JSON.stringify(scope)}::jsonb` : sql``;
  const useRollups = wholeDays && !scope;
  const parts: SQL[] = [];
  if (useRollups) {
    const inDays = sql`day >= ${iso(firstDay)}::date AND day < ${iso(lastDay)}::date${cur}`;
    const rollupPart = (k: string, sign: 1 | -1, asNull: boolean) =>
      sql`SELECT date_trunc(${trunc}, day::timestamp) AS period, ${asNull ? sql`NULL::text` : sql`nullif(grp, '')`} AS grp, ${asNull ? sql`NULL::text` : sql`label`} AS label, currency,
        ${sign} * amount AS amount, ${sign} * capture_count AS capture_count, ${sign} * refund_count AS refund_count
        FROM spend_rollups WHERE kind = ${k} AND ${inDays}`;
    if (groupBy === 'dimension') {
      // Rollups only hold the dimension's present values; spend without it is the total less those.
      parts.push(rollupPart('none', 1, true), rollupPart(kind, -1, true), rollupPart(kind, 1, false));
    } else parts.push(rollupPart(kind, 1, groupBy === 'none'));
  }
  // Live part: transactions outside the whole days, and unrolled ones inside them.
  const { group, label } = groupOf(kind);
  const live = (where: SQL) =>
    sql`SELECT date_trunc(${trunc}, created_at AT TIME ZONE 'UTC') AS period, ${group} AS grp, ${label} AS label, data->>'currency' AS currency, ${FACT_COLUMNS}
      FROM transactions WHERE ${where}${scoped}${params.currency ? sql` AND data->>'currency' = ${params.currency}` : sql``}`;
  if (useRollups) {
    parts.push(
      live(sql`created_at >= ${iso(from)}::timestamptz AND created_at < ${iso(firstDay)}::timestamptz`),
      live(sql`created_at >= ${iso(lastDay)}::timestamptz AND created_at < ${iso(to)}::timestamptz`),
      live(
        sql`NOT rolled_up AND created_at >= ${iso(firstDay)}::timestamptz AND created_at < ${iso(lastDay)}::timestamptz`,
      ),
    );
  } else {
    parts.push(live(sql`created_at >= ${iso(from)}::timestamptz AND created_at < ${iso(to)}::timestamptz`));
  }
  // JIT compilation costs more than the aggregation itself here (≈ 1.2 s against 0.36 s for a
  // 730,000-row card rollup on PostgreSQL), so the report runs with it off.
  const run = <T extends object>(q: SQL) =>
    ctx.db.kind === 'postgres'
      ? ctx.db.transaction(async (tx) => {
          await tx.rows(sql`SET LOCAL jit = off`);
          return tx.rows<T>(q);
        })
      : ctx.db.rows<T>(q);
  const rows = await run<{
    period: unknown;
    grp: string | null;
    label: string | null;
    currency: string;
    amount: unknown;
    capture_count: unknown;
    refund_count: unknown;
  }>(sql`SELECT to_char(period, 'YYYY-MM-DD') AS period, grp, max(label) AS label, currency, sum(amount) AS amount,
      sum(capture_count) AS capture_count, sum(refund_count) AS refund_count
    FROM (${sql.join(parts, sql` UNION ALL `)}) u
    GROUP BY period, grp, currency
    HAVING sum(capture_count) + sum(refund_count) > 0
    ORDER BY 1, grp NULLS LAST, currency`);

  const reporting = ctx.program().reporting_currency;
  const out: SpendReportRow[] = rows.map((r) => {
    const amount = Number(r.amount);
    return {
      period_start: `${String(r.period)}T00:00:00Z`,
      group: r.grp,
      label: r.label ?? r.grp,
      currency: r.currency,
      amount,
      capture_count: Number(r.capture_count),
      refund_count: Number(r.refund_count),
      reporting_amount: toReporting(amount, r.currency, reporting),
    };
  });
  const totals = new Map<
    string,
    {
      currency: string;
      amount: number;
      capture_count: number;
      refund_count: number;
      reporting_amount: number;
    }
  >();
  for (const r of out) {
    const t = totals.get(r.currency) ?? {
      currency: r.currency,
      amount: 0,
      capture_count: 0,
      refund_count: 0,
      reporting_amount: 0,
    };
    t.amount += r.amount;
    t.capture_count += r.capture_count;
    t.refund_count += r.refund_count;
    t.reporting_amount += r.reporting_amount;
    totals.set(r.currency, t);
  }
  return {
    object: 'spend_report' as const,
    group_by: groupBy,
    dimension: groupBy === 'dimension' ? (params.dimension as string) : null,
    interval,
    created_gte: params.created_gte,
    created_lt: params.created_lt,
    reporting_currency: reporting,
    rows: out,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    reporting_total: out.reduce((s, r) => s + r.reporting_amount, 0),
  };
}
