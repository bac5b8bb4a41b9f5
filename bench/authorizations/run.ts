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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
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
    generator: { type: 'string', default: 'auto' },
    rate: { type: 'string' },
    'pg-options': { type: 'string', default: '' },
  },
});
// The load generator: `wrk` (C, event loop, ~5 % of a core at 1,000 req/s) when installed, else
// this Node process. `--rate <n>` switches to an OPEN-loop run (n requests/s at fixed arrival
// times, latency measured from the scheduled send time, so queueing counts) — always in Node,
// because wrk has no fixed-rate mode.
const rate = values.rate ? Number(values.rate) : undefined;
const wrkPath = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
const generator: 'wrk' | 'node' =
  rate !== undefined
    ? 'node'
    : values.generator === 'auto'
      ? wrkPath
        ? 'wrk'
        : 'node'
      : (values.generator as 'wrk' | 'node');
if (generator === 'wrk' && !wrkPath) {
  console.error('--generator wrk: wrk is not installed (Debian: apt-get install -y wrk)');
  process.exit(1);
}
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
  /** The decision mix was read back from the platform (all authorizations, warm-up included). */
  readBack: boolean;
  /** CPU milliseconds per authorization during the measured phase, by process (Linux /proc). */
  cpu: { platform: number; postgres: number; generator: number } | null;
}

/**
 * CPU seconds (user + system) used so far by each of `pids`, read from /proc (Linux; null where
 * unreadable, e.g. a pool connection closed meanwhile). `withChildren` adds the reaped children's
 * time (the wrk runs of this process).
 */
function cpuSeconds(pids: number[], withChildren = false): (number | null)[] {
  return pids.map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
      return ticks / 100; // USER_HZ is 100 on Linux
    } catch {
      return null;
    }
  });
}

/** CPU seconds used between two `cpuSeconds` readings, over the processes alive at both; NaN if none. */
function cpuDelta(before: (number | null)[], after: (number | null)[]): number {
  let sum = 0;
  let any = false;
  before.forEach((b, i) => {
    const a = after[i];
    if (a != null && b != null) {
      sum += a - b;
      any = true;
    }
  });
  return any ? sum : Number.NaN;
}

