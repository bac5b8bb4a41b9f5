/**
 * CPU per authorization — a figure load moves less than throughput (but on an oversubscribed
 * 2-vCPU machine it still rises 2–4× with load: compare builds started at the same moment): the CPU
 * time the platform process and its PostgreSQL backends spend per authorization, read from
 * /proc (utime + stime) around closed-loop runs. Same cards, controls
 * and merchant mix as run.ts's approve workload; no seeded history (that costs PostgreSQL reads,
 * not the platform's own CPU). Linux only. Not a test.
 *
 *   npm run build -w @openissuing/platform
 *   node bench/authorizations/cpu.ts [--duration 5] [--concurrency 8] [--rounds 3]
 *     [--node-args='--cpu-prof --cpu-prof-dir=/tmp/prof'] [--cli other/dist/cli.js]
 *     [--perf /tmp/platform.perf.data]   (on-CPU profile of the measured rounds only)
 *     [--alloc]   (bytes the platform allocates per authorization, and by which functions)
 *
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (a throwaway schema).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { drive, quantile } from './http-load.ts';
import { preparePgbench, runPgbench } from './pgbench.ts';
import {
  apiKey,
  authorizationBodies,
  call,
  fundAndIssueCards,
  startPlatform,
  stopPlatform,
} from './platform-process.ts';
import { exitOnHelp } from './usage.ts';
import { type WalDelta, type WalMark, walMark, walSince } from './wal.ts';

exitOnHelp(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    /** Open loop at this many authorizations/s (on up to --concurrency connections) instead of a closed loop. */
    rate: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
    cards: { type: 'string', default: '200' },
    'node-args': { type: 'string', default: '' },
    /** Run the platform under valgrind's callgrind and count its instructions per authorization. */
    callgrind: { type: 'boolean', default: false },
    /**
     * Record an on-CPU profile of the platform during the measured rounds only (not set-up or
     * warm-up) into this file: `perf record -e cpu-clock -g` with `--perf-basic-prof` JavaScript
     * symbols. Unlike `--cpu-prof` (wall-clock samples, which charge the time the process is
     * preempted after a socket write to `writev`), it samples only while the process runs.
     */
    perf: { type: 'string', default: '' },
    /** Warm-up seconds before the measured rounds (JIT, prepared statements, plan cache). */
    warmup: { type: 'string', default: '3' },
    /** Also run pgbench's same-work script each round and report its backends' CPU per transaction. */
    pgbench: { type: 'boolean', default: false },
    /**
     * Also measure, per round, the WAL this database wrote (pg_walinspect: needs
     * `CREATE EXTENSION pg_walinspect` in it) and the rows and buffers touched per authorization
     * (and per pgbench transaction with --pgbench): load-independent. Waits 11 s after each run.
     */
    wal: { type: 'boolean', default: false },
    /**
     * Also measure the bytes the platform allocates per authorization in each measured round, and
     * the functions that allocate most (V8's sampling heap profiler counting collected objects too,
     * `heap-sampling.ts`): load-independent. The profiler costs CPU: CPU figures of such a run are
     * not comparable with a run without it.
     */
    alloc: { type: 'boolean', default: false },
    /** Another build of the platform's CLI to measure (e.g. main's, to compare in the same load). */
    cli: { type: 'string', default: join(root, 'packages/platform/dist/cli.js') },
  },
});
const cli = values.cli;
const seconds = Number(values.duration);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux this runs on). */
const HZ = 100;

/** WAL and row/buffer counters of this database around `work` (--wal), printed per operation. */
async function measureWal(c: pg.Client, what: string, work: () => Promise<number>): Promise<WalDelta | null> {
  if (!values.wal) {
    await work();
    return null;
  }
  const mark = await walMark(c);
  return reportWal(c, what, mark, await work());
}

/** Prints (and returns) what this database did since `mark`, per operation of `n`. */
async function reportWal(c: pg.Client, what: string, mark: WalMark, n: number): Promise<WalDelta> {
  await new Promise((r) => setTimeout(r, 11_000)); // idle backends publish their counters
  const w = await walSince(c, mark, schema);
  const per = (x: number) => (x / n).toFixed(1);
  console.log(
    `  ${what}: WAL ${per(w.bytes)} B/op (${per(w.records)} records, FPI ${per(w.fpiBytes)} B), rows inserted ${per(w.stats.tup_inserted)} updated ${per(w.stats.tup_updated)}, buffers hit ${per(w.stats.blks_hit)} read ${per(w.stats.blks_read)}, tuples fetched ${per(w.stats.tup_fetched)}`,
  );
  console.log(
    `    WAL by relation (B/op): ${w.byRelation
      .slice(0, 24)
      .map((r) => `${r.relation} ${per(r.bytes)}`)
      .join(', ')}`,
  );
  return w;
}

