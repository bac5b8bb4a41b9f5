import { describe, expect, it } from 'vitest';
import {
  bulkRequestEnvelope,
  JOURNAL_ENTRY_SOAP_ACTION,
  parseBulkConfirmation,
  parseEnvelope,
  renderEntryRequest,
  sapMappingSchema,
  soapRequestHeaders,
} from '../src/index.js';
import { CUBE_PATH, JOURNAL_ENTRY_POST_PATH, SapEmulator } from '../src/testing/index.js';
import { bodyOf, entriesFor, makeTransactions, mapping, must, xmllint } from './helpers.js';

const HOST = 'https://my400000-api.s4hana.cloud.sap';
const sap = sapMappingSchema.parse(mapping.sap);
const render = (txs = makeTransactions(1, 21)) =>
  entriesFor(txs).map((e) => renderEntryRequest(e, { mapping: sap, createdByUser: 'OPENISSUING' }));

function basic(emu: SapEmulator) {
  return `Basic ${Buffer.from(`${emu.username}:${emu.password}`).toString('base64')}`;
}

async function soap(emu: SapEmulator, envelope: string, version: '1.1' | '1.2' = '1.1') {
  const res = await emu.fetch(`${HOST}${JOURNAL_ENTRY_POST_PATH}`, {
    method: 'POST',
    headers: { ...soapRequestHeaders(version), authorization: basic(emu) },
    body: envelope,
  });
  return { status: res.status, text: await res.text() };
}

async function post(emu: SapEmulator, fragments: string[]) {
  const r = await soap(emu, bulkRequestEnvelope('1.1', fragments));
  expect(r.status).toBe(200);
  return parseBulkConfirmation(must(parseEnvelope(r.text).payload)).entries;
}

function resultsOf<T = Record<string, unknown>>(r: { body: Record<string, unknown> | null }): T[] {
  const d = r.body?.d as { results?: T[] } | undefined;
  if (!d?.results) throw new Error(`expected a V2 collection, got ${JSON.stringify(r.body)}`);
  return d.results;
}

/** The OData V2 error of a response body (`{ error: { code, message, innererror } }`). */
function odataErrorOf(r: { body: unknown }) {
  return (
    r.body as {
      error: {
        code: string;
        message: { lang: string; value: string };
        innererror: { errordetails: unknown[] };
      };
    }
  ).error;
}

