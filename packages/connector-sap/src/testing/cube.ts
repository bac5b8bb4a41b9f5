import { cubeCsn } from '../generated/cube-csn.js';
import type { PostedDocument } from './ledger.js';
import { type FilterSyntaxError, filterProperties, matchesFilter, parseFilter } from './odata-filter.js';

export const CUBE_SERVICE = 'API_OPLACCTGDOCITEMCUBE_SRV';
export const CUBE_ENTITY_SET = 'A_OperationalAcctgDocItemCube';
const ELEMENTS = cubeCsn.definitions[`${CUBE_SERVICE}.${CUBE_ENTITY_SET}`]?.elements ?? {};

/** An OData V2 error the cube answers with (status + SAP gateway's JSON error body). */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The row values the emulator knows, typed (dates as epoch ms); every other property is empty. */
function rowsOf(doc: PostedDocument): Record<string, unknown>[] {
  const date = (d: string) => Date.parse(`${d}T00:00:00Z`);
  return doc.items.map((item) => ({
    CompanyCode: doc.companyCode,
    FiscalYear: doc.fiscalYear,
    AccountingDocument: doc.accountingDocument,
    AccountingDocumentItem: item.item,
    AccountingDocumentType: doc.documentType,
    DocumentReferenceID: doc.documentReferenceId,
    AccountingDocumentHeaderText: doc.headerText,
    Reference1InDocumentHeader: doc.reference1,
    Reference2InDocumentHeader: doc.reference2,
    PostingDate: date(doc.postingDate),
    DocumentDate: date(doc.documentDate),
    FiscalPeriod: doc.fiscalPeriod,
    AccountingDocumentCreationDate: date(new Date(doc.createdAt).toISOString().slice(0, 10)),
    GLAccount: item.glAccount,
    DebitCreditCode: item.debitCredit,
    AmountInTransactionCurrency: item.amount,
    TransactionCurrency: doc.currency,
    AmountInCompanyCodeCurrency: item.amountInCompanyCodeCurrency,
    CompanyCodeCurrency: doc.companyCodeCurrency,
    ExchangeRate: doc.exchangeRate,
    DocumentItemText: item.text,
    AssignmentReference: item.assignment,
    CostCenter: item.costCenter,
    ProfitCenter: item.profitCenter,
    TaxCode: item.taxCode,
    AccountingDocCreatedByUser: doc.createdByUser,
    IsReversed: doc.reversedBy !== undefined,
    IsReversal: doc.reverses !== undefined,
    ReverseDocument: doc.reversedBy?.accountingDocument ?? doc.reverses?.accountingDocument ?? '',
    ReverseDocumentFiscalYear: doc.reversedBy?.fiscalYear ?? doc.reverses?.fiscalYear ?? '',
  }));
}

/** V2 JSON value of a property: `/Date(ms)/` for dates, decimals as strings with the type's scale. */
function jsonValue(name: string, v: unknown): unknown {
  const el = ELEMENTS[name];
  if (!el) return v;
  if (el.type === 'cds.Date' || el.type === 'cds.DateTime')
    return typeof v === 'number' ? `/Date(${v})/` : null;
  if (el.type === 'cds.Decimal') {
    const n = v === undefined || v === '' ? 0 : Number(v);
    return n.toFixed(el.scale ?? 0);
  }
  if (el.type === 'cds.Boolean') return v === true;
  if (el.type === 'cds.Time') return v ?? 'PT00H00M00S';
  return v === undefined || v === null ? '' : String(v);
}

function unknownProperty(name: string): ODataError {
  return new ODataError(
    400,
    '/IWBEP/CM_MGW_RT/022',
    `Property ${name} not found in type A_OperationalAcctgDocItemCubeType`,
  );
}

/**
 * Answers `GET …/A_OperationalAcctgDocItemCube` (and `/$count`) over the posted documents: one row
 * per item, `$filter`, `$select`, `$orderby` (one property), `$top`/`$skip`, `$inlinecount=allpages`,
 * V2 JSON (`{"d":{"results":[…]}}`).
 */
