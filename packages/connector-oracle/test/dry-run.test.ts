import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GL_INTERFACE_COLUMNS } from '../src/index.js';
import { type RunningOracleEmulator, startOracleEmulator } from '../src/testing/index.js';
import { connectorModule, startSync } from './cli.js';
import { layout, makeTransactions, mapping } from './helpers.js';

/**
 * The GL_INTERFACE column list of `JournalImportTemplate.xlsm` as /work/shared/research/erp.md §3.2
 * transcribes it (Oracle's control file order, re-counted against two public codebases that cite the
 * 25c template): written out here by hand, independent of `src/fbdi/columns.ts`.
 */
const seq = (p: string, a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `${p}${a + i}`);
const PUBLISHED = [
  'STATUS', 'LEDGER_ID', 'ACCOUNTING_DATE', 'USER_JE_SOURCE_NAME', 'USER_JE_CATEGORY_NAME', 'CURRENCY_CODE', 'DATE_CREATED', 'ACTUAL_FLAG',
  ...seq('SEGMENT', 1, 30), 'ENTERED_DR', 'ENTERED_CR', 'ACCOUNTED_DR', 'ACCOUNTED_CR',
  ...seq('REFERENCE', 1, 10), ...seq('REFERENCE', 21, 30), 'STAT_AMOUNT', 'USER_CURRENCY_CONVERSION_TYPE',
  'CURRENCY_CONVERSION_DATE', 'CURRENCY_CONVERSION_RATE', 'GROUP_ID', 'ATTRIBUTE_CATEGORY', ...seq('ATTRIBUTE', 1, 20),
  'ATTRIBUTE_CATEGORY3', 'AVERAGE_JOURNAL_FLAG', 'ORIGINATING_BAL_SEG_VALUE', 'LEDGER_NAME', 'ENCUMBRANCE_TYPE_ID', 'JGZZ_RECON_REF',
  'PERIOD_NAME', 'REFERENCE18', 'REFERENCE19', 'REFERENCE20', ...seq('ATTRIBUTE_DATE', 1, 10), ...seq('ATTRIBUTE_NUMBER', 1, 10),
  'GLOBAL_ATTRIBUTE_CATEGORY', ...seq('GLOBAL_ATTRIBUTE', 1, 20), ...seq('GLOBAL_ATTRIBUTE_DATE', 1, 5), ...seq('GLOBAL_ATTRIBUTE_NUMBER', 1, 5),
]; // biome-ignore format: one line per group of the published list

let server: RunningOracleEmulator;
let dir: string;
const txs = makeTransactions(45, 83);

beforeAll(async () => {
  server = await startOracleEmulator({ jobLatency: { queuedMs: 10, runningMs: 40 } });
  dir = await mkdtemp(join(tmpdir(), 'oi-oracle-dry-'));
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs.slice(0, 20)));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { dataDir: './state' },
      jobPoll: { baseMs: 20, maxMs: 100 },
      connector: {
        module: connectorModule,
        options: {
          baseUrl: server.url,
          ledger: layout.ledger,
          segments: layout.segments,
          accounts: layout.accounts,
          cardLast4: layout.cardLast4,
          maxBatchSize: 10,
        },
      },
    }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const sync = (...args: string[]) => startSync(dir, args).done;

/** The records of the GlInterface.csv inside an FBDI zip. */
function records(zip: Uint8Array): string[][] {
  const files = unzipSync(zip);
  expect(Object.keys(files)).toEqual(['GlInterface.csv']);
  return parse(strFromU8(files['GlInterface.csv'] as Uint8Array)) as string[][];
}

