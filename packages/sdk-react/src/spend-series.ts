import type { SpendReport } from './types.js';

export interface SpendSeries {
  /** The group key (`null`: spend without the dimension, or `group_by=none`); `'__other__'` for the rest. */
  key: string | null;
  label: string | null;
  /** Net reporting-currency amount per period, aligned with `periods`. */
  values: number[];
  total: number;
}

export interface SpendSeriesTable {
  /** Every period of the report's range (also those without spend), oldest first. */
  periods: string[];
  series: SpendSeries[];
  /** Per period, the sum over every series. */
  totals: number[];
}

export const OTHER_SERIES = '__other__';

/** Period starts from `created_gte` up to `created_lt`, in UTC calendar periods (weeks from Monday). */
export function reportPeriods(
  report: Pick<SpendReport, 'created_gte' | 'created_lt' | 'interval'>,
): string[] {
  const from = new Date(report.created_gte);
  const to = new Date(report.created_lt);
  let at = new Date(
    Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), report.interval === 'month' ? 1 : from.getUTCDate()),
  );
  if (report.interval === 'week') at = new Date(at.getTime() - ((at.getUTCDay() + 6) % 7) * 86_400_000);
  const out: string[] = [];
  while (at < to && out.length < 400) {
    out.push(at.toISOString().replace('.000Z', 'Z'));
    at =
      report.interval === 'month'
        ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))
        : new Date(at.getTime() + (report.interval === 'week' ? 7 : 1) * 86_400_000);
  }
  return out;
}

/**
 * Turns a spend report into chart series in the reporting currency: one per group, the largest
 * `maxSeries - 1` kept and the rest summed into one `'__other__'` series when there are more. The
 * report's own `other` rows (groups beyond its `limit`) always go into that `'__other__'` series.
 *
 * @example
 * const { periods, series } = spendSeries(report, 6);
 */
export function spendSeries(report: SpendReport, maxSeries = 6): SpendSeriesTable {
  const periods = reportPeriods(report);
  const index = new Map(periods.map((p, i) => [p, i]));
  const byGroup = new Map<string | null, SpendSeries>();
  for (const row of report.rows) {
    // The API's `other` rows (groups beyond the report's `limit`) are the Other series from the start.
    const key = row.other ? OTHER_SERIES : row.group;
    let s = byGroup.get(key);
    if (!s) {
      s = { key, label: row.other ? null : row.label, values: periods.map(() => 0), total: 0 };
      byGroup.set(key, s);
    }
    const i = index.get(row.period_start);
    if (i !== undefined) s.values[i] = (s.values[i] ?? 0) + row.reporting_amount;
    s.total += row.reporting_amount;
  }
  const otherRows = byGroup.get(OTHER_SERIES);
  byGroup.delete(OTHER_SERIES);
  let series = [...byGroup.values()].sort((a, b) => b.total - a.total);
  if (otherRows) series.push(otherRows);
  if (series.length > maxSeries) {
    const kept = series.slice(0, maxSeries - 1);
    const rest = series.slice(maxSeries - 1);
    kept.push({
      key: OTHER_SERIES,
      label: null,
      values: periods.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)),
      total: rest.reduce((sum, s) => sum + s.total, 0),
    });
    series = kept;
  }
  const totals = periods.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  return { periods, series, totals };
}

/** A "nice" axis maximum and step (1, 2 or 5 × 10^n) with about `ticks` steps. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return { max: Math.ceil(max / step) * step, step };
}
