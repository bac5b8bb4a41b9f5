import { type Clock, systemClock } from './clock.js';

/** A limit of `limit` calls per sliding window of `windowMs`. */
export interface WindowLimit {
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * Sliding-window rate limiter with a concurrency cap, shared by every call an adapter makes to its ERP.
 * Each call names which windows it counts against (e.g. a batch request counts against both the
 * per-minute request window and the batch window).
 *
 * @example
 * const limiter = new RateLimiter({ windows: [{ name: 'all', limit: 500, windowMs: 60_000 }], maxConcurrent: 10 });
 * await limiter.run(['all'], () => fetch(url));
 */
export class RateLimiter {
  private readonly windows: Map<string, { limit: number; windowMs: number; stamps: number[] }>;
  private readonly clock: Clock;
  private readonly maxConcurrent: number;
  private readonly marginMs: number;
  private active = 0;
  private queue: Array<() => void> = [];
  private chain: Promise<void> = Promise.resolve();
  private pausedUntil = 0;

  constructor(options: { windows: WindowLimit[]; maxConcurrent: number; clock?: Clock; marginMs?: number }) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrent = options.maxConcurrent;
    this.marginMs = options.marginMs ?? 0;
    this.windows = new Map(
      options.windows.map((w) => [w.name, { limit: w.limit, windowMs: w.windowMs, stamps: [] }]),
    );
  }

  /** Holds every call until `until` (epoch ms), e.g. after a 429 with Retry-After. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private async acquireSlot(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  private async acquireWindows(names: string[], signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      let wait = Math.max(0, this.pausedUntil - now);
      for (const name of names) {
        const w = this.windows.get(name);
        if (!w) continue;
        while (w.stamps.length > 0 && (w.stamps[0] as number) + w.windowMs + this.marginMs <= now)
          w.stamps.shift();
        if (w.stamps.length >= w.limit) {
          wait = Math.max(wait, (w.stamps[0] as number) + w.windowMs + this.marginMs - now);
        }
      }
      if (wait <= 0) {
        for (const name of names) this.windows.get(name)?.stamps.push(now);
        return;
      }
      await this.clock.sleep(wait, signal);
    }
  }

  /** Runs `fn` once a concurrency slot and room in every named window are available. */
  async run<T>(windows: string[], fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquireSlot();
    try {
      // window acquisition is serialized so calls are admitted in arrival order
      const admitted = this.chain.then(() => this.acquireWindows(windows, signal));
      this.chain = admitted.catch(() => undefined);
      await admitted;
      return await fn();
    } finally {
      this.releaseSlot();
    }
  }
}
