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
  private readonly windows: Map<string, { limit: number; windowMs: number; slots: Array<{ stamp: number }> }>;
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
      options.windows.map((w) => [w.name, { limit: w.limit, windowMs: w.windowMs, slots: [] }]),
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

  /**
   * Waits for room in every named window and takes a slot in each. A slot is held as "in flight" until
   * the call settles and is then dated at its completion: the server counted the call somewhere between
   * send and completion, so dating it at completion can never free a slot before the server does.
   * (Dating at send time loses to event-loop and network lag, and QuickBooks answers 429 with "wait
   * 60 seconds" — far costlier than the round trip this keeps in reserve.)
   */
  private async acquireWindows(names: string[], signal?: AbortSignal): Promise<Array<{ stamp: number }>> {
    for (;;) {
      const now = this.clock.now();
      let wait = Math.max(0, this.pausedUntil - now);
      for (const name of names) {
        const w = this.windows.get(name);
        if (!w) continue;
        w.slots = w.slots.filter((s) => s.stamp + w.windowMs + this.marginMs > now);
        if (w.slots.length >= w.limit) {
          // the (length - limit + 1)-th oldest slot must expire first; in-flight slots never do by themselves
          const stamps = w.slots.map((s) => s.stamp).sort((a, b) => a - b);
          const oldest = stamps[w.slots.length - w.limit] as number;
          wait = Math.max(wait, Number.isFinite(oldest) ? oldest + w.windowMs + this.marginMs - now : 5);
        }
      }
      if (wait <= 0) {
        const taken: Array<{ stamp: number }> = [];
        for (const name of names) {
          const w = this.windows.get(name);
          if (!w) continue;
          const slot = { stamp: Number.POSITIVE_INFINITY };
          w.slots.push(slot);
          taken.push(slot);
        }
        return taken;
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
      this.chain = admitted.then(
        () => undefined,
        () => undefined,
      );
      const slots = await admitted;
      try {
        return await fn();
      } finally {
        const done = this.clock.now();
        for (const s of slots) s.stamp = done;
      }
    } finally {
      this.releaseSlot();
    }
  }
}
