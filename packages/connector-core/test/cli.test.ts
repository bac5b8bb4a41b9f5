import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, toMajor } from '../src/index.js';
import { makeTransactions, mapping } from './helpers.js';

const cli = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
let dir: string;
const txs = makeTransactions(10, 41);

const sync = (...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oi-cli-'));
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { memory: true },
      connector: { module: resolve(import.meta.dirname, 'fixtures', 'memory-connector.ts') },
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openissuing-sync as a new user meets it', () => {
  it('--help and -h exit 0 on every command; --version prints the version', async () => {
    for (const args of [
      ['--help'],
      ['-h'],
      ...['run', 'watch', 'status', 'reconcile', 'retry-dead'].flatMap((c) => [
        [c, '--help'],
        [c, '-h'],
      ]),
    ]) {
      const r = sync(...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 0]);
      expect(r.stdout).toMatch(/^openissuing-sync/);
    }
    expect(sync('run', '--help').stdout).toContain('--dry-run --out-dir DIR');
    const { version } = JSON.parse(
      await readFile(resolve(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(sync('--version')).toEqual({ code: 0, stdout: `openissuing-sync ${version}\n`, stderr: '' });
    expect(sync('-v')).toEqual({ code: 0, stdout: `openissuing-sync ${version}\n`, stderr: '' });
    expect(sync().code).toBe(1); // no command: usage on stderr
    expect(sync('frobnicate').stderr).toContain('unknown command "frobnicate"');
  }, 180_000);

  it('--progress without a terminal prints plain lines, never a template', () => {
    const r = sync('run', '--progress');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('{');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('synced 10/10 · dead 0 · retries 0');
  }, 120_000);

  it('prints money in major units with the currency', () => {
    const r = sync('reconcile', '--from', '2026-11-01', '--to', '2026-11-30');
    // a fresh in-memory store and ERP per process: nothing is booked, so the ERP side is empty
    const total = txs.reduce((s, t) => s + (t.type === 'refund' ? -t.amount : t.amount), 0);
    expect(r.stdout.split('\n')[0]).toBe(
      `USD: platform 10 tx ${formatMoney(total, 'USD')} · ERP 0 tx 0.00 USD · difference ${formatMoney(-total, 'USD')}`,
    );
  }, 120_000);

  it('names the URL, the config key and the socket error when the platform is not running', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => done(p));
      });
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await writeFile(
      join(dir, 'platform-down.json'),
      JSON.stringify({
        mapping: './mapping.json',
        source: { platform: { baseUrl } },
        state: { memory: true },
        connector: { module: resolve(import.meta.dirname, 'fixtures', 'memory-connector.ts') },
      }),
    );
    const r = spawnSync(process.execPath, [cli, 'run', '--config', 'platform-down.json', '--no-progress'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, OPENISSUING_API_KEY: 'sk_test_cli_platform_down' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `openissuing-sync: could not reach the OpenIssuing platform at ${baseUrl} (source.platform.baseUrl in platform-down.json): connect ECONNREFUSED 127.0.0.1:${port}. Start it (npx openissuing serve) or correct baseUrl.`,
    );
  }, 120_000);
});

describe('formatMoney', () => {
  it('uses the currency exponent', () => {
    expect([
      formatMoney(58132, 'usd'),
      formatMoney(-5, 'EUR'),
      formatMoney(1200, 'JPY'),
      formatMoney(1234, 'KWD'),
    ]).toEqual(['581.32 USD', '-0.05 EUR', '1200 JPY', '1.234 KWD']);
  });

  it('reads as the amount the ERP is sent (toMajor), for 0, 2, 3 and 4 decimals', () => {
    for (const [minor, currency] of [
      [4000, 'IDR'],
      [1234, 'JPY'],
      [-1234, 'KWD'],
      [12_345, 'CLF'],
    ] as const) {
      const major = toMajor(minor, currency).toFixed(currencyExponent(currency));
      expect(formatMoney(minor, currency)).toBe(`${major} ${currency}`);
    }
    expect(formatMoney(4000, 'IDR')).toBe('40.00 IDR');
  });
});
