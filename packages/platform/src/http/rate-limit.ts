/** Token-bucket rate limiting per API key: the decision every request gets (RateLimit-* headers, 429). */
export interface RateLimitOptions {
  /** Sustained requests per second per key. @default 1000 */
  requestsPerSecond?: number;
  /** Bucket size (burst). @default 2 × requestsPerSecond */
  burst?: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset), or until one token is available (Retry-After). */
  reset: number;
}

/** Takes one request's token for a key; in one process (memory) or shared by all (PostgreSQL, Redis). */
export interface RateLimiter {
  take(key: string): RateDecision | Promise<RateDecision>;
}

/** The rate and burst of `options`, with the defaults. */
export function bucketSize(options: RateLimitOptions = {}): { rate: number; burst: number } {
  const rate = options.requestsPerSecond ?? 1000;
  return { rate, burst: options.burst ?? rate * 2 };
}

/** The decision for a bucket left with `tokens` after a request that was (not) `allowed`. */
export function decision(allowed: boolean, tokens: number, rate: number, burst: number): RateDecision {
  return allowed
    ? {
        allowed: true,
        limit: burst,
        remaining: Math.max(0, Math.floor(tokens)),
        reset: Math.ceil(Math.max(0, burst - tokens) / rate),
      }
    : { allowed: false, limit: burst, remaining: 0, reset: Math.max(1, Math.ceil((1 - tokens) / rate)) };
}

/**
 * The bucket in this process's memory: right for the embedded database (one process), too generous
 * when several processes serve one PostgreSQL (use {@link SharedRateLimiter} there).
 *
 * @example
 * const limiter = new MemoryRateLimiter({ requestsPerSecond: 100 });
 * limiter.take('key_1').allowed // true
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  /** The clock (milliseconds); the platform passes its injectable clock. */
  readonly #now: () => number;

  constructor(options: RateLimitOptions = {}, now: () => number = Date.now) {
    ({ rate: this.#rate, burst: this.#burst } = bucketSize(options));
    this.#now = now;
  }

  /** Takes one token for `key`. */
  take(key: string, nowMs = this.#now()): RateDecision {
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, at: nowMs };
    b.tokens = Math.min(this.#burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * this.#rate);
    b.at = nowMs;
    this.#buckets.set(key, b);
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    return decision(allowed, b.tokens, this.#rate, this.#burst);
  }
}
