/**
 * Authorization latency at 64 in flight with a real-time authorization webhook that answers slowly:
 * on the embedded database (PGlite) the case issue #12 found at p99 6.6 s; on PostgreSQL (`--db
 * postgres`) the one issue #15 found, where the webhook was asked holding the card's lock and a
 * pool connection. Starts the platform as its
 * own process (`openissuing serve`, as a user runs it: the card network and the issuer's
 * webhook are not in its event loop), a webhook receiver (its own process too) that answers `{approved: true}` after
 * `--delay` ms, and sends `--count` test authorizations over `--cards` cards, `--concurrency` at a
 * time. Prints min / median / max over the runs of p50, p99 and max latency, and the platform
 * process's CPU time per authorization (robust to the machine's load), with the load average.
 * Not a test; bounded in count (and so in time).
 *
 *   npm run build -w @openissuing/platform
 *   node bench/realtime-webhook-p99.ts [--db pglite|postgres] [--runs 3] [--count 640] [--concurrency 64]
 *     [--delay 300] [--cards 64] [--cli other/dist/cli.js]   (another build, for a paired A/B)
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema per run),
 * the platform's default pool (20 connections).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const apiKey = 'sk_test_bench_pglite_realtime';

/** A child process, resolved once its output matches `ready` (with the match's first group). */
function child(args: string[], ready: RegExp, env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<{ found: string; pid: number; close(): Promise<void> }>((resolve, reject) => {
    let out = '';
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m?.[1])
        resolve({
          found: m[1],
          pid: proc.pid as number,
          close: () =>
            new Promise((r) => {
              proc.once('exit', () => r());
              proc.kill('SIGTERM');
            }),
        });
    };
    proc.stdout?.on('data', seen);
    proc.stderr?.on('data', seen);
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${out}`)));
  });
}

/** The platform as its own process: on in-memory PGlite, or on PostgreSQL in `schema`. */
const startPlatform = (schema: string | null) => {
  const env: Record<string, string> = { OPENISSUING_API_KEY: apiKey };
  if (schema) {
    const u = new URL(databaseUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = u.toString();
  }
  return child(
    [values.cli, 'serve', ...(schema ? [] : ['--memory']), '--port', '0', '--rate-limit', '100000000'],
    /listening on (http:\/\/\S+)/,
    env,
  );
};

/** Runs one statement on PostgreSQL (creating and dropping a run's schema). */
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The issuer's real-time webhook as its own process: answers `{approved: true}` after `delay` ms. */
const startReceiver = (delay: number) =>
  child(
    [
      '--input-type=module',
      '-e',
      `import { createServer } from 'node:http';
       const s = createServer((req, res) => { req.resume(); req.on('end', () => setTimeout(() => {
         res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"approved":true}'); }, ${delay})); });
       s.listen(0, '127.0.0.1', () => console.log('receiver on ' + s.address().port));
       process.on('SIGTERM', () => process.exit(0));`,
    ],
    /receiver on (\d+)/,
  );

/** POSTs JSON over a keep-alive agent (the card network's side: cheap, so it does not skew the figure). */
function poster(base: string, agent: Agent) {
  return (path: string, body: unknown) =>
    new Promise<{ id: string; approved?: boolean }>((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = request(
        base + path,
        {
          method: 'POST',
          agent,
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(data),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
}

/** CPU time (user + system) a process has used, in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    count: { type: 'string', default: '640' },
    concurrency: { type: 'string', default: '64' },
    delay: { type: 'string', default: '300' },
    cards: { type: 'string', default: '64' },
    db: { type: 'string', default: 'pglite' },
    /** The platform build to start (another build's cli.js for a paired A/B). */
    cli: {
      type: 'string',
      default: join(dirname(fileURLToPath(import.meta.url)), '..', 'packages/platform/dist/cli.js'),
    },
  },
});
if (values.db !== 'pglite' && values.db !== 'postgres') {
  console.error(`--db: '${values.db}' is not a database; use pglite (default) or postgres.`);
  process.exit(1);
}
const onPostgres = values.db === 'postgres';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runs = Number(values.runs);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const delay = Number(values.delay);
const cardCount = Number(values.cards);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function once(): Promise<{ p50: number; p99: number; max: number; approved: number; cpu: number }> {
  const schema = onPostgres ? `bench_rt_${process.pid}` : null;
  if (schema) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const receiver = await startReceiver(delay);
  const platform = await startPlatform(schema);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = poster(platform.found, agent);
  try {
    await post('/topups', { amount: 1_000_000_000, currency: 'usd' });
    const url = `http://127.0.0.1:${receiver.found}/realtime`;
    await post('/webhook_endpoints', { url, enabled_events: ['authorization.request'] });
    const holder = await post('/cardholders', { type: 'individual', name: 'Bench', email: 'b@example.com' });
    const cards: string[] = [];
    for (let i = 0; i < cardCount; i++)
      cards.push((await post('/cards', { cardholder: holder.id, type: 'virtual', currency: 'usd' })).id);
    const latencies: number[] = [];
    const cpuBefore = cpuMs(platform.pid);
    let next = 0;
    let approved = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          const started = performance.now();
          const auth = await post('/test_helpers/authorizations', {
            card: cards[i % cards.length],
            amount: 100,
            merchant_data: { name: 'Acme SaaS', mcc: '5734', country: 'DE' },
          });
          latencies.push(performance.now() - started);
          if (auth.approved) approved++;
        }
      }),
    );
    const cpu = (cpuMs(platform.pid) - cpuBefore) / count;
    latencies.sort((a, b) => a - b);
    return {
      cpu,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1) ?? 0,
      approved,
    };
  } finally {
    agent.destroy();
    await platform.close();
    await receiver.close();
    if (schema) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

const results = [];
for (let r = 0; r < runs; r++) results.push(await once());
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const stat = (key: 'p50' | 'p99' | 'max' | 'cpu', f = fmt) => {
  const v = results.map((x) => x[key]).sort((a, b) => a - b);
  return `min ${f(v[0] ?? 0)} / median ${f(quantile(v, 0.5))} / max ${f(v.at(-1) ?? 0)}`;
};
const p99s = results.map((x) => x.p99).sort((a, b) => a - b);
console.log(
  `${onPostgres ? 'PostgreSQL' : 'PGlite'}, ${count} test authorizations, ${concurrency} in flight, real-time webhook answering after ${delay} ms, ${runs} runs`,
);
console.log(`  p50  ${stat('p50')}`);
console.log(`  p99  ${stat('p99')}`);
console.log(`  max  ${stat('max')}`);
console.log(`  platform CPU per authorization  ${stat('cpu', (ms) => `${ms.toFixed(1)} ms`)}`);
console.log(`  approved per run: ${results.map((x) => x.approved).join(', ')} of ${count}`);
console.log(
  `  ${quantile(p99s, 0.5) < 2000 ? 'MET    ' : 'NOT MET'} ${onPostgres ? 'PostgreSQL' : 'embedded'} p99 < 2 s at ${concurrency} in flight (median of runs; ${p99s.filter((p) => p < 2000).length}/${runs} runs under 2 s)`,
);
console.log(
  `  load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
