import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres, StateStore } from '@openissuing/connector-core';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningOracleEmulator, startOracleEmulator } from '../src/testing/index.js';
import { connectorModule, startSync } from './cli.js';
import { layout, makeTransactions, mapping, seeded } from './helpers.js';

const cleanup: Array<() => Promise<void>> = [];
// PostgreSQL state (the machine's own database): a sync process starts in well under a second, so the
// kills land mid-job rather than during start-up
const databaseUrl = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  const db = await openPostgres(databaseUrl, { exclusive: false });
  for (const s of schemas) await db.exec(`drop schema if exists ${s} cascade`);
  await db.close();
});

async function setup(name: string, n: number) {
  const server = await startOracleEmulator({ jobLatency: { queuedMs: 30, runningMs: 120, perJournalMs: 1 } });
  cleanup.push(() => server.close());
  const dir = await mkdtemp(join(tmpdir(), `oi-oracle-${name}-`));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const txs = makeTransactions(n, name.length + 20);
  const schema = `oi_oracle_crash_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  await writeFile(join(dir, 'transactions.ndjson'), txs.map((t) => JSON.stringify(t)).join('\n'));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.ndjson' },
      state: { databaseUrlEnv: 'OPENISSUING_SYNC_TEST_DB', schema },
      retry: { baseMs: 50, maxMs: 300, maxAttempts: 200 },
      jobPoll: { baseMs: 20, maxMs: 60 },
      pageSize: 100,
      connector: {
        module: connectorModule,
        options: {
          baseUrl: server.url,
          ledger: layout.ledger,
          segments: layout.segments,
          accounts: layout.accounts,
          jobTimeoutMs: 1500,
          requestTimeoutMs: 1000,
          maxBatchSize: 25,
          maxConcurrent: 2,
        },
      },
    }),
  );
  return { server, dir, txs, schema };
}

function runSync(dir: string): { child: ChildProcess; exit: Promise<number | null> } {
  const { child, done } = startSync(dir, ['run'], { OPENISSUING_SYNC_TEST_DB: databaseUrl });
  const exit = done.then(({ code, stderr }) => {
    if (code !== null && code !== 0) process.stderr.write(`sync exited ${code}: ${stderr}\n`);
    return code;
  });
  return { child, exit };
}

/** SIGKILLs the sync while an import job is running, once more than `threshold` journals are in. */
async function killWhileJobRuns(server: RunningOracleEmulator, dir: string, threshold: number) {
  const { child, exit } = runSync(dir);
  let done = false;
  exit.then(() => {
    done = true;
  });
  const running = () => [...server.emulator.jobs.values()].some((j) => !j.done && j.parentId === null);
  while (!done && !(server.emulator.stats.importedJournals > threshold && running()))
    await new Promise((r) => setTimeout(r, 2));
  if (done) return 'finished';
  child.kill('SIGKILL');
  await exit;
  return 'killed';
}

async function crashAndResume(name: string, n: number, faults: number) {
  const { server, dir, txs, schema } = await setup(name, n);
  if (faults > 0) server.emulator.setFaults({ rate: faults, random: seeded(7) });
  const rnd = seeded(name.length);
  let kills = 0;
  let threshold = 0;
  for (let i = 0; i < 5; i++) {
    threshold += Math.floor(rnd() * (n / 8));
    if ((await killWhileJobRuns(server, dir, threshold)) === 'killed') kills++;
  }
  server.emulator.setFaults(undefined);
  const final = runSync(dir);
  expect(await final.exit).toBe(0);
  const booked = server.emulator.journalsByReference();
  expect([...booked.values()].filter((c) => c > 1)).toEqual([]);
  expect(txs.filter((t) => booked.get(t.id) !== 1).map((t) => t.id)).toEqual([]);
  // the state agrees: every entry posted, no job left open, nothing dead-lettered
  const store = new StateStore(await openPostgres(databaseUrl, { schema, exclusive: false }));
  expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: n, dead: 0 });
  expect(await store.openJobs()).toEqual([]);
  await store.close();
  return { kills, uploads: server.emulator.stats.uploads };
}

describe('crash safety: openissuing-sync SIGKILLed while Oracle import jobs run', () => {
  it('imports every journal exactly once after 5 kills mid-job and a resume', async () => {
    const { kills } = await crashAndResume('plain', 300, 0);
    expect(kills).toBeGreaterThanOrEqual(4);
  }, 240_000);

  it('also with 10 % injected faults (5xx, lost answers, timeouts)', async () => {
    const { kills } = await crashAndResume('faulty-run', 200, 0.1);
    expect(kills).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
