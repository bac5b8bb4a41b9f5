import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadMappingConfig, mapTransaction } from '@openissuing/connector-core';
import { sampleTransactions } from '@openissuing/connector-core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnector, mappingExtensions } from '../src/index.js';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@openissuing/connector-core/package.json')), 'dist', 'emulator.js');
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('openissuing-emulator sap', () => {
  it('serves the emulator and prints (and writes) a config that books and finds entries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oi-sap-emu-cli-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [bin, 'sap', '--port', '0', '--write', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    cleanup.push(() => {
      child.kill('SIGTERM');
      return exited;
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Press Ctrl-C')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const url = /SAP S\/4HANA emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    const env = Object.fromEntries(
      [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]),
    );
    expect(Object.keys(env).sort()).toEqual(['SAP_PASSWORD', 'SAP_USERNAME']);

    // the written files are what a user pastes: the connector block and a mapping with its sap section
    const config = JSON.parse(await readFile(join(dir, 'openissuing-sync.json'), 'utf8')) as {
      connector: { module: string; options: Record<string, unknown> };
    };
    expect(config.connector).toEqual({
      module: '@openissuing/connector-sap',
      options: { url, requestTimeoutMs: 2000 },
    });
    const mapping = await loadMappingConfig(join(dir, 'mapping.json'), mappingExtensions);
    const adapter = await createConnector(config.connector.options, { configDir: dir, env, mapping });
    const txs = sampleTransactions(3, 61);
    const outcomes = await adapter.post(txs.map((t) => mapTransaction(mapping, t)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    const found = await adapter.find(txs.map((t) => t.id));
    expect([...found.keys()].sort()).toEqual(txs.map((t) => t.id).sort());
  }, 60_000);
});
