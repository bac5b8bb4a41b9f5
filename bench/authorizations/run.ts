/**
 * Authorization benchmark: the platform as its own process (PostgreSQL, and embedded PGlite),
 * driven over raw keep-alive HTTP from this process, against pgbench running the same database
 * work as the ceiling in the same run. Prints each figure's min / median / max over `--rounds`
 * interleaved rounds and the ratios the issue's goals name. Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/authorizations/run.ts [--db all|postgres|pglite] [--workload approve|decline]
 *     [--rounds 3] [--duration 5] [--concurrency 8,16,64] [--rate 1000] [--history 1000000]
 *     [--cli other/dist/cli.js]   (another build, e.g. main's, for a paired A/B)
 *     [--pool-size 20]            (the platform's PostgreSQL pool; pgbench's open loop gets as many)
    [--warmup 20]               (seconds of unmeasured load first, on cards of their own: JIT)
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seedHistory } from './history.ts';
import { drive, type LoadResult, quantile } from './http-load.ts';
import { preparePgbench, runPgbench } from './pgbench.ts';
import {
  apiKey,
  authorizationBodies,
  call,
  MERCHANTS,
  startPlatform,
  stopPlatform,
} from './platform-process.ts';
import { exitOnHelp } from './usage.ts';

exitOnHelp(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    /** The platform build to start (another build's cli.js for a paired A/B). */
    cli: { type: 'string', default: join(root, 'packages/platform/dist/cli.js') },
    db: { type: 'string', default: 'all' },
    workload: { type: 'string', default: 'approve' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8,16,64' },
    rate: { type: 'string', default: '1000' },
    cards: { type: 'string', default: '200' },
    history: { type: 'string', default: '1000000' },
    'busy-cards': { type: 'string', default: '20' },
    'busy-today': { type: 'string', default: '2500' },
    'pool-size': { type: 'string', default: '20' },
    /**
     * Seconds of closed-loop load on the platform before the first round, on cards of their own,
     * not measured: V8 is still compiling the hot path for the first ~20 s (TurboFan's compile
     * thread took ≈ 10 % of the platform's CPU after a 3 s warm-up, ≈ 1 % after 30 s), which a
     * server that has been up a minute no longer pays.
     */
    warmup: { type: 'string', default: '20' },
  },
});
const cli = values.cli;
const workload = values.workload as 'approve' | 'decline';
if (workload !== 'approve' && workload !== 'decline') {
  console.error(`--workload: '${values.workload}' is not a workload; use approve (default) or decline.`);
  process.exit(1);
}
const rounds = Number(values.rounds);
const seconds = Number(values.duration);
const levels = values.concurrency.split(',').map(Number);
const rates = values.rate ? values.rate.split(',').map(Number) : [];
const cardCount = Number(values.cards);
const historyRows = Number(values.history);
const busyCount = Number(values['busy-cards']);
const busyToday = Number(values['busy-today']);
const warmupSeconds = Number(values.warmup);
if (!Number.isFinite(warmupSeconds) || warmupSeconds < 0) {
  console.error(`--warmup: '${values.warmup}' is not a number of seconds; use 0 or more (default 20).`);
  process.exit(1);
}
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Requests in flight at most in the platform's open loop (the loader's sockets). */
const OPEN_LOOP_IN_FLIGHT = 64;
/**
 * The platform's PostgreSQL pool, set here (`OPENISSUING_POOL_SIZE`; default 20, `serve`'s default):
 * it never runs more transactions at once, so pgbench's open loop gets as many connections.
 */
const PLATFORM_POOL_SIZE = Number(values['pool-size']);
if (!Number.isInteger(PLATFORM_POOL_SIZE) || PLATFORM_POOL_SIZE < 1) {
  console.error(
    `--pool-size: '${values['pool-size']}' is not a connection count; use a whole number ≥ 1 (default 20).`,
  );
  process.exit(1);
}
/**
 * approve: realistic spend — a per-authorization limit (50.00) and `gambling` blocked decline
 * about a quarter; the daily limit is far away. decline: the daily limit (200.00) runs out early,
 * so most authorizations are declines.
 */
const DAILY_LIMIT = workload === 'approve' ? 1_000_000_000 : 20_000;

/** Funds the program and issues `--cards` cards to one company cardholder. */
async function setUpProgram(url: string) {
  await fund(url);
  const holder = (
    await call(url, 'POST', '/cardholders', { type: 'company', name: 'Bench Co', email: 'bench@example.com' })
  ).id as string;
  return { holder, cards: await makeCards(url, holder, cardCount) };
}

/** Funds the program well beyond what a run spends (top-ups are capped at 10,000,000.00 each). */
async function fund(url: string) {
  for (let i = 0; i < 20; i++) await call(url, 'POST', '/topups', { amount: 1_000_000_000, currency: 'usd' });
}

