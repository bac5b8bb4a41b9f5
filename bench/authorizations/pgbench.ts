/**
 * The ceiling: pgbench running the SAME database work as one authorization, against the same
 * tables, rows and PostgreSQL, in the same run. Two scripts with the platform's statements and
 * round trips (BEGIN + card row lock + usage read pipelined; then one statement writing the
 * authorization, its event and outbox rows, and — when approved — the usage counters, the balance
 * slot, the ledger entry and balance.updated; then COMMIT, pipelined with it), weighted to the
 * approve/decline mix the platform showed. Prepared statements (`-M prepared`), one pgbench thread.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const today = `(now() AT TIME ZONE 'UTC')::date`;

const head = `\\set n random(0, :ncards - 1)
\\set amount random(100, 5000)
\\set slot random(0, :nslots - 1)
\\set shard random(0, 7)
\\startpipeline
BEGIN;
SELECT c.data AS card, h.data AS holder, b.available FROM cards c JOIN cardholders h ON h.id = c.cardholder_id CROSS JOIN LATERAL (SELECT sum(available) AS available FROM balance_slots WHERE currency = c.data->>'currency') b WHERE c.id = (SELECT id FROM bench_cards WHERE n = :n) FOR UPDATE OF c;
SELECT coalesce(sum(spent) FILTER (WHERE period = 'day' AND period_start >= ${today}), 0)::bigint AS l1 FROM usage_counters WHERE scope_kind = 'card' AND scope_id = (SELECT id FROM bench_cards WHERE n = :n) AND currency = 'usd' AND (period = 'day' AND period_start >= ${today});
\\endpipeline
\\startpipeline
`;

/** A new id: time first, then random, so ids sort by creation like the platform's (lib/ids.ts). */
const newId = (prefix: string) =>
  `'${prefix}_' || lpad((extract(epoch from clock_timestamp()) * 1000000)::bigint::text, 17, '0') || substr(md5(random()::text), 1, 10)`;

const outbox = (e: string) =>
  `${e}o AS (INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at) SELECT ${newId('whd_pgb')}, w.id, e.id, 'pending', e.created_at, e.created_at FROM ${e} e JOIN webhook_endpoints w ON w.status = 'enabled' AND (w.data->'enabled_events' ? e.type OR w.data->'enabled_events' ? '*'))`;

/** An event's envelope built in SQL around its object, as services/events.ts builds it. */
const envelope = (type: string, object: string) =>
  `jsonb_build_object('id', ${newId('evt_pgb')}, 'object', 'event', 'type', '${type}'::text, 'created_at', now()::text, 'api_version', '2026-11-01'::text, 'data', jsonb_build_object('object', ${object}))`;

/** balance.updated's object: every currency's balance from the slots as the statement sees them (services/ledger.ts). */
const balanceObject = `(SELECT jsonb_build_object('object', 'balance', 'available', jsonb_agg(jsonb_build_object('amount', x.available, 'currency', x.currency) ORDER BY x.currency), 'pending', jsonb_agg(jsonb_build_object('amount', x.pending, 'currency', x.currency) ORDER BY x.currency)) FROM ball x)`;

/** authorization.created's row of the events INSERT: the authorization's own jsonb, from `a`. */
const createdRow = `SELECT ${newId('evt_pgb')}, 'authorization.created'::text, now(), ${envelope('authorization.created', 'a.data')}, (a.data->>'id')::text, a.data->'dimensions' FROM a`;

/** balance.updated's row: from `t`, the balance after the hold (services/ledger.ts). */
const balanceRow = `SELECT ${newId('evt_pgb')}, 'balance.updated'::text, now(), ${envelope('balance.updated', balanceObject)}, NULL::text, NULL::jsonb FROM t`;

/** The final statement's ONE events INSERT (its rows joined by UNION ALL), as services/events.ts writes it. */
const events = (rows: string[]) =>
  `ev AS (INSERT INTO events (id, type, created_at, data, object_id, dimensions) ${rows.join(' UNION ALL ')} RETURNING id, type, created_at)`;

