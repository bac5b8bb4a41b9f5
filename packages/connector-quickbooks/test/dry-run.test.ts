import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { makeTransactions, mapping } from './helpers.js';

const connectorModule = resolve(import.meta.dirname, '..', 'dist', 'index.js');
let server: RunningEmulator;
let dir: string;
const txs = makeTransactions(65, 81);

beforeAll(async () => {
  server = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
  dir = await mkdtemp(join(tmpdir(), 'oi-qbo-dry-'));
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs.slice(0, 40)));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(join(dir, 'tokens.json'), JSON.stringify(server.emulator.issueTokens()));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { dataDir: './state' },
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
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function sync(...args: string[]) {
  const env = {
    QUICKBOOKS_CLIENT_ID: server.emulator.clientId,
    QUICKBOOKS_CLIENT_SECRET: server.emulator.clientSecret,
  };
  return startSyncCli(args, { dir, env }).done;
}

describe('openissuing-sync run --dry-run --out-dir', () => {
  it('writes the exact QuickBooks payloads in posting order and changes nothing: no post, no state, no cursor', async () => {
    // a first real run books 40; 25 more arrive
    expect((await sync('run')).code).toBe(0);
    await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
    const purchases = server.emulator.purchases().length;
    const vendors = server.emulator.company.list('Vendor').length;
    const posts = server.emulator.stats.requests;
    const before = (await sync('status', '--json')).stdout;

    const out = join(dir, 'preview');
    const dry = await sync('run', '--dry-run', '--out-dir', out);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(`dry run: 25 entries in 1 request(s) written to ${out}; nothing was posted\n`);
    expect((await readdir(out)).sort()).toEqual(['0001-batch.json', 'index.json']);
    const batch = JSON.parse(await readFile(join(out, '0001-batch.json'), 'utf8')) as {
      BatchItemRequest: Array<{ bId: string; operation: string; Purchase: Record<string, unknown> }>;
    };
    expect(batch.BatchItemRequest.map((b) => b.bId)).toEqual(Array.from({ length: 25 }, (_, i) => `b${i}`));
    const first = batch.BatchItemRequest[0]?.Purchase as Record<string, unknown>;
    expect(first).toMatchObject({ PaymentType: 'CreditCard', TxnDate: txs[40]?.created_at.slice(0, 10) });
    expect(String(first.PrivateNote)).toContain(`[openissuing:${txs[40]?.id}]`);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      entries: number;
      requests: Array<{ file: string; externalRefs: string[] }>;
    };
    expect(index.entries).toBe(25);
    expect(index.requests[0]?.externalRefs).toEqual(txs.slice(40).map((t) => t.id));

    // nothing changed: not in QuickBooks, not in the state store, not the cursor
    expect(server.emulator.purchases()).toHaveLength(purchases);
    expect(server.emulator.company.list('Vendor')).toHaveLength(vendors);
    expect(server.emulator.stats.batches).toBe(2); // the first run's two batches only
    expect(server.emulator.stats.requests - posts).toBeGreaterThan(0); // reads only (chart of accounts, vendors)
    expect((await sync('status', '--json')).stdout).toBe(before);

    // the real run then posts exactly what the preview showed
    expect((await sync('run')).code).toBe(0);
    const booked = server.emulator.purchases().slice(purchases);
    expect(booked.map((p) => p.PrivateNote)).toEqual(
      batch.BatchItemRequest.map((b) => b.Purchase.PrivateNote),
    );
    type Line = { Amount: number; AccountBasedExpenseLineDetail: { AccountRef: { value: string } } };
    const lines = (p: Record<string, unknown>) =>
      (p.Line as Line[]).map((l) => [l.Amount, l.AccountBasedExpenseLineDetail.AccountRef.value]);
    expect(booked.map(lines)).toEqual(batch.BatchItemRequest.map((b) => lines(b.Purchase)));
  }, 120_000);
});
