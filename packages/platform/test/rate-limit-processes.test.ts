import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../src/index';
import { TEST_DATABASE_URL, uniqueSchema } from './helpers';

// Issue #12: rate limits were per process, so two processes behind a load balancer allowed twice
// the documented rate. Two processes on one PostgreSQL now share each key's bucket.

const schema = uniqueSchema('ratelimit');
const apiKey = 'sk_test_rate_limit_two_processes';
const RATE = 5; // requests per second, burst 10 — the same in both processes
let platform: Platform;
let child: ChildProcess | undefined;
let otherUrl = '';

beforeAll(async () => {
  platform = await startPlatform({
    databaseUrl: TEST_DATABASE_URL,
    schema,
    apiKey,
    rateLimit: { requestsPerSecond: RATE },
  });
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const proc = spawn(process.execPath, [cli, 'serve', '--port', '0', '--rate-limit', String(RATE)], {
    env: { ...process.env, DATABASE_URL: url.toString(), OPENISSUING_API_KEY: apiKey, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  otherUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.once('exit', (code) => reject(new Error(`second process exited (${code}): ${out}`)));
  });
});

afterAll(async () => {
  if (child) {
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  }
  await platform?.close();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('rate limits across processes (PostgreSQL)', () => {
  it('two processes together allow one key no more than burst + rate × elapsed', async () => {
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${i % 2 ? otherUrl : platform.url}/balance`, {
          headers: { Authorization: `Bearer ${apiKey}` },
        }).then(async (res) => {
          await res.arrayBuffer();
          if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          return res.status;
        }),
      ),
    );
    const elapsed = (Date.now() - started) / 1000;
    const allowed = statuses.filter((s) => s === 200).length;
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    // Each process alone would allow its own burst of 10: 20 or more together.
    expect(allowed).toBeLessThanOrEqual(2 * RATE + Math.ceil(RATE * elapsed));
    expect(allowed).toBeGreaterThanOrEqual(1);
  });
});
