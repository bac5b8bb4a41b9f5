import { describe, expect, it } from 'vitest';
import { EphemeralKeyCache } from '../src/ephemeral-key-cache.js';

describe('EphemeralKeyCache', () => {
  it('reuses a key until it is within the refresh margin of expiring, then fetches a new one', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const fetched: string[] = [];
    const cache = new EphemeralKeyCache(
      async (card) => {
        fetched.push(card);
        return { secret: `ek_${fetched.length}`, expires_at: new Date(now + 5 * 60_000).toISOString() };
      },
      30_000,
      () => now,
    );
    expect((await cache.get('ic_1')).secret).toBe('ek_1');
    now += 4 * 60_000;
    expect((await cache.get('ic_1')).secret).toBe('ek_1');
    now += 31_000; // 29 s left: inside the 30 s margin
    expect((await cache.get('ic_1')).secret).toBe('ek_2');
    expect(fetched).toEqual(['ic_1', 'ic_1']);
  });

  it('keeps one key per card and shares concurrent requests', async () => {
    let calls = 0;
    const cache = new EphemeralKeyCache(async (card) => {
      calls += 1;
      return { secret: `ek_${card}`, expires_at: Math.floor(Date.now() / 1000) + 300 };
    });
    const [a, b, c] = await Promise.all([cache.get('ic_a'), cache.get('ic_a'), cache.get('ic_b')]);
    expect(a.secret).toBe('ek_ic_a');
    expect(b).toBe(a);
    expect(c.secret).toBe('ek_ic_b');
    expect(calls).toBe(2);
    expect(a.expiresAt).toBeGreaterThan(Date.now());
  });

  it('refuses a secret API key and says what to return instead', async () => {
    const cache = new EphemeralKeyCache(async () => ({
      secret: 'sk_test_123',
      expires_at: '2030-01-01T00:00:00Z',
    }));
    await expect(cache.get('ic_1')).rejects.toThrow(/must never reach the browser.*POST \/ephemeral_keys/);
  });

  it('names the missing field when the backend returns something else', async () => {
    const cache = new EphemeralKeyCache(async () => ({}) as never);
    await expect(cache.get('ic_9')).rejects.toThrow(
      /fetchEphemeralKey\("ic_9"\) resolved without a "secret"/,
    );
  });

  it('does not cache failures', async () => {
    let attempt = 0;
    const cache = new EphemeralKeyCache(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('backend down');
      return { secret: 'ek_ok', expires_at: '2099-01-01T00:00:00Z' };
    });
    await expect(cache.get('ic_1')).rejects.toThrow('backend down');
    expect((await cache.get('ic_1')).secret).toBe('ek_ok');
  });
});
