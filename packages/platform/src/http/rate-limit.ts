/** Token-bucket rate limiting per API key, in memory (per process). */
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

export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions = {}) {
    this.#rate = options.requestsPerSecond ?? 1000;
    this.#burst = options.burst ?? this.#rate * 2;
  }

  /** Takes one token for `key`. */
  take(key: string, nowMs = Date.now()): RateDecision {
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, at: nowMs };
    b.tokens = Math.min(this.#burst, b.tokens + ((nowMs - b.at) / 1000) * this.#rate);
    b.at = nowMs;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return {
        allowed: true,
        limit: this.#burst,
        remaining: Math.floor(b.tokens),
        reset: Math.ceil((this.#burst - b.tokens) / this.#rate),
      };
    }
    return {
      allowed: false,
      limit: this.#burst,
      remaining: 0,
      reset: Math.max(1, Math.ceil((1 - b.tokens) / this.#rate)),
    };
  }
}
