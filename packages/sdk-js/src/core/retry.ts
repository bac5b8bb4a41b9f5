/** Statuses worth another attempt: the server may answer differently next time. */
export const RETRY_STATUSES = [408, 409, 429, 500, 502, 503, 504];

/** The longest `Retry-After` the SDK waits; a longer one waits this long. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Milliseconds before retry number `attempt` (1-based): the server's `Retry-After` (seconds or an
 * HTTP date) when it sent one, else exponential backoff (0.3 s, 0.6 s, 1.2 s, … up to 8 s) with full
 * jitter, so many clients that failed together do not retry together.
 *
 * @example
 * retryDelay(1, new Headers({ 'retry-after': '2' })); // 2000
 */
export function retryDelay(attempt: number, headers: Headers | undefined): number {
  const after = headers?.get('retry-after');
  if (after) {
    const ms = /^\d+$/.test(after) ? Number(after) * 1000 : Date.parse(after) - Date.now();
    if (ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return Math.random() * Math.min(300 * 2 ** (attempt - 1), 8_000);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    if (signal?.aborted) done();
    signal?.addEventListener('abort', done, { once: true });
  });
}
