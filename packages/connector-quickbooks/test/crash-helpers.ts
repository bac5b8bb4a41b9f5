import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlatformTransaction } from '@openissuing/connector-core';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { expect } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { bookings, makeTransactions, mapping, seeded } from './helpers.js';

const connectorModule = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
/** Teardown steps, run in reverse by the test file's afterAll. */
export const cleanup: Array<() => Promise<void>> = [];

/** Where the child sync pulls from: a transactions file, or a running platform through the SDK. */
export type CrashSource =
  | { kind: 'file' }
  | { kind: 'platform'; baseUrl: string; apiKey: string; transactions: PlatformTransaction[] };

const childEnv = new Map<string, Record<string, string>>();

async function setup(
  name: string,
  n: number,
  faults: number,
  state: Record<string, unknown>,
  from: CrashSource,
) {
  const server = await startQuickBooksEmulator({
    limits: { windowMs: 3000 },
    latencyMs: 20,
    requestTimeoutMs: 500,
  });
  cleanup.push(() => server.close());
  const dir = await mkdtemp(join(tmpdir(), `oi-qbo-${name}-`));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const txs = from.kind === 'platform' ? from.transactions : makeTransactions(n, name.length + 40);
  if (from.kind === 'file') {
    await writeFile(join(dir, 'transactions.ndjson'), txs.map((t) => JSON.stringify(t)).join('\n'));
  } else {
    childEnv.set(dir, { OPENISSUING_API_KEY: from.apiKey });
  }
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  const tokens = server.emulator.issueTokens();
  await writeFile(join(dir, 'tokens.json'), JSON.stringify(tokens));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source:
        from.kind === 'file'
          ? { file: './transactions.ndjson' }
          : { platform: { baseUrl: from.baseUrl, apiKeyEnv: 'OPENISSUING_API_KEY' } },
      state,
      retry: { baseMs: 50, maxMs: 400, maxAttempts: 100 },
      pageSize: 200,
      connector: {
        module: connectorModule,
        options: {
          realmId: server.emulator.realmId,
          endpoint: server.endpoint,
          tokenUrl: server.tokenUrl,
          tokenFile: './tokens.json',
          // small batches and low concurrency so the kills land mid-run
          limits: { windowMs: 3000, maxConcurrent: 2, maxBatchSize: 10, requestTimeoutMs: 500 },
        },
      },
    }),
  );
  if (faults > 0) server.emulator.setFaults({ rate: faults, random: seeded(99) });
  return { server, dir, txs };
}

function runSync(dir: string): { child: ChildProcess; exit: Promise<number | null> } {
  const { child, done } = startSyncCli(['run'], {
    dir,
    env: {
      ...childEnv.get(dir),
      QUICKBOOKS_CLIENT_ID: 'emulator-client',
      QUICKBOOKS_CLIENT_SECRET: 'emulator-secret',
    },
  });
  const exit = done.then(({ code, stderr }) => {
    if (code !== null && code !== 0) process.stderr.write(`sync exited ${code}: ${stderr}\n`);
    return code;
  });
  return { child, exit };
}

/** Kills the sync with SIGKILL once the emulator holds more than `threshold` purchases (or it exits). */
async function killAfter(
  server: RunningEmulator,
  dir: string,
  threshold: number,
): Promise<'killed' | 'finished'> {
  const { child, exit } = runSync(dir);
  let done = false;
  exit.then(() => {
    done = true;
  });
  while (!done && server.emulator.purchases().length <= threshold) await new Promise((r) => setTimeout(r, 5));
  if (done) return 'finished';
  child.kill('SIGKILL');
  await exit;
  return 'killed';
}

/**
 * Runs the real `openissuing-sync run` CLI as a child process, kills it with SIGKILL at random points
 * of its progress `kills` times, resumes it to completion and checks every transaction is booked once.
 */
export async function killRepeatedly(
  name: string,
  n: number,
  faults: number,
  state: Record<string, unknown>,
  kills = 4,
  from: CrashSource = { kind: 'file' },
) {
  const { server, dir, txs } = await setup(name, n, faults, state, from);
  const rnd = seeded(name.length);
  let killed = 0;
  for (let i = 0; i < kills; i++) {
    const have = server.emulator.purchases().length;
    const threshold = have + 1 + Math.floor(rnd() * ((n - have) / 3));
    if ((await killAfter(server, dir, threshold)) === 'killed') killed++;
  }
  // final run: resume to completion
  server.emulator.setFaults(faults > 0 ? { rate: faults, random: seeded(7) } : undefined);
  const { exit } = runSync(dir);
  expect(await exit).toBe(0);

  const counts = bookings(server.emulator.purchases());
  for (const tx of txs) expect(counts.get(tx.id), tx.id).toBe(1);
  expect(counts.size).toBe(n);
  // the ledger total equals the platform total
  const platform = txs.reduce((s, t) => s + (t.type === 'refund' ? -t.amount : t.amount), 0);
  const ledger = server.emulator
    .purchases()
    .reduce((s, p) => s + Math.round(Number(p.TotalAmt) * 100) * (p.Credit ? -1 : 1), 0);
  expect(ledger).toBe(platform);
  return { kills: killed, stats: server.emulator.stats };
}
