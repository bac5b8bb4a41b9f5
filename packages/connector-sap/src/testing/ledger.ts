import { child, childrenNamed, textOf, type XmlElement } from '../soap/xml.js';
import { glAccount, type MasterData } from './master-data.js';
import { MESSAGES } from './messages.js';

/** One item of a posted document, as the cube shows it. */
export interface DocumentItem {
  item: string;
  glAccount: string;
  /** Signed amount in transaction currency, as sent (decimal string). */
  amount: string;
  /** Signed amount in company code currency. */
  amountInCompanyCodeCurrency: string;
  debitCredit: 'S' | 'H';
  text: string;
  assignment: string;
  costCenter: string;
  profitCenter: string;
  wbsElement: string;
  taxCode: string;
}

/** A posted journal entry (BKPF + BSEG, as far as the connector reads them back). */
export interface PostedDocument {
  companyCode: string;
  fiscalYear: string;
  accountingDocument: string;
  documentType: string;
  documentReferenceId: string;
  headerText: string;
  reference1: string;
  reference2: string;
  documentDate: string;
  postingDate: string;
  fiscalPeriod: string;
  currency: string;
  companyCodeCurrency: string;
  exchangeRate: string;
  createdByUser: string;
  createdAt: number;
  items: DocumentItem[];
  /** Set when the document was reversed (by the reversal document's number and year). */
  reversedBy?: { accountingDocument: string; fiscalYear: string };
  /** Set on a reversal document: the document it reverses. */
  reverses?: { accountingDocument: string; fiscalYear: string };
}

/** A log item for a rejected entry. */
export interface EmulatorLogItem {
  typeId: string;
  severity: 3;
  note: string;
}

/** Outcome of posting one entry. */
export type PostResult = { ok: true; document: PostedDocument } | { ok: false; items: EmulatorLogItem[] };

const error = (m: { typeId: string }, note: string): EmulatorLogItem => ({
  typeId: m.typeId,
  severity: 3,
  note,
});

