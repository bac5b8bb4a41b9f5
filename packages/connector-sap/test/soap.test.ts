import { ErpError, type JournalEntry, mapTransaction } from '@openissuing/connector-core';
import { describe, expect, it } from 'vitest';
import {
  bulkRequestEnvelope,
  documentReferenceIdFor,
  formatAmount,
  headerReferencesFor,
  JOURNAL_ENTRY_SOAP_ACTION,
  parseAmount,
  parseEnvelope,
  parseXml,
  renderEntryRequest,
  sapMappingSchema,
  soapRequestHeaders,
  validateRoot,
} from '../src/index.js';
import { bodyOf, entriesFor, makeTransactions, mapping, must, xmllint } from './helpers.js';

const sap = sapMappingSchema.parse(mapping.sap);
const opts = { mapping: sap, createdByUser: 'OI_SYNC_COMM', cardLast4: '4242' };

function xmlOf(entries: JournalEntry[], version: '1.1' | '1.2' = '1.1') {
  return bulkRequestEnvelope(
    version,
    entries.map((e) => renderEntryRequest(e, opts)),
  );
}

describe('the SOAP request', () => {
  const entries = entriesFor(makeTransactions(20, 3));

  it("validates against the XSD derived from SAP's WSDL (libxml2), SOAP 1.1 and 1.2", async () => {
    for (const version of ['1.1', '1.2'] as const) {
      const envelope = xmlOf(entries, version);
      expect(await xmllint(bodyOf(envelope))).toEqual([]);
      expect(parseEnvelope(envelope).version).toBe(version);
    }
  });

  it('keeps the schema sequence order and respects every length', () => {
    const root = must(parseEnvelope(xmlOf(entries.slice(0, 1))).payload);
    expect(validateRoot(root)).toEqual([]);
    const je = must(root.children[1]?.children[1]);
    expect(je.children.map((c) => c.name)).toEqual([
      'OriginalReferenceDocumentType',
      'BusinessTransactionType',
      'AccountingDocumentType',
      'DocumentReferenceID',
      'DocumentHeaderText',
      'CreatedByUser',
      'CompanyCode',
      'DocumentDate',
      'PostingDate',
      'Reference1InDocumentHeader',
      'Reference2InDocumentHeader',
      'Item',
      'Item',
    ]);
    const text = (name: string) => must(je.children.find((c) => c.name === name)).text;
    expect(text('DocumentHeaderText').length).toBeLessThanOrEqual(25);
    expect(text('DocumentHeaderText')).toMatch(/^Card 4242 /);
    expect(text('DocumentReferenceID')).toBe(documentReferenceIdFor(must(entries[0]).externalRef));
    expect(text('Reference1InDocumentHeader') + text('Reference2InDocumentHeader')).toBe(
      must(entries[0]).externalRef,
    );
  });

  it('writes our reference: 16-character DocumentReferenceID, the full id in Reference1/2 and MessageHeader/ID', () => {
    const id = 'itxn_01JD2ZK9Q6W0000ABCDEFGHJKM';
    expect(documentReferenceIdFor(id)).toMatch(/^OI[0-9A-Z]{14}$/);
    expect(documentReferenceIdFor(id)).toBe(documentReferenceIdFor(id));
    expect(documentReferenceIdFor(id)).not.toBe(documentReferenceIdFor(`${id}X`));
    expect(headerReferencesFor(id)).toEqual(['itxn_01JD2ZK9Q6W0000', 'ABCDEFGHJKM']);
    const [, r2] = headerReferencesFor('x'.repeat(50));
    expect(r2).toHaveLength(20);
    const root = parseXml(bodyOf(xmlOf(entries.slice(0, 1))));
    expect(root.children[1]?.children[0]?.children[0]?.text).toBe(must(entries[0]).externalRef);
  });

  it('signs amounts with S/H, books refunds the other way round and formats JPY without decimals', async () => {
    const [charge, refund] = makeTransactions(2, 9);
    const jpy = mapTransaction(mapping, {
      ...must(charge),
      type: 'capture',
      currency: 'jpy',
      amount: 12000,
      merchant_data: { name: 'Tokyo Cafe', mcc: '5999', category: 'other' },
    });
    const back = mapTransaction(mapping, { ...must(refund), type: 'refund', amount: 1234 });
    const root = parseXml(bodyOf(xmlOf([jpy, back])));
    const items = (i: number) =>
      must(root.children[i + 1]?.children[1])
        .children.filter((c) => c.name === 'Item')
        .map((it) => {
          const amount = must(it.children.find((c) => c.name === 'AmountInTransactionCurrency'));
          return [
            it.children.find((c) => c.name === 'GLAccount')?.text,
            amount.text,
            amount.attrs.currencyCode,
            it.children.find((c) => c.name === 'DebitCreditCode')?.text,
          ];
        });
    expect(items(0)).toEqual([
      ['61009000', '12000', 'JPY', 'S'],
      ['21900000', '-12000', 'JPY', 'H'],
    ]);
    expect(items(1)[0]?.[1]).toBe('-12.34');
    expect(items(1)[0]?.[3]).toBe('H');
    expect(items(1)[1]).toEqual(['21900000', '12.34', 'EUR', 'S']);
    expect(formatAmount(5, 'KWD')).toBe('0.005');
    expect(parseAmount('-12.340', 'EUR')).toBe(-1234);
    expect(() => parseAmount('1.5', 'JPY')).toThrow(/more decimals than JPY/);
    expect(await xmllint(bodyOf(xmlOf([jpy, back])))).toEqual([]);
  });

  it('carries cost center, WBS element, profit center and tax code on the expense item only', () => {
    const withExtras = sapMappingSchema.parse({
      ...mapping.sap,
      profitCenter: { rules: [{ category: 'advertising', profitCenter: 'YB101' }] },
      taxCode: { rules: [{ category: 'advertising', taxCode: 'V1' }] },
    });
    const tx = {
      ...must(makeTransactions(1, 2)[0]),
      type: 'capture' as const,
      merchant_data: { name: 'Google Ads', mcc: '7311', category: 'advertising' },
    };
    const xml = renderEntryRequest(mapTransaction(mapping, tx), { ...opts, mapping: withExtras });
    const items = parseXml(xml).children[1]?.children.filter((c) => c.name === 'Item') ?? [];
    const names = (i: number) => items[i]?.children.map((c) => c.name);
    expect(names(0)).toEqual([
      'ReferenceDocumentItem',
      'GLAccount',
      'AmountInTransactionCurrency',
      'DebitCreditCode',
      'DocumentItemText',
      'AssignmentReference',
      'Tax',
      'AccountAssignment',
    ]);
    expect(items[0]?.children.at(-1)?.children.map((c) => `${c.name}=${c.text}`)).toEqual([
      'ProfitCenter=YB101',
      `CostCenter=${tx.dimensions?.department === 'Marketing' ? '10101301' : '10101101'}`,
      'WBSElement=P-APOLLO',
    ]);
    expect(names(1)).toEqual([
      'ReferenceDocumentItem',
      'GLAccount',
      'AmountInTransactionCurrency',
      'DebitCreditCode',
      'DocumentItemText',
      'AssignmentReference',
    ]);
    expect(items[0]?.children.find((c) => c.name === 'DocumentItemText')?.text).toBe('Google Ads MCC 7311');
  });

  it('writes foreign currency as the card currency with the exchange rate, and the merchant original in the text', async () => {
    const tx = {
      ...must(makeTransactions(1, 4)[0]),
      type: 'capture' as const,
      currency: 'usd',
      merchant_amount: 1100,
      merchant_currency: 'gbp',
      exchange_rate: '1.27',
    };
    const entry = mapTransaction({ ...mapping, homeCurrency: 'EUR', exchangeRates: { USD: 0.92 } }, tx);
    const xml = renderEntryRequest(entry, opts);
    const je = must(parseXml(xml).children[1]);
    expect(je.children.find((c) => c.name === 'ExchangeRate')?.text).toBe('0.92');
    expect(je.children.find((c) => c.name === 'ExchangeRateDate')?.text).toBe(entry.date);
    expect(xml).toContain('currencyCode="USD"');
    expect(xml).toContain('(11.00 GBP)');
    expect(await xmllint(bodyOf(bulkRequestEnvelope('1.1', [xml])))).toEqual([]);
  });

  it('fails one entry permanently, naming the mapping field, when it cannot be mapped to SAP', () => {
    const tx = { ...must(makeTransactions(1, 5)[0]), dimensions: { department: 'Finance' } };
    expect(() => renderEntryRequest(mapTransaction(mapping, tx), opts)).toThrow(
      /no SAP cost center for department "Finance": add "Finance": "<cost center id>" to sap\.costCenter\.values/,
    );
    const long = mapTransaction(
      { ...mapping, defaultAccount: 'Uncategorized Expense', rules: [] },
      must(makeTransactions(1, 5)[0]),
    );
    let err: unknown;
    try {
      renderEntryRequest(long, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErpError);
    expect((err as ErpError).kind).toBe('permanent');
    expect((err as ErpError).message).toMatch(/"Uncategorized Expense" is not an SAP G\/L account/);
  });

  it('sends the SOAPAction of the WSDL for both versions', () => {
    expect(soapRequestHeaders('1.1')).toMatchObject({
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"${JOURNAL_ENTRY_SOAP_ACTION}"`,
    });
    expect(soapRequestHeaders('1.2')['content-type']).toBe(
      `application/soap+xml; charset=utf-8; action="${JOURNAL_ENTRY_SOAP_ACTION}"`,
    );
  });
});

describe('dry-run rendering', () => {
  it('renders the exact bulk request post would send, without sending it, and it validates', async () => {
    const { SapEmulator } = await import('../src/testing/index.js');
    const { adapterFor } = await import('./helpers.js');
    const emu = new SapEmulator();
    const adapter = adapterFor({ url: 'http://127.0.0.1:9', emulator: emu } as never);
    const entries = entriesFor(makeTransactions(5, 31));
    const bad = { ...must(entries[4]), dimensions: { department: 'Finance' } };
    const [req, ...rest] = await adapter.render([...entries.slice(0, 4), bad]);
    expect(rest).toEqual([]);
    expect(req?.name).toBe('JournalEntryBulkCreateRequest.xml');
    expect(req?.externalRefs).toEqual(entries.slice(0, 4).map((e) => e.externalRef));
    expect(req?.description).toMatch(
      /4 journal entries\. Not sent: .*\(no SAP cost center for department "Finance"/,
    );
    expect(await xmllint(bodyOf(must(req).body))).toEqual([]);
    expect(emu.stats.requests).toBe(0);
  });
});