function startServer(
  env: Record<string, string>,
  args: string[],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--rate-limit', '1000000', ...args], {
    // No per-request log lines: they would cost CPU the benchmark measures (LOG_LEVEL overrides).
    env: { LOG_LEVEL: 'warn', ...process.env, OPENISSUING_API_KEY: apiKey, ...env },
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

/** The wrk Lua script: random card, merchant and amount per request (Lua's PRNG, fixed seed). */
function wrkScript(cards: string[]): string {
  const lua = (v: string) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return `math.randomseed(42)
wrk.method = "POST"
wrk.path = "/test_helpers/authorizations"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = ${lua(`Bearer ${apiKey}`)}
local cards = { ${cards.map(lua).join(', ')} }
local merchants = { ${MERCHANTS.map((m) => lua(JSON.stringify(m))).join(', ')} }
request = function()
  local body = '{"card":"' .. cards[math.random(#cards)] .. '","amount":' .. (100 + math.random(0, 5499)) ..
    ',"merchant_data":' .. merchants[math.random(#merchants)] .. '}'
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;
}

/** Runs wrk (one thread, `connections` keep-alive connections) and parses the script's summary line. */
function runWrk(url: string, script: string, seconds: number, connections: number) {
  const child = spawn(
    wrkPath as string,
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise<{
    requests: number;
    seconds: number;
    p50: number;
    p99: number;
    max: number;
    errors: number;
  }>((resolve, reject) => {
    child.once('exit', (code) => {
      const m = /WRK (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`wrk failed (${code}): ${out}`));
      const [, requests, us, p50, p99, max, errors] = m.map(Number) as number[];
      resolve({
        requests: requests as number,
        seconds: (us as number) / 1e6,
        p50: (p50 as number) / 1e3,
        p99: (p99 as number) / 1e3,
        max: (max as number) / 1e3,
        errors: errors as number,
      });
    });
  });
}

/**
 * Open loop over raw keep-alive sockets (a minimal HTTP/1.1 client — fetch or node:http would cost
 * the platform ten times the CPU wrk does): request i is due at start + i/rate whatever happened to
 * earlier ones; it goes out on a free connection or waits in a queue for one, and its latency runs
 * from the due time, so a stall shows up in p99 instead of silently lowering the offered load (no
 * coordinated omission). `done` gets each latency and whether the status was 2xx.
 */
async function openLoop(
  url: string,
  rate: number,
  seconds: number,
  connections: number,
  nextBody: () => unknown,
  done: (ms: number, ok: boolean) => void,
): Promise<{ seconds: number }> {
  const u = new URL(url);
  const total = Math.round(rate * seconds);
  const head = `POST /test_helpers/authorizations HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\n`;
  interface Conn {
    socket: net.Socket;
    buf: Buffer;
    end: number;
    status: number;
    due: number;
    busy: boolean;
  }
  const idle: Conn[] = [];
  const waiting: number[] = [];
  const all = new Set<Conn>();
  let completed = 0;
  let stopping = false;
  let finish: () => void = () => {};
  let fail: (e: Error) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const send = (c: Conn, due: number) => {
    c.due = due;
    c.busy = true;
    const body = JSON.stringify(nextBody());
    c.socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const ready = (c: Conn) => {
    const next = waiting.shift();
    if (next === undefined) idle.push(c);
    else send(c, next);
  };
  const complete = (c: Conn, ok: boolean) => {
    c.busy = false;
    done(performance.now() - c.due, ok);
    if (++completed === total) finish();
  };
  const onData = (c: Conn, chunk: Buffer) => {
    c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
    for (;;) {
      if (c.end < 0) {
        const h = c.buf.indexOf('\r\n\r\n');
        if (h < 0) return;
        const headers = c.buf.subarray(0, h).toString('latin1');
        const len = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
        if (!len?.[1]) return fail(new Error(`open loop: response without Content-Length: ${headers}`));
        c.status = Number(headers.slice(9, 12));
        c.end = h + 4 + Number(len[1]);
      }
      if (c.buf.length < c.end) return;
      c.buf = c.buf.subarray(c.end);
      c.end = -1;
      complete(c, c.status >= 200 && c.status < 300);
      if (completed < total) ready(c);
    }
  };
  // A connection the server closes (keep-alive timeout, error) fails its request, if any, and is
  // replaced, so no due request is ever lost.
  const open = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
      const c: Conn = { socket, buf: Buffer.alloc(0), end: -1, status: 0, due: 0, busy: false };
      all.add(c);
      socket.on('connect', () => {
        resolve();
        ready(c);
      });
      socket.on('data', (d: Buffer) => onData(c, d));
      socket.on('error', reject);
      socket.on('close', () => {
        all.delete(c);
        const i = idle.indexOf(c);
        if (i >= 0) idle.splice(i, 1);
        if (stopping) return;
        if (c.busy) complete(c, false);
        if (completed < total) open().catch(fail);
      });
    });
  await Promise.all(Array.from({ length: connections }, open));
  const start = performance.now();
  let sent = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1_000) + 1);
    while (sent < due) {
      const at = start + (sent * 1_000) / rate;
      sent++;
      const c = idle.shift();
      if (c) send(c, at);
      else waiting.push(at);
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1_000) / rate - performance.now()));
  };
  tick();
  try {
    await finished;
  } finally {
    stopping = true;
    for (const c of all) c.socket.destroy();
  }
  return { seconds: (performance.now() - start) / 1_000 };
}

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
    // --pg-options: extra per-session settings (e.g. "-c commit_delay=100"), never server-wide.
    u.searchParams.set('options', `-c search_path=${schema} ${values['pg-options']}`.trim());
    u.searchParams.set('application_name', schema);
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
    const latencies: number[] = [];
    const reasons: Record<string, number> = {};
    let errors = 0;
    let approved = 0;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const nextBody = () => {
      const card = cards[Math.floor(rand() * cards.length)] as string;
      const m = MERCHANTS[Math.floor(rand() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
      const amount = 100 + Math.floor(rand() * 5_500);
      return { card, amount, merchant_data: m };
    };
    const record = (auth: Json) => {
      reasons[auth.decision.reason] = (reasons[auth.decision.reason] ?? 0) + 1;
      if (auth.approved) approved++;
    };
    let elapsed: number;
    // wrk and the open loop do not parse response bodies: their decision mix comes from the read-back.
    const parsesResponses = generator === 'node' && rate === undefined;
    // CPU accounting of the measured phase: the platform process, its PostgreSQL backends (found
    // by application_name after the warm-up opened them) and the generator (this process + wrk).
    let backends: number[] = [];
    let cpuBefore: (number | null)[][] = [];
    const markCpu = async () => {
      if (schema) {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        const r = await c.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [schema]);
        await c.end();
        backends = r.rows.map((x: { pid: number }) => x.pid);
      }
      cpuBefore = [cpuSeconds([child.pid as number]), cpuSeconds(backends), cpuSeconds([process.pid], true)];
    };
    let wrkStats: { p50: number; p99: number; max: number } | undefined;
    if (generator === 'wrk') {
      const dir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
      try {
        const script = join(dir, 'authorizations.lua');
        writeFileSync(script, wrkScript(cards));
        await runWrk(url, script, 1, concurrency); // warm-up, not measured
        await markCpu();
        const w = await runWrk(url, script, durationS, concurrency);
        elapsed = w.seconds;
        errors = w.errors;
        for (let i = 0; i < w.requests; i++) latencies.push(0);
        wrkStats = { p50: w.p50, p99: w.p99, max: w.max };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else if (rate !== undefined) {
      await openLoop(url, rate, 1, concurrency, nextBody, () => {}); // warm-up, not measured
      await markCpu();
      const r = await openLoop(url, rate, durationS, concurrency, nextBody, (dt, ok) => {
        if (ok) latencies.push(dt);
        else errors++;
      });
      elapsed = r.seconds;
    } else {
      const one = async (measure: boolean) => {
        const body = nextBody();
        const t0 = performance.now();
        try {
          const auth = await call(url, 'POST', '/test_helpers/authorizations', body);
          const dt = performance.now() - t0;
          if (!measure) return;
          latencies.push(dt);
          record(auth);
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
      await markCpu();
      const start = performance.now();
      const end = start + durationS * 1_000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) await one(true);
        }),
      );
      elapsed = (performance.now() - start) / 1_000;
    }
    const cpuAfter = [
      cpuSeconds([child.pid as number]),
      cpuSeconds(backends),
      cpuSeconds([process.pid], true),
    ];
    const perAuth = (i: number) =>
      (cpuDelta(cpuBefore[i] ?? [], cpuAfter[i] ?? []) * 1_000) / Math.max(1, latencies.length);
    const cpu = cpuBefore.length
      ? { platform: perAuth(0), postgres: perAuth(1), generator: perAuth(2) }
      : null;
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
        for (const a of page.data) {
          if (a.approved) sum += a.amount;
          if (!parsesResponses) record(a);
        }
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
      p50: wrkStats?.p50 ?? q(0.5),
      p99: wrkStats?.p99 ?? q(0.99),
      max: wrkStats?.max ?? latencies[latencies.length - 1] ?? 0,
      reasons,
      overspentCards,
      balanceOk: usd >= 0,
      errors,
      readBack: !parsesResponses,
      cpu,
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
  `bench/authorizations: ${durationS} s per database, ${
    rate !== undefined
      ? `open loop at ${rate}/s (node, at most ${concurrency} connections)`
      : `closed loop, concurrency ${concurrency} (${generator})`
  }, ${cardCount} cards (limit ${LIMIT}/day each)`,
);
const results: Result[] = [];
for (const db of dbs) {
  const r = await run(db);
  results.push(r);
  console.log(
    `${db.padEnd(15)} ${r.perSecond.toFixed(0).padStart(6)} auth/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(0)} ms  ` +
      `(${r.total} authorizations${r.readBack ? '' : `, ${r.approved} approved`}, errors ${r.errors})`,
  );
  console.log(
    `         decisions${r.readBack ? ' (read back, warm-up included)' : ''}: ${Object.entries(r.reasons)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  if (r.cpu)
    console.log(
      `         CPU per authorization: platform ${r.cpu.platform.toFixed(2)} ms, PostgreSQL backends ${r.cpu.postgres.toFixed(2)} ms, generator ${r.cpu.generator.toFixed(2)} ms`,
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
