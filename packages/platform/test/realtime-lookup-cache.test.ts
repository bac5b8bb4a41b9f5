import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from '../src/context';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { realtimeHook } from '../src/webhooks/realtime';

// Issue #15: the real-time endpoint lookup (cached 1 s) made every authorization that found the
// cache stale wait for the lookup, which under load queues for a pool connection behind the
// authorizations: a stall once a second. Now the cached answer serves for one more `cacheMs` while
// one lookup refreshes it in the background. Real (embedded) database; a gate in front of it holds
// the lookup's answer, so "did not wait" is observable without timing.

let db: Database;
beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
});
afterAll(async () => db.close());
afterEach(() => {
  vi.useRealTimers();
});

/** The database behind a gate: while shut, queries wait until it opens. Counts the queries. */
function gatedContext() {
  let release: () => void = () => {};
  let opened: Promise<void> | null = null;
  const state = { queries: 0 };
  const gated = {
    ...db,
    rows: async (...args: Parameters<Database['rows']>) => {
      state.queries++;
      if (opened) await opened;
      return db.rows(...args);
    },
  } as Database;
  return {
    state,
    ctx: { db: gated } as unknown as Context,
    shut() {
      opened = new Promise<void>((r) => {
        release = r;
      });
    },
    open() {
      opened = null;
      release();
    },
  };
}

async function settledNow<T>(p: Promise<T>): Promise<T | 'waited'> {
  return Promise.race([p, new Promise<'waited'>((r) => setTimeout(() => r('waited'), 50))]);
}

describe('real-time endpoint lookup cache', () => {
  it('serves the cached answer while it refreshes, and waits only once it is twice as old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const gate = gatedContext();
    const hook = realtimeHook(gate.ctx, 1000);
    expect(await hook()).toBeNull(); // no endpoint subscribes to authorization.request
    expect(gate.state.queries).toBe(1);

    vi.setSystemTime(1_001_500); // stale, within 2 × cacheMs: answered at once, refreshed behind
    gate.shut();
    expect(await settledNow(hook())).toBeNull();
    expect(gate.state.queries).toBe(2);
    expect(await settledNow(hook())).toBeNull(); // one refresh at a time
    expect(gate.state.queries).toBe(2);
    const refresh = gate.state.queries;
    gate.open();
    await new Promise((r) => setTimeout(r, 100)); // the background lookup lands (dated 1_001_500)
    expect(await settledNow(hook())).toBeNull(); // fresh again: no lookup
    expect(gate.state.queries).toBe(refresh);

    vi.setSystemTime(1_004_000); // 2.5 s after the refresh: older than 2 × cacheMs: this one waits for the lookup
    gate.shut();
    expect(await settledNow(hook())).toBe('waited');
    gate.open();
  });

  it('after invalidate() (an endpoint changed here) the next call waits for a fresh lookup', async () => {
    const gate = gatedContext();
    const hook = realtimeHook(gate.ctx, 1000);
    expect(await hook()).toBeNull();
    hook.invalidate();
    gate.shut();
    expect(await settledNow(hook())).toBe('waited');
    gate.open();
  });
});
