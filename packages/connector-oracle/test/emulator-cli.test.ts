import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadErpEmulator } from '@openissuing/connector-core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnector } from '../src/index.js';
import { erpEmulator } from '../src/testing/index.js';
import { entriesFor, makeTransactions, postToEnd } from './helpers.js';

const require = createRequire(import.meta.url);
const emulatorCli = join(
  dirname(require.resolve('@openissuing/connector-core/package.json')),
  'dist',
  'emulator.js',
);
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('openissuing-emulator oracle', () => {
  it('is registered: connector-core finds the erpEmulator of @openissuing/connector-oracle/testing', async () => {
    const plugin = await loadErpEmulator('oracle');
    expect(plugin.erp).toBe('oracle');
    expect(plugin.title).toBe(erpEmulator.title);
  });

  it('serves on loopback and writes a config the connector imports through as printed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oi-oracle-emu-cli-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [emulatorCli, 'oracle', '--port', '0', '--write', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Press Ctrl-C to stop.')) resolve();
      });
      child.on('exit', () => reject(new Error(`emulator exited early: ${out}`)));
    });
    expect(out).toMatch(/^Oracle Fusion emulator listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(out).toContain('export ORACLE_FUSION_USERNAME=integration.user');
    const config = JSON.parse(await readFile(join(dir, 'openissuing-sync.json'), 'utf8')) as {
      connector: { module: string; options: Record<string, unknown> };
    };
    expect(config.connector.module).toBe('@openissuing/connector-oracle');
    const adapter = await createConnector(config.connector.options, {
      configDir: dir,
      env: { ORACLE_FUSION_USERNAME: 'integration.user', ORACLE_FUSION_PASSWORD: 'emulator-password' },
    });
    const outcomes = await postToEnd(adapter, entriesFor(makeTransactions(3, 31)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
