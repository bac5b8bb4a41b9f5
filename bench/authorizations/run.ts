/**
 * Authorization throughput benchmark: starts the platform as its own process (PGlite in memory, and
 * PostgreSQL), drives simulated authorizations at it from this separate load process, and reports
 * throughput, p50/p99 latency and a zero-overspend check. Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/authorizations/run.ts [--db pglite|postgres|postgres-async|all] [--duration 10] [--concurrency 32]
 *                                    [--cards 200] [--daily-limit 20000]
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema is used).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'packages/platform/dist/cli.js');

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'all' },
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    cards: { type: 'string', default: '200' },
    'daily-limit': { type: 'string', default: '20000' },
  },
});
const durationS = Number(values.duration);
const concurrency = Number(values.concurrency);
const cardCount = Number(values.cards);
const apiKey = 'sk_test_bench_authorizations';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Per-card daily limit in minor units. The default is reached during the run, so the overspend
// check bites; a large one (--daily-limit 1000000000) makes nearly every authorization an approval.
const LIMIT = Number(values['daily-limit']);

// biome-ignore lint/suspicious/noExplicitAny: API responses are read loosely here; the platform's tests check them against the spec.
type Json = Record<string, any>;

interface Result {
  db: string;
  total: number;
  approved: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  reasons: Record<string, number>;
  overspentCards: number;
  balanceOk: boolean;
  errors: number;
}

function startServer(
  env: Record<string, string>,
  args: string[],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--rate-limit', '1000000', ...args], {
    env: { ...process.env, OPENISSUING_API_KEY: apiKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`platform exited (${code}): ${out}`)));
  });
}

async function call(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'Meta Ads', mcc: '7311', country: 'IE' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'GitHub', mcc: '5734', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
  { name: 'Lufthansa', mcc: '4511', country: 'DE' },
  { name: 'Lucky Casino', mcc: '7995', country: 'MT' },
  { name: 'Blue Bottle', mcc: '5814', country: 'US' },
];

type Mode = 'pglite' | 'postgres' | 'postgres-async';

async function run(db: Mode): Promise<Result> {
  let schema: string | undefined;
  let env: Record<string, string> = {};
  const args: string[] = [];
  if (db !== 'pglite') {
    schema = `bench_auth_${process.pid}`;
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await c.end();
    const u = new URL(databaseUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    env = { DATABASE_URL: u.toString() };
    if (db === 'postgres-async') args.push('--async-commit');
  } else {
    args.push('--memory');
  }
  const { url, child } = await startServer(env, args);
  try {
    await call(url, 'POST', '/topups', { amount: 1_000_000_000, currency: 'usd' });
    const holder = await call(url, 'POST', '/cardholders', {
      type: 'company',
      name: 'Bench Co',
      email: 'bench@example.com',
    });
    const cards: string[] = [];
    for (let i = 0; i < cardCount; i++) {
      const card = await call(url, 'POST', '/cards', {
        cardholder: holder.id,
        type: 'virtual',
        currency: 'usd',
        spending_controls: {
          spending_limits: [
            { amount: 5_000, interval: 'per_authorization' },
            { amount: LIMIT, interval: 'daily' },
          ],
          blocked_categories: ['gambling'],
        },
      });
      cards.push(card.id);
    }
    const approvedByCard = new Map<string, number>();
    const latencies: number[] = [];
    const reasons: Record<string, number> = {};
    let errors = 0;
    let approved = 0;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const one = async (measure: boolean) => {
      const card = cards[Math.floor(rand() * cards.length)] as string;
      const m = MERCHANTS[Math.floor(rand() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
      const amount = 100 + Math.floor(rand() * 5_500);
      const t0 = performance.now();
      try {
        const auth = await call(url, 'POST', '/test_helpers/authorizations', {
          card,
          amount,
          merchant_data: m,
        });
        const dt = performance.now() - t0;
        if (!measure) return;
        latencies.push(dt);
        reasons[auth.decision.reason] = (reasons[auth.decision.reason] ?? 0) + 1;
        if (auth.approved) {
          approved++;
          approvedByCard.set(card, (approvedByCard.get(card) ?? 0) + auth.amount);
        }
      } catch {
        if (measure) errors++;
      }
    };
    // Warm-up: 1 s, not measured (JIT, connection pools, caches).
    const warmEnd = performance.now() + 1_000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < warmEnd) await one(false);
      }),
    );
    approvedByCard.clear();
    const start = performance.now();
    const end = start + durationS * 1_000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) await one(true);
      }),
    );
    const elapsed = (performance.now() - start) / 1_000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    // Zero overspend: what the platform reports as approved spend per card (its own authorizations
    // list, all pages) must not exceed the daily limit.
    let overspentCards = 0;
    for (const card of cards) {
      let sum = 0;
      let cursor: string | null = null;
      do {
        const page: Json = await call(
          url,
          'GET',
          `/authorizations?card=${card}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const a of page.data) if (a.approved) sum += a.amount;
        cursor = page.next_cursor;
      } while (cursor);
      if (sum > LIMIT) overspentCards++;
    }
    const balance = await call(url, 'GET', '/balance');
    const usd = balance.available.find((b: { currency: string }) => b.currency === 'usd')?.amount ?? -1;
    return {
      db,
      total: latencies.length,
      approved,
      perSecond: latencies.length / elapsed,
      p50: q(0.5),
      p99: q(0.99),
      max: latencies[latencies.length - 1] ?? 0,
      reasons,
      overspentCards,
      balanceOk: usd >= 0,
      errors,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (schema) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

if (!existsSync(cli)) {
  console.error('Build the platform first: npm run build -w @openissuing/platform');
  process.exit(1);
}
const dbs: Mode[] = values.db === 'all' ? ['pglite', 'postgres', 'postgres-async'] : [values.db as Mode];
console.log(
  `bench/authorizations: ${durationS} s per database, concurrency ${concurrency}, ${cardCount} cards (limit ${LIMIT}/day each)`,
);
const results: Result[] = [];
for (const db of dbs) {
  const r = await run(db);
  results.push(r);
  console.log(
    `${db.padEnd(15)} ${r.perSecond.toFixed(0).padStart(6)} auth/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(0)} ms  ` +
      `(${r.total} authorizations, ${r.approved} approved, errors ${r.errors})`,
  );
  console.log(
    `         decisions: ${Object.entries(r.reasons)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `         overspend: ${r.overspentCards === 0 ? 'none' : `${r.overspentCards} cards OVER LIMIT`}; balance ${r.balanceOk ? '≥ 0' : 'NEGATIVE'}`,
  );
}
const base = results.find((r) => r.db === 'pglite');
for (const r of results) {
  if (base && r !== base)
    console.log(`ratio ${r.db}/pglite throughput: ${(r.perSecond / base.perSecond).toFixed(2)}×`);
}
if (results.some((r) => r.overspentCards > 0 || !r.balanceOk)) process.exitCode = 1;
