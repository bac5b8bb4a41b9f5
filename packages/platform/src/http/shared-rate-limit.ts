import {
  bucketSize,
  decision,
  MemoryRateLimiter,
  type RateDecision,
  type RateLimiter,
  type RateLimitOptions,
} from './rate-limit';

/** Where the limiter reports that its shared store went away and came back (the platform's logger). */
export interface StoreHealthLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

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

/** While the shared store is unreachable, it is asked again (in the background) this often. */
const PROBE_EVERY_MS = 1000;

/** Leased tokens are renewed in the background once the lease in use is this old (before it lapses). */
const RENEW_AT_MS = LEASE_MS * 0.75;

/** Tokens leased in one store round trip; each lot lapses LEASE_MS after it was leased. */
interface Lot {
  tokens: number;
  at: number;
}

interface Local {
  /** The lot being spent, then the one leased early to follow it (at most two: spent oldest first). */
  lots: Lot[];
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
 * but unspent is dropped after a second, which can only make the limit stricter. The next chunk is
 * leased EARLY, in the background, when the one in use is three quarters through its second or half
 * spent, so a busy key never waits on the store (at most two chunks are held, each for its own second).
 *
 * When the store fails (Redis down, a query error), the limiter FAILS OPEN to a bucket in this
 * process's memory with the same rate, logs one warning, and asks the store again in the background
 * every second, logging when it answers: requests never fail because the limit's store is away, and
 * meanwhile each process enforces the limit on its own (N processes allow up to N × the rate).
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
  /** The in-process limit that applies while the store is unreachable. */
  readonly #fallback: MemoryRateLimiter;
  readonly #log: StoreHealthLog | undefined;
  /** The store failed: null while it answers, else when the next background probe may run. */
  #down: { nextProbeAt: number; probing: boolean } | null = null;

  /** The clock (milliseconds); injectable for tests. */
  readonly #now: () => number;

  constructor(
    store: TokenStore,
    options: RateLimitOptions = {},
    log?: StoreHealthLog,
    now: () => number = Date.now,
  ) {
    this.#store = store;
    this.#now = now;
    ({ rate: this.#rate, burst: this.#burst } = bucketSize(options));
    this.#chunk = Math.max(1, Math.min(Math.floor(this.#burst), Math.floor(this.#rate / 50)));
    this.#fallback = new MemoryRateLimiter(options, now);
    this.#log = log;
  }

  /** Whether the shared store is currently considered unreachable (limits are per process meanwhile). */
  get degraded(): boolean {
    return this.#down !== null;
  }

  /**
   * Takes one token for `key`: synchronously when this process holds a leased token for it (or
   * knows the shared bucket is empty, or the store is down), else after a store round trip.
   */
  take(key: string): RateDecision | Promise<RateDecision> {
    if (this.#down) {
      this.#probe(key);
      return this.#fallback.take(key);
    }
    return this.#takeHeld(key, this.#now()) ?? this.#takeAfterRefill(key);
  }

  /**
   * The decision from what this process holds: a token of a live lot (leasing the next lot early,
   * in the background, when due), a refusal while the shared bucket is known to be empty, or
   * undefined when only the store can tell.
   */
  #takeHeld(key: string, now: number): RateDecision | undefined {
    const local = this.#local.get(key);
    if (!local) return undefined;
    const lot = liveLot(local, now);
    if (lot) {
      lot.tokens -= 1;
      if (local.lots.length === 1 && renewDue(lot, now, this.#chunk)) this.#renew(key);
      return decision(true, local.shared + heldTokens(local), this.#rate, this.#burst);
    }
    if (local.emptyUntil > now) return decision(false, local.shared, this.#rate, this.#burst);
    return undefined;
  }

  /** An early renewal: its failure reaches whoever awaits the refill next (or nobody). */
  #renew(key: string): void {
    try {
      this.#refill(key).catch(() => {});
    } catch (error) {
      this.#storeFailed(error); // a store that throws instead of rejecting: the token held stands
    }
  }

  async #takeAfterRefill(key: string): Promise<RateDecision> {
    try {
      return await this.#takeShared(key);
    } catch (error) {
      this.#storeFailed(error);
      return this.#fallback.take(key);
    }
  }

  #storeFailed(error: unknown): void {
    if (this.#down) return;
    this.#down = { nextProbeAt: this.#now() + PROBE_EVERY_MS, probing: false };
    this.#local.clear();
    this.#log?.warn(
      { err_message: error instanceof Error ? error.message : String(error) },
      'rate limit store unreachable: limiting in this process only (each process allows the full rate) until it answers again; check OPENISSUING_REDIS_URL or the database',
    );
  }

  /** At most one background store request per second while it is down; its success ends the outage. */
  #probe(key: string): void {
    const down = this.#down;
    if (!down || down.probing || this.#now() < down.nextProbeAt) return;
    down.probing = true;
    this.#store.take(key, 0, this.#rate, this.#burst).then(
      () => {
        this.#down = null;
        this.#log?.info({}, 'rate limit store reachable again: limits are shared by all processes again');
      },
      () => {
        down.probing = false;
        down.nextProbeAt = this.#now() + PROBE_EVERY_MS;
      },
    );
  }

  async #takeShared(key: string): Promise<RateDecision> {
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
    try {
      // Every round either hands out a token, or refills — which grants at least one token or
      // finds the shared bucket empty (then `emptyUntil` ends the loop).
      for (;;) {
        const held = this.#takeHeld(key, this.#now());
        if (held) return held;
        await this.#refill(key);
      }
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left <= 0) this.#waiting.delete(key);
      else this.#waiting.set(key, left);
    }
  }

  /**
   * One store round trip per key at a time; concurrent requests wait for it and share the chunk.
   * The chunk becomes a lot of its own, after the one still being spent (a failure of an early
   * renewal reaches whoever awaits it next, or nobody: the next request then asks again).
   */
  #refill(key: string): Promise<void> {
    let pending = this.#refills.get(key);
    if (!pending) {
      pending = this.#store
        .take(key, Math.max(this.#chunk, this.#waiting.get(key) ?? 1), this.#rate, this.#burst)
        .then(({ granted, tokens }) => {
          const now = this.#now();
          const left = this.#local.get(key);
          const lots = left ? left.lots.filter((l) => l.tokens >= 1 && now - l.at < LEASE_MS) : [];
          if (granted > 0) lots.push({ tokens: granted, at: now });
          this.#local.set(key, {
            lots: lots.slice(-2),
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

/** The oldest lot that still has a token and has not lapsed; lapsed and empty lots are dropped. */
function liveLot(local: Local, now: number): Lot | undefined {
  while (local.lots.length > 0) {
    const lot = local.lots[0] as Lot;
    if (lot.tokens >= 1 && now - lot.at < LEASE_MS) return lot;
    local.lots.shift();
  }
  return undefined;
}

/** Whether the lot in use is old enough, or spent enough, for its successor to be leased now. */
function renewDue(lot: Lot, now: number, chunk: number): boolean {
  return now - lot.at >= RENEW_AT_MS || lot.tokens < chunk / 2;
}

function heldTokens(local: Local): number {
  let n = 0;
  for (const lot of local.lots) n += lot.tokens;
  return n;
}