async function makeCards(
  url: string,
  holder: string,
  n: number,
): Promise<Array<{ id: string; cardholder: string }>> {
  const out: Array<{ id: string; cardholder: string }> = [];
  for (let i = 0; i < n; i++) {
    const card = await call(url, 'POST', '/cards', {
      cardholder: holder,
      type: 'virtual',
      currency: 'usd',
      spending_controls: {
        spending_limits: [
          { amount: 5_000, interval: 'per_authorization' },
          { amount: DAILY_LIMIT, interval: 'daily' },
        ],
        blocked_categories: ['gambling'],
      },
    });
    out.push({ id: card.id, cardholder: holder });
  }
  return out;
}

/** Figures of one measurement, collected over rounds. */
const figures = new Map<string, number[]>();
function note(key: string, value: number) {
  if (!Number.isFinite(value)) return;
  const list = figures.get(key) ?? [];
  list.push(value);
  figures.set(key, list);
}
function stats(key: string): { min: number; median: number; max: number; n: number } | null {
  const list = [...(figures.get(key) ?? [])].sort((a, b) => a - b);
  if (list.length === 0) return null;
  return {
    min: list[0] as number,
    median: list[Math.floor((list.length - 1) / 2)] as number,
    max: list[list.length - 1] as number,
    n: list.length,
  };
}

function describeRun(label: string, r: LoadResult): string {
  const total = r.latencies.length;
  const approved = total ? ((100 * r.approved) / total).toFixed(0) : '0';
  return `${label.padEnd(28)} ${(total / r.seconds).toFixed(0).padStart(6)}/s  p50 ${quantile(r.latencies, 0.5).toFixed(1)} ms  p99 ${quantile(r.latencies, 0.99).toFixed(1)} ms  approved ${approved} %  errors ${r.errors}`;
}

async function measure(
  key: string,
  label: string,
  url: string,
  cards: ReadonlyArray<{ id: string }>,
  c: number,
  rate?: number,
) {
  const ids = cards.map((card) => card.id);
  const r = await drive(
    { url, apiKey, nextBody: authorizationBodies(ids, 7 + figures.size) },
    c,
    seconds,
    rate,
  );
  const total = r.latencies.length;
  note(`${key}.tps`, total / r.seconds);
  note(`${key}.p99`, quantile(r.latencies, 0.99));
  note(`${key}.p50`, quantile(r.latencies, 0.5));
  note(`${key}.approved`, total ? (100 * r.approved) / total : 0);
  // Served: the achieved rate (answers over the time until the last one) against the offered rate.
  if (rate !== undefined) note(`${key}.served`, (100 * total) / r.seconds / rate);
  console.log(`  ${describeRun(label, r)}`);
  return r;
}

/**
 * Unmeasured closed-loop load at the first concurrency level, on cards made for it (so the
 * measured cards' limits and history are untouched), until the platform's JIT has settled.
 */
async function warmUp(label: string, url: string, holder: string) {
  if (warmupSeconds <= 0) return;
  const cards = (await makeCards(url, holder, 20)).map((card) => card.id);
  const r = await drive(
    { url, apiKey, nextBody: authorizationBodies(cards, 3) },
    levels[0] as number,
    warmupSeconds,
  );
  console.log(
    `${label}: warmed up for ${warmupSeconds} s (${r.latencies.length} authorizations, not measured)`,
  );
}