/** utime + stime of a process, in ms (0 once it is gone). */
function cpuMs(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** Read and write system calls of a process so far (and their bytes), and how often it slept waiting (for I/O, a lock). */
function syscalls(pid: number): {
  reads: number;
  writes: number;
  waits: number;
  readBytes: number;
  writtenBytes: number;
} {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      reads: Number(/^syscr: (\d+)/m.exec(io)?.[1] ?? 0),
      writes: Number(/^syscw: (\d+)/m.exec(io)?.[1] ?? 0),
      waits: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      readBytes: Number(/^rchar: (\d+)/m.exec(io)?.[1] ?? 0),
      writtenBytes: Number(/^wchar: (\d+)/m.exec(io)?.[1] ?? 0),
    };
  } catch {
    return { reads: 0, writes: 0, waits: 0, readBytes: 0, writtenBytes: 0 };
  }
}

/** Per-authorization system-call counts of processes between two {@link syscalls} readings. */
function syscallDelta(
  pids: readonly number[],
  before: Map<number, ReturnType<typeof syscalls>>,
  n: number,
): ReturnType<typeof syscalls> {
  const sum = { reads: 0, writes: 0, waits: 0, readBytes: 0, writtenBytes: 0 };
  for (const pid of pids) {
    const a = syscalls(pid);
    const b = before.get(pid) ?? { reads: 0, writes: 0, waits: 0, readBytes: 0, writtenBytes: 0 };
    sum.reads += a.reads - b.reads;
    sum.writes += a.writes - b.writes;
    sum.waits += a.waits - b.waits;
    sum.readBytes += a.readBytes - b.readBytes;
    sum.writtenBytes += a.writtenBytes - b.writtenBytes;
  }
  return {
    reads: sum.reads / n,
    writes: sum.writes / n,
    waits: sum.waits / n,
    readBytes: sum.readBytes / n,
    writtenBytes: sum.writtenBytes / n,
  };
}

/** User and system (kernel) CPU time of a process, in ms (0 once it is gone). */
function cpuSplit(pid: number): { user: number; system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(fields[11]) * 1000) / HZ, system: (Number(fields[12]) * 1000) / HZ };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** Where callgrind writes its dumps (--callgrind). */
const callgrindDir = values.callgrind ? mkdtempSync(join(tmpdir(), 'bench-callgrind-')) : '';

/**
 * Instructions the platform process executed since the last call (callgrind: dump, then read the
 * dump's totals; each dump restarts the count). Robust to machine load, unlike CPU time.
 */
function callgrindInstructions(pid: number): number {
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  const dumps = readdirSync(callgrindDir)
    .filter((f) => f.startsWith(`cg.${pid}.`))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  const text = readFileSync(join(callgrindDir, dumps.at(-1) as string), 'utf8');
  return Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** `perf record` attached to `pid` until `stop()` (SIGINT: perf writes its file and exits). */
function startPerf(pid: number, file: string): { stop(): Promise<void> } {
  const recorder = spawn(
    'perf',
    ['record', '-F', '999', '-e', 'cpu-clock', '-g', '-p', String(pid), '-o', file],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => {
    recorder.once('exit', () => resolve());
    recorder.once('error', (error) => {
      console.error(`--perf: cannot run perf (${error.message}); install linux-perf`);
      resolve();
    });
  });
  return {
    async stop() {
      recorder.kill('SIGINT');
      await exited;
      console.log(`perf profile: ${file} (perf report -i ${file} --no-children --sort dso,sym)`);
    },
  };
}
let perf: { stop(): Promise<void> } | undefined;

/**
 * Starts or stops the platform's heap sampling (`heap-sampling.ts`, SIGUSR2); on stop, resolves with
 * what it wrote: the bytes sampled since the start and the functions that allocated most.
 */
async function toggleHeapSampling(): Promise<{
  bytes: number;
  top: Array<{ name: string; bytes: number }>;
} | null> {
  heapSampling = !heapSampling;
  if (heapSampling) {
    child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 50));
    return null;
  }
  rmSync(allocFile, { force: true });
  child.kill('SIGUSR2');
  for (let i = 0; i < 300 && !existsSync(allocFile); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(allocFile)) throw new Error('--alloc: the platform wrote no heap sampling summary');
  return JSON.parse(readFileSync(allocFile, 'utf8'));
}
let heapSampling = false;