async function cube(emu: SapEmulator, query: string, init: RequestInit = {}) {
  const res = await emu.fetch(`${HOST}${CUBE_PATH}/A_OperationalAcctgDocItemCube?${query}`, {
    ...init,
    headers: {
      authorization: basic(emu),
      accept: 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
    res,
  };
}

describe('SAP emulator: the SOAP envelope and schema', () => {
  const good = bodyOf(bulkRequestEnvelope('1.1', render(makeTransactions(2, 22))));
  const mutations: Array<[string, (s: string) => string]> = [
    ['unchanged', (s) => s],
    [
      'header text over 25 characters',
      (s) =>
        s.replace(
          /<DocumentHeaderText>[^<]*</,
          '<DocumentHeaderText>Card 4242 A much too long merchant name<',
        ),
    ],
    [
      'elements out of sequence order',
      (s) =>
        s.replace(
          /(<AccountingDocumentType>[^<]*<\/AccountingDocumentType>)(<DocumentReferenceID>[^<]*<\/DocumentReferenceID>)/,
          '$2$1',
        ),
    ],
    ['required CompanyCode missing', (s) => s.replace(/<CompanyCode>1010<\/CompanyCode>/, '')],
    ['posting date not a date', (s) => s.replace(/<PostingDate>[^<]*</, '<PostingDate>2026-13-01<')],
    [
      'amount with 7 decimals',
      (s) => s.replace(/(<AmountInTransactionCurrency currencyCode="EUR">)-?[0-9.]+</, '$11.1234567<'),
    ],
    ['currencyCode attribute missing', (s) => s.replace(/ currencyCode="EUR"/, '')],
    [
      'an element SAP does not know',
      (s) => s.replace(/<CreatedByUser>/, '<Approver>X</Approver><CreatedByUser>'),
    ],
    [
      'a namespace-qualified local element',
      (s) => s.replace(/<CompanyCode>1010<\/CompanyCode>/, '<sfin:CompanyCode>1010</sfin:CompanyCode>'),
    ],
    ['DebitCreditCode of two characters', (s) => s.replace(/<DebitCreditCode>S</, '<DebitCreditCode>SS<')],
    [
      'no JournalEntryCreateRequest',
      (s) => s.replace(/<JournalEntryCreateRequest>[\s\S]*<\/JournalEntryCreateRequest>/, ''),
    ],
    ['CreationDateTime without Z', (s) => s.replace(/(<CreationDateTime>[^<]*)Z</, '$1<')],
  ];

  it('rejects with a SOAP fault exactly what libxml2 rejects against the derived schema', async () => {
    for (const [name, mutate] of mutations) {
      const emu = new SapEmulator();
      const payload = mutate(good);
      const xsdErrors = await xmllint(payload);
      const r = await soap(
        emu,
        `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${payload}</soap:Body></soap:Envelope>`,
      );
      const fault = r.status === 500 ? parseEnvelope(r.text).fault : null;
      expect({ name, faulted: fault !== null }).toEqual({ name, faulted: xsdErrors.length > 0 });
      if (name !== 'unchanged') expect(xsdErrors.length, name).toBeGreaterThan(0);
      if (fault) {
        expect(fault.code).toBe('client');
        expect(fault.message).toMatch(/^Error during XML => ABAP conversion: /);
        expect(emu.documents()).toHaveLength(0);
      }
    }
  });

  it('speaks SOAP 1.1 and 1.2 and rejects a version that does not match the content type', async () => {
    const emu = new SapEmulator();
    const r12 = await soap(emu, bulkRequestEnvelope('1.2', render()), '1.2');
    expect(r12.status).toBe(200);
    expect(parseEnvelope(r12.text).version).toBe('1.2');
    const mismatch = await soap(emu, bulkRequestEnvelope('1.2', render()), '1.1');
    expect(mismatch.status).toBe(500);
    expect(parseEnvelope(mismatch.text).fault?.message).toMatch(/SOAP version/);
    const res = await emu.fetch(`${HOST}${JOURNAL_ENTRY_POST_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '"urn:other"', authorization: basic(emu) },
      body: bulkRequestEnvelope('1.1', render()),
    });
    expect(parseEnvelope(await res.text()).fault?.message).toBe(
      'SOAPAction urn:other is not an operation of this service',
    );
    expect(JOURNAL_ENTRY_SOAP_ACTION).toContain('JournalEntryCreateRequestConfirmation_In');
  });

  it('answers 401 without Basic credentials', async () => {
    const emu = new SapEmulator();
    const res = await emu.fetch(`${HOST}${JOURNAL_ENTRY_POST_PATH}`, {
      method: 'POST',
      headers: soapRequestHeaders('1.1'),
      body: '',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });
});

describe('SAP emulator: posting rules', () => {
  it('confirms each entry on its own: one bad entry does not fail the others', async () => {
    const emu = new SapEmulator();
    const [a, b, c] = render(makeTransactions(3, 23));
    const bad = must(b).replace(/<GLAccount>6\d+<\/GLAccount>/, '<GLAccount>69999999</GLAccount>');
    const entries = await post(emu, [must(a), bad, must(c)]);
    expect(entries.map((e) => e.accountingDocument)).toEqual(['0100000000', '', '0100000001']);
    expect(entries[1]).toMatchObject({ companyCode: '', fiscalYear: '0000', maxSeverity: 3 });
    expect(entries[1]?.items.map((i) => i.typeId)).toEqual(['609(RW)', '507(F5)', '004(FH)']);
    expect(entries[1]?.items[0]?.note).toBe('Error in document: BKPFF $ OIEMUCLNT100');
    expect(emu.documents()).toHaveLength(2);
  });

  it('numbers documents with 10 digits per company code and fiscal year (from the posting date)', async () => {
    const emu = new SapEmulator();
    const nov = makeTransactions(1, 24, Date.parse('2026-11-05T10:00:00Z'));
    const jan = makeTransactions(1, 25, Date.parse('2027-01-05T10:00:00Z'));
    const us = entriesFor(makeTransactions(1, 26)).map((e) =>
      renderEntryRequest(e, {
        mapping: sapMappingSchema.parse({
          ...mapping.sap,
          companyCode: '1710',
          costCenter: {
            dimension: 'department',
            default: '17101101',
            values: { Marketing: '17101301', Engineering: '17101101' },
          },
          wbsElement: { dimension: 'none' },
        }),
        createdByUser: 'X',
      }),
    );
    const out = await post(emu, [...render(nov), ...render(jan), ...us, ...render(nov)]);
    expect(out.map((e) => `${e.accountingDocument}/${e.companyCode}/${e.fiscalYear}`)).toEqual([
      '0100000000/1010/2026',
      '0100000000/1010/2027',
      '0100000000/1710/2026',
      '0100000001/1010/2026',
    ]);
  });

  it('checks balance, field status, cost objects, tax codes and open periods with SAP-shaped messages', async () => {
    const emu = new SapEmulator();
    const [x] = render(makeTransactions(1, 27));
    const base = must(x);
    const cases: Array<[string, string, string[]]> = [
      [
        'unbalanced',
        base.replace(/(<AmountInTransactionCurrency currencyCode="EUR">-)[0-9.]+</, '$10.01<'),
        ['702(F5)'],
      ],
      [
        'no cost center on a P&L account',
        base.replace(/<CostCenter>[^<]*<\/CostCenter>/, '').replace(/<WBSElement>[^<]*<\/WBSElement>/, ''),
        ['808(F5)'],
      ],
      ['unknown cost center', base.replace(/<CostCenter>[^<]*</, '<CostCenter>99999999<'), ['248(KI)']],
      ['unknown WBS element', base.replace(/<WBSElement>[^<]*</, '<WBSElement>P-NOPE<'), ['021(CJ)']],
      [
        'tax code of another country',
        base.replace(/<AccountAssignment>/, '<Tax><TaxCode>I1</TaxCode></Tax><AccountAssignment>'),
        ['101(FS)'],
      ],
      ['unknown company code', base.replace(/<CompanyCode>1010</, '<CompanyCode>9999<'), ['165(F5)']],
      [
        'unknown document type',
        base.replace(/<AccountingDocumentType>SA</, '<AccountingDocumentType>ZZ<'),
        ['814(F5)'],
      ],
      [
        'JPY with decimals',
        base.replace(/currencyCode="EUR">(-?)[0-9.]+</g, 'currencyCode="JPY">$11.50<'),
        ['181(F5)', '181(F5)'],
      ],
    ];
    for (const [name, fragment, types] of cases) {
      const [c] = await post(emu, [fragment]);
      expect({ name, types: c?.items.map((i) => i.typeId).slice(1) }).toEqual({ name, types });
    }
    expect(
      (
        await post(emu, [
          base.replace(/<CostCenter>[^<]*<\/CostCenter>/, '').replace(/<WBSElement>[^<]*<\/WBSElement>/, ''),
        ])
      )[0]?.items[1]?.note,
    ).toBe(
      'Field Cost Center is a required field for G/L account '.concat(
        /<GLAccount>(6\d+)</.exec(base)?.[1] ?? '',
      ),
    );
    emu.closePeriod('1010', 2026, 11);
    const [closed] = await post(emu, [base]);
    expect(closed?.items[1]).toEqual({
      typeId: '201(F5)',
      severity: 3,
      note: 'Posting period 011 2026 is not open',
    });
    expect(emu.documents()).toHaveLength(0);
  });
});

describe('SAP emulator: the OData V2 cube', () => {
  async function seeded() {
    const emu = new SapEmulator();
    await post(emu, render(makeTransactions(6, 28)));
    return emu;
  }

  it('serves one row per item with $filter, $select, $top/$skip, $inlinecount and V2 JSON', async () => {
    const emu = await seeded();
    const all = await cube(
      emu,
      '$format=json&$inlinecount=allpages&$select=AccountingDocument,AccountingDocumentItem,PostingDate,AmountInTransactionCurrency,IsReversed&$top=5&$skip=2',
    );
    const d = all.body?.d as { __count: string; results: Record<string, unknown>[] };
    expect(d.__count).toBe('12');
    expect(d.results).toHaveLength(5);
    expect(Object.keys(d.results[0] ?? {})).toEqual([
      '__metadata',
      'AccountingDocument',
      'AccountingDocumentItem',
      'PostingDate',
      'AmountInTransactionCurrency',
      'IsReversed',
    ]);
    expect(d.results[0]?.PostingDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(d.results[0]?.AmountInTransactionCurrency).toMatch(/^-?\d+\.\d{3}$/);
    const doc = emu.documents()[0];
    const one = await cube(
      emu,
      `$format=json&$filter=DocumentReferenceID eq '${doc?.documentReferenceId}' or DocumentReferenceID eq 'NONE'&$select=AccountingDocument`,
    );
    expect(resultsOf<unknown>(one)).toHaveLength(2);
    const dates = await cube(
      emu,
      "$format=json&$filter=PostingDate ge datetime'2026-11-01T00:00:00' and PostingDate le datetime'2026-11-01T00:00:00'&$select=PostingDate",
    );
    expect(resultsOf<unknown>(dates)).toHaveLength(12);
    const none = await cube(
      emu,
      "$format=json&$filter=PostingDate ge datetime'2026-11-02T00:00:00'&$select=PostingDate",
    );
    expect(resultsOf<unknown>(none)).toHaveLength(0);
    const count = await emu.fetch(
      `${HOST}${CUBE_PATH}/A_OperationalAcctgDocItemCube/$count?$filter=startswith(DocumentReferenceID,'OI')`,
      { headers: { authorization: basic(emu) } },
    );
    expect(await count.text()).toBe('12');
  });

  it('answers bad queries with the V2 error body', async () => {
    const emu = await seeded();
    const r = await cube(emu, '$format=json&$filter=NoSuchField eq 1');
    expect(r.status).toBe(400);
    const error = odataErrorOf(r);
    expect(error.code).toBe('/IWBEP/CM_MGW_RT/022');
    expect(error.message).toEqual({
      lang: 'en',
      value: 'Property NoSuchField not found in type A_OperationalAcctgDocItemCubeType',
    });
    expect(error.innererror.errordetails).toHaveLength(1);
    // a filter that does not parse: the syntax error's code, and what is wrong with the expression
    const unterminated = await cube(emu, "$format=json&$filter=CompanyCode eq '1010");
    expect(unterminated.status).toBe(400);
    expect(odataErrorOf(unterminated)).toMatchObject({
      code: '/IWBEP/CM_MGW_RT/004',
      message: { lang: 'en', value: 'Invalid filter expression: unterminated string literal' },
    });
  });

  it('demands a CSRF token (and its session cookie) on writes', async () => {
    const emu = await seeded();
    const denied = await emu.fetch(`${HOST}${CUBE_PATH}/A_OperationalAcctgDocItemCube`, {
      method: 'POST',
      headers: { authorization: basic(emu), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe('CSRF token validation failed');
    const head = await emu.fetch(`${HOST}${CUBE_PATH}/`, {
      method: 'HEAD',
      headers: { authorization: basic(emu), 'x-csrf-token': 'Fetch' },
    });
    const token = must(head.headers.get('x-csrf-token'));
    const cookie = must(head.headers.get('set-cookie')).split(';')[0] as string;
    const write = await emu.fetch(`${HOST}${CUBE_PATH}/A_OperationalAcctgDocItemCube`, {
      method: 'POST',
      headers: {
        authorization: basic(emu),
        'x-csrf-token': token,
        cookie,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(write.status).toBe(405);
    // past the CSRF check, a write is refused for what it is: the cube is read-only
    expect(odataErrorOf({ body: await write.json() })).toMatchObject({
      code: '/IWBEP/CM_MGW_RT/021',
      message: {
        lang: 'en',
        value:
          'The entity set A_OperationalAcctgDocItemCube is read-only (creatable, updatable and deletable are false)',
      },
    });
  });

  it('shows reversals: IsReversed on the original, IsReversal on the mirror document', async () => {
    const emu = await seeded();
    const doc = must(emu.documents()[0]);
    const rev = emu.reverse(doc.companyCode, doc.accountingDocument, doc.fiscalYear);
    const r = await cube(
      emu,
      `$format=json&$filter=DocumentReferenceID eq '${doc.documentReferenceId}'&$select=AccountingDocument,IsReversed,IsReversal,ReverseDocument,AmountInTransactionCurrency`,
    );
    const rows = resultsOf<Record<string, unknown>>(r).map(({ __metadata, ...x }) => x);
    expect(rows.filter((x) => x.IsReversed)).toHaveLength(2);
    expect(rows.filter((x) => x.IsReversal && x.ReverseDocument === doc.accountingDocument)).toHaveLength(2);
    expect(rev.items[0]?.amount.startsWith('-')).toBe(!doc.items[0]?.amount.startsWith('-'));
  });
});

describe('SAP emulator: injected faults', () => {
  it('books, then answers 504 on a timeout fault; refuses with Retry-After on 503/429', async () => {
    const emu = new SapEmulator({ retryAfterSeconds: 7 });
    emu.failNext('timeout');
    expect((await soap(emu, bulkRequestEnvelope('1.1', render()))).status).toBe(504);
    expect(emu.documents()).toHaveLength(1);
    for (const kind of ['503', '429'] as const) {
      emu.failNext(kind);
      const res = await emu.fetch(`${HOST}${JOURNAL_ENTRY_POST_PATH}`, {
        method: 'POST',
        headers: { ...soapRequestHeaders('1.1'), authorization: basic(emu) },
        body: bulkRequestEnvelope('1.1', render()),
      });
      expect(res.status).toBe(Number(kind));
      expect(res.headers.get('retry-after')).toBe('7');
    }
    expect(emu.documents()).toHaveLength(1);
    emu.failNext('500');
    const f = await soap(emu, bulkRequestEnvelope('1.1', render()));
    expect(parseEnvelope(f.text).fault?.code).toBe('server');
    expect(emu.documents()).toHaveLength(1);
  });
});