const authInsert = (approved: boolean) =>
  `a AS (INSERT INTO authorizations (id, card_id, cardholder_id, status, approved, currency, amount, mcc, spend_amount, balance_slot, created_at, data) SELECT ${newId('iauth_pgb')}, k.id, k.cardholder, '${approved ? 'pending' : 'closed'}', ${approved}, 'usd', :amount::bigint, '5734', ${approved ? ':amount::bigint' : '0'}, :slot::smallint, now(), (SELECT data FROM bench_sample WHERE k = 'authorization') FROM k RETURNING data)`;

export const APPROVE_SCRIPT = `${head}WITH k AS (SELECT id, cardholder FROM bench_cards WHERE n = :n),
${authInsert(true)},
uc AS (INSERT INTO usage_counters (scope_kind, scope_id, currency, period, period_start, category, shard, spent)
  SELECT s.kind, s.id, 'usd', p.period, p.start, 'software', s.shard, :amount::bigint FROM k
  CROSS JOIN LATERAL (VALUES ('card', k.id, 0), ('cardholder', k.cardholder, :shard::int)) AS s(kind, id, shard)
  CROSS JOIN (VALUES ('day', ${today}), ('month', date_trunc('month', ${today})::date), ('all', DATE '1970-01-01')) AS p(period, start)
  ON CONFLICT (scope_kind, scope_id, currency, period, period_start, category, shard) DO UPDATE SET spent = usage_counters.spent + EXCLUDED.spent),
b AS (UPDATE balance_slots SET available = available - :amount::bigint, pending = pending + :amount::bigint WHERE currency = 'usd' AND slot = :slot::smallint RETURNING currency, slot, available, pending),
ball AS (SELECT o.currency, sum(coalesce(b.available, o.available))::bigint AS available, sum(coalesce(b.pending, o.pending))::bigint AS pending FROM balance_slots o LEFT JOIN b ON b.currency = o.currency AND b.slot = o.slot GROUP BY o.currency),
t AS (SELECT available, pending FROM ball WHERE currency = 'usd' AND EXISTS (SELECT 1 FROM b)),
l AS (INSERT INTO ledger_entries (id, currency, type, amount, created_at, data) SELECT ${newId('le_pgb')}, 'usd', 'hold', 0 - :amount::bigint, now(), (SELECT data FROM bench_sample WHERE k = 'ledger_entry') || jsonb_build_object('balance_after', t.available) FROM t),
${events([createdRow, balanceRow])},
${outbox('ev')}
SELECT 1;
COMMIT;
\\endpipeline
`;

export const DECLINE_SCRIPT = `${head}WITH k AS (SELECT id, cardholder FROM bench_cards WHERE n = :n),
${authInsert(false)},
${events([createdRow])},
${outbox('ev')}
SELECT 1;
COMMIT;
\\endpipeline
`;

/** Creates the lookup tables the scripts use (card n → id; sample JSON of realistic size). */
export async function preparePgbench(
  c: pg.Client,
  cards: ReadonlyArray<{ id: string; cardholder: string }>,
  samples: { authorization: unknown; event: unknown; ledger_entry: unknown },
): Promise<void> {
  await c.query(`DROP TABLE IF EXISTS bench_cards, bench_sample;
    CREATE TABLE bench_cards (n int PRIMARY KEY, id text NOT NULL, cardholder text NOT NULL);
    CREATE TABLE bench_sample (k text PRIMARY KEY, data jsonb NOT NULL)`);
  await c.query(
    'INSERT INTO bench_cards SELECT (i - 1)::int, id, holder FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(id, holder, i)',
    [cards.map((x) => x.id), cards.map((x) => x.cardholder)],
  );
  for (const [k, v] of Object.entries(samples)) {
    await c.query('INSERT INTO bench_sample VALUES ($1, $2::jsonb)', [k, JSON.stringify(v)]);
  }
}

/** How many balance slots the platform's migrations gave the usd balance: the scripts draw one as an approval does. */
async function balanceSlotCount(databaseUrl: string, schema: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM balance_slots WHERE currency = 'usd'",
    );
    const n = r.rows[0]?.n ?? 0;
    if (n === 0)
      throw new Error('pgbench: the usd balance has no slots; fund the program (POST /topups) first');
    return n;
  } finally {
    await c.end();
  }
}

