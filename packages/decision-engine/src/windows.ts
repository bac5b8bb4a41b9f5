import type { SpendingInterval } from './types';

/**
 * Start of the spending window of `interval` containing `now` (UTC), or null for per_authorization:
 * daily from 00:00, weekly from Monday 00:00, monthly from the 1st, yearly from 1 January,
 * all_time from the epoch. Use it to compute `usage` from an authorization history.
 *
 * @example spendingWindowStart('weekly', new Date('2026-11-25T10:00:00Z')) // 2026-11-23T00:00:00Z (Monday)
 */
export function spendingWindowStart(interval: SpendingInterval, now: Date): Date | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (interval) {
    case 'per_authorization':
      return null;
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly':
      return new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7))); // Monday = 0
    case 'monthly':
      return new Date(Date.UTC(y, m, 1));
    case 'yearly':
      return new Date(Date.UTC(y, 0, 1));
    case 'all_time':
      return new Date(0);
  }
}