async function postgresSuite() {
  const schema = `bench_auth_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', schema);
  const { url, child } = await startPlatform({
    cli,
    env: { DATABASE_URL: u.toString(), OPENISSUING_POOL_SIZE: String(PLATFORM_POOL_SIZE) },
  });
  const db = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await db.connect();
  try {
    const { holder, cards } = await setUpProgram(url);
    const busy = await makeCards(url, holder, busyCount);
    const sample = await call(url, 'POST', '/test_helpers/authorizations', {
      card: cards[0]?.id,
      amount: 1_234,
      merchant_data: MERCHANTS[3],
    });
    const event = (await call(url, 'GET', '/events?limit=10')).data.find(
      // The authorization.created event (its JSON carries the authorization), not the newer, much
      // smaller balance.updated: pgbench's event row must be the platform's size.
      (e: { type: string }) => e.type === 'authorization.created',
    );
    const entry = (await call(url, 'GET', '/ledger_entries?limit=1')).data[0];
    if (historyRows > 0) {
      const h = await seedHistory(db, { cards, busy, total: historyRows, busyToday, sample });
      console.log(
        `postgres: seeded ${h.rows.toLocaleString('en')} authorizations in ${h.seconds.toFixed(1)} s (${busyCount} busy cards with ${busyToday} today each)`,
      );
    }
    await preparePgbench(db, cards, { authorization: sample, event, ledger_entry: entry });
    await warmUp('postgres', url, holder);
    for (let round = 1; round <= rounds; round++) {
      console.log(`postgres round ${round}/${rounds} (${workload} workload, ${seconds} s per run)`);
      let approvePct = 75;
      for (const c of levels) {
        const r = await measure(`pg.c${c}`, `platform closed loop c${c}`, url, cards, c);
        if (c === levels[0] && r.latencies.length) approvePct = (100 * r.approved) / r.latencies.length;
      }
      for (const c of levels.slice(0, 2)) {
        const p = await runPgbench(databaseUrl, schema, {
          clients: c,
          seconds,
          approvePercent: approvePct,
          cards: cards.length,
        });
        note(`pgbench.c${c}.tps`, p.tps);
        console.log(
          `  ${`pgbench same work c${c}`.padEnd(28)} ${p.tps.toFixed(0).padStart(6)}/s  avg ${p.latencyMs.toFixed(1)} ms  (${approvePct.toFixed(0)} % approve script)`,
        );
        const platform = figures.get(`pg.c${c}.tps`)?.at(-1);
        if (platform) note(`ratio.pgbench.c${c}`, platform / p.tps);
      }
      const c8 = figures.get(`pg.c${levels[0]}.tps`)?.at(-1) ?? Number.NaN;
      for (const c of levels.slice(1))
        note(`ratio.c${c}/c${levels[0]}`, (figures.get(`pg.c${c}.tps`)?.at(-1) ?? Number.NaN) / c8);
      if (workload === 'approve' && busyCount > 0 && historyRows > 0) {
        const fresh = await makeCards(url, holder, busyCount);
        // Alternating order, so neither side always runs right after pgbench.
        const runBusy = () =>
          measure(
            'pg.busy',
            `busy cards (${busyToday}+ today) c${levels[0]}`,
            url,
            busy,
            levels[0] as number,
          );
        const runFresh = () =>
          measure('pg.fresh', `fresh cards c${levels[0]}`, url, fresh, levels[0] as number);
        const [b, f] = round % 2 ? [await runBusy(), await runFresh()] : [undefined, await runFresh()];
        const busyRun = b ?? (await runBusy());
        note(
          'ratio.busy/fresh',
          busyRun.latencies.length / busyRun.seconds / (f.latencies.length / f.seconds),
        );
      }
      for (const rate of rates) {
        await measure(
          `pg.rate${rate}`,
          `platform open loop ${rate}/s`,
          url,
          cards,
          OPEN_LOOP_IN_FLIGHT,
          rate,
        );
        // The machine's own open-loop floor: the same database work at the same offered rate.
        const p = await runPgbench(databaseUrl, schema, {
          clients: PLATFORM_POOL_SIZE,
          seconds,
          approvePercent: approvePct,
          cards: cards.length,
          rate,
        });
        const lat = p.latencies ?? [];
        note(`pgbench.rate${rate}.p99`, quantile(lat, 0.99));
        console.log(
          `  ${`pgbench same work ${rate}/s`.padEnd(28)} ${p.tps.toFixed(0).padStart(6)}/s  p50 ${quantile(lat, 0.5).toFixed(1)} ms  p99 ${quantile(lat, 0.99).toFixed(1)} ms  (open loop, ${PLATFORM_POOL_SIZE} connections)`,
        );
      }
    }
    // Zero overspend and an exact balance: the platform's own rows only (pgbench ignores limits).
    const over = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT card_id FROM authorizations WHERE approved AND id NOT LIKE 'iauth_pgb%' AND id NOT LIKE 'iauth_hist%' AND id NOT LIKE 'iauth_today%'
         AND created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') GROUP BY card_id HAVING sum(amount) > $1) x`,
      [DAILY_LIMIT],
    );
    const money = await db.query(
      `SELECT (SELECT available FROM balances WHERE currency = 'usd') AS available, (SELECT sum(amount) FROM ledger_entries WHERE currency = 'usd') AS ledger,
              (SELECT min(available) FROM balance_slots) AS min_slot`,
    );
    const m = money.rows[0] as { available: string; ledger: string; min_slot: string };
    const ok = over.rows[0].n === 0 && m.available === m.ledger && Number(m.min_slot) >= 0;
    console.log(
      `postgres: overspent cards ${over.rows[0].n}; available ${m.available} = ledger sum ${m.ledger}: ${m.available === m.ledger}; lowest slot ${m.min_slot}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await db.end();
    await stopPlatform(child);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

async function pgliteSuite() {
  const { url, child } = await startPlatform({ cli, serveArgs: ['--memory'] });
  try {
    const { holder, cards } = await setUpProgram(url);
    await warmUp('pglite', url, holder);
    for (let round = 1; round <= rounds; round++) {
      console.log(
        `pglite round ${round}/${rounds} (${workload} workload, ${seconds} s per run, no seeded history)`,
      );
      for (const c of levels) await measure(`pglite.c${c}`, `platform closed loop c${c}`, url, cards, c);
    }
  } finally {
    await stopPlatform(child);
  }
}

function line(label: string, key: string, unit = '', digits = 0) {
  const s = stats(key);
  if (!s) return;
  const f = (v: number) => v.toFixed(digits);
  console.log(
    `  ${label.padEnd(44)} ${f(s.min).padStart(8)} / ${f(s.median).padStart(8)} / ${f(s.max).padStart(8)} ${unit}  (${s.n} runs)`,
  );
}

function goal(label: string, key: string, ok: (median: number) => boolean) {
  const s = stats(key);
  if (!s) return;
  console.log(
    `  ${ok(s.median) ? 'MET    ' : 'NOT MET'} ${label} (median ${s.median.toFixed(2)}, min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`,
  );
}

if (!existsSync(cli)) {
  console.error('Build the platform first: npm run build -w @openissuing/platform');
  process.exit(1);
}
const started = performance.now();
if (values.db === 'all' || values.db === 'postgres') await postgresSuite();
if (values.db === 'all' || values.db === 'pglite') await pgliteSuite();

const c0 = levels[0];
console.log(
  `\nbench/authorizations — ${workload} workload; min / median / max over rounds (a shared, noisy 2-core machine)`,
);
for (const c of levels) {
  line(`postgres c${c} authorizations/s`, `pg.c${c}.tps`, '/s');
  line(`postgres c${c} p99`, `pg.c${c}.p99`, 'ms', 1);
}
line(`postgres c${c0} approved`, `pg.c${c0}.approved`, '%');
for (const c of levels.slice(0, 2)) line(`pgbench (same work) c${c} TPS`, `pgbench.c${c}.tps`, '/s');
for (const c of levels.slice(0, 2)) line(`ratio platform / pgbench at c${c}`, `ratio.pgbench.c${c}`, '×', 2);
for (const c of levels.slice(1)) line(`ratio c${c} / c${c0}`, `ratio.c${c}/c${c0}`, '×', 2);
line(`busy cards c${c0} authorizations/s`, `pg.busy.tps`, '/s');
line(`fresh cards c${c0} authorizations/s`, `pg.fresh.tps`, '/s');
line('ratio busy / fresh card', 'ratio.busy/fresh', '×', 2);
for (const rate of rates) {
  line(`open loop ${rate}/s: served`, `pg.rate${rate}.served`, '%', 1);
  line(`open loop ${rate}/s: p99`, `pg.rate${rate}.p99`, 'ms', 1);
  line(`pgbench (same work) open loop ${rate}/s: p99`, `pgbench.rate${rate}.p99`, 'ms', 1);
}
for (const c of levels) {
  line(`pglite c${c} authorizations/s`, `pglite.c${c}.tps`, '/s');
  line(`pglite c${c} p99`, `pglite.c${c}.p99`, 'ms', 1);
}
// Issue #12: embedded mode's p99 at the highest concurrency (64 by default) next to PostgreSQL's.
const cTop = Math.max(...levels);
line(`p99 at c${cTop}: postgres`, `pg.c${cTop}.p99`, 'ms', 1);
line(`p99 at c${cTop}: embedded (pglite)`, `pglite.c${cTop}.p99`, 'ms', 1);
if (stats(`pglite.c${cTop}.p99`)) console.log('goals (issue #12):');
goal(`embedded (pglite) p99 at c${cTop} < 2000 ms`, `pglite.c${cTop}.p99`, (m) => m < 2000);
console.log('goals (issue #15):');
goal(
  `${workload === 'approve' ? 'approval-heavy' : 'decline workload (the goal names approval-heavy)'} ≥ 0.6× pgbench at c${c0}`,
  `ratio.pgbench.c${c0}`,
  (m) => m >= 0.6,
);
goal('busy card ≥ 0.95× fresh card', 'ratio.busy/fresh', (m) => m >= 0.95);
for (const rate of rates) {
  goal(
    `open loop ${rate}/s all served with p99 < 25 ms`,
    `pg.rate${rate}.p99`,
    (m) => m < 25 && (stats(`pg.rate${rate}.served`)?.min ?? 0) >= 99.9,
  );
  const floor = stats(`pgbench.rate${rate}.p99`);
  if (floor)
    console.log(
      `          this machine's floor: pgbench doing the same work at ${rate}/s had p99 ${floor.min.toFixed(1)} / ${floor.median.toFixed(1)} / ${floor.max.toFixed(1)} ms`,
    );
}
for (const c of levels.slice(1)) goal(`c${c} throughput ≥ c${c0}`, `ratio.c${c}/c${c0}`, (m) => m >= 1);
const load = (await import('node:os')).loadavg();
console.log(
  `load average at the end: ${load.map((x) => x.toFixed(1)).join(' ')}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
);