export function queryCube(
  documents: PostedDocument[],
  params: URLSearchParams,
  options: { baseUrl: string; count: boolean; maxTop: number },
): unknown {
  let rows = documents.flatMap(rowsOf);
  const filter = params.get('$filter');
  if (filter) {
    let expr: ReturnType<typeof parseFilter>;
    try {
      expr = parseFilter(filter);
    } catch (err) {
      throw new ODataError(400, '/IWBEP/CM_MGW_RT/004', (err as FilterSyntaxError).message);
    }
    for (const p of filterProperties(expr)) if (!ELEMENTS[p]) throw unknownProperty(p);
    rows = rows.filter((r) => matchesFilter(expr, r));
  }
  const orderby = params.get('$orderby');
  if (orderby) {
    const keys = orderby.split(',').map((part) => {
      const [prop = '', dir] = part.trim().split(/\s+/);
      if (!ELEMENTS[prop]) throw unknownProperty(prop);
      return { prop, sign: dir === 'desc' ? -1 : 1 };
    });
    rows = [...rows].sort((a, b) => {
      for (const { prop, sign } of keys) {
        const x = a[prop] as string | number;
        const y = b[prop] as string | number;
        if (x !== y) return (x < y ? -1 : 1) * sign;
      }
      return 0;
    });
  }
  if (options.count) return rows.length;
  const total = rows.length;
  const skip = Number(params.get('$skip') ?? 0);
  const topRaw = params.get('$top');
  const top = topRaw === null ? options.maxTop : Number(topRaw);
  if (!Number.isInteger(skip) || skip < 0)
    throw new ODataError(400, '/IWBEP/CM_MGW_RT/004', `Invalid value '${params.get('$skip')}' for $skip`);
  if (!Number.isInteger(top) || top < 0)
    throw new ODataError(400, '/IWBEP/CM_MGW_RT/004', `Invalid value '${topRaw}' for $top`);
  rows = rows.slice(skip, skip + Math.min(top, options.maxTop));
  const select = params.get('$select');
  const names = select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Object.keys(ELEMENTS);
  for (const n of names) if (!ELEMENTS[n]) throw unknownProperty(n);
  const results = rows.map((r) => {
    const key = `CompanyCode='${r.CompanyCode}',FiscalYear='${r.FiscalYear}',AccountingDocument='${r.AccountingDocument}',AccountingDocumentItem='${r.AccountingDocumentItem}'`;
    const uri = `${options.baseUrl}/${CUBE_ENTITY_SET}(${key})`;
    const out: Record<string, unknown> = {
      __metadata: { id: uri, uri, type: `${CUBE_SERVICE}.A_OperationalAcctgDocItemCubeType` },
    };
    for (const n of names) out[n] = jsonValue(n, r[n]);
    return out;
  });
  const inline = params.get('$inlinecount');
  if (inline && inline !== 'allpages' && inline !== 'none')
    throw new ODataError(400, '/IWBEP/CM_MGW_RT/004', `Invalid value '${inline}' for $inlinecount`);
  return { d: { ...(inline === 'allpages' ? { __count: String(total) } : {}), results } };
}

/** SAP gateway's V2 JSON error body. */
export function odataErrorBody(e: ODataError, transactionId: string, now: Date): string {
  return JSON.stringify({
    error: {
      code: e.code,
      message: { lang: 'en', value: e.message },
      innererror: {
        application: {
          component_id: 'FI-GL-IS',
          service_namespace: '/SAP/',
          service_id: CUBE_SERVICE,
          service_version: '0001',
        },
        transactionid: transactionId,
        timestamp: now.toISOString().replace(/[-:T]/g, '').slice(0, 14),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note:
            'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
        },
        errordetails: [{ code: e.code, message: e.message, propertyref: '', severity: 'error', target: '' }],
      },
    },
  });
}
