/**
 * What a budget costs per authorization: authorization throughput, latency and CPU with budgets ON
 * versus OFF in the SAME run, against one platform process on PostgreSQL (and PGlite with
 * `--db pglite`). Not a test.
 *
 * One platform, one database, two card groups driven in alternating phases (off, on, off, on, …):
 *   - OFF cards: dimensions that no budget selects (the budget lookup still runs and finds nothing);
 *   - ON cards: dimensions selected by `--budgets` budgets at once (department; department + project;
 *     project; …), each with a limit high enough that they approve, so both groups do the same work
 *     apart from the budgets: lock the budget rows, read their counters, add to them.
 * Every ON authorization counts against the same shared budgets, so their row locks serialize the ON
 * group (as the balance row already serializes every authorization of a currency).
 *
 *   npm run build -w @openissuing/platform
 *   node bench/budgets/run.ts [--db postgres|pglite] [--phase 5] [--rounds 3] [--concurrency 8] [--budgets 3]
 *                             [--cli path/to/another/build/cli.js]   (e.g. a saved build, to compare two versions)
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema is used).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: join(root, 'packages/platform/dist/cli.js') },
    db: { type: 'string', default: 'postgres' },
    phase: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
    budgets: { type: 'string', default: '3' },
    cards: { type: 'string', default: '100' },
  },
});
const cli = values.cli;
const phaseS = Number(values.phase);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const budgetCount = Number(values.budgets);
const cardCount = Number(values.cards);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const apiKey = 'sk_test_bench_budgets';
const schema = `bench_budgets_${process.pid}`;
// biome-ignore lint/suspicious/noExplicitAny: JSON from the platform.
type Json = any;

function cpuSeconds(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // the process ended
    }
  }
  return sum;
}

async function start(): Promise<{ url: string; child: ChildProcess }> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    OPENISSUING_API_KEY: apiKey,
  };
  const args = [cli, 'serve', '--port', '0', '--rate-limit', '1000000'];
  if (values.db === 'pglite') args.push('--memory');
  else {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await c.end();
    const u = new URL(databaseUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    u.searchParams.set('application_name', schema);
    env.DATABASE_URL = u.toString();
  }
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`platform exited (${code}): ${out}`)));
  });
  return { url, child };
}

async function main() {
  const { url, child } = await start();
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(url + path, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    for (let i = 0; i < 5; i++) await call('POST', '/topups', { amount: 1_000_000_000, currency: 'usd' });
    const selectors = [
      { department: 'marketing' },
      { department: 'marketing', project: 'launch' },
      { project: 'launch' },
      { location: 'berlin' },
      { cost_center: 'CC-1' },
    ];
    const onDims = { department: 'marketing', project: 'launch', location: 'berlin', cost_center: 'CC-1' };
    for (let i = 0; i < budgetCount; i++) {
      await call('POST', '/budgets', {
        name: `Budget ${i}`,
        selector: selectors[i % selectors.length],
        currency: 'usd',
        limits: [
          { amount: 100_000_000_000, interval: 'monthly' },
          { amount: 100_000_000_000, interval: 'weekly', categories: ['software', 'advertising'] },
        ],
        alert_threshold_percent: null,
      });
    }
    const makeCards = async (dimensions: Record<string, string>) => {
      const holder = await call('POST', '/cardholders', {
        type: 'company',
        name: 'Bench',
        email: 'b@example.com',
      });
      const ids: string[] = [];
      for (let i = 0; i < cardCount; i++) {
        const card = await call('POST', '/cards', {
          cardholder: holder.id,
          type: 'virtual',
          currency: 'usd',
          dimensions,
          spending_controls: { spending_limits: [{ amount: 1_000_000_000, interval: 'daily' }] },
        });
        ids.push(card.id);
      }
      return ids;
    };
    const groups = {
      off: await makeCards({ department: 'engineering', project: 'infra' }),
      on: await makeCards(onDims),
    };
    const merchants = [
      { name: 'Figma', mcc: '5734', country: 'US' },
      { name: 'Google Ads', mcc: '7311', country: 'US' },
      { name: 'Cafe', mcc: '5812', country: 'DE' },
    ];
    let backends: number[] = [];
    const findBackends = async () => {
      if (values.db === 'pglite') return;
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      backends = (
        await c.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [schema])
      ).rows.map((r: { pid: number }) => r.pid);
      await c.end();
    };
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    // Row-lock waits: every 25 ms, how many of the platform's backends wait on a lock (a hot row shows
    // here whatever the machine's load; CPU contention does not).
    const sampler = values.db === 'pglite' ? null : new pg.Client({ connectionString: databaseUrl });
    await sampler?.connect();
    const lockWaits = async (until: number) => {
      let samples = 0;
      let waiting = 0;
      while (sampler && performance.now() < until) {
        const r = await sampler.query(
          "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS w FROM pg_stat_activity WHERE application_name = $1",
          [schema],
        );
        waiting += r.rows[0].w;
        samples++;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return samples ? waiting / samples : 0;
    };
    const phase = async (cards: string[], seconds: number) => {
      const latencies: number[] = [];
      let approved = 0;
      const until = performance.now() + seconds * 1000;
      const platformCpu = cpuSeconds([child.pid as number]);
      const pgCpu = cpuSeconds(backends);
      const t0 = performance.now();
      const waits = lockWaits(until);
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            const body = {
              card: cards[Math.floor(rand() * cards.length)],
              amount: 100 + Math.floor(rand() * 5_000),
              merchant_data: merchants[Math.floor(rand() * merchants.length)],
            };
            const t = performance.now();
            const auth = await call('POST', '/test_helpers/authorizations', body);
            latencies.push(performance.now() - t);
            if (auth.approved) approved++;
            else throw new Error(`unexpected decline: ${JSON.stringify(auth.decision)}`);
          }
        }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      const lockWaiting = await waits;
      latencies.sort((a, b) => a - b);
      const n = latencies.length;
      return {
        perSecond: n / elapsed,
        p50: latencies[Math.floor(n * 0.5)] ?? 0,
        p99: latencies[Math.floor(n * 0.99)] ?? 0,
        platformMs: ((cpuSeconds([child.pid as number]) - platformCpu) * 1000) / n,
        pgMs: ((cpuSeconds(backends) - pgCpu) * 1000) / n,
        approved,
        lockWaiting,
      };
    };
    await phase(groups.off, 1);
    await phase(groups.on, 1);
    await findBackends();
    const results: Record<'off' | 'on', Awaited<ReturnType<typeof phase>>[]> = { off: [], on: [] };
    console.log(
      `${values.db}, ${concurrency} in flight, ${phaseS} s phases × ${rounds} rounds, ON cards under ${budgetCount} budgets × 2 limits (shared by all ON cards)\n`,
    );
    console.log(
      '| phase | auth/s | p50 | p99 | platform CPU ms/auth | PostgreSQL CPU ms/auth | backends waiting on a lock |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['off', 'on'] as const) {
        const res = await phase(groups[mode], phaseS);
        results[mode].push(res);
        console.log(
          `| ${mode} ${r + 1} | ${res.perSecond.toFixed(0)} | ${res.p50.toFixed(1)} ms | ${res.p99.toFixed(1)} ms | ${res.platformMs.toFixed(2)} | ${values.db === 'pglite' ? '–' : res.pgMs.toFixed(2)} | ${values.db === 'pglite' ? '–' : res.lockWaiting.toFixed(2)} |`,
        );
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const summary = (mode: 'off' | 'on') => ({
      perSecond: med(results[mode].map((x) => x.perSecond)),
      p50: med(results[mode].map((x) => x.p50)),
      cpu: med(results[mode].map((x) => x.platformMs + (values.db === 'pglite' ? 0 : x.pgMs))),
      range: [
        Math.min(...results[mode].map((x) => x.perSecond)),
        Math.max(...results[mode].map((x) => x.perSecond)),
      ],
    });
    const off = summary('off');
    const on = summary('on');
    // Each round's ON against the OFF phase just before it: the ratio least disturbed by the load drifting.
    const ratios = results.on.map((x, r) => x.perSecond / (results.off[r]?.perSecond ?? Number.NaN));
    const cpuDelta = results.on.map(
      (x, r) => x.platformMs + x.pgMs - ((results.off[r]?.platformMs ?? 0) + (results.off[r]?.pgMs ?? 0)),
    );
    const mmm = (xs: number[], digits: number) =>
      `${Math.min(...xs).toFixed(digits)} / ${med(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}`;
    console.log(
      `\nper round, ON/OFF throughput min / median / max: ${mmm(ratios, 2)}; CPU ms per authorization ON − OFF (platform + PostgreSQL): ${mmm(cpuDelta, 2)}`,
    );
    if (sampler) {
      console.log(
        `backends waiting on a row lock (mean of 25 ms samples, of ${concurrency} in flight): OFF ${mmm(
          results.off.map((x) => x.lockWaiting),
          2,
        )}, ON ${mmm(
          results.on.map((x) => x.lockWaiting),
          2,
        )} (min / median / max over rounds)`,
      );
    }
    console.log(
      `rounds: ON/OFF ${ratios.map((x) => x.toFixed(2)).join(' ')}; CPU Δ ms ${cpuDelta.map((x) => x.toFixed(2)).join(' ')}`,
    );
    console.log(
      `\nmedian OFF ${off.perSecond.toFixed(0)}/s (range ${off.range.map((x) => x.toFixed(0)).join('–')}), ON ${on.perSecond.toFixed(0)}/s (range ${on.range.map((x) => x.toFixed(0)).join('–')}): ON/OFF throughput ${(on.perSecond / off.perSecond).toFixed(2)}`,
    );
    console.log(
      `per authorization, budgets cost ${(on.p50 - off.p50).toFixed(2)} ms of p50 latency and ${(on.cpu - off.cpu).toFixed(2)} ms of CPU (platform + PostgreSQL) for ${budgetCount} matching budgets`,
    );
    // Zero-overspend check: each budget's counted usage equals the sum of the ON authorizations.
    const list = await call('GET', '/budgets?limit=100');
    const spent = list.data.map((b: Json) => b.usage[0].spent + b.usage[0].held);
    const allOn = new Set(spent);
    console.log(
      `budgets' counted spend (monthly limit): ${[...allOn].join(', ')} (all equal: ${allOn.size === 1})`,
    );
    await sampler?.end();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (values.db !== 'pglite') {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

await main();
