/** The length of a spend report's periods (calendar periods in UTC; weeks start on Monday). */
export type SpendInterval = 'day' | 'week' | 'month';

/** Whole UTC days `[from, to)` as `YYYY-MM-DD` dates. */
export interface DayRange {
  from: string;
  to: string;
}

/** Instants `[from, to)` as RFC 3339 strings. */
export interface TimeRange {
  from: string;
  to: string;
}

/**
 * Where each part of a report's range is read from, so that every instant of it is read exactly once:
 * - `periods`: whole weeks or months of the interval, from `spend_period_rollups` (never for `day`);
 * - `days`: the remaining whole UTC days, from the daily `spend_rollups`;
 * - `live`: the partial days at either end, from `transactions`;
 * - `unrolled`: the whole days again, for the transactions in them not rolled up yet (the rollup job
 *   writes a transaction's day and period rows and marks it in one statement, so a transaction is in
 *   the rollups or unrolled, never both).
 */
export interface SpendPieces {
  periods: DayRange | null;
  days: DayRange[];
  live: TimeRange[];
  unrolled: DayRange | null;
}

const DAY_MS = 86_400_000;

const floorDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const ceilDay = (d: Date) => new Date(Math.ceil(d.getTime() / DAY_MS) * DAY_MS);
const date = (d: Date) => d.toISOString().slice(0, 10);

/** The start of the week (Monday) or month containing the UTC day `d`. */
function floorPeriod(d: Date, interval: 'week' | 'month'): Date {
  if (interval === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
}

/** The first week or month start at or after the UTC day `d`. */
function ceilPeriod(d: Date, interval: 'week' | 'month'): Date {
  const floor = floorPeriod(d, interval);
  if (floor.getTime() === d.getTime()) return d;
  return interval === 'month'
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
    : new Date(floor.getTime() + 7 * DAY_MS);
}

/**
 * Splits the report range `[from, to)` into what each source covers (see {@link SpendPieces}).
 *
 * @example
 * spendPieces(new Date('2026-01-14T09:30:00Z'), new Date('2026-04-14T09:30:00Z'), 'month');
 * // periods 2026-02-01…2026-04-01 (months), days 2026-01-15…2026-02-01 and 2026-04-01…2026-04-14,
 * // live 2026-01-14T09:30Z…2026-01-15T00:00Z and 2026-04-14T00:00Z…2026-04-14T09:30Z
 */
export function spendPieces(from: Date, to: Date, interval: SpendInterval): SpendPieces {
  const firstDay = ceilDay(from);
  const lastDay = floorDay(to);
  if (!(lastDay > firstDay))
    return {
      periods: null,
      days: [],
      live: [{ from: from.toISOString(), to: to.toISOString() }],
      unrolled: null,
    };
  const live: TimeRange[] = [];
  if (from < firstDay) live.push({ from: from.toISOString(), to: firstDay.toISOString() });
  if (lastDay < to) live.push({ from: lastDay.toISOString(), to: to.toISOString() });
  const unrolled = { from: date(firstDay), to: date(lastDay) };
  if (interval === 'day') return { periods: null, days: [unrolled], live, unrolled };
  const firstPeriod = ceilPeriod(firstDay, interval);
  const lastPeriod = floorPeriod(lastDay, interval);
  if (!(lastPeriod > firstPeriod)) return { periods: null, days: [unrolled], live, unrolled };
  const days: DayRange[] = [];
  if (firstDay < firstPeriod) days.push({ from: date(firstDay), to: date(firstPeriod) });
  if (lastPeriod < lastDay) days.push({ from: date(lastPeriod), to: date(lastDay) });
  return { periods: { from: date(firstPeriod), to: date(lastPeriod) }, days, live, unrolled };
}
