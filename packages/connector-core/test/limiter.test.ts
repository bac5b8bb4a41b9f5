import { describe, expect, it } from 'vitest';
import { type Clock, RateLimiter } from '../src/index.js';
import { at } from './helpers.js';

/** A manual clock: sleeping advances time instantly, so window behaviour is tested without waiting. */
function manualClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe('RateLimiter', () => {
  it('admits at most `limit` calls per sliding window, on every window a call names', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({
      clock,
      maxConcurrent: 10,
      windows: [
        { name: 'all', limit: 500, windowMs: 60_000 },
        { name: 'batch', limit: 40, windowMs: 60_000 },
      ],
    });
    const starts: number[] = [];
    for (let i = 0; i < 100; i++) await limiter.run(['all', 'batch'], async () => starts.push(clock.now()));
    // 40 in the first minute, 40 in the second, 20 in the third
    expect(starts.filter((t) => t < 60_000)).toHaveLength(40);
    expect(starts.filter((t) => t >= 60_000 && t < 120_000)).toHaveLength(40);
    for (let i = 40; i < starts.length; i++)
      expect(at(starts, i) - at(starts, i - 40)).toBeGreaterThanOrEqual(60_000);
  });

  it('caps concurrency', async () => {
    const limiter = new RateLimiter({ maxConcurrent: 3, windows: [] });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run([], async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('holds calls while paused (after a 429)', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ clock, maxConcurrent: 1, windows: [] });
    limiter.pause(5_000);
    await limiter.run([], async () => undefined);
    expect(clock.now()).toBe(5_000);
  });
});