function decimalsOf(s: string): number {
  const frac = s.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

/** Exact signed sum of decimal strings, in units of 10^-6 (SAP amounts have at most 6 decimals). */
function sumMicro(values: string[]): bigint {
  let total = 0n;
  for (const v of values) {
    const neg = v.trim().startsWith('-');
    const [i = '0', f = ''] = v.trim().replace(/^[+-]/, '').split('.');
    const micro = BigInt(i || '0') * 1_000_000n + BigInt(`${f}000000`.slice(0, 6));
    total += neg ? -micro : micro;
  }
  return total;
}

function translate(amount: string, rate: number, decimals: number): string {
  const v = Number(amount) * rate;
  return v.toFixed(decimals);
}

/**
 * The general ledger of the emulated tenant: checks a `JournalEntry` against master data the way
 * S/4HANA's posting does (company code, document type, chart of accounts, field status, cost objects,
 * tax codes, open periods, currency decimals, balance) and books it with the next document number of
 * its company code and fiscal year.
 */
export class Ledger {
  readonly documents: PostedDocument[] = [];
  private readonly numbers = new Map<string, number>();
  /** FX rates to company-code currency used when an entry brings no `ExchangeRate`. */
  readonly rates = new Map<string, number>([
    ['USD/EUR', 0.92],
    ['EUR/USD', 1.09],
    ['GBP/EUR', 1.17],
    ['GBP/USD', 1.27],
    ['JPY/EUR', 0.0061],
    ['JPY/USD', 0.0067],
    ['CHF/EUR', 1.05],
    ['CHF/USD', 1.13],
  ]);

  constructor(
    readonly masterData: MasterData,
    private readonly options: { logicalSystem: string; now: () => number; firstNumber: number },
  ) {}

  private nextNumber(companyCode: string, year: string): string {
    const k = `${companyCode}/${year}`;
    const n = this.numbers.get(k) ?? this.options.firstNumber;
    this.numbers.set(k, n + 1);
    return String(n).padStart(10, '0');
  }

  /** Checks and books one `JournalEntry` element. */
  post(je: XmlElement): PostResult {
    const md = this.masterData;
    const errors: EmulatorLogItem[] = [];
    const companyCode = textOf(je, 'CompanyCode') ?? '';
    const postingDate = textOf(je, 'PostingDate') ?? '';
    const documentType = textOf(je, 'AccountingDocumentType') ?? '';
    const cc = md.companyCodes.get(companyCode);
    const fiscalYear = postingDate.slice(0, 4);
    const fiscalPeriod = postingDate.slice(5, 7).padStart(3, '0');
    if (!cc) errors.push(error(MESSAGES.companyCode, MESSAGES.companyCode.note(companyCode)));
    if (!md.documentTypes.has(documentType))
      errors.push(error(MESSAGES.documentType, MESSAGES.documentType.note(documentType)));
    if (cc && md.closedPeriods.get(companyCode)?.has(`${fiscalYear}-${fiscalPeriod}`))
      errors.push(error(MESSAGES.periodClosed, MESSAGES.periodClosed.note(fiscalPeriod, fiscalYear)));
    const items = childrenNamed(je, 'Item');
    const exchangeRate = textOf(je, 'ExchangeRate');
    const amounts: string[] = [];
    let currency = '';
    const booked: DocumentItem[] = [];
    items.forEach((it, i) => {
      const gl = textOf(it, 'GLAccount') ?? '';
      const amountEl = child(it, 'AmountInTransactionCurrency');
      const amount = amountEl?.text.trim() ?? '0';
      const cur = amountEl?.attrs.currencyCode ?? '';
      currency ||= cur;
      amounts.push(amount);
      const decimals = md.currencies.get(cur);
      if (decimals === undefined) errors.push(error(MESSAGES.currency, MESSAGES.currency.note(cur)));
      else if (decimalsOf(amount) > decimals)
        errors.push(error(MESSAGES.decimals, MESSAGES.decimals.note(amount, cur)));
      const aa = child(it, 'AccountAssignment');
      const costCenter = textOf(aa, 'CostCenter') ?? '';
      const profitCenter = textOf(aa, 'ProfitCenter') ?? '';
      const wbsElement = textOf(aa, 'WBSElement') ?? '';
      const taxCode = textOf(child(it, 'Tax'), 'TaxCode') ?? '';
      if (cc) {
        const account = glAccount(md, cc.chartOfAccounts, gl);
        if (!account) {
          errors.push(error(MESSAGES.glNotInChart, MESSAGES.glNotInChart.note(gl, cc.chartOfAccounts)));
          errors.push(
            error(MESSAGES.accountNotInChart, MESSAGES.accountNotInChart.note(gl, cc.chartOfAccounts)),
          );
        } else {
          if (!account.companyCodes.includes(companyCode))
            errors.push(
              error(MESSAGES.glNotInCompanyCode, MESSAGES.glNotInCompanyCode.note(gl, companyCode)),
            );
          const required = account.required ?? [];
          if (required.includes('CostCenter') && !costCenter && !wbsElement)
            errors.push(error(MESSAGES.requiredField, MESSAGES.requiredField.note('Cost Center', gl)));
          if (required.includes('ProfitCenter') && !profitCenter)
            errors.push(error(MESSAGES.requiredField, MESSAGES.requiredField.note('Profit Ctr', gl)));
          if (required.includes('TaxCode') && !taxCode)
            errors.push(error(MESSAGES.requiredField, MESSAGES.requiredField.note('Tax Code', gl)));
        }
        if (costCenter) {
          const c = md.costCenters.get(costCenter);
          if (
            !c ||
            c.controllingArea !== cc.controllingArea ||
            postingDate < c.validFrom ||
            postingDate > c.validTo
          )
            errors.push(
              error(
                MESSAGES.costCenter,
                MESSAGES.costCenter.note(cc.controllingArea, costCenter, postingDate),
              ),
            );
        }
        if (profitCenter) {
          const p = md.profitCenters.get(profitCenter);
          if (!p || p.controllingArea !== cc.controllingArea)
            errors.push(
              error(MESSAGES.profitCenter, MESSAGES.profitCenter.note(cc.controllingArea, profitCenter)),
            );
        }
        if (wbsElement) {
          const w = md.wbsElements.get(wbsElement);
          if (!w || w.companyCode !== companyCode)
            errors.push(error(MESSAGES.wbsElement, MESSAGES.wbsElement.note(wbsElement)));
        }
        if (taxCode && !md.taxCodes.get(cc.country)?.has(taxCode))
          errors.push(error(MESSAGES.taxCode, MESSAGES.taxCode.note(taxCode, cc.country)));
      }
      booked.push({
        item: String(i + 1).padStart(3, '0'),
        glAccount: gl,
        amount,
        amountInCompanyCodeCurrency: amount,
        debitCredit:
          (textOf(it, 'DebitCreditCode') as 'S' | 'H' | undefined) ?? (amount.startsWith('-') ? 'H' : 'S'),
        text: textOf(it, 'DocumentItemText') ?? '',
        assignment: textOf(it, 'AssignmentReference') ?? '',
        costCenter,
        profitCenter,
        wbsElement,
        taxCode,
      });
    });
    if (sumMicro(amounts) !== 0n || items.length < 2)
      errors.push(error(MESSAGES.unbalanced, MESSAGES.unbalanced.note()));
    if (errors.length > 0 || !cc) {
      return {
        ok: false,
        items: [
          error(MESSAGES.documentError, MESSAGES.documentError.note(this.options.logicalSystem)),
          ...errors,
        ],
      };
    }
    const rate = exchangeRate
      ? Number(exchangeRate)
      : currency === cc.currency
        ? 1
        : (this.rates.get(`${currency}/${cc.currency}`) ?? 1);
    const ccDecimals = this.masterData.currencies.get(cc.currency) ?? 2;
    for (const b of booked) b.amountInCompanyCodeCurrency = translate(b.amount, rate, ccDecimals);
    const doc: PostedDocument = {
      companyCode,
      fiscalYear,
      accountingDocument: this.nextNumber(companyCode, fiscalYear),
      documentType,
      documentReferenceId: (textOf(je, 'DocumentReferenceID') ?? '').toUpperCase(),
      headerText: textOf(je, 'DocumentHeaderText') ?? '',
      reference1: textOf(je, 'Reference1InDocumentHeader') ?? '',
      reference2: textOf(je, 'Reference2InDocumentHeader') ?? '',
      documentDate: textOf(je, 'DocumentDate') ?? '',
      postingDate,
      fiscalPeriod,
      currency,
      companyCodeCurrency: cc.currency,
      exchangeRate: exchangeRate ?? String(rate),
      createdByUser: textOf(je, 'CreatedByUser') ?? '',
      createdAt: this.options.now(),
      items: booked,
    };
    this.documents.push(doc);
    return { ok: true, document: doc };
  }

  /** Reverses a document (as FB08 would): a mirror document is booked and both are flagged. */
  reverse(
    companyCode: string,
    accountingDocument: string,
    fiscalYear: string,
    postingDate?: string,
  ): PostedDocument {
    const doc = this.documents.find(
      (d) =>
        d.companyCode === companyCode &&
        d.accountingDocument === accountingDocument &&
        d.fiscalYear === fiscalYear,
    );
    if (!doc)
      throw new Error(`no document ${accountingDocument}/${companyCode}/${fiscalYear} in the emulator`);
    if (doc.reversedBy) throw new Error(`document ${accountingDocument} is already reversed`);
    const date = postingDate ?? doc.postingDate;
    const year = date.slice(0, 4);
    const flip = (s: string) => (s.startsWith('-') ? s.slice(1) : `-${s}`);
    const reversal: PostedDocument = {
      ...doc,
      fiscalYear: year,
      accountingDocument: this.nextNumber(companyCode, year),
      postingDate: date,
      documentDate: date,
      fiscalPeriod: date.slice(5, 7).padStart(3, '0'),
      createdAt: this.options.now(),
      items: doc.items.map((i) => ({
        ...i,
        amount: flip(i.amount),
        amountInCompanyCodeCurrency: flip(i.amountInCompanyCodeCurrency),
        debitCredit: i.debitCredit === 'S' ? 'H' : 'S',
      })),
      reverses: { accountingDocument: doc.accountingDocument, fiscalYear: doc.fiscalYear },
    };
    doc.reversedBy = { accountingDocument: reversal.accountingDocument, fiscalYear: year };
    this.documents.push(reversal);
    return reversal;
  }
}
