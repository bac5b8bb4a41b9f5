import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlatformTransaction } from '@openissuing/connector-core';
import { openPostgres } from '@openissuing/connector-core';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningSapEmulator, startSapEmulator } from '../src/testing/index.js';
import { makeTransactions, mapping } from './helpers.js';

const connectorModule = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const cleanup: Array<() => Promise<void>> = [];
// PostgreSQL state: a fresh process opens it in milliseconds (an on-disk PGlite takes seconds)
const databaseUrl = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemaPrefix = `oi_sap_cli_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  const db = await openPostgres(databaseUrl, { exclusive: false });
  for (const s of schemas) await db.exec(`drop schema if exists ${s} cascade`);
  await db.close();
});

async function setup(name: string, txs: PlatformTransaction[], options: Record<string, unknown> = {}) {
  const server = await startSapEmulator({ latencyMs: 15, perEntryLatencyMs: 1 });
  cleanup.push(() => server.close());
  const dir = await mkdtemp(join(tmpdir(), `oi-sap-${name}-`));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const schema = `${schemaPrefix}_${name}`;
  schemas.push(schema);
  await writeFile(join(dir, 'transactions.ndjson'), txs.map((t) => JSON.stringify(t)).join('\n'));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping, null, 2));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.ndjson' },
      state: { databaseUrlEnv: 'SYNC_DATABASE_URL', schema },
      retry: { baseMs: 50, maxMs: 400, maxAttempts: 100 },
      pageSize: 200,
      // small batches and low concurrency so the kills land mid-run
      connector: {
        module: connectorModule,
        options: { url: server.url, maxBatchSize: 8, maxConcurrent: 2, ...options },
      },
    }),
  );
  return { server, dir };
}

const run = (server: RunningSapEmulator, dir: string, args: string[] = ['run']) => ({
  exit: startSyncCli(args, {
    dir,
    env: {
      SYNC_DATABASE_URL: databaseUrl,
      SAP_USERNAME: server.emulator.username,
      SAP_PASSWORD: server.emulator.password,
      CDS_LOG_LEVELS_REMOTE: 'error',
    },
  }).done,
});

// SIGKILL at random points, with and without injected faults, runs in the conformance suite
// (test/conformance.test.ts); these are the SAP-specific CLI behaviours
describe('openissuing-sync with the SAP connector', () => {
  it("dead-letters a rejected entry with SAP's message and books the rest", async () => {
    const txs = makeTransactions(10, 70).map((t, i) =>
      i === 3
        ? {
            ...t,
            dimensions: { department: 'Marketing', project: 'Apollo' },
            created_at: '2026-12-15T10:00:00Z',
          }
        : t,
    );
    const { server, dir } = await setup('dead', txs);
    server.emulator.closePeriod('1010', 2026, 12);
    const r = await run(server, dir).exit;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('201(F5) Posting period 012 2026 is not open');
    const status = await run(server, dir, ['status', '--json']).exit;
    const s = JSON.parse(status.stdout) as {
      counts: { posted: number; dead: number };
      deadLetters: { code: string; message: string }[];
    };
    expect(s.counts).toMatchObject({ posted: 9, dead: 1 });
    expect(s.deadLetters[0]).toMatchObject({ code: '201(F5)' });
    expect(s.deadLetters[0]?.message).toBe(
      'SAP rejected the journal entry: 609(RW) Error in document: BKPFF $ OIEMUCLNT100; 201(F5) Posting period 012 2026 is not open',
    );
  });

  it('names the field of a bad sap section in mapping.json and a missing password', async () => {
    const { server, dir } = await setup('config', makeTransactions(1, 71));
    await writeFile(
      join(dir, 'mapping.json'),
      JSON.stringify({ ...mapping, sap: { companyCode: '10100' } }, null, 2),
    );
    const bad = await run(server, dir).exit;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /mapping\.json:\d+:\d+ sap\.companyCode: SAP allows at most 4 characters for a company code/,
    );
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
    const missing = await startSyncCli(['run'], {
      dir,
      env: { SYNC_DATABASE_URL: databaseUrl, SAP_USERNAME: 'X', SAP_PASSWORD: '' },
    }).done;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('set SAP_PASSWORD to the communication user');
  });
});