/** What one pgbench run measured. */
export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  /**
   * Open loop only (`rate`): every transaction's latency in ms, sorted, from its SCHEDULED start
   * (pgbench's own per-transaction log, `-l`: the schedule lag is included, as the platform's open
   * loop counts queueing behind a stall).
   */
  latencies?: number[];
}

/**
 * Runs pgbench for `seconds` with `clients` connections; returns its TPS (without connection time).
 * With `rate`, an open loop: pgbench schedules `rate` transactions per second (`-R`) and the result
 * carries every transaction's latency. pgbench's schedule is burstier than the platform loader's
 * (Poisson arrivals, not fixed due times) and split over its connections (a transaction due on a
 * busy connection waits for it even when another is idle), so as a floor it is, if anything,
 * pessimistic.
 */
export async function runPgbench(
  databaseUrl: string,
  schema: string,
  opts: { clients: number; seconds: number; approvePercent: number; cards: number; rate?: number },
): Promise<PgbenchResult> {
  const slots = await balanceSlotCount(databaseUrl, schema);
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const approve = join(dir, 'approve.sql');
  const decline = join(dir, 'decline.sql');
  writeFileSync(approve, APPROVE_SCRIPT);
  writeFileSync(decline, DECLINE_SCRIPT);
  const a = Math.max(0, Math.min(100, Math.round(opts.approvePercent)));
  const scripts = [
    ...(a > 0 ? ['-f', `${approve}@${a}`] : []),
    ...(a < 100 ? ['-f', `${decline}@${100 - a}`] : []),
  ];
  const u = new URL(databaseUrl);
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(opts.clients),
    '-j',
    '1',
    '-T',
    String(opts.seconds),
    ...(opts.rate ? ['-R', String(opts.rate), '-l', '--log-prefix', join(dir, 'tx')] : []),
    '-D',
    `ncards=${opts.cards}`,
    '-D',
    `nslots=${slots}`,
    ...scripts,
    '-h',
    u.hostname,
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
    u.pathname.slice(1),
  ];
  const child = spawn('pgbench', args, {
    env: { ...process.env, PGOPTIONS: `-c search_path=${schema}`, PGAPPNAME: `${schema}_pgbench` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const latencies = opts.rate ? transactionLatencies(dir) : undefined;
      rmSync(dir, { recursive: true, force: true });
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
      const lat = /latency average = ([\d.]+) ms/.exec(out);
      if (code !== 0 || !tps?.[1]) return reject(new Error(`pgbench failed (${code}): ${out.slice(-2000)}`));
      resolve({ tps: Number(tps[1]), latencyMs: Number(lat?.[1] ?? Number.NaN), latencies });
    });
  });
}

/** pgbench opens its connections after its schedule has started: transactions due in this first part of a run are not counted. */
const OPEN_LOOP_WARMUP_MS = 1000;

/**
 * Every transaction's latency (ms, sorted) from pgbench's per-transaction logs in `dir` (`tx.*`,
 * rows `client transaction latency_us script end_s end_us lag_us`; the latency runs from the
 * scheduled start), without the transactions due in the first {@link OPEN_LOOP_WARMUP_MS}: pgbench
 * starts its schedule before it has connected, so those carry its connection set-up.
 */
function transactionLatencies(dir: string): number[] {
  const rows: Array<{ due: number; latency: number }> = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith('tx'))) {
    for (const row of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const [, , latencyUs, , endS, endUs] = row.split(' ').map(Number);
      if (latencyUs === undefined || endS === undefined || endUs === undefined || !Number.isFinite(endUs))
        continue;
      const latency = latencyUs / 1000;
      rows.push({ due: endS * 1000 + endUs / 1000 - latency, latency });
    }
  }
  const first = Math.min(...rows.map((r) => r.due));
  return rows
    .filter((r) => r.due >= first + OPEN_LOOP_WARMUP_MS)
    .map((r) => r.latency)
    .sort((a, b) => a - b);
}
