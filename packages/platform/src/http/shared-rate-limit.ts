import {
  bucketSize,
  decision,
  type RateDecision,
  type RateLimiter,
  type RateLimitOptions,
} from './rate-limit';

/** A token bucket kept where every process sees it (a PostgreSQL row, a Redis hash). */
export interface TokenStore {
  /**
   * Refills the bucket of `key` for the time since it was last touched, takes up to `want` whole
   * tokens, and returns how many it took and how many are left — atomically.
   */
  take(key: string, want: number, rate: number, burst: number): Promise<{ granted: number; tokens: number }>;
}

/** Leased tokens not spent within this time are dropped (their bucket already counted them). */
const LEASE_MS = 1000;

interface Local {
  tokens: number;
  at: number;
  /** Tokens left in the shared bucket at the last refill. */
  shared: number;
  /** The shared bucket was empty: no token can exist before this time. */
  emptyUntil: number;
}

/**
 * Rate limiting that holds across processes: the bucket lives in a {@link TokenStore} shared by all
 * of them, and each process leases tokens from it in small chunks (1/50 of a second's rate, at least
 * one), so the store is asked once per chunk rather than once per request. Tokens are taken out of
 * the shared bucket when leased, so all processes together never exceed the limit; a chunk leased
 * but unspent is dropped after a second, which can only make the limit stricter.
 *
 * @example
 * const limiter = new SharedRateLimiter(new PostgresTokenStore(db), { requestsPerSecond: 100 });
 * (await limiter.take('key_1')).allowed
 */
export class SharedRateLimiter implements RateLimiter {
  readonly #store: TokenStore;
  readonly #rate: number;
  readonly #burst: number;
  readonly #chunk: number;
  readonly #local = new Map<string, Local>();
  readonly #refills = new Map<string, Promise<void>>();
  /** Requests of each key waiting for a token: a refill asks for enough for all of them. */
  readonly #waiting = new Map<string, number>();

  constructor(store: TokenStore, options: RateLimitOptions = {}) {
    this.#store = store;
    ({ rate: this.#rate, burst: this.#burst } = bucketSize(options));
    this.#chunk = Math.max(1, Math.min(Math.floor(this.#burst), Math.floor(this.#rate / 50)));
  }

  async take(key: string): Promise<RateDecision> {
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
    try {
      // Every round either hands out a token, or refills — which grants at least one token or
      // finds the shared bucket empty (then `emptyUntil` ends the loop).
      for (;;) {
        const now = Date.now();
        const local = this.#local.get(key);
        if (local && local.tokens >= 1 && now - local.at < LEASE_MS) {
          local.tokens -= 1;
          return decision(true, local.shared + local.tokens, this.#rate, this.#burst);
        }
        if (local && local.emptyUntil > now) return decision(false, local.shared, this.#rate, this.#burst);
        await this.#refill(key);
      }
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left <= 0) this.#waiting.delete(key);
      else this.#waiting.set(key, left);
    }
  }

  /** One store round trip per key at a time; concurrent requests wait for it and share the chunk. */
  #refill(key: string): Promise<void> {
    let pending = this.#refills.get(key);
    if (!pending) {
      pending = this.#store
        .take(key, Math.max(this.#chunk, this.#waiting.get(key) ?? 1), this.#rate, this.#burst)
        .then(({ granted, tokens }) => {
          const now = Date.now();
          const left = this.#local.get(key);
          const unspent = left && now - left.at < LEASE_MS ? left.tokens : 0;
          this.#local.set(key, {
            tokens: unspent + granted,
            at: now,
            shared: tokens,
            emptyUntil: granted === 0 ? now + ((1 - tokens) / this.#rate) * 1000 : 0,
          });
        })
        .finally(() => this.#refills.delete(key));
      this.#refills.set(key, pending);
    }
    return pending;
  }
}
