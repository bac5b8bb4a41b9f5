/**
 * Spend-report latency at 1,000,000 transactions on PostgreSQL: starts the platform as its own
 * process on a throwaway schema, seeds N transactions over a year straight into the database
 * (12 departments, 15 categories, 500 merchants, 2,000 cards, usd and eur), times the rollup job's
 * catch-up, then times `GET /reports/spend` over HTTP for every grouping × interval — rolled up, over
 * a range inside months and days, with the last days not rolled up yet, and straight from the
 * transactions — plus the database part alone from day against week/month rollups (interleaved), and
 * prints which reports meet "well under a second" (median < --target ms). Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/spend-report/run.ts [--transactions 1000000] [--runs 7] [--target 200]
 *     [--states rolled,edges,sources,unrolled,raw] [--only 'week|month'] [--keep] [--limit 1000]
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'packages/platform/dist/cli.js');
const { values } = parseArgs({
  options: {
    transactions: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '7' },
    target: { type: 'string', default: '200' },
    states: { type: 'string', default: 'rolled,edges,sources,unrolled,raw' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string', default: '' },
    limit: { type: 'string', default: '' },
    baseline: { type: 'string', default: '' },
  },
});
const total = Number(values.transactions);
const runs = Number(values.runs);
const target = Number(values.target);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// --keep: one schema kept between runs (seeded once) to time the reports again without reseeding.
const schema = values.keep ? `bench_spend_kept_${total}` : `bench_spend_${process.pid}`;
const states = new Set(values.states.split(','));
const apiKey = 'sk_test_bench_spend_report';

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const intervals = ['day', 'week', 'month'] as const;

/**
 * The requirement is "well under a second": a report meets it when its median is under `--target`
 * (200 ms by default, a fifth of a second). Prints which reports meet it in each state.
 */
function report(verdicts: { state: string; name: string; median: number }[]) {
  console.log(`\nwell under a second (median < ${target} ms), load average ${load()}:`);
  for (const state of [...new Set(verdicts.map((v) => v.state))]) {
    const these = verdicts.filter((v) => v.state === state);
    const slow = these.filter((v) => v.median >= target);
    const worst = these.reduce((a, b) => (b.median > a.median ? b : a));
    console.log(
      `  ${state}: ${these.length - slow.length}/${these.length} met; slowest ${worst.name} ${ms(worst.median)}` +
        (slow.length ? `; not met: ${slow.map((v) => `${v.name} ${ms(v.median)}`).join(', ')}` : ''),
    );
  }
}

/**
 * CPU time (ms) each process has used so far, from Linux's /proc (10 ms clock ticks); a process that
 * is gone or a system without /proc reads 0. The machine is shared: CPU time, unlike latency, hardly
 * grows with the load, so it tells what a report would take on a quiet machine.
 */
function cpuTimes(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      out.set(pid, 0);
    }
  }
  return out;
}

