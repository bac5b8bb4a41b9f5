/**
 * Protocol messages per authorization — a figure machine load cannot move: how many Sync messages
 * (each one a ReadyForQuery and an output flush in the PostgreSQL backend), Parse, Describe, Bind,
 * Execute and simple queries the platform sends per authorization, counted on node-postgres's
 * Connection in this process. Runs the built platform in-process against PostgreSQL; `--dist`
 * measures another build (e.g. main's) with the same counters. Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/authorizations/protocol.ts [--count 300] [--dist other/dist] [--strace]
 *
 * `--strace` also counts the PostgreSQL backends' socket system calls per authorization (strace -c
 * attached to this platform's backends during the measured run; needs strace and root).
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    dist: { type: 'string', default: join(root, 'packages/platform/dist') },
    strace: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_protocol_${process.pid}`;

const MESSAGES = ['sync', 'parse', 'describe', 'bind', 'execute', 'query'] as const;
const counts = Object.fromEntries(MESSAGES.map((m) => [m, 0])) as Record<(typeof MESSAGES)[number], number>;
const proto = (pg as unknown as { Connection: { prototype: Record<string, (...a: unknown[]) => unknown> } })
  .Connection.prototype;
for (const m of MESSAGES) {
  const original = proto[m] as (...a: unknown[]) => unknown;
  proto[m] = function (this: unknown, ...args: unknown[]) {
    counts[m]++;
    return original.apply(this, args);
  };
}

const { startPlatform } = (await import(pathToFileURL(join(resolve(values.dist), 'index.js')).href)) as {
  startPlatform(o: object): Promise<{ url: string; apiKey: string; close(): Promise<void> }>;
};
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
const url = new URL(databaseUrl);
url.searchParams.set('application_name', schema);
const platform = await startPlatform({
  databaseUrl: url.toString(),
  schema,
  apiKey: 'sk_test_bench_protocol',
  rateLimit: { requestsPerSecond: 100_000_000 },
});
const post = async (path: string, body: unknown) => {
  const res = await fetch(platform.url + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${platform.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
try {
  await post('/topups', { amount: 1_000_000_000, currency: 'usd' });
  const cards: string[] = [];
  for (let i = 0; i < 20; i++) {
    const holder = await post('/cardholders', {
      type: 'individual',
      name: `Holder ${i}`,
      email: `h${i}@example.com`,
    });
    const card = await post('/cards', {
      cardholder: holder.id,
      type: 'virtual',
      currency: 'usd',
      spending_controls: { spending_limits: [{ amount: 5_000, interval: 'per_authorization' }] },
    });
    cards.push(card.id as string);
  }
  const authorize = (i: number) =>
    post('/test_helpers/authorizations', {
      card: cards[i % cards.length],
      amount: i % 4 === 0 ? 9_000 : 1_000 + (i % 7) * 100, // a quarter over the per-authorization limit
      merchant_data: { name: 'GitHub', mcc: '5734', city: 'Berlin', country: 'US' },
    });
  for (let i = 0; i < 40; i++) await authorize(i); // warm-up: statements prepared, caches filled
  for (const m of MESSAGES) counts[m] = 0;
  const tracer = values.strace ? await traceBackends() : undefined;
  let approved = 0;
  for (let i = 0; i < count; i++) if ((await authorize(i)).approved) approved++;
  const traced = await tracer?.stop();
  console.log(`bench/authorizations/protocol — ${values.dist}, ${count} sequential authorizations`);
  console.log(`  approved ${Math.round((approved / count) * 100)} %`);
  for (const m of MESSAGES)
    console.log(`  ${m.padEnd(9)} per authorization ${(counts[m] / count).toFixed(2)}`);
  for (const [call, calls] of Object.entries(traced ?? {}))
    console.log(`  backends: ${call} per authorization ${(calls / count).toFixed(2)}`);
} finally {
  await platform.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

/** strace -c on this platform's PostgreSQL backends; `stop()` gives the calls of each socket syscall. */
async function traceBackends(): Promise<{ stop(): Promise<Record<string, number>> }> {
  const pids = (
    await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      schema,
    ])
  ).rows.map((r) => String(r.pid));
  const child = spawn(
    'strace',
    ['-c', '-f', '-e', 'trace=sendto,recvfrom,epoll_wait', ...pids.flatMap((p) => ['-p', p])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise((r) => setTimeout(r, 500)); // attached
  return {
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      const calls: Record<string, number> = {};
      for (const m of out.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/gm))
        calls[m[2] as string] = Number(m[1]);
      return calls;
    },
  };
}
