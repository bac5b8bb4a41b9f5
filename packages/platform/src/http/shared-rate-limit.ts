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

  constructor(store: TokenStore, options: RateLimitOptions = {}) {
    this.#store = store;
    ({ rate: this.#rate, burst: this.#burst } = bucketSize(options));
    this.#chunk = Math.max(1, Math.min(Math.floor(this.#burst), Math.floor(this.#rate / 50)));
  }

  async take(key: string): Promise<RateDecision> {
    for (let round = 0; round < 3; round++) {
      const now = Date.now();
      const local = this.#local.get(key);
      if (local && local.tokens >= 1 && now - local.at < LEASE_MS) {
        local.tokens -= 1;
        return decision(true, local.shared + local.tokens, this.#rate, this.#burst);
      }
      if (local && local.emptyUntil > now) break;
      await this.#refill(key);
    }
    const shared = this.#local.get(key)?.shared ?? 0;
    return decision(false, shared, this.#rate, this.#burst);
  }

  /** One store round trip per key at a time; concurrent requests wait for it and share the chunk. */
  #refill(key: string): Promise<void> {
    let pending = this.#refills.get(key);
    if (!pending) {
      pending = this.#store
        .take(key, this.#chunk, this.#rate, this.#burst)
        .then(({ granted, tokens }) => {
          const now = Date.now();
          this.#local.set(key, {
            tokens: granted,
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
