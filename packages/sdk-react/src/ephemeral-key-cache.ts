import type { EphemeralKey } from './types.js';

/** A usable ephemeral key with its expiry as epoch milliseconds. */
export interface CachedKey {
  secret: string;
  expiresAt: number;
}

export type FetchEphemeralKey = (cardId: string) => Promise<EphemeralKey>;

function toEpochMs(expiresAt: string | number): number {
  if (typeof expiresAt === 'number') return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  const parsed = Date.parse(expiresAt);
  if (Number.isNaN(parsed)) {
    throw new TypeError(
      `fetchEphemeralKey returned expires_at=${JSON.stringify(expiresAt)}; return the RFC 3339 string (or Unix seconds) that POST /ephemeral_keys gives you.`,
    );
  }
  return parsed;
}

function validate(cardId: string, key: EphemeralKey | undefined): CachedKey {
  if (!key || typeof key.secret !== 'string' || key.secret.length === 0) {
    throw new TypeError(
      `fetchEphemeralKey("${cardId}") resolved without a "secret"; resolve with the JSON your backend got from POST /ephemeral_keys ({ secret, expires_at }).`,
    );
  }
  if (key.secret.startsWith('sk_')) {
    throw new TypeError(
      'fetchEphemeralKey returned a secret API key (sk_…). Secret keys must never reach the browser: have your backend call POST /ephemeral_keys { card } and return that ephemeral key instead.',
    );
  }
  return { secret: key.secret, expiresAt: toEpochMs(key.expires_at) };
}

/**
 * Caches one ephemeral key per card, shares concurrent requests for the same card, and fetches a new
 * key once the cached one is within `refreshMarginMs` of expiring.
 *
 * @example
 * const cache = new EphemeralKeyCache((card) => fetch(`/api/ephemeral-keys?card=${card}`).then((r) => r.json()));
 * const { secret } = await cache.get('ic_123');
 */
export class EphemeralKeyCache {
  readonly #fetch: FetchEphemeralKey;
  readonly #refreshMarginMs: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, CachedKey>();
  readonly #inFlight = new Map<string, Promise<CachedKey>>();

  constructor(fetchKey: FetchEphemeralKey, refreshMarginMs = 30_000, now: () => number = Date.now) {
    this.#fetch = fetchKey;
    this.#refreshMarginMs = refreshMarginMs;
    this.#now = now;
  }

  /** Milliseconds before expiry at which a key counts as stale. */
  get refreshMarginMs(): number {
    return this.#refreshMarginMs;
  }

  /** A key for `cardId` that is valid for at least the refresh margin; fetches one when needed. */
  get(cardId: string, options: { forceRefresh?: boolean } = {}): Promise<CachedKey> {
    const cached = this.#keys.get(cardId);
    if (!options.forceRefresh && cached && cached.expiresAt - this.#refreshMarginMs > this.#now()) {
      return Promise.resolve(cached);
    }
    const pending = this.#inFlight.get(cardId);
    if (pending) return pending;
    const request = Promise.resolve()
      .then(() => this.#fetch(cardId))
      .then((key) => {
        const valid = validate(cardId, key);
        this.#keys.set(cardId, valid);
        return valid;
      })
      .finally(() => {
        this.#inFlight.delete(cardId);
      });
    this.#inFlight.set(cardId, request);
    return request;
  }

  /** Forgets every cached key (call on sign-out). */
  clear(): void {
    this.#keys.clear();
  }
}
