import { child, childrenNamed, textOf, type XmlElement } from './xml.js';

/** One `Log/Item` of a confirmation, as SAP sent it. */
export interface LogItem {
  /** `NNN(CLASS)`, e.g. `507(F5)`. */
  typeId: string;
  /** 1 information, 2 warning, 3 error, 4 abort. */
  severity: number;
  note: string;
}

/** One `JournalEntryCreateConfirmation` of a bulk confirmation. */
export interface EntryConfirmation {
  /** `MessageHeader/ReferenceID` (the request entry's `MessageHeader/ID`), when SAP sends it. */
  referenceId: string | undefined;
  accountingDocument: string;
  companyCode: string;
  fiscalYear: string;
  maxSeverity: number;
  items: LogItem[];
}

function log(el: XmlElement | undefined): { maxSeverity: number; items: LogItem[] } {
  const items = childrenNamed(el, 'Item').map((i) => ({
    typeId: textOf(i, 'TypeID') ?? '',
    severity: Number(textOf(i, 'SeverityCode') ?? 0),
    note: textOf(i, 'Note') ?? '',
  }));
  const stated = Number(textOf(el, 'MaximumLogItemSeverityCode') ?? 0);
  return { maxSeverity: Math.max(stated, ...items.map((i) => i.severity)), items };
}

/** A parsed `JournalEntryBulkCreateConfirmation`. */
export interface BulkConfirmation {
  entries: EntryConfirmation[];
  log: { maxSeverity: number; items: LogItem[] };
}

/**
 * Reads SAP's bulk confirmation: per entry the document (`AccountingDocument`/`CompanyCode`/
 * `FiscalYear`) or its log.
 *
 * @example
 * const { entries } = parseBulkConfirmation(envelope.payload);
 */
export function parseBulkConfirmation(payload: XmlElement): BulkConfirmation {
  if (payload.name !== 'JournalEntryBulkCreateConfirmation') {
    throw new Error(`expected JournalEntryBulkCreateConfirmation in the SOAP body, got ${payload.name}`);
  }
  return {
    entries: childrenNamed(payload, 'JournalEntryCreateConfirmation').map((c) => {
      const doc = child(c, 'JournalEntryCreateConfirmation');
      const l = log(child(c, 'Log'));
      return {
        referenceId: textOf(child(c, 'MessageHeader'), 'ReferenceID') || undefined,
        accountingDocument: textOf(doc, 'AccountingDocument') ?? '',
        companyCode: textOf(doc, 'CompanyCode') ?? '',
        fiscalYear: textOf(doc, 'FiscalYear') ?? '',
        maxSeverity: l.maxSeverity,
        items: l.items,
      };
    }),
    log: log(child(payload, 'Log')),
  };
}

/** True when the confirmation names a booked document (SAP blanks it and sends year `0000` on failure). */
export function isBooked(c: EntryConfirmation): boolean {
  return (
    c.accountingDocument !== '' &&
    /^\d{4}$/.test(c.fiscalYear) &&
    c.fiscalYear !== '0000' &&
    c.maxSeverity < 3
  );
}

/** The ERP id of a booked document: `AccountingDocument/CompanyCode/FiscalYear`. */
export function erpIdOf(doc: {
  accountingDocument: string;
  companyCode: string;
  fiscalYear: string;
}): string {
  return `${doc.accountingDocument}/${doc.companyCode}/${doc.fiscalYear}`;
}

/**
 * SAP's own words for a rejected entry: every error item as `TypeID Note`, the `RW 609` summary first
 * as SAP sends it. `code` is the first specific type id (e.g. `507(F5)`), else the first one.
 */
export function describeLog(items: LogItem[]): { code: string; message: string } {
  const errors = items.filter((i) => i.severity >= 3);
  const shown = errors.length > 0 ? errors : items;
  const specific = shown.find((i) => i.typeId !== '609(RW)') ?? shown[0];
  return {
    code: specific?.typeId || 'rejected',
    message: shown.length
      ? shown.map((i) => `${i.typeId} ${i.note}`.trim()).join('; ')
      : 'SAP rejected the entry without a log',
  };
}
