/**
 * Where open-loop p99 comes from: drives the platform (PostgreSQL) at a fixed offered rate well
 * below its capacity, records each answer's due time and latency, and samples PostgreSQL every
 * 20 ms (autovacuum workers, checkpoints, what the platform's backends wait on) and the platform's
 * garbage collector (`--trace-gc`). Prints the 100 ms windows whose slowest answer passed
 * `--slow` ms, with what was going on then. Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/authorizations/stalls.ts [--rate 500] [--duration 20] [--slow 25] [--history 0]
 *     [--cli other/dist/cli.js]
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seedHistory } from './history.ts';
import { drive, quantile } from './http-load.ts';
import {
  apiKey,
  authorizationBodies,
  call,
  fundAndIssueCards,
  MERCHANTS,
  startPlatform,
  stopPlatform,
} from './platform-process.ts';
import { exitOnHelp } from './usage.ts';

exitOnHelp(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: join(root, 'packages/platform/dist/cli.js') },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '20' },
    slow: { type: 'string', default: '25' },
    cards: { type: 'string', default: '200' },
    history: { type: 'string', default: '0' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.duration);
const slow = Number(values.slow);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One sample of the server: what was running at `at` (ms since the load's start). */
interface Sample {
  at: number;
  autovacuum: string[];
  checkpoint: boolean;
  waits: string[];
}

/** A `--trace-gc` line's pause: the first figure of its `x / y ms` part. */
function pauseOf(line: string): number {
  return Number(/([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? 0);
}

const schema = `bench_stalls_${process.pid}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
const u = new URL(databaseUrl);
u.searchParams.set('options', `-c search_path=${schema}`);
u.searchParams.set('application_name', schema);
const { url, child } = await startPlatform({
  cli: values.cli,
  env: { DATABASE_URL: u.toString() },
  nodeArgs: ['--trace-gc'],
});
const gcs: Array<{ at: number; line: string }> = [];
let loadStart = Number.POSITIVE_INFINITY;
child.stdout?.on('data', (d: Buffer) => {
  for (const line of d.toString().split('\n'))
    if (/Mark-Compact|Scavenge|Minor/.test(line) && performance.now() > loadStart)
      gcs.push({ at: performance.now() - loadStart, line: line.trim() });
});
const db = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
await db.connect();
try {
  const issued = await fundAndIssueCards(url, Number(values.cards));
  const cards = issued.cards.map((id) => ({ id, cardholder: issued.holder }));
  if (Number(values.history) > 0) {
    const sample = await call(url, 'POST', '/test_helpers/authorizations', {
      card: cards[0]?.id,
      amount: 1_234,
      merchant_data: MERCHANTS[3],
    });
    await seedHistory(db, { cards, busy: [], total: Number(values.history), busyToday: 0, sample });
  }
  // Warm up (JIT, plans, connections), then measure.
  await drive(
    {
      url,
      apiKey,
      nextBody: authorizationBodies(
        cards.map((c) => c.id),
        3,
      ),
    },
    64,
    3,
    rate,
  );
  const samples: Sample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const at = performance.now() - loadStart;
      const r = await admin.query(
        `SELECT backend_type, application_name, state, wait_event_type, wait_event, query
         FROM pg_stat_activity WHERE pid <> pg_backend_pid()`,
      );
      const s: Sample = { at, autovacuum: [], checkpoint: false, waits: [] };
      for (const row of r.rows) {
        if (row.backend_type === 'autovacuum worker') s.autovacuum.push(String(row.query).slice(0, 60));
        if (row.backend_type === 'checkpointer' && row.wait_event !== 'CheckpointerMain') s.checkpoint = true;
        if (row.application_name === schema && row.state === 'active' && row.wait_event)
          s.waits.push(
            row.wait_event_type === 'Lock'
              ? `Lock:${row.wait_event} in ${/^\s*(\w+\s+\S+\s+\S+)/.exec(String(row.query).replace(/\s+/g, ' '))?.[1] ?? '?'}`
              : `${row.wait_event_type}:${row.wait_event}`,
          );
      }
      samples.push(s);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  loadStart = performance.now();
  const r = await drive(
    {
      url,
      apiKey,
      nextBody: authorizationBodies(
        cards.map((c) => c.id),
        11,
      ),
    },
    64,
    seconds,
    rate,
    true,
  );
  sampling = false;
  await sampler;
  const total = r.latencies.length;
  console.log(
    `open loop ${rate}/s for ${seconds} s: ${(total / r.seconds).toFixed(0)}/s served, p50 ${quantile(r.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(r.latencies, 0.99).toFixed(1)} ms, max ${quantile(r.latencies, 1).toFixed(1)} ms, ${r.errors} errors; ${gcs.length} GCs`,
  );
  const windows = new Map<number, { n: number; slow: number; max: number }>();
  for (const [due, latency] of r.timeline ?? []) {
    const w = Math.floor(due / 100);
    const x = windows.get(w) ?? { n: 0, slow: 0, max: 0 };
    x.n++;
    if (latency > slow) x.slow++;
    x.max = Math.max(x.max, latency);
    windows.set(w, x);
  }
  const pauses = gcs.map((g) => pauseOf(g.line)).sort((a, b) => a - b);
  console.log(
    `platform GC: ${pauses.length} pauses, ${pauses.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, median ${quantile(pauses, 0.5).toFixed(1)} ms, max ${quantile(pauses, 1).toFixed(1)} ms`,
  );
  const slowCount = (r.timeline ?? []).filter(([, l]) => l > slow).length;
  console.log(`${slowCount} answers (${((100 * slowCount) / total).toFixed(2)} %) slower than ${slow} ms`);
  for (const [w, x] of [...windows].sort((a, b) => a[0] - b[0])) {
    if (x.max <= slow) continue;
    const from = w * 100 - 100;
    const to = w * 100 + 100 + x.max;
    const near = samples.filter((s) => s.at >= from && s.at <= to);
    const av = [...new Set(near.flatMap((s) => s.autovacuum))];
    const waits = new Map<string, number>();
    for (const s of near) for (const wt of s.waits) waits.set(wt, (waits.get(wt) ?? 0) + 1);
    const gc = gcs
      .filter((g) => g.at >= from && g.at <= to)
      .map(
        (g) => `${/(Scavenge|Mark-Compact|Minor[\w-]*)/.exec(g.line)?.[1]} ${pauseOf(g.line).toFixed(1)} ms`,
      );
    console.log(
      `t=${(w / 10).toFixed(1)} s: ${x.slow}/${x.n} slow, max ${x.max.toFixed(0)} ms` +
        (near.some((s) => s.checkpoint) ? '; checkpoint running' : '') +
        (av.length ? `; autovacuum: ${av.join(' | ')}` : '') +
        (waits.size ? `; waits: ${[...waits].map(([k, v]) => `${k}×${v}`).join(', ')}` : '') +
        (gc.length ? `; gc: ${gc.join(', ')}` : ''),
    );
  }
} finally {
  await db.end();
  await stopPlatform(child);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
