import { must } from '@openissuing/connector-core/testing';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUpload, GL_INTERFACE_COLUMNS, type GlInterfaceRow, toGlInterfaceCsv } from '../src/index.js';
import { OracleEmulator } from '../src/testing/index.js';
import { oracleHandlers } from '../src/testing/msw.js';
import { entriesFor, layout, makeTransactions } from './helpers.js';

const BASE = 'https://fa-test.fa.us2.oraclecloud.com';
const API = `${BASE}/fscmRestApi/resources/11.13.18.05`;
let now = Date.parse('2026-11-30T10:00:00Z');
let emu = new OracleEmulator({ now: () => now });
// the handlers stay installed while each test takes a fresh emulator
const current = {
  handle: (req: Parameters<OracleEmulator['handle']>[0]) => emu.handle(req),
} as OracleEmulator;
const server = setupServer(...oracleHandlers(current, { baseUrl: BASE }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** A non-empty list: the first element a test reads is there (when it is not, the expectation fails). */
type Some<T> = [T, ...T[]];
/** What these tests read of Oracle's REST answers: ESS job requests, collections and errors. */
interface OracleAnswer {
  ReqstId?: number | string;
  count?: number;
  hasMore?: boolean;
  limit?: number;
  offset?: number;
  items: Some<{
    RequestStatus: string;
    DocumentContent: string;
    JeBatchId: number;
    JeHeaderId: number;
    journalHeaders: Some<Record<string, unknown> & { journalLines: Some<{ AccountCombination: string }> }>;
  }>;
  'o:errorDetails': Some<{ detail: string }>;
}

const BASIC = `Basic ${Buffer.from('integration.user:emulator-password').toString('base64')}`;
async function call(method: string, path: string, body?: unknown, auth = BASIC) {
  const res = await fetch(`${API}/${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: text && json ? (JSON.parse(text) as OracleAnswer) : null };
}

/** The status and Fusion error detail (`o:errorDetails[0].detail`) of an error answer. */
function faultOf(res: Awaited<ReturnType<typeof call>>): [number, string | undefined] {
  return [res.status, res.body?.['o:errorDetails']?.[0]?.detail];
}

function fresh(options: ConstructorParameters<typeof OracleEmulator>[0] = {}) {
  emu = new OracleEmulator({ now: () => now, jobLatency: { queuedMs: 1000, runningMs: 5000 }, ...options });
  return emu;
}

let group = 100;
function uploadBody(rows: GlInterfaceRow[] | string, params?: string) {
  const csv = typeof rows === 'string' ? rows : toGlInterfaceCsv(rows);
  const zip = zipSync({ 'GlInterface.csv': strToU8(csv) });
  return {
    OperationName: 'importBulkData',
    DocumentContent: Buffer.from(zip).toString('base64'),
    ContentType: 'zip',
    FileName: 'GlInterface.zip',
    DocumentAccount: 'fin$/generalLedger$/import$',
    JobName: '/oracle/apps/ess/financials/generalLedger/programs/common,JournalImportLauncher',
    ParameterList: params ?? `#NULL,OpenIssuing Card,300000046975971,${group},N,N,N`,
  };
}
function rowsFor(n: number, seed: number, change?: (r: GlInterfaceRow, i: number) => void): GlInterfaceRow[] {
  group++;
  const up = buildUpload(entriesFor(makeTransactions(n, seed)), layout, {
    ledgerId: '300000046975971',
    groupId: String(group),
    createdOn: '2026-11-30',
    postErrorsToSuspense: false,
    createSummaryJournals: false,
    documentAccount: 'x',
  });
  for (const [i, r] of up.rows.entries()) change?.(r, i);
  return up.rows;
}
async function runToEnd(body: unknown) {
  const res = await call('POST', 'erpintegrations', body);
  expect(res.status).toBe(201);
  const id = String(res.body?.ReqstId);
  now += 10_000;
  const st = await call('GET', `erpintegrations?finder=ESSJobStatusRF;requestId=${id}`);
  return { id, status: st.body?.items[0].RequestStatus as string };
}
async function details(id: string): Promise<string> {
  const d = await call('GET', `erpintegrations?finder=ESSJobExecutionDetailsRF;requestId=${id},fileType=ALL`);
  const files = unzipSync(Buffer.from(d.body?.items[0].DocumentContent ?? '', 'base64'));
  return Object.values(files)
    .map((f) => strFromU8(f))
    .join('\n');
}

describe('Oracle emulator fidelity (in-process through msw)', () => {
  it('authenticates Basic and bearer; anything else is 401', async () => {
    fresh();
    expect((await call('GET', 'journalBatches', undefined, '')).status).toBe(401);
    expect(
      (
        await call(
          'GET',
          'journalBatches',
          undefined,
          `Basic ${Buffer.from('integration.user:nope').toString('base64')}`,
        )
      ).status,
    ).toBe(401);
    expect((await call('GET', 'journalBatches', undefined, `Bearer ${emu.issueToken()}`)).status).toBe(200);
    emu.revokeTokens();
    expect((await call('GET', 'journalBatches', undefined, 'Bearer eyJemu.gone')).status).toBe(401);
  });

  it('validates the importBulkData request with Fusion error bodies', async () => {
    fresh();
    const good = uploadBody(rowsFor(1, 1));
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, OperationName: 'uploadFileToUCM' }, /OperationName "uploadFileToUCM"/],
      [{ ...good, DocumentContent: '%%%' }, /not valid base64/],
      [{ ...good, DocumentContent: Buffer.from('plain text').toString('base64') }, /not a zip file/],
      [
        {
          ...good,
          DocumentContent: Buffer.from(zipSync({ 'journals.csv': strToU8('x') })).toString('base64'),
        },
        /must contain GlInterface\.csv; it contains journals\.csv/,
      ],
      [
        { ...good, JobName: '/oracle/apps/ess/financials/payables/invoices/transactions,APXIIMPT' },
        /is not Import Journals/,
      ],
      [
        { ...good, ParameterList: '#NULL,OpenIssuing Card,300000046975971,1' },
        /7 Import Journals parameters, got 4/,
      ],
      [{ ...good, ParameterList: '#NULL,OpenIssuing Card,42,1,N,N,N' }, /ledger 42 does not exist/],
      [
        { ...good, ParameterList: '#NULL,Payroll,300000046975971,1,N,N,N' },
        /journal source "Payroll" does not exist/,
      ],
      [
        { ...good, ParameterList: '#NULL,OpenIssuing Card,300000046975971,abc,N,N,N' },
        /group id "abc" must be a number/,
      ],
      [{ ...good, DocumentAccount: 'fin$/payables$/import$' }, /General Ledger import account/],
    ];
    for (const [body, msg] of cases) {
      const res = await call('POST', 'erpintegrations', body);
      expect(res.status).toBe(400);
      expect(res.body?.['o:errorDetails'][0].detail).toMatch(msg);
    }
    expect(emu.jobs.size).toBe(0);
  });

  it('runs the ESS job WAIT → RUNNING → SUCCEEDED on the injected clock, then serves the batches', async () => {
    fresh();
    const res = await call('POST', 'erpintegrations', uploadBody(rowsFor(3, 2)));
    const id = res.body?.ReqstId;
    const status = async () =>
      (await call('GET', `erpintegrations?finder=ESSJobStatusRF;requestId=${id}`)).body?.items[0]
        .RequestStatus;
    expect(await status()).toBe('WAIT');
    now += 1500;
    expect(await status()).toBe('RUNNING');
    expect(emu.batches).toHaveLength(0);
    now += 5000;
    expect(await status()).toBe('SUCCEEDED');
    expect(emu.batches).toHaveLength(3);
    const unknown = await call('GET', 'erpintegrations?finder=ESSJobStatusRF;requestId=1');
    expect(faultOf(unknown)).toEqual([400, 'The ESS request 1 does not exist.']);
  });

  it('loads the CSV positionally: TRAILING NULLCOLS, quoted commas, and SQL*Loader rejections', async () => {
    fresh();
    // short rows (fields after GROUP_ID left out) load
    const rows = rowsFor(1, 3);
    const csv = toGlInterfaceCsv(rows)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/,+$/, ''))
      .join('\n');
    expect(csv.split('\n')[0]?.split(',').length).toBeLessThan(GL_INTERFACE_COLUMNS.length);
    expect((await runToEnd(uploadBody(csv))).status).toBe('SUCCEEDED');
    // too long a batch name: ORA-12899, nothing of the file is imported
    const long = rowsFor(2, 4, (r) => {
      r.REFERENCE1 = 'x'.repeat(101);
    });
    const bad = await runToEnd(uploadBody(long));
    expect(bad.status).toBe('ERROR');
    expect(await details(bad.id)).toMatch(
      /Record 1: Rejected - Error on table GL_INTERFACE, column REFERENCE1\.\nORA-12899: value too large for column "FUSION"\."GL_INTERFACE"\."REFERENCE1" \(actual: 101, maximum: 100\)/,
    );
    // a date in the wrong format
    const dated = rowsFor(1, 5, (r) => {
      r.ACCOUNTING_DATE = '2026-11-03';
    });
    const d = await runToEnd(uploadBody(dated));
    expect(d.status).toBe('ERROR');
    expect(await details(d.id)).toMatch(/ORA-01861: literal does not match format string/);
    // more fields than the template has
    const wide = `${toGlInterfaceCsv(rowsFor(1, 6))
      .trim()
      .split('\n')
      .map((l) => `${l},extra`)
      .join('\n')}\n`;
    expect((await runToEnd(uploadBody(wide))).status).toBe('ERROR');
    expect(emu.batches).toHaveLength(1);
  });

  it("rejects lines with Oracle's codes and holds the whole group (P for the others)", async () => {
    fresh();
    emu.setSegmentValue('Account', '6100', { enabled: false });
    const expense = (r: GlInterfaceRow) => r.SEGMENT3 !== '2150';
    const checks: Array<[string, (r: GlInterfaceRow) => void]> = [
      [
        'EF03',
        (r) => {
          if (expense(r)) r.SEGMENT3 = '6100';
        },
      ],
      [
        'EF02',
        (r) => {
          if (expense(r)) r.SEGMENT3 = '6000';
        },
      ],
      [
        'EF04',
        (r) => {
          if (!expense(r)) r.SEGMENT2 = '110';
        },
      ],
      [
        'EC08',
        (r) => {
          r.CURRENCY_CODE = 'XYZ';
        },
      ],
      [
        'EC11',
        (r) => {
          r.CURRENCY_CODE = 'EUR';
        },
      ],
      [
        'EC01',
        (r) => {
          Object.assign(r, { CURRENCY_CODE: 'EUR', USER_CURRENCY_CONVERSION_TYPE: 'User' });
        },
      ],
      [
        'EC02',
        (r) => {
          Object.assign(r, { CURRENCY_CODE: 'EUR', USER_CURRENCY_CONVERSION_TYPE: 'Corporate' });
        },
      ],
      [
        'EC06',
        (r) => {
          Object.assign(r, {
            CURRENCY_CODE: 'GBP',
            USER_CURRENCY_CONVERSION_TYPE: 'Corporate',
            CURRENCY_CONVERSION_DATE: '2026/11/03',
          });
        },
      ],
      [
        'EP01',
        (r) => {
          r.ACCOUNTING_DATE = '2026/01/15';
        },
      ],
      [
        'EU02',
        (r) => {
          if (r.ENTERED_CR) r.ENTERED_CR = '0.01';
          else r.ENTERED_DR = '0.02';
        },
      ],
      [
        'EX02',
        (r) => {
          r.USER_JE_CATEGORY_NAME = 'Nope';
        },
      ],
    ];
    for (const [code, change] of checks) {
      const rows = rowsFor(3, 7);
      // break the first journal only (its two lines)
      for (const r of rows.slice(0, 2)) change(r);
      const res = await runToEnd(uploadBody(rows));
      expect(res.status, code).toBe('ERROR');
      const report = await details(res.id);
      expect(report, code).toMatch(new RegExp(`^${code}\\t${rows[0]?.REFERENCE1}`, 'm'));
      const inGroup = emu.interfaceTable.filter((r) => r.values.GROUP_ID === rows[0]?.GROUP_ID);
      expect(inGroup.filter((r) => r.status === 'P').length, code).toBeGreaterThanOrEqual(4);
    }
    expect(emu.batches).toHaveLength(0);
    expect(emu.stats.rejectedGroups).toBe(checks.length);
  });

  it('imports nothing when the ParameterList does not match the rows (WARNING), and accepts converted journals', async () => {
    fresh();
    const rows = rowsFor(1, 8);
    const res = await runToEnd(
      uploadBody(rows, `#NULL,Spreadsheet,300000046975971,${rows[0]?.GROUP_ID},N,N,N`),
    );
    expect(res.status).toBe('WARNING');
    expect(emu.interfaceTable.every((r) => r.status === 'NEW')).toBe(true);
    const eur = rowsFor(1, 9, (r) =>
      Object.assign(r, {
        CURRENCY_CODE: 'EUR',
        USER_CURRENCY_CONVERSION_TYPE: 'Corporate',
        CURRENCY_CONVERSION_DATE: '2026/11/03',
      }),
    );
    expect((await runToEnd(uploadBody(eur))).status).toBe('SUCCEEDED');
    const line = emu.batches[0]?.journals[0]?.lines[0];
    expect(Number(line?.accountedDr ?? line?.accountedCr)).toBeCloseTo(
      Number(eur[0]?.ENTERED_DR ?? eur[0]?.ENTERED_CR) * 1.08,
      2,
    );
  });

  it('serves journalBatches with q, limit/offset/hasMore, child journals and lines, DELETE; no duplicate protection', async () => {
    fresh();
    const rows = rowsFor(30, 10);
    await runToEnd(uploadBody(rows));
    await runToEnd(
      uploadBody(
        rows.slice(0, 2).map((r) => ({ ...r, GROUP_ID: '999' })),
        '#NULL,OpenIssuing Card,300000046975971,999,N,N,N',
      ),
    );
    const name = rows[0]?.REFERENCE1;
    const dup = await call('GET', `journalBatches?q=${encodeURIComponent(`BatchName LIKE '${name} %'`)}`);
    expect(dup.body?.items).toHaveLength(2); // Oracle imported the same journal twice
    const p1 = await call('GET', 'journalBatches?limit=25&offset=0');
    expect(p1.body).toMatchObject({ count: 25, hasMore: true, limit: 25, offset: 0 });
    const p2 = await call('GET', 'journalBatches?limit=25&offset=25');
    expect(p2.body).toMatchObject({ count: 6, hasMore: false });
    const one = await call(
      'GET',
      `journalBatches?q=${encodeURIComponent(`BatchName LIKE '${name} %' and RequestId < 20000000`)}&expand=journalHeaders.journalLines&limit=1`,
    );
    const batch = must(one.body, 'the journal batch').items[0];
    expect(batch.journalHeaders[0]).toMatchObject({
      JournalName: name,
      ExternalReference: rows[0]?.REFERENCE6,
      CurrencyCode: 'USD',
    });
    expect(batch.journalHeaders[0].journalLines[0].AccountCombination).toBe(
      [rows[0]?.SEGMENT1, rows[0]?.SEGMENT2, rows[0]?.SEGMENT3, rows[0]?.SEGMENT4, rows[0]?.SEGMENT5].join(
        '.',
      ),
    );
    const headers = await call('GET', `journalBatches/${batch.JeBatchId}/child/journalHeaders`);
    const lines = await call(
      'GET',
      `journalBatches/${batch.JeBatchId}/child/journalHeaders/${headers.body?.items[0].JeHeaderId}/child/journalLines`,
    );
    expect(lines.body?.items).toHaveLength(2);
    expect(faultOf(await call('GET', `journalBatches?q=${encodeURIComponent("Nope = 'x'")}`))).toEqual([
      400,
      'URL request parameter q with value Nope is not a queryable attribute',
    ]);
    expect(faultOf(await call('POST', 'journalBatches', {}))).toEqual([
      400,
      'POST is not supported on journalBatches: it is read, patch and delete only.',
    ]);
    expect((await call('DELETE', `journalBatches/${batch.JeBatchId}`)).status).toBe(204);
    expect(faultOf(await call('GET', `journalBatches/${batch.JeBatchId}`))).toEqual([
      404,
      `The journal batch ${batch.JeBatchId} does not exist.`,
    ]);
  });

  it('injects faults: 5xx applies nothing, a lost answer and a timeout apply the upload', async () => {
    fresh();
    emu.failNext('503');
    expect((await call('POST', 'erpintegrations', uploadBody(rowsFor(1, 11)))).status).toBe(503);
    expect(emu.jobs.size).toBe(0);
    emu.failNext('timeout');
    expect((await call('POST', 'erpintegrations', uploadBody(rowsFor(1, 12)))).status).toBe(504);
    emu.failNext('lost');
    await expect(call('POST', 'erpintegrations', uploadBody(rowsFor(1, 13)))).rejects.toMatchObject({
      name: 'TypeError',
      message: 'Failed to fetch', // the connection dropped after the upload was taken: a lost answer
    });
    expect(emu.jobs.size).toBe(2);
    now += 10_000;
    emu.settle();
    expect(emu.batches).toHaveLength(2);
  });
});
