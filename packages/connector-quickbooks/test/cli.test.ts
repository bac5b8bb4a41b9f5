import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgres } from '@openissuing/connector-core';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { bookings, makeTransactions, mapping } from './helpers.js';

const connectorModule = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const dbUrl = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `oi_qbo_cli_${randomBytes(4).toString('hex')}`;

let server: RunningEmulator;
let dir: string;
const txs = makeTransactions(80, 61);

beforeAll(async () => {
  server = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
  dir = await mkdtemp(join(tmpdir(), 'oi-qbo-cli-'));
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping, null, 2));
  await writeFile(join(dir, 'tokens.json'), JSON.stringify(server.emulator.issueTokens()));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { databaseUrlEnv: 'SYNC_DATABASE_URL', schema },
      connector: {
        module: connectorModule,
        options: {
          realmId: server.emulator.realmId,
          endpoint: server.endpoint,
          tokenUrl: server.tokenUrl,
          tokenFile: './tokens.json',
          limits: { windowMs: 2000 },
        },
      },
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  const db = await openPostgres(dbUrl, { exclusive: false });
  await db.exec(`drop schema if exists ${schema} cascade`);
  await db.close();
});

function sync(...args: string[]) {
  return startSyncCli(args, {
    dir,
    env: {
      SYNC_DATABASE_URL: dbUrl,
      QUICKBOOKS_CLIENT_ID: server.emulator.clientId,
      QUICKBOOKS_CLIENT_SECRET: server.emulator.clientSecret,
    },
  }).done;
}

describe('openissuing-sync CLI with the QuickBooks connector', () => {
  it('runs, lists dead letters with the QuickBooks message, reconciles, and recovers after the fix', async () => {
    server.emulator.deactivate('Account', 'Meals');
    const meals = txs
      .filter((t) => ['5811', '5812', '5813', '5814'].includes(t.merchant_data?.mcc ?? ''))
      .map((t) => t.id);
    expect(meals).toHaveLength(18); // seeded: 18 of the 80 are meals

    const run = await sync('run');
    expect(run.code).toBe(2); // done, with dead letters
    expect(run.stdout).toMatch(
      new RegExp(`posted ${txs.length - meals.length}, .*dead-lettered ${meals.length}`),
    );
    expect(run.stderr).toContain('has been made inactive');

    const status = await sync('status', '--json');
    if (!status.stdout) throw new Error(`status printed nothing: ${status.stderr}`);
    const parsed = JSON.parse(status.stdout) as {
      counts: Record<string, number>;
      deadLetters: Array<{ externalRef: string; code: string; message: string }>;
    };
    expect(parsed.counts).toEqual({
      pending: 0,
      in_doubt: 0,
      posted: txs.length - meals.length,
      dead: meals.length,
    });
    expect(parsed.deadLetters.map((d) => d.externalRef).sort()).toEqual([...meals].sort());
    expect(parsed.deadLetters[0]).toMatchObject({
      code: '610',
      message: expect.stringMatching(/^Object Not Found: /),
    });

    const rec = await sync(
      'reconcile',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
      '--out-json',
      'r.json',
      '--out-html',
      'r.html',
    );
    expect(rec.code).toBe(2);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as {
      issues: Array<{ externalRef: string; kind: string; reason: string }>;
    };
    expect(report.issues).toHaveLength(meals.length);
    expect(
      report.issues.every(
        (i) => i.kind === 'missing_in_erp' && i.reason.startsWith('dead-lettered: Object Not Found'),
      ),
    ).toBe(true);
    expect(await readFile(join(dir, 'r.html'), 'utf8')).toContain('<svg role="img"');

    // fix in QuickBooks, requeue, run again
    const account = server.emulator.company.list('Account').find((a) => a.Name === 'Meals');
    if (account) account.Active = true;
    expect((await sync('retry-dead')).stdout).toContain(`requeued ${meals.length}`);
    expect((await sync('run')).code).toBe(0);
    const after = await sync('reconcile', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('matched');
    const booked = bookings(server.emulator.purchases());
    for (const t of txs) expect(booked.get(t.id)).toBe(1);
  });

  it('names the config field at fault', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ mapping: './mapping.json', source: { file: 'x' }, connector: {} }));
    const child = await startSyncCli(['status'], { dir, config: bad }).done;
    expect(child.code).toBe(1);
    expect(child.stderr).toMatch(/connector\.module/);
  });
});
