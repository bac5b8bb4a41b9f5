import { readFile } from 'node:fs/promises';
import type { PlatformTransaction } from '@openissuing/connector-core';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  buildUpload,
  decimalAmount,
  GL_INTERFACE_COLUMNS,
  journalImportParameterList,
  LayoutError,
} from '../src/index.js';
import { entriesFor, layout, makeTransactions } from './helpers.js';

const template = JSON.parse(
  await readFile(new URL('./fixtures/journal-import-template-row4.json', import.meta.url), 'utf8'),
) as string[];

const options = {
  ledgerId: '300000046975971',
  groupId: '1733011200001',
  createdOn: '2026-11-30',
  postErrorsToSuspense: false,
  createSummaryJournals: false,
  documentAccount: 'fin$/generalLedger$/import$',
};

/** Reads a GlInterface.csv record by the published template's header for each position. */
function byTemplateHeader(record: string[]): Record<string, string> {
  return Object.fromEntries(template.map((h, i) => [h.replace(/^\*/, ''), record[i] ?? '']));
}

describe('GlInterface.csv against the published JournalImportTemplate', () => {
  const entries = entriesFor(makeTransactions(6, 3));
  const upload = buildUpload(entries, layout, options);
  const zipped = unzipSync(upload.zip);
  const csv = strFromU8(zipped['GlInterface.csv'] as Uint8Array);
  const records = parse(csv, { relax_column_count: false }) as string[][];

  it('zips one headerless GlInterface.csv with the 149 template columns on every row', () => {
    expect(Object.keys(zipped)).toEqual(['GlInterface.csv']);
    expect(template).toHaveLength(149);
    expect(GL_INTERFACE_COLUMNS).toHaveLength(template.length);
    expect(records).toHaveLength(entries.length * 2);
    for (const r of records) expect(r).toHaveLength(149);
    expect(records[0]?.[0]).toBe('NEW'); // no header row
  });

  it('puts every value under the template header of its position', () => {
    const tx = makeTransactions(6, 3)[0];
    const row = byTemplateHeader(records[0] as string[]);
    const entry = entries[0];
    expect(row['Status Code']).toBe('NEW');
    expect(row['Ledger ID']).toBe('300000046975971');
    expect(row['Effective Date of Transaction']).toBe(
      String(tx?.created_at).slice(0, 10).replaceAll('-', '/'),
    );
    expect(row['Journal Source']).toBe('OpenIssuing Card');
    expect(row['Journal Category']).toBe('Card Expense');
    expect(row['Currency Code']).toBe('USD');
    expect(row['Journal Entry Creation Date']).toBe('2026/11/30');
    expect(row['Actual Flag']).toBe('A');
    expect(row.Segment1).toBe('101');
    expect(['110', '120']).toContain(row.Segment2);
    expect(row.Segment3).toBe(layout.accounts?.[entry?.lines[0]?.account ?? '']);
    expect(row.Segment4).toBe('100');
    expect(row.Segment5).toBe('000');
    expect(row.Segment6).toBe('');
    const amount = decimalAmount(entry?.lines[0]?.amount ?? 0, 'USD');
    expect(entry?.kind === 'refund' ? row['Entered Credit Amount'] : row['Entered Debit Amount']).toBe(
      amount,
    );
    expect(row['REFERENCE1 (Batch Name)']).toBe(`OI-${tx?.id}`);
    expect(row['REFERENCE4 (Journal Entry Name)']).toBe(`OI-${tx?.id}`);
    expect(row['REFERENCE6 (Journal Entry Reference)']).toBe(tx?.id);
    expect(row['REFERENCE10 (Journal Entry Line Description)']).toBe(`${tx?.merchant_data?.name} card 4242`);
    expect(row['Interface Group Identifier']).toBe('1733011200001');
    expect(row['Period Name']).toBe('');
    // the liability line: card clearing account, no cost center
    const liab = byTemplateHeader(records[1] as string[]);
    expect(liab.Segment3).toBe('2150');
    expect(liab.Segment2).toBe('000');
  });

  it('quotes values with commas and quotes so positions survive', () => {
    const i = makeTransactions(6, 3).findIndex((t) => t.merchant_data?.name?.includes(','));
    const j = makeTransactions(6, 3).findIndex((t) => t.merchant_data?.name?.includes('"'));
    expect(i >= 0 || j >= 0).toBe(true);
    const k = i >= 0 ? i : j;
    const row = byTemplateHeader(records[k * 2] as string[]);
    expect(row['REFERENCE10 (Journal Entry Line Description)']).toBe(
      `${makeTransactions(6, 3)[k]?.merchant_data?.name} card 4242`,
    );
    expect(row['Interface Group Identifier']).toBe('1733011200001');
  });

  it('sends the seven Import Journals parameters that match the rows', () => {
    expect(upload.body.ParameterList).toBe('#NULL,OpenIssuing Card,300000046975971,1733011200001,N,N,N');
    expect(upload.body.JobName).toBe(
      '/oracle/apps/ess/financials/generalLedger/programs/common,JournalImportLauncher',
    );
    expect(upload.body.OperationName).toBe('importBulkData');
    expect(Buffer.from(upload.body.DocumentContent as string, 'base64')).toEqual(Buffer.from(upload.zip));
    expect(
      journalImportParameterList({
        dataAccessSetId: '300000046975980',
        journalSource: 'S',
        ledgerId: '1',
        groupId: '2',
        postErrorsToSuspense: true,
        createSummaryJournals: false,
      }),
    ).toBe('300000046975980,S,1,2,Y,N,N');
  });

  it('lays foreign currency out with the User rate, or the configured conversion type and date', () => {
    const [eur] = entriesFor([{ ...(makeTransactions(1, 9)[0] as PlatformTransaction), currency: 'eur' }]);
    const withRate = buildUpload([eur as never], layout, options).rows[0];
    expect(withRate?.USER_CURRENCY_CONVERSION_TYPE).toBe('User');
    expect(withRate?.CURRENCY_CONVERSION_RATE).toBe('1.08');
    const noRate = { ...(eur as object), exchangeRate: undefined } as never;
    const corp = buildUpload(
      [noRate],
      { ...layout, conversion: { type: 'Corporate', date: 'accounting' } },
      options,
    ).rows[0];
    expect(corp?.USER_CURRENCY_CONVERSION_TYPE).toBe('Corporate');
    expect(corp?.CURRENCY_CONVERSION_DATE).toBe(corp?.ACCOUNTING_DATE);
    expect(corp?.CURRENCY_CONVERSION_RATE).toBeUndefined();
    const none = buildUpload([noRate], layout, options);
    expect(none.refs).toEqual([]);
    expect(none.rejected[0]?.error).toBeInstanceOf(LayoutError);
    expect(none.rejected[0]?.error.message).toMatch(/exchangeRates\.EUR.*conversion\.type/);
  });

  it('names the segment to fix when a dimension has no value and no default', () => {
    const strict = {
      ...layout,
      segments: layout.segments.map((s, i) =>
        i === 1 ? { dimension: 'department', values: { Marketing: '110' } } : s,
      ),
    };
    const [e] = entriesFor([
      { ...(makeTransactions(1, 2)[0] as PlatformTransaction), dimensions: { department: 'Legal' } },
    ]);
    const up = buildUpload([e as never], strict, options);
    expect(up.rejected[0]?.error.message).toBe(
      'connector.options.segments.1: no segment value for department "Legal": add it to "values" or set a "default"',
    );
  });
});
