import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { bookings, makeTransactions, mapping } from './helpers.js';

const packageDir = resolve(import.meta.dirname, '..');
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** A user's project folder: the connector installed under node_modules, the config naming it by package. */
async function project(server: RunningEmulator, n: number, seed: number, connector: Record<string, unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'oi-qbo-user-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'node_modules', '@openissuing'), { recursive: true });
  await symlink(packageDir, join(dir, 'node_modules', '@openissuing', 'connector-quickbooks'), 'dir');
  const txs = makeTransactions(n, seed);
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(
    join(dir, 'tokens.json'),
    JSON.stringify({ accessToken: '', refreshToken: server.emulator.issueTokens().refreshToken }),
  );
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { dataDir: './state' },
      connector: {
        module: '@openissuing/connector-quickbooks',
        ...connector,
        options: {
          realmId: server.emulator.realmId,
          endpoint: server.endpoint,
          tokenUrl: server.tokenUrl,
          tokenFile: './tokens.json',
          ...(connector.options as object),
        },
      },
    }),
  );
  return { dir, txs };
}

const run = (dir: string, args: string[], env: Record<string, string>) => startSyncCli(args, { dir, env });

describe('openissuing-sync with "module": "@openissuing/connector-quickbooks", as the README configures it', () => {
  it("a wrong QUICKBOOKS_CLIENT_SECRET stops the run at once with QuickBooks' message — no retries, no dead letters", async () => {
    const server = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
    cleanup.push(() => server.close());
    for (const module of [
      '@openissuing/connector-quickbooks',
      './node_modules/@openissuing/connector-quickbooks/dist/index.cjs',
    ]) {
      const { dir } = await project(server, 12, 71, { module });
      const env = {
        QUICKBOOKS_CLIENT_ID: server.emulator.clientId,
        QUICKBOOKS_CLIENT_SECRET: 'not-the-secret',
      };
      const before = server.emulator.stats.requests;
      const { code, stderr } = await run(dir, ['run'], env).done;
      expect(code, module).toBe(1);
      expect(stderr, module).toContain('QuickBooks refused to refresh the access token (invalid_client)');
      expect(server.emulator.stats.requests - before, module).toBe(0); // no API call was even tried
      const status = await run(dir, ['status', '--json'], env).done;
      const parsed = JSON.parse(status.stdout) as { counts: Record<string, number>; deadLetters: unknown[] };
      expect(parsed.deadLetters, module).toEqual([]);
      expect(parsed.counts, module).toEqual({ pending: 12, in_doubt: 0, posted: 0, dead: 0 });
    }
  }, 120_000);

  it('a request of a killed process that lands after its successor started is found, not posted again', async () => {
    // each request takes 2.5 s at QuickBooks, longer than a restart; QuickBooks applies a request within 3 s or never
    const server = await startQuickBooksEmulator({
      limits: { windowMs: 2000 },
      latencyMs: 2500,
      requestTimeoutMs: 3000,
    });
    cleanup.push(() => server.close());
    const { dir, txs } = await project(server, 10, 72, {
      options: { limits: { windowMs: 2000, maxBatchSize: 10, maxConcurrent: 1, requestTimeoutMs: 3000 } },
    });
    const env = {
      QUICKBOOKS_CLIENT_ID: server.emulator.clientId,
      QUICKBOOKS_CLIENT_SECRET: server.emulator.clientSecret,
    };
    const first = run(dir, ['run'], env);
    while (server.emulator.stats.batches === 0) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL'); // the batch is at QuickBooks, being applied
    await first.done;
    const second = await run(dir, ['run', '--json'], env).done;
    expect(second.code, second.stderr).toBe(0);
    expect(server.emulator.stats.batches).toBe(1);
    const counts = bookings(server.emulator.purchases());
    for (const t of txs) expect(counts.get(t.id), t.id).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({ posted: 0, foundExisting: 10 });
  }, 120_000);
});