describe('openissuing-sync run --dry-run --out-dir with the Oracle connector', () => {
  it('the connector writes the published template columns, in the published order', () => {
    expect(PUBLISHED).toHaveLength(149);
    expect([...GL_INTERFACE_COLUMNS]).toEqual(PUBLISHED);
  });

  it('writes the FBDI zips it would upload, in posting order, and changes nothing; the real run then imports exactly them', async () => {
    // a first real run imports 20; 25 more arrive
    const first = await sync('run');
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
    const before = (await sync('status', '--json')).stdout;
    const { uploads, requests } = server.emulator.stats;

    const out = join(dir, 'preview');
    const dry = await sync('run', '--dry-run', '--out-dir', out);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(`dry run: 25 entries in 3 request(s) written to ${out}; nothing was posted\n`);
    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      expect.stringMatching(/^0001-GlInterface_\d{16}\.zip$/),
      expect.stringMatching(/^0002-GlInterface_\d{16}\.zip$/),
      expect.stringMatching(/^0003-GlInterface_\d{16}\.zip$/),
      'index.json',
    ]);
    const zips = await Promise.all(files.slice(0, 3).map((f) => readFile(join(out, f))));
    const rows = zips.map((z) => records(new Uint8Array(z)));
    expect(rows.map((r) => r.length)).toEqual([20, 20, 10]); // 10, 10, 5 journals of two lines
    const col = (name: string) => PUBLISHED.indexOf(name);
    // positions erp.md names: ENTERED_DR 38, REFERENCE1 42, REFERENCE10 51, GROUP_ID 66, PERIOD_NAME 94
    expect([
      col('ENTERED_DR'),
      col('REFERENCE1'),
      col('REFERENCE10'),
      col('GROUP_ID'),
      col('PERIOD_NAME'),
    ]).toEqual([38, 42, 51, 66, 94]);
    const pending = txs.slice(20);
    for (const [i, r] of rows.flat().entries()) {
      const tx = pending[Math.floor(i / 2)] as (typeof txs)[number];
      expect(r).toHaveLength(149);
      expect(r[col('STATUS')]).toBe('NEW');
      expect(r[col('LEDGER_ID')]).toBe('300000046975971');
      expect(r[col('ACCOUNTING_DATE')]).toBe(tx.created_at.slice(0, 10).replaceAll('-', '/'));
      expect(r[col('USER_JE_SOURCE_NAME')]).toBe('OpenIssuing Card');
      expect(r[col('USER_JE_CATEGORY_NAME')]).toBe('Card Expense');
      expect(r[col('CURRENCY_CODE')]).toBe('USD');
      expect(r[col('DATE_CREATED')]).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      expect(r[col('ACTUAL_FLAG')]).toBe('A');
      expect(r[col('SEGMENT1')]).toBe('101');
      expect(r[col('REFERENCE1')]).toBe(`OI-${tx.id}`);
      expect(r[col('REFERENCE4')]).toBe(`OI-${tx.id}`);
      expect(r[col('REFERENCE6')]).toBe(tx.id);
      expect(r[col('REFERENCE10')]).toBe(`${tx.merchant_data?.name} card 4242`);
      expect(r[col('GROUP_ID')]).toMatch(/^\d{16}$/);
      expect(r[col('ENTERED_DR')] === '' ? r[col('ENTERED_CR')] : r[col('ENTERED_DR')]).toMatch(
        /^\d+\.\d{2}$/,
      );
    }
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      requests: Array<{ externalRefs: string[]; description: string }>;
    };
    expect(index.requests.flatMap((r) => r.externalRefs)).toEqual(pending.map((t) => t.id));
    expect(index.requests[0]?.description).toMatch(
      /ParameterList #NULL,OpenIssuing Card,300000046975971,\d{16},N,N,N/,
    );

    // nothing changed: no upload, no state, no cursor
    expect(server.emulator.stats.uploads).toBe(uploads);
    expect(server.emulator.stats.requests).toBe(requests);
    expect((await sync('status', '--json')).stdout).toBe(before);

    // the real run imports exactly what the preview showed (GROUP_ID aside: every upload gets a fresh one)
    const real = await sync('run');
    expect(real.code, real.stderr).toBe(0);
    const blank = (r: string[]) =>
      r.map((v, i) => (i === col('GROUP_ID') || i === col('DATE_CREATED') ? '' : v));
    const uploaded = [...server.emulator.jobs.values()]
      .filter((j) => j.upload !== null)
      .map((j) => parse(j.upload?.csv ?? '') as string[][])
      .filter((r) => pending.some((t) => t.id === r[0]?.[col('REFERENCE6')]));
    const imported = uploaded.flat().map(blank);
    const previewed = rows.flat().map(blank);
    expect(imported).toEqual(previewed);
    const booked = server.emulator.journalsByReference();
    expect(txs.every((t) => booked.get(t.id) === 1)).toBe(true);
  }, 120_000);
});