async function startPlatform(cliPath = cli): Promise<{ url: string; child: ChildProcess }> {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--rate-limit', '1000000'], {
    env: { ...process.env, DATABASE_URL: url.toString(), OPENISSUING_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
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
  return { url: base, child };
}

const CATEGORIES = [
  ['advertising', '7311'],
  ['cloud_computing', '7374'],
  ['software', '5734'],
  ['travel', '4722'],
  ['airlines', '4511'],
  ['lodging', '7011'],
  ['restaurants', '5812'],
  ['fuel', '5541'],
  ['groceries', '5411'],
  ['office_supplies', '5111'],
  ['telecommunications', '4814'],
  ['shipping', '4215'],
  ['professional_services', '8111'],
  ['utilities', '4900'],
  ['other', '5999'],
];

async function seed(db: pg.Client) {
  const cats = `ARRAY[${CATEGORIES.map(([c]) => `'${c}'`).join(',')}]`;
  const mccs = `ARRAY[${CATEGORIES.map(([, m]) => `'${m}'`).join(',')}]`;
  // One year back from now; every 20th transaction a refund; 10 % of cards in eur.
  await db.query(`
    INSERT INTO transactions (id, type, card_id, cardholder_id, authorization_id, created_at, data)
    SELECT 'itxn_b' || g, t.type, 'ic_b' || (g % 2000), 'ich_b' || (g % 700), 'iauth_b' || g, t.at,
      jsonb_build_object(
        'id', 'itxn_b' || g, 'object', 'transaction', 'type', t.type,
        'amount', 100 + (g * 7919) % 50000, 'currency', CASE WHEN g % 2000 < 200 THEN 'eur' ELSE 'usd' END,
        'merchant_amount', 100 + (g * 7919) % 50000, 'merchant_currency', 'usd', 'exchange_rate', 1,
        'merchant_data', jsonb_build_object('name', 'Merchant ' || (g % 500), 'network_id', '1' || lpad((g % 500)::text, 14, '0'),
          'mcc', (${mccs})[1 + g % ${CATEGORIES.length}], 'category', (${cats})[1 + g % ${CATEGORIES.length}], 'city', null, 'country', 'US'),
        'authorization', 'iauth_b' || g, 'card', 'ic_b' || (g % 2000), 'cardholder', 'ich_b' || (g % 700),
        'dimensions', jsonb_build_object('department', 'dept' || (g % 12), 'project', 'p' || (g % 40)),
        'created_at', to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
    FROM generate_series(1::bigint, ${total}::bigint) g,
      LATERAL (SELECT CASE WHEN g % 20 = 0 THEN 'refund' ELSE 'capture' END AS type,
                      date_trunc('second', now() - ((g * 31.536) % 31536000) * interval '1 second') AS at) t`);
  await db.query('ANALYZE transactions');
}

/**
 * The database part alone, robust to the machine's load: the same aggregation (one row per period,
 * group and currency over the range) read from the daily rollups — what a weekly or monthly report read
 * before migration 0011 — and from the week/month rollups, runs interleaved, as the ratio of medians.
 * `count(*)` over the grouped rows keeps the rows themselves off the wire.
 */
async function compareSources(db: pg.Client, from: string, to: string) {
  const kinds = ['dim:department', 'category', 'merchant', 'card', 'cardholder', 'none'];
  const [f, t] = [from.slice(0, 10), to.slice(0, 10)];
  const fromDays = (kind: string, grain: string) =>
    `SELECT count(*) FROM (SELECT date_trunc('${grain}', day::timestamp), grp, currency, sum(amount), sum(capture_count)
       FROM spend_rollups WHERE kind = '${kind}' AND day >= '${f}' AND day < '${t}' GROUP BY 1, 2, 3) x`;
  const fromPeriods = (kind: string, grain: string) =>
    `SELECT count(*) FROM (SELECT period_start, grp, currency, sum(amount), sum(capture_count)
       FROM spend_period_rollups WHERE grain = '${grain}' AND kind = '${kind}' AND period_start >= '${f}' AND period_start < '${t}' GROUP BY 1, 2, 3) x`;
  const timed = async (q: string) => {
    const t0 = performance.now();
    await db.query(q);
    return performance.now() - t0;
  };
  await db.query('SET jit = off');
  console.log(
    `\ndatabase only, day rollups (before 0011) against week/month rollups, ${runs} interleaved runs (load average ${load()}):`,
  );
  console.log(
    '| aggregation | day rollups min / median / max | period rollups min / median / max | ratio of medians |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const grain of ['month', 'week']) {
    for (const kind of kinds) {
      const a: number[] = [];
      const b: number[] = [];
      await timed(fromDays(kind, grain));
      await timed(fromPeriods(kind, grain));
      for (let i = 0; i < runs; i++) {
        a.push(await timed(fromDays(kind, grain)));
        b.push(await timed(fromPeriods(kind, grain)));
      }
      const [sa, sb] = [stats(a), stats(b)];
      console.log(
        `| ${kind} × ${grain} | ${ms(sa.min)} / ${ms(sa.median)} / ${ms(sa.max)} | ${ms(sb.min)} / ${ms(sb.median)} / ${ms(sb.max)} | ${(sa.median / sb.median).toFixed(1)}× |`,
      );
    }
  }
  await db.query('RESET jit');
}

async function main() {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  if (!values.keep) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const { url, child } = await startPlatform();
  // --baseline <cli.js>: a second platform build (e.g. main's) on the same schema, timed alternately
  // with this one, report by report (paired A/B), and its answers compared byte for byte.
  const base = values.baseline ? await startPlatform(values.baseline) : null;
  try {
    const db = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await db.connect();
    let t0 = performance.now();
    console.log(`load average ${load()}`);
    const { rows: existing } = await db.query('SELECT count(*)::int AS n FROM transactions');
    if (existing[0].n === 0) {
      await seed(db);
      console.log(`seeded ${total.toLocaleString('en')} transactions in ${ms(performance.now() - t0)}`);
    } else console.log(`kept schema ${schema}: ${existing[0].n.toLocaleString('en')} transactions`);
    t0 = performance.now();
    for (;;) {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM transactions WHERE NOT rolled_up');
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // What autovacuum would do after a million rows changed: fresh planner statistics (without them
    // the planner believes every transaction is still unrolled), and the dead entries of the partial
    // index of unrolled transactions cleared (each rolled-up transaction left one; a report's unrolled
    // part reads them all until a vacuum: 200 ms for 126 live rows among a million dead ones).
    await db.query('VACUUM (ANALYZE) transactions, spend_rollups, spend_period_rollups');
    const { rows: rollupRows } = await db.query(
      'SELECT (SELECT count(*)::int FROM spend_rollups) AS days, (SELECT count(*)::int FROM spend_period_rollups) AS periods',
    );
    console.log(
      `rollup job caught up in ${ms(performance.now() - t0)} (${rollupRows[0].days.toLocaleString('en')} day and ${rollupRows[0].periods.toLocaleString('en')} week/month rollup rows; the platform's own job, 5,000 per batch)`,
    );
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const groupings: [string, string][] = [
      ['department', 'group_by=dimension&dimension=department'],
      ['category', 'group_by=category'],
      ['merchant', 'group_by=merchant'],
      ['card', 'group_by=card'],
      ['cardholder', 'group_by=cardholder'],
      ['total', 'group_by=none'],
    ];
    // --only 'month|week': the reports whose name matches (e.g. to leave out the 100 MB daily ones).
    const only = new RegExp(values.only);
    const every: [string, string][] = groupings
      .flatMap(([g, q]) => intervals.map((i): [string, string] => [`${g} × ${i}`, `${q}&interval=${i}`]))
      .filter(([name]) => only.test(name));
    // The raw-transactions comparison is slow (seconds a report), so it times the month reports only.
    const monthly = every.filter(([name]) => name.endsWith('× month'));
    // The platform process and the database's client backends (both builds' pools; the idle one's
    // rollup job has nothing to do): their CPU time per report, alongside its latency.
    const backends = async () =>
      (
        await db.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        )
      ).rows.map((r: { pid: number }) => r.pid);
    const time = async (q: string, at = url, platformPid = child.pid) => {
      const before = cpuTimes([...(platformPid ? [platformPid] : []), ...(await backends())]);
      const t = performance.now();
      const range = q.includes('created_gte') ? '' : `&created_gte=${from}&created_lt=${to}`;
      // --limit N: the groups each report keeps (the API's default, 10, without it; pass it to compare with a baseline build of another default).
      const limit = values.limit ? `&limit=${values.limit}` : '';
      const res = await fetch(`${at}/reports/spend?${q}${range}${limit}`, {
        headers: { Authorization: `Bearer ${apiKey}` },
      });
      const text = await res.text();
      const elapsed = performance.now() - t;
      const after = cpuTimes([...new Set([...before.keys(), ...(await backends())])]);
      let cpu = 0;
      for (const [pid, ms] of after) cpu += ms - (before.get(pid) ?? 0);
      if (res.status !== 200) throw new Error(`${res.status} ${text}`);
      const body = JSON.parse(text) as { rows: unknown[]; totals: unknown[] };
      return {
        ms: elapsed,
        cpu,
        rows: body.rows.length,
        bytes: text.length,
        totals: JSON.stringify(body.totals),
        text,
      };
    };
    const verdicts: { state: string; name: string; median: number }[] = [];
    // The same report must total the same in every state over the same range (rolled up, partly, raw).
    const totals = new Map<string, string>();
    const mismatches: string[] = [];
    // The ceiling: a plain sum over the same rollup rows an unlimited report of the grouping and
    // interval aggregates (every group's day rows for days, week/month rows otherwise), straight
    // from PostgreSQL: what reading them costs at the least, without grouping, HTTP or JSON.
    const kinds: Record<string, string> = {
      department: 'dim:department',
      category: 'category',
      merchant: 'merchant',
      card: 'card',
      cardholder: 'cardholder',
      total: 'none',
    };
    const ceiling = async (name: string) => {
      const [grouping, interval] = name.split(' × ') as [string, string];
      const [f, t] = [from.slice(0, 10), to.slice(0, 10)];
      const q =
        interval === 'day'
          ? `SELECT sum(amount), sum(capture_count), sum(refund_count) FROM spend_rollups WHERE kind = $1 AND day >= $2 AND day < $3`
          : `SELECT sum(amount), sum(capture_count), sum(refund_count) FROM spend_period_rollups WHERE grain = '${interval}' AND kind = $1 AND period_start >= $2 AND period_start < $3`;
      const t0 = performance.now();
      await db.query(q, [kinds[grouping], f, t]);
      return performance.now() - t0;
    };
    const cell = (xs: number[]) => {
      const s = stats(xs);
      return `${ms(s.min)} / ${ms(s.median)} / ${ms(s.max)}`;
    };
    const ratio = (xs: number[]) => {
      const s = stats(xs);
      return `${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)}×`;
    };
    const differ: string[] = [];
    const measure = async (label: string, queries: [string, string][]) => {
      console.log(`\n${label} (${runs} runs each, HTTP round trip included; load average ${load()}):`);
      console.log(
        base
          ? '| report | rows | body | this build min / median / max | baseline min / median / max | this / baseline (pairs) | CPU ms this / baseline (median) | ceiling min / median / max | this / ceiling |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
          : '| report | rows | body | min / median / max | CPU ms (median) | ceiling min / median / max | ratio to ceiling |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
      const whole = label === 'rolled up';
      for (const [name, q] of queries) {
        await time(q); // warm-up
        if (base) await time(q, base.url, base.child.pid);
        const out: number[] = [];
        const old: number[] = [];
        const ceil: number[] = [];
        const cpu: number[] = [];
        const oldCpu: number[] = [];
        let rows = 0;
        let bytes = 0;
        for (let i = 0; i < runs; i++) {
          const r = await time(q);
          out.push(r.ms);
          cpu.push(r.cpu);
          if (base) {
            const b = await time(q, base.url, base.child.pid);
            old.push(b.ms);
            oldCpu.push(b.cpu);
            if (b.text !== r.text) differ.push(`${label}: ${name}`);
          }
          if (whole) ceil.push(await ceiling(name));
          rows = r.rows;
          const key = `${name} ${q.includes('created_gte') ? 'edges' : 'months'}`;
          const seen = totals.get(key);
          if (seen === undefined) totals.set(key, r.totals);
          else if (seen !== r.totals) mismatches.push(`${label}: ${name}`);
          bytes = r.bytes;
        }
        const s = stats(out);
        verdicts.push({ state: label, name, median: s.median });
        const c = whole ? cell(ceil) : 'n/a';
        const toCeiling = whole ? ratio(out.map((x, i) => x / (ceil[i] as number))) : 'n/a';
        console.log(
          base
            ? `| ${name} | ${rows} | ${(bytes / 1e6).toFixed(1)} MB | ${cell(out)} | ${cell(old)} | ${ratio(out.map((x, i) => x / (old[i] as number)))} | ${stats(cpu).median} / ${stats(oldCpu).median} | ${c} | ${toCeiling} |`
            : `| ${name} | ${rows} | ${(bytes / 1e6).toFixed(1)} MB | ${cell(out)} | ${stats(cpu).median} | ${c} | ${toCeiling} |`,
        );
      }
    };
    if (states.has('rolled')) await measure('rolled up', every);
    // A year that starts and ends inside a month, a week and a day: the edge months and weeks come
    // from the daily rollups, the edge hours from the transactions.
    const midFrom = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 14, 9, 30)).toISOString();
    const midTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 14, 9, 30)).toISOString();
    if (states.has('edges'))
      await measure(
        'rolled up, a year from the 14th 09:30 UTC to the 14th 09:30 UTC',
        every.map(([name, q]) => [name, `${q}&created_gte=${midFrom}&created_lt=${midTo}`]),
      );
    if (states.has('sources')) await compareSources(db, from, to);
    // From here the bench holds the rollup job's advisory lock, so the job skips its runs and what is
    // unrolled stays unrolled while it is measured.
    await db.query('SELECT pg_advisory_lock(4242014, hashtext(current_schema()))');
    if (states.has('unrolled')) {
      // 10,000 fresh transactions not rolled up yet (the job is between runs): rollups + live part.
      await db.query(
        `UPDATE transactions SET rolled_up = false WHERE id IN (SELECT id FROM transactions ORDER BY created_at DESC LIMIT 10000)`,
      );
      // (Their rollup rows are rebuilt from scratch below; here the days they fall in are re-derived.)
      await db.query(
        `DELETE FROM spend_rollups WHERE day >= (SELECT min(created_at AT TIME ZONE 'UTC')::date FROM transactions WHERE NOT rolled_up)`,
      );
      await db.query(
        `UPDATE transactions SET rolled_up = false WHERE created_at >= (SELECT min(created_at AT TIME ZONE 'UTC')::date FROM transactions WHERE NOT rolled_up)`,
      );
      // The week and month rows re-derived from the day rows left (what the job would have written).
      await db.query(`DELETE FROM spend_period_rollups;
        INSERT INTO spend_period_rollups (grain, kind, period_start, grp, currency, label, amount, capture_count, refund_count)
        SELECT g.grain, r.kind, date_trunc(g.grain, r.day::timestamp)::date, r.grp, r.currency, max(r.label),
          sum(r.amount), sum(r.capture_count), sum(r.refund_count)
        FROM spend_rollups r, (VALUES ('week'), ('month')) AS g (grain) GROUP BY 1, 2, 3, 4, 5`);
      await db.query('VACUUM (ANALYZE) transactions, spend_rollups, spend_period_rollups');
      await measure('rolled up except the newest ~10,000 (the last days, read from the transactions)', every);
    }
    if (states.has('raw')) {
      // Without rollups at all: what the same report costs straight from the transactions.
      await db.query('UPDATE transactions SET rolled_up = false');
      await db.query('DELETE FROM spend_rollups; DELETE FROM spend_period_rollups');
      await db.query('ANALYZE transactions; ANALYZE spend_rollups; ANALYZE spend_period_rollups');
      await measure('no rollups (every transaction read raw)', monthly);
    }
    await db.query('SELECT pg_advisory_unlock(4242014, hashtext(current_schema()))');
    await db.end();
    report(verdicts);
    if (base)
      console.log(
        differ.length
          ? `answers DIFFER from the baseline build's: ${[...new Set(differ)].join(', ')}`
          : "answers byte for byte equal to the baseline build's in every report and run",
      );
    console.log(
      mismatches.length
        ? `totals DIFFER between states: ${[...new Set(mismatches)].join(', ')}`
        : `totals equal in every state and run (${totals.size} reports)`,
    );
  } finally {
    for (const c of [child, base?.child]) {
      if (!c) continue;
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
    if (!values.keep) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

await main();