const schema = `bench_cpu_${process.pid}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
const u = new URL(databaseUrl);
u.searchParams.set('options', `-c search_path=${schema}`);
u.searchParams.set('application_name', schema);
const allocDir = values.alloc ? mkdtempSync(join(tmpdir(), 'bench-alloc-')) : '';
const allocFile = join(allocDir, 'round.json');
const { url, child } = await startPlatform({
  cli,
  env: { DATABASE_URL: u.toString(), ...(values.alloc ? { OPENISSUING_BENCH_ALLOC_FILE: allocFile } : {}) },
  nodeArgs: [
    ...(values['node-args'] ? values['node-args'].split(' ') : []),
    ...(values.perf ? ['--perf-basic-prof'] : []),
    ...(values.alloc ? ['--import', join(dirname(fileURLToPath(import.meta.url)), 'heap-sampling.ts')] : []),
  ],
  wrapper: values.callgrind
    ? {
        command: 'valgrind',
        args: ['--tool=callgrind', `--callgrind-out-file=${join(callgrindDir, 'cg.%p')}`, '--dump-line=no'],
      }
    : undefined,
});
const backends = async () =>
  (
    await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      schema,
    ])
  ).rows.map((r) => r.pid);
/**
 * pgbench's same-work scripts (pgbench.ts) at the same concurrency and approve share: its backends'
 * CPU per transaction. They exit with pgbench, so their CPU is sampled every 100 ms while it runs
 * (the last ≤ 100 ms of each backend is missed: under-counts by ≤ 2 % of a 5 s run).
 */
async function pgbenchCpu(approvePercent: number, cardCount: number): Promise<number> {
  const last = new Map<number, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
        [`${schema}_pgbench`],
      );
      for (const { pid } of rows.rows) last.set(pid, cpuMs(pid));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  let p = { tps: 0, latencyMs: 0 };
  await measureWal(admin, 'pgbench', async () => {
    p = await runPgbench(databaseUrl, schema, {
      clients: concurrency,
      seconds,
      approvePercent,
      cards: cardCount,
    });
    return p.tps * seconds;
  });
  sampling = false;
  await sampler;
  let total = 0;
  for (const v of last.values()) total += v;
  return total / (p.tps * seconds);
}
const results: Array<{
  allocated: number;
  node: number;
  kernel: number;
  pg: number;
  nodeCalls: ReturnType<typeof syscalls>;
  pgCalls: ReturnType<typeof syscalls>;
  pgbench: number;
  instructions: number;
  tps: number;
  p99: number;
  approved: number;
}> = [];
try {
  const { holder, cards } = await fundAndIssueCards(url, Number(values.cards));
  if (values.pgbench) {
    const sample = await call(url, 'POST', '/test_helpers/authorizations', authorizationBodies(cards, 0)());
    const db = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await db.connect();
    const event = (await call(url, 'GET', '/events?limit=10')).data.find(
      // The authorization.created event (its JSON carries the authorization), not the newer, much
      // smaller balance.updated: pgbench's event row must be the platform's size.
      (e: { type: string }) => e.type === 'authorization.created',
    );
    const entry = (await call(url, 'GET', '/ledger_entries?limit=1')).data[0];
    await preparePgbench(
      db,
      cards.map((id) => ({ id, cardholder: holder })),
      { authorization: sample, event, ledger_entry: entry },
    );
    await db.end();
  }
  // Warm-up: JIT, prepared statements on every pooled connection, the card plan cache.
  await drive({ url, apiKey, nextBody: authorizationBodies(cards, 1) }, concurrency, Number(values.warmup));
  perf = values.perf ? startPerf(child.pid as number, values.perf) : undefined;
  for (let round = 1; round <= rounds; round++) {
    const pids = await backends();
    const before = {
      node: cpuSplit(child.pid as number),
      pg: new Map(pids.map((p) => [p, cpuMs(p)])),
      calls: new Map([child.pid as number, ...pids].map((p) => [p, syscalls(p)])),
    };
    if (values.callgrind) callgrindInstructions(child.pid as number); // restarts the count
    const rate = values.rate ? Number(values.rate) : undefined;
    const walMarkAt = values.wal ? await walMark(admin) : null;
    if (values.alloc) await toggleHeapSampling();
    const r = await drive(
      { url, apiKey, nextBody: authorizationBodies(cards, 100 + round) },
      concurrency,
      seconds,
      rate,
    );
    const after = cpuSplit(child.pid as number);
    const allocated = values.alloc ? await toggleHeapSampling() : null;
    const instructions = values.callgrind ? callgrindInstructions(child.pid as number) : Number.NaN;
    const node = after.user + after.system - before.node.user - before.node.system;
    const kernel = after.system - before.node.system;
    let pgMs = 0;
    const afterPids = await backends();
    for (const p of afterPids) pgMs += cpuMs(p) - (before.pg.get(p) ?? 0);
    const n = r.latencies.length;
    const nodeCalls = syscallDelta([child.pid as number], before.calls, n);
    const pgCalls = syscallDelta(afterPids, before.calls, n);
    if (walMarkAt) await reportWal(admin, `round ${round} platform`, walMarkAt, n);
    const pgbench = values.pgbench ? await pgbenchCpu((100 * r.approved) / n, cards.length) : Number.NaN;
    if (allocated) {
      console.log(
        `  round ${round} platform allocated ${(allocated.bytes / n / 1000).toFixed(1)} kB/auth; most by: ${allocated.top
          .slice(0, 5)
          .map((t) => `${t.name} ${((100 * t.bytes) / allocated.bytes).toFixed(1)} %`)
          .join(', ')}`,
      );
    }
    results.push({
      allocated: allocated ? allocated.bytes / n : Number.NaN,
      nodeCalls,
      pgCalls,
      pgbench,
      node: node / n,
      kernel: kernel / n,
      instructions: instructions / n,
      pg: pgMs / n,
      tps: n / r.seconds,
      p99: quantile(r.latencies, 0.99),
      approved: (100 * r.approved) / n,
    });
    console.log(
      `round ${round}: ${n} authorizations (${r.errors} errors), platform ${(node / n).toFixed(3)} ms CPU/auth (${(kernel / n).toFixed(3)} in the kernel${values.callgrind ? `; ${(instructions / n / 1e6).toFixed(3)} M instructions/auth` : ''}), PostgreSQL backends ${(pgMs / n).toFixed(3)} ms CPU/auth${values.pgbench ? ` (pgbench same work: ${pgbench.toFixed(3)} ms/transaction)` : ''}, ${(n / r.seconds).toFixed(0)}/s, p99 ${quantile(r.latencies, 0.99).toFixed(1)} ms, approved ${((100 * r.approved) / n).toFixed(0)} %`,
    );
  }
} finally {
  await perf?.stop();
  await stopPlatform(child);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  if (callgrindDir) rmSync(callgrindDir, { recursive: true, force: true });
  if (allocDir) rmSync(allocDir, { recursive: true, force: true });
}
const stat = (xs: number[], digits: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const f = (v: number | undefined) => (v ?? Number.NaN).toFixed(digits);
  return `${f(s[0])} / ${f(s[Math.floor((s.length - 1) / 2)])} / ${f(s.at(-1))}`;
};
const load = (await import('node:os')).loadavg();
/** The summary rows, in print order: label, the figure of one round, decimals, unit, and whether it is shown. */
type Row = [
  label: string,
  figure: (r: (typeof results)[number]) => number,
  digits: number,
  unit: string,
  shown?: boolean,
];
const syscallRows = (who: string, key: 'nodeCalls' | 'pgCalls'): Row[] => [
  [`${who}: read syscalls per authorization`, (r) => r[key].reads, 2, ''],
  [`${who}: write syscalls per authorization`, (r) => r[key].writes, 2, ''],
  [`${who}: sleeps (voluntary switches) per auth`, (r) => r[key].waits, 2, ''],
  [`${who}: bytes read per authorization`, (r) => r[key].readBytes, 0, ' B'],
  [`${who}: bytes written per authorization`, (r) => r[key].writtenBytes, 0, ' B'],
];
const rows: Row[] = [
  ['platform process CPU per authorization', (r) => r.node, 3, 'ms'],
  ['platform: kB allocated per authorization', (r) => r.allocated / 1000, 1, ' kB', values.alloc],
  [
    'platform instructions per authorization',
    (r) => r.instructions / 1e6,
    3,
    'M (callgrind)',
    values.callgrind,
  ],
  ['  of which in the kernel (system time)', (r) => r.kernel, 3, 'ms'],
  ['PostgreSQL backends CPU per authorization', (r) => r.pg, 3, 'ms'],
  ['pgbench (same work) backends CPU per tx', (r) => r.pgbench, 3, 'ms', values.pgbench],
  ...syscallRows('platform', 'nodeCalls'),
  ...syscallRows('PostgreSQL backends', 'pgCalls'),
  ['throughput (load-sensitive)', (r) => r.tps, 0, '/s'],
  ['p99 (load-sensitive)', (r) => r.p99, 1, 'ms'],
  ['approved', (r) => r.approved, 0, '%'],
];
console.log(`\nbench/authorizations/cpu — c${concurrency}, ${seconds} s per round; min / median / max`);
for (const [label, figure, digits, unit, shown = true] of rows)
  if (shown) console.log(`  ${label.padEnd(44)} ${stat(results.map(figure), digits)} ${unit}`);
console.log(`load average: ${load.map((x) => x.toFixed(1)).join(' ')}`);
