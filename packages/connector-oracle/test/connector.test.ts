import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnector, parseOracleOptions } from '../src/index.js';
import { emulatorConnectorOptions, startOracleEmulator } from '../src/testing/index.js';
import { entriesFor, makeTransactions, postToEnd } from './helpers.js';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});
const env = { ORACLE_FUSION_USERNAME: 'integration.user', ORACLE_FUSION_PASSWORD: 'emulator-password' };

describe('createConnector (the openissuing-sync entry point)', () => {
  it('imports through the emulator with the options it prints', async () => {
    const server = await startOracleEmulator({ jobLatency: { queuedMs: 10, runningMs: 40 } });
    cleanup.push(() => server.close());
    const dir = await mkdtemp(join(tmpdir(), 'oi-oracle-connector-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const adapter = await createConnector(emulatorConnectorOptions(server.url), { configDir: dir, env });
    const outcomes = await postToEnd(adapter, entriesFor(makeTransactions(5, 21)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true]);
    // a killed sync leaves its upload's entries alone until the job would have ended
    expect(adapter.limits.requestTimeoutMs).toBe(120_000 + 60_000);
  });

  it('names the environment variable to set and never prints a secret', async () => {
    const opts = emulatorConnectorOptions('https://fa-x.oraclecloud.com');
    await expect(createConnector(opts, { configDir: tmpdir(), env: {} })).rejects.toThrow(
      /set ORACLE_FUSION_USERNAME to the integration user's name/,
    );
    const server = await startOracleEmulator();
    cleanup.push(() => server.close());
    const adapter = await createConnector(emulatorConnectorOptions(server.url), {
      configDir: tmpdir(),
      env: { ...env, ORACLE_FUSION_PASSWORD: 'Sup3r-Secret!' },
    });
    const err = (await adapter.find(['itxn_x']).catch((e: unknown) => e)) as Error & { kind: string };
    expect(err.kind).toBe('fatal');
    expect(err.message).toMatch(/HTTP 401 .*credentials were refused/);
    expect(err.message).not.toContain('Sup3r-Secret!');
  });

  it('rejects bad options naming the field and the fix', () => {
    expect(() =>
      parseOracleOptions({
        baseUrl: 'https://x.oraclecloud.com',
        ledger: { currency: 'USD' },
        segments: [{ value: '1', account: true }],
      }),
    ).toThrow(
      /connector\.options\.ledger: give the ledger "id".*\n.*connector\.options\.segments\.0: give exactly one of "value"/,
    );
    expect(() =>
      parseOracleOptions({ ...emulatorConnectorOptions('https://x'), journalSource: 'x'.repeat(26) }),
    ).toThrow(/connector\.options\.journalSource: USER_JE_SOURCE_NAME holds 25 characters/);
    // options of the connector's own job polling moved to the engine
    expect(() =>
      parseOracleOptions({ ...emulatorConnectorOptions('https://x'), pollMs: 10_000, jobLog: './j.jsonl' }),
    ).toThrow(
      /connector\.options\.pollMs: removed: the sync engine polls import jobs; set "jobPoll": \{ "baseMs": … \} in openissuing-sync\.json\n.*connector\.options\.jobLog: removed: import jobs are recorded in the sync state store/,
    );
  });
});
