/** Backoff policy for transient ERP faults. */
export interface RetryPolicy {
  /** Attempts per entry before it is dead-lettered as "gave up". @default 10 */
  maxAttempts: number;
  /** First delay. @default 200 */
  baseMs: number;
  /** Cap on one delay. @default 30000 */
  maxMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseMs: 200, maxMs: 30_000 };

/**
 * Exponential backoff with full jitter for attempt `n` (1-based).
 *
 * @example
 * backoffMs(3, defaultRetryPolicy); // somewhere in [0, 800]
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}
