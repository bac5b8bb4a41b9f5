import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { PostgresTokenStore } from '../src/http/postgres-token-store';
import { SharedRateLimiter, type TokenStore } from '../src/http/shared-rate-limit';

// Issue #15: a busy key's lease ran out once a second and every request then waited for the store
// (behind the authorizations on the pool). The next lease is now taken early, in the background.
// The store is the real `rate_limit_buckets` table (embedded database); the gate in front of it
// holds its answers until released, so "the request did not wait" is observable without timing.

let db: Database;
beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
});
afterAll(async () => db.close());

/** The real store behind a gate: while shut, every `take` waits until it is opened. */
function gated(store: TokenStore) {
  let open = true;
  let release: () => void = () => {};
  let opened = Promise.resolve();
  const calls: number[] = [];
  return {
    calls,
    shut() {
      open = false;
      opened = new Promise<void>((r) => {
        release = r;
      });
    },
    open() {
      open = true;
      release();
    },
    store: {
      async take(key: string, want: number, rate: number, burst: number) {
        calls.push(want);
        if (!open) await opened;
        return store.take(key, want, rate, burst);
      },
    } satisfies TokenStore,
  };
}

/** Resolves to 'waited' if `p` has not settled after the event loop drained a few rounds. */
async function settledNow<T>(p: Promise<T>): Promise<T | 'waited'> {
  const later = new Promise<'waited'>((r) => setTimeout(() => r('waited'), 20));
  return Promise.race([p, later]);
}

describe('shared rate limiter: early lease renewal', () => {
  it('renews a busy key before its lease lapses, so no request waits for the store', async () => {
    let now = 1_000_000;
    const gate = gated(new PostgresTokenStore(db));
    // 1,000/s: chunks of 20 tokens.
    const limiter = new SharedRateLimiter(gate.store, { requestsPerSecond: 1000 }, undefined, () => now);
    expect((await limiter.take('k-busy')).allowed).toBe(true); // first lease: 20 tokens
    expect(gate.calls).toEqual([20]);
    // 800 ms later (past three quarters of the lease's second), with the store slow to answer:
    now += 800;
    gate.shut();
    const during = await settledNow(Promise.resolve(limiter.take('k-busy')));
    expect(during).not.toBe('waited');
    expect(during !== 'waited' && during.allowed).toBe(true);
    expect(gate.calls).toEqual([20, 20]); // the next lease was asked for in the background
    gate.open();
    await new Promise((r) => setTimeout(r, 50));
    // 1,100 ms after the first lease it has lapsed; the early one (leased at +800) serves at once.
    now += 300;
    gate.shut();
    const after = await settledNow(Promise.resolve(limiter.take('k-busy')));
    expect(after !== 'waited' && after.allowed).toBe(true);
    gate.open();
  });

  it('renews early when half of the lease is spent', async () => {
    const now = 2_000_000;
    const gate = gated(new PostgresTokenStore(db));
    const limiter = new SharedRateLimiter(gate.store, { requestsPerSecond: 1000 }, undefined, () => now);
    for (let i = 0; i < 10; i++) expect((await limiter.take('k-half')).allowed).toBe(true);
    expect(gate.calls).toEqual([20]); // 10 of 20 spent: 10 left, not below half yet
    expect((await limiter.take('k-half')).allowed).toBe(true);
    expect(gate.calls).toEqual([20, 20]); // 9 left: the next chunk is on its way
  });

  it('holds the shared bucket: early leases never let more through than the bucket gave', async () => {
    const gate = gated(new PostgresTokenStore(db));
    // 100/s, burst 200: chunks of 2 tokens; the fake clock stands still, so every early renewal is
    // triggered by spending, and lapsing never returns a token.
    const limiter = new SharedRateLimiter(gate.store, { requestsPerSecond: 100 }, undefined, () => 3_000_000);
    const started = performance.now();
    let allowed = 0;
    for (let i = 0; i < 1000; i++) if ((await limiter.take('k-strict')).allowed) allowed++;
    const seconds = (performance.now() - started) / 1000;
    // The bucket (refilled by the database's clock) gave at most its burst plus the rate × elapsed.
    expect(allowed).toBeGreaterThanOrEqual(200);
    expect(allowed).toBeLessThanOrEqual(200 + Math.ceil(100 * seconds));
    expect(gate.calls.length).toBeGreaterThan(1);
  });
});
