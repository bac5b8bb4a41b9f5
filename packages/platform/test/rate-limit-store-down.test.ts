import { randomUUID } from 'node:crypto';
import { createServer, type Server, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startPlatform } from '../src/index';
import { createLogger } from '../src/lib/logger';

// Issue #12: with OPENISSUING_REDIS_URL set and Redis down, every request answered 500. The limiter
// now fails open to a bucket in the process's memory (same rate), logs one warning, and returns to
// the shared bucket when Redis answers again. Real Redis, real HTTP; "down" is a closed port, and
// "going away" is a TCP proxy in front of the real Redis that is shut mid-run.

const REDIS_URL = process.env.OPENISSUING_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE = 5; // per second; burst 10

/** A logger whose JSON records land in `records`. */
function capturingLogger() {
  const records: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) records.push(JSON.parse(line));
      done();
    },
  });
  return { records, logger: createLogger({ stream: stream as never, level: 'info', format: 'json' }) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A TCP proxy to the real Redis that can be shut (dropping every connection) and reopened. */
function redisProxy(port: number) {
  const target = new URL(REDIS_URL);
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    async open() {
      server = createServer((client) => {
        const upstream = new Socket();
        upstream.connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server?.listen(port, '127.0.0.1', r));
    },
    async shut() {
      const s = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => s?.close(r));
    },
  };
}

async function balanceStatuses(url: string, apiKey: string, count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await fetch(`${url}/balance`, { headers: { Authorization: `Bearer ${apiKey}` } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

/** Sends a request every 50 ms (the limiter probes its store on requests) until `ok`, for at most 20 s. */
const until = async (url: string, apiKey: string, what: string, ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) {
    expect(await balanceStatuses(url, apiKey, 1)).toEqual([200]);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(ok(), what).toBe(true);
};

describe('rate limits when the Redis store is unreachable', () => {
  it('answers (200 or 429, never 5xx) with a Redis URL on a closed port, limiting in the process', async () => {
    const { records, logger } = capturingLogger();
    const apiKey = 'sk_test_redis_closed_port';
    const platform = await startPlatform({
      apiKey,
      logger,
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      redisKeyPrefix: `oi-test-hardening:${randomUUID()}:`,
      rateLimit: { requestsPerSecond: RATE },
      // A standing clock: nothing refills however slowly a loaded machine serves the 40 requests.
      now: () => new Date('2026-06-01T12:00:00Z'),
    });
    try {
      const statuses = await balanceStatuses(platform.url, apiKey, 40);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      // The in-process bucket still holds the limit: exactly its burst of 10, then 429s.
      // (Concurrent requests: the order of answers is not fixed, their counts are.)
      expect([...statuses].sort()).toEqual([...Array(10).fill(200), ...Array(30).fill(429)]);
      const warnings = records.filter((r) => r.msg.startsWith('rate limit store unreachable'));
      expect(warnings, JSON.stringify(records)).toHaveLength(1);
      expect(warnings[0]?.level).toBe(40);
    } finally {
      await platform.close();
    }
  });

  it('keeps answering when Redis goes away mid-run, and shares the bucket again when it is back', async () => {
    const { records, logger } = capturingLogger();
    const apiKey = 'sk_test_redis_goes_away';
    const prefix = `oi-test-hardening:${randomUUID()}:`;
    const port = await freePort();
    const proxy = redisProxy(port);
    await proxy.open();
    const redis = new Redis(REDIS_URL);
    const platform = await startPlatform({
      apiKey,
      logger,
      redisUrl: `redis://127.0.0.1:${port}`,
      redisKeyPrefix: prefix,
      rateLimit: { requestsPerSecond: 1000 },
    });
    try {
      const bucketKeys = async () => redis.keys(`${prefix}*`);
      expect(await balanceStatuses(platform.url, apiKey, 5)).toEqual([200, 200, 200, 200, 200]);
      const [bucket] = await bucketKeys();
      expect(bucket, 'the shared bucket lives in Redis while it is up').toBeDefined();
      // Requests keep flowing while the proxy (Redis, as the platform sees it) goes away under them.
      const during: number[] = [];
      const stream = (async () => {
        for (let i = 0; i < 30; i++) during.push(...(await balanceStatuses(platform.url, apiKey, 4)));
      })();
      await new Promise((r) => setTimeout(r, 50));
      await proxy.shut();
      await stream;
      expect(during.filter((s) => s !== 200)).toEqual([]);
      expect(records.filter((r) => r.msg.startsWith('rate limit store unreachable'))).toHaveLength(1);
      // Redis comes back: a background probe notices, and the shared bucket is used again.
      await proxy.open();
      await until(platform.url, apiKey, 'the limiter logs that the store is reachable again', () =>
        records.some((r) => r.msg.startsWith('rate limit store reachable again')),
      );
      const before = await redis.hget(bucket as string, 'at');
      expect(await balanceStatuses(platform.url, apiKey, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(Number(await redis.hget(bucket as string, 'at'))).toBeGreaterThan(Number(before));
    } finally {
      await platform.close();
      await proxy.shut().catch(() => {});
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
