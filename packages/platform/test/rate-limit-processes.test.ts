import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../src/index';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Issue #12: rate limits were per process, so two processes behind a load balancer allowed twice
// the documented rate. Two processes now share each key's bucket: in PostgreSQL, or in Redis when
// OPENISSUING_REDIS_URL is set.

const apiKey = 'sk_test_rate_limit_two_processes';
const RATE = 5; // requests per second, burst 10 — the same in both processes
const REDIS_URL = process.env.OPENISSUING_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** This process's platform and a `serve` child on the same PostgreSQL schema, both at RATE. */
async function twoProcesses(env: Record<string, string>) {
  const schema = uniqueSchema('ratelimit');
  const platform: Platform = await startPlatform({
    databaseUrl: TEST_DATABASE_URL,
    schema,
    apiKey,
    rateLimit: { requestsPerSecond: RATE },
    ...(env.OPENISSUING_REDIS_URL
      ? { redisUrl: env.OPENISSUING_REDIS_URL, redisKeyPrefix: env.OPENISSUING_REDIS_KEY_PREFIX }
      : {}),
  });
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--rate-limit', String(RATE)],
    {
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        OPENISSUING_API_KEY: apiKey,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const otherUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`second process exited (${code}): ${out}`)));
  });
  return {
    urls: [platform.url, otherUrl],
    schema,
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await platform.close();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** 60 requests spread over both processes at once; the allowed count must fit one shared bucket. */
async function burstBoth(urls: string[]) {
  const started = Date.now();
  const statuses = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const res = await fetch(`${urls[i % 2]}/balance`, { headers: { Authorization: `Bearer ${apiKey}` } });
      await res.arrayBuffer();
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      return res.status;
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const allowed = statuses.filter((s) => s === 200).length;
  expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  // Each process alone would allow its own burst of 10: 20 or more together.
  expect(allowed).toBeLessThanOrEqual(2 * RATE + Math.ceil(RATE * elapsed));
  expect(allowed).toBeGreaterThanOrEqual(1);
}

describe('rate limits across processes', () => {
  it('on PostgreSQL: two processes together allow one key no more than burst + rate × elapsed', async () => {
    const both = await twoProcesses({});
    try {
      await burstBoth(both.urls);
    } finally {
      await both.close();
    }
  });

  it('on Redis (OPENISSUING_REDIS_URL): the same, with the buckets in Redis under the key prefix', async () => {
    const prefix = `hardening:test:${process.pid}:${Date.now()}:`;
    const both = await twoProcesses({
      OPENISSUING_REDIS_URL: REDIS_URL,
      OPENISSUING_REDIS_KEY_PREFIX: prefix,
    });
    const redis = new Redis(REDIS_URL);
    try {
      await burstBoth(both.urls);
      expect(await redis.keys(`${prefix}*`)).toHaveLength(1);
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const rows = await admin.query(`SELECT count(*)::int AS n FROM ${both.schema}.rate_limit_buckets`);
      await admin.end();
      expect(rows.rows[0].n).toBe(0);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await both.close();
    }
  });
});
